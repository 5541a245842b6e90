// The pure core: Raft as a state machine (imports nothing of ours).
export {
  step, createRaftState, crash, restart, nextDeadline, promotable, membershipBlocker, DEFAULT_OPTIONS, EntryLog,
  firstIndex, lastIndex, lastTerm, termAt, entryAt, slice, isUpToDate, configAt, hasUncommittedConfig,
  counterMachine, keyValueMachine,
  type RaftInit, type StateMachine, type CounterState, type KeyValueCommand,
  type NodeId, type Role, type Entry, type CommittedEntry, type Snapshot, type RaftOptions, type Progress, type RaftState,
  type RequestVote, type RequestVoteResponse, type AppendEntries, type AppendEntriesResponse, type InstallSnapshot,
  type InstallSnapshotResponse, type RaftMessage, type RaftInput, type Env, type Outgoing, type Persist, type StepResult,
} from "./core/index.js";
// The cluster on the kernel.
export {
  createRaftCluster, RaftCluster, DEFAULT_CLUSTER,
  type RaftClusterOptions, type RaftNodeView, type InitialServer,
} from "./cluster/cluster.js";
export { createModel, currentLeader, type ClusterState, type ServerSlot, type RaftAction, type ModelConfig } from "./cluster/model.js";
export { raftEvents, leaderChanges, type RaftEvent, type RaftEventData } from "./cluster/events.js";
// The Figure 3 properties, checked after every event (testkit's figure3() runs it under faults).
export { SafetyChecker, SafetyViolation } from "./check/invariants.js";
