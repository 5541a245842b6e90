import fc from "fast-check";
import type { Micros, NodeId, TraceRecord } from "@drydock/kernel";
import {
  SEEN_NAMES, createSwimCluster, payloadSpread, seenBy, suspicionTimeoutUs,
  type SwimAction, type SwimCluster, type SwimClusterOptions, type SwimParams,
} from "@drydock/swim";
import { GOSSIP_APP_LATENCIES, GOSSIP_APP_MEMBERS, gossipAppCluster, type AppRun, type GossipAppOptions } from "./app.js";
import type { Step, TimedAction } from "./faults.js";
import type { AnySimulation, Invariant, Liveness } from "./run.js";

// SWIM under faults: completeness and accuracy (SWIM §5) and the incarnation rules as
// reusable invariants, dissemination as a liveness goal, and SWIM's own actions for schedules.

type SwimSim = AnySimulation<unknown>;
const DEAD = SEEN_NAMES.indexOf("dead");
const LEFT = SEEN_NAMES.indexOf("left");
const ALIVE = SEEN_NAMES.indexOf("alive");
const SUSPECT = SEEN_NAMES.indexOf("suspect");

/**
 * How long after a crash every member must have declared it dead: each member reaches any
 * member within two rounds of its randomized round-robin (SWIM §4.3: 2n − 1 periods), each
 * period stretched at most by Lifeguard's awareness multiplier; then one probe, then the longest
 * suspicion timeout (memberlist suspicion.go).
 */
export function completenessBoundUs(params: SwimParams, n: number): Micros {
  const P = params.probeIntervalUs;
  const A = params.lifeguard.localHealth ? params.awarenessMaxMultiplier : 1;
  const suspicionMax = (params.lifeguard.dynamicSuspicion ? params.suspicionMaxTimeoutMult : 1) * suspicionTimeoutUs(params.suspicionMult, n, P);
  return 2 * n * A * P + A * P + suspicionMax + P;
}

/** Reads the trace records added since the last call (the trace must be on). */
function traceReader(): (sim: SwimSim) => TraceRecord[] {
  let seen = 0;
  return (sim) => {
    const t = sim.trace;
    const out = t.slice(seen);
    seen = t.length;
    return out;
  };
}

/**
 * Completeness (SWIM §5): a crashed member is declared dead, within the bound, by every member
 * that knew it alive or suspect when it crashed and has stayed up since. Works with the trace off.
 */
export function swimCompleteness(boundUs: (n: number) => Micros): Invariant<unknown> {
  const epochs = new Map<NodeId, number>();
  const startedAt = new Map<NodeId, Micros>();
  const pending: { victim: NodeId; epoch: number; at: Micros; due: Micros; observers: NodeId[] }[] = [];
  return {
    name: "SWIM completeness",
    check(sim) {
      const net = sim.net;
      for (const id of net.nodes) {
        const e = net.epoch[id] ?? 0;
        const was = epochs.get(id);
        if (was === undefined) startedAt.set(id, sim.now);
        else if (e !== was) {
          // Crashed now: who knows it alive or suspect?
          const seen = seenBy(sim.state as never, id);
          const observers = net.nodes.filter((o, i) => o !== id && net.up[o] && (seen[i] === ALIVE || seen[i] === SUSPECT));
          pending.push({ victim: id, epoch: e, at: sim.now, due: sim.now + boundUs(net.nodes.length), observers });
        }
        epochs.set(id, e);
        if (!net.up[id]) startedAt.delete(id);
        else if (!startedAt.has(id)) startedAt.set(id, sim.now);
      }
      for (let k = pending.length - 1; k >= 0; k--) {
        const p = pending[k]!;
        if (net.up[p.victim] || net.epoch[p.victim] !== p.epoch) { pending.splice(k, 1); continue; }
        if (sim.now < p.due) continue;
        pending.splice(k, 1);
        const seen = seenBy(sim.state as never, p.victim);
        for (const o of p.observers) {
          if (!net.up[o] || (startedAt.get(o) ?? Infinity) > p.at) continue;
          const s = seen[net.nodes.indexOf(o)]!;
          if (s !== DEAD && s !== LEFT) {
            throw new Error(`${o} still sees ${p.victim} as ${SEEN_NAMES[s]} ${(sim.now - p.at) / 1e6} s after it crashed (bound ${(p.due - p.at) / 1e6} s)`);
          }
        }
      }
    },
  };
}

