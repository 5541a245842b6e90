// The Deployment controller (kubernetes pkg/controller/deployment: sync.go, rolling.go,
// recreate.go, util/deployment_util.go): one ReplicaSet per pod template, named by the template's
// hash; RollingUpdate within the fenceposts, Recreate, revisions in annotations, history cleanup,
// pause. Pure: the store in, writes out.
import { involvedOf } from "./events.js";
import { resolveFenceposts } from "../apps/fenceposts.js";
import type { Deployment, DeploymentCondition, PodTemplateSpec, ReplicaSet } from "../api/types.js";
import { labelSelectorAsSelector } from "../labels/selector.js";
import type { StoreReader } from "../store/store.js";
import { canonical, controllerOf, controllerRef, isTerminating, type Write } from "./writes.js";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
export const POD_TEMPLATE_HASH = "pod-template-hash";

const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** controller.ComputeHash: FNV-32a over the template, as rand.SafeEncodeString of its decimal value. */
export function templateHash(template: PodTemplateSpec, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = canonical(template) + (collisionCount > 0 ? String(collisionCount) : "");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join("");
}

/** The template without the pod-template-hash label (EqualIgnoreHash compares these). */
function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

export const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
const replicasOf = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
const sum = (rss: readonly ReplicaSet[], f: (r: ReplicaSet) => number) => rss.reduce((n, r) => n + f(r), 0);
const byCreation = (a: ReplicaSet, b: ReplicaSet) => (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1);

/** The ReplicaSets a deployment owns (claiming orphans its selector matches, releasing ones it no longer does). */
export function replicaSetsOf(store: StoreReader, d: Deployment, writes: Write[] = []): ReplicaSet[] {
  const selector = labelSelectorAsSelector(d.spec.selector);
  const out: ReplicaSet[] = [];
  for (const rs of store.list("ReplicaSet", { namespace: d.metadata.namespace ?? "default" })) {
    const ref = controllerOf(rs);
    const matches = selector.matches(rs.metadata.labels ?? {});
    if (ref?.uid === d.metadata.uid) {
      if (matches) out.push(rs);
      else writes.push({ type: "update", object: { ...rs, metadata: { ...rs.metadata, ownerReferences: (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid) } } });
    } else if (ref === undefined && matches && !isTerminating(d)) {
      const adopted = { ...rs, metadata: { ...rs.metadata, ownerReferences: [...(rs.metadata.ownerReferences ?? []), controllerRef(d)] } };
      writes.push({ type: "update", object: adopted });
      out.push(adopted);
    }
  }
  return out;
}

/** The ReplicaSet whose template is the deployment's (FindNewReplicaSet: the oldest such). */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  const want = canonical(withoutHash(d.spec.template));
  return [...rss].sort(byCreation).find((rs) => canonical(withoutHash(rs.spec.template)) === want);
}

/** deployment_util MaxUnavailable: 0 for Recreate or no replicas, at most the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.strategy?.type !== "RollingUpdate" || replicas === 0) return 0;
  const { unavailable } = resolveFenceposts(d.spec.strategy.rollingUpdate?.maxSurge, d.spec.strategy.rollingUpdate?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

export function maxSurge(d: Deployment): number {
  if (d.spec.strategy?.type !== "RollingUpdate") return 0;
  return resolveFenceposts(d.spec.strategy.rollingUpdate?.maxSurge, d.spec.strategy.rollingUpdate?.maxUnavailable, d.spec.replicas ?? 1).surge;
}

/** A changed copy of a ReplicaSet, scaled, with the deployment's replica annotations (SetReplicasAnnotations). */
function scaled(rs: ReplicaSet, replicas: number, d: Deployment): ReplicaSet {
  const annotations = { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(d.spec.replicas ?? 1), [MAX_REPLICAS_ANNOTATION]: String((d.spec.replicas ?? 1) + maxSurge(d)) };
  return { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } };
}

/** kubectl rollout history: each revision of a deployment and its change cause, oldest first. */
export function rolloutHistory(store: StoreReader, d: Deployment): { revision: number; changeCause: string | null; replicaSet: string }[] {
  return replicaSetsOf(store, d).map((rs) => ({ revision: revisionOf(rs), changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? null, replicaSet: rs.metadata.name }))
    .sort((a, b) => a.revision - b.revision);
}

