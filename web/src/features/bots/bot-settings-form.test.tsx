import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { BotSettingsForm } from '@/features/bots/bot-settings-form';
import type { Bot } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const bot: Bot = {
  id: 'bot_1',
  name: 'Helper',
  description: '',
  avatar_color: '#4f46e5',
  avatar_url: null,
  system_prompt: 'Be nice.',
  model: 'openai/gpt-4o-mini',
  temperature: 0.7,
  max_tokens: 512,
  greeting: 'Hi!',
  fallback_message: 'Sorry.',
  language: 'en',
  history_turns: 10,
  ask_satisfaction: false,
  resolution_phrases: ['thanks, that solved it'],
  template_ids: [],
  status: 'active',
  version: 1,
  created_at: '2026-11-25T19:40:00Z',
  updated_at: '2026-11-25T19:40:00Z',
};

const templates = () => jsonResponse(200, { items: [] });

/** The sticky bar around the Save button. */
const saveBar = () => screen.getByRole('button', { name: 'Save changes' }).parentElement!;

/** The bot's page with a link away, after the bots list in the history (so "back" leaves too). */
function renderBotPage() {
  return renderWithProviders(
    <Routes>
      <Route
        path="/bots/bot_1"
        element={
          <>
            <Link to="/templates">Templates</Link>
            <BotSettingsForm bot={bot} canManage />
          </>
        }
      />
      <Route path="/bots" element={<p>All bots</p>} />
      <Route path="/templates" element={<p>All templates</p>} />
    </Routes>,
    { entries: ['/bots', '/bots/bot_1'] },
  );
}

async function editGreeting(text = 'Welcome!') {
  await userEvent.clear(screen.getByLabelText('Greeting'));
  await userEvent.type(screen.getByLabelText('Greeting'), text);
}

/** The question asked before unsaved edits are left. */
const question = () => screen.findByRole('dialog', { name: 'Discard unsaved changes?' });

