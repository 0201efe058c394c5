// The public chat's theme (ADR 0031): the deployment's fixed theme, else the scheme widget.js passed from
// the embedding page (#theme=…, in the frame), else the visitor's system — never the app user's choice. It
// sets the same `dark` class as the app, so `dark:` variants and the remapped palette apply there too.
import { render, screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { holdTheme, publicChatTheme, THEME_STORAGE_KEY } from '@/features/theme/theme';
import { HostedChatPage, themeMessage } from '@/pages/hosted-chat-page';
import { jsonResponse, mockFetch, renderWithProviders } from '@/test/utils';

const html = document.documentElement;

function fakeSystem(dark: boolean) {
  vi.stubGlobal('matchMedia', () => ({
    matches: dark,
    media: '(prefers-color-scheme: dark)',
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

function chatWith(theme: unknown) {
  mockFetch({
    'GET /widget/wk_1': () =>
      jsonResponse(200, {
        bot: { name: 'Helper', greeting: 'Hi there!', avatar_color: '#0ea5e9', avatar_url: null },
        status: 'active',
        appearance: { color: '#0ea5e9', position: 'right', launcher_label: '', greeting: '', theme },
        visitor_token: 'vt1.fresh.00',
      }),
    'GET /widget/wk_1/history': () => jsonResponse(200, { session_id: null, messages: [] }),
  });
  return renderWithProviders(
    <Routes>
      <Route path="/chat/:key" element={<HostedChatPage />} />
    </Routes>,
    { route: '/chat/wk_1' },
  );
}

/** The browser's address, which the theme reads (the test router keeps its own). */
const at = (url: string) => window.history.replaceState(null, '', url);

beforeEach(() => {
  window.localStorage.clear();
  html.classList.remove('dark');
});
afterEach(() => {
  vi.unstubAllGlobals();
  at('/');
});

describe('the public chat’s theme', () => {
  it('is dark when the deployment fixes dark, on a light system, and gives the page back when it closes', async () => {
    fakeSystem(false);
    at('/chat/wk_1');
    const { unmount } = chatWith('dark');
    await screen.findByText('Hi there!');
    expect(html).toHaveClass('dark');
    expect(html.style.colorScheme).toBe('dark');
    unmount();
    at('/');
    // Released: the app's rule again (system, light).
    holdTheme('light')();
    expect(html).not.toHaveClass('dark');
  });

  it('is light when the deployment fixes light, on a dark system, even with #theme=dark', async () => {
    fakeSystem(true);
    at('/chat/wk_1?embed=1#theme=dark');
    const { unmount } = chatWith('light');
    await screen.findByText('Hi there!');
    expect(html).not.toHaveClass('dark');
    unmount();
  });

  it('follows the system with "system", and not the app user’s stored choice', async () => {
    fakeSystem(true);
    window.localStorage.setItem(THEME_STORAGE_KEY, 'light');
    at('/chat/wk_1');
    const { unmount } = chatWith('system');
    await screen.findByText('Hi there!');
    expect(html).toHaveClass('dark');
    unmount();
  });

  it('follows the embedding page’s scheme in the widget’s frame, with "system" or an unknown theme', async () => {
    fakeSystem(false);
    at('/chat/wk_1?embed=1#theme=dark');
    const { unmount } = chatWith('<b>sepia</b>');
    await screen.findByText('Hi there!');
    expect(html).toHaveClass('dark');
    unmount();
  });
});

describe('publicChatTheme', () => {
  const where = (url: string) => {
    const { pathname, search, hash } = new URL(url, 'https://chat.example');
    return { pathname, search, hash };
  };

  it('is null outside the public chat', () => {
    expect(publicChatTheme(where('/'), true)).toBeNull();
    expect(publicChatTheme(where('/bots/chat/1'), true)).toBeNull();
    expect(publicChatTheme(where('/chatx/1'), true)).toBeNull();
  });

  it('takes the fragment only in the frame (?embed=1), and only light or dark', () => {
    expect(publicChatTheme(where('/chat/k?embed=1#theme=dark'), false)).toBe('dark');
    expect(publicChatTheme(where('/chat/k?embed=1#user_id=7&theme=light'), true)).toBe('light');
    expect(publicChatTheme(where('/chat/k#theme=dark'), false)).toBe('light');
    expect(publicChatTheme(where('/chat/k?embed=1#theme=DARK'), false)).toBe('light');
    expect(publicChatTheme(where('/chat/k?embed=1#theme=%3Cscript%3E'), true)).toBe('dark');
    expect(publicChatTheme(where('/chat/k?embed=1'), true)).toBe('dark');
  });
});

describe('themeMessage', () => {
  it('reads only widget.js’s two messages', () => {
    expect(themeMessage('switchboard:theme:dark')).toBe('dark');
    expect(themeMessage('switchboard:theme:light')).toBe('light');
    for (const other of ['switchboard:close', 'switchboard:theme:', 'switchboard:theme:sepia', 7, null, {}]) {
      expect(themeMessage(other)).toBeNull();
    }
  });
});

describe('holdTheme', () => {
  it('wins over the user’s choice until released; the latest hold wins', () => {
    fakeSystem(false);
    window.localStorage.setItem(THEME_STORAGE_KEY, 'light');
    const releaseDark = holdTheme('dark');
    expect(html).toHaveClass('dark');
    const releaseLight = holdTheme('light');
    expect(html).not.toHaveClass('dark');
    releaseDark();
    releaseDark(); // twice is harmless
    expect(html).not.toHaveClass('dark');
    releaseLight();
    expect(html).not.toHaveClass('dark');
    window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    holdTheme('light')();
    expect(html).toHaveClass('dark');
  });
});

describe('ChatBubble on a chosen colour', () => {
  it('writes white on a dark colour and near-black on a light one', () => {
    render(
      <>
        <ChatBubble from="visitor" color="#4f46e5">
          on indigo
        </ChatBubble>
        <ChatBubble from="visitor" color="#fde047">
          on yellow
        </ChatBubble>
        <ChatBubble from="visitor" color="red; background: url(x)">
          not a colour
        </ChatBubble>
      </>,
    );
    expect(screen.getByText('on indigo')).toHaveStyle({ color: '#ffffff', backgroundColor: '#4f46e5' });
    expect(screen.getByText('on yellow')).toHaveStyle({ color: '#09090b', backgroundColor: '#fde047' });
    expect(screen.getByText('not a colour').getAttribute('style')).toBeNull();
  });
});
