import {
  DrydockError, createSimulation, parseDuration, parseRange,
  type Duration, type DurationRange, type NodeId, type ScheduledAction, type Simulation, type TraceRecord,
} from "@drydock/kernel";
import {
  counterMachine, lastIndex, lastTerm,
  type Entry, type RaftMessage, type RaftOptions, type Role, type StateMachine,
} from "../core/index.js";
import { checkMembership, createModel, currentLeader, type ClusterState, type RaftAction } from "./model.js";

/** A server's persistent state to start from (the paper's Figure 7 and Figure 8 situations). */
export interface InitialServer {
  readonly term?: number;
  readonly votedFor?: NodeId | null;
  readonly log?: readonly { readonly term: number; readonly value: unknown }[];
}

export interface RaftClusterOptions {
  /** Servers "s1".."sN" (default 5). */
  readonly size?: number;
  readonly seed?: string | number;
  /** Randomized election timeout range (default ["150ms", "300ms"], paper §5.2). */
  readonly electionTimeout?: DurationRange;
  /** Leader heartbeat interval (default "50ms"). */
  readonly heartbeat?: Duration;
  /** One-way network latency range (default ["5ms", "10ms"]). */
  readonly latency?: DurationRange;
  readonly loss?: number;
  readonly duplicate?: number;
  readonly reorder?: boolean;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  /** The fast log-backtracking hint on rejection (paper §5.3, end). */
  readonly fastBacktrack?: boolean;
  readonly maxEntriesPerMessage?: number;
  /** A new server catches up as a non-voting learner before it joins (dissertation §4.2.1). */
  readonly catchUpNewServers?: boolean;
  /** Entries applied between automatic snapshots (etcd's --snapshot-count); 0 (default) never compacts. */
  readonly snapshotCount?: number;
  readonly stateMachine?: StateMachine<any>;
  /** Persistent state per server id ("s1": { term, votedFor, log }). */
  readonly initial?: Readonly<Record<NodeId, InitialServer>>;
  /**
   * Timed faults that are part of the configuration. Each is validated when the cluster is
   * created, so Raft actions there must be valid at time 0 (a proposal then has no leader):
   * take those with the methods once the run reaches them.
   */
  readonly schedule?: readonly ScheduledAction<RaftAction>[];
  /** Record the trace (default true). */
  readonly trace?: boolean;
  /** Virtual time between history snapshots, for seeking (default "1s"). */
  readonly snapshotEvery?: Duration;
  readonly historyMax?: number;
}

/** What the visualiser and tests read about one server. */
export interface RaftNodeView {
  readonly id: NodeId;
  readonly up: boolean;
  /** In its own latest configuration. */
  readonly member: boolean;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leader: NodeId | null;
  /** Entries after the snapshot: log[i] has index firstIndex + i. */
  readonly log: readonly Entry[];
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  readonly snapshot: { readonly index: number; readonly term: number } | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly config: readonly NodeId[];
  /** When the election timer runs out (null for a leader, a down server or a non-member). */
  readonly electionDeadline: number | null;
  readonly heartbeatDeadline: number | null;
  /** Votes received in the current election (candidates). */
  readonly votes: Readonly<Record<NodeId, boolean>>;
  /** Leader only (followers, removed servers until their removal commits, and learners). */
  readonly nextIndex?: Readonly<Record<NodeId, number>>;
  readonly matchIndex?: Readonly<Record<NodeId, number>>;
  /** Leader only: new servers still catching up before they join. */
  readonly learners?: readonly NodeId[];
  /** The state machine's state. */
  readonly state: unknown;
}

export const DEFAULT_CLUSTER = {
  size: 5,
  seed: 1,
  electionTimeout: ["150ms", "300ms"] as DurationRange,
  heartbeat: "50ms",
  latency: ["5ms", "10ms"] as DurationRange,
} as const;

