import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecoveryCodesView } from '@/features/two-factor/recovery-codes-view';
import { renderWithProviders } from '@/test/utils';

const CODES = Array.from({ length: 10 }, (_, i) => `code${i}-${String(i).repeat(5)}`);

afterEach(() => vi.restoreAllMocks());

describe('RecoveryCodesView', () => {
  it('lists every code and lets the person go on only once they say they saved them', async () => {
    const onDone = vi.fn();
    renderWithProviders(<RecoveryCodesView codes={CODES} account="ada@example.com" onDone={onDone} />);

    const list = screen.getByRole('list', { name: 'Recovery codes' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(CODES);
    expect(screen.getByText(/shown only this once/)).toBeInTheDocument();

    const done = screen.getByRole('button', { name: 'Done' });
    expect(done).toBeDisabled();
    await userEvent.click(screen.getByLabelText('I have saved my recovery codes somewhere safe'));
    expect(done).toBeEnabled();
    await userEvent.click(done);
    expect(onDone).toHaveBeenCalledOnce();
  });

  it('copies the codes as text', async () => {
    const user = userEvent.setup();
    renderWithProviders(<RecoveryCodesView codes={CODES} account="ada@example.com" onDone={vi.fn()} />);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');

    await user.click(screen.getByRole('button', { name: 'Copy codes' }));

    await waitFor(() => expect(writeText).toHaveBeenCalledOnce());
    const text = writeText.mock.calls[0][0];
    for (const code of CODES) expect(text).toContain(code);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('downloads them as a .txt file', async () => {
    const createObjectURL = vi.fn(() => 'blob:codes');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderWithProviders(<RecoveryCodesView codes={CODES} account="ada@example.com" onDone={vi.fn()} />);

    await userEvent.click(screen.getByRole('button', { name: 'Download .txt' }));

    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe('switchboard-recovery-codes.txt');
    expect(clicked[0].href).toBe('blob:codes');
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(blob.type).toBe('text/plain');
    const content = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blob);
    });
    expect(content).toContain(CODES[9]);
  });
});
