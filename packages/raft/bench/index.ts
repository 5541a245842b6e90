// Raft benchmarks (issue 3). bench/ may read the wall clock and the heap; src/ may not.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { Rng, type BenchResult, type BenchSuite } from "@drydock/kernel";
import { createRaftCluster, type RaftCluster } from "../src/index.js";
import { RunFailure, checkRaftRun, raftRun } from "@drydock/testkit";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

// ---- the 60 s workload ------------------------------------------------------------------

/** 5 servers, 60 s of virtual time, a proposal every 100 ms through the leader. */
function workload(history: boolean): { wallMs: number; heapMb: number; events: number; traceRecords: number; snapshots: number; cluster: RaftCluster } {
  const before = heapUsed();
  const t0 = performance.now();
  const cluster = createRaftCluster({
    seed: "bench", size: 5,
    ...(history ? {} : { trace: false, snapshotEvery: "1h" }),
  });
  let n = 0;
  for (let t = 100_000; t <= 60_000_000; t += 100_000) {
    cluster.run(t);
    if (cluster.leader() !== null) cluster.propose(++n);
  }
  const wallMs = performance.now() - t0;
  const heapMb = (heapUsed() - before) / 2 ** 20;
  const sim = cluster.sim;
  return { wallMs, heapMb, events: sim.eventCount, traceRecords: sim.trace.length, snapshots: sim.history().snapshots, cluster };
}

function workloadResults(): BenchResult[] {
  workload(true); // warm the JIT
  // Best of seven: the machine is shared, and the best run is the least disturbed one.
  const runs = Array.from({ length: 7 }, () => workload(true));
  const best = runs.reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
  const vps = 60 / (best.wallMs / 1000);
  const heap = Math.max(...runs.map((r) => r.heapMb));
  // Seeking over the whole run works from the history this measured.
  const c = best.cluster;
  const t1 = performance.now();
  for (let i = 0; i < 50; i++) c.sim.seek(((i * 37) % 60) * 1_000_000 + 456_789);
  const seekMs = (performance.now() - t1) / 50;
  const bare = Array.from({ length: 7 }, () => workload(false)).reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
  const bareVps = 60 / (bare.wallMs / 1000);
  const params = {
    servers: 5, virtualSeconds: 60, proposalEveryMs: 100, proposals: 599, heartbeat: "50ms", electionTimeout: "150ms-300ms",
    latency: "5ms-10ms", events: best.events, traceRecords: best.traceRecords, historySnapshots: best.snapshots,
    wallMs: +best.wallMs.toFixed(1), runsMs: runs.map((r) => +r.wallMs.toFixed(1)),
  };
  return [
    {
      name: "raft.workload_virtual_s_per_wall_s", figure: +vps.toFixed(1), unit: "virtual s / wall s", params,
      goal: ">= 250 virtual s per wall s with full seekable history (100 x RaftScope's 2.5)", met: vps >= 250,
      note: `trace of every send/deliver/timer/state change, a snapshot every 1 s (seekable); mean seek ${seekMs.toFixed(2)} ms`,
    },
    {
      name: "raft.workload_heap_mb", figure: +heap.toFixed(2), unit: "MB", params: { ...params, measure: "heapUsed after gc, minus before" },
      goal: "<= 17 MB with full history (a twentieth of RaftScope's 340 MB)", met: heap <= 17,
    },
    {
      name: "raft.workload_no_history_virtual_s_per_wall_s", figure: +bareVps.toFixed(1), unit: "virtual s / wall s",
      params: { ...params, trace: false, snapshotEvery: "1h", wallMs: +bare.wallMs.toFixed(1), events: bare.events },
      goal: ">= 1,000 virtual s per wall s without history (10 x RaftScope's 100)", met: bareVps >= 1_000,
    },
  ];
}

// ---- Figure 16: leader-crash trials -------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The paper's §9.3 setup: five servers, heartbeat half the minimum election timeout, broadcast
 * time about 15 ms; before dying the leader broadcasts (here: an entry, so logs differ in
 * length and some servers cannot win), and it dies uniformly at random within its heartbeat
 * interval. Trials run back to back on one cluster: after each, the dead server restarts and
 * the cluster settles before the next crash.
 */
function crashTrials(range: readonly [string, string], latency: readonly [string, string], trials: number, seed: string): { times: number[]; wallMs: number; virtualS: number; events: number } {
  const min = Number.parseInt(range[0]);
  const heartbeat = `${min / 2}ms`;
  const rng = new Rng(`figure16/${seed}`);
  const t0 = performance.now();
  const c = createRaftCluster({ seed, size: 5, electionTimeout: range, heartbeat, latency, trace: false, snapshotEvery: "1h", snapshotCount: 100 });
  const sim = c.sim;
  c.run("2s");
  const times: number[] = [];
  for (let i = 0; i < trials; i++) {
    while (c.leader() === null) sim.step();
    c.runFor(rng.int(0, (min / 2) * 1000 - 1));
    const leader = c.leader();
    if (leader === null) { i--; continue; }
    c.propose(i);
    c.runFor(rng.int(0, 10_000)); // the broadcast reaches some followers before the crash
    c.crash(leader);
    const crashedAt = sim.now;
    while (c.leader() === null) sim.step();
    times.push((sim.now - crashedAt) / 1000);
    c.restart(leader);
    c.runFor("250ms"); // the restarted server hears a few heartbeats and rejoins as a follower
  }
  return { times, wallMs: performance.now() - t0, virtualS: sim.now / 1e6, events: sim.eventCount };
}

