import { formatDuration, type Micros } from "@drydock/kernel";
import type { AnySim, Timeline } from "./scenario.js";

// Opening a link replays its run from the start, so a link can ask for any amount of work (an
// action at event 9,007,199,254,740,990; an hour of a 1,000-member cluster). The work is bounded
// before it starts: a replay spends at most a budget of events, counted over every simulation
// behind the timeline, and one that would need more stops where the budget ran out, which is the
// nearest point of the link's run this page reaches. Counting events, not milliseconds, makes
// that point the same on every machine, so the link it gives is the same too.

/**
 * Events a link may replay when it opens: a second or so of work in a browser (a 10-minute
 * Raft session is ~125,000 events; 60 s of a 1,000-member SWIM cluster ~300,000).
 */
export const OPEN_EVENTS_MAX = 400_000;

/** Events the "next notable event" search may run before it gives up. */
export const SEARCH_EVENTS_MAX = 150_000;

/** Where a replay should go: an exact event number (wins), else a time. */
export interface Target {
  readonly events: number | null;
  readonly timeUs: Micros | null;
}

export interface Budget {
  /** Events of work left. */
  left: number;
}

/** Most work one step of a replay may cost: the trace window must still hold what it traced when `onStep` reads it. */
export const STEP_WORK_MAX = 20_000;

/**
 * Moves the timeline forward to `target` in steps, within the budget. Each step is sized from the
 * work the last one cost, to spend at most a quarter of what is left (a companion can cost forty
 * events per event of the simulation it follows) and at most STEP_WORK_MAX, and grows at most
 * fourfold; `onStep` runs after each (the app reads the trace there). A step that costs
 * more than is left is undone, so the run stops at a point whose replay fits the budget: a link
 * to the point where a replay stopped opens there in full. Returns whether the target was reached.
 */
export function advance(timeline: Timeline, sim: AnySim, target: Target, budget: Budget, onStep?: () => void): boolean {
  const done = (): boolean => (target.events !== null ? sim.eventCount >= target.events : target.timeUs !== null && sim.now >= target.timeUs);
  let stepEvents = 500;
  let stepUs = 20_000;
  while (!done()) {
    if (budget.left <= 0) return false;
    const work0 = timeline.work();
    const events0 = sim.eventCount;
    const now0 = sim.now;
    if (target.events !== null) {
      timeline.seekEvent(Math.min(target.events, events0 + stepEvents));
      // Nothing is left to run: the target is past the end of the run.
      if (sim.eventCount === events0) return false;
    } else {
      timeline.runUntil(Math.min(target.timeUs!, now0 + stepUs));
    }
    const cost = timeline.work() - work0;
    if (cost > budget.left) {
      timeline.seekEvent(events0);
      budget.left = 0;
      return false;
    }
    budget.left -= Math.max(1, cost);
    onStep?.();
    const share = Math.max(1, Math.min(STEP_WORK_MAX, budget.left / 4));
    const perEvent = Math.max(1, cost) / Math.max(1, sim.eventCount - events0);
    const perUs = Math.max(1, cost) / Math.max(1, sim.now - now0);
    // A step grows at most fourfold: a quiet start says little about the load that follows.
    stepEvents = Math.max(1, Math.min(50_000, stepEvents * 4, Math.floor(share / perEvent)));
    stepUs = Math.max(1_000, Math.min(60_000_000, stepUs * 4, Math.floor(share / perUs)));
  }
  return true;
}

/** "event 5,000,000" or "0:59.000", for messages. */
export function describeTarget(target: Target): string {
  if (target.events !== null) return `event ${target.events.toLocaleString("en")}`;
  return target.timeUs === null ? "the start" : formatDuration(target.timeUs);
}
