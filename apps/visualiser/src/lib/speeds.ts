/** Playback speeds in virtual seconds per real second; 0 is one event at a time. */
export const SPEEDS: readonly { readonly label: string; readonly short: string; readonly value: number }[] = [
  { label: "1 event at a time", short: "1 event", value: 0 },
  { label: "0.01×", short: "0.01×", value: 0.01 },
  { label: "0.03×", short: "0.03×", value: 0.03 },
  { label: "0.1×", short: "0.1×", value: 0.1 },
  { label: "0.25×", short: "0.25×", value: 0.25 },
  { label: "1× (real time)", short: "1×", value: 1 },
  { label: "3×", short: "3×", value: 3 },
  { label: "10×", short: "10×", value: 10 },
];

/** The index of a speed value in SPEEDS, or -1. */
export function speedIndexOf(value: number): number {
  return SPEEDS.findIndex((s) => s.value === value);
}
