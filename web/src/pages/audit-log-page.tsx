// /settings/audit: who did what in the organisation, newest first, with filters and "Load more".
import * as React from 'react';
import { ChevronDown, ChevronRight, KeyRound, Loader2, ScrollText, UserRound } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { endOfDayInclusive, startOfDay, useAuditLog } from '@/features/audit/queries';
import { useCurrentSession } from '@/features/auth/session';
import { useMembers } from '@/features/team/queries';
import { isApiError, type AuditEvent, type AuditFilters } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

interface FilterValues {
  action: string;
  actor_id: string;
  from: string;
  to: string;
}

/** The actions the server records, offered as suggestions (the filter matches a whole action name). */
const KNOWN_ACTIONS = [
  'organization.created',
  'organization.renamed',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.left',
  'ownership.transferred',
  'invite.created',
  'invite.resent',
  'invite.revoked',
  'api_key.created',
  'api_key.revoked',
];

const NO_FILTERS: FilterValues = { action: '', actor_id: '', from: '', to: '' };

function toApiFilters(values: FilterValues): AuditFilters {
  return {
    action: values.action.trim() || undefined,
    actor_id: values.actor_id || undefined,
    from: values.from ? startOfDay(values.from) : undefined,
    to: values.to ? endOfDayInclusive(values.to) : undefined,
  };
}

