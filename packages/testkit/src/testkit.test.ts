// The testkit's own pieces: the invariants catch what they claim to (not vacuous), a failure
// carries what reproduces it, and the report prints the seed, the schedule and the app link.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replaySession } from "@drydock/kernel";
import type { SwimParams } from "@drydock/swim";
import {
  RunFailure, appLink, assertProperty, checkRaftRun, completenessBoundUs, faultSchedule, figure3, raftAppCluster, raftRun,
  runChecked, swimAccuracy, swimAct, swimCompleteness, swimRunCluster, type RaftRun,
} from "./index.js";
import { createRaftCluster } from "@drydock/raft";

const S = 1_000_000;

describe("fault schedules", () => {
  it("are sorted by time, inside the horizon, and made only of the kinds asked for", () => {
    fc.assert(fc.property(faultSchedule({ nodes: ["a", "b", "c"], horizonUs: S, kinds: ["crash", "bounce", "partition"], healWithinUs: 100_000 }), (s) => {
      for (let i = 1; i < s.length; i++) expect(s[i]!.at).toBeGreaterThanOrEqual(s[i - 1]!.at);
      for (const { at, action } of s) {
        expect(at).toBeLessThan(S);
        expect(["crash", "restart", "partition", "heal"]).toContain(action.type);
      }
      // Every split is healed within the bound (a heal undoes every split).
      let since: number | null = null;
      for (const { at, action } of s) {
        if (action.type === "partition") since ??= at;
        if (action.type === "heal") since = null;
        if (since !== null) expect(at - since).toBeLessThanOrEqual(100_000);
      }
    }));
  });
});

describe("invariants are not vacuous", () => {
  it("SWIM completeness fails when the bound is shorter than detection takes", () => {
    const c = swimRunCluster("seed-1", { size: 6, lifeguard: true, latency: "lan", reconnect: true }, { trace: false, records: false });
    expect(() => runChecked(c.sim, {
      schedule: [{ at: S, action: { type: "crash", node: "m4" } }], until: 20 * S, invariants: [swimCompleteness(() => 100_000)], act: swimAct(c),
    })).toThrow(/still sees m4 as (alive|suspect)/);
    // With the bound from the parameters it holds, and the crash was detected.
    const d = swimRunCluster("seed-1", { size: 6, lifeguard: true, latency: "lan", reconnect: true }, { trace: false, records: false });
    runChecked(d.sim, {
      schedule: [{ at: S, action: { type: "crash", node: "m4" } }], until: 60 * S,
      invariants: [swimCompleteness((n) => completenessBoundUs(d.params as SwimParams, n))], act: swimAct(d),
    });
    expect(d.members("m1").find((m) => m.member === "m4")?.status).toBe("dead");
  });

  it("SWIM accuracy fails under heavy loss (false suspicions), and holds with none", () => {
    const lossy = swimRunCluster("seed-2", { size: 6, lifeguard: false, latency: "lan", reconnect: true });
    expect(() => runChecked(lossy.sim, { schedule: [{ at: 0, action: { type: "link", loss: 0.6 } }], until: 30 * S, invariants: [swimAccuracy()] }))
      .toThrow(RunFailure);
    const clean = swimRunCluster("seed-2", { size: 6, lifeguard: false, latency: "lan", reconnect: true });
    runChecked(clean.sim, { until: 30 * S, invariants: [swimAccuracy()] });
  });

  it("Figure 3 catches two leaders in one term", () => {
    const c = createRaftCluster({ size: 3, seed: 1 });
    c.run("1s");
    const inv = figure3();
    inv.check(c.sim);
    const leader = c.leader()!;
    const other = Object.keys(c.state.servers).find((id) => id !== leader)!;
    // A forged state: another server claims leadership of the same term.
    const forged = { ...c.sim, state: { servers: { ...c.state.servers, [other]: { ...c.state.servers[other]!, raft: { ...c.state.servers[other]!.raft, role: "leader" as const, term: c.state.servers[leader]!.raft.term, votedFor: other } } } }, net: c.sim.net };
    expect(() => inv.check(forged as never)).toThrow(/Election Safety|One vote per term/);
  });
});

