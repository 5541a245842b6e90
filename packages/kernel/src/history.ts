import type { HistoryInfo } from "./model.js";
import type { Micros } from "./time.js";

/** A part of the simulation that a snapshot saves and a seek restores. */
export interface Part<T> {
  /** A copy of the part's state that later events cannot change. */
  save(): T;
  load(saved: T): void;
}

/**
 * A snapshot of a set of parts: one saved value per part, under the part's name. The parts are
 * the one definition of what a snapshot holds; saving and restoring both walk them.
 */
export type Saved<P> = { readonly [K in keyof P]: P[K] extends Part<infer T> ? T : never };

// `any`: each part has its own slice type, which Saved<P> recovers.
type Parts = Record<string, Part<any>>;

export function saveParts<P extends Parts>(parts: P): Saved<P> {
  const saved: Record<string, unknown> = {};
  for (const name in parts) saved[name] = parts[name]!.save();
  return saved as Saved<P>;
}

export function loadParts<P extends Parts>(parts: P, saved: Saved<P>): void {
  for (const name in parts) parts[name]!.load(saved[name]);
}

/** What history needs to know of a snapshot: where in the run it was taken. */
interface Positioned {
  readonly loop: { readonly events: number; readonly now: Micros };
}

/**
 * Snapshots every `everyUs` of virtual time, bounded: past `max` every other one is dropped and
 * the interval doubles. Also the horizon: the furthest point this session has reached.
 */
export class History<T extends Positioned> {
  private list: T[] = [];
  private everyUs: Micros;
  /** Time at or after which the next snapshot is due. */
  nextAt: Micros;
  private horizonUs: Micros = 0;
  private horizonEvents = 0;

  constructor(everyUs: Micros, private readonly max: number) {
    this.everyUs = everyUs;
    this.nextAt = everyUs;
  }

  /** Keeps a snapshot of this point, unless one was kept here on an earlier pass over the same history. */
  keep(events: number, take: () => T): void {
    const at = this.indexAfter(events);
    if (at > 0 && this.list[at - 1]!.loop.events === events) return;
    const list = this.list;
    list.splice(at, 0, take());
    if (list.length > this.max) {
      // Keep the first, the last and every other one between; the interval doubles.
      this.list = list.filter((_, i) => i === 0 || i === list.length - 1 || i % 2 === 0);
      this.everyUs *= 2;
    }
  }

  /** The next snapshot is due at the first multiple of the interval after `t`. */
  scheduleAfter(t: Micros): void {
    this.nextAt = (Math.floor(t / this.everyUs) + 1) * this.everyUs;
  }

  /** The latest snapshot that fits, or the first. */
  find(fits: (s: T) => boolean): T {
    for (let i = this.list.length - 1; i >= 0; i--) if (fits(this.list[i]!)) return this.list[i]!;
    return this.list[0]!;
  }

  /** A fork at `events`: snapshots of the old future are void, and the horizon is here. */
  fork(events: number, now: Micros): void {
    while (this.list.length > 1 && this.list[this.list.length - 1]!.loop.events > events) this.list.pop();
    this.horizonUs = now;
    this.horizonEvents = events;
  }

  noteHorizon(events: number, now: Micros): void {
    if (events >= this.horizonEvents) {
      this.horizonEvents = events;
      this.horizonUs = Math.max(this.horizonUs, now);
    }
  }

  info(events: number, now: Micros): HistoryInfo {
    return {
      snapshots: this.list.length,
      snapshotEveryUs: this.everyUs,
      historyMax: this.max,
      horizonUs: Math.max(this.horizonUs, now),
      horizonEvents: Math.max(this.horizonEvents, events),
    };
  }

  /** Index of the first snapshot taken after more than n events. */
  private indexAfter(n: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.loop.events <= n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
