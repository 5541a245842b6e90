// A task container's swarm networks as its engine holds them, as moby's cluster executor makes
// them (daemon/cluster/executor/container): the node's libnetwork gets a local copy of each
// swarm network a task uses (adapter.createNetworks; removed again once no container uses it),
// the container is created on the first and connected to the others (container.go
// createNetworkingConfig, controller.go), each endpoint with the address the allocator gave the
// task (getEndpointConfig: IPAMConfig.IPv4Address). The overlay driver gives the endpoint no
// gateway: the sandbox's default route is a hidden endpoint on docker_gwbridge (libnetwork
// sandbox setupDefaultGW), which `docker inspect` does not list. Here the container is
// configured for docker_gwbridge too, so the engine joins it at the start with the rest (its
// first process can reach the outside); the engine joins an overlay without an address (its
// IPAM is the swarm's), so `joinOverlays` fills in the swarm's after the start and hides
// docker_gwbridge from the configuration again.
import { CowMap } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import {
  createNetwork, endpointsOf, macFromIp, parseIp4, parsePrefix4,
  type EngineState, type Endpoint, type Network, type NetworkTable,
} from "@drydock/engine";
import type { Network as SwarmNetwork, Task } from "@drydock/swarm";

/** The swarm's networks by ID, as the node knows them (world/swarm.ts hands them to the executor). */
export type SwarmNetworks = ReadonlyMap<string, SwarmNetwork>;

/** One of a task's attachments: the swarm network and the task's address on it ("10.0.1.3/24"). */
export interface TaskAttachment {
  readonly network: SwarmNetwork;
  readonly address: string;
}

/** The task's attachments the node can make (networks it knows, with an address), in the allocator's order (ingress first). */
export function taskAttachments(task: Task, networks: SwarmNetworks | undefined): TaskAttachment[] {
  if (!networks) return [];
  const out: TaskAttachment[] = [];
  for (const a of task.networks) {
    const n = networks.get(a.networkId);
    if (n && a.addresses.length > 0) out.push({ network: n, address: a.addresses[0]! });
  }
  return out;
}

