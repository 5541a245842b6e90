// The Job controller (kubernetes pkg/controller/job/job_controller.go, NonIndexed completion): run
// pods until `completions` of them have succeeded, at most `parallelism` at a time and never more
// than the completions still wanted; count failures (failed pods, and under restartPolicy
// OnFailure the containers' restarts) and give up past backoffLimit, deleting what still runs.
// The pods are the Job's by controller reference and carry its labels (batch.kubernetes.io/job-name,
// controller-uid, and the legacy job-name, controller-uid). Not modelled: the pod-creation back-off
// after failures, Indexed mode, suspend, activeDeadlineSeconds, podFailurePolicy, TTL.
import { involvedOf } from "./events.js";
import type { Job, JobCondition, Pod } from "../api/types.js";
import type { StoreReader } from "../store/store.js";
import { canonical, controllerOf, controllerRef, isTerminating, type Write } from "./writes.js";

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

const finished = (j: Job) => j.status?.conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True") ?? false;

/** One pass over every Job. */
export function syncJobs(store: StoreReader, now: number): Write[] {
  const writes: Write[] = [];
  for (const j of store.list("Job")) if (!isTerminating(j)) writes.push(...syncJob(store, j, now));
  return writes;
}

export function syncJob(store: StoreReader, j: Job, now: number): Write[] {
  const writes: Write[] = [];
  const ns = j.metadata.namespace ?? "default";
  const pods = store.list("Pod", { namespace: ns }).filter((p) => controllerOf(p)?.uid === j.metadata.uid);
  const active = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !isTerminating(p));
  const succeeded = Math.max(j.status?.succeeded ?? 0, pods.filter((p) => p.status?.phase === "Succeeded").length);
  const onFailure = j.spec.template.spec.restartPolicy === "OnFailure";
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  const failed = Math.max(j.status?.failed ?? 0, pods.filter((p) => p.status?.phase === "Failed").length + (onFailure ? active.reduce((n, p) => n + restarts(p), 0) : 0));
  const completions = j.spec.completions ?? 1;
  const parallelism = j.spec.parallelism ?? 1;
  const backoffLimit = j.spec.backoffLimit ?? 6;
  const event = (type: "Normal" | "Warning", reason: string, message: string) => ({ involved: involvedOf(j), type, reason, message, component: "job-controller" });

  let conditions = j.status?.conditions ?? [];
  let completionTime = j.status?.completionTime;
  let doneNow: JobCondition | undefined;
  if (!finished(j)) {
    if (failed > backoffLimit) doneNow = { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastTransitionTime: now };
    else if (succeeded >= completions) doneNow = { type: "Complete", status: "True", lastTransitionTime: now };
  }
  if (doneNow) {
    conditions = [...conditions, doneNow];
    if (doneNow.type === "Complete") completionTime = now;
  }
  const over = finished(j) || doneNow !== undefined;
  let running = active.length;
  if (over) {
    // A finished Job's remaining pods are deleted (a failed one's, and any left past the completions).
    for (const p of active) writes.push({ type: "delete", kind: "Pod", namespace: ns, name: p.metadata.name, event: event("Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`) });
    running = 0;
  } else {
    // manageJob: wantActive = min(parallelism, completions - succeeded).
    const want = Math.max(0, Math.min(parallelism, completions - succeeded));
    if (running < want) {
      const t = j.spec.template;
      const labels = { ...(t.metadata?.labels ?? {}), [CONTROLLER_UID_LABEL]: j.metadata.uid!, [JOB_NAME_LABEL]: j.metadata.name, "controller-uid": j.metadata.uid!, "job-name": j.metadata.name };
      for (let i = running; i < want; i++) {
        writes.push({
          type: "create",
          object: { apiVersion: "v1", kind: "Pod", metadata: { name: "", generateName: `${j.metadata.name}-`, namespace: ns, labels, ownerReferences: [controllerRef(j)] }, spec: t.spec },
          event: (pod) => event("Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`),
        });
      }
      running = want;
    } else if (running > want) {
      const extra = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? 0) - (a.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? 1 : -1)).slice(0, running - want);
      for (const p of extra) writes.push({ type: "delete", kind: "Pod", namespace: ns, name: p.metadata.name, event: event("Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`) });
      running = want;
    }
  }
  const ready = active.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
  const status: Job["status"] = {
    startTime: j.status?.startTime ?? now,
    ...(running > 0 ? { active: running } : {}), ...(succeeded > 0 ? { succeeded } : {}), ...(failed > 0 ? { failed } : {}),
    ready: over ? 0 : ready,
    ...(completionTime !== undefined ? { completionTime } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
  if (canonical(status) !== canonical(j.status ?? {})) {
    const e = doneNow?.type === "Complete" ? event("Normal", "Completed", "Job completed") : doneNow ? event("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit") : undefined;
    writes.push({ type: "update", object: { ...j, metadata: { ...j.metadata, resourceVersion: undefined } as Job["metadata"], status }, ...(e ? { event: e } : {}) });
  }
  return writes;
}
