// WCAG contrast of the text a page shows against the background behind it, measured in the browser.

/**
 * Text elements of `page` whose contrast with their background is under WCAG AA (4.5:1, or 3:1 for large
 * text: 24 px, or 18.66 px bold), as "tag "text" ratio (colour on background)". Looks at visible elements
 * that hold text of their own; skips disabled controls, text inside anything made translucent (faded on
 * purpose), placeholders and text over an image or gradient (no single background to measure).
 */
export function lowContrastText(page) {
  return page.evaluate(() => {
    const parse = (value) => {
      const match = value.match(/rgba?\(([^)]+)\)/);
      if (!match) return null;
      const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a),
      g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a),
      a: 1,
    });
    const luminance = ({ r, g, b }) => {
      const channel = (c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    /** The colour behind `element`: its own and its ancestors' backgrounds layered, or null over an image. */
    const background = (element) => {
      const layers = [];
      for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.backgroundImage !== 'none') return null;
        const colour = parse(style.backgroundColor);
        if (colour && colour.a > 0) {
          layers.push(colour);
          if (colour.a >= 1) break;
        }
      }
      let result = { r: 255, g: 255, b: 255, a: 1 };
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const faded = (element) => {
      for (let node = element; node; node = node.parentElement) {
        if (Number(getComputedStyle(node).opacity) < 1) return true;
      }
      return false;
    };
    const failures = [];
    for (const element of document.body.querySelectorAll('*')) {
      const ownText = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent)
        .join('')
        .trim();
      if (!ownText) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility !== 'visible' || element.closest('[aria-hidden="true"], .sr-only')) continue;
      if (element.closest(':disabled, [aria-disabled="true"], [data-disabled]') || faded(element)) continue;
      const colour = parse(style.color);
      const behind = background(element);
      if (!colour || !behind) continue;
      const contrast = ratio(over(colour, behind), behind);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (contrast < (large ? 3 : 4.5)) {
        failures.push(
          `${element.tagName.toLowerCase()} "${ownText.slice(0, 40)}" ${contrast.toFixed(2)} (${style.color} on rgb(${Math.round(behind.r)}, ${Math.round(behind.g)}, ${Math.round(behind.b)}))`,
        );
      }
    }
    return failures;
  });
}
