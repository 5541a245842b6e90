import { DrydockError } from "@drydock/kernel";

/**
 * Every error the swarm raises, in one table: a code and the daemon's text. The docker CLI prints
 * a daemon error as "Error response from daemon: " followed by the text, so the texts here stop
 * where the daemon's message stops (the playground adds the prefix). Where a text comes from is
 * named beside it; gRPC errors keep grpc-go's "rpc error: code = X desc = ..." wrapping, as
 * Docker shows them.
 */
const rpc = (code: string, desc: string) => `rpc error: code = ${code} desc = ${desc}`;

export const SWARM_ERRORS = {
  /** moby daemon/cluster/cluster.go errNoManager: the node is in no swarm. */
  NO_SWARM: () => 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
  /** moby errNoManager: a worker. */
  WORKER: () => "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.",
  /** moby errNoManager: a manager still starting or cut off from the cluster. */
  MANAGER_NOT_READY: () => "This node is not a swarm manager. Manager is being prepared or has trouble connecting to the cluster.",
  /** swarmkit manager/state/raft/raft.go lostQuorumMessage, through gRPC with code Unknown. */
  NO_LEADER: () => rpc("Unknown", "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online."),
  /** moby daemon/cluster errSwarmLocked: a manager of an autolocked swarm restarted and not unlocked. */
  LOCKED: () => 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.',
  /** moby notLockedError. */
  NOT_LOCKED: () => "swarm is not locked",
  /** swarmkit manager/encryption ParseHumanReadableKey. */
  BAD_KEY_FORMAT: () => "invalid key format",
  /** moby invalidUnlockKey. */
  BAD_UNLOCK_KEY: () => "swarm could not be unlocked: invalid key provided",
  /** moby errSwarmExists. */
  ALREADY_IN_SWARM: () => 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
  /** moby errNoSwarm. */
  NOT_IN_SWARM: () => "This node is not part of a swarm",
  /** swarmkit ca/server.go: a join with a token the cluster does not have. */
  BAD_TOKEN: () => rpc("InvalidArgument", "A valid join token is necessary to join this cluster"),
  /** moby daemon/cluster/swarm.go Join: no manager answered at the address. */
  JOIN_TIMEOUT: () => 'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.',
  /** moby Leave on a manager without --force (the message depends on the managers left). */
  LEAVE_MANAGER: (detail: string) =>
    `You are attempting to leave the swarm on a node that is participating as a manager. ${detail}`,
  /** swarmkit store.ErrNameConflict through controlapi CreateService. */
  SERVICE_EXISTS: (name: string) => rpc("AlreadyExists", `name conflicts with an existing object: service ${name} already exists`),
  /** moby daemon/cluster/helpers.go getService. */
  NO_SUCH_SERVICE: (name: string) => `service ${name} not found`,
  /** moby getNode. */
  NO_SUCH_NODE: (name: string) => `node ${name} not found`,
  /** moby getSecret. */
  NO_SUCH_SECRET: (name: string) => `secret ${name} not found`,
  /** controlapi secret.go CreateSecret. */
  SECRET_EXISTS: (name: string) => rpc("AlreadyExists", `secret ${name} already exists`),
  /** controlapi secret.go RemoveSecret. */
  SECRET_IN_USE: (name: string, services: readonly string[]) =>
    rpc("InvalidArgument", `secret '${name}' is in use by the following service${services.length > 1 ? "s" : ""}: ${services.join(", ")}`),
  /** controlapi service.go checkSecretExistence. */
  SECRET_NOT_FOUND: (names: readonly string[]) => rpc("InvalidArgument", `secret${names.length > 1 ? "s" : ""} not found: ${names.join(", ")}`),
  /** moby getConfig; controlapi config.go CreateConfig / RemoveConfig / validateConfigSpec. */
  NO_SUCH_CONFIG: (name: string) => `config ${name} not found`,
  CONFIG_EXISTS: (name: string) => rpc("AlreadyExists", `config ${name} already exists`),
  CONFIG_IN_USE: (name: string, services: readonly string[]) =>
    rpc("InvalidArgument", `config '${name}' is in use by the following service${services.length > 1 ? "s" : ""}: ${services.join(", ")}`),
  CONFIG_DATA: () => rpc("InvalidArgument", "config data must be larger than 0 and less than 1024000 bytes"),
  /** controlapi service.go checkConfigExistence. */
  CONFIG_NOT_FOUND: (names: readonly string[]) => rpc("InvalidArgument", `config${names.length > 1 ? "s" : ""} not found: ${names.join(", ")}`),
  /** controlapi network.go / moby: a network name the swarm does not know. */
  NO_SUCH_NETWORK: (name: string) => `network ${name} not found`,
  NETWORK_EXISTS: (name: string) => rpc("AlreadyExists", `network with name ${name} already exists`),
  /**
   * A standalone container on a swarm network not created --attachable (the ingress network
   * among them): swarmkit allocator/network.go AttachNetwork's PermissionDenied, wrapped by moby
   * daemon/cluster/networks.go AttachNetwork.
   */
  NOT_ATTACHABLE: (name: string) => `Could not attach to network ${name}: ${rpc("PermissionDenied", `network ${name} not manually attachable`)}`,
  NETWORK_IN_USE: (id: string, service: string) => rpc("FailedPrecondition", `network ${id} is in use by service ${service}`),
  /** controlapi node.go UpdateNode. */
  DEMOTE_LAST: () => rpc("FailedPrecondition", "attempting to demote the last manager of the swarm"),
  DEMOTE_QUORUM: () => rpc("FailedPrecondition", "can't remove member from the raft: this would result in a loss of quorum"),
  /** controlapi node.go RemoveNode. */
  REMOVE_MANAGER: (id: string) => rpc("FailedPrecondition", `node ${id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`),
  REMOVE_NOT_DOWN: (id: string) => rpc("FailedPrecondition", `node ${id} is not down and can't be removed`),
  /** controlapi service.go UpdateService with Rollback = PREVIOUS. */
  NO_PREVIOUS_SPEC: (id: string) => rpc("FailedPrecondition", `service ${id} does not have a previous spec`),
  /** controlapi errModeChangeNotAllowed. */
  MODE_CHANGE: () => rpc("Unimplemented", "service mode change is not allowed"),
  /** controlapi errRenameNotSupported. */
  RENAME: () => rpc("Unimplemented", "renaming services is not supported"),
  /** A spec controlapi refuses (validateServiceSpec and friends): the text is theirs. */
  INVALID_SPEC: (text: string) => rpc("InvalidArgument", text),
  /** docker/cli cli/command/service/scale.go. */
  SCALE_GLOBAL: (name: string) => `scale can only be used with replicated or replicated-job mode (service ${name})`,
  /** moby api/types/filters Validate: a filter key the list does not take. */
  INVALID_FILTER: (key: string) => `invalid filter '${key}'`,
  /** The daemon of the host the command runs on is down (the docker CLI's connection error). */
  DAEMON_DOWN: () => "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
  /** drydock's own: an action names a host the world does not have. */
  NO_SUCH_HOST: (host: string) => `no such host "${host}"`,
  /** drydock's own: an action that is not one of the swarm's. */
  BAD_ACTION: (what: string) => `unknown swarm action "${what}"`,
} as const;

export type SwarmErrorCode = keyof typeof SWARM_ERRORS;

/** A swarm error: `swarmCode` is a key of SWARM_ERRORS, the message its text. */
export class SwarmError extends DrydockError {
  constructor(readonly swarmCode: SwarmErrorCode, message: string) {
    super(`ESWARM_${swarmCode}`, message);
  }
}

/** Throws the table's error `code` with its text. */
export function swarmFail<C extends SwarmErrorCode>(code: C, ...args: Parameters<(typeof SWARM_ERRORS)[C]>): never {
  const text = (SWARM_ERRORS[code] as (...a: unknown[]) => string)(...args);
  throw new SwarmError(code, text);
}

export function isSwarmError(e: unknown): e is SwarmError {
  return e instanceof SwarmError;
}
