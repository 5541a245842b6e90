import fc from "fast-check";
import type { NetAction, NodeId, ScheduledAction } from "@drydock/kernel";

export type FaultKind = "crash" | "restart" | "partition" | "heal" | "cut" | "isolate" | "hold" | "release" | "loss" | "delay" | "duplicate" | "reorder";

export interface FaultScheduleOptions {
  readonly nodes: readonly NodeId[];
  /** Faults are drawn in [0, horizonUs). */
  readonly horizonUs: number;
  readonly maxFaults?: number;
  /** Which kinds to draw (default: all). */
  readonly kinds?: readonly FaultKind[];
  /** Upper bound for a drawn loss or duplication probability (default 0.3). */
  readonly maxProbability?: number;
}

const ALL: readonly FaultKind[] = ["crash", "restart", "partition", "heal", "cut", "isolate", "hold", "release", "loss", "delay", "duplicate", "reorder"];

/**
 * A fault schedule as plain data: timed kernel NetActions, sorted by time. In the style of
 * TigerBeetle's VOPR, the whole fault configuration is drawn from one seed, and fast-check
 * shrinks a failing schedule to a short one.
 */
export function faultSchedule(options: FaultScheduleOptions): fc.Arbitrary<ScheduledAction<never>[]> {
  const { nodes, horizonUs } = options;
  const kinds = options.kinds ?? ALL;
  const pMax = options.maxProbability ?? 0.3;
  const node = fc.constantFrom(...nodes);
  const pair = fc.tuple(node, node).filter(([a, b]) => a !== b);
  const byKind: Record<FaultKind, fc.Arbitrary<NetAction>> = {
    crash: node.map((n) => ({ type: "crash", node: n })),
    restart: node.map((n) => ({ type: "restart", node: n })),
    // One side named (the rest form the other), or every node dealt into up to three groups.
    partition: fc.oneof(
      fc.shuffledSubarray([...nodes], { minLength: 1, maxLength: Math.max(1, nodes.length - 1) })
        .map((side) => ({ type: "partition", groups: [side] }) as NetAction),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nodes.length, maxLength: nodes.length })
        .map((deal) => ({
          type: "partition",
          groups: [0, 1, 2].map((g) => nodes.filter((_, i) => deal[i] === g)).filter((g) => g.length > 0),
        }) as NetAction),
    ),
    heal: fc.constant({ type: "heal" }),
    cut: pair.map(([a, b]) => ({ type: "cut", a, b })),
    isolate: node.map((n) => ({ type: "isolate", node: n })),
    hold: pair.map(([from, to]) => ({ type: "hold", from, to })),
    release: fc.tuple(pair, fc.boolean()).map(([[from, to], drop]) => ({ type: "release", from, to, drop })),
    loss: fc.double({ min: 0, max: pMax, noNaN: true }).map((loss) => ({ type: "link", loss })),
    delay: fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 80_000 }))
      .map(([lo, extra]) => ({ type: "link", latency: [lo, lo + extra] as const })),
    duplicate: fc.double({ min: 0, max: pMax, noNaN: true }).map((duplicate) => ({ type: "link", duplicate })),
    reorder: fc.boolean().map((reorder) => ({ type: "link", reorder })),
  };
  const fault = fc.oneof(...kinds.map((k) => byKind[k]));
  return fc
    .array(fc.record({ at: fc.integer({ min: 0, max: Math.max(0, horizonUs - 1) }), action: fault }), { maxLength: options.maxFaults ?? 12 })
    .map((list) => list.sort((a, b) => a.at - b.at) as ScheduledAction<never>[]);
}

/** A seed for a simulation, drawn by fast-check so it is printed with any counterexample. */
export const simSeed = (): fc.Arbitrary<string> => fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => `seed-${n}`);
