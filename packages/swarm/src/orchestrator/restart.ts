import { OLD_TASK_TIMEOUT_US } from "../defaults.js";
import { TaskState, isGlobalMode, isJob, type Service, type Task } from "../types.js";
import { newTask, type Pass } from "./pass.js";

/**
 * The restart supervisor (swarmkit manager/orchestrator/restart/restart.go). A task that ends
 * (or whose node is lost) is shut down and, if its restart policy allows, replaced by a new task
 * in the same slot that waits in desired state READY: for the restart delay, and for the old task
 * to stop (or its node to go down, or a minute). Its state is the leader's and volatile, as in
 * SwarmKit: a new leader rebuilds it from the store (taskinit).
 */

/** A replacement waiting to be moved to desired RUNNING (restart.go DelayStart). */
export interface DelayedStart {
  /** When the delay has elapsed. */
  readonly startAt: number;
  /** The task it replaces, which must stop first (null: no wait). */
  readonly waitFor: string | null;
  /** When waiting for the old task gives up (TaskTimeout, one minute from the call). */
  readonly timeoutAt: number;
}

/** Restarts of one slot under one spec version (restart.go instanceRestartInfo). */
export interface RestartHistory {
  readonly specVersion: number;
  readonly total: number;
  /** Creation times of the replacements, kept only when the policy has a window. */
  readonly instants: readonly number[];
}

/** The leader's volatile orchestration state, between passes an immutable value. */
export interface ControlState {
  readonly delayed: ReadonlyMap<string, DelayedStart>;
  readonly history: ReadonlyMap<string, RestartHistory>;
  readonly updaters: ReadonlyMap<string, import("./updater.js").UpdaterState>;
  /** The spec version each replicated service was last reconciled at (SwarmKit reacts to service events). */
  readonly reconciled: ReadonlyMap<string, number>;
  /** taskinit.CheckTasks has run under this leader. */
  readonly initialized: boolean;
}

export const EMPTY_CONTROL: ControlState = {
  delayed: new Map(), history: new Map(), updaters: new Map(), reconciled: new Map(), initialized: false,
};

/** The same state, with maps a pass may change in place. */
export interface ControlDraft {
  delayed: Map<string, DelayedStart>;
  history: Map<string, RestartHistory>;
  updaters: Map<string, import("./updater.js").UpdaterState>;
  reconciled: Map<string, number>;
  initialized: boolean;
}

export function draftControl(c: ControlState): ControlDraft {
  return {
    delayed: new Map(c.delayed), history: new Map(c.history), updaters: new Map(c.updaters),
    reconciled: new Map(c.reconciled), initialized: c.initialized,
  };
}

export function historyKey(t: Task, global: boolean): string {
  return global ? `${t.serviceId}/n${t.nodeId}` : `${t.serviceId}/s${t.slot}`;
}

/** restart.go shouldRestart: the restart condition, then the attempts within the window. */
export function shouldRestart(c: ControlDraft, t: Task, service: Service): boolean {
  const policy = t.spec.restart;
  if (policy.condition === "none") return false;
  if (policy.condition === "on-failure" && t.status.state === TaskState.COMPLETE) return false;
  if (policy.maxAttempts === 0) return true;
  const info = c.history.get(historyKey(t, isGlobalMode(service.spec.mode)));
  if (!info || t.specVersion !== info.specVersion) return true;
  if (policy.windowUs === 0) return info.total < policy.maxAttempts;
  if (info.instants.length === 0) return true;
  const ts = t.status.timestamp;
  const lookback = ts - policy.windowUs;
  // Restarts before the window are forgotten; restarts not before this task's end do not count.
  const kept = info.instants.filter((x) => x > lookback);
  if (kept.length !== info.instants.length) c.history.set(historyKey(t, isGlobalMode(service.spec.mode)), { ...info, instants: kept });
  const n = kept.filter((x) => x < ts).length;
  return n < policy.maxAttempts;
}

/** restart.go RecordRestartHistory. */
function recordRestart(c: ControlDraft, key: string, replacement: Task): void {
  const policy = replacement.spec.restart;
  if (policy.maxAttempts === 0) return;
  let info = c.history.get(key);
  if (!info || info.specVersion !== replacement.specVersion) info = { specVersion: replacement.specVersion, total: 0, instants: [] };
  c.history.set(key, {
    specVersion: info.specVersion,
    total: info.total + 1,
    instants: policy.windowUs !== 0 ? [...info.instants, replacement.createdAt] : info.instants,
  });
}

