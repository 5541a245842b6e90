// Scenarios on the kernel, each naming the rule it shows (paper sections; dissertation
// chapters for PreVote, CheckQuorum and membership changes).
import { isDrydockError } from "@drydock/kernel";
import { describe, expect, it } from "vitest";
import { keyValueMachine } from "../core/machine.js";
import { createRaftCluster, type RaftCluster } from "./cluster.js";
import { leaderChanges, raftEvents } from "./events.js";

const leaders = (c: RaftCluster) => c.nodes().filter((n) => n.up && n.role === "leader");
const terms = (c: RaftCluster) => Object.fromEntries(c.nodes().map((n) => [n.id, n.term]));

function refused(c: RaftCluster, f: () => void): string {
  const before = c.sim.stateHash();
  const actions = c.sim.actionLog.length;
  try { f(); } catch (e) {
    if (!isDrydockError(e)) throw e;
    expect(c.sim.stateHash()).toBe(before); // nothing changed
    expect(c.sim.actionLog.length).toBe(actions);
    return e.code;
  }
  return "accepted";
}

describe("elections on the kernel (§5.2)", () => {
  it("elects a leader with two of five servers down, and none with three down (§5.2: a majority)", () => {
    const c = createRaftCluster({ seed: 11 });
    c.crash("s4");
    c.crash("s5");
    c.run("2s");
    expect(leaders(c)).toHaveLength(1);
    expect(["s1", "s2", "s3"]).toContain(leaders(c)[0]!.id);
    const d = createRaftCluster({ seed: 11 });
    for (const id of ["s3", "s4", "s5"]) d.crash(id);
    d.run("3s");
    expect(leaders(d)).toHaveLength(0);
    expect(Math.max(...Object.values(terms(d)))).toBeGreaterThan(2); // candidates keep timing out
  });

  it("timeout(id) forces an election on that server now", () => {
    const c = createRaftCluster({ seed: 2 });
    c.run("1s");
    const follower = c.nodes().find((n) => n.role === "follower")!.id;
    c.timeout(follower);
    expect(c.node(follower).role).toBe("candidate");
    c.runFor("1s");
    expect(leaders(c)).toHaveLength(1);
    expect(leaderChanges(c.trace).length).toBeGreaterThanOrEqual(2);
  });

  it("only a server with an up-to-date log can win (§5.4.1), from initial logs as in Figure 7", () => {
    const c = createRaftCluster({
      size: 3, seed: 5,
      initial: { s1: { term: 3, log: [{ term: 1, value: "a" }] }, s2: { term: 3, log: [{ term: 1, value: "a" }, { term: 3, value: "b" }] }, s3: { term: 3, log: [{ term: 1, value: "a" }, { term: 3, value: "b" }] } },
    });
    expect(c.node("s2").lastTerm).toBe(3);
    c.timeout("s1");
    c.runFor("20ms");
    expect(c.node("s1").role).not.toBe("leader"); // s2 and s3 hold a later term: both refuse
    c.timeout("s2");
    c.runFor("50ms");
    expect(c.leader()).toBe("s2");
  });

  it("Figure 7 on the network: the leader of term 8 repairs all six follower logs (a)-(f) (§5.3)", () => {
    const L = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const followers = [
      [1, 1, 1, 4, 4, 5, 5, 6, 6], [1, 1, 1, 4], [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
      [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], [1, 1, 1, 4, 4, 4, 4], [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ];
    const entries = (terms: number[]) => terms.map((term, i) => ({ term, value: `${term}.${i + 1}` }));
    const initial = Object.fromEntries([L, ...followers].map((terms, i) => [`s${i + 1}`, { term: 7, log: entries(terms) }]));
    for (const fastBacktrack of [false, true]) {
      const c = createRaftCluster({ size: 7, seed: 7, initial, fastBacktrack });
      c.timeout("s1"); // a, b, e and f grant (§5.4.1); c and d hold more up-to-date logs and refuse
      c.runFor("100ms");
      expect(c.leader()).toBe("s1");
      expect(c.node("s1").term).toBe(8);
      c.runFor("1s");
      for (const n of c.nodes()) expect(n.log.map((e) => e.term)).toEqual([...L, 8]);
      expect(c.node("s4").log[10]!.value).toBeNull(); // (c)'s extra entry gave way to the no-op of term 8
    }
  });

  it("waits on deadlines, not ticks: one timer per server per timeout or heartbeat", () => {
    const c = createRaftCluster({ seed: 3 });
    c.run("1s");
    const timers = c.trace.filter((r) => r.type === "timer").length;
    expect(timers).toBeLessThan(60); // 1 ms ticks would be 5,000
  });
});

describe("PreVote and CheckQuorum (dissertation §9.6, §6.2)", () => {
  function isolateAndReturn(options: { preVote: boolean; checkQuorum: boolean }) {
    const c = createRaftCluster({ seed: 4, ...options });
    c.run("1s");
    const leader = c.leader()!;
    const term = c.node(leader).term;
    const victim = c.nodes().find((n) => n.id !== leader)!.id;
    c.isolate(victim);
    c.runFor("2s");
    const isolatedTerm = c.node(victim).term;
    c.heal();
    c.runFor("1s");
    return { c, leader, term, isolatedTerm };
  }

  it("without PreVote an isolated server raises its term and disrupts the leader when it returns", () => {
    const { c, leader, term, isolatedTerm } = isolateAndReturn({ preVote: false, checkQuorum: false });
    expect(isolatedTerm).toBeGreaterThan(term + 3);
    expect(c.node(c.leader()!).term).toBeGreaterThan(term);
    expect(raftEvents(c.trace).some((e) => e.node === leader && e.event === "became" && e.role === "follower")).toBe(true);
  });

  it("with PreVote an isolated server does not raise its term; with CheckQuorum too, the leader keeps leading", () => {
    const { c, leader, term, isolatedTerm } = isolateAndReturn({ preVote: true, checkQuorum: true });
    expect(isolatedTerm).toBe(term);
    expect(c.leader()).toBe(leader);
    expect(c.node(leader).term).toBe(term);
  });

  it("dissertation §9.6: with PreVote alone a returning server never unseats the leader, even with a log as up to date as its followers'", () => {
    // Nothing is proposed while it is away, so its log is as up to date as theirs: only the
    // followers' refusal while they hear from their leader keeps it from winning pre-votes.
    for (let seed = 0; seed < 20; seed++) {
      const c = createRaftCluster({ seed, preVote: true });
      c.run("1s");
      const leader = c.leader()!;
      const term = c.node(leader).term;
      const victim = c.nodes().find((n) => n.id !== leader)!.id;
      c.isolate(victim);
      c.runFor("2s");
      expect(c.node(victim).term).toBe(term);
      const from = c.trace.length;
      c.heal();
      c.runFor("1s");
      expect(raftEvents(c.trace, from).filter((e) => e.event === "became" || e.event === "term")).toEqual(
        raftEvents(c.trace, from).filter((e) => e.event === "became" && e.node === victim && e.role === "follower"),
      );
      expect(c.leader()).toBe(leader);
    }
  });

  it("with CheckQuorum an isolated leader steps down within an election timeout or two; without it, it stays leader", () => {
    for (const checkQuorum of [true, false]) {
      const c = createRaftCluster({ seed: 8, checkQuorum });
      c.run("1s");
      const old = c.leader()!;
      c.isolate(old);
      c.runFor("400ms");
      expect(c.node(old).role).toBe(checkQuorum ? "follower" : "leader");
      expect(leaders(c).filter((n) => n.id !== old)).toHaveLength(1);
    }
  });
});

describe("membership changes, one server at a time (dissertation §4.1-§4.2)", () => {
  it("addServer: a new, empty server catches up and joins every configuration", () => {
    const c = createRaftCluster({ size: 3, seed: 6, fastBacktrack: true });
    c.run("1s");
    for (let i = 0; i < 5; i++) c.propose(i);
    c.runFor("200ms");
    c.addServer("s4");
    c.runFor("500ms");
    const views = c.nodes();
    expect(views.map((n) => n.id)).toEqual(["s1", "s2", "s3", "s4"]);
    for (const n of views) {
      expect(n.config).toEqual(["s1", "s2", "s3", "s4"]);
      expect(n.commitIndex).toBe(views[0]!.lastIndex);
    }
    expect(c.node("s4").state).toEqual(c.node("s1").state);
  });

  it("with catchUpNewServers a new server first catches up as a learner, then joins (§4.2.1)", () => {
    const c = createRaftCluster({ size: 3, seed: 6, catchUpNewServers: true, maxEntriesPerMessage: 8 });
    c.run("1s");
    for (let i = 0; i < 60; i++) c.propose(i);
    c.runFor("300ms");
    const leader = c.leader()!;
    const before = c.node(leader).lastIndex;
    c.addServer("s4");
    expect(c.node(leader).learners).toEqual(["s4"]);
    expect(c.node(leader).lastIndex).toBe(before); // no configuration entry yet
    expect(c.node(leader).config).toEqual(["s1", "s2", "s3"]); // not yet a member: commits need 2 of 3
    expect(refused(c, () => c.addServer("s5"))).toBe("ECONFCHANGE");
    c.runFor("2s"); // without the hint, nextIndex backs up one entry per round trip
    expect(c.node(leader).learners).toEqual([]);
    for (const n of c.nodes()) expect(n.config).toEqual(["s1", "s2", "s3", "s4"]);
    // The configuration entry was appended only once s4 had the log, after all 61 entries before it.
    const joined = c.node(leader).log.findIndex((e) => e.config?.includes("s4") === true) + c.node(leader).firstIndex;
    expect(joined).toBe(62);
  });

  it("removeServer(leader): the leader steps down once its removal commits (§4.2.2); the rest elect a new one", () => {
    const c = createRaftCluster({ size: 3, seed: 9 });
    c.run("1s");
    const old = c.leader()!;
    c.removeServer(old);
    c.runFor("1s");
    const now = c.leader();
    expect(now).not.toBeNull();
    expect(now).not.toBe(old);
    expect(c.node(now!).config).not.toContain(old);
    expect(c.node(old).member).toBe(false);
  });

  it("refuses, changing nothing: no leader, a second change in flight, the last server, an unknown id", () => {
    const c = createRaftCluster({ size: 3, seed: 10 });
    expect(refused(c, () => c.addServer("s4"))).toBe("ENOLEADER");
    expect(refused(c, () => c.propose("x"))).toBe("ENOLEADER");
    c.run("1s");
    expect(refused(c, () => c.removeServer("s9"))).toBe("ENODE");
    expect(refused(c, () => c.timeout("s9"))).toBe("ENODE");
    expect(refused(c, () => c.crash("s9"))).toBe("ENODE");
    expect(refused(c, () => c.propose(null))).toBe("EPROPOSE");
    expect(refused(c, () => c.addServer("s2"))).toBe("EMEMBER");
    c.removeServer("s3");
    expect(refused(c, () => c.addServer("s4"))).toBe("ECONFCHANGE");
    c.runFor("500ms");
    c.crash(c.nodes().find((n) => n.id !== "s3" && n.role !== "leader")!.id);
    const one = createRaftCluster({ size: 1, seed: 1 });
    one.run("1s");
    expect(one.leader()).toBe("s1");
    expect(refused(one, () => one.removeServer("s1"))).toBe("ELASTSERVER");
    c.crash(c.leader()!);
    expect(refused(c, () => c.timeout(c.nodes().find((n) => !n.up)!.id))).toBe("ENODEDOWN");
  });
});

describe("log compaction (§7)", () => {
  it("keeps logs bounded, and a server that was down long catches up by InstallSnapshot", () => {
    const c = createRaftCluster({ seed: 12, snapshotCount: 5, stateMachine: keyValueMachine });
    c.run("1s");
    const down = c.nodes().find((n) => n.role === "follower")!.id;
    c.crash(down);
    for (let i = 0; i < 40; i++) {
      c.propose({ op: "set", key: `k${i % 7}`, value: i });
      c.runFor("20ms");
    }
    c.runFor("200ms");
    for (const n of c.nodes().filter((v) => v.up)) expect(n.log.length).toBeLessThanOrEqual(10);
    const sentBefore = c.trace.length;
    c.restart(down);
    c.runFor("500ms");
    const installs = c.trace.slice(sentBefore).filter((r) => r.type === "send" && r.to === down && (r.msg as { type: string }).type === "InstallSnapshot");
    expect(installs.length).toBeGreaterThanOrEqual(1);
    const leader = c.node(c.leader()!);
    expect(c.node(down).commitIndex).toBe(leader.commitIndex);
    expect(c.node(down).state).toEqual(leader.state);
    expect((leader.state as Record<string, unknown>).k4).toBe(39);
  });
});

describe("determinism and the golden trace", () => {
  function golden(): RaftCluster {
    const c = createRaftCluster({ seed: "golden", preVote: true, checkQuorum: true, fastBacktrack: true, snapshotCount: 4 });
    c.run("1s");
    for (let i = 0; i < 6; i++) { c.propose(`v${i}`); c.runFor("30ms"); }
    const l = c.leader()!;
    c.crash(l);
    c.runFor("1s");
    c.partition([["s1", "s2"], ["s3", "s4", "s5"]]);
    c.propose("after");
    c.runFor("500ms");
    c.heal();
    c.restart(l);
    c.runFor("1s");
    return c;
  }

  it("pins the trace hash of a fixed scenario (a change here is a decision: say why in the commit)", () => {
    const c = golden();
    expect(c.leader()).not.toBeNull();
    expect(new Set(c.nodes().map((n) => n.commitIndex)).size).toBe(1);
    expect(c.traceHash()).toBe("9604711708d232d8ab464e09af9d4a1339792cb5b69b77e20ec63555ed3a5d8f");
  });

  it("same seed and actions give the same trace; seeking back replays exactly", () => {
    const a = golden();
    const b = golden();
    expect(a.traceHash()).toBe(b.traceHash());
    const fresh = createRaftCluster({ seed: "golden", preVote: true, checkQuorum: true, fastBacktrack: true, snapshotCount: 4 });
    fresh.run("700ms");
    a.sim.seek("700ms");
    expect(a.sim.stateHash()).toBe(fresh.sim.stateHash());
  });
});
