import { formatDuration, type Micros } from "@drydock/kernel";
import type { CliIO } from "./io.js";

/** How much virtual time a headless run covers between two progress reports. */
export const PROGRESS_SLICE_US = 1_000_000;

export interface Progress {
  /** Runs `run` to `until` in slices of PROGRESS_SLICE_US, reporting after each (or in one go when silent). */
  run(clock: { readonly now: Micros }, until: Micros, run: (to: Micros) => void): void;
  done(): void;
}

const SILENT: Progress = { run: (_clock, until, run) => run(until), done: () => {} };

/**
 * The progress line of a long headless run (`drydock swim -n 10000`): "virtual 12.0s / 60s
 * (members 10000)". Slicing the run changes nothing it computes: the kernel processes the
 * same events in the same order whether it is asked to run to 60s once or in sixty steps.
 */
export function progressOf(io: CliIO, forced: boolean, total: Micros, what: string): Progress {
  const sink = io.progress;
  if (!sink || !(forced || sink.auto)) return SILENT;
  const line = (now: Micros) => `  virtual ${(now / 1e6).toFixed(1)}s / ${formatDuration(total)}  (${what})`;
  return {
    run(clock, until, run) {
      while (clock.now < until) {
        const next = Math.min(until, (Math.floor(clock.now / PROGRESS_SLICE_US) + 1) * PROGRESS_SLICE_US);
        run(next);
        sink.report(line(clock.now));
      }
    },
    done: () => sink.done(),
  };
}
