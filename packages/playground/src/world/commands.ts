import { MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import type { EngineState } from "@drydock/engine";
import { runDocker } from "../docker/cli.js";
import { runCompose } from "../docker/compose.js";
import type { ContainerRuntime, DockerEnv, Pending } from "../docker/command.js";
import { HOST_PROGRAMS } from "./host-procs.js";
import { COREUTILS, coreutilsPath } from "../shell/coreutils.js";
import type { CommandOutcome, CommandRequest } from "../shell/host.js";
import type { FsDir } from "../fs/index.js";

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
}

/** Programs installed on every host besides the coreutils. */
const PROGRAMS = new Map<string, string>([
  ["docker", "/usr/bin/docker"], ["docker-compose", "/usr/local/bin/docker-compose"], ["drydock", "/usr/local/bin/drydock"], ["sleep", "/usr/bin/sleep"],
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
    case "drydock": return drydockAtPrompt(req.argv.slice(1), draft, ctx);
  }
  const hostProgram = HOST_PROGRAMS.get(base);
  if (hostProgram) return hostProgram(req, draft, ctx);
  const util = COREUTILS.get(base);
  if (!util) return outcome(127, "", `bash: ${name}: command not found\n`);
  const r = util(req, draft.fs, ctx.now);
  draft.fs = r.fs;
  return r.outcome;
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
(\`docker run -d -p 5000:5000 registry:2\` does the same with a registry container.)
`;

/** `drydock ...` typed at a host prompt: the world's own controls. */
function drydockAtPrompt(args: readonly string[], draft: HostDraft, ctx: CommandContext): CommandOutcome {
  const [cmd, sub, arg] = args;
  if (cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h") return outcome(0, DRYDOCK_HELP, "");
  if (cmd === "hosts") return outcome(0, ctx.hosts.map((h) => `${h}${h === ctx.host ? " (this host)" : ""}\n`).join(""), "");
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
