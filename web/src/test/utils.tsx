// Test helpers: a fake fetch that answers by "METHOD /path", and rendering inside the app's providers.
import * as React from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { vi } from 'vitest';
import { UnsavedChangesProvider } from '@/components/unsaved-changes-dialog';
import type { Session } from '@/lib/api';
import { createQueryClient } from '@/lib/query-client';
import { ROUTER_FUTURE, ROUTER_PROVIDER_FUTURE } from '@/lib/router';

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export const session: Session = {
  user: {
    id: 'usr_1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    is_platform_admin: false,
    created_at: '2026-11-25T19:40:00Z',
  },
  organization: { id: 'org_1', name: "Ada's organization", created_at: '2026-11-25T19:40:00Z' },
  role: 'owner',
  csrf_token: 'csrf-123',
  expires_at: '2026-12-25T19:40:00Z',
};

type Handler = (init: RequestInit) => Response;

/** Replaces fetch; each call is answered by the handler for "METHOD /path", or 404. */
export function mockFetch(handlers: Record<string, Handler>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const handler = handlers[`${init.method ?? 'GET'} ${String(input)}`];
    return handler
      ? handler(init)
      : jsonResponse(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

/**
 * Renders `ui` for every path of a data router in memory, as the app's root route does (with the
 * unsaved-changes question); `ui` may hold its own <Routes>. `entries` is the history, the last one
 * shown (default: just `route`); `router` navigates like the browser (`router.navigate(-1)` is "back").
 */
export function renderWithProviders(
  ui: React.ReactElement,
  { route = '/', entries = [route] }: { route?: string; entries?: string[] } = {},
) {
  const router = createMemoryRouter(
    [{ path: '*', element: <UnsavedChangesProvider>{ui}</UnsavedChangesProvider> }],
    { initialEntries: entries, initialIndex: entries.length - 1, future: ROUTER_FUTURE },
  );
  const rendered = render(
    <QueryClientProvider client={createQueryClient()}>
      <RouterProvider router={router} future={ROUTER_PROVIDER_FUTURE} />
    </QueryClientProvider>,
  );
  return { ...rendered, router };
}

/** One step of a fake event stream: an event, a pause, a wait for the test, or raw text. */
export type StreamStep =
  { event: string; data: unknown } | { wait: number } | { until: Promise<unknown> } | { raw: string };

/**
 * A 200 text/event-stream response that writes `steps` as the server would (`event: …` and one-line
 * JSON `data: …`, a blank line after each), pausing where told. It then ends; a list without a
 * `done` event is a cut stream.
 */
export function eventStreamResponse(steps: StreamStep[]) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const step of steps) {
        if ('wait' in step) await new Promise((resolve) => setTimeout(resolve, step.wait));
        else if ('until' in step) await step.until;
        else if ('raw' in step) controller.enqueue(encoder.encode(step.raw));
        else
          controller.enqueue(encoder.encode(`event: ${step.event}\ndata: ${JSON.stringify(step.data)}\n\n`));
      }
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/** A promise and the function that resolves it: lets a test hold a fake stream at a chosen point. */
export function gate() {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
