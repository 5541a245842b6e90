// Three control-plane hosts with etcd's members (kubeadm's stacked topology, packages/kube
// cluster/etcd.ts): the course's "cluster store" slide as a transcript. kubectl's text for a request
// etcd cannot serve: "Error from server: etcdserver: request timed out" (kubernetes/kubeadm#3095), for
// reads too: a get or list without a resourceVersion is a quorum read of etcd (KEP-2340, "Consistent
// reads from cache": "Consistent reads are served from etcd using a quorum read"). kubectl apply reads
// the object first and names the file (apply.go, cmdutil.AddSourceToErr "retrieving current
// configuration of:" with resource.Info.String()).
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const NODES = ["cp-1", "cp-2", "cp-3", "node-1", "node-2"];
const k = (pg: Playground, line: string) => pg.exec(line, { on: "cp-1" });

describe("kubectl against a control plane that lost its etcd quorum", () => {
  it("reads and writes time out, the pods run on; a member back and it all works again", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES, controlPlanes: 3 } });
    expect(k(pg, "kubectl get nodes --no-headers").stdout).toMatch(/^cp-1 +Ready +control-plane .*\ncp-2 +Ready +control-plane .*\ncp-3 +Ready +control-plane .*\nnode-1 +Ready +<none> .*\nnode-2 +Ready +<none> /);
    k(pg, "kubectl create deployment web --image=nginx:1.27 --replicas=2");
    k(pg, "sleep 5");
    pg.crash("cp-2");
    pg.crash("cp-3");
    k(pg, "sleep 1");
    expect(k(pg, "kubectl get deploy web --no-headers")).toEqual({ exitCode: 1, stdout: "", stderr: "Error from server: etcdserver: request timed out\n" });
    expect(k(pg, "kubectl scale deployment web --replicas=3")).toEqual({ exitCode: 1, stdout: "", stderr: "Error from server: etcdserver: request timed out\n" });
    pg.writeFile("cp-1", "/root/db.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  k: v\n");
    expect(k(pg, "kubectl apply -f db.yaml")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server: error when retrieving current configuration of:\nResource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\nName: "db", Namespace: "default"\nfrom server for: "db.yaml": etcdserver: request timed out\n' });
    expect(k(pg, "kubectl create -f db.yaml")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server: error when creating "db.yaml": etcdserver: request timed out\n' });
    // The pods' containers run on their nodes all along.
    expect(pg.exec("docker ps -q", { on: "node-1" }).stdout.split("\n").filter((l) => l !== "").length + pg.exec("docker ps -q", { on: "node-2" }).stdout.split("\n").filter((l) => l !== "").length).toBeGreaterThanOrEqual(2);
    k(pg, "sleep 20");
    pg.restart("cp-2");
    k(pg, "sleep 5");
    expect(k(pg, "kubectl get pods --no-headers").stdout.trim().split("\n")).toHaveLength(2);
    expect(k(pg, "kubectl scale deployment web --replicas=3")).toEqual({ exitCode: 0, stdout: "deployment.apps/web scaled\n", stderr: "" });
    k(pg, "sleep 5");
    expect(k(pg, "kubectl get deploy web --no-headers").stdout).toMatch(/^web +3\/3 +3 +3 /);
  });
});
