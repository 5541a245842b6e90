import type { Micros } from "@drydock/kernel";
import type { AnySim, Driver, Mark } from "./scenario.js";

/**
 * The notable moments seen along the run (the timeline's ticks, "next notable event", auto-pause),
 * read from the trace as it is traced, before the trace window drops it. A fork forgets the old
 * future's.
 */
export class Marks {
  list = $state.raw<readonly Mark[]>([]);
  /** Trace records read so far, numbered across the whole trace. */
  private scanned = 0;
  private keys = new Set<string>();

  reset(): void {
    this.scanned = 0;
    this.keys = new Set();
    this.list = [];
  }

  /** Reads the records traced since the last scan. */
  scan(sim: AnySim, driver: Driver): void {
    const trace = sim.trace;
    const start = sim.traceStart;
    const end = start + trace.length;
    if (end < this.scanned) this.scanned = end;
    if (end === this.scanned) return;
    let added: Mark[] | null = null;
    for (const m of driver.notable(trace, Math.max(this.scanned, start) - start)) {
      const key = `${m.t}|${m.label}`;
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      (added ??= []).push(m);
    }
    this.scanned = end;
    if (added) this.list = [...this.list, ...added].sort((a, b) => a.t - b.t);
  }

  /** The future after `t` was dropped (an action forked it). */
  forkAt(t: Micros): void {
    const kept = this.list.filter((m) => m.t <= t);
    if (kept.length === this.list.length) return;
    this.list = kept;
    this.keys = new Set(kept.map((m) => `${m.t}|${m.label}`));
  }

  /** The first mark in (from, to]. */
  between(from: Micros, to: Micros): Mark | undefined {
    return this.list.find((m) => m.t > from && m.t <= to);
  }
}
