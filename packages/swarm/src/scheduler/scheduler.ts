import { nodeMatches, parseConstraints, preferenceValue, type Constraint } from "../constraint.js";
import { SCHEDULER } from "../defaults.js";
import type { StoreOp } from "../store/store.js";
import { TaskState, type Node, type Store, type Task, type TaskStatus } from "../types.js";

/**
 * The scheduler, after swarmkit manager/scheduler: a pipeline of filters (ready, resources,
 * constraints, platform, host-mode ports, max replicas per node: filter.go, pipeline.go) keeps
 * the nodes a task may run on; tasks of one service and spec version are scheduled together,
 * spread over a decision tree of placement preferences (decision_tree.go, nodeset.go) and, within
 * a leaf, onto the nodes with the fewest tasks of the service, then the fewest tasks overall
 * (scheduler.go scheduleTaskGroup, scheduleNTasksOnNodes). A task that fits nowhere stays
 * PENDING with "no suitable node (...)", the explanation built from the filters' failure counts.
 *
 * Go iterates maps in random order; here every order is fixed (tasks by id within a group,
 * groups by service then version, nodes tied on the sort by hostname then id) so a run replays.
 * The plugin and CSI volume filters are not modelled (drydock has neither yet).
 */

// ---- node info (nodeinfo.go) ------------------------------------------------------------------

export interface NodeInfo {
  readonly node: Node;
  /** Position in hostname order: the last tie-breaker. */
  readonly order: number;
  /** Tasks counted on this node, by id, with the desired state they were counted with. */
  readonly tasks: Map<string, TaskState>;
  activeTasksCount: number;
  readonly activeByService: Map<string, number>;
  availableNanoCPUs: number;
  availableMemoryBytes: number;
  readonly usedHostPorts: Set<string>;
  /** Failures of a service (by "service@version") on this node within the window (timestamps). */
  readonly recentFailures: Map<string, number[]>;
}

/** The host-mode published ports a task holds on its node ("tcp/8080"). */
function taskHostPorts(t: Task): string[] {
  const out: string[] = [];
  for (const p of t.endpoint?.ports ?? []) if (p.publishMode === "host" && p.publishedPort !== 0) out.push(`${p.protocol}/${p.publishedPort}`);
  return out;
}

/** nodeinfo.go addTask: reserve the task's resources and ports; count it if it is meant to run. */
export function addTask(info: NodeInfo, t: Task): boolean {
  const old = info.tasks.get(t.id);
  const active = t.desiredState <= TaskState.COMPLETE;
  if (old !== undefined) {
    const wasActive = old <= TaskState.COMPLETE;
    if (active === wasActive) return false;
    info.tasks.set(t.id, t.desiredState);
    const d = active ? 1 : -1;
    info.activeTasksCount += d;
    info.activeByService.set(t.serviceId, (info.activeByService.get(t.serviceId) ?? 0) + d);
    return true;
  }
  info.tasks.set(t.id, t.desiredState);
  info.availableNanoCPUs -= t.spec.resources.reservations.nanoCPUs;
  info.availableMemoryBytes -= t.spec.resources.reservations.memoryBytes;
  for (const p of taskHostPorts(t)) info.usedHostPorts.add(p);
  if (active) {
    info.activeTasksCount++;
    info.activeByService.set(t.serviceId, (info.activeByService.get(t.serviceId) ?? 0) + 1);
  }
  return true;
}

function newNodeInfo(node: Node, order: number): NodeInfo {
  return {
    node, order, tasks: new Map(), activeTasksCount: 0, activeByService: new Map(),
    availableNanoCPUs: node.description.resources.nanoCPUs, availableMemoryBytes: node.description.resources.memoryBytes,
    usedHostPorts: new Set(), recentFailures: new Map(),
  };
}

// ---- filters (filter.go) ----------------------------------------------------------------------

interface Filter {
  /** Whether the filter applies to this task (SetTask). */
  setTask(t: Task): boolean;
  check(n: NodeInfo): boolean;
  explain(nodes: number): string;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace("%d", String(n)));

