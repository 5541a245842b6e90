// Jobs (pkg/controller/job/job_controller.go, NonIndexed): completions, parallelism, backoffLimit;
// batch/v1 defaults (completions 1, parallelism 1, backoffLimit 6) and validation of restartPolicy.
// Property: at every event, a Job has no more active pods than parallelism (nor than the
// completions it still wants), and succeeded never exceeds completions.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Job } from "../api/types.js";
import { createKubeCluster, type KubeCluster } from "../cluster/cluster.js";
import { eventsFor } from "./events.js";
import { controllerOf } from "./writes.js";

const job = (name: string, o: { completions?: number; parallelism?: number; backoffLimit?: number; image?: string; args?: string[]; restartPolicy?: "Never" | "OnFailure" } = {}): Job => ({
  apiVersion: "batch/v1", kind: "Job", metadata: { name },
  spec: {
    ...(o.completions !== undefined ? { completions: o.completions } : {}), ...(o.parallelism !== undefined ? { parallelism: o.parallelism } : {}),
    ...(o.backoffLimit !== undefined ? { backoffLimit: o.backoffLimit } : {}),
    template: { spec: { restartPolicy: o.restartPolicy ?? "Never", containers: [{ name: "pi", image: o.image ?? "perl:5.34.0", command: ["sh", "-c"], args: o.args ?? ["sleep 3"] }] } },
  },
});
const podsOf = (c: KubeCluster, name: string) => c.pods().filter((p) => controllerOf(p)?.uid === c.store.get("Job", "default", name)!.metadata.uid);
const activeOf = (c: KubeCluster, name: string) => podsOf(c, name).filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata.deletionTimestamp).length;

describe("the Job controller", () => {
  it("defaults and a one-pod job: the pod runs its command, succeeds, and the Job is Complete with the controller's events", () => {
    const c = createKubeCluster({ seed: 1 });
    c.apply(job("pi"));
    expect(c.store.get("Job", "default", "pi")!.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: "NonIndexed" });
    c.runFor("10s");
    const j = c.store.get("Job", "default", "pi")!;
    expect(j.status).toMatchObject({ succeeded: 1, conditions: [{ type: "Complete", status: "True" }] });
    const [p] = podsOf(c, "pi");
    expect(p!.status!.phase).toBe("Succeeded");
    expect(p!.metadata.labels).toMatchObject({ "batch.kubernetes.io/job-name": "pi", "job-name": "pi", "controller-uid": j.metadata.uid });
    expect(eventsFor(c.store, j).map((e) => e.reason)).toEqual(["SuccessfulCreate", "Completed"]);
  });

  it("completions 5, parallelism 2: two at a time, then the last one alone; five succeeded", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply(job("batch", { completions: 5, parallelism: 2 }));
    let most = 0;
    for (let i = 0; i < 60; i++) { c.runFor("500ms"); most = Math.max(most, activeOf(c, "batch")); }
    expect(most).toBe(2);
    expect(c.store.get("Job", "default", "batch")!.status).toMatchObject({ succeeded: 5 });
    expect(podsOf(c, "batch")).toHaveLength(5);
  });

  it("backoffLimit: failures past it fail the Job (BackoffLimitExceeded) and nothing runs after", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(job("doomed", { backoffLimit: 2, args: ["exit 1"] }));
    c.runFor("30s");
    const j = c.store.get("Job", "default", "doomed")!;
    expect(j.status).toMatchObject({ failed: 3, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }] });
    expect(activeOf(c, "doomed")).toBe(0);
    expect(eventsFor(c.store, j).some((e) => e.type === "Warning" && e.reason === "BackoffLimitExceeded")).toBe(true);
  });

  it("a Job's template must not restart Always: the API server's error", () => {
    const c = createKubeCluster({ seed: 1 });
    const bad = job("x");
    expect(() => c.apply({ ...bad, spec: { ...bad.spec, template: { spec: { ...bad.spec.template.spec, restartPolicy: "Always" } } } }))
      .toThrow('spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  it("property: at every event, active ≤ min(parallelism, completions − succeeded) and succeeded ≤ completions", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.integer({ min: 1, max: 1000 }),
      (completions, parallelism, sleep, flaky, seed) => {
        const c = createKubeCluster({ seed });
        c.apply(job("p", { completions, parallelism, backoffLimit: 100, args: [flaky ? `sleep ${sleep}; exit ${seed % 2}` : `sleep ${sleep}`] }));
        const end = c.now + 90_000_000;
        while (c.sim.nextEventTime <= end) {
          c.sim.step();
          const j = c.store.get("Job", "default", "p")!;
          const succeeded = j.status?.succeeded ?? 0;
          expect(succeeded).toBeLessThanOrEqual(completions);
          expect(activeOf(c, "p")).toBeLessThanOrEqual(Math.max(0, Math.min(parallelism, completions - succeeded)));
        }
      },
    ), { numRuns: 25 });
  });
});
