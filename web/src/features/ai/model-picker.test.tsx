import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AiModelList, OrgAiSettings } from '@/features/ai/api';
import { ModelPicker } from '@/features/ai/model-picker';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

const MODELS: AiModelList = {
  models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku', 'google/gemini-flash-1.5'].map((id) => ({
    id,
    name: `Name of ${id}`,
    context_length: null,
    prompt_price: null,
    completion_price: null,
  })),
  fetched_at: '2026-11-25T08:00:00Z',
  error: null,
};

const settings = (allowed_models: string[]): OrgAiSettings => ({
  own_key: null,
  allowed_models,
  installation_key: 'available',
  using: 'installation',
  health: { state: 'ok', reason: '', since: null },
  can_manage: false,
});

function offered() {
  const input = screen.getByLabelText('Model');
  const list = document.getElementById(input.getAttribute('list')!)!;
  return [...list.querySelectorAll('option')].map((option) => `${option.value} | ${option.label}`);
}

function renderPicker(allowed: string[], models: AiModelList = MODELS) {
  mockFetch({
    'GET /api/auth/session': () => jsonResponse(200, session),
    'GET /api/orgs/org_1/ai': () => jsonResponse(200, settings(allowed)),
    'GET /api/ai/models': () => jsonResponse(200, models),
  });
  renderWithProviders(<ModelPicker id="model" defaultValue="openai/gpt-4o-mini" />);
}

describe('ModelPicker', () => {
  it('offers every model of OpenRouter’s list, named, when the organization allows any', async () => {
    renderPicker([]);
    await waitFor(() => expect(offered()).toHaveLength(3));
    expect(offered()[0]).toBe('openai/gpt-4o-mini | Name of openai/gpt-4o-mini');
    expect(
      screen.getByText(
        'Suggestions come from OpenRouter’s model list; any OpenRouter model id may be typed.',
      ),
    ).toBeInTheDocument();
  });

  it('offers only the allowed models when the organization restricts them', async () => {
    renderPicker(['anthropic/claude-3.5-haiku', 'mistralai/mistral-small']);
    await waitFor(() =>
      expect(offered()).toEqual([
        'anthropic/claude-3.5-haiku | Name of anthropic/claude-3.5-haiku',
        'mistralai/mistral-small | mistralai/mistral-small',
      ]),
    );
    expect(screen.getByLabelText('Model')).toHaveAccessibleDescription(
      'This organization allows only these models: anthropic/claude-3.5-haiku, mistralai/mistral-small.',
    );
  });

  it('says when the list could not be loaded and lets any id be typed', async () => {
    renderPicker([], { models: [], fetched_at: null, error: 'OpenRouter answered 502.' });
    expect(
      await screen.findByText(
        'OpenRouter’s model list could not be loaded: OpenRouter answered 502. Any OpenRouter model id may be typed.',
      ),
    ).toBeInTheDocument();
    expect(offered()).toEqual([]);
    expect(screen.getByLabelText('Model')).not.toBeDisabled();
  });
});
