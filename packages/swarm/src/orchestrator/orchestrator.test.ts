import { describe, expect, it } from "vitest";
import { ControlHarness, baseStore, makeService, nodes } from "../fixtures.test-util.js";
import { serviceSpec, updateSpec } from "../spec.js";
import { TaskState, type Task } from "../types.js";

const S = 1_000_000;

function harness(n = 3) {
  const ns = nodes(n);
  return { h: new ControlHarness(baseStore(ns)), ns };
}

const live = (ts: readonly Task[]) => ts.filter((t) => t.desiredState <= TaskState.RUNNING);

describe("replicated orchestrator (replicated/services.go)", () => {
  it("creates one task per slot, slots numbered from 1", () => {
    const { h } = harness();
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 3 }) }]);
    h.run(1 * S);
    expect(h.running("svc").map((t) => t.slot).sort()).toEqual([1, 2, 3]);
  });

  it("scale up fills the lowest missing slots; scale down sets desired REMOVE on the highest, spread-aware", () => {
    const { h } = harness();
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 2 }) }]);
    h.run(1 * S);
    const svc = h.store.services.get("svc")!;
    h.apply([{ op: "service.spec", id: "svc", spec: updateSpec(svc.spec, { replicas: 5 }), previousSpec: svc.spec, previousSpecVersion: svc.specVersion, updateStatus: null }]);
    h.run(1 * S);
    expect(h.running("svc").map((t) => t.slot).sort()).toEqual([1, 2, 3, 4, 5]);
    const svc2 = h.store.services.get("svc")!;
    h.apply([{ op: "service.spec", id: "svc", spec: updateSpec(svc2.spec, { replicas: 2 }), previousSpec: svc2.spec, previousSpecVersion: svc2.specVersion, updateStatus: null }]);
    h.pass();
    const removed = h.tasksOf("svc").filter((t) => t.desiredState === TaskState.REMOVE);
    expect(removed).toHaveLength(3);
    // Five tasks on three nodes (2,2,1): the second copies on the busy nodes go first, then the high slots.
    h.run(1 * S);
    // REMOVE tasks that stopped are deleted by the reaper.
    expect(h.tasksOf("svc").filter((t) => t.desiredState === TaskState.REMOVE)).toEqual([]);
    expect(h.running("svc")).toHaveLength(2);
  });

  it("restart.go: a failed task is shut down and replaced in its slot after the restart delay (default 5 s)", () => {
    const { h } = harness();
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 1 }) }]);
    h.run(1 * S);
    const first = h.running("svc")[0]!;
    h.apply([{ op: "task.status", id: first.id, status: { ...first.status, state: TaskState.FAILED, err: "task: non-zero exit (1)", timestamp: h.now } }]);
    h.pass();
    const replacement = h.tasksOf("svc").find((t) => t.id !== first.id)!;
    expect(h.store.tasks.get(first.id)!.desiredState).toBe(TaskState.SHUTDOWN);
    expect(replacement.slot).toBe(first.slot);
    expect(replacement.desiredState).toBe(TaskState.READY);
    h.run(4.8 * S);
    expect(h.store.tasks.get(replacement.id)!.desiredState).toBe(TaskState.READY);
    h.run(0.5 * S);
    expect(h.store.tasks.get(replacement.id)!.desiredState).toBe(TaskState.RUNNING);
    expect(h.running("svc").map((t) => t.id)).toEqual([replacement.id]);
  });

  it("restart.go shouldRestart: condition none never restarts; on-failure skips a clean exit", () => {
    const { h } = harness();
    h.apply([
      { op: "service.create", service: makeService("a", { name: "a", image: "busybox", restartCondition: "none" }) },
      { op: "service.create", service: makeService("b", { name: "b", image: "busybox", restartCondition: "on-failure" }) },
    ]);
    h.run(1 * S);
    for (const id of ["a", "b"]) {
      const t = h.running(id)[0]!;
      h.apply([{ op: "task.status", id: t.id, status: { ...t.status, state: TaskState.COMPLETE, message: "finished", timestamp: h.now } }]);
    }
    h.run(10 * S);
    expect(h.tasksOf("a")).toHaveLength(1);
    expect(h.tasksOf("b")).toHaveLength(1);
  });

  it("restart.go: --restart-max-attempts 2 stops after two restarts; the slot stays with its last task", () => {
    const { h } = harness();
    h.fail = () => true;
    h.apply([{ op: "service.create", service: makeService("svc", { name: "crash", image: "bad", restartMaxAttempts: 2, restartDelayUs: 1 * S }) }]);
    h.run(30 * S);
    const tasks = h.tasksOf("svc");
    expect(tasks).toHaveLength(3); // the first and two restarts
    expect(tasks.every((t) => t.status.state === TaskState.FAILED)).toBe(true);
  });

  it("restart.go: with --restart-window, only restarts within the window count", () => {
    const { h } = harness();
    h.fail = () => true;
    h.apply([{ op: "service.create", service: makeService("svc", { name: "crash", image: "bad", restartMaxAttempts: 1, restartDelayUs: 2 * S, restartWindowUs: 1 * S }) }]);
    h.run(20 * S);
    // Each restart is 2 s after the failure, outside the 1 s window: restarts never stop (the
    // reaper keeps MaxAttempts + 1 = 2 tasks of history, so count the failures reported).
    expect(h.reported.filter(([, s]) => s === TaskState.FAILED).length).toBeGreaterThan(5);
    expect(h.tasksOf("svc")).toHaveLength(2);
  });

  it("node down: the orchestrator replaces its tasks elsewhere without waiting for them to stop (waitStop off)", () => {
    const { h, ns } = harness();
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 3 }) }]);
    h.run(1 * S);
    const victim = ns[0]!;
    const lost = h.running("svc").filter((t) => t.nodeId === victim.id);
    expect(lost).toHaveLength(1);
    h.apply([{ op: "node.status", id: victim.id, status: { state: "down", message: "heartbeat failure", addr: "" } }]);
    h.run(6 * S);
    const running = h.running("svc");
    expect(running).toHaveLength(3);
    expect(running.some((t) => t.nodeId === victim.id)).toBe(false);
    expect(h.store.tasks.get(lost[0]!.id)!.desiredState).toBe(TaskState.SHUTDOWN);
  });

  it("drain: tasks move off at once (no restart delay on a drained node)", () => {
    const { h, ns } = harness();
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 3 }) }]);
    h.run(1 * S);
    h.apply([{ op: "node.spec", id: ns[1]!.id, spec: { ...ns[1]!.spec, availability: "drain" } }]);
    h.run(0.5 * S);
    const running = h.running("svc");
    expect(running).toHaveLength(3);
    expect(running.some((t) => t.nodeId === ns[1]!.id)).toBe(false);
  });
});

