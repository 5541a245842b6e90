import { describe, expect, it } from "vitest";
import { createRolloutDriver, NEW_IMAGE, OLD_IMAGE, REPLICAS, ROLLOUT_KEYS, UNDO_LINE, UPDATE_LINE, rolloutScript } from "./driver.js";
import type { RolloutViewModel } from "./model.js";

// Issue 15, the rollout view. The rules are the deployment controller's (kubernetes
// pkg/controller/deployment/rolling.go): the new ReplicaSet is scaled up while all pods stay
// within replicas + maxSurge, the old ones down while available pods stay at or above
// replicas - maxUnavailable (deployment/util ResolveFenceposts: surge rounds up, unavailable
// down); `kubectl rollout undo` copies the previous revision's template back, so the old
// ReplicaSet becomes the newest revision (rollback.go) and scales up again.

type D = ReturnType<typeof createRolloutDriver>;
const view = (d: D): RolloutViewModel => d.view([], { selected: null });
const type = (d: D, line: string) => d.timeline.act({ type: "exec", host: "control-plane", line });

function runUntil(d: D, done: (v: RolloutViewModel) => boolean, limit = 120): RolloutViewModel[] {
  const t0 = d.sim.now;
  const seen: RolloutViewModel[] = [];
  for (let i = 1; i <= limit; i++) {
    d.timeline.runUntil(t0 + i * 250_000);
    const v = view(d);
    seen.push(v);
    if (done(v)) break;
  }
  return seen;
}

const live = (v: RolloutViewModel) => v.replicaSets.flatMap((r) => r.pods).filter((p) => p.state !== "terminating");

