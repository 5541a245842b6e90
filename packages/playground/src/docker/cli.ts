import { isDrydockError } from "@drydock/kernel";
import { AwaitInput, inputPending } from "../world/terminal-input.js";
import { CliError, exitCodeOf, fail, isCliError } from "../errors.js";
import type { CommandOutcome } from "../shell/host.js";
import { buildCommand } from "./build.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { flag, parseFlags, usage, type FlagSpec } from "./flags.js";
import { historyCommand, imagesCommand, inspectCommand, pullCommand, pushCommand, rmiCommand, tagCommand } from "./images.js";
import { CONTAINER_COMMANDS } from "./containers.js";
import { PLUGIN_COMMANDS, VOLUME_COMMANDS } from "./volumes.js";
import { NETWORK_COMMANDS } from "./networks.js";
import { SWARM_COMMANDS } from "./swarm.js";
import { NODE_COMMANDS } from "./node.js";
import { SERVICE_COMMANDS } from "./service.js";
import { SECRET_COMMANDS } from "./secret.js";
import { CONFIG_COMMANDS } from "./config.js";
import { STACK_COMMANDS } from "./stack.js";
import { composeCompletions, runCompose } from "./compose.js";
import { DOCKER_VERSION, SYSTEM_COMMANDS, dfCommand, infoCommand, loginCommand, logoutCommand, versionCommand } from "./system.js";

// Each family lists its commands in its own file; this is the one place they are gathered.
const COMMANDS: readonly DockerCommand[] = [
  buildCommand, imagesCommand, pullCommand, pushCommand, tagCommand, historyCommand, rmiCommand, inspectCommand,
  dfCommand, versionCommand, infoCommand, loginCommand, logoutCommand,
  ...CONTAINER_COMMANDS, ...VOLUME_COMMANDS, ...PLUGIN_COMMANDS, ...NETWORK_COMMANDS, ...SYSTEM_COMMANDS,
  ...SWARM_COMMANDS, ...NODE_COMMANDS, ...SERVICE_COMMANDS, ...SECRET_COMMANDS, ...CONFIG_COMMANDS, ...STACK_COMMANDS,
];

/** Every way to name a command ("docker images", "docker image ls", ...) → the command. */
const BY_PATH = new Map<string, DockerCommand>();
for (const c of COMMANDS) for (const p of [c.path, ...(c.aliases ?? [])]) BY_PATH.set(p, c);

/** Management commands and what they summarise (docker --help). */
const MANAGEMENT = new Map<string, string>([
  ["builder", "Manage builds"], ["buildx", "Docker Buildx"], ["compose", "Docker Compose"], ["config", "Manage Swarm configs"],
  ["container", "Manage containers"], ["context", "Manage contexts"], ["image", "Manage images"], ["manifest", "Manage Docker image manifests and manifest lists"],
  ["network", "Manage networks"], ["node", "Manage Swarm nodes"], ["plugin", "Manage plugins"], ["secret", "Manage Swarm secrets"],
  ["service", "Manage Swarm services"], ["stack", "Manage Swarm stacks"], ["swarm", "Manage Swarm"], ["system", "Manage Docker"],
  ["trust", "Manage trust on Docker images"], ["volume", "Manage volumes"],
]);

/** The subcommands Docker 28 has under each management command (docker/cli cli/command/*). */
const REAL_SUBCOMMANDS = new Map<string, readonly string[]>([
  ["container", ["attach", "commit", "cp", "create", "diff", "exec", "export", "inspect", "kill", "logs", "ls", "list", "ps", "pause", "port", "prune", "rename", "restart", "rm", "remove", "run", "start", "stats", "stop", "top", "unpause", "update", "wait"]],
  ["image", ["build", "history", "import", "inspect", "load", "ls", "list", "prune", "pull", "push", "rm", "remove", "save", "tag"]],
  ["volume", ["create", "inspect", "ls", "list", "prune", "rm", "remove", "update"]],
  ["network", ["connect", "create", "disconnect", "inspect", "ls", "list", "prune", "rm", "remove"]],
  ["plugin", ["create", "disable", "enable", "inspect", "install", "ls", "list", "push", "rm", "remove", "set", "upgrade"]],
  ["system", ["df", "events", "info", "prune", "dial-stdio"]],
  ["builder", ["build", "prune", "du", "ls"]],
  ["swarm", ["ca", "init", "join", "join-token", "leave", "unlock", "unlock-key", "update"]],
  ["node", ["demote", "inspect", "ls", "list", "promote", "ps", "rm", "remove", "update"]],
  ["service", ["create", "inspect", "logs", "ls", "list", "ps", "rm", "remove", "rollback", "scale", "update"]],
  ["stack", ["config", "deploy", "up", "ls", "list", "ps", "rm", "remove", "down", "services"]],
  ["secret", ["create", "inspect", "ls", "list", "rm", "remove"]],
  ["config", ["create", "inspect", "ls", "list", "rm", "remove"]],
]);

