import fc from "fast-check";
import type { Micros, NodeId } from "@drydock/kernel";
import {
  RaftCluster, SafetyChecker, configAt, createRaftCluster, currentLeader, lastIndex, termAt,
  type ClusterState, type RaftAction, type RaftClusterOptions,
} from "@drydock/raft";
import { RAFT_APP_SIZES, raftAppCluster, type AppRun, type RaftAppOptions } from "./app.js";
import { faultSchedule, type FaultKind, type Step, type TimedAction } from "./faults.js";
import { runChecked, type AnySimulation, type CheckedRun, type Invariant, type Liveness } from "./run.js";

// Raft under faults: the runs to draw (the app's raft scenario plus the options it does not
// show), the Figure 3 invariants as a reusable piece, and liveness once faults stop.

/** Raft's own actions mixed into a fault schedule: proposals (in bursts), forced elections (in duels), membership changes. */
export function raftWorkload(nodes: readonly NodeId[], joiners: readonly NodeId[] = []): fc.Arbitrary<Step<RaftAction>> {
  const node = fc.constantFrom(...nodes);
  // A proposal may come in a burst, 1 ms apart, so logs grow past compaction points.
  const propose = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 8 }))
    .map(([v, n]): Step<RaftAction> => Array.from({ length: n }, (_, i) => [i * 1_000, { type: "propose", value: i === 0 ? v : v * 10 + i }] as const));
  // A forced election may duel with another server's (two candidates in one term).
  const timeout = fc.tuple(node, fc.option(fc.tuple(fc.integer({ min: 1, max: 3_000 }), node), { freq: 2 }))
    .map(([n, duel]): Step<RaftAction> => duel && duel[1] !== n
      ? [[0, { type: "timeout", node: n }], [duel[0], { type: "timeout", node: duel[1] }]]
      : [[0, { type: "timeout", node: n }]]);
  const arms: { weight: number; arbitrary: fc.Arbitrary<Step<RaftAction>> }[] = [
    { weight: 3, arbitrary: propose },
    { weight: 1, arbitrary: timeout },
  ];
  if (joiners.length > 0) {
    const any = fc.constantFrom(...nodes, ...joiners);
    arms.push({ weight: 1, arbitrary: any.map((n): Step<RaftAction> => [[0, { type: "addServer", node: n }]]) });
    arms.push({ weight: 1, arbitrary: any.map((n): Step<RaftAction> => [[0, { type: "removeServer", node: n }]]) });
  }
  return fc.oneof(...arms);
}

/** Options of the engine room that the app's raft scenario does not offer (all off in the app). */
export interface RaftExtraOptions {
  readonly fastBacktrack: boolean;
  readonly snapshotCount: number;
  readonly maxEntriesPerMessage: number;
  readonly catchUpNewServers: boolean;
}
const EXTRA_DEFAULTS: RaftExtraOptions = { fastBacktrack: false, snapshotCount: 0, maxEntriesPerMessage: 64, catchUpNewServers: false };

/** One drawn run: the app's options, the extra ones, the seed, and the schedule. */
export interface RaftRun {
  readonly seed: string;
  readonly app: RaftAppOptions;
  readonly extra: RaftExtraOptions;
  readonly schedule: readonly TimedAction<RaftAction>[];
}

export interface RaftRunOptions {
  readonly horizonUs: Micros;
  /** Cluster sizes to draw (default 3 and 5). The app shows 3 to 9. */
  readonly sizes?: readonly number[];
  /** Most schedule steps (default 16). */
  readonly stepsMax?: number;
  /** Draw single-server membership changes (dissertation §4.1) with two joiners, s8 and s9. */
  readonly membership?: boolean;
  /** Draw the options the app does not show (fast backtracking, compaction, batching, learners); default true. */
  readonly extra?: boolean;
  readonly faults?: readonly FaultKind[];
  /**
   * The app's election-timeout choices to draw (default only "150-300ms": with "150-155ms" and
   * the app's 12–24 ms latency, split votes can repeat for seconds, which is what it shows).
   */
  readonly timeouts?: readonly RaftAppOptions["timeouts"][];
}

/** A whole Raft run to check: cluster options, seed and a fault schedule with Raft's workload mixed in. */
export function raftRun(o: RaftRunOptions): fc.Arbitrary<RaftRun> {
  const extra: fc.Arbitrary<RaftExtraOptions> = o.extra === false ? fc.constant(EXTRA_DEFAULTS) : fc.record({
    fastBacktrack: fc.boolean(),
    snapshotCount: fc.constantFrom(0, 0, 2, 5),
    maxEntriesPerMessage: fc.constantFrom(1, 4, 64),
    catchUpNewServers: fc.boolean(),
  });
  return fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => `seed-${n}`),
    app: fc.record({
      size: fc.constantFrom(...(o.sizes ?? [3, 5])),
      prevote: fc.boolean(),
      checkquorum: fc.boolean(),
      timeouts: fc.constantFrom(...(o.timeouts ?? ["150-300ms"])),
    }),
    extra,
  }).chain((r) => {
    const nodes = Array.from({ length: r.app.size }, (_, i) => `s${i + 1}`);
    return faultSchedule<RaftAction>({
      nodes, horizonUs: o.horizonUs, stepsMax: o.stepsMax ?? 16, latencyMaxUs: 80_000,
      ...(o.faults ? { kinds: o.faults } : {}),
      workload: raftWorkload(nodes, o.membership ? ["s8", "s9"] : []),
    }).map((schedule) => ({ ...r, schedule }));
  });
}

