import { DrydockError, type LoggedAction } from "@drydock/kernel";
import type { Playground, WorldAction } from "@drydock/playground";
import type { Timeline } from "./scenario.js";

/**
 * A scene's setup: the action log its commands typed (built once per seed) and the instant they
 * had finished, the scene's first.
 */
export interface SceneSetup {
  readonly actions: readonly LoggedAction<WorldAction>[];
  /** Events processed when the setup's last line had finished. */
  readonly events: number;
  readonly at: number;
}

/**
 * Loads a setup into a playground's simulation and returns the timeline the app drives: it opens
 * at the setup's last instant and no move through time goes before it. A link's log must start
 * with this seed's setup (`what` names it in the refusal).
 */
export function setupTimeline(sim: Playground["sim"], setup: SceneSetup, what: string): Timeline {
  const start = (): void => {
    if (sim.eventCount < setup.events) sim.seekEvent(setup.events);
  };
  sim.loadActions(setup.actions);
  start();
  return {
    step: () => {
      if (sim.eventCount < setup.events) {
        start();
        return true;
      }
      return sim.step();
    },
    runUntil: (t) => {
      start();
      if (t > sim.now) sim.runUntil(t);
    },
    seek: (t) => {
      if (t <= setup.at) sim.seekEvent(setup.events);
      else sim.seek(t);
    },
    seekEvent: (n) => sim.seekEvent(Math.max(n, setup.events)),
    act: (a) => {
      start();
      sim.act(a as never);
    },
    loadActions: (list) => {
      // A link holds the whole log, the setup's lines first: they must be this seed's setup.
      const own = list.filter((a) => a.index < setup.events);
      if (own.length > 0 && JSON.stringify(own) !== JSON.stringify(setup.actions)) {
        throw new DrydockError("ESESSION", `the link's ${what} is not this scenario's (made by another version?)`);
      }
      const after = list.filter((a) => a.index >= setup.events) as LoggedAction<WorldAction>[];
      sim.seekEvent(0);
      sim.loadActions([...setup.actions, ...after]);
      start();
    },
    work: () => sim.eventCount,
  };
}