function raftOptions(o: RaftClusterOptions): RaftOptions {
  const [min, max] = parseRange(o.electionTimeout ?? DEFAULT_CLUSTER.electionTimeout, "election timeout");
  if (min <= 0) throw new DrydockError("ERANGE", "invalid election timeout: must be positive");
  const heartbeat = parseDuration(o.heartbeat ?? DEFAULT_CLUSTER.heartbeat);
  if (heartbeat <= 0) throw new DrydockError("ERANGE", "invalid heartbeat: must be positive");
  const batch = o.maxEntriesPerMessage ?? 64;
  if (!Number.isInteger(batch) || batch < 1) throw new DrydockError("ERANGE", `invalid maxEntriesPerMessage ${batch}: want a whole number >= 1`);
  return {
    electionTimeoutMin: min,
    electionTimeoutMax: max,
    heartbeatInterval: heartbeat,
    preVote: o.preVote ?? false,
    checkQuorum: o.checkQuorum ?? false,
    fastBacktrack: o.fastBacktrack ?? false,
    maxEntriesPerMessage: batch,
    catchUpNewServers: o.catchUpNewServers ?? false,
  };
}

function checkInitial(ids: readonly NodeId[], initial: Readonly<Record<NodeId, InitialServer>>): void {
  for (const [id, s] of Object.entries(initial)) {
    if (!ids.includes(id)) throw new DrydockError("ENODE", `initial state for unknown node "${id}" (nodes: ${ids.join(", ")})`);
    let prev = 0;
    for (const [i, e] of (s.log ?? []).entries()) {
      if (!Number.isInteger(e.term) || e.term < Math.max(prev, 1)) {
        throw new DrydockError("ELOG", `initial log of ${id}: entry ${i + 1} has term ${e.term}; terms are whole, from 1, and never decrease`);
      }
      prev = e.term;
    }
    if (s.term !== undefined && (!Number.isInteger(s.term) || s.term < prev)) {
      throw new DrydockError("ETERM", `initial term of ${id} is ${s.term}, below its log's last term ${prev}`);
    }
    if (s.votedFor != null && !ids.includes(s.votedFor)) throw new DrydockError("ENODE", `initial votedFor of ${id}: unknown node "${s.votedFor}"`);
  }
}

/**
 * A Raft cluster on the kernel: servers "s1".."sN" exchanging messages over the simulated
 * network. Faults are the kernel's logged actions; propose, timeout and membership changes are
 * Raft's own, validated first so a bad one throws a DrydockError and changes nothing.
 */
export class RaftCluster {
  readonly sim: Simulation<ClusterState, RaftMessage, RaftAction>;

  constructor(options: RaftClusterOptions = {}) {
    const size = options.size ?? DEFAULT_CLUSTER.size;
    if (!Number.isInteger(size) || size < 1 || size > 101) throw new DrydockError("ESIZE", `invalid cluster size ${size}: want 1 to 101 servers`);
    const ids = Array.from({ length: size }, (_, i) => `s${i + 1}`);
    const initial = options.initial ?? {};
    checkInitial(ids, initial);
    const snapshotCount = options.snapshotCount ?? 0;
    if (!Number.isInteger(snapshotCount) || snapshotCount < 0) throw new DrydockError("ERANGE", `invalid snapshotCount ${snapshotCount}`);
    const model = createModel({
      ids, options: raftOptions(options), machine: options.stateMachine ?? counterMachine, snapshotCount, initial,
    });
    this.sim = createSimulation({
      seed: options.seed ?? DEFAULT_CLUSTER.seed,
      nodes: ids,
      model,
      network: {
        latency: options.latency ?? DEFAULT_CLUSTER.latency,
        ...(options.loss !== undefined ? { loss: options.loss } : {}),
        ...(options.duplicate !== undefined ? { duplicate: options.duplicate } : {}),
        ...(options.reorder !== undefined ? { reorder: options.reorder } : {}),
      },
      ...(options.schedule ? { schedule: options.schedule } : {}),
      ...(options.trace !== undefined ? { trace: options.trace } : {}),
      ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
      ...(options.historyMax !== undefined ? { historyMax: options.historyMax } : {}),
    });
  }

