import { shortId } from "./ids.js";
import { TaskState, isJob, taskStateName, type Node, type Service, type Reachability, type Store, type Task } from "./types.js";
import type { SwarmState } from "./daemon/state.js";

/**
 * Read-only views of the swarm as the docker CLI shows it, as data (the playground formats them
 * into tables). Each reads a manager's store, as the CLI's request to that manager would.
 */

export interface NodeRow {
  readonly id: string;
  readonly hostname: string;
  /** "Ready", "Down", "Unknown", "Disconnected" (docker node ls). */
  readonly status: string;
  /** "Active", "Pause", "Drain". */
  readonly availability: string;
  /** "Leader", "Reachable", "Unreachable" or "" for a worker. */
  readonly managerStatus: string;
  readonly engineVersion: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly role: string;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * docker node ls, from `host`'s point of view (a manager): the leader and reachability come from
 * raft, as the manager's ManagerStatus does (Reachability: the leader heard from it recently).
 */
export function nodeRows(state: SwarmState, host: string, reach: (from: string, to: string) => boolean): NodeRow[] {
  const h = state.hosts.get(host);
  if (!h) return [];
  const store = h.store;
  const leaderHost = h.raft?.role === "leader" ? host : h.raft?.leader ?? null;
  const rows: NodeRow[] = [];
  for (const n of store.nodes.values()) {
    let managerStatus = "";
    if (n.role === "manager" && n.manager) {
      const raftId = n.manager.raftId;
      const r: Reachability = reachability(state, leaderHost, raftId, reach);
      managerStatus = raftId === leaderHost ? "Leader" : r === "reachable" ? "Reachable" : r === "unreachable" ? "Unreachable" : "Unknown";
    }
    rows.push({
      id: n.id, hostname: n.description.hostname, status: cap(n.status.state), availability: cap(n.spec.availability),
      managerStatus, engineVersion: n.description.engineVersion, labels: n.spec.labels, role: n.role,
    });
  }
  return rows.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : a.id < b.id ? -1 : 1));
}

/** Whether the leader reaches a manager's raft member (SwarmKit's leader tracks it from raft traffic). */
function reachability(state: SwarmState, leaderHost: string | null, raftId: string, reach: (from: string, to: string) => boolean): Reachability {
  if (leaderHost === null) return "unknown";
  const lh = state.hosts.get(leaderHost);
  if (!lh?.raft || lh.raft.role !== "leader") return "unknown";
  if (raftId === leaderHost) return "reachable";
  if (!lh.raft.config.includes(raftId)) return "unknown";
  // A locked manager's raft does not answer (it cannot read its data).
  if (state.hosts.get(raftId)?.locked) return "unreachable";
  return reach(leaderHost, raftId) ? "reachable" : "unreachable";
}

export interface TaskRow {
  readonly id: string;
  /** "web.1", or "\\_ web.1" for an older task of the same slot (docker service ps). */
  readonly name: string;
  readonly image: string;
  readonly node: string;
  /** "Running", "Shutdown", "Ready", "Remove". */
  readonly desiredState: string;
  /** "Running", "Failed", "Pending"... (the CLI adds "5 seconds ago" from `since`). */
  readonly currentState: string;
  readonly since: number;
  readonly error: string;
  readonly task: Task;
}

/**
 * docker service ps: per slot (or node, for a global service) the newest task first, older ones
 * below it named "\_ name", as docker/cli's task formatter prints them.
 */