describe("global orchestrator (global/global.go)", () => {
  it("one task per eligible node; none on drained nodes or against constraints; new nodes get one", () => {
    const ns = nodes(3);
    const h = new ControlHarness(baseStore(ns));
    h.apply([{ op: "node.spec", id: ns[2]!.id, spec: { ...ns[2]!.spec, availability: "drain" } }]);
    h.apply([{ op: "service.create", service: makeService("g", { name: "agent", image: "node-exporter", mode: "global" }) }]);
    h.run(1 * S);
    expect(h.running("g").map((t) => t.nodeId).sort()).toEqual([ns[0]!.id, ns[1]!.id]);
    expect(h.running("g").every((t) => t.slot === 0)).toBe(true);
    h.apply([{ op: "node.spec", id: ns[2]!.id, spec: { ...ns[2]!.spec, availability: "active" } }]);
    h.run(1 * S);
    expect(h.running("g")).toHaveLength(3);
    h.apply([{ op: "node.spec", id: ns[0]!.id, spec: { ...ns[0]!.spec, labels: { role: "x" } } }]);
    const svc = h.store.services.get("g")!;
    h.apply([{ op: "service.spec", id: "g", spec: updateSpec(svc.spec, { constraintAdd: ["node.labels.role!=x"] }), previousSpec: svc.spec, previousSpecVersion: svc.specVersion, updateStatus: null }]);
    h.run(2 * S);
    expect(h.running("g").map((t) => t.nodeId).sort()).toEqual([ns[1]!.id, ns[2]!.id]);
  });
});

describe("task reaper (taskreaper/task_reaper.go)", () => {
  it("keeps at most the task history limit (5) per slot, deleting the oldest ended first", () => {
    const { h } = harness(1);
    h.fail = () => true;
    h.apply([{ op: "service.create", service: makeService("svc", { name: "crash", image: "bad", restartDelayUs: 1 * S }) }]);
    h.run(30 * S);
    expect(h.tasksOf("svc")).toHaveLength(5);
  });
});

describe("spec defaults (api/defaults/service.go)", () => {
  it("update and rollback configs: parallelism 1, delay 0, pause, monitor 5 s, ratio 0, stop-first; restart any, 5 s", () => {
    const s = serviceSpec({ name: "web", image: "nginx" });
    const want = { parallelism: 1, delayUs: 0, failureAction: "pause", monitorUs: 5 * S, maxFailureRatio: 0, order: "stop-first" };
    expect(s.update).toEqual(want);
    expect(s.rollback).toEqual(want);
    expect(s.task.restart).toEqual({ condition: "any", delayUs: 5 * S, maxAttempts: 0, windowUs: 0 });
    expect(s.task.container.stopGracePeriodUs).toBe(10 * S);
  });

  it("controlapi validation texts", () => {
    expect(() => serviceSpec({ name: "x", image: "" })).toThrow("rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided");
    expect(() => serviceSpec({ name: "x", image: "nginx", update: { maxFailureRatio: 2 } })).toThrow("update-maxfailureratio cannot be less than 0 or bigger than 1");
    expect(() => serviceSpec({ name: "x", image: "nginx", constraints: ["node.role=manager"] })).toThrow("constraint expected one operator from ==, !=");
    expect(() => serviceSpec({ name: "x", image: "nginx", endpointMode: "dnsrr", publish: [{ target: 80 }] })).toThrow("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
  });
});

describe("allocator (manager/allocator)", () => {
  it("a published ingress port without a number gets one from 30000; VIPs on ingress and task addresses", () => {
    const { h } = harness(2);
    h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx", replicas: 2, publish: [{ target: 80 }] }) }]);
    h.pass();
    const svc = h.store.services.get("svc")!;
    expect(svc.endpoint!.ports[0]!.publishedPort).toBe(30000);
    expect(svc.endpoint!.virtualIPs).toEqual([{ networkId: "ingress000000000000000000", addr: "10.0.0.2/24" }]);
    const addrs = live(h.tasksOf("svc")).map((t) => t.networks[0]!.addresses[0]).sort();
    expect(addrs).toEqual(["10.0.0.3/24", "10.0.0.4/24"]);
  });
});
