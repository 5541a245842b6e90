// More rules, one test each, in the style of paper.test.ts (etcd's raft_paper_test.go): terms
// of replies, persistence across a crash, timers, PreVote's terms, the CheckQuorum lease, the
// leader's view of its followers, commitIndex on followers, snapshots and membership. Each
// names its source: the paper (extended version), Ongaro's dissertation, or etcd-io/raft.
import { describe, expect, it } from "vitest";
import { crash, createRaftState, restart, step, type RaftInit } from "./raft.js";
import type { Entry, Env, RaftMessage, RaftOptions, RaftState, StepResult } from "./types.js";
import { copyState } from "./work.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${i + 1}`);
const env = (now = 0, r = 0): Env => ({ now, random: () => r });
const log = (...terms: number[]): Entry[] => terms.map((term, i) => ({ term, value: `v${i + 1}` }));
const MIN = 150_000;
const RANGE = 150_001; // [150 ms, 300 ms] inclusive, in µs

function server(id: string, peers: readonly string[], init: Partial<Pick<RaftInit, "term" | "votedFor" | "log">> = {}, options: Partial<RaftOptions> = {}): RaftState {
  return createRaftState({ id, peers, options, ...init }, env());
}

function msg(s: RaftState, from: string, message: RaftMessage, now = 0, r = 0): StepResult {
  return step(s, { type: "message", from, message }, env(now, r));
}

const vote = (term: number, voteGranted = true, preVote = false): RaftMessage =>
  preVote ? { type: "RequestVoteResponse", term, voteGranted, preVote: true } : { type: "RequestVoteResponse", term, voteGranted };

const append = (term: number, prevLogIndex: number, prevLogTerm: number, entries: Entry[], leaderCommit: number, leaderId = "s1"): RaftMessage =>
  ({ type: "AppendEntries", term, leaderId, prevLogIndex, prevLogTerm, entries, leaderCommit });

/** s1 campaigns from `init` and wins with s2's vote (3 servers): a leader of term+1, its no-op appended. */
function leader(init: Partial<Pick<RaftInit, "term" | "votedFor" | "log">> = {}, options: Partial<RaftOptions> = {}, peers = ids(3)): RaftState {
  let r = step(server("s1", peers, init, options), { type: "timeout" }, env());
  for (const id of peers.slice(1)) if (r.state.role !== "leader") r = msg(r.state, id, vote(r.state.term));
  expect(r.state.role).toBe("leader");
  return r.state;
}

describe("§5.1: a message of an older term is stale", () => {
  it("Raft §5.1: a leader ignores an AppendEntries reply of an older term (no progress, no commit)", () => {
    const l = leader({ term: 1 });
    const r = msg(l, "s2", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 1 });
    expect(r.state.progress).toBe(l.progress);
    expect(r.state.commitIndex).toBe(0);
    expect(r.messages).toEqual([]);
  });

  it("Raft §5.1: a candidate does not count a vote granted in an older term", () => {
    let r = step(server("s1", ids(3), { term: 2 }), { type: "timeout" }, env());
    r = msg(r.state, "s2", vote(2));
    expect(r.state.role).toBe("candidate");
    r = msg(r.state, "s2", vote(3));
    expect(r.state.role).toBe("leader");
  });

  it("etcd raft (poll): a vote the network duplicated counts once", () => {
    let r = step(server("s1", ids(5)), { type: "timeout" }, env());
    r = msg(msg(r.state, "s2", vote(1)).state, "s2", vote(1));
    expect(r.state.role).toBe("candidate");
    expect(msg(r.state, "s3", vote(1)).state.role).toBe("leader");
  });

  it("Raft §5.1: a candidate replies to a stale candidate's RequestVote with its own term, refusing", () => {
    const s = server("s1", ids(3), { term: 4 });
    const r = msg(s, "s2", { type: "RequestVote", term: 3, candidateId: "s2", lastLogIndex: 9, lastLogTerm: 3 });
    expect(r.messages).toEqual([{ to: "s2", message: vote(4, false) }]);
    expect(r.state.votedFor).toBeNull();
  });
});

