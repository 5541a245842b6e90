import type { Micros } from "@drydock/kernel";

/**
 * How BuildKit's dockerfile2llb writes metadata instructions into image history (commitToHistory),
 * which is what `docker history` shows: Go's %q for argument lists (`CMD ["nginx" "-g" "daemon off;"]`),
 * %v for maps and slices (`EXPOSE map[80/tcp:{}]`, `VOLUME [/data]`).
 */
export function goQuoted(args: readonly string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(" ")}]`;
}

export function goSlice(args: readonly string[]): string {
  return `[${args.join(" ")}]`;
}

/** Go's time.Duration String(): "30s", "1m30s", "500ms", "0s". */
export function goDuration(us: Micros | undefined): string {
  if (!us) return "0s";
  if (us < 1_000_000) return us % 1000 === 0 ? `${us / 1000}ms` : `${us}µs`;
  let s = us / 1_000_000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = `${Number(s.toFixed(6))}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

/** Go's %q of an int used as a rune: '\x03'. */
function goRune(n: number): string {
  if (n >= 32 && n < 127) return `'${String.fromCharCode(n)}'`;
  return `'\\x${n.toString(16).padStart(2, "0")}'`;
}

export function healthcheckText(h: { test: readonly string[]; interval?: Micros; timeout?: Micros; startPeriod?: Micros; startInterval?: Micros; retries?: number }): string {
  return `HEALTHCHECK &{${goQuoted(h.test)} "${goDuration(h.interval)}" "${goDuration(h.timeout)}" "${goDuration(h.startPeriod)}" "${goDuration(h.startInterval)}" ${goRune(h.retries ?? 0)}}`;
}

export function exposeText(ports: readonly string[]): string {
  return `EXPOSE map[${[...ports].sort().map((p) => `${p}:{}`).join(" ")}]`;
}
