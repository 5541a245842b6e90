// The swarm's properties under generated fault schedules (crashes, bounces, partitions, cut
// links, isolation, loss and delay, managers included), with swarm commands mixed in: the
// invariants are checked after every event (testkit's runChecked), then, once the faults stop,
// every replicated service must be back to its desired count within a bound derived below.
import fc from "fast-check";
import { describe, it } from "vitest";
import { assertProperty, faultSchedule, runChecked, simSeed, type Invariant, type Liveness, type Step } from "@drydock/testkit";
import { RunFailure } from "@drydock/testkit";
import { PlacementChecker, executorRunning, globalOnePerNode, runningSlots, secretsGranted } from "./check.js";
import { createSwarmCluster, type SwarmCluster, type SwarmWorldAction } from "./cluster.js";
import { nodeMatches, parseConstraints } from "./constraint.js";
import { leaderFor } from "./daemon/actions.js";
import { TaskState, type Service, type Store } from "./types.js";

const S = 1_000_000;
const MANAGERS = ["manager1", "manager2", "manager3"];
const WORKERS = ["worker1", "worker2", "worker3"];
const HOSTS = [...MANAGERS, ...WORKERS];
const HORIZON_US = 60 * S;

/**
 * The convergence bound, from SwarmKit's defaults, once every host is up and the network whole:
 * - a leader: raft elections take 10-20 s (ElectionTick 10-20 of 1 s); a split vote repeats the
 *   round; allow three rounds, 60 s;
 * - agents find it: a heartbeat is due within one period (≤ 5.5 s) and fails after the 5 s RPC
 *   timeout; the next manager redirects at once: ≤ 11 s;
 * - a replacement waits its restart delay (5 s) and for the task it replaces to stop, at most the
 *   supervisor's one-minute TaskTimeout (60 s);
 * - it is scheduled in the next pass (50 ms debounce) and starts: pull 1 s + start 0.5 s, plus
 *   the commits and messages around each step (well under 5 s in all on a LAN).
 * 60 + 11 + 5 + 60 + 5 = 141 s; the bound is 150 s of virtual time.
 * "Enough capacity": a service no up, active node may take (the workload can drain every worker)
 * must instead have all its tasks PENDING with the scheduler's "no suitable node (...)".
 */
const BOUND_US = 150 * S;
/** More runs on demand (SWARM_PROP_RUNS=500); the slowest convergence seen is printed then. */
const RUNS = Number(process.env.SWARM_PROP_RUNS ?? 12);
let slowestUs = 0;

type Act = SwarmWorldAction;
const act = (a: Record<string, unknown>): Act => a as unknown as Act;

/** Swarm commands drawn into the schedule, each run on a manager (refused, and counted, when it has no leader). */
function workload(): fc.Arbitrary<Step<Act>> {
  const manager = fc.constantFrom(...MANAGERS);
  const worker = fc.constantFrom(...WORKERS);
  const one = (a: Act): Step<Act> => [[0, a]];
  return fc.oneof(
    fc.tuple(manager, fc.integer({ min: 1, max: 6 })).map(([host, replicas]) => one(act({ type: "swarm/serviceScale", host, service: "web", replicas }))),
    fc.tuple(manager, fc.integer({ min: 2, max: 9 })).map(([host, v]) => one(act({ type: "swarm/serviceUpdate", host, service: "web", update: { image: `nginx:1.${v}` } }))),
    fc.tuple(manager, worker, fc.constantFrom("drain", "active", "pause")).map(([host, node, availability]) => one(act({ type: "swarm/nodeUpdate", host, node, availability }))),
    fc.tuple(manager, fc.integer({ min: 2, max: 9 })).map(([host, v]) => one(act({ type: "swarm/serviceUpdate", host, service: "mon", update: { image: `exporter:${v}` } }))),
  );
}

