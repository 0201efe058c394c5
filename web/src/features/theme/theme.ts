// The colour theme: the user's choice (light, dark or system) kept in localStorage, the theme it resolves
// to, and the `dark` class on <html> that the stylesheet keys on. public/theme.js applies the same rule
// before the app loads. The public chat (/chat/:key, also the widget's frame) is not the app: it follows the
// deployment's theme, else the scheme widget.js passed (#theme=…), else the visitor's system (ADR 0031).
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

/**
 * The theme of the public chat before it knows its deployment's: the embedding page's scheme that widget.js
 * put in the frame's fragment (with ?embed=1), else the system's. Null on every other page.
 */
export function publicChatTheme(
  location: Pick<Location, 'pathname' | 'search' | 'hash'>,
  systemDark: boolean,
) {
  if (!location.pathname.startsWith('/chat/')) return null;
  const embedded = new URLSearchParams(location.search).get('embed') === '1';
  const fromPage = new URLSearchParams(location.hash.slice(1)).get('theme');
  if (embedded && (fromPage === 'dark' || fromPage === 'light')) return fromPage;
  return systemDark ? 'dark' : 'light';
}

/** Themes held by pages that decide their own (the public chat, once it knows its deployment's). */
const held: { theme: ResolvedTheme }[] = [];

export function currentTheme(): ResolvedTheme {
  const systemDark = darkQuery()?.matches ?? false;
  return (
    held.at(-1)?.theme ??
    publicChatTheme(window.location, systemDark) ??
    resolveTheme(readThemeChoice(), systemDark)
  );
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
/** Applies the theme again and tells every subscriber (after anything it depends on changed). */
export function refreshTheme() {
  applyTheme();
  listeners.forEach((listener) => listener());
}
const notify = refreshTheme;

/**
 * Shows `theme` whatever the user's choice, until the returned function is called (the latest hold wins).
 * For a page whose theme is not the app user's to choose: the public chat of a deployment fixed to light or
 * dark.
 */
export function holdTheme(theme: ResolvedTheme): () => void {
  const hold = { theme };
  held.push(hold);
  notify();
  return () => {
    const index = held.indexOf(hold);
    if (index < 0) return;
    held.splice(index, 1);
    notify();
  };
}

/** Holds `theme` while the calling component is shown and `theme` is not null (see holdTheme). */
export function useHeldTheme(theme: ResolvedTheme | null) {
  React.useLayoutEffect(() => (theme ? holdTheme(theme) : undefined), [theme]);
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
