// `docker compose` (Compose v2 as a CLI plugin) and `docker-compose` (the course's alias): its
// global flags (-f, -p, --project-directory, --env-file, --profile), the files it finds in the
// working directory, and `config`, which works without containers. The commands that run
// containers (up, down, ps, logs, scale, …) say drydock does not simulate them yet.
import {
  ComposeError, DEFAULT_COMPOSE_FILES, formatConfig, formatServices, goQuote, loadProject, projectDocument, type LoadResult, type Raw,
} from "@drydock/compose";
import { rfc3339Nano } from "@drydock/engine";
import { isDrydockError } from "@drydock/kernel";
import type { CommandOutcome } from "../shell/host.js";
import { exitCodeOf, fail, isCliError } from "../errors.js";
import { lookup, normalizePath, readFile } from "../fs/index.js";
import { flag, parseFlags, type FlagSpec, type Parsed } from "./flags.js";
import type { DockerEnv } from "./command.js";

/** The Compose release beside Docker 28.5 (docker compose version). */
export const COMPOSE_VERSION = "2.40.3";

const GLOBAL_SPECS: readonly FlagSpec[] = [
  { name: "file", short: "f", kind: "list", help: "Compose configuration files" },
  { name: "project-name", short: "p", kind: "string", help: "Project name" },
  { name: "project-directory", kind: "string", help: "Specify an alternate working directory\n(default: the path of the, first specified, Compose file)" },
  { name: "env-file", kind: "list", help: "Specify an alternate environment file" },
  { name: "profile", kind: "list", help: "Specify a profile to enable" },
  { name: "ansi", kind: "string", help: "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\")", default: "auto" },
  { name: "compatibility", kind: "bool", help: "Run compose in backward compatibility mode" },
  { name: "dry-run", kind: "bool", help: "Execute command in dry run mode" },
  { name: "parallel", kind: "int", help: "Control max parallelism, -1 for unlimited", default: -1 },
  { name: "progress", kind: "string", help: "Set type of progress output (auto, tty, plain, json, quiet)" },
  { name: "help", short: "h", kind: "bool", help: "Help for compose" },
];

/** Compose's commands (docker/compose cmd/compose), with their summaries; only `config` and `version` run here. */
const SUBCOMMANDS = new Map<string, string>([
  ["attach", "Attach local standard input, output, and error streams to a service's running container"],
  ["build", "Build or rebuild services"], ["commit", "Create a new image from a service container's changes"],
  ["config", "Parse, resolve and render compose file in canonical format"], ["cp", "Copy files/folders between a service container and the local filesystem"],
  ["create", "Creates containers for a service"], ["down", "Stop and remove containers, networks"], ["events", "Receive real time events from containers"],
  ["exec", "Execute a command in a running container"], ["export", "Export a service container's filesystem as a tar archive"],
  ["images", "List images used by the created containers"], ["kill", "Force stop service containers"], ["logs", "View output from containers"],
  ["ls", "List running compose projects"], ["pause", "Pause services"], ["port", "Print the public port for a port binding"],
  ["ps", "List containers"], ["pull", "Pull service images"], ["push", "Push service images"], ["restart", "Restart service containers"],
  ["rm", "Removes stopped service containers"], ["run", "Run a one-off command on a service"], ["scale", "Scale services "],
  ["start", "Start services"], ["stats", "Display a live stream of container(s) resource usage statistics"], ["stop", "Stop services"],
  ["top", "Display the running processes"], ["unpause", "Unpause services"], ["up", "Create and start containers"],
  ["version", "Show the Docker Compose version information"], ["volumes", "List volumes"], ["wait", "Block until containers of all (or specified) services stop."],
  ["watch", "Watch build context for service and rebuild/refresh containers when files are updated"],
]);

const CONFIG_SPECS: readonly FlagSpec[] = [
  { name: "format", kind: "string", help: "Format the output. Values: [yaml | json]", default: "yaml" },
  { name: "quiet", short: "q", kind: "bool", help: "Only validate the configuration, don't print anything" },
  { name: "services", kind: "bool", help: "Print the service names, one per line" },
  { name: "volumes", kind: "bool", help: "Print the volume names, one per line" },
  { name: "networks", kind: "bool", help: "Print the network names, one per line" },
  { name: "profiles", kind: "bool", help: "Print the profile names, one per line" },
  { name: "images", kind: "bool", help: "Print the image names, one per line" },
  { name: "no-interpolate", kind: "bool", help: "Don't interpolate environment variables" },
  { name: "no-consistency", kind: "bool", help: "Don't check model consistency - warning: may produce invalid Compose output" },
  { name: "help", short: "h", kind: "bool", help: "Help for config" },
];

const outcome = (status: number, stdout: string, stderr: string): CommandOutcome => ({ status, stdout, stderr });

