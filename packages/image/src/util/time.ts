import type { Micros } from "@drydock/kernel";

/**
 * The wall-clock date of virtual time 0: 2026-01-01T00:00:00Z. Dates are computed from it with
 * integer arithmetic (no Date), so they are the same on every machine.
 */
export const VIRTUAL_EPOCH_UNIX_SECONDS = 1_767_225_600;
const EPOCH_DAYS = 20_454; // days from 1970-01-01 to 2026-01-01

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

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function parts(us: Micros): { date: string; time: string; micros: number } {
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  const s = Math.round((us - micros) / 1_000_000);
  const days = Math.floor(s / 86_400);
  const rem = s - days * 86_400;
  const [y, m, d] = civil(days + EPOCH_DAYS);
  return { date: `${pad(y, 4)}-${pad(m)}-${pad(d)}`, time: `${pad(Math.floor(rem / 3600))}:${pad(Math.floor((rem % 3600) / 60))}:${pad(rem % 60)}`, micros };
}

/**
 * `Created` as `docker image inspect` prints it: Go's time.RFC3339Nano in UTC, from virtual µs —
 * nanoseconds with trailing zeros dropped (and the dot with them), e.g. "2026-01-01T00:00:02.5Z".
 */
export function formatCreatedRfc3339(us: Micros): string {
  const { date, time, micros } = parts(us);
  const frac = micros === 0 ? "" : `.${pad(micros * 1000, 9).replace(/0+$/, "")}`;
  return `${date}T${time}${frac}Z`;
}

/** Go's time.Time.String() of whole seconds in UTC ("2026-01-01 00:00:00 +0000 UTC"): `docker images`' CreatedAt. */
export function formatGoTime(us: Micros): string {
  const { date, time } = parts(Math.floor(us / 1_000_000) * 1_000_000);
  return `${date} ${time} +0000 UTC`;
}

/** Go's zero time.Time in RFC 3339: what inspect prints for a LastTagTime never set. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";
