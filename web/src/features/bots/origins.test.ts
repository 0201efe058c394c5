import { describe, expect, it } from 'vitest';
import { parseOrigins } from '@/features/bots/origins';

describe('parseOrigins', () => {
  it('takes one origin per line, skipping blanks, a trailing slash and duplicates', () => {
    expect(
      parseOrigins('https://shop.example.com\n\nhttp://localhost:3000/\nHTTPS://shop.example.com'),
    ).toEqual({
      origins: ['https://shop.example.com', 'http://localhost:3000'],
    });
    expect(parseOrigins('')).toEqual({ origins: [] });
  });

  it('refuses paths, other schemes and bad ports', () => {
    expect(parseOrigins('https://shop.example.com/page')).toHaveProperty('error');
    expect(parseOrigins('ftp://shop.example.com')).toHaveProperty('error');
    expect(parseOrigins('shop.example.com')).toHaveProperty('error');
    expect(parseOrigins('http://localhost:99999')).toHaveProperty('error');
  });
});
