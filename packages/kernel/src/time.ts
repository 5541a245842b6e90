import { DrydockError } from "./errors.js";

/**
 * Virtual time: an integer count of microseconds since the start of a run. Plain numbers keep
 * the hot path fast; integers up to 2^53 µs last about 285 years of virtual time.
 */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

const UNIT_MICROS: Record<string, number> = {
  us: 1,
  "µs": 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

/** A duration as the kernel accepts it: microseconds as a number, or text like "150ms". */
export type Duration = Micros | string;

const TERM = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)/y;

/**
 * Parses Go-style durations ("150ms", "5s", "1m30s", "1.5s", "250us"). A bare number is taken
 * as microseconds. Fractions must land on a whole microsecond. Negative durations are errors.
 */
export function parseDuration(input: Duration): Micros {
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw new DrydockError("EDURATION", `invalid duration ${input}: want a whole, non-negative number of microseconds`);
    }
    return input;
  }
  const text = input.trim();
  if (text === "0") return 0;
  if (text === "") throw new DrydockError("EDURATION", `invalid duration "": empty`);
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    TERM.lastIndex = pos;
    const m = TERM.exec(text);
    if (!m) {
      throw new DrydockError(
        "EDURATION",
        `invalid duration "${input}": unexpected "${text.slice(pos)}" at column ${pos + 1} (use units us, ms, s, m, h, as in "150ms" or "1m30s")`,
        { line: 1, column: pos + 1 },
      );
    }
    const micros = Number(m[1]) * UNIT_MICROS[m[2]!]!;
    total += micros;
    pos = TERM.lastIndex;
  }
  const rounded = Math.round(total);
  if (Math.abs(rounded - total) > 1e-6 || !Number.isSafeInteger(rounded)) {
    throw new DrydockError("EDURATION", `invalid duration "${input}": not a whole number of microseconds`);
  }
  return rounded;
}

/** Prints a duration the way Go does: "1m30s", "150ms", "2.5s", "0s". */
export function formatDuration(us: Micros): string {
  if (us === 0) return "0s";
  const sign = us < 0 ? "-" : "";
  let rest = Math.abs(us);
  if (rest < 1_000) return `${sign}${rest}µs`;
  if (rest < 1_000_000) return `${sign}${trim(rest / 1_000)}ms`;
  let out = "";
  const h = Math.floor(rest / 3_600_000_000);
  if (h > 0) { out += `${h}h`; rest -= h * 3_600_000_000; }
  const m = Math.floor(rest / 60_000_000);
  if (h > 0 || m > 0) { out += `${m}m`; rest -= m * 60_000_000; }
  out += `${trim(rest / 1_000_000)}s`;
  return sign + out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(6)));
}

/** A [min, max] range of durations, for latencies and randomized timeouts. */
export type DurationRange = readonly [Duration, Duration];

export function parseRange(range: DurationRange | Duration, what = "range"): readonly [Micros, Micros] {
  const [a, b] = Array.isArray(range) ? range : [range as Duration, range as Duration];
  const min = parseDuration(a);
  const max = parseDuration(b);
  if (max < min) {
    throw new DrydockError("ERANGE", `invalid ${what}: max ${formatDuration(max)} is below min ${formatDuration(min)}`);
  }
  return [min, max];
}
