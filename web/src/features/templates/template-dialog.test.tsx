import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TemplateDialog } from '@/features/templates/template-dialog';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

describe('TemplateDialog', () => {
  it('turns typed phrases into chips and sends only the platform wording that was written', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': () => jsonResponse(200, { text: 'rendered' }),
      'POST /api/templates': (init) =>
        jsonResponse(201, { id: 'tpl_1', created_at: '', updated_at: '', ...JSON.parse(String(init.body)) }),
    });
    renderWithProviders(<TemplateDialog open onOpenChange={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name', { exact: true }), 'Opening hours');
    await userEvent.type(screen.getByLabelText('Trigger phrases'), 'opening hours{Enter}when are you open,');
    expect(screen.getByRole('button', { name: 'Remove “opening hours”' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove “when are you open”' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Answer'), 'We open at 9.');
    await userEvent.click(screen.getByRole('button', { name: 'Show wording per platform' }));
    await userEvent.type(screen.getByLabelText('Slack'), '*We open at 9.*');
    await userEvent.click(screen.getByRole('button', { name: 'Create template' }));

    await vi.waitFor(() =>
      expect(fetchMock.mock.calls.some(([path]) => String(path) === '/api/templates')).toBe(true),
    );
    const create = fetchMock.mock.calls.find(([path]) => String(path) === '/api/templates');
    expect(JSON.parse(String(create?.[1]?.body))).toEqual({
      name: 'Opening hours',
      category: '',
      trigger_phrases: ['opening hours', 'when are you open'],
      body: 'We open at 9.',
      variables: [],
      platform_variants: { slack: '*We open at 9.*' },
    });
  });

  it('refuses a built-in variable name and puts the server’s body error under the answer', async () => {
    mockFetch({
      'POST /api/templates/preview': () => jsonResponse(200, { text: 'rendered' }),
      'POST /api/templates': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { body: 'Close every {{ with }}.' } },
          },
        }),
    });
    renderWithProviders(<TemplateDialog open onOpenChange={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name', { exact: true }), 'Broken');
    await userEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    await userEvent.type(screen.getByLabelText('Variable 1 name'), 'user_name');
    await userEvent.type(screen.getByLabelText('Answer'), 'Hi');
    await userEvent.click(screen.getByRole('button', { name: 'Create template' }));
    expect(await screen.findByText('This one is built in; no need to declare it.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Remove variable 1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create template' }));
    expect(await screen.findByText('Close every {{ with }}.')).toBeInTheDocument();
    expect(screen.getByLabelText('Answer')).toHaveAttribute('aria-invalid', 'true');
  });
});
