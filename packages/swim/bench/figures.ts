// The measurements behind bench/index.ts. Each builds fresh clusters, runs them on virtual time,
// and reads the kernel's counters, the trace or the protocol state; only wall time and heap
// are read from the machine.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createSimulation, type Model, type SimContext } from "@drydock/kernel";
import {
  createSwimCluster, resolveSwimParams, seenBy, swimModel, SwimState, SEEN_NAMES, type SwimAction, type SwimCluster, type SwimMessage,
} from "../src/index.js";

// A full collection before reading the heap, so that a measurement is not a GC's accident.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const S = 1_000_000;

const stateRecords = (c: SwimCluster) => c.sim.trace.filter((r) => r.type === "state");

/**
 * SWIM §3.1: the expected number of protocol periods until some member pings a failed member is
 * 1 / (1 − (1 − 1/(n−1))^(n−1)) → e/(e−1). Each trial crashes a random member at a random instant;
 * "detected in period k" means the first ping to it went out within k periods of the crash.
 */
export function firstDetection(n: number, trials: number): { periods: number; suspicionS: number; trials: number } {
  let periods = 0;
  let suspicion = 0;
  for (let t = 0; t < trials; t++) {
    const c = createSwimCluster({ size: n, seed: `detect-${n}-${t}`, snapshotEvery: "1h" });
    const crashAt = 3 * S + ((t * 7919) % 1000) * 1000;
    const victim = `m${1 + ((t * 104729) % n)}`;
    c.run(crashAt);
    c.crash(victim);
    c.run(crashAt + 8 * S);
    const firstPing = c.sim.trace.find((r) => r.type === "send" && r.t >= crashAt && r.to === victim && (r.msg as { type: string }).type === "ping");
    const firstSuspect = stateRecords(c).find((r) => (r.data as { event: string; member?: string }).event === "suspect" && (r.data as { member: string }).member === victim);
    if (!firstPing || !firstSuspect) throw new Error(`trial ${t}: no detection of ${victim}`);
    periods += Math.ceil((firstPing.t - crashAt) / S) || 1;
    suspicion += (firstSuspect.t - crashAt) / S;
  }
  return { periods: periods / trials, suspicionS: suspicion / trials, trials };
}

/**
 * The same figure from many more samples: until some member first probes it, nothing in the
 * protocol depends on whether a member is up, so the first ping to member j after instant t in a
 * healthy run is the first detection of a crash of j at t. Samples every member at many instants.
 */
export function firstPingPeriods(n: number, seconds: number, instants: number): { periods: number; samples: number } {
  const c = createSwimCluster({ size: n, seed: `pings-${n}`, snapshotEvery: "1h", records: false });
  c.run(Math.round(seconds * S));
  const pings = new Map<string, number[]>();
  for (const r of c.sim.trace) {
    if (r.type !== "send" || (r.msg as { type: string }).type !== "ping") continue;
    let l = pings.get(r.to);
    if (!l) pings.set(r.to, (l = []));
    l.push(r.t);
  }
  let total = 0;
  let samples = 0;
  for (let k = 0; k < instants; k++) {
    // Instants spread over the middle of the run, leaving room for the next ping.
    const t = Math.round((5 + ((seconds - 20) * k) / instants) * S);
    for (const times of pings.values()) {
      const next = times.find((x) => x >= t);
      if (next === undefined) continue;
      total += Math.ceil((next - t) / S) || 1;
      samples++;
    }
  }
  return { periods: total / samples, samples };
}

