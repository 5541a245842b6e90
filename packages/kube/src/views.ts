// What kubectl prints, as rows: `kubectl get` tables (kubectl's printers, pkg/printers/internalversion
// printers.go) and `kubectl rollout status` lines (polymorphichelpers/rollout_status.go). Pure data;
// the playground lays the rows out with its tabwriter.
import type { CronJob, DaemonSet, Deployment, Job, KubeEvent, Node, Pod, ReplicaSet, Service, StatefulSet } from "./api/types.js";

/** The kubelet version nodes report. */
export const KUBELET_VERSION = "v1.30.0";

/** apimachinery duration.HumanDuration, as kubectl's AGE column shows it. */
export function humanDuration(us: number): string {
  const seconds = Math.floor(us / 1_000_000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: { metadata: { creationTimestamp?: number } }, now: number) => humanDuration(now - (o.metadata.creationTimestamp ?? 0));

/** printPod: the STATUS column's reason (phase, then a container's waiting or terminated reason, then Terminating). */
export function podStatus(p: Pod): string {
  let reason: string = p.status?.reason ?? p.status?.phase ?? "Pending";
  for (const c of [...(p.status?.containerStatuses ?? [])].reverse()) {
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated) reason = c.state.terminated.reason || `ExitCode:${c.state.terminated.exitCode}`;
  }
  if (p.metadata.deletionTimestamp !== undefined) reason = p.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
}

export const POD_COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] as const;
export const POD_WIDE_COLUMNS = [...POD_COLUMNS, "IP", "NODE", "NOMINATED NODE", "READINESS GATES"] as const;

export function podRow(p: Pod, now: number, wide = false): string[] {
  const statuses = p.status?.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  const row = [p.metadata.name, `${ready}/${p.spec.containers.length}`, podStatus(p), String(restarts), age(p, now)];
  return wide ? [...row, p.status?.podIP ?? "<none>", p.spec.nodeName ?? "<none>", "<none>", "<none>"] : row;
}

export const DEPLOYMENT_COLUMNS = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] as const;
export function deploymentRow(d: Deployment, now: number): string[] {
  const s = d.status ?? {};
  return [d.metadata.name, `${s.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`, String(s.updatedReplicas ?? 0), String(s.availableReplicas ?? 0), age(d, now)];
}

export const REPLICASET_COLUMNS = ["NAME", "DESIRED", "CURRENT", "READY", "AGE"] as const;
export function replicaSetRow(rs: ReplicaSet, now: number): string[] {
  return [rs.metadata.name, String(rs.spec.replicas ?? 1), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), age(rs, now)];
}

export const SERVICE_COLUMNS = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] as const;
export function serviceRow(s: Service, now: number): string[] {
  const ports = (s.spec.ports ?? []).map((p) => `${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`).join(",");
  const external = s.spec.type === "LoadBalancer" ? "<pending>" : "<none>";
  return [s.metadata.name, s.spec.type ?? "ClusterIP", s.spec.clusterIP ?? "<none>", external, ports === "" ? "<none>" : ports, age(s, now)];
}

export const NODE_COLUMNS = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"] as const;
export function nodeRow(n: Node, now: number): string[] {
  const ready = n.status?.conditions?.find((c) => c.type === "Ready");
  let status = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
  if (n.spec.unschedulable) status += ",SchedulingDisabled";
  const roles = Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice("node-role.kubernetes.io/".length)).sort();
  return [n.metadata.name, status, roles.length > 0 ? roles.join(",") : "<none>", age(n, now), KUBELET_VERSION];
}

export const DAEMONSET_COLUMNS = ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"] as const;
/** printDaemonSet: the status counts, and the template's nodeSelector as k=v,… or <none>. */
export function daemonSetRow(d: DaemonSet, now: number): string[] {
  const s = d.status;
  const sel = d.spec.template.spec.nodeSelector ?? {};
  const selector = Object.keys(sel).length === 0 ? "<none>" : Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(",");
  return [d.metadata.name, String(s?.desiredNumberScheduled ?? 0), String(s?.currentNumberScheduled ?? 0), String(s?.numberReady ?? 0), String(s?.updatedNumberScheduled ?? 0), String(s?.numberAvailable ?? 0), selector, age(d, now)];
}

