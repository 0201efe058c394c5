// The searchable combobox: filtering, keyboard (arrows, Enter, Escape), mouse, and its ARIA wiring.
import * as React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Combobox, type ComboboxOption } from '@/components/ui/combobox';

const zones: ComboboxOption[] = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
].map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }));

function Harness({ onSubmit = () => {} }: { onSubmit?: () => void }) {
  const [value, setValue] = React.useState('UTC');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <label htmlFor="tz">Time zone</label>
      <Combobox
        id="tz"
        value={value}
        onValueChange={setValue}
        options={zones}
        emptyText="No time zone matches."
      />
      <output data-testid="chosen">{value}</output>
    </form>
  );
}

describe('Combobox', () => {
  it('is a combobox that shows the chosen label and opens a listbox', async () => {
    render(<Harness />);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    expect(box).toHaveValue('UTC');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(box);
    expect(box).toHaveAttribute('aria-expanded', 'true');
    const listbox = screen.getByRole('listbox');
    expect(box).toHaveAttribute('aria-controls', listbox.id);
    expect(screen.getAllByRole('option')).toHaveLength(5);
    expect(screen.getByRole('option', { name: 'UTC' })).toHaveAttribute('aria-selected', 'true');
  });

  it('filters as you type, ignoring case and underscores, and picks with the arrows and Enter', async () => {
    const submitted = vi.fn();
    render(<Harness onSubmit={submitted} />);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.clear(box);
    await userEvent.type(box, 'new york');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['America/New York']);
    await userEvent.clear(box);
    await userEvent.type(box, 'europe');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Europe/London',
      'Europe/Paris',
    ]);
    expect(box).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[0].id);
    await userEvent.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[1].id);
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('chosen')).toHaveTextContent('Europe/Paris');
    expect(box).toHaveValue('Europe/Paris');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(submitted).not.toHaveBeenCalled();
  });

  it('says when nothing matches, and Escape closes and restores the choice without closing a dialog around it', async () => {
    const outer = vi.fn();
    render(
      <div onKeyDown={(event) => event.key === 'Escape' && outer()}>
        <Harness />
      </div>,
    );
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.clear(box);
    await userEvent.type(box, 'atlantis');
    expect(screen.getByText('No time zone matches.')).toBeInTheDocument();
    expect(screen.queryAllByRole('option')).toHaveLength(0);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(box).toHaveValue('UTC');
    expect(outer).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    expect(outer).toHaveBeenCalledTimes(1);
  });

  it('picks with the mouse and opens with the arrow keys at the current choice', async () => {
    render(<Harness />);
    const box = screen.getByRole('combobox', { name: 'Time zone' });
    box.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-expanded', 'true');
    fireEvent.mouseDown(screen.getByRole('option', { name: 'Europe/London' }));
    expect(screen.getByTestId('chosen')).toHaveTextContent('Europe/London');
    expect(box).toHaveFocus();
  });
});
