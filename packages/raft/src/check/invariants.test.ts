// The checker must be able to fail: forged states that break Figure 3's properties.
import { describe, expect, it } from "vitest";
import { createRaftState } from "../core/raft.js";
import type { Entry, RaftState } from "../core/types.js";
import type { ClusterState } from "../cluster/model.js";
import { SafetyChecker, SafetyViolation } from "./invariants.js";

const peers = ["s1", "s2", "s3"];
const env = { now: 0, random: () => 0 };
const raft = (id: string, patch: Partial<RaftState> = {}): RaftState => ({ ...createRaftState({ id, peers }, env), ...patch });
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
    expect(violation(() => c.check(world(raft("s2", { term: 2, role: "leader", log: [] }))))).toBe("Leader Completeness");
  });

  it("Leader Append-Only and the §5.4.2 commitment rule", () => {
    const c = new SafetyChecker();
    const l = raft("s1", { term: 2, role: "leader", log: [e(1, "a"), e(2, null)] });
    c.check(world(l));
    expect(violation(() => c.check(world({ ...l, log: [e(1, "a")] })))).toBe("Leader Append-Only");
    const c2 = new SafetyChecker();
    c2.check(world(l));
    expect(violation(() => c2.check(world({ ...l, commitIndex: 1 })))).toBe("Commitment rule (§5.4.2)");
    expect(violation(() => new SafetyChecker().check(world(l, raft("s2", { term: 2, log: [e(1, "a")] }))))).toBe("none");
  });
});
