import { MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import type { EngineState } from "@drydock/engine";
import { runDocker } from "../docker/cli.js";
import { runCompose } from "../docker/compose.js";
import type { ContainerRuntime, DockerEnv, Pending } from "../docker/command.js";
import { HOST_PROGRAMS } from "./host-procs.js";
import { namesDockerRoot, splitDockerRoot, withDockerRoot } from "./docker-dirs.js";
import { COREUTILS, coreutilsPath } from "../shell/coreutils.js";
import type { CommandOutcome, CommandRequest } from "../shell/host.js";
import { normalizePath, writeFile, writeTree, type FsDir } from "../fs/index.js";
import { DOCKERCOINS_FILES } from "@drydock/compose";
import { clientLoads, type NetWorld } from "@drydock/engine";
import { table } from "../format/index.js";
import { NET_TOOLS, netTool } from "./net-tools.js";
import type { SwarmPort } from "./swarm.js";
import type { KubePort } from "./kube.js";
import { runKubectl } from "../kubectl/index.js";
import { editFile } from "./editor.js";

/** What a command may change on its host and in the world; the caller keeps it on success. */
export interface HostDraft {
  fs: FsDir;
  engine: EngineState;
  hub: RegistryHub;
  registries: ReadonlyMap<string, string>;
}

export interface CommandContext {
  readonly now: Micros;
  readonly host: string;
  readonly hosts: readonly string[];
  /** The host's containers' IDs, names and programs. */
  readonly runtime: ContainerRuntime;
  /** The world's networks as traffic sees them, with this host's draft (curl, ping, … at the prompt). */
  readonly net?: () => NetWorld;
  /** A registry's repositories by address (GET /v2/_catalog). */
  readonly catalog?: (domain: string) => readonly string[];
  /** The program runs again after the job it set off (compose up after its builds). */
  readonly rerun?: boolean;
  readonly rerunState?: unknown;
  /** The swarm as this host's daemon reaches it (world/swarm.ts). */
  readonly swarm?: SwarmPort;
  /** Kubernetes as kubectl on this host reaches it (world/kube.ts); absent in a world without it. */
  readonly kube?: KubePort;
}

/** Programs installed on every host besides the coreutils. */
const PROGRAMS = new Map<string, string>([
  ["docker", "/usr/bin/docker"], ["docker-compose", "/usr/local/bin/docker-compose"], ["drydock", "/usr/local/bin/drydock"], ["kubectl", "/usr/bin/kubectl"], ["sleep", "/usr/bin/sleep"],
  // The network tools of a Debian host (curl, wget, iputils-ping, libc-bin's getent, iproute2, iptables): world/net-tools.ts.
  ["curl", "/usr/bin/curl"], ["wget", "/usr/bin/wget"], ["ping", "/usr/bin/ping"], ["httping", "/usr/bin/httping"], ["getent", "/usr/bin/getent"], ["ip", "/usr/sbin/ip"],
  ["iptables", "/usr/sbin/iptables"], ["iptables-save", "/usr/sbin/iptables-save"],
  // Editors: the terminal opens a real one on the file (world/editor.ts).
  ["nano", "/usr/bin/nano"], ["vi", "/usr/bin/vi"], ["vim", "/usr/bin/vim"],
  ...[...HOST_PROGRAMS.keys()].map((n): [string, string] => [n, n === "ip" ? "/usr/sbin/ip" : `/usr/bin/${n}`]),
]);

export function commandPath(name: string): string | null {
  return PROGRAMS.get(name) ?? coreutilsPath(name);
}

export const ALL_COMMANDS: readonly string[] = [...PROGRAMS.keys()];

const outcome = (status: number, stdout: string, stderr: string): CommandOutcome => ({ status, stdout, stderr });

/**
 * Runs one program on a host. Returns its outcome now, or a Pending for a program that takes
 * virtual time (docker build/pull/push, sleep).
 */
export function runProgram(req: CommandRequest, draft: HostDraft, ctx: CommandContext): CommandOutcome | Pending {
  const name = req.argv[0]!;
  const base = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
  if (name.includes("/") && commandPath(base) !== name && commandPath(base) !== null && !name.startsWith("./")) {
    // /bin/ls and /usr/bin/ls are the same program here.
  }
  if (commandPath(base) === null || (name.includes("/") && !name.startsWith("/"))) {
    return outcome(127, "", `bash: ${name}: ${name.includes("/") ? "No such file or directory" : "command not found"}\n`);
  }
  switch (base) {
    case "docker":
    case "docker-compose": {
      const env: DockerEnv = {
        now: ctx.now, host: ctx.host, hosts: ctx.hosts, cwd: req.cwd, env: req.env, stdin: req.stdin, fs: draft.fs,
        engine: draft.engine, hub: draft.hub, pending: null, stderr: "", failedPartly: false, runtime: ctx.runtime, registries: draft.registries,
        ...(ctx.net ? { net: () => withHostDraft(ctx.net!(), ctx.host, env.engine, env.fs) } : {}), ...(ctx.rerun ? { rerun: true } : {}), ...(ctx.rerunState !== undefined ? { rerunState: ctx.rerunState } : {}),
        ...(ctx.swarm ? { swarm: ctx.swarm } : {}),
        tty: { stdin: req.tty?.stdin === true, stdout: req.tty?.stdout === true, stderr: req.tty?.stderr === true },
      };
      // docker-compose (Compose v1's name, which the course uses) is Compose v2 under another name.
      const out = base === "docker" ? runDocker(req.argv.slice(1), env) : runCompose(req.argv.slice(1), env, "docker-compose");
      // A following job (a foreground run) has made its changes already; a timed one (a pull) makes them when it ends.
      draft.engine = env.engine;
      draft.fs = env.fs;
      draft.registries = env.registries ?? draft.registries;
      if (env.pending) return env.pending;
      draft.hub = env.hub;
      return out;
    }
    case "sleep": return sleep(req.argv.slice(1));
    case "kubectl": return runKubectl(req.argv.slice(1), { kube: ctx.kube, cwd: req.cwd, fs: draft.fs, stdin: req.stdin, now: ctx.now, ...(ctx.rerunState !== undefined ? { rerunState: ctx.rerunState } : {}) });
    case "drydock": return drydockAtPrompt(req.argv.slice(1), draft, ctx, req.cwd);
    case "nano":
    case "vi":
    case "vim": return editFile(req, draft, ctx);
  }
  if (ctx.net && (NET_TOOLS.has(base) && (base !== "hostname" || req.argv[1] === "-i" || req.argv[1] === "-I"))) {
    const r = netTool([base, ...req.argv.slice(1)], {
      world: ctx.net(), src: { host: ctx.host, container: null }, now: ctx.now, busybox: false,
      tty: { stdout: req.tty?.stdout === true, stderr: req.tty?.stderr === true }, cwd: req.cwd, ...(ctx.catalog ? { catalog: ctx.catalog } : {}),
    });
    if (r !== null) {
      if ("outcome" in r) return r.outcome;
      for (const w of r.writes) {
        const wr = writeFile(draft.fs, w.path, w.text, ctx.now);
        if (wr.ok) draft.fs = wr.value;
      }
      return { kind: "net", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, traffic: r.plan };
    }
  }
  const hostProgram = HOST_PROGRAMS.get(base);
  if (hostProgram) return hostProgram(req, draft, ctx);
  const util = COREUTILS.get(base);
  if (!util) return outcome(127, "", `bash: ${name}: command not found\n`);
  if (namesDockerRoot(req.cwd, req.argv)) {
    // `ls /var/lib/docker/volumes/demovol/_data`: the volumes' content at their mountpoints.
    const view = withDockerRoot(draft.fs, draft.engine, ctx.now);
    const r = util(req, view, ctx.now);
    const split = splitDockerRoot(draft.fs, view, r.fs, draft.engine, ctx.now);
    draft.fs = split.fs;
    draft.engine = split.engine;
    return r.outcome;
  }
  const r = util(req, draft.fs, ctx.now);
  draft.fs = r.fs;
  return r.outcome;
}

function withHostDraft(w: NetWorld, host: string, engine: EngineState, fs: FsDir): NetWorld {
  return { ...w, hosts: w.hosts.map((h) => (h.name === host ? { ...h, engine, fs } : h)) };
}

/** GNU sleep: NUMBER[SUFFIX]..., s m h d; the line waits that long in virtual time. */
function sleep(args: readonly string[]): CommandOutcome | Pending {
  if (args.length === 0) return outcome(1, "", "sleep: missing operand\nTry 'sleep --help' for more information.\n");
  let total = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return outcome(1, "", `sleep: invalid time interval ‘${a}’\nTry 'sleep --help' for more information.\n`);
    const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
    total += Number(m[1]) * unit * MICROS_PER_SECOND;
  }
  const durationUs = Math.round(total);
  return { kind: "sleep", durationUs, steps: [{ atUs: durationUs, event: "sleep.done", detail: {}, stdout: "" }], outcome: outcome(0, "", "") };
}