describe("Figure 2: persistent state survives a crash", () => {
  it("Raft Figure 2: votedFor is persistent, so a restarted server refuses a second candidate in the same term", () => {
    const s = server("s1", ids(3), { term: 1 });
    const granted = msg(s, "s2", { type: "RequestVote", term: 2, candidateId: "s2", lastLogIndex: 0, lastLogTerm: 0 });
    expect(granted.messages[0]!.message).toEqual(vote(2));
    expect(granted.persist).toEqual({ term: 2, votedFor: "s2" }); // durable before the reply goes out
    const back = restart(crash(granted.state), env(1_000));
    expect(back.votedFor).toBe("s2");
    const rival = msg(back, "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 });
    expect(rival.messages[0]!.message).toEqual(vote(2, false));
    // The same candidate asking again (its request duplicated) gets the same answer.
    expect(msg(back, "s2", { type: "RequestVote", term: 2, candidateId: "s2", lastLogIndex: 0, lastLogTerm: 0 }).messages[0]!.message).toEqual(vote(2));
  });

  it("Raft Figure 2: currentTerm and the log survive a crash; role, leader and commitIndex are volatile", () => {
    const l = leader({ term: 1 });
    const committed = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: true, matchIndex: 1 }).state;
    expect(committed.commitIndex).toBe(1);
    const back = restart(crash(committed), env(5_000));
    expect(back).toMatchObject({ term: 2, votedFor: "s1", log: committed.log, role: "follower", leader: null, commitIndex: 0, lastApplied: 0 });
    expect(back.progress).toEqual({});
  });
});

