import { clusterTlsInfo, nodeTlsInfo, swarmFail, type NodeRole, type Store } from "@drydock/swarm";
import { fail } from "../errors.js";
import { readsTerminal, TerminalReader } from "../world/terminal-input.js";
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

/** docker/cli swarm/unlock_key.go printUnlockCommand. */
function unlockCommand(key: string): string {
  if (key === "") return "";
  return "To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n" +
    `    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`;
}

/** SwarmGetUnlockKey: the cluster's key ("" while autolock is off). */
function unlockKey(env: DockerEnv): string {
  return managerStore(env).view.cluster?.unlockKey ?? "";
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
    const autolock = flag.bool(p, "autolock");
    if (!env.rerun) act(env, { type: "init", host: env.host, advertiseAddr: addr, taskHistoryLimit: flag.int(p, "task-history-limit") ?? 5, autolock });
    return waitReady(env, () => {
      const m = memberOf(env);
      const t = tokens(env);
      // swarm/init.go: with --autolock, the unlock key follows.
      return `Swarm initialized: current node (${m.nodeId}) is now a manager.\n\n${joinCommand("worker", t.worker, `${addr}:2377`)}` +
        "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n\n" + (autolock ? unlockCommand(unlockKey(env)) : "");
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
    let out = "";
    if (flag.bool(p, "rotate")) {
      act(env, { type: "swarmUpdate", host: env.host, ...(role === "worker" ? { rotateWorkerToken: true } : { rotateManagerToken: true }) });
      if (!flag.bool(p, "quiet")) out = `Successfully rotated ${role} join token.\n\n`;
    }
    const t = tokens(env);
    const token = role === "worker" ? t.worker : t.manager;
    if (flag.bool(p, "quiet")) return `${token}\n`;
    return out + joinCommand(role, token, managerAddr(env));
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

/** docker swarm update (docker/cli swarm/update.go): only the flags given change the cluster's spec. */
export const swarmUpdateCommand: DockerCommand = {
  path: "docker swarm update",
  use: "docker swarm update [OPTIONS]",
  summary: "Update the swarm",
  args: 0,
  specs: [
    { name: "autolock", kind: "bool", help: "Change manager autolocking setting (true|false)" },
    { name: "cert-expiry", kind: "duration", help: "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)" },
    { name: "dispatcher-heartbeat", kind: "duration", help: "Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)" },
    { name: "task-history-limit", kind: "int", help: "Task history retention limit (default 5)" },
  ],
  run(p, env) {
    const was = managerStore(env).view.cluster?.spec.autoLockManagers ?? false;
    const changed = (n: string) => p.flags[n] !== undefined;
    const autolock = changed("autolock") ? flag.bool(p, "autolock") : undefined;
    act(env, {
      type: "swarmUpdate", host: env.host,
      ...(changed("task-history-limit") ? { taskHistoryLimit: flag.int(p, "task-history-limit")! } : {}),
      ...(changed("dispatcher-heartbeat") ? { heartbeatPeriodUs: flag.micros(p, "dispatcher-heartbeat")! } : {}),
      ...(changed("cert-expiry") ? { nodeCertExpiryUs: flag.micros(p, "cert-expiry")! } : {}),
      ...(autolock !== undefined ? { autolock } : {}),
    });
    // update.go: "Swarm updated.", then the new unlock key when autolock was just turned on.
    return "Swarm updated.\n" + (autolock === true && !was ? unlockCommand(unlockKey(env)) : "");
  },
};

/** docker swarm unlock-key (docker/cli swarm/unlock_key.go). */
export const swarmUnlockKeyCommand: DockerCommand = {
  path: "docker swarm unlock-key",
  use: "docker swarm unlock-key [OPTIONS]",
  summary: "Manage the unlock key",
  args: 0,
  specs: [
    { name: "quiet", short: "q", kind: "bool", help: "Only display token" },
    { name: "rotate", kind: "bool", help: "Rotate unlock key" },
  ],
  run(p, env) {
    const quiet = flag.bool(p, "quiet");
    let out = "";
    if (flag.bool(p, "rotate")) {
      if (!managerStore(env).view.cluster?.spec.autoLockManagers) fail("CLIENT", "cannot rotate because autolock is not turned on");
      act(env, { type: "swarmUpdate", host: env.host, rotateUnlockKey: true });
      if (!quiet) out += "Successfully rotated manager unlock key.\n";
    }
    const key = unlockKey(env);
    if (key === "") fail("CLIENT", "no unlock key is set");
    return out + (quiet ? `${key}\n` : unlockCommand(key));
  },
};

/**
 * docker swarm unlock (docker/cli swarm/unlock.go): only a locked node asks for the key; at a
 * terminal it prompts "Enter unlock key: " and reads it without echo, else it reads a line of stdin.
 */
export const swarmUnlockCommand: DockerCommand = {
  path: "docker swarm unlock",
  use: "docker swarm unlock",
  summary: "Unlock swarm",
  args: 0,
  specs: [],
  run(_p, env) {
    const h = swarmState(env).hosts.get(env.host);
    if (!h?.member) fail("CLIENT", "Error: This node is not part of a swarm");
    if (!h.locked) fail("CLIENT", "Error: swarm is not locked");
    let key: string;
    if (readsTerminal(env)) key = (new TerminalReader(env).read({ prompt: "Enter unlock key: ", echo: false }, "Enter unlock key: ") ?? "").trim();
    else key = env.stdin.split("\n")[0]!.trim();
    act(env, { type: "unlock", host: env.host, key });
    return "";
  },
};

/** progress/root_rotation.go updateProgress: the desired root's digest, then nodes with the new certificate and with the new root. */
function rotationScreen(view: Store): { done: boolean; screen: string } {
  const cluster = view.cluster!;
  const desired = clusterTlsInfo(cluster)!;
  const nodes = [...view.nodes.values()];
  let certs = 0;
  let roots = 0;
  for (const n of nodes) {
    const t = nodeTlsInfo(cluster, n);
    if (t && t.CertIssuerPublicKey === desired.CertIssuerPublicKey && t.CertIssuerSubject === desired.CertIssuerSubject) certs++;
    if (t && t.TrustRoot === desired.TrustRoot) roots++;
  }
  const inProgress = !!cluster.rootCA.rotation;
  const total = nodes.length;
  // "we still have certs that need renewing, so display that there are zero roots rotated yet".
  const shownRoots = certs === total && !inProgress ? roots : 0;
  // jsonmessage with a terminal: "ID: action progress"; a bar with Units shows "n/total nodes" after it.
  const line = (id: string, action: string, n: number) => `${id}: ${action} [${"=".repeat(Math.min(50, Math.floor(Math.floor((n / total) * 100) / 2)))}>${" ".repeat(50 - Math.min(50, Math.floor(Math.floor((n / total) * 100) / 2)))}] ${n}/${total} nodes`;
  const digest = cluster.rootCA.cert!.digest;
  return {
    done: certs === total && !inProgress && roots === total,
    screen: `desired root digest: ${digest} \n${line("  rotated TLS certificates", "", certs)}\n${line("  rotated CA certificates", " ", shownRoots)}\n`,
  };
}

/** docker swarm ca (docker/cli swarm/ca.go): the root CA's certificate, or with --rotate a new root rolled out to every node. */
export const swarmCaCommand: DockerCommand = {
  path: "docker swarm ca",
  use: "docker swarm ca [OPTIONS]",
  summary: "Display and rotate the root CA",
  args: 0,
  specs: [
    { name: "ca-cert", kind: "string", help: "Path to the PEM-formatted root CA certificate to use for the new cluster" },
    { name: "ca-key", kind: "string", help: "Path to the PEM-formatted root CA key to use for the new cluster" },
    { name: "cert-expiry", kind: "duration", help: "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)" },
    { name: "detach", short: "d", kind: "bool", help: "Exit immediately instead of waiting for the root rotation to converge" },
    { name: "external-ca", kind: "string", help: "Specifications of one or more certificate signing endpoints" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress progress output" },
    { name: "rotate", kind: "bool", help: "Rotate the swarm CA - if no certificate or key are provided, new ones will be generated" },
  ],
  run(p, env) {
    const trustRoot = () => {
      const root = managerStore(env).view.cluster?.rootCA.cert;
      if (!root) fail("CLIENT", "No CA information available");
      return `${root.pem.trim()}\n`;
    };
    if (!flag.bool(p, "rotate")) {
      for (const f of ["ca-cert", "ca-key", "cert-expiry", "external-ca"]) {
        if (p.flags[f] !== undefined) fail("CLIENT", `\`--${f}\` flag requires the \`--rotate\` flag to update the CA`);
      }
      return trustRoot();
    }
    for (const f of ["ca-cert", "ca-key", "external-ca"]) if (p.flags[f] !== undefined) fail("NOT_SIMULATED", `docker swarm ca --rotate --${f}`);
    if (!env.rerun) {
      const expiry = flag.micros(p, "cert-expiry");
      act(env, { type: "swarmUpdate", host: env.host, rotateCA: true, ...(expiry !== undefined ? { nodeCertExpiryUs: expiry } : {}) });
    }
    if (flag.bool(p, "detach")) return "";
    // ca.go attach: RootRotationProgress polls every 200 ms until every node has the new certificate and root.
    const r = rotationScreen(managerStore(env).view);
    if (r.done) return flag.bool(p, "quiet") ? "" : r.screen + trustRoot();
    env.pending = {
      kind: "swarm.ca", durationUs: 200_000, steps: [{ atUs: 200_000, event: "swarm.ca", detail: {}, stdout: "" }],
      again: true, outcome: { status: 0, stdout: "", stderr: "" },
    };
    return "";
  },
};

export const SWARM_COMMANDS: readonly DockerCommand[] = [
  swarmCaCommand, swarmInitCommand, swarmJoinCommand, swarmJoinTokenCommand, swarmLeaveCommand, swarmUpdateCommand, swarmUnlockKeyCommand, swarmUnlockCommand,
];
