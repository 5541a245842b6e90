import fc from "fast-check";
import type { Action, Micros, ModelAction, NetAction, NodeId } from "@drydock/kernel";

// The one vocabulary of faults. A fault is a kernel NetAction: plain data that the kernel
// validates, logs and traces, so a schedule prints as JSON, shrinks, replays from a session and
// opens in the app. In the style of TigerBeetle's VOPR and turmoil: faults are records, not code.

/** Every kind of fault a schedule can draw, listed once. */
export const FAULT_KINDS = [
  "crash", "restart", "bounce", "partition", "heal", "cut", "isolate", "hold", "release", "loss", "delay", "duplicate", "reorder",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** An action at a virtual time (µs). Faults and a model's own actions alike. */
export interface TimedAction<A extends ModelAction = ModelAction> {
  readonly at: Micros;
  readonly action: Action<A>;
}

/** Actions at offsets (µs) from one drawn instant: a bounce is a crash and, soon after, a restart. */
export type Step<A extends ModelAction = ModelAction> = readonly (readonly [offsetUs: Micros, action: Action<A>])[];

export interface FaultOptions {
  readonly nodes: readonly NodeId[];
  /** Which kinds to draw (default: all of FAULT_KINDS). */
  readonly kinds?: readonly FaultKind[];
  /** Upper bound of a drawn loss or duplication probability (default 0.3). */
  readonly probabilityMax?: number;
  /** Upper bound of a drawn one-way latency (default 100 ms). */
  readonly latencyMaxUs?: Micros;
  /** A bounce restarts the node within this after its crash (default 60 ms). */
  readonly bounceMaxUs?: Micros;
  /**
   * When set, a partition, cut, isolation or held link is undone (heal, release) within this
   * after it starts, so no two nodes stay apart longer than this (a heal undoes every split).
   */
  readonly healWithinUs?: Micros;
}

const one = <A extends ModelAction>(a: Action<A>): Step<A> => [[0, a]];

/** One fault, as the steps it takes (most are one action; a bounce or a healed split is two). */
export function fault(o: FaultOptions): fc.Arbitrary<Step<never>> {
  const { nodes } = o;
  if (nodes.length === 0) throw new RangeError("fault: no nodes to draw from");
  const pMax = o.probabilityMax ?? 0.3;
  const latencyMax = o.latencyMaxUs ?? 100_000;
  const node = fc.constantFrom(...nodes);
  const pair = nodes.length < 2 ? fc.constant<[NodeId, NodeId]>([nodes[0]!, nodes[0]!]) : fc.tuple(node, node).filter(([a, b]) => a !== b);
  // A split, healed later when asked for: `undo` is the action that ends it.
  const healed = (split: fc.Arbitrary<NetAction>, undo: (a: NetAction) => NetAction): fc.Arbitrary<Step<never>> =>
    o.healWithinUs === undefined
      ? split.map(one)
      : fc.tuple(split, fc.integer({ min: 1, max: o.healWithinUs })).map(([a, d]) => [[0, a], [d, undo(a)]]);
  const heal = (): NetAction => ({ type: "heal" });
  const byKind: Record<FaultKind, fc.Arbitrary<Step<never>>> = {
    crash: node.map((n) => one({ type: "crash", node: n })),
    restart: node.map((n) => one({ type: "restart", node: n })),
    bounce: fc.tuple(node, fc.integer({ min: 1, max: o.bounceMaxUs ?? 60_000 }))
      .map(([n, d]) => [[0, { type: "crash", node: n }], [d, { type: "restart", node: n }]]),
    // One side named (the rest form the other), or every node dealt into up to three groups.
    partition: healed(fc.oneof(
      fc.shuffledSubarray([...nodes], { minLength: 1, maxLength: Math.max(1, nodes.length - 1) })
        .map((side): NetAction => ({ type: "partition", groups: [side] })),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nodes.length, maxLength: nodes.length })
        .map((deal): NetAction => ({
          type: "partition",
          groups: [0, 1, 2].map((g) => nodes.filter((_, i) => deal[i] === g)).filter((g) => g.length > 0),
        })),
    ), heal),
    heal: fc.constant(one<never>({ type: "heal" })),
    cut: healed(pair.map(([a, b]): NetAction => ({ type: "cut", a, b })), heal),
    isolate: healed(node.map((n): NetAction => ({ type: "isolate", node: n })), heal),
    hold: healed(pair.map(([from, to]): NetAction => ({ type: "hold", from, to })), (a) => {
      const h = a as Extract<NetAction, { type: "hold" }>;
      return { type: "release", from: h.from, to: h.to, drop: false };
    }),
    release: fc.tuple(pair, fc.boolean()).map(([[from, to], drop]) => one({ type: "release", from, to, drop })),
    loss: fc.double({ min: 0, max: pMax, noNaN: true }).map((loss) => one({ type: "link", loss })),
    delay: fc.tuple(fc.integer({ min: 0, max: Math.floor(latencyMax / 5) }), fc.integer({ min: 0, max: latencyMax - Math.floor(latencyMax / 5) }))
      .map(([lo, extra]) => one({ type: "link", latency: [lo, lo + extra] as const })),
    duplicate: fc.double({ min: 0, max: pMax, noNaN: true }).map((duplicate) => one({ type: "link", duplicate })),
    reorder: fc.boolean().map((reorder) => one({ type: "link", reorder })),
  };
  const kinds = o.kinds ?? FAULT_KINDS;
  if (kinds.length === 0) throw new RangeError("fault: no kinds to draw");
  return fc.oneof(...kinds.map((k) => byKind[k]));
}

