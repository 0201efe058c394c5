import { fireEvent, render, screen } from '@testing-library/react';
import { toast } from 'sonner';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '@/components/error-boundary';

vi.mock('sonner', () => ({ toast: { error: vi.fn() } }));

let broken = true;
function Fragile() {
  if (broken) throw new Error('Widget exploded');
  return <p>Widget works</p>;
}

describe('ErrorBoundary', () => {
  it('shows a recoverable error screen and a toast, and "Try again" renders the page again', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught error

    render(
      <ErrorBoundary>
        <Fragile />
      </ErrorBoundary>,
    );

    expect(screen.getByRole('heading', { name: 'Something went wrong' })).toBeInTheDocument();
    expect(screen.getByText('Widget exploded')).toBeInTheDocument();
    expect(toast.error).toHaveBeenCalledWith('Something went wrong', { description: 'Widget exploded' });

    broken = false;
    fireEvent.click(screen.getByRole('button', { name: /try again/i }));

    expect(screen.getByText('Widget works')).toBeInTheDocument();
  });
});
