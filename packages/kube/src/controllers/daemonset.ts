// The DaemonSet controller (kubernetes pkg/controller/daemon/daemon_controller.go): one pod on
// every node the template may run on (NodeShouldRunDaemonPod: its taints tolerated, its nodeSelector
// matched), none elsewhere, never two on a node; failed pods are deleted and made again. Its pods
// get the tolerations the controller adds (util.AddOrUpdateDaemonPodTolerations: not-ready and
// unreachable NoExecute, the pressure and unschedulable NoSchedule taints), so a lost node does not
// evict them. The controller binds each pod to its node itself (spec.nodeName, as before 1.12;
// today it sets a node affinity the scheduler follows: the same placement). Not modelled: rolling
// updates of the template (ControllerRevisions), minReadySeconds.
import { involvedOf } from "./events.js";
import type { DaemonSet, Node, Pod, Toleration } from "../api/types.js";
import { labelSelectorAsSelector } from "../labels/selector.js";
import type { StoreReader } from "../store/store.js";
import { tolerates } from "./scheduler.js";
import { canonical, controllerOf, controllerRef, isPodActive, isPodReady, isTerminating, type Write } from "./writes.js";

/** util.AddOrUpdateDaemonPodTolerations. */
export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

/** NodeShouldRunDaemonPod's predicates: every NoSchedule/NoExecute taint tolerated, the nodeSelector matched. */
export function shouldRun(ds: DaemonSet, n: Node): boolean {
  const tolerations = [...(ds.spec.template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
  for (const t of n.spec.taints ?? []) if ((t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(tolerations, t)) return false;
  for (const [k, v] of Object.entries(ds.spec.template.spec.nodeSelector ?? {})) if (n.metadata.labels?.[k] !== v) return false;
  return true;
}

/** One pass over every DaemonSet. */
export function syncDaemonSets(store: StoreReader): Write[] {
  const writes: Write[] = [];
  const nodes = store.list("Node");
  for (const ds of store.list("DaemonSet")) if (!isTerminating(ds)) writes.push(...syncDaemonSet(store, ds, nodes));
  return writes;
}

export function syncDaemonSet(store: StoreReader, ds: DaemonSet, nodes: readonly Node[]): Write[] {
  const writes: Write[] = [];
  const ns = ds.metadata.namespace ?? "default";
  const selector = labelSelectorAsSelector(ds.spec.selector);
  const mine = store.list("Pod", { namespace: ns }).filter((p) => controllerOf(p)?.uid === ds.metadata.uid && selector.matches(p.metadata.labels ?? {}));
  const byNode = new Map<string, Pod[]>();
  for (const p of mine) if (!isTerminating(p)) byNode.set(p.spec.nodeName ?? "", [...(byNode.get(p.spec.nodeName ?? "") ?? []), p]);
  const del = (p: Pod) => writes.push({ type: "delete", kind: "Pod", namespace: ns, name: p.metadata.name, event: { involved: involvedOf(ds), type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${p.metadata.name}`, component: "daemonset-controller" } });
  let desired = 0, current = 0, misscheduled = 0, ready = 0;
  for (const n of nodes) {
    const name = n.metadata.name;
    const here = byNode.get(name) ?? [];
    byNode.delete(name);
    const run = shouldRun(ds, n);
    if (!run) {
      misscheduled += here.length > 0 ? 1 : 0;
      for (const p of here) del(p);
      continue;
    }
    desired++;
    // A failed pod is deleted (and made again next pass); of several, the oldest stays.
    const live = here.filter((p) => isPodActive(p));
    for (const p of here) if (p.status?.phase === "Failed") del(p);
    const ordered = [...live].sort((a, b) => (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const p of ordered.slice(1)) del(p);
    if (ordered.length === 0 && here.every((p) => p.status?.phase !== "Succeeded")) {
      const t = ds.spec.template;
      writes.push({
        type: "create",
        object: {
          apiVersion: "v1", kind: "Pod",
          metadata: { name: "", generateName: `${ds.metadata.name}-`, namespace: ns, labels: { ...(t.metadata?.labels ?? {}), "pod-template-generation": String(ds.metadata.generation ?? 1) }, ownerReferences: [controllerRef(ds)] },
          spec: { ...t.spec, nodeName: name, tolerations: [...(t.spec.tolerations ?? []), ...DAEMON_TOLERATIONS] },
        },
        event: (pod) => ({ involved: involvedOf(ds), type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${pod.metadata.name}`, component: "daemonset-controller" }),
      });
    } else current++;
    if (ordered[0] && isPodReady(ordered[0])) ready++;
  }
  // Pods on nodes that are gone.
  for (const ps of byNode.values()) for (const p of ps) del(p);
  const status: DaemonSet["status"] = {
    desiredNumberScheduled: desired, currentNumberScheduled: current, numberMisscheduled: misscheduled, numberReady: ready,
    updatedNumberScheduled: current, numberAvailable: ready, ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
    observedGeneration: ds.metadata.generation ?? 1,
  };
  if (canonical(status) !== canonical(ds.status ?? {})) writes.push({ type: "update", object: { ...ds, metadata: { ...ds.metadata, resourceVersion: undefined } as DaemonSet["metadata"], status } });
  return writes;
}
