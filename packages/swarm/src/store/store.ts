import {
  TaskState,
  type Cluster, type Config, type Endpoint, type ManagerInfo, type Network, type NetworkAttachment, type Node,
  type NodeDescription, type NodeRole, type NodeSpec, type NodeStatus, type Secret, type Service, type ServiceSpec,
  type Store, type Task, type TaskStatus, type UpdateStatus,
} from "../types.js";
import type { NodeCert } from "../certs.js";

/**
 * The cluster store as a replicated state machine: a change is a list of operations carried by
 * one raft log entry, and every manager applies the committed entries in log order, so every
 * manager's store is the same value at the same index (SwarmKit's MemoryStore fed by raft).
 *
 * Operations are field-level so concurrent writers cannot clobber each other: the dispatcher
 * writes a task's status, the orchestrator its desired state, the scheduler its node. Two rules
 * of SwarmKit hold in `apply`: a task's status only moves forward ("a lamport clock",
 * types.proto), and its desired state never moves back ("time travel is not allowed",
 * replicated/services.go setTasksDesiredState).
 */
export type StoreOp =
  | { readonly op: "cluster.put"; readonly cluster: Cluster }
  | { readonly op: "node.create"; readonly node: Node }
  | { readonly op: "node.spec"; readonly id: string; readonly spec: NodeSpec }
  | { readonly op: "node.role"; readonly id: string; readonly role: NodeRole; readonly manager: ManagerInfo | null }
  | { readonly op: "node.status"; readonly id: string; readonly status: NodeStatus; readonly description?: NodeDescription }
  | { readonly op: "node.cert"; readonly id: string; readonly certificate: NodeCert; readonly trustRoot: string }
  | { readonly op: "node.delete"; readonly id: string }
  | { readonly op: "service.create"; readonly service: Service }
  /** controlapi UpdateService: a new spec (or a manual rollback's swap) and the update status reset. */
  | {
    readonly op: "service.spec"; readonly id: string; readonly spec: ServiceSpec; readonly previousSpec: ServiceSpec | null;
    readonly previousSpecVersion: number | null; readonly updateStatus: UpdateStatus | null; readonly keepSpecVersion?: number;
  }
  /**
   * The updater: applies only while the service still has the spec version it worked on, and
   * (updater.go) starting sets a status only where there is none; pausing or completing only
   * where there is one.
   */
  | { readonly op: "service.updateStatus"; readonly id: string; readonly specVersion: number; readonly updateStatus: UpdateStatus; readonly start?: boolean }
  /** The updater's automatic rollback (updater.go rollbackUpdate): the previous spec comes back. */
  | { readonly op: "service.rollback"; readonly id: string; readonly specVersion: number; readonly updateStatus: UpdateStatus }
  | { readonly op: "service.endpoint"; readonly id: string; readonly endpoint: Endpoint }
  | { readonly op: "service.delete"; readonly id: string }
  | { readonly op: "task.create"; readonly task: Task }
  | { readonly op: "task.status"; readonly id: string; readonly status: TaskStatus }
  | { readonly op: "task.alloc"; readonly id: string; readonly networks: readonly NetworkAttachment[]; readonly endpoint: Endpoint | null; readonly status: TaskStatus }
  | { readonly op: "task.assign"; readonly id: string; readonly nodeId: string; readonly status: TaskStatus }
  | { readonly op: "task.desired"; readonly id: string; readonly state: TaskState }
  | { readonly op: "task.delete"; readonly id: string }
  | { readonly op: "secret.create"; readonly secret: Secret }
  | { readonly op: "secret.delete"; readonly id: string }
  | { readonly op: "config.create"; readonly config: Config }
  | { readonly op: "config.delete"; readonly id: string }
  | { readonly op: "network.create"; readonly network: Network }
  | { readonly op: "network.delete"; readonly id: string };

/** One raft entry's value: the operations and the leader's clock when it proposed them. */
export interface StoreEntry {
  readonly kind: "store";
  readonly at: number;
  readonly ops: readonly StoreOp[];
}

export const EMPTY_STORE: Store = {
  index: 0,
  cluster: null,
  nodes: new Map(),
  services: new Map(),
  tasks: new Map(),
  secrets: new Map(),
  configs: new Map(),
  networks: new Map(),
};

type Tables = "nodes" | "services" | "tasks" | "secrets" | "configs" | "networks";

/** Copy-on-first-write tables, so one batch copies each table it touches once. */
class Draft {
  private readonly copied = new Set<Tables>();
  readonly t: { -readonly [K in Tables]: Map<string, any> };
  cluster: Cluster | null;
  constructor(private readonly base: Store) {
    this.t = {
      nodes: base.nodes as Map<string, Node>, services: base.services as Map<string, Service>, tasks: base.tasks as Map<string, Task>,
      secrets: base.secrets as Map<string, Secret>, configs: base.configs as Map<string, Config>, networks: base.networks as Map<string, Network>,
    };
    this.cluster = base.cluster;
  }
  write(table: Tables): Map<string, any> {
    if (!this.copied.has(table)) {
      this.t[table] = new Map(this.t[table]);
      this.copied.add(table);
    }
    return this.t[table];
  }
  done(index: number): Store {
    return { index, cluster: this.cluster, ...this.t };
  }
  changed(): boolean {
    return this.copied.size > 0 || this.cluster !== this.base.cluster;
  }
}

