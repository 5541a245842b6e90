import { DrydockError, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { VIRTUAL_EPOCH_UNIX_SECONDS, formatCreatedRfc3339 } from "@drydock/image";

// Times as Docker reads and prints them, over drydock's virtual clock (µs since 2026-01-01T00:00Z,
// the image package's VIRTUAL_EPOCH_UNIX_SECONDS). Every host's clock is UTC.

const NANOS = { ns: 1e-3, us: 1, "µs": 1, "μs": 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 } as const;

/**
 * Go's time.ParseDuration in µs ("1h30m", "-1.5h", "300ms", "0"), or undefined when the text is not
 * a Go duration (a number without a unit is not: "10" fails with "missing unit").
 */
export function parseGoDuration(text: string): Micros | undefined {
  if (text === "0") return 0;
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const t of m[2]!.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(t[1]) * NANOS[t[2] as keyof typeof NANOS];
  return Math.round(m[1] === "-" ? -total : total);
}

/** Days from 1970-01-01 to a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Unix seconds (and a µs remainder) → virtual µs. */
export function unixToVirtual(seconds: number, micros = 0): Micros {
  return (seconds - VIRTUAL_EPOCH_UNIX_SECONDS) * MICROS_PER_SECOND + micros;
}

/**
 * Virtual µs → Unix nanoseconds, as the events API's timeNano. A bigint: today's Unix time in
 * nanoseconds (about 1.8e18) is far past 2^53, where a JS number stops counting every integer.
 */
export function virtualToUnixNanos(us: Micros): bigint {
  return (BigInt(VIRTUAL_EPOCH_UNIX_SECONDS) * BigInt(MICROS_PER_SECOND) + BigInt(us)) * 1000n;
}

export function virtualToUnixSeconds(us: Micros): number {
  return VIRTUAL_EPOCH_UNIX_SECONDS + Math.floor(us / MICROS_PER_SECOND);
}

/**
 * moby's api/types/time.GetTimestamp, as `docker events --since/--until` and the prune `until`
 * filter read a time: a Go duration counts back from `now` (to the whole second, as Go's Unix()
 * does); then RFC 3339 and its shorter local forms ("2026-01-01", "2026-01-01T10:00"); then a Unix
 * timestamp ("1767225600" or "1767225600.5"). Returns virtual µs; throws the daemon's or the
 * client's text when nothing fits.
 */
export function parseTimestamp(value: string, now: Micros): Micros {
  const d = parseGoDuration(value);
  if (d !== undefined && value !== "0") {
    // reference.Add(-d).Unix(): whole seconds, rounded down, in the virtual clock (exact integers).
    return Math.floor((now - d) / MICROS_PER_SECOND) * MICROS_PER_SECOND;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (m) {
    const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const dim = mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1];
    if (mo < 1 || mo > 12) throw new DrydockError("ETIME", `parsing time "${value}": month out of range`);
    if (dim === undefined || da < 1 || da > dim) throw new DrydockError("ETIME", `parsing time "${value}": day out of range`);
    if (h > 23 || mi > 59 || s > 59) throw new DrydockError("ETIME", `parsing time "${value}": hour, minute or second out of range`);
    let offset = 0;
    const zone = m[8];
    if (zone && zone !== "Z" && zone !== "z") offset = (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
    const unix = daysFromCivil(y, mo, da) * 86_400 + h * 3600 + mi * 60 + s - offset;
    const micros = m[7] ? Math.floor(Number(m[7].padEnd(9, "0")) / 1000) : 0;
    return unixToVirtual(unix, micros);
  }
  if (value.includes("-")) {
    throw new DrydockError("ETIME", `parsing time "${value}" as "2006-01-02T15:04:05Z07:00": cannot parse "${value}" as "2006"`);
  }
  const u = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!u) throw new DrydockError("ETIME", `failed to parse value as time or duration: "${value}"`);
  const frac = u[2] ? Math.floor(Number(u[2].slice(0, 9).padEnd(9, "0")) / 1000) : 0;
  return unixToVirtual(Number(u[1]), frac);
}

/** Go's time.RFC3339 in UTC, whole seconds: a volume's CreatedAt ("2026-01-01T00:00:05Z"). */
export function formatRfc3339(us: Micros): string {
  return formatCreatedRfc3339(Math.floor(us / MICROS_PER_SECOND) * MICROS_PER_SECOND);
}

/**
 * docker/cli events' rfc3339NanoFixed ("2006-01-02T15:04:05.000000000Z07:00"): nanoseconds always
 * nine digits, as `docker events` prints each line's time.
 */
export function formatRfc3339NanoFixed(us: Micros): string {
  const whole = Math.floor(us / MICROS_PER_SECOND) * MICROS_PER_SECOND;
  const base = formatCreatedRfc3339(whole).replace(/Z$/, "");
  return `${base}.${String((us - whole) * 1000).padStart(9, "0")}Z`;
}
