// One dashboard panel: a titled card that shows its skeleton while loading, an upgrade card when the
// plan does not include it (402 feature_not_in_plan), an error with "Try again", or its content.
import * as React from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Sparkles } from 'lucide-react';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { isApiError } from '@/lib/api';
import { cn } from '@/lib/utils';

export function isFeatureGated(error: unknown): boolean {
  return isApiError(error, 402) && error.code === 'feature_not_in_plan';
}

/** Where the plan stops: what is missing and the way to the Billing page, not an error. */
export function UpgradeCard({ error, className }: { error: unknown; className?: string }) {
  return (
    <div
      role="note"
      className={cn(
        'flex flex-col items-center gap-3 rounded-lg border border-dashed border-indigo-300 bg-indigo-50/60 px-6 py-8 text-center dark:border-indigo-400/30 dark:bg-indigo-500/10',
        className,
      )}
    >
      <div className="flex size-10 items-center justify-center rounded-full bg-primary/10 text-primary">
        <Sparkles className="size-5" />
      </div>
      <p className="max-w-sm text-sm">
        {error instanceof Error ? error.message : 'Your plan does not include this.'}
      </p>
      <Button asChild size="sm">
        <Link to="/billing">See plans</Link>
      </Button>
    </div>
  );
}

interface PanelProps<T> {
  title: string;
  description?: React.ReactNode;
  /** Controls beside the title (a picker, say). */
  actions?: React.ReactNode;
  query: Pick<
    UseQueryResult<T>,
    'isPending' | 'isError' | 'error' | 'data' | 'refetch' | 'isPlaceholderData'
  >;
  /** True when the answer has nothing to show. */
  isEmpty?: (data: T) => boolean;
  emptyTitle?: string;
  emptyIcon: React.ComponentType<{ className?: string }>;
  skeletonClassName?: string;
  className?: string;
  children: (data: T) => React.ReactNode;
}

export function Panel<T>({
  title,
  description,
  actions,
  query,
  isEmpty,
  emptyTitle = 'No conversations in this range',
  emptyIcon,
  skeletonClassName = 'h-40',
  className,
  children,
}: PanelProps<T>) {
  const headingId = React.useId();
  let body: React.ReactNode;
  if (query.isPending) {
    body = (
      <div aria-busy="true" aria-label={`Loading ${title.toLowerCase()}`}>
        <Skeleton className={cn('w-full', skeletonClassName)} />
      </div>
    );
  } else if (query.isError && isFeatureGated(query.error)) {
    body = <UpgradeCard error={query.error} />;
  } else if (query.isError && query.data === undefined) {
    body = (
      <ErrorState
        title={`Could not load ${title.toLowerCase()}`}
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  } else if (query.data !== undefined && isEmpty?.(query.data)) {
    body = <EmptyState icon={emptyIcon} title={emptyTitle} className="py-8" />;
  } else if (query.data !== undefined) {
    body = (
      <div className={cn('transition-opacity', query.isPlaceholderData && 'opacity-60')}>
        {children(query.data)}
      </div>
    );
  }
  return (
    <Card className={cn('min-w-0', className)} aria-labelledby={headingId} role="region">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-2 space-y-0">
        <div className="space-y-1">
          <CardTitle id={headingId} className="text-base">
            {title}
          </CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </div>
        {actions}
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}
