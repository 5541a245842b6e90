import { nodeMatches, parseConstraints } from "../constraint.js";
import type { StoreOp } from "../store/store.js";
import { TaskState, type Node, type Service, type Task } from "../types.js";
import { invalidNode, newTask, type Pass } from "./pass.js";
import { restartTask, shouldRestart, type ControlDraft } from "./restart.js";
import { startUpdate } from "./updater.js";

/**
 * The replicated and global orchestrators (swarmkit manager/orchestrator/replicated, global).
 * Task-level work (restart what ended or lost its node) is a scan on every pass; service-level
 * reconciliation of a replicated service runs when its spec changed, as SwarmKit runs it on
 * service events; the global orchestrator reconciles every pass (it reacts to node events too).
 */

function byTimestampNewest(tasks: readonly Task[]): Task {
  let newest = tasks[0]!;
  for (const t of tasks) if (t.status.timestamp > newest.status.timestamp) newest = t;
  return newest;
}

/** restart.go UpdatableTasksInSlot: the slot's runnable tasks, or its newest if that one will not be restarted. */
function updatableInSlot(c: ControlDraft, slot: readonly Task[], service: Service): Task[] {
  const updatable = slot.filter((t) => t.desiredState <= TaskState.RUNNING);
  if (updatable.length > 0) return updatable;
  if (service.updateStatus?.state === "rollback_started") return [];
  const newest = byTimestampNewest(slot);
  return shouldRestart(c, newest, service) ? [] : [newest];
}

// ---- replicated -------------------------------------------------------------------------------

/** replicated/tasks.go: restart tasks that ended or whose node is invalid. */
export function restartReplicated(pass: Pass, c: ControlDraft): void {
  const candidates: Task[] = [];
  for (const t of pass.store.tasks.values()) {
    if (t.desiredState > TaskState.RUNNING) continue;
    const ended = t.status.state > TaskState.RUNNING;
    if (!ended && (t.nodeId === "" || !invalidNode(pass.store.nodes.get(t.nodeId)))) continue;
    const s = pass.store.services.get(t.serviceId);
    if (s && s.spec.mode.kind === "replicated") candidates.push(t);
  }
  candidates.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const t0 of candidates) {
    const t = pass.store.tasks.get(t0.id);
    const s = pass.store.services.get(t0.serviceId);
    if (t && s && t.desiredState <= TaskState.RUNNING) restartTask(pass, c, t, s);
  }
}

/** replicated/services.go reconcile: create or remove tasks so the running slots match the replicas. */
export function reconcileReplicated(pass: Pass, c: ControlDraft, service: Service): void {
  if (service.spec.mode.kind !== "replicated") return;
  const slots = new Map<number, Task[]>();
  for (const t of pass.tasksOf(service.id)) {
    const l = slots.get(t.slot);
    if (l) l.push(t);
    else slots.set(t.slot, [t]);
  }
  const running = new Map<number, Task[]>();
  const dead = new Map<number, Task[]>();
  for (const [n, slot] of [...slots].sort((a, b) => a[0] - b[0])) {
    const u = updatableInSlot(c, slot, service);
    if (u.length > 0) running.set(n, u);
    else dead.set(n, slot);
  }
  const specified = service.spec.mode.replicas;
  const ops: StoreOp[] = [];
  const deleteDead = () => {
    for (const slot of dead.values()) for (const t of slot) ops.push({ op: "task.delete", id: t.id });
  };
  if (specified > running.size) {
    startUpdate(pass, c, service, [...running.values()]);
    const current = pass.store.services.get(service.id)!;
    let slot = 0;
    for (let i = running.size; i < specified; i++) {
      do slot++; while (running.has(slot));
      dead.delete(slot);
      ops.push({ op: "task.create", task: newTask(current, slot, "", pass.ids(), pass.now) });
    }
    deleteDead();
  } else if (specified < running.size) {
    // Prefer removing tasks that are not running, then on the nodes with the most copies, then high slots.
    const isRunning = (slot: readonly Task[]) => slot.some((t) => t.status.state === TaskState.RUNNING);
    const list = [...running.values()].sort((a, b) => {
      const ra = isRunning(a);
      const rb = isRunning(b);
      if (ra !== rb) return ra ? -1 : 1;
      return a[0]!.slot - b[0]!.slot;
    });
    const perNode = new Map<string, number>();
    const indexed = list.map((slot) => {
      if (slot.length === 1 && slot[0]!.nodeId !== "") {
        const k = (perNode.get(slot[0]!.nodeId) ?? 0) + 1;
        perNode.set(slot[0]!.nodeId, k);
        return { slot, index: k };
      }
      return { slot, index: -1 };
    });
    indexed.sort((a, b) => (a.index < 0 ? (b.index < 0 ? 0 : 1) : b.index < 0 ? -1 : a.index - b.index));
    const sorted = indexed.map((x) => x.slot);
    startUpdate(pass, c, service, sorted.slice(0, specified));
    deleteDead();
    for (const slot of sorted.slice(specified)) {
      for (const t of slot) if (t.desiredState < TaskState.REMOVE) ops.push({ op: "task.desired", id: t.id, state: TaskState.REMOVE });
    }
  } else {
    deleteDead();
    startUpdate(pass, c, service, [...running.values()]);
  }
  pass.apply(ops);
}

