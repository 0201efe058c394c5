// The theme: system or explicit choice, kept in localStorage, the `dark` class on <html>, and the system
// setting followed while it changes.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyTheme, readThemeChoice, setThemeChoice, THEME_STORAGE_KEY, useTheme } from './theme';

/** A prefers-color-scheme media query whose answer the test changes, as the OS setting would. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<(event: MediaQueryListEvent) => void>();
  const query = {
    get matches() {
      return dark;
    },
    media: '(prefers-color-scheme: dark)',
    addEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) => listeners.delete(listener),
  };
  vi.stubGlobal('matchMedia', () => query);
  return {
    set(next: boolean) {
      dark = next;
      listeners.forEach((listener) => listener({ matches: next } as MediaQueryListEvent));
    },
    listenerCount: () => listeners.size,
  };
}

const html = document.documentElement;

function Probe() {
  const { choice, theme, setChoice } = useTheme();
  return (
    <div>
      <p>
        choice {choice}, shown {theme}
      </p>
      <button onClick={() => setChoice('dark')}>Dark</button>
      <button onClick={() => setChoice('light')}>Light</button>
      <button onClick={() => setChoice('system')}>System</button>
    </div>
  );
}

beforeEach(() => {
  window.localStorage.clear();
  html.classList.remove('dark');
  html.style.colorScheme = '';
});
afterEach(() => vi.unstubAllGlobals());

describe('theme', () => {
  it('follows the system when nothing is chosen', () => {
    fakeSystem(true);
    applyTheme();
    expect(readThemeChoice()).toBe('system');
    expect(html).toHaveClass('dark');
    expect(html.style.colorScheme).toBe('dark');

    fakeSystem(false);
    applyTheme();
    expect(html).not.toHaveClass('dark');
    expect(html.style.colorScheme).toBe('light');
  });

  it('an explicit choice wins over the system and is kept in localStorage', () => {
    fakeSystem(true);
    setThemeChoice('light');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(html).not.toHaveClass('dark');

    fakeSystem(false);
    setThemeChoice('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(html).toHaveClass('dark');
    // As after a reload: the stored choice is read back.
    applyTheme();
    expect(html).toHaveClass('dark');

    setThemeChoice('system');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(html).not.toHaveClass('dark');
  });

  it('treats a stored value it does not know as "system"', () => {
    fakeSystem(true);
    window.localStorage.setItem(THEME_STORAGE_KEY, '<script>alert(1)</script>');
    expect(readThemeChoice()).toBe('system');
    applyTheme();
    expect(html).toHaveClass('dark');
  });

  it('still works when localStorage refuses to be read or written', () => {
    fakeSystem(true);
    const getItem = vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(readThemeChoice()).toBe('system');
    expect(() => setThemeChoice('light')).not.toThrow();
    expect(html).toHaveClass('dark');
    getItem.mockRestore();
    setItem.mockRestore();
  });

  it('re-renders and re-themes the page when the system setting changes while "system" is chosen', async () => {
    const system = fakeSystem(false);
    const { unmount } = render(<Probe />);
    expect(screen.getByText('choice system, shown light')).toBeInTheDocument();

    act(() => system.set(true));
    expect(screen.getByText('choice system, shown dark')).toBeInTheDocument();
    expect(html).toHaveClass('dark');

    // An explicit choice is not overridden by a later system change.
    await userEvent.click(screen.getByRole('button', { name: 'Light' }));
    expect(screen.getByText('choice light, shown light')).toBeInTheDocument();
    act(() => system.set(true));
    expect(html).not.toHaveClass('dark');

    await userEvent.click(screen.getByRole('button', { name: 'System' }));
    expect(screen.getByText('choice system, shown dark')).toBeInTheDocument();

    unmount();
    expect(system.listenerCount()).toBe(0);
  });

  it('follows a choice made in another tab', () => {
    fakeSystem(false);
    render(<Probe />);
    act(() => {
      window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');
      window.dispatchEvent(new StorageEvent('storage', { key: THEME_STORAGE_KEY, newValue: 'dark' }));
    });
    expect(screen.getByText('choice dark, shown dark')).toBeInTheDocument();
    expect(html).toHaveClass('dark');
  });
});
