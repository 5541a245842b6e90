import type { Micros } from "@drydock/kernel";
import { seconds1 } from "../image/format.js";

/** How many log lines of a failed vertex buildx repeats in its error block (progressui's logsBufferSize). */
export const ERROR_LOG_LINES = 10;

/**
 * A log line's time offset as BuildKit's progressui writes it: seconds since the vertex started,
 * 3 decimals under 10 s, 2 under 100 s, else 1 (display.go, `fmt.Sprintf("%.[2]*[1]f", sec, prec)`).
 */
export function logTimestamp(us: Micros): string {
  const sec = us / 1_000_000;
  return sec.toFixed(sec < 10 ? 3 : sec < 100 ? 2 : 1);
}

/** BuildKit's plain progress output (`--progress=plain`): numbered vertices, their logs and status. */
export class Progress {
  private readonly lines: string[] = [];
  private vertex = 0;
  private readonly names = new Map<number, string>();
  private readonly logs = new Map<number, string[]>();
  private readonly failed: number[] = [];

  constructor(header = true) {
    if (header) this.lines.push(`#0 building with "default" instance using docker driver`, "");
  }

  /** Starts vertex #n with its name; returns n. */
  start(name: string): number {
    this.vertex++;
    this.names.set(this.vertex, name);
    this.lines.push(`#${this.vertex} ${name}`);
    return this.vertex;
  }

  /** A log line; with a time offset it is process output ("#7 0.412 fetch …"), kept for the error block. */
  log(n: number, text: string, atUs?: Micros): void {
    if (atUs === undefined) {
      this.lines.push(`#${n} ${text}`);
      return;
    }
    const line = `${logTimestamp(atUs)} ${text}`;
    this.lines.push(`#${n} ${line}`);
    let kept = this.logs.get(n);
    if (!kept) this.logs.set(n, (kept = []));
    kept.push(line);
    if (kept.length > ERROR_LOG_LINES) kept.shift();
  }

  cached(n: number): void {
    this.lines.push(`#${n} CACHED`, "");
  }

  done(n: number, us: Micros): void {
    this.lines.push(`#${n} DONE ${seconds1(us)}s`, "");
  }

  error(n: number, message: string): void {
    this.lines.push(`#${n} ERROR: ${message}`, "");
    this.failed.push(n);
  }

  /**
   * buildx's summary of the failed vertices, printed after the progress (progressui
   * `printErrorLogs`): "------", " > <name>:", the vertex's last 10 log lines, "------".
   */
  errorLogs(): string {
    let out = "";
    for (const n of this.failed) {
      out += `------\n > ${this.names.get(n) ?? ""}:\n`;
      for (const l of this.logs.get(n) ?? []) out += `${l}\n`;
      out += "------\n";
    }
    return out;
  }

  text(): string {
    return this.lines.join("\n").replace(/\n+$/, "\n");
  }
}
