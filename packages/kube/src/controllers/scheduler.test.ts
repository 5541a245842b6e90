// The scheduler's filters and scores, the ReplicaSet controller's choice of pods to delete, and the
// deployment controller's hash and fenceposts, on a store with no kernel around it.
import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../api/types.js";
import { KubeStore } from "../store/store.js";
import { evictAt, UNREACHABLE_TAINT } from "./lifecycle.js";
import { bytes, milliCpu } from "./resources.js";
import { buildNodeInfos, feasibleNodesToFind, schedulePods, score, tolerates, unfit } from "./scheduler.js";
import { applyWrites } from "./writes.js";

const node = (name: string, o: { cpu?: string; memory?: string; labels?: Record<string, string>; taints?: Node["spec"]["taints"]; ready?: boolean } = {}): Node => ({
  apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name, ...(o.labels ?? {}) } },
  spec: { ...(o.taints ? { taints: o.taints } : {}) },
  status: { allocatable: { cpu: o.cpu ?? "2", memory: o.memory ?? "4Gi", pods: 110 }, conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }] },
});
const pod = (name: string, o: { cpu?: string; memory?: string; nodeSelector?: Record<string, string>; tolerations?: Pod["spec"]["tolerations"]; nodeName?: string } = {}): Pod => ({
  apiVersion: "v1", kind: "Pod", metadata: { name },
  spec: {
    containers: [{ name: "c", image: "nginx", ...(o.cpu || o.memory ? { resources: { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } } : {}) }],
    ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}), ...(o.tolerations ? { tolerations: o.tolerations } : {}), ...(o.nodeName ? { nodeName: o.nodeName } : {}),
  },
});

function world(nodes: Node[], pods: Pod[]): KubeStore {
  const s = new KubeStore();
  s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  for (const n of nodes) s.create(n);
  for (const p of pods) s.create(p);
  return s;
}
const run = (s: KubeStore) => applyWrites(s, schedulePods(s, { now: 0, random: () => 0, state: { nextStartNodeIndex: 0 } }), 0);
const where = (s: KubeStore) => Object.fromEntries(s.list("Pod").map((p) => [p.metadata.name, p.spec.nodeName ?? null]));

describe("quantities (resource.Quantity)", () => {
  it("cpu in millicores, memory in bytes, binary and decimal suffixes", () => {
    expect([milliCpu("500m"), milliCpu("1"), milliCpu(2), milliCpu("0.25")]).toEqual([500, 1000, 2000, 250]);
    expect([bytes("128Mi"), bytes("1G"), bytes("1e3"), bytes("4Gi")]).toEqual([128 * 1024 ** 2, 1e9, 1000, 4 * 1024 ** 3]);
  });
});

describe("filters", () => {
  it("NodeResourcesFit: requests must fit what is left, with kube-scheduler's reason", () => {
    const s = world([node("n1", { cpu: "1" })], [pod("a", { cpu: "600m", nodeName: "n1" })]);
    const [info] = buildNodeInfos(s);
    expect(unfit(info!, pod("b", { cpu: "500m" }))).toBe("Insufficient cpu");
    expect(unfit(info!, pod("b", { cpu: "400m" }))).toBeNull();
    expect(unfit(info!, pod("b", { memory: "5Gi" }))).toBe("Insufficient memory");
  });

  it("TaintToleration and nodeSelector", () => {
    const s = world([node("cp", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }), node("n1", { labels: { disk: "ssd" } })], []);
    const [cp, n1] = buildNodeInfos(s);
    expect(unfit(cp!, pod("a"))).toBe("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
    expect(unfit(cp!, pod("a", { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }))).toBeNull();
    expect(unfit(n1!, pod("a", { nodeSelector: { disk: "hdd" } }))).toBe("node(s) didn't match Pod's node affinity/selector");
    expect(unfit(n1!, pod("a", { nodeSelector: { disk: "ssd" } }))).toBeNull();
    expect(tolerates([{ operator: "Exists" }], { key: "anything", effect: "NoExecute" })).toBe(true);
    expect(tolerates([{ key: "k", value: "v", effect: "NoSchedule" }], { key: "k", value: "w", effect: "NoSchedule" })).toBe(false);
  });

  it("an unschedulable pod says why, in kube-scheduler's words", () => {
    const s = world([node("cp", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }), node("n1", { cpu: "1" }), node("n2", { cpu: "1" })], [pod("big", { cpu: "2" })]);
    run(s);
    const c = s.get("Pod", "default", "big")!.status?.conditions?.find((x) => x.type === "PodScheduled");
    expect(c).toMatchObject({ status: "False", reason: "Unschedulable" });
    expect(c!.message).toBe("0/3 nodes are available: 2 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  });
});

describe("scores", () => {
  it("least allocated and balanced: an empty node beats a busy one; balanced use beats lopsided", () => {
    const s = world([node("busy"), node("idle")], [pod("x", { cpu: "1", memory: "1Gi", nodeName: "busy" })]);
    const [busy, idle] = buildNodeInfos(s);
    expect(score(idle!, pod("p"))).toBeGreaterThan(score(busy!, pod("p")));
    // Fractions 0.5/0.5 (balanced) against 0.75/0.25 at the same average: balanced wins.
    const s2 = world([node("a"), node("b")], [pod("x", { cpu: "1", memory: "2Gi", nodeName: "a" }), pod("y", { cpu: "1500m", memory: "1Gi", nodeName: "b" })]);
    const [a, b] = buildNodeInfos(s2);
    const tiny = pod("p", { cpu: "1m", memory: "1" });
    expect(score(a!, tiny)).toBeGreaterThan(score(b!, tiny));
  });

  it("pods spread over equal nodes, each bind counting against the next", () => {
    const s = world([node("n1"), node("n2"), node("n3")], ["a", "b", "c", "d", "e", "f"].map((n) => pod(n, { cpu: "100m" })));
    run(s);
    const counts: Record<string, number> = {};
    for (const n of Object.values(where(s))) counts[n!] = (counts[n!] ?? 0) + 1;
    expect(counts).toEqual({ n1: 2, n2: 2, n3: 2 });
  });

  it("percentageOfNodesToScore: all of a small cluster, 10% of 5,000 nodes, never fewer than 100", () => {
    expect(feasibleNodesToFind(50)).toBe(50);
    // 200 nodes: 49% is 98, raised to the floor of 100.
    expect(feasibleNodesToFind(200)).toBe(100);
    expect(feasibleNodesToFind(5000)).toBe(500);
    expect(feasibleNodesToFind(100_000)).toBe(5000);
  });
});

describe("taint eviction times (DefaultTolerationSeconds)", () => {
  it("300 s after the unreachable taint, unless the pod tolerates it for another time or for ever", () => {
    const t = { key: UNREACHABLE_TAINT, effect: "NoExecute" as const, timeAdded: 1_000_000 };
    expect(evictAt(pod("p"), [t])).toBe(301_000_000);
    expect(evictAt(pod("p", { tolerations: [{ key: UNREACHABLE_TAINT, operator: "Exists", effect: "NoExecute", tolerationSeconds: 5 }] }), [t])).toBe(6_000_000);
    expect(evictAt(pod("p", { tolerations: [{ operator: "Exists" }] }), [t])).toBe(Infinity);
    expect(evictAt(pod("p"), [{ key: "dedicated", effect: "NoExecute", timeAdded: 7 }])).toBe(7);
  });
});