/** Real docker commands that drydock does not simulate yet: said honestly, exit 1. */
const NOT_YET = new Map<string, string>([
  ["run", "Create and run a new container from an image"], ["exec", "Execute a command in a running container"],
  ["ps", "List containers"], ["attach", "Attach local standard input, output, and error streams to a running container"],
  ["commit", "Create a new image from a container's changes"], ["cp", "Copy files/folders between a container and the local filesystem"],
  ["create", "Create a new container"], ["diff", "Inspect changes to files or directories on a container's filesystem"],
  ["events", "Get real time events from the server"], ["export", "Export a container's filesystem as a tar archive"],
  ["import", "Import the contents from a tarball to create a filesystem image"], ["kill", "Kill one or more running containers"],
  ["load", "Load an image from a tar archive or STDIN"], ["logs", "Fetch the logs of a container"],
  ["pause", "Pause all processes within one or more containers"], ["port", "List port mappings or a specific mapping for the container"],
  ["rename", "Rename a container"], ["restart", "Restart one or more containers"], ["rm", "Remove one or more containers"],
  ["save", "Save one or more images to a tar archive (streamed to STDOUT by default)"], ["search", "Search Docker Hub for images"],
  ["start", "Start one or more stopped containers"], ["stats", "Display a live stream of container(s) resource usage statistics"],
  ["stop", "Stop one or more running containers"], ["top", "Display the running processes of a container"],
  ["unpause", "Unpause all processes within one or more containers"], ["update", "Update configuration of one or more containers"],
  ["wait", "Block until one or more containers stop, then print their exit codes"],
]);

const HELP: FlagSpec = { name: "help", kind: "bool", help: "Print usage" };

/** `docker --help`, in the current CLI's layout; commands drydock lacks are marked. */
export function dockerHelp(): string {
  const row = (name: string, summary: string, simulated: boolean) => `  ${(name + (simulated ? "" : "*")).padEnd(12)}${summary}`;
  const top = (name: string) => BY_PATH.has(`docker ${name}`);
  const common = ["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info"]
    .map((n) => row(n, NOT_YET.get(n) ?? listed(n), top(n)));
  const mgmt = [...MANAGEMENT].map(([n, s]) => row(n, s, subcommandsOf(n).length > 0));
  const rest = [...NOT_YET.keys(), "history", "inspect", "rmi", "tag"].filter((n) => !["run", "exec", "ps", "search"].includes(n)).sort()
    .map((n) => row(n, NOT_YET.get(n) ?? listed(n), top(n)));
  return `Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers (simulated by drydock)

Common Commands:
${common.join("\n")}

Management Commands:
${mgmt.join("\n")}

Commands:
${rest.join("\n")}

Global Options:
  -D, --debug              Enable debug mode
  -h, --help               Print usage
  -v, --version            Print version information and quit

Run 'docker COMMAND --help' for more information on a command.
* drydock does not simulate this command yet.
`;
}

/**
 * What a terminal's Tab completes after `docker` (as Docker's bash completion does): the
 * commands under a path (`[]` top level, `["image"]` its subcommands) and, for a command
 * drydock simulates, its flags (`--name`, `-n`), read from the same tables that run them.
 */
