// Name resolution inside containers. On a user-defined network Docker's embedded DNS server
// (127.0.0.11 in the container's /etc/resolv.conf) answers the names of the containers on the
// networks the asker shares with them: their names, `--network-alias`es and short IDs, several
// addresses for one alias (DNS round robin across a scaled compose service). On the default
// bridge there is no embedded DNS: the container uses the host's resolvers, which know no
// container names (only the legacy `--link` wrote them into /etc/hosts).
import { formatIp4 } from "./ip.js";
import { endpointsOf, isUserDefined } from "./endpoints.js";
import { EMBEDDED_DNS, type NetworkTable } from "./types.js";

export interface Resolution {
  /** The addresses answered (empty: NXDOMAIN). */
  readonly addresses: readonly string[];
  /** The server asked: "127.0.0.11" (embedded) or "host" (the host's resolv.conf). */
  readonly server: string;
  /** The network whose records answered (a name), or "". */
  readonly network: string;
  /** Why it answered or did not, in words for the trace and the visualiser. */
  readonly reason: string;
}

/** The resolv.conf nameserver a container sees: 127.0.0.11 when it is on a user-defined network. */
export function nameserverOf(table: NetworkTable, containerId: string): string {
  for (const e of endpointsOf(table, containerId)) {
    const n = table.networks.get(e.networkId);
    if (n && isUserDefined(n)) return EMBEDDED_DNS;
  }
  return "host";
}

/**
 * What a lookup of `name` from a container answers. Names compare case-insensitively (DNS);
 * the container's own networks are searched in the order it joined them, and the first network
 * with records for the name answers with all of them.
 */
export function resolveName(table: NetworkTable, containerId: string, name: string): Resolution {
  const server = nameserverOf(table, containerId);
  const wanted = name.toLowerCase().replace(/\.$/, "");
  if (server !== EMBEDDED_DNS) {
    return { addresses: [], server, network: "", reason: "the default bridge has no embedded DNS: the host's resolvers do not know container names" };
  }
  for (const mine of endpointsOf(table, containerId)) {
    const n = table.networks.get(mine.networkId);
    if (!n || !isUserDefined(n)) continue;
    const ips: string[] = [];
    for (const e of table.endpoints.values()) {
      if (e.networkId !== n.id || e.ip === null) continue;
      if (e.dnsNames.some((d) => d.toLowerCase() === wanted)) ips.push(formatIp4(e.ip));
    }
    if (ips.length > 0) return { addresses: ips, server, network: n.name, reason: `embedded DNS: ${name} on network ${n.name}` };
  }
  return { addresses: [], server, network: "", reason: `embedded DNS: no container named ${name} on this container's networks; forwarded to the host's resolvers, which do not know it` };
}