/** One pass over every Deployment. */
export function syncDeployments(store: StoreReader, now: number): Write[] {
  const writes: Write[] = [];
  for (const d of store.list("Deployment")) writes.push(...syncDeployment(store, d, now));
  return writes;
}

export function syncDeployment(store: StoreReader, d: Deployment, now: number): Write[] {
  const writes: Write[] = [];
  if (isTerminating(d)) return writes;
  const all = replicaSetsOf(store, d, writes);
  const current = new Map(all.map((rs) => [rs.metadata.uid!, rs]));
  const set = (rs: ReplicaSet) => {
    const from = replicasOf(current.get(rs.metadata.uid!) ?? rs);
    const to = replicasOf(rs);
    current.set(rs.metadata.uid!, rs);
    // sync.go scaleReplicaSet: "Scaled %s replica set %s to %d from %d".
    const event = from === to ? undefined : { involved: involvedOf(d), type: "Normal" as const, reason: "ScalingReplicaSet", message: `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata.name} to ${to} from ${from}`, component: "deployment-controller" };
    writes.push({ type: "update", object: rs, ...(event ? { event } : {}) });
  };
  let newRS = findNewReplicaSet(d, all);
  const olds = () => [...current.values()].filter((rs) => rs.metadata.uid !== newRS?.metadata.uid).sort(byCreation);
  const replicas = d.spec.replicas ?? 1;
  const maxOldRevision = Math.max(0, ...olds().map(revisionOf));

  // The new ReplicaSet's revision is one above every old one's (a rollback renumbers it).
  if (newRS && revisionOf(newRS) <= maxOldRevision) {
    newRS = { ...newRS, metadata: { ...newRS.metadata, annotations: { ...(newRS.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(maxOldRevision + 1) } } };
    set(newRS);
  }

  const createNew = (initial: number) => {
    const hash = templateHash(d.spec.template);
    const labels = { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: "apps/v1", kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace ?? "default", labels,
        annotations: {
          [REVISION_ANNOTATION]: String(maxOldRevision + 1), [DESIRED_REPLICAS_ANNOTATION]: String(replicas), [MAX_REPLICAS_ANNOTATION]: String(replicas + maxSurge(d)),
          ...(d.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ? { [CHANGE_CAUSE_ANNOTATION]: d.metadata.annotations[CHANGE_CAUSE_ANNOTATION] } : {}),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas: initial,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
        template: { ...d.spec.template, metadata: { ...(d.spec.template.metadata ?? {}), labels } },
      },
    };
    // sync.go getNewReplicaSet: "Scaled up replica set %s to %d" for a new one with replicas.
    writes.push({ type: "create", object: rs, ...(initial > 0 ? { event: { involved: involvedOf(d), type: "Normal" as const, reason: "ScalingReplicaSet", message: `Scaled up replica set ${rs.metadata.name} to ${initial}`, component: "deployment-controller" } } : {}) });
    return rs;
  };

  // sync.go syncDeployment: a paused deployment, or a change of replicas, only scales (sync); else the strategy rolls out.
  const active = [...current.values()].filter((rs) => replicasOf(rs) > 0);
  const scalingEvent = active.some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    return desired !== undefined && Number(desired) !== replicas;
  });
  if (d.spec.paused || scalingEvent) {
    scale(d, newRS, olds(), (rs) => { if (rs.metadata.uid === newRS?.metadata.uid) newRS = rs; set(rs); });
  } else if (d.spec.strategy?.type === "Recreate") {
    // recreate.go: scale every old ReplicaSet to 0, wait for their pods to be gone, then the new one up.
    let scaledDown = false;
    for (const rs of olds()) if (replicasOf(rs) > 0) { set(scaled(rs, 0, d)); scaledDown = true; }
    const oldPodsRunning = olds().some((rs) => (rs.status?.replicas ?? 0) > 0)
      || store.list("Pod", { namespace: d.metadata.namespace ?? "default" }).some((p) => olds().some((rs) => controllerOf(p)?.uid === rs.metadata.uid) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    if (!scaledDown && !oldPodsRunning) {
      if (!newRS) newRS = createNew(replicas);
      else if (replicasOf(newRS) !== replicas) set(scaled(newRS, replicas, d));
    }
  } else {
    // rolling.go rolloutRolling: scale the new ReplicaSet up, or else the old ones down.
    let scaledUp: boolean;
    if (!newRS) {
      // NewRSNewReplicas: up to replicas + surge in all, no more than replicas in the new one.
      const initial = Math.max(0, Math.min(replicas + maxSurge(d) - sum(olds(), replicasOf), replicas));
      newRS = createNew(initial);
      scaledUp = initial > 0;
    } else scaledUp = rollingNew(d, newRS, olds(), (rs) => { newRS = rs; set(rs); });
    if (!scaledUp) rollingOld(d, newRS, olds(), set);
  }

  // Cleanup (sync.go cleanupDeployment): once complete, old ReplicaSets with no pods past revisionHistoryLimit go.
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const dead = olds().filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !isTerminating(rs));
  if (!d.spec.paused && dead.length > limit) {
    for (const rs of dead.slice(0, dead.length - limit)) writes.push({ type: "delete", kind: "ReplicaSet", namespace: rs.metadata.namespace ?? "default", name: rs.metadata.name });
  }

  const status = deploymentStatus(d, newRS, olds(), now);
  if (canonical(status) !== canonical(d.status ?? {})) writes.push({ type: "update", object: { ...d, metadata: { ...d.metadata, resourceVersion: undefined } as Deployment["metadata"], status } });
  return writes;
}

