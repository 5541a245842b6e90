// Raft and SWIM composed on the same hosts (issue #9): each runs unchanged as a daemon, a crash
// reaches both, and the composed run is deterministic and seekable.
import { describe, expect, it } from "vitest";
import { composeModels, createSimulation, replaySession, type DaemonMessage, type DaemonRecord, type TraceRecord } from "@drydock/kernel";
import { RaftCluster, currentLeader } from "@drydock/raft";
import { resolveSwimParams, swimMembers, swimModel } from "@drydock/swim";

const nodes = ["s1", "s2", "s3", "s4", "s5"];
// The Raft cluster's own model (default options) and SWIM's, on the same five hosts.
const raft = new RaftCluster({ size: 5 }).sim.model;
const swim = swimModel({ params: resolveSwimParams({}) });
const config = () => ({
  seed: "compose", nodes, model: composeModels({ raft, swim }),
  network: { latency: ["1ms", "5ms"] as const, reorder: true }, snapshotEvery: "500ms",
});

/** A composed trace record as the daemon alone would have written it. */
function unwrap(r: TraceRecord): TraceRecord {
  const strip = (name: string) => name.slice(name.indexOf("/") + 1);
  switch (r.type) {
    case "send": return { ...r, msg: (r.msg as DaemonMessage).body };
    case "timer": return { ...r, name: strip(r.name) };
    case "state": return r.node === null ? r : { ...r, data: (r.data as DaemonRecord).data };
    default: return r;
  }
}

describe("Raft and SWIM composed on the same hosts", () => {
  it.each([["raft", raft], ["swim", swim]] as const)("%s composed alone behaves exactly as alone", (name, model) => {
    const base = { seed: 3, nodes, network: { latency: ["1ms", "5ms"] as const } };
    const alone = createSimulation({ ...base, model: model as never });
    const composed = createSimulation({ ...base, model: composeModels({ [name]: model }) });
    for (const sim of [alone, composed]) {
      sim.runUntil("2s");
      sim.act({ type: "crash", node: "s1" });
      sim.runUntil("4s");
      sim.act({ type: "restart", node: "s1" });
      sim.runUntil("6s");
    }
    expect(alone.trace.length).toBeGreaterThan(300);
    expect(composed.trace.map(unwrap)).toEqual(alone.trace);
  });

  it("both protocols work: Raft elects a leader and commits, SWIM declares a crashed member dead", () => {
    const sim = createSimulation(config());
    sim.runUntil("2s");
    const leader = currentLeader(sim.state.raft, sim.net);
    expect(leader).not.toBeNull();
    sim.act({ type: "raft/propose", value: 1 });
    sim.runUntil("3s");
    expect(Object.values(sim.state.raft.servers).every((s) => s.raft.commitIndex >= 2)).toBe(true);
    const victim = nodes.find((n) => n !== leader)!;
    sim.act({ type: "crash", node: victim });
    sim.runUntil("30s");
    const observer = nodes.find((n) => n !== victim)!;
    expect(swimMembers(sim.state.swim, observer).find((m) => m.member === victim)?.status).toBe("dead");
    // Each daemon's messages reached its own protocol: both kinds were delivered.
    const sent = new Set(sim.trace.flatMap((r) => (r.type === "send" ? [(r.msg as DaemonMessage).daemon] : [])));
    expect(sent).toEqual(new Set(["raft", "swim"]));
  });

  it("a crash reaches both daemons on the host", () => {
    const sim = createSimulation(config());
    sim.runUntil("2s");
    const from = sim.trace.length;
    sim.act({ type: "crash", node: "s3" });
    const records = sim.trace.slice(from).flatMap((r: TraceRecord) => (r.type === "state" ? [r.data as DaemonRecord] : []));
    expect(records).toContainEqual({ daemon: "swim", data: { event: "crash" } });
    // Raft's crash drops the volatile state: the server has no pending timer until restart.
    expect(sim.state.raft.servers.s3!.timerAt).toBeNull();
  });

  it("is deterministic: same seed, same trace; seek equals a fresh replay", () => {
    const run = () => {
      const sim = createSimulation(config());
      sim.runUntil("1.5s");
      sim.act({ type: "crash", node: "s2" });
      sim.runUntil("3s");
      sim.act({ type: "restart", node: "s2" });
      sim.runUntil("5s");
      return sim;
    };
    const a = run();
    const b = run();
    expect(a.traceHash()).toBe(b.traceHash());
    a.seek("2.2s");
    const fresh = replaySession(config(), JSON.parse(JSON.stringify(b.session())), "2.2s");
    expect(a.stateHash()).toBe(fresh.stateHash());
    a.seek("5s");
    expect(a.stateHash()).toBe(b.stateHash());
  });
});
