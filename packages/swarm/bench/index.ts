// Swarm's figures for bench/results.json (issue 12).
import type { BenchResult, BenchSuite } from "@drydock/kernel";
import { createSwarmCluster } from "../src/cluster.js";
import { baseStore, makeService, nodes } from "../src/fixtures.test-util.js";
import { counterIds } from "../src/ids.js";
import { controlPass } from "../src/orchestrator/control.js";
import { EMPTY_CONTROL } from "../src/orchestrator/restart.js";
import { schedule } from "../src/scheduler/scheduler.js";
import { applyOps } from "../src/store/store.js";
import { TaskState, type Store } from "../src/types.js";

const S = 1_000_000;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const wall = () => performance.now();

/** A store with `nodeCount` nodes and services whose `tasks` tasks exist and are allocated (PENDING). */
function pendingStore(nodeCount: number, services: number, tasks: number): Store {
  let store = baseStore(nodes(nodeCount));
  const per = Math.floor(tasks / services);
  store = applyOps(store, Array.from({ length: services }, (_, i) => ({ op: "service.create" as const, service: makeService(`svc${i}`, { name: `svc${i}`, image: "nginx", replicas: per }) })), 2, 0);
  // One pass of the orchestrator and allocator, scheduling excluded: tasks NEW → PENDING.
  const r = controlPass({ store, control: EMPTY_CONTROL, now: 0, index: 3, ids: counterIds("t") });
  // controlPass scheduled them too; take the tasks back to PENDING to time the scheduler alone.
  const pending = new Map([...r.store.tasks].map(([id, t]) => [id, { ...t, nodeId: "", status: { ...t.status, state: TaskState.PENDING, message: "pending task scheduling" } }]));
  return { ...r.store, tasks: pending };
}

function scheduleBench(nodeCount: number, services: number, tasks: number): { scheduleS: number; passS: number; assigned: number; maxPerNode: number; minPerNode: number } {
  // The whole leader pass (orchestrator creates the tasks, allocator, scheduler), from an empty swarm.
  let store = baseStore(nodes(nodeCount));
  const per = Math.floor(tasks / services);
  store = applyOps(store, Array.from({ length: services }, (_, i) => ({ op: "service.create" as const, service: makeService(`svc${i}`, { name: `svc${i}`, image: "nginx", replicas: per }) })), 2, 0);
  const t0 = wall();
  controlPass({ store, control: EMPTY_CONTROL, now: 0, index: 3, ids: counterIds("t") });
  const passS = (wall() - t0) / 1000;
  // The scheduler alone over the same tasks, PENDING.
  const pending = pendingStore(nodeCount, services, tasks);
  const t1 = wall();
  const r = schedule(pending, 0);
  const scheduleS = (wall() - t1) / 1000;
  const perNode = new Map<string, number>();
  for (const o of r.ops) if (o.op === "task.assign") perNode.set(o.nodeId, (perNode.get(o.nodeId) ?? 0) + 1);
  return { scheduleS, passS, assigned: r.assigned, maxPerNode: Math.max(...perNode.values()), minPerNode: Math.min(...perNode.values()) };
}

/** Crash a worker running a task; virtual seconds until it is marked down, and until the service is whole again. */
function rescheduleAfterCrash(seed: number): { downS: number; backS: number } {
  const c = createSwarmCluster({ managers: 3, workers: 5, seed, records: false, trace: false });
  c.serviceCreate({ name: "web", image: "nginx", replicas: 10, constraints: ["node.role==worker"] });
  c.runFor("20s");
  // Crash at a different phase of the heartbeat cycle each seed.
  c.runFor(Math.floor((seed % 10) * 0.55 * S));
  const victim = c.hostOf(c.running("web")[0]!.nodeId)!;
  const t0 = c.now;
  c.crash(victim);
  let downS = -1;
  for (;;) {
    c.runFor("50ms");
    if (downS < 0 && c.nodes().find((r) => r.hostname === victim)!.status === "Down") downS = (c.now - t0) / S;
    if (downS >= 0 && c.running("web").length === 10) return { downS, backS: (c.now - t0) / S };
    if (c.now - t0 > 120 * S) throw new Error(`seed ${seed}: not rescheduled within 120 s`);
  }
}