class ReadyFilter implements Filter {
  setTask(): boolean { return true; }
  check(n: NodeInfo): boolean { return n.node.status.state === "ready" && n.node.spec.availability === "active"; }
  explain(nodes: number): string { return plural(nodes, "1 node not available for new tasks", "%d nodes not available for new tasks"); }
}

class ResourceFilter implements Filter {
  private cpu = 0;
  private mem = 0;
  setTask(t: Task): boolean {
    const r = t.spec.resources.reservations;
    this.cpu = r.nanoCPUs;
    this.mem = r.memoryBytes;
    return r.nanoCPUs !== 0 || r.memoryBytes !== 0;
  }
  check(n: NodeInfo): boolean { return this.cpu <= n.availableNanoCPUs && this.mem <= n.availableMemoryBytes; }
  explain(nodes: number): string { return plural(nodes, "insufficient resources on 1 node", "insufficient resources on %d nodes"); }
}

/** Parsed constraints per distinct list (a task group shares one list). */
const parsedCache = new WeakMap<readonly string[], Constraint[]>();
function constraintsOf(t: Task): Constraint[] {
  const list = t.spec.placement.constraints;
  let c = parsedCache.get(list);
  if (!c) {
    const p = parseConstraints(list);
    c = "error" in p ? [] : p; // validated at create; a bad list disables the filter, as in SwarmKit
    parsedCache.set(list, c);
  }
  return c;
}

class ConstraintFilter implements Filter {
  private constraints: Constraint[] = [];
  setTask(t: Task): boolean {
    this.constraints = constraintsOf(t);
    return this.constraints.length > 0;
  }
  check(n: NodeInfo): boolean { return nodeMatches(this.constraints, n.node); }
  explain(nodes: number): string { return plural(nodes, "scheduling constraints not satisfied on 1 node", "scheduling constraints not satisfied on %d nodes"); }
}

const normArch = (a: string) => (a === "x86_64" ? "amd64" : a === "aarch64" ? "arm64" : a);

class PlatformFilter implements Filter {
  private platforms: Task["spec"]["placement"]["platforms"] = [];
  setTask(t: Task): boolean {
    this.platforms = t.spec.placement.platforms;
    return this.platforms.length > 0;
  }
  check(n: NodeInfo): boolean {
    const np = n.node.description.platform;
    return this.platforms.some((p) => (p.architecture === "" || normArch(p.architecture) === normArch(np.architecture)) && (p.os === "" || p.os === np.os));
  }
  explain(nodes: number): string { return plural(nodes, "unsupported platform on 1 node", "unsupported platform on %d nodes"); }
}

class HostPortFilter implements Filter {
  private ports: string[] = [];
  setTask(t: Task): boolean {
    this.ports = taskHostPorts(t);
    return this.ports.length > 0;
  }
  check(n: NodeInfo): boolean { return this.ports.every((p) => !n.usedHostPorts.has(p)); }
  explain(nodes: number): string { return plural(nodes, "host-mode port already in use on 1 node", "host-mode port already in use on %d nodes"); }
}

class MaxReplicasFilter implements Filter {
  private service = "";
  private max = 0;
  setTask(t: Task): boolean {
    this.service = t.serviceId;
    this.max = t.spec.placement.maxReplicas;
    return this.max > 0;
  }
  check(n: NodeInfo): boolean { return (n.activeByService.get(this.service) ?? 0) < this.max; }
  explain(): string { return "max replicas per node limit exceed"; }
}

/** pipeline.go: the filters in SwarmKit's order, each counting the nodes it turned away. */
export class Pipeline {
  private readonly filters: Filter[] = [
    new ReadyFilter(), new ResourceFilter(), new ConstraintFilter(), new PlatformFilter(), new HostPortFilter(), new MaxReplicasFilter(),
  ];
  private readonly enabled: boolean[] = this.filters.map(() => false);
  private readonly failures: number[] = this.filters.map(() => 0);

  setTask(t: Task): void {
    for (let i = 0; i < this.filters.length; i++) {
      this.enabled[i] = this.filters[i]!.setTask(t);
      this.failures[i] = 0;
    }
  }

