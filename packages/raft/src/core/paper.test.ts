// Tests in the style of etcd's raft_paper_test.go: each sets a server up, feeds it inputs and
// checks the exact messages and state that come out, and names the section of the paper
// ("In Search of an Understandable Consensus Algorithm", extended version) it checks.
import { describe, expect, it } from "vitest";
import { lastIndex, termAt } from "./log.js";
import { createRaftState, step, type RaftInit } from "./raft.js";
import type { Entry, Outgoing, RaftMessage, RaftOptions, RaftState, StepResult } from "./types.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
const env = (now = 0, r = 0) => ({ now, random: () => r });
const log = (...terms: number[]): Entry[] => terms.map((term, i) => ({ term, value: `v${i + 1}` }));

function server(id: string, peers: readonly string[], init: Partial<Pick<RaftInit, "term" | "votedFor" | "log">> = {}, options: Partial<RaftOptions> = {}): RaftState {
  return createRaftState({ id, peers, options, ...init }, env());
}

function msg(s: RaftState, from: string, message: RaftMessage, now = 0): StepResult {
  return step(s, { type: "message", from, message }, env(now));
}

/** Campaign and win with the votes of every peer: a leader of term+1 with its no-op appended. */
function leader(s: RaftState): RaftState {
  let r = step(s, { type: "timeout" }, env());
  for (const id of r.state.config) {
    if (id === s.id || r.state.role === "leader") continue;
    r = msg(r.state, id, { type: "RequestVoteResponse", term: r.state.term, voteGranted: true });
  }
  expect(r.state.role).toBe("leader");
  return r.state;
}

/** Acknowledges every AppendEntries the leader sent, as if each follower accepted it. */
function ack(s: RaftState, out: readonly Outgoing[], only?: readonly string[]): StepResult {
  let r: StepResult = { state: s, messages: [], committed: [] };
  const committed = [];
  for (const o of out) {
    if (o.message.type !== "AppendEntries" || (only && !only.includes(o.to))) continue;
    const m = o.message;
    r = msg(r.state, o.to, { type: "AppendEntriesResponse", term: m.term, success: true, matchIndex: m.prevLogIndex + m.entries.length });
    committed.push(...r.committed);
  }
  return { ...r, committed };
}

/** A tiny network: delivers every message in FIFO order until none is left. */
function exchange(states: Record<string, RaftState>, first: readonly Outgoing[], from: string, now = 0): { states: Record<string, RaftState>; delivered: number } {
  const queue = first.map((o) => ({ from, ...o }));
  const out = { ...states };
  let delivered = 0;
  while (queue.length > 0) {
    const { from: f, to, message } = queue.shift()!;
    if (!out[to]) continue;
    const r = msg(out[to]!, f, message, now);
    out[to] = r.state;
    delivered++;
    for (const o of r.messages) queue.push({ from: to, ...o });
    if (delivered > 10_000) throw new Error("exchange did not settle");
  }
  return { states: out, delivered };
}

const terms = (s: RaftState) => s.log.toArray().map((e) => e.term);

describe("§5.1 terms", () => {
  it.each(["follower", "candidate", "leader"] as const)("a %s that sees a higher term adopts it and becomes follower (§5.1)", (role) => {
    let s = server("s1", ids(3));
    if (role === "candidate") s = step(s, { type: "timeout" }, env()).state;
    if (role === "leader") s = leader(s);
    expect(s.role).toBe(role);
    const r = msg(s, "s2", { type: "AppendEntries", term: 5, leaderId: "s2", prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 });
    expect(r.state.term).toBe(5);
    expect(r.state.role).toBe("follower");
    expect(r.state.leader).toBe("s2");
    expect(r.state.votedFor).toBeNull();
  });

  it("rejects a request with a stale term, replying with its current term (§5.1)", () => {
    const s = server("s1", ids(3), { term: 2 });
    const r = msg(s, "s2", { type: "AppendEntries", term: 1, leaderId: "s2", prevLogIndex: 0, prevLogTerm: 0, entries: log(1), leaderCommit: 1 });
    expect(r.messages).toEqual([{ to: "s2", message: { type: "AppendEntriesResponse", term: 2, success: false, matchIndex: 0, rejectedIndex: 0 } }]);
    expect(r.state.log.toArray()).toEqual([]);
    expect(r.state.leader).toBeNull();
  });
});

