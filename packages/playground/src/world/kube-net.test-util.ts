// Helpers of the Kubernetes traffic tests (kube-net.test.ts, kube-net.prop.test.ts).
import { expect } from "vitest";
import { createPlayground, type Playground } from "../playground.js";
import { decisions } from "./ingress.test-util.js";

export const NODES = ["control-plane", "node-1", "node-2"];
export const run = (pg: Playground, line: string, on = "control-plane") => pg.exec(line, { on });

/** A cluster with `replicas` nginx pods behind Service web (NodePort) and a busybox pod "client". */
export function kubeWorld(replicas = 3, seed = 1): Playground {
  const pg = createPlayground({ seed, kubernetes: { nodes: NODES } });
  for (const l of [`kubectl create deployment web --image=nginx:1.27 --replicas=${replicas} --port=80`, "kubectl expose deployment web --type=NodePort --port=80", "kubectl run client --image=busybox --labels=role=client -- sleep 3600", "sleep 4"]) {
    expect(run(pg, l).exitCode, l).toBe(0);
  }
  return pg;
}

export const serviceOf = (pg: Playground, name: string) => pg.world.kube!.state.store.list("Service").find((s) => s.metadata.name === name)!;
export const podOn = (pg: Playground, name: string) => pg.world.kube!.state.store.list("Pod").find((p) => p.metadata.name === name)!;

/** The pod (name) and node that answered a line's last connection, from the trace. */
export function request(pg: Playground, on: string, line: string): { exitCode: number; stdout: string; stderr: string; outcome: string; pod: string | null; node: string; hops: readonly string[] } {
  const t0 = pg.now;
  const r = pg.exec(line, { on });
  const d = decisions(pg, t0).filter((x) => x.outcome !== "resolved").pop()!;
  const m = /^k8s_POD_(.+)_[^_]+_[^_]+_\d+:eth\d+@(.+)$/.exec(d.at);
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, outcome: d.outcome, pod: m ? m[1]! : null, node: m ? m[2]! : d.at, hops: d.hops };
}

/** The client pod's container on its node (docker exec runs a tool in the pod's network namespace). */
export function inClient(pg: Playground, pod = "client"): { node: string; id: string } {
  const node = podOn(pg, pod).spec.nodeName!;
  const c = [...pg.world.hosts.get(node)!.engine.containers.values()].find((x) => x.config.labels["io.kubernetes.pod.name"] === pod && x.config.labels["io.kubernetes.container.name"] !== "POD")!;
  return { node, id: c.id.slice(0, 12) };
}

