import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import type { AiModelList, OrgAiSettings } from '@/features/ai/api';
import { OrganizationAiCard } from '@/features/ai/organization-ai-card';
import { formatDateTime } from '@/lib/utils';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

vi.mock('sonner', () => ({
  toast: Object.assign(vi.fn(), { success: vi.fn(), error: vi.fn() }),
}));

const SHARED: OrgAiSettings = {
  own_key: null,
  allowed_models: [],
  installation_key: 'available',
  using: 'installation',
  health: { state: 'ok', reason: '', since: null },
  can_manage: true,
};

const OWN: OrgAiSettings = {
  ...SHARED,
  own_key: { set_at: '2026-11-20T10:00:00Z', verified_at: '2026-11-25T08:30:00Z' },
  using: 'organization',
};

const MODELS: AiModelList = {
  models: [
    {
      id: 'openai/gpt-4o-mini',
      name: 'OpenAI: GPT-4o-mini',
      context_length: 128000,
      prompt_price: '0.00000015',
      completion_price: '0.0000006',
    },
    {
      id: 'anthropic/claude-3.5-haiku',
      name: 'Anthropic: Claude 3.5 Haiku',
      context_length: 200000,
      prompt_price: null,
      completion_price: null,
    },
  ],
  fetched_at: '2026-11-25T08:00:00Z',
  error: null,
};

const fieldErrors = (fields: Record<string, string>) =>
  jsonResponse(422, {
    error: { code: 'validation_failed', message: 'Some fields are invalid.', details: { fields } },
  });

function renderCard(settings: OrgAiSettings, handlers: Parameters<typeof mockFetch>[0] = {}) {
  const fetchMock = mockFetch({
    'GET /api/orgs/org_1/ai': () => jsonResponse(200, settings),
    'GET /api/ai/models': () => jsonResponse(200, MODELS),
    ...handlers,
  });
  renderWithProviders(<OrganizationAiCard organizationId="org_1" />);
  return fetchMock;
}

const bodyOf = (fetchMock: ReturnType<typeof mockFetch>, method: string) =>
  JSON.parse(String(fetchMock.mock.calls.find(([, init]) => init?.method === method)?.[1]?.body));

