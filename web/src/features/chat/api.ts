// The public web chat's calls that carry the visitor's token in a header (the shared client sends none).
import { ApiError, type WidgetHistory, type WidgetInfo } from '@/lib/api';

async function getWithToken<T>(path: string, visitorToken: string | null): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (visitorToken) headers['X-Visitor-Token'] = visitorToken;
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'network_error', 'The chat could not be reached. Check your connection.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'error',
      body?.error?.message ?? 'The chat could not load.',
    );
  }
  return (await response.json()) as T;
}

/** The chat's bot and look, and the visitor token: the one given back when the server signed it, else a new one. */
export function fetchWidgetInfo(key: string, visitorToken: string | null): Promise<WidgetInfo> {
  return getWithToken<WidgetInfo>(`/widget/${encodeURIComponent(key)}`, visitorToken);
}

/** The token holder's conversation; 401 when the token is not one the server signed. */
export function fetchWidgetHistory(key: string, visitorToken: string): Promise<WidgetHistory> {
  return getWithToken<WidgetHistory>(`/widget/${encodeURIComponent(key)}/history`, visitorToken);
}
