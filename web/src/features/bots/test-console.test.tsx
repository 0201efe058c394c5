import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TestConsole } from '@/features/bots/test-console';
import type { Bot, Reply } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

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
});