describe("§5.2: candidates and election timers", () => {
  it("Raft §5.2: a candidate that receives InstallSnapshot from a leader of its term returns to follower", () => {
    const c = step(server("s1", ids(3), { term: 1 }), { type: "timeout" }, env()).state;
    const r = msg(c, "s2", { type: "InstallSnapshot", term: 2, leaderId: "s2", lastIncludedIndex: 3, lastIncludedTerm: 1, config: ids(3), data: "d" });
    expect(r.state).toMatchObject({ role: "follower", term: 2, leader: "s2", commitIndex: 3 });
  });

  it("Raft §5.2: a leader refuses a RequestVote of its own term (it voted for itself)", () => {
    const l = leader({ term: 1 });
    const r = msg(l, "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 5, lastLogTerm: 2 });
    expect(r.messages).toEqual([{ to: "s3", message: vote(2, false) }]);
    expect(r.state.role).toBe("leader");
  });

  it("Raft §5.2: granting a vote redraws the election timeout; refusing one leaves the timer alone", () => {
    const s = server("s1", ids(3), { term: 1, log: log(1) });
    const granted = msg(s, "s2", { type: "RequestVote", term: 2, candidateId: "s2", lastLogIndex: 1, lastLogTerm: 1 }, 10_000, 0.5);
    expect(granted.state.electionDeadline).toBe(10_000 + MIN + Math.floor(0.5 * RANGE));
    // s3's log is behind (§5.4.1): refused, and the term is adopted (§5.1) but the timer keeps running.
    const refused = msg(s, "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 }, 10_000, 0.5);
    expect(refused.state.term).toBe(2);
    expect(refused.state.electionDeadline).toBe(s.electionDeadline);
  });

  it("Raft §5.2: every AppendEntries from the leader restarts the timer with a fresh random draw", () => {
    const f = server("s2", ids(3), { term: 1 });
    const draws = [0.1, 0.9, 0.4];
    let now = 0;
    let s = f;
    for (const r of draws) {
      now += 50_000;
      s = msg(s, "s1", append(1, 0, 0, [], 0), now, r).state;
      expect(s.electionDeadline).toBe(now + MIN + Math.floor(r * RANGE));
    }
  });

  it("Raft §5.2: a candidate whose election fails starts the next with a fresh random timeout", () => {
    const c = step(server("s1", ids(3)), { type: "timeout" }, env(0, 0.2)).state;
    expect(c.electionDeadline).toBe(MIN + Math.floor(0.2 * RANGE));
    const next = step(c, { type: "tick" }, env(c.electionDeadline, 0.7)).state;
    expect(next).toMatchObject({ role: "candidate", term: 2 });
    expect(next.electionDeadline).toBe(c.electionDeadline + MIN + Math.floor(0.7 * RANGE));
  });

  it("Raft §5.2 with PreVote (etcd raft: becomeCandidate resets the timer): the election proper starts with a fresh random timeout", () => {
    const pre = step(server("s1", ids(3), {}, { preVote: true }), { type: "timeout" }, env(0, 0)).state;
    expect(pre.role).toBe("precandidate");
    // The pre-votes come back late in the pre-candidate's timeout; the candidate still gets a whole one.
    const c = msg(pre, "s2", vote(1, true, true), 140_000, 0.6).state;
    expect(c).toMatchObject({ role: "candidate", term: 1 });
    expect(c.electionDeadline).toBe(140_000 + MIN + Math.floor(0.6 * RANGE));
  });
});

describe("PreVote (dissertation §9.6; etcd raft's handling of its terms)", () => {
  it("etcd raft: a granted pre-vote carries term+1 and raises nobody's term (5 servers: one grant is not enough)", () => {
    const pre = step(server("s1", ids(5), { term: 3 }, { preVote: true }), { type: "timeout" }, env()).state;
    const r = msg(pre, "s2", vote(4, true, true));
    expect(r.state).toMatchObject({ role: "precandidate", term: 3, votedFor: null });
    expect(r.persist).toBeUndefined();
  });

  it("etcd raft: a pre-vote refused by a server of a higher term makes the pre-candidate a follower of that term", () => {
    const pre = step(server("s1", ids(5), { term: 3 }, { preVote: true }), { type: "timeout" }, env()).state;
    const r = msg(pre, "s2", vote(7, false, true));
    expect(r.state).toMatchObject({ role: "follower", term: 7, votedFor: null });
    expect(r.persist).toEqual({ term: 7, votedFor: null });
  });

  it("etcd raft: a pre-vote request of a lower term is refused with the receiver's term, so the sender learns it", () => {
    const s = server("s2", ids(3), { term: 5 }, { preVote: true });
    const r = msg(s, "s1", { type: "RequestVote", term: 3, candidateId: "s1", lastLogIndex: 0, lastLogTerm: 0, preVote: true });
    expect(r.messages).toEqual([{ to: "s1", message: vote(5, false, true) }]);
    expect(r.state.term).toBe(5);
  });

  it("dissertation §9.6: a pre-vote is refused to a server whose log is behind (§5.4.1)", () => {
    const s = server("s2", ids(3), { term: 2, log: log(1, 2) }, { preVote: true });
    const r = msg(s, "s1", { type: "RequestVote", term: 3, candidateId: "s1", lastLogIndex: 5, lastLogTerm: 1, preVote: true });
    expect(r.messages).toEqual([{ to: "s1", message: vote(2, false, true) }]);
  });

  it("etcd raft: a pre-vote for a future term is granted after a real vote in this one, and changes neither vote nor timer", () => {
    const s = server("s2", ids(3), { term: 2, votedFor: "s3" }, { preVote: true });
    const r = msg(s, "s1", { type: "RequestVote", term: 3, candidateId: "s1", lastLogIndex: 0, lastLogTerm: 0, preVote: true }, 50_000, 0.9);
    expect(r.messages).toEqual([{ to: "s1", message: vote(3, true, true) }]);
    expect(r.state).toMatchObject({ term: 2, votedFor: "s3", electionDeadline: s.electionDeadline });
    expect(r.persist).toBeUndefined();
  });

  it("dissertation §9.6: a server that heard from its leader within the minimum election timeout refuses a pre-vote (PreVote alone)", () => {
    const f = msg(server("s2", ids(3), { term: 1 }, { preVote: true }), "s1", append(1, 0, 0, [], 0), 1_000).state;
    const ask = { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0, preVote: true } as const;
    expect(msg(f, "s3", ask, 1_000 + MIN - 1).messages).toEqual([{ to: "s3", message: vote(1, false, true) }]);
    expect(msg(f, "s3", ask, 1_000 + MIN).messages).toEqual([{ to: "s3", message: vote(2, true, true) }]);
    // A leader knows there is a leader: it refuses too.
    const l0 = leader({ term: 1 });
    const l: RaftState = { ...l0, options: { ...l0.options, preVote: true } };
    expect(msg(l, "s3", { ...ask, term: 3 }, 10_000_000).messages).toEqual([{ to: "s3", message: vote(2, false, true) }]);
  });

  it("dissertation §9.6: a pre-vote granted for an earlier round (for the current term, not term+1) is not counted", () => {
    // s1 pre-campaigned at term 2 (asking for 3); s2's grant for term 3 arrives after s1 reached
    // term 3 and pre-campaigns again, for term 4. That grant says nothing about term 4.
    const pre = step(server("s1", ids(3), { term: 3 }, { preVote: true }), { type: "timeout" }, env()).state;
    const stale = msg(pre, "s2", vote(3, true, true));
    expect(stale.state).toMatchObject({ role: "precandidate", term: 3 });
    expect(msg(stale.state, "s2", vote(4, true, true)).state).toMatchObject({ role: "candidate", term: 4 });
  });
});

describe("CheckQuorum lease (dissertation §4.2.3, §6.2; etcd raft's inLease)", () => {
  const heard = (options: Partial<RaftOptions>) =>
    msg(server("s2", ids(3), { term: 1 }, options), "s1", append(1, 0, 0, [], 0), 1_000).state;

  it("etcd raft: a leader under CheckQuorum ignores a RequestVote of a higher term", () => {
    const l = leader({ term: 1 }, { checkQuorum: true });
    const r = msg(l, "s3", { type: "RequestVote", term: 9, candidateId: "s3", lastLogIndex: 9, lastLogTerm: 9 }, 10_000);
    expect(r.messages).toEqual([]);
    expect(r.state).toMatchObject({ role: "leader", term: 2 });
  });

  it("etcd raft: within the lease a pre-vote request is ignored as well", () => {
    const r = msg(heard({ checkQuorum: true, preVote: true }), "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0, preVote: true }, 100_000);
    expect(r.messages).toEqual([]);
  });

  it("etcd raft: the lease is the minimum election timeout since the leader was last heard", () => {
    const f = heard({ checkQuorum: true });
    const rv = { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 } as const;
    expect(msg(f, "s3", rv, 1_000 + MIN - 1).state.term).toBe(1);
    expect(msg(f, "s3", rv, 1_000 + MIN).state.term).toBe(2);
  });

  it("Raft §5.1: without CheckQuorum there is no lease: a higher term is adopted even just after a heartbeat", () => {
    const r = msg(heard({}), "s3", { type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 0, lastLogTerm: 0 }, 2_000);
    expect(r.state).toMatchObject({ term: 2, votedFor: "s3" });
  });
});

describe("§5.3: the leader's nextIndex and matchIndex", () => {
  /** A leader of term 2 over a 5-entry log (its no-op at 6), s2's progress as given. */
  const with2 = (next: number, match: number, options: Partial<RaftOptions> = {}): RaftState => {
    const l = leader({ term: 1, log: log(1, 1, 1, 1, 1) }, options);
    return { ...l, progress: { ...l.progress, s2: { next, match, active: true } } };
  };

  it("Raft §5.3: matchIndex never decreases (an older success, reordered, changes nothing)", () => {
    const l = with2(6, 5);
    const r = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: true, matchIndex: 3 });
    expect(r.state.progress.s2).toMatchObject({ next: 6, match: 5 });
  });

  it("Raft §5.3: nextIndex backs up by one per rejection, and never below 1", () => {
    let l = with2(2, 0);
    l = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: false, matchIndex: 0, rejectedIndex: 1 }).state;
    expect(l.progress.s2).toMatchObject({ next: 1 });
    // A (forged) rejection at index 0, which always matches, cannot push it lower.
    l = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: false, matchIndex: 0, rejectedIndex: 0 }).state;
    expect(l.progress.s2).toMatchObject({ next: 1 });
  });

  it("Raft §5.3: nextIndex never falls to matchIndex or below, whatever the hint says", () => {
    const l = with2(5, 4, { fastBacktrack: true });
    const r = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: false, matchIndex: 0, rejectedIndex: 4, conflictTerm: 1, conflictIndex: 1 });
    expect(r.state.progress.s2).toMatchObject({ next: 5, match: 4 });
  });

  it("Raft §5.3: the rejection of an older probe (reordered or duplicated) does not move nextIndex", () => {
    const l = with2(4, 0);
    const r = msg(l, "s2", { type: "AppendEntriesResponse", term: 2, success: false, matchIndex: 0, rejectedIndex: 5 });
    expect(r.state.progress.s2).toMatchObject({ next: 4 });
    expect(r.messages).toEqual([]);
  });
});

