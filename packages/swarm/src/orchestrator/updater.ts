import type { StoreOp } from "../store/store.js";
import { TaskState, isGlobalMode, type Service, type Task, type UpdateConfig, type UpdateStatus } from "../types.js";
import { isTaskDirty, newTask, slotKey, updateConfigFor, type Pass } from "./pass.js";
import { delayStart, type ControlDraft } from "./restart.js";

/**
 * Rolling updates (swarmkit manager/orchestrator/update/updater.go) as a state machine the
 * leader steps on every pass, instead of goroutines:
 *
 * - the dirty slots (tasks whose spec is not the service's) are queued; `parallelism` workers
 *   take one slot at a time (0: all at once);
 * - a worker reuses a clean task of the slot if there is one; otherwise it creates a task with
 *   the new spec in desired READY and, stop-first, shuts the old ones down and starts the new one
 *   once they stopped; start-first, starts the new one at once and shuts the old ones down when
 *   it runs. Then it waits `delay` before its next slot;
 * - every task the update created that ends (state past RUNNING) before it ran, or within
 *   `monitor` of running, is a failure; when failures ÷ the number of dirty slots exceed
 *   `maxFailureRatio` the failure action fires: pause ("update paused due to failure or early
 *   termination of task <id>"), or rollback to the previous spec (a rollback that fails pauses);
 *   continue ignores failures. (SwarmKit divides by the number of tasks being updated, as
 *   types.proto says, not by the tasks updated so far.)
 * - when every slot is done, failures are still watched for one more monitor period (or delay +
 *   1 s when the delay is longer), then the update is completed.
 */

export type Worker =
  | { readonly phase: "idle" }
  /** Waiting for an existing clean task's delayed start (updater.go useExistingTask). */
  | { readonly phase: "starting"; readonly taskId: string }
  /** Waiting for the new task to reach RUNNING (updater.go updateTask). */
  | { readonly phase: "running"; readonly taskId: string; readonly old: readonly string[]; readonly startFirst: boolean }
  | { readonly phase: "delay"; readonly until: number };

export interface UpdaterState {
  readonly serviceId: string;
  /** The spec version this update works towards; another version cancels it. */
  readonly specVersion: number;
  readonly rollback: boolean;
  readonly config: UpdateConfig;
  readonly dirtySlots: number;
  /**
   * The slots to update, each with the tasks it held when the update started: SwarmKit's
   * Update() hands the updater these slots, and a worker shuts down only those tasks (never, say,
   * a replacement the restart supervisor made in the slot since).
   */
  readonly queue: readonly QueuedSlot[];
  readonly workers: readonly Worker[];
  /** Tasks this update created, with the time each was seen running (0: not yet). */
  readonly updated: ReadonlyMap<string, number>;
  readonly failed: ReadonlySet<string>;
  readonly failures: number;
  readonly monitorUntil: number | null;
}

export interface QueuedSlot {
  readonly key: string;
  readonly tasks: readonly string[];
}

const SECOND = 1_000_000;
const IDLE: Worker = { phase: "idle" };

function statusOp(service: Service, updateStatus: UpdateStatus, start = false): StoreOp {
  return { op: "service.updateStatus", id: service.id, specVersion: service.specVersion, updateStatus, ...(start ? { start: true } : {}) };
}

/** The tasks of a queued slot as they are now, those still meant to run (desired state up to RUNNING). */
function slotTasks(pass: Pass, ids: readonly string[]): Task[] {
  const out: Task[] = [];
  for (const id of ids) {
    const t = pass.store.tasks.get(id);
    if (t && t.desiredState <= TaskState.RUNNING) out.push(t);
  }
  return out;
}

function complete(pass: Pass, service: Service): void {
  const rollback = service.updateStatus?.state === "rollback_started";
  pass.apply([statusOp(service, {
    state: rollback ? "rollback_completed" : "completed",
    startedAt: service.updateStatus?.startedAt ?? pass.now,
    completedAt: pass.now,
    message: rollback ? "rollback completed" : "update completed",
  })]);
}

/**
 * Supervisor.Update + Updater.Run's start: called by the orchestrators with the service's slots
 * when its spec changed. An update already working towards this spec version goes on.
 */
