import { swarmFail, type NodeRole } from "@drydock/swarm";
import { fail } from "../errors.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { flag } from "./flags.js";
import { act, hostAt, hostIp, managerStore, memberOf, swarmState } from "./swarm-common.js";

/**
 * docker swarm init / join / join-token / leave, with docker/cli's texts (cli/command/swarm).
 * The swarm daemon answers (world/swarm.ts); its refusals are moby's and SwarmKit's texts
 * (@drydock/swarm errors.ts), printed by the CLI as "Error response from daemon: …".
 */

/** docker/cli swarm/join_token.go printJoinCommand. */
function joinCommand(role: NodeRole, token: string, addr: string): string {
  return `To add a ${role} to this swarm, run the following command:\n\n    docker swarm join --token ${token} ${addr}\n\n`;
}

/** The address managers are reached at (info.Swarm.RemoteManagers[0].Addr): this manager's advertise address. */
function managerAddr(env: DockerEnv): string {
  const m = swarmState(env).hosts.get(env.host)?.member;
  const a = m?.advertiseAddr ?? hostIp(env, env.host);
  return `${a === env.host ? hostIp(env, env.host) : a}:2377`;
}

function tokens(env: DockerEnv): { worker: string; manager: string } {
  const t = managerStore(env).view.cluster?.rootCA.joinTokens;
  if (!t) return swarmFail("MANAGER_NOT_READY");
  return t;
}

/** moby daemon/cluster/swarm.go swarmConnectTimeout: init and join wait this long for the node to be ready. */
const CONNECT_TIMEOUT_US = 20_000_000;
const POLL_US = 100_000;

/** Is this host's node registered and ready in the leader's store (moby waits for the node's Ready)? */
function ready(env: DockerEnv): boolean {
  const st = swarmState(env);
  const m = st.hosts.get(env.host)?.member;
  if (!m) return false;
  for (const h of m.managers) {
    const lh = st.hosts.get(h);
    if (lh?.raft?.role !== "leader" || !lh.leader?.ready) continue;
    return lh.store.nodes.get(m.nodeId)?.status.state === "ready";
  }
  return false;
}

/** When this host's node was made (its join or init): how long the command has waited so far. */
function joinedAt(env: DockerEnv): number {
  const st = swarmState(env);
  const m = st.hosts.get(env.host)?.member;
  if (!m) return env.now;
  for (const h of m.managers) {
    const n = st.hosts.get(h)?.leader?.view.nodes.get(m.nodeId) ?? st.hosts.get(h)?.store.nodes.get(m.nodeId);
    if (n) return n.createdAt;
  }
  return env.now;
}

/**
 * The command waits (in virtual time) for its node to be ready, as moby's Init and Join do: a job
 * that runs the command again every 100 ms (`env.rerun`), until the node is ready or 20 s passed.
 */
function waitReady(env: DockerEnv, done: () => string): string {
  if (ready(env)) return done();
  if (env.now - joinedAt(env) >= CONNECT_TIMEOUT_US) swarmFail("JOIN_TIMEOUT");
  env.pending = {
    kind: "swarm.wait", durationUs: POLL_US, steps: [{ atUs: POLL_US, event: "swarm.wait", detail: {}, stdout: "" }],
    again: true, outcome: { status: 0, stdout: "", stderr: "" },
  };
  return "";
}

export const swarmInitCommand: DockerCommand = {
  path: "docker swarm init",
  use: "docker swarm init [OPTIONS]",
  summary: "Initialize a swarm",
  args: 0,
  specs: [
    { name: "advertise-addr", kind: "string", help: "Advertised address (format: \"<ip|interface>[:port]\")" },
    { name: "autolock", kind: "bool", help: "Enable manager autolocking (requiring an unlock key to start a stopped manager)" },
    { name: "listen-addr", kind: "string", help: "Listen address (format: \"<ip|interface>[:port]\")", default: "0.0.0.0:2377" },
    { name: "task-history-limit", kind: "int", help: "Task history retention limit", default: 5 },
  ],
  run(p, env) {
    const adv = flag.str(p, "advertise-addr");
    const addr = adv === undefined ? hostIp(env, env.host) : adv.replace(/:\d+$/, "");
    if (!env.rerun) act(env, { type: "init", host: env.host, advertiseAddr: addr, taskHistoryLimit: flag.int(p, "task-history-limit") ?? 5 });
    return waitReady(env, () => {
      const m = memberOf(env);
      const t = tokens(env);
      return `Swarm initialized: current node (${m.nodeId}) is now a manager.\n\n${joinCommand("worker", t.worker, `${addr}:2377`)}` +
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n\n";
    });
  },
};

export const swarmJoinCommand: DockerCommand = {
  path: "docker swarm join",
  use: "docker swarm join [OPTIONS] HOST:PORT",
  summary: "Join a swarm as a node and/or manager",
  args: 1,
  specs: [
    { name: "advertise-addr", kind: "string", help: "Advertised address (format: \"<ip|interface>[:port]\")" },
    { name: "listen-addr", kind: "string", help: "Listen address (format: \"<ip|interface>[:port]\")", default: "0.0.0.0:2377" },
    { name: "token", kind: "string", help: "Token for entry into the swarm" },
  ],
  run(p, env) {
    const remote = hostAt(env, p.args[0]!);
    // A swarm that is not there: moby's join times out.
    if (remote === undefined) swarmFail("JOIN_TIMEOUT");
    const adv = flag.str(p, "advertise-addr");
    const advertiseAddr = adv === undefined ? hostIp(env, env.host) : adv.replace(/:\d+$/, "");
    if (!env.rerun) act(env, { type: "join", host: env.host, token: flag.str(p, "token") ?? "", remote, advertiseAddr });
    return waitReady(env, () => `This node joined a swarm as a ${memberOf(env).role}.\n`);
  },
};

export const swarmJoinTokenCommand: DockerCommand = {
  path: "docker swarm join-token",
  use: "docker swarm join-token [OPTIONS] (worker|manager)",
  summary: "Manage join tokens",
  args: 1,
  specs: [
    { name: "quiet", short: "q", kind: "bool", help: "Only display token" },
    { name: "rotate", kind: "bool", help: "Rotate join token" },
  ],
  run(p, env) {
    const role = p.args[0]!;
    // docker/cli join_token.go: the argument is checked before the daemon is asked.
    if (role !== "worker" && role !== "manager") fail("CLIENT", "unknown role " + role);
    if (flag.bool(p, "rotate")) fail("NOT_SIMULATED", "docker swarm join-token --rotate");
    const t = tokens(env);
    const token = role === "worker" ? t.worker : t.manager;
    if (flag.bool(p, "quiet")) return `${token}\n`;
    return joinCommand(role, token, managerAddr(env));
  },
};

export const swarmLeaveCommand: DockerCommand = {
  path: "docker swarm leave",
  use: "docker swarm leave [OPTIONS]",
  summary: "Leave the swarm",
  args: 0,
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force this node to leave the swarm, ignoring warnings" }],
  run(p, env) {
    act(env, { type: "leave", host: env.host, force: flag.bool(p, "force") });
    return "Node left the swarm.\n";
  },
};

export const SWARM_COMMANDS: readonly DockerCommand[] = [swarmInitCommand, swarmJoinCommand, swarmJoinTokenCommand, swarmLeaveCommand];