/**
 * Applies operations at store index `index` (the raft index, or the leader's optimistic index),
 * stamping `at` as the objects' update time and `index` as their version. An operation on an
 * object that is gone, or one a rule above forbids, is skipped: replicas skip the same ones.
 */
export function applyOps(store: Store, ops: readonly StoreOp[], index: number, at: number): Store {
  if (ops.length === 0) return index === store.index ? store : { ...store, index };
  const d = new Draft(store);
  for (const o of ops) applyOne(d, o, index, at);
  return d.done(index);
}

function get<T>(d: Draft, table: Tables, id: string): T | undefined {
  return d.t[table].get(id) as T | undefined;
}

function put(d: Draft, table: Tables, id: string, value: unknown): void {
  d.write(table).set(id, value);
}

function del(d: Draft, table: Tables, id: string): void {
  if (d.t[table].has(id)) d.write(table).delete(id);
}

/**
 * A task with some fields replaced, built field by field: every task then has the same shape
 * (V8's hidden class), which keeps 100,000-task stores fast where spreads with overrides do not.
 */
function taskWith(t: Task, version: number, at: number, p: {
  nodeId?: string; desiredState?: TaskState; status?: Task["status"]; networks?: Task["networks"]; endpoint?: Task["endpoint"]; createdAt?: number;
}): Task {
  return {
    id: t.id,
    version,
    createdAt: p.createdAt ?? t.createdAt,
    updatedAt: at,
    serviceId: t.serviceId,
    serviceName: t.serviceName,
    slot: t.slot,
    nodeId: p.nodeId ?? t.nodeId,
    spec: t.spec,
    specVersion: t.specVersion,
    desiredState: p.desiredState ?? t.desiredState,
    status: p.status ?? t.status,
    networks: p.networks ?? t.networks,
    endpoint: p.endpoint !== undefined ? p.endpoint : t.endpoint,
  };
}

