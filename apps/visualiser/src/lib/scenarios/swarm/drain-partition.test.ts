import { describe, expect, it } from "vitest";
import { createSwarmDriver, drainLine, MANAGERS, SCALE_LINE, QUORUM_ERROR } from "./driver.js";
import type { SwarmViewModel } from "./model.js";

// Issue 14: drain a node from the view, and partition the managers. The rules are SwarmKit's:
// the scheduler places no task on a node whose availability is drain and the orchestrator shuts
// down the tasks it has (swarmkit manager/orchestrator/replicated/tasks.go, scheduler/filter.go
// ReadyFilter); a manager that cannot reach a Raft majority refuses a change with the quorum error
// (swarmkit manager/controlapi: raft.ErrLostLeadership -> "The swarm does not have a leader...",
// the text in packages/swarm/src/errors.ts NO_LEADER).

type D = ReturnType<typeof createSwarmDriver>;
const view = (d: D): SwarmViewModel => d.view([], { selected: null });
const live = (v: SwarmViewModel) => v.nodes.flatMap((n) => n.tasks.filter((t) => t.state === "running" && !t.lost && t.desired === "running").map((t) => ({ ...t, host: n.host })));
const after = (d: D, s: number) => d.timeline.runUntil(d.sim.now + s * 1_000_000);

describe("drain and partition in the node-failure scene", () => {
  it("drain typed on the leader moves the node's tasks away and places none on it", () => {
    const d = createSwarmDriver("1", {});
    const v0 = view(d);
    const victim = live(v0).find((t) => t.host.startsWith("worker"))!.host;
    d.timeline.act({ type: "exec", host: v0.leader!, line: drainLine(victim, "drain") });
    after(d, 20);
    const v1 = view(d);
    expect(v1.nodes.find((n) => n.host === victim)!.availability).toBe("Drain");
    expect(live(v1).filter((t) => t.host === victim)).toEqual([]);
    expect(live(v1).map((t) => t.name).sort()).toEqual(["web.1", "web.2", "web.3", "web.4", "web.5", "web.6"]);
    expect(v1.caption.step).toBe("drained");
    // Scaling up while it is drained: still nothing lands on it.
    d.timeline.act({ type: "exec", host: v1.leader!, line: SCALE_LINE });
    after(d, 20);
    const v2 = view(d);
    expect(live(v2)).toHaveLength(8);
    expect(live(v2).filter((t) => t.host === victim)).toEqual([]);
    // Active again: the node takes tasks only when something is placed anew.
    d.timeline.act({ type: "exec", host: v2.leader!, line: drainLine(victim, "active") });
    after(d, 5);
    expect(view(d).nodes.find((n) => n.host === victim)!.availability).toBe("Active");
  });

  it("a partition of the managers: the majority side changes the service, the minority side answers with the quorum error", () => {
    const d = createSwarmDriver("1", {});
    const v0 = view(d);
    const old = v0.leader!;
    const hosts = v0.nodes.map((n) => n.host);
    d.timeline.act({ type: "partition", groups: [[old], hosts.filter((h) => h !== old)] });
    after(d, 30);
    const v1 = view(d);
    expect(v1.partition).not.toBeNull();
    expect(v1.caption.step).toBe("partition");
    const sides = v1.partition!;
    expect(sides.minority).toEqual([old]);
    expect(sides.majority.filter((h) => (MANAGERS as readonly string[]).includes(h))).toHaveLength(2);
    expect(v1.leader).not.toBe(old);
    const running = live(v1).length;
    d.timeline.act({ type: "exec", host: old, line: SCALE_LINE });
    d.timeline.act({ type: "exec", host: v1.leader!, line: SCALE_LINE });
    after(d, 20);
    const v2 = view(d);
    const tries = new Map(v2.tries.map((t) => [t.host, t]));
    expect(tries.get(old)).toMatchObject({ side: "minority", done: true, ok: false });
    expect(tries.get(old)!.text).toContain(QUORUM_ERROR);
    expect(tries.get(v1.leader!)).toMatchObject({ side: "majority", done: true, ok: true });
    expect(v2.services[0]!.desired).toBe(8);
    expect(v2.caption.step).toBe("refused");
    expect(live(v2).length).toBeGreaterThanOrEqual(running);
    // Healed: one leader, the old one follows, every manager up converges on the same store.
    d.timeline.act({ type: "heal" });
    after(d, 40);
    const v3 = view(d);
    expect(v3.partition).toBeNull();
    expect(v3.nodes.filter((n) => n.raftRole === "leader")).toHaveLength(1);
    expect(v3.services[0]).toMatchObject({ desired: 8, running: 8 });
  });
});