function setup(seed: string): SwarmCluster {
  const c = createSwarmCluster({ managers: 3, workers: 3, seed, records: false });
  c.secretCreate("db_pass", "hunter2");
  c.runFor("1s");
  c.serviceCreate({ name: "web", image: "nginx:1.1", replicas: 3, update: { order: "start-first", parallelism: 2 } });
  c.serviceCreate({ name: "db", image: "postgres", replicas: 2, secrets: ["db_pass"], constraints: ["node.role==worker"] });
  c.serviceCreate({ name: "mon", image: "exporter:1", mode: "global" });
  c.runFor("10s");
  return c;
}

function invariants(c: SwarmCluster): Invariant[] {
  const placement = new PlacementChecker();
  const up = (h: string) => !!c.sim.net.up[h];
  const must = (detail: string | null) => {
    if (detail !== null) throw new Error(detail);
  };
  return [
    { name: "placement: never on a drained, paused or down node, never against a constraint", check: () => must(placement.check(c.state)) },
    { name: "a global service never runs twice on one node", check: () => must(globalOnePerNode(c.state, c.executor, up)) },
    { name: "a secret reaches only the nodes and containers granted it", check: () => must(secretsGranted(c.state, c.executor, ["hunter2"])) },
  ];
}

/** "Enough capacity": some host that is up, active and within the service's constraints. */
function hasCapacity(c: SwarmCluster, store: Store, s: Service): boolean {
  const cons = parseConstraints(s.spec.task.placement.constraints);
  return [...store.nodes.values()].some((n) => c.sim.net.up[n.description.hostname] && n.spec.availability === "active" && !("error" in cons) && nodeMatches(cons, n));
}

function converged(c: SwarmCluster): string | null {
  const leader = c.leader();
  if (!leader) return "no leader";
  const store = c.store(leader);
  const up = (h: string) => !!c.sim.net.up[h];
  for (const s of store.services.values()) {
    if (s.spec.mode.kind !== "replicated") continue;
    if (!hasCapacity(c, store, s)) {
      // No node can take a new task (every worker drained, say): tasks that run (on a paused
      // node) run on; the others wait, saying why.
      const tasks = [...store.tasks.values()].filter((t) => t.serviceId === s.id && t.desiredState === TaskState.RUNNING);
      const settled = (t: (typeof tasks)[number]) =>
        (t.status.state === TaskState.PENDING && t.status.err.startsWith("no suitable node (")) ||
        (t.status.state === TaskState.RUNNING && up(store.nodes.get(t.nodeId)?.description.hostname ?? ""));
      if (!tasks.every(settled)) return `${s.spec.name}: no capacity, but not every task running or pending with "no suitable node"`;
      continue;
    }
    // Slots 1..replicas each running a task (see runningSlots: a paused start-first update keeps
    // two tasks in the slots it was replacing, as SwarmKit does).
    const n = runningSlots(c.state, store, s.id, c.executor, up);
    if (n !== s.spec.mode.replicas) return `${s.spec.name}: ${n}/${s.spec.mode.replicas} slots running`;
  }
  return null;
}

