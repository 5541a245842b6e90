// Joining a container to networks and leaving them: the calls the container engine makes when a
// container starts (`--network`, `--network-alias`, `--ip`, `-p`), on `docker network
// connect/disconnect`, and when it stops (its sandbox and ports go). Pure functions over an
// immutable NetworkTable; every failure is moby's error and leaves the table as it was.
import { CowMap } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import { addressIndex, noteScanned, type AddressIndex } from "./ipam-index.js";
import { networkError } from "./errors.js";
import { formatIp4, parseIp4, prefixContains, type Ip4 } from "./ip.js";
import { bindContainerPorts, type BoundPort, type HostBinding, type PortBindingMap } from "./ports.js";
import { endpointsOn, findNetwork, firstUsable, networkForMode } from "./table.js";
import { isPredefined, type Endpoint, type Network, type NetworkTable, type Sandbox } from "./types.js";

/**
 * GenerateMACFromIP: a locally administered unicast MAC, 02:42 and the IPv4 address
 * (172.17.0.2 → 02:42:ac:11:00:02). Docker before 26 gave bridge endpoints this MAC (the course's
 * era); Docker 26+ draws a random locally administered one (see randomMac).
 */
export function macFromIp(ip: Ip4): string {
  // By a table of two-digit hex bytes, not six toString/padStart and a join (every `docker run`).
  return `02:42:${HEX2[(ip >>> 24) & 255]}:${HEX2[(ip >>> 16) & 255]}:${HEX2[(ip >>> 8) & 255]}:${HEX2[ip & 255]}`;
}

