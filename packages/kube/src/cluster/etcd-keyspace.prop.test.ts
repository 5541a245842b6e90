// etcd's members each apply the committed entries to their own key space (etcd's apply loop over
// raft's committed entries, server/etcdserver/apply; mvcc gives each write a revision, which
// kube-apiserver shows as resourceVersion). Under generated crash and partition schedules of the
// control-plane hosts, after every event:
// - every member's key space is the API server's as of the member's applied revision (a prefix of
//   the same history: same key → same object), built here from the API server's watch log;
// - while etcd can commit, the leader's key space is the API server's store (the API server
//   waited for the commit: no acknowledged write is only in its cache), and an acknowledged scale
//   is in it;
// - with quorum lost nothing commits: the API server's revision stays and no member goes past it;
// and once the faults stop every member catches up (from its log or the leader's snapshot).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Deployment, KubeObject } from "../api/types.js";
import { isKubeError } from "../errors.js";
import type { WatchEvent } from "../store/store.js";
import { createKubeCluster, type KubeCluster } from "./cluster.js";
import { etcdKey, etcdLeader, ETCD_RAFT, type KeySpace } from "./etcd.js";

const CPS = ["cp-1", "cp-2", "cp-3"];
const NODES = [...CPS, "node-1", "node-2"];
const web = (replicas: number): Deployment => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
  spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
});
const members = (c: KubeCluster) => c.sim.state.etcd!;
/** The control-plane host that serves (model.ts: the first one up, behind the shared endpoint). */
const serving = (c: KubeCluster) => CPS.find((h) => c.sim.net.up[h]) ?? "cp-1";
/** The etcd leader the serving API server reaches (null: none with a quorum). */
const leaderOf = (c: KubeCluster) => etcdLeader(c.sim.state.etcd, serving(c), c.sim.net);

/** The API server's key space at `revision`, from its watch log. */
function keySpaceAt(log: readonly WatchEvent[], revision: number): Map<string, KubeObject> {
  const kv = new Map<string, KubeObject>();
  for (const e of log) {
    if (e.revision > revision) break;
    if (e.type === "DELETED") kv.delete(etcdKey(e.object));
    else kv.set(etcdKey(e.object), e.object);
  }
  return kv;
}

/** Where a member's key space differs from the API server's history at its revision (null: nowhere). */
function divergence(c: KubeCluster, kv: KeySpace): string | null {
  const want = keySpaceAt(c.store.watch(0), kv.revision);
  if (want.size !== kv.objects.size) return `revision ${kv.revision}: ${kv.objects.size} keys, want ${want.size}`;
  for (const [k, o] of want) if (kv.objects.get(k) !== o) return `revision ${kv.revision}: ${k} differs`;
  return null;
}

/** The checks after every event; `frozen` is the API server's revision when quorum was lost before the event (null: it was not). */
function check(c: KubeCluster, frozen: number | null): void {
  for (const [host, m] of Object.entries(members(c))) {
    const d = divergence(c, m.kv);
    if (d !== null) throw new Error(`${host}: ${d}`);
  }
  const l = leaderOf(c);
  if (l !== null) expect(members(c)[l]!.kv.revision, "the leader's key space is the API server's").toBe(c.store.revision);
  if (frozen !== null && l === null) {
    expect(c.store.revision, "nothing commits without a quorum").toBe(frozen);
    for (const m of Object.values(members(c))) expect(m.kv.revision).toBeLessThanOrEqual(frozen);
  }
}

