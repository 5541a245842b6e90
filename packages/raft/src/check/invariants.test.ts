// The checker must be able to fail: forged states that break Figure 3's properties.
import type { NetState } from "@drydock/kernel";
import { describe, expect, it } from "vitest";
import { EntryLog } from "../core/entries.js";
import { createRaftState } from "../core/raft.js";
import type { Entry, RaftState } from "../core/types.js";
import type { ClusterState } from "../cluster/model.js";
import { SafetyChecker, SafetyViolation } from "./invariants.js";

const peers = ["s1", "s2", "s3"];
const env = { now: 0, random: () => 0 };
/** A server's state with some fields forged (the log given as an array of entries). */
const raft = (id: string, { log, ...patch }: Partial<Omit<RaftState, "log">> & { log?: readonly Entry[] } = {}): RaftState =>
  ({ ...createRaftState({ id, peers }, env), ...patch, ...(log ? { log: EntryLog.of(log) } : {}) });
const world = (...rs: RaftState[]): ClusterState => ({ servers: Object.fromEntries(rs.map((r) => [r.id, { raft: r, app: null, timerAt: null }])) });
const e = (term: number, value: unknown): Entry => ({ term, value });

function violation(f: () => void): string {
  try { f(); } catch (err) { if (err instanceof SafetyViolation) return err.property; throw err; }
  return "none";
}

