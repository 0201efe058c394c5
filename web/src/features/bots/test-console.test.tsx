import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TestConsole } from '@/features/bots/test-console';
import type { Bot, Reply } from '@/lib/api';
import { eventStreamResponse, gate, jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const bot: Bot = {
  id: 'bot_1',
  name: 'Helper',
  description: '',
  avatar_color: '#4f46e5',
  avatar_url: null,
  system_prompt: '',
  model: 'openai/gpt-4o-mini',
  temperature: 0.7,
  max_tokens: 512,
  greeting: 'Hello! How can I help?',
  fallback_message: 'Sorry, I cannot answer that.',
  language: 'en',
  history_turns: 10,
  ask_satisfaction: false,
  template_ids: ['tpl_1'],
  status: 'active',
  version: 3,
  created_at: '2026-11-25T19:40:00Z',
  updated_at: '2026-11-25T19:40:00Z',
};

const reply = (overrides: Partial<Reply>): Reply => ({
  text: '',
  source: 'fallback',
  template_id: null,
  model: null,
  latency_ms: 3,
  prompt_tokens: null,
  completion_tokens: null,
  error: null,
  ...overrides,
});

describe('TestConsole', () => {
  it('tags each reply with its source, latency, tokens and error, and keeps the session', async () => {
    const replies = [
      reply({ text: 'We open at 9am.', source: 'template', template_id: 'tpl_1', latency_ms: 4 }),
      reply({ text: 'Sorry, I cannot answer that.', error: 'OpenRouter rejected the API key (401)' }),
      reply({
        text: 'Paris.',
        source: 'ai',
        model: 'openai/gpt-4o-mini',
        latency_ms: 812,
        prompt_tokens: 120,
        completion_tokens: 8,
      }),
    ];
    const fetchMock = mockFetch({
      'POST /api/bots/bot_1/chat': () => jsonResponse(200, { session_id: 'ses_9', reply: replies.shift() }),
    });
    renderWithProviders(
      <TestConsole
        bot={bot}
        templates={[
          {
            id: 'tpl_1',
            name: 'Opening hours',
            category: '',
            trigger_phrases: ['opening hours'],
            body: '',
            variables: [],
            platform_variants: {},
            manual: false,
            created_at: '',
            updated_at: '',
          },
        ]}
      />,
    );
    expect(screen.getByText('Hello! How can I help?')).toBeInTheDocument();

    const send = async (text: string) => {
      await userEvent.type(screen.getByLabelText('Message'), text);
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    };
    await send('what are your opening hours?');
    expect(await screen.findByText('We open at 9am.')).toBeInTheDocument();
    await send('tell me a joke');
    expect(await screen.findByText('OpenRouter rejected the API key (401)')).toBeInTheDocument();
    await send('capital of France?');
    expect(await screen.findByText('Paris.')).toBeInTheDocument();

    const badges = screen.getAllByTestId('reply-source').map((badge) => badge.textContent);
    expect(badges).toEqual(['Template', 'Fallback', 'AI']);
    expect(screen.getByText('“Opening hours”')).toBeInTheDocument();
    expect(screen.getByText('812 ms')).toBeInTheDocument();
    expect(screen.getByText('120 in · 8 out tokens')).toBeInTheDocument();

    const bodies = fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)));
    expect(bodies[0]).toEqual({ text: 'what are your opening hours?' });
    expect(bodies[1]).toEqual({ text: 'tell me a joke', session_id: 'ses_9' });
  });

  it('starts a new session after Reset', async () => {
    const fetchMock = mockFetch({
      'POST /api/bots/bot_1/chat': () =>
        jsonResponse(200, { session_id: 'ses_1', reply: reply({ text: 'ok' }) }),
    });
    renderWithProviders(<TestConsole bot={bot} />);
    await userEvent.type(screen.getByLabelText('Message'), 'hi');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const conversation = screen.getByLabelText('Test conversation');
    expect(await within(conversation).findByText('ok')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(within(conversation).queryByText('ok')).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Message'), 'again');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await within(conversation).findByText('ok');
    expect(JSON.parse(String(fetchMock.mock.calls[1][1]?.body))).toEqual({ text: 'again' });
  });

  it('tells a viewer the console is not for their role', () => {
    mockFetch({});
    renderWithProviders(<TestConsole bot={bot} canChat={false} />);
    expect(screen.getByText(/Viewers cannot use the test console/)).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toBeDisabled();
  });

  describe('streamed replies', () => {
    const send = async (text: string) => {
      await userEvent.type(screen.getByLabelText('Message'), text);
      await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    };
    const start = { event: 'start', data: { session_id: 'ses_4' } };
    const token = (text: string) => ({ event: 'token', data: { text } });

    it('streams the reply, then shows its model, tokens, cost and latency', async () => {
      const first = gate();
      const more = gate();
      const fetchMock = mockFetch({
        'POST /api/bots/bot_1/chat': () =>
          eventStreamResponse([
            start,
            { until: first.promise },
            token('The capital '),
            token('is'),
            { until: more.promise },
            token(' Paris.'),
            {
              event: 'done',
              data: {
                session_id: 'ses_4',
                interrupted: false,
                reply: reply({
                  text: 'The capital is Paris.',
                  source: 'ai',
                  model: 'openai/gpt-4o-mini',
                  latency_ms: 640,
                  prompt_tokens: 42,
                  completion_tokens: 7,
                  cost_micros: 123,
                }),
              },
            },
          ]),
      });
      renderWithProviders(<TestConsole bot={bot} />);
      await send('capital of France?');
      expect(await screen.findByText('Helper is answering…')).toBeInTheDocument();
      first.open();
      expect(await screen.findByText('The capital is')).toBeInTheDocument();
      expect(screen.queryByTestId('reply-source')).not.toBeInTheDocument();
      more.open();
      await waitFor(() => expect(screen.getByTestId('reply-source')).toHaveTextContent('AI'));
      expect(screen.getByText('The capital is Paris.')).toBeInTheDocument();
      expect(screen.getByText('openai/gpt-4o-mini')).toBeInTheDocument();
      expect(screen.getByText('42 in · 7 out tokens')).toBeInTheDocument();
      expect(screen.getByText('$0.000123')).toBeInTheDocument();
      expect(screen.getByText('640 ms')).toBeInTheDocument();
      const [, init] = fetchMock.mock.calls[0];
      expect(new Headers(init?.headers).get('Accept')).toBe('text/event-stream');
    });

    it('shows the fallback and a note when the answer broke off', async () => {
      mockFetch({
        'POST /api/bots/bot_1/chat': () =>
          eventStreamResponse([
            start,
            token('Half a '),
            { wait: 5 },
            {
              event: 'done',
              data: {
                session_id: 'ses_4',
                interrupted: true,
                reply: reply({
                  text: 'Sorry, I cannot answer that.',
                  source: 'fallback',
                  model: 'openai/gpt-4o-mini',
                  error: 'The model stopped answering mid-way',
                }),
              },
            },
          ]),
      });
      renderWithProviders(<TestConsole bot={bot} />);
      await send('tell me a story');
      expect(await screen.findByText('The answer was interrupted.')).toBeInTheDocument();
      expect(screen.getByText('Sorry, I cannot answer that.')).toBeInTheDocument();
      expect(screen.getByText('The model stopped answering mid-way')).toBeInTheDocument();
      expect(screen.getByTestId('reply-source')).toHaveTextContent('Fallback');
      expect(screen.queryByText(/Half a/)).not.toBeInTheDocument();
    });

    it('offers Retry when the stream is cut, in the same session', async () => {
      let calls = 0;
      const fetchMock = mockFetch({
        'POST /api/bots/bot_1/chat': () =>
          ++calls === 1
            ? eventStreamResponse([start, token('Cut')])
            : eventStreamResponse([
                start,
                { event: 'done', data: { session_id: 'ses_4', reply: reply({ text: 'Again.' }) } },
              ]),
      });
      renderWithProviders(<TestConsole bot={bot} />);
      await send('hello');
      expect(
        await screen.findByText('The connection was lost before the answer was complete.'),
      ).toBeInTheDocument();
      expect(screen.getByText('hello')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(await screen.findByText('Again.')).toBeInTheDocument();
      expect(
        screen.queryByText('The connection was lost before the answer was complete.'),
      ).not.toBeInTheDocument();
      const bodies = fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)));
      expect(bodies).toEqual([{ text: 'hello' }, { text: 'hello', session_id: 'ses_4' }]);
    });

    it('drops a reply still streaming when Reset is pressed', async () => {
      const late = gate();
      mockFetch({
        'POST /api/bots/bot_1/chat': () =>
          eventStreamResponse([
            start,
            token('Old session'),
            { until: late.promise },
            { event: 'done', data: { session_id: 'ses_4', reply: reply({ text: 'Old session reply' }) } },
          ]),
      });
      renderWithProviders(<TestConsole bot={bot} />);
      await send('hi');
      await screen.findByText('Old session');
      await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
      late.open();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(screen.queryByText(/Old session/)).not.toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled(); // empty draft, not pending
    });
  });
});