/**
 * Accuracy (SWIM §5), for runs with no loss and no partition: no member is suspected or
 * declared dead unless it crashed; a restarted member is a new life and may be accused of its
 * old lives (stale news it refutes), never at an incarnation only its current life announced.
 * Reads state records from the trace.
 */
export function swimAccuracy(): Invariant<unknown> {
  const read = traceReader();
  const crashedAt = new Map<string, number>();
  const down = new Set<string>();
  const prevMax = new Map<string, number>();
  let curMax: Map<string, number> | null = null;
  return {
    name: "SWIM accuracy",
    check(sim) {
      // Founding members start at incarnation 1.
      curMax ??= new Map(sim.net.nodes.map((m) => [m, 1]));
      for (const r of read(sim)) {
        if (r.type !== "state" || r.node === null) continue;
        const d = r.data as { event: string; member?: string; incarnation?: number };
        if (d.event === "crash") {
          if (!crashedAt.has(r.node)) crashedAt.set(r.node, r.t);
          down.add(r.node);
        }
        if (d.event === "join") {
          prevMax.set(r.node, Math.max(prevMax.get(r.node) ?? 0, curMax.get(r.node) ?? 0));
          curMax.set(r.node, 1);
          down.delete(r.node);
        }
        if (d.event === "refute") curMax.set(d.member!, Math.max(curMax.get(d.member!) ?? 0, d.incarnation!));
        if (d.event === "dead" || d.event === "suspect") {
          const m = d.member!;
          if ((crashedAt.get(m) ?? Infinity) > r.t) throw new Error(`${r.node}: ${d.event} ${m} at ${r.t} µs, which never crashed`);
          const ofThisLife = d.incarnation! > (prevMax.get(m) ?? 0) && d.incarnation! <= (curMax.get(m) ?? 0);
          if (!down.has(m) && ofThisLife) throw new Error(`${r.node}: ${d.event} ${m}@${d.incarnation} at ${r.t} µs, a live incarnation of its current life`);
        }
      }
    },
  };
}

/**
 * SWIM §4.2: only a member raises its own incarnation, so no observer holds one the member never
 * announced; and a refuted suspicion never leads to death: nobody declares a member dead (or
 * suspect) at an incarnation it already saw outbid by an alive. Reads the trace.
 */
export function swimIncarnations(): Invariant<unknown> & { readonly refutations: () => number } {
  const read = traceReader();
  const aliveInc = new Map<string, number>();
  const announced = new Map<string, number>();
  let refutations = 0;
  return {
    name: "SWIM incarnations",
    refutations: () => refutations,
    check(sim) {
      for (const r of read(sim)) {
        if (r.type !== "state" || r.node === null) continue;
        const d = r.data as { event: string; member?: string; incarnation?: number };
        if (d.event === "refute") {
          announced.set(d.member!, Math.max(announced.get(d.member!) ?? 1, d.incarnation!));
          refutations++;
        }
        if (d.member !== undefined && d.incarnation !== undefined && d.incarnation > (announced.get(d.member) ?? 1)) {
          throw new Error(`${r.node}: ${d.event} ${d.member}@${d.incarnation}, announced only ${announced.get(d.member) ?? 1}`);
        }
        if (d.event === "join") for (const k of [...aliveInc.keys()]) if (k.startsWith(`${r.node}>`)) aliveInc.delete(k);
        const key = `${r.node}>${d.member}`;
        if (d.event === "alive") aliveInc.set(key, Math.max(aliveInc.get(key) ?? 0, d.incarnation!));
        if ((d.event === "dead" || d.event === "suspect") && d.incarnation! < (aliveInc.get(key) ?? 0)) {
          throw new Error(`${r.node}: ${d.event} ${d.member}@${d.incarnation} after alive@${aliveInc.get(key)}`);
        }
      }
    },
  };
}

/**
 * Dissemination once faults stop: every live member holds the newest version published of every
 * key, and (with `membership`) sees every other live member alive. Reads publish records from
 * the trace.
 */
