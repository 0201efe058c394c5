// Sending a message whose reply streams: a TanStack mutation plus the reply so far. `streaming` is
// null when no reply is on its way, "" while the bot has not written yet (show the typing line), and
// the text so far once tokens arrive. A newer send, cancel() or unmounting aborts the one before,
// and what an aborted send brings back afterwards is dropped.
import * as React from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ReplyStreamHandlers } from '@/features/chat/reply-stream';

interface Options<Vars, Answer> {
  /** Starts the request; calls the handlers as events arrive and resolves with the final answer. */
  send: (vars: Vars, handlers: ReplyStreamHandlers, signal: AbortSignal) => Promise<Answer>;
  /** The final answer of the current send (not of an aborted one). */
  onDone: (answer: Answer, vars: Vars) => void;
  /** The server took the message and named its session. */
  onStart?: (sessionId: string) => void;
  onError?: (error: unknown, vars: Vars) => void;
}

export function useStreamedReply<Vars, Answer>({ send, onDone, onStart, onError }: Options<Vars, Answer>) {
  const [streaming, setStreaming] = React.useState<string | null>(null);
  const current = React.useRef<AbortController | null>(null);
  const callbacks = React.useRef({ onDone, onStart, onError });
  callbacks.current = { onDone, onStart, onError };

  React.useEffect(
    () => () => {
      current.current?.abort();
      current.current = null;
    },
    [],
  );

  const mutation = useMutation({
    mutationFn: async (vars: Vars) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      const live = () => current.current === controller;
      setStreaming('');
      try {
        const answer = await send(
          vars,
          {
            onStart: (sessionId) => live() && callbacks.current.onStart?.(sessionId),
            onText: (text) => live() && setStreaming(text),
          },
          controller.signal,
        );
        if (live()) {
          // One render: the finished bubble replaces the growing one.
          setStreaming(null);
          callbacks.current.onDone(answer, vars);
        }
        return answer;
      } catch (error) {
        if (live()) {
          setStreaming(null);
          callbacks.current.onError?.(error, vars);
        }
        throw error;
      } finally {
        if (live()) current.current = null;
      }
    },
    meta: { inlineError: true },
  });

  /** Drops the reply on its way (if any) and the last error. */
  const cancel = React.useCallback(() => {
    current.current?.abort();
    current.current = null;
    setStreaming(null);
    mutation.reset();
  }, [mutation]);

  return { mutation, streaming, cancel };
}
