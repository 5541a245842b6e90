// DaemonSets (pkg/controller/daemon/daemon_controller.go): one pod per node the template may run
// on (NodeShouldRunDaemonPod: taints tolerated, nodeSelector matched), with the tolerations
// util.AddOrUpdateDaemonPodTolerations adds. Property: at every event, no node has two live pods
// of one DaemonSet; once quiet, every eligible node has one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DaemonSet } from "../api/types.js";
import { createKubeCluster, type KubeCluster } from "../cluster/cluster.js";
import { isPodReady } from "./writes.js";

const ds = (o: { tolerateControlPlane?: boolean; nodeSelector?: Record<string, string> } = {}): DaemonSet => ({
  apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "kube-system" },
  spec: {
    selector: { matchLabels: { name: "agent" } },
    template: {
      metadata: { labels: { name: "agent" } },
      spec: {
        containers: [{ name: "fluentd", image: "fluentd:v1.16" }],
        ...(o.tolerateControlPlane ? { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" as const, effect: "NoSchedule" as const }] } : {}),
        ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      },
    },
  },
});
const live = (c: KubeCluster) => c.pods("kube-system").filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== "Failed" && p.status?.phase !== "Succeeded");
const nodesOf = (c: KubeCluster) => live(c).map((p) => p.spec.nodeName).sort();

describe("the DaemonSet controller", () => {
  it("one pod on each worker; the control plane's NoSchedule taint keeps it off there", () => {
    const c = createKubeCluster({ seed: 1, nodes: 3 });
    c.apply(ds());
    c.runFor("5s");
    expect(nodesOf(c)).toEqual(["node-1", "node-2", "node-3"]);
    expect(live(c).every(isPodReady)).toBe(true);
    expect(c.store.get("DaemonSet", "kube-system", "agent")!.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberMisscheduled: 0 });
    // The controller's tolerations: a lost node does not evict its pod.
    expect(live(c)[0]!.spec.tolerations).toContainEqual({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" });
  });

  it("a toleration for the control plane's taint puts one there too; a nodeSelector narrows it", () => {
    const c = createKubeCluster({ seed: 1, nodes: 2 });
    c.apply(ds({ tolerateControlPlane: true }));
    c.runFor("5s");
    expect(nodesOf(c)).toEqual(["control-plane", "node-1", "node-2"]);
    const d = createKubeCluster({ seed: 1, nodes: 2 });
    d.apply(ds({ nodeSelector: { "kubernetes.io/hostname": "node-2" } }));
    d.runFor("5s");
    expect(nodesOf(d)).toEqual(["node-2"]);
  });

  it("a deleted pod is made again on its node", () => {
    const c = createKubeCluster({ seed: 4, nodes: 2 });
    c.apply(ds());
    c.runFor("5s");
    const victim = live(c).find((p) => p.spec.nodeName === "node-1")!;
    c.delete("Pod", victim.metadata.name, "kube-system");
    c.runFor("5s");
    expect(nodesOf(c)).toEqual(["node-1", "node-2"]);
    expect(live(c).find((p) => p.spec.nodeName === "node-1")!.metadata.name).not.toBe(victim.metadata.name);
  });

  it("property: at every event no node runs two live pods of the DaemonSet; quiet again, each eligible node runs one", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer({ min: 1, max: 1000 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 20 }), fc.boolean()), { maxLength: 3 }),
      (workers, tolerate, seed, faults) => {
        const c = createKubeCluster({ seed, nodes: workers });
        c.apply(ds({ tolerateControlPlane: tolerate }));
        const check = () => {
          const on = new Map<string, number>();
          for (const p of live(c)) on.set(p.spec.nodeName ?? "", (on.get(p.spec.nodeName ?? "") ?? 0) + 1);
          for (const n of on.values()) expect(n).toBeLessThanOrEqual(1);
        };
        for (const [w, secs, del] of faults) {
          const end = c.now + secs * 1_000_000;
          while (c.sim.nextEventTime <= end) { c.sim.step(); check(); }
          const node = `node-${Math.min(w, workers)}`;
          const p = live(c).find((x) => x.spec.nodeName === node);
          if (del && p) c.delete("Pod", p.metadata.name, "kube-system");
          else if (!del) { c.crash(node); c.runFor("3s"); check(); c.restart(node); }
        }
        const end = c.now + 30_000_000;
        while (c.sim.nextEventTime <= end) { c.sim.step(); check(); }
        const want = [...(tolerate ? ["control-plane"] : []), ...Array.from({ length: workers }, (_, i) => `node-${i + 1}`)].sort();
        expect(nodesOf(c)).toEqual(want);
      },
    ), { numRuns: 20 });
  });
});
