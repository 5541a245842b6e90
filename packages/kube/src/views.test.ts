import { describe, expect, it } from "vitest";
import { createKubeCluster } from "./cluster/cluster.js";
import type { Deployment } from "./api/types.js";
import { deploymentRow, humanDuration, nodeRow, podRow, replicaSetRow, rolloutStatus, serviceRow } from "./views.js";

const S = 1_000_000;

describe("kubectl's columns", () => {
  it("AGE as duration.HumanDuration prints it", () => {
    const cases: [number, string][] = [[0, "0s"], [59, "59s"], [119, "119s"], [120, "2m"], [150, "2m30s"], [600, "10m"], [179 * 60, "179m"], [3 * 3600, "3h"], [3 * 3600 + 60, "3h1m"], [10 * 3600, "10h"], [50 * 3600, "2d2h"], [9 * 86400, "9d"], [800 * 86400, "2y70d"]];
    for (const [s, text] of cases) expect(humanDuration(s * S), String(s)).toBe(text);
  });

  it("a pod of two containers shares one IP; READY counts its ready containers, STATUS shows the one that fails", () => {
    const c = createKubeCluster({ seed: 22 });
    c.apply({ apiVersion: "v1", kind: "Pod", metadata: { name: "duo" }, spec: { containers: [{ name: "web", image: "nginx" }, { name: "sidecar", image: "bad/logger" }] } });
    c.runFor("20s");
    const p = c.store.get("Pod", "default", "duo")!;
    expect(podRow(p, c.now).slice(1, 4)).toEqual(["1/2", "CrashLoopBackOff", "2"]);
    expect(p.status?.containerStatuses?.map((x) => [x.name, x.ready])).toEqual([["web", true], ["sidecar", false]]);
    expect(p.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
  });

  it("get pods, deployments, replicasets, services, nodes on a running cluster; rollout status along the way", () => {
    const c = createKubeCluster({ seed: 21 });
    const d: Deployment = {
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx" }] } } },
    };
    c.apply(d, { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80 }] } });
    c.runFor("500ms");
    expect(rolloutStatus(c.deployment("web")!).message).toBe('Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...');
    expect(podRow(c.pods()[0]!, c.now).slice(1, 4)).toEqual(["0/1", "ContainerCreating", "0"]);
    c.runFor("90s");
    expect(rolloutStatus(c.deployment("web")!)).toEqual({ message: 'deployment "web" successfully rolled out', done: true });
    const pod = c.pods()[0]!;
    expect(podRow(pod, c.now)).toEqual([pod.metadata.name, "1/1", "Running", "0", "90s"]);
    expect(podRow(pod, c.now, true).slice(5, 7)).toEqual([pod.status!.podIP!, pod.spec.nodeName!]);
    expect(deploymentRow(c.deployment("web")!, c.now)).toEqual(["web", "2/2", "2", "2", "90s"]);
    const rs = c.replicaSets()[0]!;
    expect(replicaSetRow(rs, c.now)).toEqual([rs.metadata.name, "2", "2", "2", "90s"]);
    const svc = c.store.get("Service", "default", "web")!;
    expect(serviceRow(svc, c.now)).toEqual(["web", "NodePort", svc.spec.clusterIP!, "<none>", `80:${svc.spec.ports![0]!.nodePort}/TCP`, "90s"]);
    expect(serviceRow(c.store.get("Service", "default", "kubernetes")!, c.now)).toEqual(["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "90s"]);
    expect(c.store.list("Node").map((n) => nodeRow(n, c.now).slice(0, 3))).toEqual([["control-plane", "Ready", "control-plane"], ["node-1", "Ready", "<none>"], ["node-2", "Ready", "<none>"]]);
    c.setImage("web", "nginx", "bad/nginx");
    c.runFor("30s");
    expect(rolloutStatus(c.deployment("web")!).message).toBe('Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...');
    const crashing = c.pods().find((p) => p.spec.containers[0]!.image === "bad/nginx")!;
    expect(podRow(crashing, c.now)[2]).toBe("CrashLoopBackOff");
    c.delete("Pod", crashing.metadata.name);
    expect(podRow(c.store.get("Pod", "default", crashing.metadata.name)!, c.now)[2]).toBe("Terminating");
  });
});
