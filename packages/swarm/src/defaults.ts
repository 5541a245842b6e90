import type { ClusterSpec, ContainerSpec, Placement, ResourceRequirements, RestartPolicy, UpdateConfig } from "./types.js";

/**
 * SwarmKit's and Docker's defaults, each with where it comes from. Times are microseconds.
 */

const S = 1_000_000;

/** api/defaults/service.go: Update and Rollback (parallelism 1, pause, monitor 5 s, stop-first). */
export const DEFAULT_UPDATE_CONFIG: UpdateConfig = {
  parallelism: 1,
  delayUs: 0,
  failureAction: "pause",
  monitorUs: 5 * S,
  maxFailureRatio: 0,
  order: "stop-first",
};
export const DEFAULT_ROLLBACK_CONFIG: UpdateConfig = DEFAULT_UPDATE_CONFIG;

/** api/defaults/service.go: Restart{Condition: any, Delay: 5s}, no attempt limit, no window. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { condition: "any", delayUs: 5 * S, maxAttempts: 0, windowUs: 0 };

export const NO_RESOURCES: ResourceRequirements = {
  limits: { nanoCPUs: 0, memoryBytes: 0 },
  reservations: { nanoCPUs: 0, memoryBytes: 0 },
};

export const NO_PLACEMENT: Placement = { constraints: [], preferences: [], maxReplicas: 0, platforms: [] };

/** api/defaults/service.go: ContainerSpec.StopGracePeriod 10 s. */
export const DEFAULT_CONTAINER: Omit<ContainerSpec, "image"> = {
  command: [],
  args: [],
  env: [],
  labels: {},
  stopGracePeriodUs: 10 * S,
};

/** docker swarm init's defaults (docker/cli opts.go, swarmkit ca and raft defaults). */
export const DEFAULT_CLUSTER_SPEC: ClusterSpec = {
  name: "default",
  taskHistoryRetentionLimit: 5,
  heartbeatPeriodUs: 5 * S,
  nodeCertExpiryUs: 90 * 24 * 3600 * S,
  autoLockManagers: false,
  snapshotInterval: 10_000,
  logEntriesForSlowFollowers: 500,
};

/** manager/dispatcher/dispatcher.go. */
export const DISPATCHER = {
  /** DefaultHeartBeatPeriod. */
  heartbeatPeriodUs: 5 * S,
  /** defaultHeartBeatEpsilon: each period is chosen uniformly in period ± epsilon (period.go). */
  heartbeatEpsilonUs: 500_000,
  /** defaultGracePeriodMultiplier: a node is down after period × 3 without a heartbeat. */
  gracePeriodMultiplier: 3,
  /** nodes.go: a node the new leader finds is "unknown" for twice as long. */
  gracePeriodMultiplierUnknown: 6,
} as const;

/** agent/session.go, agent/agent.go: how long an agent waits for its dispatcher to answer. */
export const AGENT = {
  /** dispatcherRPCTimeout. */
  rpcTimeoutUs: 5 * S,
  /** A registration that is not answered is retried after this (agent backoff, first step). */
  registerRetryUs: 1 * S,
} as const;

/** manager/orchestrator/restart/restart.go: a replacement waits at most this for the old task to stop. */
export const OLD_TASK_TIMEOUT_US = 60 * S;

/** manager/scheduler/scheduler.go: a node with this many failures of a service in the window is tried last. */
export const SCHEDULER = {
  commitDebounceGapUs: 50_000,
  maxLatencyUs: 1 * S,
  monitorFailuresUs: 5 * 60 * S,
  maxFailures: 5,
} as const;

/**
 * manager/state/raft/raft.go DefaultNodeConfig: TickInterval 1 s, HeartbeatTick 1, ElectionTick
 * 10, CheckQuorum on; etcd's raft draws each election timeout from [ElectionTick, 2 × ElectionTick).
 */
export const RAFT = {
  tickUs: 1 * S,
  heartbeatUs: 1 * S,
  electionTimeoutMinUs: 10 * S,
  electionTimeoutMaxUs: 20 * S - 1,
  checkQuorum: true,
  /** lostQuorumTimeout: ticks with no leader before requests fail with the quorum error. */
  lostQuorumTicks: 10,
  /** Compact the log every this many applied entries, keeping this many for slow followers. */
  snapshotEvery: 1000,
  keepEntries: 500,
} as const;

/** The ingress network docker swarm init creates (libnetwork: 10.0.0.0/24, gateway 10.0.0.1). */
export const INGRESS = { name: "ingress", subnet: "10.0.0.0/24", gateway: "10.0.0.1" } as const;

/** manager/allocator/portallocator.go: dynamic published ports. */
export const DYNAMIC_PORTS = { start: 30000, end: 32767 } as const;

/** The default address pool for overlays (docker swarm init --default-addr-pool 10.0.0.0/8, /24 each). */
export const OVERLAY_POOL = { firstOctet: 10, subnetBits: 24 } as const;
