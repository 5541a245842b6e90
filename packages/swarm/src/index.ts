// @drydock/swarm: swarm mode (SwarmKit) on drydock's kernel, raft and swim.
export * from "./types.js";
export {
  DEFAULT_UPDATE_CONFIG, DEFAULT_ROLLBACK_CONFIG, DEFAULT_RESTART_POLICY, DEFAULT_CLUSTER_SPEC, DISPATCHER, AGENT, RAFT, SCHEDULER,
  OLD_TASK_TIMEOUT_US, INGRESS, DYNAMIC_PORTS,
} from "./defaults.js";
export { SWARM_ERRORS, SwarmError, swarmFail, isSwarmError, type SwarmErrorCode } from "./errors.js";
export { newId, shortId, idSource, counterIds, hexDigest, type IdSource, type RandomSource } from "./ids.js";
export { parseConstraints, nodeMatches, preferenceValue, type Constraint } from "./constraint.js";
export { serviceSpec, updateSpec, resolveSpec, validateSpec, type ServiceOptions, type ServiceUpdate, type ConfigOption } from "./spec.js";
export {
  applyOps, EMPTY_STORE, tasksByService, tasksByNode, findByIdOrName, findNode, describeStore,
  type StoreOp, type StoreEntry,
} from "./store/store.js";
export { sealSecret, openSecret, CIPHER_LABEL, base64Encode, base64Decode } from "./store/cipher.js";
export { schedule, buildNodeInfos, Pipeline, type ScheduleResult, type NodeInfo } from "./scheduler/scheduler.js";
export { controlPass, type ControlInput, type ControlResult } from "./orchestrator/control.js";
export { EMPTY_CONTROL, type ControlState, type DelayedStart } from "./orchestrator/restart.js";
export type { UpdaterState, Worker as UpdateWorker } from "./orchestrator/updater.js";
export { isTaskDirty, newTask, taskStatus, invalidNode } from "./orchestrator/pass.js";
export {
  fakeExecutor, defaultPlan, DEFAULT_PLAN,
  type TaskExecutor, type ExecReport, type ExecResult, type ExecView, type SecretPayload, type ConfigPayload, type ImagePlan, type FakeExecutorOptions, type FakeExecutorState,
} from "./executor.js";
export { swarmModel, daemonConfig, SWARM_RAFT_OPTIONS, type SwarmModel, type SwarmModelOptions } from "./daemon/model.js";
export { GOSSIP_TIMER } from "./daemon/gossip.js";
export { validateAction, leaderFor, SWARM_ACTION_TYPES, type SwarmAction } from "./daemon/actions.js";
export type {
  SwarmState, HostState, Member, LeaderState, AgentState, AgentTask, Session, SwarmMessage, DispatcherMessage, TaskStatusReport,
} from "./daemon/state.js";
export { NETWORKDB_GOSSIP } from "./daemon/model.js";
export { endpointTable, gossipRunning, gossipedAddresses, syncContainerEndpoints, type EndpointEntry, type TaskEndpoints } from "./daemon/gossip.js";
export { nodeRows, serviceRows, serviceTasks, nodeOfHost, certificateRows, jobStatus, type NodeRow, type ServiceRow, type TaskRow, type CertRow } from "./views.js";
export { newRootCA, issueNodeCert, clusterTlsInfo, nodeTlsInfo, type TLSInfo, ROOT_CA_EXPIRY_US, NODE_CERT_EXPIRY_US, type CACert, type NodeCert } from "./certs.js";
export { PlacementChecker, globalOnePerNode, secretsGranted, runningCount, runningSlots, executorRunning } from "./check.js";
export {
  createSwarmCluster, SwarmCluster,
  type SwarmClusterOptions, type SwarmSimulation, type SwarmWorldState, type SwarmWorldAction,
} from "./cluster.js";