describe("§5.2 leader election", () => {
  it("servers start as followers (§5.2)", () => {
    expect(server("s1", ids(3)).role).toBe("follower");
  });

  it("a follower whose election timeout elapses becomes candidate, votes for itself and asks every other server (§5.2)", () => {
    const s = server("s1", ids(3), { term: 1, log: log(1) });
    expect(step(s, { type: "tick" }, env(s.electionDeadline - 1)).messages).toEqual([]);
    const r = step(s, { type: "tick" }, env(s.electionDeadline));
    expect(r.state.role).toBe("candidate");
    expect(r.state.term).toBe(2);
    expect(r.state.votedFor).toBe("s1");
    expect(r.messages).toEqual(["s2", "s3"].map((to) => ({
      to, message: { type: "RequestVote", term: 2, candidateId: "s1", lastLogIndex: 1, lastLogTerm: 1 },
    })));
    expect(r.persist).toMatchObject({ term: 2, votedFor: "s1" });
  });

  it("a candidate that times out starts a new election in the next term (§5.2)", () => {
    const c = step(server("s1", ids(3)), { type: "timeout" }, env()).state;
    const r = step(c, { type: "tick" }, env(c.electionDeadline));
    expect(r.state.role).toBe("candidate");
    expect(r.state.term).toBe(2);
  });

  it("election timeouts are drawn at random from [min, max] (§5.2)", () => {
    const o = { electionTimeoutMin: 150_000, electionTimeoutMax: 300_000 };
    const at = (x: number) => createRaftState({ id: "s1", peers: ids(3), options: o }, env(1_000, x)).electionDeadline;
    expect(at(0)).toBe(151_000);
    expect(at(0.5)).toBe(226_000);
    expect(at(0.999_999_9)).toBe(301_000);
  });

  // etcd TestLeaderElectionInOneRoundRPC: win, lose, or stay candidate after one round.
  it.each([
    [1, {}, "leader"], [3, { s2: true, s3: true }, "leader"], [3, { s2: true }, "leader"],
    [5, { s2: true, s3: true, s4: true, s5: true }, "leader"], [5, { s2: true, s3: true }, "leader"],
    [3, { s2: false, s3: false }, "follower"], [5, { s2: false, s3: false, s4: false, s5: false }, "follower"],
    [5, { s2: true, s3: false, s4: false, s5: false }, "follower"],
    [3, {}, "candidate"], [5, { s2: true }, "candidate"], [5, { s2: false, s3: false }, "candidate"],
  ] as const)("size %i, votes %j: a candidate wins with a majority and yields to a majority of refusals (§5.2)", (size, votes, want) => {
    let r = step(server("s1", ids(size)), { type: "timeout" }, env());
    for (const [id, granted] of Object.entries(votes)) r = msg(r.state, id, { type: "RequestVoteResponse", term: 1, voteGranted: granted });
    expect(r.state.role).toBe(want);
    expect(r.state.term).toBe(1);
  });

  // etcd TestFollowerVote: at most one vote per term, first come first served.
  it.each([
    [null, "s2", true], [null, "s3", true], ["s2", "s2", true], ["s3", "s3", true], ["s2", "s3", false], ["s3", "s2", false],
  ] as const)("votedFor %s, request from %s: granted %s (§5.2, Figure 2 RequestVote)", (votedFor, candidate, granted) => {
    const s = server("s1", ids(3), { term: 1, votedFor });
    const r = msg(s, candidate, { type: "RequestVote", term: 1, candidateId: candidate, lastLogIndex: 0, lastLogTerm: 0 });
    expect(r.messages).toEqual([{ to: candidate, message: { type: "RequestVoteResponse", term: 1, voteGranted: granted } }]);
    expect(r.state.votedFor).toBe(granted ? candidate : votedFor);
  });

  it.each([1, 2])("a candidate that hears AppendEntries from a leader of term >= its own (%i) returns to follower (§5.2)", (term) => {
    const c = step(server("s1", ids(3)), { type: "timeout" }, env()).state;
    const r = msg(c, "s2", { type: "AppendEntries", term, leaderId: "s2", prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 });
    expect(r.state.role).toBe("follower");
    expect(r.state.term).toBe(term);
    expect(r.state.leader).toBe("s2");
  });

  it("a leader's heartbeat is an AppendEntries to every follower at its heartbeat interval (§5.2)", () => {
    const l = leader(server("s1", ids(3)));
    expect(step(l, { type: "tick" }, env(l.heartbeatDeadline! - 1)).messages).toEqual([]);
    const beat = step(ack(l, [
      { to: "s2", message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: log(1), leaderCommit: 0 } },
      { to: "s3", message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: log(1), leaderCommit: 0 } },
    ]).state, { type: "tick" }, env(l.heartbeatDeadline!));
    expect(beat.messages).toEqual(["s2", "s3"].map((to) => ({
      to, message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 1 },
    })));
  });

  // etcd TestDuelingCandidates: two candidates in the same term split the voters; one wins.
  it("duelling candidates in one term: the first to a majority wins, the other yields (§5.2)", () => {
    const peers = ids(3);
    let states: Record<string, RaftState> = Object.fromEntries(peers.map((id) => [id, server(id, peers)]));
    const a = step(states.s1!, { type: "timeout" }, env());
    const b = step(states.s3!, { type: "timeout" }, env());
    states = { ...states, s1: a.state, s3: b.state };
    // s2 hears s1 first, so it grants s1 and refuses s3 (one vote per term).
    const out = [...a.messages.map((o) => ({ ...o, from: "s1" })), ...b.messages.map((o) => ({ ...o, from: "s3" }))];
    const queue = out.sort((x, y) => (x.to === "s2" && y.to === "s2" ? (x.from === "s1" ? -1 : 1) : 0));
    for (const o of queue) {
      const r = msg(states[o.to]!, o.from, o.message);
      states[o.to] = r.state;
      states = exchange(states, r.messages, o.to).states;
    }
    expect(peers.map((id) => states[id]!.role)).toEqual(["leader", "follower", "follower"]);
    expect(peers.map((id) => states[id]!.term)).toEqual([1, 1, 1]);
  });
});

