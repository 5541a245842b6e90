/**
 * The cluster store's objects as plain data, after SwarmKit's api/objects.proto, specs.proto and
 * types.proto. Times are integer microseconds of virtual time; every object is an immutable
 * value (the store replaces it, never mutates it). Field names follow SwarmKit's, in camelCase.
 */

import type { CACert, NodeCert } from "./certs.js";

// ---- task states (api/types.proto: the numbers are SwarmKit's, so states compare as it does) --

/**
 * A task's state. "The state of a task is actually a lamport clock, in that given two
 * observations, the greater of the two can be considered correct" (types.proto): a status only
 * moves forward, and `desiredState` never moves back.
 */
export const TaskState = {
  NEW: 0,
  PENDING: 64,
  ASSIGNED: 192,
  ACCEPTED: 256,
  PREPARING: 320,
  READY: 384,
  STARTING: 448,
  RUNNING: 512,
  COMPLETE: 576,
  SHUTDOWN: 640,
  FAILED: 704,
  REJECTED: 768,
  REMOVE: 800,
  ORPHANED: 832,
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** The Engine API's names for task states (`docker service ps` capitalises them). */
export const TASK_STATE_NAMES: ReadonlyMap<TaskState, string> = new Map([
  [TaskState.NEW, "new"], [TaskState.PENDING, "pending"], [TaskState.ASSIGNED, "assigned"],
  [TaskState.ACCEPTED, "accepted"], [TaskState.PREPARING, "preparing"], [TaskState.READY, "ready"],
  [TaskState.STARTING, "starting"], [TaskState.RUNNING, "running"], [TaskState.COMPLETE, "complete"],
  [TaskState.SHUTDOWN, "shutdown"], [TaskState.FAILED, "failed"], [TaskState.REJECTED, "rejected"],
  [TaskState.REMOVE, "remove"], [TaskState.ORPHANED, "orphaned"],
]);

export function taskStateName(s: TaskState): string {
  return TASK_STATE_NAMES.get(s) ?? `unknown(${s})`;
}

// ---- shared pieces ---------------------------------------------------------------------

export type Labels = Readonly<Record<string, string>>;

export interface Resources {
  /** CPU in units of 1e-9 CPUs (Docker's NanoCPUs). */
  readonly nanoCPUs: number;
  readonly memoryBytes: number;
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
}

// ---- the cluster object ------------------------------------------------------------------

export interface JoinTokens {
  readonly worker: string;
  readonly manager: string;
}

export interface ClusterSpec {
  readonly name: string;
  /** Orchestration.TaskHistoryRetentionLimit (docker swarm init --task-history-limit, default 5). */
  readonly taskHistoryRetentionLimit: number;
  /** Dispatcher.HeartbeatPeriod (docker swarm init --dispatcher-heartbeat, default 5 s). */
  readonly heartbeatPeriodUs: number;
  /** CAConfig.NodeCertExpiry (default 90 days). */
  readonly nodeCertExpiryUs: number;
  /** EncryptionConfig.AutoLockManagers (docker swarm init --autolock). */
  readonly autoLockManagers: boolean;
  /** CAConfig.ForceRotate: bumped by every `docker swarm ca --rotate` (absent: 0). */
  readonly caForceRotate?: number;
  readonly snapshotInterval: number;
  readonly logEntriesForSlowFollowers: number;
}

export interface Cluster {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: ClusterSpec;
  /** The root CA as data: a digest stands for the certificate (it is what join tokens carry). */
  readonly rootCA: {
    readonly caCertHash: string;
    readonly joinTokens: JoinTokens;
    /** The root CA certificate as data (certs.ts); absent in stores made before certificates. */
    readonly cert?: CACert;
    /** A root rotation in progress (docker swarm ca --rotate): nodes are reissued certificates by `ca`. */
    readonly rotation?: { readonly ca: CACert } | null;
  };
  /**
   * The data encryption key the store's secrets are sealed with (NaCl secretbox, store/cipher.ts):
   * 32 bytes as hex, drawn from the seeded "swarm.keys" stream.
   */
  readonly dataKey: string;
  /**
   * The managers' unlock key while autolock is on ("SWMKEY-1-…", encryption.HumanReadableKey):
   * a restarted manager stays locked until it is given. "" (or absent) when autolock is off.
   */
  readonly unlockKey?: string;
}

// ---- nodes ---------------------------------------------------------------------------------

export type NodeRole = "worker" | "manager";
export type Availability = "active" | "pause" | "drain";
/** api.NodeStatus_State. */
export type NodeState = "unknown" | "down" | "ready" | "disconnected";
export type Reachability = "unknown" | "unreachable" | "reachable";

export interface NodeSpec {
  /** The role the node should have (docker node promote/demote set it; DesiredRole in SwarmKit). */
  readonly desiredRole: NodeRole;
  readonly availability: Availability;
  readonly labels: Labels;
}

export interface NodeDescription {
  readonly hostname: string;
  readonly platform: Platform;
  readonly resources: Resources;
  readonly engineLabels: Labels;
  readonly engineVersion: string;
}

export interface NodeStatus {
  readonly state: NodeState;
  readonly message: string;
  readonly addr: string;
}

/** A manager's raft membership (ManagerStatus without the live parts, which views compute). */
export interface ManagerInfo {
  readonly raftId: string;
  readonly addr: string;
}

export interface Node {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: NodeSpec;
  /** The role the node has now (the role manager moves it to spec.desiredRole). */
  readonly role: NodeRole;
  readonly description: NodeDescription;
  readonly status: NodeStatus;
  readonly manager: ManagerInfo | null;
  /** Its TLS certificate (certs.ts), and the serial of the root CA it trusts; absent before it is issued. */
  readonly certificate?: NodeCert;
  readonly trustRoot?: string;
}

// ---- service specs ---------------------------------------------------------------------------

export type RestartCondition = "none" | "on-failure" | "any";

export interface RestartPolicy {
  readonly condition: RestartCondition;
  readonly delayUs: number;
  /** 0: no limit. */
  readonly maxAttempts: number;
  /** 0: count every attempt since the spec changed. */
  readonly windowUs: number;
}

export interface PlacementPreference {
  /** "node.labels.zone" or "engine.labels.x": tasks spread evenly over this label's values. */
  readonly spread: string;
}

export interface Placement {
  readonly constraints: readonly string[];
  readonly preferences: readonly PlacementPreference[];
  /** 0: no limit (docker service create --replicas-max-per-node). */
  readonly maxReplicas: number;
  readonly platforms: readonly Platform[];
}

export interface ResourceRequirements {
  readonly limits: Resources;
  readonly reservations: Resources;
}

export interface FileReference {
  /** The file name under /run/secrets (secrets) or / (configs). */
  readonly target: string;
  readonly uid: string;
  readonly gid: string;
  readonly mode: number;
}

export interface SecretReference extends FileReference {
  readonly secretId: string;
  readonly secretName: string;
}

export interface ConfigReference extends FileReference {
  readonly configId: string;
  readonly configName: string;
}

export interface NetworkAttachmentConfig {
  /** A network id. */
  readonly target: string;
  readonly aliases: readonly string[];
}

export interface ContainerSpec {
  readonly image: string;
  /** The entrypoint (--entrypoint); empty: the image's. */
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly labels: Labels;
  readonly stopGracePeriodUs: number;
}

export interface TaskSpec {
  readonly container: ContainerSpec;
  readonly resources: ResourceRequirements;
  readonly restart: RestartPolicy;
  readonly placement: Placement;
  readonly networks: readonly NetworkAttachmentConfig[];
  readonly secrets: readonly SecretReference[];
  readonly configs: readonly ConfigReference[];
  /** A counter: `docker service update --force` bumps it so every task is replaced. */
  readonly forceUpdate: number;
}

export type Protocol = "tcp" | "udp" | "sctp";
export type PublishMode = "ingress" | "host";

export interface PortConfig {
  readonly name: string;
  readonly protocol: Protocol;
  readonly targetPort: number;
  /** 0 in a spec: the allocator picks one from 30000-32767 (ingress mode). */
  readonly publishedPort: number;
  readonly publishMode: PublishMode;
}

export type EndpointMode = "vip" | "dnsrr";

export interface EndpointSpec {
  readonly mode: EndpointMode;
  readonly ports: readonly PortConfig[];
}

/**
 * A service's mode (api/specs.proto). Jobs (ReplicatedJob, GlobalJob) run their tasks to COMPLETE
 * and do not restart what completed: a replicated job wants `totalCompletions` completed tasks,
 * at most `maxConcurrent` of them at once; a global job one completed task per eligible node.
 */
export type ServiceMode =
  | { readonly kind: "replicated"; readonly replicas: number }
  | { readonly kind: "global" }
  | { readonly kind: "replicated-job"; readonly maxConcurrent: number; readonly totalCompletions: number }
  | { readonly kind: "global-job" };

/** orchestrator.IsReplicatedJob / IsGlobalJob. */
export function isJob(mode: ServiceMode): boolean {
  return mode.kind === "replicated-job" || mode.kind === "global-job";
}

/** A task per node (global and global-job): its slot is its node. */
export function isGlobalMode(mode: ServiceMode): boolean {
  return mode.kind === "global" || mode.kind === "global-job";
}

export type FailureAction = "pause" | "continue" | "rollback";
export type UpdateOrder = "stop-first" | "start-first";

export interface UpdateConfig {
  /** Tasks updated at once; 0 updates all at once. */
  readonly parallelism: number;
  readonly delayUs: number;
  readonly failureAction: FailureAction;
  readonly monitorUs: number;
  readonly maxFailureRatio: number;
  readonly order: UpdateOrder;
}

export interface ServiceSpec {
  readonly name: string;
  readonly labels: Labels;
  readonly task: TaskSpec;
  readonly mode: ServiceMode;
  readonly update: UpdateConfig;
  readonly rollback: UpdateConfig;
  readonly endpoint: EndpointSpec;
}

// ---- services --------------------------------------------------------------------------------

/** UpdateStatus.State as the Engine API names it. */
export type UpdateState = "updating" | "paused" | "completed" | "rollback_started" | "rollback_paused" | "rollback_completed";

export interface UpdateStatus {
  readonly state: UpdateState;
  readonly startedAt: number;
  readonly completedAt: number | null;
  readonly message: string;
}

export interface VirtualIP {
  readonly networkId: string;
  /** CIDR notation, "10.0.0.2/24", as docker service inspect shows it. */
  readonly addr: string;
}

export interface Endpoint {
  readonly spec: EndpointSpec;
  /** The ports with the allocator's published ports filled in. */
  readonly ports: readonly PortConfig[];
  readonly virtualIPs: readonly VirtualIP[];
}

export interface Service {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: ServiceSpec;
  /** The store index at which the spec was last set (SwarmKit's SpecVersion). */
  readonly specVersion: number;
  readonly previousSpec: ServiceSpec | null;
  readonly previousSpecVersion: number | null;
  /** Set by the allocator (null until then). */
  readonly endpoint: Endpoint | null;
  readonly updateStatus: UpdateStatus | null;
}

// ---- tasks ---------------------------------------------------------------------------------

export interface TaskStatus {
  readonly state: TaskState;
  /** What led to the state ("scheduler assigned task to node", "started", ...). */
  readonly message: string;
  /** Set when the state is an error or the task cannot go on ("no suitable node (...)"). */
  readonly err: string;
  readonly timestamp: number;
  readonly containerId: string;
  readonly exitCode: number | null;
}

export interface NetworkAttachment {
  readonly networkId: string;
  readonly addresses: readonly string[];
}

export interface Task {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly serviceId: string;
  readonly serviceName: string;
  /** 1.. for a replicated service; 0 for a global one (its slot is its node). */
  readonly slot: number;
  /** "" until the scheduler assigns it (a global task is created with its node). */
  readonly nodeId: string;
  readonly spec: TaskSpec;
  readonly specVersion: number;
  readonly desiredState: TaskState;
  readonly status: TaskStatus;
  readonly networks: readonly NetworkAttachment[];
  readonly endpoint: Endpoint | null;
}

// ---- secrets, configs, networks ------------------------------------------------------------

export interface Secret {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: { readonly name: string; readonly labels: Labels };
  /** The data as a reader of the store sees it: a NACLSecretboxSalsa20Poly1305 record (store/cipher.ts). */
  readonly data: string;
}

export interface Config {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: { readonly name: string; readonly labels: Labels };
  /** Configs are not secret: docker config inspect shows the data. */
  readonly data: string;
}

export interface NetworkSpec {
  readonly name: string;
  readonly driver: string;
  readonly ingress: boolean;
  readonly attachable: boolean;
  readonly internal: boolean;
  readonly labels: Labels;
  /** "10.0.0.0/24". */
  readonly subnet: string;
  readonly gateway: string;
  /** Driver options (`--opt encrypted`); absent when none were given. */
  readonly options?: Labels;
}

export interface Network {
  readonly id: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: NetworkSpec;
}

// ---- the store -------------------------------------------------------------------------------

/** The cluster store: what every manager's raft log replays to. */
export interface Store {
  /** The last raft index applied (0 for an empty store). */
  readonly index: number;
  readonly cluster: Cluster | null;
  readonly nodes: ReadonlyMap<string, Node>;
  readonly services: ReadonlyMap<string, Service>;
  readonly tasks: ReadonlyMap<string, Task>;
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly configs: ReadonlyMap<string, Config>;
  readonly networks: ReadonlyMap<string, Network>;
}
