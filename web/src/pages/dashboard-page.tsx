// /: the home page — your bots, recent conversations, who you are, your organization, and (for
// platform admins) system health.
import * as React from 'react';
import {
  ArrowRight,
  Activity,
  Bot as BotIcon,
  Building2,
  Cable,
  CircleCheck,
  FileText,
  KeyRound,
  MessagesSquare,
  Plus,
  Rocket,
  UserPlus,
  UserRound,
} from 'lucide-react';
import { Link } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { DescriptionList } from '@/components/ui/description-list';
import { Skeleton } from '@/components/ui/skeleton';
import { hasOrganization, useSignedInSession } from '@/features/auth/session';
import { BotAvatar } from '@/features/bots/bot-avatar';
import { UsageWarningsCard } from '@/features/billing/usage-warnings';
import { ConversationDialog } from '@/features/bots/conversation-dialog';
import { useBots, useConversations } from '@/features/bots/queries';
import { overallStatus, useDebugReport } from '@/features/debug/queries';
import { StatusDot } from '@/features/debug/status';
import { platformLabel } from '@/features/conversations/platforms';
import { type GettingStartedKey } from '@/features/onboarding/api';
import { useGettingStarted } from '@/features/onboarding/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { RoleBadge } from '@/features/permissions/role-badge';
import type { CheckStatus, Conversation, DebugReport, OrgSession } from '@/lib/api';
import { cn, formatDate, formatDateTime, formatLatency, formatRelative } from '@/lib/utils';

function greeting(hour = new Date().getHours()) {
  if (hour < 5) return 'Good evening';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function DashboardPage() {
  const session = useSignedInSession();
  // Leaving the last organisation navigates here in a transition while the session loses its
  // organisation: render nothing for that moment instead of throwing (RequireOrganization takes over).
  return hasOrganization(session) ? <Dashboard session={session} /> : null;
}

function Dashboard({ session }: { session: OrgSession }) {
  const { user, organization } = session;
  const { can } = usePermissions();
  useDocumentTitle('Dashboard');

  return (
    <>
      <PageHeader
        title={`${greeting()}, ${user.name.trim().split(/\s+/)[0]}`}
        description={
          <>
            You are signed in to <span className="font-medium text-foreground">{organization.name}</span> as{' '}
            {session.role}.
          </>
        }
      />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <UsageWarningsCard className="md:col-span-2" />
        <YourBotsCard canCreate={can(Action.botsManage)} />
        <RecentConversationsCard />
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Building2 className="size-4 text-muted-foreground" /> Organization
            </CardTitle>
          </CardHeader>
          <CardContent>
            <DescriptionList
              facts={[
                { term: 'Name', value: organization.name },
                { term: 'Your role', value: <RoleBadge role={session.role} /> },
                { term: 'Created', value: formatDate(organization.created_at) },
                { term: 'ID', value: <code className="font-mono text-xs">{organization.id}</code> },
              ]}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <UserRound className="size-4 text-muted-foreground" /> Account
            </CardTitle>
          </CardHeader>
          <CardContent>
            <DescriptionList
              facts={[
                { term: 'Email', value: user.email },
                { term: 'Member since', value: formatDate(user.created_at) },
                { term: 'Platform admin', value: user.is_platform_admin ? 'Yes' : 'No' },
                {
                  term: 'Session expires',
                  value: (
                    <span title={formatDateTime(session.expires_at)}>
                      {formatRelative(session.expires_at)}
                    </span>
                  ),
                },
              ]}
            />
          </CardContent>
        </Card>
        {user.is_platform_admin ? <SystemHealthCard /> : null}
        <GettingStartedCard isAdmin={user.is_platform_admin} />
      </div>
    </>
  );
}

const SUMMARY: Record<CheckStatus, string> = {
  green: 'All systems operational',
  amber: 'Some checks need attention',
  red: 'Some checks are failing',
};

function SystemHealthCard() {
  const report = useDebugReport();
  return (
    <Card className="md:col-span-2">
      <CardHeader className="flex-row items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle className="flex items-center gap-2">
            <Activity className="size-4 text-muted-foreground" /> System health
          </CardTitle>
          <CardDescription>Visible to platform admins only.</CardDescription>
        </div>
        <Link to="/debug" className="inline-flex items-center gap-1 text-sm font-medium hover:underline">
          Details <ArrowRight className="size-4" />
        </Link>
      </CardHeader>
      <CardContent>
        {report.isPending ? (
          <div className="space-y-3" aria-busy="true">
            <Skeleton className="h-5 w-56" />
            <div className="grid gap-3 sm:grid-cols-3">
              <Skeleton className="h-16" />
              <Skeleton className="h-16" />
              <Skeleton className="h-16" />
            </div>
          </div>
        ) : report.isError ? (
          <ErrorState
            title="Could not load system health"
            error={report.error}
            onRetry={() => report.refetch()}
          />
        ) : (
          <HealthSummary report={report.data} />
        )}
      </CardContent>
    </Card>
  );
}

function HealthSummary({ report }: { report: DebugReport }) {
  const status = overallStatus(report.checks);
  const attention = report.checks.filter((check) => check.status !== 'green').length;
  const stats = [
    { label: 'Database', value: `${report.database.driver} · ${formatLatency(report.database.latency_ms)}` },
    {
      label: 'Migrations',
      value: `${report.migrations.applied.length} applied · ${report.migrations.pending.length} pending`,
    },
    { label: 'Version', value: report.build.version },
  ];
  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-x-2.5 gap-y-1 text-sm font-medium">
        {status ? <StatusDot status={status} /> : null}
        {status ? SUMMARY[status] : 'No checks reported'}
        <span className="font-normal text-muted-foreground">
          {report.checks.length - attention} of {report.checks.length} checks healthy
        </span>
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        {stats.map((stat) => (
          <div key={stat.label} className="rounded-md border bg-muted/30 px-3 py-2.5">
            <p className="text-xs text-muted-foreground">{stat.label}</p>
            <p className="mt-0.5 truncate text-sm font-medium">{stat.value}</p>
          </div>
        ))}
      </div>
    </div>
  );
}

