// widget.js: the embeddable web chat. <script src="https://…/widget.js" data-key="…" async> adds a
// chat bubble to the host page that opens the hosted chat (/chat/<key>?embed=1) in an iframe. No
// framework and no stylesheet: styles go through the CSSOM, which host CSPs allow. The bubble appears
// only on pages whose origin is one of the deployment's allowed origins (the server says which; it
// also refuses to be framed by any other site).
import { textColorOn } from '../lib/color';

(() => {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-key]');
  const key = script?.dataset.key;
  if (!script || !key || document.getElementById('switchboard-chat-bubble')) return;
  const origin = new URL(script.src, location.href).origin;
  const hexColor = (value: unknown) =>
    typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value) ? value : null;
  // The deployment's colour; a data-color on the snippet still wins (older snippets set it by hand).
  let color = hexColor(script.dataset.color) ?? '#4f46e5';
  // The embedding page's signed identity (data-user-*), handed to the chat in the frame's fragment
  // (never sent in a URL to a server); the server checks the signature.
  const user = script.dataset;
  const identity =
    user.userId && user.userSignature && user.userExpires
      ? new URLSearchParams({
          user_id: user.userId,
          user_name: user.userName ?? '',
          user_expires: user.userExpires,
          user_signature: user.userSignature,
        }).toString()
      : '';

  const css = (element: HTMLElement, styles: Partial<CSSStyleDeclaration>) =>
    Object.assign(element.style, styles);
  const icon = (paths: string[]) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '2');
    svg.setAttribute('stroke-linecap', 'round');
    svg.setAttribute('aria-hidden', 'true');
    for (const d of paths) {
      const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    }
    return svg;
  };
  const chatIcon = icon(['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z']);
  const closeIcon = icon(['M18 6 6 18', 'M6 6l12 12']);

  const button = document.createElement('button');
  button.id = 'switchboard-chat-bubble';
  button.type = 'button';
  button.setAttribute('aria-label', 'Open chat');
  button.setAttribute('aria-expanded', 'false');
  button.appendChild(chatIcon);
  css(button, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    borderRadius: '50%',
    border: 'none',
    background: color,
    color: textColorOn(color) ?? '#fff',
    cursor: 'pointer',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    boxShadow: '0 6px 20px rgba(0,0,0,.2)',
    zIndex: '2147483000',
  });

  const label = document.createElement('span');
  let side: 'left' | 'right' = 'right';
  let theme = 'system';

  let frame: HTMLIFrameElement | null = null;
  let open = false;
  // The chat's colour scheme: the deployment's, or with "system" this page's prefers-color-scheme (the
  // frame is told when it changes). The frame's own background and border match it, so no white box
  // shows before the chat has loaded.
  const pageScheme = window.matchMedia?.('(prefers-color-scheme: dark)');
  const isDark = () => theme === 'dark' || (theme === 'system' && !!pageScheme?.matches);
  const styleFrame = () => {
    if (!frame) return;
    const dark = isDark();
    css(frame, {
      background: dark ? '#09090b' : '#fff',
      border: dark ? '1px solid rgba(255,255,255,.14)' : '1px solid rgba(0,0,0,.1)',
      colorScheme: dark ? 'dark' : 'light',
    });
  };
  pageScheme?.addEventListener?.('change', () => {
    if (theme !== 'system' || !frame) return;
    styleFrame();
    frame.contentWindow?.postMessage(`switchboard:theme:${isDark() ? 'dark' : 'light'}`, origin);
  });
  const setOpen = (next: boolean) => {
    open = next;
    if (open && !frame) {
      frame = document.createElement('iframe');
      const hash = new URLSearchParams(identity);
      hash.set('theme', isDark() ? 'dark' : 'light');
      frame.src = `${origin}/chat/${encodeURIComponent(key)}?embed=1#${hash.toString()}`;
      frame.title = 'Chat';
      css(frame, {
        position: 'fixed',
        [side]: '20px',
        bottom: '88px',
        width: '370px',
        height: '560px',
        maxWidth: 'calc(100vw - 40px)',
        maxHeight: 'calc(100vh - 108px)',
        borderRadius: '12px',
        boxShadow: '0 12px 40px rgba(0,0,0,.2)',
        zIndex: '2147483000',
      });
      styleFrame();
      document.body.appendChild(frame);
    }
    if (frame) frame.style.display = open ? 'block' : 'none';
    button.replaceChildren(open ? closeIcon : chatIcon);
    if (label.textContent && !open) button.appendChild(label);
    button.setAttribute('aria-label', open ? 'Close chat' : label.textContent || 'Open chat');
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => setOpen(!open));
  // Esc closes the open chat (pressed on the page, or inside the frame, which tells us) and returns
  // the focus to the launcher.
  const closeByKey = () => {
    if (!open) return;
    setOpen(false);
    button.focus();
  };
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeByKey();
  });
  window.addEventListener('message', (event) => {
    if (
      event.origin === origin &&
      frame &&
      event.source === frame.contentWindow &&
      event.data === 'switchboard:close'
    )
      closeByKey();
  });

  interface Appearance {
    color?: string;
    position?: string;
    launcher_label?: string;
    theme?: string;
  }
  const applyAppearance = (appearance: Appearance | undefined) => {
    color = hexColor(script.dataset.color) ?? hexColor(appearance?.color) ?? color;
    side = appearance?.position === 'left' ? 'left' : 'right';
    theme = appearance?.theme === 'light' || appearance?.theme === 'dark' ? appearance.theme : 'system';
    const text = (appearance?.launcher_label ?? '').trim();
    label.textContent = text;
    css(button, {
      background: color,
      color: textColorOn(color) ?? '#fff', // white, or near-black on a light colour
      left: side === 'left' ? '20px' : '',
      right: side === 'right' ? '20px' : '',
    });
    if (text) {
      // A labelled launcher is a pill: icon and words.
      css(button, {
        width: 'auto',
        padding: '0 18px 0 14px',
        gap: '8px',
        borderRadius: '28px',
        font: '600 15px/1 system-ui, sans-serif',
      });
      button.appendChild(label);
      button.setAttribute('aria-label', text);
    }
  };

  const mount = () => document.body.appendChild(button);
  const refuse = () =>
    console.warn(
      `Switchboard chat: not shown on ${location.origin}. Add it to the allowed origins of the chat's deployment (or check its data-key).`,
    );
  fetch(`${origin}/widget/${encodeURIComponent(key)}`, { credentials: 'omit' })
    .then((response) =>
      response.ok
        ? (response.json() as Promise<{ allowed_origins?: string[]; appearance?: Appearance }>)
        : null,
    )
    .then((info) => {
      if (!info?.allowed_origins?.includes(location.origin)) return refuse();
      applyAppearance(info.appearance);
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount);
    })
    .catch(refuse);
})();
