import type { Duration, Message, ModelAction, Simulation } from "@drydock/kernel";
import { parseDuration } from "@drydock/kernel";

/**
 * Runs a simulation to `until` one event at a time and calls `check` after every event, as
 * invariants must hold in every reachable state, not only at the end. Returns the events run.
 * `eventsMax` bounds the work, so a runaway model fails the test instead of hanging it.
 */
export function runChecked<S, M extends Message, A extends ModelAction>(
  sim: Simulation<S, M, A>,
  until: Duration,
  check: (sim: Simulation<S, M, A>) => void,
  eventsMax = 1_000_000,
): number {
  const target = parseDuration(until);
  let n = 0;
  while (sim.nextEventTime <= target) {
    if (!sim.step()) break;
    check(sim);
    if (++n > eventsMax) throw new Error(`runChecked: more than ${eventsMax} events before ${target} µs`);
  }
  sim.runUntil(target);
  return n;
}
