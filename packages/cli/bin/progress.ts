// The progress line of long headless runs, on stderr. The wall clock lives here, not in src/.
import { performance } from "node:perf_hooks";
import type { ProgressSink } from "../src/index.js";

/** Redraws at most this often (about 5 times a wall second). */
const REDRAW_MS = 200;

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  // Start the clock now, so a run that ends within REDRAW_MS never draws (no flicker).
  let last = performance.now();
  let drawn = false;
  return {
    auto: tty,
    report(line) {
      const now = performance.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      // On a terminal: back to column 0 and erase the rest; into a file or pipe, one line per report.
      stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      drawn = true;
    },
    done() {
      if (drawn && tty) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
