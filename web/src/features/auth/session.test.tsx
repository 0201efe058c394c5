import { useQuery } from '@tanstack/react-query';
import { screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import { RequireAuth } from '@/features/auth/require-auth';
import { useSignedInSession } from '@/features/auth/session';
import { api } from '@/lib/api';
import { jsonResponse, mockFetch, renderWithProviders, session } from '@/test/utils';

function ShowLocation() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname + location.search}</p>;
}

// A page that reads the session and loads something that answers 401 once the session has ended.
function SessionsPage() {
  const signedIn = useSignedInSession();
  useQuery({ queryKey: ['sessions'], queryFn: api.auth.sessions, retry: false });
  return <p>Hello {signedIn.user.name}</p>;
}

describe('useSignedInSession', () => {
  it('lets a page whose session ended render until the guard sends it to sign in', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    mockFetch({
      'GET /api/auth/session': () => jsonResponse(200, session),
      'GET /api/auth/sessions': () =>
        jsonResponse(401, { error: { code: 'unauthenticated', message: 'Your session has ended.' } }),
    });

    renderWithProviders(
      <Routes>
        <Route path="/auth" element={<ShowLocation />} />
        <Route
          path="*"
          element={
            <RequireAuth>
              <SessionsPage />
            </RequireAuth>
          }
        />
      </Routes>,
      { route: '/settings/profile' },
    );

    expect(await screen.findByTestId('location')).toHaveTextContent(
      `/auth?next=${encodeURIComponent('/settings/profile')}`,
    );
    const thrown = consoleError.mock.calls.flat().map(String).join('\n');
    expect(thrown).not.toContain('only available behind RequireAuth');
    consoleError.mockRestore();
  });
});
