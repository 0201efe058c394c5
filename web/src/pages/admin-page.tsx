// /admin: every organisation and user on this server (platform admins only).
import { Building2, ShieldCheck, Users } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useAdminOrganizations, useAdminUsers } from '@/features/admin/queries';
import { AdminPlanBadges, ChangePlanButton } from '@/features/billing/admin-plan-control';
import { ResetTwoFactorButton } from '@/features/two-factor/reset-two-factor-button';
import { isApiError } from '@/lib/api';
import { formatDate, formatDateTime } from '@/lib/utils';

export function AdminPage() {
  useDocumentTitle('Admin');
  const organizations = useAdminOrganizations();
  const users = useAdminUsers();
  // Servers with billing (ADR 0034) tell each organisation's plan; older ones do not.
  const withPlans = organizations.data?.some((organization) => organization.plan !== undefined) ?? false;

  if (isApiError(organizations.error, 403) || isApiError(users.error, 403)) {
    return (
      <>
        <PageHeader title="Admin" />
        <ForbiddenState
          title="You need to be a platform admin to see this page"
          description="The list of organizations and users is only shown to the operators of this Switchboard server."
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Admin"
        description="Every organization and user on this server. You see their names, not their data."
      />
      <div className="space-y-6">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Building2 className="size-4 text-muted-foreground" /> Organizations
              {organizations.data ? <Badge variant="secondary">{organizations.data.length}</Badge> : null}
            </CardTitle>
            <CardDescription>
              Each workspace with its owner and head count{withPlans ? ', and its plan' : ''}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {organizations.isPending ? (
              <TableSkeleton label="Loading organizations" />
            ) : organizations.isError ? (
              <ErrorState
                title="Could not load the organizations"
                error={organizations.error}
                onRetry={() => organizations.refetch()}
              />
            ) : organizations.data.length === 0 ? (
              <EmptyState icon={Building2} title="No organizations yet" className="py-6" />
            ) : (
              <Table stackOnPhone>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Owner</TableHead>
                    <TableHead className="text-right">Members</TableHead>
                    {withPlans ? <TableHead>Plan</TableHead> : null}
                    <TableHead>Created</TableHead>
                    {withPlans ? (
                      <TableHead>
                        <span className="sr-only">Change plan</span>
                      </TableHead>
                    ) : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {organizations.data.map((organization) => (
                    <TableRow key={organization.id}>
                      <TableCell>
                        <p className="font-medium">{organization.name}</p>
                        <p className="font-mono text-xs text-muted-foreground">{organization.id}</p>
                      </TableCell>
                      <TableCell stackLabel="Owner" className="break-words">
                        {organization.owner_email ?? <span className="text-muted-foreground">—</span>}
                      </TableCell>
                      <TableCell stackLabel="Members" className="text-right tabular-nums">
                        {organization.member_count}
                      </TableCell>
                      {withPlans ? (
                        <TableCell stackLabel="Plan">
                          <AdminPlanBadges organization={organization} />
                        </TableCell>
                      ) : null}
                      <TableCell stackLabel="Created" className="whitespace-nowrap text-muted-foreground">
                        <span title={formatDateTime(organization.created_at)}>
                          {formatDate(organization.created_at)}
                        </span>
                      </TableCell>
                      {withPlans ? (
                        <TableCell>
                          {/* Not text-right: the confirmation dialog inside would inherit it. */}
                          <div className="flex justify-end">
                            <ChangePlanButton organization={organization} />
                          </div>
                        </TableCell>
                      ) : null}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Users className="size-4 text-muted-foreground" /> Users
              {users.data ? <Badge variant="secondary">{users.data.length}</Badge> : null}
            </CardTitle>
            <CardDescription>Everyone with an account on this server.</CardDescription>
          </CardHeader>
          <CardContent>
            {users.isPending ? (
              <TableSkeleton label="Loading users" />
            ) : users.isError ? (
              <ErrorState
                title="Could not load the users"
                error={users.error}
                onRetry={() => users.refetch()}
              />
            ) : users.data.length === 0 ? (
              <EmptyState icon={Users} title="No users yet" className="py-6" />
            ) : (
              <Table stackOnPhone>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Email</TableHead>
                    <TableHead className="text-right">Organizations</TableHead>
                    <TableHead>Signed up</TableHead>
                    <TableHead>
                      <span className="sr-only">Two-factor sign-in</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {users.data.map((user) => (
                    <TableRow key={user.id}>
                      <TableCell>
                        <span className="inline-flex flex-wrap items-center gap-2 font-medium">
                          {user.name}
                          {user.is_platform_admin ? (
                            <Badge variant="blue">
                              <ShieldCheck className="size-3" /> Platform admin
                            </Badge>
                          ) : null}
                          {user.two_factor_enabled ? <Badge variant="green">Two-factor</Badge> : null}
                        </span>
                      </TableCell>
                      <TableCell className="break-words">{user.email}</TableCell>
                      <TableCell stackLabel="Organizations" className="text-right tabular-nums">
                        {user.organization_count}
                      </TableCell>
                      <TableCell stackLabel="Signed up" className="whitespace-nowrap text-muted-foreground">
                        <span title={formatDateTime(user.created_at)}>{formatDate(user.created_at)}</span>
                      </TableCell>
                      <TableCell className="text-right">
                        {user.two_factor_enabled ? <ResetTwoFactorButton user={user} /> : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function TableSkeleton({ label }: { label: string }) {
  return (
    <div className="space-y-2" aria-busy="true" aria-label={label}>
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-11 w-full" />
      <Skeleton className="h-11 w-full" />
    </div>
  );
}