export const STATEFULSET_COLUMNS = ["NAME", "READY", "AGE"] as const;
/** printStatefulSet: ready of desired. */
export function statefulSetRow(s: StatefulSet, now: number): string[] {
  return [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`, age(s, now)];
}

export const JOB_COLUMNS = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"] as const;
/** printJob (v1.30, with its STATUS column): succeeded/completions, DURATION from startTime to completion (or now). */
export function jobRow(j: Job, now: number): string[] {
  const s = j.status ?? {};
  const cond = (t: string) => s.conditions?.some((c) => c.type === t && c.status === "True") ?? false;
  const status = cond("Complete") ? "Complete" : cond("Failed") ? "Failed" : "Running";
  const duration = s.startTime === undefined ? "" : humanDuration((s.completionTime ?? now) - s.startTime);
  return [j.metadata.name, status, `${s.succeeded ?? 0}/${j.spec.completions ?? 1}`, duration, age(j, now)];
}

export const CRONJOB_COLUMNS = ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"] as const;
/** printCronJob (v1.30): TIMEZONE <none> unless set, SUSPEND as printBoolPtr, ACTIVE the Jobs running, LAST SCHEDULE since lastScheduleTime. */
export function cronJobRow(c: CronJob, now: number): string[] {
  const last = c.status?.lastScheduleTime;
  const suspend = c.spec.suspend === undefined ? "<unset>" : c.spec.suspend ? "True" : "False";
  return [c.metadata.name, c.spec.schedule, c.spec.timeZone ?? "<none>", suspend, String(c.status?.active?.length ?? 0), last === undefined ? "<none>" : humanDuration(now - last), age(c, now)];
}

export const EVENT_COLUMNS = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"] as const;
/** printEvent: LAST SEEN since lastTimestamp, OBJECT as kind/name in lower case, the message trimmed. */
export function eventRow(e: KubeEvent, now: number): string[] {
  const target = e.involvedObject.name ? `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}` : e.involvedObject.kind.toLowerCase();
  return [humanDuration(now - e.lastTimestamp), e.type, e.reason, target, e.message.trim()];
}

/** kubectl get events' order: by lastTimestamp, oldest first (what `--sort-by=.lastTimestamp` gives; the API's own order is by name). */
export const byLastSeen = (a: KubeEvent, b: KubeEvent): number =>
  a.lastTimestamp - b.lastTimestamp || Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0);

/**
 * describe.go DescribeEvents: the table at the end of `kubectl describe` (Type, Reason, Age, From,
 * Message; an event seen more than once as "<last> (xN over <first>)"), or "Events:  <none>".
 */
export function describeEvents(events: readonly KubeEvent[], now: number): string[][] | null {
  if (events.length === 0) return null;
  return [...events].sort(byLastSeen).map((e) => [
    e.type, e.reason,
    e.count > 1 ? `${humanDuration(now - e.lastTimestamp)} (x${e.count} over ${humanDuration(now - e.firstTimestamp)})` : humanDuration(now - e.firstTimestamp),
    e.source.component, e.message.trim(),
  ]);
}

/**
 * kubectl rollout status's line for a deployment now, and whether it is done
 * (DeploymentStatusViewer.Status); a deployment past its progress deadline is an error.
 */
export function rolloutStatus(d: Deployment): { message: string; done: boolean; error?: string } {
  const name = JSON.stringify(d.metadata.name);
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 1) > (s.observedGeneration ?? 0)) return { message: "Waiting for deployment spec update to be observed...", done: false };
  const progressing = s.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return { message: "", done: false, error: `deployment ${name} exceeded its progress deadline` };
  const replicas = d.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < replicas) return { message: `Waiting for deployment ${name} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
  if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment ${name} rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
  if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment ${name} rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
  return { message: `deployment ${name} successfully rolled out`, done: true };
}
