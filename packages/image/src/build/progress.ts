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

  /** Leaves vertex n unfinished for another's lines (progressui prints "#n ..." and a blank line). */
  pause(n: number): void {
    this.lines.push(`#${n} ...`, "");
  }

  /** Returns to a paused vertex: its name again, then its further lines. */
  resume(n: number): void {
    this.lines.push(`#${n} ${this.names.get(n) ?? ""}`);
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

/** One block of plain progress output: a vertex's lines ("#N …") and the blank line after them. */
export interface ProgressBlock {
  /** The vertex number (#0 is the builder line), or null for text outside any vertex (buildx's error summary). */
  readonly vertex: number | null;
  readonly text: string;
}

/**
 * Cuts BuildKit's plain progress output into its blocks, in order, so a terminal can stream a build
 * vertex by vertex: each "#N …" block with its trailing blank line (a vertex paused with "#N ..."
 * and resumed later gives two blocks of the same N), and any other text (the failure summary) as
 * blocks with vertex null. Joining the texts gives back `output` exactly.
 */
export function splitProgress(output: string): ProgressBlock[] {
  const blocks: { vertex: number | null; text: string }[] = [];
  let current: { vertex: number | null; text: string } | undefined;
  let start = 0;
  while (start < output.length) {
    const nl = output.indexOf("\n", start);
    const end = nl < 0 ? output.length : nl + 1;
    const line = output.slice(start, end);
    start = end;
    const body = line.replace(/\r?\n$/, "");
    if (body === "") {
      if (!current) blocks.push((current = { vertex: null, text: "" }));
      current.text += line;
      current = undefined;
      continue;
    }
    const m = /^#(\d+) /.exec(body);
    const vertex = m ? Number(m[1]) : null;
    if (!current || current.vertex !== vertex) blocks.push((current = { vertex, text: "" }));
    current.text += line;
  }
  return blocks;
}
