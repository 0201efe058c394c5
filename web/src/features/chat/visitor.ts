// The web chat visitor's token: issued and signed by the server (GET /widget/:key), kept in
// localStorage so a returning visitor continues their conversation. The browser never makes one up.
const STORAGE_KEY = 'switchboard.visitor_token';

export function storedVisitorToken(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (e.g. third-party iframe rules): a new visitor per page load
  }
}

export function rememberVisitorToken(token: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, token);
    window.localStorage.removeItem('switchboard.visitor_id'); // older widgets chose their own id
  } catch {
    // storage blocked: the token lasts as long as the page
  }
}

/** The embedding page's signed identity, which widget.js passes in the frame's fragment. */
export interface SignedIdentity {
  id: string;
  name: string;
  expires: string;
  signature: string;
}

export function identityFromHash(hash: string): SignedIdentity | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const id = params.get('user_id');
  const expires = params.get('user_expires');
  const signature = params.get('user_signature');
  if (!id || !expires || !signature) return null;
  return { id, name: params.get('user_name') ?? '', expires, signature };
}
