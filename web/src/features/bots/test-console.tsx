// The test console: chat with a bot through POST /api/bots/:id/chat and see where each reply came from.
import * as React from 'react';
import { RotateCcw, Send } from 'lucide-react';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { ReplyMeta } from '@/features/bots/reply-meta';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { isStreamCut, streamReply } from '@/features/chat/reply-stream';
import {
  InterruptedNote,
  RetryButton,
  StreamingBubble,
  TypingIndicator,
} from '@/features/chat/streaming-reply';
import { useStreamedReply } from '@/features/chat/use-streamed-reply';
import { isApiError, type Bot, type ChatAnswer, type Reply, type Template } from '@/lib/api';

type Turn =
  | { id: number; from: 'visitor'; text: string }
  | { id: number; from: 'bot'; reply: Reply; interrupted?: boolean };

interface TestConsoleProps {
  bot: Bot;
  templates?: Template[];
  /** The server lets only roles that may change bots use the console (not viewers). */
  canChat?: boolean;
}

export function TestConsole({ bot, templates = [], canChat = true }: TestConsoleProps) {
  const [sessionId, setSessionId] = React.useState<string | undefined>(undefined);
  const [turns, setTurns] = React.useState<Turn[]>([]);
  const [draft, setDraft] = React.useState('');
  const nextId = React.useRef(0);
  const endRef = React.useRef<HTMLDivElement>(null);
  // Reset aborts a reply on its way (it belongs to the old session) and drops what it brings back.
  const {
    mutation: send,
    streaming,
    cancel,
  } = useStreamedReply<{ text: string; sessionId?: string }, ChatAnswer>({
    send: ({ text, sessionId: session }, handlers, signal) =>
      streamReply<ChatAnswer>(
        `/api/bots/${encodeURIComponent(bot.id)}/chat`,
        { text, ...(session ? { session_id: session } : {}) },
        handlers,
        signal,
      ),
    onStart: setSessionId,
    onDone: (answer) => {
      setSessionId(answer.session_id);
      setTurns((previous) => [
        ...previous,
        { id: nextId.current++, from: 'bot', reply: answer.reply, interrupted: answer.interrupted },
      ]);
    },
  });

  React.useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [turns.length, send.isPending, streaming]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || send.isPending) return;
    setTurns((previous) => [...previous, { id: nextId.current++, from: 'visitor', text }]);
    setDraft('');
    send.mutate({ text, sessionId });
  };

  const reset = () => {
    cancel();
    setSessionId(undefined);
    setTurns([]);
  };

  const templateName = (id: string | null) => templates.find((template) => template.id === id)?.name;

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle>Test console</CardTitle>
          <CardDescription>
            Messages here use the saved version of {bot.name} (version {bot.version}) and are not shown to
            anyone.
          </CardDescription>
        </div>
        <Button variant="outline" size="sm" onClick={reset} disabled={turns.length === 0 && !sessionId}>
          <RotateCcw />
          Reset
        </Button>
      </CardHeader>
      <CardContent className="space-y-4">
        <div
          className="max-h-[28rem] min-h-48 space-y-3 overflow-y-auto rounded-md border bg-muted/20 p-4"
          aria-label="Test conversation"
          aria-live="polite"
        >
          {bot.greeting.trim() ? <ChatBubble from="bot">{bot.greeting}</ChatBubble> : null}
          {turns.length === 0 && !bot.greeting.trim() ? (
            <p className="py-10 text-center text-sm text-muted-foreground">Send a message to start.</p>
          ) : null}
          {turns.map((turn) =>
            turn.from === 'visitor' ? (
              <ChatBubble key={turn.id} from="visitor">
                {turn.text}
              </ChatBubble>
            ) : (
              <ChatBubble
                key={turn.id}
                from="bot"
                data-state={turn.interrupted ? 'interrupted' : undefined}
                meta={
                  <>
                    {turn.interrupted ? <InterruptedNote /> : null}
                    <ReplyMeta reply={turn.reply} templateName={templateName(turn.reply.template_id)} />
                  </>
                }
              >
                {turn.reply.text}
              </ChatBubble>
            ),
          )}
          {streaming === '' ? <TypingIndicator>{bot.name} is answering…</TypingIndicator> : null}
          {streaming ? <StreamingBubble text={streaming} /> : null}
          <div ref={endRef} />
        </div>
        {send.error ? (
          <div className="flex items-start gap-2">
            <div className="flex-1">
              <ErrorAlert error={send.error} />
            </div>
            {(isStreamCut(send.error) || isApiError(send.error, 0)) && send.variables ? (
              <RetryButton onRetry={() => send.mutate({ text: send.variables.text, sessionId })} />
            ) : null}
          </div>
        ) : null}
        {!canChat ? (
          <p className="text-sm text-muted-foreground">
            Viewers cannot use the test console. Ask a member or admin to try the bot.
          </p>
        ) : null}
        <form className="flex gap-2" onSubmit={submit}>
          <Input
            aria-label="Message"
            placeholder="Type a message as a customer would"
            value={draft}
            disabled={!canChat}
            maxLength={2000}
            onChange={(event) => setDraft(event.target.value)}
          />
          <Button type="submit" disabled={!canChat || !draft.trim() || send.isPending}>
            <Send />
            Send
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
