import type { SimContext } from "@drydock/kernel";
import {
  createRaftState, crash as raftCrash, lastIndex, membershipBlocker, nextDeadline, restart as raftRestart, step,
  type Env, type RaftInput, type RaftOptions, type RaftState, type StepResult,
} from "@drydock/raft";
import type { SwimParams } from "@drydock/swim";
import { AGENT, RAFT } from "../defaults.js";
import type { ConfigPayload, ExecReport, ExecResult, SecretPayload, TaskExecutor } from "../executor.js";
import { idSource, newId, type IdSource } from "../ids.js";
import { controlPass } from "../orchestrator/control.js";
import { EMPTY_CONTROL } from "../orchestrator/restart.js";
import { openSecret, randomBytes } from "../store/cipher.js";
import { applyOps, EMPTY_STORE, type StoreEntry, type StoreOp } from "../store/store.js";
import { TaskState, taskStateName, type NodeDescription, type Store, type Task, type TaskStatus } from "../types.js";
import { gossipJoin, gossipRejoin, gossipStop, publishEndpoint } from "./gossip.js";
import type {
  AgentState, AgentTask, DispatcherMessage, HostState, LeaderState, Session, SwarmMessage, SwarmState, TaskStatusReport,
} from "./state.js";


/** The daemon's configuration (swarmModel's options with defaults filled in). */
export interface DaemonConfig {
  readonly executor: TaskExecutor<any>;
  readonly gossip: SwimParams;
  readonly raft: RaftOptions;
  readonly heartbeatPeriodUs: number;
  readonly heartbeatEpsilonUs: number;
  readonly graceMultiplier: number;
  readonly debounceUs: number;
  /** What each host reports about itself when it registers (hostname is the host's name). */
  readonly describe: (host: string) => NodeDescription;
  /** Put notable changes in the trace (default true; large benchmarks turn it off). */
  readonly records: boolean;
}

export const EMPTY_AGENT_TASKS: ReadonlyMap<string, AgentTask> = new Map();

export function emptyHost(name: string, exec: unknown): HostState {
  return {
    name, member: null, raft: null, raftTimerAt: null, store: EMPTY_STORE, checkpoint: null, leader: null,
    agent: null, exec, execTimerAt: null,
  };
}

export function newLeaderState(raft: RaftState, store: Store): LeaderState {
  return {
    term: raft.term, startIndex: lastIndex(raft), ready: false, view: store, pending: [], buffered: [], control: EMPTY_CONTROL,
    sessions: new Map(), pushed: new Map(), membership: [], timerAt: null, dirty: false,
  };
}

