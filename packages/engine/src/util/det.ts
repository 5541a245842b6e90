// Deterministic helpers: a string hash for values that look random (ping round-trip times,
// worker PIDs), and dates of virtual time in the formats programs log them. No Date: integer
// arithmetic from the virtual epoch that the image package uses (2026-01-01T00:00:00Z).
import { VIRTUAL_EPOCH_UNIX_SECONDS } from "@drydock/image";
import type { Micros } from "@drydock/kernel";

/** FNV-1a, 32 bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A number in [0, 1) from a text, stable across runs and machines. */
export function unit(text: string): number {
  return hash32(text) / 0x1_0000_0000;
}

const EPOCH_DAYS = Math.floor(VIRTUAL_EPOCH_UNIX_SECONDS / 86_400);

/** Howard Hinnant's civil_from_days: days since 1970-01-01 → [year, month, day]. */
function civil(z0: number): [number, number, number] {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Microseconds within the second. */
  readonly micros: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** Unix seconds. */
  readonly unix: number;
}

export function dateParts(us: Micros): DateParts {
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  const s = Math.round((us - micros) / 1_000_000);
  const days = Math.floor(s / 86_400);
  const rem = s - days * 86_400;
  const [year, month, day] = civil(days + EPOCH_DAYS);
  return {
    year, month, day, hour: Math.floor(rem / 3600), minute: Math.floor((rem % 3600) / 60), second: rem % 60, micros,
    weekday: (((days + EPOCH_DAYS + 4) % 7) + 7) % 7, unix: VIRTUAL_EPOCH_UNIX_SECONDS + s,
  };
}

export const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "2026-01-01T00:00:05.123456789Z": RFC 3339 with nine fraction digits (jsonmessage.RFC3339NanoFixed). */
export function rfc3339NanoFixed(us: Micros): string {
  const d = dateParts(us);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(d.micros * 1000, 9)}Z`;
}

/** Go's time.RFC3339Nano (trailing zeros of the fraction dropped), as inspect prints times. */
export function rfc3339Nano(us: Micros): string {
  const d = dateParts(us);
  const frac = d.micros === 0 ? "" : `.${pad(d.micros * 1000, 9).replace(/0+$/, "")}`;
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${frac}Z`;
}

/** "2026/01/01 00:00:05": nginx's error log. */
export function nginxTime(us: Micros): string {
  const d = dateParts(us);
  return `${pad(d.year, 4)}/${pad(d.month)}/${pad(d.day)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`;
}

/** "01 Jan 2026 00:00:05.123": redis's log. */
export function redisTime(us: Micros): string {
  const d = dateParts(us);
  return `${pad(d.day)} ${MONTHS[d.month - 1]} ${d.year} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(Math.floor(d.micros / 1000), 3)}`;
}

/** "2026-01-01 00:00:05.123 UTC": postgres's log_line_prefix %m. */
export function postgresTime(us: Micros): string {
  const d = dateParts(us);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(Math.floor(d.micros / 1000), 3)} UTC`;
}

/** "Thu Jan 01 00:00:05.123456 2026": Apache's error log. */
export function apacheTime(us: Micros): string {
  const d = dateParts(us);
  return `${WEEKDAYS[d.weekday]} ${MONTHS[d.month - 1]} ${pad(d.day)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(d.micros, 6)} ${d.year}`;
}

/** "2026-01-01T00:00:05.123Z": Spring Boot's ISO-8601 log time. */
export function isoMillis(us: Micros): string {
  const d = dateParts(us);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(Math.floor(d.micros / 1000), 3)}Z`;
}
