import fc from "fast-check";
import type { SwimAction, SwimParams } from "@drydock/swim";
import { fault, flattenSteps, type TimedAction } from "./faults.js";
import { runChecked, type CheckedRun } from "./run.js";
import {
  completenessBoundUs, swimAccuracy, swimAct, swimAppRun, swimCompleteness, swimDissemination, swimIncarnations,
  swimRunCluster, swimWorkload,
} from "./swim.js";

// SWIM's four properties as whole runs: an arbitrary that draws a run (cluster size, seed,
// Lifeguard on or off, loss, crashes, partitions, publishes) and a function that checks one.
// Defined once here, so @drydock/swim's property tests and `drydock sweep swim-*` run the same
// thing.

const S = 1_000_000;
const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);
/** Cluster sizes: small ones (4–8, the corner cases of indirect probes) and the app's smallest (10). */
const size = (max = 8) => fc.oneof(fc.integer({ min: 4, max }), fc.constant(10));
const timed = (at: number, action: TimedAction<SwimAction>["action"]): TimedAction<SwimAction> => ({ at, action });
const byTime = (a: TimedAction<SwimAction>, b: TimedAction<SwimAction>) => a.at - b.at;

/** Partitions of the members, each healed within `healUs` (so no two members stay apart longer). */
const partitions = (nodes: string[], horizonUs: number, healUs: number): fc.Arbitrary<TimedAction<SwimAction>[]> =>
  fc.array(fc.record({ at: fc.integer({ min: 0, max: horizonUs }), step: fault({ nodes, kinds: ["partition"], healWithinUs: healUs }) }), { maxLength: 3 })
    .map((steps) => flattenSteps(steps, horizonUs + healUs + 1));

/** What every SWIM run draws: the simulation's seed and whether Lifeguard is on (LAN latency). */
export interface SwimRunConfig {
  readonly seed: string;
  readonly lifeguard: boolean;
  readonly latency: "lan";
}
const config: fc.Arbitrary<SwimRunConfig> = fc.record({
  seed: fc.integer({ min: 0, max: 1e9 }).map((n) => `seed-${n}`), lifeguard: fc.boolean(), latency: fc.constant("lan" as const),
});

// ---- completeness ----------------------------------------------------------------------------

export interface SwimCompletenessRun {
  readonly n: number;
  readonly config: SwimRunConfig;
  readonly loss: number;
  readonly crashes: readonly { readonly node: string; readonly at: number }[];
  readonly partitions: readonly TimedAction<SwimAction>[];
}

/** Completeness runs: up to n − 2 members crash in the first 20 s, under loss and healed partitions. */
export function swimCompletenessRun(): fc.Arbitrary<SwimCompletenessRun> {
  return size().chain((n) => {
    const nodes = names(n);
    return fc.record({
      n: fc.constant(n), config,
      loss: fc.constantFrom(0, 0.02, 0.1),
      crashes: fc.uniqueArray(fc.record({ node: fc.constantFrom(...nodes), at: fc.integer({ min: 0, max: 20 * S }) }), { selector: (x) => x.node, minLength: 1, maxLength: n - 2 }),
      partitions: partitions(nodes, 20 * S, 15 * S),
    });
  });
}

/** SWIM §5 completeness, checked after every event until the last crash's bound has passed. */
export function checkSwimCompletenessRun(run: SwimCompletenessRun): CheckedRun {
  const o = { size: run.n, ...run.config, reconnect: true };
  const cluster = swimRunCluster(run.config.seed, o, { trace: false, records: false });
  const bound = (k: number) => completenessBoundUs(cluster.params as SwimParams, k);
  const schedule = [timed(0, { type: "link", loss: run.loss }), ...run.crashes.map((x) => timed(x.at, { type: "crash", node: x.node })), ...run.partitions].sort(byTime);
  return runChecked(cluster.sim, {
    schedule, until: Math.max(...run.crashes.map((x) => x.at)) + bound(run.n) + 1,
    invariants: [swimCompleteness(bound)], act: swimAct(cluster), app: swimAppRun(o),
  });
}

// ---- accuracy ----------------------------------------------------------------------------------

export interface SwimAccuracyRun {
  readonly n: number;
  readonly config: SwimRunConfig;
  readonly steps: readonly TimedAction<SwimAction>[];
}

