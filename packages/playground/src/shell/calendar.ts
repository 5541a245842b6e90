// Virtual time on the calendar: time 0 is 2026-01-01 00:00:00 UTC. The civil date comes from
// days since 1970 by Howard Hinnant's `civil_from_days` (proleptic Gregorian), no clock needed.

/** Days from 1970-01-01 to 2026-01-01. */
const EPOCH_DAYS = 20454;
export const EPOCH_UNIX_SECONDS = EPOCH_DAYS * 86400;

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export interface Civil {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday */
  readonly weekday: number;
  /** 1..366 */
  readonly yearDay: number;
  /** Seconds since the Unix epoch. */
  readonly unix: number;
}

export function civilFromMicros(us: number): Civil {
  const secs = Math.floor(us / 1_000_000);
  const dayOffset = Math.floor(secs / 86400);
  const inDay = secs - dayOffset * 86400;
  const z0 = EPOCH_DAYS + dayOffset;
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1] ?? 0;
  return {
    year,
    month,
    day,
    hour: Math.floor(inDay / 3600),
    minute: Math.floor((inDay % 3600) / 60),
    second: inDay % 60,
    weekday: (((z0 + 4) % 7) + 7) % 7,
    yearDay: before + day + (leap && month > 2 ? 1 : 0),
    unix: EPOCH_UNIX_SECONDS + secs,
  };
}

const two = (n: number): string => String(n).padStart(2, "0");

/** `ls -l`'s time column: "Jan  1 12:00" within six months before now, else "Jan  1  2025". */
export function lsTime(mtime: number, now: number): string {
  const c = civilFromMicros(mtime);
  const sixMonths = (31556952 / 2) * 1_000_000;
  const recent = mtime <= now && now - mtime < sixMonths;
  const head = `${MONTHS[c.month - 1]} ${String(c.day).padStart(2)}`;
  return recent ? `${head} ${two(c.hour)}:${two(c.minute)}` : `${head}  ${c.year}`;
}

/** strftime for `date +FORMAT`, in UTC; the default is date(1)'s "Thu Jan  1 00:00:00 UTC 2026". */
export function strftime(format: string, us: number): string {
  const c = civilFromMicros(us);
  const conv = new Map<string, () => string>([
    ["Y", () => String(c.year)],
    ["y", () => two(c.year % 100)],
    ["m", () => two(c.month)],
    ["d", () => two(c.day)],
    ["e", () => String(c.day).padStart(2)],
    ["H", () => two(c.hour)],
    ["M", () => two(c.minute)],
    ["S", () => two(c.second)],
    ["j", () => String(c.yearDay).padStart(3, "0")],
    ["a", () => WEEKDAYS[c.weekday] ?? ""],
    ["b", () => MONTHS[c.month - 1] ?? ""],
    ["h", () => MONTHS[c.month - 1] ?? ""],
    ["s", () => String(c.unix)],
    ["N", () => String(Math.floor(us % 1_000_000) * 1000).padStart(9, "0")],
    ["Z", () => "UTC"],
    ["z", () => "+0000"],
    ["F", () => `${c.year}-${two(c.month)}-${two(c.day)}`],
    ["T", () => `${two(c.hour)}:${two(c.minute)}:${two(c.second)}`],
    ["n", () => "\n"],
    ["t", () => "\t"],
    ["%", () => "%"],
  ]);
  return format.replace(/%(.)/g, (all, k: string) => conv.get(k)?.() ?? all);
}

export const DATE_DEFAULT_FORMAT = "%a %b %e %H:%M:%S %Z %Y";
