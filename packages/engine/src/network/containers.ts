// The container engine's side of networking, in one place: what a container asks for when it is
// created (its `--network`, `--network-alias`, `--ip`, or compose's networks), what it joins when
// it starts and leaves when it stops, and what a crash or a rename does to its endpoints. The
// daemon (../containers/daemon.ts) calls these; every address and host port comes from the
// network table (EngineState.networks), never from anywhere else.
import { CowMap, DrydockError } from "@drydock/kernel";
import type { Container, NetworkAttachment } from "../containers/types.js";
import { NetworkError, networkError } from "./errors.js";
import { formatIp4 } from "./ip.js";
import { connectContainer, disconnectContainer, endpointsOf, isUserDefined, releaseSandbox } from "./endpoints.js";
import { findNetwork } from "./table.js";
import type { Endpoint, Network, NetworkTable } from "./types.js";

/** A network's requested settings, as the API's EndpointsConfig carries them. */
export interface AttachmentRequest {
  readonly network: string;
  readonly aliases?: readonly string[];
  readonly ipv4Address?: string;
}

/** moby verifyNetworkingConfig's checks for one network: aliases and --ip need a user-defined network. */
export function checkAttachment(n: Network, aliases: readonly string[], ipv4Address: string): void {
  if (aliases.length > 0 && !isUserDefined(n)) throw networkError("EALIASNOTUSERNET");
  if (ipv4Address !== "") {
    if (!isUserDefined(n)) throw networkError("EIPNOTUSERNET");
    if (!n.ipamConfig.some((c) => c.subnet !== "")) throw networkError("EIPNOSUBNET");
  }
}

/**
 * The networks a new container will join (POST /containers/create): each must exist ("network
 * foo not found"); `--network container:X` joins none of its own. Names are stored as the
 * network's name ("default" is the bridge).
 */
export function attachmentsFor(table: NetworkTable, mode: string, requested: readonly AttachmentRequest[]): NetworkAttachment[] {
  if (mode.startsWith("container:")) return [];
  const out: NetworkAttachment[] = [];
  for (const r of requested) {
    const n = findNetwork(table, r.network === "default" || r.network === "" ? "bridge" : r.network);
    const aliases = [...new Set(r.aliases ?? [])];
    checkAttachment(n, aliases, r.ipv4Address ?? "");
    if (out.some((a) => a.network === n.name)) continue;
    out.push({ network: n.name, aliases, ipv4Address: r.ipv4Address ?? "" });
  }
  if (out.length > 1 && out.some((a) => a.network === "host" || a.network === "none")) {
    throw networkError(out.some((a) => a.network === "none") ? "ECONFLICTNONE" : "ECONFLICTHOST");
  }
  return out;
}

/**
 * A starting container joins every network it is configured for, in order. Returns the table
 * with its sandbox and endpoints, its first address ("" when it has none) and whether its
 * resolver is the embedded DNS server. A failure is the daemon's start error, table unchanged.
 */
export function joinNetworks(table: NetworkTable, c: Container): { table: NetworkTable; ip: string; embeddedDns: boolean } {
  let t = releaseSandbox(table, c.id);
  let ip = "";
  let embeddedDns = false;
  try {
    for (const a of c.networks) {
      const r = connectContainer(t, {
        containerId: c.id, containerName: c.name, hostname: c.config.hostname, network: a.network, aliases: a.aliases,
        ...(a.ipv4Address !== "" ? { ipv4Address: a.ipv4Address } : {}),
      });
      t = r.table;
      if (ip === "" && r.endpoint.ip !== null) ip = formatIp4(r.endpoint.ip);
      const n = t.networks.get(r.endpoint.networkId);
      // Every user-defined network's sandbox uses the embedded DNS server, an attachable overlay's too (Docker docs, "Embedded DNS server in user-defined networks").
      if (n && isUserDefined(n) && (n.driver === "bridge" || n.driver === "overlay")) embeddedDns = true;
    }
  } catch (e) {
    if (e instanceof NetworkError) throw new DrydockError("ESTART", `failed to set up container networking: ${e.message}`);
    throw e;
  }
  return { table: t, ip, embeddedDns };
}

