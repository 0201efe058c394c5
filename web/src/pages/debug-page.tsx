// /debug: platform health for platform admins — checks, database, migrations, session and build.
import { Database, GitCommitHorizontal, Layers, RotateCw, ShieldAlert, UserRound } from 'lucide-react';
import { Link } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { DescriptionList } from '@/components/ui/description-list';
import { Skeleton } from '@/components/ui/skeleton';
import { overallStatus, useDebugReport } from '@/features/debug/queries';
import { StatusBadge, StatusDot } from '@/features/debug/status';
import { isApiError, type DebugReport } from '@/lib/api';
import { cn, formatDateTime, formatLatency, formatRelative } from '@/lib/utils';

export function DebugPage() {
  useDocumentTitle('Debug');
  const report = useDebugReport();

  if (isApiError(report.error, 403)) {
    return (
      <>
        <PageHeader title="Debug" />
        <Card>
          <EmptyState
            icon={ShieldAlert}
            title="You need to be a platform admin to see this page"
            description="System health is only shown to the operators of this Switchboard server."
          >
            <Button asChild variant="outline" size="sm">
              <Link to="/">Back to dashboard</Link>
            </Button>
          </EmptyState>
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Debug"
        description="The state of this Switchboard server, as seen from your session."
        actions={
          <Button variant="outline" size="sm" onClick={() => report.refetch()} disabled={report.isFetching}>
            <RotateCw className={cn(report.isFetching && 'animate-spin')} />
            Refresh
          </Button>
        }
      />
      {report.isPending ? (
        <DebugSkeleton />
      ) : report.isError ? (
        <ErrorState
          title="Could not load the debug report"
          error={report.error}
          onRetry={() => report.refetch()}
        />
      ) : (
        <DebugReportView report={report.data} />
      )}
    </>
  );
}

function DebugReportView({ report }: { report: DebugReport }) {
  const status = overallStatus(report.checks);
  const { applied, pending } = report.migrations;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <Card className="lg:col-span-3">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            {status ? <StatusDot status={status} /> : null} Checks
          </CardTitle>
          <CardDescription>Each check the server ran for this request.</CardDescription>
        </CardHeader>
        <CardContent>
          {report.checks.length === 0 ? (
            <EmptyState icon={Layers} title="No checks reported" className="py-6" />
          ) : (
            <ul className="divide-y rounded-md border">
              {report.checks.map((check) => (
                <li key={check.name} className="flex items-center gap-3 px-4 py-3">
                  <StatusDot status={check.status} />
                  <div className="min-w-0 flex-1">
                    <p className="text-sm font-medium">{check.name}</p>
                    <p className="text-sm text-muted-foreground">{check.reason}</p>
                  </div>
                  <StatusBadge status={check.status} />
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <Database className="size-4 text-muted-foreground" /> Database
          </CardTitle>
        </CardHeader>
        <CardContent>
          <DescriptionList
            facts={[
              { term: 'Driver', value: report.database.driver },
              { term: 'Round trip', value: formatLatency(report.database.latency_ms) },
            ]}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <UserRound className="size-4 text-muted-foreground" /> Session
          </CardTitle>
        </CardHeader>
        <CardContent>
          <DescriptionList
            facts={[
              {
                term: 'User',
                value: <span title={report.session.user.email}>{report.session.user.name}</span>,
              },
              {
                term: 'Organization',
                value: report.session.organization.name ?? report.session.organization.id,
              },
              { term: 'Role', value: <span className="capitalize">{report.session.role}</span> },
              {
                term: 'Expires',
                value: (
                  <span title={formatDateTime(report.session.expires_at)}>
                    {formatRelative(report.session.expires_at)}
                  </span>
                ),
              },
            ]}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <GitCommitHorizontal className="size-4 text-muted-foreground" /> Build
          </CardTitle>
        </CardHeader>
        <CardContent>
          <DescriptionList
            facts={[
              { term: 'Version', value: report.build.version },
              {
                term: 'Commit',
                value: (
                  <code className="font-mono text-xs" title={report.build.commit}>
                    {report.build.commit.slice(0, 12)}
                  </code>
                ),
              },
            ]}
          />
        </CardContent>
      </Card>

      <Card className="lg:col-span-3">
        <CardHeader className="flex-row items-center justify-between gap-4 space-y-0">
          <div className="space-y-1">
            <CardTitle className="flex items-center gap-2">
              <Layers className="size-4 text-muted-foreground" /> Migrations
            </CardTitle>
            <CardDescription>
              {applied.length} applied, {pending.length} pending.
            </CardDescription>
          </div>
          {pending.length > 0 ? (
            <Badge variant="amber">Pending migrations</Badge>
          ) : (
            <Badge variant="green">Up to date</Badge>
          )}
        </CardHeader>
        <CardContent>
          {applied.length + pending.length === 0 ? (
            <EmptyState icon={Layers} title="No migrations yet" className="py-6" />
          ) : (
            <div className="overflow-x-auto rounded-md border">
              <table className="w-full text-sm">
                <thead className="bg-muted/40 text-left text-xs text-muted-foreground">
                  <tr>
                    <th className="px-4 py-2 font-medium">Version</th>
                    <th className="px-4 py-2 font-medium">Name</th>
                    <th className="px-4 py-2 font-medium">Applied</th>
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {[
                    ...pending.map((m) => ({ ...m, pending: true })),
                    ...applied.map((m) => ({ ...m, pending: false })),
                  ].map((migration) => (
                    <tr key={`${migration.version}-${migration.name}`}>
                      <td className="px-4 py-2 font-mono text-xs">{migration.version}</td>
                      <td className="px-4 py-2">{migration.name}</td>
                      <td className="whitespace-nowrap px-4 py-2 text-muted-foreground">
                        {migration.pending ? (
                          <Badge variant="amber">Pending</Badge>
                        ) : migration.applied_at ? (
                          formatDateTime(migration.applied_at)
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function DebugSkeleton() {
  return (
    <div className="grid gap-4 lg:grid-cols-3" aria-busy="true" aria-label="Loading the debug report">
      <Skeleton className="h-56 lg:col-span-3" />
      <Skeleton className="h-36" />
      <Skeleton className="h-36" />
      <Skeleton className="h-36" />
      <Skeleton className="h-48 lg:col-span-3" />
    </div>
  );
}
