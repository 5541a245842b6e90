// inspect's NetworkSettings of a container, read from the network table: one entry per network it
// is configured for (moby EndpointSettings), filled in from its endpoint while it runs. The
// top-level address fields (IPAddress, Gateway, MacAddress, EndpointID) are the legacy ones moby
// fills only for a container on the default bridge; on a user-defined network they stay empty.
import type { Container } from "../containers/types.js";
import { endpointSettings, endpointsOf } from "./endpoints.js";
import { tryFindNetwork } from "./table.js";
import type { NetworkTable } from "./types.js";

const EMPTY_ENDPOINT = {
  MacAddress: "", DriverOpts: null, GwPriority: 0, NetworkID: "", EndpointID: "", Gateway: "", IPAddress: "", IPPrefixLen: 0, IPv6Gateway: "",
  GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0, DNSNames: null,
};

/** `docker inspect`'s .NetworkSettings (Ports as the caller computed them). */
export function containerNetworkSettings(table: NetworkTable | undefined, c: Container, ports: Record<string, unknown>): Record<string, unknown> {
  const sb = c.run !== null && table ? table.sandboxes.get(c.id) : undefined;
  const eps = sb && table ? endpointsOf(table, c.id) : [];
  const networks: Record<string, Record<string, unknown>> = {};
  // A sandbox on an overlay leaves through docker_gwbridge, a hidden gateway endpoint (libnetwork
  // sandbox setupDefaultGW) that inspect does not list.
  const onOverlay = table !== undefined && c.networks.some((a) => tryFindNetwork(table, a.network)?.driver === "overlay");
  for (const a of c.networks) {
    if (onOverlay && a.network === "docker_gwbridge") continue;
    const n = table ? tryFindNetwork(table, a.network) : undefined;
    const e = n ? eps.find((x) => x.networkId === n.id) : undefined;
    const ipam = a.ipv4Address !== "" ? { IPv4Address: a.ipv4Address } : null;
    const aliases = a.aliases.length > 0 ? [...a.aliases] : null;
    networks[a.network] = e && table
      ? { ...endpointSettings(table, e), IPAMConfig: ipam, Aliases: aliases }
      : { IPAMConfig: ipam, Links: null, Aliases: aliases, ...EMPTY_ENDPOINT, NetworkID: n?.id ?? "" };
  }
  const legacy = c.hostConfig.networkMode === "bridge" || c.hostConfig.networkMode === "default" ? networks["bridge"] : undefined;
  const field = (k: string, zero: unknown) => (legacy && legacy[k] !== undefined ? legacy[k] : zero);
  return {
    Bridge: "", SandboxID: sb?.id ?? "", SandboxKey: sb?.key ?? "", Ports: ports, HairpinMode: false, LinkLocalIPv6Address: "",
    LinkLocalIPv6PrefixLen: 0, SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, EndpointID: field("EndpointID", ""),
    Gateway: field("Gateway", ""), GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0, IPAddress: field("IPAddress", ""), IPPrefixLen: field("IPPrefixLen", 0),
    IPv6Gateway: "", MacAddress: field("MacAddress", ""), Networks: networks,
  };
}
