// A step's pause points (issue #17: "optional auto-pause points"): where an instructor's playback
// of a run step stops before the step's end. A trigger is read at an instant of the run, with the
// checks' own evaluator (evaluateChecks), so `when: { node: ... }` means what a step's check does.
import { parseDuration, type Micros } from "@drydock/kernel";
import type { Playground } from "@drydock/playground";
import { evaluateChecks } from "./checks.js";
import type { Pause, Step } from "./format.js";

/** Does the pause's trigger hold in the world now? `typedAt`: when the step's line was typed. */
export function pauseHolds(pg: Playground, pause: Pause, typedAt: Micros, host?: string): boolean {
  if (pause.after !== undefined && pg.now < typedAt + parseDuration(pause.after)) return false;
  if (pause.when === undefined) return true;
  return evaluateChecks(pg, [pause.when], { exitCode: null, line: null }, host, { whileRunning: true })[0]!.ok;
}

/** Where a pause stops: the last event of the first instant at which its trigger holds. */
export interface PausePoint {
  readonly pause: Pause;
  /** The run's event count there (`sim.seekEvent(event)`). */
  readonly event: number;
  readonly at: Micros;
}

/** Instants read at first per pause, evenly spread over the step (then the first true one is searched for between two). */
const SAMPLES = 16;

/**
 * The pause points of a step that was played from event `from` (its line typed at `typedAt`) to
 * event `to` (its end), in the order of the run; a pause whose trigger never holds before the
 * step's end has none. A trigger is read at an instant (after every event at that time, as a
 * seek to it shows); each read replays the world (the checks ask a copy, as `docker node ls`
 * would), so rather than every instant, SAMPLES of them spread over the step are read, then the
 * first instant that holds after one that does not is searched for between the first sample that
 * holds and the one before it. A state that comes and goes between two samples can be missed.
 * The run is left at `to`.
 */
export function findPausePoints(pg: Playground, step: Step, from: number, to: number, typedAt: Micros): PausePoint[] {
  if (step.pauses.length === 0) return [];
  const sim = pg.sim;
  const host = step.action.kind === "run" ? step.action.on : undefined;
  // The instants of the step: the last event at each time.
  const instants: { event: number; at: Micros }[] = [];
  sim.seekEvent(from);
  while (sim.eventCount < to && sim.step()) {
    if (sim.eventCount >= to || sim.nextEventTime > sim.now) instants.push({ event: sim.eventCount, at: sim.now });
  }
  const holds = (p: Pause, i: number): boolean => {
    sim.seekEvent(instants[i]!.event);
    return pauseHolds(pg, p, typedAt, host);
  };
  const out: PausePoint[] = [];
  const every = Math.max(1, Math.ceil(instants.length / SAMPLES));
  for (const p of step.pauses) {
    let lo = -1; // an instant where it does not hold (-1: before the step's first)
    let hi = -1;
    for (let i = 0; i < instants.length; i += every) {
      const last = Math.min(i + every - 1, instants.length - 1);
      if (holds(p, last)) {
        hi = last;
        break;
      }
      lo = last;
    }
    if (hi < 0) continue;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (holds(p, mid)) hi = mid;
      else lo = mid;
    }
    out.push({ pause: p, ...instants[hi]! });
  }
  sim.seekEvent(to);
  return out.sort((a, b) => a.event - b.event);
}