  /** True if every enabled filter passes; a failure stops at the first filter and counts it. */
  process(n: NodeInfo): boolean {
    for (let i = 0; i < this.filters.length; i++) {
      if (this.enabled[i] && !this.filters[i]!.check(n)) {
        this.failures[i]!++;
        return false;
      }
    }
    this.failures.fill(0);
    return true;
  }

  /** "insufficient resources on 2 nodes; scheduling constraints not satisfied on 1 node" (most failures first). */
  explain(): string {
    const order = this.filters.map((_, i) => i).filter((i) => this.failures[i]! > 0);
    order.sort((a, b) => this.failures[b]! - this.failures[a]!); // stable: ties keep the pipeline's order
    return order.map((i) => this.filters[i]!.explain(this.failures[i]!)).join("; ");
  }
}

// ---- the scheduler ------------------------------------------------------------------------------

export interface ScheduleResult {
  readonly ops: StoreOp[];
  readonly assigned: number;
  readonly unschedulable: number;
}

function status(state: TaskState, message: string, now: number, err = ""): TaskStatus {
  return { state, message, err, timestamp: now, containerId: "", exitCode: null };
}

interface Tree {
  tasks: number;
  next: Map<string, Tree> | null;
  nodes: NodeInfo[];
}

/** Builds the scheduler's node set from the store (scheduler.go setupTasksList, buildNodeSet). */
export function buildNodeInfos(store: Store, now: number): { infos: Map<string, NodeInfo>; unassigned: Task[]; preassigned: Task[] } {
  const nodes = [...store.nodes.values()].sort((a, b) => (a.description.hostname < b.description.hostname ? -1 : a.description.hostname > b.description.hostname ? 1 : a.id < b.id ? -1 : 1));
  const infos = new Map<string, NodeInfo>();
  nodes.forEach((n, i) => infos.set(n.id, newNodeInfo(n, i)));
  const unassigned: Task[] = [];
  const preassigned: Task[] = [];
  for (const t of store.tasks.values()) {
    const s = t.status.state;
    // Failures of the last five minutes weigh a node down for that service (nodeinfo.go taskFailed).
    if ((s === TaskState.FAILED || s === TaskState.REJECTED) && t.nodeId !== "" && now - t.status.timestamp < SCHEDULER.monitorFailuresUs) {
      const info = infos.get(t.nodeId);
      if (info) {
        const key = `${t.serviceId}@${t.specVersion}`;
        const list = info.recentFailures.get(key);
        if (list) list.push(t.status.timestamp);
        else info.recentFailures.set(key, [t.status.timestamp]);
      }
    }
    if (s < TaskState.PENDING || s > TaskState.RUNNING) continue;
    if (s === TaskState.PENDING && t.desiredState > TaskState.COMPLETE) continue;
    if (t.nodeId === "") {
      unassigned.push(t);
      continue;
    }
    if (s === TaskState.PENDING) {
      preassigned.push(t);
      continue;
    }
    const info = infos.get(t.nodeId);
    if (info) addTask(info, t);
  }
  return { infos, unassigned, preassigned };
}

/**
 * One scheduling round over the store: every PENDING task is placed or explained. Returns the
 * store operations (task.assign, or task.status with the unchanged state and an error).
 */
