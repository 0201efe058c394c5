import { describe, expect, it } from 'vitest';
import { contrastRatio, DARK_TEXT, LIGHT_TEXT, luminance, textColorOn } from '@/lib/color';

describe('textColorOn', () => {
  it('puts white on dark and saturated colours', () => {
    expect(textColorOn('#4f46e5')).toBe(LIGHT_TEXT); // the default indigo
    expect(textColorOn('#000000')).toBe(LIGHT_TEXT);
    expect(textColorOn('#B91C1C')).toBe(LIGHT_TEXT); // upper case is a colour too
  });

  it('puts near-black on light tints', () => {
    expect(textColorOn('#ffffff')).toBe(DARK_TEXT);
    expect(textColorOn('#fde047')).toBe(DARK_TEXT); // yellow
    expect(textColorOn('#a5f3fc')).toBe(DARK_TEXT); // pale cyan
  });

  it('always picks the colour with the higher contrast, at least 4.5:1 for mid tones', () => {
    for (const hex of ['#4f46e5', '#10b981', '#ef4444', '#f59e0b', '#71717a', '#0ea5e9']) {
      const text = textColorOn(hex)!;
      const other = text === LIGHT_TEXT ? DARK_TEXT : LIGHT_TEXT;
      const background = luminance(hex)!;
      expect(contrastRatio(luminance(text)!, background)).toBeGreaterThanOrEqual(
        contrastRatio(luminance(other)!, background),
      );
      expect(contrastRatio(luminance(text)!, background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('refuses anything that is not #rrggbb', () => {
    for (const value of [
      '',
      '4f46e5',
      '#fff',
      '#4f46e5ff',
      'red',
      '#gggggg',
      'url(x)',
      '#4f46e5;color:red',
    ]) {
      expect(textColorOn(value)).toBeNull();
      expect(luminance(value)).toBeNull();
    }
  });

  it('measures luminance and contrast as WCAG does', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('#ffffff')).toBeCloseTo(1);
    expect(contrastRatio(1, 0)).toBeCloseTo(21);
    expect(contrastRatio(0.2, 0.2)).toBe(1);
  });
});