describe("§5.3 and Figure 2: commitIndex on a follower", () => {
  it("Raft Figure 2 (AppendEntries, step 5): a follower's commitIndex never decreases, even for an older leaderCommit", () => {
    const f = msg(server("s2", ids(3), { term: 1 }), "s1", append(1, 0, 0, log(1, 1, 1), 3)).state;
    expect(f.commitIndex).toBe(3);
    const r = msg(f, "s1", append(1, 1, 1, log(1), 1)); // delayed: sent when the leader had committed 1
    expect(r.state.commitIndex).toBe(3);
    expect(r.committed).toEqual([]);
  });

  it("Raft Figure 2 (step 5): commitIndex = min(leaderCommit, index of the last new entry), not the follower's last index", () => {
    // s2 holds 1, 2, 2; the leader (term 3) holds 1, 2, 3 and has committed 3. Its one-entry
    // AppendEntries checks only index 2: the stale entry 3 (term 2) must not commit.
    const f = server("s2", ids(3), { term: 3, log: log(1, 2, 2) });
    const r = msg(f, "s1", append(3, 1, 1, [{ term: 2, value: "v2" }], 3));
    expect(r.state.commitIndex).toBe(2);
    expect(r.committed.map((e) => e.index)).toEqual([1, 2]);
    expect(r.messages[0]!.message).toMatchObject({ success: true, matchIndex: 2 });
  });
});

