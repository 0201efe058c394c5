// The colour theme: the user's choice (light, dark or system) kept in localStorage, the theme it resolves
// to, and the `dark` class on <html> that the stylesheet keys on. public/theme.js applies the same rule
// before the app loads.
import * as React from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'switchboard.theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['light', 'dark', 'system'];
const DARK_QUERY = '(prefers-color-scheme: dark)';

function isChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

/** The stored choice; anything missing, unknown or unreadable counts as "system". */
export function readThemeChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

function darkQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null;
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): ResolvedTheme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

export function currentTheme(): ResolvedTheme {
  return resolveTheme(readThemeChoice(), darkQuery()?.matches ?? false);
}

/**
 * Puts the resolved theme on <html>: the `dark` class and the colour scheme of native controls. The switch
 * is instant: colour transitions (hover effects) are held off for that one frame, so no element fades
 * slowly from the old theme's colours.
 */
export function applyTheme(theme: ResolvedTheme = currentTheme()) {
  const root = document.documentElement;
  const changes = root.classList.contains('dark') !== (theme === 'dark');
  if (changes) root.classList.add('theme-switching');
  root.classList.toggle('dark', theme === 'dark');
  root.style.colorScheme = theme;
  if (changes) {
    void getComputedStyle(root).color; // apply the new colours while transitions are off
    root.classList.remove('theme-switching');
  }
}

const listeners = new Set<() => void>();
function notify() {
  applyTheme();
  listeners.forEach((listener) => listener());
}

/** Stores the choice (system removes it) and applies it at once. */
export function setThemeChoice(choice: ThemeChoice) {
  try {
    if (choice === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // Storage refused (private mode, blocked site data): nothing to keep; the system setting applies.
  }
  notify();
}

/**
 * Keeps <html> in step with the system setting (while the choice is "system") and with a choice made in
 * another tab. Returns the function that stops listening.
 */
export function watchTheme(onChange: () => void = () => {}): () => void {
  const query = darkQuery();
  const listener = () => onChange();
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === THEME_STORAGE_KEY) notify();
  };
  query?.addEventListener('change', notify);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    query?.removeEventListener('change', notify);
    window.removeEventListener('storage', onStorage);
  };
}

/** The user's choice and the theme shown, re-rendering when either changes. */
export function useTheme() {
  const subscribe = React.useCallback((change: () => void) => watchTheme(change), []);
  const choice = React.useSyncExternalStore(subscribe, readThemeChoice);
  const theme = React.useSyncExternalStore(subscribe, currentTheme);
  return { choice, theme, setChoice: setThemeChoice };
}
