// @drydock/labs: the course's exercises as guided labs (YAML files under labs/), their format,
// the checks on the world and the runner. Reading the files from disk is @drydock/labs/node's.
export {
  parseLab, matches, describeMatch, describeExpect, commandWords, typedAs, LabError, CONTAINER_STATES, NODE_STATUSES, NODE_AVAILABILITIES, NODE_ROLES, POD_PHASES, K8S_SERVICE_TYPES,
  type Lab, type Step, type Pause, type StepAction, type Check, type CheckKind, type Key, type Match, type SetupFile, type ContainerStateName,
  type SwarmTopology, type NodeStatus, type NodeAvailability, type NodeRole, type PodPhase, type K8sServiceType,
} from "./format.js";
export { orderLabs } from "./course.js";
export { evaluateChecks, type CheckResult, type StepOutcome } from "./checks.js";
export { runLab, LabSession, STEP_GAP, type LabRun, type RunOptions, type StepResult, type StepStart } from "./runner.js";
export { worldSummary, labView, type HostSummary, type ContainerSummary, type LabViewKind } from "./summary.js";
export { pauseHolds, findPausePoints, type PausePoint } from "./pauses.js";
