import { describe, expect, it } from 'vitest';
import { EventStreamParser, readEventStream, type ServerSentEvent } from '@/lib/event-stream';

const STREAM =
  ': keep-alive\n' +
  'event: start\ndata: {"session_id":"ses_1"}\n\n' +
  'event: token\ndata: {"text":"Héllo "}\n\n' +
  ':\n' +
  'event: token\ndata: {"text":"wörld 🌍"}\n\n' +
  'event: done\ndata: {"reply":{"text":"Héllo wörld 🌍"}}\n\n';

const EXPECTED: ServerSentEvent[] = [
  { event: 'start', data: '{"session_id":"ses_1"}', id: '' },
  { event: 'token', data: '{"text":"Héllo "}', id: '' },
  { event: 'token', data: '{"text":"wörld 🌍"}', id: '' },
  { event: 'done', data: '{"reply":{"text":"Héllo wörld 🌍"}}', id: '' },
];

function parseAll(pieces: string[]): ServerSentEvent[] {
  const parser = new EventStreamParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

/** A body that hands out the given byte chunks one by one. */
function body(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(stream)) events.push(event);
  return events;
}

describe('EventStreamParser', () => {
  it('reads named events and skips comment lines', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events wherever the text is cut in two', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(EXPECTED);
    }
  });

  it('gives the same events when the text arrives one character at a time', () => {
    expect(parseAll(Array.from(STREAM))).toEqual(EXPECTED);
  });

  it('accepts CRLF and lone CR line ends, also when a CRLF is cut between pieces', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    const cr = STREAM.replace(/\n/g, '\r');
    expect(parseAll([crlf])).toEqual(EXPECTED);
    expect(parseAll([cr])).toEqual(EXPECTED);
    for (let cut = 0; cut <= crlf.length; cut++) {
      expect(parseAll([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(EXPECTED);
    }
  });

  it('joins several data lines with newlines and calls an unnamed event "message"', () => {
    expect(parseAll(['data: first\ndata:second\ndata\ndata:  indented\n\n'])).toEqual([
      { event: 'message', data: 'first\nsecond\n\n indented', id: '' },
    ]);
  });

  it('drops an event whose blank line never came (a cut connection)', () => {
    expect(parseAll(['event: token\ndata: {"text":"a"}\n\nevent: done\ndata: {"reply":'])).toEqual([
      { event: 'token', data: '{"text":"a"}', id: '' },
    ]);
    expect(parseAll(['event: done\ndata: {}\n'])).toEqual([]);
  });

  it('dispatches a last event ended by a CR that came last', () => {
    expect(parseAll(['event: done\rdata: {}\r\r'])).toEqual([{ event: 'done', data: '{}', id: '' }]);
  });

  it('ignores events without data, a leading byte order mark, and unknown fields; keeps the last id', () => {
    expect(parseAll(['\uFEFFevent: ping\n\nretry: 10\nfoo: bar\nid: 7\ndata: x\n\ndata: y\n\n'])).toEqual([
      { event: 'message', data: 'x', id: '7' },
      { event: 'message', data: 'y', id: '7' },
    ]);
  });
});

describe('readEventStream', () => {
  const bytes = new TextEncoder().encode(STREAM);

  it('reads a body whose chunks cut lines and characters anywhere', async () => {
    for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
      expect(await collect(body(chunks))).toEqual(EXPECTED);
    }
  });

  it('yields each event as soon as its chunk arrives', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('event: token\ndata: {"text":"early"}\n\n'));
        await gate;
        controller.enqueue(encoder.encode('event: done\ndata: {}\n\n'));
        controller.close();
      },
    });
    const events = readEventStream(stream);
    const first = await events.next();
    expect(first.value).toEqual({ event: 'token', data: '{"text":"early"}', id: '' });
    release();
    expect((await events.next()).value).toMatchObject({ event: 'done' });
    expect((await events.next()).done).toBe(true);
  });

  it('drops an unfinished last event when the body ends', async () => {
    const cut = new TextEncoder().encode('event: token\ndata: {"text":"a"}\n\nevent: token\ndata: {"te');
    expect(await collect(body([cut]))).toEqual([{ event: 'token', data: '{"text":"a"}', id: '' }]);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('event: done\ndata: {}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readEventStream(stream)) {
      expect(event.event).toBe('done');
      break;
    }
    expect(cancelled).toBe(true);
  });

  it('passes on a failed read', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('event: token\ndata: {"text":"a"}\n\n'));
        controller.error(new TypeError('network error'));
      },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of readEventStream(stream)) seen.push(event.event);
      })(),
    ).rejects.toThrow('network error');
    expect(seen.length).toBeLessThanOrEqual(1);
  });
});
