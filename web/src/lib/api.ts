// Typed client for the Switchboard HTTP API (docs/api.md): one fetch wrapper that sends the
// session's CSRF token on writes and turns the server's error envelope into an ApiError.

export interface User {
  id: string;
  email: string;
  name: string;
  is_platform_admin: boolean;
  created_at: string;
}

export interface Organization {
  id: string;
  name: string;
  created_at: string;
}

export interface Session {
  user: User;
  organization: Organization;
  role: string;
  csrf_token: string;
  expires_at: string;
}

export interface Profile {
  user_id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  timezone: string;
  updated_at: string;
}

export type CheckStatus = 'green' | 'amber' | 'red';

export interface Migration {
  version: number | string;
  name: string;
  applied_at?: string;
}

export interface DebugReport {
  checks: { name: string; status: CheckStatus; reason: string }[];
  database: { driver: string; latency_ms: number };
  migrations: { applied: Migration[]; pending: Migration[] };
  session: {
    user: Pick<User, 'id' | 'email' | 'name'>;
    organization: { id: string; name?: string };
    role: string;
    expires_at: string;
  };
  build: { version: string; commit: string };
}

export interface SignInInput {
  email: string;
  password: string;
}

export interface SignUpInput extends SignInInput {
  name: string;
}

export interface PasswordChangeInput {
  current_password: string;
  new_password: string;
}

export interface ProfileUpdate {
  name?: string;
  avatar_url?: string | null;
  timezone?: string;
}

/** A failed API call: the HTTP status and the server's error code, message and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Seconds to wait before trying again (from Retry-After on 429). */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

let csrfToken: string | null = null;

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'You are not signed in.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  429: 'Too many attempts.',
  503: 'The server is unavailable right now. Try again shortly.',
};

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterHeader = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  const retryAfter = Number.isFinite(retryAfterHeader) ? retryAfterHeader : null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall back to the status.
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  const details = error?.details as { fields?: unknown } | undefined;
  const fields =
    details?.fields && typeof details.fields === 'object' ? (details.fields as Record<string, string>) : {};
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string'
      ? error.message
      : (FALLBACK_MESSAGES[response.status] ??
          `The server answered ${response.status}. Try again in a moment.`),
    fields,
    retryAfter,
  );
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function remember(sessionPromise: Promise<Session>): Promise<Session> {
  const session = await sessionPromise;
  csrfToken = session.csrf_token;
  return session;
}

export const api = {
  auth: {
    session: () => remember(request<Session>('GET', '/api/auth/session')),
    signIn: (input: SignInInput) => remember(request<Session>('POST', '/api/auth/signin', input)),
    signUp: (input: SignUpInput) => remember(request<Session>('POST', '/api/auth/signup', input)),
    signOut: async () => {
      try {
        await request<void>('POST', '/api/auth/signout');
      } finally {
        csrfToken = null;
      }
    },
    changePassword: (input: PasswordChangeInput) => request<void>('POST', '/api/auth/password', input),
  },
  profile: {
    get: () => request<Profile>('GET', '/api/profile'),
    update: (changes: ProfileUpdate) => request<Profile>('PATCH', '/api/profile', changes),
  },
  debug: {
    get: () => request<DebugReport>('GET', '/api/debug'),
  },
};