describe("§7: InstallSnapshot (Figure 13)", () => {
  const snap = (lastIncludedIndex: number, lastIncludedTerm: number): RaftMessage =>
    ({ type: "InstallSnapshot", term: 2, leaderId: "s1", lastIncludedIndex, lastIncludedTerm, config: ids(3), data: `state@${lastIncludedIndex}` });

  it("Raft §7 (Figure 13): a snapshot no newer than the follower's commitIndex changes nothing, and says how far it holds", () => {
    const f = msg(server("s2", ids(3), { term: 2 }), "s1", append(2, 0, 0, log(1, 1, 2, 2), 3)).state;
    const r = msg(f, "s1", snap(2, 1));
    expect(r.state.log).toBe(f.log);
    expect(r.state.snapshot).toBeNull();
    expect(r.state.commitIndex).toBe(3);
    expect(r.restore).toBeUndefined();
    expect(r.messages).toEqual([{ to: "s1", message: { type: "InstallSnapshotResponse", term: 2, lastIncludedIndex: 2 } }]);
  });

  it("Raft §7 (Figure 13, step 6): when the follower holds the snapshot's last entry, the entries after it are kept", () => {
    const f = msg(server("s2", ids(3), { term: 2 }), "s1", append(2, 0, 0, log(1, 1, 2, 2), 1)).state;
    const r = msg(f, "s1", snap(3, 2));
    expect(r.state.snapshot).toMatchObject({ index: 3, term: 2 });
    expect(r.state.log.toArray().map((e) => e.term)).toEqual([2]);
    expect(r.state).toMatchObject({ commitIndex: 3, lastApplied: 3 });
    expect(r.restore).toMatchObject({ index: 3, data: "state@3" });
    expect(r.committed).toEqual([]); // the state machine is reset from the snapshot, not replayed
  });

  it("Raft §7 (Figure 13, step 7): otherwise the whole log is discarded", () => {
    const f = msg(server("s2", ids(3), { term: 2 }), "s1", append(2, 0, 0, log(1, 1, 1, 1), 1)).state;
    const r = msg(f, "s1", snap(3, 2));
    expect(r.state.log.toArray()).toEqual([]);
    expect(r.state.snapshot).toMatchObject({ index: 3, term: 2 });
  });
});

