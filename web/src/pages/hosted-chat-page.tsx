// /chat/:key: the public, full-page web chat of a deployment (also the iframe behind widget.js,
// with ?embed=1). No sign-in and no app shell.
import * as React from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Loader2, MessageCircleOff, PauseCircle, Send, Star } from 'lucide-react';
import { useParams, useSearchParams } from 'react-router-dom';
import { useDocumentTitle } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { BotAvatar } from '@/features/bots/bot-avatar';
import { ChatBubble } from '@/features/chat/chat-bubble';
import { isStreamCut, streamReply } from '@/features/chat/reply-stream';
import {
  InterruptedNote,
  RetryButton,
  StreamingBubble,
  TypingIndicator,
} from '@/features/chat/streaming-reply';
import { useStreamedReply } from '@/features/chat/use-streamed-reply';
import { fetchWidgetHistory, fetchWidgetInfo } from '@/features/chat/api';
import { identityFromHash, rememberVisitorToken, storedVisitorToken } from '@/features/chat/visitor';
import { refreshTheme, useHeldTheme } from '@/features/theme/theme';
import { api, isApiError, type WidgetAnswer } from '@/lib/api';
import { cn, formatWait } from '@/lib/utils';

interface Line {
  id: number;
  from: 'bot' | 'visitor';
  text: string;
  /** The reply broke off mid-way; its text is the bot's fallback message. */
  interrupted?: boolean;
}

export const PAUSED_MESSAGE = 'This chat is paused.';

/** Whether sending the same message again may help: the connection, not the server, failed. */
export function mayRetry(error: unknown): boolean {
  return isStreamCut(error) || isApiError(error, 0);
}

/** What to tell the visitor when a message was not accepted. */
export function sendFailure(error: unknown): string {
  if (isApiError(error, 409)) return PAUSED_MESSAGE;
  if (isApiError(error, 429)) {
    return error.retryAfter
      ? `You are sending messages too quickly. Try again in ${formatWait(error.retryAfter)}.`
      : 'You are sending messages too quickly. Wait a moment and try again.';
  }
  if (isApiError(error, 403)) return 'This chat cannot be used from this website.';
  if (isApiError(error, 404)) return 'This chat no longer exists.';
  if (isApiError(error, 422)) return Object.values(error.fields)[0] ?? error.message;
  if (isStreamCut(error)) return 'The connection was lost before the answer was complete.';
  return error instanceof Error ? error.message : 'The message could not be sent. Try again.';
}