/** VNIs as the data path numbers them (world/ingress.ts overlayView): ingress 4096, then one per network by age. */
export function vxlanId(networks: SwarmNetworks, id: string): number {
  const byAge = [...networks.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  let vni = 4097;
  for (const n of byAge) {
    if (n.spec.ingress) {
      if (n.id === id) return 4096;
      continue;
    }
    if (n.id === id) return vni;
    vni++;
  }
  return 4096;
}

/** A swarm network as the engine's table holds it (driver overlay, scope swarm, the swarm's ID and IPAM). */
export function overlayNetwork(n: SwarmNetwork, networks: SwarmNetworks, local = true): Network {
  return {
    id: n.id, name: n.spec.name, driver: "overlay", scope: "swarm", created: n.createdAt, internal: n.spec.internal, attachable: n.spec.attachable,
    ingress: n.spec.ingress, enableIPv4: true, enableIPv6: false, configOnly: false, configFrom: "", ipamDriver: "default", ipamOptions: null,
    ipamConfig: [{ subnet: n.spec.subnet, ipRange: "", gateway: n.spec.gateway, auxAddresses: {} }],
    // The engine's copy has no gateway: the overlay driver sets none on its endpoints (inspect's
    // Gateway is ""); the IPAM configuration keeps the network's.
    subnet: parsePrefix4(n.spec.subnet), ipRange: null, gateway: local ? null : parseIp4(n.spec.gateway), auxAddresses: [],
    // The overlay's bridge lives in the network's own namespace (drivers/overlay: br0 beside vxlan0).
    bridge: `br0 (${n.spec.name})`,
    options: { "com.docker.network.driver.overlay.vxlanid_list": String(vxlanId(networks, n.id)), ...overlayOptions(n) }, labels: { ...n.spec.labels },
  };
}

/** The driver options the user gave (`--opt encrypted`), beside the VNI. */
function overlayOptions(n: SwarmNetwork): Record<string, string> {
  return { ...(n.spec.options ?? {}) };
}

/** The engine with a local copy of each attachment's network (kept as it is when there already). */
export function withLocalOverlays(engine: EngineState, attachments: readonly TaskAttachment[], networks: SwarmNetworks, now: number): EngineState {
  const missing = attachments.filter((a) => !engine.networks.networks.has(a.network.id));
  const hasGw = [...engine.networks.networks.values()].some((n) => n.name === "docker_gwbridge");
  if (missing.length === 0 && hasGw) return engine;
  // docker_gwbridge is there before the first overlay endpoint (libnetwork makes it on the node's first overlay join).
  const t = gwbridge(engine.networks, now).table;
  const table = new Map(t.networks);
  for (const a of missing) table.set(a.network.id, overlayNetwork(a.network, networks));
  return { ...engine, networks: { ...t, networks: table } };
}

/** Local overlay copies no container is configured for any more go (moby adapter.removeNetworks). */
export function dropUnusedOverlays(engine: EngineState): EngineState {
  // Most hosts hold none: no scan of their containers then.
  if (![...engine.networks.networks.values()].some((n) => n.driver === "overlay")) return engine;
  const used = new Set<string>();
  for (const c of engine.containers.values()) for (const a of c.networks) used.add(a.network);
  const gone = [...engine.networks.networks.values()].filter((n) => n.driver === "overlay" && !used.has(n.name) && !used.has(n.id));
  if (gone.length === 0) return engine;
  const table = new Map(engine.networks.networks);
  for (const n of gone) table.delete(n.id);
  return { ...engine, networks: { ...engine.networks, networks: table } };
}

const GWBRIDGE_OPTIONS = {
  "com.docker.network.bridge.enable_icc": "false", "com.docker.network.bridge.enable_ip_masquerade": "true", "com.docker.network.bridge.name": "docker_gwbridge",
};

/** docker_gwbridge, made on first use (libnetwork: the next free default pool, no inter-container traffic, masqueraded). */
function gwbridge(table: NetworkTable, now: number): { table: NetworkTable; network: Network } {
  const found = [...table.networks.values()].find((n) => n.name === "docker_gwbridge");
  if (found) return { table, network: found };
  const r = createNetwork(table, { name: "docker_gwbridge", options: GWBRIDGE_OPTIONS, created: now });
  const network: Network = { ...r.network, bridge: "docker_gwbridge" };
  const networks = new Map(r.table.networks);
  networks.set(network.id, network);
  return { table: { ...r.table, networks }, network };
}

/** The networks a task's container is created with: its swarm networks with the task's addresses, then docker_gwbridge. */
export function taskNetworkRequest(attachments: readonly TaskAttachment[]): { networkMode: string; networks: { network: string; ipv4Address?: string }[] } | null {
  if (attachments.length === 0) return null;
  const networks: { network: string; ipv4Address?: string }[] = attachments.map((a) => ({ network: a.network.spec.name, ipv4Address: a.address.split("/")[0]! }));
  // The engine joins it at the start with the rest, so the task's first process has its default route.
  networks.push({ network: "docker_gwbridge" });
  return { networkMode: attachments[0]!.network.spec.name, networks };
}

/**
 * After the engine started a task's container: its overlay endpoints get the task's addresses
 * (eth0, eth1… in the attachments' order) and the docker_gwbridge endpoint the next interface;
 * docker_gwbridge leaves the container's configuration (inspect does not list it), and the
 * container's own address in /etc/hosts is its first overlay address. An endpoint the engine
 * addressed itself keeps its address.
 */
export function joinOverlays(engine: EngineState, containerId: string, attachments: readonly TaskAttachment[]): EngineState {
  const c = engine.containers.get(containerId);
  if (!c || c.run === null || attachments.length === 0) return engine;
  const table = engine.networks;
  const endpoints = table.endpoints instanceof CowMap ? (table.endpoints as CowMap<string, Endpoint>).fork() : new CowMap(table.endpoints);
  let eth = 0;
  let first = "";
  const mine = endpointsOf(table, containerId);
  for (const a of attachments) {
    const e = mine.find((x) => x.networkId === a.network.id);
    const ip = e ? e.ip ?? parseIp4(a.address.split("/")[0]!) : null;
    if (!e || ip === null) continue;
    if (first === "") first = a.address.split("/")[0]!;
    const ifName = `eth${eth++}`;
    if (e.ip === null || e.ifName !== ifName) endpoints.set(e.id, { ...e, ip, mac: e.mac !== "" ? e.mac : macFromIp(ip), ifName, vethHost: e.vethHost !== "" ? e.vethHost : `veth${e.id.slice(12, 19)}` });
  }
  for (const e of mine) {
    if (table.networks.get(e.networkId)?.name !== "docker_gwbridge") continue;
    const ifName = `eth${eth++}`;
    if (e.ifName !== ifName) endpoints.set(e.id, { ...e, ifName });
  }
  // A fork shares the host's containers (CowMap, as the daemon keeps them): no copy per task start.
  const containers = engine.containers instanceof CowMap ? (engine.containers as CowMap<string, typeof c>).fork() : new CowMap(engine.containers);
  containers.set(containerId, {
    ...c, networks: c.networks.filter((a) => a.network !== "docker_gwbridge"),
    run: { ...c.run, ip: first !== "" ? first : c.run.ip, embeddedDns: true },
  });
  return { ...engine, networks: { ...table, endpoints }, containers };
}

/** The endpoint ID the swarm view gives a task on a network it has no engine endpoint for yet. */
export function viewEndpointId(networkId: string, taskId: string): string {
  return sha256Digest(`endpoint/${networkId}/${taskId}`).replace(/^sha256:/, "");
}
