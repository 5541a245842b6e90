// The StatefulSet controller (kubernetes pkg/controller/statefulset/stateful_set_control.go): pods
// with stable names <set>-0 … <set>-(n-1), each with hostname = its name and subdomain = the set's
// serviceName (its DNS name under the headless Service), and the labels
// statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index. Under OrderedReady (the
// default) pods are made one at a time in ordinal order, each only once every lower one is Running
// and Ready, and removed from the highest ordinal down, one at a time, each only once the lower ones
// are Running and Ready; a pod still terminating holds its name. Parallel makes and removes them all
// at once. A failed pod is deleted and made again under the same name. Not modelled: rolling updates
// of the template (ControllerRevisions), volumeClaimTemplates (PersistentVolumeClaims), partitions.
import { involvedOf } from "./events.js";
import type { Pod, StatefulSet } from "../api/types.js";
import type { StoreReader } from "../store/store.js";
import { canonical, controllerOf, controllerRef, isPodAvailable, isPodReady, isTerminating, type Write } from "./writes.js";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

const runningAndReady = (p: Pod) => p.status?.phase === "Running" && isPodReady(p) && !isTerminating(p);

/** One pass over every StatefulSet. */
export function syncStatefulSets(store: StoreReader, now: number): Write[] {
  const writes: Write[] = [];
  for (const set of store.list("StatefulSet")) if (!isTerminating(set)) writes.push(...syncStatefulSet(store, set, now));
  return writes;
}

export function syncStatefulSet(store: StoreReader, set: StatefulSet, now: number): Write[] {
  const writes: Write[] = [];
  const ns = set.metadata.namespace ?? "default";
  const name = set.metadata.name;
  const replicas = set.spec.replicas ?? 1;
  const ordered = (set.spec.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
  const event = (reason: string, message: string) => ({ involved: involvedOf(set), type: "Normal" as const, reason, message, component: "statefulset-controller" });
  // The set's pods by ordinal (a pod named <set>-<n> it controls).
  const byOrdinal = new Map<number, Pod>();
  for (const p of store.list("Pod", { namespace: ns })) {
    if (controllerOf(p)?.uid !== set.metadata.uid) continue;
    const m = /^(.*)-(\d+)$/.exec(p.metadata.name);
    if (m && m[1] === name) byOrdinal.set(Number(m[2]), p);
  }
  const create = (i: number) => {
    const t = set.spec.template;
    const pod = `${name}-${i}`;
    writes.push({
      type: "create",
      object: {
        apiVersion: "v1", kind: "Pod",
        metadata: { name: pod, namespace: ns, labels: { ...(t.metadata?.labels ?? {}), [POD_NAME_LABEL]: pod, [POD_INDEX_LABEL]: String(i) }, ownerReferences: [controllerRef(set)] },
        spec: { ...t.spec, hostname: pod, ...(set.spec.serviceName ? { subdomain: set.spec.serviceName } : {}) },
      },
      event: event("SuccessfulCreate", `create Pod ${pod} in StatefulSet ${name} successful`),
    });
  };
  const remove = (p: Pod) => writes.push({ type: "delete", kind: "Pod", namespace: ns, name: p.metadata.name, event: event("SuccessfulDelete", `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`) });

  // Make the missing ones, in order.
  for (let i = 0; i < replicas; i++) {
    const p = byOrdinal.get(i);
    if (p && p.status?.phase === "Failed" && !isTerminating(p)) {
      remove(p);
      if (ordered) break;
      continue;
    }
    if (!p) {
      create(i);
      if (ordered) break;
      continue;
    }
    // OrderedReady: nothing past a pod that is not yet Running and Ready (or is going).
    if (ordered && !runningAndReady(p)) break;
  }
  // Remove those past the end: the highest first, one at a time once the ones below are ready.
  const extra = [...byOrdinal.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
  if (extra.length > 0) {
    const below = [...byOrdinal.entries()].filter(([i]) => i < replicas).map(([, p]) => p);
    if (!ordered) for (const i of extra) { const p = byOrdinal.get(i)!; if (!isTerminating(p)) remove(p); }
    else if (below.every(runningAndReady) && !extra.some((i) => isTerminating(byOrdinal.get(i)!))) remove(byOrdinal.get(extra[0]!)!);
  }

  const live = [...byOrdinal.values()].filter((p) => !isTerminating(p));
  const status: StatefulSet["status"] = {
    replicas: live.length,
    readyReplicas: live.filter(isPodReady).length,
    currentReplicas: live.length, updatedReplicas: live.length,
    availableReplicas: live.filter((p) => isPodAvailable(p, set.spec.minReadySeconds ?? 0, now)).length,
    observedGeneration: set.metadata.generation ?? 1,
  };
  if (canonical(status) !== canonical(set.status ?? {})) writes.push({ type: "update", object: { ...set, metadata: { ...set.metadata, resourceVersion: undefined } as StatefulSet["metadata"], status } });
  return writes;
}