const unloadPrevented = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('BotSettingsForm', () => {
  it('saves the changes and shows the new version', async () => {
    const fetchMock = mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': (init) =>
        jsonResponse(200, { ...bot, ...JSON.parse(String(init.body)), version: 2 }),
    });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    expect(screen.getByText('Saved · version 1')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Greeting'));
    await userEvent.type(screen.getByLabelText('Greeting'), 'Welcome!');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved · version 2')).toBeInTheDocument();
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body))).toMatchObject({ greeting: 'Welcome!', avatar_url: null });
  });

  it('edits the over-quota notice, and sends an emptied one as null (the fallback answers)', async () => {
    const fetchMock = mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': (init) =>
        jsonResponse(200, { ...bot, ...JSON.parse(String(init.body)), version: 2 }),
    });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    const notice = screen.getByLabelText('Over-quota notice');
    expect(notice).toHaveValue('');
    await userEvent.type(notice, 'Back next month.');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved · version 2')).toBeInTheDocument();
    const patches = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patches()[0]?.[1]?.body))).toMatchObject({
      over_quota_message: 'Back next month.',
    });

    await userEvent.clear(screen.getByLabelText('Over-quota notice'));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(patches()).toHaveLength(2));
    expect(JSON.parse(String(patches()[1]?.[1]?.body))).toMatchObject({ over_quota_message: null });
  });

  it('shows the server’s error under the over-quota notice', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { over_quota_message: 'Use at most 500 characters.' } },
          },
        }),
    });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    await userEvent.type(screen.getByLabelText('Over-quota notice'), 'Closed.');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Use at most 500 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Over-quota notice')).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts the server’s field errors under their fields', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { model: 'Use an OpenRouter model id such as openai/gpt-4o-mini.' } },
          },
        }),
    });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    await userEvent.clear(screen.getByLabelText('Model'));
    await userEvent.type(screen.getByLabelText('Model'), 'acme/unknown-model');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(
      await screen.findByText('Use an OpenRouter model id such as openai/gpt-4o-mini.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Model')).toHaveAttribute('aria-invalid', 'true');
    // Beside Save and in a toast: some fields need attention (the message itself is under the field).
    expect(within(saveBar()).getByRole('alert')).toHaveTextContent('Not saved: some fields need attention.');
    expect(toast.error).toHaveBeenCalledWith('Bot not saved', {
      description: 'Some fields need attention.',
    });
  });

  it('shows a failed save beside the Save button and as a toast, without claiming success', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    await editGreeting();
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    const alert = await within(saveBar()).findByRole('alert');
    expect(alert).toHaveTextContent('Not saved: The database is unavailable.');
    expect(toast.error).toHaveBeenCalledWith('Bot not saved', {
      description: 'The database is unavailable.',
    });
    expect(toast.success).not.toHaveBeenCalled();
    expect(screen.queryByText(/Saved · version/)).not.toBeInTheDocument();
    // The edit is still there to try again.
    expect(screen.getByLabelText('Greeting')).toHaveValue('Welcome!');
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  });

  it('asks before a link leaves unsaved edits: Stay keeps them, Discard leaves', async () => {
    mockFetch({ 'GET /api/templates': templates });
    renderBotPage();
    await editGreeting();
    expect(unloadPrevented()).toBe(true);

    await userEvent.click(screen.getByRole('link', { name: 'Templates' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(screen.queryByText('Discard unsaved changes?')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Greeting')).toHaveValue('Welcome!');
    expect(screen.queryByText('All templates')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('link', { name: 'Templates' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('All templates')).toBeInTheDocument();
    expect(screen.queryByText('Discard unsaved changes?')).not.toBeInTheDocument();
    expect(unloadPrevented()).toBe(false);
  });

  it('asks before the back button leaves unsaved edits', async () => {
    mockFetch({ 'GET /api/templates': templates });
    const { router } = renderBotPage();
    await editGreeting();

    await act(() => router.navigate(-1));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(router.state.location.pathname).toBe('/bots/bot_1');
    expect(screen.getByLabelText('Greeting')).toHaveValue('Welcome!');

    await act(() => router.navigate(-1));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('All bots')).toBeInTheDocument();
  });

  it('lets the page go without asking when nothing is unsaved, or once saved', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': (init) =>
        jsonResponse(200, { ...bot, ...JSON.parse(String(init.body)), version: 2 }),
    });
    renderBotPage();
    expect(unloadPrevented()).toBe(false);
    await editGreeting();
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved · version 2')).toBeInTheDocument();
    expect(unloadPrevented()).toBe(false);

    await userEvent.click(screen.getByRole('link', { name: 'Templates' }));
    expect(await screen.findByText('All templates')).toBeInTheDocument();
    expect(screen.queryByText('Discard unsaved changes?')).not.toBeInTheDocument();
  });

  it('forgets the edits after Discard, without asking', async () => {
    mockFetch({ 'GET /api/templates': templates });
    renderBotPage();
    await editGreeting();
    await userEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(screen.getByLabelText('Greeting')).toHaveValue('Hi!');
    await userEvent.click(screen.getByRole('link', { name: 'Templates' }));
    expect(await screen.findByText('All templates')).toBeInTheDocument();
  });

  it('checks ranges before sending', async () => {
    const fetchMock = mockFetch({ 'GET /api/templates': templates });
    renderWithProviders(<BotSettingsForm bot={bot} canManage />);
    await userEvent.clear(screen.getByLabelText('Max tokens'));
    await userEvent.type(screen.getByLabelText('Max tokens'), '5000');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Enter a token limit between 1 and 4096.')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'PATCH')).toBe(false);
  });

  it('edits the resolution phrases: add, change and remove one by one, sent trimmed', async () => {
    const fetchMock = mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': (init) =>
        jsonResponse(200, { ...bot, ...JSON.parse(String(init.body)), version: 2 }),
    });
    renderWithProviders(
      <BotSettingsForm bot={{ ...bot, resolution_phrases: ['that helped', 'problem solved'] }} canManage />,
    );
    const list = screen.getByRole('list', { name: 'Resolution phrases' });
    expect(
      within(list)
        .getAllByRole('textbox')
        .map((input) => (input as HTMLInputElement).value),
    ).toEqual(['that helped', 'problem solved']);
    expect(screen.getByText(/counts as resolved/)).toBeInTheDocument();
    expect(screen.getByText('2 of 20')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Remove “that helped”' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add a phrase' }));
    await userEvent.type(screen.getByLabelText('Resolution phrase 2'), '  thanks, that solved it ');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved · version 2')).toBeInTheDocument();
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body)).resolution_phrases).toEqual([
      'problem solved',
      'thanks, that solved it',
    ]);
  });

  it('checks the phrases as the server does before sending: none empty, at most 100 characters', async () => {
    const fetchMock = mockFetch({ 'GET /api/templates': templates });
    renderWithProviders(<BotSettingsForm bot={{ ...bot, resolution_phrases: ['all good now'] }} canManage />);
    await userEvent.click(screen.getByRole('button', { name: 'Add a phrase' }));
    await userEvent.click(screen.getByRole('button', { name: 'Add a phrase' }));
    await userEvent.click(screen.getByLabelText('Resolution phrase 3'));
    await userEvent.paste('x'.repeat(101));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Write the phrase, or remove it.')).toBeInTheDocument();
    expect(screen.getByText('Use at most 100 characters a phrase.')).toBeInTheDocument();
    expect(screen.getByLabelText('Resolution phrase 2')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Resolution phrase 1')).not.toHaveAttribute('aria-invalid');
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'PATCH')).toBe(false);
  });

  it('offers no more than 20 phrases', () => {
    mockFetch({ 'GET /api/templates': templates });
    const phrases = Array.from({ length: 20 }, (_, index) => `phrase ${index + 1}`);
    renderWithProviders(<BotSettingsForm bot={{ ...bot, resolution_phrases: phrases }} canManage />);
    expect(screen.getByText('20 of 20')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a phrase' })).toBeDisabled();
  });

  it('shows the server’s error about the phrases under them', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'PATCH /api/bots/bot_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { resolution_phrases: 'Use printable text.' } },
          },
        }),
    });
    renderWithProviders(<BotSettingsForm bot={{ ...bot, resolution_phrases: [] }} canManage />);
    expect(screen.getByText(/only templates and people resolve conversations/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add a phrase' }));
    await userEvent.type(screen.getByLabelText('Resolution phrase 1'), 'sorted');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const error = await screen.findByText('Use printable text.');
    expect(error).toHaveAttribute('id', 'bot-resolution-phrases-error');
    expect(screen.getByLabelText('Resolution phrase 1')).toHaveAttribute('aria-invalid', 'true');
  });

  it('lets a viewer look but not change', () => {
    mockFetch({ 'GET /api/templates': templates });
    renderWithProviders(<BotSettingsForm bot={bot} canManage={false} />);
    expect(screen.getByLabelText('Greeting')).toBeDisabled();
    expect(screen.getByLabelText('Resolution phrase 1')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Add a phrase' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument();
  });

  it('flags a model the organization no longer allows, until another is chosen', async () => {
    mockFetch({
      'GET /api/templates': templates,
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/orgs/org_1/ai': () =>
        jsonResponse(200, {
          own_key: null,
          allowed_models: ['anthropic/claude-3.5-haiku'],
          installation_key: 'available',
          using: 'installation',
          health: { state: 'ok', reason: '', since: null },
          can_manage: true,
        }),
      'GET /api/ai/models': () => jsonResponse(200, { models: [], fetched_at: null, error: null }),
    });
    renderWithProviders(<BotSettingsForm bot={{ ...bot, model_allowed: false }} canManage />);
    const warning =
      'openai/gpt-4o-mini is no longer allowed for this organization. The bot keeps answering with it until you choose an allowed model and save.';
    expect(screen.getByText(warning)).toBeInTheDocument();
    expect(screen.getByLabelText('Model')).toHaveAccessibleDescription(expect.stringContaining(warning));

    await userEvent.clear(screen.getByLabelText('Model'));
    await userEvent.type(screen.getByLabelText('Model'), 'anthropic/claude-3.5-haiku');
    expect(screen.queryByText(warning)).not.toBeInTheDocument();
  });

  it('does not flag a model that is allowed', () => {
    mockFetch({ 'GET /api/templates': templates });
    renderWithProviders(<BotSettingsForm bot={{ ...bot, model_allowed: true }} canManage />);
    expect(screen.queryByText(/no longer allowed/)).not.toBeInTheDocument();
  });
});
