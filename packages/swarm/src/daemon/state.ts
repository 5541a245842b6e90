import type { RaftMessage, RaftState } from "@drydock/raft";
import type { SwimMessage, SwimState } from "@drydock/swim";
import type { ConfigPayload, SecretPayload } from "../executor.js";
import type { ControlState } from "../orchestrator/restart.js";
import type { StoreEntry, StoreOp } from "../store/store.js";
import type { NodeDescription, NodeRole, Store, Task, TaskStatus } from "../types.js";

/**
 * The swarm daemon's state: one slice per host of the world (what dockerd's swarm component
 * holds on that host) and the gossip group's protocol state (SWIM's, shared by its members as
 * the swim package keeps it; each member's view inside it is its own).
 */
export interface SwarmState {
  readonly hosts: ReadonlyMap<string, HostState>;
  /** Mutable for speed, like SWIM's own model: the daemon's save/load copy it at snapshots. */
  readonly gossip: SwimState;
}

/** What a host knows of its swarm, kept on disk (/var/lib/docker/swarm): it survives a crash. */
export interface Member {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  /** Managers' hosts this node knows (the remotes it may connect to). */
  readonly managers: readonly string[];
  readonly advertiseAddr: string;
  /**
   * On a manager: the key its raft data and TLS key are encrypted with on disk while autolock is
   * on (null or absent: not encrypted). It follows the store's cluster object as the manager
   * applies it, so a manager down during a rotation needs the old key, as in SwarmKit.
   */
  readonly unlockKey?: string | null;
}

export interface HostState {
  readonly name: string;
  readonly member: Member | null;
  /** Raft on a manager; its persistent part survives a crash. */
  readonly raft: RaftState | null;
  readonly raftTimerAt: number | null;
  /** The committed store (a manager's memory store: rebuilt from the snapshot and log after a crash). */
  readonly store: Store;
  /** A copy of the store at a past index, for the next log compaction. */
  readonly checkpoint: { readonly index: number; readonly store: Store } | null;
  /** The leader's control plane (only while this host's raft leads). */
  readonly leader: LeaderState | null;
  readonly agent: AgentState | null;
  /** The executor's state (its type is the executor's). */
  readonly exec: unknown;
  readonly execTimerAt: number | null;
  /** A restarted manager of an autolocked swarm, waiting for `docker swarm unlock`: nothing of the swarm runs. */
  readonly locked?: boolean;
}

export interface Session {
  /** null: the node was found by a new leader and has not registered with it yet ("unknown"). */
  readonly sessionId: string | null;
  readonly host: string;
  readonly expiresAt: number;
}

export interface PendingEntry {
  readonly index: number;
  readonly entry: StoreEntry;
}

export interface LeaderState {
  readonly term: number;
  /** The index of the leader's first entry of its term: it acts once that is applied. */
  readonly startIndex: number;
  readonly ready: boolean;
  /** The committed store with this leader's proposals not yet committed applied. */
  readonly view: Store;
  readonly pending: readonly PendingEntry[];
  /** Operations waiting for the next pass (agents' task status, node registrations). */
  readonly buffered: readonly StoreOp[];
  readonly control: ControlState;
  /** The dispatcher's registered nodes, by node id. */
  readonly sessions: ReadonlyMap<string, Session>;
  /** The assignment set last sent to each node (a key of its tasks and their states). */
  readonly pushed: ReadonlyMap<string, string>;
  /** Raft membership changes to make, one at a time. */
  readonly membership: readonly { readonly add: boolean; readonly host: string }[];
  /** A pass is due at `timerAt` (the commit debounce) or for a deadline. */
  readonly timerAt: number | null;
  readonly dirty: boolean;
}

export interface AgentTask {
  readonly task: Task;
  /** The status as this agent knows it (ahead of the store's until the dispatcher records it). */
  readonly status: TaskStatus;
}

export interface AgentState {
  readonly sessionId: string | null;
  /** The manager it talks to. */
  readonly manager: string | null;
  readonly managers: readonly string[];
  readonly periodUs: number;
  /** Sequence of its requests (registrations and heartbeats); timers carry it. */
  readonly seq: number;
  /** The last request answered. */
  readonly acked: number;
  /** Its tasks, kept on disk (worker.db). */
  readonly tasks: ReadonlyMap<string, AgentTask>;
  /** Secrets for its tasks, in memory only. */
  readonly secrets: ReadonlyMap<string, SecretPayload>;
  /** Configs for its tasks (absent in states saved before configs reached agents). */
  readonly configs?: ReadonlyMap<string, ConfigPayload>;
  /** Statuses the store has not confirmed yet: sent again with each heartbeat. */
  readonly unconfirmed: ReadonlyMap<string, TaskStatus>;
  /** The version of the last assignments received. */
  readonly assignments: number;
}

// ---- messages ------------------------------------------------------------------------------

export interface TaskStatusReport {
  readonly taskId: string;
  readonly status: TaskStatus;
}

/** The dispatcher's protocol (api/dispatcher.proto), one message per RPC leg. */
export type DispatcherMessage =
  | { readonly type: "Register"; readonly nodeId: string; readonly seq: number; readonly description: NodeDescription }
  | { readonly type: "Registered"; readonly seq: number; readonly sessionId: string; readonly periodUs: number; readonly managers: readonly string[] }
  /** A manager that is not the leader sends the agent to the leader (SwarmKit proxies instead). */
  | { readonly type: "Redirect"; readonly seq: number; readonly leader: string | null; readonly managers: readonly string[] }
  | {
    readonly type: "Heartbeat"; readonly nodeId: string; readonly seq: number; readonly sessionId: string; readonly statuses: readonly TaskStatusReport[];
    /** The version of the last assignments it got: a lost Assignments message is sent again. */
    readonly assignments: number;
  }
  | { readonly type: "HeartbeatAck"; readonly seq: number; readonly periodUs: number; readonly managers: readonly string[] }
  | { readonly type: "SessionInvalid"; readonly seq: number }
  | { readonly type: "TaskStatus"; readonly nodeId: string; readonly sessionId: string; readonly updates: readonly TaskStatusReport[] }
  /** raft.go Join: a manager outside the raft configuration asks to be added. */
  | { readonly type: "RaftJoin"; readonly host: string }
  | {
    readonly type: "Assignments"; readonly sessionId: string; readonly role: NodeRole; readonly tasks: readonly Task[];
    readonly secrets: readonly SecretPayload[]; readonly configs?: readonly ConfigPayload[]; readonly managers: readonly string[];
    /** A digest of the set (SwarmKit's stream is reliable; over drydock's lossy links the agent says what it has). */
    readonly version: number;
  };

export type SwarmMessage = DispatcherMessage | RaftMessage | SwimMessage;

const RAFT_TYPES = new Set(["RequestVote", "RequestVoteResponse", "AppendEntries", "AppendEntriesResponse", "InstallSnapshot", "InstallSnapshotResponse"]);
const SWIM_TYPES = new Set(["ping", "ack", "ping-req", "nack", "gossip", "reconnect", "push-pull"]);

export function isRaftMessage(m: SwarmMessage): m is RaftMessage {
  return RAFT_TYPES.has(m.type);
}

export function isSwimMessage(m: SwarmMessage): m is SwimMessage {
  return SWIM_TYPES.has(m.type);
}