export function AuditLogPage() {
  useDocumentTitle('Audit log');
  const session = useCurrentSession();
  const orgId = session.organization.id;
  const [draft, setDraft] = React.useState<FilterValues>(NO_FILTERS);
  const [applied, setApplied] = React.useState<FilterValues>(NO_FILTERS);
  const filters = React.useMemo(() => toApiFilters(applied), [applied]);
  const log = useAuditLog(orgId, filters);
  const members = useMembers(orgId);

  if (isApiError(log.error, 403)) {
    return (
      <>
        <PageHeader title="Audit log" />
        <ForbiddenState
          title="Your role cannot see the audit log"
          description={`Only owners and admins of ${session.organization.name} can see who changed what.`}
        />
      </>
    );
  }

  const events = log.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(applied).some(Boolean);
  const set =
    (name: keyof FilterValues) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setDraft((current) => ({ ...current, [name]: event.target.value }));

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Every change to ${session.organization.name}: who made it, when and from where.`}
      />
      <Card className="mb-4">
        <form
          className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[1.4fr_1.2fr_1fr_1fr_auto]"
          aria-label="Filter the audit log"
          onSubmit={(event) => {
            event.preventDefault();
            setApplied(draft);
          }}
        >
          <div className="grid gap-1.5">
            <Label htmlFor="audit-action">Action</Label>
            <Input
              id="audit-action"
              list="audit-actions"
              placeholder="Any action"
              autoComplete="off"
              value={draft.action}
              onChange={set('action')}
            />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-actor">Actor</Label>
            <NativeSelect id="audit-actor" value={draft.actor_id} onChange={set('actor_id')}>
              <option value="">Anyone</option>
              {(members.data ?? []).map((member) => (
                <option key={member.user_id} value={member.user_id}>
                  {member.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-from">From</Label>
            <Input
              id="audit-from"
              type="date"
              value={draft.from}
              max={draft.to || undefined}
              onChange={set('from')}
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-to">To</Label>
            <Input
              id="audit-to"
              type="date"
              value={draft.to}
              min={draft.from || undefined}
              onChange={set('to')}
            />
          </div>
          <div className="flex items-end gap-2">
            <Button type="submit" variant="secondary">
              Apply
            </Button>
            {filtered ? (
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  setDraft(NO_FILTERS);
                  setApplied(NO_FILTERS);
                }}
              >
                Clear
              </Button>
            ) : null}
          </div>
        </form>
      </Card>

      {log.isPending ? (
        <Card aria-busy="true" aria-label="Loading the audit log" className="space-y-2 p-5">
          <Skeleton className="h-9 w-full" />
          {Array.from({ length: 5 }, (_, index) => (
            <Skeleton key={index} className="h-11 w-full" />
          ))}
        </Card>
      ) : log.isError ? (
        <ErrorState title="Could not load the audit log" error={log.error} onRetry={() => log.refetch()} />
      ) : events.length === 0 ? (
        <Card>
          <EmptyState
            icon={ScrollText}
            title={filtered ? 'No events match these filters' : 'No events yet'}
            description={
              filtered
                ? 'Try a wider date range or another action.'
                : 'Changes to members, invitations, API keys and settings will show up here.'
            }
          />
        </Card>
      ) : (
        <Card>
          <CardContent className="p-0">
            <Table
              bare
              className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
            >
              <TableHeader>
                <TableRow>
                  <TableHead className="w-8">
                    <span className="sr-only">Details</span>
                  </TableHead>
                  <TableHead>Time</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Target</TableHead>
                  <TableHead>Address</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.map((event) => (
                  <AuditRow key={event.id} event={event} />
                ))}
              </TableBody>
            </Table>
          </CardContent>
          <div className="flex items-center justify-between gap-4 border-t px-5 py-3 text-sm text-muted-foreground">
            <span>
              {events.length} {events.length === 1 ? 'event' : 'events'}
              {log.hasNextPage ? ' so far' : ''}
            </span>
            {log.hasNextPage ? (
              <Button
                variant="outline"
                size="sm"
                disabled={log.isFetchingNextPage}
                onClick={() => log.fetchNextPage()}
              >
                {log.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
                Load more
              </Button>
            ) : (
              <span>That is everything.</span>
            )}
          </div>
        </Card>
      )}
    </>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  const [open, setOpen] = React.useState(false);
  const hasDetails = event.before != null || event.after != null;
  const detailsId = `audit-details-${event.id}`;
  return (
    <>
      <TableRow>
        <TableCell className="pr-0">
          {hasDetails ? (
            <Button
              variant="ghost"
              size="icon"
              className="size-7"
              aria-expanded={open}
              aria-controls={detailsId}
              aria-label={open ? 'Hide details' : 'Show details'}
              onClick={() => setOpen((value) => !value)}
            >
              {open ? <ChevronDown /> : <ChevronRight />}
            </Button>
          ) : null}
        </TableCell>
        <TableCell className="whitespace-nowrap">
          <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time>
          <span className="block text-xs text-muted-foreground">{formatRelative(event.created_at)}</span>
        </TableCell>
        <TableCell>
          <span className="inline-flex items-center gap-1.5">
            {event.actor.type === 'api_key' ? (
              <KeyRound className="size-3.5 text-muted-foreground" aria-label="API key" />
            ) : (
              <UserRound className="size-3.5 text-muted-foreground" aria-label="User" />
            )}
            {event.actor.label}
          </span>
        </TableCell>
        <TableCell>
          <code className="whitespace-nowrap rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
            {event.action}
          </code>
        </TableCell>
        <TableCell>
          <span className="block">{event.target.label}</span>
          <Badge variant="outline" className="mt-0.5 font-normal text-muted-foreground">
            {event.target.type.replaceAll('_', ' ')}
          </Badge>
        </TableCell>
        <TableCell className="whitespace-nowrap font-mono text-xs text-muted-foreground">
          {event.ip || '—'}
        </TableCell>
      </TableRow>
      {hasDetails && open ? (
        <TableRow id={detailsId} className="bg-muted/30">
          <TableCell />
          <TableCell colSpan={5}>
            <div className="grid gap-3 py-1 md:grid-cols-2">
              <JsonBlock title="Before" value={event.before} />
              <JsonBlock title="After" value={event.after} />
            </div>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <p className="mb-1 text-xs font-medium text-muted-foreground">{title}</p>
      {value == null ? (
        <p className="rounded-md border border-dashed bg-background px-3 py-2 text-xs text-muted-foreground">
          Nothing
        </p>
      ) : (
        <pre className="max-h-64 overflow-auto rounded-md border bg-background px-3 py-2 font-mono text-xs">
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}
