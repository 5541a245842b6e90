import { describe, expect, it } from "vitest";
import { createPlayground, Playground } from "../playground.js";

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

const NODES = ["control-plane", "node-1", "node-2"];

function cluster() {
  const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/web.yaml", text: WEB });
  return pg;
}
const run = (pg: Playground, line: string, on = "control-plane") => pg.exec(line, { on });

describe("Kubernetes on the world's hosts", () => {
  it("runs a pod as a pause container owning the network namespace and its containers joining it, named as dockershim named them", () => {
    const pg = cluster();
    expect(run(pg, "kubectl apply -f /root/web.yaml").stdout).toBe("deployment.apps/web created\n");
    run(pg, "sleep 5");
    const pods = pg.world.kube!.state.store.list("Pod");
    expect(pods.map((p) => p.status?.phase)).toEqual(["Running", "Running", "Running"]);
    for (const node of ["node-1", "node-2"]) {
      const mine = pods.filter((p) => p.spec.nodeName === node);
      const containers = [...pg.host(node).engine.containers.values()];
      // pkg/kubelet/dockershim/naming.go: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>, the sandbox as "POD".
      for (const p of mine) {
        const sandbox = containers.find((c) => c.name.replace(/^\//, "") === `k8s_POD_${p.metadata.name}_default_${p.metadata.uid}_0`);
        const app = containers.find((c) => c.name.replace(/^\//, "") === `k8s_nginx_${p.metadata.name}_default_${p.metadata.uid}_0`);
        expect(sandbox?.state.running).toBe(true);
        expect(app?.state.running).toBe(true);
        expect(app?.hostConfig.networkMode).toBe(`container:${sandbox!.id}`);
      }
      expect(containers.filter((c) => c.state.running)).toHaveLength(mine.length * 2);
    }
    const ps = run(pg, "docker ps --format '{{.Image}} {{.Names}}'", pods[0]!.spec.nodeName!).stdout;
    expect(ps).toContain(`registry.k8s.io/pause:3.9 k8s_POD_${pods[0]!.metadata.name}_default_`);
    // The control plane is tainted NoSchedule (kubeadm): no pod there.
    expect([...pg.host("control-plane").engine.containers.values()]).toHaveLength(0);
  });

  it("a crashed node goes NotReady after the grace and its pods are evicted and replaced elsewhere (teaching defaults: 20 s, 30 s)", () => {
    const pg = cluster();
    run(pg, "kubectl apply -f /root/web.yaml");
    run(pg, "sleep 5");
    const onNode1 = pg.world.kube!.state.store.list("Pod").filter((p) => p.spec.nodeName === "node-1").length;
    expect(onNode1).toBeGreaterThan(0);
    pg.sim.act({ type: "crash", node: "node-1" });
    run(pg, "sleep 15");
    expect(run(pg, "kubectl get nodes node-1 --no-headers").stdout).toMatch(/^node-1\s+Ready\s/);
    run(pg, "sleep 15");
    expect(run(pg, "kubectl get nodes node-1 --no-headers").stdout).toMatch(/^node-1\s+NotReady\s/);
    run(pg, "sleep 35");
    const pods = pg.world.kube!.state.store.list("Pod").filter((p) => p.metadata.deletionTimestamp === undefined);
    expect(pods.every((p) => p.spec.nodeName === "node-2")).toBe(true);
    expect(run(pg, "kubectl get deployment web --no-headers").stdout).toMatch(/^web\s+3\/3\s+3\s+3\s/);
    expect([...pg.host("node-2").engine.containers.values()].filter((c) => c.state.running)).toHaveLength(6);
  });

  it("a container whose process exits on its node's engine is restarted with CrashLoopBackOff's back-off (10 s, 20 s, ...)", () => {
    const pg = cluster();
    run(pg, "kubectl run quitter --image=busybox -- false");
    run(pg, "sleep 2");
    const pod = pg.world.kube!.state.store.get("Pod", "default", "quitter")!;
    const node = pod.spec.nodeName!;
    // Started at 1 s and exited at once: the kubelet backs off 10 s (backOffPeriod) before attempt 1.
    expect(run(pg, "kubectl get pod quitter --no-headers").stdout).toMatch(/^quitter\s+0\/1\s+CrashLoopBackOff\s+1\s/);
    run(pg, "sleep 30");
    expect(run(pg, "kubectl get pod quitter --no-headers").stdout).toMatch(/^quitter\s+0\/1\s+CrashLoopBackOff\s+2\s/);
    // Each attempt is a container of its own, kept exited (dockershim's attempt number last in the name).
    const names = run(pg, "docker ps -a --format '{{.Names}} {{.Status}}'", node).stdout.split("\n").filter((l) => l.startsWith("k8s_quitter_")).sort();
    expect(names.map((l) => l.replace(/^k8s_quitter_quitter_default_[0-9a-f-]+_(\d+) (\w+).*$/, "$1 $2"))).toEqual(["0 Exited", "1 Exited"]);
  });

  it("a node that comes back at once keeps its pods: its kubelet starts their containers again", () => {
    const pg = cluster();
    run(pg, "kubectl apply -f /root/web.yaml");
    run(pg, "sleep 5");
    const before = pg.world.kube!.state.store.list("Pod").filter((p) => p.spec.nodeName === "node-1").map((p) => p.metadata.name).sort();
    pg.sim.act({ type: "crash", node: "node-1" });
    // Every process died with the host (the records stay on its disk until dockerd restores them).
    expect([...pg.host("node-1").engine.containers.values()].filter((c) => c.run !== null)).toHaveLength(0);
    pg.sim.act({ type: "restart", node: "node-1" });
    run(pg, "sleep 5");
    const after = pg.world.kube!.state.store.list("Pod").filter((p) => p.spec.nodeName === "node-1").map((p) => p.metadata.name).sort();
    expect(after).toEqual(before);
    expect(run(pg, "kubectl get nodes node-1 --no-headers").stdout).toMatch(/^node-1\s+Ready\s/);
    expect([...pg.host("node-1").engine.containers.values()].filter((c) => c.state.running)).toHaveLength(before.length * 2);
  });

  it("an image no registry has leaves the pod Pending in ErrImagePull, then ImagePullBackOff", () => {
    const pg = cluster();
    run(pg, "kubectl run ghost --image=nosuchimage:1.0");
    run(pg, "sleep 2");
    // kubelet's image manager: ErrImagePull at the failed pull, ImagePullBackOff while it backs off.
    expect(run(pg, "kubectl get pod ghost --no-headers").stdout).toMatch(/^ghost\s+0\/1\s+ErrImagePull\s+0\s/);
    run(pg, "sleep 15");
    expect(run(pg, "kubectl get pod ghost --no-headers").stdout).toMatch(/^ghost\s+0\/1\s+ImagePullBackOff\s+0\s/);
    const node = pg.world.kube!.state.store.get("Pod", "default", "ghost")!.spec.nodeName!;
    expect(run(pg, "docker ps --format '{{.Names}}'", node).stdout).toMatch(/^k8s_POD_ghost_default_[0-9a-f-]+_0\n$/);
  });

  it("kubectl without Kubernetes is refused as kubectl without a kubeconfig is", () => {
    const pg = createPlayground({ seed: 1 });
    const r = pg.exec("kubectl get pods");
    // kubectl's default server is localhost:8080 when no kubeconfig names one.
    expect(r).toEqual({ exitCode: 1, stdout: "", stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n" });
  });

  it("kubectl reaches the API server from every node, and not once the control plane is down", () => {
    const pg = cluster();
    expect(run(pg, "kubectl get deployments", "node-2").stderr).toBe("No resources found in default namespace.\n");
    pg.sim.act({ type: "crash", node: "control-plane" });
    expect(run(pg, "kubectl get pods", "node-1")).toEqual({ exitCode: 1, stdout: "", stderr: "The connection to the server control-plane:6443 was refused - did you specify the right host or port?\n" });
  });

  it("a refused command changes nothing", () => {
    const pg = cluster();
    run(pg, "kubectl apply -f /root/web.yaml");
    run(pg, "sleep 3");
    const before = pg.world.kube!.state.store.revision;
    const hash = pg.worldHash();
    expect(run(pg, "kubectl scale deployment nosuch --replicas=2")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server (NotFound): deployments.apps "nosuch" not found\n' });
    expect(run(pg, "kubectl create deployment web --image=nginx")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server (AlreadyExists): deployments.apps "web" already exists\n' });
    expect(pg.world.kube!.state.store.revision).toBe(before);
    expect(pg.worldHash()).toBe(hash);
    // The hash covers the store: a command that writes changes it.
    run(pg, "kubectl scale deployment web --replicas=2");
    expect(pg.worldHash()).not.toBe(hash);
  });

  it("kubectl rollout status waits, in virtual time, until the rollout is done", () => {
    const pg = cluster();
    run(pg, "kubectl apply -f /root/web.yaml");
    const r = run(pg, "kubectl rollout status deployment/web");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n").at(-2)).toBe('deployment "web" successfully rolled out');
    expect(r.stdout).toContain('Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n');
  });

  it("a session replays to the same trace", () => {
    const pg = cluster();
    run(pg, "kubectl apply -f /root/web.yaml");
    run(pg, "kubectl rollout status deployment/web");
    run(pg, "kubectl set image deployment/web nginx=nginx:1.25");
    run(pg, "sleep 10");
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
  });
});