/**
 * sync.go scale: the only active ReplicaSet (or the newest) takes the new size; a saturated new one
 * leaves the old ones at 0; otherwise every active ReplicaSet of a rolling deployment is scaled in
 * proportion (GetProportion, from each one's max-replicas annotation), the leftover going to the
 * largest, so that all of them together stay within replicas + maxSurge.
 */
function scale(d: Deployment, newRS: ReplicaSet | undefined, olds: readonly ReplicaSet[], set: (rs: ReplicaSet) => void): void {
  const replicas = d.spec.replicas ?? 1;
  const all = newRS ? [...olds, newRS] : [...olds];
  const active = all.filter((rs) => replicasOf(rs) > 0);
  // FindActiveOrLatest.
  const newestFirst = [...olds].sort(byCreation).reverse();
  const only = active.length === 1 ? active[0] : active.length === 0 ? newRS ?? newestFirst[0] : undefined;
  if (only) {
    if (replicasOf(only) !== replicas) set(scaled(only, replicas, d));
    return;
  }
  // IsSaturated.
  if (newRS && replicasOf(newRS) === replicas && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]) === replicas && (newRS.status?.availableReplicas ?? 0) === replicas) {
    for (const rs of olds) if (replicasOf(rs) > 0) set(scaled(rs, 0, d));
    return;
  }
  if (d.spec.strategy?.type !== "RollingUpdate") return;
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sum(active, replicasOf);
  // ReplicaSetsBySizeNewer when adding, BySizeOlder when removing.
  const ordered = [...active].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
  let added = 0;
  const sizes = ordered.map((rs) => {
    if (toAdd === 0) return replicasOf(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return replicasOf(rs) + p;
  });
  if (toAdd !== 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  ordered.forEach((rs, i) => set(scaled(rs, sizes[i]!, d)));
}

/** deployment_util GetProportion and getReplicaSetFraction. */
function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const replicas = d.spec.replicas ?? 1;
  let fraction: number;
  if (replicas === 0) fraction = -replicasOf(rs);
  else {
    const before = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] ?? 0) || (d.status?.replicas ?? 0);
    // integer.RoundToInt32: half away from zero.
    const size = (replicasOf(rs) * (replicas + maxSurge(d))) / (before || 1);
    fraction = before === 0 ? 0 : Math.sign(size) * Math.round(Math.abs(size)) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** rolling.go reconcileNewReplicaSet: true when it scaled the new ReplicaSet up. */
function rollingNew(d: Deployment, newRS: ReplicaSet, olds: readonly ReplicaSet[], set: (rs: ReplicaSet) => void): boolean {
  const replicas = d.spec.replicas ?? 1;
  if (replicasOf(newRS) === replicas) return false;
  if (replicasOf(newRS) > replicas) { set(scaled(newRS, replicas, d)); return false; }
  const total = replicasOf(newRS) + sum(olds, replicasOf);
  const maxTotal = replicas + maxSurge(d);
  if (total >= maxTotal) return false;
  const up = Math.min(maxTotal - total, replicas - replicasOf(newRS));
  set(scaled(newRS, replicasOf(newRS) + up, d));
  return true;
}

