import { act, screen, within } from '@testing-library/react';
import { onlineManager } from '@tanstack/react-query';
import userEvent from '@testing-library/user-event';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { TemplateDialog } from '@/features/templates/template-dialog';
import type { Template } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

vi.mock('sonner', () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const template: Template = {
  id: 'tpl_1',
  name: 'Opening hours',
  category: 'Store info',
  trigger_phrases: ['opening hours'],
  body: 'We open at 9.',
  variables: [],
  platform_variants: {},
  manual: false,
  created_at: '2026-11-25T19:40:00Z',
  updated_at: '2026-11-25T19:40:00Z',
};

const preview = () => jsonResponse(200, { text: 'rendered' });
const question = () => screen.findByRole('dialog', { name: 'Discard unsaved changes?' });

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
      manual: false,
      action: null,
    });
  });

  it('edits the action a template’s answer takes: resolve, record a conversion, or none', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': preview,
      'PATCH /api/templates/tpl_1': (init) =>
        jsonResponse(200, { ...template, ...JSON.parse(String(init.body)) }),
    });
    renderWithProviders(
      <TemplateDialog open onOpenChange={() => {}} template={{ ...template, action: 'resolve' }} />,
    );
    const action = screen.getByLabelText('Action');
    expect(action).toHaveValue('resolve');
    expect(
      within(action)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['None', 'Resolve the conversation', 'Record a conversion']);
    await userEvent.selectOptions(action, 'convert');
    await userEvent.click(screen.getByRole('button', { name: 'Save template' }));
    const patches = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'PATCH');
    await vi.waitFor(() => expect(patches()).toHaveLength(1));
    expect(JSON.parse(String(patches()[0]?.[1]?.body))).toMatchObject({ action: 'convert' });
  });

  it('sends no action as null, and shows a template from an older server as None', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': preview,
      'PATCH /api/templates/tpl_1': (init) =>
        jsonResponse(200, { ...template, ...JSON.parse(String(init.body)) }),
    });
    const { unmount } = renderWithProviders(
      <TemplateDialog open onOpenChange={() => {}} template={template} />,
    );
    expect(screen.getByLabelText('Action')).toHaveValue('');
    unmount();
    renderWithProviders(
      <TemplateDialog open onOpenChange={() => {}} template={{ ...template, action: 'convert' }} />,
    );
    await userEvent.selectOptions(screen.getByLabelText('Action'), 'None');
    await userEvent.click(screen.getByRole('button', { name: 'Save template' }));
    const patches = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'PATCH');
    await vi.waitFor(() => expect(patches()).toHaveLength(1));
    expect(JSON.parse(String(patches()[0]?.[1]?.body)).action).toBeNull();
  });

  it('puts the server’s error about the action under the Action field', async () => {
    mockFetch({
      'POST /api/templates/preview': preview,
      'PATCH /api/templates/tpl_1': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { action: 'Use resolve, convert or null.' } },
          },
        }),
    });
    renderWithProviders(<TemplateDialog open onOpenChange={() => {}} template={template} />);
    await userEvent.selectOptions(screen.getByLabelText('Action'), 'resolve');
    await userEvent.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('Use resolve, convert or null.')).toBeInTheDocument();
    expect(screen.getByLabelText('Action')).toHaveAttribute('aria-invalid', 'true');
  });

  it('refuses a template without phrases unless it is marked manual / AI only', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': () => jsonResponse(200, { text: 'rendered' }),
      'POST /api/templates': (init) =>
        jsonResponse(201, { id: 'tpl_2', created_at: '', updated_at: '', ...JSON.parse(String(init.body)) }),
    });
    renderWithProviders(<TemplateDialog open onOpenChange={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name', { exact: true }), 'Refunds');
    await userEvent.type(screen.getByLabelText('Answer'), 'Refunds take 5 days.');
    await userEvent.click(screen.getByRole('button', { name: 'Create template' }));
    expect(
      await screen.findByText('Add a trigger phrase, or mark the template as manual (used only by the AI).'),
    ).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([path]) => String(path) === '/api/templates')).toBe(false);

    await userEvent.click(screen.getByLabelText('Manual / AI only'));
    await vi.waitFor(() =>
      expect(
        screen.queryByText('Add a trigger phrase, or mark the template as manual (used only by the AI).'),
      ).not.toBeInTheDocument(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create template' }));
    await vi.waitFor(() =>
      expect(fetchMock.mock.calls.some(([path]) => String(path) === '/api/templates')).toBe(true),
    );
    const create = fetchMock.mock.calls.find(([path]) => String(path) === '/api/templates');
    expect(JSON.parse(String(create?.[1]?.body))).toMatchObject({ trigger_phrases: [], manual: true });
  });

  it('says a save made offline waits for the network, and saves on reconnecting', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': () => jsonResponse(200, { text: 'rendered' }),
      'POST /api/templates': (init) =>
        jsonResponse(201, { id: 'tpl_3', created_at: '', updated_at: '', ...JSON.parse(String(init.body)) }),
    });
    const creates = () => fetchMock.mock.calls.filter(([path]) => String(path) === '/api/templates').length;
    renderWithProviders(<TemplateDialog open onOpenChange={() => {}} />);
    await userEvent.type(screen.getByLabelText('Name', { exact: true }), 'Hours');
    await userEvent.type(screen.getByLabelText('Trigger phrases'), 'hours{Enter}');
    await userEvent.type(screen.getByLabelText('Answer'), 'We open at 9.');
    act(() => onlineManager.setOnline(false));
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Create template' }));
      expect(
        await screen.findByText('You are offline; we will save when you reconnect.'),
      ).toBeInTheDocument();
      expect(creates()).toBe(0);
    } finally {
      act(() => onlineManager.setOnline(true));
    }
    await vi.waitFor(() => expect(creates()).toBe(1));
    await vi.waitFor(() =>
      expect(screen.queryByText('You are offline; we will save when you reconnect.')).not.toBeInTheDocument(),
    );
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
    await userEvent.click(screen.getByLabelText('Manual / AI only'));
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

  it('shows a failed save beside the Save button and as a toast, and stays open', async () => {
    const onOpenChange = vi.fn();
    mockFetch({
      'POST /api/templates/preview': preview,
      'PATCH /api/templates/tpl_1': () =>
        jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.' } }),
    });
    renderWithProviders(<TemplateDialog open onOpenChange={onOpenChange} template={template} />);
    await userEvent.type(screen.getByLabelText('Answer'), ' Closed on Sundays.');
    await userEvent.click(screen.getByRole('button', { name: 'Save template' }));

    const footer = screen.getByRole('button', { name: 'Save template' }).parentElement!;
    expect(await within(footer).findByRole('alert')).toHaveTextContent(
      'Not saved: The database is unavailable.',
    );
    expect(toast.error).toHaveBeenCalledWith('Template not saved', {
      description: 'The database is unavailable.',
    });
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('asks before closing with unsaved edits: Stay keeps them, Discard closes', async () => {
    const onOpenChange = vi.fn();
    mockFetch({ 'POST /api/templates/preview': preview });
    renderWithProviders(<TemplateDialog open onOpenChange={onOpenChange} template={template} />);
    await userEvent.type(screen.getByLabelText('Answer'), ' Closed on Sundays.');

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Stay' }));
    expect(onOpenChange).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Answer')).toHaveValue('We open at 9. Closed on Sundays.');

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('asks on Escape too, and Escape on the question stays', async () => {
    const onOpenChange = vi.fn();
    mockFetch({ 'POST /api/templates/preview': preview });
    renderWithProviders(<TemplateDialog open onOpenChange={onOpenChange} template={template} />);
    await userEvent.type(screen.getByLabelText('Answer'), ' Closed on Sundays.');
    await userEvent.keyboard('{Escape}');
    // A browser moves the focus into the question; jsdom does not.
    within(await question())
      .getByRole('button', { name: 'Stay' })
      .focus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Discard unsaved changes?' })).not.toBeInTheDocument();
    expect(onOpenChange).not.toHaveBeenCalled();
    screen.getByLabelText('Answer').focus();
    await userEvent.keyboard('{Escape}');
    await userEvent.click(within(await question()).getByRole('button', { name: 'Discard' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('closes at once when nothing was changed', async () => {
    const onOpenChange = vi.fn();
    mockFetch({ 'POST /api/templates/preview': preview });
    renderWithProviders(<TemplateDialog open onOpenChange={onOpenChange} template={template} />);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
    expect(screen.queryByText('Discard unsaved changes?')).not.toBeInTheDocument();
  });
});