function applyOne(d: Draft, o: StoreOp, version: number, at: number): void {
  switch (o.op) {
    case "cluster.put":
      d.cluster = { ...o.cluster, version, updatedAt: at };
      return;
    case "node.create":
      if (!get(d, "nodes", o.node.id)) put(d, "nodes", o.node.id, { ...o.node, version, createdAt: at, updatedAt: at });
      return;
    case "node.spec": {
      const n = get<Node>(d, "nodes", o.id);
      if (n) put(d, "nodes", o.id, { ...n, spec: o.spec, version, updatedAt: at });
      return;
    }
    case "node.role": {
      const n = get<Node>(d, "nodes", o.id);
      if (n) put(d, "nodes", o.id, { ...n, role: o.role, manager: o.manager, version, updatedAt: at });
      return;
    }
    case "node.status": {
      const n = get<Node>(d, "nodes", o.id);
      if (n) put(d, "nodes", o.id, { ...n, status: o.status, description: o.description ?? n.description, version, updatedAt: at });
      return;
    }
    case "node.cert": {
      const n = get<Node>(d, "nodes", o.id);
      if (n) put(d, "nodes", o.id, { ...n, certificate: o.certificate, trustRoot: o.trustRoot, version, updatedAt: at });
      return;
    }
    case "node.delete":
      del(d, "nodes", o.id);
      return;
    case "service.create":
      if (!get(d, "services", o.service.id)) {
        put(d, "services", o.service.id, { ...o.service, version, specVersion: version, createdAt: at, updatedAt: at });
      }
      return;
    case "service.spec": {
      const s = get<Service>(d, "services", o.id);
      if (!s) return;
      put(d, "services", o.id, {
        ...s, spec: o.spec, specVersion: o.keepSpecVersion ?? version, previousSpec: o.previousSpec,
        previousSpecVersion: o.previousSpecVersion, updateStatus: o.updateStatus, version, updatedAt: at,
      });
      return;
    }
    case "service.updateStatus": {
      const s = get<Service>(d, "services", o.id);
      // updater.go pauseUpdate/completeUpdate: "the service was updated since we started this update".
      if (!s || s.specVersion !== o.specVersion || (o.start === true) !== (s.updateStatus === null)) return;
      put(d, "services", o.id, { ...s, updateStatus: o.updateStatus, version, updatedAt: at });
      return;
    }
    case "service.rollback": {
      const s = get<Service>(d, "services", o.id);
      if (!s || s.specVersion !== o.specVersion || s.updateStatus === null || !s.previousSpec) return;
      put(d, "services", o.id, {
        ...s, spec: s.previousSpec, specVersion: s.previousSpecVersion ?? version, previousSpec: null, previousSpecVersion: null,
        updateStatus: o.updateStatus, version, updatedAt: at,
      });
      return;
    }
    case "service.endpoint": {
      const s = get<Service>(d, "services", o.id);
      if (s) put(d, "services", o.id, { ...s, endpoint: o.endpoint, version, updatedAt: at });
      return;
    }
    case "service.delete":
      del(d, "services", o.id);
      return;
    case "task.create":
      if (!get(d, "tasks", o.task.id)) put(d, "tasks", o.task.id, taskWith(o.task, version, at, { createdAt: at }));
      return;
    case "task.status": {
      const t = get<Task>(d, "tasks", o.id);
      if (!t || o.status.state < t.status.state) return;
      put(d, "tasks", o.id, taskWith(t, version, at, { status: o.status }));
      return;
    }
    case "task.alloc": {
      const t = get<Task>(d, "tasks", o.id);
      if (!t || t.status.state >= TaskState.PENDING) return;
      put(d, "tasks", o.id, taskWith(t, version, at, { networks: o.networks, endpoint: o.endpoint, status: o.status }));
      return;
    }
    case "task.assign": {
      const t = get<Task>(d, "tasks", o.id);
      // A task is assigned once, and only out of PENDING (scheduler.go applySchedulingDecisions).
      if (!t || t.status.state !== TaskState.PENDING || (t.nodeId !== "" && t.nodeId !== o.nodeId)) return;
      put(d, "tasks", o.id, taskWith(t, version, at, { nodeId: o.nodeId, status: o.status }));
      return;
    }
    case "task.desired": {
      const t = get<Task>(d, "tasks", o.id);
      if (!t || o.state <= t.desiredState) return;
      put(d, "tasks", o.id, taskWith(t, version, at, { desiredState: o.state }));
      return;
    }
    case "task.delete":
      del(d, "tasks", o.id);
      return;
    case "secret.create":
      if (!get(d, "secrets", o.secret.id)) put(d, "secrets", o.secret.id, { ...o.secret, version, createdAt: at, updatedAt: at });
      return;
    case "secret.delete":
      del(d, "secrets", o.id);
      return;
    case "config.create":
      if (!get(d, "configs", o.config.id)) put(d, "configs", o.config.id, { ...o.config, version, createdAt: at, updatedAt: at });
      return;
    case "config.delete":
      del(d, "configs", o.id);
      return;
    case "network.create":
      if (!get(d, "networks", o.network.id)) put(d, "networks", o.network.id, { ...o.network, version, createdAt: at, updatedAt: at });
      return;
    case "network.delete":
      del(d, "networks", o.id);
      return;
  }
}

// ---- queries -----------------------------------------------------------------------------

/** Tasks grouped by service id (each list in the store's order). */
export function tasksByService(store: Store): Map<string, Task[]> {
  const out = new Map<string, Task[]>();
  for (const t of store.tasks.values()) {
    const list = out.get(t.serviceId);
    if (list) list.push(t);
    else out.set(t.serviceId, [t]);
  }
  return out;
}

export function tasksByNode(store: Store): Map<string, Task[]> {
  const out = new Map<string, Task[]>();
  for (const t of store.tasks.values()) {
    if (t.nodeId === "") continue;
    const list = out.get(t.nodeId);
    if (list) list.push(t);
    else out.set(t.nodeId, [t]);
  }
  return out;
}

/** By exact id, then unique id prefix, then exact name (how the docker CLI resolves a service). */
export function findByIdOrName<T extends { readonly id: string; readonly spec: { readonly name: string } }>(
  table: ReadonlyMap<string, T>, input: string,
): T | undefined {
  const exact = table.get(input);
  if (exact) return exact;
  for (const v of table.values()) if (v.spec.name === input) return v;
  let found: T | undefined;
  for (const v of table.values()) {
    if (v.id.startsWith(input)) {
      if (found) return undefined;
      found = v;
    }
  }
  return found;
}

/** A node by id, unique id prefix, or hostname (docker node inspect/update). */
export function findNode(store: Store, input: string): Node | undefined {
  const exact = store.nodes.get(input);
  if (exact) return exact;
  for (const n of store.nodes.values()) if (n.description.hostname === input) return n;
  let found: Node | undefined;
  for (const n of store.nodes.values()) {
    if (n.id.startsWith(input)) {
      if (found) return undefined;
      found = n;
    }
  }
  return found;
}

/** The store as plain JSON-friendly data (the visualiser and golden tests read this). */
export function describeStore(store: Store): unknown {
  const sorted = <T>(m: ReadonlyMap<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return {
    index: store.index,
    cluster: store.cluster,
    nodes: sorted(store.nodes),
    services: sorted(store.services),
    tasks: sorted(store.tasks),
    secrets: sorted(store.secrets),
    configs: sorted(store.configs),
    networks: sorted(store.networks),
  };
}
