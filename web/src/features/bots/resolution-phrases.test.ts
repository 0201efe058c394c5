// The resolution phrases as the server checks them (server/src/bots/service.cpp).
import { describe, expect, it } from 'vitest';
import { resolutionPhrasesSchema } from '@/features/bots/schema';

const problems = (phrases: string[]) =>
  resolutionPhrasesSchema
    .safeParse(phrases)
    .error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];

describe('resolution phrases', () => {
  it('accepts up to 20 phrases of up to 100 characters, counted as characters, not UTF-16 units', () => {
    expect(problems(Array.from({ length: 20 }, (_, index) => `phrase ${index}`))).toEqual([]);
    expect(problems(['x'.repeat(100), '😀'.repeat(100), 'ça règle tout'])).toEqual([]);
    expect(problems([])).toEqual([]);
  });

  it('refuses a 21st phrase, a long one, an empty one and one over two lines', () => {
    expect(problems(Array.from({ length: 21 }, (_, index) => `p${index}`))).toEqual([
      ['', 'Use at most 20 phrases.'],
    ]);
    expect(problems(['x'.repeat(101)])).toEqual([['0', 'Use at most 100 characters a phrase.']]);
    expect(problems(['ok', '   '])).toEqual([['1', 'Write the phrase, or remove it.']]);
    expect(problems(['problem\nsolved'])).toEqual([['0', 'Keep each phrase on one line.']]);
  });
});
