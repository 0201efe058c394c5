import { screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { RequireAuth } from '@/features/auth/require-auth';
import { safeNext } from '@/features/auth/session';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

function ShowLocation() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname + location.search}</p>;
}

function renderGuarded(route: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/auth" element={<ShowLocation />} />
      <Route
        path="*"
        element={
          <RequireAuth>
            <p>Secret page</p>
          </RequireAuth>
        }
      />
    </Routes>,
    { route },
  );
}

describe('RequireAuth', () => {
  it('sends a signed-out visitor to /auth with the page to come back to', async () => {
    mockFetch({
      'GET /api/auth/session': () =>
        jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }),
    });

    renderGuarded('/settings/profile?tab=x');

    expect(await screen.findByTestId('location')).toHaveTextContent(
      `/auth?next=${encodeURIComponent('/settings/profile?tab=x')}`,
    );
    expect(screen.queryByText('Secret page')).not.toBeInTheDocument();
  });

  it('shows the page to a signed-in user', async () => {
    mockFetch({ 'GET /api/auth/session': () => jsonResponse(200, session) });

    renderGuarded('/debug');

    expect(await screen.findByText('Secret page')).toBeInTheDocument();
  });

  it('offers a retry instead of redirecting when the server cannot be reached', async () => {
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(503, { error: { code: 'unavailable', message: 'Down.' } }),
    });

    renderGuarded('/');

    expect(await screen.findByText('Could not reach Switchboard', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /try again/i })).toBeInTheDocument();
  });
});

describe('safeNext', () => {
  it('keeps paths on this site and refuses other origins', () => {
    expect(safeNext('/debug?x=1')).toBe('/debug?x=1');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/auth?next=/')).toBe('/');
  });
});
