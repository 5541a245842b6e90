// Okabe and Ito's colour-blind-safe palette. Nothing is told by colour alone: every role and
// status also has a word, a glyph or a line style.
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  sky: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
} as const;

export const INK = "#111111";
export const MUTED = "#5b5b5b";
export const PAPER = "#ffffff";

/**
 * Lines and glyphs that carry meaning, each at least 3:1 against the paper in both modes
 * (WCAG 1.4.11; palette.test.ts checks them). Links are background but tell open from cut, so
 * they are grey #8a8a8a (3.4:1), not the 1.6:1 they once were.
 */
export const STROKES = {
  link: "#8a8a8a",
  cut: "#D55E00",
  ink: INK,
} as const;
