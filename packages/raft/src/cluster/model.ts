import { DrydockError, type Model, type NetState, type NodeId, type SimContext } from "@drydock/kernel";
import {
  createRaftState, crash, membershipBlocker, nextDeadline, promotable, restart, step,
  type Env, type RaftInit, type RaftInput, type RaftMessage, type RaftOptions, type RaftState, type StateMachine,
} from "../core/index.js";

/** One server as the cluster holds it: its Raft state, its state machine, its pending timer. */
export interface ServerSlot {
  readonly raft: RaftState;
  /** The state machine's state (volatile: rebuilt from the snapshot and the log after a crash). */
  readonly app: unknown;
  /** Deadline of the one kernel timer this server waits on; a timer for any other time is stale. */
  readonly timerAt: number | null;
}

export interface ClusterState {
  readonly servers: Readonly<Record<NodeId, ServerSlot>>;
}

/** Raft's own user actions; faults are the kernel's NetActions. */
export type RaftAction =
  /** `node`: the server the client reaches (a stale leader in a minority takes it too); else the current leader. */
  | { readonly type: "propose"; readonly value: unknown; readonly node?: NodeId }
  | { readonly type: "timeout"; readonly node: NodeId }
  | { readonly type: "addServer"; readonly node: NodeId }
  | { readonly type: "removeServer"; readonly node: NodeId };

export interface ModelConfig {
  readonly ids: readonly NodeId[];
  readonly options: RaftOptions;
  readonly machine: StateMachine;
  /** Entries applied between automatic snapshots (etcd's --snapshot-count); 0 never compacts. */
  readonly snapshotCount: number;
  readonly initial: Readonly<Record<NodeId, Partial<Pick<RaftInit, "term" | "votedFor" | "log">>>>;
}


/** The leader a client would reach: an up server that is leader in the highest term. */
export function currentLeader(state: ClusterState, net: NetState): NodeId | null {
  let best: RaftState | null = null;
  for (const id in state.servers) {
    const r = state.servers[id]!.raft;
    if (r.role === "leader" && net.up[id] && (!best || r.term > best.term)) best = r;
  }
  return best ? best.id : null;
}

function known(state: ClusterState, node: NodeId): ServerSlot {
  const slot = Object.hasOwn(state.servers, node) ? state.servers[node] : undefined;
  if (!slot) throw new DrydockError("ENODE", `unknown node "${node}" (nodes: ${Object.keys(state.servers).join(", ")})`);
  return slot;
}

/** Membership change checks shared by validate() and the cluster's pre-check before addNode. */
export function checkMembership(state: ClusterState, net: NetState, node: NodeId, add: boolean): void {
  if (typeof node !== "string" || node === "") throw new DrydockError("ENODE", `invalid node id ${JSON.stringify(node)}`);
  if (!add) known(state, node);
  const leader = currentLeader(state, net);
  if (!leader) throw new DrydockError("ENOLEADER", `cannot ${add ? "add" : "remove"} ${node}: no leader (membership changes go through the leader)`);
  const r = state.servers[leader]!.raft;
  const blocked = membershipBlocker(r);
  if (blocked) throw new DrydockError("ECONFCHANGE", `cannot ${add ? "add" : "remove"} ${node}: ${blocked}`);
  if (add && r.config.includes(node)) throw new DrydockError("EMEMBER", `${node} is already a member`);
  if (!add && !r.config.includes(node)) throw new DrydockError("EMEMBER", `${node} is not a member`);
  if (!add && r.config.length === 1) throw new DrydockError("ELASTSERVER", `cannot remove ${node}: it is the last server`);
}

/**
 * The cluster with server `id`'s slot replaced (or added, last). Copied, then assigned: V8 runs
 * this about a third faster than `{ ...servers, [id]: slot }`, and it is done at every event.
 */
function withServer(state: ClusterState, id: NodeId, slot: ServerSlot): ClusterState {
  const servers: Record<NodeId, ServerSlot> = { ...state.servers };
  servers[id] = slot;
  return { servers };
}

/**
 * Steps one server and carries out what it asked for: sends its messages, applies committed
 * entries to its state machine, compacts, records what changed and waits on its next deadline.
 */
