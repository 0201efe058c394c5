// /analytics: the filter bar (kept in the URL) over three tabs — Overview (key numbers, trend, funnel,
// breakdowns, satisfaction, templates, unanswered questions), Conversations and Insights — and the
// CSV export with the same filters (ADR 0037).
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { ForbiddenState } from '@/components/states';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { AnalyticsFiltersBar } from '@/features/analytics/analytics-filters';
import { ConversationsTab } from '@/features/analytics/conversations-tab';
import { ExportMenu } from '@/features/analytics/export-menu';
import { useAnalyticsFilters } from '@/features/analytics/filters';
import { InsightsTab } from '@/features/analytics/insights-tab';
import { KpiCards } from '@/features/analytics/kpi-cards';
import {
  BreakdownPanel,
  FunnelPanel,
  SatisfactionPanel,
  TopTemplatesPanel,
  TrendPanel,
  UnansweredPanel,
} from '@/features/analytics/overview-panels';
import { useOverview } from '@/features/analytics/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { isApiError } from '@/lib/api';
import { useSearchParam } from '@/lib/url-filters';

const TABS = ['overview', 'conversations', 'insights'] as const;
type Tab = (typeof TABS)[number];

export function AnalyticsPage() {
  useDocumentTitle('Analytics');
  const { can } = usePermissions();
  const { filters: query, setFilters, clearFilters } = useAnalyticsFilters();
  const [tabParam, setTab] = useSearchParam('tab');
  const tab: Tab = TABS.includes(tabParam as Tab) ? (tabParam as Tab) : 'overview';
  const overview = useOverview(query);
  const range = overview.data?.range;

  const header = (
    <PageHeader
      title="Analytics"
      description="How your bots are doing: conversations, response times, resolution, satisfaction and conversions."
      actions={
        can(Action.analyticsExport) ? (
          <ExportMenu query={query} canExportAll={can(Action.analyticsManage)} />
        ) : undefined
      }
    />
  );
  if (isApiError(overview.error, 403)) {
    return (
      <>
        {header}
        <ForbiddenState
          title="Your role cannot see analytics"
          description="Ask an owner or admin of this organization for access."
        />
      </>
    );
  }

  return (
    <>
      {header}
      <AnalyticsFiltersBar query={query} range={range} onChange={setFilters} onClear={clearFilters} />
      {overview.data?.template_scope === 'messages' ? (
        <p className="mb-4 text-sm text-muted-foreground">
          One template chosen: message and template numbers count its replies; conversation numbers are not
          split by template.
        </p>
      ) : null}
      <Tabs value={tab} onValueChange={(value) => setTab(value === 'overview' ? null : value)}>
        <TabsList aria-label="Analytics views">
          <TabsTrigger value="overview">Overview</TabsTrigger>
          <TabsTrigger value="conversations">Conversations</TabsTrigger>
          <TabsTrigger value="insights">Insights</TabsTrigger>
        </TabsList>
        <TabsContent value="overview" className="grid grid-cols-[minmax(0,1fr)] gap-4">
          <KpiCards overview={overview} />
          <TrendPanel query={query} />
          <FunnelPanel query={query} />
          <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
            <BreakdownPanel query={query} by="platform" />
            <BreakdownPanel query={query} by="bot" />
            <SatisfactionPanel query={query} />
            <TopTemplatesPanel query={query} />
          </div>
          <UnansweredPanel query={query} />
        </TabsContent>
        <TabsContent value="conversations">
          <ConversationsTab query={query} range={range} />
        </TabsContent>
        <TabsContent value="insights">
          <InsightsTab query={query} canManage={can(Action.analyticsManage)} />
        </TabsContent>
      </Tabs>
    </>
  );
}
