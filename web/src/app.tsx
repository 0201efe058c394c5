// The route table: /auth outside the shell, every other page behind sign-in inside it.
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppShell } from '@/components/layout/app-shell';
import { RequireAuth } from '@/features/auth/require-auth';
import { AuthPage } from '@/pages/auth-page';
import { DashboardPage } from '@/pages/dashboard-page';
import { DebugPage } from '@/pages/debug-page';
import { NotFoundPage } from '@/pages/not-found-page';
import { ProfileSettingsPage } from '@/pages/profile-settings-page';

export function App() {
  return (
    <Routes>
      <Route path="/auth" element={<AuthPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="settings" element={<Navigate to="/settings/profile" replace />} />
        <Route path="settings/profile" element={<ProfileSettingsPage />} />
        <Route path="debug" element={<DebugPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