function drive(state: ClusterState, id: NodeId, input: RaftInput, ctx: SimContext<RaftMessage>, cfg: ModelConfig, e: Env, timerAt?: number | null): ClusterState {
  const slot = state.servers[id]!;
  const r = step(slot.raft, input, e);
  for (const o of r.messages) ctx.send(id, o.to, o.message);
  let app = slot.app;
  const m = cfg.machine;
  if (r.restore) {
    app = m.restore ? m.restore(r.restore.data) : r.restore.data;
    ctx.record(id, { event: "restore", index: r.restore.index, term: r.restore.term });
  }
  for (const c of r.committed) if (c.value !== null && !c.config) app = m.apply(app, c);
  let raft = r.state;
  if (r.rejected !== undefined) ctx.record(id, { event: "rejected", input: input.type, reason: r.rejected });
  recordChanges(slot.raft, raft, ctx);
  const snapIndex = raft.snapshot?.index ?? 0;
  // Compact every snapshotCount applied entries, keeping the latest snapshotCount in the log so
  // a follower slightly behind still catches up from entries (etcd's SnapshotCatchUpEntries).
  const count = cfg.snapshotCount;
  if (count > 0 && raft.lastApplied - snapIndex >= 2 * count) {
    const index = raft.lastApplied - count;
    const data = m.snapshot ? m.snapshot(appAt(raft, app, index, m)) : appAt(raft, app, index, m);
    raft = step(raft, { type: "compact", index, data }, e).state;
    ctx.record(id, { event: "snapshot", index });
  }
  return withServer(state, id, { raft, app, timerAt: wait(raft, timerAt === undefined ? slot.timerAt : timerAt, id, ctx) });
}

/** The state machine as of `index` (<= lastApplied): replayed from the snapshot, as a real store would read it back. */
function appAt(raft: RaftState, app: unknown, index: number, m: StateMachine): unknown {
  if (index === raft.lastApplied) return app;
  const snap = raft.snapshot;
  let state = snap ? (m.restore ? m.restore(snap.data) : snap.data) : m.init();
  const offset = snap?.index ?? 0;
  for (let i = offset + 1; i <= index; i++) {
    const e = raft.log.at(i - offset - 1)!;
    if (e.value !== null && !e.config) state = m.apply(state, { ...e, index: i });
  }
  return state;
}

/**
 * One pending timer per server: a later deadline waits for the pending timer to fire and
 * re-arm; only an earlier one sets a new timer (the old one then fires stale and is ignored).
 */
function wait(raft: RaftState, timerAt: number | null, id: NodeId, ctx: SimContext<RaftMessage>): number | null {
  const due = nextDeadline(raft);
  if (due === Infinity || (timerAt !== null && timerAt <= due)) return timerAt;
  const name = raft.role !== "leader" ? "election" : due === raft.heartbeatDeadline ? "heartbeat" : "checkQuorum";
  ctx.setTimer(id, due, name, due);
  return due;
}

/** Trace records the visualiser reads notable events from: roles, terms, votes, commits, configs. */
function recordChanges(a: RaftState, b: RaftState, ctx: SimContext<RaftMessage>): void {
  const id = b.id;
  if (a.role !== b.role) ctx.record(id, { event: "became", role: b.role, term: b.term });
  else if (a.term !== b.term) ctx.record(id, { event: "term", term: b.term });
  if (b.votedFor !== null && b.votedFor !== id && (a.votedFor !== b.votedFor || a.term !== b.term)) {
    ctx.record(id, { event: "vote", for: b.votedFor, term: b.term });
  }
  if (b.commitIndex > a.commitIndex && b.snapshot === a.snapshot) ctx.record(id, { event: "commit", index: b.commitIndex, term: b.term });
  if (a.config !== b.config && a.config.join() !== b.config.join()) ctx.record(id, { event: "config", members: b.config });
}

