import {
  isDrydockError, parseDuration,
  type Action, type Duration, type LinkParams, type LoggedAction, type Message, type Micros, type ModelAction, type Simulation,
} from "@drydock/kernel";
import { appLink, type AppRun } from "./app.js";
import type { TimedAction } from "./faults.js";

// A VOPR-style checked run: the schedule's actions are taken at their times while every
// invariant is checked after every single event (the safety phase); then the faults stop and
// the system has a bounded virtual time to reach each liveness goal (the liveness phase),
// with the invariants still checked after every event.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySimulation<S = any> = Simulation<S, any, any>;

/** A property that must hold in every reachable state: `check` throws when it is broken. */
export interface Invariant<S = unknown> {
  readonly name: string;
  check(sim: AnySimulation<S>): void;
}

/** A state the system must reach within `boundUs` of virtual time once faults stop. */
export interface Liveness<S = unknown> {
  readonly name: string;
  readonly boundUs: Micros;
  /** Called when faults stop and after every event until it returns true. It may act (propose a marker entry). */
  reached(sim: AnySimulation<S>): boolean;
  /** Why it has not been reached, for the failure message. */
  explain?(sim: AnySimulation<S>): string;
}

export interface CheckedRunOptions<S, A extends ModelAction> {
  /** Actions taken at their times (sorted by time), each through `act`. */
  readonly schedule?: readonly TimedAction<A>[];
  /** End of the safety phase. */
  readonly until: Duration;
  readonly invariants?: readonly Invariant<S>[];
  /** Goals checked once the faults stop (every split healed, the link reset, every node restarted). */
  readonly liveness?: readonly Liveness<S>[];
  /** Takes one scheduled action (default sim.act). A refused one (a DrydockError) is counted and skipped. */
  readonly act?: (action: Action<A>) => void;
  /** The link the faults phase started from, restored when faults stop (default: the link at the start). */
  readonly link?: LinkParams;
  /** Most events the whole run may take, so a runaway model fails instead of hanging (default 5,000,000). */
  readonly eventsMax?: number;
  /** How the app builds this run, so a failure carries a link that opens it there. */
  readonly app?: AppRun;
}

export interface CheckedRun {
  readonly events: number;
  /** Scheduled actions the model refused (a proposal with no leader): they changed nothing. */
  readonly refused: number;
  /** Per liveness goal, the virtual time it took once faults stopped. */
  readonly livenessUs: Readonly<Record<string, Micros>>;
}

/**
 * A broken invariant or a liveness goal missed, with everything needed to see it again: the
 * seed and the action log (the session), the event after which it broke, and a link that opens
 * the app at that run, paused there.
 */
export class RunFailure extends Error {
  override readonly name = "RunFailure";
  constructor(
    readonly phase: "safety" | "liveness",
    readonly property: string,
    readonly detail: string,
    /** Events processed when it was found (the app's `e=`): the state after that event broke it. */
    readonly event: number,
    readonly atUs: Micros,
    readonly seed: string,
    readonly actions: readonly LoggedAction[],
    /** A path and query for the app, or null with the reason in `linkNote`. */
    readonly link: string | null,
    readonly linkNote: string,
  ) {
    super(`${phase === "safety" ? "invariant" : "liveness"} ${property} broken at event ${event} (t = ${atUs / 1e6} s): ${detail}`);
  }
}

/** Ends the faults: heals every split and held link, resets the link, restarts every node that is down. */
export function stopFaults(sim: AnySimulation, link: LinkParams): void {
  sim.act({ type: "heal" });
  sim.act({ type: "link", loss: link.loss, duplicate: link.duplicate, reorder: link.reorder, latency: link.latency });
  for (const id of sim.net.nodes) if (!sim.net.up[id]) sim.act({ type: "restart", node: id });
}

/** Runs the safety phase, then (given liveness goals) the liveness phase; throws a RunFailure. */
export function runChecked<S, M extends Message, A extends ModelAction>(sim: Simulation<S, M, A>, o: CheckedRunOptions<S, A>): CheckedRun {
  const invariants = o.invariants ?? [];
  const eventsMax = o.eventsMax ?? 5_000_000;
  const link = o.link ?? sim.net.link;
  const act = o.act ?? ((a: Action<A>) => sim.act(a));
  const events0 = sim.eventCount;
  let refused = 0;

  const fail = (phase: "safety" | "liveness", property: string, detail: string): never => {
    const session = sim.session();
    const made = o.app ? appLink(o.app, session.seed, session.actions, sim.eventCount) : null;
    throw new RunFailure(phase, property, detail, sim.eventCount, sim.now, session.seed, session.actions,
      made && made.ok ? made.link : null, made ? (made.ok ? "" : made.reason) : "no app scenario given for this run");
  };
  const check = (phase: "safety" | "liveness") => {
    for (const inv of invariants) {
      try {
        inv.check(sim);
      } catch (e) {
        fail(phase, inv.name, e instanceof Error ? e.message : String(e));
      }
    }
  };
  const step = (phase: "safety" | "liveness") => {
    sim.step();
    check(phase);
    if (sim.eventCount - events0 > eventsMax) fail(phase, "bounded work", `more than ${eventsMax} events`);
  };
  const advance = (to: Micros) => {
    while (sim.nextEventTime <= to) step("safety");
    sim.runUntil(to);
  };

  const until = parseDuration(o.until);
  check("safety");
  for (const { at, action } of o.schedule ?? []) {
    if (at > until) break;
    advance(at);
    try {
      act(action);
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      refused++;
    }
    check("safety");
  }
  advance(until);

  const livenessUs: Record<string, Micros> = {};
  const goals = o.liveness ?? [];
  if (goals.length > 0) {
    stopFaults(sim, link);
    check("liveness");
    const start = sim.now;
    const waiting = new Set(goals);
    const poll = () => {
      for (const g of waiting) {
        if (g.reached(sim)) {
          livenessUs[g.name] = sim.now - start;
          waiting.delete(g);
        } else if (sim.now - start > g.boundUs) {
          fail("liveness", g.name, `not reached within ${g.boundUs / 1e6} s of virtual time after faults stopped${g.explain ? `: ${g.explain(sim)}` : ""}`);
        }
      }
    };
    poll();
    const deadline = start + Math.max(...goals.map((g) => g.boundUs));
    while (waiting.size > 0) {
      if (sim.nextEventTime > deadline) {
        sim.runUntil(deadline + 1);
        poll();
        break;
      }
      step("liveness");
      poll();
    }
  }
  return { events: sim.eventCount - events0, refused, livenessUs };
}
