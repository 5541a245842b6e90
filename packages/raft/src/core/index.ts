export { promotable } from "./work.js";
export {
  step, createRaftState, crash, restart, nextDeadline, DEFAULT_OPTIONS, type RaftInit,
} from "./raft.js";
export { membershipBlocker } from "./leader.js";
export { EntryLog } from "./entries.js";
export {
  firstIndex, lastIndex, lastTerm, termAt, entryAt, slice, isUpToDate, configAt, hasUncommittedConfig,
} from "./log.js";
export type {
  NodeId, Role, Entry, CommittedEntry, Snapshot, RaftOptions, Progress, RaftState,
  RequestVote, RequestVoteResponse, AppendEntries, AppendEntriesResponse, InstallSnapshot, InstallSnapshotResponse,
  RaftMessage, RaftInput, Env, Outgoing, Persist, StepResult,
} from "./types.js";
export { type StateMachine, counterMachine, keyValueMachine, type CounterState, type KeyValueCommand } from "./machine.js";