export function serviceTasks(store: Store, serviceId: string): TaskRow[] {
  const s = store.services.get(serviceId);
  if (!s) return [];
  const tasks = [...store.tasks.values()].filter((t) => t.serviceId === serviceId);
  const groups = new Map<string, Task[]>();
  for (const t of tasks) {
    const key = t.slot > 0 ? String(t.slot).padStart(8, "0") : `n${hostnameOf(store, t.nodeId)}/${t.nodeId}`;
    const l = groups.get(key);
    if (l) l.push(t);
    else groups.set(key, [t]);
  }
  const rows: TaskRow[] = [];
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key)!.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    list.forEach((t, i) => {
      const base = t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${t.nodeId}`;
      rows.push({
        id: shortId(t.id), name: i === 0 ? base : ` \\_ ${base}`, image: t.spec.container.image, node: hostnameOf(store, t.nodeId),
        desiredState: cap(taskStateName(t.desiredState)), currentState: cap(taskStateName(t.status.state)), since: t.status.timestamp,
        error: t.status.err, task: t,
      });
    });
  }
  return rows;
}

function hostnameOf(store: Store, nodeId: string): string {
  return nodeId === "" ? "" : store.nodes.get(nodeId)?.description.hostname ?? nodeId;
}

export interface ServiceRow {
  readonly id: string;
  readonly name: string;
  /** "replicated", "global", "replicated job" or "global job" (docker/cli formatter serviceContext.Mode). */
  readonly mode: string;
  /** "3/3" (running/desired), as docker service ls counts them; a job adds "(2/5 completed)". */
  readonly replicas: string;
  readonly image: string;
  /** "*:30000->80/tcp". */
  readonly ports: string;
}

/** docker service ls. */
export function serviceRows(store: Store): ServiceRow[] {
  const running = new Map<string, number>();
  const activeNodes = new Set<string>();
  for (const n of store.nodes.values()) if (n.status.state !== "down" && n.spec.availability !== "drain") activeNodes.add(n.id);
  for (const t of store.tasks.values()) {
    if (t.status.state === TaskState.RUNNING && t.desiredState === TaskState.RUNNING) running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
  }
  return [...store.services.values()].map((s) => {
    const ports = (s.endpoint?.ports ?? []).filter((p) => p.publishedPort !== 0 && p.publishMode === "ingress")
      .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`).join(", ");
    let replicas: string;
    if (isJob(s.spec.mode)) {
      const j = jobStatus(store, s);
      // formatter/service.go Replicas: a global job's total is what is still desired plus what completed.
      const total = s.spec.mode.kind === "replicated-job" ? s.spec.mode.totalCompletions : j.desired + j.completed;
      replicas = `${j.running}/${j.desired} (${j.completed}/${total} completed)`;
    } else {
      const desired = s.spec.mode.kind === "replicated" ? s.spec.mode.replicas : globalDesired(store, s.id, activeNodes);
      replicas = `${running.get(s.id) ?? 0}/${desired}`;
    }
    return { id: shortId(s.id), name: s.spec.name, mode: s.spec.mode.kind.replace("-", " "), replicas, image: s.spec.task.container.image, ports };
  }).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * A job's ServiceStatus as the daemon counts it over the current iteration's tasks: running ones,
 * desired ones (not yet completed, still desired to complete) and completed ones.
 */
export function jobStatus(store: Store, s: Service): { running: number; desired: number; completed: number } {
  let running = 0;
  let desired = 0;
  let completed = 0;
  for (const t of store.tasks.values()) {
    if (t.serviceId !== s.id || t.specVersion !== s.specVersion) continue;
    if (t.status.state === TaskState.COMPLETE) completed++;
    else if (t.desiredState <= TaskState.COMPLETE && t.status.state <= TaskState.RUNNING) {
      desired++;
      if (t.status.state === TaskState.RUNNING) running++;
    }
  }
  return { running, desired, completed };
}

function globalDesired(store: Store, serviceId: string, activeNodes: ReadonlySet<string>): number {
  const nodes = new Set<string>();
  for (const t of store.tasks.values()) if (t.serviceId === serviceId && t.desiredState === TaskState.RUNNING && activeNodes.has(t.nodeId)) nodes.add(t.nodeId);
  return nodes.size;
}

/** Which node holds which certificate (docker node inspect's TLSInfo; the visualiser's security view). */
export interface CertRow {
  readonly nodeId: string;
  readonly hostname: string;
  /** "CN=<node id>,OU=swarm-manager,O=<cluster id>". */
  readonly subject: string;
  readonly serial: string;
  /** The serial of the root CA that signed it, and whether that is the cluster's current root. */
  readonly issuer: string;
  readonly issuerIsRoot: boolean;
  readonly notAfter: number;
  readonly renewAt: number;
  /** The serial of the root the node trusts. */
  readonly trustRoot: string;
}

export function certificateRows(store: Store): CertRow[] {
  const root = store.cluster?.rootCA.cert?.serial ?? "";
  const rows: CertRow[] = [];
  for (const n of store.nodes.values()) {
    const c = n.certificate;
    if (!c) continue;
    rows.push({
      nodeId: n.id, hostname: n.description.hostname, subject: `CN=${c.cn},OU=${c.ou},O=${c.o}`, serial: c.serial,
      issuer: c.issuer, issuerIsRoot: c.issuer === root, notAfter: c.notAfter, renewAt: c.renewAt, trustRoot: n.trustRoot ?? "",
    });
  }
  return rows.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

/** The node object for a host of the world, if it is in the store. */
export function nodeOfHost(store: Store, host: string): Node | undefined {
  for (const n of store.nodes.values()) if (n.description.hostname === host) return n;
  return undefined;
}
