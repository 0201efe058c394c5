// /operations: live counts, the last hour, filterable jobs, a job's details, bulk retry, exports, simulator.
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { ForbiddenState } from '@/components/states';
import { RetryMatchingButton } from '@/features/operations/bulk-retry';
import { ExportLinks } from '@/features/operations/export-links';
import { hasFilters, useJobFilters } from '@/features/operations/filters';
import { useSearchParam } from '@/lib/url-filters';
import { JobDialog } from '@/features/operations/job-dialog';
import { JobFiltersBar } from '@/features/operations/job-filters';
import { JobsTable } from '@/features/operations/jobs-table';
import { useJobStats, useJobs } from '@/features/operations/queries';
import { SimulatorPanel } from '@/features/operations/simulator';
import { StatsOverview } from '@/features/operations/stats-overview';
import { Action, usePermissions } from '@/features/permissions/queries';
import { isApiError } from '@/lib/api';

export function OperationsPage() {
  useDocumentTitle('Operations');
  const { can } = usePermissions();
  const canManage = can(Action.jobsManage);
  const { filters, setFilters, clearFilters } = useJobFilters();
  const [jobId, setJobId] = useSearchParam('job');
  const [simulate] = useSearchParam('simulate');
  const stats = useJobStats();
  const jobs = useJobs(filters);

  const header = (
    <PageHeader
      title="Operations"
      description={
        canManage
          ? 'Every message the platforms delivered and the reply job it started: watch them, retry or cancel them, and send test deliveries.'
          : 'Every message the platforms delivered and the reply job it started. Owners and admins can retry and cancel them.'
      }
    />
  );
  if (isApiError(stats.error, 403) || isApiError(jobs.error, 403)) {
    return (
      <>
        {header}
        <ForbiddenState
          title="Your role cannot see messages and jobs"
          description="Ask an owner or admin of this organization for access."
        />
      </>
    );
  }

  return (
    <>
      {header}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
        <StatsOverview stats={stats} selected={filters.state} onSelect={(state) => setFilters({ state })} />
        {canManage ? <SimulatorPanel preselected={simulate} onOpenJob={setJobId} /> : null}
        <section aria-labelledby="jobs-title">
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <h2 id="jobs-title" className="text-lg font-semibold tracking-tight">
              Messages
            </h2>
            <div className="flex flex-wrap items-center gap-2">
              <ExportLinks filters={filters} />
              {canManage ? (
                <RetryMatchingButton filters={filters} listTotal={jobs.data?.pages[0]?.total} />
              ) : null}
            </div>
          </div>
          <JobFiltersBar filters={filters} onChange={setFilters} onClear={clearFilters} />
          <JobsTable jobs={jobs} filtered={hasFilters(filters)} onOpen={setJobId} />
        </section>
      </div>
      <JobDialog jobId={jobId} onClose={() => setJobId(null)} canManage={canManage} />
    </>
  );
}
