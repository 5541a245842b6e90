import { describe, expect, it } from "vitest";
import { createRaftDriver, RAFT_KEYS } from "./driver.js";
import type { RaftViewModel } from "./model.js";
import { raftMessageFields, raftMessageKind } from "./messages.js";
import { AppState } from "../../state.svelte.js";
import { SCENARIOS } from "../../scenarios.js";

const opts = { size: 5, prevote: false, checkquorum: false, timeouts: "150-300ms" };
const view = (d: ReturnType<typeof createRaftDriver>, selected: string | null = null): RaftViewModel => d.view([], { selected });
const leaderOf = (v: RaftViewModel): string => v.nodes.find((n) => n.up && n.role === "leader")!.id;

describe("raft driver", () => {
  it("a client request sent to a stale leader in a minority is taken into its log and never commits (Raft §5.3, §8)", () => {
    const d = createRaftDriver("4", opts);
    d.timeline.runUntil(1_000_000);
    const old = leaderOf(view(d));
    const others = view(d).nodes.map((n) => n.id).filter((id) => id !== old);
    // The old leader and one follower on one side; the majority elects a new leader.
    d.timeline.act({ type: "partition", groups: [[old, others[0]!], others.slice(1)] });
    d.timeline.runUntil(2_000_000);
    const v = view(d);
    const stale = v.nodes.find((n) => n.id === old)!;
    expect(stale.role).toBe("leader");
    expect(v.clientLeader).not.toBe(old);
    const before = stale.lastIndex;
    d.timeline.act({ type: "propose", node: old, value: v.nextRequest });
    d.timeline.runUntil(3_000_000);
    const after = view(d).nodes.find((n) => n.id === old)!;
    expect(after.lastIndex).toBe(before + 1);
    expect(after.log.at(-1)).toMatchObject({ value: "v1", committed: false });
    expect(after.commitIndex).toBeLessThan(after.lastIndex);
    // Healed, the stale leader steps down and its uncommitted entry is replaced by the new leader's log.
    d.timeline.act({ type: "heal" });
    d.timeline.runUntil(4_000_000);
    const healed = view(d).nodes.find((n) => n.id === old)!;
    expect(healed.role).toBe("follower");
    expect(healed.log.some((e) => e.value === "v1")).toBe(false);
  });

  it("a client request to a server that does not lead is refused and changes nothing", () => {
    const d = createRaftDriver("4", opts);
    d.timeline.runUntil(1_000_000);
    const follower = view(d).nodes.find((n) => n.role === "follower")!.id;
    const hash = d.sim.stateHash();
    expect(() => d.timeline.act({ type: "propose", node: follower, value: "v1" })).toThrow(/is not a leader/);
    expect(d.sim.stateHash()).toBe(hash);
  });

  it("numbers request values without gaps along the run, whatever else was done", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=4&t=1000000");
    expect(app.runKey("c")).toBe(true);
    app.act({ type: "isolate", node: "s5" });
    app.seekTime(1_100_000);
    expect(app.runKey("c")).toBe(true);
    app.seekTime(1_500_000);
    const values = (app.frame.view as RaftViewModel).nodes.flatMap((n) => n.log.map((e) => e.value)).filter((v) => v.startsWith("v"));
    expect([...new Set(values)].sort()).toEqual(["v1", "v2"]);
    expect((app.frame.view as RaftViewModel).nextRequest).toBe("v3");
  });

  it("shows the selected leader's view of the followers, else the leader a client reaches", () => {
    const d = createRaftDriver("4", opts);
    d.timeline.runUntil(1_000_000);
    const v = view(d);
    expect(v.shownLeader).toBe(v.clientLeader);
    expect(v.nodes.find((n) => n.id === v.shownLeader)!.progress.length).toBe(4);
    const follower = v.nodes.find((n) => n.role === "follower")!.id;
    expect(view(d, follower).shownLeader).toBe(v.clientLeader);
  });
});

describe("raft keys (RaftScope's C, R, T, A)", () => {
  const key = (k: string) => RAFT_KEYS.find((x) => x.key === k)!;

  it("c sends a request to the leader; r restarts it; with no leader both say why", () => {
    const d = createRaftDriver("2", opts);
    expect(key("c").run(view(d), { now: 0, selected: null, ui: {} })).toEqual({ refused: "No leader to take a client request yet." });
    d.timeline.runUntil(1_000_000);
    const v = view(d);
    const leader = leaderOf(v);
    expect(key("c").run(v, { now: d.sim.now, selected: null, ui: {} })).toMatchObject({ actions: [{ type: "propose", value: "v1" }] });
    expect(key("r").run(v, { now: d.sim.now, selected: null, ui: {} })).toMatchObject({ actions: [{ type: "crash", node: leader }, { type: "restart", node: leader }] });
  });

  it("t times out the server whose timer runs out first; a times out every follower at once: a split vote", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=2&t=20000");
    const v = app.frame.view as RaftViewModel;
    const first = [...v.nodes].sort((a, b) => a.electionDeadline - b.electionDeadline)[0]!.id;
    expect(key("t").run(v, { now: app.sim.now, selected: null, ui: {} })).toMatchObject({ actions: [{ type: "timeout", node: first }] });
    expect(app.runKey("a")).toBe(true);
    expect(app.sim.actionLog).toHaveLength(5);
    // Every server voted for itself in the same term: nobody can win it.
    app.seekTime(app.sim.now + 100_000);
    const after = app.frame.view as RaftViewModel;
    expect(after.nodes.every((n) => n.role !== "leader")).toBe(true);
    expect(new Set(after.nodes.map((n) => n.votedFor)).size).toBe(5);
  });

  it("h hides and shows heartbeats, and the link keeps it", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=2&t=1000000");
    app.runKey("h");
    expect(app.ui.hide).toBe("heartbeat");
    expect(app.linkSearch()).toContain("hide=heartbeat");
    expect(app.frame.sequence.arrows.some((a) => a.label === "AE ♥")).toBe(false);
    app.runKey("h");
    expect(app.ui.hide).toBeUndefined();
  });
});

describe("raft message details", () => {
  it("list every field of Figure 2's messages, entries with their index", () => {
    const ae = { type: "AppendEntries", term: 3, leaderId: "s1", prevLogIndex: 4, prevLogTerm: 2, entries: [{ term: 3, value: null }, { term: 3, value: "v7" }], leaderCommit: 4 };
    expect(raftMessageFields(ae)).toEqual([
      ["term", "3"], ["leaderId", "s1"], ["prevLogIndex", "4"], ["prevLogTerm", "2"], ["entries", "5: term 3, no-op; 6: term 3, v7"], ["leaderCommit", "4"],
    ]);
    expect(raftMessageFields({ type: "RequestVote", term: 2, candidateId: "s3", lastLogIndex: 7, lastLogTerm: 1 }))
      .toEqual([["term", "2"], ["candidateId", "s3"], ["lastLogIndex", "7"], ["lastLogTerm", "1"]]);
    expect(raftMessageFields({ type: "AppendEntriesResponse", term: 2, success: true, matchIndex: 6 }))
      .toEqual([["term", "2"], ["success", "true"], ["matchIndex", "6"]]);
    expect(raftMessageFields({ type: "RequestVoteResponse", term: 2, voteGranted: false, preVote: true }))
      .toEqual([["term", "2"], ["voteGranted", "false"], ["preVote", "true"]]);
    expect(raftMessageKind({ type: "AppendEntries", entries: [] })).toBe("heartbeat");
  });
});
