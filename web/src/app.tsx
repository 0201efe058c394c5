// The route table: /auth, account recovery, /invite/:token and the public /chat/:key outside the shell, every other page behind sign-in inside
// it, and the pages about an organisation behind RequireOrganization. A data router runs it (main.tsx),
// so that leaving a form with unsaved changes can ask first (useBlocker).
import { createRoutesFromElements, Navigate, Outlet, Route } from 'react-router-dom';
import { ErrorBoundary } from '@/components/error-boundary';
import { AppShell } from '@/components/layout/app-shell';
import { UnsavedChangesProvider } from '@/components/unsaved-changes-dialog';
import { ReauthenticationDialog } from '@/features/auth/reauthentication-dialog';
import { RequireAuth } from '@/features/auth/require-auth';
import { RequireOrganization } from '@/features/orgs/require-organization';
import { RequireTwoFactorEnrollment } from '@/features/two-factor/enrollment-gate';
import { AdminPage } from '@/pages/admin-page';
import { AnalyticsPage } from '@/pages/analytics-page';
import { ApiKeysPage } from '@/pages/api-keys-page';
import { AuditLogPage } from '@/pages/audit-log-page';
import { AuthPage } from '@/pages/auth-page';
import { BillingPage } from '@/pages/billing-page';
import { BotPage } from '@/pages/bot-page';
import { BotsPage } from '@/pages/bots-page';
import { ConversationsPage } from '@/pages/conversations-page';
import { DashboardPage } from '@/pages/dashboard-page';
import { DebugPage } from '@/pages/debug-page';
import { ForgotPasswordPage } from '@/pages/forgot-password-page';
import { HostedChatPage } from '@/pages/hosted-chat-page';
import { IntegrationsPage } from '@/pages/integrations-page';
import { InvitePage } from '@/pages/invite-page';
import { MailboxPage } from '@/pages/mailbox-page';
import { NotFoundPage } from '@/pages/not-found-page';
import { OperationsPage } from '@/pages/operations-page';
import { OrganizationSettingsPage } from '@/pages/organization-settings-page';
import { ProfileSettingsPage } from '@/pages/profile-settings-page';
import { ResetPasswordPage } from '@/pages/reset-password-page';
import { TeamPage } from '@/pages/team-page';
import { TemplatesPage } from '@/pages/templates-page';
import { VerifyEmailPage } from '@/pages/verify-email-page';

/** Around every page: the last-resort error boundary and the question before unsaved edits are left. */
function Root() {
  return (
    <ErrorBoundary>
      <UnsavedChangesProvider>
        <Outlet />
      </UnsavedChangesProvider>
    </ErrorBoundary>
  );
}

export const appRoutes = createRoutesFromElements(
  <Route element={<Root />}>
    <Route path="/auth" element={<AuthPage />} />
    {/* Account recovery: reached from mail, signed in or not. */}
    <Route path="/forgot-password" element={<ForgotPasswordPage />} />
    <Route path="/reset-password" element={<ResetPasswordPage />} />
    <Route path="/verify-email" element={<VerifyEmailPage />} />
    <Route path="/invite/:token" element={<InvitePage />} />
    {/* The public web chat: visitors are not signed in. */}
    <Route path="/chat/:key" element={<HostedChatPage />} />
    <Route
      element={
        <RequireAuth>
          <RequireTwoFactorEnrollment>
            <AppShell />
          </RequireTwoFactorEnrollment>
          {/* Asks for the password again when an action needs recent authentication. */}
          <ReauthenticationDialog />
        </RequireAuth>
      }
    >
      <Route element={<RequireOrganization />}>
        <Route index element={<DashboardPage />} />
        <Route path="team" element={<TeamPage />} />
        <Route path="bots" element={<BotsPage />} />
        <Route path="bots/:id" element={<BotPage />} />
        <Route path="conversations" element={<ConversationsPage />} />
        <Route path="templates" element={<TemplatesPage />} />
        {/* The platform list lives on /integrations now, each platform with its accounts. */}
        <Route path="platforms" element={<Navigate to="/integrations" replace />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="operations" element={<OperationsPage />} />
        <Route path="analytics" element={<AnalyticsPage />} />
        <Route path="settings/organization" element={<OrganizationSettingsPage />} />
        <Route path="settings/api-keys" element={<ApiKeysPage />} />
        <Route path="settings/audit" element={<AuditLogPage />} />
        <Route path="billing" element={<BillingPage />} />
      </Route>
      <Route path="settings" element={<Navigate to="/settings/profile" replace />} />
      <Route path="settings/profile" element={<ProfileSettingsPage />} />
      <Route path="admin" element={<AdminPage />} />
      <Route path="debug" element={<DebugPage />} />
      <Route path="debug/mailbox" element={<MailboxPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>
  </Route>,
);
