import { DrydockError } from "@drydock/kernel";

/**
 * The network daemon's errors, one table: a code and moby's text (the CLI prints "Error response
 * from daemon: " before it). Raised through `networkError`; callers decide by code, never by text.
 */
const TEXTS = {
  ENETNOTFOUND: (term: string) => `network ${term} not found`,
  ENETAMBIGUOUS: (term: string, n: number, how: string) => `network ${term} is ambiguous (${n} matches found ${how})`,
  ENETEXISTS: (name: string) => `network with name ${name} already exists`,
  ENETNAMEEMPTY: () => "invalid name: name is empty",
  EPREDEFINEDCREATE: (name: string) => `operation is not permitted on predefined ${name} network `,
  EPREDEFINEDREMOVE: (name: string) => `${name} is a pre-defined network and cannot be removed`,
  EACTIVEENDPOINTS: (name: string, endpoints: string) => `error while removing network: network ${name} has active endpoints (${endpoints})`,
  EINVALIDIPAM: (lines: string) => `invalid network config:\n${lines}`,
  EPOOLOVERLAP: () => "invalid pool request: Pool overlaps with other one on this address space",
  ENOMORESUBNETS: () => "all predefined address pools have been fully subnetted",
  ENOADDRESSES: (name: string, id: string) => `no available IPv4 addresses on this network's address pools: ${name} (${id})`,
  EADDRINUSE: () => "Address already in use",
  EADDRNOTINSUBNET: (ip: string) => `invalid address ${ip}: It does not belong to any of this network's subnets`,
  EIPNOTUSERNET: () => "user specified IP address is supported on user defined networks only",
  EIPNOSUBNET: () => "user specified IP address is supported only when connecting to networks with user configured subnets",
  EALIASNOTUSERNET: () => "network-scoped alias is supported only for containers in user defined networks",
  EDRIVERNOTFOUND: (driver: string) => `plugin "${driver}" not found`,
  ENOTSWARMMANAGER: () => `This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.`,
  EDRIVERNOTSIMULATED: (driver: string) => `drydock does not simulate the ${driver} network driver yet`,
  EALREADYCONNECTED: (container: string, network: string) => `endpoint with name ${container} already exists in network ${network}`,
  ENOTCONNECTED: (container: string, network: string) => `container ${container} is not connected to network ${network}`,
  ECONFLICTNONE: () => "container cannot be connected to multiple networks with one of the networks in private (none) mode",
  ECONFLICTHOST: () => "container cannot be disconnected from host network or connected to host network",
  EFILTER: (message: string) => message,
} as const;

export type NetworkErrorCode = keyof typeof TEXTS;

export class NetworkError extends DrydockError {
  constructor(readonly networkCode: NetworkErrorCode, message: string) {
    super(networkCode, message);
  }
}

export function networkError<C extends NetworkErrorCode>(code: C, ...args: Parameters<(typeof TEXTS)[C]>): NetworkError {
  const text = (TEXTS[code] as (...a: unknown[]) => string)(...args);
  return new NetworkError(code, text);
}
