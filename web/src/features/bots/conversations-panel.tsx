// The bot's conversations, most recent first; one opens in a dialog with every message.
import * as React from 'react';
import { MessagesSquare, Star } from 'lucide-react';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { ConversationDialog } from '@/features/bots/conversation-dialog';
import { useConversations } from '@/features/bots/queries';
import type { Conversation } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function ConversationsPanel({ botId, canResolve = false }: { botId: string; canResolve?: boolean }) {
  const conversations = useConversations({ bot_id: botId, limit: 100 });
  const [open, setOpen] = React.useState<Conversation | null>(null);

  if (conversations.isPending) {
    return (
      <Card aria-busy="true" aria-label="Loading conversations" className="space-y-2 p-5">
        <Skeleton className="h-9 w-full" />
        <Skeleton className="h-11 w-full" />
      </Card>
    );
  }
  if (conversations.isError) {
    return (
      <ErrorState
        title="Could not load the conversations"
        error={conversations.error}
        onRetry={() => conversations.refetch()}
      />
    );
  }
  if (conversations.data.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={MessagesSquare}
          title="No conversations yet"
          description="Chats from the test console and from visitors of your deployments show up here."
        />
      </Card>
    );
  }
  return (
    <Card>
      <CardContent className="p-0">
        <Table
          bare
          stackOnPhone
          className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
        >
          <TableHeader>
            <TableRow>
              <TableHead>Who</TableHead>
              <TableHead>Last message</TableHead>
              <TableHead>Platform</TableHead>
              <TableHead>Messages</TableHead>
              <TableHead>Last activity</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {conversations.data.map((conversation) => (
              <TableRow key={conversation.id}>
                <TableCell>
                  <button
                    type="button"
                    className="text-left font-medium hover:underline"
                    onClick={() => setOpen(conversation)}
                  >
                    {conversation.display_name || 'Visitor'}
                  </button>
                  {conversation.satisfaction_score ? (
                    <span className="ml-2 inline-flex items-center gap-0.5 text-xs text-muted-foreground">
                      <Star className="size-3 fill-amber-400 text-amber-400" />
                      {conversation.satisfaction_score}
                    </span>
                  ) : null}
                </TableCell>
                <TableCell className="max-w-72 truncate text-muted-foreground">
                  {conversation.last_message ?? '—'}
                </TableCell>
                <TableCell>
                  <Badge variant="outline">{conversation.platform}</Badge>
                </TableCell>
                <TableCell stackLabel="Messages">{conversation.message_count}</TableCell>
                <TableCell className="whitespace-nowrap">
                  <span title={formatDateTime(conversation.last_message_at)}>
                    {formatRelative(conversation.last_message_at)}
                  </span>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
      <div className="border-t px-5 py-3 text-sm">
        <Link
          to={`/conversations?bot_id=${encodeURIComponent(botId)}`}
          className="font-medium text-primary underline-offset-4 hover:underline"
        >
          Search and filter this bot’s conversations
        </Link>
      </div>
      <ConversationDialog
        conversation={open}
        canResolve={canResolve}
        onOpenChange={(next) => !next && setOpen(null)}
      />
    </Card>
  );
}