/** compose's usage text (its layout, drydock's list). */
function composeHelp(prog: string): string {
  const rows = [...SUBCOMMANDS].map(([n, s]) => `  ${n.padEnd(10)}  ${s}${n === "config" || n === "version" ? "" : " *"}`);
  return `\nUsage:  ${prog} [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n\nOptions:\n` +
    GLOBAL_SPECS.map((s) => `  ${(s.short ? `-${s.short}, ` : "    ") + `--${s.name}${s.kind === "bool" ? "" : ` ${s.kind === "list" ? "stringArray" : s.kind}`}`}`.padEnd(34) + s.help.split("\n")[0]).join("\n") +
    `\n\nCommands:\n${rows.join("\n")}\n\nRun '${prog} COMMAND --help' for more information on a command.\n* drydock does not simulate this command yet.\n`;
}

/** Splits compose's global flags (before the command) from the command and its arguments. */
function splitGlobal(args: readonly string[]): { global: string[]; rest: string[] } {
  const byLong = new Map(GLOBAL_SPECS.map((s) => [s.name, s]));
  const byShort = new Map(GLOBAL_SPECS.filter((s) => s.short).map((s) => [s.short!, s]));
  let i = 0;
  while (i < args.length && args[i]!.startsWith("-") && args[i] !== "-") {
    const a = args[i]!;
    const spec = a.startsWith("--") ? byLong.get(a.slice(2).split("=")[0]!) : byShort.get(a[1]!);
    const takesValue = spec !== undefined && spec.kind !== "bool" && !a.includes("=") && (a.startsWith("--") || a.length === 2);
    i += takesValue ? 2 : 1;
  }
  return { global: args.slice(0, i), rest: args.slice(i) };
}

function read(env: DockerEnv, path: string): string | undefined {
  const r = readFile(env.fs, path);
  return r.ok ? r.value : undefined;
}

const exists = (env: DockerEnv, path: string) => lookup(env.fs, path).ok;

/**
 * The files compose reads: `-f` files, or the first default name found in the working directory
 * or a parent (compose-go), with its override file.
 */
function composeFiles(g: Parsed, env: DockerEnv): { files: { path: string; content: string }[]; workingDir: string; warning: string } {
  const given = flag.list(g, "file");
  const projectDir = flag.str(g, "project-directory");
  if (given.length > 0) {
    const files = given.map((f) => {
      const path = normalizePath(env.cwd, f);
      const content = read(env, path);
      if (content === undefined) fail("CLIENT", `open ${path}: no such file or directory`);
      return { path, content: content! };
    });
    return { files, workingDir: projectDir !== undefined ? normalizePath(env.cwd, projectDir) : files[0]!.path.replace(/\/[^/]*$/, "") || "/", warning: "" };
  }
  let dir = projectDir !== undefined ? normalizePath(env.cwd, projectDir) : env.cwd;
  for (;;) {
    const found = DEFAULT_COMPOSE_FILES.filter((n) => exists(env, `${dir === "/" ? "" : dir}/${n}`));
    if (found.length > 0) {
      const main = `${dir === "/" ? "" : dir}/${found[0]}`;
      const warning = found.length > 1
        ? `Found multiple config files with supported names: ${found.map((n) => `${dir === "/" ? "" : dir}/${n}`).join(", ")}\nUsing ${main}` : "";
      const files = [{ path: main, content: read(env, main)! }];
      const base = found[0]!.replace(/\.ya?ml$/, "");
      for (const ext of ["yaml", "yml"]) {
        const override = `${dir === "/" ? "" : dir}/${base}.override.${ext}`;
        const text = read(env, override);
        if (text !== undefined) {
          files.push({ path: override, content: text });
          break;
        }
      }
      return { files, workingDir: projectDir !== undefined ? normalizePath(env.cwd, projectDir) : dir, warning };
    }
    if (dir === "/") break;
    dir = dir.replace(/\/[^/]*$/, "") || "/";
  }
  return fail("CLIENT", "no configuration file provided: not found");
}

/** Loads the project the way the command line names it. */
export function loadFromCommandLine(g: Parsed, env: DockerEnv, opts: { interpolate?: boolean } = {}): LoadResult & { warning: string } {
  const { files, workingDir, warning } = composeFiles(g, env);
  const envFiles = flag.list(g, "env-file");
  let dotenv: string | null = null;
  if (envFiles.length > 0) {
    dotenv = envFiles.map((f) => {
      const p = normalizePath(env.cwd, f);
      const t = read(env, p);
      if (t === undefined) fail("CLIENT", `couldn't find env file: ${p}`);
      return t!;
    }).join("\n");
  } else {
    dotenv = read(env, `${workingDir === "/" ? "" : workingDir}/.env`) ?? null;
  }
  const shellEnv = new Map(Object.entries(env.env));
  const r = loadProject({
    files, workingDir, env: opts.interpolate === false ? new Map() : shellEnv, dotenv, readFile: (p) => read(env, p),
    ...(flag.str(g, "project-name") !== undefined ? { projectName: flag.str(g, "project-name")! } : {}),
    profiles: flag.list(g, "profile"),
  });
  return { ...r, warning };
}

