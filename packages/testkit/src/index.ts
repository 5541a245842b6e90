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
// SWIM's four properties as whole runs (drawn, then checked).
export {
  swimCompletenessRun, checkSwimCompletenessRun, swimAccuracyRun, checkSwimAccuracyRun,
  swimIncarnationsRun, checkSwimIncarnationsRun, swimDisseminationRun, checkSwimDisseminationRun,
  type SwimRunConfig, type SwimCompletenessRun, type SwimAccuracyRun, type SwimIncarnationsRun, type SwimDisseminationRun,
} from "./swim-runs.js";
// Sweeps: named properties run over many seeds (drydock sweep), one seed per run.
export {
  SWEEP_PROPERTIES, SWEEP_SEED_MAX, SweepRegistry, defineSweepProperty, sweepOne, sweepSeed, sweepPropertiesOf,
  type SweepProperty, type SweepStats, type SweepOutcome, type SweepPass, type SweepFail, type SweepOneOptions,
} from "./sweep.js";
// What people feed orchestration: Dockerfiles, compose files, manifests, labels and selectors, YAML.
export {
  dockerfile, mutatedDockerfile, mutated, type GeneratedDockerfile, type DockerfileInstruction,
} from "./dockerfile.js";
export {
  composeFile, manifest, manifestList, type ComposeFile, type ComposeService, type Manifest, type YamlDocument,
} from "./orchestration.js";
export {
  labelKey, labelValue, labelSet, selector, selectorText, selectorMatches, labelsAndSelector, isLabelKey, isLabelValue,
  type LabelSet, type Requirement, type Selector,
} from "./labels.js";
export { toYaml, yamlString, yamlStyle, PLAIN_STYLE, type YamlStyle, type YamlValue } from "./yaml.js";
// Model-based tests of the playground (fc.commands).
export {
  playgroundCommands, checkPlaygroundCommands, setupPlayground, emptyPlaygroundModel, FILES_DIR,
  type PlaygroundModel, type PlaygroundCommand,
} from "./playground.js";
// Shell lines for the playground's prompt, and Go templates for --format.
export { shellLine, shellWord } from "./shell.js";
export { goTemplate } from "./template.js";
