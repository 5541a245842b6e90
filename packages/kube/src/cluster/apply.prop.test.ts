// kubectl apply -f on a running cluster with drawn and mutated manifests: it applies or fails with a
// KubeError, never another exception, and a failure changes nothing (the store's revision and
// content are as they were).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manifestList, mutated } from "@drydock/testkit";
import { isKubeError } from "../errors.js";
import { canonical } from "../controllers/writes.js";
import { createKubeCluster } from "./cluster.js";

describe("kubectl apply, fuzzed", () => {
  it("drawn or mutated files apply or fail cleanly; a failure leaves the store as it was", () => {
    let ok = 0, refused = 0;
    fc.assert(fc.property(fc.oneof(manifestList().map((d) => d.text), mutated(manifestList().map((d) => d.text), { editsMax: 3 })), (text) => {
      const c = createKubeCluster({ seed: 5, records: false, trace: false });
      c.runFor("1s");
      const before = c.store.revision;
      const snapshot = canonical(c.store.list("Deployment").concat(c.store.list("Service") as never[], c.store.list("Pod") as never[]));
      try {
        c.applyYaml(text, "fuzz.yaml");
        ok++;
      } catch (e) {
        if (!isKubeError(e)) throw e;
        refused++;
        expect(c.store.revision).toBe(before);
        expect(canonical(c.store.list("Deployment").concat(c.store.list("Service") as never[], c.store.list("Pod") as never[]))).toBe(snapshot);
      }
      c.runFor("1s");
    }), { numRuns: 120 });
    expect(ok).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});