export function schedule(store: Store, now: number): ScheduleResult {
  const { infos, unassigned, preassigned } = buildNodeInfos(store, now);
  const pipeline = new Pipeline();
  const ops: StoreOp[] = [];
  let assigned = 0;
  let unschedulable = 0;

  // processPreassignedTasks: a global task comes with its node; check that it fits there.
  preassigned.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const t of preassigned) {
    const info = infos.get(t.nodeId);
    if (!info) continue;
    pipeline.setTask(t);
    if (!pipeline.process(info)) {
      const err = pipeline.explain();
      if (t.status.err !== err) ops.push({ op: "task.status", id: t.id, status: { ...t.status, err, timestamp: now } });
      unschedulable++;
      continue;
    }
    const next = { ...t, status: status(TaskState.ASSIGNED, "scheduler confirmed task can run on preassigned node", now) };
    addTask(info, next);
    ops.push({ op: "task.assign", id: t.id, nodeId: t.nodeId, status: next.status });
    assigned++;
  }

  // tick: group unassigned tasks by service and spec version (groups in service id and version
  // order; tasks in the store's order, which every replay of the log gives the same).
  const groups = new Map<string, Map<number, Task[]>>();
  for (const t of unassigned) {
    let byVersion = groups.get(t.serviceId);
    if (!byVersion) groups.set(t.serviceId, (byVersion = new Map()));
    const g = byVersion.get(t.specVersion);
    if (g) g.push(t);
    else byVersion.set(t.specVersion, [t]);
  }
  const allInfos = [...infos.values()];
  for (const serviceId of [...groups.keys()].sort()) {
    const byVersion = groups.get(serviceId)!;
    for (const version of [...byVersion.keys()].sort((a, b) => a - b)) {
    const group = byVersion.get(version)!;
    const r = scheduleTaskGroup(group, allInfos, pipeline, now, store);
    for (const o of r.ops) ops.push(o);
    assigned += r.assigned;
    unschedulable += r.unschedulable;
    }
  }
  return { ops, assigned, unschedulable };
}

function scheduleTaskGroup(group: Task[], infos: NodeInfo[], pipeline: Pipeline, now: number, store: Store): ScheduleResult {
  const t0 = group[0]!;
  pipeline.setTask(t0);
  const serviceId = t0.serviceId;
  const failureKey = `${serviceId}@${t0.specVersion}`;
  const recent = (n: NodeInfo) => {
    const list = n.recentFailures.get(failureKey);
    return list ? list.length : 0;
  };
  const nodeLess = (a: NodeInfo, b: NodeInfo): boolean => {
    const fa = recent(a);
    const fb = recent(b);
    if (fa >= SCHEDULER.maxFailures || fb >= SCHEDULER.maxFailures) {
      if (fa > fb) return false;
      if (fb > fa) return true;
    }
    const sa = a.activeByService.get(serviceId) ?? 0;
    const sb = b.activeByService.get(serviceId) ?? 0;
    if (sa !== sb) return sa < sb;
    if (a.activeTasksCount !== b.activeTasksCount) return a.activeTasksCount < b.activeTasksCount;
    return a.order < b.order; // drydock's tie-break (Go's heap leaves ties in no particular order)
  };
  const cmp = (a: NodeInfo, b: NodeInfo) => (nodeLess(a, b) ? -1 : nodeLess(b, a) ? 1 : 0);

  // nodeset.go tree: one level per placement preference; leaves keep the best maxAssignments nodes.
  const prefs = t0.spec.placement.preferences;
  const root: Tree = { tasks: 0, next: null, nodes: [] };
  for (const info of infos) {
    let tree = root;
    for (const p of prefs) {
      const value = preferenceValue(p.spread, info.node);
      if (value === null) continue;
      tree.tasks += info.activeByService.get(serviceId) ?? 0;
      if (!tree.next) tree.next = new Map();
      let next = tree.next.get(value);
      if (!next) {
        next = { tasks: 0, next: null, nodes: [] };
        tree.next.set(value, next);
      }
      tree = next;
    }
    tree.tasks += info.activeByService.get(serviceId) ?? 0;
    if (pipeline.process(info)) tree.nodes.push(info);
  }
  const taskGroup = new Map(group.map((t) => [t.id, t]));
  const decisions = new Map<string, string>();
  scheduleOnSubtree(group.length, taskGroup, root, decisions, pipeline, nodeLess, cmp, group.length);

  const ops: StoreOp[] = [];
  for (const t of group) {
    const nodeId = decisions.get(t.id);
    if (nodeId !== undefined) ops.push({ op: "task.assign", id: t.id, nodeId, status: status(TaskState.ASSIGNED, "scheduler assigned task to node", now) });
  }
  let unschedulable = 0;
  if (taskGroup.size > 0) {
    // noSuitableNode: the task stays PENDING with the explanation (or, if its service moved on
    // to a newer spec and it is desired shut down, it is shut down).
    const explanation = pipeline.explain();
    for (const t of group) {
      if (!taskGroup.has(t.id)) continue;
      const service = store.services.get(t.serviceId);
      if (!service) continue;
      if (service.specVersion > t.specVersion && t.desiredState >= TaskState.SHUTDOWN) {
        ops.push({ op: "task.status", id: t.id, status: { ...t.status, state: TaskState.SHUTDOWN, err: "", timestamp: now } });
        continue;
      }
      const err = explanation !== "" ? `no suitable node (${explanation})` : "no suitable node";
      unschedulable++;
      if (t.status.err !== err) ops.push({ op: "task.status", id: t.id, status: { ...t.status, err, timestamp: now } });
    }
  }
  return { ops, assigned: decisions.size, unschedulable };
}