describe('OrganizationAiCard', () => {
  it('says when replies use the shared installation key', async () => {
    renderCard(SHARED);
    expect(await screen.findByText('Shared key')).toBeInTheDocument();
    expect(
      screen.getByText('AI replies use the shared OpenRouter key of this Switchboard installation.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Working')).toBeInTheDocument();
    expect(screen.getByText('Not set: the shared key answers for now.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove key/ })).not.toBeInTheDocument();
  });

  it('shows the own key with when it was set and verified', async () => {
    renderCard(OWN);
    expect(await screen.findByText('Own key')).toBeInTheDocument();
    expect(
      screen.getByText(
        `Set ${formatDateTime('2026-11-20T10:00:00Z')} · verified ${formatDateTime('2026-11-25T08:30:00Z')}.`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Replace with a new key')).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Remove key' })).toBeInTheDocument();
  });

  it('says that replies come from templates when there is no key', async () => {
    renderCard({
      ...SHARED,
      installation_key: 'none',
      using: 'none',
      health: { state: 'off', reason: 'No OpenRouter key is configured.', since: null },
    });
    expect(await screen.findByText('No key')).toBeInTheDocument();
    expect(
      screen.getByText('No OpenRouter key: replies come from templates and the fallback message only.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Off')).toBeInTheDocument();
    expect(screen.getByText('No OpenRouter key is configured.')).toBeInTheDocument();
  });

  it('says the organization needs its own key when the shared one is forbidden', async () => {
    renderCard({ ...SHARED, installation_key: 'forbidden', using: 'none' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'AI replies need the organization’s own OpenRouter key',
    );
  });

  it('shows a degraded key with its reason and since when', async () => {
    renderCard({
      ...OWN,
      health: {
        state: 'down',
        reason: 'OpenRouter rejected the API key (401).',
        since: '2026-11-25T09:00:00Z',
      },
    });
    expect(await screen.findByText('Down')).toBeInTheDocument();
    expect(screen.getByText('OpenRouter rejected the API key (401).')).toBeInTheDocument();
    expect(screen.getByText(`since ${formatDateTime('2026-11-25T09:00:00Z')}`)).toBeInTheDocument();
  });

  it('checks that a key was typed, sends it with PUT and shows the server’s refusal under the field', async () => {
    const fetchMock = renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': () => fieldErrors({ api_key: 'OpenRouter rejected this key (401).' }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Save key' }));
    expect(await screen.findByText('Enter the OpenRouter API key.')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'PUT')).toBe(false);

    const input = screen.getByLabelText('OpenRouter API key');
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'sk-or-bad-123');
    await userEvent.click(screen.getByRole('button', { name: 'Save key' }));
    expect(await screen.findByText('OpenRouter rejected this key (401).')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(bodyOf(fetchMock, 'PUT')).toEqual({ api_key: 'sk-or-bad-123' });
  });

  it('says it is checking the key, then shows the own key and clears the field', async () => {
    let answer: (response: Response) => void = () => {};
    renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': () => new Promise<Response>((resolve) => (answer = resolve)) as never,
    });
    await userEvent.type(await screen.findByLabelText('OpenRouter API key'), 'sk-or-good-1');
    await userEvent.click(screen.getByRole('button', { name: 'Save key' }));
    expect(await screen.findByRole('button', { name: 'Checking the key with OpenRouter…' })).toBeDisabled();

    answer(jsonResponse(200, OWN));
    expect(await screen.findByText('Own key')).toBeInTheDocument();
    expect(screen.getByLabelText('Replace with a new key')).toHaveValue('');
    expect(toast.success).toHaveBeenCalledWith('OpenRouter key saved', expect.anything());
  });

  it('shows the server’s message when OpenRouter cannot be reached', async () => {
    renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': () =>
        jsonResponse(503, {
          error: {
            code: 'unavailable',
            message: 'OpenRouter could not be reached to check the key; nothing was saved.',
          },
        }),
    });
    await userEvent.type(await screen.findByLabelText('OpenRouter API key'), 'sk-or-good-1');
    await userEvent.click(screen.getByRole('button', { name: 'Save key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'OpenRouter could not be reached to check the key; nothing was saved.',
    );
  });

  it('asks before removing the key', async () => {
    const fetchMock = renderCard(OWN, {
      'DELETE /api/orgs/org_1/ai/key': () => jsonResponse(200, SHARED),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Remove key' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('AI replies will use the shared key of this installation instead.');
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove key' }));
    expect(await screen.findByText('Shared key')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(true);
  });

  it('adds, checks and removes allowed models, then saves them', async () => {
    const fetchMock = renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': (init) => jsonResponse(200, { ...SHARED, ...JSON.parse(String(init.body)) }),
    });
    expect(await screen.findByText('Empty: bots may use any model.')).toBeInTheDocument();
    expect(screen.getByText('Any model.')).toBeInTheDocument();
    const input = screen.getByLabelText('Add a model');
    const options = () =>
      [...document.getElementById(input.getAttribute('list')!)!.querySelectorAll('option')].map(
        (option) => option.value,
      );
    await waitFor(() => expect(options()).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku']));

    await userEvent.type(input, 'not a model{Enter}');
    expect(screen.getByText('Use an OpenRouter model id such as openai/gpt-4o-mini.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');

    await userEvent.clear(input);
    await userEvent.type(input, 'openai/gpt-4o-mini{Enter}');
    await userEvent.type(input, 'meta-llama/llama-3.1-8b-instruct:free');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    await userEvent.type(input, 'openai/gpt-4o-mini{Enter}');
    expect(screen.getByText('openai/gpt-4o-mini is already in the list.')).toBeInTheDocument();
    expect(options()).toEqual(['anthropic/claude-3.5-haiku']);

    const list = screen.getByRole('list', { name: 'Allowed models' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['openai/gpt-4o-mini', 'meta-llama/llama-3.1-8b-instruct:free']);
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove meta-llama/llama-3.1-8b-instruct:free' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save models' }));

    await waitFor(() =>
      expect(toast.success).toHaveBeenCalledWith('Allowed models saved', expect.anything()),
    );
    expect(bodyOf(fetchMock, 'PUT')).toEqual({ allowed_models: ['openai/gpt-4o-mini'] });
    expect(screen.getByRole('button', { name: 'Save models' })).toBeDisabled();
  });

  it('shows the server’s refusal of a model under the editor', async () => {
    renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': () =>
        fieldErrors({
          allowed_models: '"acme/nothing" is not an OpenRouter model id such as openai/gpt-4o-mini.',
        }),
    });
    await userEvent.type(await screen.findByLabelText('Add a model'), 'acme/nothing{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Save models' }));
    expect(
      await screen.findByText('"acme/nothing" is not an OpenRouter model id such as openai/gpt-4o-mini.'),
    ).toBeInTheDocument();
  });

  it('shows a failed save of the models beside Save models and as a toast', async () => {
    renderCard(SHARED, {
      'PUT /api/orgs/org_1/ai': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    await userEvent.type(await screen.findByLabelText('Add a model'), 'openai/gpt-4o-mini{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Save models' }));
    const buttons = screen.getByRole('button', { name: 'Save models' }).parentElement!;
    expect(await within(buttons).findByRole('alert')).toHaveTextContent(
      'Not saved: The database is unavailable.',
    );
    expect(toast.error).toHaveBeenCalledWith('Allowed models not saved', {
      description: 'The database is unavailable.',
    });
  });

  it('shows members the settings without forms', async () => {
    renderCard({ ...OWN, allowed_models: ['openai/gpt-4o-mini'], can_manage: false });
    expect(await screen.findByText('Only owners and admins can change the AI settings.')).toBeInTheDocument();
    expect(screen.getByText('Own key')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Allowed models' })).toHaveTextContent('openai/gpt-4o-mini');
    expect(document.querySelector('input')).toBeNull();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers to try again when the settings cannot be loaded', async () => {
    let fail = true;
    mockFetch({
      'GET /api/orgs/org_1/ai': () =>
        fail
          ? jsonResponse(403, { error: { code: 'forbidden', message: 'You are not allowed to do this.' } })
          : jsonResponse(200, SHARED),
      'GET /api/ai/models': () => jsonResponse(200, MODELS),
    });
    renderWithProviders(<OrganizationAiCard organizationId="org_1" />);
    expect(await screen.findByText('Could not load the AI settings')).toBeInTheDocument();
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Shared key')).toBeInTheDocument();
  });
});