describe("a failure reproduces and opens in the app", () => {
  const run: RaftRun = {
    seed: "seed-7", app: { size: 3, prevote: false, checkquorum: false, timeouts: "150-300ms" },
    extra: { fastBacktrack: false, snapshotCount: 0, maxEntriesPerMessage: 64, catchUpNewServers: false },
    schedule: [{ at: 400_000, action: { type: "crash", node: "s1" } }, { at: 500_000, action: { type: "propose", value: 5 } }, { at: 900_000, action: { type: "restart", node: "s1" } }],
  };

  it("a RunFailure carries the event, the session and a link; the session replays to the same state", () => {
    const c = createRaftCluster({ ...raftAppCluster(run.seed, run.app) });
    let n = 0;
    let failure: RunFailure | null = null;
    try {
      // An invariant that breaks at the 100th event.
      runChecked(c.sim, { schedule: run.schedule, until: 2 * S, act: (a) => c.sim.act(a), invariants: [{ name: "short", check: () => { if (++n > 100) throw new Error("too long"); } }], app: { scenario: "raft", options: run.app } });
    } catch (e) {
      failure = e as RunFailure;
    }
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure!.event).toBe(c.sim.eventCount);
    expect(failure!.link).toMatch(/^\?v=1&view=raft&scenario=raft&seed=seed-7&size=3&e=\d+&actions=/);
    // The link's contents replay to the state at the failure (the app does the same: loadActions, seekEvent).
    const again = createRaftCluster({ ...raftAppCluster(run.seed, run.app) });
    again.sim.loadActions(failure!.actions as never);
    again.sim.seekEvent(failure!.event);
    expect(again.sim.stateHash()).toBe(c.sim.stateHash());
  });

  it("a run with options the app lacks says why there is no link", () => {
    expect(appLink({ scenario: "raft", options: {}, unsupported: "no fastBacktrack option" }, "s", [], 3)).toEqual({ ok: false, reason: "no fastBacktrack option" });
    expect(appLink({ scenario: "raft", options: {} }, "bad seed!", [], 3).ok).toBe(false);
  });

  it("assertProperty prints the seed, the shrunk schedule, what broke and the link", () => {
    let message = "";
    try {
      assertProperty(fc.property(raftRun({ horizonUs: S, sizes: [3], extra: false }), (r) => {
        // A deliberately wrong "invariant": no server ever reaches term 2.
        checkRaftRun(r, { horizonUs: S, cluster: {} });
        const c = createRaftCluster({ ...raftAppCluster(r.seed, r.app) });
        runChecked(c.sim, { schedule: r.schedule, until: S, act: (a) => c.sim.act(a), app: { scenario: "raft", options: r.app },
          invariants: [{ name: "term stays 1", check: (sim) => { for (const s of Object.values(c.state.servers)) if (s.raft.term > 1 && sim.now >= 0) throw new Error(`${s.raft.id} reached term ${s.raft.term}`); } }] });
      }), { seed: 42, numRuns: 50, appUrl: "http://example.test/app/" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Property failed after \d+ run\(s\)/);
    expect(message).toContain("seed: 42");
    expect(message).toContain('"schedule": [');
    expect(message).toMatch(/Broke: term stays 1 \(safety\) at event \d+/);
    expect(message).toMatch(/Open in the app, paused at that event: http:\/\/example\.test\/app\/\?v=1&view=raft&scenario=raft&seed=seed-\d+&size=3&e=\d+/);
  });
});

describe("golden scenarios (one definition for Node and the browser)", () => {
  it("give the hashes each package's golden test pins", async () => {
    const { GOLDEN_SCENARIOS, GOLDEN_HASHES } = await import("./golden.js");
    for (const [name, run] of Object.entries(GOLDEN_SCENARIOS)) expect(run().traceHash, name).toBe(GOLDEN_HASHES[name]);
  });
});
