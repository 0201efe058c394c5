// The web chat visitor's id: random, kept in localStorage so a returning visitor continues.
const STORAGE_KEY = 'switchboard.visitor_id';

function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function visitorId(): string {
  try {
    const known = window.localStorage.getItem(STORAGE_KEY);
    if (known) return known;
    const fresh = `v_${randomId()}`;
    window.localStorage.setItem(STORAGE_KEY, fresh);
    return fresh;
  } catch {
    // Storage blocked (e.g. third-party iframe rules): a new visitor per page load.
    return `v_${randomId()}`;
  }
}