function orderedNodes(tree: Tree, pipeline: Pipeline, cmp: (a: NodeInfo, b: NodeInfo) => number, max: number): NodeInfo[] {
  // decision_tree.go orderedNodes: re-check the constraints (nodes may have filled up), best first.
  const nodes = tree.nodes.filter((n) => pipeline.process(n)).sort(cmp);
  return nodes.length > max ? nodes.slice(0, max) : nodes;
}

function scheduleOnSubtree(
  n: number, taskGroup: Map<string, Task>, tree: Tree, decisions: Map<string, string>, pipeline: Pipeline,
  nodeLess: (a: NodeInfo, b: NodeInfo) => boolean, cmp: (a: NodeInfo, b: NodeInfo) => number, maxAssignments: number,
): number {
  if (tree.next === null) {
    const nodes = orderedNodes(tree, pipeline, cmp, maxAssignments);
    if (nodes.length === 0) return 0;
    return scheduleOnNodes(n, taskGroup, nodes, decisions, pipeline, nodeLess);
  }
  // Spread over the branches: bring each up to an even share, as scheduleNTasksOnSubtree does.
  let scheduled = 0;
  let usable = tree.tasks;
  const noRoom = new Set<Tree>();
  const branches = [...tree.next.keys()].sort().map((k) => tree.next!.get(k)!);
  let converging = true;
  while (scheduled !== n && noRoom.size !== branches.length && converging) {
    const per = Math.floor((usable + n - scheduled) / (branches.length - noRoom.size));
    let remainder = (usable + n - scheduled) % (branches.length - noRoom.size);
    converging = false;
    for (const sub of branches) {
      if (noRoom.has(sub)) continue;
      if (sub.tasks < per || (sub.tasks === per && remainder > 0)) {
        converging = true;
        let want = per - sub.tasks;
        if (remainder > 0) want++;
        const got = scheduleOnSubtree(want, taskGroup, sub, decisions, pipeline, nodeLess, cmp, maxAssignments);
        if (got < want) {
          noRoom.add(sub);
          usable -= sub.tasks;
        } else if (remainder > 0) remainder--;
        // As in SwarmKit, a branch's count is not raised by what it just received.
        scheduled += got;
      }
    }
  }
  return scheduled;
}

function scheduleOnNodes(
  n: number, taskGroup: Map<string, Task>, nodes: NodeInfo[], decisions: Map<string, string>, pipeline: Pipeline,
  nodeLess: (a: NodeInfo, b: NodeInfo) => boolean,
): number {
  let scheduled = 0;
  const failed = new Uint8Array(nodes.length);
  let iter = 0;
  const count = nodes.length;
  for (const [id, t] of taskGroup) {
    if (decisions.has(id)) continue;
    const info = nodes[iter % count]!;
    decisions.set(id, info.node.id);
    addTask(info, t); // counts, resources and ports only: the node id is not read
    taskGroup.delete(id);
    scheduled++;
    if (scheduled === n) return scheduled;
    if (iter + 1 < count) {
      // First pass: fill nodes until they hold as many of this service's tasks as the next.
      if (nodeLess(nodes[(iter + 1) % count]!, info)) iter++;
    } else iter++;
    const start = iter;
    while (failed[iter % count] || !pipeline.process(nodes[iter % count]!)) {
      failed[iter % count] = 1;
      iter++;
      if (iter - start === count) return scheduled;
    }
  }
  return scheduled;
}