describe("membership changes (dissertation §4.1, §4.2.2)", () => {
  /** A leader of term 1 over s1..s3 whose no-op has committed (s2 acknowledged it). */
  const ready = (): RaftState => msg(leader(), "s2", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 1 }).state;

  it("dissertation §4.1: a second server cannot be added while the first addition is uncommitted; once it commits, it can", () => {
    const first = step(ready(), { type: "addServer", id: "s4" }, env());
    expect(first.state.config).toEqual(ids(4));
    const second = step(first.state, { type: "addServer", id: "s5" }, env());
    expect(second.rejected).toBe("a configuration change is already in progress");
    expect(second.state.config).toEqual(ids(4)); // and nothing changed
    expect(second.state.log).toBe(first.state.log);
    expect(second.messages).toEqual([]);
    // s2 and s4 hold the configuration entry (index 2): with s1, 3 of 4 servers.
    let l = msg(first.state, "s2", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 2 }).state;
    l = msg(l, "s4", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 2 }).state;
    expect(l.commitIndex).toBe(2);
    expect(step(l, { type: "addServer", id: "s5" }, env()).state.config).toEqual(ids(5));
  });

  it("dissertation §4.2.2: a leader removing itself keeps leading without counting itself, and steps down once the removal commits", () => {
    const r = step(ready(), { type: "removeServer", id: "s1" }, env());
    expect(r.state).toMatchObject({ role: "leader", config: ["s2", "s3"] });
    expect(r.messages.map((o) => o.to).sort()).toEqual(["s2", "s3"]); // it still replicates to both
    // s2 alone is 1 of the 2 servers of the new configuration: no majority without s1's own copy.
    const one = msg(r.state, "s2", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 2 });
    expect(one.state).toMatchObject({ role: "leader", commitIndex: 1 });
    const two = msg(one.state, "s3", { type: "AppendEntriesResponse", term: 1, success: true, matchIndex: 2 });
    expect(two.state).toMatchObject({ role: "follower", commitIndex: 2, leader: null });
    // A server outside its configuration never times out to campaign again.
    expect(step(two.state, { type: "tick" }, env(10_000_000)).state.role).toBe("follower");
    expect(step(two.state, { type: "timeout" }, env()).rejected).toBe("s1 is not a member of its configuration");
  });
});

describe("the state's shape", () => {
  it("every state a step, a crash or a restart returns has createRaftState's fields in its order, and copyState copies them all", () => {
    // A step copies the state with copyState (work.ts), every field written out: a field it
    // left out would be lost at the next step, and another order would give states two shapes.
    const fresh = server("s1", ids(3));
    const l = leader();
    const replied = msg(l, "s2", { type: "AppendEntriesResponse", term: l.term, success: true, matchIndex: 1 }).state;
    const proposed = step(replied, { type: "propose", value: "x" }, env()).state;
    const states = [fresh, l, replied, proposed, crash(proposed), restart(proposed, env(1_000))];
    for (const s of states) {
      expect(Object.keys(s)).toEqual(Object.keys(fresh));
      expect(Object.entries(copyState(s))).toEqual(Object.entries(s));
    }
  });
});
