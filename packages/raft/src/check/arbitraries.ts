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
  /** Servers that may join with addServer (membership changes are drawn only when given). */
  readonly joiners?: readonly NodeId[];
  readonly horizonUs: Micros;
  readonly maxActions?: number;
}

export function raftAction(nodes: readonly NodeId[], joiners: readonly NodeId[] = []): fc.Arbitrary<TimedAction["action"]> {
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
  const membership: fc.Arbitrary<TimedAction["action"]>[] = joiners.length === 0 ? [] : [
    fc.constantFrom(...nodes, ...joiners).map((n) => ({ type: "addServer" as const, node: n })),
    fc.constantFrom(...nodes, ...joiners).map((n) => ({ type: "removeServer" as const, node: n })),
  ];
  return fc.oneof(
    { arbitrary: fc.oneof(...net), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 999 }).map((v) => ({ type: "propose" as const, value: v })), weight: 3 },
    { arbitrary: node.map((n) => ({ type: "timeout" as const, node: n })), weight: 1 },
    ...membership.map((arbitrary) => ({ arbitrary, weight: 2 })),
  );
}

export function raftSchedule(o: ScheduleOptions): fc.Arbitrary<TimedAction[]> {
  const item = fc.record({
    at: fc.integer({ min: 0, max: o.horizonUs - 1 }),
    action: raftAction(o.nodes, o.joiners),
    // A proposal may come in a burst, 1 ms apart, so logs grow past compaction points.
    burst: fc.integer({ min: 1, max: 8 }),
    // A crash may be a quick bounce (restarted within the same term, so a persisted vote must
    // hold), and a forced election may duel with another server's (two candidates in one term).
    follow: fc.option(fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom(...o.nodes)), { freq: 2 }),
  });
  return fc.array(item, { maxLength: o.maxActions ?? 16 }).map((list) => {
    const out: TimedAction[] = [];
    const at = (t: number) => Math.min(o.horizonUs - 1, t);
    for (const { at: t, action, burst, follow } of list) {
      const n = action.type === "propose" ? burst : 1;
      for (let i = 0; i < n; i++) out.push({ at: at(t + i * 1_000), action: i === 0 ? action : { type: "propose", value: (action as { value: number }).value * 10 + i } });
      if (follow && action.type === "crash") out.push({ at: at(t + follow[0]), action: { type: "restart", node: action.node } });
      if (follow && action.type === "timeout" && follow[1] !== action.node) out.push({ at: at(t + Math.floor(follow[0] / 20)), action: { type: "timeout", node: follow[1] } });
    }
    return out.sort((a, b) => a.at - b.at);
  });
}

export interface RaftRun {
  readonly options: RaftClusterOptions & { readonly size: number; readonly seed: string };
  readonly schedule: TimedAction[];
}

/** A whole run: cluster size, seed, the teacher's options, and the schedule for it. */
export function raftRun(horizonUs: Micros, sizes: readonly number[] = [3, 5], maxActions = 16, membership = false): fc.Arbitrary<RaftRun> {
  return fc
    .record({
      size: fc.constantFrom(...sizes),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => `seed-${n}`),
      preVote: fc.boolean(),
      checkQuorum: fc.boolean(),
      fastBacktrack: fc.boolean(),
      snapshotCount: fc.constantFrom(0, 0, 2, 5),
      maxEntriesPerMessage: fc.constantFrom(1, 4, 64),
      catchUpNewServers: fc.boolean(),
    })
    .chain((options) => {
      const nodes = Array.from({ length: options.size }, (_, i) => `s${i + 1}`);
      const joiners = membership ? ["s8", "s9"] : [];
      return raftSchedule({ nodes, joiners, horizonUs, maxActions }).map((schedule) => ({ options, schedule }));
    });
}