describe("swarm properties under faults", () => {
  it("invariants after every event; every replicated service back to its desired count within 150 s of the faults stopping", () => {
    assertProperty(
      fc.property(
        simSeed(),
        faultSchedule<Act>({
          nodes: HOSTS, horizonUs: HORIZON_US, stepsMax: 8, workload: workload(),
          kinds: ["crash", "restart", "bounce", "partition", "isolate", "cut", "heal", "loss", "delay"],
          bounceMaxUs: 20 * S, healWithinUs: 30 * S, probabilityMax: 0.2, latencyMaxUs: 50_000,
        }),
        (seed, schedule) => {
          const c = setup(seed);
          const t0 = c.now;
          const liveness: Liveness[] = [{
            name: "replicated services converge", boundUs: BOUND_US,
            reached: () => converged(c) === null, explain: () => converged(c) ?? "",
          }];
          const r = runChecked(c.sim, {
            schedule: schedule.map((s) => ({ at: t0 + s.at, action: s.action })),
            until: t0 + HORIZON_US,
            invariants: invariants(c),
            liveness,
          });
          slowestUs = Math.max(slowestUs, r.livenessUs["replicated services converge"] ?? 0);
        },
      ),
      { numRuns: RUNS },
    );
    if (process.env.SWARM_PROP_RUNS) console.log(`slowest convergence over ${RUNS} runs: ${slowestUs / S} s`);
  }, 3_600_000);

  it("with one manager and one worker lost for good (a majority of managers left), the services converge all the same", () => {
    assertProperty(
      fc.property(
        simSeed(), fc.constantFrom(...MANAGERS), fc.constantFrom(...WORKERS), fc.integer({ min: 0, max: HORIZON_US - 1 }),
        faultSchedule<Act>({
          nodes: HOSTS, horizonUs: HORIZON_US, stepsMax: 6, workload: workload(),
          kinds: ["bounce", "partition", "isolate", "cut", "loss"], bounceMaxUs: 20 * S, healWithinUs: 30 * S, probabilityMax: 0.2,
        }),
        (seed, manager, worker, lostAt, schedule) => {
          const c = setup(seed);
          const t0 = c.now;
          const lost = [manager, worker];
          // The two hosts crash for good; other faults come and go (a bounce of a lost host is dropped).
          const steps = [
            ...schedule.filter((s) => !(s.action.type === "restart" && s.at >= lostAt && lost.includes((s.action as { node: string }).node))),
            { at: lostAt, action: act({ type: "crash", node: manager }) },
            { at: lostAt, action: act({ type: "crash", node: worker }) },
          ].sort((a, b) => a.at - b.at).map((s) => ({ at: t0 + s.at, action: s.action }));
          const checks = invariants(c);
          runChecked(c.sim, { schedule: steps, until: t0 + HORIZON_US, invariants: checks });
          // The liveness phase by hand: heal and reset the links, restart every host but the two lost.
          c.sim.act({ type: "heal" });
          c.sim.act({ type: "link", loss: 0, duplicate: 0, reorder: false, latency: [200, 1000] });
          for (const h of HOSTS) if (!c.sim.net.up[h] && !lost.includes(h)) c.sim.act({ type: "restart", node: h });
          const start = c.now;
          while (converged(c) !== null) {
            if (c.now - start > BOUND_US) {
              throw new RunFailure("liveness", "converge without the lost hosts", `${converged(c)} after ${BOUND_US / S} s`, c.sim.eventCount, c.now, c.sim.session().seed, c.sim.session().actions, null, "");
            }
            c.sim.step();
            for (const inv of checks) inv.check(c.sim);
          }
          slowestUs = Math.max(slowestUs, c.now - start);
        },
      ),
      { numRuns: Math.max(4, Math.floor(RUNS / 3)) },
    );
  }, 3_600_000);

  // moby daemon/cluster errSwarmLocked; swarmkit node.go: an autolocked manager that restarts
  // cannot decrypt its TLS key and raft data until `docker swarm unlock`.
  it("a locked manager never serves the store: no raft step, no leadership, no tasks, every command refused", () => {
    assertProperty(
      fc.property(
        simSeed(),
        faultSchedule<Act>({
          nodes: HOSTS, horizonUs: HORIZON_US, stepsMax: 8,
          workload: fc.tuple(fc.constantFrom(...MANAGERS), fc.boolean()).map(([host, right]) => [[0, act({ type: "swarm/unlock", host, key: right ? "$KEY" : "SWMKEY-1-AAAA" })]] as Step<Act>),
          kinds: ["crash", "restart", "bounce", "partition", "heal"], bounceMaxUs: 20 * S, healWithinUs: 30 * S,
        }),
        (seed, schedule) => {
          const c = setup(seed);
          c.swarmUpdate({ autolock: true });
          c.runFor("2s");
          const key = c.store().cluster!.unlockKey!;
          const t0 = c.now;
          const frozen = new Map<string, unknown>();
          const up = (h: string) => !!c.sim.net.up[h];
          const inv: Invariant = {
            name: "a locked manager serves nothing",
            check: () => {
              for (const [host, h] of c.state.hosts) {
                if (!h.locked) {
                  frozen.delete(host);
                  continue;
                }
                if (!frozen.has(host)) frozen.set(host, h.raft);
                if (h.raft !== frozen.get(host)) throw new Error(`${host} is locked and its raft moved`);
                if (h.leader !== null) throw new Error(`${host} is locked and leads`);
                if (up(host) && c.executor.inspect(h.exec).running.length > 0) throw new Error(`${host} is locked and runs tasks`);
                if (up(host)) {
                  let refused = "";
                  try {
                    leaderFor(c.state, host, c.sim.net);
                  } catch (e) {
                    refused = (e as Error).message;
                  }
                  if (!refused.startsWith("Swarm is encrypted")) throw new Error(`${host} is locked and answered: ${refused || "a leader"}`);
                }
              }
            },
          };
          runChecked(c.sim, {
            schedule: schedule.map((st) => ({ at: t0 + st.at, action: (st.action as { key?: string }).key === "$KEY" ? { ...st.action, key } as Act : st.action })),
            until: t0 + HORIZON_US, invariants: [...invariants(c), inv],
          });
        },
      ),
      { numRuns: Math.max(4, Math.floor(RUNS / 2)) },
    );
  }, 3_600_000);

  // jobs/replicated/reconciler.go: "this number can never exceed MaxConcurrent, but also should
  // not result in us exceeding TotalCompletions".
  it("a replicated job never runs more than max-concurrent tasks, and ends with exactly its total completions (no faults)", () => {
    assertProperty(
      fc.property(
        simSeed(), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }),
        (seed, total, maxConcurrent, workers) => {
          const c = createSwarmCluster({ managers: 1, workers, seed, records: false });
          c.serviceCreate({ name: "batch", image: "jobrunner", mode: "replicated-job", replicas: total, maxConcurrent });
          const up = (h: string) => !!c.sim.net.up[h];
          const completed = () => [...c.store().tasks.values()].filter((t) => t.serviceName === "batch" && t.status.state === TaskState.COMPLETE).length;
          const inv: Invariant = {
            name: "running ≤ max-concurrent, completed ≤ total",
            check: () => {
              const n = executorRunning(c.state, "batch", c.executor, up);
              if (n > maxConcurrent) throw new Error(`${n} tasks running on the hosts, max-concurrent ${maxConcurrent}`);
              let active = 0;
              for (const t of c.store().tasks.values()) if (t.serviceName === "batch" && t.status.state <= TaskState.RUNNING && t.desiredState <= TaskState.COMPLETE) active++;
              if (active > maxConcurrent) throw new Error(`${active} tasks active in the store, max-concurrent ${maxConcurrent}`);
              if (completed() > total) throw new Error(`${completed()} completed of ${total}`);
            },
          };
          runChecked(c.sim, {
            until: c.now + 10 * S + total * 10 * S, invariants: [inv],
            liveness: [{ name: "every completion", boundUs: 10 * S + total * 10 * S, reached: () => completed() === total }],
          });
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);

  it("a start-first update never lets the running count drop below the replicas (no faults)", () => {
    assertProperty(
      fc.property(
        simSeed(), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }),
        (seed, replicas, parallelism, delayS) => {
          const c = createSwarmCluster({ managers: 1, workers: 3, seed, records: false });
          c.serviceCreate({ name: "web", image: "nginx:1", replicas, update: { order: "start-first", parallelism, delayUs: delayS * S } });
          c.runFor("10s");
          const up = (h: string) => !!c.sim.net.up[h];
          c.serviceUpdate("web", { image: "nginx:2" });
          const updated = () => c.running("web").filter((t) => t.spec.container.image === "nginx:2").length === replicas;
          const inv: Invariant = {
            name: "running ≥ replicas during a start-first update",
            check: () => {
              const n = executorRunning(c.state, "web", c.executor, up);
              const store = c.store().tasks;
              let storeRunning = 0;
              for (const t of store.values()) if (t.serviceName === "web" && t.status.state === TaskState.RUNNING) storeRunning++;
              if (n < replicas) throw new Error(`${n} of ${replicas} running on the hosts`);
              if (storeRunning < replicas) throw new Error(`${storeRunning} of ${replicas} running in the store`);
            },
          };
          runChecked(c.sim, {
            until: c.now + 5 * S + replicas * (delayS + 3) * S, invariants: [inv],
            liveness: [{ name: "updated", boundUs: 60 * S, reached: updated }],
          });
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);
});
