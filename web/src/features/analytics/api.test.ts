// The CSV export read as a stream: rows counted across chunks (quoted line breaks are not rows), the
// file name from the server, and refusals as ApiErrors with the plan's words.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachmentName, CsvRowCounter, downloadCsv, analyticsApi } from '@/features/analytics/api';
import { ApiError } from '@/lib/api';
import { jsonResponse } from '@/test/utils';

afterEach(() => vi.unstubAllGlobals());

function csvResponse(chunks: string[], headers: Record<string, string> = {}) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', ...headers },
  });
}

describe('CsvRowCounter', () => {
  it('counts records without the header, across chunk boundaries and quoted line breaks', () => {
    const counter = new CsvRowCounter();
    counter.push('"conversation_id","text"\r\n"c1","hello');
    expect(counter.rows()).toBe(0);
    counter.push('\nworld"\r\n"c2","say ""hi""\n"');
    expect(counter.rows()).toBe(1);
    counter.push('\r\n"c3","x"');
    expect(counter.rows()).toBe(2);
    expect(counter.rows(true)).toBe(3);
  });

  it('counts a header alone as no rows', () => {
    const counter = new CsvRowCounter();
    counter.push('"a","b"\r\n');
    expect(counter.rows(true)).toBe(0);
  });
});

describe('downloadCsv', () => {
  it('reports the rows as they arrive and names the file as the server does', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        csvResponse(['"id"\r\n"1"\r\n', '"2"\r\n"3"\r\n'], {
          'Content-Disposition': 'attachment; filename="conversations-2026-11-05-to-2026-12-04.csv"',
        }),
      ),
    );
    const seen: number[] = [];
    const file = await downloadCsv('/api/analytics/export?kind=conversations', (rows) => seen.push(rows));
    expect(file.filename).toBe('conversations-2026-11-05-to-2026-12-04.csv');
    expect(file.rows).toBe(3);
    expect(seen).toEqual([1, 3, 3]);
    // jsdom's Blob cannot be read back; its size shows all of it was kept.
    expect(file.blob.size).toBe('"id"\r\n"1"\r\n"2"\r\n"3"\r\n'.length);
  });

  it('turns a 402 into the plan message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(402, {
          error: {
            code: 'feature_not_in_plan',
            message: 'x',
            details: { feature: 'csv_export', plan: 'free' },
          },
        }),
      ),
    );
    const failure = downloadCsv('/api/analytics/export?kind=conversations', () => {});
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toThrow(
      'Your Free plan does not include CSV export. Upgrade on the Billing page.',
    );
  });
});

describe('analytics URLs', () => {
  it('writes the filters under the API names and leaves empty ones out', () => {
    expect(analyticsApi.exportUrl('messages', { preset: '7d', bot_id: 'bot_1', platform: '' })).toBe(
      '/api/analytics/export?kind=messages&preset=7d&bot_id=bot_1',
    );
    expect(attachmentName(null, 'export.csv')).toBe('export.csv');
    expect(attachmentName('attachment; filename=events.csv', 'x')).toBe('events.csv');
  });
});