export function HostedChatPage() {
  const { key = '' } = useParams();
  const [params] = useSearchParams();
  const embedded = params.get('embed') === '1';
  const info = useQuery({
    queryKey: ['widget', key],
    queryFn: () => fetchWidgetInfo(key, storedVisitorToken()),
    retry: false,
  });
  // The server's signed visitor token: the one this browser kept when still valid, else a new one.
  const visitor = info.data?.visitor_token ?? null;
  React.useEffect(() => {
    if (visitor) rememberVisitorToken(visitor);
  }, [visitor]);
  const history = useQuery({
    queryKey: ['widget-history', key, visitor],
    queryFn: () => fetchWidgetHistory(key, visitor!),
    enabled: !!visitor,
    retry: false,
  });
  const identity = React.useMemo(() => identityFromHash(window.location.hash), []);
  // A deployment fixed to light or dark shows that; "system" (and the loading state) follows the scheme
  // widget.js passed from the embedding page, else the visitor's system (features/theme, ADR 0031).
  const fixed = info.data?.appearance?.theme;
  useHeldTheme(fixed === 'light' || fixed === 'dark' ? fixed : null);
  React.useLayoutEffect(refreshTheme, []); // also when reached without a page load
  useEmbeddingPageScheme(embedded);
  // Esc inside the frame closes the widget too: widget.js listens for this message.
  React.useEffect(() => {
    if (!embedded || window.parent === window) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented)
        window.parent.postMessage('switchboard:close', '*');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [embedded]);
  const [lines, setLines] = React.useState<Line[]>([]);
  const [draft, setDraft] = React.useState('');
  const [pausedNow, setPausedNow] = React.useState(false);
  const [sessionId, setSessionId] = React.useState<string | null>(null);
  const nextId = React.useRef(0);
  const endRef = React.useRef<HTMLDivElement>(null);
  const earlier: Line[] = React.useMemo(
    () =>
      (history.data?.messages ?? []).map((message, index) => ({
        id: -1 - index,
        from: message.direction === 'in' ? 'visitor' : 'bot',
        text: message.text,
      })),
    [history.data],
  );
  const shownSession = sessionId ?? history.data?.session_id ?? null;
  useDocumentTitle(info.data ? `Chat with ${info.data.bot.name}` : 'Chat');

  const { mutation: send, streaming } = useStreamedReply<string, WidgetAnswer>({
    send: (text, handlers, signal) =>
      streamReply<WidgetAnswer>(
        `/widget/${encodeURIComponent(key)}/messages`,
        identity ? { visitor_token: visitor, text, identity } : { visitor_token: visitor, text },
        handlers,
        signal,
      ),
    onStart: setSessionId,
    onDone: (answer) => {
      setSessionId(answer.session_id);
      setLines((previous) => [
        ...previous,
        { id: nextId.current++, from: 'bot', text: answer.reply.text, interrupted: answer.interrupted },
      ]);
    },
    onError: (error) => {
      if (isApiError(error, 409)) setPausedNow(true);
    },
  });

  React.useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [lines.length, send.isPending, streaming]);

  const frame = cn(
    'flex h-dvh flex-col bg-background',
    !embedded &&
      'sm:mx-auto sm:my-6 sm:h-[calc(100dvh-3rem)] sm:max-w-xl sm:rounded-xl sm:border sm:shadow-sm',
  );

  if (info.isPending || (!!visitor && history.isPending)) {
    return (
      <div className={cn(frame, 'items-center justify-center')} aria-busy="true">
        <Loader2 className="size-5 animate-spin text-muted-foreground" aria-label="Loading chat" />
      </div>
    );
  }
  if (info.isError) {
    return (
      <div className={cn(frame, 'items-center justify-center gap-3 p-6 text-center')}>
        <MessageCircleOff className="size-8 text-muted-foreground" />
        <p className="font-medium">
          {isApiError(info.error, 404) ? 'This chat does not exist.' : 'The chat could not load.'}
        </p>
        <p className="text-sm text-muted-foreground">
          {isApiError(info.error, 404) ? 'Check the link you followed.' : info.error.message}
        </p>
      </div>
    );
  }

  const { bot } = info.data;
  const paused = pausedNow || info.data.status === 'paused';
  const failure = send.error && !isApiError(send.error, 409) ? sendFailure(send.error) : null;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || send.isPending || paused) return;
    setLines((previous) => [...previous, { id: nextId.current++, from: 'visitor', text }]);
    setDraft('');
    send.mutate(text);
  };

  return (
    <div className={frame}>
      <header className="flex items-center gap-3 border-b px-4 py-3">
        <BotAvatar name={bot.name} color={bot.avatar_color} className="size-9" />
        <div className="min-w-0">
          <h1 className="truncate text-sm font-semibold">{bot.name}</h1>
          <p className="text-xs text-muted-foreground">{paused ? 'Paused' : 'Usually answers right away'}</p>
        </div>
      </header>
      <div className="flex-1 space-y-3 overflow-y-auto p-4" aria-label="Conversation" aria-live="polite">
        {bot.greeting ? <ChatBubble from="bot">{bot.greeting}</ChatBubble> : null}
        {[...earlier, ...lines].map((line) => (
          <ChatBubble
            key={line.id}
            from={line.from}
            color={bot.avatar_color}
            data-state={line.interrupted ? 'interrupted' : undefined}
            meta={line.interrupted ? <InterruptedNote /> : undefined}
          >
            {line.text}
          </ChatBubble>
        ))}
        {streaming === '' ? <TypingIndicator>{bot.name} is typing…</TypingIndicator> : null}
        {streaming ? <StreamingBubble text={streaming} /> : null}
        {bot.ask_satisfaction && shownSession && visitor && !send.isPending ? (
          <Rating chatKey={key} visitor={visitor} sessionId={shownSession} />
        ) : null}
        <div ref={endRef} />
      </div>
      {paused ? (
        <p
          role="status"
          className="flex items-center justify-center gap-2 border-t bg-muted/40 px-4 py-3 text-sm"
        >
          <PauseCircle className="size-4 text-muted-foreground" /> {PAUSED_MESSAGE}
        </p>
      ) : (
        <form className="grid gap-2 border-t p-3" onSubmit={submit}>
          {failure ? (
            <div className="flex items-center justify-between gap-2 px-1">
              <p role="alert" className="text-xs text-red-700">
                {failure}
              </p>
              {mayRetry(send.error) && send.variables ? (
                <RetryButton onRetry={() => send.mutate(send.variables)} />
              ) : null}
            </div>
          ) : null}
          <div className="flex gap-2">
            <Input
              aria-label="Your message"
              placeholder="Write a message…"
              autoComplete="off"
              maxLength={2000}
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
            />
            <Button type="submit" size="icon" aria-label="Send" disabled={!draft.trim() || send.isPending}>
              <Send />
            </Button>
          </div>
          {!embedded ? (
            <p className="text-center text-[0.7rem] text-muted-foreground">Powered by Switchboard</p>
          ) : null}
        </form>
      )}
    </div>
  );
}

