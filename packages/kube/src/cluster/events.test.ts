// Events as the components record them: the scheduler (schedule_one.go: Scheduled,
// FailedScheduling), the kubelet (pkg/kubelet/events: Pulling, Pulled, Created, Started, Killing,
// BackOff, Unhealthy), the ReplicaSet controller (controller_utils.go: SuccessfulCreate) and the
// Deployment controller (sync.go: ScalingReplicaSet), aggregated by client-go's correlator (the
// same event again bumps count and lastTimestamp); shown as kubectl's printEvent rows and
// describe.go's DescribeEvents table.
import { describe, expect, it } from "vitest";
import type { Deployment, KubeEvent, Pod } from "../api/types.js";
import { eventsFor } from "../controllers/events.js";
import { describeEvents, eventRow } from "../views.js";
import { createKubeCluster } from "./cluster.js";

const web: Deployment = {
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
  spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } } },
};
const reasons = (es: readonly KubeEvent[]) => es.map((e) => e.reason);

describe("events", () => {
  it("a Deployment's rollout: ScalingReplicaSet, SuccessfulCreate per pod, and each pod's Scheduled → Pulling → Pulled → Created → Started", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply(web);
    c.runFor("5s");
    const d = c.deployment("web")!;
    const rs = c.replicaSets()[0]!;
    expect(eventsFor(c.store, d).map((e) => [e.reason, e.message, e.source.component])).toEqual([["ScalingReplicaSet", `Scaled up replica set ${rs.metadata.name} to 2`, "deployment-controller"]]);
    const pods = c.pods().map((p) => p.metadata.name).sort();
    expect(eventsFor(c.store, rs).map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p}`));
    const pod = c.pods()[0]!;
    const es = eventsFor(c.store, pod);
    expect(reasons(es)).toEqual(["Scheduled", "Pulling", "Pulled", "Created", "Started"]);
    expect(es[0]!.message).toBe(`Successfully assigned default/${pod.metadata.name} to ${pod.spec.nodeName}`);
    expect(es[1]).toMatchObject({ message: 'Pulling image "nginx:1.25"', source: { component: "kubelet", host: pod.spec.nodeName }, involvedObject: { fieldPath: "spec.containers{nginx}" } });
    expect(es[4]!.message).toBe("Started container nginx");
    // kubectl scale: "Scaled down replica set … to 1 from 2".
    c.scale("web", 1);
    c.runFor("2s");
    expect(eventsFor(c.store, d).at(-1)!.message).toBe(`Scaled down replica set ${rs.metadata.name} to 1 from 2`);
  });

  it("FailedScheduling with the scheduler's fit error when no node fits", () => {
    const c = createKubeCluster({ seed: 2 });
    const big: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "big" }, spec: { containers: [{ name: "app", image: "nginx", resources: { requests: { cpu: "64" } } }] } };
    c.apply(big);
    c.runFor("3s");
    const [e] = eventsFor(c.store, c.store.get("Pod", "default", "big")!);
    expect(e).toMatchObject({ type: "Warning", reason: "FailedScheduling", source: { component: "default-scheduler" } });
    expect(e!.message).toMatch(/^0\/3 nodes are available: .*2 Insufficient cpu/);
  });

  it("a failing liveness probe: Unhealthy (aggregated, count 3), Killing with the kubelet's reason; describe shows (x3 over …)", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply({
      apiVersion: "v1", kind: "Pod", metadata: { name: "sick" },
      spec: { containers: [{ name: "app", image: "unhealthy-web:1", ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { path: "/healthz", port: 80 }, periodSeconds: 5 } }] },
    });
    c.runFor("15s");
    const pod = c.store.get("Pod", "default", "sick")!;
    const es = eventsFor(c.store, pod);
    const unhealthy = es.find((e) => e.reason === "Unhealthy")!;
    expect(unhealthy).toMatchObject({ type: "Warning", message: "Liveness probe failed: HTTP probe failed with statuscode: 500", count: 3 });
    expect(es.find((e) => e.reason === "Killing")!.message).toBe("Container app failed liveness probe, will be restarted");
    expect(es.find((e) => e.reason === "BackOff")!.message).toBe(`Back-off restarting failed container app in pod sick_default(${pod.metadata.uid})`);
    const table = describeEvents(es, c.now)!;
    expect(table.find((r) => r[1] === "Unhealthy")![2]).toMatch(/^\d+s \(x3 over \d+s\)$/);
    expect(describeEvents([], c.now)).toBeNull();
  });

  it("kubectl get events' row: LAST SEEN, TYPE, REASON, OBJECT as kind/name, MESSAGE", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply(web);
    c.runFor("5s");
    const e = c.store.list("Event").find((x) => x.reason === "ScalingReplicaSet")!;
    expect(eventRow(e, c.now + 60_000_000)).toEqual([expect.stringMatching(/^6\ds$/), "Normal", "ScalingReplicaSet", "deployment/web", e.message]);
  });
});
