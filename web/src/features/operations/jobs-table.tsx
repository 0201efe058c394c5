// The jobs matching the filters, newest first, with "Load more" over the cursor; a row opens the job.
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { Inbox, RotateCw } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { LoadMore } from '@/components/load-more';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { platformMeta } from '@/features/integrations/platform-meta';
import { attemptsOf, truncate } from '@/features/operations/format';
import { JobReasonBadge, JobStateBadge } from '@/features/operations/job-states';
import type { Job, JobPage } from '@/lib/api';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';

interface JobsTableProps {
  jobs: UseInfiniteQueryResult<InfiniteData<JobPage>>;
  filtered: boolean;
  onOpen: (jobId: string) => void;
}

export function JobsTable({ jobs, filtered, onOpen }: JobsTableProps) {
  if (jobs.isPending) {
    return (
      <Card aria-busy="true" aria-label="Loading the jobs" className="space-y-2 p-5">
        <Skeleton className="h-9 w-full" />
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className="h-11 w-full" />
        ))}
      </Card>
    );
  }
  if (jobs.isError && !jobs.data) {
    return <ErrorState title="Could not load the jobs" error={jobs.error} onRetry={() => jobs.refetch()} />;
  }
  const items = jobs.data.pages.flatMap((page) => page.items);
  const total = jobs.data.pages[0]?.total ?? items.length;
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={Inbox}
          title={filtered ? 'No jobs match these filters' : 'No messages yet'}
          description={
            filtered
              ? 'Try a wider time range, another state or clear the filters.'
              : 'No messages yet — connect a platform or send a simulated message.'
          }
        />
      </Card>
    );
  }
  return (
    <Card>
      <CardContent className="p-0">
        <Table
          bare
          aria-label="Jobs"
          className="[&_td:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:first-child]:pl-5 [&_th:last-child]:pr-5"
        >
          <TableHeader>
            <TableRow>
              <TableHead>State</TableHead>
              <TableHead>Where</TableHead>
              <TableHead>User</TableHead>
              <TableHead>Message</TableHead>
              <TableHead className="text-right">Attempts</TableHead>
              <TableHead>Last error</TableHead>
              <TableHead>Received</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((job) => (
              <JobRow key={job.id} job={job} onOpen={onOpen} />
            ))}
          </TableBody>
        </Table>
      </CardContent>
      <div className="flex flex-wrap items-center justify-between gap-4 border-t px-5 py-3 text-sm text-muted-foreground">
        <span className="flex items-center gap-2">
          {items.length === total
            ? `${total.toLocaleString()} ${total === 1 ? 'job' : 'jobs'}`
            : `${items.length.toLocaleString()} of ${total.toLocaleString()} jobs`}
          <Button
            variant="ghost"
            size="sm"
            aria-label="Refresh the jobs"
            disabled={jobs.isFetching}
            onClick={() => jobs.refetch()}
          >
            <RotateCw className={cn(jobs.isFetching && !jobs.isFetchingNextPage && 'animate-spin')} />
          </Button>
        </span>
        <LoadMore query={jobs} />
      </div>
    </Card>
  );
}

function JobRow({ job, onOpen }: { job: Job; onOpen: (jobId: string) => void }) {
  const platform = platformMeta(job.platform);
  return (
    <TableRow className="cursor-pointer hover:bg-muted/40" onClick={() => onOpen(job.id)}>
      <TableCell>
        <JobStateBadge state={job.state} />
      </TableCell>
      <TableCell className="whitespace-nowrap">
        <span className="inline-flex items-center gap-1.5">
          <platform.icon className="size-3.5 text-muted-foreground" />
          {platform.label}
        </span>
        <span className="block text-xs text-muted-foreground">{job.integration_name}</span>
      </TableCell>
      <TableCell className="font-mono text-xs" title={job.external_user_id}>
        {/* A cell's max-width does not limit a table column; a block inside it does. */}
        <span className="block max-w-[10rem] truncate">{job.external_user_id || '—'}</span>
      </TableCell>
      <TableCell>
        {/* The button makes the row reachable from the keyboard; a click anywhere on the row opens it too. */}
        <button
          type="button"
          className="block max-w-[16rem] truncate text-left hover:underline focus-visible:underline focus-visible:outline-none"
          title={job.inbound_text}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(job.id);
          }}
        >
          {job.inbound_text ? (
            truncate(job.inbound_text, 80)
          ) : (
            <em className="text-muted-foreground">No text</em>
          )}
        </button>
      </TableCell>
      <TableCell
        className={cn(
          'whitespace-nowrap text-right tabular-nums',
          job.attempts >= job.max_attempts && job.state !== 'succeeded' && 'text-red-700',
        )}
      >
        {attemptsOf(job)}
      </TableCell>
      <TableCell className="text-xs text-red-700" title={job.last_error ?? undefined}>
        {job.reason_kind ? (
          <span className="mb-1 block">
            <JobReasonBadge kind={job.reason_kind} />
          </span>
        ) : null}
        <span className="block max-w-[14rem] truncate">
          {job.last_error ? truncate(job.last_error, 60) : <span className="text-muted-foreground">—</span>}
        </span>
      </TableCell>
      <TableCell className="whitespace-nowrap">
        <time dateTime={job.created_at} title={formatDateTime(job.created_at)}>
          {formatRelative(job.created_at)}
        </time>
      </TableCell>
    </TableRow>
  );
}