/** Messages sent per member per protocol period, over `seconds` of virtual time after a warm-up. */
export function messagesPerPeriod(protocol: "swim" | "heartbeat", n: number, seconds: number, warmS = 2): { perMember: number; bytesPerMember: number; sent: number } {
  const c = createSwimCluster({ size: n, seed: `load-${protocol}-${n}`, protocol, trace: false, records: false, snapshotEvery: "1h" });
  const warm = Math.round(warmS * S);
  c.run(warm);
  const sent0 = c.sim.counters.sent;
  const bytes0 = c.counters().reduce((a, x) => a + x.bytes, 0);
  c.run(warm + Math.round(seconds * S));
  const sent = c.sim.counters.sent - sent0;
  const bytes = c.counters().reduce((a, x) => a + x.bytes, 0) - bytes0;
  return { perMember: sent / n / seconds, bytesPerMember: bytes / n / seconds, sent };
}

/** Protocol periods from publishing a payload until every member holds it. */
export function disseminationPeriods(n: number, gossipNodes = 3): number {
  const c = createSwimCluster({ size: n, seed: `spread-${n}`, gossipNodes, trace: false, records: false, snapshotEvery: "1h" });
  c.run(2 * S);
  const start = c.sim.now;
  c.publish("m1", "svc/web", "10.0.0.1:80");
  const s = c.sim.state as SwimState;
  for (let step = 1; step <= 1200; step++) {
    c.run(start + step * 50_000);
    const held = s.users.get("svc/web")!.held;
    let have = 0;
    for (let i = 0; i < n; i++) if (held[i]! >= 0) have++;
    if (have === n) return (c.sim.now - start) / S;
  }
  throw new Error(`payload did not reach all ${n} members in 60 s`);
}

/** Members wrongly suspected and declared dead per hour, with no crash at all, under uniform loss. */
/**
 * The SWIM model with its state records handed to `sink` as they happen. With the kernel's trace
 * off (an hour of 100 members would not fit in memory) ctx.record keeps nothing, so a figure
 * that counts state changes must hear them here.
 */
function recordingSwim(options: Parameters<typeof swimModel>[0], sink: (data: Record<string, unknown>) => void): Model<SwimState, SwimMessage, SwimAction> {
  const base = swimModel(options);
  const tap = (ctx: SimContext<SwimMessage>): SimContext<SwimMessage> =>
    Object.create(ctx, { record: { value: (node: string | null, data: unknown) => { sink(data as Record<string, unknown>); ctx.record(node, data); } } }) as SimContext<SwimMessage>;
  return {
    ...base,
    init: (ctx) => base.init(tap(ctx)),
    deliver: (st, msg, from, to, ctx) => base.deliver(st, msg, from, to, tap(ctx)),
    timer: (st, node, name, data, ctx) => base.timer(st, node, name, data, tap(ctx)),
    action: (st, a, ctx) => base.action!(st, a, tap(ctx)),
    crash: (st, node, ctx) => base.crash!(st, node, tap(ctx)),
    restart: (st, node, ctx) => base.restart!(st, node, tap(ctx)),
  };
}

export function falsePositives(
  n: number, loss: number, lifeguard: boolean, hours: number,
  degraded?: { node: string; loss: number; latency?: readonly [string, string] },
): { deadPerHour: number; suspectPerHour: number; healthyDeadPerHour: number; healthySuspectPerHour: number } {
  const dead = new Set<string>();
  const suspect = new Set<string>();
  const nodes = Array.from({ length: n }, (_, i) => `m${i + 1}`);
  // As createSwimCluster builds it (UDP-like links, 1-5 ms), with a tap on the state records.
  const model = recordingSwim({ params: resolveSwimParams({ lifeguard }), seeds: nodes.slice(0, 3) }, (d) => {
    if (d.event === "dead") dead.add(`${d.member}@${d.incarnation}`);
    if (d.event === "suspect") suspect.add(`${d.member}@${d.incarnation}`);
  });
  const sim = createSimulation({
    seed: `fp-${n}-${lifeguard}`, nodes, model, trace: false, snapshotEvery: "1h",
    network: { latency: ["1ms", "5ms"], loss, reorder: true },
  });
  if (degraded) {
    // One unhealthy member: its packets in and out are lost more often, or late (Lifeguard's slow member).
    const link = { loss: degraded.loss, ...(degraded.latency ? { latency: degraded.latency } : {}) };
    for (const other of nodes) {
      if (other === degraded.node) continue;
      sim.act({ type: "link", from: degraded.node, to: other, ...link });
      sim.act({ type: "link", from: other, to: degraded.node, ...link });
    }
  }
  sim.runUntil(Math.round(hours * 3600 * S));
  const healthy = (set: Set<string>) => [...set].filter((k) => !degraded || !k.startsWith(`${degraded.node}@`)).length / hours;
  return { deadPerHour: dead.size / hours, suspectPerHour: suspect.size / hours, healthyDeadPerHour: healthy(dead), healthySuspectPerHour: healthy(suspect) };
}

