// StatefulSets (pkg/controller/statefulset/stateful_set_control.go): stable ordinal names, each
// pod's hostname and subdomain, OrderedReady creation and removal, Parallel. Property: under
// OrderedReady, pod i+1 is never created before pod i is Running and Ready.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StatefulSet } from "../api/types.js";
import { createKubeCluster, type KubeCluster } from "../cluster/cluster.js";
import { eventsFor } from "./events.js";
import { isPodReady } from "./writes.js";

const web = (replicas: number, policy?: "Parallel", image = "nginx:1.27"): StatefulSet => ({
  apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "web" },
  spec: {
    replicas, serviceName: "nginx", selector: { matchLabels: { app: "nginx" } }, ...(policy ? { podManagementPolicy: policy } : {}),
    template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image, ports: [{ containerPort: 80, name: "web" }] }] } },
  },
});
const names = (c: KubeCluster) => c.pods().filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();

describe("the StatefulSet controller", () => {
  it("web-0, web-1, web-2 one after another, each once the one before is Ready; hostname and subdomain for the headless Service", () => {
    const c = createKubeCluster({ seed: 1 });
    c.apply(web(3));
    expect(c.store.get("StatefulSet", "default", "web")!.spec).toMatchObject({ podManagementPolicy: "OrderedReady", replicas: 3 });
    c.runFor("1s");
    expect(names(c)).toEqual(["web-0"]);
    c.runFor("10s");
    expect(names(c)).toEqual(["web-0", "web-1", "web-2"]);
    const p = c.store.get("Pod", "default", "web-1")!;
    expect(p.spec).toMatchObject({ hostname: "web-1", subdomain: "nginx" });
    expect(p.metadata.labels).toMatchObject({ "statefulset.kubernetes.io/pod-name": "web-1", "apps.kubernetes.io/pod-index": "1" });
    // The headless Service's slice names each pod by its hostname (CoreDNS answers web-1.nginx.default.svc.cluster.local from it).
    c.apply({ apiVersion: "v1", kind: "Service", metadata: { name: "nginx" }, spec: { clusterIP: "None", selector: { app: "nginx" }, ports: [{ port: 80 }] } });
    c.runFor("1s");
    expect(c.store.list("EndpointSlice").flatMap((x) => x.endpoints).map((e) => e.hostname).sort()).toEqual(["web-0", "web-1", "web-2"]);
    const created = c.pods().map((x) => [x.metadata.name, x.metadata.creationTimestamp!] as const).sort((a, b) => a[1] - b[1]).map(([n]) => n);
    expect(created).toEqual(["web-0", "web-1", "web-2"]);
    expect(eventsFor(c.store, c.store.get("StatefulSet", "default", "web")!).map((e) => e.message)).toEqual(["web-0", "web-1", "web-2"].map((n) => `create Pod ${n} in StatefulSet web successful`));
  });

  it("scaling down removes the highest ordinal first, one at a time; a deleted pod comes back under its name", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply(web(3));
    c.runFor("15s");
    c.delete("Pod", "web-1");
    c.runFor("10s");
    expect(names(c)).toEqual(["web-0", "web-1", "web-2"]);
    c.act({ type: "kube/scale", kind: "StatefulSet", name: "web", namespace: "default", replicas: 1 });
    c.runFor("150ms");
    expect(names(c)).toEqual(["web-0", "web-1"]);
    c.runFor("10s");
    expect(names(c)).toEqual(["web-0"]);
  });

  it("a pod that never gets Ready holds the rest back (OrderedReady); Parallel does not wait", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(web(3, undefined, "badweb:1"));
    c.runFor("30s");
    expect(names(c)).toEqual(["web-0"]);
    const d = createKubeCluster({ seed: 3 });
    d.apply(web(3, "Parallel", "badweb:1"));
    d.runFor("1s");
    expect(names(d)).toEqual(["web-0", "web-1", "web-2"]);
  });

  it("property (OrderedReady): at every event, a new pod web-(i+1) appears only while web-i is Running and Ready", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1000 }), fc.option(fc.integer({ min: 1, max: 20 })), (replicas, seed, crashAt) => {
      const c = createKubeCluster({ seed });
      const seen = new Set<string>();
      const check = () => {
        for (const p of c.pods()) {
          if (seen.has(p.metadata.uid!)) continue;
          seen.add(p.metadata.uid!);
          const i = Number(p.metadata.name.split("-")[1]);
          if (i === 0) continue;
          const before = c.store.get("Pod", "default", `web-${i - 1}`);
          expect(before !== undefined && before.status?.phase === "Running" && isPodReady(before) && before.metadata.deletionTimestamp === undefined).toBe(true);
        }
      };
      c.apply(web(replicas));
      check();
      const end = c.now + 60_000_000;
      let crashed = false;
      while (c.sim.nextEventTime <= end) {
        c.sim.step();
        if (crashAt !== null && !crashed && c.now >= crashAt * 1_000_000) { c.crash("node-1"); crashed = true; }
        check();
      }
    }), { numRuns: 25 });
  });
});