export function startUpdate(pass: Pass, c: ControlDraft, service: Service, slots: readonly (readonly Task[])[]): void {
  const existing = c.updaters.get(service.id);
  if (existing && existing.specVersion === service.specVersion) return;
  c.updaters.delete(service.id);
  const st = service.updateStatus?.state;
  if (st === "paused" || st === "rollback_paused") return;
  const dirty = slots.filter((slot) => slot.length > 1 || (slot.length === 1 && isTaskDirty(service, slot[0]!, pass.store.nodes.get(slot[0]!.nodeId))));
  if (dirty.length === 0) {
    if (st === "updating" || st === "rollback_started") complete(pass, service);
    return;
  }
  if (service.updateStatus === null) {
    pass.apply([statusOp(service, { state: "updating", startedAt: pass.now, completedAt: null, message: "update in progress" }, true)]);
  }
  const current = pass.store.services.get(service.id)!;
  const { config, rollback } = updateConfigFor(current);
  const parallelism = config.parallelism === 0 ? dirty.length : config.parallelism;
  c.updaters.set(service.id, {
    serviceId: service.id,
    specVersion: service.specVersion,
    rollback,
    config,
    dirtySlots: dirty.length,
    queue: dirty.map((slot) => ({ key: slotKey(slot[0]!), tasks: slot.map((t) => t.id) })),
    workers: Array.from({ length: parallelism }, () => IDLE),
    updated: new Map(),
    failed: new Set(),
    failures: 0,
    monitorUntil: null,
  });
}

/** One step of every running update. */
export function stepUpdates(pass: Pass, c: ControlDraft): void {
  for (const id of [...c.updaters.keys()].sort()) {
    const u = c.updaters.get(id)!;
    const service = pass.store.services.get(id);
    if (!service || service.specVersion !== u.specVersion) {
      c.updaters.delete(id); // cancelled: the service is gone or has a newer spec
      continue;
    }
    const next = stepUpdate(pass, c, service, u);
    if (next) c.updaters.set(id, next);
    else c.updaters.delete(id);
  }
}

function stepUpdate(pass: Pass, c: ControlDraft, service: Service, u: UpdaterState): UpdaterState | null {
  const now = pass.now;
  const cfg = u.config;
  const updated = new Map(u.updated);
  let failed: Set<string> | null = null;
  let failures = u.failures;

  // The failed-task watch (only when the failure action is not "continue").
  if (cfg.failureAction !== "continue") {
    for (const [taskId, runningAt] of updated) {
      if (u.failed.has(taskId) || failed?.has(taskId)) continue;
      const t = pass.store.tasks.get(taskId);
      if (!t || t.status.state <= TaskState.RUNNING) continue;
      if (runningAt !== 0 && t.status.timestamp - runningAt > cfg.monitorUs) continue;
      failed ??= new Set(u.failed);
      failed.add(taskId);
      failures++;
      if (failures / u.dirtySlots > cfg.maxFailureRatio) {
        failureAction(pass, service, u, taskId);
        return null;
      }
    }
  }

  const queue = [...u.queue];
  const workers = u.workers.map((w) => runWorker(pass, c, service, u, w, queue, updated));
  const state: UpdaterState = { ...u, queue, workers, updated, failed: failed ?? u.failed, failures };
  if (queue.length > 0 || workers.some((w) => w.phase !== "idle")) return state;

  // Every slot is done: watch one more monitoring period, then complete.
  const period = cfg.delayUs >= cfg.monitorUs ? cfg.delayUs + SECOND : cfg.monitorUs;
  const until = state.monitorUntil ?? now + period;
  if (now >= until) {
    complete(pass, service);
    return null;
  }
  pass.wake(until);
  return { ...state, monitorUntil: until };
}

