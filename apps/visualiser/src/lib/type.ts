// One definition of the app's type size, read by the CSS (as --base on the app's root) and by
// the views that lay out SVG and Canvas in pixels, so a word in a diagram and a word in a panel
// follow the same rule.

export interface TypeMode {
  readonly projector: boolean;
  readonly embed: boolean;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/**
 * The base type size in CSS pixels for a viewport `heightPx` tall. Projector mode: 18 px at 720
 * lines (the smallest word a room can read), 27 px at 1080. Embed: 12 px at 400 lines. Otherwise
 * 15 px, a desktop's reading size.
 */
export function basePx(mode: TypeMode, heightPx: number): number {
  if (mode.projector) return Math.round(clamp(heightPx * 0.025, 18, 28));
  if (mode.embed) return Math.round(clamp(heightPx * 0.03, 12, 16));
  return 15;
}

/** Smallest word a view may draw, in units of the base size (1: nothing smaller than the base). */
export const MIN_WORD = 1;
