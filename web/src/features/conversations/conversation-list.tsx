// The conversations matching the filters, most recent activity first, with "Load more" over the
// cursor; a row opens its transcript.
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { MessagesSquare, SearchX, Star, X } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { LoadMore } from '@/components/load-more';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ConversationPage } from '@/features/conversations/api';
import { firstResponseMs, OutcomeBadges } from '@/features/conversations/outcomes';
import { platformLabel } from '@/features/conversations/platforms';
import { isApiError, type Conversation } from '@/lib/api';
import { formatDateTime, formatDuration, formatRelative } from '@/lib/utils';

interface ConversationListProps {
  conversations: UseInfiniteQueryResult<InfiniteData<ConversationPage>>;
  filtered: boolean;
  onOpen: (conversation: Conversation) => void;
  onClearFilters: () => void;
}

export function ConversationList({ conversations, filtered, onOpen, onClearFilters }: ConversationListProps) {
  if (conversations.isPending) {
    return (
      <Card aria-busy="true" aria-label="Loading the conversations" className="space-y-2 p-5">
        <Skeleton className="h-9 w-full" />
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className="h-11 w-full" />
        ))}
      </Card>
    );
  }
  if (conversations.isError && !conversations.data) {
    const error = conversations.error;
    // A hand-edited link with a value the server refuses: name each field and offer the way out.
    const refused = isApiError(error, 422) ? Object.entries(error.fields) : [];
    return (
      <Card>
        <ErrorState
          className="border-0"
          title="Could not load the conversations"
          error={
            refused.length > 0
              ? new Error(refused.map(([name, message]) => `${name}: ${message}`).join(' '))
              : error
          }
          onRetry={refused.length > 0 ? undefined : () => conversations.refetch()}
        />
        {filtered ? (
          <div className="flex justify-center pb-6">
            <Button variant="outline" size="sm" onClick={onClearFilters}>
              <X />
              Clear filters
            </Button>
          </div>
        ) : null}
      </Card>
    );
  }
  const items = conversations.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <Card>
        {filtered ? (
          <EmptyState
            icon={SearchX}
            title="No conversations match these filters"
            description="Try other words, a wider time range, or clear the filters."
          >
            <Button variant="outline" size="sm" onClick={onClearFilters}>
              <X />
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState
            icon={MessagesSquare}
            title="No conversations yet"
            description="Chats from the test console and from people on your deployments show up here."
          />
        )}
      </Card>
    );
  }
  return (
    <Card>
      <CardContent className="p-0">
        <Table
          bare
          stackOnPhone
          aria-label="Conversations"
          className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
        >
          <TableHeader>
            <TableRow>
              <TableHead>Who</TableHead>
              <TableHead>Last message</TableHead>
              <TableHead>Bot</TableHead>
              <TableHead>Platform</TableHead>
              <TableHead>Messages</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Last activity</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((conversation) => (
              <ConversationRow key={conversation.id} conversation={conversation} onOpen={onOpen} />
            ))}
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
        <p role="alert" className="border-t px-5 py-3 text-sm text-red-700 dark:text-red-400">
          {conversations.isFetchNextPageError ? 'Could not load more' : 'Could not refresh'}:{' '}
          {conversations.error.message}
        </p>
      ) : null}
    </Card>
  );
}

function ConversationRow({
  conversation,
  onOpen,
}: {
  conversation: Conversation;
  onOpen: (conversation: Conversation) => void;
}) {
  const who = conversation.display_name || 'Visitor';
  const first = firstResponseMs(conversation);
  return (
    <TableRow className="cursor-pointer hover:bg-muted/40" onClick={() => onOpen(conversation)}>
      <TableCell>
        {/* The button makes the row reachable from the keyboard; a click anywhere on the row opens it too. */}
        <button
          type="button"
          className="max-w-[12rem] truncate text-left font-medium hover:underline focus-visible:underline focus-visible:outline-none"
          title={conversation.external_user_id}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(conversation);
          }}
        >
          {who}
        </button>
        {conversation.satisfaction_score ? (
          <span className="ml-2 inline-flex items-center gap-0.5 text-xs text-muted-foreground">
            <Star className="size-3 fill-amber-400 text-amber-400" aria-hidden="true" />
            <span className="sr-only">Rated </span>
            {conversation.satisfaction_score}
          </span>
        ) : null}
      </TableCell>
      <TableCell className="text-muted-foreground" title={conversation.last_message ?? undefined}>
        {/* A cell's max-width does not limit a table column; a block inside it does. */}
        <span className="block max-w-[14rem] truncate">{conversation.last_message ?? '—'}</span>
      </TableCell>
      <TableCell stackLabel="Bot">
        <span className="block max-w-[10rem] truncate">{conversation.bot_name}</span>
      </TableCell>
      <TableCell stackLabel="Platform">
        <Badge variant="outline" className="whitespace-nowrap">
          {platformLabel(conversation.platform)}
        </Badge>
      </TableCell>
      <TableCell stackLabel="Messages" className="tabular-nums">
        {conversation.message_count}
      </TableCell>
      {/* Status and outcome share a column, the time to the first reply under them: the table stays
          narrow enough to sit beside the sidebar. */}
      <TableCell stackLabel="Status">
        <span className="flex flex-wrap gap-1">
          <Badge variant={conversation.status === 'open' ? 'secondary' : 'outline'}>
            {conversation.status === 'open' ? 'Open' : 'Ended'}
          </Badge>
          <OutcomeBadges conversation={conversation} />
        </span>
        <span className="mt-0.5 block whitespace-nowrap text-xs tabular-nums text-muted-foreground">
          {first === null ? 'No reply' : `First reply ${formatDuration(first)}`}
        </span>
      </TableCell>
      <TableCell className="whitespace-nowrap">
        <time dateTime={conversation.last_message_at} title={formatDateTime(conversation.last_message_at)}>
          {formatRelative(conversation.last_message_at)}
        </time>
      </TableCell>
    </TableRow>
  );
}
