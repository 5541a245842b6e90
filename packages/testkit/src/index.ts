// @drydock/testkit: property tests of orchestration ideas on drydock's simulator.
// The fault vocabulary and schedules (plain records, drawn by fast-check).
export {
  FAULT_KINDS, fault, faultSchedule, flattenSteps, simSeed, nodeNames, topology,
  type FaultKind, type FaultOptions, type ScheduleOptions, type Step, type TimedAction, type Topology,
} from "./faults.js";
// Checked runs: invariants after every event, then liveness once faults stop.
export {
  runChecked, stopFaults, RunFailure,
  type Invariant, type Liveness, type CheckedRunOptions, type CheckedRun, type AnySimulation,
} from "./run.js";
// Reporting: seed, shrunk schedule, and a link that opens the app at the failing event.
export { assertProperty, formatFailure, type PropertyParameters } from "./property.js";
export {
  appLink, encodeAppActions, raftAppCluster, gossipAppCluster, DEFAULT_APP_URL, APP_LINK_VERSION,
  RAFT_APP_DEFAULTS, RAFT_APP_SIZES, RAFT_APP_TIMEOUTS, GOSSIP_APP_DEFAULTS, GOSSIP_APP_MEMBERS, GOSSIP_APP_LATENCIES,
  type AppRun, type RaftAppOptions, type GossipAppOptions,
} from "./app.js";
// Raft: runs, Figure 3, liveness.
export {
  raftRun, raftWorkload, raftRunCluster, raftAppRun, figure3, raftLiveness, checkRaftRun,
  type RaftRun, type RaftRunOptions, type RaftExtraOptions, type RaftCheckOptions,
} from "./raft.js";
// SWIM: completeness, accuracy, incarnations, dissemination.
export {
  swimCompleteness, swimAccuracy, swimIncarnations, swimDissemination, completenessBoundUs,
  swimWorkload, swimAct, swimRunCluster, swimAppRun,
} from "./swim.js";
// The golden scenarios, for cross-runtime checks (same trace hash in every JavaScript engine).
export { GOLDEN_SCENARIOS, GOLDEN_HASHES, type GoldenRun } from "./golden.js";
