// The ReplicaSet controller (kubernetes pkg/controller/replicaset/replica_set.go): claim the active
// pods its selector matches (adopt orphans, release pods whose labels no longer match), create or
// delete pods to reach spec.replicas, and write status.
import { involvedOf } from "./events.js";
import type { Pod, ReplicaSet } from "../api/types.js";
import { labelSelectorAsSelector } from "../labels/selector.js";
import type { StoreReader } from "../store/store.js";
import { controllerOf, controllerRef, isPodActive, isPodAvailable, isPodReady, isTerminating, type Write } from "./writes.js";

/** replica_set.go BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods ordering for deletion (getPodsToDelete): unassigned before assigned,
 * pending before unknown before running, not ready before ready, more restarts first, newer first.
 */
function deletionOrder(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0;
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  return assigned(a) - assigned(b) || phase(a) - phase(b) || ready(a) - ready(b) || restarts(b) - restarts(a)
    || (b.metadata.creationTimestamp ?? 0) - (a.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? 1 : -1);
}

/** One pass over every ReplicaSet. */
export function syncReplicaSets(store: StoreReader, now: number): Write[] {
  const writes: Write[] = [];
  for (const rs of store.list("ReplicaSet")) writes.push(...syncReplicaSet(store, rs, now));
  return writes;
}

export function syncReplicaSet(store: StoreReader, rs: ReplicaSet, now: number): Write[] {
  const writes: Write[] = [];
  const ns = rs.metadata.namespace ?? "default";
  const selector = labelSelectorAsSelector(rs.spec.selector);
  const mine: Pod[] = [];
  for (const pod of store.list("Pod", { namespace: ns })) {
    if (!isPodActive(pod)) continue;
    const ref = controllerOf(pod);
    const matches = !selector.empty && selector.matches(pod.metadata.labels ?? {});
    if (ref?.uid === rs.metadata.uid) {
      if (matches) mine.push(pod);
      // Release: the pod's labels no longer match; it is an orphan now.
      else writes.push({ type: "update", object: { ...pod, metadata: { ...pod.metadata, ownerReferences: (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata.uid) } } });
    } else if (ref === undefined && matches && !isTerminating(rs)) {
      // Adopt an orphan the selector matches.
      const adopted: Pod = { ...pod, metadata: { ...pod.metadata, ownerReferences: [...(pod.metadata.ownerReferences ?? []), controllerRef(rs)] } };
      writes.push({ type: "update", object: adopted });
      mine.push(adopted);
    }
  }
  let active = mine;
  if (!isTerminating(rs)) {
    const diff = mine.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      const template = rs.spec.template;
      for (let i = 0; i < Math.min(-diff, BURST_REPLICAS); i++) {
        writes.push({
          type: "create",
          object: {
            apiVersion: "v1", kind: "Pod",
            metadata: { name: "", generateName: `${rs.metadata.name}-`, namespace: ns, labels: { ...(template.metadata?.labels ?? {}) }, ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}), ownerReferences: [controllerRef(rs)] },
            spec: template.spec,
          },
          // replica_set.go manageReplicas (controller_utils.go CreatePods): "Created pod: %v".
          event: (pod) => ({ involved: involvedOf(rs), type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${pod.metadata.name}`, component: "replicaset-controller" }),
        });
      }
    } else if (diff > 0) {
      const doomed = [...mine].sort(deletionOrder).slice(0, Math.min(diff, BURST_REPLICAS));
      for (const p of doomed) writes.push({ type: "delete", kind: "Pod", namespace: ns, name: p.metadata.name, event: { involved: involvedOf(rs), type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${p.metadata.name}`, component: "replicaset-controller" } });
      const gone = new Set(doomed.map((p) => p.metadata.uid));
      active = mine.filter((p) => !gone.has(p.metadata.uid));
    }
  }
  // Status after this sync's own deletes, so the deployment controller never counts a pod it is losing.
  const created = Math.max(0, (rs.spec.replicas ?? 1) - mine.length);
  const minReady = rs.spec.minReadySeconds ?? 0;
  const status = {
    replicas: active.length + (isTerminating(rs) ? 0 : Math.min(created, BURST_REPLICAS)),
    fullyLabeledReplicas: active.length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  const old = rs.status;
  if (!old || old.replicas !== status.replicas || old.readyReplicas !== status.readyReplicas || old.availableReplicas !== status.availableReplicas
    || old.fullyLabeledReplicas !== status.fullyLabeledReplicas || old.observedGeneration !== status.observedGeneration) {
    writes.push({ type: "update", object: { ...rs, metadata: { ...rs.metadata, resourceVersion: undefined } as ReplicaSet["metadata"], status } });
  }
  return writes;
}
