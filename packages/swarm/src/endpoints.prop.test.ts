// The gossiped endpoint tables (networkdb over SWIM, daemon/gossip.ts) under generated fault
// schedules: crashes, bounces, partitions, cut links, isolation, loss and delay of any host, with
// scaling and image updates mixed in. Once the faults stop (every host up, the network whole),
// every live node's table converges to the endpoints of the tasks the agents run, within a bound
// derived below, counted from the last change of what runs (the swarm itself may still be
// rescheduling; its own bound is swarm.prop.test.ts's).
import fc from "fast-check";
import { describe, it } from "vitest";
import { assertProperty, faultSchedule, runChecked, simSeed, stopFaults, RunFailure, type Step } from "@drydock/testkit";
import { LAN_DEFAULTS } from "@drydock/swim";
import { createSwarmCluster, type SwarmCluster, type SwarmWorldAction } from "./cluster.js";
import { gossipRunning } from "./daemon/gossip.js";
import { NETWORKDB_GOSSIP } from "./daemon/model.js";
import { TaskState } from "./types.js";

const S = 1_000_000;
const MANAGERS = ["manager1", "manager2", "manager3"];
const WORKERS = ["worker1", "worker2", "worker3"];
const HOSTS = [...MANAGERS, ...WORKERS];
const HORIZON_US = 60 * S;

/**
 * The bound, from memberlist's LAN defaults (packages/swim core/params.ts) for 6 members, once
 * nothing changes: a publish is piggybacked retransmitLimit = 4 × ceil(log10 7) = 4 times and
 * gossiped to 3 members every 200 ms, which reaches everyone in about a second when no message is
 * lost; the guarantee is push-pull anti-entropy (every 30 s, with a random member). Members one
 * side of a partition declared dead learn it through gossip to the dead (30 s) or a push-pull and
 * refute it; until then their entries stay hidden (nodemgmt.go). Suspicion before "dead" of a host
 * that stops answering lasts at most suspicionMult × ceil(log10 n) × probeInterval × 6 = 24 s.
 * Three push-pull periods (90 s) cover the anti-entropy of a 6-node cluster with room for a
 * refutation; the bound is 90 s of virtual time.
 */
const BOUND_US = 3 * LAN_DEFAULTS.pushPullIntervalUs;
const RUNS = Number(process.env.SWARM_PROP_RUNS ?? 10);
let slowestUs = 0;

const act = (a: Record<string, unknown>): SwarmWorldAction => a as unknown as SwarmWorldAction;

function workload(): fc.Arbitrary<Step<SwarmWorldAction>> {
  const manager = fc.constantFrom(...MANAGERS);
  const one = (a: SwarmWorldAction): Step<SwarmWorldAction> => [[0, a]];
  return fc.oneof(
    fc.tuple(manager, fc.integer({ min: 0, max: 6 })).map(([host, replicas]) => one(act({ type: "swarm/serviceScale", host, service: "api", replicas }))),
    fc.tuple(manager, fc.integer({ min: 2, max: 9 })).map(([host, v]) => one(act({ type: "swarm/serviceUpdate", host, service: "api", update: { image: `node:1${v}` } }))),
  );
}

function setup(seed: string): SwarmCluster {
  // networkdb's gossip: with its reconnect, the two sides of a healed partition find each other again.
  const c = createSwarmCluster({ managers: 3, workers: 3, seed, records: false, gossip: NETWORKDB_GOSSIP });
  c.networkCreate("backend");
  c.serviceCreate({ name: "api", image: "node:10", replicas: 3, networks: ["backend"] });
  c.serviceCreate({ name: "mon", image: "exporter:1", mode: "global", networks: ["backend"] });
  c.runFor("10s");
  return c;
}

/** Each endpoint the agents of live hosts run, as "task id@node network ip" (what every live node's table should hold). */
function running(c: SwarmCluster): string[] {
  const out: string[] = [];
  for (const h of HOSTS) {
    const a = c.state.hosts.get(h)!.agent;
    if (!c.sim.net.up[h] || !a) continue;
    for (const t of a.tasks.values()) {
      if (t.status.state !== TaskState.RUNNING) continue;
      for (const n of t.task.networks) if (n.addresses.length > 0) out.push(`${t.task.id}@${h} ${n.networkId} ${n.addresses[0]!.split("/")[0]}`);
    }
  }
  return out.sort();
}

function mismatch(c: SwarmCluster, want: readonly string[]): string | null {
  for (const h of HOSTS) {
    if (!c.sim.net.up[h] || !gossipRunning(c.state.gossip, h)) continue;
    const got = c.endpoints(h).map((e) => `${e.taskId}@${e.node} ${e.network} ${e.ip}`).sort();
    if (got.join("\n") !== want.join("\n")) return `${h}'s table: ${got.join(", ")}; the agents run: ${want.join(", ")}`;
  }
  return null;
}

describe("the gossiped endpoint tables under faults", () => {
  it("once faults stop, every live node's table holds the running tasks' endpoints within 90 s of the last change", () => {
    assertProperty(
      fc.property(
        simSeed(),
        faultSchedule<SwarmWorldAction>({
          nodes: HOSTS, horizonUs: HORIZON_US, stepsMax: 8, workload: workload(),
          kinds: ["crash", "restart", "bounce", "partition", "isolate", "cut", "heal", "loss", "delay"],
          bounceMaxUs: 20 * S, healWithinUs: 30 * S, probabilityMax: 0.2, latencyMaxUs: 50_000,
        }),
        (seed, schedule) => {
          const c = setup(seed);
          const t0 = c.now;
          const link = c.sim.net.link;
          runChecked(c.sim, { schedule: schedule.map((s) => ({ at: t0 + s.at, action: s.action })), until: t0 + HORIZON_US });
          stopFaults(c.sim, link);
          // The liveness phase by hand: the bound runs from the later of the faults' end and the last change of what runs.
          let want = running(c);
          let since = c.now;
          const cap = c.now + 150 * S + BOUND_US;
          for (;;) {
            const now = running(c);
            if (now.join("\n") !== want.join("\n")) { want = now; since = c.now; }
            const bad = mismatch(c, want);
            if (bad === null) break;
            if (c.now - since > BOUND_US || c.now > cap) {
              const s = c.sim.session();
              throw new RunFailure("liveness", "endpoint tables converge", `${bad} (${(c.now - since) / S} s after the last change)`, c.sim.eventCount, c.now, s.seed, s.actions, null, "");
            }
            c.sim.step();
          }
          slowestUs = Math.max(slowestUs, c.now - since);
        },
      ),
      { numRuns: RUNS },
    );
    if (process.env.SWARM_PROP_RUNS) console.log(`slowest table convergence over ${RUNS} runs: ${slowestUs / S} s`);
  }, 3_600_000);
});
