// Time travel over interactive sessions (DESIGN.md: "Seeking back to time t restores the nearest
// snapshot before t and replays the event log"; "going back then acting forks a new future").
// A session here mixes runFor, single steps (so actions land between events at one instant),
// acts, seeks and seekEvents in any order; after every move the simulation must equal a fresh
// replay of its own (seed, action log), and after the last move both must also agree on the
// whole future (which checks what stateHash cannot see: RNG streams, the queue, held messages).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createSimulation, pinger, PINGER_NODES, replaySession,
  type PingAction, type PingMsg, type PingState, type ScheduledAction, type Simulation, type SimulationConfig,
} from "@drydock/kernel";
import { faultSchedule, simSeed } from "./faults.js";

const HORIZON = 1_200_000;
const cfg = (seed: string, schedule: ScheduledAction<never>[], historyMax: number): SimulationConfig<PingState, PingMsg, PingAction> => ({
  seed, nodes: PINGER_NODES, model: pinger, schedule, snapshotEvery: "50ms", historyMax,
  network: { latency: ["1ms", "15ms"], duplicate: 0.1 },
});

type Move =
  | { readonly k: "run"; readonly dt: number }
  | { readonly k: "step"; readonly n: number }
  | { readonly k: "act"; readonly action: ScheduledAction<PingAction>["action"] }
  | { readonly k: "seek"; readonly t: number }
  | { readonly k: "seekEvent"; readonly frac: number }
  | { readonly k: "dropInFlight"; readonly frac: number };

const node = fc.constantFrom(...PINGER_NODES);
const move: fc.Arbitrary<Move> = fc.oneof(
  fc.integer({ min: 0, max: 250_000 }).map((dt) => ({ k: "run", dt }) as const),
  fc.integer({ min: 1, max: 6 }).map((n) => ({ k: "step", n }) as const),
  fc.oneof(
    node.map((n) => ({ type: "crash", node: n }) as const),
    node.map((n) => ({ type: "restart", node: n }) as const),
    fc.tuple(node, node).filter(([a, b]) => a !== b).map(([from, to]) => ({ type: "hold", from, to }) as const),
    fc.tuple(node, node).filter(([a, b]) => a !== b).map(([from, to]) => ({ type: "release", from, to }) as const),
    fc.constant({ type: "heal" } as const),
    node.map((n) => ({ type: "burst", node: n, count: 2 }) as const),
  ).map((action) => ({ k: "act", action }) as const),
  fc.integer({ min: 0, max: HORIZON }).map((t) => ({ k: "seek", t }) as const),
  fc.double({ min: 0, max: 1, noNaN: true }).map((frac) => ({ k: "seekEvent", frac }) as const),
  fc.double({ min: 0, max: 1, noNaN: true }).map((frac) => ({ k: "dropInFlight", frac }) as const),
);

function play(sim: Simulation<PingState, PingMsg, PingAction>, m: Move): void {
  switch (m.k) {
    case "run": sim.runFor(m.dt); break;
    case "step": for (let i = 0; i < m.n; i++) sim.step(); break;
    case "act": sim.act(m.action); break;
    case "seek": sim.seek(m.t); break;
    case "seekEvent": sim.seekEvent(Math.floor(m.frac * sim.history().horizonEvents)); break;
    case "dropInFlight": {
      const wire = sim.inFlight();
      // frac may be exactly 1 (fc.double's max is inclusive): clamp to the last message.
      if (wire.length > 0) sim.act({ type: "dropMessage", id: wire[Math.min(wire.length - 1, Math.floor(m.frac * wire.length))]!.id });
      break;
    }
  }
}

// Generous per-test time: these run hundreds of simulations and CI shares a loaded machine.
const SLOW_MS = 60_000;

describe("time travel over interactive sessions", () => {
  it("after any mix of runs, steps, acts and seeks the state equals a fresh replay of the session", () => {
    const schedules = faultSchedule({ nodes: PINGER_NODES, horizonUs: HORIZON, stepsMax: 4 });
    fc.assert(fc.property(simSeed(), schedules, fc.array(move, { minLength: 1, maxLength: 10 }), fc.constantFrom(3, 256),
      (seed, schedule, moves, historyMax) => {
        const sim = createSimulation(cfg(seed, schedule, historyMax));
        for (const m of moves) {
          play(sim, m);
          // The fresh run: the session's actions taken so far, then as many events as the sim has
          // run. seekEvent lands on an event, so its clock is that event's time; any other move may
          // have moved the clock on with nothing due (runUntil), which the fresh run does too.
          const session = JSON.parse(JSON.stringify(sim.session())) as ReturnType<typeof sim.session>;
          const fresh = createSimulation(cfg(seed, schedule, historyMax));
          fresh.loadActions(session.actions.filter((a) => a.index < sim.eventCount));
          while (fresh.eventCount < sim.eventCount && fresh.step()) { /* replay */ }
          if (m.k !== "seekEvent" && fresh.now < sim.now) fresh.runUntil(sim.now);
          expect(fresh.eventCount).toBe(sim.eventCount);
          expect(sim.stateHash(), `after ${JSON.stringify(m)}`).toBe(fresh.stateHash());
        }
        const fresh = replaySession(cfg(seed, schedule, historyMax), sim.session(), sim.now);
        sim.runUntil(Math.max(sim.now, HORIZON));
        fresh.runUntil(sim.now);
        expect(sim.traceHash()).toBe(fresh.traceHash());
      }), { numRuns: 30 });
  }, SLOW_MS);
});
