// Scenarios of the course's Kubernetes module on a simulated cluster: a Deployment reaches its
// replicas, a Service's EndpointSlice follows its ready pods, a rolling update and an undo, the
// revision history, pause/resume, Recreate, adoption and orphaning, a node lost and its pods evicted.
import { describe, expect, it } from "vitest";
import type { Deployment, Service } from "../api/types.js";
import { isPodReady } from "../controllers/writes.js";
import { REVISION_ANNOTATION, rolloutHistory } from "../controllers/deployment.js";
import { createKubeCluster, type KubeCluster } from "./cluster.js";

const web = (replicas = 3, image = "nginx:1.24", strategy?: Deployment["spec"]["strategy"]): Deployment => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } },
  spec: {
    replicas, selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image, ports: [{ containerPort: 80 }] }] } },
    ...(strategy ? { strategy } : {}),
  },
});
const svc: Service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 80 }] } };

const ready = (c: KubeCluster) => c.pods().filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp);
const images = (c: KubeCluster) => [...new Set(c.pods().filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]!.image))].sort();

/** The course's "Kubernetes label selectors" slide, both manifests in one file. */
const COURSE_MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.7.9
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: nginx
  ports:
    - port: 8000
      targetPort: 80
`;

describe("the course's manifests (the Kubernetes module's label selectors slide)", () => {
  it("load unchanged; three nginx:1.7.9 pods behind my-service, its slice on port 80", () => {
    const c = createKubeCluster({ seed: 1 });
    c.applyYaml(COURSE_MANIFESTS, "nginx.yaml");
    c.runFor("10s");
    expect(ready(c).map((p) => p.spec.containers[0]!.image)).toEqual(["nginx:1.7.9", "nginx:1.7.9", "nginx:1.7.9"]);
    const slice = c.store.list("EndpointSlice").find((x) => x.metadata.labels?.["kubernetes.io/service-name"] === "my-service")!;
    expect(slice.ports).toEqual([{ name: "", port: 80, protocol: "TCP" }]);
    expect(slice.endpoints.map((e) => e.targetRef!.name).sort()).toEqual(ready(c).map((p) => p.metadata.name).sort());
    expect(c.store.get("Service", "default", "my-service")!.spec).toMatchObject({ type: "ClusterIP", ports: [{ port: 8000, targetPort: 80 }] });
  });

  it("the trace carries the store's changes, which the app draws the object tree from", () => {
    const c = createKubeCluster({ seed: 1 });
    c.applyYaml(COURSE_MANIFESTS, "nginx.yaml");
    c.runFor("10s");
    const changes = c.sim.trace.flatMap((r) => (r.type === "state" && (r.data as { event?: string }).event === "watch" ? (r.data as { changes: Record<string, unknown>[] }).changes : []));
    expect(changes[0]).toMatchObject({ type: "ADDED", kind: "Deployment", name: "default/nginx-deployment" });
    const rs = changes.find((x) => x["kind"] === "ReplicaSet")!;
    expect(rs).toMatchObject({ type: "ADDED", owner: "nginx-deployment" });
    const readyPods = new Set(changes.filter((x) => x["kind"] === "Pod" && x["ready"] === true).map((x) => x["name"]));
    expect(readyPods.size).toBe(3);
    expect(changes.filter((x) => x["kind"] === "Pod" && x["type"] === "ADDED").every((x) => x["owner"] === (rs["name"] as string).split("/")[1])).toBe(true);
  });

  it("golden trace: the same run hashes the same (a change to this hash is a decision, said in the commit)", () => {
    const c = createKubeCluster({ seed: 1 });
    c.applyYaml(COURSE_MANIFESTS, "nginx.yaml");
    c.runFor("10s");
    c.setImage("nginx-deployment", "nginx", "nginx:1.9.1");
    c.runFor("20s");
    c.crash("node-1");
    c.runFor("60s");
    expect(c.sim.traceHash()).toBe(GOLDEN_HASH);
  });
});

// Changed by issue 15's events: the kubelet's, the scheduler's and the controllers' Event objects are in the store (and the kubelet's in its status messages).
const GOLDEN_HASH = "5b9abd95a2bcf7fba5f4076b9f1100b279d2589461058e611f48d2e15dc91cdf";

describe("a Deployment on a three-node cluster", () => {
  it("creates a ReplicaSet named by its template's hash, whose pods the scheduler spreads over the workers", () => {
    const c = createKubeCluster({ seed: 1 });
    c.apply(web(4), svc);
    c.runFor("5s");
    const [rs, ...more] = c.replicaSets();
    expect(more).toEqual([]);
    expect(rs!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs!.metadata.annotations?.[REVISION_ANNOTATION]).toBe("1");
    const pods = ready(c);
    expect(pods).toHaveLength(4);
    for (const p of pods) expect(p.metadata.name.startsWith(`${rs!.metadata.name}-`)).toBe(true);
    // The control plane is tainted NoSchedule; least-allocated scoring spreads 2 and 2.
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["node-1", "node-1", "node-2", "node-2"]);
    const d = c.deployment("web")!;
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 0 });
    const [slice] = c.store.list("EndpointSlice");
    expect(slice!.metadata.labels?.["kubernetes.io/service-name"]).toBe("web");
    expect(slice!.endpoints.filter((e) => e.conditions.ready).map((e) => e.addresses[0]).sort()).toEqual(pods.map((p) => p.status!.podIP).sort());
  });

  it("kubectl apply of a changed manifest without replicas or strategy: the defaults come back and the rollout runs", () => {
    const c = createKubeCluster({ seed: 13 });
    const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;
    c.applyYaml(manifest("nginx:1.24"), "web.yaml");
    c.runFor("5s");
    c.applyYaml(manifest("nginx:1.25"), "web.yaml");
    expect(c.deployment("web")!.spec).toMatchObject({ replicas: 1, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } });
    c.runFor("10s");
    expect(images(c)).toEqual(["nginx:1.25"]);
    expect(c.deployment("web")!.metadata.generation).toBe(2);
    expect(() => c.applyYaml(manifest("nginx:1.25").replace("  selector:", "  replica: 2\n  selector:"), "web.yaml"))
      .toThrow('error validating "web.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec');
  });

  it("a rolling update moves every pod to the new image; undo goes back and renumbers the revision", () => {
    const c = createKubeCluster({ seed: 2 });
    c.apply(web(4));
    c.runFor("5s");
    c.setImage("web", "nginx", "nginx:1.25");
    c.runFor("20s");
    expect(images(c)).toEqual(["nginx:1.25"]);
    expect(ready(c)).toHaveLength(4);
    const revisions = () => Object.fromEntries(c.replicaSets().map((rs) => [rs.spec.template.spec.containers[0]!.image, [rs.metadata.annotations?.[REVISION_ANNOTATION], rs.spec.replicas]]));
    expect(revisions()).toEqual({ "nginx:1.24": ["1", 0], "nginx:1.25": ["2", 4] });
    c.undo("web");
    c.runFor("20s");
    expect(images(c)).toEqual(["nginx:1.24"]);
    expect(revisions()).toEqual({ "nginx:1.24": ["3", 4], "nginx:1.25": ["2", 0] });
    expect(() => c.undo("web", 7)).toThrow("unable to find specified revision 7 in history");
  });

  it("a bad image never becomes ready: the rollout stops at maxUnavailable and the old pods keep serving", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(web(4));
    c.runFor("5s");
    c.setImage("web", "nginx", "bad/nginx:oops");
    c.runFor("60s");
    // 25% of 4: surge 1, unavailable 1. Three old pods stay; two new ones crash-loop.
    const live = c.pods().filter((p) => !p.metadata.deletionTimestamp);
    expect(live.filter((p) => p.spec.containers[0]!.image === "nginx:1.24" && isPodReady(p))).toHaveLength(3);
    expect(live.filter((p) => p.spec.containers[0]!.image === "bad/nginx:oops")).toHaveLength(2);
    expect(live.find((p) => p.spec.containers[0]!.image === "bad/nginx:oops")!.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
    c.undo("web");
    c.runFor("20s");
    expect(images(c)).toEqual(["nginx:1.24"]);
    expect(ready(c)).toHaveLength(4);
  });

  it("a rollout that makes no progress for progressDeadlineSeconds is marked ProgressDeadlineExceeded; the history keeps change causes", () => {
    const c = createKubeCluster({ seed: 10 });
    const d = web(2);
    c.apply({ ...d, metadata: { ...d.metadata, annotations: { "kubernetes.io/change-cause": "first" } }, spec: { ...d.spec, progressDeadlineSeconds: 30 } });
    c.runFor("5s");
    const progressing = () => c.deployment("web")!.status?.conditions?.find((x) => x.type === "Progressing");
    expect(progressing()).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    c.setImage("web", "nginx", "bad/nginx:2");
    c.runFor("20s");
    expect(progressing()).toMatchObject({ status: "True", reason: "ReplicaSetUpdated" });
    c.runFor("30s");
    expect(progressing()).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(progressing()!.message).toMatch(/^ReplicaSet "web-\w+" has timed out progressing\.$/);
    expect(rolloutHistory(c.store, c.deployment("web")!).map((h) => [h.revision, h.changeCause])).toEqual([[1, "first"], [2, "first"]]);
    c.undo("web");
    c.runFor("10s");
    expect(progressing()).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
  });

  it("proportional scaling, the docs' example: 10 replicas stuck on a bad image (old 8, new 5), scaled to 15: old 11, new 7", () => {
    // kubernetes.io/docs/concepts/workloads/controllers/deployment, "Proportional scaling".
    const c = createKubeCluster({ seed: 16, nodes: 5 });
    c.apply(web(10, "nginx:1.24", { type: "RollingUpdate", rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }));
    c.runFor("10s");
    c.setImage("web", "nginx", "bad/nginx:sometag");
    c.runFor("20s");
    const sizes = () => Object.fromEntries(c.replicaSets().map((rs) => [rs.spec.template.spec.containers[0]!.image, rs.spec.replicas]));
    expect(sizes()).toEqual({ "nginx:1.24": 8, "bad/nginx:sometag": 5 });
    c.scale("web", 15);
    c.runFor("1s");
    expect(sizes()).toEqual({ "nginx:1.24": 11, "bad/nginx:sometag": 7 });
  });

  it("pause holds a template change back; resume rolls it out; pausing twice is kubectl's error", () => {
    const c = createKubeCluster({ seed: 4 });
    c.apply(web(2));
    c.runFor("5s");
    c.pause("web");
    expect(() => c.pause("web")).toThrow('deployments.apps "web" is already paused');
    c.setImage("web", "nginx", "nginx:1.25");
    c.runFor("10s");
    expect(images(c)).toEqual(["nginx:1.24"]);
    c.resume("web");
    c.runFor("20s");
    expect(images(c)).toEqual(["nginx:1.25"]);
  });

  it("Recreate stops every old pod before any new one starts", () => {
    const c = createKubeCluster({ seed: 5 });
    c.apply(web(3, "nginx:1.24", { type: "Recreate" }));
    c.runFor("5s");
    c.setImage("web", "nginx", "nginx:1.25");
    let mixed = false;
    for (let i = 0; i < 200; i++) {
      c.runFor("100ms");
      if (images(c).length > 1) mixed = true;
    }
    expect(mixed).toBe(false);
    expect(images(c)).toEqual(["nginx:1.25"]);
    expect(ready(c)).toHaveLength(3);
  });

  it("a ReplicaSet adopts a matching orphan pod and releases a pod relabelled away from it", () => {
    const c = createKubeCluster({ seed: 6 });
    c.apply({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.24" }] } });
    c.runFor("3s");
    c.apply({
      apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.24" }] } } },
    });
    c.runFor("3s");
    const rs = c.store.get("ReplicaSet", "default", "rs")!;
    const stray = c.store.get("Pod", "default", "stray")!;
    expect(stray.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: "rs", uid: rs.metadata.uid, controller: true });
    expect(c.pods()).toHaveLength(2);
    // Relabel it: the ReplicaSet lets it go and makes another.
    c.apply({ ...stray, metadata: { ...stray.metadata, labels: { app: "debug" } } });
    c.runFor("3s");
    expect(c.store.get("Pod", "default", "stray")!.metadata.ownerReferences ?? []).toEqual([]);
    expect(c.pods().filter((p) => p.metadata.labels?.["app"] === "web")).toHaveLength(2);
  });

  it("a crashed node goes Unknown after 40 s and its pods are evicted after 300 s more, then run elsewhere", () => {
    const c = createKubeCluster({ seed: 7, nodes: ["control-plane", "node-1", "node-2", "node-3"] });
    c.apply(web(3));
    c.runFor("5s");
    const victim = ready(c)[0]!.spec.nodeName!;
    c.crash(victim);
    c.runFor("30s");
    expect(c.store.get("Node", "", victim)!.status?.conditions?.[0]?.status).toBe("True");
    c.runFor("25s");
    const node = c.store.get("Node", "", victim)!;
    expect(node.status?.conditions?.[0]?.status).toBe("Unknown");
    expect(node.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(c.pods().filter((p) => p.spec.nodeName === victim).every((p) => !isPodReady(p))).toBe(true);
    c.runFor("300s");
    const live = c.pods().filter((p) => !p.metadata.deletionTimestamp);
    expect(live).toHaveLength(3);
    expect(live.every((p) => p.spec.nodeName !== victim && isPodReady(p))).toBe(true);
    // The evicted pods stay Terminating until their kubelet is back to confirm.
    expect(c.pods().filter((p) => p.metadata.deletionTimestamp && p.spec.nodeName === victim).length).toBeGreaterThan(0);
    c.restart(victim);
    c.runFor("15s");
    expect(c.pods().filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
    expect(c.store.get("Node", "", victim)!.spec.taints ?? []).toEqual([]);
  });

  it("errors are kubectl's and change nothing; the API is unreachable while the control plane is down", () => {
    const c = createKubeCluster({ seed: 8 });
    c.apply(web(1));
    const before = c.store.revision;
    expect(() => c.apply(web(1, "nginx", undefined) && { ...web(1), metadata: { name: "web2" }, spec: { ...web(1).spec, selector: { matchLabels: { app: "other" } } } })).toThrow(
      'Deployment.apps "web2" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    );
    expect(() => c.scale("nope", 3)).toThrow('deployments.apps "nope" not found');
    expect(() => c.setImage("web", "php", "php:8")).toThrow('unable to find container named "php"');
    expect(() => c.apply({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "nowhere" }, spec: { containers: [{ name: "c", image: "x" }] } })).toThrow('namespaces "nowhere" not found');
    expect(c.store.revision).toBe(before);
    c.crash("control-plane");
    expect(() => c.scale("web", 2)).toThrow("The connection to the server control-plane:6443 was refused - did you specify the right host or port?");
  });

  it("revisionHistoryLimit keeps that many old ReplicaSets; deleting the Deployment takes its ReplicaSets and pods with it (background)", () => {
    const c = createKubeCluster({ seed: 14 });
    c.apply({ ...web(2), spec: { ...web(2).spec, revisionHistoryLimit: 1 } }, svc);
    c.runFor("5s");
    for (const v of ["1.25", "1.26", "1.27"]) {
      c.setImage("web", "nginx", `nginx:${v}`);
      c.runFor("10s");
    }
    expect(c.replicaSets().map((rs) => rs.spec.template.spec.containers[0]!.image).sort()).toEqual(["nginx:1.26", "nginx:1.27"]);
    c.delete("Deployment", "web");
    c.runFor("5s");
    expect(c.replicaSets()).toEqual([]);
    expect(c.pods()).toEqual([]);
    // The Service stays, its slice empty.
    expect(c.store.list("EndpointSlice")[0]!.endpoints).toEqual([]);
  });

  it("deleting a namespace empties it, then it goes; nothing new may be created there meanwhile", () => {
    const c = createKubeCluster({ seed: 15 });
    c.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    c.apply({ ...web(2), metadata: { name: "web", namespace: "dev" } });
    c.runFor("5s");
    expect(c.pods("dev")).toHaveLength(2);
    c.delete("Namespace", "dev", "");
    expect(() => c.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "dev" } }))
      .toThrow('configmaps "x" is forbidden: unable to create new content in namespace dev because it is being terminated');
    c.runFor("5s");
    expect(c.pods("dev")).toEqual([]);
    expect(c.store.get("Namespace", "", "dev")).toBeUndefined();
  });

  it("seeking back restores the store as it was (the store is copied at snapshots), and running on gives the same trace", () => {
    const c = createKubeCluster({ seed: 12 });
    c.apply(web(3), svc);
    c.runFor("5s");
    c.setImage("web", "nginx", "nginx:1.25");
    c.runFor("3s");
    const at = c.now;
    const seen = { revision: c.store.revision, pods: c.pods().map((p) => `${p.metadata.name} ${p.spec.containers[0]!.image} ${isPodReady(p)}`) };
    c.runFor("30s");
    const hash = c.sim.traceHash();
    c.sim.seek(at);
    expect({ revision: c.store.revision, pods: c.pods().map((p) => `${p.metadata.name} ${p.spec.containers[0]!.image} ${isPodReady(p)}`) }).toEqual(seen);
    c.sim.runUntil(at + 30_000_000);
    expect(c.sim.traceHash()).toBe(hash);
  });

  it("the same seed and commands give the same trace", () => {
    const run = () => {
      const c = createKubeCluster({ seed: 9 });
      c.apply(web(3), svc);
      c.runFor("5s");
      c.setImage("web", "nginx", "nginx:1.25");
      c.runFor("30s");
      return c.sim.traceHash();
    };
    expect(run()).toBe(run());
  });
});
