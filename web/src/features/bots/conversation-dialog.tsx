// One conversation, message by message, with where each reply came from.
import { useQuery } from '@tanstack/react-query';
import { Star } from 'lucide-react';
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
import { ChatBubble } from '@/features/chat/chat-bubble';
import { api, type Conversation, type Message } from '@/lib/api';
import { formatDateTime } from '@/lib/utils';

export const conversationKey = (id: string) => ['conversations', 'one', id] as const;

interface ConversationDialogProps {
  conversation: Conversation | null;
  onOpenChange: (open: boolean) => void;
}

export function ConversationDialog({ conversation, onOpenChange }: ConversationDialogProps) {
  return (
    <Dialog open={conversation !== null} onOpenChange={onOpenChange} className="max-w-2xl">
      {conversation ? <ConversationView conversation={conversation} /> : null}
      <DialogCloseButton />
    </Dialog>
  );
}

function ConversationView({ conversation }: { conversation: Conversation }) {
  const detail = useQuery({
    queryKey: conversationKey(conversation.id),
    queryFn: () => api.conversations.get(conversation.id),
    staleTime: 0,
  });
  return (
    <>
      <DialogHeader>
        <DialogTitle>
          {conversation.display_name || 'Visitor'} with {conversation.bot_name}
        </DialogTitle>
        <DialogDescription className="flex flex-wrap items-center gap-2">
          <Badge variant="outline">{conversation.platform}</Badge>
          <span>Started {formatDateTime(conversation.started_at)}</span>
          <span>· {conversation.message_count} messages</span>
          {conversation.satisfaction_score ? (
            <span className="inline-flex items-center gap-1">
              · <Star className="size-3.5 fill-amber-400 text-amber-400" /> {conversation.satisfaction_score}
              /5
            </span>
          ) : null}
        </DialogDescription>
      </DialogHeader>
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
              {message.text}
            </ChatBubble>
          ))
        )}
      </div>
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
