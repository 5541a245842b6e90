import type { TraceRecord } from "@drydock/kernel";
import type { WorldState } from "@drydock/playground";
import { TaskState, taskStateName } from "@drydock/swarm";
import { nodeActors, type Driver, type Mark, type OptionValues } from "../../scenario.js";
import { HOSTS, MANAGERS, openSwarmRun, swarmMarks, swarmMessageLabel, type SwarmScript } from "../swarm/driver.js";
import type { SecretNodeView, SecretsCaption, SecretsViewModel, SecretTaskView, SecretView } from "./model.js";

// Secrets (issue 14): which nodes hold a swarm secret. `docker secret create` seals it with NaCl
// secretbox under the cluster's data key into the Raft store (swarmkit manager/encryption/nacl.go),
// so every manager keeps the ciphertext; the dispatcher sends the plaintext only to the nodes
// whose assignments include a task granted it (swarmkit dispatcher Assignments); the agent's
// executor mounts it in memory at /run/secrets/<name> (a tmpfs: moby daemon/container_operations_unix.go
// setupSecretDir); when the task ends the tmpfs goes, and the node drops the secret with its
// last granted task. The steps are the lines the buttons type on the leader.

export const SECRET = "db_pass";
export const PASSWORD = "hunter2";
export const IMAGE = "postgres:16";
export const REPLICAS = 2;

/** The three steps, as a learner types them (docker/cli cli/command/secret, service). */
export const CREATE_LINE = `printf ${PASSWORD} | docker secret create ${SECRET} -`;
export const SERVICE_LINE = `docker service create -d --name db --replicas ${REPLICAS} --constraint node.role==worker --secret ${SECRET} -e POSTGRES_PASSWORD_FILE=/run/secrets/${SECRET} ${IMAGE}`;
export const REMOVE_LINE = `docker service update -d --secret-rm ${SECRET} --env-add POSTGRES_PASSWORD=changeme --env-rm POSTGRES_PASSWORD_FILE db`;

/** The swarm of the other scenes, with nothing on it yet. */
export const SECRETS_SCRIPT: SwarmScript = { hosts: HOSTS, lines: [] };

const IS_MANAGER: ReadonlySet<string> = new Set(MANAGERS);

/** Shortens the stored record for the screen: the label, then the first bytes of nonce and ciphertext. */
export function sealedText(data: string): string {
  const [label, nonce, box] = data.split(":");
  if (nonce === undefined || box === undefined) return data.slice(0, 24);
  return `${label === "NACLSecretboxSalsa20Poly1305" ? "secretbox" : label} ${nonce.slice(0, 8)}… ${box.slice(0, 12)}…`;
}

/** The view model: pure, from the world and the network's up map (exported for the tests). */
export function secretsView(world: WorldState, up: Readonly<Record<string, boolean>>, hosts: readonly string[] = HOSTS): SecretsViewModel {
  let leader: string | null = null;
  let term = -1;
  for (const h of hosts) {
    const raft = world.swarm.hosts.get(h)?.raft;
    if (raft && up[h] && raft.role === "leader" && raft.term > term) {
      leader = h;
      term = raft.term;
    }
  }
  const store = leader ? world.swarm.hosts.get(leader)?.store : undefined;
  const services = store ? [...store.services.values()] : [];
  const secrets: SecretView[] = store ? [...store.secrets.values()].map((s) => ({
    id: s.id, name: s.spec.name, sealed: sealedText(s.data),
    services: services.filter((v) => v.spec.task.secrets.some((r) => r.secretId === s.id)).map((v) => v.spec.name).sort(),
  })).sort((a, b) => (a.name < b.name ? -1 : 1)) : [];
  const nodes = hosts.map((host): SecretNodeView => {
    const sw = world.swarm.hosts.get(host);
    const engine = world.hosts.get(host)?.engine;
    // The host's own copy of the store (a manager's replicated log), read as its disk has it.
    const sealed = sw?.store ? [...sw.store.secrets.values()].map((s) => s.spec.name).sort() : [];
    const held = [...(sw?.agent?.secrets.values() ?? [])].map((s) => s.name).sort();
    const tasks: SecretTaskView[] = [];
    for (const c of engine?.containers.values() ?? []) {
      const task = c.config.labels?.["com.docker.swarm.task.name"];
      if (!task) continue;
      const running = c.state.running;
      const tmpfs = c.mounts.find((m) => m.type === "tmpfs" && m.target === "/run/secrets");
      const files = running && tmpfs && c.run?.tmpfs.has("/run/secrets") === true ? Object.keys(tmpfs.files ?? {}).map((f) => `/run/secrets/${f}`).sort() : [];
      tasks.push({ key: c.id.slice(0, 12), name: task.replace(/\.[0-9a-z]{25}$/, ""), image: c.config.image, state: running ? "running" : c.state.exitCode !== 0 ? `exited (${c.state.exitCode})` : "exited", files });
    }
    // A task assigned but not yet a container (its image being pulled) is a line too.
    for (const { task: t, status } of sw?.agent?.tasks.values() ?? []) {
      const name = `${t.serviceName}.${t.slot}`;
      if (status.state < TaskState.RUNNING && t.desiredState <= TaskState.RUNNING && !tasks.some((x) => x.name === name)) tasks.push({ key: t.id, name, image: t.spec.container.image, state: taskStateName(status.state), files: [] });
    }
    // Each slot's tasks in order, the one running last (an exited one above its replacement).
    tasks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.state === "running") - Number(b.state === "running")));
    return { host, role: IS_MANAGER.has(host) ? "manager" : "worker", up: up[host] === true, sealed, held, tasks };
  });
  return { secrets, nodes, leader, caption: secretsCaption(secrets, nodes) };
}