export function dockerCompletions(path: readonly string[]): { readonly commands: readonly string[]; readonly flags: readonly string[] } {
  if (path[0] === "compose" && path.length <= 2) return composeCompletions(path[1] ?? null);
  const prefix = ["docker", ...path].join(" ") + " ";
  const commands = new Set<string>(path.length === 0 ? [...MANAGEMENT.keys(), ...NOT_YET.keys()] : path.length === 1 ? (REAL_SUBCOMMANDS.get(path[0]!) ?? []) : []);
  for (const p of BY_PATH.keys()) if (p.startsWith(prefix)) commands.add(p.slice(prefix.length).split(" ")[0]!);
  const c = BY_PATH.get(prefix.trimEnd());
  const flags = c === undefined ? [] : [...c.specs, HELP].flatMap((f) => [`--${f.name}`, ...(f.short !== undefined ? [`-${f.short}`] : [])]);
  return { commands: [...commands].sort(), flags: [...new Set(flags)].sort() };
}

/** A command's line in `docker --help`: its first line, without the full stop. */
function listed(name: string): string {
  const c = BY_PATH.get(`docker ${name}`);
  return (c?.listed ?? c?.summary.split("\n")[0] ?? "").replace(/\.$/, "");
}

function subcommandsOf(parent: string): { name: string; summary: string }[] {
  const out: { name: string; summary: string }[] = [];
  const seen = new Set<DockerCommand>();
  for (const [path, c] of BY_PATH) {
    const words = path.split(" ");
    if (words.length === 3 && words[1] === parent && !seen.has(c)) {
      seen.add(c);
      out.push({ name: words[2]!, summary: c.summary.split("\n")[0]! });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function managementHelp(parent: string): string {
  const subs = subcommandsOf(parent);
  return `Usage:  docker ${parent} COMMAND\n\n${MANAGEMENT.get(parent)}\n\nCommands:\n${subs.map((s) => `  ${s.name.padEnd(12)}${s.summary}`).join("\n")}\n\nRun 'docker ${parent} COMMAND --help' for more information on a command.\n`;
}

function commandHelp(c: DockerCommand, shown: string): string {
  const aliases = [c.path, ...(c.aliases ?? [])].filter((a) => a !== shown);
  return usage(c.use, c.summary, [...c.specs, HELP]).replace(/\n\nOptions:/, aliases.length > 0 ? `\n\nAliases:\n  ${[shown, ...aliases].join(", ")}\n\nOptions:` : "\n\nOptions:");
}

const outcome = (status: number, stdout: string, stderr: string): CommandOutcome => ({ status, stdout, stderr });
const nl = (s: string) => (s === "" || s.endsWith("\n") ? s : s + "\n");

/**
 * Runs `docker ARGS...` against the engine in `env`. Never throws for bad input: every error
 * becomes Docker's text and exit code. On success the command's changes are left in `env`
 * (and `env.pending` holds a command that takes virtual time); on failure `env` is untouched.
 */
export function runDocker(args: readonly string[], env: DockerEnv): CommandOutcome {
  const before = { engine: env.engine, hub: env.hub };
  try {
    return dispatch(args, env);
  } catch (e) {
    env.engine = before.engine;
    env.hub = before.hub;
    env.pending = null;
    // A prompt at a terminal: the command waits for the next line typed (world/terminal-input.ts).
    if (e instanceof AwaitInput) return (env.pending = inputPending(e, env.stderr)).outcome;
    if (isCliError(e)) return outcome(exitCodeOf(e), "", nl(env.stderr + e.message));
    if (isDrydockError(e)) return outcome(1, "", nl(`${env.stderr}Error response from daemon: ${e.message}`));
    throw e;
  }
}

function dispatch(args: readonly string[], env: DockerEnv): CommandOutcome {
  // Global options before the command (docker -D images, docker --help).
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-")) {
    const a = args[i]!;
    if (a === "-h" || a === "--help") return outcome(0, dockerHelp(), "");
    if (a === "-v" || a === "--version") return outcome(0, `Docker version ${DOCKER_VERSION.client}, build drydock\n`, "");
    if (a === "-D" || a === "--debug") { i++; continue; }
    fail("FLAG", `unknown ${a.startsWith("--") ? "flag" : "shorthand flag"}: ${a.startsWith("--") ? a.split("=")[0] : `'${a[1]}' in ${a}`}`, "docker");
  }
  const rest = args.slice(i);
  const [first, second] = rest;
  if (first === undefined) return outcome(0, dockerHelp(), "");
  if (first === "help") {
    if (second === undefined) return outcome(0, dockerHelp(), "");
    return dispatch([...rest.slice(1), "--help"], env);
  }
  // Compose is a CLI plugin with its own parser (docker/compose): it takes everything after it.
  if (first === "compose") return runCompose(rest.slice(1), env);
  // `docker image ls` before `docker images`: the longest path names the command.
  const two = second !== undefined ? BY_PATH.get(`docker ${first} ${second}`) : undefined;
  if (two) return runCommand(two, `docker ${first} ${second}`, rest.slice(2), env);
  if (MANAGEMENT.has(first)) {
    const subs = subcommandsOf(first);
    if (subs.length === 0) fail("NOT_SIMULATED", `docker ${first}`);
    if (second === undefined || second === "--help" || second === "-h") return outcome(0, managementHelp(first), "");
    // A real subcommand drydock lacks says so; a word Docker does not know is Docker's error.
    if (REAL_SUBCOMMANDS.get(first)?.includes(second) ?? true) fail("NOT_SIMULATED", `docker ${first} ${second}`);
    return fail("UNKNOWN_SUBCOMMAND", first, second);
  }
  const one = BY_PATH.get(`docker ${first}`);
  if (one) return runCommand(one, `docker ${first}`, rest.slice(1), env);
  if (NOT_YET.has(first)) fail("NOT_SIMULATED", `docker ${first}`);
  return fail("UNKNOWN_COMMAND", first);
}

/** Each command's flags with --help, built once (parseFlags indexes a list it has seen before). */
const SPECS = new Map<DockerCommand, readonly FlagSpec[]>();

function runCommand(c: DockerCommand, shown: string, argv: readonly string[], env: DockerEnv): CommandOutcome {
  let specs = SPECS.get(c);
  if (specs === undefined) SPECS.set(c, (specs = [...c.specs, HELP]));
  let p;
  try {
    p = parseFlags(argv, specs, c.interspersed === false ? { interspersed: false } : {});
  } catch (e) {
    if (isDrydockError(e) && !(e instanceof CliError)) fail("FLAG", e.message, shown);
    throw e;
  }
  if (flag.bool(p, "help")) return outcome(0, commandHelp(c, shown), "");
  const [min, max] = typeof c.args === "number" ? [c.args, c.args] : c.args;
  if (p.args.length < min || p.args.length > max) {
    // A plugin (buildx) reports with its own command path and "ERROR: " (cobra under buildx).
    const named = c.plugin ? c.path : shown;
    const s = (n: number) => `${n} argument${n === 1 ? "" : "s"}`;
    const want = min === max ? `exactly ${s(min)}` : max === Infinity ? `at least ${s(min)}` : p.args.length < min ? `at least ${s(min)}` : `at most ${s(max)}`;
    const use = c.use.startsWith(c.path) ? named + c.use.slice(c.path.length) : c.use;
    // docker/cli cli/required.go: NoArgs says "accepts no arguments", the others "requires …".
    if (max === 0) fail("NO_ARGS", named, use, c.summary.split("\n")[0]!);
    fail("ARGS", named, want, use, c.summary.split("\n")[0]!, c.plugin ? "ERROR: " : "");
  }
  const stdout = c.run(p, env);
  if (env.pending) return env.pending.outcome;
  if (env.chunks !== undefined) {
    const chunks = env.chunks;
    const text = (fd: 1 | 2) => chunks.filter((x) => x.fd === fd).map((x) => x.text).join("");
    return { status: env.exitCode ?? (env.failedPartly ? 1 : 0), stdout: text(1), stderr: text(2), chunks };
  }
  return { ...outcome(env.exitCode ?? (env.failedPartly ? 1 : 0), stdout, env.stderr), ...(env.stderrFirst ? { stderrFirst: true } : {}) };
}