const DRYDOCK_HELP = `drydock commands at a host's prompt:
  drydock registry start [PORT]   start a registry on this host, reachable as localhost:PORT (default 5000)
  drydock registry ls             list the registries started in this world
  drydock hosts                   list the hosts of this world
  drydock dockercoins [DIR]       write DockerCoins, the course's compose app, into DIR (default ./dockercoins)
  drydock load                    the request loops on this host (DockerCoins' workers): each service's latency and the bottleneck
  drydock crash HOST              crash a host: its engine, containers, swarm daemon and kubelet stop (a node failure)
  drydock restart HOST            start a crashed host again (containers with a restart policy come back)
(\`docker run -d -p 5000:5000 registry:2\` does the same with a registry container.)
`;

/**
 * `drydock load`: the steady state of the host's request loops (engine/network/load.ts), as a
 * table: each service the loops call, its containers, its own time per request, the latency a
 * request sees now (its queue), what it can serve and what is asked of it; the bottleneck named.
 */
function loadReport(draft: HostDraft, now: Micros): string {
  const r = clientLoads(draft.engine, draft.fs, now);
  if (r.clients.size === 0) return "no request loops run on this host (DockerCoins' workers are one: drydock dockercoins)\n";
  const asked = new Map<string, number>();
  const capped = new Set<string>();
  for (const c of r.clients.values()) {
    for (const st of c.stations) asked.set(st.key, (asked.get(st.key) ?? 0) + c.rate);
    if (c.bottleneck !== null) capped.add(c.bottleneck);
  }
  const ms = (us: number) => `${Math.round(us / 1000)}ms`;
  const stations = [...r.stations.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const rows = stations.map((st) => [
    st.name, String(st.servers.length), ms(st.serviceUs), ms(r.latencyUs.get(st.key) ?? st.serviceUs),
    `${st.capacity.toFixed(1)}/s${st.hostBound ? " (host-bound)" : ""}`, `${(asked.get(st.key) ?? 0).toFixed(1)}/s`,
  ]);
  const lines = table(["SERVICE", "CONTAINERS", "PER REQUEST", "LATENCY", "SERVES", "ASKED"], rows).split("\n");
  stations.forEach((st, i) => {
    if (capped.has(st.name)) lines[i + 1] += `   <- bottleneck${st.hostBound ? ": one host's worth, however many containers" : ""}`;
  });
  const stalled = [...r.clients.values()].filter((c) => c.stalled !== null).length;
  return lines.join("\n") +
    `${r.clients.size} client loop${r.clients.size === 1 ? "" : "s"}: ${r.total.toFixed(1)} rounds/s in all${stalled > 0 ? ` (${stalled} stalled: a service they call does not answer)` : ""}\n`;
}

/** `drydock ...` typed at a host prompt: the world's own controls. */
function drydockAtPrompt(args: readonly string[], draft: HostDraft, ctx: CommandContext, cwd = "/root"): CommandOutcome {
  const [cmd, sub, arg] = args;
  if (cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h") return outcome(0, DRYDOCK_HELP, "");
  if (cmd === "hosts") return outcome(0, ctx.hosts.map((h) => `${h}${h === ctx.host ? " (this host)" : ""}\n`).join(""), "");
  if (cmd === "load") return outcome(0, loadReport(draft, ctx.now), "");
  // A fault is the world's, not a command of one host's line: the terminal takes these on a line of their own (cli src/shell.ts worldFault).
  if (cmd === "crash" || cmd === "restart") return outcome(1, "", `drydock: drydock ${cmd} HOST works at the terminal's prompt, on a line of its own\n`);
  if (cmd === "dockercoins") {
    // The course's sample app as a ready project: its compose file and the five services' sources.
    const dir = normalizePath(cwd, sub ?? "dockercoins");
    let fs = draft.fs;
    for (const [rel, text] of DOCKERCOINS_FILES) {
      const path = `${dir}/${rel}`;
      const r = writeTree(fs, path.slice(0, path.lastIndexOf("/")), new Map([[path.slice(path.lastIndexOf("/") + 1), { text, mode: 0o644 }]]), ctx.now);
      if (!r.ok) return outcome(1, "", `drydock: cannot write ${path}: ${r.error}\n`);
      fs = r.value;
    }
    draft.fs = fs;
    return outcome(0, `DockerCoins written to ${dir}: ${[...DOCKERCOINS_FILES.keys()].join(" ")}\nStart it with: cd ${dir} && docker compose up -d\n`, "");
  }
  if (cmd === "registry" && sub === "ls") {
    return outcome(0, [...draft.registries].map(([d, h]) => `${d}\t${h}\n`).join(""), "");
  }
  if (cmd === "registry" && sub === "start") {
    const port = arg ?? "5000";
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return outcome(1, "", `drydock: invalid port "${port}"\n`);
    const domain = `localhost:${port}`;
    const owner = draft.registries.get(domain);
    if (owner !== undefined) {
      // As `docker run -p 5000:5000` on a port in use would fail.
      return outcome(1, "", `drydock: a registry already listens on ${domain} (started on ${owner})\n`);
    }
    const hub = draft.hub.clone();
    hub.addRegistry(domain);
    draft.hub = hub;
    draft.registries = new Map([...draft.registries, [domain, ctx.host]]);
    return outcome(0, `registry:2 listening on ${domain} (on ${ctx.host})\n`, "");
  }
  return outcome(2, "", `drydock: unknown command "${args.join(" ")}" (try 'drydock help')\n`);
}