/**
 * Wall time and peak heap (above the heap before the cluster) to simulate `seconds` of an
 * n-member cluster with the kernel's trace off, one crash (at 10 s) and one payload (at 20 s).
 */
export function wallTime(n: number, seconds: number): { wallS: number; cpuS: number; peakHeapMB: number; events: number; perMember: number } {
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const c = createSwimCluster({ size: n, seed: `wall-${n}`, trace: false, records: false, snapshotEvery: "600s" });
  for (let s = 1; s <= seconds; s++) {
    c.run(s * S);
    // Some work beyond the steady state: a crash to detect and spread, a payload to disseminate.
    if (s === 10) c.crash(`m${n}`);
    if (s === 20) c.publish("m1", "svc/web", "10.0.0.1:80");
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wallS, cpuS: (cpu.user + cpu.system) / 1e6, peakHeapMB: (peak - base) / 1e6, events: c.sim.eventCount, perMember: c.sim.counters.sent / n / seconds };
}

/** Seconds from a crash until every live member has declared the member dead (either protocol), to 100 ms. */
export function deathEverywhere(protocol: "swim" | "heartbeat", n: number, trials: number): number {
  let total = 0;
  for (let t = 0; t < trials; t++) {
    const c = createSwimCluster({ size: n, seed: `everywhere-${protocol}-${n}-${t}`, protocol, trace: false, snapshotEvery: "1h" });
    const crashAt = 3 * S + ((t * 7919) % 1000) * 1000;
    const victim = `m${1 + ((t * 104729) % n)}`;
    c.run(crashAt);
    c.crash(victim);
    // The trace is off (so it holds no state records): ask the views every 100 ms instead.
    const DEAD = SEEN_NAMES.indexOf("dead");
    let last = -1;
    for (let step = 1; step <= 1200 && last < 0; step++) {
      c.run(crashAt + step * 100_000);
      const seen = seenBy(c.sim.state, victim);
      let dead = 0;
      for (let i = 0; i < seen.length; i++) if (seen[i] === DEAD) dead++;
      if (dead >= n - 1) last = c.sim.now;
    }
    if (last < 0) throw new Error(`trial ${t}: ${victim} not declared dead everywhere`);
    total += (last - crashAt) / S;
  }
  return total / trials;
}

/** Memory the protocol state holds for an n-member cluster after a crash has spread: heap plus typed arrays. */
export function stateMemory(n: number): { bytes: number; pairs: number; deviations: number } {
  const c = createSwimCluster({ size: n, seed: `memory-${n}`, trace: false, records: false, snapshotEvery: "1h" });
  c.run(5 * S);
  c.crash("m2");
  c.run(40 * S);
  const s = c.sim.state as SwimState;
  // A clone is exactly the state (the kernel's snapshot copy): measure what more of them cost.
  collect();
  const mid = process.memoryUsage();
  const copies = [s.clone(), s.clone(), s.clone(), s.clone()];
  collect();
  const after = process.memoryUsage();
  const bytes = (after.heapUsed - mid.heapUsed + after.arrayBuffers - mid.arrayBuffers) / copies.length;
  if (copies.length !== 4) throw new Error("unreachable: keeps the copies alive until measured");
  return { bytes, pairs: n * n, deviations: s.view.deviations() };
}
