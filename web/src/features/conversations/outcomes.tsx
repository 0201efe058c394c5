// How a conversation turned out (ADR 0037): resolved (how and when), the visitor's rating, a
// conversion, the first response time, and "Mark resolved" for people who manage bots.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Loader2, Star } from 'lucide-react';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { api, type Conversation, type ConversationWithMessages } from '@/lib/api';
import { formatDateTime, formatDuration } from '@/lib/utils';

export const RESOLVED_BY_LABELS: Record<NonNullable<Conversation['resolved_by']>, string> = {
  user: 'by the user',
  bot: 'by a template',
  operator: 'by an operator',
  api: 'through the API',
};

/** How it was resolved, in words ("by an operator"); empty when the server did not say. */
export function resolvedHow(conversation: Conversation): string {
  return conversation.resolved_by ? (RESOLVED_BY_LABELS[conversation.resolved_by] ?? '') : '';
}

/** The time to the first reply: the server's `first_response_ms`, else from the two times. */
export function firstResponseMs(conversation: Conversation): number | null {
  if (typeof conversation.first_response_ms === 'number') return conversation.first_response_ms;
  if (!conversation.first_response_at) return null;
  const ms = new Date(conversation.first_response_at).getTime() - new Date(conversation.started_at).getTime();
  return Number.isNaN(ms) ? null : Math.max(0, ms);
}

/** Compact badges for a list row: resolved, converted. */
export function OutcomeBadges({ conversation }: { conversation: Conversation }) {
  const resolved = Boolean(conversation.resolved_at);
  const converted = Boolean(conversation.converted_at);
  if (!resolved && !converted) return null;
  return (
    <>
      {resolved ? (
        <Badge
          variant="secondary"
          className="whitespace-nowrap"
          title={`${['Resolved', resolvedHow(conversation)].filter(Boolean).join(' ')} · ${formatDateTime(
            conversation.resolved_at!,
          )}`}
        >
          Resolved
        </Badge>
      ) : null}
      {converted ? (
        <Badge
          variant="outline"
          className="whitespace-nowrap"
          title={`Converted · ${formatDateTime(conversation.converted_at!)}`}
        >
          Converted
        </Badge>
      ) : null}
    </>
  );
}

/** The transcript's outcome lines: every fact the server gave, one per item. */
export function OutcomeSummary({ conversation }: { conversation: Conversation }) {
  const first = firstResponseMs(conversation);
  const how = resolvedHow(conversation);
  return (
    <dl aria-label="Outcome" className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
      <div className="flex gap-1.5">
        <dt className="text-muted-foreground">Resolved</dt>
        <dd>
          {conversation.resolved_at ? (
            <span className="inline-flex items-center gap-1">
              <CheckCircle2 className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden="true" />
              {how ? `${how[0].toUpperCase()}${how.slice(1)}, ` : ''}
              {formatDateTime(conversation.resolved_at)}
            </span>
          ) : (
            'Not yet'
          )}
        </dd>
      </div>
      <div className="flex gap-1.5">
        <dt className="text-muted-foreground">Rating</dt>
        <dd>
          {conversation.satisfaction_score ? (
            <span className="inline-flex items-center gap-1">
              <Star className="size-3.5 fill-amber-400 text-amber-400" aria-hidden="true" />
              {conversation.satisfaction_score}/5
            </span>
          ) : (
            'None'
          )}
        </dd>
      </div>
      <div className="flex gap-1.5">
        <dt className="text-muted-foreground">Converted</dt>
        <dd>{conversation.converted_at ? formatDateTime(conversation.converted_at) : 'No'}</dd>
      </div>
      <div className="flex gap-1.5">
        <dt className="text-muted-foreground">First response</dt>
        <dd className="tabular-nums">{first === null ? 'No reply yet' : formatDuration(first)}</dd>
      </div>
    </dl>
  );
}

/** "Mark resolved": the transcript and every list showing it follow the server's answer. */
export function MarkResolvedButton({ conversation }: { conversation: Conversation }) {
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: () => api.conversations.resolve(conversation.id),
    meta: { inlineError: true },
    onSuccess: (saved) => {
      queryClient.setQueryData<ConversationWithMessages>(['conversations', 'one', conversation.id], (old) =>
        old ? { ...old, ...saved, messages: old.messages } : old,
      );
      // Every list showing it (this page's, a bot's panel) and the analytics counts.
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
      void queryClient.invalidateQueries({ queryKey: ['analytics'] });
      toast.success('Conversation marked resolved');
    },
  });
  if (conversation.resolved_at) return null;
  return (
    <div className="grid justify-items-end gap-1">
      <Button
        type="button"
        size="sm"
        variant="outline"
        disabled={resolve.isPending}
        onClick={() => resolve.mutate()}
      >
        {resolve.isPending ? <Loader2 className="animate-spin" /> : <CheckCircle2 />}
        Mark resolved
      </Button>
      {resolve.isError ? (
        <p role="alert" className="text-xs font-medium text-destructive">
          Could not mark it resolved: {resolve.error.message}
        </p>
      ) : null}
    </div>
  );
}