/**
 * A warning as compose's logrus prints it: `WARN[0000] text` on a terminal, the text formatter's
 * `time="…" level=warning msg="…"` when stderr is not one.
 */
function logrusWarning(text: string, env: DockerEnv): string {
  if (env.tty?.stderr === true) return `WARN[0000] ${text}\n`;
  const time = rfc3339Nano(Math.floor(env.now / 1_000_000) * 1_000_000);
  return `time="${time}" level=warning msg=${goQuote(text)}\n`;
}

/** JSON with two-space indents from the canonical document (json.MarshalIndent). */
function toJson(v: Raw): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toJson(x)]));
  if (Array.isArray(v)) return v.map(toJson);
  return v;
}

function configCommand(prog: string, g: Parsed, argv: readonly string[], env: DockerEnv): CommandOutcome {
  let p: Parsed;
  try {
    p = parseFlags(argv, CONFIG_SPECS);
  } catch (e) {
    if (isDrydockError(e)) return outcome(1, "", `${e.message}\n`);
    throw e;
  }
  if (flag.bool(p, "help")) {
    return outcome(0, `\nUsage:  ${prog} config [OPTIONS] [SERVICE...]\n\n${SUBCOMMANDS.get("config")}\n\nAliases:\n  ${prog} config, ${prog} convert\n\nOptions:\n` +
      CONFIG_SPECS.map((s) => `  ${(s.short ? `-${s.short}, ` : "    ") + `--${s.name}`}`.padEnd(30) + s.help).join("\n") + "\n", "");
  }
  const r = loadFromCommandLine(g, env, { interpolate: !flag.bool(p, "no-interpolate") });
  const warnings = (r.warning !== "" ? [r.warning] : []).concat(r.warnings).map((w) => logrusWarning(w, env)).join("");
  const project = r.project;
  // `config SERVICE...` keeps only those services (and what they depend on is not added, as compose does).
  for (const s of p.args) if (!project.services.has(s)) return outcome(1, "", `${warnings}no such service: ${s}\n`);
  const only = p.args.length > 0 ? { ...project, services: new Map([...project.services].filter(([k]) => p.args.includes(k))) } : project;
  let out: string;
  if (flag.bool(p, "quiet")) out = "";
  else if (flag.bool(p, "services")) out = formatServices(only);
  else if (flag.bool(p, "volumes")) out = [...only.volumes.keys()].map((v) => `${v}\n`).join("");
  else if (flag.bool(p, "networks")) out = [...only.networks.keys()].map((v) => `${v}\n`).join("");
  else if (flag.bool(p, "profiles")) out = [...new Set([...only.services.values(), ...only.disabledServices.values()].flatMap((s) => s.profiles))].sort().map((x) => `${x}\n`).join("");
  else if (flag.bool(p, "images")) out = [...only.services.values()].map((s) => `${s.image ?? `${only.name}-${s.name}`}\n`).join("");
  else if (flag.str(p, "format") === "json") out = JSON.stringify(toJson(projectDocument(only)), null, 2) + "\n";
  else if (flag.str(p, "format") === "yaml") out = formatConfig(only);
  else return outcome(1, "", `${warnings}unsupported format "${flag.str(p, "format")}"\n`);
  return { ...outcome(0, out, warnings), ...(warnings !== "" ? { stderrFirst: true } : {}) };
}

/**
 * Runs `docker compose ARGS…` (prog "docker compose") or `docker-compose ARGS…` against the host
 * in `env`. Never throws for what is typed: compose's errors are its texts on stderr, exit 1.
 * `config` and `version` change nothing, so `env` is never changed.
 */
export function runCompose(args: readonly string[], env: DockerEnv, prog = "docker compose"): CommandOutcome {
  try {
    const { global, rest } = splitGlobal(args);
    let g: Parsed;
    try {
      g = parseFlags(global, GLOBAL_SPECS);
    } catch (e) {
      if (isDrydockError(e)) return outcome(1, "", `${e.message}\n`);
      throw e;
    }
    const [sub, ...subArgs] = rest;
    if (flag.bool(g, "help") || sub === undefined || sub === "help") return outcome(0, composeHelp(prog), "");
    if (sub === "version") {
      const short = subArgs.includes("--short");
      return outcome(0, short ? `${COMPOSE_VERSION}\n` : `Docker Compose version v${COMPOSE_VERSION}\n`, "");
    }
    if (sub === "config" || sub === "convert") return configCommand(prog, g, subArgs, env);
    if (SUBCOMMANDS.has(sub)) return fail("NOT_SIMULATED", `${prog} ${sub}`);
    return outcome(1, "", `unknown docker command: "compose ${sub}"\n`);
  } catch (e) {
    if (isCliError(e)) return outcome(exitCodeOf(e), "", `${e.message}\n`);
    if (e instanceof ComposeError) return outcome(1, "", `${e.message}\n`);
    if (isDrydockError(e)) return outcome(1, "", `${e.message}\n`);
    throw e;
  }
}