describe("etcd's members apply the writes", () => {
  it("each entry carries the batch's puts and deletes at their keys; every member applies them once committed", () => {
    const c = createKubeCluster({ seed: 3, nodes: NODES, controlPlanes: 3 });
    c.apply(web(2));
    c.runFor("5s");
    const e = members(c);
    expect(e["cp-1"]!.kv.revision).toBe(c.store.revision);
    const d = c.deployment("web")!;
    expect(e["cp-1"]!.kv.objects.get("/registry/deployments/default/web")).toBe(d);
    expect(d.metadata.resourceVersion).toBe(String(c.store.list("Deployment")[0]!.metadata.resourceVersion));
    // The followers learn of the commit with the leader's next heartbeat (100 ms).
    c.runFor("200ms");
    for (const h of CPS) expect(divergence(c, members(c)[h]!.kv), h).toBeNull();
    c.delete("Deployment", "web");
    c.runFor("1s");
    for (const h of CPS) expect(members(c)[h]!.kv.objects.has("/registry/deployments/default/web"), h).toBe(false);
  });

  it("a member that was down replays its log from its snapshot and is sent what it missed (the leader's snapshot when its log was compacted past it)", () => {
    // Snapshots every 5 entries: the leader's log starts after what cp-3 has.
    const c = createKubeCluster({ seed: 4, nodes: NODES, controlPlanes: 3, etcdSnapshotCount: 5 });
    c.apply(web(2));
    c.runFor("3s");
    c.crash("cp-3");
    c.scale("web", 4);
    c.runFor("30s");
    const missed = members(c)["cp-3"]!.kv.revision;
    expect(missed).toBeLessThan(c.store.revision);
    expect(members(c)["cp-1"]!.raft.snapshot!.index).toBeGreaterThan(members(c)["cp-3"]!.raft.commitIndex);
    c.restart("cp-3");
    c.runFor("3s");
    expect(members(c)["cp-3"]!.kv.revision).toBe(members(c)["cp-1"]!.kv.revision);
    expect(divergence(c, members(c)["cp-3"]!.kv)).toBeNull();
    expect((members(c)["cp-3"]!.kv.objects.get("/registry/deployments/default/web") as Deployment).spec.replicas).toBe(4);
  });

  it("the API server's watch cache follows the member on its host: with another member leading, a write is in the trace once that member applies it, at the leader's next heartbeat", () => {
    const c = createKubeCluster({ seed: 5, nodes: NODES, controlPlanes: 3 });
    c.crash("cp-1");
    c.runFor("3s");
    c.restart("cp-1");
    c.runFor("3s");
    const l = leaderOf(c);
    expect(l).not.toBe("cp-1");
    expect(l).not.toBeNull();
    const t0 = c.now;
    c.apply(web(1));
    // Committed through the leader: the API server has the Deployment, its ReplicaSet and Pod at once;
    // the trace has only what cp-1's member has applied (it learns of a commit from the leader's next message).
    const rev = c.store.revision;
    const watched = () => c.sim.trace.flatMap((r) => (r.type === "state" && (r.data as { event?: string }).event === "watch" ? [{ t: r.t, node: r.node, revision: (r.data as { revision: number }).revision }] : []));
    expect(members(c)["cp-1"]!.kv.revision).toBeLessThan(rev);
    expect(Math.max(...watched().map((w) => w.revision))).toBe(members(c)["cp-1"]!.kv.revision);
    c.runFor("1s");
    const caught = watched().find((w) => w.revision >= rev)!;
    expect(caught.node).toBe("cp-1");
    expect(caught.t).toBeGreaterThan(t0);
    expect(caught.t - t0).toBeLessThanOrEqual(ETCD_RAFT.heartbeatInterval + 2_000);
  });

  it("property: under crashes and partitions of the control-plane hosts, members stay prefixes of one history, acknowledged writes are committed, nothing commits without quorum, and all catch up after", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("crash" as const), host: fc.constantFrom(...CPS) }),
      fc.record({ type: fc.constant("restart" as const), host: fc.constantFrom(...CPS) }),
      fc.record({ type: fc.constant("isolate" as const), host: fc.constantFrom(...CPS) }),
      fc.record({ type: fc.constant("split" as const) }),
      fc.record({ type: fc.constant("heal" as const) }),
      fc.record({ type: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ type: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 8_000 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(op, { maxLength: 14 }), (seed, ops) => {
      // Snapshots every 1-40 entries: members catch up from logs and from snapshots.
      const c = createKubeCluster({ seed, nodes: NODES, controlPlanes: 3, etcdSnapshotCount: 1 + (seed % 40) });
      c.apply(web(1));
      let acked = 1;
      const act = (f: () => void) => {
        const frozen = leaderOf(c) === null ? c.store.revision : null;
        f();
        check(c, frozen);
      };
      const runTo = (until: number) => {
        while (c.sim.nextEventTime <= until) act(() => c.sim.step());
      };
      for (const o of ops) {
        if (o.type === "crash" && c.sim.net.up[o.host]) act(() => c.crash(o.host));
        else if (o.type === "restart" && !c.sim.net.up[o.host]) act(() => c.restart(o.host));
        else if (o.type === "isolate") act(() => c.partition([[o.host], NODES.filter((n) => n !== o.host)]));
        // The API server's host with the workers, away from the other two members.
        else if (o.type === "split") act(() => c.partition([["cp-1", "node-1", "node-2"], ["cp-2", "cp-3"]]));
        else if (o.type === "heal") act(() => c.heal());
        else if (o.type === "scale") {
          try {
            act(() => c.scale("web", o.replicas));
            acked = o.replicas;
          } catch (e) {
            if (!isKubeError(e)) throw e;
          }
        } else if (o.type === "wait") runTo(c.now + o.ms * 1000);
        const l = leaderOf(c);
        if (l !== null) expect((members(c)[l]!.kv.objects.get("/registry/deployments/default/web") as Deployment).spec.replicas).toBe(acked);
      }
      act(() => c.heal());
      for (const h of CPS) if (!c.sim.net.up[h]) act(() => c.restart(h));
      runTo(c.now + 10_000_000);
      expect(leaderOf(c)).not.toBeNull();
      // A follower learns of a commit with the leader's next heartbeat (100 ms).
      const rev = c.store.revision;
      runTo(c.now + 300_000);
      for (const h of CPS) expect(members(c)[h]!.kv.revision, h).toBeGreaterThanOrEqual(rev);
      expect(c.deployment("web")!.spec.replicas).toBe(acked);
    }), { numRuns: Number(process.env["KUBE_PROP_RUNS"] ?? 30) });
  });
});
