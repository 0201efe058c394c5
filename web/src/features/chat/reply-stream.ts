// A bot reply as it is written: POSTs a message with Accept: text/event-stream and follows the
// server's events (start, token…, done). The web chat (/widget/:key/messages) and the test console
// (/api/bots/:id/chat) answer the same way; see docs/api.md, "Streamed replies".
import { postForStream } from '@/lib/api';
import { readEventStream } from '@/lib/event-stream';

/** The stream ended before its `done` event (connection cut, server gone): the reply never arrived. */
export class StreamCutError extends Error {
  constructor() {
    super('The connection was lost before the answer was complete.');
    this.name = 'StreamCutError';
  }
}

export function isStreamCut(error: unknown): error is StreamCutError {
  return error instanceof StreamCutError;
}

export interface ReplyStreamHandlers {
  /** The server took the message (`start`): the bot is about to write. */
  onStart?: (sessionId: string) => void;
  /** The reply so far, after each `token`. */
  onText?: (textSoFar: string) => void;
}

function parse(data: string): Record<string, unknown> {
  const value: unknown = JSON.parse(data);
  if (!value || typeof value !== 'object') throw new SyntaxError('event data is not an object');
  return value as Record<string, unknown>;
}

/**
 * Sends `body` to `path` and resolves with the `done` answer (the same object as the JSON answer;
 * its text is final and replaces what streamed). A server that answers JSON instead of a stream is
 * read as before. Rejects with ApiError when the server refused the message, with StreamCutError
 * when the stream ended without `done`, and with the abort reason when `signal` aborted.
 */
export async function streamReply<Answer>(
  path: string,
  body: unknown,
  handlers: ReplyStreamHandlers = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const response = await postForStream(path, body, signal);
  const type = response.headers.get('Content-Type') ?? '';
  if (!/^\s*text\/event-stream/i.test(type)) return (await response.json()) as Answer;
  if (!response.body) throw new StreamCutError();

  let text = '';
  try {
    for await (const event of readEventStream(response.body)) {
      if (event.event === 'start') {
        const sessionId = parse(event.data).session_id;
        if (typeof sessionId === 'string') handlers.onStart?.(sessionId);
      } else if (event.event === 'token') {
        const piece = parse(event.data).text;
        if (typeof piece === 'string' && piece !== '') {
          text += piece;
          handlers.onText?.(text);
        }
      } else if (event.event === 'done') {
        return parse(event.data) as Answer;
      }
      // Other events (none today) are for newer clients.
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    // A read that failed mid-way or an event that does not parse: the answer did not arrive whole.
    throw new StreamCutError();
  }
  if (signal?.aborted) throw signal.reason;
  throw new StreamCutError();
}
