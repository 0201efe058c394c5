import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppearanceEditor, appearanceProblems, LauncherPreview } from '@/features/bots/widget-appearance';
import type { Deployment } from '@/lib/api';
import { webchatDeployment } from '@/test/fixtures';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const deployment = webchatDeployment;

describe('The launcher preview', () => {
  it('updates as you type: colour, side, label and greeting', async () => {
    const fetchMock = mockFetch({
      'PATCH /api/deployments/dep_1': (init) =>
        jsonResponse(200, deployment(JSON.parse(String(init.body)) as Partial<Deployment>)),
    });
    renderWithProviders(<AppearanceEditor deployment={deployment()} fallbackGreeting="Hi from the bot" />);
    const launcher = screen.getByTestId('preview-launcher');
    expect(launcher).toHaveStyle({ background: '#4f46e5' });
    expect(launcher).toHaveAttribute('data-side', 'right');
    expect(screen.getByTestId('preview-greeting')).toHaveTextContent('Hi from the bot');

    const colour = screen.getByLabelText('Colour');
    await userEvent.clear(colour);
    await userEvent.type(colour, '#ff8800');
    expect(launcher).toHaveStyle({ background: '#ff8800' });
    await userEvent.selectOptions(screen.getByLabelText('Position'), 'left');
    expect(launcher).toHaveAttribute('data-side', 'left');
    await userEvent.type(screen.getByLabelText('Launcher label'), 'Ask us');
    expect(within(launcher).getByText('Ask us')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Greeting'), 'Welcome!');
    expect(screen.getByTestId('preview-greeting')).toHaveTextContent('Welcome!');

    await userEvent.click(screen.getByRole('button', { name: 'Save launcher' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(JSON.parse(String(fetchMock.mock.calls[0][1]?.body))).toEqual({
      color: '#ff8800',
      position: 'left',
      launcher_label: 'Ask us',
      greeting: 'Welcome!',
      theme: 'system',
    });
  });

  it('refuses a colour that is not #rrggbb before sending, and says so under the field', async () => {
    const fetchMock = mockFetch({});
    renderWithProviders(<AppearanceEditor deployment={deployment()} fallbackGreeting="" />);
    const colour = screen.getByLabelText('Colour');
    await userEvent.clear(colour);
    await userEvent.type(colour, 'red');
    expect(screen.getByTestId('preview-launcher')).toHaveStyle({ background: '#4f46e5' });
    await userEvent.click(screen.getByRole('button', { name: 'Save launcher' }));
    expect(await screen.findByText(/Use a colour such as #4f46e5/)).toBeInTheDocument();
    expect(colour).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('checks lengths in characters', () => {
    const base = {
      color: '#000000',
      position: 'right',
      launcher_label: '',
      greeting: '',
      theme: 'system',
    } as const;
    expect(appearanceProblems({ ...base, launcher_label: 'é'.repeat(40) })).toEqual({});
    expect(appearanceProblems({ ...base, launcher_label: 'x'.repeat(41) }).launcher_label).toBeTruthy();
    expect(appearanceProblems({ ...base, color: '#12345' }).color).toBeTruthy();
  });

  it('shows a fixed dark theme dark', () => {
    renderWithProviders(
      <LauncherPreview
        appearance={{
          color: '#000000',
          position: 'left',
          launcher_label: '',
          greeting: 'Hey',
          theme: 'dark',
        }}
        fallbackGreeting=""
      />,
    );
    expect(screen.getByTestId('launcher-preview').className).toContain('bg-zinc-950');
  });

  it('shows "Always light" in light colours the dark app does not remap, and the launcher’s text readable', () => {
    document.documentElement.classList.add('dark');
    renderWithProviders(
      <LauncherPreview
        appearance={{
          color: '#fde047',
          position: 'right',
          launcher_label: 'Ask',
          greeting: 'Hey',
          theme: 'light',
        }}
        fallbackGreeting=""
      />,
    );
    expect(screen.getByTestId('launcher-preview').className).toContain('bg-[#f4f4f5]');
    expect(screen.getByTestId('launcher-preview').className).not.toContain('bg-muted');
    expect(screen.getByTestId('preview-greeting').className).toContain('bg-white text-zinc-950');
    // Near-black words on a yellow launcher, white on a dark one.
    expect(screen.getByTestId('preview-launcher')).toHaveStyle({ color: '#09090b' });
    document.documentElement.classList.remove('dark');
  });
});
