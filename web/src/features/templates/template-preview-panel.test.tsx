import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TemplatePreviewPanel } from '@/features/templates/template-preview-panel';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const noVariants = {};

describe('TemplatePreviewPanel', () => {
  it('asks for a body before rendering anything', () => {
    const fetchMock = mockFetch({});
    renderWithProviders(
      <TemplatePreviewPanel body="  " variables={[]} platformVariants={noVariants} delayMs={0} />,
    );
    expect(screen.getByText('Write the answer to see it here.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('shows the server’s rendering with the sample values and variable defaults', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': () => jsonResponse(200, { text: 'Hi Alex, we open at 9am.' }),
    });
    renderWithProviders(
      <TemplatePreviewPanel
        body="Hi {{user_name}}, we open at {{opening}}."
        variables={[{ name: 'opening', default: '9am' }]}
        platformVariants={noVariants}
        delayMs={0}
      />,
    );
    expect(await screen.findByText('Hi Alex, we open at 9am.')).toBeInTheDocument();
    const body = JSON.parse(String(fetchMock.mock.calls[0][1]?.body));
    expect(body).toEqual({
      body: 'Hi {{user_name}}, we open at {{opening}}.',
      variables: { platform: 'webchat', user_name: 'Alex', bot_name: 'Helper' },
      defaults: [{ name: 'opening', default: '9am' }],
      platform: 'webchat',
    });
    expect(screen.getByLabelText('{{opening}}')).toHaveAttribute('placeholder', '9am');
  });

  it('shows the server’s 422 message inline', async () => {
    mockFetch({
      'POST /api/templates/preview': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { body: '{{nme}} is not a known variable.' } },
          },
        }),
    });
    renderWithProviders(
      <TemplatePreviewPanel body="Hi {{nme}}" variables={[]} platformVariants={noVariants} delayMs={0} />,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('{{nme}} is not a known variable.');
  });

  it('previews a platform’s own wording when it has one', async () => {
    const fetchMock = mockFetch({
      'POST /api/templates/preview': (init) =>
        jsonResponse(200, { text: `rendered ${JSON.parse(String(init.body)).body}` }),
    });
    renderWithProviders(
      <TemplatePreviewPanel body="plain" variables={[]} platformVariants={{ slack: '*bold*' }} delayMs={0} />,
    );
    expect(await screen.findByText('rendered plain')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Preview platform'), 'slack');
    expect(await screen.findByText('rendered *bold*')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