export interface ScheduleOptions<A extends ModelAction = never> extends FaultOptions {
  /** Steps are drawn in [0, horizonUs); an action a step puts later is clamped to horizonUs - 1. */
  readonly horizonUs: Micros;
  /** Most steps drawn (default 12). */
  readonly stepsMax?: number;
  /** The model's own actions (proposals, publishes, ...) mixed in with the faults. */
  readonly workload?: fc.Arbitrary<Step<A>>;
  /** Relative weight of a fault against a workload step (default 1:1). */
  readonly faultWeight?: number;
  readonly workloadWeight?: number;
}

/** Flattens timed steps into one list sorted by time (ties keep the order drawn). */
export function flattenSteps<A extends ModelAction>(steps: readonly { readonly at: Micros; readonly step: Step<A> }[], horizonUs: Micros): TimedAction<A>[] {
  const out: TimedAction<A>[] = [];
  for (const { at, step } of steps) for (const [d, action] of step) out.push({ at: Math.min(horizonUs - 1, at + d), action });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * A schedule: faults (and, given a workload, the model's own actions) at times in
 * [0, horizonUs), sorted by time. The whole schedule is one value drawn from one seed, and
 * fast-check shrinks a failing one to a short one.
 */
export function faultSchedule<A extends ModelAction = never>(o: ScheduleOptions<A>): fc.Arbitrary<TimedAction<A>[]> {
  const faults = fault(o) as fc.Arbitrary<Step<A>>;
  const step = o.workload
    ? fc.oneof({ weight: o.faultWeight ?? 1, arbitrary: faults }, { weight: o.workloadWeight ?? 1, arbitrary: o.workload })
    : faults;
  return fc
    .array(fc.record({ at: fc.integer({ min: 0, max: Math.max(0, o.horizonUs - 1) }), step }), { maxLength: o.stepsMax ?? 12 })
    .map((list) => flattenSteps(list, o.horizonUs));
}

/** A seed for a simulation, drawn by fast-check so it is printed with any counterexample. */
export const simSeed = (): fc.Arbitrary<string> => fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((n) => `seed-${n}`);

/** Node names `${prefix}1`..`${prefix}N` for N in [min, max]. */
export const nodeNames = (prefix: string, min: number, max: number): fc.Arbitrary<NodeId[]> =>
  fc.integer({ min, max }).map((n) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`));

export interface Topology {
  readonly nodes: readonly NodeId[];
  /** One-way latency range (µs). */
  readonly latencyUs: readonly [Micros, Micros];
  readonly loss: number;
  readonly reorder: boolean;
}

/** A network to run on: how many nodes, link latency, loss and reordering. */
export function topology(o: { readonly prefix?: string; readonly sizeMin?: number; readonly sizeMax?: number; readonly latencyMaxUs?: Micros; readonly lossMax?: number } = {}): fc.Arbitrary<Topology> {
  const latencyMax = o.latencyMaxUs ?? 50_000;
  return fc.record({
    nodes: nodeNames(o.prefix ?? "n", o.sizeMin ?? 3, o.sizeMax ?? 7),
    latencyUs: fc.tuple(fc.integer({ min: 0, max: latencyMax }), fc.integer({ min: 0, max: latencyMax }))
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
    loss: (o.lossMax ?? 0) > 0 ? fc.double({ min: 0, max: o.lossMax!, noNaN: true }) : fc.constant(0),
    reorder: fc.boolean(),
  });
}
