// Node lifecycle (kubernetes pkg/controller/nodelifecycle and the taint-eviction controller), the
// garbage collector's background deletion of dependents (pkg/controller/garbagecollector) and the
// namespace controller's emptying of a namespace being deleted.
import type { Node, NodeCondition, Pod, Taint } from "../api/types.js";
import { KINDS, type Kind, type KubeObject } from "../api/types.js";
import type { StoreReader } from "../store/store.js";
import { tolerates } from "./scheduler.js";
import { controllerOf, isTerminating, withPodCondition, type Write } from "./writes.js";

export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
export const NOT_READY_TAINT = "node.kubernetes.io/not-ready";

export interface LifecycleOptions {
  /** kube-controller-manager --node-monitor-grace-period: a node silent this long is unreachable (default 40 s). */
  readonly nodeMonitorGraceUs: number;
  /** DefaultTolerationSeconds admission: how long pods stay on an unreachable or not-ready node (default 300 s). */
  readonly defaultTolerationSeconds: number;
}

export const DEFAULT_LIFECYCLE: LifecycleOptions = { nodeMonitorGraceUs: 40_000_000, defaultTolerationSeconds: 300 };

const readyOf = (n: Node): NodeCondition | undefined => n.status?.conditions?.find((c) => c.type === "Ready");

/** Marks silent nodes Unknown and taints them; lifts the taints once a node posts Ready again; marks its pods not ready. */
export function syncNodeLifecycle(store: StoreReader, now: number, o: LifecycleOptions = DEFAULT_LIFECYCLE): Write[] {
  const writes: Write[] = [];
  for (const node of store.list("Node")) {
    const ready = readyOf(node);
    const heartbeat = ready?.lastHeartbeatTime ?? node.metadata.creationTimestamp ?? 0;
    const taints = node.spec.taints ?? [];
    const hasUnreachable = taints.some((t) => t.key === UNREACHABLE_TAINT);
    if (ready?.status === "True" && now - heartbeat > o.nodeMonitorGraceUs) {
      // tryUpdateNodeHealth: "Kubelet stopped posting node status."
      const conditions = (node.status?.conditions ?? []).map((c) => (c.type === "Ready" ? { ...c, status: "Unknown" as const, reason: "NodeStatusUnknown", lastTransitionTime: now } : c));
      const added: Taint[] = [{ key: UNREACHABLE_TAINT, effect: "NoSchedule", timeAdded: now }, { key: UNREACHABLE_TAINT, effect: "NoExecute", timeAdded: now }];
      writes.push({ type: "update", object: { ...node, spec: { ...node.spec, taints: [...taints.filter((t) => t.key !== UNREACHABLE_TAINT), ...added] }, status: { ...node.status, conditions } } });
      // MarkPodsNotReady.
      for (const p of store.list("Pod")) {
        if (p.spec.nodeName === node.metadata.name && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) {
          writes.push({ type: "update", object: withPodCondition(p, "Ready", "False", now) });
        }
      }
    } else if (ready?.status === "True" && hasUnreachable) {
      writes.push({ type: "update", object: { ...node, spec: { ...node.spec, taints: taints.filter((t) => t.key !== UNREACHABLE_TAINT) } } });
    }
  }
  return writes;
}

/** The taint-eviction controller: a pod on a node with a NoExecute taint it does not tolerate (or no longer) is deleted. */
export function syncTaintEviction(store: StoreReader, now: number, o: LifecycleOptions = DEFAULT_LIFECYCLE): Write[] {
  const writes: Write[] = [];
  const noExecute = new Map<string, Taint[]>();
  for (const n of store.list("Node")) {
    const t = (n.spec.taints ?? []).filter((x) => x.effect === "NoExecute");
    if (t.length > 0) noExecute.set(n.metadata.name, t);
  }
  if (noExecute.size === 0) return writes;
  for (const p of store.list("Pod")) {
    const taints = p.spec.nodeName ? noExecute.get(p.spec.nodeName) : undefined;
    if (!taints || isTerminating(p)) continue;
    if (evictAt(p, taints, o) <= now) writes.push({ type: "delete", kind: "Pod", namespace: p.metadata.namespace ?? "default", name: p.metadata.name });
  }
  return writes;
}

/** When a pod must go from a node with these NoExecute taints (the smallest tolerationSeconds; at once if one is not tolerated). */
export function evictAt(p: Pod, taints: readonly Taint[], o: LifecycleOptions = DEFAULT_LIFECYCLE): number {
  let at = Infinity;
  for (const t of taints) {
    // DefaultTolerationSeconds admission gives every pod these two tolerations unless it has its own.
    const own = p.spec.tolerations ?? [];
    const tolerations = (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT) && !own.some((x) => x.key === t.key)
      ? [...own, { key: t.key, operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: o.defaultTolerationSeconds }]
      : own;
    if (!tolerates(tolerations, t)) return t.timeAdded ?? 0;
    const matching = tolerations.filter((x) => tolerates([x], t));
    if (matching.some((x) => x.tolerationSeconds === undefined)) continue;
    const secs = Math.min(...matching.map((x) => Math.max(0, x.tolerationSeconds!)));
    at = Math.min(at, (t.timeAdded ?? 0) + secs * 1_000_000);
  }
  return at;
}

/** Background garbage collection: an object whose controller owner is gone is deleted. */
export function syncGarbage(store: StoreReader): Write[] {
  const writes: Write[] = [];
  for (const kind of ["ReplicaSet", "Pod", "EndpointSlice", "Job", "DaemonSet", "StatefulSet"] as const) {
    for (const o of store.list(kind)) {
      const ref = controllerOf(o);
      if (!ref || isTerminating(o) || store.byUid(ref.uid)) continue;
      writes.push({ type: "delete", kind, namespace: o.metadata.namespace ?? "default", name: o.metadata.name });
    }
  }
  return writes;
}

/** The namespace controller: a Terminating namespace's objects are deleted; once it is empty it goes. */
export function syncNamespaces(store: StoreReader): Write[] {
  const writes: Write[] = [];
  for (const ns of store.list("Namespace")) {
    if (ns.status?.phase !== "Terminating") continue;
    let left = 0;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      if (!KINDS[kind].namespaced) continue;
      for (const o of store.list(kind, { namespace: ns.metadata.name }) as KubeObject[]) {
        left++;
        if (!isTerminating(o)) writes.push({ type: "delete", kind, namespace: ns.metadata.name, name: o.metadata.name });
      }
    }
    if (left === 0) writes.push({ type: "remove", object: ns });
  }
  return writes;
}
