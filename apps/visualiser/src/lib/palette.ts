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
