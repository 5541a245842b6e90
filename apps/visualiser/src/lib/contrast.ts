// WCAG 2.1 contrast: relative luminance of sRGB colours and their ratio. Lines and glyphs that
// carry meaning need 3:1 against their background (WCAG 1.4.11, non-text contrast).

/** `#rgb` or `#rrggbb` to [r, g, b] in 0..255. */
export function parseHex(hex: string): [number, number, number] {
  const h = hex.replace(/^#/, "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
  if (!/^[0-9a-fA-F]{6}$/.test(full)) throw new Error(`not a hex colour: ${hex}`);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

export function luminance([r, g, b]: readonly [number, number, number]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two colours (1 to 21). */
export function contrast(a: string | readonly [number, number, number], b: string | readonly [number, number, number]): number {
  const la = luminance(typeof a === "string" ? parseHex(a) : a);
  const lb = luminance(typeof b === "string" ? parseHex(b) : b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Non-text contrast WCAG 1.4.11 asks of lines and glyphs that carry meaning. */
export const NON_TEXT_MIN = 3;