/**
 * In the widget's frame: widget.js tells the chat when the embedding page's colour scheme changes
 * ("switchboard:theme:dark" or ":light"); the fragment keeps it, as it does the first one.
 */
function useEmbeddingPageScheme(embedded: boolean) {
  React.useEffect(() => {
    if (!embedded || window.parent === window) return;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent) return;
      const scheme = themeMessage(event.data);
      if (!scheme) return;
      const hash = new URLSearchParams(window.location.hash.slice(1));
      if (hash.get('theme') === scheme) return;
      hash.set('theme', scheme);
      window.history.replaceState(window.history.state, '', `#${hash.toString()}`);
      refreshTheme();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [embedded]);
}

/** "dark" or "light" from widget.js's "switchboard:theme:…" message; null for anything else. */
export function themeMessage(data: unknown): 'dark' | 'light' | null {
  if (data === 'switchboard:theme:dark') return 'dark';
  if (data === 'switchboard:theme:light') return 'light';
  return null;
}

/** "How was this chat?": one to five stars, sent once per conversation. */
function Rating({ chatKey, visitor, sessionId }: { chatKey: string; visitor: string; sessionId: string }) {
  const [hover, setHover] = React.useState(0);
  const rate = useMutation({
    mutationFn: (score: number) => api.widget.rate(chatKey, visitor, sessionId, score),
    meta: { inlineError: true },
  });
  if (rate.isSuccess) {
    return <p className="pt-2 text-center text-xs text-muted-foreground">Thanks for rating this chat.</p>;
  }
  return (
    <div className="grid justify-items-center gap-1 pt-2" role="group" aria-label="Rate this chat">
      <p className="text-xs text-muted-foreground">How was this chat?</p>
      <div className="flex" onMouseLeave={() => setHover(0)}>
        {[1, 2, 3, 4, 5].map((score) => (
          <button
            key={score}
            type="button"
            aria-label={`${score} of 5`}
            disabled={rate.isPending}
            className="rounded p-0.5 text-amber-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            onMouseEnter={() => setHover(score)}
            onClick={() => rate.mutate(score)}
          >
            <Star className={cn('size-5', score <= hover ? 'fill-amber-400' : 'fill-transparent')} />
          </button>
        ))}
      </div>
      {rate.error ? (
        <p role="alert" className="text-xs text-red-700">
          {sendFailure(rate.error)}
        </p>
      ) : null}
    </div>
  );
}
