// Fixtures for the control plane's unit tests and the benchmarks: stores built by hand, and a
// harness that runs the leader's passes with agents that obey at once (no network, no time).
import { DEFAULT_CLUSTER_SPEC, INGRESS } from "./defaults.js";
import { counterIds, type IdSource } from "./ids.js";
import { controlPass } from "./orchestrator/control.js";
import { EMPTY_CONTROL, type ControlState } from "./orchestrator/restart.js";
import { serviceSpec, type ServiceOptions } from "./spec.js";
import { applyOps, EMPTY_STORE, type StoreOp } from "./store/store.js";
import { TaskState, type Node, type NodeRole, type Service, type Store, type Task, type TaskStatus } from "./types.js";

export interface NodeOptions {
  readonly hostname: string;
  readonly role?: NodeRole;
  readonly labels?: Record<string, string>;
  readonly engineLabels?: Record<string, string>;
  readonly availability?: Node["spec"]["availability"];
  readonly state?: Node["status"]["state"];
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly os?: string;
  readonly arch?: string;
}

export function makeNode(id: string, o: NodeOptions): Node {
  const role = o.role ?? "worker";
  return {
    id, version: 0, createdAt: 0, updatedAt: 0,
    spec: { desiredRole: role, availability: o.availability ?? "active", labels: o.labels ?? {} },
    role,
    description: {
      hostname: o.hostname,
      platform: { os: o.os ?? "linux", architecture: o.arch ?? "x86_64" },
      resources: { nanoCPUs: (o.cpus ?? 4) * 1e9, memoryBytes: o.memoryBytes ?? 8 * 1024 ** 3 },
      engineLabels: o.engineLabels ?? {},
      engineVersion: "28.0.0",
    },
    status: { state: o.state ?? "ready", message: "", addr: `10.1.0.${id.length}` },
    manager: role === "manager" ? { raftId: o.hostname, addr: `${o.hostname}:2377` } : null,
  };
}

export function makeService(id: string, o: ServiceOptions): Service {
  return {
    id, version: 0, createdAt: 0, updatedAt: 0, spec: serviceSpec(o), specVersion: 0,
    previousSpec: null, previousSpecVersion: null, endpoint: null, updateStatus: null,
  };
}

/** A store with the cluster object, the ingress network and `nodes`. */
export function baseStore(nodes: readonly Node[]): Store {
  const ops: StoreOp[] = [
    {
      op: "cluster.put",
      cluster: {
        id: "cluster0000000000000000000", version: 0, createdAt: 0, updatedAt: 0, spec: DEFAULT_CLUSTER_SPEC,
        rootCA: { caCertHash: "0".repeat(64), joinTokens: { worker: "SWMTKN-1-w", manager: "SWMTKN-1-m" } }, dataKey: "0".repeat(64),
      },
    },
    {
      op: "network.create",
      network: {
        id: "ingress000000000000000000", version: 0, createdAt: 0, updatedAt: 0,
        spec: { name: INGRESS.name, driver: "overlay", ingress: true, attachable: false, internal: false, labels: {}, subnet: INGRESS.subnet, gateway: INGRESS.gateway },
      },
    },
    ...nodes.map((node): StoreOp => ({ op: "node.create", node })),
  ];
  return applyOps(EMPTY_STORE, ops, 1, 0);
}

function status(state: TaskState, message: string, now: number, extra: Partial<TaskStatus> = {}): TaskStatus {
  return { state, message, err: "", timestamp: now, containerId: "", exitCode: null, ...extra };
}

/**
 * The leader's passes over a store, with agents that do what they are told at once: an
 * assigned task runs (or only gets ready while desired READY), a task desired shut down stops.
 * `fail` decides which tasks fail once they run.
 */
export class ControlHarness {
  store: Store;
  control: ControlState = EMPTY_CONTROL;
  now = 0;
  readonly ids: IdSource = counterIds("t");
  fail: (t: Task) => boolean = () => false;
  /** Every (task id, state) the agents reported, in order. */
  readonly reported: [string, TaskState][] = [];

  constructor(store: Store) {
    this.store = store;
  }

  apply(ops: readonly StoreOp[]): void {
    this.store = applyOps(this.store, ops, this.store.index + 1, this.now);
  }

  /** One leader pass; returns the ops it proposed (already applied). */
  pass(): readonly StoreOp[] {
    const r = controlPass({ store: this.store, control: this.control, now: this.now, index: this.store.index + 1, ids: this.ids });
    this.store = r.store;
    this.control = r.control;
    return r.ops;
  }

  /** The agents act on what they were assigned. */
  agents(): void {
    const ops: StoreOp[] = [];
    for (const t of this.store.tasks.values()) {
      if (t.nodeId === "" || t.status.state < TaskState.ASSIGNED) continue;
      const node = this.store.nodes.get(t.nodeId);
      if (!node || node.status.state !== "ready") continue;
      const s = t.status.state;
      if (t.desiredState >= TaskState.SHUTDOWN) {
        if (s < TaskState.COMPLETE) ops.push({ op: "task.status", id: t.id, status: status(TaskState.SHUTDOWN, "shutdown", this.now) });
        continue;
      }
      if (s < TaskState.READY) ops.push({ op: "task.status", id: t.id, status: status(TaskState.READY, "prepared", this.now) });
      if (t.desiredState >= TaskState.RUNNING && s < TaskState.RUNNING) {
        if (this.fail(t)) ops.push({ op: "task.status", id: t.id, status: status(TaskState.FAILED, "started", this.now, { err: "task: non-zero exit (1)", exitCode: 1 }) });
        else ops.push({ op: "task.status", id: t.id, status: status(TaskState.RUNNING, "started", this.now) });
      }
    }
    for (const o of ops) if (o.op === "task.status") this.reported.push([o.id, o.status.state]);
    this.apply(ops);
  }

  /** Passes and agent rounds, `stepUs` apart, for `durationUs`. */
  run(durationUs: number, stepUs = 100_000): void {
    const end = this.now + durationUs;
    while (this.now < end) {
      this.pass();
      this.agents();
      this.now += stepUs;
    }
    this.pass();
  }

  tasksOf(serviceId: string): Task[] {
    return [...this.store.tasks.values()].filter((t) => t.serviceId === serviceId);
  }

  running(serviceId: string): Task[] {
    return this.tasksOf(serviceId).filter((t) => t.status.state === TaskState.RUNNING && t.desiredState === TaskState.RUNNING);
  }
}

export function nodes(n: number, o: Partial<NodeOptions> = {}): Node[] {
  return Array.from({ length: n }, (_, i) => makeNode(`node${String(i + 1).padStart(21, "0")}`, { hostname: `node${i + 1}`, ...o }));
}
