// Number formatting for labels updated every frame: one Intl.NumberFormat, built once
// (toLocaleString builds a formatter per call).
const INTEGER = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export const count = (n: number): string => INTEGER.format(n);
