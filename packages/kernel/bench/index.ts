// Kernel benchmarks (issue 2): event throughput with a million pending events, and the cost
// of snapshots and seeks over a 60-second run. Wall-clock reads are allowed here (bench/).
import { createSimulation, pinger, PINGER_NODES, type BenchResult, type BenchSuite, type Model } from "../src/index.js";

type Nop = { readonly type: "nop" };

/** Keeps `pending` timers alive: each firing schedules one more, 1 s later; nothing else. */
function emptyModel(pending: number, nodes: readonly string[]): Model<null, Nop> {
  return {
    init(ctx) {
      for (let i = 0; i < pending; i++) ctx.setTimer(nodes[i % nodes.length]!, i % 1_000_000, "t");
      return null;
    },
    timer(s, node, name, _d, ctx) {
      ctx.setTimer(node, ctx.now + 1_000_000, name);
      return s;
    },
    deliver: (s) => s,
  };
}

function eventsPerSecond(): BenchResult {
  const pending = 1_000_000;
  const nodes = ["a", "b", "c", "d"];
  const sim = createSimulation({ seed: 1, nodes, model: emptyModel(pending, nodes), trace: false, snapshotEvery: "1h" });
  sim.runUntil("100ms"); // warm up the JIT
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const e0 = sim.eventCount;
    const t0 = performance.now();
    sim.runFor("1s");
    runs.push((sim.eventCount - e0) / ((performance.now() - t0) / 1000));
  }
  const figure = Math.round(Math.max(...runs));
  return {
    name: "kernel.events_per_second",
    figure,
    unit: "events/s",
    params: { pendingEvents: pending, handler: "empty (reschedules itself)", trace: false, eventsPerRun: 1_000_000, runs: runs.map(Math.round) },
    goal: ">= 2,000,000 events/s on one core",
    met: figure >= 2_000_000,
  };
}

function snapshotAndSeek(): BenchResult[] {
  const config = { seed: "bench", nodes: PINGER_NODES, model: pinger, snapshotEvery: "1s", network: { latency: ["1ms", "10ms"] as const } };
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const sim = createSimulation(config);
  sim.runUntil("60s");
  const runMs = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const events = sim.eventCount;
  // Seek to 100 points spread over the run, alternating directions.
  const targets = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) * 600_000 + 123_456);
  const t1 = performance.now();
  for (const t of targets) sim.seek(t);
  const seekMs = (performance.now() - t1) / targets.length;
  const params = { nodes: PINGER_NODES.length, model: "pinger", virtualSeconds: 60, events, traceRecords: sim.trace.length, snapshotEvery: "1s", snapshots: sim.history().snapshots };
  return [
    { name: "kernel.run_60s_with_history", figure: +runMs.toFixed(1), unit: "ms", params: { ...params, heapMb: +heapMb.toFixed(1) } },
    { name: "kernel.seek_mean", figure: +seekMs.toFixed(3), unit: "ms", params: { ...params, seeks: targets.length }, note: "restore the nearest snapshot before t, then replay at most 1 s of events" },
  ];
}

function snapshotCost(): BenchResult {
  // The same run with a snapshot every 1 ms versus none: the difference per snapshot.
  const base = { seed: "bench", nodes: PINGER_NODES, model: pinger, network: { latency: ["1ms", "10ms"] as const } };
  const time = (every: string) => {
    const t0 = performance.now();
    const sim = createSimulation({ ...base, snapshotEvery: every, historyMax: 100_000 });
    sim.runUntil("20s");
    return { ms: performance.now() - t0, snapshots: sim.history().snapshots };
  };
  time("1h");
  const none = time("1h");
  const many = time("1ms");
  const figure = ((many.ms - none.ms) / Math.max(1, many.snapshots - none.snapshots)) * 1000;
  return {
    name: "kernel.snapshot_cost",
    figure: +figure.toFixed(2),
    unit: "µs/snapshot",
    params: { nodes: PINGER_NODES.length, model: "pinger", snapshots: many.snapshots, virtualSeconds: 20 },
    note: "a snapshot copies the pending-event heap and RNG states and keeps the immutable model state by reference",
  };
}

export const benchmarks: BenchSuite = () => [eventsPerSecond(), ...snapshotAndSeek(), snapshotCost()];