describe("§5.3 log replication", () => {
  it("a leader appends a proposal and sends it with the preceding entry's index and term (§5.3)", () => {
    let l = leader(server("s1", ids(3)));
    l = ack(l, step(l, { type: "tick" }, env(l.heartbeatDeadline!)).messages).state;
    const r = step(l, { type: "propose", value: "x" }, env());
    expect(lastIndex(r.state)).toBe(2);
    expect(r.state.commitIndex).toBe(1);
    expect(r.persist).toMatchObject({ entriesFrom: 2, entries: [{ term: 1, value: "x" }] });
    expect(r.messages).toEqual(["s2", "s3"].map((to) => ({
      to, message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 1, prevLogTerm: 1, entries: [{ term: 1, value: "x" }], leaderCommit: 1 },
    })));
  });

  // etcd TestLeaderAcknowledgeCommit.
  it.each([
    [1, [], true], [3, [], false], [3, ["s2"], true], [3, ["s2", "s3"], true],
    [5, [], false], [5, ["s2"], false], [5, ["s2", "s3"], true], [5, ["s2", "s3", "s4", "s5"], true],
  ] as const)("size %i, accepted by %j: committed once on a majority (%s) (§5.3)", (size, acceptors, committed) => {
    const l = leader(server("s1", ids(size)));
    const r = step(l, { type: "propose", value: "x" }, env());
    const all = [...l.config.filter((id) => id !== "s1").map((to) => ({ to, message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: r.state.log.toArray(), leaderCommit: 0 } as RaftMessage }))];
    const after = ack(r.state, all, acceptors);
    expect(after.state.commitIndex === 2).toBe(committed);
    if (committed) expect([...r.committed, ...after.committed].map((e) => e.value)).toContain("x");
  });

  it("a follower learns the commit index from the next AppendEntries and applies up to it (§5.3)", () => {
    const f = server("s2", ids(3), { term: 1 });
    const r1 = msg(f, "s1", { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: log(1, 1), leaderCommit: 0 });
    expect(r1.state.commitIndex).toBe(0);
    const r2 = msg(r1.state, "s1", { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 2, prevLogTerm: 1, entries: [], leaderCommit: 1 });
    expect(r2.state.commitIndex).toBe(1);
    expect(r2.committed).toEqual([{ term: 1, value: "v1", index: 1 }]);
    // commitIndex = min(leaderCommit, index of last new entry): a heartbeat checked only to 1 commits only to 1.
    const r3 = msg(r1.state, "s1", { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 2 });
    expect(r3.state.commitIndex).toBe(1);
  });

  // etcd TestFollowerCheckMsgApp: the consistency check.
  it.each([
    [0, 0, true, undefined], [1, 1, true, undefined], [2, 2, true, undefined],
    [1, 2, false, { conflictTerm: 1, conflictIndex: 1 }], [3, 3, false, { conflictIndex: 3 }],
  ] as const)("prevLogIndex %i prevLogTerm %i: accepted %s, with the hint %j (§5.3)", (prevLogIndex, prevLogTerm, ok, hint) => {
    const f = server("s2", ids(3), { term: 2, log: log(1, 2) }, { fastBacktrack: true });
    const r = msg(f, "s1", { type: "AppendEntries", term: 2, leaderId: "s1", prevLogIndex, prevLogTerm, entries: [], leaderCommit: 0 });
    const m = r.messages[0]!.message;
    expect(m).toMatchObject(ok ? { success: true, matchIndex: prevLogIndex } : { success: false, rejectedIndex: prevLogIndex, ...hint });
  });

  // etcd TestFollowerAppendEntries: conflicting entries and all that follow them are deleted.
  it.each([
    [2, 2, [3], [1, 2, 3]],
    [1, 1, [3, 4], [1, 3, 4]],
    [0, 0, [1], [1, 2]],
    [0, 0, [3], [3]],
  ] as const)("prevLogIndex %i, entries of terms %j: log becomes %j (§5.3 Figure 2 steps 3-4)", (prevLogIndex, prevLogTerm, entryTerms, want) => {
    const f = server("s2", ids(3), { term: 4, log: log(1, 2) });
    const r = msg(f, "s1", { type: "AppendEntries", term: 4, leaderId: "s1", prevLogIndex, prevLogTerm, entries: entryTerms.map((t) => ({ term: t, value: "n" })), leaderCommit: 0 });
    expect(terms(r.state)).toEqual(want);
  });

  it("a duplicated, older AppendEntries never truncates entries that matched (§5.3)", () => {
    const f = server("s2", ids(3), { term: 1 });
    const older = { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: log(1), leaderCommit: 0 } as const;
    const r1 = msg(f, "s1", { ...older, entries: log(1, 1, 1) });
    const r2 = msg(r1.state, "s1", older);
    expect(r2.state.log).toHaveLength(3);
    expect(r2.messages[0]!.message).toMatchObject({ success: true, matchIndex: 1 });
  });

  // Figure 7: a leader of term 8 meets six followers (a)-(f) and makes every log like its own.
  const FIGURE7_LEADER = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const FIGURE7: Record<string, number[]> = {
    a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
    b: [1, 1, 1, 4],
    c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    e: [1, 1, 1, 4, 4, 4, 4],
    f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  };
  for (const fastBacktrack of [false, true]) {
    it.each(Object.keys(FIGURE7))(`Figure 7 (%s): AppendEntries is rejected, nextIndex backs up and the follower's log is repaired${fastBacktrack ? ", with the conflict hint" : ""} (§5.3)`, (name) => {
      const opts = { fastBacktrack };
      const l0 = server("s1", ["s1", "s2", "s3"], { term: 7, log: log(...FIGURE7_LEADER) }, opts);
      const follower = server("s2", ["s1", "s2", "s3"], { term: 7, log: log(...FIGURE7[name]!) }, opts);
      // Term 8: s3 votes, so the leader need not win s2 (whose log may be more up to date).
      let r = step(l0, { type: "timeout" }, env());
      r = msg(r.state, "s3", { type: "RequestVoteResponse", term: 8, voteGranted: true });
      expect(r.state.role).toBe("leader");
      const toS2 = r.messages.filter((o) => o.to === "s2");
      const { states, delivered } = exchange({ s1: r.state, s2: follower }, toS2, "s1");
      expect(terms(states.s2!)).toEqual([...FIGURE7_LEADER, 8]);
      expect(states.s1!.progress.s2).toMatchObject({ match: 11, next: 12 });
      // The hint needs fewer round trips than decrementing nextIndex one entry at a time.
      const rounds = delivered / 2;
      const slow = { a: 2, b: 7, c: 1, d: 1, e: 6, f: 8 }[name]!;
      if (fastBacktrack) expect(rounds).toBeLessThanOrEqual(Math.min(slow, 3));
      else expect(rounds).toBe(slow);
    });
  }
});

