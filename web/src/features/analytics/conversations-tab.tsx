// The Conversations tab: the conversations of the range and filters (GET /api/conversations), with
// first response, resolution, rating and conversion; a row opens its transcript.
import * as React from 'react';
import { Check, MessagesSquare, Star } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { LoadMore } from '@/components/load-more';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { AnalyticsQuery, AnalyticsRange } from '@/features/analytics/api';
import { useAnalyticsConversations } from '@/features/analytics/queries';
import { ConversationDialog } from '@/features/bots/conversation-dialog';
import { firstResponseMs, resolvedHow } from '@/features/conversations/outcomes';
import { platformLabel } from '@/features/conversations/platforms';
import type { Conversation } from '@/lib/api';
import { useSearchParam } from '@/lib/url-filters';
import { formatDateTime, formatDuration } from '@/lib/utils';

const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function formatShort(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : shortDateTime.format(date);
}

function instantMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export function ConversationsTab({
  query,
  range,
}: {
  query: AnalyticsQuery;
  range: AnalyticsRange | undefined;
}) {
  const filters = {
    bot_id: query.bot_id,
    platform: query.platform,
    deployment_id: query.deployment_id,
    // Started in the range (not merely active in it), as the overview counts them; its end excluded.
    started_from: instantMs(range?.start),
    started_to: instantMs(range?.end),
  };
  // The list waits for the range's instants (from the overview) so it shows the same conversations.
  const conversations = useAnalyticsConversations(filters, range !== undefined);
  const [openId, setOpenId] = useSearchParam('conversation', 'push-when-set');
  const [opened, setOpened] = React.useState<Conversation | null>(null);

  let body: React.ReactNode;
  if (conversations.isPending) {
    body = (
      <Card aria-busy="true" aria-label="Loading the conversations" className="space-y-2 p-5">
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} className="h-10 w-full" />
        ))}
      </Card>
    );
  } else if (conversations.isError && !conversations.data) {
    body = (
      <ErrorState
        title="Could not load the conversations"
        error={conversations.error}
        onRetry={() => conversations.refetch()}
      />
    );
  } else {
    const items = conversations.data.pages.flatMap((page) => page.items);
    body =
      items.length === 0 ? (
        <Card>
          <EmptyState icon={MessagesSquare} title="No conversations in this range" />
        </Card>
      ) : (
        <Card>
          <CardContent className="p-0">
            <Table
              bare
              stackOnPhone
              aria-label="Conversations in the range"
              className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
            >
              <TableHeader>
                <TableRow>
                  <TableHead>User</TableHead>
                  <TableHead>Platform</TableHead>
                  <TableHead>Bot</TableHead>
                  <TableHead>Started</TableHead>
                  <TableHead>First response</TableHead>
                  <TableHead>Resolved</TableHead>
                  <TableHead>Rating</TableHead>
                  <TableHead>Converted</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((conversation) => {
                  const first = firstResponseMs(conversation);
                  const open = () => {
                    setOpened(conversation);
                    setOpenId(conversation.id);
                  };
                  return (
                    <TableRow
                      key={conversation.id}
                      className="cursor-pointer hover:bg-muted/40"
                      onClick={open}
                    >
                      <TableCell>
                        <button
                          type="button"
                          className="max-w-[12rem] truncate text-left font-medium hover:underline focus-visible:underline focus-visible:outline-none"
                          title={conversation.external_user_id}
                          onClick={(event) => {
                            event.stopPropagation();
                            open();
                          }}
                        >
                          {conversation.display_name || 'Visitor'}
                        </button>
                      </TableCell>
                      <TableCell stackLabel="Platform">
                        <Badge variant="outline" className="whitespace-nowrap">
                          {platformLabel(conversation.platform)}
                        </Badge>
                      </TableCell>
                      <TableCell stackLabel="Bot">
                        <span className="block max-w-[10rem] truncate">{conversation.bot_name}</span>
                      </TableCell>
                      <TableCell stackLabel="Started" className="whitespace-nowrap">
                        <time
                          dateTime={conversation.started_at}
                          title={formatDateTime(conversation.started_at)}
                        >
                          {formatShort(conversation.started_at)}
                        </time>
                      </TableCell>
                      <TableCell stackLabel="First response" className="tabular-nums">
                        {first === null ? '—' : formatDuration(first)}
                      </TableCell>
                      <TableCell stackLabel="Resolved">
                        {conversation.resolved_at ? (
                          <span
                            className="inline-flex items-center gap-1 text-emerald-700"
                            title={formatDateTime(conversation.resolved_at)}
                          >
                            <Check className="size-3.5" aria-hidden="true" />
                            Yes
                            {conversation.resolved_by ? (
                              <span className="text-xs text-muted-foreground">
                                {resolvedHow(conversation)}
                              </span>
                            ) : null}
                          </span>
                        ) : (
                          <span className="text-muted-foreground">No</span>
                        )}
                      </TableCell>
                      <TableCell stackLabel="Rating">
                        {conversation.satisfaction_score ? (
                          <span className="inline-flex items-center gap-0.5 tabular-nums">
                            <Star className="size-3.5 fill-amber-400 text-amber-400" aria-hidden="true" />
                            {conversation.satisfaction_score}
                            <span className="sr-only"> of 5</span>
                          </span>
                        ) : (
                          <span className="text-muted-foreground">—</span>
                        )}
                      </TableCell>
                      <TableCell stackLabel="Converted">
                        {conversation.converted_at ? (
                          <Badge variant="secondary" title={formatDateTime(conversation.converted_at)}>
                            Converted
                          </Badge>
                        ) : (
                          <span className="text-muted-foreground">—</span>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </CardContent>
          <div className="flex flex-wrap items-center justify-between gap-4 border-t px-5 py-3 text-sm text-muted-foreground">
            <span>
              {items.length.toLocaleString()} {items.length === 1 ? 'conversation' : 'conversations'} shown
            </span>
            <LoadMore query={conversations} />
          </div>
          {conversations.isError ? (
            <p role="alert" className="border-t px-5 py-3 text-sm text-red-700">
              Could not load more: {conversations.error.message}
            </p>
          ) : null}
        </Card>
      );
  }

  return (
    <>
      {body}
      <ConversationDialog
        conversationId={openId}
        conversation={opened}
        onOpenChange={(open) => !open && setOpenId(null)}
      />
    </>
  );
}
