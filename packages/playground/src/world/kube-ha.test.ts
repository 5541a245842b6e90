// Three control planes (kubeadm's stacked HA, kind's node names) with kubectl at any host: the API
// servers sit behind one endpoint (kubeadm's --control-plane-endpoint load balancer, kind's
// external load balancer), so kubectl answers while one control-plane host is down, and the
// controllers of another take over. Texts: "etcdserver: request timed out" is the etcd client's
// error passed through (kubernetes/kubeadm#3095; cmdutil's "Error from server: " prefix); reads get
// it too without a quorum, as kubectl's gets and lists are quorum reads (KEP-2340).
import { describe, expect, it } from "vitest";
import { applyNetAction, createNetState } from "@drydock/kernel";
import { createPlayground, type Playground } from "../playground.js";
import { apiServerFor } from "./kube.js";

const NODES = ["control-plane", "control-plane2", "control-plane3", "node-1", "node-2"];
const TIMEOUT = { exitCode: 1, stdout: "", stderr: "Error from server: etcdserver: request timed out\n" };

const on = (pg: Playground, host: string, line: string) => pg.exec(line, { on: host });
/** The pods' nginx containers running on the workers' engines (the kubelet's k8s_<container>_<pod>_… names). */
const running = (pg: Playground) => ["node-1", "node-2"].flatMap((n) => on(pg, n, "docker ps --format '{{.Names}}'").stdout.split("\n")).filter((l) => l.startsWith("k8s_nginx_")).length;

describe("kubectl against three control planes", () => {
  it("the first control-plane host down: kubectl on another answers, writes wait for etcd's new leader, then the controllers there act", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    expect(on(pg, "node-1", "kubectl create deployment web --image=nginx:1.27 --replicas=2").stdout).toBe("deployment.apps/web created\n");
    on(pg, "control-plane", "sleep 5");
    pg.crash("control-plane");
    // The etcd leader was on the crashed host: the others elect one within etcd's election timeout (1-2 s).
    expect(on(pg, "control-plane2", "kubectl get pods")).toEqual(TIMEOUT);
    expect(on(pg, "control-plane2", "kubectl scale deployment web --replicas=3")).toEqual(TIMEOUT);
    on(pg, "control-plane2", "sleep 3");
    expect(on(pg, "control-plane2", "kubectl get pods --no-headers").stdout).toMatch(/^web-\S+ +1\/1 +Running +0 +8s\nweb-\S+ +1\/1 +Running +0 +8s\n$/);
    expect(on(pg, "control-plane2", "kubectl scale deployment web --replicas=3")).toEqual({ exitCode: 0, stdout: "deployment.apps/web scaled\n", stderr: "" });
    on(pg, "control-plane2", "sleep 5");
    // The replica set's controller and the scheduler on control-plane2 made and placed the third pod.
    expect(on(pg, "node-2", "kubectl get deploy web --no-headers").stdout).toMatch(/^web +3\/3 +3 +3 /);
    expect(running(pg)).toBe(3);
  });

  it("two of three down: reads and writes time out, the pods run on; a member back and it all works again", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    on(pg, "control-plane", "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    on(pg, "control-plane", "sleep 5");
    pg.crash("control-plane");
    pg.crash("control-plane3");
    on(pg, "control-plane2", "sleep 3");
    expect(on(pg, "control-plane2", "kubectl get deploy web --no-headers")).toEqual(TIMEOUT);
    expect(on(pg, "node-1", "kubectl get pods")).toEqual(TIMEOUT);
    expect(on(pg, "control-plane2", "kubectl scale deployment web --replicas=3")).toEqual(TIMEOUT);
    expect(on(pg, "node-1", "kubectl create deployment db --image=redis:7")).toEqual(TIMEOUT);
    on(pg, "control-plane2", "sleep 30");
    expect(running(pg)).toBe(2);
    pg.restart("control-plane");
    on(pg, "control-plane2", "sleep 5");
    expect(on(pg, "control-plane2", "kubectl scale deployment web --replicas=3").stdout).toBe("deployment.apps/web scaled\n");
    on(pg, "control-plane2", "sleep 5");
    expect(on(pg, "control-plane", "kubectl get deploy web --no-headers").stdout).toMatch(/^web +3\/3 +3 +3 /);
  });

  it("no control plane up: kubectl cannot connect (kubectl's own text)", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    for (const cp of NODES.slice(0, 3)) pg.crash(cp);
    expect(on(pg, "node-1", "kubectl get pods")).toEqual({ exitCode: 1, stdout: "", stderr: "The connection to the server control-plane:6443 was refused - did you specify the right host or port?\n" });
  });

  it("after the faults stop every etcd member has applied what the leader has, and the API server's store is that key space", () => {
    const pg = createPlayground({ seed: 3, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    on(pg, "node-1", "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    pg.crash("control-plane");
    on(pg, "node-1", "sleep 3");
    on(pg, "node-1", "kubectl scale deployment web --replicas=4");
    pg.crash("control-plane2");
    on(pg, "node-1", "sleep 2");
    pg.restart("control-plane");
    on(pg, "node-1", "sleep 4");
    on(pg, "node-1", "kubectl create configmap c --from-literal=k=v");
    pg.restart("control-plane2");
    on(pg, "node-1", "sleep 10");
    const k = pg.world.kube!;
    const etcd = k.state.etcd!;
    const leader = Object.keys(etcd).find((m) => etcd[m]!.raft.role === "leader")!;
    expect(leader).toBeDefined();
    for (const m of Object.keys(etcd)) {
      expect(etcd[m]!.kv.revision, m).toBe(etcd[leader]!.kv.revision);
      expect([...etcd[m]!.kv.objects.keys()].sort(), m).toEqual([...etcd[leader]!.kv.objects.keys()].sort());
    }
    expect(etcd[leader]!.kv.revision).toBe(k.state.store.revision);
  });

  it("the endpoint sends kubectl to the first control plane that is up and that the client reaches", () => {
    const o = { nodes: NODES, controlPlanes: 3 };
    const net = createNetState(NODES);
    expect(apiServerFor(o, net, "node-1")).toBe("control-plane");
    const cut = applyNetAction(net, { type: "partition", groups: [["control-plane", "node-2"], ["control-plane2", "control-plane3", "node-1"]] });
    expect(apiServerFor(o, cut, "node-1")).toBe("control-plane2");
    expect(apiServerFor(o, cut, "node-2")).toBe("control-plane");
    expect(apiServerFor({ nodes: NODES }, cut, "node-1")).toBe("control-plane");
  });
});
