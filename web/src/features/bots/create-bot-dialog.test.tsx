import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { CreateBotDialog } from '@/features/bots/create-bot-dialog';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const restricted = {
  own_key: null,
  allowed_models: ['anthropic/claude-3.5-haiku', 'mistralai/mistral-small'],
  installation_key: 'available',
  using: 'installation',
  health: { state: 'ok', reason: '', since: null },
  can_manage: true,
};

describe('CreateBotDialog', () => {
  it('starts from an allowed model and shows the server’s refusal of another under the field', async () => {
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/orgs/org_1/ai': () => jsonResponse(200, restricted),
      'GET /api/ai/models': () => jsonResponse(200, { models: [], fetched_at: null, error: null }),
      'POST /api/bots': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: {
              fields: {
                model:
                  'This organization’s bots may use only: anthropic/claude-3.5-haiku, mistralai/mistral-small.',
              },
            },
          },
        }),
    });
    renderWithProviders(<CreateBotDialog open onOpenChange={() => {}} />);
    const model = screen.getByLabelText('Model');
    await waitFor(() => expect(model).toHaveValue('anthropic/claude-3.5-haiku'));

    await userEvent.type(screen.getByLabelText('Name'), 'Helper');
    await userEvent.clear(model);
    await userEvent.type(model, 'openai/gpt-4o');
    await userEvent.click(screen.getByRole('button', { name: 'Create bot' }));
    expect(
      await screen.findByText(
        'This organization’s bots may use only: anthropic/claude-3.5-haiku, mistralai/mistral-small.',
      ),
    ).toBeInTheDocument();
    expect(model).toHaveAttribute('aria-invalid', 'true');
    const post = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(post?.[1]?.body))).toMatchObject({ name: 'Helper', model: 'openai/gpt-4o' });
  });

  it('tells a failed create in a toast as well as in the dialog', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/orgs/org_1/ai': () => jsonResponse(200, restricted),
      'GET /api/ai/models': () => jsonResponse(200, { models: [], fetched_at: null, error: null }),
      'POST /api/bots': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    renderWithProviders(<CreateBotDialog open onOpenChange={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name'), 'Helper');
    await userEvent.click(screen.getByRole('button', { name: 'Create bot' }));
    await waitFor(() =>
      expect(toast.error).toHaveBeenCalledWith('Bot not created', { description: 'The database is unavailable.' }),
    );
  });
});