/** A container stopped: its endpoints, addresses and host ports are free. */
export function leaveNetworks(table: NetworkTable, containerId: string): NetworkTable {
  return releaseSandbox(table, containerId);
}

/** The host went down: no sandbox survives (the containers' configurations do, on disk). */
export function clearSandboxes(table: NetworkTable): NetworkTable {
  if (table.sandboxes.size === 0 && table.endpoints.size === 0) return table;
  return { ...table, endpoints: new Map(), sandboxes: new Map() };
}

/** `docker rename`: the endpoints carry the new name, and the embedded DNS answers to it. */
export function renameEndpoints(table: NetworkTable, containerId: string, oldName: string, newName: string): NetworkTable {
  const mine = endpointsOf(table, containerId);
  if (mine.length === 0) return table;
  const endpoints = table.endpoints instanceof CowMap ? (table.endpoints as CowMap<string, Endpoint>).fork() : new CowMap(table.endpoints);
  for (const e of mine) {
    endpoints.set(e.id, { ...e, name: newName, dnsNames: e.dnsNames.map((d) => (d === oldName ? newName : d)) });
  }
  return { ...table, endpoints };
}

/**
 * `docker network connect` (moby ConnectToNetwork): the network joins the container's
 * configuration, and a running container gets its endpoint now. Returns the attachments and the
 * table (unchanged for a stopped container); moby's errors otherwise.
 */
export function connectNetwork(
  table: NetworkTable, c: Container, req: AttachmentRequest,
): { table: NetworkTable; networks: NetworkAttachment[]; network: Network; ip: string | null } {
  if (c.hostConfig.networkMode.startsWith("container:")) throw new DrydockError("ECONFLICT", "container sharing network namespace with another container or host cannot be connected to any other network");
  const n = findNetwork(table, req.network);
  const aliases = [...new Set(req.aliases ?? [])];
  checkAttachment(n, aliases, req.ipv4Address ?? "");
  if (c.networks.some((a) => a.network === n.name)) throw networkError("EALREADYCONNECTED", c.name, n.name);
  const modes = c.networks.map((a) => a.network);
  if (modes.includes("none") || n.name === "none") throw networkError("ECONFLICTNONE");
  if (modes.includes("host") || n.name === "host") throw networkError("ECONFLICTHOST");
  const attachment: NetworkAttachment = { network: n.name, aliases, ipv4Address: req.ipv4Address ?? "" };
  const networks = [...c.networks, attachment];
  if (c.run === null || !table.sandboxes.has(c.id)) return { table, networks, network: n, ip: null };
  const r = connectContainer(table, {
    containerId: c.id, containerName: c.name, hostname: c.config.hostname, network: n.id, aliases,
    ...(attachment.ipv4Address !== "" ? { ipv4Address: attachment.ipv4Address } : {}),
  });
  return { table: r.table, networks, network: n, ip: r.endpoint.ip === null ? null : formatIp4(r.endpoint.ip) };
}

/** `docker network disconnect` (moby DisconnectFromNetwork): out of the configuration, and a running container's endpoint goes. */
export function disconnectNetwork(table: NetworkTable, c: Container, network: string): { table: NetworkTable; networks: NetworkAttachment[]; network: Network } {
  const n = findNetwork(table, network);
  if (c.hostConfig.networkMode.startsWith("container:")) throw new DrydockError("ECONFLICT", "container sharing network namespace with another container or host cannot be connected to any other network");
  if (!c.networks.some((a) => a.network === n.name)) throw networkError("ENOTCONNECTED", c.id, n.name);
  if (n.name === "host") throw networkError("ECONFLICTHOST");
  const networks = c.networks.filter((a) => a.network !== n.name);
  const live = c.run !== null && endpointsOf(table, c.id).some((e) => e.networkId === n.id);
  return { table: live ? disconnectContainer(table, c.id, n.id) : table, networks, network: n };
}