/** FNV-1a of a text: the version of an assignment set. */
function digest(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const status = (state: TaskState, message: string, now: number, extra: Partial<TaskStatus> = {}): TaskStatus =>
  ({ state, message, err: "", timestamp: now, containerId: "", exitCode: null, ...extra });

/**
 * One handler's work on the swarm state: the hosts map is copied on first write, each host's
 * slice replaced by a new value; the kernel context sends and sets timers. Every handler of the
 * daemon model builds one, calls its methods and returns `done()`.
 */
export class Work {
  private hosts: Map<string, HostState> | null = null;
  private readonly outbox = new Map<string, TaskStatusReport[]>();

  constructor(private readonly base: SwarmState, readonly ctx: SimContext<SwarmMessage>, readonly cfg: DaemonConfig) {}

  get now(): number { return this.ctx.now; }
  get gossip() { return this.base.gossip; }

  has(name: string): boolean { return (this.hosts ?? this.base.hosts).has(name); }
  get(name: string): HostState { return (this.hosts ?? this.base.hosts).get(name)!; }
  set(h: HostState): void {
    if (!this.hosts) this.hosts = new Map(this.base.hosts);
    this.hosts.set(h.name, h);
  }
  all(): ReadonlyMap<string, HostState> { return this.hosts ?? this.base.hosts; }

  done(): SwarmState {
    this.flushStatus();
    return this.hosts ? { hosts: this.hosts, gossip: this.base.gossip } : this.base;
  }

  record(host: string | null, data: Record<string, unknown>): void {
    if (this.cfg.records) this.ctx.record(host, data);
  }

  ids(): IdSource { return idSource(this.ctx.rng("swarm.ids")); }
  newId(): string { return newId(this.ctx.rng("swarm.ids")); }
  /** Key material (data keys, nonces, unlock keys) from its own seeded stream, so ids keep their values. */
  keyBytes(n: number): Uint8Array { return randomBytes(this.ctx.rng("swarm.keys"), n); }

  /** dispatcher/period.go: the heartbeat period, uniform in period ± epsilon. */
  choosePeriod(host?: string): number {
    const eps = this.cfg.heartbeatEpsilonUs;
    const adj = eps > 0 ? Math.floor(this.ctx.rng("swarm.dispatcher").next() * 2 * eps) - eps : 0;
    // The cluster's Dispatcher.HeartbeatPeriod (docker swarm update --dispatcher-heartbeat), as the leader reads it.
    const base = (host !== undefined ? this.get(host).store.cluster?.spec.heartbeatPeriodUs : undefined) ?? this.cfg.heartbeatPeriodUs;
    return base + adj;
  }

  private env(host: string): Env {
    const rng = this.ctx.rng(`swarm.raft/${host}`);
    return { now: this.now, random: () => rng.next() };
  }

  // ---- raft ----------------------------------------------------------------------------------

  startRaft(host: string, peers: readonly string[]): void {
    const h = this.get(host);
    const raft = createRaftState({ id: host, peers, options: this.cfg.raft }, this.env(host));
    this.set({ ...h, raft, raftTimerAt: null, store: EMPTY_STORE, checkpoint: null, leader: null });
    this.waitRaft(host);
    if (!peers.includes(host)) this.raftJoin(host, 0);
  }

  /** A manager outside the raft configuration asks a manager to add it, every second until it is in. */
  raftJoin(host: string, attempt: unknown): void {
    const h = this.get(host);
    if (!h.raft || !h.member || h.raft.config.includes(host)) return;
    const n = typeof attempt === "number" ? attempt : 0;
    const others = h.member.managers.filter((m) => m !== host);
    const to = h.raft.leader ?? others[n % Math.max(1, others.length)];
    if (to !== undefined && to !== host) this.ctx.send(host, to, { type: "RaftJoin", host });
    this.ctx.setTimer(host, this.now + RAFT.heartbeatUs, "raft.join", n + 1);
  }

  stopRaft(host: string): void {
    const h = this.get(host);
    this.set({ ...h, raft: null, raftTimerAt: null, store: EMPTY_STORE, checkpoint: null, leader: null });
  }

  private waitRaft(host: string): void {
    const h = this.get(host);
    if (!h.raft) return;
    const due = nextDeadline(h.raft);
    if (due === Infinity || (h.raftTimerAt !== null && h.raftTimerAt <= due)) return;
    this.ctx.setTimer(host, due, "raft", due);
    this.set({ ...h, raftTimerAt: due });
  }

  raftTimer(host: string, at: unknown): void {
    const h = this.get(host);
    if (!h.raft || h.raftTimerAt !== at) return;
    this.set({ ...h, raftTimerAt: null });
    this.stepRaft(host, { type: "tick" });
  }

  /**
   * Steps a host's raft and carries out what it asks: messages out, committed entries applied to
   * the store, leadership taken or lost, the log compacted, the next deadline waited on.
   */
  stepRaft(host: string, input: RaftInput): StepResult | null {
    const h0 = this.get(host);
    // A locked manager cannot read its raft data (its key is encrypted): its raft does not run.
    if (!h0.raft || h0.locked) return null;
    const r = step(h0.raft, input, this.env(host));
    for (const o of r.messages) this.ctx.send(host, o.to, o.message);
    let store = h0.store;
    let leader = h0.leader;
    let checkpoint = h0.checkpoint;
    let applied = false;
    if (r.restore) {
      store = r.restore.data as Store;
      checkpoint = null;
      applied = true;
    }
    for (const c of r.committed) {
      const v = c.value as StoreEntry | null;
      if (!v || typeof v !== "object" || v.kind !== "store") continue;
      const before = store;
      store = applyOps(store, v.ops, c.index, v.at);
      applied = true;
      if (leader && leader.pending.length > 0 && leader.pending[0]!.index === c.index) leader = { ...leader, pending: leader.pending.slice(1) };
      if (this.cfg.records && leader) this.recordEntry(host, before, store, v.ops, c.index);
    }
    const raft = r.state;
    if (raft.role === "leader" && (!leader || leader.term !== raft.term)) {
      leader = newLeaderState(raft, store);
      this.record(host, { event: "leader", term: raft.term });
    } else if (raft.role !== "leader" && leader) {
      leader = null;
      this.record(host, { event: "follower", term: raft.term });
    }
    if (leader && leader.pending.length === 0 && leader.view !== store) leader = { ...leader, view: store };
    // Compaction: a checkpoint every keepEntries applied entries; compact to it past snapshotEvery.
    let raftState = raft;
    const snapIndex = raftState.snapshot?.index ?? 0;
    if (applied && store.index - (checkpoint?.index ?? snapIndex) >= RAFT.keepEntries && raftState.lastApplied === store.index) {
      if (checkpoint && checkpoint.index > snapIndex && raftState.lastApplied - snapIndex >= RAFT.snapshotEvery) {
        raftState = step(raftState, { type: "compact", index: checkpoint.index, data: checkpoint.store }, this.env(host)).state;
      }
      checkpoint = { index: store.index, store };
    }
    // The key the manager's data on disk is encrypted with follows the cluster object it applied.
    let member = h0.member;
    if (member && store.cluster !== h0.store.cluster && store.cluster) {
      const key = store.cluster.spec.autoLockManagers && store.cluster.unlockKey ? store.cluster.unlockKey : null;
      if ((member.unlockKey ?? null) !== key) member = { ...member, unlockKey: key };
    }
    this.set({ ...h0, raft: raftState, store, leader, checkpoint, member });
    if (r.rejected !== undefined && this.cfg.records) this.record(host, { event: "raft-rejected", input: input.type, reason: r.rejected });
    this.waitRaft(host);
    const h = this.get(host);
    if (h.leader && !h.leader.ready && raftState.lastApplied >= h.leader.startIndex) this.activate(host);
    else if (applied && h.leader?.ready) {
      this.pushAssignments(host);
      this.markDirty(host);
    }
    return r;
  }

  private recordEntry(host: string, before: Store, after: Store, ops: readonly StoreOp[], index: number): void {
    // Each operation that moved a task on is one record, in order (an entry may create, allocate
    // and assign a task at once).
    const states = new Map<string, TaskState>();
    const stateOf = (id: string) => states.get(id) ?? before.tasks.get(id)?.status.state;
    for (const o of ops) {
      if (o.op === "task.create") {
        states.set(o.task.id, o.task.status.state);
      } else if (o.op === "task.status" || o.op === "task.assign" || o.op === "task.alloc") {
        const was = stateOf(o.id);
        const t = after.tasks.get(o.id);
        if (!t || was === undefined || o.status.state <= was) continue;
        if (o.op === "task.alloc" && was >= TaskState.PENDING) continue;
        states.set(o.id, o.status.state);
        this.ctx.record(host, { event: "task", index, task: t.id, service: t.serviceName, slot: t.slot, node: o.op === "task.assign" ? o.nodeId : t.nodeId, state: taskStateName(o.status.state) });
      } else if (o.op === "node.status") {
        const n = after.nodes.get(o.id);
        const was = before.nodes.get(o.id);
        if (n && was && n.status.state !== was.status.state) this.ctx.record(host, { event: "node", index, node: n.id, hostname: n.description.hostname, state: n.status.state, message: n.status.message });
      } else if (o.op === "service.updateStatus" || o.op === "service.rollback") {
        const s = after.services.get(o.id);
        if (s?.updateStatus) this.ctx.record(host, { event: "update", index, service: s.spec.name, state: s.updateStatus.state, message: s.updateStatus.message });
      }
    }
  }

  /** Proposes store operations through this leader's raft (the entry takes lastIndex + 1). */
  propose(host: string, ops: readonly StoreOp[], view?: Store): void {
    const h = this.get(host);
    const leader = h.leader!;
    const index = lastIndex(h.raft!) + 1;
    const entry: StoreEntry = { kind: "store", at: this.now, ops };
    const next = view ?? applyOps(leader.view, ops, index, this.now);
    this.set({ ...h, leader: { ...leader, view: next, pending: [...leader.pending, { index, entry }] } });
    this.stepRaft(host, { type: "propose", value: entry });
    this.markDirty(host);
  }

  // ---- the leader's control loop ----------------------------------------------------------------

  /** The leader applied its first entry: it takes over (dispatcher.go markNodesUnknown) and runs a pass. */
  private activate(host: string): void {
    const h = this.get(host);
    const leader = h.leader!;
    const sessions = new Map<string, Session>();
    const buffered: StoreOp[] = [];
    for (const n of h.store.nodes.values()) {
      if (n.status.state === "down") continue;
      sessions.set(n.id, { sessionId: null, host: n.description.hostname, expiresAt: this.now + this.choosePeriod(host) * this.cfg.graceMultiplier * 2 });
      buffered.push({ op: "node.status", id: n.id, status: { ...n.status, state: "unknown", message: 'Node moved to "unknown" state due to leadership change in cluster' } });
    }
    this.set({ ...h, leader: { ...leader, ready: true, view: h.store, sessions, buffered } });
    this.record(host, { event: "leading", term: leader.term, index: leader.startIndex });
    this.markDirty(host);
  }

  markDirty(host: string): void {
    const h = this.get(host);
    if (!h.leader?.ready || h.leader.dirty) return;
    this.set({ ...h, leader: { ...h.leader, dirty: true } });
    this.leaderTimer(host, this.now + this.cfg.debounceUs);
  }

  private leaderTimer(host: string, at: number): void {
    const h = this.get(host);
    const leader = h.leader;
    if (!leader || (leader.timerAt !== null && leader.timerAt <= at && leader.timerAt >= this.now)) return;
    this.ctx.setTimer(host, at, "control", at);
    this.set({ ...h, leader: { ...leader, timerAt: at } });
  }

  controlTimer(host: string, at: unknown): void {
    const h = this.get(host);
    if (!h.leader || h.leader.timerAt !== at) return;
    this.set({ ...h, leader: { ...h.leader, timerAt: null } });
    this.runPass(host);
  }

  /** One pass: dispatcher expiries, the role manager, raft membership, then the control plane. */
  runPass(host: string): void {
    let h = this.get(host);
    let leader = h.leader;
    if (!leader?.ready || !h.raft) return;
    const now = this.now;
    const ops: StoreOp[] = [...leader.buffered];
    const view = leader.view;

    // Heartbeat expiries (dispatcher.go: "heartbeat failure").
    const sessions = new Map(leader.sessions);
    let wakeAt = Infinity;
    for (const [nodeId, s] of sessions) {
      if (s.expiresAt > now) {
        wakeAt = Math.min(wakeAt, s.expiresAt);
        continue;
      }
      sessions.delete(nodeId);
      const n = view.nodes.get(nodeId);
      if (n && n.status.state !== "down") {
        const message = s.sessionId === null ? 'heartbeat failure for node in "unknown" state' : "heartbeat failure";
        ops.push({ op: "node.status", id: nodeId, status: { ...n.status, state: "down", message } });
      }
    }

    // The role manager (role_manager.go): a promoted node gets the manager role (it then starts its
    // manager and asks to join raft); a demoted one leaves raft first, then loses the role.
    const membership = [...leader.membership];
    const queued = (host2: string, add: boolean) => membership.some((m) => m.host === host2 && m.add === add);
    for (const n of view.nodes.values()) {
      if (n.spec.desiredRole === n.role) continue;
      const hostname = n.description.hostname;
      if (n.spec.desiredRole === "manager") {
        ops.push({ op: "node.role", id: n.id, role: "manager", manager: { raftId: hostname, addr: `${hostname}:2377` } });
      } else if (h.raft.config.includes(hostname)) {
        if (!queued(hostname, false)) membership.push({ add: false, host: hostname });
      } else {
        ops.push({ op: "node.role", id: n.id, role: "worker", manager: null });
      }
    }
    this.set({ ...h, leader: { ...leader, sessions, membership, buffered: [], dirty: false } });

    // Raft membership changes, one at a time (dissertation §4.1).
    h = this.get(host);
    while (h.leader && h.leader.membership.length > 0 && h.raft) {
      const m = h.leader.membership[0]!;
      const member = h.raft.config.includes(m.host);
      if (m.add === member) {
        this.set({ ...h, leader: { ...h.leader, membership: h.leader.membership.slice(1) } });
        h = this.get(host);
        continue;
      }
      if (membershipBlocker(h.raft) !== null) {
        wakeAt = Math.min(wakeAt, now + RAFT.heartbeatUs);
        break;
      }
      this.set({ ...h, leader: { ...h.leader, membership: h.leader.membership.slice(1) } });
      this.stepRaft(host, { type: m.add ? "addServer" : "removeServer", id: m.host });
      this.record(host, { event: m.add ? "raft-add" : "raft-remove", member: m.host });
      h = this.get(host);
    }
    h = this.get(host);
    leader = h.leader;
    if (!leader?.ready || !h.raft) return;

    const index = lastIndex(h.raft) + 1;
    const res = controlPass({ store: leader.view, control: leader.control, now, index, ids: this.ids(), serials: idSource(this.ctx.rng("swarm.ca")), ops });
    this.set({ ...h, leader: { ...leader, control: res.control } });
    if (res.ops.length > 0) this.propose(host, res.ops, res.store);
    wakeAt = Math.min(wakeAt, res.wakeAt);
    if (wakeAt < Infinity) this.leaderTimer(host, Math.max(wakeAt, now + 1));
  }

  /** The managers' hosts, for agents' remotes lists. */
  managersOf(store: Store): string[] {
    const out: string[] = [];
    for (const n of store.nodes.values()) if (n.role === "manager") out.push(n.description.hostname);
    return out.sort();
  }

  /** dispatcher.go Assignments: each registered node gets its tasks (and their secrets) when they change. */
  pushAssignments(host: string): void {
    const h = this.get(host);
    const leader = h.leader;
    if (!leader?.ready) return;
    const store = h.store;
    const byNode = new Map<string, Task[]>();
    for (const t of store.tasks.values()) {
      // dispatcher/assignments.go addOrUpdateTask: every task of the node from ASSIGNED on, finished ones
      // too (the agent keeps a finished task's container until the task leaves the store).
      if (t.nodeId === "" || t.status.state < TaskState.ASSIGNED) continue;
      const l = byNode.get(t.nodeId);
      if (l) l.push(t);
      else byNode.set(t.nodeId, [t]);
    }
    let pushed: Map<string, string> | null = null;
    const managers = this.managersOf(store);
    for (const [nodeId, s] of leader.sessions) {
      if (s.sessionId === null) continue;
      const node = store.nodes.get(nodeId);
      if (!node) continue;
      const tasks = (byNode.get(nodeId) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1));
      const key = `${node.role}|${managers.join(",")}|${tasks.map((t) => `${t.id}:${t.desiredState}:${t.status.state}`).join(",")}`;
      if (leader.pushed.get(nodeId) === key) continue;
      pushed ??= new Map(leader.pushed);
      pushed.set(nodeId, key);
      const secrets: SecretPayload[] = [];
      const configs: ConfigPayload[] = [];
      const cluster = store.cluster;
      const seen = new Set<string>();
      for (const t of tasks) {
        if (t.desiredState > TaskState.COMPLETE) continue; // a job's task is desired COMPLETE
        for (const ref of t.spec.secrets) {
          if (seen.has(ref.secretId)) continue;
          const sec = store.secrets.get(ref.secretId);
          if (!sec || !cluster) continue;
          seen.add(ref.secretId);
          secrets.push({ id: sec.id, name: sec.spec.name, data: openSecret(cluster.dataKey, sec.data) });
        }
        for (const ref of t.spec.configs) {
          if (seen.has(ref.configId)) continue;
          const cfg = store.configs.get(ref.configId);
          if (!cfg) continue;
          seen.add(ref.configId);
          configs.push({ id: cfg.id, name: cfg.spec.name, data: cfg.data });
        }
      }
      this.ctx.send(host, s.host, { type: "Assignments", sessionId: s.sessionId, role: node.role, tasks, secrets, configs, managers, version: digest(key) });
    }
    if (pushed) this.set({ ...h, leader: { ...leader, pushed } });
  }

  // ---- the dispatcher (on managers) ---------------------------------------------------------------

  dispatcher(host: string, from: string, m: DispatcherMessage): void {
    const h = this.get(host);
    const leader = h.leader;
    const redirect = (seq: number) => {
      const known = h.raft?.leader ?? null;
      this.ctx.send(host, from, { type: "Redirect", seq, leader: known !== host ? known : null, managers: this.managersOf(h.store) });
    };
    switch (m.type) {
      case "Register": {
        if (!leader?.ready) return redirect(m.seq);
        const node = h.store.nodes.get(m.nodeId);
        if (!node) return redirect(m.seq); // not committed yet (or removed): the agent retries
        const sessionId = this.newId();
        const period = this.choosePeriod(host);
        const sessions = new Map(leader.sessions);
        sessions.set(m.nodeId, { sessionId, host: from, expiresAt: this.now + period * this.cfg.graceMultiplier });
        const pushed = new Map(leader.pushed);
        pushed.delete(m.nodeId);
        const op: StoreOp = { op: "node.status", id: m.nodeId, status: { state: "ready", message: "", addr: from }, description: m.description };
        this.set({ ...h, leader: { ...leader, sessions, pushed, buffered: [...leader.buffered, op] } });
        this.ctx.send(host, from, { type: "Registered", seq: m.seq, sessionId, periodUs: period, managers: this.managersOf(h.store) });
        this.pushAssignments(host);
        this.markDirty(host);
        return;
      }
      case "Heartbeat": {
        if (!leader?.ready) return redirect(m.seq);
        const s = leader.sessions.get(m.nodeId);
        if (!s || s.sessionId !== m.sessionId) {
          this.ctx.send(host, from, { type: "SessionInvalid", seq: m.seq });
          return;
        }
        const period = this.choosePeriod(host);
        const sessions = new Map(leader.sessions);
        sessions.set(m.nodeId, { ...s, expiresAt: this.now + period * this.cfg.graceMultiplier });
        const buffered = m.statuses.length > 0 ? [...leader.buffered, ...m.statuses.map((u): StoreOp => ({ op: "task.status", id: u.taskId, status: u.status }))] : leader.buffered;
        const last = leader.pushed.get(m.nodeId);
        let pushed = leader.pushed;
        if (last !== undefined && digest(last) !== m.assignments) {
          const again = new Map(pushed);
          again.delete(m.nodeId); // it missed an Assignments message: send the set again
          pushed = again;
        }
        this.set({ ...h, leader: { ...leader, sessions, buffered, pushed } });
        this.ctx.send(host, from, { type: "HeartbeatAck", seq: m.seq, periodUs: period, managers: this.managersOf(h.store) });
        if (pushed !== leader.pushed) this.pushAssignments(host);
        if (m.statuses.length > 0) this.markDirty(host);
        return;
      }
      case "RaftJoin": {
        // raft.go Join: a new manager asks the leader to add it (a manager that is not the leader passes it on).
        if (!leader?.ready) {
          const known = h.raft?.leader ?? null;
          if (known !== null && known !== host) this.ctx.send(host, known, m);
          return;
        }
        const n = [...h.store.nodes.values()].find((x) => x.description.hostname === m.host);
        if (!n || n.role !== "manager" || n.spec.desiredRole !== "manager" || h.raft!.config.includes(m.host)) return;
        if (leader.membership.some((x) => x.host === m.host && x.add)) return;
        this.set({ ...h, leader: { ...leader, membership: [...leader.membership, { add: true, host: m.host }] } });
        this.markDirty(host);
        return;
      }
      case "TaskStatus": {
        if (!leader?.ready) return;
        const s = leader.sessions.get(m.nodeId);
        if (!s || s.sessionId !== m.sessionId) return;
        const buffered = [...leader.buffered, ...m.updates.map((u): StoreOp => ({ op: "task.status", id: u.taskId, status: u.status }))];
        this.set({ ...h, leader: { ...leader, buffered } });
        this.markDirty(host);
        return;
      }
      default:
        return;
    }
  }

  // ---- the agent ----------------------------------------------------------------------------

  private setAgent(host: string, agent: AgentState): void {
    this.set({ ...this.get(host), agent });
  }

  /** The agent starts (after init, join or a restart): it registers with a manager. */
  agentStart(host: string): void {
    const h = this.get(host);
    if (!h.member) return;
    const prev = h.agent;
    const managers = h.member.managers;
    const manager = h.member.role === "manager" ? host : managers[0] ?? null;
    this.setAgent(host, {
      sessionId: null, manager, managers, periodUs: this.cfg.heartbeatPeriodUs, seq: prev?.seq ?? 0, acked: prev?.seq ?? 0,
      tasks: prev?.tasks ?? EMPTY_AGENT_TASKS, secrets: new Map(), unconfirmed: prev?.unconfirmed ?? new Map(), assignments: 0,
    });
    this.register(host);
  }

  private register(host: string): void {
    const h = this.get(host);
    const a = h.agent;
    if (!a || !h.member || a.manager === null) return;
    const seq = a.seq + 1;
    this.setAgent(host, { ...a, seq, sessionId: null });
    this.ctx.send(host, a.manager, { type: "Register", nodeId: h.member.nodeId, seq, description: this.cfg.describe(host) });
    this.ctx.setTimer(host, this.now + AGENT.rpcTimeoutUs, "agent.rpc", seq);
  }

  private nextManager(a: AgentState): string | null {
    if (a.managers.length === 0) return a.manager;
    const i = a.manager === null ? -1 : a.managers.indexOf(a.manager);
    return a.managers[(i + 1) % a.managers.length]!;
  }

  agentTimer(host: string, name: string, data: unknown): void {
    const h = this.get(host);
    const a = h.agent;
    if (!a || !h.member) return;
    if (name === "agent.rpc") {
      // No answer in time (dispatcherRPCTimeout): try the next manager.
      if (data !== a.seq || a.acked >= a.seq) return;
      this.setAgent(host, { ...a, manager: this.nextManager(a), sessionId: null });
      this.register(host);
    } else if (name === "agent.retry") {
      if (data !== a.seq) return;
      this.register(host);
    } else if (name === "agent.hb") {
      if (data !== a.seq || a.sessionId === null || a.manager === null) return;
      const seq = a.seq + 1;
      this.setAgent(host, { ...a, seq });
      const statuses = [...a.unconfirmed].map(([taskId, s]) => ({ taskId, status: s }));
      this.ctx.send(host, a.manager, { type: "Heartbeat", nodeId: h.member.nodeId, seq, sessionId: a.sessionId, statuses, assignments: a.assignments });
      this.ctx.setTimer(host, this.now + AGENT.rpcTimeoutUs, "agent.rpc", seq);
    }
  }

  agentMessage(host: string, from: string, m: DispatcherMessage): void {
    const h = this.get(host);
    const a = h.agent;
    if (!a || !h.member) return;
    switch (m.type) {
      case "Registered":
        if (m.seq !== a.seq) return;
        this.setAgent(host, { ...a, acked: m.seq, sessionId: m.sessionId, manager: from, periodUs: m.periodUs, managers: m.managers.length > 0 ? m.managers : a.managers });
        this.ctx.setTimer(host, this.now + m.periodUs, "agent.hb", m.seq);
        this.flushUnconfirmed(host);
        return;
      case "HeartbeatAck":
        if (m.seq !== a.seq) return;
        this.setAgent(host, { ...a, acked: m.seq, periodUs: m.periodUs, managers: m.managers.length > 0 ? m.managers : a.managers });
        this.ctx.setTimer(host, this.now + m.periodUs, "agent.hb", m.seq);
        return;
      case "Redirect":
        if (m.seq !== a.seq) return;
        this.setAgent(host, { ...a, acked: m.seq, sessionId: null, manager: m.leader ?? this.nextManager(a), managers: m.managers.length > 0 ? m.managers : a.managers });
        if (m.leader !== null) this.register(host);
        else this.ctx.setTimer(host, this.now + AGENT.registerRetryUs, "agent.retry", m.seq);
        return;
      case "SessionInvalid":
        if (m.seq !== a.seq && m.seq !== 0) return;
        this.setAgent(host, { ...a, acked: a.seq, sessionId: null });
        this.register(host);
        return;
      case "Assignments":
        if (m.sessionId !== a.sessionId) return;
        this.assignments(host, m);
        return;
      default:
        return;
    }
  }

  private assignments(host: string, m: Extract<DispatcherMessage, { type: "Assignments" }>): void {
    const h = this.get(host);
    const a = h.agent!;
    // The node's role may have changed (docker node promote/demote).
    if (h.member && m.role !== h.member.role) {
      this.set({ ...h, member: { ...h.member, role: m.role, managers: m.managers } });
      if (m.role === "manager" && !h.raft) this.startRaft(host, []);
      if (m.role === "worker" && h.raft) this.stopRaft(host);
      this.record(host, { event: "role", role: m.role });
    }
    const set = new Map(m.tasks.map((t) => [t.id, t]));
    const tasks = new Map(a.tasks);
    const unconfirmed = new Map(a.unconfirmed);
    for (const t of m.tasks) {
      const cur = tasks.get(t.id);
      tasks.set(t.id, { task: t, status: cur && cur.status.state >= t.status.state ? cur.status : t.status });
      const u = unconfirmed.get(t.id);
      if (u && t.status.state >= u.state) unconfirmed.delete(t.id);
    }
    const removed: string[] = [];
    for (const id of a.tasks.keys()) {
      if (set.has(id)) continue;
      tasks.delete(id);
      unconfirmed.delete(id);
      removed.push(id);
    }
    this.setAgent(host, {
      ...this.get(host).agent!, tasks, unconfirmed, secrets: new Map(m.secrets.map((s) => [s.id, s])),
      configs: new Map((m.configs ?? []).map((c) => [c.id, c])),
      managers: m.managers.length > 0 ? m.managers : a.managers, assignments: m.version,
    });
    for (const id of removed) {
      publishEndpoint(this.gossip, host, id, null, this.ctx);
      this.exec(host, (x) => this.cfg.executor.remove(x, id, this.now));
    }
    // Shutdowns first, so a node never runs a task and its replacement together (a global service's).
    const order = [...set.values()].sort((x, y) => (x.desiredState >= TaskState.SHUTDOWN ? 0 : 1) - (y.desiredState >= TaskState.SHUTDOWN ? 0 : 1) || (x.id < y.id ? -1 : 1));
    for (const t of order) this.advance(host, t.id);
  }

  /** Runs the executor and handles its reports. */
  private exec(host: string, f: (x: unknown) => ExecResult<unknown>): void {
    const h = this.get(host);
    const r = f(h.exec);
    this.set({ ...h, exec: r.state });
    for (const rep of r.reports) this.report(host, rep);
    this.waitExec(host);
  }

  private waitExec(host: string): void {
    const h = this.get(host);
    const at = this.cfg.executor.nextWake(h.exec);
    if (at === Infinity || (h.execTimerAt !== null && h.execTimerAt <= at && h.execTimerAt >= this.now)) return;
    this.ctx.setTimer(host, Math.max(at, this.now), "exec", at);
    this.set({ ...h, execTimerAt: at });
  }

  /** The host's containers changed outside the executor (a process exited, `docker rm -f`): it looks again now. */
  execWake(host: string): void {
    if (!this.get(host).member) return;
    this.exec(host, (x) => this.cfg.executor.wake(x, this.now));
  }

  execTimer(host: string, at: unknown): void {
    const h = this.get(host);
    if (h.execTimerAt !== at) return;
    this.set({ ...h, execTimerAt: null });
    this.exec(host, (x) => this.cfg.executor.wake(x, this.now));
  }

  /** A status change from the executor: recorded, sent to the dispatcher, and the task moves on. */
  private report(host: string, rep: ExecReport): void {
    const a = this.get(host).agent;
    const at = a?.tasks.get(rep.taskId);
    if (!a || !at || rep.state <= at.status.state) return;
    const wasRunning = at.status.state === TaskState.RUNNING;
    this.setStatus(host, rep.taskId, status(rep.state, rep.message, this.now, {
      err: rep.err ?? "", exitCode: rep.exitCode ?? null, containerId: rep.containerId ?? at.status.containerId,
    }));
    const t = at.task;
    if (rep.state === TaskState.RUNNING) {
      // libnetwork's addServiceInfoToCluster: the node that runs the task publishes it on each of its networks.
      const networks = t.networks.filter((n) => n.addresses.length > 0).map((n) => ({
        network: n.networkId, ip: n.addresses[0]!.split("/")[0]!,
        vip: (t.endpoint?.virtualIPs.find((v) => v.networkId === n.networkId)?.addr ?? "").split("/")[0]!,
      }));
      if (networks.length > 0) {
        const name = t.slot > 0 ? `${t.serviceName}.${t.slot}` : `${t.serviceName}.${this.get(host).member?.nodeId ?? ""}`;
        publishEndpoint(this.gossip, host, t.id, {
          taskId: t.id, serviceId: t.serviceId, service: t.serviceName, task: name, node: host,
          containerId: rep.containerId ?? at.status.containerId, networks,
        }, this.ctx);
      }
    } else if (wasRunning) publishEndpoint(this.gossip, host, t.id, null, this.ctx);
    this.advance(host, rep.taskId);
    if (rep.state > TaskState.RUNNING) {
      const a2 = this.get(host).agent;
      for (const o of [...(a2?.tasks.values() ?? [])]) if (o.task.serviceId === t.serviceId && o.task.id !== t.id && o.status.state === TaskState.READY) this.advance(host, o.task.id);
    }
  }

  private setStatus(host: string, taskId: string, s: TaskStatus): void {
    const a = this.get(host).agent!;
    const at = a.tasks.get(taskId)!;
    const tasks = new Map(a.tasks);
    tasks.set(taskId, { ...at, status: s });
    const unconfirmed = new Map(a.unconfirmed);
    unconfirmed.set(taskId, s);
    this.setAgent(host, { ...a, tasks, unconfirmed });
    let out = this.outbox.get(host);
    if (!out) this.outbox.set(host, (out = []));
    const i = out.findIndex((u) => u.taskId === taskId);
    if (i >= 0) out[i] = { taskId, status: s };
    else out.push({ taskId, status: s });
  }

  /** agent/exec/controller.go Do: moves a task towards its desired state, one step at a time. */
  private advance(host: string, taskId: string): void {
    for (let guard = 0; guard < 16; guard++) {
      const a = this.get(host).agent;
      const at = a?.tasks.get(taskId);
      if (!a || !at) return;
      const t = at.task;
      const s = at.status.state;
      const d = t.desiredState;
      if (d >= TaskState.SHUTDOWN) {
        if (s >= TaskState.COMPLETE || at.status.message === "stopping") return;
        this.setStatusQuiet(host, taskId, { ...at.status, message: "stopping" });
        this.exec(host, (x) => this.cfg.executor.stop(x, taskId, this.now));
        return;
      }
      if (s > d) return;
      if (s === TaskState.PREPARING || s === TaskState.STARTING || s === TaskState.RUNNING) return; // waiting for the executor
      if (s >= d) return;
      if (s < TaskState.ACCEPTED) {
        this.setStatus(host, taskId, status(TaskState.ACCEPTED, "accepted", this.now));
      } else if (s === TaskState.ACCEPTED) {
        this.setStatus(host, taskId, status(TaskState.PREPARING, "preparing", this.now));
        const secrets = t.spec.secrets.map((r) => a.secrets.get(r.secretId)).filter((x): x is SecretPayload => x !== undefined);
        const configs = t.spec.configs.map((r) => a.configs?.get(r.configId)).filter((x): x is ConfigPayload => x !== undefined);
        this.exec(host, (x) => this.cfg.executor.prepare(x, t, secrets, this.now, configs));
      } else if (s === TaskState.READY) {
        // Stop-first on one node: a task waits while the task it replaces here is still stopping.
        if (this.replacing(a, t)) return;
        this.setStatus(host, taskId, status(TaskState.STARTING, "starting", this.now, { containerId: at.status.containerId }));
        this.exec(host, (x) => this.cfg.executor.start(x, taskId, this.now));
      } else return;
    }
  }

  /** Another task of the same slot (a global service's: of the service) runs here and is being shut down. */
  private replacing(a: AgentState, t: Task): boolean {
    for (const o of a.tasks.values()) {
      if (o.task.id === t.id || o.task.serviceId !== t.serviceId || o.task.slot !== t.slot) continue;
      const st = o.status.state;
      if (o.task.desiredState >= TaskState.SHUTDOWN && st >= TaskState.STARTING && st <= TaskState.RUNNING) return true;
    }
    return false;
  }

  /** A local note on a task (its stop is under way) that is not a status change to report. */
  private setStatusQuiet(host: string, taskId: string, s: TaskStatus): void {
    const a = this.get(host).agent!;
    const tasks = new Map(a.tasks);
    tasks.set(taskId, { ...a.tasks.get(taskId)!, status: s });
    this.setAgent(host, { ...a, tasks });
  }

  /** Sends the statuses gathered in this handler (agent/reporter.go batches them the same way). */
  private flushStatus(): void {
    for (const [host, updates] of this.outbox) {
      const h = this.get(host);
      const a = h.agent;
      if (!a || a.sessionId === null || a.manager === null || !h.member || updates.length === 0) continue;
      this.ctx.send(host, a.manager, { type: "TaskStatus", nodeId: h.member.nodeId, sessionId: a.sessionId, updates });
    }
    this.outbox.clear();
  }

  private flushUnconfirmed(host: string): void {
    const a = this.get(host).agent;
    if (!a || a.unconfirmed.size === 0) return;
    let out = this.outbox.get(host);
    if (!out) this.outbox.set(host, (out = []));
    for (const [taskId, s] of a.unconfirmed) if (!out.some((u) => u.taskId === taskId)) out.push({ taskId, status: s });
  }

  // ---- host lifecycle ----------------------------------------------------------------------------

  crash(host: string): void {
    const h = this.get(host);
    const raft = h.raft ? raftCrash(h.raft) : null;
    const store = raft?.snapshot ? (raft.snapshot.data as Store) : EMPTY_STORE;
    const agent = h.agent ? { ...h.agent, sessionId: null, secrets: new Map(), configs: new Map(), acked: h.agent.seq } : null;
    this.set({ ...h, raft, raftTimerAt: null, store, checkpoint: null, leader: null, agent, exec: this.cfg.executor.crash(h.exec), execTimerAt: null });
    gossipStop(this.gossip, host);
  }

  restart(host: string): void {
    const h = this.get(host);
    // node.go: a manager whose key is encrypted (autolock) waits for `docker swarm unlock`; nothing of the swarm starts.
    if (h.member?.role === "manager" && h.member.unlockKey) {
      this.set({ ...h, locked: true });
      this.record(host, { event: "locked" });
      return;
    }
    this.start(host);
  }

  /** `docker swarm unlock` with the right key: the node starts as a restart would have started it. */
  unlock(host: string): void {
    this.set({ ...this.get(host), locked: false });
    this.start(host);
  }

  private start(host: string): void {
    const h = this.get(host);
    if (h.raft) {
      const raft = raftRestart(h.raft, this.env(host));
      this.set({ ...h, raft, raftTimerAt: null });
      this.waitRaft(host);
      // A lone manager campaigns at once (it is the whole configuration); one not yet added asks again.
      if (raft.config.length === 1 && raft.config[0] === host) this.stepRaft(host, { type: "timeout" });
      else if (!raft.config.includes(host)) this.raftJoin(host, 0);
    }
    if (this.get(host).member) {
      this.agentStart(host);
      this.exec(host, (x) => this.cfg.executor.restart(x, this.now));
      const m = this.get(host).member!;
      gossipRejoin(this.gossip, host, m.managers.filter((x) => x !== host).length > 0 ? m.managers : [host], this.ctx);
    }
  }

  /** A manager campaigns at once (swarm init: a new single-member cluster). */
  campaign(host: string): void {
    this.stepRaft(host, { type: "timeout" });
  }

  /** The leader known to `host`'s raft, if it is up, leading and ready (else null). */
  leaderOf(host: string): string | null {
    const h = this.get(host);
    const l = h.raft?.leader ?? null;
    if (l === null || !this.has(l) || !this.ctx.isUp(l)) return null;
    const lh = this.get(l);
    return lh.raft?.role === "leader" && lh.leader?.ready ? l : null;
  }
}
