import { configAt, hasUncommittedConfig } from "./log.js";
import type { Env, Outgoing, RaftInput, RaftMessage, RaftState, Snapshot, NodeId } from "./types.js";

/** A writable copy of the state, private to one step: the input state itself is never touched. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A writable copy of a state, every field written out in one order (createRaftState's), so that
 * every state has one hidden class. A spread copy (`{ ...state }`) was the costliest line of a
 * Raft sweep: V8 copies an object of a varying shape generically, field by field.
 */
export function copyState(s: RaftState): Mutable<RaftState> {
  return {
    id: s.id,
    options: s.options,
    term: s.term,
    votedFor: s.votedFor,
    log: s.log,
    snapshot: s.snapshot,
    initialConfig: s.initialConfig,
    role: s.role,
    leader: s.leader,
    commitIndex: s.commitIndex,
    lastApplied: s.lastApplied,
    config: s.config,
    electionDeadline: s.electionDeadline,
    leaderContactAt: s.leaderContactAt,
    votes: s.votes,
    heartbeatDeadline: s.heartbeatDeadline,
    progress: s.progress,
  };
}

/** One step's scratch: the new state being built and the outbox (etcd's `msgs`). */
export interface Work {
  readonly s: Mutable<RaftState>;
  readonly env: Env;
  readonly out: Outgoing[];
  /** Lowest log index (re)written in this step, for the persist output. */
  dirtyFrom: number;
  restore: Snapshot | undefined;
  rejected: string | undefined;
}

/** The inputs a role's step function takes (etcd's r.step): messages of the current term and client commands. */
export type RoleInput = Extract<RaftInput, { type: "message" | "propose" | "addServer" | "removeServer" }>;

/** A role, as etcd's raft has it: how it steps an input and what a tick does. */
export interface RoleFns {
  readonly step: (w: Work, input: RoleInput) => void;
  readonly tick: (w: Work) => void;
}

export function send(w: Work, to: NodeId, message: RaftMessage): void {
  w.out.push({ to, message });
}

export function quorum(config: readonly NodeId[]): number {
  return (config.length >> 1) + 1;
}

/** Paper §5.2: a fresh timeout drawn uniformly from [min, max]. */
export function resetElectionTimer(w: Work): void {
  const o = w.s.options;
  w.s.electionDeadline = w.env.now + o.electionTimeoutMin + Math.floor(w.env.random() * (o.electionTimeoutMax - o.electionTimeoutMin + 1));
}

/**
 * Who may stand for election (etcd's promotable()): a member of its own latest configuration;
 * and, dissertation §4.2.2, a server whose removal has not yet committed, since it may still
 * be needed to commit it. Such a server does not count its own vote (votes are counted over
 * the latest configuration).
 */
export function promotable(s: RaftState): boolean {
  if (s.config.includes(s.id)) return true;
  return hasUncommittedConfig(s) && configAt(s, s.commitIndex).includes(s.id);
}
