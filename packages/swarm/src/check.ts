import { CIPHER_LABEL, base64Encode } from "./store/cipher.js";
import type { StoreEntry } from "./store/store.js";
import { nodeMatches, parseConstraints } from "./constraint.js";
import type { SwarmState } from "./daemon/state.js";
import type { TaskExecutor } from "./executor.js";
import { applyOps, EMPTY_STORE } from "./store/store.js";
import { TaskState, type Node, type Store, type Task } from "./types.js";

/**
 * The swarm's properties as checks over the daemon's state, for property tests and long runs.
 * Each returns null when the property holds, or what broke. They read the state as an observer
 * outside the system would (every host's agent and executor, the managers' raft logs).
 */

function constraintsHold(t: Task, n: Node): boolean {
  const c = parseConstraints(t.spec.placement.constraints);
  return "error" in c || nodeMatches(c, n);
}

/**
 * Placement: no task is ever placed on a node that is drained (or paused, or not ready), or that
 * breaks its constraints. (A global task is created with its node, even a paused one when an
 * update reaches it, as in SwarmKit; it is placed only once the scheduler confirms the node.) Exact in log order: the checker replays the committed raft log
 * operation by operation and judges each placement against the store as it was just before it
 * (the scheduler decided on that prefix, plus nothing else).
 */
export class PlacementChecker {
  private store: Store = EMPTY_STORE;
  private index = 0;
  /** Placements checked so far. */
  placements = 0;

  check(state: SwarmState): string | null {
    // The manager with the longest committed prefix that still holds the entries after ours.
    let best: { log: { at(k: number): { readonly value: unknown } | undefined }; offset: number; commit: number } | null = null;
    for (const h of state.hosts.values()) {
      const r = h.raft;
      if (!r) continue;
      const offset = r.snapshot?.index ?? 0;
      if (offset > this.index || r.commitIndex <= this.index) continue;
      if (!best || r.commitIndex > best.commit) best = { log: r.log, offset, commit: r.commitIndex };
    }
    if (!best) return null;
    for (let i = this.index + 1; i <= best.commit; i++) {
      const v = best.log.at(i - best.offset - 1)?.value as StoreEntry | null | undefined;
      if (v && typeof v === "object" && v.kind === "store") {
        for (const o of v.ops) {
          const before = this.store;
          this.store = applyOps(before, [o], i, v.at);
          if (o.op !== "task.assign") continue;
          // A placement: the task leaves PENDING for a node (a global task's node is chosen when
          // it is created, and placed when the scheduler confirms it can run there).
          const was = before.tasks.get(o.id);
          const now = this.store.tasks.get(o.id);
          if (!was || !now || was.status.state !== TaskState.PENDING || now.status.state !== TaskState.ASSIGNED || now.nodeId !== o.nodeId) continue;
          this.placements++;
          const n = before.nodes.get(o.nodeId);
          if (!n) return `entry ${i}: task ${o.id} assigned to unknown node ${o.nodeId}`;
          if (n.spec.availability !== "active" || n.status.state !== "ready") {
            return `entry ${i}: task ${now.serviceName}.${now.slot || n.description.hostname} placed on ${n.description.hostname}, which is ${n.spec.availability}/${n.status.state}`;
          }
          if (!constraintsHold(now, n)) return `entry ${i}: task ${now.serviceName}.${now.slot || n.description.hostname} placed on ${n.description.hostname} against its constraints ${now.spec.placement.constraints.join(", ")}`;
        }
      } else this.store = { ...this.store, index: i };
    }
    this.index = best.commit;
    return null;
  }
}

/** Tasks each up host's executor runs, with the agent's record of each. */
function runningTasks(state: SwarmState, executor: TaskExecutor<any>, isUp: (h: string) => boolean): Map<string, Task[]> {
  const out = new Map<string, Task[]>();
  for (const [name, h] of state.hosts) {
    if (!isUp(name) || !h.agent) continue;
    const list: Task[] = [];
    for (const id of executor.inspect(h.exec).running) {
      const at = h.agent.tasks.get(id);
      if (at) list.push(at.task);
    }
    out.set(name, list);
  }
  return out;
}

