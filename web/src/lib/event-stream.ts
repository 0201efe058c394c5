// Server-Sent Events read from a fetch Response body (EventSource cannot POST or send headers):
// an incremental parser that follows the WHATWG event-stream rules, and an async iterator over a body.

/** One dispatched event. `event` is "message" when the stream named none. */
export interface ServerSentEvent {
  event: string;
  data: string;
  /** The last event id seen so far ("" when none). */
  id: string;
}

/**
 * Turns text, in pieces cut anywhere, into events. Lines end with CRLF, LF or CR; a blank line
 * dispatches the event gathered so far; lines starting with ":" are comments (keep-alives); several
 * data lines join with "\n". An event whose blank line never came is dropped at the end, as
 * EventSource does: a cut connection cannot pass for a complete event.
 */
export class EventStreamParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private lastId = '';
  private started = false;

  /** Feeds the next piece of text; returns the events it completed. */
  push(text: string): ServerSentEvent[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    return this.drain(false);
  }

  /** The stream ended: completes a line held back for a possible CRLF; drops an unfinished event. */
  end(): ServerSentEvent[] {
    const events = this.drain(true);
    this.buffer = '';
    this.data = [];
    this.type = '';
    return events;
  }

  private drain(final: boolean): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      if (char === '\r') {
        // A CR as the last character may be the first half of a CRLF cut between two pieces.
        if (i + 1 === this.buffer.length && !final) break;
        const line = this.buffer.slice(start, i);
        if (this.buffer[i + 1] === '\n') i++;
        start = i + 1;
        this.line(line, events);
      } else {
        this.line(this.buffer.slice(start, i), events);
        start = i + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string, events: ServerSentEvent[]) {
    if (line === '') {
      if (this.data.length > 0) {
        events.push({ event: this.type || 'message', data: this.data.join('\n'), id: this.lastId });
      }
      this.data = [];
      this.type = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // "retry" and unknown fields mean nothing to a fetch reader.
  }
}

/**
 * The events of a response body as they arrive. Bytes go through one streaming TextDecoder, so a
 * character split between two chunks stays whole. Leaving the loop early cancels the body.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