function figure16(): BenchResult[] {
  const paper: Record<string, string> = {
    "150ms-155ms": "paper: median 287 ms",
    "150ms-200ms": "paper: worst case 513 ms over 1,000 trials",
    "150ms-300ms": "paper: the recommended range; Figure 16's curve for it rises from ~75 ms (half the minimum timeout) and ends well below 513 ms",
  };
  const out: BenchResult[] = [];
  // 5-10 ms one way: the paper's ~15 ms broadcast time as network delay alone. 1-2 ms: a LAN,
  // where (we believe) most of the paper's broadcast time was disk writes, which the kernel does not model.
  for (const latency of [["5ms", "10ms"], ["1ms", "2ms"]] as const) {
    for (const range of [["150ms", "155ms"], ["150ms", "200ms"], ["150ms", "300ms"]] as const) {
      crashTrials(range, latency, 50, "warm");
      // The same deterministic trials three times; the wall time is the least disturbed run's.
      const reps = [0, 1, 2].map(() => crashTrials(range, latency, 1_000, "figure16"));
      const { times, virtualS, events } = reps[0]!;
      const wallMs = Math.min(...reps.map((r) => r.wallMs));
      const sorted = [...times].sort((a, b) => a - b);
      const key = `${range[0]}-${range[1]}`;
      const lat = `${latency[0]}-${latency[1]}`;
      out.push({
        name: `raft.leader_crash_${key.replace(/ms/g, "").replace("-", "_")}ms_latency_${lat.replace(/ms/g, "").replace("-", "_")}ms`,
        figure: +percentile(sorted, 50).toFixed(1), unit: "ms (median time to a new leader)",
        params: {
          trials: times.length, servers: 5, electionTimeout: key, heartbeat: `${Number.parseInt(range[0]) / 2}ms`, latency: lat,
          medianMs: +percentile(sorted, 50).toFixed(1), p99Ms: +percentile(sorted, 99).toFixed(1), maxMs: +sorted[sorted.length - 1]!.toFixed(1),
          minMs: +sorted[0]!.toFixed(1), wallMsAllTrials: +wallMs.toFixed(1), virtualSecondsAllTrials: +virtualS.toFixed(1), events,
        },
        goal: "1,000 trials in under 1 s of wall time", met: wallMs < 1_000,
        note: `${paper[key]} (§9.3, Figure 16: 5 servers, broadcast time ~15 ms, leader crashed at random within its heartbeat interval)`,
      });
    }
  }
  return out;
}

// ---- many more fault schedules than npm test -----------------------------------------------

function schedules(membership: boolean, runs: number): BenchResult {
  const horizon = 4_000_000;
  const sizes = membership ? [2, 3, 4, 5] : [3, 5, 7];
  let events = 0;
  let worstLiveness = 0;
  let failures = 0;
  const t0 = performance.now();
  fc.assert(
    fc.property(raftRun({ horizonUs: horizon, sizes, stepsMax: 30, membership }), (run) => {
      try {
        const r = checkRaftRun(run, { horizonUs: horizon, livenessBoundUs: 5_000_000 });
        events += r.events;
        worstLiveness = Math.max(worstLiveness, ...Object.values(r.livenessUs));
        return true;
      } catch (e) {
        if (!(e instanceof RunFailure)) throw e;
        failures++;
        return false;
      }
    }),
    { numRuns: runs, seed: membership ? 20261129 : 20261128 },
  );
  const wallMs = performance.now() - t0;
  return {
    name: membership ? "raft.fault_schedules_with_membership_checked" : "raft.fault_schedules_checked", figure: runs, unit: "schedules",
    params: { sizes, horizonS: horizon / 1e6, maxActions: 30, membershipChanges: membership, events, wallMs: +wallMs.toFixed(0), worstLivenessMs: +(worstLiveness / 1000).toFixed(1), livenessBoundMs: 5_000 },
    goal: "Figure 3 properties after every event; liveness within 5 s once faults stop", met: failures === 0,
    note: `same generator and checker as npm test (${membership ? 150 : 300} schedules there), longer horizons and more actions`,
  };
}

export const benchmarks: BenchSuite = () => [...workloadResults(), ...figure16(), schedules(false, 2_000), schedules(true, 1_000)];