const CHECKLIST: Record<
  GettingStartedKey,
  { to: string; icon: React.ComponentType<{ className?: string }>; title: string; description: string }
> = {
  bot_created: {
    to: '/bots',
    icon: BotIcon,
    title: 'Create a bot',
    description: 'Give it a name, a greeting and the model it answers with.',
  },
  template_written: {
    to: '/templates',
    icon: FileText,
    title: 'Write a template',
    description: 'An approved answer your bots give word for word when a trigger phrase comes up.',
  },
  platform_connected: {
    to: '/integrations',
    icon: Cable,
    title: 'Connect a messaging platform',
    description: 'Add your Telegram bot, WhatsApp number, Slack app or others, and verify it.',
  },
  bot_deployed: {
    to: '/bots',
    icon: Rocket,
    title: 'Deploy a bot',
    description: 'Put a bot on web chat or on a connected account so people can reach it.',
  },
  first_conversation: {
    to: '/bots',
    icon: MessagesSquare,
    title: 'Have a first conversation',
    description: 'Send your bot a message from web chat or a platform and read its answer.',
  },
  teammate_invited: {
    to: '/team',
    icon: UserPlus,
    title: 'Invite your team',
    description: 'Bring in colleagues as admins, members or viewers — each sees only what their role allows.',
  },
};