/** The caption for the state on the screen. */
export function secretsCaption(secrets: readonly SecretView[], nodes: readonly SecretNodeView[]): SecretsCaption {
  const s = secrets.find((x) => x.name === SECRET);
  const holders = nodes.filter((n) => n.held.includes(SECRET)).map((n) => n.host);
  const mounted = nodes.flatMap((n) => n.tasks.filter((t) => t.state === "running" && t.files.length > 0).map((t) => `${t.name} on ${n.host}`));
  if (!s) {
    return { step: "start", title: "A swarm with no secrets", text: `Three managers and four workers. Press "Create the secret" to type: ${CREATE_LINE}` };
  }
  if (s.services.length === 0 && holders.length === 0) {
    const used = nodes.some((n) => n.tasks.some((t) => t.name.startsWith("db.")));
    if (used) return { step: "removed", title: "Secret removed from the service", text: `The update replaced db's tasks with tasks not granted ${SECRET}: their /run/secrets went with the old containers, and no node holds it any more. Only the managers keep it, sealed in the Raft store.` };
    return { step: "created", title: "Sealed in the Raft store", text: `The leader sealed ${SECRET} with NaCl secretbox under the cluster's data key: every manager's copy of the store holds only ciphertext, and no node has the password in memory. Press "Create the service".` };
  }
  if (mounted.length === 0) {
    return { step: "granting", title: "Granted to db", text: `db's tasks are granted ${SECRET}: the dispatcher sends it, decrypted, only to the nodes it assigns them to (${holders.join(", ") || "none yet"}).` };
  }
  return { step: "granted", title: "Only where a granted task runs", text: `${holders.join(" and ")} hold ${SECRET} in memory, for ${mounted.join(" and ")}: a tmpfs at /run/secrets/${SECRET}, never on disk. The other nodes never received it. Press "Remove it from db".` };
}

/** The world's record of a typed line that finished (playground world/model.ts writes it; it exports no type). */
type LineDone = { readonly event: "line.done"; readonly status: number };

/** The lines typed after the setup that finished, as marks: each step's command is done there. */
export function lineMarks(trace: readonly TraceRecord[], from: number, after: number): Mark[] {
  const out: Mark[] = [];
  for (let i = Math.max(0, from); i < trace.length; i++) {
    const r = trace[i]!;
    if (r.t <= after || r.type !== "state" || r.node === null || r.data === null || typeof r.data !== "object") continue;
    const d = r.data as Partial<LineDone>;
    if (d.event === "line.done" && typeof d.status === "number") out.push({ t: r.t, label: `${r.node}: the line typed finished (exit ${d.status})` });
  }
  return out;
}

export function createSecretsDriver(seed: string, _options: OptionValues): Driver<SecretsViewModel> {
  const run = openSwarmRun(seed, SECRETS_SCRIPT);
  const sim = run.sim;
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors(HOSTS),
    view: () => secretsView(sim.state, sim.net.up),
    notable: (trace: readonly TraceRecord[], from: number): Mark[] =>
      [...swarmMarks(trace, from, run.setup.at), ...lineMarks(trace, from, run.setup.at)].sort((a, b) => a.t - b.t),
    messageLabel: swarmMessageLabel,
    messageKind: swarmMessageLabel,
  };
}
