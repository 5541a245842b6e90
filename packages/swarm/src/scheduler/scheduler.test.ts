import { describe, expect, it } from "vitest";
import { ControlHarness, baseStore, makeNode, makeService, nodes } from "../fixtures.test-util.js";
import type { ServiceOptions } from "../spec.js";
import type { StoreOp } from "../store/store.js";
import { TaskState, type Node, type Task } from "../types.js";

/** Creates the service and runs one leader pass: its tasks are created, allocated and scheduled. */
function scheduleOnce(ns: readonly Node[], o: ServiceOptions): { h: ControlHarness; tasks: Task[] } {
  const h = new ControlHarness(baseStore(ns));
  h.apply([{ op: "service.create", service: makeService("svc", o) }]);
  h.pass();
  return { h, tasks: h.tasksOf("svc") };
}

const perNode = (tasks: readonly Task[]) => {
  const m = new Map<string, number>();
  for (const t of tasks) if (t.nodeId) m.set(t.nodeId, (m.get(t.nodeId) ?? 0) + 1);
  return m;
};

describe("scheduler (swarmkit manager/scheduler)", () => {
  it("scheduler.go: a task goes NEW → PENDING ('pending task scheduling') → ASSIGNED ('scheduler assigned task to node')", () => {
    const { tasks } = scheduleOnce(nodes(3), { name: "web", image: "nginx", replicas: 3 });
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      expect(t.status.state).toBe(TaskState.ASSIGNED);
      expect(t.status.message).toBe("scheduler assigned task to node");
      expect(t.slot).toBeGreaterThan(0);
    }
    expect([...perNode(tasks).values()]).toEqual([1, 1, 1]);
  });

  it("scheduleTaskGroup: spread by fewest tasks of the service, then fewest tasks overall", () => {
    const ns = nodes(3);
    const h = new ControlHarness(baseStore(ns));
    h.apply([{ op: "service.create", service: makeService("busy", { name: "busy", image: "redis", replicas: 2, constraints: ["node.hostname==node1"] }) }]);
    h.pass();
    h.apply([{ op: "service.create", service: makeService("web", { name: "web", image: "nginx", replicas: 4 }) }]);
    h.pass();
    const counts = perNode(h.tasksOf("web"));
    // node1 holds busy's two tasks: web's four go 2 to the idle nodes, 1 each... node2 and node3 first.
    expect(counts.get(ns[0]!.id)).toBe(1);
    expect(counts.get(ns[1]!.id)).toBe(2);
    expect(counts.get(ns[2]!.id)).toBe(1);
  });

  it("filter.go ConstraintFilter: node.role==manager, node.labels, node.hostname, engine.labels", () => {
    const ns = [
      makeNode("m1aaaaaaaaaaaaaaaaaaaaaaa", { hostname: "m1", role: "manager" }),
      makeNode("w1aaaaaaaaaaaaaaaaaaaaaaa", { hostname: "w1", labels: { zone: "east" }, engineLabels: { disk: "ssd" } }),
      makeNode("w2aaaaaaaaaaaaaaaaaaaaaaa", { hostname: "w2", labels: { zone: "west" } }),
    ];
    const on = (constraints: string[]) => new Set(scheduleOnce(ns, { name: "s", image: "nginx", replicas: 4, constraints }).tasks.map((t) => t.nodeId));
    expect(on(["node.role==manager"])).toEqual(new Set(["m1aaaaaaaaaaaaaaaaaaaaaaa"]));
    expect(on(["node.role!=manager"])).toEqual(new Set(["w1aaaaaaaaaaaaaaaaaaaaaaa", "w2aaaaaaaaaaaaaaaaaaaaaaa"]));
    expect(on(["node.labels.zone==EAST"])).toEqual(new Set(["w1aaaaaaaaaaaaaaaaaaaaaaa"])); // values compare case-insensitively
    expect(on(["node.hostname==w2"])).toEqual(new Set(["w2aaaaaaaaaaaaaaaaaaaaaaa"]));
    expect(on(["engine.labels.disk==ssd"])).toEqual(new Set(["w1aaaaaaaaaaaaaaaaaaaaaaa"]));
    expect(on(["node.id==w2aaaaaaaaaaaaaaaaaaaaaaa"])).toEqual(new Set(["w2aaaaaaaaaaaaaaaaaaaaaaa"]));
  });

  it("noSuitableNode: a task that fits nowhere stays PENDING with docker service ps's error text", () => {
    const { tasks } = scheduleOnce(nodes(3), { name: "s", image: "nginx", replicas: 1, constraints: ["node.labels.zone==mars"] });
    expect(tasks[0]!.status.state).toBe(TaskState.PENDING);
    expect(tasks[0]!.status.message).toBe("pending task scheduling");
    expect(tasks[0]!.status.err).toBe("no suitable node (scheduling constraints not satisfied on 3 nodes)");
  });

  it("pipeline.go Explain: the filters' failures, most first, ';'-separated; singular for one node", () => {
    const ns = [
      makeNode("aaaaaaaaaaaaaaaaaaaaaaaa1", { hostname: "a", availability: "drain" }),
      makeNode("aaaaaaaaaaaaaaaaaaaaaaaa2", { hostname: "b", cpus: 1 }),
      makeNode("aaaaaaaaaaaaaaaaaaaaaaaa3", { hostname: "c", cpus: 1 }),
    ];
    const { tasks } = scheduleOnce(ns, { name: "s", image: "nginx", reserveCpus: 2 });
    expect(tasks[0]!.status.err).toBe("no suitable node (insufficient resources on 2 nodes; 1 node not available for new tasks)");
  });

  it("ResourceFilter: reservations fill a node; the rest wait with 'insufficient resources'", () => {
    const { tasks } = scheduleOnce(nodes(2, { cpus: 2 }), { name: "s", image: "nginx", replicas: 5, reserveCpus: 1 });
    const placed = tasks.filter((t) => t.status.state === TaskState.ASSIGNED);
    expect(placed).toHaveLength(4);
    const waiting = tasks.filter((t) => t.status.state === TaskState.PENDING);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.status.err).toBe("no suitable node (insufficient resources on 2 nodes)");
  });

  it("MaxReplicasFilter: --replicas-max-per-node", () => {
    const { tasks } = scheduleOnce(nodes(2), { name: "s", image: "nginx", replicas: 3, maxReplicasPerNode: 1 });
    expect(tasks.filter((t) => t.status.state === TaskState.ASSIGNED)).toHaveLength(2);
    expect(tasks.find((t) => t.status.state === TaskState.PENDING)!.status.err).toBe("no suitable node (max replicas per node limit exceed)");
  });

  it("HostPortFilter: a host-mode published port is held on its node", () => {
    const { tasks } = scheduleOnce(nodes(2), { name: "s", image: "nginx", replicas: 3, publish: [{ target: 80, published: 8080, mode: "host" }] });
    expect(new Set(tasks.filter((t) => t.nodeId).map((t) => t.nodeId)).size).toBe(2);
    expect(tasks.find((t) => t.status.state === TaskState.PENDING)!.status.err).toBe("no suitable node (host-mode port already in use on 2 nodes)");
  });

  it("PlatformFilter: unsupported platform", () => {
    const ns = nodes(2);
    const h = new ControlHarness(baseStore(ns));
    const svc = makeService("svc", { name: "s", image: "nginx" });
    const spec = { ...svc.spec, task: { ...svc.spec.task, placement: { ...svc.spec.task.placement, platforms: [{ os: "windows", architecture: "" }] } } };
    h.apply([{ op: "service.create", service: { ...svc, spec } }]);
    h.pass();
    expect(h.tasksOf("svc")[0]!.status.err).toBe("no suitable node (unsupported platform on 2 nodes)");
  });

  it("nodeset.go tree: --placement-pref spread=node.labels.zone spreads evenly over the zones first", () => {
    const ns = [
      ...nodes(4, { labels: { zone: "a" } }),
      makeNode("zzzzzzzzzzzzzzzzzzzzzzzzb", { hostname: "zb", labels: { zone: "b" } }),
    ];
    const { tasks } = scheduleOnce(ns, { name: "s", image: "nginx", replicas: 4, placementPrefs: ["spread=node.labels.zone"] });
    const inB = tasks.filter((t) => t.nodeId === "zzzzzzzzzzzzzzzzzzzzzzzzb").length;
    expect(inB).toBe(2); // half the tasks in zone b's single node, half over zone a's four
  });

  it("a task becomes schedulable when a node becomes available (the scheduler re-runs every pass)", () => {
    const ns = nodes(1, { availability: "pause" });
    const { h } = scheduleOnce(ns, { name: "s", image: "nginx" });
    expect(h.tasksOf("svc")[0]!.status.err).toBe("no suitable node (1 node not available for new tasks)");
    h.apply([{ op: "node.spec", id: ns[0]!.id, spec: { ...ns[0]!.spec, availability: "active" } }]);
    h.pass();
    expect(h.tasksOf("svc")[0]!.status.state).toBe(TaskState.ASSIGNED);
  });

  it("the scheduler writes an unchanged error only once (no store churn while a task waits)", () => {
    const { h } = scheduleOnce(nodes(1), { name: "s", image: "nginx", constraints: ["node.role==manager"] });
    const ops: readonly StoreOp[] = h.pass();
    expect(ops).toEqual([]);
  });
});