export function swimDissemination(boundUs: Micros, o: { readonly membership?: boolean } = {}): Liveness<unknown> {
  const read = traceReader();
  const newest = new Map<string, { version: number; origin: string; value: string }>();
  let why = "";
  return {
    name: "SWIM dissemination",
    boundUs,
    reached(sim) {
      for (const r of read(sim)) {
        if (r.type !== "state" || r.node === null) continue;
        const d = r.data as { event: string; key?: string; version?: number; value?: string };
        if (d.event !== "publish") continue;
        const cur = newest.get(d.key!);
        if (!cur || d.version! > cur.version || (d.version === cur.version && r.node > cur.origin)) newest.set(d.key!, { version: d.version!, origin: r.node, value: d.value! });
      }
      const state = sim.state as never;
      const live = sim.net.nodes.map((m, i) => [m, i] as const).filter(([m]) => sim.net.up[m]);
      for (const [key, want] of newest) {
        const spread = payloadSpread(state, key);
        const n = spread.newest;
        if (!n || n.version !== want.version || n.origin !== want.origin || n.value !== want.value) { why = `${key}: the newest version held is not the one published`; return false; }
        const missing = live.filter(([, i]) => spread.holders[i] !== 1).map(([m]) => m);
        if (missing.length > 0) { why = `${missing.join(", ")} lack ${key}@${want.version}`; return false; }
      }
      if (o.membership) {
        for (const [m] of live) {
          const seen = seenBy(state, m);
          const wrong = live.filter(([, i]) => seen[i] !== ALIVE).map(([x]) => x);
          if (wrong.length > 0) { why = `${wrong.join(", ")} do not see ${m} alive`; return false; }
        }
      }
      return true;
    },
    explain: () => why,
  };
}

/** SWIM's own actions for a schedule: a publish by one of `publishers`, or a new member joining through a seed. */
export function swimWorkload(o: { readonly publishers: readonly NodeId[]; readonly seeds?: readonly NodeId[]; readonly keys?: readonly string[] }): fc.Arbitrary<Step<SwimAction>> {
  const publish = fc.record({ node: fc.constantFrom(...o.publishers), key: fc.constantFrom(...(o.keys ?? ["svc/a", "svc/b"])), value: fc.string({ maxLength: 6 }) })
    .map((p): Step<SwimAction> => [[0, { type: "publish", ...p }]]);
  if (!o.seeds || o.seeds.length === 0) return publish;
  // The node name is chosen when the join is taken (see swimAct): the next free "m<k>".
  const join = fc.constantFrom(...o.seeds).map((seed): Step<SwimAction> => [[0, { type: "join", node: "", seed }]]);
  return fc.oneof({ weight: 3, arbitrary: publish }, { weight: 1, arbitrary: join });
}

/** Takes a scheduled action on a cluster: a join with no node name goes through `cluster.join` (which adds the node). */
export function swimAct(cluster: SwimCluster): (a: TimedAction<SwimAction>["action"]) => void {
  return (a) => {
    if (a.type === "join" && (a as { node: string }).node === "") cluster.join((a as { seed: string }).seed);
    else if (a.type === "crash") { if (cluster.sim.net.up[a.node]) cluster.crash(a.node); }
    else if (a.type === "restart") { if (!cluster.sim.net.up[a.node]) cluster.restart(a.node); }
    else cluster.sim.act(a);
  };
}

/** The cluster the app's gossip scenario builds for these options, or (for other sizes) the same with `size` members. */
export function swimRunCluster(seed: string, o: { readonly size: number; readonly lifeguard: boolean; readonly latency: "lan" | "wan"; readonly reconnect: boolean }, more: Partial<SwimClusterOptions> = {}): SwimCluster {
  const base = gossipAppCluster(seed, { members: "10", lifeguard: o.lifeguard, latency: o.latency, loss: "0" });
  return createSwimCluster({
    ...base, size: o.size, latency: GOSSIP_APP_LATENCIES[o.latency]!,
    reconnectInterval: o.reconnect ? base.reconnectInterval : "0", ...more,
  });
}

/** How the app opens a SWIM run built by swimRunCluster, or why it cannot. */
export function swimAppRun(o: { readonly size: number; readonly lifeguard: boolean; readonly latency: "lan" | "wan"; readonly reconnect: boolean }): AppRun {
  const members = String(o.size) as GossipAppOptions["members"];
  const unsupported = !GOSSIP_APP_MEMBERS.includes(members) ? `the app's gossip scenario runs ${GOSSIP_APP_MEMBERS.join(", ")} members, not ${o.size}`
    : !o.reconnect ? "the app's gossip scenario always reconnects to failed members (Docker's networkdb)"
    : undefined;
  // The heartbeat baseline beside SWIM is a companion the run does not need: left off.
  return { scenario: "gossip", options: { members, baseline: false, lifeguard: o.lifeguard, latency: o.latency, loss: "0" }, ...(unsupported ? { unsupported } : {}) };
}


