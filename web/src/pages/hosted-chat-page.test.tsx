import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { HostedChatPage } from '@/pages/hosted-chat-page';
import { eventStreamResponse, gate, jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const info = (status: 'active' | 'paused') =>
  jsonResponse(200, {
    bot: { name: 'Helper', greeting: 'Hi there!', avatar_color: '#0ea5e9', avatar_url: null },
    status,
    appearance: {
      color: '#0ea5e9',
      position: 'right',
      launcher_label: '',
      greeting: 'Hi there!',
      theme: 'system',
    },
    visitor_token: 'vt1.fresh.00',
  });

const callsTo = (fetchMock: ReturnType<typeof mockFetch>, method: string, path: string) =>
  fetchMock.mock.calls.filter(
    ([input, init]) => String(input) === path && (init?.method ?? 'GET') === method,
  );

function renderChat() {
  return renderWithProviders(
    <Routes>
      <Route path="/chat/:key" element={<HostedChatPage />} />
    </Routes>,
    { route: '/chat/wk_1' },
  );
}

async function say(text: string) {
  await userEvent.type(screen.getByLabelText('Your message'), text);
  await userEvent.click(screen.getByRole('button', { name: 'Send' }));
}

describe('HostedChatPage', () => {
  it('greets, keeps the token the server issued, sends it, and shows the answer', async () => {
    window.localStorage.clear();
    const fetchMock = mockFetch({
      'GET /widget/wk_1': () => info('active'),
      'GET /widget/wk_1/history': () => jsonResponse(200, { session_id: null, messages: [] }),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(200, { session_id: 'ses_1', reply: { text: 'We open at 9am.', source: 'template' } }),
    });
    renderChat();
    expect(await screen.findByText('Hi there!')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Helper' })).toBeInTheDocument();
    await say('opening hours?');
    expect(await screen.findByText('We open at 9am.')).toBeInTheDocument();
    const [send] = callsTo(fetchMock, 'POST', '/widget/wk_1/messages');
    const body = JSON.parse(String(send[1]?.body));
    expect(body.text).toBe('opening hours?');
    expect(body.visitor_token).toBe('vt1.fresh.00');
    expect(body.visitor_id).toBeUndefined();
    expect(window.localStorage.getItem('switchboard.visitor_token')).toBe('vt1.fresh.00');
  });

  it('shows a returning visitor their conversation, asking with the token this browser kept', async () => {
    window.localStorage.setItem('switchboard.visitor_token', 'vt1.kept.11');
    const fetchMock = mockFetch({
      'GET /widget/wk_1': () =>
        jsonResponse(200, {
          bot: { name: 'Helper', greeting: 'Hi there!', avatar_color: '#0ea5e9', avatar_url: null },
          status: 'active',
          visitor_token: 'vt1.kept.11',
        }),
      'GET /widget/wk_1/history': () =>
        jsonResponse(200, {
          session_id: 'ses_9',
          messages: [
            { direction: 'in', text: 'Where is my parcel?', created_at: '2026-12-06T10:00:00Z' },
            { direction: 'out', text: 'It ships today.', created_at: '2026-12-06T10:00:01Z' },
          ],
        }),
    });
    renderChat();
    expect(await screen.findByText('Where is my parcel?')).toBeInTheDocument();
    expect(screen.getByText('It ships today.')).toBeInTheDocument();
    const [infoCall] = callsTo(fetchMock, 'GET', '/widget/wk_1');
    expect((infoCall[1]?.headers as Record<string, string>)['X-Visitor-Token']).toBe('vt1.kept.11');
    const [historyCall] = callsTo(fetchMock, 'GET', '/widget/wk_1/history');
    expect((historyCall[1]?.headers as Record<string, string>)['X-Visitor-Token']).toBe('vt1.kept.11');
  });

  it('passes on the signed identity the widget put in the fragment', async () => {
    window.history.replaceState(
      null,
      '',
      '#user_id=u_1&user_name=Ada&user_expires=1999999999&user_signature=abc',
    );
    const fetchMock = mockFetch({
      'GET /widget/wk_1': () => info('active'),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(200, { session_id: 'ses_1', reply: { text: 'Hello Ada.', source: 'template' } }),
    });
    renderChat();
    await screen.findByText('Hi there!');
    await say('hi');
    await screen.findByText('Hello Ada.');
    const [send] = callsTo(fetchMock, 'POST', '/widget/wk_1/messages');
    expect(JSON.parse(String(send[1]?.body)).identity).toEqual({
      id: 'u_1',
      name: 'Ada',
      expires: '1999999999',
      signature: 'abc',
    });
    window.history.replaceState(null, '', '#');
  });

  it('says the chat is paused when the deployment is paused', async () => {
    mockFetch({ 'GET /widget/wk_1': () => info('paused') });
    renderChat();
    expect(await screen.findByText('This chat is paused.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Your message')).not.toBeInTheDocument();
  });

  it('says the chat is paused when a message meets 409', async () => {
    mockFetch({
      'GET /widget/wk_1': () => info('active'),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(409, { error: { code: 'deployment_paused', message: 'This chat is paused.' } }),
    });
    renderChat();
    await screen.findByText('Hi there!');
    await say('hello?');
    expect(await screen.findByText('This chat is paused.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Your message')).not.toBeInTheDocument();
  });

  it('asks the visitor to slow down on 429, with the wait from Retry-After', async () => {
    mockFetch({
      'GET /widget/wk_1': () => info('active'),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many messages.' } },
          { 'Retry-After': '30' },
        ),
    });
    renderChat();
    await screen.findByText('Hi there!');
    await say('spam');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You are sending messages too quickly. Try again in 30 seconds.',
    );
    expect(screen.getByLabelText('Your message')).toBeEnabled();
  });

  it('says so when the key is unknown', async () => {
    mockFetch({});
    renderChat();
    expect(await screen.findByText('This chat does not exist.')).toBeInTheDocument();
  });

  it('asks for a rating after a reply when the bot wants one, and sends it once', async () => {
    const fetchMock = mockFetch({
      'GET /widget/wk_1': () =>
        jsonResponse(200, {
          bot: {
            name: 'Helper',
            greeting: 'Hi there!',
            avatar_color: '#0ea5e9',
            avatar_url: null,
            ask_satisfaction: true,
          },
          status: 'active',
          visitor_token: 'vt1.fresh.00',
        }),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(200, { session_id: 'cnv_7', reply: { text: 'Sure.', source: 'fallback' } }),
      'POST /widget/wk_1/rating': () => new Response(null, { status: 204 }),
    });
    renderChat();
    await screen.findByText('Hi there!');
    expect(screen.queryByText('How was this chat?')).not.toBeInTheDocument();
    await say('thanks');
    await userEvent.click(await screen.findByRole('button', { name: '4 of 5' }));
    expect(await screen.findByText('Thanks for rating this chat.')).toBeInTheDocument();
    const rating = fetchMock.mock.calls.find(([path]) => String(path) === '/widget/wk_1/rating');
    expect(JSON.parse(String(rating?.[1]?.body))).toMatchObject({
      session_id: 'cnv_7',
      score: 4,
      visitor_token: 'vt1.fresh.00',
    });
  });

  describe('streamed replies', () => {
    const start = { event: 'start', data: { session_id: 'ses_1' } };
    const token = (text: string) => ({ event: 'token', data: { text } });
    const done = (text: string, source = 'ai', interrupted = false) => ({
      event: 'done',
      data: { session_id: 'ses_1', reply: { text, source }, interrupted },
    });

    it('asks for a stream, types, shows the tokens as they come, then the final text once', async () => {
      const firstToken = gate();
      const rest = gate();
      const fetchMock = mockFetch({
        'GET /widget/wk_1': () => info('active'),
        'POST /widget/wk_1/messages': () =>
          eventStreamResponse([
            { raw: ': keep-alive\n\n' },
            start,
            { until: firstToken.promise },
            token('We '),
            { wait: 5 },
            token('open'),
            { until: rest.promise },
            token(' at 9am.'),
            done('We open at 9am.'),
          ]),
      });
      renderChat();
      await screen.findByText('Hi there!');
      await say('opening hours?');

      expect(await screen.findByText('Helper is typing…')).toBeInTheDocument();
      firstToken.open();
      const partial = await screen.findByText('We open');
      expect(partial.closest('[data-state="streaming"]')).toHaveAttribute('aria-hidden', 'true');
      expect(screen.queryByText('Helper is typing…')).not.toBeInTheDocument();
      expect(screen.queryByText('We open at 9am.')).not.toBeInTheDocument();
      // The conversation is still a live region; the growing bubble stays out of it until done.
      expect(screen.getByLabelText('Conversation')).toHaveAttribute('aria-live', 'polite');

      rest.open();
      await waitFor(() => expect(document.querySelector('[data-state="streaming"]')).toBeNull());
      const final = screen.getByText('We open at 9am.');
      expect(final.closest('[aria-hidden]')).toBeNull();
      expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled(); // empty draft
      const [[, init]] = callsTo(fetchMock, 'POST', '/widget/wk_1/messages');
      expect(new Headers(init?.headers).get('Accept')).toBe('text/event-stream');
      expect(JSON.parse(String(init?.body))).toMatchObject({ text: 'opening hours?' });
    });

    it('shows a template reply that comes with no tokens', async () => {
      mockFetch({
        'GET /widget/wk_1': () => info('active'),
        'POST /widget/wk_1/messages': () =>
          eventStreamResponse([start, { wait: 5 }, done('We open at 9am.', 'template')]),
      });
      renderChat();
      await screen.findByText('Hi there!');
      await say('opening hours?');
      expect(await screen.findByText('We open at 9am.')).toBeInTheDocument();
      expect(screen.queryByText('Helper is typing…')).not.toBeInTheDocument();
    });

    it('replaces a reply that broke off with the fallback message and says it was interrupted', async () => {
      mockFetch({
        'GET /widget/wk_1': () => info('active'),
        'POST /widget/wk_1/messages': () =>
          eventStreamResponse([
            start,
            token('The ferry '),
            { wait: 10 },
            token('leaves'),
            { wait: 10 },
            done('A harbour master will answer you soon.', 'fallback', true),
          ]),
      });
      renderChat();
      await screen.findByText('Hi there!');
      await say('When does the ferry leave?');
      expect(await screen.findByText('A harbour master will answer you soon.')).toBeInTheDocument();
      expect(screen.getByText('The answer was interrupted.')).toBeInTheDocument();
      expect(screen.queryByText(/The ferry/)).not.toBeInTheDocument();
    });

    it('keeps the message when the stream is cut, and sends it again on Retry', async () => {
      let calls = 0;
      const fetchMock = mockFetch({
        'GET /widget/wk_1': () => info('active'),
        'POST /widget/wk_1/messages': () =>
          ++calls === 1
            ? eventStreamResponse([start, token('Half an'), { raw: 'event: done\ndata: {"sess' }])
            : eventStreamResponse([start, token('Whole'), done('Whole answer.')]),
      });
      renderChat();
      await screen.findByText('Hi there!');
      await say('tell me everything');
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'The connection was lost before the answer was complete.',
      );
      expect(screen.getByText('tell me everything')).toBeInTheDocument();
      expect(screen.queryByText('Half an')).not.toBeInTheDocument();

      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(await screen.findByText('Whole answer.')).toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getAllByText('tell me everything')).toHaveLength(1);
      const bodies = callsTo(fetchMock, 'POST', '/widget/wk_1/messages').map(([, init]) =>
        JSON.parse(String(init?.body)),
      );
      expect(bodies.map((body) => body.text)).toEqual(['tell me everything', 'tell me everything']);
    });

    it('still reads a JSON answer from a server that does not stream', async () => {
      mockFetch({
        'GET /widget/wk_1': () => info('active'),
        'POST /widget/wk_1/messages': () =>
          jsonResponse(200, { session_id: 'ses_1', reply: { text: 'Plain JSON.', source: 'ai' } }),
      });
      renderChat();
      await screen.findByText('Hi there!');
      await say('hello');
      const conversation = screen.getByLabelText('Conversation');
      expect(await within(conversation).findByText('Plain JSON.')).toBeInTheDocument();
      await waitFor(() => expect(screen.getByLabelText('Your message')).toBeEnabled());
    });
  });
});
