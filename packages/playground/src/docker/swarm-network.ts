import { swarmFail } from "@drydock/swarm";
import type { DockerEnv } from "./command.js";
import { act, managerStore } from "./swarm-common.js";

/**
 * `docker network create -d overlay NAME` on a swarm manager: the network is the swarm's (scope
 * swarm, in the raft store), created by the leader's allocator (moby daemon/cluster/networks.go
 * CreateNetwork). Off a manager the engine's own refusal stands ("This node is not a swarm
 * manager…", engine network/table.ts).
 */
export function createOverlay(env: DockerEnv, name: string, opts: { attachable: boolean; internal: boolean; labels: Record<string, string> }): string | null {
  const st = env.swarm?.state().hosts.get(env.host)?.member;
  if (!env.swarm || !st) return null;
  if (st.role !== "manager") swarmFail("WORKER");
  act(env, { type: "networkCreate", host: env.host, name, attachable: opts.attachable, internal: opts.internal, labels: opts.labels });
  const n = [...managerStore(env).view.networks.values()].find((x) => x.spec.name === name);
  return `${n!.id}\n`;
}