/** The cluster a run describes: the app's raft scenario for its options, plus the extra ones. */
export function raftRunCluster(run: RaftRun, more: Partial<RaftClusterOptions> = {}): RaftCluster {
  return createRaftCluster({ ...raftAppCluster(run.seed, run.app), ...run.extra, trace: false, snapshotEvery: "10s", ...more });
}

/** How the app opens this run, or why it cannot. */
export function raftAppRun(run: RaftRun): AppRun {
  const off = (Object.keys(EXTRA_DEFAULTS) as (keyof RaftExtraOptions)[]).filter((k) => run.extra[k] !== EXTRA_DEFAULTS[k]);
  const unsupported = off.length > 0 ? `the app's raft scenario has no ${off.join(", ")} option`
    : !(RAFT_APP_SIZES as readonly number[]).includes(run.app.size) ? `the app's raft scenario runs 3 to 9 servers, not ${run.app.size}`
    : undefined;
  return { scenario: "raft", options: { ...run.app }, ...(unsupported ? { unsupported } : {}) };
}

/**
 * Figure 3 of the Raft paper as an invariant: Election Safety, Leader Append-Only, Log
 * Matching, Leader Completeness, State Machine Safety (and the rules @drydock/raft's
 * SafetyChecker adds). One per run: it remembers what it has seen.
 */
export function figure3(): Invariant<ClusterState> & { readonly checker: SafetyChecker } {
  const checker = new SafetyChecker();
  return { name: "Raft Figure 3", checker, check: (sim) => checker.check(sim.state, sim.net) };
}

/**
 * Liveness once faults stop: within `boundUs` a leader is elected and takes a new entry, and
 * every server of its configuration holds and commits it and every entry acknowledged before.
 * Servers removed from the configuration are shut down once the removal commits (dissertation
 * §4.2.2), as a removed server that never learned of it would disrupt the cluster forever
 * (§4.2.3), even while a later change (adding another server) is still uncommitted.
 */
export function raftLiveness(safety: { readonly checker: SafetyChecker }, boundUs: Micros): Liveness<ClusterState> {
  const { checker } = safety;
  let marker: { index: number; term: number } | null = null;
  return {
    name: "Raft: a leader commits everywhere",
    boundUs,
    reached(sim: AnySimulation<ClusterState>): boolean {
      const current = currentLeader(sim.state, sim.net);
      if (current === null) return false;
      shutDownRemoved(sim, current);
      const servers = sim.state.servers;
      if (!marker) {
        sim.act({ type: "propose", value: { liveness: sim.now } });
        const lr = sim.state.servers[current]!.raft;
        marker = { index: lastIndex(lr), term: lr.term };
      }
      const need = Math.max(marker.index, checker.committedIndex);
      const members = servers[current]!.raft.config;
      const done = members.every((id) => {
        const r = servers[id]?.raft;
        return r !== undefined && r.commitIndex >= need && lastIndex(r) >= need;
      });
      const t = checker.committedTerm(marker.index);
      if (done && t === marker.term) return true;
      // The marker was lost with a leader that fell before it committed (Leader Completeness:
      // a later leader holds every committed entry): propose again.
      const lr = servers[current]!.raft;
      const held = lr.term === marker.term || (termAt(lr, marker.index) ?? t) === marker.term;
      if ((t !== undefined && t !== marker.term) || !held) marker = null;
      return false;
    },
    explain: () => (marker ? `entry ${marker.index} not committed everywhere` : "no leader elected"),
  };
}

/** Shuts down every server whose removal the leader has committed and that no later configuration adds back. */
function shutDownRemoved(sim: AnySimulation<ClusterState>, leader: NodeId): void {
  const r = sim.state.servers[leader]!.raft;
  // It runs after every event of the liveness phase: the committed configuration (a walk back
  // through the log) only when some live server is outside the latest one.
  let committed: readonly NodeId[] | undefined;
  for (const id of sim.net.nodes) {
    if (sim.net.up[id] && !r.config.includes(id) && !(committed ??= configAt(r, r.commitIndex)).includes(id)) sim.act({ type: "crash", node: id });
  }
}

export interface RaftCheckOptions {
  readonly horizonUs: Micros;
  /** Virtual time, once faults stop, for a leader to commit everywhere (default 5 s). */
  readonly livenessBoundUs?: Micros;
  readonly cluster?: Partial<RaftClusterOptions>;
}

/** Checks one run: Figure 3 after every event through the schedule, then liveness. Throws a RunFailure. */
export function checkRaftRun(run: RaftRun, o: RaftCheckOptions): CheckedRun & { readonly cluster: RaftCluster } {
  const cluster = raftRunCluster(run, o.cluster);
  const safety = figure3();
  const result = runChecked(cluster.sim, {
    schedule: run.schedule,
    until: o.horizonUs,
    invariants: [safety],
    liveness: [raftLiveness(safety, o.livenessBoundUs ?? 5_000_000)],
    // addServer goes through the cluster, which first adds an unknown server to the network.
    act: (a) => (a.type === "addServer" ? cluster.addServer(a.node) : cluster.sim.act(a)),
    app: raftAppRun(run),
  });
  return { ...result, cluster };
}
