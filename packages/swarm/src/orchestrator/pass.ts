import { canonicalJson } from "@drydock/kernel";
import { nodeMatches, parseConstraints } from "../constraint.js";
import { hexDigest, type IdSource } from "../ids.js";
import { applyOps, type StoreOp } from "../store/store.js";
import { TaskState, type Node, type Service, type Store, type Task, type TaskSpec, type TaskStatus, type UpdateConfig } from "../types.js";

/**
 * One pass of the leader's control loop works on a view of the store: each step's operations are
 * applied to the view at once, so the next step sees them (the orchestrator creates a task, the
 * allocator moves it to PENDING, the scheduler assigns it, all in one raft entry). The operations
 * are collected for the leader to propose. `index` is the raft index the entry will take, so the
 * view stamps the same versions the replicas will.
 */
export class Pass {
  store: Store;
  readonly ops: StoreOp[] = [];
  /** The earliest virtual time a step wants the next pass (Infinity: none). */
  wakeAt = Infinity;

  private serialCount = 0;
  constructor(store: Store, readonly now: number, readonly index: number, readonly ids: IdSource, private readonly serials?: IdSource) {
    this.store = store;
  }

  /** A certificate serial: from its own source, or made from the raft index. */
  serial(): string {
    return this.serials ? this.serials() : hexDigest(`serial/${this.index}/${this.serialCount++}`, 32);
  }

  apply(ops: readonly StoreOp[]): void {
    if (ops.length === 0) return;
    for (const o of ops) this.ops.push(o);
    this.store = applyOps(this.store, ops, this.index, this.now);
  }

  wake(at: number): void {
    if (at < this.wakeAt) this.wakeAt = at;
  }

  /** Tasks of each service, built on demand and dropped whenever the view changes. */
  private byServiceFor: Store | null = null;
  private byService = new Map<string, Task[]>();
  tasksOf(serviceId: string): Task[] {
    if (this.byServiceFor !== this.store) {
      this.byService = new Map();
      for (const t of this.store.tasks.values()) {
        const l = this.byService.get(t.serviceId);
        if (l) l.push(t);
        else this.byService.set(t.serviceId, [t]);
      }
      this.byServiceFor = this.store;
    }
    return this.byService.get(serviceId) ?? [];
  }
}

export function taskStatus(state: TaskState, message: string, now: number, err = ""): TaskStatus {
  return { state, message, err, timestamp: now, containerId: "", exitCode: null };
}

/** orchestrator/task.go NewTask: NEW, "created", desired RUNNING, with the service's spec. */
export function newTask(service: Service, slot: number, nodeId: string, id: string, now: number): Task {
  return {
    id,
    version: 0,
    createdAt: now,
    updatedAt: now,
    serviceId: service.id,
    serviceName: service.spec.name,
    slot,
    nodeId,
    spec: service.spec.task,
    specVersion: service.specVersion,
    desiredState: TaskState.RUNNING,
    status: taskStatus(TaskState.NEW, "created", now),
    networks: [],
    endpoint: { spec: service.spec.endpoint, ports: [], virtualIPs: [] },
  };
}

/** orchestrator/task.go InvalidNode: gone, down, or drained. */
export function invalidNode(n: Node | undefined): boolean {
  return n === undefined || n.status.state === "down" || n.spec.availability === "drain";
}

const specKeys = new WeakMap<object, string>();
function keyOf(v: object): string {
  let k = specKeys.get(v);
  if (k === undefined) {
    k = canonicalJson(v);
    specKeys.set(v, k);
  }
  return k;
}

/**
 * orchestrator/task.go IsTaskDirty: the task no longer matches its service. Equal spec versions
 * are clean; otherwise the task spec and the endpoint spec are compared, and a change of the
 * placement constraints alone is clean while the task's node still satisfies them.
 */
export function isTaskDirty(service: Service, t: Task, node: Node | undefined): boolean {
  if (t.specVersion === service.specVersion) return false;
  const want = service.spec.task;
  if (want !== t.spec && keyOf(want) !== keyOf(t.spec)) {
    if (placementOnly(want, t.spec) && node) {
      const c = parseConstraints(want.placement.constraints);
      if (!("error" in c) && nodeMatches(c, node)) return endpointDirty(service, t);
    }
    return true;
  }
  return endpointDirty(service, t);
}

function endpointDirty(service: Service, t: Task): boolean {
  return t.endpoint !== null && t.endpoint.spec !== service.spec.endpoint && keyOf(t.endpoint.spec) !== keyOf(service.spec.endpoint);
}

function placementOnly(a: TaskSpec, b: TaskSpec): boolean {
  if (keyOf(a.placement) === keyOf(b.placement)) return false;
  return keyOf({ ...a, placement: b.placement }) === keyOf(b);
}

/** The update config an update or a rollback uses (updater.go Run). */
export function updateConfigFor(service: Service): { config: UpdateConfig; rollback: boolean } {
  const rollback = service.updateStatus?.state === "rollback_started";
  return { config: rollback ? service.spec.rollback : service.spec.update, rollback };
}

/** A slot's key: the slot number of a replicated task, the node of a global one. */
export function slotKey(t: Task): string {
  return t.slot > 0 ? `s${t.slot}` : `n${t.nodeId}`;
}
