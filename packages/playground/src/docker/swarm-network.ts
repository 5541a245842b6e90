import { TaskState, findByIdOrName, gossipedAddresses, swarmFail, type Network, type Store } from "@drydock/swarm";
import { formatIp4, tryFindNetwork, type CreateRequest } from "@drydock/engine";
import type { DockerEnv } from "./command.js";
import { act, managerStore, swarmState } from "./swarm-common.js";
import { withLocalOverlays } from "../world/swarm-attach.js";

/**
 * `docker network create -d overlay NAME` on a swarm manager: the network is the swarm's (scope
 * swarm, in the raft store), created by the leader's allocator (moby daemon/cluster/networks.go
 * CreateNetwork). Off a manager the engine's own refusal stands ("This node is not a swarm
 * manager…", engine network/table.ts).
 */
export function createOverlay(env: DockerEnv, name: string, opts: { attachable: boolean; internal: boolean; labels: Record<string, string>; options: Record<string, string> }): string | null {
  const st = env.swarm?.state().hosts.get(env.host)?.member;
  if (!env.swarm || !st) return null;
  if (st.role !== "manager") swarmFail("WORKER");
  act(env, { type: "networkCreate", host: env.host, name, attachable: opts.attachable, internal: opts.internal, labels: opts.labels, options: opts.options });
  const n = [...managerStore(env).view.networks.values()].find((x) => x.spec.name === name);
  return `${n!.id}\n`;
}

/**
 * A standalone container asks for a swarm network its engine does not hold (`docker network
 * connect`, `docker run --network`): moby's daemon asks the cluster to attach it
 * (daemon/cluster/networks.go AttachNetwork, swarmkit's ResourceAllocator), which refuses a
 * network not created --attachable, ingress included. Returns the network when it may be
 * attached, null when it is no swarm network this node knows (the engine's "network X not found"
 * stands).
 */
export function swarmNetworkToAttach(env: DockerEnv, ref: string): Network | null {
  return attachable(env, ref)?.network ?? null;
}

function attachable(env: DockerEnv, ref: string): { network: Network; store: Store } | null {
  if (!env.swarm) return null;
  const me = swarmState(env).hosts.get(env.host)?.member;
  if (!me) return null;
  // The node asks the managers: the most advanced committed store answers (as the data path reads it).
  let store: Store | null = null;
  for (const h of swarmState(env).hosts.values()) if (h.raft !== null && h.store.index > 0 && (store === null || h.store.index > store.index)) store = h.store;
  const n = store ? findByIdOrName(store.networks, ref) : undefined;
  if (!store || !n) return null;
  if (n.spec.ingress || !n.spec.attachable) swarmFail("NOT_ATTACHABLE", ref);
  return { network: n, store };
}

/**
 * The address a standalone container gets on a swarm network (moby AttachNetwork: swarmkit's
 * allocator gives the attachment an address from the network's IPAM). Not the one swarmkit would
 * pick: drydock keeps no attachment task in the raft store, so it takes the highest free address
 * of the subnet (the allocator takes the lowest for tasks and VIPs, so the two never meet), free
 * of the store's VIPs and tasks, of every address the gossip carries, and of the nodes' endpoints.
 */
function attachmentAddress(env: DockerEnv, store: Store, n: Network): string | null {
  const used = new Set<string>([n.spec.gateway]);
  for (const s of store.services.values()) for (const v of s.endpoint?.virtualIPs ?? []) if (v.networkId === n.id) used.add(v.addr.split("/")[0]!);
  for (const t of store.tasks.values()) {
    if (t.status.state > TaskState.RUNNING) continue;
    for (const a of t.networks) if (a.networkId === n.id) for (const addr of a.addresses) used.add(addr.split("/")[0]!);
  }
  for (const ip of gossipedAddresses(swarmState(env).gossip, n.id)) used.add(ip);
  // The attachments the nodes' engines hold (swarmkit's allocator knows every attachment task; the gossip may not have carried one yet).
  for (const host of swarmState(env).hosts.keys()) {
    const engine = host === env.host ? env.engine : env.swarm?.engineOf(host);
    for (const e of engine?.networks.endpoints.values() ?? []) if (e.networkId === n.id && e.ip !== null) used.add(formatIp4(e.ip));
  }
  const [base, bits] = n.spec.subnet.split("/") as [string, string];
  const prefix = base.split(".").slice(0, 3).join(".");
  for (let h = 254; h > 0; h--) if (!used.has(`${prefix}.${h}`)) return `${prefix}.${h}/${bits}`;
  return null;
}

/**
 * `docker run --network X` / `docker network connect X` where X is an attachable swarm network this
 * engine holds no copy of: the node makes its local copy (and docker_gwbridge, the sandbox's way
 * out) and the container joins with the attachment's address. Returns the address ("10.0.1.254"),
 * or null when X is no swarm network (the engine's own "network X not found" stands).
 */
export function attachSwarmNetwork(env: DockerEnv, ref: string): { network: Network; ip: string } | null {
  // A local network of that name is the engine's own; a local copy of an overlay (a task here uses it) is still the swarm's to address.
  const local = tryFindNetwork(env.engine.networks, ref);
  if (local !== undefined && local.driver !== "overlay") return null;
  const found = attachable(env, local?.id ?? ref);
  if (!found) return null;
  const address = attachmentAddress(env, found.store, found.network);
  if (address === null) return null;
  env.engine = withLocalOverlays(env.engine, [{ network: found.network, address }], found.store.networks, env.now);
  return { network: found.network, ip: address.split("/")[0]! };
}

/**
 * A container's create request on an attachable swarm network (`docker run --network X`): the
 * attachment's address, then docker_gwbridge for its default route, as a task's sandbox has it.
 * The request as it was otherwise.
 */
export function requestOnSwarmNetwork(env: DockerEnv, req: CreateRequest): CreateRequest {
  const ref = req.networkMode;
  if (ref === undefined || req.networks !== undefined || ref.includes(":") || ["bridge", "host", "none", "default"].includes(ref)) return req;
  const a = attachSwarmNetwork(env, ref);
  if (a === null) return req;
  return {
    ...req, networkMode: a.network.spec.name,
    networks: [{ network: a.network.spec.name, aliases: req.networkAliases ?? [], ipv4Address: req.ipv4Address ?? a.ip }, { network: "docker_gwbridge" }],
  };
}

/**
 * `docker network rm` of a swarm network on a manager: the leader removes it (refused while a
 * service uses it, controlapi RemoveNetwork). False when it is not one (the engine's own removal goes on).
 */
export function removeSwarmNetwork(env: DockerEnv, ref: string): boolean {
  const m = env.swarm?.state().hosts.get(env.host)?.member;
  if (!m || m.role !== "manager") return false;
  const n = findByIdOrName(managerStore(env).view.networks, ref);
  if (!n || n.spec.ingress) return false;
  act(env, { type: "networkRm", host: env.host, network: n.id });
  return true;
}