export function createModel(cfg: ModelConfig): Model<ClusterState, RaftMessage, RaftAction> {
  // One election-timeout stream per server ("raft/s1"), so one server's draws never shift another's.
  // The kernel restores streams in place on seek, so holding the Rng is safe; the Env is
  // reused across steps (the core reads it only during a step) to keep the hot path allocation-free.
  const envs = new WeakMap<SimContext<RaftMessage>, Map<NodeId, { now: number; random: () => number }>>();
  // The context of the last step and its envs: a model mostly runs in one simulation.
  let lastCtx: SimContext<RaftMessage> | undefined;
  let lastEnvs: Map<NodeId, { now: number; random: () => number }> | undefined;
  const env = (ctx: SimContext<RaftMessage>, id: NodeId): Env => {
    let bySim = ctx === lastCtx ? lastEnvs : envs.get(ctx);
    if (!bySim) envs.set(ctx, (bySim = new Map()));
    lastCtx = ctx;
    lastEnvs = bySim;
    let e = bySim.get(id);
    if (!e) {
      const rng = ctx.rng(`raft/${id}`);
      e = { now: 0, random: () => rng.next() };
      bySim.set(id, e);
    }
    e.now = ctx.now;
    return e;
  };
  const run = (state: ClusterState, id: NodeId, input: RaftInput, ctx: SimContext<RaftMessage>, timerAt?: number | null) => drive(state, id, input, ctx, cfg, env(ctx, id), timerAt);
  const fresh = (id: NodeId, ctx: SimContext<RaftMessage>, peers: readonly NodeId[]): ServerSlot => {
    const init = cfg.initial[id] ?? {};
    const raft = createRaftState({ id, peers, options: cfg.options, ...init }, env(ctx, id));
    return { raft, app: cfg.machine.init(), timerAt: wait(raft, null, id, ctx) };
  };
  return {
    init(ctx) {
      const servers: Record<NodeId, ServerSlot> = {};
      for (const id of cfg.ids) servers[id] = fresh(id, ctx, cfg.ids);
      return { servers };
    },
    deliver(state, msg, from, to, ctx) {
      if (!state.servers[to]) return state;
      return run(state, to, { type: "message", from, message: msg }, ctx);
    },
    timer(state, node, _name, data, ctx) {
      const slot = state.servers[node];
      if (!slot || slot.timerAt !== data) return state; // stale: a newer deadline took over
      return run(state, node, { type: "tick" }, ctx, null); // this timer fired: none is pending
    },
    validate(state, action, net) {
      switch (action.type) {
        case "propose":
          if (action.value === undefined || action.value === null) throw new DrydockError("EPROPOSE", "a proposal needs a value (null is the leader's no-op)");
          if (action.node !== undefined) {
            const slot = known(state, action.node);
            if (!net.up[action.node]) throw new DrydockError("ENODEDOWN", `${action.node} is down: restart it first`);
            if (slot.raft.role !== "leader") throw new DrydockError("ENOTLEADER", `${action.node} is not a leader: it would send the client to ${slot.raft.leader ?? "the leader, once it knows one"}`);
            return;
          }
          if (!currentLeader(state, net)) throw new DrydockError("ENOLEADER", "raft proposal dropped: no leader (run the cluster until one is elected)");
          return;
        case "timeout": {
          const slot = known(state, action.node);
          if (!net.up[action.node]) throw new DrydockError("ENODEDOWN", `${action.node} is down: restart it first`);
          if (slot.raft.role === "leader") throw new DrydockError("ELEADER", `${action.node} is already the leader`);
          if (!promotable(slot.raft)) throw new DrydockError("EMEMBER", `${action.node} is not a member of its configuration`);
          return;
        }
        case "addServer":
          if (!Object.hasOwn(net.up, action.node)) throw new DrydockError("ENODE", `unknown node "${action.node}": add it to the network first`);
          checkMembership(state, net, action.node, true);
          return;
        case "removeServer":
          checkMembership(state, net, action.node, false);
          return;
        default:
          throw new DrydockError("EACTION", `unknown action "${(action as { type: string }).type}"`);
      }
    },
    action(state, action, ctx) {
      switch (action.type) {
        case "propose":
          return run(state, action.node ?? currentLeader(state, ctx.net)!, { type: "propose", value: action.value }, ctx);
        case "timeout":
          return run(state, action.node, { type: "timeout" }, ctx);
        case "addServer": {
          const leader = currentLeader(state, ctx.net)!;
          const withNode = state.servers[action.node] ? state : withServer(state, action.node, fresh(action.node, ctx, []));
          return run(withNode, leader, { type: "addServer", id: action.node }, ctx);
        }
        case "removeServer":
          return run(state, currentLeader(state, ctx.net)!, { type: "removeServer", id: action.node }, ctx);
      }
    },
    addNode(state, node, ctx) {
      // A joining server starts empty and outside any configuration: it waits to hear from a leader.
      if (state.servers[node]) return state;
      return withServer(state, node, fresh(node, ctx, []));
    },
    crash(state, node) {
      const slot = state.servers[node];
      if (!slot) return state;
      const raft = crash(slot.raft);
      const app = raft.snapshot ? (cfg.machine.restore ? cfg.machine.restore(raft.snapshot.data) : raft.snapshot.data) : cfg.machine.init();
      return withServer(state, node, { raft, app, timerAt: null });
    },
    restart(state, node, ctx) {
      const slot = state.servers[node];
      if (!slot) return state;
      const raft = restart(slot.raft, env(ctx, node));
      return withServer(state, node, { ...slot, raft, timerAt: wait(raft, null, node, ctx) });
    },
    size(msg) {
      // Rough bytes on the wire: a header plus each entry (values are small in lessons).
      return msg.type === "AppendEntries" ? 48 + 16 * msg.entries.length : msg.type === "InstallSnapshot" ? 256 : 32;
    },
  };
}
