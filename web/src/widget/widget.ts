// widget.js: the embeddable web chat. <script src="https://…/widget.js" data-key="…" async> adds a
// chat bubble to the host page that opens the hosted chat (/chat/<key>?embed=1) in an iframe. No
// framework and no stylesheet: styles go through the CSSOM, which host CSPs allow. The bubble appears
// only on pages whose origin is one of the deployment's allowed origins (the server says which; it
// also refuses to be framed by any other site).
(() => {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-key]');
  const key = script?.dataset.key;
  if (!script || !key || document.getElementById('switchboard-chat-bubble')) return;
  const origin = new URL(script.src, location.href).origin;
  const color = /^#[0-9a-f]{6}$/i.test(script.dataset.color ?? '') ? script.dataset.color! : '#4f46e5';

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
    color: '#fff',
    cursor: 'pointer',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    boxShadow: '0 6px 20px rgba(0,0,0,.2)',
    zIndex: '2147483000',
  });

  let frame: HTMLIFrameElement | null = null;
  let open = false;
  button.addEventListener('click', () => {
    open = !open;
    if (open && !frame) {
      frame = document.createElement('iframe');
      frame.src = `${origin}/chat/${encodeURIComponent(key)}?embed=1`;
      frame.title = 'Chat';
      css(frame, {
        position: 'fixed',
        right: '20px',
        bottom: '88px',
        width: '370px',
        height: '560px',
        maxWidth: 'calc(100vw - 40px)',
        maxHeight: 'calc(100vh - 108px)',
        border: '1px solid rgba(0,0,0,.1)',
        borderRadius: '12px',
        boxShadow: '0 12px 40px rgba(0,0,0,.2)',
        background: '#fff',
        zIndex: '2147483000',
      });
      document.body.appendChild(frame);
    }
    if (frame) frame.style.display = open ? 'block' : 'none';
    button.replaceChildren(open ? closeIcon : chatIcon);
    button.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    button.setAttribute('aria-expanded', String(open));
  });

  const mount = () => document.body.appendChild(button);
  const refuse = () =>
    console.warn(
      `Switchboard chat: not shown on ${location.origin}. Add it to the allowed origins of the chat's deployment (or check its data-key).`,
    );
  fetch(`${origin}/widget/${encodeURIComponent(key)}`, { credentials: 'omit' })
    .then((response) => (response.ok ? (response.json() as Promise<{ allowed_origins?: string[] }>) : null))
    .then((info) => {
      if (!info?.allowed_origins?.includes(location.origin)) return refuse();
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount);
    })
    .catch(refuse);
})();
