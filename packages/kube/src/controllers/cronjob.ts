// The CronJob controller (kubernetes pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob and
// utils.go): at each schedule time a Job from the template, named `<cronjob>-<scheduled time in
// Unix minutes>` (getJobName, getTimeHashInMinutes), owned by the CronJob; only the most recent
// missed time is run (mostRecentScheduleTime); concurrencyPolicy Forbid skips a time while a Job
// runs, Replace deletes the running ones first; suspend stops new Jobs; finished Jobs past
// successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted oldest first (cleanupFinishedJobs),
// their pods after them by the garbage collector. status.active lists the CronJob's unfinished Jobs;
// one that leaves it finished gives "SawCompletedJob". Not modelled: the "UnexpectedJob",
// "JobAlreadyActive" and "MissSchedule" events (the real controller records them once per
// requeue; this one looks every second), time zones other than UTC.
import { involvedOf, type EventSpec } from "./events.js";
import type { CronJob, Job } from "../api/types.js";
import type { StoreReader } from "../store/store.js";
import { controllerOf, controllerRef, isTerminating, canonical, type Write } from "./writes.js";
import { nextActivation, parseCron, VIRTUAL_EPOCH_UNIX_SECONDS, type CronSchedule } from "./cron.js";

/** The annotation the controller puts on each Job (v1.28+): the scheduled time, RFC 3339. */
export const CRONJOB_SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

const S = 1_000_000;
const unixOf = (us: number) => VIRTUAL_EPOCH_UNIX_SECONDS + Math.floor(us / S);
const virtualOf = (unix: number) => (unix - VIRTUAL_EPOCH_UNIX_SECONDS) * S;

const condition = (j: Job): "Complete" | "Failed" | null => {
  for (const c of j.status?.conditions ?? []) if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c.type;
  return null;
};

/** One pass over every CronJob. */
export function syncCronJobs(store: StoreReader, now: number): Write[] {
  const writes: Write[] = [];
  for (const cj of store.list("CronJob")) if (!isTerminating(cj)) writes.push(...syncCronJob(store, cj, now));
  return writes;
}

/** getJobName: the CronJob's name and the scheduled time in minutes since the Unix epoch. */
export function cronJobName(cj: CronJob, scheduledUs: number): string {
  return `${cj.metadata.name}-${Math.floor(unixOf(scheduledUs) / 60)}`;
}

/** mostRecentScheduleTime: the latest schedule time in (earliest, now], or null. */
export function mostRecentSchedule(s: CronSchedule, earliestUs: number, nowUs: number): number | null {
  const now = unixOf(nowUs);
  let t = nextActivation(s, unixOf(earliestUs));
  if (t === null || t > now) return null;
  for (;;) {
    const n = nextActivation(s, t);
    if (n === null || n > now) return virtualOf(t);
    t = n;
  }
}

/** When the CronJob next starts a Job after `now` (for describe and tests); null when suspended or never. */
export function nextSchedule(cj: CronJob, nowUs: number): number | null {
  if (cj.spec.suspend) return null;
  const t = nextActivation(parseCron(cj.spec.schedule), unixOf(nowUs));
  return t === null ? null : virtualOf(t);
}

