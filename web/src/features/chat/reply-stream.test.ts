import { describe, expect, it } from 'vitest';
import { isStreamCut, streamReply } from '@/features/chat/reply-stream';
import { ApiError } from '@/lib/api';
import { eventStreamResponse, jsonResponse, mockFetch } from '@/test/utils';

const PATH = '/widget/wk_1/messages';

describe('streamReply', () => {
  it('reports the session and the text so far, and resolves with the done answer', async () => {
    mockFetch({
      [`POST ${PATH}`]: () =>
        eventStreamResponse([
          { event: 'start', data: { session_id: 'ses_1' } },
          { raw: ': ping\n\n' },
          { event: 'token', data: { text: 'Hel' } },
          { event: 'token', data: { text: 'lo' } },
          { event: 'mystery', data: {} },
          { event: 'done', data: { session_id: 'ses_1', reply: { text: 'Hello!' }, interrupted: false } },
        ]),
    });
    const seen: string[] = [];
    const answer = await streamReply(
      PATH,
      { text: 'hi' },
      {
        onStart: (id) => seen.push(`start ${id}`),
        onText: (text) => seen.push(text),
      },
    );
    expect(seen).toEqual(['start ses_1', 'Hel', 'Hello']);
    expect(answer).toEqual({ session_id: 'ses_1', reply: { text: 'Hello!' }, interrupted: false });
  });

  it('turns an error envelope answered before the stream into an ApiError', async () => {
    mockFetch({
      [`POST ${PATH}`]: () =>
        jsonResponse(
          429,
          { error: { code: 'rate_limited', message: 'Too many messages.', details: {} } },
          { 'Retry-After': '12' },
        ),
    });
    const error = await streamReply(PATH, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 12 });
  });

  it('reads a JSON answer when the server does not stream', async () => {
    mockFetch({ [`POST ${PATH}`]: () => jsonResponse(200, { session_id: 'ses_2', reply: { text: 'ok' } }) });
    expect(await streamReply(PATH, {})).toEqual({ session_id: 'ses_2', reply: { text: 'ok' } });
  });

  it('rejects with StreamCutError when the stream ends without done or carries bad data', async () => {
    mockFetch({
      [`POST ${PATH}`]: () => eventStreamResponse([{ event: 'token', data: { text: 'a' } }]),
    });
    expect(isStreamCut(await streamReply(PATH, {}).catch((caught: unknown) => caught))).toBe(true);
    mockFetch({ [`POST ${PATH}`]: () => eventStreamResponse([{ raw: 'event: token\ndata: {nope\n\n' }]) });
    expect(isStreamCut(await streamReply(PATH, {}).catch((caught: unknown) => caught))).toBe(true);
  });

  it('says the server cannot be reached when the request fails', async () => {
    const fetchMock = mockFetch({});
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(streamReply(PATH, {})).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});
