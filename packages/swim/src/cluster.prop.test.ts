// SWIM's properties over generated fault schedules. The vocabulary (faults as plain records,
// schedules, the checked run, the invariants and the report) is @drydock/testkit's: each run
// replays its schedule on a fresh cluster, the invariants are checked after every event, and a
// failure prints the seed, the shrunk schedule and (for a run the app can build) a link to it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertProperty, completenessBoundUs, fault, flattenSteps, runChecked, swimAccuracy, swimAct, swimAppRun,
  swimCompleteness, swimDissemination, swimIncarnations, swimRunCluster, swimWorkload, type TimedAction,
} from "@drydock/testkit";
import type { SwimParams } from "./core/params.js";
import type { SwimAction } from "./model.js";

const S = 1_000_000;
const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);
/** Cluster sizes: small ones (4–8, the corner cases of indirect probes) and the app's smallest (10). */
const size = (max = 8) => fc.oneof(fc.integer({ min: 4, max }), fc.constant(10));
const timed = <A extends SwimAction>(at: number, action: TimedAction<A>["action"]): TimedAction<A> => ({ at, action });

/** Partitions of the members, each healed within `healUs` (so no two members stay apart longer). */
const partitions = (nodes: string[], horizonUs: number, healUs: number) =>
  fc.array(fc.record({ at: fc.integer({ min: 0, max: horizonUs }), step: fault({ nodes, kinds: ["partition"], healWithinUs: healUs }) }), { maxLength: 3 })
    .map((steps) => flattenSteps(steps, horizonUs + healUs + 1));

const config = fc.record({ seed: fc.integer({ min: 0, max: 1e9 }).map((n) => `seed-${n}`), lifeguard: fc.boolean(), latency: fc.constant("lan" as const) });

