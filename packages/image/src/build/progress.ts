import type { Micros } from "@drydock/kernel";
import { seconds1 } from "../image/format.js";

/** BuildKit's plain progress output (`--progress=plain`): numbered vertices, their logs and status. */
export class Progress {
  private readonly lines: string[] = [];
  private vertex = 0;

  constructor(header = true) {
    if (header) this.lines.push(`#0 building with "default" instance using docker driver`, "");
  }

  /** Starts vertex #n with its name; returns n. */
  start(name: string): number {
    this.vertex++;
    this.lines.push(`#${this.vertex} ${name}`);
    return this.vertex;
  }

  log(n: number, text: string, atUs?: Micros): void {
    this.lines.push(atUs === undefined ? `#${n} ${text}` : `#${n} ${(atUs / 1_000_000).toFixed(3)} ${text}`);
  }

  cached(n: number): void {
    this.lines.push(`#${n} CACHED`, "");
  }

  done(n: number, us: Micros): void {
    this.lines.push(`#${n} DONE ${seconds1(us)}s`, "");
  }

  error(n: number, message: string): void {
    this.lines.push(`#${n} ERROR: ${message}`, "");
  }

  text(): string {
    return this.lines.join("\n").replace(/\n+$/, "\n");
  }
}
