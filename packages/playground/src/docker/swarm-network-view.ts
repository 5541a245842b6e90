// The networks `docker network ls` and `docker network inspect` show on a swarm node: the host's
// own (its engine's table) and the swarm's. moby's daemon lists the cluster's networks beside the
// local ones (daemon/cluster/networks.go GetNetworks): a manager every swarm network, a worker
// the ones its tasks are attached to, and `ingress` on every node; joining a swarm also made the
// local bridge `docker_gwbridge` (libnetwork, the overlays' way out). Task containers appear in
// an overlay's Containers with their addresses on it. The specs come from the data path's store
// (world/ingress.ts leaderStore), as traffic reads them. Not shown yet: the load balancer's
// endpoints (`lb-<network>`, `ingress-sbox`) and the Peers list.
import { sha256Digest } from "@drydock/image";
import { macFromIp, parseIp4, parsePrefix4, type Endpoint, type Network, type NetworkTable } from "@drydock/engine";
import { TaskState, type Store } from "@drydock/swarm";
import type { DockerEnv } from "./command.js";
import { swarmState } from "./swarm-common.js";
import { taskContainerName } from "../world/swarm-executor.js";
import { overlayNetwork, viewEndpointId } from "../world/swarm-attach.js";

/** libnetwork's docker_gwbridge: 172.18.0.0/16 (the next pool after docker0's), no inter-container traffic, masqueraded. */
const GWBRIDGE = { subnet: "172.18.0.0/16", gateway: "172.18.0.1" };

/** The most advanced committed store among the managers (the leader's in steady state). */
function dataPathStore(env: DockerEnv): Store | null {
  let best: Store | null = null;
  for (const h of swarmState(env).hosts.values()) {
    if (h.raft === null || h.store.index === 0) continue;
    if (best === null || h.store.index > best.index) best = h.store;
  }
  return best;
}

/** The engine's table with the swarm's networks this node sees, and docker_gwbridge; the table itself outside a swarm. */
export function networksSeen(env: DockerEnv, table: NetworkTable): NetworkTable {
  if (!env.swarm) return table;
  const me = swarmState(env).hosts.get(env.host);
  const member = me?.member ?? null;
  if (!me || !member) return table;
  const store = dataPathStore(env);
  const networks = new Map(table.networks);
  const endpoints = new Map(table.endpoints);
  if (![...networks.values()].some((n) => n.name === "docker_gwbridge")) {
    const gw = gwbridge(env.host, member.nodeId, table);
    networks.set(gw.id, gw);
  }
  if (store === null) return { ...table, networks, endpoints };
  const mine = [...store.tasks.values()].filter((t) => t.nodeId === member.nodeId && t.desiredState === TaskState.RUNNING && t.status.state === TaskState.RUNNING);
  const attached = new Set(mine.flatMap((t) => t.networks.map((a) => a.networkId)));
  for (const n of store.networks.values()) {
    if (member.role !== "manager" && !n.spec.ingress && !attached.has(n.id)) continue;
    networks.set(n.id, overlayNetwork(n, store.networks, false));
    for (const t of mine) {
      const a = t.networks.find((x) => x.networkId === n.id);
      const ip = a?.addresses[0] !== undefined ? parseIp4(a.addresses[0].split("/")[0]!) : null;
      if (!a || ip === null || t.status.containerId === undefined) continue;
      // The task's container has its endpoint in the engine's table once it runs (world/swarm-attach.ts).
      if ([...table.endpoints.values()].some((e) => e.networkId === n.id && e.containerId === t.status.containerId)) continue;
      const id = viewEndpointId(n.id, t.id);
      const e: Endpoint = {
        id, networkId: n.id, containerId: t.status.containerId, name: taskContainerName(t), ip, mac: macFromIp(ip), aliases: [], dnsNames: [],
        ifName: "", vethHost: "",
      };
      endpoints.set(id, e);
    }
  }
  return { ...table, networks, endpoints };
}

function gwbridge(host: string, nodeId: string, table: NetworkTable): Network {
  return {
    id: sha256Digest(`docker_gwbridge/${table.salt}/${host}/${nodeId}`).replace(/^sha256:/, ""), name: "docker_gwbridge", driver: "bridge", scope: "local", created: 0,
    internal: false, attachable: false, ingress: false, enableIPv4: true, enableIPv6: false, configOnly: false, configFrom: "", ipamDriver: "default",
    ipamOptions: null, ipamConfig: [], subnet: parsePrefix4(GWBRIDGE.subnet), ipRange: null, gateway: parseIp4(GWBRIDGE.gateway), auxAddresses: [],
    bridge: "docker_gwbridge",
    options: { "com.docker.network.bridge.enable_icc": "false", "com.docker.network.bridge.enable_ip_masquerade": "true", "com.docker.network.bridge.name": "docker_gwbridge" },
    labels: {},
  };
}
