// A fake analytics server for tests: answers by "METHOD /path" whatever the query string, records every
// URL asked for, and renders the Analytics page signed in as the given role.
import * as React from 'react';
import { vi } from 'vitest';
import { useSession } from '@/features/auth/session';
import {
  analyticsPermissions,
  breakdown,
  funnel,
  insightRun,
  overview,
  series,
  unanswered,
} from '@/features/analytics/fixtures';
import { AnalyticsPage } from '@/pages/analytics-page';
import { jsonResponse, renderWithProviders, session } from '@/test/utils';

export type RouteHandler = (url: URL, init: RequestInit) => Response | Promise<Response>;

export function defaultAnalyticsHandlers(
  role: 'owner' | 'admin' | 'member' | 'viewer',
): Record<string, RouteHandler> {
  return {
    'GET /api/auth/session': () => jsonResponse(200, { ...session, role }),
    'GET /api/permissions': () => jsonResponse(200, analyticsPermissions(role)),
    'GET /api/bots': () => jsonResponse(200, { items: [] }),
    'GET /api/deployments': () => jsonResponse(200, { items: [] }),
    'GET /api/templates': () => jsonResponse(200, { items: [] }),
    'GET /api/analytics/overview': () => jsonResponse(200, overview()),
    'GET /api/analytics/series': () => jsonResponse(200, series()),
    'GET /api/analytics/funnel': (url) =>
      jsonResponse(200, funnel(url.searchParams.get('by') === 'platform' ? 'platform' : 'none')),
    'GET /api/analytics/breakdown': (url) =>
      jsonResponse(200, breakdown(url.searchParams.get('by') as 'platform' | 'bot' | 'template')),
    'GET /api/analytics/unanswered': () => jsonResponse(200, unanswered()),
    'GET /api/analytics/settings': () =>
      jsonResponse(200, { share_transcripts: false, time_zone: 'Europe/Berlin' }),
    'GET /api/analytics/insights': () => jsonResponse(200, { items: [insightRun()], next: null }),
    'GET /api/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
  };
}

export function mockAnalyticsServer(handlers: Record<string, RouteHandler>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://sb.test');
    const handler = handlers[`${init.method ?? 'GET'} ${url.pathname}`];
    return handler
      ? handler(url, init)
      : jsonResponse(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  /** The URLs asked for at `path`, as URL objects. */
  const calls = (path: string, method = 'GET') =>
    fetchMock.mock.calls
      .filter(
        ([input, init]) =>
          (init?.method ?? 'GET') === method && new URL(String(input), 'http://sb.test').pathname === path,
      )
      .map(([input, init]) => ({ url: new URL(String(input), 'http://sb.test'), init }));
  return { fetchMock, calls };
}

function SignedIn({ children }: { children: React.ReactNode }) {
  const { data } = useSession();
  return data ? <>{children}</> : null;
}

export function renderAnalytics({
  role = 'owner',
  handlers = {},
  route = '/analytics',
}: {
  role?: 'owner' | 'admin' | 'member' | 'viewer';
  handlers?: Record<string, RouteHandler>;
  route?: string;
} = {}) {
  const server = mockAnalyticsServer({ ...defaultAnalyticsHandlers(role), ...handlers });
  const rendered = renderWithProviders(
    <SignedIn>
      <AnalyticsPage />
    </SignedIn>,
    { route },
  );
  return { ...server, ...rendered };
}

export const featureNotInPlan = () =>
  jsonResponse(402, {
    error: {
      code: 'feature_not_in_plan',
      message: 'Not in plan.',
      details: { feature: 'advanced_analytics', plan: 'free' },
    },
  });