function failureAction(pass: Pass, service: Service, u: UpdaterState, taskId: string): void {
  const status = service.updateStatus;
  const startedAt = status?.startedAt ?? pass.now;
  const pause = (message: string) =>
    pass.apply([statusOp(service, { state: u.rollback ? "rollback_paused" : "paused", startedAt, completedAt: null, message })]);
  if (u.config.failureAction === "pause") {
    pause(`update paused due to failure or early termination of task ${taskId}`);
  } else if (u.rollback) {
    // "Never roll back a rollback".
    pause(`rollback paused due to failure or early termination of task ${taskId}`);
  } else {
    pass.apply([{
      op: "service.rollback", id: service.id, specVersion: service.specVersion,
      updateStatus: { state: "rollback_started", startedAt, completedAt: null, message: `update rolled back due to failure or early termination of task ${taskId}` },
    }]);
  }
}

function afterSlot(cfg: UpdateConfig, now: number): Worker {
  return cfg.delayUs > 0 ? { phase: "delay", until: now + cfg.delayUs } : IDLE;
}

function runWorker(pass: Pass, c: ControlDraft, service: Service, u: UpdaterState, w0: Worker, queue: QueuedSlot[], updated: Map<string, number>): Worker {
  const now = pass.now;
  let w = w0;
  for (;;) {
    switch (w.phase) {
      case "idle": {
        const slot = queue.shift();
        if (slot === undefined) return w;
        w = takeSlot(pass, c, service, u, slot, updated);
        continue;
      }
      case "starting": {
        const t = pass.store.tasks.get(w.taskId);
        if (t && t.desiredState < TaskState.RUNNING) return w;
        w = afterSlot(u.config, now);
        continue;
      }
      case "running": {
        const t = pass.store.tasks.get(w.taskId);
        if (t && t.status.state < TaskState.RUNNING) return w;
        if (t) {
          if (updated.get(t.id) === 0) updated.set(t.id, now);
          if (w.startFirst && t.status.state === TaskState.RUNNING) removeOld(pass, slotTasks(pass, w.old));
        }
        w = afterSlot(u.config, now);
        continue;
      }
      case "delay":
        if (now < w.until) {
          pass.wake(w.until);
          return w;
        }
        w = IDLE;
        continue;
    }
  }
}

/** Shuts tasks down (desired SHUTDOWN); returns the last one it shut down. */
function removeOld(pass: Pass, tasks: readonly Task[]): Task | null {
  let removed: Task | null = null;
  const ops: StoreOp[] = [];
  for (const t of tasks) {
    if (t.desiredState > TaskState.RUNNING) continue;
    ops.push({ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN });
    removed = t;
  }
  pass.apply(ops);
  return removed;
}

function takeSlot(pass: Pass, c: ControlDraft, service: Service, u: UpdaterState, slot: QueuedSlot, updated: Map<string, number>): Worker {
  const now = pass.now;
  const tasks = slotTasks(pass, slot.tasks);
  if (tasks.length === 0) return IDLE; // the slot went away (scaled down) while queued
  let running: Task | null = null;
  let clean: Task | null = null;
  for (const t of tasks) {
    if (isTaskDirty(service, t, pass.store.nodes.get(t.nodeId))) continue;
    if (t.desiredState === TaskState.RUNNING) {
      running = t;
      break;
    }
    if (t.desiredState < TaskState.RUNNING) clean = t;
  }
  const existing = running ?? clean;
  if (existing) {
    const old = removeOld(pass, tasks.filter((t) => t.id !== existing.id));
    if (existing.desiredState !== TaskState.RUNNING) {
      delayStart(c, existing.id, 0, old ? old.id : null, now);
      return { phase: "starting", taskId: existing.id };
    }
    return afterSlot(u.config, now);
  }
  const global = isGlobalMode(service.spec.mode);
  const first = tasks[0]!;
  const task = { ...newTask(service, global ? 0 : first.slot, global ? first.nodeId : "", pass.ids(), now), desiredState: TaskState.READY };
  updated.set(task.id, 0);
  pass.apply([{ op: "task.create", task }]);
  const startFirst = u.config.order === "start-first";
  if (startFirst) delayStart(c, task.id, 0, null, now);
  else {
    const old = removeOld(pass, tasks);
    delayStart(c, task.id, 0, old ? old.id : null, now);
  }
  return { phase: "running", taskId: task.id, old: tasks.map((t) => t.id), startFirst };
}