  get now(): number { return this.sim.now; }
  get trace(): readonly TraceRecord[] { return this.sim.trace; }
  get state(): ClusterState { return this.sim.state; }

  run(until: Duration): void { this.sim.runUntil(until); }
  runFor(duration: Duration): void { this.sim.runFor(duration); }

  /** Forces an election on `id` now, as if its election timer ran out. */
  timeout(id: NodeId): void { this.sim.act({ type: "timeout", node: id }); }
  crash(id: NodeId): void { this.sim.act({ type: "crash", node: id }); }
  restart(id: NodeId): void { this.sim.act({ type: "restart", node: id }); }
  isolate(id: NodeId): void { this.sim.act({ type: "isolate", node: id }); }
  partition(groups: readonly (readonly NodeId[])[]): void { this.sim.act({ type: "partition", groups }); }
  cut(a: NodeId, b: NodeId): void { this.sim.act({ type: "cut", a, b }); }
  heal(): void { this.sim.act({ type: "heal" }); }

  /** Appends `value` to the current leader's log; returns where it went (not yet committed). */
  propose(value: unknown): { readonly leader: NodeId; readonly index: number; readonly term: number } {
    this.sim.act({ type: "propose", value });
    const leader = currentLeader(this.sim.state, this.sim.net)!;
    const r = this.sim.state.servers[leader]!.raft;
    return { leader, index: lastIndex(r), term: r.term };
  }

  /** Adds a server (dissertation §4.1, one at a time): a new, empty server joins through the leader. */
  addServer(id: NodeId): void {
    checkMembership(this.sim.state, this.sim.net, id, true);
    if (!Object.hasOwn(this.sim.net.up, id)) this.sim.act({ type: "addNode", node: id });
    this.sim.act({ type: "addServer", node: id });
  }

  removeServer(id: NodeId): void { this.sim.act({ type: "removeServer", node: id }); }

  /** The leader a client would reach now, or null. */
  leader(): NodeId | null { return currentLeader(this.sim.state, this.sim.net); }

  nodes(): RaftNodeView[] {
    return Object.keys(this.sim.state.servers).map((id) => this.node(id));
  }

  node(id: NodeId): RaftNodeView {
    const slot = this.sim.state.servers[id];
    if (!slot) throw new DrydockError("ENODE", `unknown node "${id}" (nodes: ${Object.keys(this.sim.state.servers).join(", ")})`);
    const r = slot.raft;
    const up = this.sim.net.up[id] === true;
    const member = r.config.includes(id);
    const leader = r.role === "leader";
    const view: RaftNodeView = {
      id, up, member, role: r.role, term: r.term, votedFor: r.votedFor, leader: r.leader,
      log: r.log.toArray(), firstIndex: (r.snapshot?.index ?? 0) + 1, lastIndex: lastIndex(r), lastTerm: lastTerm(r),
      snapshot: r.snapshot ? { index: r.snapshot.index, term: r.snapshot.term } : null,
      commitIndex: r.commitIndex, lastApplied: r.lastApplied, config: r.config,
      electionDeadline: up && member && !leader ? r.electionDeadline : null,
      heartbeatDeadline: up ? r.heartbeatDeadline : null,
      votes: r.votes,
      state: slot.app,
    };
    if (!leader) return view;
    const nextIndex: Record<NodeId, number> = {};
    const matchIndex: Record<NodeId, number> = {};
    const learners: NodeId[] = [];
    for (const [p, pr] of Object.entries(r.progress)) {
      nextIndex[p] = pr.next;
      matchIndex[p] = pr.match;
      if (pr.learnerSince !== undefined) learners.push(p);
    }
    return { ...view, nextIndex, matchIndex, learners };
  }

  traceHash(): string { return this.sim.traceHash(); }
}

export function createRaftCluster(options: RaftClusterOptions = {}): RaftCluster {
  return new RaftCluster(options);
}