// ---- global -------------------------------------------------------------------------------------

const constraintCache = new WeakMap<readonly string[], ReturnType<typeof parseConstraints>>();
export function meets(service: Service, node: Node): boolean {
  const list = service.spec.task.placement.constraints;
  let c = constraintCache.get(list);
  if (!c) {
    c = parseConstraints(list);
    constraintCache.set(list, c);
  }
  return "error" in c ? true : nodeMatches(c, node);
}

/** global.go: nodes that may hold global tasks (not drained, not down). */
export function globalNodes(pass: Pass): Node[] {
  return [...pass.store.nodes.values()].filter((n) => n.spec.availability !== "drain" && n.status.state !== "down")
    .sort((a, b) => (a.description.hostname < b.description.hostname ? -1 : a.description.hostname > b.description.hostname ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * global.go: shut down global tasks on drained or down nodes, restart ended ones where the node
 * still takes them, and give every eligible node exactly one task of each global service.
 * `specChanged` says which services' updates to start (SwarmKit calls the updater on service events).
 */
export function reconcileGlobal(pass: Pass, c: ControlDraft, specChanged: ReadonlySet<string>): void {
  const services = [...pass.store.services.values()].filter((s) => s.spec.mode.kind === "global").sort((a, b) => (a.id < b.id ? -1 : 1));
  if (services.length === 0) return;
  const globalIds = new Set(services.map((s) => s.id));
  const eligible = new Map(globalNodes(pass).map((n) => [n.id, n]));

  // reconcileOneNode for drained and down nodes: their global tasks are shut down.
  const ops: StoreOp[] = [];
  for (const t of pass.store.tasks.values()) {
    if (!globalIds.has(t.serviceId) || t.desiredState >= TaskState.SHUTDOWN || t.nodeId === "") continue;
    const n = pass.store.nodes.get(t.nodeId);
    if (n && (n.spec.availability === "drain" || n.status.state === "down")) ops.push({ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN });
  }
  pass.apply(ops);

  // tickTasks: restart ended tasks where the node still takes them.
  const ended = [...pass.store.tasks.values()]
    .filter((t) => globalIds.has(t.serviceId) && t.desiredState <= TaskState.RUNNING && t.status.state > TaskState.RUNNING)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const t of ended) {
    const node = eligible.get(t.nodeId);
    const s = pass.store.services.get(t.serviceId)!;
    if (!node) continue;
    if (node.spec.availability === "pause" || !meets(s, node)) pass.apply([{ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN }]);
    else restartTask(pass, c, pass.store.tasks.get(t.id)!, s);
  }

  // reconcileServices.
  for (const s0 of services) {
    const service = pass.store.services.get(s0.id)!;
    const byNode = new Map<string, Task[]>();
    for (const t of pass.tasksOf(service.id)) {
      const l = byNode.get(t.nodeId);
      if (l) l.push(t);
      else byNode.set(t.nodeId, [t]);
    }
    const nodeTasks = new Map<string, Task[]>();
    for (const [nodeId, slot] of byNode) {
      const u = updatableInSlot(c, slot, service);
      if (u.length > 0) nodeTasks.set(nodeId, u);
    }
    const updates: Task[][] = [];
    const sops: StoreOp[] = [];
    for (const [nodeId, node] of eligible) {
      const ntasks = nodeTasks.get(nodeId) ?? [];
      nodeTasks.delete(nodeId);
      if (!meets(service, node)) {
        for (const t of ntasks) if (t.desiredState < TaskState.SHUTDOWN) sops.push({ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN });
        continue;
      }
      if (node.spec.availability === "pause") continue;
      if (ntasks.length === 0) sops.push({ op: "task.create", task: newTask(service, 0, nodeId, pass.ids(), pass.now) });
      else updates.push(ntasks);
    }
    for (const ntasks of nodeTasks.values()) {
      for (const t of ntasks) if (t.desiredState < TaskState.SHUTDOWN) sops.push({ op: "task.desired", id: t.id, state: TaskState.SHUTDOWN });
    }
    pass.apply(sops);
    if (specChanged.has(service.id)) startUpdate(pass, c, pass.store.services.get(service.id)!, updates);
  }
}

/** service deletion (SetServiceTasksRemove): the tasks of a service that is gone are to be removed. */
export function removeOrphanedTasks(pass: Pass): void {
  const ops: StoreOp[] = [];
  for (const t of pass.store.tasks.values()) {
    if (!pass.store.services.has(t.serviceId) && t.desiredState < TaskState.REMOVE) ops.push({ op: "task.desired", id: t.id, state: TaskState.REMOVE });
  }
  pass.apply(ops);
}

/**
 * The task reaper (taskreaper/task_reaper.go): tasks to be removed are deleted once they stopped
 * (or never ran); each slot keeps at most the task history limit (MaxAttempts + 1 when the
 * restart policy limits attempts), deleting its oldest ended tasks first.
 */
export function reapTasks(pass: Pass): void {
  const limit = pass.store.cluster?.spec.taskHistoryRetentionLimit ?? 5;
  const ops: StoreOp[] = [];
  // Count the tasks of each slot first (service, then slot number or node): most slots hold one.
  const counts = new Map<string, Map<number | string, number>>();
  for (const t of pass.store.tasks.values()) {
    if (t.desiredState === TaskState.REMOVE && (t.status.state < TaskState.ASSIGNED || t.status.state >= TaskState.COMPLETE)) {
      ops.push({ op: "task.delete", id: t.id });
      continue;
    }
    let m = counts.get(t.serviceId);
    if (!m) counts.set(t.serviceId, (m = new Map()));
    const k = t.slot > 0 ? t.slot : t.nodeId;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  const over = new Map<string, Map<number | string, Task[]>>();
  for (const [serviceId, m] of counts) {
    const s = pass.store.services.get(serviceId);
    if (!s) continue;
    const history = s.spec.task.restart.maxAttempts > 0 ? s.spec.task.restart.maxAttempts + 1 : limit;
    if (history < 0) continue;
    for (const [k, n] of m) {
      if (n <= history) continue;
      let o = over.get(serviceId);
      if (!o) over.set(serviceId, (o = new Map()));
      o.set(k, []);
    }
  }
  if (over.size > 0) {
    for (const t of pass.store.tasks.values()) over.get(t.serviceId)?.get(t.slot > 0 ? t.slot : t.nodeId)?.push(t);
  }
  for (const [serviceId, m] of over) {
    const s = pass.store.services.get(serviceId)!;
    for (const tasks of m.values()) {
      let history = s.spec.task.restart.maxAttempts > 0 ? s.spec.task.restart.maxAttempts + 1 : limit;
      tasks.sort((a, b) => a.status.timestamp - b.status.timestamp || (a.id < b.id ? -1 : 1));
      for (const t of tasks) {
        const terminal = t.status.state > TaskState.RUNNING;
        const neverRuns = t.status.state < TaskState.ASSIGNED && t.desiredState > TaskState.RUNNING;
        if (!terminal && !neverRuns) continue;
        ops.push({ op: "task.delete", id: t.id });
        history++;
        if (tasks.length <= history) break;
      }
    }
  }
  pass.apply(ops);
}