/** No node ever runs two tasks of one global service at once (stop-first updates). */
export function globalOnePerNode(state: SwarmState, executor: TaskExecutor<any>, isUp: (h: string) => boolean): string | null {
  for (const [host, tasks] of runningTasks(state, executor, isUp)) {
    const seen = new Map<string, string>();
    for (const t of tasks) {
      if (t.slot !== 0) continue;
      const other = seen.get(t.serviceId);
      if (other !== undefined) return `${host} runs two tasks of global service ${t.serviceName}: ${other} and ${t.id}`;
      seen.set(t.serviceId, t.id);
    }
  }
  return null;
}

/**
 * Secrets reach only where they are granted: a host's agent holds only secrets referenced by the
 * tasks it was assigned to run, and a container has only its own task's secrets mounted. Every
 * store (each manager's) holds a secret only as a sealed record: `plaintexts` never appear in it.
 */
export function secretsGranted(state: SwarmState, executor: TaskExecutor<any>, plaintexts: readonly string[] = []): string | null {
  for (const [host, h] of state.hosts) {
    for (const s of h.store.secrets.values()) {
      if (!s.data.startsWith(`${CIPHER_LABEL}:`)) return `${host}'s store holds secret ${s.spec.name} unsealed`;
      for (const p of plaintexts) {
        if (s.data.includes(p) || s.data.includes(base64Encode(new TextEncoder().encode(p)))) return `${host}'s store shows secret ${s.spec.name}'s data`;
      }
    }
    const a = h.agent;
    if (a) {
      const granted = new Set<string>();
      for (const at of a.tasks.values()) if (at.task.desiredState <= TaskState.COMPLETE) for (const r of at.task.spec.secrets) granted.add(r.secretId);
      for (const [id, s] of a.secrets) if (!granted.has(id)) return `${host}'s agent holds secret ${s.name}, which none of its tasks is granted`;
    }
    for (const [taskId, mounts] of executor.inspect(h.exec).secrets) {
      const t = a?.tasks.get(taskId)?.task;
      const refs = new Set((t?.spec.secrets ?? []).map((r) => r.secretName));
      for (const name of mounts.values()) if (!refs.has(name)) return `${host}: task ${taskId} has secret ${name} mounted without a grant`;
    }
  }
  return null;
}

/** Tasks of a service running by the store (RUNNING, desired RUNNING) and by their hosts' executors. */
export function runningCount(state: SwarmState, store: Store, serviceId: string, executor: TaskExecutor<any>, isUp: (h: string) => boolean): number {
  let n = 0;
  for (const t of store.tasks.values()) {
    if (t.serviceId !== serviceId || t.status.state !== TaskState.RUNNING || t.desiredState !== TaskState.RUNNING) continue;
    const host = store.nodes.get(t.nodeId)?.description.hostname;
    const h = host !== undefined ? state.hosts.get(host) : undefined;
    if (!host || !h || !isUp(host) || !executor.inspect(h.exec).running.includes(t.id)) continue;
    n++;
  }
  return n;
}

/**
 * Slots of a replicated service with a task running (by the store and by its host's executor).
 * Not the number of running tasks: a start-first update that pauses leaves the slots it was
 * replacing with two running tasks (updater.go returns without shutting the old ones down when
 * it stops), as SwarmKit does; `docker service ls` then shows more running than desired.
 */
export function runningSlots(state: SwarmState, store: Store, serviceId: string, executor: TaskExecutor<any>, isUp: (h: string) => boolean): number {
  const slots = new Set<number>();
  for (const t of store.tasks.values()) {
    if (t.serviceId !== serviceId || t.status.state !== TaskState.RUNNING || t.desiredState !== TaskState.RUNNING) continue;
    const host = store.nodes.get(t.nodeId)?.description.hostname;
    const h = host !== undefined ? state.hosts.get(host) : undefined;
    if (!host || !h || !isUp(host) || !executor.inspect(h.exec).running.includes(t.id)) continue;
    slots.add(t.slot);
  }
  return slots.size;
}

/** Tasks of a service its hosts' executors run (whatever the store says). */
export function executorRunning(state: SwarmState, serviceName: string, executor: TaskExecutor<any>, isUp: (h: string) => boolean): number {
  let n = 0;
  for (const tasks of runningTasks(state, executor, isUp).values()) for (const t of tasks) if (t.serviceName === serviceName) n++;
  return n;
}