describe("SWIM properties over generated fault schedules", () => {
  it("completeness (SWIM §5): every crashed member is declared dead, within a bound from the parameters, by every live member that knew it", () => {
    const arb = size().chain((n) => {
      const nodes = names(n);
      return fc.record({
        n: fc.constant(n), config,
        loss: fc.constantFrom(0, 0.02, 0.1),
        crashes: fc.uniqueArray(fc.record({ node: fc.constantFrom(...nodes), at: fc.integer({ min: 0, max: 20 * S }) }), { selector: (x) => x.node, minLength: 1, maxLength: n - 2 }),
        partitions: partitions(nodes, 20 * S, 15 * S),
      });
    });
    assertProperty(fc.property(arb, ({ n, config: c, loss, crashes, partitions: parts }) => {
      const o = { size: n, ...c, reconnect: true };
      const cluster = swimRunCluster(c.seed, o, { trace: false, records: false });
      const bound = (k: number) => completenessBoundUs(cluster.params as SwimParams, k);
      const schedule = [timed<SwimAction>(0, { type: "link", loss }), ...crashes.map((x) => timed<SwimAction>(x.at, { type: "crash", node: x.node })), ...parts]
        .sort((a, b) => a.at - b.at);
      runChecked(cluster.sim, {
        schedule, until: Math.max(...crashes.map((x) => x.at)) + bound(n) + 1,
        invariants: [swimCompleteness(bound)], act: swimAct(cluster), app: swimAppRun(o),
      });
    }), { numRuns: 25 });
  }, 60_000);

  it("accuracy (SWIM §5): with no loss and no partition, no member is suspected or declared dead unless it crashed; once faults stop, every member sees every other alive and holds every payload", () => {
    const arb = size().chain((n) => {
      const nodes = names(n);
      const victims = nodes.slice(2);
      const step = fc.oneof(
        fault({ nodes: victims, kinds: ["crash", "restart", "bounce"] }),
        swimWorkload({ publishers: ["m1", "m2"], seeds: ["m1", "m2"], keys: ["a", "b"] }),
      );
      return fc.record({
        n: fc.constant(n), config,
        steps: fc.array(fc.record({ at: fc.integer({ min: 0, max: 40 * S }), step }), { maxLength: 10 }).map((s) => flattenSteps(s, 40 * S)),
      });
    });
    assertProperty(fc.property(arb, ({ n, config: c, steps }) => {
      const o = { size: n, ...c, reconnect: true };
      const cluster = swimRunCluster(c.seed, o);
      runChecked(cluster.sim, {
        schedule: steps, until: 40 * S, invariants: [swimAccuracy()], liveness: [swimDissemination(60 * S, { membership: true })],
        act: swimAct(cluster), app: swimAppRun(o),
      });
    }), { numRuns: 25 });
  }, 60_000);

  it("a refuted suspicion never leads to death: no observer declares a member dead at an incarnation it already saw outbid; no observer holds an incarnation the member never announced", () => {
    const arb = size().chain((n) => {
      const nodes = names(n);
      return fc.record({
        n: fc.constant(n), config,
        loss: fc.double({ min: 0, max: 0.25, noNaN: true }),
        partitions: partitions(nodes, 30 * S, 15 * S),
        restarts: fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 * S }), step: fault({ nodes: nodes.slice(3), kinds: ["crash", "restart"] }) }), { maxLength: 4 })
          .map((s) => flattenSteps(s, 30 * S)),
      });
    });
    let refutations = 0;
    assertProperty(fc.property(arb, ({ n, config: c, loss, partitions: parts, restarts }) => {
      const o = { size: n, ...c, reconnect: true };
      const cluster = swimRunCluster(c.seed, o);
      const incarnations = swimIncarnations();
      const schedule = [timed<SwimAction>(0, { type: "link", loss }), ...parts, ...restarts].sort((a, b) => a.at - b.at);
      try {
        runChecked(cluster.sim, { schedule, until: 50 * S, invariants: [incarnations], act: swimAct(cluster), app: swimAppRun(o) });
      } finally {
        refutations += incarnations.refutations();
      }
    }), { numRuns: 25 });
    // The schedules do make members refute (otherwise this property would say nothing).
    expect(refutations).toBeGreaterThan(0);
  }, 60_000);

  it("dissemination: every payload published reaches every live member once faults stop (and, with Docker's reconnect, every split heals)", () => {
    const arb = size(10).chain((n) => {
      const nodes = names(n);
      return fc.record({
        n: fc.constant(n), config,
        loss: fc.constantFrom(0, 0.05, 0.1),
        crashes: fc.uniqueArray(fc.record({ at: fc.integer({ min: 0, max: 30 * S }), node: fc.constantFrom(...nodes.slice(3)) }), { selector: (x) => x.node, maxLength: n - 4 }),
        // memberlist alone cannot heal a split in which both sides declared the other dead, so
        // without Docker's reconnect the partitions stay shorter than the shortest suspicion timeout.
        reconnect: fc.boolean(),
        shortParts: partitions(nodes, 30 * S, 3 * S),
        longParts: partitions(nodes, 30 * S, 40 * S),
        work: fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 * S }), step: swimWorkload({ publishers: nodes.slice(0, 3), seeds: nodes.slice(0, 3) }) }), { minLength: 1, maxLength: 6 })
          .map((s) => flattenSteps(s, 30 * S)),
      });
    });
    assertProperty(fc.property(arb, ({ n, config: c, loss, crashes, reconnect, shortParts, longParts, work }) => {
      const o = { size: n, ...c, reconnect };
      const cluster = swimRunCluster(c.seed, o);
      const schedule = [
        timed<SwimAction>(0, { type: "link", loss }), ...crashes.map((x) => timed<SwimAction>(x.at, { type: "crash", node: x.node })),
        ...(reconnect ? longParts : shortParts), ...work,
      ].sort((a, b) => a.at - b.at);
      // Faults stop at 71 s (every split healed by then); then three push-pull intervals.
      runChecked(cluster.sim, {
        schedule, until: 71 * S, liveness: [swimDissemination(90 * S, { membership: reconnect })], act: swimAct(cluster), app: swimAppRun(o),
      });
    }), { numRuns: 25 });
  }, 60_000);
});
