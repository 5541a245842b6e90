import { describe, expect, it } from "vitest";
import { createSwarmDriver, swarmSetup } from "./driver.js";
import type { SwarmViewModel } from "./model.js";

// Issue 14, node failure: the swarm the course builds (3 managers, 4 workers, web with 6 tasks)
// read as `docker node ls` and `docker service ps` read it, from the leader's store.

const running = (v: SwarmViewModel) => v.nodes.flatMap((n) => n.tasks.filter((t) => t.state === "running" && !t.lost).map((t) => ({ ...t, host: n.host })));
const view = (d: ReturnType<typeof createSwarmDriver>) => d.view([], { selected: null });

describe("the node-failure driver", () => {
  it("opens on a converged swarm: manager1 leads, six web tasks run, one per slot", () => {
    const d = createSwarmDriver("1", {});
    const v = view(d);
    expect(v.leader).toBe("manager1");
    expect(v.nodes.map((n) => [n.host, n.role, n.status])).toEqual([
      ["manager1", "manager", "Ready"], ["manager2", "manager", "Ready"], ["manager3", "manager", "Ready"],
      ["worker1", "worker", "Ready"], ["worker2", "worker", "Ready"], ["worker3", "worker", "Ready"], ["worker4", "worker", "Ready"],
    ]);
    expect(v.nodes.filter((n) => n.role === "manager").map((n) => n.managerStatus)).toEqual(["Leader", "Reachable", "Reachable"]);
    const tasks = running(v);
    expect(tasks.map((t) => t.name).sort()).toEqual(["web.1", "web.2", "web.3", "web.4", "web.5", "web.6"]);
    expect(tasks.every((t) => t.image === "nginx:latest")).toBe(true);
    expect(v.services).toEqual([{ name: "web", image: "nginx:latest", mode: "replicated", running: 6, desired: 6 }]);
    expect(v.caption.step).toBe("steady");
    // Going back before the start stays at the start.
    d.timeline.seek(0);
    expect(d.sim.eventCount).toBe(swarmSetup("1").events);
  });

  it("a worker dies: its tasks are started on the other nodes within SwarmKit's heartbeat bound (5 s × 3, plus a pass)", () => {
    const d = createSwarmDriver("1", {});
    const before = running(view(d));
    const victim = before.find((t) => t.host.startsWith("worker"))!.host;
    const lost = before.filter((t) => t.host === victim).map((t) => t.name);
    const t0 = d.sim.now;
    d.timeline.act({ type: "crash", node: victim });
    expect(view(d).caption.step).toBe("worker-down");
    let moved = -1;
    for (let s = 1; s <= 30 && moved < 0; s++) {
      d.timeline.runUntil(t0 + s * 1_000_000);
      const now = running(view(d));
      if (now.length === 6 && lost.every((name) => now.some((t) => t.name === name && t.host !== victim))) moved = s;
    }
    expect(moved).toBeGreaterThanOrEqual(10);
    expect(moved).toBeLessThanOrEqual(20);
    const v = view(d);
    expect(v.nodes.find((n) => n.host === victim)!.status).toBe("Down");
    expect(v.caption.step).toBe("moved");
    expect(d.notable(d.sim.trace, 0).map((m) => m.label)).toContain(`${victim} marked Down`);
  });

  it("the leader dies: another manager is elected and web keeps its six tasks", () => {
    const d = createSwarmDriver("1", {});
    const t0 = d.sim.now;
    d.timeline.act({ type: "crash", node: "manager1" });
    d.timeline.runUntil(t0 + 20_000_000);
    const v = view(d);
    expect(v.leader === "manager2" || v.leader === "manager3").toBe(true);
    expect(v.nodes.find((n) => n.host === "manager1")!.managerStatus).toBe("Unreachable");
    expect(v.caption.step).toBe("manager-down");
    expect(v.services[0]!.running).toBeGreaterThanOrEqual(5);
    expect(d.notable(d.sim.trace, 0).some((m) => m.label === `${v.leader} became the Raft leader (term 2)` || m.label.startsWith(`${v.leader} became`))).toBe(true);
  });

  it("same seed and clicks, same frames; a link's action log reproduces the run", () => {
    const run = () => {
      const d = createSwarmDriver("7", {});
      const t0 = d.sim.now;
      d.timeline.runUntil(t0 + 2_000_000);
      d.timeline.act({ type: "crash", node: "worker3" });
      d.timeline.runUntil(t0 + 25_000_000);
      d.timeline.act({ type: "restart", node: "worker3" });
      d.timeline.runUntil(t0 + 35_000_000);
      return d;
    };
    const a = run();
    const b = run();
    expect(JSON.stringify(view(a))).toBe(JSON.stringify(view(b)));
    expect(a.sim.traceHash()).toBe(b.sim.traceHash());
    const copy = createSwarmDriver("7", {});
    copy.timeline.loadActions(a.sim.session().actions);
    copy.timeline.runUntil(a.sim.now);
    expect(JSON.stringify(view(copy))).toBe(JSON.stringify(view(a)));
    expect(copy.sim.stateHash()).toBe(a.sim.stateHash());
  });
});
