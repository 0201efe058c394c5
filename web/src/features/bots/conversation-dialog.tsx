// One conversation, message by message, with where each reply came from.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { SourceBadge } from '@/features/bots/reply-meta';
import { platformLabel } from '@/features/conversations/platforms';
import { MarkResolvedButton, OutcomeSummary } from '@/features/conversations/outcomes';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { api, type Conversation, type Message } from '@/lib/api';
import { formatDateTime } from '@/lib/utils';

export const conversationKey = (id: string) => ['conversations', 'one', id] as const;

interface ConversationDialogProps {
  /** The conversation a list shows (its heading appears before the messages arrive); null closes. */
  conversation?: Conversation | null;
  /** Or only its id (e.g. from the URL); this one wins when both are given. */
  conversationId?: string | null;
  /** Words to mark in the messages (the search the conversation was found by). */
  highlight?: string;
  /** The person may mark it resolved (bots.manage): shows "Mark resolved" while it is not. */
  canResolve?: boolean;
  onOpenChange: (open: boolean) => void;
}

export function ConversationDialog({
  conversation,
  conversationId,
  highlight,
  canResolve = false,
  onOpenChange,
}: ConversationDialogProps) {
  const id = conversationId !== undefined ? conversationId : (conversation?.id ?? null);
  return (
    <Dialog open={id !== null} onOpenChange={onOpenChange} className="max-w-2xl">
      {id ? (
        <ConversationView
          conversationId={id}
          summary={conversation?.id === id ? conversation : null}
          highlight={highlight}
          canResolve={canResolve}
        />
      ) : null}
      <DialogCloseButton />
    </Dialog>
  );
}

function ConversationView({
  conversationId,
  summary,
  highlight,
  canResolve,
}: {
  conversationId: string;
  summary: Conversation | null;
  highlight?: string;
  canResolve: boolean;
}) {
  const detail = useQuery({
    queryKey: conversationKey(conversationId),
    queryFn: () => api.conversations.get(conversationId),
    staleTime: 0,
  });
  const conversation = detail.data ?? summary;
  const words = React.useMemo(() => searchWords(highlight), [highlight]);
  return (
    <>
      <DialogHeader>
        <DialogTitle>
          {conversation
            ? `${conversation.display_name || 'Visitor'} with ${conversation.bot_name}`
            : 'Conversation'}
        </DialogTitle>
        <DialogDescription className="flex flex-wrap items-center gap-2">
          {conversation ? (
            <>
              <Badge variant="outline">{platformLabel(conversation.platform)}</Badge>
              <span>Started {formatDateTime(conversation.started_at)}</span>
              <span>· {conversation.message_count} messages</span>
            </>
          ) : (
            <span>Loading the conversation…</span>
          )}
        </DialogDescription>
      </DialogHeader>
      {conversation ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border px-3 py-2">
          <OutcomeSummary conversation={conversation} />
          {canResolve && detail.data ? <MarkResolvedButton conversation={detail.data} /> : null}
        </div>
      ) : null}
      <div
        className="max-h-[60vh] space-y-3 overflow-y-auto rounded-md border bg-muted/20 p-4"
        aria-label="Messages"
      >
        {detail.isPending ? (
          <div className="space-y-2" aria-busy="true">
            <Skeleton className="h-9 w-2/3" />
            <Skeleton className="ml-auto h-9 w-1/2" />
          </div>
        ) : detail.isError ? (
          <ErrorAlert error={detail.error} />
        ) : detail.data.messages.length === 0 ? (
          <p className="text-center text-sm text-muted-foreground">No messages.</p>
        ) : (
          detail.data.messages.map((message) => (
            <ChatBubble
              key={message.id}
              from={message.direction === 'in' ? 'visitor' : 'bot'}
              meta={<MessageMeta message={message} />}
            >
              {words.length > 0 ? <Highlighted text={message.text} words={words} /> : message.text}
            </ChatBubble>
          ))
        )}
      </div>
    </>
  );
}

/** The whole words of a search, as the server matches them (any case). */
function searchWords(q: string | undefined): string[] {
  return (q ?? '')
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length > 0);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with each of `words` (whole words, any case) in a <mark>. */
function Highlighted({ text, words }: { text: string; words: string[] }) {
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  const parts = text.split(pattern);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}

function MessageMeta({ message }: { message: Message }) {
  const time = <span title={formatDateTime(message.created_at)}>{formatDateTime(message.created_at)}</span>;
  if (message.direction === 'in') return time;
  const tokens =
    message.prompt_tokens !== null || message.completion_tokens !== null
      ? `${message.prompt_tokens ?? 0} in · ${message.completion_tokens ?? 0} out tokens`
      : null;
  return (
    <>
      {message.source ? <SourceBadge source={message.source} /> : null}
      {message.model ? <code className="font-mono">{message.model}</code> : null}
      {message.latency_ms !== null ? <span>{message.latency_ms} ms</span> : null}
      {tokens ? <span>{tokens}</span> : null}
      {time}
      {message.error ? <span className="basis-full text-red-600">{message.error}</span> : null}
    </>
  );
}
