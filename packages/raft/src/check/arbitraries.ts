import fc from "fast-check";
import type { Micros, NetAction, NodeId } from "@drydock/kernel";
import type { RaftClusterOptions } from "../cluster/cluster.js";
import type { TimedAction } from "./run.js";

/**
 * fast-check arbitraries for Raft runs: a cluster configuration and a schedule of faults
 * (crash, restart, partition, heal, cut, isolate, hold/release, loss, delay, duplication,
 * reordering) with proposals and forced elections mixed in. Faults are plain data (turmoil,
 * VOPR), so a failing schedule shrinks to a short one and prints as JSON.
 * Test and bench support: not exported from the package's index.
 */

export interface ScheduleOptions {
  readonly nodes: readonly NodeId[];
  readonly horizonUs: Micros;
  readonly maxActions?: number;
}

export function raftAction(nodes: readonly NodeId[]): fc.Arbitrary<TimedAction["action"]> {
  const node = fc.constantFrom(...nodes);
  const pair = fc.tuple(node, node).filter(([a, b]) => a !== b);
  const net: fc.Arbitrary<NetAction>[] = [
    node.map((n) => ({ type: "crash", node: n })),
    node.map((n) => ({ type: "restart", node: n })),
    fc.shuffledSubarray([...nodes], { minLength: 1, maxLength: nodes.length - 1 }).map((side) => ({ type: "partition", groups: [side] })),
    fc.constant({ type: "heal" }),
    pair.map(([a, b]) => ({ type: "cut", a, b })),
    node.map((n) => ({ type: "isolate", node: n })),
    pair.map(([from, to]) => ({ type: "hold", from, to })),
    fc.tuple(pair, fc.boolean()).map(([[from, to], drop]) => ({ type: "release", from, to, drop })),
    fc.double({ min: 0, max: 0.3, noNaN: true }).map((loss) => ({ type: "link", loss })),
    fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 60_000 })).map(([lo, extra]) => ({ type: "link", latency: [lo, lo + extra] as const })),
    fc.double({ min: 0, max: 0.3, noNaN: true }).map((duplicate) => ({ type: "link", duplicate })),
    fc.boolean().map((reorder) => ({ type: "link", reorder })),
  ];
  return fc.oneof(
    { arbitrary: fc.oneof(...net), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 999 }).map((v) => ({ type: "propose" as const, value: v })), weight: 3 },
    { arbitrary: node.map((n) => ({ type: "timeout" as const, node: n })), weight: 1 },
  );
}

export function raftSchedule(o: ScheduleOptions): fc.Arbitrary<TimedAction[]> {
  return fc
    .array(fc.record({ at: fc.integer({ min: 0, max: o.horizonUs - 1 }), action: raftAction(o.nodes) }), { maxLength: o.maxActions ?? 16 })
    .map((list) => list.sort((a, b) => a.at - b.at));
}

export interface RaftRun {
  readonly options: RaftClusterOptions & { readonly size: number; readonly seed: string };
  readonly schedule: TimedAction[];
}

/** A whole run: cluster size, seed, the teacher's options, and the schedule for it. */
export function raftRun(horizonUs: Micros, sizes: readonly number[] = [3, 5], maxActions = 16): fc.Arbitrary<RaftRun> {
  return fc
    .record({
      size: fc.constantFrom(...sizes),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => `seed-${n}`),
      preVote: fc.boolean(),
      checkQuorum: fc.boolean(),
      fastBacktrack: fc.boolean(),
      snapshotCount: fc.constantFrom(0, 0, 3, 8),
      maxEntriesPerMessage: fc.constantFrom(1, 4, 64),
    })
    .chain((options) => {
      const nodes = Array.from({ length: options.size }, (_, i) => `s${i + 1}`);
      return raftSchedule({ nodes, horizonUs, maxActions }).map((schedule) => ({ options, schedule }));
    });
}