/** Two lowercase hex digits of each byte value. */
const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** GenerateRandomMAC's shape (unicast, locally administered), drawn from a seed text so a replay gets the same one. */
export function randomMac(seed: string): string {
  const hex = sha256Digest(`mac\0${seed}`).slice(7, 19);
  const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** A user-defined network (not bridge, host or none): the kind with embedded DNS and aliases. */
export function isUserDefined(n: Network): boolean {
  return !isPredefined(n.name);
}

/** Addresses of a network in use: its gateway, its aux addresses and its endpoints'. */
export function usedAddresses(table: NetworkTable, n: Network): Set<Ip4> {
  const used = new Set<Ip4>(n.auxAddresses);
  if (n.gateway !== null) used.add(n.gateway);
  for (const e of endpointsOn(table, n.id)) if (e.ip !== null) used.add(e.ip);
  return used;
}

/**
 * IPAM's RequestAddress for an endpoint: the preferred address (`--ip`) if it is in the subnet and
 * free, else the first free address of the ip-range (or subnet) after the network address, the
 * gateway and those in use. Docker's errors when the pool is exhausted or the address is taken.
 */
export function allocateAddress(table: NetworkTable, n: Network, preferred?: string): Ip4 {
  if (n.subnet === null) throw networkError("ENOADDRESSES", n.name, n.id);
  // The same set as usedAddresses', from an index kept up to date per table (a scan per connect is quadratic).
  const index = addressIndex(table.endpoints, n);
  const used = new UsedAddresses(index, n);
  if (preferred !== undefined && preferred !== "") {
    const ip = parseIp4(preferred);
    if (ip === null || !prefixContains(n.subnet, ip)) throw networkError("EADDRNOTINSUBNET", preferred);
    if (used.has(ip)) throw networkError("EADDRINUSE");
    return ip;
  }
  const ip = firstUsable(n.subnet, n.ipRange ?? n.subnet, used, index.scanFrom);
  if (ip < 0) throw networkError("ENOADDRESSES", n.name, n.id);
  noteScanned(table.endpoints, n, ip);
  return ip;
}

/** The addresses IPAM may not give: the endpoints', the gateway, the aux addresses (a class: no closure per connect). */
class UsedAddresses {
  constructor(private readonly index: AddressIndex, private readonly n: Network) {}
  has(ip: Ip4): boolean {
    return this.index.used.has(ip) || ip === this.n.gateway || this.n.auxAddresses.includes(ip);
  }
}

/** A copy of one of the table's maps that shares its contents (forks are O(1); see CowMap). */
function own<K, V>(m: ReadonlyMap<K, V>): CowMap<K, V> {
  return m instanceof CowMap ? (m as CowMap<K, V>).fork() : new CowMap(m);
}

export interface ConnectRequest {
  readonly containerId: string;
  /** Without the leading "/". */
  readonly containerName: string;
  readonly hostname?: string;
  /** A network's name, ID or ID prefix; "default" is the bridge. */
  readonly network: string;
  /** `--network-alias` / `docker network connect --alias`. */
  readonly aliases?: readonly string[];
  /** `--ip`. */
  readonly ipv4Address?: string;
  /** The MAC rule: "ip" (02:42 + address, the course's Docker) or "random" (Docker 26+). Default "ip". */
  readonly mac?: "ip" | "random";
}

function sandboxOf(table: NetworkTable, containerId: string, hostname: string, host: boolean): Sandbox {
  const existing = table.sandboxes.get(containerId);
  if (existing) return existing;
  const id = sha256Digest(`sandbox\0${table.salt}\0${containerId}\0${table.seq}`).slice(7);
  return { containerId, id, key: host ? "/var/run/docker/netns/default" : `/var/run/docker/netns/${id.slice(0, 12)}`, hostname, endpoints: [], ports: [] };
}

/** The endpoints a container has, in the order it joined their networks. */
export function endpointsOf(table: NetworkTable, containerId: string): Endpoint[] {
  const sb = table.sandboxes.get(containerId);
  return sb ? sb.endpoints.map((id) => table.endpoints.get(id)!).filter(Boolean) : [];
}

/**
 * Connects a container's sandbox to a network (creating the sandbox on its first network): an
 * address from IPAM, a MAC, a veth pair (eth0, eth1… in the sandbox), the names the embedded DNS
 * answers (user-defined networks: the container's name, its aliases and its short ID).
 */
export function connectContainer(table: NetworkTable, req: ConnectRequest): { table: NetworkTable; endpoint: Endpoint } {
  const n = networkForMode(table, req.network);
  const current = endpointsOf(table, req.containerId);
  const nets = current.map((e) => table.networks.get(e.networkId)!).filter(Boolean);
  if (nets.some((x) => x.id === n.id)) throw networkError("EALREADYCONNECTED", req.containerName, n.name);
  if (current.length > 0 && (n.driver === "null" || nets.some((x) => x.driver === "null"))) throw networkError("ECONFLICTNONE");
  if (current.length > 0 && (n.driver === "host" || nets.some((x) => x.driver === "host"))) throw networkError("ECONFLICTHOST");
  const aliases = req.aliases ?? [];
  if (aliases.length > 0 && !isUserDefined(n)) throw networkError("EALIASNOTUSERNET");
  if (req.ipv4Address !== undefined && req.ipv4Address !== "") {
    if (!isUserDefined(n)) throw networkError("EIPNOTUSERNET");
    if (!n.ipamConfig.some((c) => c.subnet !== "")) throw networkError("EIPNOSUBNET");
  }
  // An overlay endpoint is a veth into the network's bridge too (drivers/overlay: br0 beside vxlan0); its address is the one the swarm allocated (--ip).
  const bridged = n.driver === "bridge" || n.driver === "overlay";
  const ip = bridged ? allocateAddress(table, n, req.ipv4Address) : null;
  const sb = sandboxOf(table, req.containerId, req.hostname ?? req.containerId.slice(0, 12), n.driver === "host");
  const id = sha256Digest(`endpoint\0${table.salt}\0${n.id}\0${req.containerId}\0${table.seq}`).slice(7);
  const bridgedBefore = current.filter((e) => e.ifName !== "").length;
  const endpoint: Endpoint = {
    id, networkId: n.id, containerId: req.containerId, name: req.containerName, ip,
    mac: ip === null ? "" : req.mac === "random" ? randomMac(id) : macFromIp(ip),
    aliases, dnsNames: isUserDefined(n) ? [...new Set([req.containerName, ...aliases, req.containerId.slice(0, 12)])] : [],
    ifName: bridged ? `eth${bridgedBefore}` : "", vethHost: bridged ? `veth${id.slice(12, 19)}` : "",
  };
  const endpoints = own(table.endpoints);
  endpoints.set(id, endpoint);
  const sandboxes = own(table.sandboxes);
  sandboxes.set(req.containerId, { ...sb, endpoints: [...sb.endpoints, id] });
  return { table: { ...table, endpoints, sandboxes, seq: table.seq + 1 }, endpoint };
}

/** Disconnects a container from one network; the sandbox stays (with its other endpoints). */
export function disconnectContainer(table: NetworkTable, containerId: string, network: string): NetworkTable {
  const n = findNetwork(table, network);
  const sb = table.sandboxes.get(containerId);
  const ep = endpointsOf(table, containerId).find((e) => e.networkId === n.id);
  if (!sb || !ep) throw networkError("ENOTCONNECTED", containerId, n.name);
  if (n.driver === "host") throw networkError("ECONFLICTHOST");
  const endpoints = own(table.endpoints);
  endpoints.delete(ep.id);
  const sandboxes = own(table.sandboxes);
  sandboxes.set(containerId, { ...sb, endpoints: sb.endpoints.filter((id) => id !== ep.id) });
  return { ...table, endpoints, sandboxes };
}

/** A container stops: its endpoints leave their networks, its addresses and host ports are free. */
export function releaseSandbox(table: NetworkTable, containerId: string): NetworkTable {
  const sb = table.sandboxes.get(containerId);
  if (!sb) return table;
  const endpoints = own(table.endpoints);
  for (const id of sb.endpoints) endpoints.delete(id);
  const sandboxes = own(table.sandboxes);
  sandboxes.delete(containerId);
  return { ...table, endpoints, sandboxes };
}

/** Every host port bound by a running container (what the allocator must not give twice). */
export function hostBindings(table: NetworkTable): HostBinding[] {
  const out: HostBinding[] = [];
  for (const sb of table.sandboxes.values()) for (const p of sb.ports) out.push({ hostIp: p.hostIp, hostPort: p.hostPort, protocol: p.protocol });
  return out;
}

/**
 * Binds a started container's published ports (`-p`, `-P` with its image's EXPOSE) on the host.
 * A port already bound by another container fails with Docker's "Bind for 0.0.0.0:8080 failed:
 * port is already allocated" (the container engine wraps it: "failed to set up container
 * networking: driver failed programming external connectivity on endpoint NAME (ID): …").
 * Containers on host or none publish nothing (Docker drops the bindings with a warning).
 */
export function publishPorts(
  table: NetworkTable, containerId: string,
  request: { readonly exposed: readonly string[]; readonly bindings: PortBindingMap; readonly publishAll: boolean },
): { table: NetworkTable; bound: BoundPort[] } {
  const sb = table.sandboxes.get(containerId);
  const gw = gatewayEndpoint(table, containerId);
  if (!sb || !gw) return { table, bound: [] };
  // Nothing to publish: skip gathering every sandbox's bindings (a scan of the host per start).
  if (!request.publishAll && Object.keys(request.bindings).length === 0) return { table, bound: [] };
  const { bound, cursors } = bindContainerPorts(hostBindings(table), table.portCursors, request);
  const sandboxes = own(table.sandboxes);
  sandboxes.set(containerId, { ...sb, ports: [...sb.ports, ...bound] });
  return { table: { ...table, sandboxes, portCursors: cursors }, bound };
}

/**
 * The endpoint that gives a container its default route and carries its published ports: the
 * first non-internal bridge network it joined (null on host, none, or only internal networks).
 */
export function gatewayEndpoint(table: NetworkTable, containerId: string): Endpoint | null {
  for (const e of endpointsOf(table, containerId)) {
    const n = table.networks.get(e.networkId);
    if (n && n.driver === "bridge" && !n.internal) return e;
  }
  return null;
}

/** inspect's NetworkSettings.Networks[name] for one endpoint (moby EndpointSettings). */
export function endpointSettings(table: NetworkTable, e: Endpoint): Record<string, unknown> {
  const n = table.networks.get(e.networkId)!;
  const bridged = e.ip !== null && n.subnet !== null;
  return {
    IPAMConfig: null, Links: null, Aliases: e.aliases.length > 0 ? [...e.aliases] : null, MacAddress: e.mac, DriverOpts: null, GwPriority: 0,
    NetworkID: n.id, EndpointID: e.id, Gateway: bridged && n.gateway !== null ? formatIp4(n.gateway) : "",
    IPAddress: bridged ? formatIp4(e.ip!) : "", IPPrefixLen: bridged ? n.subnet!.bits : 0, IPv6Gateway: "", GlobalIPv6Address: "",
    GlobalIPv6PrefixLen: 0, DNSNames: e.dnsNames.length > 0 ? [...e.dnsNames] : null,
  };
}
