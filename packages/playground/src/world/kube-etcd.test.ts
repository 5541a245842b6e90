// Three control-plane hosts with etcd's members (kubeadm's stacked topology, packages/kube
// cluster/etcd.ts): the course's "cluster store" slide as a transcript. kubectl's text for a write
// etcd cannot commit: "Error from server: etcdserver: request timed out" (kubernetes/kubeadm#3095);
// kubectl apply names the file (apply.go, cmdutil.AddSourceToErr "creating").
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const NODES = ["cp-1", "cp-2", "cp-3", "node-1", "node-2"];
const k = (pg: Playground, line: string) => pg.exec(line, { on: "cp-1" });

describe("kubectl against a control plane that lost its etcd quorum", () => {
  it("reads answer, writes time out, the pods run on; a member back and it all works again", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    expect(k(pg, "kubectl get nodes --no-headers").stdout).toMatch(/^cp-1 +Ready +control-plane .*\ncp-2 +Ready +control-plane .*\ncp-3 +Ready +control-plane .*\nnode-1 +Ready +<none> .*\nnode-2 +Ready +<none> /);
    k(pg, "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    k(pg, "sleep 5");
    pg.crash("cp-2");
    pg.crash("cp-3");
    k(pg, "sleep 1");
    expect(k(pg, "kubectl get deploy web --no-headers").stdout).toMatch(/^web +2\/2 +2 +2 /);
    expect(k(pg, "kubectl scale deployment web --replicas=3")).toEqual({ exitCode: 1, stdout: "", stderr: "Error from server: etcdserver: request timed out\n" });
    pg.writeFile("cp-1", "/root/db.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  k: v\n");
    expect(k(pg, "kubectl apply -f db.yaml")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server: error when creating "db.yaml": etcdserver: request timed out\n' });
    // The pods' containers run on their nodes all along.
    expect(pg.exec("docker ps -q", { on: "node-1" }).stdout.split("\n").filter((l) => l !== "").length + pg.exec("docker ps -q", { on: "node-2" }).stdout.split("\n").filter((l) => l !== "").length).toBeGreaterThanOrEqual(2);
    k(pg, "sleep 20");
    expect(k(pg, "kubectl get pods --no-headers").stdout.trim().split("\n")).toHaveLength(2);
    pg.restart("cp-2");
    k(pg, "sleep 5");
    expect(k(pg, "kubectl scale deployment web --replicas=3")).toEqual({ exitCode: 0, stdout: "deployment.apps/web scaled\n", stderr: "" });
    k(pg, "sleep 5");
    expect(k(pg, "kubectl get deploy web --no-headers").stdout).toMatch(/^web +3\/3 +3 +3 /);
  });
});
