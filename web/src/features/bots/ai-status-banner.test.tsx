import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AI_NOT_CONFIGURED, AiStatusBanner } from '@/features/bots/ai-status-banner';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const status = (overrides: object) =>
  jsonResponse(200, {
    configured: true,
    provider: 'openrouter',
    base_url_host: 'openrouter.ai',
    last_error: null,
    ...overrides,
  });

describe('AiStatusBanner', () => {
  it('says replies come from templates and the fallback when no key is set', async () => {
    mockFetch({ 'GET /api/ai/status': () => status({ configured: false }) });
    renderWithProviders(<AiStatusBanner />);
    expect(await screen.findByText(AI_NOT_CONFIGURED)).toBeInTheDocument();
  });

  it('shows the provider’s last error in red', async () => {
    mockFetch({
      'GET /api/ai/status': () =>
        status({
          last_error: {
            status: 401,
            reason: 'OpenRouter rejected the API key (401)',
            at: new Date().toISOString(),
          },
        }),
    });
    renderWithProviders(<AiStatusBanner />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The last AI request failed (401): OpenRouter rejected the API key (401)',
    );
    expect(alert.className).toContain('text-red-800');
  });

  it('shows nothing while AI works', async () => {
    const fetchMock = mockFetch({ 'GET /api/ai/status': () => status({}) });
    const { container } = renderWithProviders(<AiStatusBanner />);
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(container).toBeEmptyDOMElement();
  });
});