function GettingStartedCard({ isAdmin }: { isAdmin: boolean }) {
  const progress = useGettingStarted();
  const more = [
    {
      to: '/settings/profile',
      icon: UserRound,
      title: 'Complete your profile',
      description: 'Add a photo and your time zone so times show in your own hours.',
    },
    {
      to: '/settings/profile#password',
      icon: KeyRound,
      title: 'Secure your account',
      description: 'Use a long, unique password. Changing it signs out your other sessions.',
    },
    ...(isAdmin
      ? [
          {
            to: '/debug',
            icon: Activity,
            title: 'Review system health',
            description: 'Check the database, migrations and build this server is running.',
          },
        ]
      : []),
  ];
  return (
    <Card className="md:col-span-2">
      <CardHeader>
        <CardTitle id="getting-started-title">Getting started</CardTitle>
        <CardDescription>
          {progress.data
            ? progress.data.completed === progress.data.total
              ? 'All done: your team is up and running.'
              : `${progress.data.completed} of ${progress.data.total} done. Each step ticks itself when it happens.`
            : 'A few things worth doing first.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="p-2 pt-0">
        {progress.isPending ? (
          <div className="space-y-2 px-3 py-2" aria-busy="true" aria-label="Loading the checklist">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : progress.isError ? (
          <div className="px-3 py-2">
            <ErrorState
              title="Could not load the checklist"
              error={progress.error}
              onRetry={() => progress.refetch()}
            />
          </div>
        ) : (
          <ul aria-labelledby="getting-started-title">
            {progress.data.steps.map(({ key, done }) => {
              const step = CHECKLIST[key];
              if (!step) return null;
              return (
                <li key={key} data-step={key} data-done={done}>
                  <Link
                    to={step.to}
                    className="group flex items-center gap-3 rounded-md px-3 py-2.5 transition-colors hover:bg-muted/60"
                  >
                    <span
                      className={cn(
                        'flex size-8 shrink-0 items-center justify-center rounded-md border',
                        done ? 'border-emerald-200 bg-emerald-50' : 'bg-background',
                      )}
                    >
                      {done ? (
                        <CircleCheck className="size-4 text-emerald-600" aria-hidden="true" />
                      ) : (
                        <step.icon className="size-4 text-muted-foreground" />
                      )}
                    </span>
                    <span className="min-w-0 flex-1">
                      <span className={cn('block text-sm font-medium', done && 'text-muted-foreground')}>
                        {step.title}
                        <span className="sr-only">{done ? ' (done)' : ' (to do)'}</span>
                      </span>
                      <span className="block text-sm text-muted-foreground">{step.description}</span>
                    </span>
                    {done ? (
                      <Badge variant="outline" className="shrink-0 text-emerald-700" aria-hidden="true">
                        Done
                      </Badge>
                    ) : (
                      <ArrowRight className="size-4 shrink-0 text-muted-foreground transition-transform group-hover:translate-x-0.5" />
                    )}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
        <ul aria-label="Also worth doing" className="mt-2 border-t pt-2">
          {more.map((step) => (
            <li key={step.title}>
              <Link
                to={step.to}
                className="group flex items-center gap-3 rounded-md px-3 py-2.5 transition-colors hover:bg-muted/60"
              >
                <span className="flex size-8 shrink-0 items-center justify-center rounded-md border bg-background">
                  <step.icon className="size-4 text-muted-foreground" />
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block text-sm font-medium">{step.title}</span>
                  <span className="block text-sm text-muted-foreground">{step.description}</span>
                </span>
                <ArrowRight className="size-4 shrink-0 text-muted-foreground transition-transform group-hover:translate-x-0.5" />
              </Link>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}

function CardLink({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <Link to={to} className="inline-flex items-center gap-1 text-sm font-medium hover:underline">
      {children} <ArrowRight className="size-4" />
    </Link>
  );
}

function YourBotsCard({ canCreate }: { canCreate: boolean }) {
  const bots = useBots({ status: 'active' });
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4 space-y-0">
        <CardTitle className="flex items-center gap-2">
          <BotIcon className="size-4 text-muted-foreground" /> Your bots
        </CardTitle>
        <CardLink to="/bots">All bots</CardLink>
      </CardHeader>
      <CardContent>
        {bots.isPending ? (
          <div className="space-y-2" aria-busy="true">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : bots.isError ? (
          <ErrorState title="Could not load the bots" error={bots.error} onRetry={() => bots.refetch()} />
        ) : bots.data.length === 0 ? (
          <EmptyState
            icon={BotIcon}
            title="No bots yet"
            description="Create a bot, give it templates and put it on your website."
            className="py-4"
          >
            {canCreate ? (
              <Button asChild size="sm">
                <Link to="/bots">
                  <Plus /> Create your first bot
                </Link>
              </Button>
            ) : null}
          </EmptyState>
        ) : (
          <ul className="-mx-2">
            {bots.data.slice(0, 4).map((bot) => (
              <li key={bot.id}>
                <Link
                  to={`/bots/${bot.id}`}
                  className="flex items-center gap-3 rounded-md px-2 py-2 transition-colors hover:bg-muted/60"
                >
                  <BotAvatar name={bot.name} color={bot.avatar_color} className="size-7" />
                  <span className="min-w-0 flex-1 truncate text-sm font-medium">{bot.name}</span>
                  <span className="text-xs text-muted-foreground">{formatRelative(bot.updated_at)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function RecentConversationsCard() {
  const conversations = useConversations({ limit: 5 });
  const [open, setOpen] = React.useState<Conversation | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <MessagesSquare className="size-4 text-muted-foreground" /> Recent conversations
        </CardTitle>
      </CardHeader>
      <CardContent>
        {conversations.isPending ? (
          <div className="space-y-2" aria-busy="true">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : conversations.isError ? (
          <ErrorState
            title="Could not load the conversations"
            error={conversations.error}
            onRetry={() => conversations.refetch()}
          />
        ) : conversations.data.length === 0 ? (
          <EmptyState
            icon={MessagesSquare}
            title="No conversations yet"
            description="They appear here once visitors talk to a deployed bot."
            className="py-4"
          />
        ) : (
          <ul className="divide-y">
            {conversations.data.map((conversation) => (
              <li key={conversation.id} className="flex items-start gap-3 py-2">
                <div className="min-w-0 flex-1">
                  <p className="flex items-center gap-2 text-sm">
                    <button
                      type="button"
                      className="max-w-[55%] shrink-0 truncate font-medium hover:underline"
                      onClick={() => setOpen(conversation)}
                    >
                      {conversation.display_name || 'Visitor'}
                    </button>
                    <span className="shrink-0 text-muted-foreground">with</span>
                    <Link to={`/bots/${conversation.bot_id}`} className="min-w-0 truncate hover:underline">
                      {conversation.bot_name}
                    </Link>
                  </p>
                  <p className="truncate text-xs text-muted-foreground">
                    {conversation.last_message ?? `${conversation.message_count} messages`}
                  </p>
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1">
                  <Badge variant="outline">{platformLabel(conversation.platform)}</Badge>
                  <span
                    className="text-xs text-muted-foreground"
                    title={formatDateTime(conversation.last_message_at)}
                  >
                    {formatRelative(conversation.last_message_at)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <ConversationDialog conversation={open} onOpenChange={(next) => !next && setOpen(null)} />
    </Card>
  );
}
