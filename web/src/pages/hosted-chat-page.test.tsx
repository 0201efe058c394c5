import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { HostedChatPage } from '@/pages/hosted-chat-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const info = (status: 'active' | 'paused') =>
  jsonResponse(200, {
    bot: { name: 'Helper', greeting: 'Hi there!', avatar_color: '#0ea5e9', avatar_url: null },
    status,
  });

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
  it('greets, sends the visitor id it keeps, and shows the answer', async () => {
    const fetchMock = mockFetch({
      'GET /widget/wk_1': () => info('active'),
      'POST /widget/wk_1/messages': () =>
        jsonResponse(200, { session_id: 'ses_1', reply: { text: 'We open at 9am.', source: 'template' } }),
    });
    renderChat();
    expect(await screen.findByText('Hi there!')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Helper' })).toBeInTheDocument();
    await say('opening hours?');
    expect(await screen.findByText('We open at 9am.')).toBeInTheDocument();
    const body = JSON.parse(String(fetchMock.mock.calls[1][1]?.body));
    expect(body.text).toBe('opening hours?');
    expect(body.visitor_id).toBe(window.localStorage.getItem('switchboard.visitor_id'));
    expect(body.visitor_id).toMatch(/^v_/);
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
    expect(JSON.parse(String(rating?.[1]?.body))).toMatchObject({ session_id: 'cnv_7', score: 4 });
  });
});