describe("SafetyChecker (Figure 3)", () => {
  it("Election Safety: two leaders of one term", () => {
    const c = new SafetyChecker();
    expect(violation(() => c.check(world(raft("s1", { role: "leader", term: 2 }), raft("s2", { role: "leader", term: 2 }))))).toBe("Election Safety");
  });

  it("Log Matching: same index and term, different entries", () => {
    const c = new SafetyChecker();
    expect(violation(() => c.check(world(raft("s1", { term: 1, log: [e(1, "a")] }), raft("s2", { term: 1, log: [e(1, "b")] }))))).toBe("Log Matching");
  });

  it("State Machine Safety: two servers apply different entries at one index", () => {
    const c = new SafetyChecker();
    c.check(world(raft("s1", { term: 2, log: [e(1, "a")], commitIndex: 1 })));
    expect(violation(() => c.check(world(raft("s2", { term: 2, log: [e(2, "b")], commitIndex: 1 }))))).toBe("State Machine Safety");
  });

  it("Leader Completeness: a new leader lacking a committed entry", () => {
    const c = new SafetyChecker();
    c.check(world(raft("s1", { term: 1, log: [e(1, "a")], commitIndex: 1 })));
    // s2 won term 2 fairly (s3 and itself voted for it), yet lacks the entry committed in term 1.
    const voter = raft("s3", { term: 2, votedFor: "s2" });
    expect(violation(() => c.check(world(voter, raft("s2", { term: 2, votedFor: "s2", role: "leader", log: [] }))))).toBe("Leader Completeness");
  });

  it("Leader Append-Only and the §5.4.2 commitment rule", () => {
    const c = new SafetyChecker();
    const l = raft("s1", { term: 2, role: "leader", log: [e(1, "a"), e(2, null)] });
    c.check(world(l));
    expect(violation(() => c.check(world({ ...l, log: EntryLog.of([e(1, "a")]) })))).toBe("Leader Append-Only");
    const c2 = new SafetyChecker();
    c2.check(world(l));
    expect(violation(() => c2.check(world({ ...l, commitIndex: 1 })))).toBe("Commitment rule (§5.4.2)");
    expect(violation(() => new SafetyChecker().check(world(l, raft("s2", { term: 2, log: [e(1, "a")] }))))).toBe("none");
  });

  it("State Machine Safety: state machines that differ after the same entries, also when only the machine changed", () => {
    // The checker compares a server's machine again only when its machine or its indexes changed.
    const r = (id: string) => raft(id, { term: 1, log: [e(1, "a")], commitIndex: 1, lastApplied: 1 });
    const at = (...slots: [RaftState, string][]): ClusterState =>
      ({ servers: Object.fromEntries(slots.map(([s, digest]) => [s.id, { raft: s, app: { digest, applied: 1 }, timerAt: null }])) });
    const c = new SafetyChecker();
    const s1 = r("s1");
    c.check(at([s1, "x"]));
    c.check(at([{ ...s1, leaderContactAt: 5 }, "x"]));
    expect(violation(() => c.check(at([{ ...s1, leaderContactAt: 6 }, "y"])))).toBe("State Machine Safety");
    expect(violation(() => new SafetyChecker().check(at([s1, "x"], [r("s2"), "y"])))).toBe("State Machine Safety");
    expect(violation(() => new SafetyChecker().check(at([s1, "x"], [r("s2"), "x"])))).toBe("none");
  });

  it("One vote per term (Figure 2): a second, different vote in a term, as after a crash that lost votedFor", () => {
    const c = new SafetyChecker();
    c.check(world(raft("s1", { term: 2, votedFor: "s2" })));
    c.check(world(raft("s1", { term: 2, votedFor: null }))); // the crash "forgot" the vote...
    expect(violation(() => c.check(world(raft("s1", { term: 2, votedFor: "s3" }))))).toBe("One vote per term (Figure 2)");
    const d = new SafetyChecker();
    d.check(world(raft("s1", { term: 2, votedFor: "s2" }), raft("s3", { term: 3, votedFor: "s3", role: "candidate" })));
    expect(violation(() => d.check(world(raft("s1", { term: 3, votedFor: "s3" }), raft("s3", { term: 3, votedFor: "s3", role: "candidate" }))))).toBe("none"); // a new term, a new vote
  });

  it("Election Safety (§5.2): a leader without the votes of a majority of its configuration in its term", () => {
    const c = new SafetyChecker();
    c.check(world(raft("s1", { term: 1 }), raft("s2", { term: 1 }), raft("s3", { term: 1, votedFor: "s3" })));
    // s3 counted a vote of an earlier term: only its own vote is on record for term 2.
    const s3 = raft("s3", { term: 2, votedFor: "s3", role: "leader" });
    expect(violation(() => c.check(world(raft("s1", { term: 1, votedFor: "s3" }), raft("s2", { term: 1 }), s3)))).toBe("Election Safety");
    const d = new SafetyChecker();
    d.check(world(raft("s1", { term: 1 }), raft("s2", { term: 1 }), raft("s3", { term: 1 })));
    d.check(world(raft("s1", { term: 1 }), raft("s2", { term: 1 }), raft("s3", { term: 2, votedFor: "s3", role: "candidate" })));
    expect(violation(() => d.check(world(raft("s1", { term: 2, votedFor: "s3" }), raft("s2", { term: 1 }), s3)))).toBe("none");
  });

  it("Terms (§5.1): a term never falls, and rises only by campaigning or from a server that holds it (PreVote raises none)", () => {
    const c = new SafetyChecker();
    c.check(world(raft("s1", { term: 3 }), raft("s2", { term: 3 })));
    expect(violation(() => c.check(world(raft("s1", { term: 2 }), raft("s2", { term: 3 }))))).toBe("Terms (§5.1)");
    const d = new SafetyChecker();
    d.check(world(raft("s1", { term: 3 }), raft("s2", { term: 3 })));
    // A pre-candidate that adopted the term+1 of its own pre-vote request:
    expect(violation(() => d.check(world(raft("s1", { term: 4, role: "precandidate" }), raft("s2", { term: 3 }))))).toBe("Terms (§5.1)");
    const ok = new SafetyChecker();
    ok.check(world(raft("s1", { term: 3 }), raft("s2", { term: 3 })));
    ok.check(world(raft("s1", { term: 4, role: "candidate", votedFor: "s1" }), raft("s2", { term: 3 })));
    expect(violation(() => ok.check(world(raft("s1", { term: 4, role: "candidate", votedFor: "s1" }), raft("s2", { term: 4 }))))).toBe("none");
  });

  it("Log Matching: an entry rewritten in the middle of a log, keeping the entries after it, is found", () => {
    const c = new SafetyChecker();
    const tail = e(2, "c");
    c.check(world(raft("s1", { term: 3, log: [e(1, "a"), e(2, "b"), tail] }), raft("s2", { term: 3, log: [e(1, "a"), e(3, "x")] })));
    expect(violation(() => c.check(world(raft("s1", { term: 3, log: [e(1, "a"), e(3, "x"), tail] }), raft("s2", { term: 3, log: [e(1, "a"), e(3, "x")] }))))).toBe("Log Matching");
  });

  it("commitIndex monotone (Figure 2): it falls only with a crash (the kernel's epoch)", () => {
    const net = (epoch: number) => ({ up: { s1: true }, epoch: { s1: epoch } }) as unknown as NetState;
    const c = new SafetyChecker();
    const log = [e(1, "a"), e(1, "b")];
    c.check(world(raft("s1", { term: 1, log, commitIndex: 2, lastApplied: 2 })), net(0));
    expect(violation(() => c.check(world(raft("s1", { term: 1, log, commitIndex: 1, lastApplied: 1 })), net(0)))).toBe("commitIndex monotone (Figure 2)");
    const d = new SafetyChecker();
    d.check(world(raft("s1", { term: 1, log, commitIndex: 2, lastApplied: 2 })), net(0));
    expect(violation(() => d.check(world(raft("s1", { term: 1, log, commitIndex: 0, lastApplied: 0 })), net(1)))).toBe("none");
  });
});