/** rolling.go reconcileOldReplicaSets, cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate. */
function rollingOld(d: Deployment, newRS: ReplicaSet, oldsIn: readonly ReplicaSet[], set: (rs: ReplicaSet) => void): void {
  let olds = [...oldsIn];
  if (sum(olds, replicasOf) === 0) return;
  const replicas = d.spec.replicas ?? 1;
  const minAvailable = replicas - maxUnavailable(d);
  const allPods = replicasOf(newRS) + sum(olds, replicasOf);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  // First the old pods that are not available: losing them costs nothing.
  let cleaned = 0;
  olds = olds.map((rs) => {
    if (cleaned >= maxScaledDown || replicasOf(rs) === 0) return rs;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) return rs;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    cleaned += down;
    const next = scaled(rs, replicasOf(rs) - down, d);
    set(next);
    return next;
  });
  // Then available ones, as long as availability stays at minAvailable.
  const available = (newRS.status?.availableReplicas ?? 0) + sum(olds, (rs) => Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs)));
  if (available <= minAvailable) return;
  let total = available - minAvailable;
  for (const rs of olds) {
    if (total <= 0) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), total);
    set(scaled(rs, replicasOf(rs) - down, d));
    total -= down;
  }
}

function deploymentStatus(d: Deployment, newRS: ReplicaSet | undefined, olds: readonly ReplicaSet[], now: number): NonNullable<Deployment["status"]> {
  const all = newRS ? [newRS, ...olds] : [...olds];
  const replicas = d.spec.replicas ?? 1;
  const available = sum(all, (r) => r.status?.availableReplicas ?? 0);
  const statusReplicas = sum(all, (r) => r.status?.replicas ?? 0);
  const updated = newRS?.status?.replicas ?? 0;
  const old = d.status?.conditions ?? [];
  const cond = (type: DeploymentCondition["type"], status: DeploymentCondition["status"], reason: string, message: string): DeploymentCondition => {
    const prev = old.find((c) => c.type === type);
    const same = prev && prev.status === status && prev.reason === reason;
    return { type, status, reason, message, lastUpdateTime: same ? prev.lastUpdateTime ?? now : now, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime ?? now : now };
  };
  const minAvailable = replicas - maxUnavailable(d);
  const complete = updated === replicas && statusReplicas === replicas && available === replicas && newRS !== undefined;
  const rsName = newRS ? `ReplicaSet "${newRS.metadata.name}"` : "ReplicaSet";
  const ready = sum(all, (r) => r.status?.readyReplicas ?? 0);
  // util.DeploymentProgressing: more updated, ready or available pods, or fewer old ones.
  const before = d.status ?? {};
  const oldBefore = (before.replicas ?? 0) - (before.updatedReplicas ?? 0);
  const progressed = updated > (before.updatedReplicas ?? 0) || ready > (before.readyReplicas ?? 0) || available > (before.availableReplicas ?? 0) || statusReplicas - updated < oldBefore;
  const prev = old.find((c) => c.type === "Progressing");
  const deadlineUs = (d.spec.progressDeadlineSeconds ?? 600) * 1_000_000;
  let progressing: DeploymentCondition;
  if (d.spec.paused) progressing = cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
  else if (complete) progressing = cond("Progressing", "True", "NewReplicaSetAvailable", `${rsName} has successfully progressed.`);
  else if (progressed || !prev || prev.reason === "DeploymentPaused" || prev.reason === "NewReplicaSetAvailable" || (prev.message ?? "").indexOf(rsName) < 0) {
    // Progress (or a new rollout) restarts the deadline's clock.
    progressing = { ...cond("Progressing", "True", "ReplicaSetUpdated", `${rsName} is progressing.`), lastUpdateTime: now };
  } else if (prev.reason === "ProgressDeadlineExceeded" || (prev.lastUpdateTime ?? now) + deadlineUs < now) {
    // util.DeploymentTimedOut: no progress for progressDeadlineSeconds.
    progressing = cond("Progressing", "False", "ProgressDeadlineExceeded", `${rsName} has timed out progressing.`);
  } else progressing = prev;
  const conditions: DeploymentCondition[] = [
    available >= minAvailable
      ? cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
      : cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
    progressing,
  ];
  return {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: statusReplicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(replicas - available, 0),
    conditions,
  };
}
