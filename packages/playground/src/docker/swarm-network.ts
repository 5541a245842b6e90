import { findByIdOrName, swarmFail, type Network } from "@drydock/swarm";
import type { DockerEnv } from "./command.js";
import { act, managerStore, swarmState } from "./swarm-common.js";

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
  if (!env.swarm) return null;
  const me = swarmState(env).hosts.get(env.host)?.member;
  if (!me) return null;
  // The node asks the managers: the most advanced committed store answers (as the data path reads it).
  let store = null;
  for (const h of swarmState(env).hosts.values()) if (h.raft !== null && h.store.index > 0 && (store === null || h.store.index > store.index)) store = h.store;
  const n = store ? findByIdOrName(store.networks, ref) : undefined;
  if (!n) return null;
  if (n.spec.ingress || !n.spec.attachable) swarmFail("NOT_ATTACHABLE", ref);
  return n;
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
