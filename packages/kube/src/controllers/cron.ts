// CronJob schedules as kube-controller-manager reads them: robfig/cron v3's ParseStandard (five
// fields, minute hour day-of-month month day-of-week; `*`, `?`, ranges, steps, lists, month and day
// names; the @yearly … @hourly descriptors and `@every DURATION`), its errors word for word, and
// its Next (day-of-month and day-of-week are ORed unless either is `*`). Times are in UTC (a
// kube-controller-manager's local zone; spec.timeZone other zones are not modelled).

/** Unix seconds of drydock's virtual time 0 (2026-01-01T00:00:00Z, as @drydock/image's VIRTUAL_EPOCH_UNIX_SECONDS). */
export const VIRTUAL_EPOCH_UNIX_SECONDS = 1_767_225_600;

export type CronSchedule =
  | { readonly kind: "spec"; readonly minute: bigint; readonly hour: bigint; readonly dom: bigint; readonly month: bigint; readonly dow: bigint }
  /** `@every 1h30m`: every interval from the last time (robfig's ConstantDelaySchedule, rounded to whole seconds, at least 1 s). */
  | { readonly kind: "every"; readonly seconds: number };

/** A parse error: robfig/cron's message. */
export class CronError extends Error {}

const STAR = 1n << 63n;
interface Bounds { readonly min: number; readonly max: number; readonly names?: Readonly<Record<string, number>> }
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

/** robfig/cron ParseStandard. */
export function parseCron(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronError("empty spec string");
  let s = spec;
  if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
    const i = s.indexOf(" ");
    s = s.slice(i + 1).trim();
  }
  if (s.startsWith("@")) {
    if (s.startsWith("@every ")) {
      const secs = parseGoDuration(s.slice("@every ".length));
      if (secs === null) throw new CronError(`failed to parse duration ${s}: time: invalid duration ${goQuote(s.slice("@every ".length))}`);
      return { kind: "every", seconds: Math.max(1, Math.floor(secs)) };
    }
    const d = DESCRIPTORS[s];
    if (d === undefined) throw new CronError(`unrecognized descriptor: ${s}`);
    s = d;
  }
  const fields = s.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  return {
    kind: "spec",
    minute: getField(fields[0]!, MINUTES), hour: getField(fields[1]!, HOURS), dom: getField(fields[2]!, DOM), month: getField(fields[3]!, MONTHS), dow: getField(fields[4]!, DOW),
  };
}

function getField(field: string, b: Bounds): bigint {
  let bits = 0n;
  for (const expr of field.split(",")) bits |= getRange(expr, b);
  return bits;
}

function getRange(expr: string, b: Bounds): bigint {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let extra = 0n;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = b.min;
    end = b.max;
    extra = STAR;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b);
    switch (lowAndHigh.length) {
      case 1: end = start; break;
      case 2: end = parseIntOrName(lowAndHigh[1]!, b); break;
      default: throw new CronError(`too many hyphens: ${expr}`);
    }
  }
  let step: number;
  switch (rangeAndStep.length) {
    case 1: step = 1; break;
    case 2:
      step = mustParseInt(rangeAndStep[1]!);
      // "N/step" means "N-max/step".
      if (single) end = b.max;
      if (step > 1) extra = 0n;
      break;
    default: throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  let bits = 0n;
  for (let i = start; i <= end; i += step) bits |= 1n << BigInt(i);
  return bits | extra;
}

function parseIntOrName(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

function mustParseInt(expr: string): number {
  // Go's strconv.Atoi: an optional sign and decimal digits.
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${goQuote(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const goQuote = (s: string) => JSON.stringify(s);

/** Go's time.ParseDuration, in seconds (null when it is not one). */
function parseGoDuration(s: string): number | null {
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return null;
    total += Number(m[1]) * unit[m[2]!]!;
    i = re.lastIndex;
  }
  return s.length === 0 ? null : total;
}

const has = (bits: bigint, n: number) => ((bits >> BigInt(n)) & 1n) === 1n;

/** Civil date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civil(days: number): { month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return { day: doy - Math.floor((153 * mp + 2) / 5) + 1, month: mp < 10 ? mp + 3 : mp - 9 };
}

function dayMatches(s: Extract<CronSchedule, { kind: "spec" }>, days: number): boolean {
  const { month, day } = civil(days);
  if (!has(s.month, month)) return false;
  const domMatch = has(s.dom, day);
  const dowMatch = has(s.dow, (((days + 4) % 7) + 7) % 7);
  return (s.dom & STAR) !== 0n || (s.dow & STAR) !== 0n ? domMatch && dowMatch : domMatch || dowMatch;
}

/** robfig's Schedule.Next: the first activation strictly after `unix` (seconds), or null within five years. */
export function nextActivation(s: CronSchedule, unix: number): number | null {
  if (s.kind === "every") return unix - (unix % 1) + s.seconds;
  const t0 = Math.floor(unix / 60) * 60 + 60;
  const first = Math.floor(t0 / 86_400);
  const fromMinute = (t0 - first * 86_400) / 60;
  for (let d = first; d <= first + 5 * 366; d++) {
    if (!dayMatches(s, d)) continue;
    for (let m = d === first ? fromMinute : 0; m < 1440; m++) {
      if (has(s.hour, Math.floor(m / 60)) && has(s.minute, m % 60)) return d * 86_400 + m * 60;
    }
  }
  return null;
}