/** Accuracy runs: no loss, no partition; members past the first two crash, restart and bounce, while payloads are published and members join. */
export function swimAccuracyRun(): fc.Arbitrary<SwimAccuracyRun> {
  return size().chain((n) => {
    const nodes = names(n);
    const step = fc.oneof(
      fault({ nodes: nodes.slice(2), kinds: ["crash", "restart", "bounce"] }),
      swimWorkload({ publishers: ["m1", "m2"], seeds: ["m1", "m2"], keys: ["a", "b"] }),
    );
    return fc.record({
      n: fc.constant(n), config,
      steps: fc.array(fc.record({ at: fc.integer({ min: 0, max: 40 * S }), step }), { maxLength: 10 }).map((s) => flattenSteps(s, 40 * S)),
    });
  });
}

/** SWIM §5 accuracy for 40 s, then (faults stopped) every member sees every other alive and holds every payload within 60 s. */
export function checkSwimAccuracyRun(run: SwimAccuracyRun): CheckedRun {
  const o = { size: run.n, ...run.config, reconnect: true };
  const cluster = swimRunCluster(run.config.seed, o);
  return runChecked(cluster.sim, {
    schedule: run.steps, until: 40 * S, invariants: [swimAccuracy()], liveness: [swimDissemination(60 * S, { membership: true })],
    act: swimAct(cluster), app: swimAppRun(o),
  });
}

// ---- incarnations ------------------------------------------------------------------------------

export interface SwimIncarnationsRun {
  readonly n: number;
  readonly config: SwimRunConfig;
  readonly loss: number;
  readonly partitions: readonly TimedAction<SwimAction>[];
  readonly restarts: readonly TimedAction<SwimAction>[];
}

/** Incarnation runs: loss up to 25 %, healed partitions, members past the first three crashing and restarting. */
export function swimIncarnationsRun(): fc.Arbitrary<SwimIncarnationsRun> {
  return size().chain((n) => {
    const nodes = names(n);
    return fc.record({
      n: fc.constant(n), config,
      loss: fc.double({ min: 0, max: 0.25, noNaN: true }),
      partitions: partitions(nodes, 30 * S, 15 * S),
      restarts: fc.array(fc.record({ at: fc.integer({ min: 0, max: 30 * S }), step: fault({ nodes: nodes.slice(3), kinds: ["crash", "restart"] }) }), { maxLength: 4 })
        .map((s) => flattenSteps(s, 30 * S)),
    });
  });
}

/** SWIM §4.2's incarnation rules for 50 s; returns how many refutations the run made (a property over many runs should see some). */
export function checkSwimIncarnationsRun(run: SwimIncarnationsRun): CheckedRun & { readonly refutations: number } {
  const o = { size: run.n, ...run.config, reconnect: true };
  const cluster = swimRunCluster(run.config.seed, o);
  const incarnations = swimIncarnations();
  const schedule = [timed(0, { type: "link", loss: run.loss }), ...run.partitions, ...run.restarts].sort(byTime);
  const r = runChecked(cluster.sim, { schedule, until: 50 * S, invariants: [incarnations], act: swimAct(cluster), app: swimAppRun(o) });
  return { ...r, refutations: incarnations.refutations() };
}

// ---- dissemination -----------------------------------------------------------------------------

export interface SwimDisseminationRun {
  readonly n: number;
  readonly config: SwimRunConfig;
  readonly loss: number;
  readonly crashes: readonly { readonly at: number; readonly node: string }[];
  /** Docker's reconnect to failed members (networkdb); without it, partitions stay shorter than a suspicion timeout. */
  readonly reconnect: boolean;
  readonly shortParts: readonly TimedAction<SwimAction>[];
  readonly longParts: readonly TimedAction<SwimAction>[];
  readonly work: readonly TimedAction<SwimAction>[];
}

/** Dissemination runs: loss, crashes, partitions (long ones only with reconnect), publishes and joins in the first 30 s. */
export function swimDisseminationRun(): fc.Arbitrary<SwimDisseminationRun> {
  return size(10).chain((n) => {
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
}

/** Every payload published reaches every live member once faults stop at 71 s (and, with reconnect, every split heals), within 90 s. */
export function checkSwimDisseminationRun(run: SwimDisseminationRun): CheckedRun {
  const o = { size: run.n, ...run.config, reconnect: run.reconnect };
  const cluster = swimRunCluster(run.config.seed, o);
  const schedule = [
    timed(0, { type: "link", loss: run.loss }), ...run.crashes.map((x) => timed(x.at, { type: "crash", node: x.node })),
    ...(run.reconnect ? run.longParts : run.shortParts), ...run.work,
  ].sort(byTime);
  // Faults stop at 71 s (every split healed by then); then three push-pull intervals.
  return runChecked(cluster.sim, {
    schedule, until: 71 * S, liveness: [swimDissemination(90 * S, { membership: run.reconnect })], act: swimAct(cluster), app: swimAppRun(o),
  });
}
