import type { StoreOp } from "../store/store.js";
import { TaskState, type Node, type Service, type Task } from "../types.js";
import { invalidNode, newTask, type Pass } from "./pass.js";
import { restartTask, type ControlDraft } from "./restart.js";
import { globalNodes, meets } from "./orchestrators.js";

/**
 * The jobs orchestrators (swarmkit manager/orchestrator/jobs/replicated and jobs/global
 * reconciler.go). A job's tasks are created with desired state COMPLETE and are done once they
 * complete; failed ones go to the restart supervisor (the restart policy, on-failure by default).
 * SwarmKit counts tasks per job iteration (JobIteration, bumped when the spec changes); here the
 * iteration is the spec version, so `docker service update` runs a job again and tasks of an
 * earlier iteration still running are removed.
 *
 * One difference from reconciler.go: there, a failed task the restart policy will not restart
 * frees its slot and the next pass creates a new task there (so "restart-condition none" is
 * retried all the same); here a slot holding such a task stays taken, so a failed job stays failed.
 */

/** The task is of the job's current iteration. */
function current(service: Service, t: Task): boolean {
  return t.specVersion === service.specVersion;
}

/** Tasks of an earlier iteration still running are set to be removed (reconciler.go removeTasks). */
function removeEarlier(pass: Pass, service: Service, tasks: readonly Task[]): void {
  const ops: StoreOp[] = [];
  for (const t of tasks) {
    if (!current(service, t) && t.status.state <= TaskState.RUNNING && t.desiredState !== TaskState.REMOVE) ops.push({ op: "task.desired", id: t.id, state: TaskState.REMOVE });
  }
  pass.apply(ops);
}

/** A task that needs the restart supervisor: it failed, or its node went away before it completed. */
function needsRestart(pass: Pass, t: Task): boolean {
  if (t.desiredState > TaskState.COMPLETE) return false;
  if (t.status.state > TaskState.COMPLETE) return true;
  return t.status.state < TaskState.COMPLETE && t.nodeId !== "" && invalidNode(pass.store.nodes.get(t.nodeId));
}

/** jobs/replicated/reconciler.go ReconcileService. */
export function reconcileReplicatedJob(pass: Pass, c: ControlDraft, service: Service): void {
  if (service.spec.mode.kind !== "replicated-job") return;
  const { maxConcurrent, totalCompletions } = service.spec.mode;
  const tasks = pass.tasksOf(service.id);
  removeEarlier(pass, service, tasks);
  let running = 0;
  let complete = 0;
  const taken = new Set<number>();
  const restart: Task[] = [];
  for (const t of tasks) {
    if (!current(service, t)) continue;
    taken.add(t.slot);
    if (t.status.state === TaskState.COMPLETE) complete++;
    else if (t.desiredState <= TaskState.COMPLETE) {
      running++;
      if (needsRestart(pass, t)) restart.push(t);
    }
  }
  // "this number can never exceed MaxConcurrent, but also should not result in us exceeding TotalCompletions".
  const create = Math.max(0, Math.min(maxConcurrent - running, totalCompletions - complete - running));
  const ops: StoreOp[] = [];
  for (let slot = 0, made = 0; slot < totalCompletions && made < create; slot++) {
    if (taken.has(slot)) continue;
    ops.push({ op: "task.create", task: { ...newTask(service, slot, "", pass.ids(), pass.now), desiredState: TaskState.COMPLETE } });
    made++;
  }
  pass.apply(ops);
  for (const t of restart.sort((a, b) => (a.id < b.id ? -1 : 1))) restartTask(pass, c, pass.store.tasks.get(t.id)!, service);
}

/** jobs/global/reconciler.go ReconcileService: one task per eligible node, run once. */
export function reconcileGlobalJob(pass: Pass, c: ControlDraft, service: Service, eligible: readonly Node[]): void {
  const tasks = pass.tasksOf(service.id);
  removeEarlier(pass, service, tasks);
  const onNode = new Set<string>();
  const restart: Task[] = [];
  for (const t of tasks) {
    if (!current(service, t)) continue;
    onNode.add(t.nodeId);
    if (needsRestart(pass, t) && !invalidNode(pass.store.nodes.get(t.nodeId))) restart.push(t);
  }
  const ops: StoreOp[] = [];
  for (const n of eligible) {
    if (onNode.has(n.id) || n.spec.availability === "pause" || !meets(service, n)) continue;
    ops.push({ op: "task.create", task: { ...newTask(service, 0, n.id, pass.ids(), pass.now), desiredState: TaskState.COMPLETE } });
  }
  pass.apply(ops);
  for (const t of restart.sort((a, b) => (a.id < b.id ? -1 : 1))) restartTask(pass, c, pass.store.tasks.get(t.id)!, service);
}

/** Every job service, every pass (jobs react to task and node events as the global orchestrator does). */
export function reconcileJobs(pass: Pass, c: ControlDraft): void {
  let eligible: Node[] | null = null;
  for (const s of [...pass.store.services.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (s.spec.mode.kind === "replicated-job") reconcileReplicatedJob(pass, c, s);
    else if (s.spec.mode.kind === "global-job") reconcileGlobalJob(pass, c, s, (eligible ??= globalNodes(pass)));
  }
}
