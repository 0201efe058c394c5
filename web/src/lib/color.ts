// Text on a colour someone chose (a bot's avatar colour, a widget's launcher colour): white or near-black,
// whichever contrasts more with it (WCAG relative luminance), so the words stay readable in both themes
// and on light tints.

const HEX = /^#[0-9a-fA-F]{6}$/;

/** WCAG 2 relative luminance of `#rrggbb`, 0 (black) to 1 (white); null for anything else. */
export function luminance(hex: string): number | null {
  if (!HEX.test(hex)) return null;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two luminances (1 to 21). */
export function contrastRatio(a: number, b: number): number {
  const [high, low] = a > b ? [a, b] : [b, a];
  return (high + 0.05) / (low + 0.05);
}

export const LIGHT_TEXT = '#ffffff';
export const DARK_TEXT = '#09090b';

/** White or near-black text for a `#rrggbb` background; null when `hex` is not such a colour. */
export function textColorOn(hex: string): string | null {
  const background = luminance(hex);
  if (background === null) return null;
  const dark = luminance(DARK_TEXT)!;
  return contrastRatio(1, background) >= contrastRatio(dark, background) ? LIGHT_TEXT : DARK_TEXT;
}