function tenMinutes(): { wallS: number; events: number; running: number; updated: number } {
  const t0 = wall();
  const c = createSwarmCluster({ managers: 5, workers: 50, seed: 2016, records: false, trace: false, snapshotEvery: "60s" });
  for (let i = 0; i < 5; i++) c.serviceCreate({ name: `svc${i}`, image: "nginx:1", replicas: 100, update: { parallelism: 10 } });
  c.runFor("120s");
  c.crash("worker7");
  c.runFor("120s");
  c.serviceUpdate("svc0", { image: "nginx:2" });
  c.run(10 * 60 * S + 10 * S); // ten virtual minutes after the bootstrap
  const wallS = (wall() - t0) / 1000;
  let running = 0;
  for (let i = 0; i < 5; i++) running += c.running(`svc${i}`).length;
  const updated = c.running("svc0").filter((t) => t.spec.container.image === "nginx:2").length;
  return { wallS, events: c.sim.eventCount, running, updated };
}

export const benchmarks: BenchSuite = () => {
  const out: BenchResult[] = [];

  const big = [scheduleBench(2400, 1, 100_000), scheduleBench(2400, 1, 100_000)].sort((a, b) => a.scheduleS - b.scheduleS)[0]!;
  out.push({
    name: "swarm.schedule_100k_tasks_2400_nodes", figure: round(big.scheduleS), unit: "s", goal: "at most 10 s", met: big.scheduleS <= 10,
    params: { nodes: 2400, tasks: 100_000, services: 1, assigned: big.assigned, perNode: [big.minPerNode, big.maxPerNode] },
    note: "best of 2; the scheduler alone (filters, decision tree, spread) over 100,000 PENDING tasks of one service; the Swarm2k test's size",
  });
  out.push({
    name: "swarm.leader_pass_100k_tasks_2400_nodes", figure: round(big.passS), unit: "s", params: { nodes: 2400, tasks: 100_000 },
    note: "one whole leader pass from the service's creation: the replicated orchestrator creates the tasks, the allocator moves them to PENDING, the scheduler assigns them",
  });
  const many = scheduleBench(2400, 100, 100_000);
  out.push({
    name: "swarm.schedule_100k_tasks_100_services_2400_nodes", figure: round(many.scheduleS), unit: "s", goal: "at most 10 s", met: many.scheduleS <= 10,
    params: { nodes: 2400, tasks: 100_000, services: 100, perNode: [many.minPerNode, many.maxPerNode] },
    note: "100 services of 1,000 tasks: one decision tree per service and spec version",
  });

  const trials = Array.from({ length: 20 }, (_, i) => rescheduleAfterCrash(i + 1));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const downs = trials.map((t) => t.downS);
  const backs = trials.map((t) => t.backS);
  out.push({
    name: "swarm.node_down_after_crash_s", figure: round(mean(downs), 2), unit: "s",
    goal: "within SwarmKit's prediction, 9-16.5 s", met: Math.min(...downs) >= 9 && Math.max(...downs) <= 16.6,
    params: { trials: trials.length, min: round(Math.min(...downs), 2), max: round(Math.max(...downs), 2) },
    note: "dispatcher.go: heartbeat period 5 s ± 0.5 s (epsilon), node down after period × 3 (grace multiplier) without one; the last heartbeat came within one period before the crash, so down 2-3 periods after it: 9-16.5 s",
  });
  out.push({
    name: "swarm.reschedule_after_crash_s", figure: round(mean(backs), 2), unit: "s",
    goal: "within the prediction, 14.5-23.5 s", met: Math.min(...backs) >= 14.5 && Math.max(...backs) <= 23.5,
    params: { trials: trials.length, min: round(Math.min(...backs), 2), max: round(Math.max(...backs), 2), replicas: 10, workers: 5 },
    note: "crash to the service whole again: node down (9-16.5 s), then the restart delay (5 s, restart.go; waived only for a drained node) and the replacement's start (fake image: start 0.5 s, plus a 1 s pull where the image is not cached), plus the 50 ms scheduler debounce and commits: 14.5-23 s",
  });

  tenMinutes(); // warm-up
  const ten = [tenMinutes(), tenMinutes()].sort((a, b) => a.wallS - b.wallS)[0]!;
  out.push({
    name: "swarm.wall_10min_5m_50w_500tasks", figure: round(ten.wallS), unit: "s", goal: "at most 5 s", met: ten.wallS <= 5,
    params: { managers: 5, workers: 50, tasks: 500, virtualS: 600, events: ten.events, running: ten.running, updated: ten.updated },
    note: "best of 2 after a warm-up; worker7 crashes at 2 min, svc0 (100 tasks) rolls to a new image at 4 min (parallelism 10); trace off",
  });
  return out;
};
