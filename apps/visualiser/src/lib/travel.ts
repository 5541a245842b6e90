import { formatDuration, type Micros } from "@drydock/kernel";
import type { AnySim, Mark, Timeline } from "./scenario.js";
import { SEARCH_EVENTS_MAX, advance } from "./replay.js";

/** How far "next notable event" searches past the end of the known timeline. */
const NOTABLE_SEARCH_US = 60_000_000;
/** Step-forward origins remembered for stepping back exactly. */
const STEPS_MAX = 1_000;

interface At {
  readonly events: number;
  readonly now: Micros;
}

/**
 * Time travel: stepping one event either way so that five back and five forward return to the
 * same instant (the clock too, when playback had stopped it between events), the notable-event
 * search, and keeping the sequence diagram's window filled after a seek.
 */
export class TimeTravel {
  /** Where each step forward started (the clock may have stood between events): stepping back returns there. */
  private steps: At[] = [];
  /** Where each step back started: stepping forward again returns there. */
  private redo: At[] = [];
  /** The trace window holds every record since `fromUs` while its first record is number `start`. */
  private covered: { readonly start: number; readonly fromUs: Micros } | null = null;

  /** Any other move makes the remembered steps meaningless. */
  forget(): void {
    this.steps = [];
    this.redo = [];
  }

  /** Forward one event; after stepping back, to exactly where the step back started (the clock too). */
  stepForward(tl: Timeline, sim: AnySim): void {
    const from = { events: sim.eventCount, now: sim.now };
    if (!tl.step()) return;
    remember(this.steps, from);
    const back = this.redo.pop();
    if (back && back.events === sim.eventCount) {
      if (back.now > sim.now && sim.nextEventTime > back.now) tl.runUntil(back.now);
    } else this.redo = [];
  }

  /** Back one event, to exactly the state before it (the clock too, if a step left from there). */
  stepBack(tl: Timeline, sim: AnySim): void {
    if (sim.eventCount === 0) return;
    const n = sim.eventCount - 1;
    remember(this.redo, { events: sim.eventCount, now: sim.now });
    const from = this.steps.pop();
    tl.seekEvent(n);
    if (from && from.events === n && from.now > sim.now && sim.nextEventTime > from.now) tl.runUntil(from.now);
  }

  /**
   * The next mark after now, running the simulation on to find one if needed: up to a minute
   * past the known timeline and at most SEARCH_EVENTS_MAX events of work, so a large cluster never
   * freezes the page while it looks. Returns where it went and what to say.
   */
  nextNotable(tl: Timeline, sim: AnySim, marks: () => readonly Mark[], scan: () => void, windowUs: Micros): string {
    const now = sim.now;
    const events = sim.eventCount;
    let next = marks().find((m) => m.t > now);
    let searchedUs = 0;
    if (!next) {
      const from = Math.max(sim.history().horizonUs, now);
      const limit = from + NOTABLE_SEARCH_US;
      const seen = marks().length;
      const budget = { left: SEARCH_EVENTS_MAX };
      if (sim.now < from) tl.seek(from);
      const chunk = Math.max(10_000, Math.round(windowUs / 4));
      while (sim.now < limit && budget.left > 0) {
        advance(tl, sim, { events: null, timeUs: Math.min(limit, sim.now + chunk) }, budget, scan);
        if (marks().length > seen) break;
      }
      searchedUs = sim.now - from;
      next = marks().find((m) => m.t > now);
    }
    if (next) {
      tl.seek(next.t);
      return next.label;
    }
    // Stay where the room was looking (the scrubber keeps its range: see Frame.horizonUs).
    tl.seekEvent(events);
    if (now > sim.now && sim.nextEventTime > now) tl.runUntil(now);
    return searchedUs >= NOTABLE_SEARCH_US ? "No notable event in the next minute."
      : `No notable event in the next ${formatDuration(searchedUs - (searchedUs % 1000))} (the search stops after ${SEARCH_EVENTS_MAX.toLocaleString("en")} events).`;
  }

  /** The mark before now, or the start. */
  prevNotable(tl: Timeline, sim: AnySim, marks: readonly Mark[]): string {
    const earlier = marks.filter((m) => m.t < sim.now);
    const prev = earlier[earlier.length - 1];
    if (prev) {
      tl.seek(prev.t);
      return prev.label;
    }
    tl.seek(0);
    return "Back to the start: no earlier notable event.";
  }

  /**
   * The sequence diagram shows `windowUs` before now. After a seek the kernel's trace window may
   * start later (it regenerates records from the snapshot it restored): replay that stretch again
   * from an earlier snapshot, and come back to exactly this position (events and clock) without
   * the kernel's forward jumps, which would start the window afresh.
   */
  fillWindow(tl: Timeline, sim: AnySim, windowUs: Micros): void {
    const from = Math.max(0, sim.now - windowUs);
    const first = sim.trace[0];
    if (sim.traceStart === 0 || (first !== undefined && first.t <= from)) return;
    // The window was refilled from a snapshot at or before `from` and has not dropped records since.
    const c = this.covered;
    if (c !== null && c.start === sim.traceStart && c.fromUs <= from) return;
    const events = sim.eventCount;
    const now = sim.now;
    tl.seek(from);
    // Every event before `now` is among the first `events` (they run in time order).
    if (now > 0) tl.runUntil(now - 1);
    while (sim.eventCount < events && tl.step()) { /* the events at `now` */ }
    if (now > sim.now && sim.nextEventTime > now) tl.runUntil(now);
    this.covered = { start: sim.traceStart, fromUs: from };
  }
}

function remember(list: At[], at: At): void {
  if (list.length >= STEPS_MAX) list.shift();
  list.push(at);
}