/** restart.go Restart: shut `t` down and, if the policy says so, start a replacement after the delay. */
export function restartTask(pass: Pass, c: ControlDraft, t: Task, service: Service): void {
  // The task is itself a replacement still waiting to start: it restarts once that wait ends.
  if (c.delayed.has(t.id)) return;
  if (t.desiredState > TaskState.COMPLETE) return;
  pass.apply([{ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN }]);
  if (!shouldRestart(c, t, service)) return;
  const global = isGlobalMode(service.spec.mode);
  const now = pass.now;
  const replacement = { ...newTask(service, global ? 0 : t.slot, global ? t.nodeId : "", pass.ids(), now), desiredState: TaskState.READY };
  const node = pass.store.nodes.get(t.nodeId);
  // "Restart delay is not applied to drained nodes".
  const delay = node === undefined || node.spec.availability !== "drain" ? t.spec.restart.delayUs : 0;
  // "Normally we wait for the old task to stop running, but we skip this if the old task is
  // already dead or the node it's assigned to is down."
  const waitStop = !((node !== undefined && node.status.state === "down") || t.status.state > TaskState.RUNNING);
  pass.apply([{ op: "task.create", task: replacement }]);
  recordRestart(c, historyKey(replacement, global), replacement);
  delayStart(c, replacement.id, delay, waitStop ? t.id : null, now);
}

/** What a replacement is started towards: RUNNING, or COMPLETE for a job's task. */
function startState(pass: Pass, t: Task): TaskState {
  const s = pass.store.services.get(t.serviceId);
  return s && isJob(s.spec.mode) ? TaskState.COMPLETE : TaskState.RUNNING;
}

export function delayStart(c: ControlDraft, taskId: string, delayUs: number, waitFor: string | null, now: number): void {
  c.delayed.set(taskId, { startAt: now + delayUs, waitFor, timeoutAt: now + OLD_TASK_TIMEOUT_US });
}

/** The old task is out of the way: stopped, gone, or on a node that is down or gone. */
function oldTaskDone(pass: Pass, id: string): boolean {
  const old = pass.store.tasks.get(id);
  if (!old || old.status.state > TaskState.RUNNING) return true;
  const node = pass.store.nodes.get(old.nodeId);
  return old.nodeId !== "" && (node === undefined || node.status.state === "down");
}

/** DelayStart's goroutines, as a scan: move the replacements whose wait is over to desired RUNNING. */
export function startDelayed(pass: Pass, c: ControlDraft): void {
  const now = pass.now;
  for (const [id, d] of [...c.delayed]) {
    const t = pass.store.tasks.get(id);
    if (!t || t.desiredState !== TaskState.READY) {
      c.delayed.delete(id);
      continue;
    }
    if (now >= d.startAt && (d.waitFor === null || oldTaskDone(pass, d.waitFor) || now >= d.timeoutAt)) {
      pass.apply([{ op: "task.desired", id, state: startState(pass, t) }]); // StartNow
      c.delayed.delete(id);
    } else {
      pass.wake(now < d.startAt ? d.startAt : d.timeoutAt);
    }
  }
}

/**
 * taskinit.CheckTasks, run when a manager becomes leader: tasks of deleted services are deleted;
 * replacements left in desired READY by the previous leader get what remains of their restart
 * delay; the restart history is rebuilt from the tasks in each slot.
 */
export function initTasks(pass: Pass, c: ControlDraft): void {
  const now = pass.now;
  const ops: import("../store/store.js").StoreOp[] = [];
  const bySlot = new Map<string, Task[]>();
  for (const t of pass.store.tasks.values()) {
    const service = pass.store.services.get(t.serviceId);
    if (!service) {
      ops.push({ op: "task.delete", id: t.id });
      continue;
    }
    const global = isGlobalMode(service.spec.mode);
    const key = historyKey(t, global);
    const list = bySlot.get(key);
    if (list) list.push(t);
    else bySlot.set(key, [t]);
    if (t.desiredState !== TaskState.READY || t.status.state > TaskState.COMPLETE || c.delayed.has(t.id)) continue;
    const delay = t.spec.restart.delayUs;
    const remaining = Math.min(delay, t.status.timestamp + delay - now);
    if (delay !== 0 && remaining > 0) delayStart(c, t.id, remaining, null, now);
    else ops.push({ op: "task.desired", id: t.id, state: startState(pass, t) });
  }
  pass.apply(ops);
  for (const [key, tasks] of bySlot) {
    const t0 = tasks[0]!;
    if (t0.spec.restart.maxAttempts === 0) continue;
    const newest = Math.max(...tasks.map((t) => t.specVersion));
    const same = tasks.filter((t) => t.specVersion === newest).sort((a, b) => a.createdAt - b.createdAt);
    if (same.length <= 1) continue;
    const replacements = same.slice(1);
    c.history.set(key, { specVersion: newest, total: replacements.length, instants: replacements.map((t) => t.createdAt) });
  }
}