export function syncCronJob(store: StoreReader, cj: CronJob, now: number): Write[] {
  const writes: Write[] = [];
  const ns = cj.metadata.namespace ?? "default";
  const event = (type: "Normal" | "Warning", reason: string, message: string): EventSpec => ({ involved: involvedOf(cj), type, reason, message, component: "cronjob-controller" });
  const jobs = store.list("Job", { namespace: ns }).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
  const wasActive = new Set((cj.status?.active ?? []).map((r) => r.uid));
  let lastSuccessfulTime = cj.status?.lastSuccessfulTime;
  const saw: EventSpec[] = [];
  for (const j of jobs) {
    const c = condition(j);
    if (c !== null && wasActive.has(j.metadata.uid!)) saw.push(event("Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${c}`));
    if (c === "Complete" && j.status?.completionTime !== undefined && (lastSuccessfulTime === undefined || j.status.completionTime > lastSuccessfulTime)) lastSuccessfulTime = j.status.completionTime;
  }
  const running = jobs.filter((j) => condition(j) === null && !isTerminating(j));
  let active = running;
  let lastScheduleTime = cj.status?.lastScheduleTime;

  const scheduled = cj.spec.suspend ? null : mostRecentSchedule(parseCron(cj.spec.schedule), lastScheduleTime ?? cj.metadata.creationTimestamp ?? 0, now);
  const tooLate = scheduled !== null && cj.spec.startingDeadlineSeconds !== undefined && scheduled + cj.spec.startingDeadlineSeconds * S < now;
  if (scheduled !== null && !tooLate) {
    const name = cronJobName(cj, scheduled);
    const exists = jobs.some((j) => j.metadata.name === name) || store.get("Job", ns, name) !== undefined;
    const policy = cj.spec.concurrencyPolicy ?? "Allow";
    if (!exists && !(policy === "Forbid" && active.length > 0)) {
      if (policy === "Replace") {
        for (const j of active) writes.push({ type: "delete", kind: "Job", namespace: ns, name: j.metadata.name, event: event("Normal", "SuccessfulDelete", `Deleted job ${j.metadata.name}`) });
        active = [];
      }
      const t = cj.spec.jobTemplate;
      const job: Job = {
        apiVersion: "batch/v1", kind: "Job",
        metadata: {
          name, namespace: ns, ...(t.metadata?.labels ? { labels: { ...t.metadata.labels } } : {}),
          annotations: { ...(t.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_ANNOTATION]: rfc3339(unixOf(scheduled)) },
          ownerReferences: [controllerRef(cj)],
        },
        spec: t.spec,
      };
      writes.push({ type: "create", object: job, event: event("Normal", "SuccessfulCreate", `Created job ${name}`) });
      lastScheduleTime = scheduled;
    }
  }

  // cleanupFinishedJobs: the oldest finished Jobs past each history limit go (by start time, then name).
  const byStart = (a: Job, b: Job) => (a.status?.startTime ?? Infinity) - (b.status?.startTime ?? Infinity) || (a.metadata.name < b.metadata.name ? -1 : 1);
  for (const [kind, limit] of [["Complete", cj.spec.successfulJobsHistoryLimit], ["Failed", cj.spec.failedJobsHistoryLimit]] as const) {
    if (limit === undefined) continue;
    const done = jobs.filter((j) => condition(j) === kind && !isTerminating(j)).sort(byStart);
    for (const j of done.slice(0, Math.max(0, done.length - limit))) {
      writes.push({ type: "delete", kind: "Job", namespace: ns, name: j.metadata.name, event: event("Normal", "SuccessfulDelete", `Deleted job ${j.metadata.name}`) });
    }
  }

  const refs = [...active].sort((a, b) => (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((j) => ({ apiVersion: "batch/v1", kind: "Job", name: j.metadata.name, namespace: ns, uid: j.metadata.uid! }));
  const status: CronJob["status"] = {
    ...(refs.length > 0 ? { active: refs } : {}),
    ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}),
    ...(lastSuccessfulTime !== undefined ? { lastSuccessfulTime } : {}),
  };
  if (canonical(status) !== canonical(cj.status ?? {}) || saw.length > 0) {
    // The status write carries the first event; a second Job seen completed in the same pass rides on a write of the same status.
    const object = { ...cj, metadata: { ...cj.metadata, resourceVersion: undefined } as CronJob["metadata"], status };
    writes.push({ type: "update", object, ...(saw[0] ? { event: saw[0] } : {}) });
    for (const e of saw.slice(1)) writes.push({ type: "update", object, event: e });
  }
  return writes;
}

/** Go's time.RFC3339 in UTC. */
function rfc3339(unix: number): string {
  const days = Math.floor(unix / 86_400);
  const rem = unix - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(y, 4)}-${p(m)}-${p(d)}T${p(Math.floor(rem / 3600))}:${p(Math.floor((rem % 3600) / 60))}:${p(rem % 60)}Z`;
}
