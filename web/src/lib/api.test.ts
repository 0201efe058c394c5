import { beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch, session } from '@/test/utils';

// api.ts keeps the CSRF token of the current session in module state: load a fresh copy per test.
let api: typeof import('@/lib/api').api;
let ApiError: typeof import('@/lib/api').ApiError;

beforeEach(async () => {
  vi.resetModules();
  ({ api, ApiError } = await import('@/lib/api'));
});

function headersOf(fetchMock: ReturnType<typeof mockFetch>, call: number) {
  return fetchMock.mock.calls[call][1]?.headers as Record<string, string>;
}

describe('api client', () => {
  it('sends the session CSRF token on writes, not on reads, with same-origin credentials', async () => {
    const fetchMock = mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'PATCH /api/profile': () => jsonResponse(200, { name: 'Ada' }),
      'GET /api/profile': () => jsonResponse(200, { name: 'Ada' }),
    });

    await api.auth.session();
    await api.profile.update({ name: 'Ada' });
    await api.profile.get();

    expect(headersOf(fetchMock, 0)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(fetchMock, 1)['X-CSRF-Token']).toBe('csrf-123');
    expect(headersOf(fetchMock, 1)['Content-Type']).toBe('application/json');
    expect(fetchMock.mock.calls[1][1]?.body).toBe('{"name":"Ada"}');
    expect(headersOf(fetchMock, 2)['X-CSRF-Token']).toBeUndefined();
    for (const [, init] of fetchMock.mock.calls) expect(init?.credentials).toBe('same-origin');
  });

  it('takes the CSRF token from sign-in and forgets it after sign-out', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/signin': () => jsonResponse(200, { ...session, csrf_token: 'from-signin' }),
      'POST /api/auth/signout': () => jsonResponse(204),
      'POST /api/auth/password': () => jsonResponse(204),
    });

    await api.auth.signIn({ email: 'ada@example.com', password: 'x'.repeat(10) });
    await api.auth.signOut();
    await api.auth.changePassword({ current_password: 'a', new_password: 'b' }).catch(() => {});

    expect(headersOf(fetchMock, 1)['X-CSRF-Token']).toBe('from-signin');
    expect(headersOf(fetchMock, 2)['X-CSRF-Token']).toBeUndefined();
  });

  it('parses the error envelope into an ApiError with status, code, message and fields', async () => {
    mockFetch({
      'POST /api/auth/signup': () =>
        jsonResponse(422, {
          error: {
            code: 'validation_failed',
            message: 'Some fields are invalid.',
            details: { fields: { email: 'Enter a valid email address.' } },
          },
        }),
    });

    const error = await api.auth.signUp({ email: 'x', password: 'y', name: 'z' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'Some fields are invalid.',
      fields: { email: 'Enter a valid email address.' },
      retryAfter: null,
    });
  });

  it('reads Retry-After on 429', async () => {
    mockFetch({
      'POST /api/auth/signin': () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many attempts.' } },
          { 'Retry-After': '900' },
        ),
    });

    const error = await api.auth.signIn({ email: 'a@b.co', password: 'p' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 900, fields: {} });
  });

  it('still gives a readable error when the body is not the envelope', async () => {
    mockFetch({ 'GET /api/debug': () => new Response('<h1>Bad gateway</h1>', { status: 502 }) });

    const error = await api.debug.get().catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 502, code: 'http_error' });
    expect((error as Error).message).toMatch(/502/);
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const error = await api.profile.get().catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('returns undefined for 204 No Content', async () => {
    mockFetch({ 'POST /api/auth/signout': () => new Response(null, { status: 204 }) });
    await expect(api.auth.signOut()).resolves.toBeUndefined();
  });

  it('builds the audit query from the filters that are set, with the cursor', async () => {
    const fetchMock = mockFetch({
      'GET /api/orgs/org_1/audit?action=member.role_changed&to=2026-11-30T23%3A59%3A59Z&limit=50&before=aud_9':
        () => jsonResponse(200, { items: [], next_before: null }),
    });

    const page = await api.audit.list('org_1', {
      action: 'member.role_changed',
      actor_id: undefined,
      from: '',
      to: '2026-11-30T23:59:59Z',
      limit: 50,
      before: 'aud_9',
    });

    expect(page).toEqual({ items: [], next_before: null });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('encodes ids and tokens in paths and queries', async () => {
    const fetchMock = mockFetch({
      'GET /api/invites/preview?token=a%2Fb%2Bc': () => jsonResponse(200, {}),
      'DELETE /api/orgs/org_1/members/usr_%2F..': () => new Response(null, { status: 204 }),
    });

    await api.invites.preview('a/b+c');
    await api.members.remove('org_1', 'usr_/..');

    expect(fetchMock.mock.calls.map(([path]) => String(path))).toEqual([
      '/api/invites/preview?token=a%2Fb%2Bc',
      '/api/orgs/org_1/members/usr_%2F..',
    ]);
  });

  it('reaches every integrations route with the contract’s methods, paths and bodies', async () => {
    const ok = () => jsonResponse(200, {});
    const fetchMock = mockFetch({
      'GET /api/integrations/platforms': () => jsonResponse(200, { items: [] }),
      'GET /api/integrations?platform=slack': () => jsonResponse(200, { items: [] }),
      'POST /api/integrations': () => jsonResponse(201, {}),
      'GET /api/integrations/int_1': ok,
      'PATCH /api/integrations/int_1': ok,
      'POST /api/integrations/int_1/verify': ok,
      'POST /api/integrations/int_1/webhook': ok,
      'POST /api/integrations/int_1/test-message': ok,
      'DELETE /api/integrations/int_1': () => new Response(null, { status: 204 }),
      'POST /api/deployments': () => jsonResponse(201, {}),
    });

    await api.integrations.platforms();
    await api.integrations.list({ platform: 'slack' });
    await api.integrations.create({ platform: 'slack', name: 'Team', credentials: { bot_token: 'xoxb' } });
    await api.integrations.get('int_1');
    await api.integrations.update('int_1', { credentials: { bot_token: 'xoxb-2' } });
    await api.integrations.verify('int_1');
    await api.integrations.registerWebhook('int_1');
    await api.integrations.sendTestMessage('int_1', { recipient: 'C1', text: 'Hi' });
    await api.integrations.remove('int_1');
    await api.deployments.create({ bot_id: 'bot_1', integration_id: 'int_1' });

    const sent = fetchMock.mock.calls.map(([path, init]) => [init?.method, String(path), init?.body]);
    expect(sent).toEqual([
      ['GET', '/api/integrations/platforms', undefined],
      ['GET', '/api/integrations?platform=slack', undefined],
      ['POST', '/api/integrations', '{"platform":"slack","name":"Team","credentials":{"bot_token":"xoxb"}}'],
      ['GET', '/api/integrations/int_1', undefined],
      ['PATCH', '/api/integrations/int_1', '{"credentials":{"bot_token":"xoxb-2"}}'],
      ['POST', '/api/integrations/int_1/verify', undefined],
      ['POST', '/api/integrations/int_1/webhook', undefined],
      ['POST', '/api/integrations/int_1/test-message', '{"recipient":"C1","text":"Hi"}'],
      ['DELETE', '/api/integrations/int_1', undefined],
      ['POST', '/api/deployments', '{"bot_id":"bot_1","integration_id":"int_1"}'],
    ]);
  });

  it('reaches every jobs route with the contract’s methods, paths, filters and bodies', async () => {
    const ok = () => jsonResponse(200, {});
    const fetchMock = mockFetch({
      'GET /api/jobs?state=dead&platform=slack&q=evt+1&from=2026-11-25T19%3A00%3A00Z&limit=50&cursor=c2':
        () => jsonResponse(200, { items: [], total: 0, next_cursor: null }),
      'GET /api/jobs/stats': ok,
      'GET /api/jobs/job_%2F1': ok,
      'POST /api/jobs/job_1/retry': ok,
      'POST /api/jobs/job_1/cancel': ok,
      'POST /api/jobs/retry': () => jsonResponse(200, { count: 3 }),
      'GET /api/webhook-events/evt_1': ok,
      'POST /api/integrations/int_1/simulate': () =>
        jsonResponse(202, { event_id: 'evt_1', job_id: 'job_1', duplicate: false }),
    });

    await api.jobs.list({
      state: 'dead',
      platform: 'slack',
      q: 'evt 1',
      bot_id: '',
      from: '2026-11-25T19:00:00Z',
      limit: 50,
      cursor: 'c2',
    });
    await api.jobs.stats();
    await api.jobs.get('job_/1');
    await api.jobs.retry('job_1');
    await api.jobs.cancel('job_1');
    expect(await api.jobs.retryMatching({ state: 'failed', integration_id: 'int_1' })).toEqual({ count: 3 });
    await api.webhookEvents.get('evt_1');
    await api.integrations.simulate('int_1', { text: 'Hi', external_user_id: 'u1' });

    const sent = fetchMock.mock.calls.map(([path, init]) => [init?.method, String(path), init?.body]);
    expect(sent).toEqual([
      [
        'GET',
        '/api/jobs?state=dead&platform=slack&q=evt+1&from=2026-11-25T19%3A00%3A00Z&limit=50&cursor=c2',
        undefined,
      ],
      ['GET', '/api/jobs/stats', undefined],
      ['GET', '/api/jobs/job_%2F1', undefined],
      ['POST', '/api/jobs/job_1/retry', undefined],
      ['POST', '/api/jobs/job_1/cancel', undefined],
      ['POST', '/api/jobs/retry', '{"state":"failed","integration_id":"int_1"}'],
      ['GET', '/api/webhook-events/evt_1', undefined],
      ['POST', '/api/integrations/int_1/simulate', '{"text":"Hi","external_user_id":"u1"}'],
    ]);
    expect(api.jobs.exportUrl({ state: 'dead', q: '' }, 'csv')).toBe(
      '/api/jobs/export?format=csv&state=dead',
    );
  });

  it('remembers the CSRF token of the session answered by switch-org and invite accept', async () => {
    const fetchMock = mockFetch({
      'POST /api/auth/switch-org': () => jsonResponse(200, { ...session, csrf_token: 'after-switch' }),
      'POST /api/orgs': () => jsonResponse(201, { id: 'org_2' }),
    });

    await api.auth.switchOrg('org_2');
    await api.orgs.create('Second');

    expect(fetchMock.mock.calls[0][1]?.body).toBe('{"org_id":"org_2"}');
    expect(headersOf(fetchMock, 1)['X-CSRF-Token']).toBe('after-switch');
  });
});
