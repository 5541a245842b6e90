// Networks, published ports and the container network model (issue #11). See README.md.
export {
  type Ip4, type Prefix4, parseIp4, parseIp6, isIpLiteral, isIp6Literal, formatIp4, parsePrefix4, formatPrefix4, isPrefixLiteral, masked,
  prefixContains, prefixesOverlap, firstAddr, lastAddr,
} from "./ip.js";
export {
  type Protocol, type PortMapping, type HostBinding, type PortCursors, type PortRequest, type BoundPort, type PortBindingMap,
  PortSpecError, PortAllocationError, EPHEMERAL_PORT_RANGE, NO_PORT_CURSORS, parsePortSpec, parsePublishFlag, parseExposeFlag, parsePortRange,
  parsePort, portKey, splitPortKey, allocateHostPort, bindContainerPorts, portBindingsOf, portAllocatedMessage, formatBoundPort,
} from "./ports.js";
export {
  type NetworkDriver, type IpamConfigEntry, type Network, type Endpoint, type Sandbox, type NetworkTable, PREDEFINED_NETWORKS, EMBEDDED_DNS,
  isPredefined,
} from "./types.js";
export { NetworkError, networkError, type NetworkErrorCode } from "./errors.js";
export {
  DEFAULT_ADDRESS_POOLS, DEFAULT_BRIDGE_OPTIONS, defaultPoolSubnets, defaultNetworkTable, findNetwork, tryFindNetwork, createNetwork,
  removeNetwork, pruneNetworks, nextPoolSubnet, endpointsOn, networkForMode, type CreateNetworkRequest,
} from "./table.js";
export {
  macFromIp, randomMac, isUserDefined, usedAddresses, allocateAddress, connectContainer, disconnectContainer, releaseSandbox, endpointsOf,
  hostBindings, publishPorts, gatewayEndpoint, endpointSettings, type ConnectRequest,
} from "./endpoints.js";
export { type Resolution, nameserverOf, resolveName } from "./dns.js";
export { type AttachmentRequest, attachmentsFor, checkAttachment, joinNetworks, leaveNetworks, clearSandboxes, renameEndpoints, connectNetwork, disconnectNetwork } from "./containers.js";
export { containerNetworkSettings } from "./settings.js";
export {
  type NetHost, type NetWorld, type Source, type Lookup, type Server, type Connection, LAN_DNS, lanAddress, endpointAddress, endpointPath,
  kernelEndpoints, internetAddress, lookupName, listenerOf, connect, netOwner,
} from "./traffic.js";
export { type HttpRequest, type HttpResponse, type ServerPlace, serveHttp, httpDate, NGINX_WELCOME } from "./http.js";
export { internetResponse, isWellKnownSite } from "./internet.js";
export { type Station, type ClientLoad, type LoadReport, clientLoads, serverLatency, roundsLogged, hashCounter, appOfContainer } from "./load.js";
export {
  type IptTable, type IptRule, type Packet, type Verdict, BUILTIN_CHAINS, DOCKER_CHAINS, policyOf, firewallRules, ruleSpec, formatIptablesS,
  formatIptablesSave, formatIptablesList, evaluate, ruleMatches, endpointByIp,
} from "./firewall.js";
export { type Peer, type Hop, type HopKind, type Outcome, type Reach, type ReachOptions, reachable } from "./reach.js";
export { inspectNetwork, listNetworks, filterNetworks, NETWORK_LIST_FILTERS, checkFilterFormat, networkPruneKeep } from "./inspect.js";
export {
  type OverlayNetwork, type OverlayPort, type OverlayService, type OverlayTask, type SwarmNetView, INGRESS_SBOX_IP, VXLAN_PORT,
  overlayLookup, overlayConnect, ingressConnect, ingressService, isSwarmTask,
} from "./overlay.js";
export {
  type KubeNetView, type KubePodNet, type KubeServiceNet, type KubeServicePortNet, type KubeBackend, type KubePolicyAnswer, CLUSTER_DOMAIN,
  kubeLookup, kubeConnect, nodePortConnect, isPodContainer, podOfContainer, svcChain, sepChain, statisticProbability,
} from "./kube.js";
