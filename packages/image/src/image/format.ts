import { MICROS_PER_SECOND, type Micros } from "@drydock/kernel";

const DECIMAL_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** go-units HumanSizeWithPrecision(size, 3): decimal units, as `docker image ls` prints sizes. */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(precision))}${DECIMAL_UNITS[i]}`;
}

/** go-units BytesSize: binary units (KiB, MiB), as BuildKit's progress prints transfers. */
export function bytesSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  return `${Number(size.toPrecision(4))}${units[i]}`;
}

/** go-units HumanDuration, the "CREATED" column's wording ("2 weeks", "About an hour"). */
export function humanDuration(us: Micros): string {
  const seconds = Math.floor(us / MICROS_PER_SECOND);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

export function since(created: Micros, now: Micros): string {
  return `${humanDuration(Math.max(0, now - created))} ago`;
}

/** BuildKit's step timing: "DONE 2.3s" with one decimal. */
export function seconds1(us: Micros): string {
  return (Math.round(us / 100_000) / 10).toFixed(1);
}