describe("§5.4 safety", () => {
  // etcd TestVoter: §5.4.1, a vote goes only to a candidate whose log is at least as up-to-date.
  it.each([
    [[1], 1, 1, true], [[1], 1, 2, true], [[1, 1], 1, 1, false],
    [[1], 2, 1, true], [[1], 2, 2, true], [[1, 1], 2, 1, true],
    [[2], 1, 1, false], [[2], 1, 2, false], [[2, 2], 1, 3, false],
  ] as const)("voter log terms %j, candidate last term %i at index %i: granted %s (§5.4.1)", (voter, lastLogTerm, lastLogIndex, granted) => {
    const s = server("s1", ids(3), { term: 2, log: log(...voter) });
    const r = msg(s, "s2", { type: "RequestVote", term: 3, candidateId: "s2", lastLogIndex, lastLogTerm });
    expect(r.messages).toEqual([{ to: "s2", message: { type: "RequestVoteResponse", term: 3, voteGranted: granted } }]);
  });

  // Figure 8 (c): S1, leader of term 4, has replicated index 2 (term 2) to a majority.
  const figure8 = () => {
    const peers = ids(5);
    const s1 = server("s1", peers, { term: 3, log: log(1, 2) });
    let r = step(s1, { type: "timeout" }, env());
    for (const id of ["s2", "s3", "s4"]) r = msg(r.state, id, { type: "RequestVoteResponse", term: 4, voteGranted: true });
    expect(r.state.role).toBe("leader");
    expect(terms(r.state)).toEqual([1, 2, 4]); // index 3 is the no-op of term 4 (§8)
    return r.state;
  };

  it("Figure 8: a leader never commits an entry of an earlier term by counting replicas (§5.4.2)", () => {
    let l = figure8();
    // S2 and S3 now hold index 2 (term 2): with S1 that is 3 of 5 servers, yet nothing commits.
    for (const id of ["s2", "s3"]) l = msg(l, id, { type: "AppendEntriesResponse", term: 4, success: true, matchIndex: 2 }).state;
    expect(l.commitIndex).toBe(0);
    // Once an entry of its own term (index 3) is on a majority, it and everything before it commit.
    l = msg(l, "s2", { type: "AppendEntriesResponse", term: 4, success: true, matchIndex: 3 }).state;
    expect(l.commitIndex).toBe(0);
    const r = msg(l, "s3", { type: "AppendEntriesResponse", term: 4, success: true, matchIndex: 3 });
    expect(r.state.commitIndex).toBe(3);
    expect(r.committed.map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it("Figure 8 (d): why — S5 can still win term 5 and overwrite index 2 on the servers that held it (§5.4.2)", () => {
    const peers = ids(5);
    // S5 holds index 2 from term 3; S2-S4 hold term 2's index 2 (or nothing) and vote for it.
    const s5 = server("s5", peers, { term: 4, log: log(1, 3) });
    let r = step(s5, { type: "timeout" }, env());
    const requests = r.messages;
    const sent: Outgoing[] = [];
    for (const [id, voter] of [["s2", log(1, 2)], ["s3", log(1, 2)], ["s4", log(1)]] as const) {
      const v = msg(server(id, peers, { term: 4, log: [...voter] }), "s5", requests.find((o) => o.to === id)!.message);
      expect(v.messages[0]!.message).toMatchObject({ voteGranted: true });
      r = msg(r.state, id, v.messages[0]!.message);
      sent.push(...r.messages);
    }
    expect(r.state.role).toBe("leader");
    const s3 = exchange({ s5: r.state, s3: server("s3", peers, { term: 5, log: log(1, 2) }) }, sent.filter((o) => o.to === "s3"), "s5").states.s3!;
    expect(terms(s3)).toEqual([1, 3, 5]);
    expect(termAt(s3, 2)).toBe(3);
  });
});

describe("PreVote (dissertation §9.6)", () => {
  it("a pre-candidate asks for votes in term+1 without raising its own term", () => {
    const s = server("s1", ids(3), { term: 3 }, { preVote: true });
    const r = step(s, { type: "tick" }, env(s.electionDeadline));
    expect(r.state.role).toBe("precandidate");
    expect(r.state.term).toBe(3);
    expect(r.state.votedFor).toBeNull();
    expect(r.messages[0]!.message).toEqual({ type: "RequestVote", term: 4, candidateId: "s1", lastLogIndex: 0, lastLogTerm: 0, preVote: true });
    expect(r.persist).toBeUndefined();
  });

  it("a pre-vote request leaves the receiver's term and vote untouched", () => {
    const s = server("s2", ids(3), { term: 3 }, { preVote: true });
    const r = msg(s, "s1", { type: "RequestVote", term: 4, candidateId: "s1", lastLogIndex: 0, lastLogTerm: 0, preVote: true });
    expect(r.state.term).toBe(3);
    expect(r.state.votedFor).toBeNull();
    expect(r.messages[0]!.message).toEqual({ type: "RequestVoteResponse", term: 4, voteGranted: true, preVote: true });
  });

  it("with a majority of pre-votes the pre-candidate becomes a candidate of term+1", () => {
    let r = step(server("s1", ids(3), { term: 3 }, { preVote: true }), { type: "timeout" }, env());
    r = msg(r.state, "s2", { type: "RequestVoteResponse", term: 4, voteGranted: true, preVote: true });
    expect(r.state.role).toBe("candidate");
    expect(r.state.term).toBe(4);
  });
});

describe("CheckQuorum (dissertation §6.2)", () => {
  it("a leader that heard from no majority during an election timeout steps down", () => {
    const l = leader(server("s1", ids(3), {}, { checkQuorum: true }));
    const r = step(l, { type: "tick" }, env(l.electionDeadline));
    expect(r.state.role).toBe("follower");
    expect(r.state.term).toBe(1);
  });

  it("a follower that heard from its leader within the minimum election timeout ignores a vote request", () => {
    const f = msg(server("s2", ids(3), { term: 1 }, { checkQuorum: true }), "s1", { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 }, 1_000).state;
    const r = msg(f, "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 }, 100_000);
    expect(r.messages).toEqual([]);
    expect(r.state.term).toBe(1);
    const later = msg(f, "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 }, 200_000);
    expect(later.state.term).toBe(2);
  });
});

describe("membership changes (dissertation §4.1-§4.2)", () => {
  it("a configuration entry takes effect when appended, before it commits (§4.1)", () => {
    const f = server("s2", ids(3), { term: 1 });
    const r = msg(f, "s1", { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: [{ term: 1, value: { addServer: "s4" }, config: ["s1", "s2", "s3", "s4"] }], leaderCommit: 0 });
    expect(r.state.config).toEqual(["s1", "s2", "s3", "s4"]);
    // ...and is undone if a later leader truncates the entry.
    const t = msg(r.state, "s3", { type: "AppendEntries", term: 2, leaderId: "s3", prevLogIndex: 0, prevLogTerm: 0, entries: log(2), leaderCommit: 0 });
    expect(t.state.config).toEqual(ids(3));
  });

  it("a leader takes one change at a time, only after committing an entry of its term (§4.1 and its bug fix)", () => {
    const l = leader(server("s1", ids(3)));
    expect(step(l, { type: "addServer", id: "s4" }, env()).rejected).toBe("the leader has not yet committed an entry in its term");
    const ready = ack(l, [{ to: "s2", message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: l.log.toArray(), leaderCommit: 0 } }]).state;
    const r = step(ready, { type: "addServer", id: "s4" }, env());
    expect(r.state.config).toEqual(["s1", "s2", "s3", "s4"]);
    expect(r.messages.some((o) => o.to === "s4")).toBe(true);
    expect(step(r.state, { type: "removeServer", id: "s2" }, env()).rejected).toBe("a configuration change is already in progress");
  });

  it("with catchUpNewServers a new server is a learner until it has caught up, then joins (§4.2.1)", () => {
    let l = leader(server("s1", ids(3), {}, { catchUpNewServers: true }));
    l = ack(l, [{ to: "s2", message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 0, prevLogTerm: 0, entries: l.log.toArray(), leaderCommit: 0 } }]).state;
    const r = step(l, { type: "addServer", id: "s4" }, env());
    expect(r.state.config).toEqual(ids(3));
    expect(r.state.progress.s4).toMatchObject({ next: 2, match: 0, learnerSince: 0 });
    expect(r.messages).toEqual([{ to: "s4", message: { type: "AppendEntries", term: 1, leaderId: "s1", prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 1 } }]);
    const joined = msg(r.state, "s4", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 1 });
    expect(joined.state.config).toEqual(["s1", "s2", "s3", "s4"]);
    expect(joined.state.log.at(1)).toEqual({ term: 1, value: { addServer: "s4" }, config: ["s1", "s2", "s3", "s4"] });
    expect(joined.state.progress.s4!.learnerSince).toBeUndefined();
    // A learner that never catches up is dropped after ten election timeouts.
    const stalled = step(r.state, { type: "tick" }, env(r.state.heartbeatDeadline! + 10 * 300_000));
    expect(stalled.state.progress.s4).toBeUndefined();
  });

  it("a server whose removal has not committed still stands for election, without counting its own vote (§4.2.2)", () => {
    const s = server("s1", ["s1", "s2"], { term: 1, log: [{ term: 1, value: null }, { term: 1, value: { removeServer: "s1" }, config: ["s2"] }] });
    const r = step(s, { type: "tick" }, env(s.electionDeadline));
    expect(r.state.role).toBe("candidate");
    expect(r.messages.map((o) => o.to)).toEqual(["s2"]);
    const won = msg(r.state, "s2", { type: "RequestVoteResponse", term: 2, voteGranted: true });
    expect(won.state.role).toBe("leader");
    // Once its removal commits (s2 alone is the majority of ["s2"]), it steps down for good.
    const done = msg(won.state, "s2", { type: "AppendEntriesResponse", term: 2, success: true, matchIndex: 3 });
    expect(done.state.commitIndex).toBe(3);
    expect(done.state.role).toBe("follower");
    expect(step(done.state, { type: "tick" }, env(done.state.electionDeadline)).state.role).toBe("follower");
  });
});