describe("the kube-rollout driver", () => {
  it("opens on the tree: one Deployment, one ReplicaSet of the old image owning every pod, all ready", () => {
    const v = view(createRolloutDriver("1", {}));
    expect(v.deployment).toMatchObject({ name: "web", image: OLD_IMAGE, revision: 1, replicas: REPLICAS, surge: 1, unavailable: 1, complete: true });
    expect(v.replicaSets).toHaveLength(1);
    expect(v.replicaSets[0]).toMatchObject({ image: OLD_IMAGE, desired: REPLICAS, ready: REPLICAS, current: true, revision: 1 });
    expect(v.replicaSets[0]!.pods.map((p) => p.state)).toEqual(Array(REPLICAS).fill("ready"));
    // The control plane tainted NoSchedule: the pods run on the workers only.
    expect(new Set(v.replicaSets[0]!.pods.map((p) => p.node))).toEqual(new Set(["node-1", "node-2"]));
    expect(v.caption.step).toBe("steady");
  });

  for (const [surge, unavailable, max, min] of [["1", "1", 5, 3], ["2", "0", 6, 4], ["0", "1", 4, 3], ["25%", "25%", 5, 3]] as const) {
    it(`maxSurge ${surge}, maxUnavailable ${unavailable}: the pods move from the old ReplicaSet to the new within ${max} pods and ${min} ready`, () => {
      const d = createRolloutDriver("1", { surge, unavailable });
      type(d, UPDATE_LINE);
      const seen = runUntil(d, (v) => v.caption.step === "updated");
      const last = seen[seen.length - 1]!;
      expect(last.caption.step).toBe("updated");
      for (const v of seen) {
        expect(live(v).length).toBeLessThanOrEqual(max);
        expect(live(v).filter((p) => p.state === "ready").length).toBeGreaterThanOrEqual(min);
      }
      // Both ReplicaSets had pods at once: the tree moved in steps, not all at once.
      expect(seen.some((v) => v.replicaSets.filter((r) => r.pods.some((p) => p.state !== "terminating")).length === 2)).toBe(true);
      expect(seen.some((v) => v.caption.step === "rolling")).toBe(true);
      const [cur, old] = last.replicaSets;
      expect(cur).toMatchObject({ image: NEW_IMAGE, desired: REPLICAS, ready: REPLICAS, current: true, revision: 2 });
      expect(old).toMatchObject({ image: OLD_IMAGE, desired: 0, current: false, revision: 1 });
    });
  }

  it("rollout undo scales the old ReplicaSet back up as revision 3; the loop names each component that acted", () => {
    const d = createRolloutDriver("1", {});
    type(d, UPDATE_LINE);
    runUntil(d, (v) => v.caption.step === "updated");
    const rs1 = view(d).replicaSets.find((r) => r.image === OLD_IMAGE)!.name;
    type(d, UNDO_LINE);
    const seen = runUntil(d, (v) => v.caption.step === "undone");
    expect(seen.some((v) => v.caption.step === "undoing")).toBe(true);
    const v = seen[seen.length - 1]!;
    expect(v.deployment).toMatchObject({ image: OLD_IMAGE, revision: 3 });
    expect(v.replicaSets[0]).toMatchObject({ name: rs1, revision: 3, desired: REPLICAS, ready: REPLICAS, current: true });
    // Events recorded by the components (source.component) over the undo.
    const who = new Set(seen.flatMap((x) => x.loop.steps.map((s) => `${s.component} ${s.who}`)));
    expect(v.loop.command?.line).toBe(UNDO_LINE);
    expect(seen[0]!.loop.active).toContain("kubectl");
    expect(who).toContain("controller-manager deployment-controller");
    expect(who).toContain("controller-manager replicaset-controller");
    expect(who).toContain("scheduler default-scheduler");
    expect([...who].some((w) => /^kubelet kubelet on node-[12]$/.test(w))).toBe(true);
    expect(seen.some((x) => x.loop.active.includes("controller-manager") && x.loop.active.includes("etcd"))).toBe(true);
    for (const x of seen) if (x.loop.latest !== null) expect(x.loop.active).toContain(x.loop.latest);
    expect(seen.some((x) => x.loop.latest === "kubelet")).toBe(true);
    // Each write raised etcd's revision.
    expect(v.loop.revision).toBeGreaterThan(view(createRolloutDriver("1", {})).loop.revision);
  });

  // QA walk of session 5, D11: kubectl describe lists Events oldest first (kubectl/pkg/describe:
  // sort.Sort(event.SortableEvents), by lastTimestamp); one pod's kubelet Events read Pulled,
  // Created, Started (kubelet's order: kuberuntime_container.go startContainer), and the
  // scheduler's are its own text (kube-scheduler schedule_one.go: "Successfully assigned %v/%v to %v").
  it("the loop lists Events oldest first, in the order they were written, in kubectl's words", () => {
    const d = createRolloutDriver("1", {});
    type(d, UPDATE_LINE);
    const v = runUntil(d, (x) => x.caption.step === "updated").pop()!;
    const steps = v.loop.steps;
    expect(steps.length).toBeGreaterThan(3);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.t > steps[i - 1]!.t || (steps[i]!.t === steps[i - 1]!.t && steps[i]!.rv > steps[i - 1]!.rv)).toBe(true);
    const byPod = new Map<string, string[]>();
    for (const s of steps.filter((x) => x.component === "kubelet")) byPod.set(s.object, [...(byPod.get(s.object) ?? []), s.reason]);
    for (const reasons of byPod.values()) {
      const order = ["Pulling", "Pulled", "Created", "Started"].filter((r) => reasons.includes(r));
      expect(reasons.filter((r) => order.includes(r))).toEqual(order);
    }
    for (const s of steps.filter((x) => x.component === "scheduler")) expect(s.message).toMatch(/^Successfully assigned default\/web-\S+ to node-\d$/);
  });

  it("a link's action log replays to the same tree, and one from another setup is refused", () => {
    const d = createRolloutDriver("1", {});
    type(d, UPDATE_LINE);
    runUntil(d, (v) => v.caption.step === "rolling");
    const at = d.sim.now;
    const again = createRolloutDriver("1", {});
    again.timeline.loadActions(d.sim.actionLog);
    again.timeline.runUntil(at);
    expect(view(again)).toEqual(view(d));
    expect(again.sim.traceHash()).toBe(d.sim.traceHash());
    const other = createRolloutDriver("1", { surge: "2", unavailable: "0" });
    expect(() => other.timeline.loadActions(d.sim.actionLog)).toThrow(/not this scenario's/);
  });

  it("the keys type the lines, and refuse what does not apply", () => {
    const d = createRolloutDriver("1", {});
    const [u, z] = ROLLOUT_KEYS;
    const input = { now: 0, selected: null, ui: {} };
    expect(z!.run(view(d), input)).toEqual({ refused: "no previous revision to roll back to" });
    expect(u!.run(view(d), input)).toMatchObject({ actions: [{ type: "exec", host: "control-plane", line: UPDATE_LINE }] });
  });

  it("a link with both fenceposts at 0 opens with maxUnavailable 1 (the API server refuses 0/0)", () => {
    expect(rolloutScript({ surge: "0", unavailable: "0" }).files["/root/web.yaml"]).toContain("maxUnavailable: 1");
  });

  it("notable marks the ReplicaSets' scaling steps after the setup", () => {
    const d = createRolloutDriver("1", {});
    type(d, UPDATE_LINE);
    runUntil(d, (v) => v.caption.step === "updated");
    const marks = d.notable(d.sim.trace, 0).map((m) => m.label);
    expect(marks.some((m) => /^web-[a-z0-9]+ scaled to 1$/.test(m))).toBe(true);
    expect(marks.some((m) => /scaled to 0$/.test(m))).toBe(true);
    expect(marks[marks.length - 1]).toBe("web rolled out: 4 of 4 updated and available");
  });
});
