// @drydock/kube: Kubernetes on drydock's kernel — label selectors, the deployment controller's
// fenceposts, typed objects and manifests, the API server's store, the controllers and scheduler,
// network policies, kubectl's rows, and a cluster on the kernel with fake kubelets.
export { KUBE_ERRORS, KubeError, kubeFail, isKubeError, type KubeErrorCode } from "./errors.js";

// Labels and selectors (apimachinery).
export {
  parseSelector, selectorFromSet, selectorOf, labelSelectorAsSelector, newRequirement, requirementMatches, requirementText, EVERYTHING,
  type Selector, type Requirement, type Operator, type Labels, type LabelSelector, type LabelSelectorRequirement,
} from "./labels/selector.js";
export { isLabelKey, isLabelValue, isDNS1123Label, isDNS1123Subdomain } from "./labels/validation.js";
export { resolveFenceposts, scaledValue, type IntOrString } from "./apps/fenceposts.js";

// Objects and manifests.
export * from "./api/types.js";
export { loadManifests, parseYamlDocuments, validateDocument, type ManifestDocument, type JsonDocument, type Json } from "./api/manifest.js";
export { DEFINITIONS, KIND_DEFINITION, type Definition, type FieldType } from "./api/schema.js";

// The API server's store.
export {
  KubeStore, WATCH_HISTORY_MAX, SERVICE_CIDR, NODE_PORT_RANGE, objectKey,
  type StoreReader, type WatchEvent, type WatchEventType, type WriteOptions,
} from "./store/store.js";

// Controllers and the scheduler: pure functions from the store to writes.
export { applyWrites, controllerOf, isPodActive, isPodReady, isPodAvailable, type Write, type ApplyResult } from "./controllers/writes.js";
export { syncReplicaSets, syncReplicaSet, BURST_REPLICAS } from "./controllers/replicaset.js";
export {
  syncDeployments, syncDeployment, templateHash, findNewReplicaSet, replicaSetsOf, rolloutHistory, maxSurge, maxUnavailable, revisionOf,
  REVISION_ANNOTATION, CHANGE_CAUSE_ANNOTATION, POD_TEMPLATE_HASH,
} from "./controllers/deployment.js";
export { schedulePods, buildNodeInfos, feasibleNodesToFind, tolerates, unfit, score, type NodeInfo, type SchedulerState, type ScheduleEnv } from "./controllers/scheduler.js";
export { syncEndpointSlices, desiredEndpoints, SERVICE_NAME_LABEL } from "./controllers/endpointslice.js";
export {
  syncNodeLifecycle, syncTaintEviction, syncGarbage, syncNamespaces, evictAt, DEFAULT_LIFECYCLE, UNREACHABLE_TAINT, NOT_READY_TAINT, type LifecycleOptions,
} from "./controllers/lifecycle.js";
export { reconcile, PASSES_MAX, type ReconcileEnv, type ReconcileResult } from "./controllers/manager.js";
export { quantity, milliCpu, bytes } from "./controllers/resources.js";
export { recordEvent, eventsFor, involvedOf, type EventSpec } from "./controllers/events.js";
export { syncJobs, syncJob, JOB_NAME_LABEL, CONTROLLER_UID_LABEL } from "./controllers/job.js";
export { syncCronJobs, syncCronJob, cronJobName, mostRecentSchedule, nextSchedule, CRONJOB_SCHEDULED_ANNOTATION } from "./controllers/cronjob.js";
export { etcdLeader, etcdKey, ETCD_RAFT, type Etcd, type EtcdMember, type EtcdTxn, type EtcdWrite, type KeySpace } from "./cluster/etcd.js";
export { parseCron, nextActivation, CronError, VIRTUAL_EPOCH_UNIX_SECONDS, type CronSchedule } from "./controllers/cron.js";
export { syncDaemonSets, syncDaemonSet, shouldRun, DAEMON_TOLERATIONS } from "./controllers/daemonset.js";
export { syncStatefulSets, syncStatefulSet, POD_NAME_LABEL, POD_INDEX_LABEL } from "./controllers/statefulset.js";

// Network policies.
export { policyVerdict, policiesSelecting, policyTypes, inCidr, type Peer, type Verdict } from "./network/policy.js";

// What kubectl prints.
export {
  humanDuration, podStatus, podRow, deploymentRow, replicaSetRow, serviceRow, nodeRow, rolloutStatus, KUBELET_VERSION,
  eventRow, describeEvents, byLastSeen, EVENT_COLUMNS, jobRow, JOB_COLUMNS, cronJobRow, CRONJOB_COLUMNS, daemonSetRow, DAEMONSET_COLUMNS, statefulSetRow, STATEFULSET_COLUMNS,
  POD_COLUMNS, POD_WIDE_COLUMNS, DEPLOYMENT_COLUMNS, REPLICASET_COLUMNS, SERVICE_COLUMNS, NODE_COLUMNS,
} from "./views.js";

// The cluster on the kernel.
export { runCommand, KUBE_COMMAND_TYPES, type KubeCommand } from "./cluster/commands.js";
export { KUBELET_TIMING, scriptEnd, containersExited, imagePullFailed, fakeProbe, probeDefaults, type KubeletEvent, type KubeletContainer, type KubeletPod, type Prober, type ContainerExit, type PodAssignment, type PodReport, type ContainerReport, type KubeletState } from "./cluster/kubelet.js";
export { kubeModel, NODE_STATUS_PERIOD_US, CONTROL_TICK_US, type KubeContext, type KubeModel, type KubeWorldState, type KubeMessage, type KubeModelOptions } from "./cluster/model.js";
export { createKubeCluster, KubeCluster, type KubeClusterOptions, type KubeSimulation } from "./cluster/cluster.js";

export { encodeText as base64Encode, decodeText as base64Decode, base64ErrorAt } from "./util/base64.js";
