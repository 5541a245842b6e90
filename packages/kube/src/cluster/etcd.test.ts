// etcd on the control-plane hosts (kubeadm's stacked topology): a Raft group of packages/raft's
// core. Losing quorum makes the API read-only (the course's "cluster store" slide); writes fail as
// etcd's client reports it then ("etcdserver: request timed out", kubernetes/kubeadm#3095);
// running pods keep running; a returning majority elects a leader and the controllers catch up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Deployment } from "../api/types.js";
import { isKubeError } from "../errors.js";
import { createKubeCluster, type KubeCluster } from "./cluster.js";
import { etcdLeader } from "./etcd.js";

const NODES = ["cp-1", "cp-2", "cp-3", "node-1", "node-2"];
const web = (replicas: number): Deployment => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
  spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
});
const ha = (seed = 1) => createKubeCluster({ seed, nodes: NODES, controlPlanes: 3 });
const leader = (c: KubeCluster) => etcdLeader(c.sim.state.etcd, "cp-1", c.sim.net);
const running = (c: KubeCluster) => c.pods().filter((p) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp).length;
const upMembers = (c: KubeCluster) => ["cp-1", "cp-2", "cp-3"].filter((h) => c.sim.net.up[h]).length;
const refusal = (f: () => void): string | null => {
  try { f(); return null; } catch (e) { if (!isKubeError(e)) throw e; return `${e.kubeCode}: ${e.message}`; }
};

describe("etcd on three control-plane hosts", () => {
  it("kubeadm leaves the first member leader; every control-plane host is tainted; writes go into the members' logs and commit on a majority", () => {
    const c = ha();
    expect(leader(c)).toBe("cp-1");
    expect(c.store.list("Node").filter((n) => n.spec.taints?.some((t) => t.key === "node-role.kubernetes.io/control-plane")).map((n) => n.metadata.name)).toEqual(["cp-1", "cp-2", "cp-3"]);
    c.apply(web(2));
    c.runFor("5s");
    expect(running(c)).toBe(2);
    expect(c.pods().every((p) => p.spec.nodeName?.startsWith("node-"))).toBe(true);
    const e = c.sim.state.etcd!;
    expect(e["cp-1"]!.raft.commitIndex).toBeGreaterThan(1);
    expect(e["cp-2"]!.raft.commitIndex).toBe(e["cp-1"]!.raft.commitIndex);
  });

  it("with two members down the API is read-only: writes time out, reads answer, the store never changes, pods run on; one member back and the controllers catch up", () => {
    const c = ha();
    c.apply(web(2));
    c.runFor("5s");
    c.crash("cp-2");
    c.crash("cp-3");
    c.runFor("1s");
    expect(leader(c)).toBeNull();
    const rev = c.store.revision;
    expect(refusal(() => c.scale("web", 4))).toBe("ETCD_TIMEOUT: etcdserver: request timed out");
    expect(refusal(() => c.delete("Deployment", "web"))).toBe("ETCD_TIMEOUT: etcdserver: request timed out");
    c.runFor("15s");
    expect(c.store.revision).toBe(rev);
    expect(c.deployment("web")!.spec.replicas).toBe(2);
    // The kubelets keep their pods: the containers run on.
    expect(Object.keys(c.sim.state.kubelets["node-1"]!.pods).length + Object.keys(c.sim.state.kubelets["node-2"]!.pods).length).toBe(2);
    c.restart("cp-2");
    c.runFor("5s");
    expect(leader(c)).not.toBeNull();
    c.scale("web", 4);
    c.runFor("5s");
    expect(running(c)).toBe(4);
  });

  it("one member down (a majority left) changes nothing for the API", () => {
    const c = ha();
    c.crash("cp-3");
    c.runFor("3s");
    expect(leader(c)).toBe("cp-1");
    c.apply(web(3));
    c.runFor("5s");
    expect(running(c)).toBe(3);
  });

  it("property: with quorum lost the store never changes; no acknowledged write is lost across control-plane crashes", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("crash" as const), host: fc.constantFrom("cp-2", "cp-3") }),
      fc.record({ type: fc.constant("restart" as const), host: fc.constantFrom("cp-2", "cp-3") }),
      fc.record({ type: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ type: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 15_000 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(op, { maxLength: 12 }), (seed, ops) => {
      const c = ha(seed);
      c.apply(web(1));
      let acked = 1;
      const stepAll = (until: number) => {
        while (c.sim.nextEventTime <= until) {
          // Quorum by its definition (no partitions here): a majority of the members' hosts up.
          const lostBefore = upMembers(c) < 2;
          const rev = c.store.revision;
          c.sim.step();
          if (lostBefore && upMembers(c) < 2 && c.store.revision !== rev) return false;
        }
        return true;
      };
      for (const o of ops) {
        if (o.type === "crash" && c.sim.net.up[o.host]) c.crash(o.host);
        else if (o.type === "restart" && !c.sim.net.up[o.host]) c.restart(o.host);
        else if (o.type === "scale") {
          const lost = upMembers(c) < 2;
          const refused = refusal(() => c.scale("web", o.replicas));
          if (lost && refused === null) return false;
          if (refused === null) acked = o.replicas;
        } else if (o.type === "wait" && !stepAll(c.now + o.ms * 1000)) return false;
        if (c.deployment("web")!.spec.replicas !== acked) return false;
      }
      return true;
    }), { numRuns: 25 });
  });
});
