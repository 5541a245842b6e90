import { describe, expect, it } from "vitest";
import { ControlHarness, baseStore, makeService, nodes } from "../fixtures.test-util.js";
import { updateSpec, type ServiceOptions, type ServiceUpdate } from "../spec.js";
import { TaskState, type ServiceSpec } from "../types.js";

const S = 1_000_000;

function setup(o: Partial<ServiceOptions> = {}, n = 4) {
  const h = new ControlHarness(baseStore(nodes(n)));
  h.fail = (t) => t.spec.container.image.startsWith("bad");
  h.apply([{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx:1", replicas: 4, ...o }) }]);
  h.run(1 * S);
  return h;
}

/** docker service update: a new spec, the current one kept as the previous, the update status reset. */
function update(h: ControlHarness, u: ServiceUpdate): void {
  const s = h.store.services.get("svc")!;
  h.apply([{ op: "service.spec", id: "svc", spec: updateSpec(s.spec, u), previousSpec: s.spec, previousSpecVersion: s.specVersion, updateStatus: null }]);
}

/** docker service rollback (controlapi UpdateService with Rollback = PREVIOUS). */
function rollback(h: ControlHarness): void {
  const s = h.store.services.get("svc")!;
  h.apply([{
    op: "service.spec", id: "svc", spec: s.previousSpec as ServiceSpec, previousSpec: s.spec, previousSpecVersion: s.specVersion,
    keepSpecVersion: s.previousSpecVersion!, updateStatus: { state: "rollback_started", startedAt: h.now, completedAt: null, message: "manually requested rollback" },
  }]);
}

const images = (h: ControlHarness) => h.running("svc").map((t) => t.spec.container.image).sort();
const status = (h: ControlHarness) => h.store.services.get("svc")!.updateStatus;

describe("updater (orchestrator/update/updater.go)", () => {
  it("stop-first, parallelism 1: one task at a time; 'update in progress' then 'update completed' after the monitor period", () => {
    const h = setup();
    update(h, { image: "nginx:2" });
    h.pass();
    expect(status(h)).toMatchObject({ state: "updating", message: "update in progress" });
    // One slot is being replaced: its old task is shut down and the new one waits (desired READY).
    const live = h.tasksOf("svc").filter((t) => t.desiredState <= TaskState.RUNNING);
    expect(live.filter((t) => t.spec.container.image === "nginx:2")).toHaveLength(1);
    expect(live.filter((t) => t.spec.container.image === "nginx:1")).toHaveLength(3);
    h.run(2 * S);
    expect(images(h)).toEqual(["nginx:2", "nginx:2", "nginx:2", "nginx:2"]);
    expect(status(h)!.state).toBe("updating"); // still monitoring (5 s)
    h.run(5 * S);
    expect(status(h)).toMatchObject({ state: "completed", message: "update completed" });
  });

  it("--update-parallelism 2 --update-delay 10s: two at a time, ten seconds apart", () => {
    const h = setup({ update: { parallelism: 2, delayUs: 10 * S } });
    update(h, { image: "nginx:2" });
    h.run(3 * S);
    expect(images(h).filter((i) => i === "nginx:2")).toHaveLength(2);
    h.run(8 * S);
    expect(images(h).filter((i) => i === "nginx:2")).toHaveLength(4);
    // Each worker also waits its delay after its last slot (≈ 21.4 s); then, the delay (10 s)
    // being longer than the monitor (5 s), monitoring lasts delay + 1 s: completed at ≈ 32.4 s.
    h.run(19 * S);
    expect(status(h)!.state).toBe("updating");
    h.run(2 * S);
    expect(status(h)!.state).toBe("completed");
  });

  it("start-first never lets the running count drop below the replicas", () => {
    const h = setup({ update: { order: "start-first" } });
    update(h, { image: "nginx:2" });
    let min = Infinity;
    for (let i = 0; i < 100; i++) {
      h.pass();
      h.agents();
      min = Math.min(min, h.tasksOf("svc").filter((t) => t.status.state === TaskState.RUNNING).length);
      h.now += 100_000;
    }
    expect(min).toBeGreaterThanOrEqual(4);
    expect(images(h)).toEqual(["nginx:2", "nginx:2", "nginx:2", "nginx:2"]);
  });

  it("failure action pause: 'update paused due to failure or early termination of task <id>'", () => {
    const h = setup();
    update(h, { image: "bad:1" });
    h.run(5 * S);
    const failed = h.tasksOf("svc").find((t) => t.status.state === TaskState.FAILED)!;
    expect(status(h)).toMatchObject({ state: "paused", message: `update paused due to failure or early termination of task ${failed.id}` });
    // The update stopped at the first failure: three slots still run the old image. (The failed
    // slot keeps being restarted with the new spec, as SwarmKit does during a paused update.)
    expect(h.running("svc").filter((t) => t.spec.container.image === "nginx:1")).toHaveLength(3);
  });

  it("failure action rollback: the previous spec comes back (rollback_started → rollback_completed)", () => {
    const h = setup({ update: { failureAction: "rollback" } });
    update(h, { image: "bad:1" });
    h.run(3 * S);
    const s = h.store.services.get("svc")!;
    expect(s.updateStatus!.state).toBe("rollback_started");
    expect(s.updateStatus!.message).toMatch(/^update rolled back due to failure or early termination of task [0-9a-z]{25}$/);
    expect(s.spec.task.container.image).toBe("nginx:1");
    expect(s.previousSpec).toBeNull();
    h.run(20 * S);
    expect(status(h)).toMatchObject({ state: "rollback_completed", message: "rollback completed" });
    expect(images(h)).toEqual(["nginx:1", "nginx:1", "nginx:1", "nginx:1"]);
  });

  it("a rollback that fails pauses: rollback_paused (the rollback config's action, pause by default)", () => {
    const h = setup({ image: "bad:1", update: { failureAction: "rollback" } });
    update(h, { image: "bad:2" });
    h.run(30 * S);
    const st = status(h)!;
    expect(st.state).toBe("rollback_paused");
    expect(st.message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
    expect(h.store.services.get("svc")!.spec.task.container.image).toBe("bad:1");
  });

  it("--update-max-failure-ratio: updater.go divides failures by the dirty slots (the tasks being updated), not by those updated so far", () => {
    // Two of four new tasks fail (ratio 0.5 is not exceeded at 2/4); the third failure would be.
    const h = setup({ update: { maxFailureRatio: 0.5, failureAction: "pause" } });
    let n = 0;
    h.fail = (t) => t.spec.container.image === "flaky:1" && ++n <= 2;
    update(h, { image: "flaky:1" });
    h.run(20 * S);
    expect(status(h)!.state).toBe("completed");
  });

  it("SwarmKit's quirk, kept: a start-first update paused mid-way leaves the old tasks of the slots it was replacing running", () => {
    // Draining the node of a task the update just created shuts that task down: a failure of the
    // update (updater.go counts any end before RUNNING), so it pauses; a stopped updater returns
    // without shutting down the old tasks of the slots in progress (updateTask, startThenStop).
    const h = setup({ replicas: 3, update: { order: "start-first", parallelism: 2 } });
    update(h, { image: "nginx:2" });
    h.pass();
    const fresh = h.tasksOf("svc").find((t) => t.spec.container.image === "nginx:2" && t.nodeId !== "")!;
    const node = h.store.nodes.get(fresh.nodeId)!;
    h.apply([{ op: "node.spec", id: node.id, spec: { ...node.spec, availability: "drain" } }]);
    h.run(10 * S);
    expect(status(h)!.state).toBe("paused");
    expect(h.running("svc")).toHaveLength(5); // docker service ls would say 5/3
    expect(new Set(h.running("svc").map((t) => t.slot)).size).toBe(3);
  });

  it("failure action continue ignores failures", () => {
    const h = setup({ update: { failureAction: "continue" } });
    update(h, { image: "bad:1" });
    h.run(20 * S);
    expect(status(h)!.state).toBe("completed");
  });

  it("--force replaces every task though the spec is otherwise unchanged", () => {
    const h = setup();
    const before = new Set(h.running("svc").map((t) => t.id));
    update(h, { force: true });
    h.run(15 * S);
    const after = h.running("svc");
    expect(after).toHaveLength(4);
    expect(after.some((t) => before.has(t.id))).toBe(false);
    expect(status(h)!.state).toBe("completed");
  });

  it("docker service rollback: 'manually requested rollback' → rollback_completed with the old image", () => {
    const h = setup();
    update(h, { image: "nginx:2" });
    h.run(15 * S);
    rollback(h);
    h.run(15 * S);
    expect(images(h)).toEqual(["nginx:1", "nginx:1", "nginx:1", "nginx:1"]);
    expect(status(h)).toMatchObject({ state: "rollback_completed", message: "rollback completed" });
  });

  it("a scale-only change updates nothing (replicas are not part of the task spec)", () => {
    const h = setup();
    const before = new Set(h.running("svc").map((t) => t.id));
    update(h, { replicas: 6 });
    h.run(2 * S);
    expect(h.running("svc").filter((t) => before.has(t.id))).toHaveLength(4);
    expect(h.running("svc")).toHaveLength(6);
    expect(status(h)).toBeNull();
  });
});
