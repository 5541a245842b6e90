// `docker compose` (Compose v2 as a CLI plugin) and `docker-compose` (the course's alias): its
// global flags (-f, -p, --project-directory, --env-file, --profile), the files it finds in the
// working directory, `config`, and the commands that run a project on the engine (up, down, ps,
// logs, scale, create, start, stop, restart, exec, run, build, pull, top: compose-run.ts; kill,
// rm, pause, unpause, port, images, ls, push: compose-ops.ts). The others say drydock does not
// simulate them yet.
import { AwaitInput, inputPending } from "../world/terminal-input.js";
import {
  ComposeError, DEFAULT_COMPOSE_FILES, formatConfig, formatServices, goQuote, loadProject, projectDocument, type LoadResult, type Project, type Raw,
  type Service,
} from "@drydock/compose";
import { rfc3339Nano } from "@drydock/engine";
import { isDrydockError } from "@drydock/kernel";
import type { CommandOutcome, OutputChunk } from "../shell/host.js";
import { exitCodeOf, fail, isCliError } from "../errors.js";
import { lookup, normalizePath, readFile } from "../fs/index.js";
import { flag, parseFlags, type FlagSpec, type Parsed } from "./flags.js";
import type { DockerEnv } from "./command.js";
import { splitChunks } from "./follow.js";
import {
  COMPOSE_VERSION, composeDown, composeImageWork, runArgs, composeLogs, composePs, composeRestart, composeStart, composeStop, composeUp, logPrefixes, projectContainers,
} from "./compose-run.js";
import { runDocker } from "./cli.js";
import { composeImages, composeKill, composeLs, composePause, composePort, composePush, composeRm } from "./compose-ops.js";

export { COMPOSE_VERSION };

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

/** Compose's commands (docker/compose cmd/compose), with their summaries; those in RUNS, `config` and `version` run. */
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
  const rows = [...SUBCOMMANDS].map(([n, s]) => `  ${n.padEnd(10)}  ${s}${RUNS.has(n) || n === "config" || n === "convert" || n === "version" ? "" : " *"}`);
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
 * Where a compose file's error is, when compose's words do not say it: drydock's own line after
 * them (the file, the line and column, the path of the value), as its catalogue notes are.
 */
function whereText(e: ComposeError): string {
  if (e.file === "" || e.message.includes(e.file)) return "";
  const at = e.location ? `:${e.location.line}:${e.location.column}` : "";
  return `drydock: at ${e.file}${at}${e.path !== "" ? ` (${e.path})` : ""}\n`;
}

/**
 * Runs `docker compose ARGS…` (prog "docker compose") or `docker-compose ARGS…` against the host
 * in `env`. Never throws for what is typed: compose's errors are its texts on stderr, exit 1.
 * `config` and `version` change nothing, so `env` is never changed.
 */
/** What a terminal's Tab completes after `docker compose`: its commands, and a command's flags (the global ones before it). */
export function composeCompletions(sub: string | null): { readonly commands: readonly string[]; readonly flags: readonly string[] } {
  const specs = sub === null ? GLOBAL_SPECS : (RUNS.get(sub)?.specs ?? []);
  const flags = specs.flatMap((f) => [`--${f.name}`, ...(f.short !== undefined ? [`-${f.short}`] : [])]);
  return { commands: sub === null ? [...SUBCOMMANDS.keys()].sort() : [], flags: [...new Set(flags)].sort() };
}

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
    const runs = RUNS.get(sub);
    if (runs) return runSubcommand(prog, sub, runs, g, subArgs, env);
    if (SUBCOMMANDS.has(sub)) return fail("NOT_SIMULATED", `${prog} ${sub}`);
    return outcome(1, "", `unknown docker command: "compose ${sub}"\n`);
  } catch (e) {
    // `compose rm`'s prompt at a terminal: the command waits for the next line typed (world/terminal-input.ts).
    if (e instanceof AwaitInput) return (env.pending = inputPending(e, env.stderr)).outcome;
    if (isCliError(e)) return outcome(exitCodeOf(e), "", `${e.message}\n`);
    if (e instanceof ComposeError) return outcome(1, "", `${e.message}\n${whereText(e)}`);
    if (isDrydockError(e)) return outcome(1, "", `${e.message}\n`);
    throw e;
  }
}

// ---- the commands that run the project ----

interface Sub {
  readonly specs: readonly FlagSpec[];
  readonly use: string;
  readonly run: (ctx: { prog: string; g: Parsed; p: Parsed; env: DockerEnv; load: () => LoadResult & { warning: string } }) => CommandOutcome;
}

const b = (name: string, help: string, short?: string): FlagSpec => ({ name, kind: "bool", help, ...(short ? { short } : {}) });
const sv = (name: string, help: string, short?: string, def?: string): FlagSpec => ({ name, kind: "string", help, ...(short ? { short } : {}), ...(def !== undefined ? { default: def } : {}) });
const lv = (name: string, help: string, short?: string): FlagSpec => ({ name, kind: "list", help, ...(short ? { short } : {}) });
const iv = (name: string, help: string, short?: string): FlagSpec => ({ name, kind: "int", help, ...(short ? { short } : {}) });
const HELP = b("help", "Help for the command", "h");

/** compose's warnings, then its progress (stderr). */
function progressOutcome(status: number, warnings: string, text: string, stdout = ""): CommandOutcome {
  return { status, stdout, stderr: warnings + text, ...(warnings + text !== "" && stdout !== "" ? { stderrFirst: true } : {}) };
}

function loadWarnings(r: LoadResult & { warning: string }, env: DockerEnv): string {
  return (r.warning !== "" ? [r.warning] : []).concat(r.warnings).map((w) => logrusWarning(w, env)).join("");
}

function parseScale(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v);
    if (!m) return fail("CLIENT", `invalid scale argument: ${v}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function pullPolicy(v: string | undefined): "missing" | "always" | "never" {
  if (v === undefined || v === "" || v === "policy" || v === "missing" || v === "if_not_present") return "missing";
  if (v === "always" || v === "never") return v;
  return fail("CLIENT", `invalid --pull option "${v}"`);
}

/** After compose's progress, `up` without -d follows the containers' logs (compose-follow.ts). */
function attachLogs(env: DockerEnv, containers: readonly { id: string; name: string; config: { labels: Readonly<Record<string, string>> } }[], initial: OutputChunk[], up: boolean, since: number): void {
  const list = [...containers].sort((a, b) => (a.name < b.name ? -1 : 1));
  const prefixes = logPrefixes(list as never);
  const short = (c: (typeof list)[number]) => `${c.config.labels["com.docker.compose.service"]}-${c.config.labels["com.docker.compose.container-number"]}`;
  const chunks = up ? [...initial, { fd: 1 as const, text: `Attaching to ${list.map(short).join(", ")}\n` }] : initial;
  env.pending = {
    kind: up ? "compose.up" : "compose.logs", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" },
    follow: { spec: { kind: "compose-logs", containers: list.map((c) => ({ id: c.id, prefix: prefixes.get(c.id)!, name: short(c) })), up }, initial: chunks, cursor: since },
  };
}

const RUNS = new Map<string, Sub>([
  ["up", {
    use: "up [OPTIONS] [SERVICE...]",
    specs: [
      b("detach", "Detached mode: Run containers in the background", "d"), b("build", "Build images before starting containers"),
      b("no-build", "Don't build an image, even if it's policy"), sv("pull", 'Pull image before running ("always"|"missing"|"never")', undefined, "policy"),
      lv("scale", "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present."),
      b("force-recreate", "Recreate containers even if their configuration and image haven't changed"), b("no-recreate", "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
      b("no-deps", "Don't start linked services"), b("no-start", "Don't start the services after creating them"), b("remove-orphans", "Remove containers for services not defined in the Compose file"),
      b("quiet-pull", "Pull without printing progress information"), b("abort-on-container-exit", "Stops all containers if any container was stopped. Incompatible with -d"),
      b("wait", "Wait for services to be running|healthy. Implies detached mode."), iv("wait-timeout", "Maximum duration in seconds to wait for the project to be running|healthy"), iv("timeout", "Use this timeout in seconds for container shutdown when attached or when containers are already running", "t"),
      b("no-color", "Produce monochrome output"), b("no-log-prefix", "Don't print prefix in logs"), lv("attach", "Restrict attaching to the specified services."), HELP,
    ],
    run({ p, env, load }) {
      const r = load();
      const warnings = loadWarnings(r, env);
      const detach = flag.bool(p, "detach") || flag.bool(p, "wait");
      if (flag.bool(p, "force-recreate") && flag.bool(p, "no-recreate")) return fail("CLIENT", "--force-recreate and --no-recreate are incompatible");
      if (flag.bool(p, "build") && flag.bool(p, "no-build")) return fail("CLIENT", "--build and --no-build are incompatible");
      const up = composeUp(r.project, env, {
        detach, build: flag.bool(p, "build"), noBuild: flag.bool(p, "no-build"), pull: pullPolicy(flag.str(p, "pull")), scale: parseScale(flag.list(p, "scale")),
        forceRecreate: flag.bool(p, "force-recreate"), noRecreate: flag.bool(p, "no-recreate"), noDeps: flag.bool(p, "no-deps"), noStart: flag.bool(p, "no-start"),
        removeOrphans: flag.bool(p, "remove-orphans"), quietPull: flag.bool(p, "quiet-pull"), services: p.args, wait: flag.bool(p, "wait"), waitTimeoutS: flag.int(p, "wait-timeout") ?? 0,
      });
      if (env.pending) return progressOutcome(0, env.rerun ? "" : warnings, "");
      if (env.exitCode === 1 || detach || flag.bool(p, "no-start")) return progressOutcome(env.exitCode ?? 0, (env.rerun ? "" : warnings) + up.warnings, up.text);
      attachLogs(env, up.attach, [{ fd: 2, text: (env.rerun ? "" : warnings) + up.warnings + up.text }], true, up.since);
      return { status: 0, stdout: "", stderr: "" };
    },
  }],
  ["down", {
    use: "down [OPTIONS] [SERVICES]",
    specs: [b("volumes", "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers", "v"),
      sv("rmi", 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")'), b("remove-orphans", "Remove containers for services not defined in the Compose file"),
      iv("timeout", "Specify a shutdown timeout in seconds", "t"), HELP],
    run({ p, env, load }) {
      const r = load();
      const rmi = flag.str(p, "rmi");
      if (rmi !== undefined && rmi !== "local" && rmi !== "all") return fail("CLIENT", `invalid value for --rmi: "${rmi}"`);
      const t = flag.int(p, "timeout");
      const text = composeDown(r.project, env, { volumes: flag.bool(p, "volumes"), rmi: rmi ?? null, removeOrphans: flag.bool(p, "remove-orphans"), ...(t !== undefined ? { timeoutS: t } : {}) });
      return progressOutcome(0, env.rerun || env.pending ? "" : loadWarnings(r, env), text);
    },
  }],
  ["ps", {
    use: "ps [OPTIONS] [SERVICE...]",
    specs: [b("all", "Show all stopped containers (including those created by the run command)", "a"), sv("format", "Format output using a custom template"),
      b("quiet", "Only display IDs", "q"), b("services", "Display services"), lv("status", "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]"),
      lv("filter", "Filter services by a property (supported filters: status)"), b("no-trunc", "Don't truncate output"), b("orphans", "Include orphaned services (not declared by project)"), HELP],
    run({ p, env, load }) {
      const r = load();
      return { status: 0, stdout: composePs(r.project, env, p), stderr: loadWarnings(r, env) };
    },
  }],
  ["logs", {
    use: "logs [OPTIONS] [SERVICE...]",
    specs: [b("follow", "Follow log output", "f"), sv("tail", "Number of lines to show from the end of the logs for each container", "n", "all"),
      b("timestamps", "Show timestamps", "t"), b("no-color", "Produce monochrome output"), b("no-log-prefix", "Don't print prefix in logs"),
      sv("since", "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"), sv("until", "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
      iv("index", "index of the container if service has multiple replicas"), HELP],
    run({ p, env, load }) {
      const r = load();
      const tailText = flag.str(p, "tail") ?? "all";
      const tail = tailText === "all" || tailText === "-1" ? null : Number(tailText);
      if (tail !== null && !Number.isFinite(tail)) return fail("CLIENT", `invalid tail value "${tailText}"`);
      const chunks = composeLogs(r.project, env, { services: p.args, tail, timestamps: flag.bool(p, "timestamps"), noPrefix: flag.bool(p, "no-log-prefix") });
      if (flag.bool(p, "follow")) {
        const list = projectContainers(env.engine, r.project.name).filter((c) => p.args.length === 0 || p.args.includes(c.config.labels["com.docker.compose.service"]!));
        attachLogs(env, list, chunks, false, env.now);
        return { status: 0, stdout: "", stderr: "" };
      }
      const warnings = loadWarnings(r, env);
      return { status: 0, ...splitChunks(chunks), stderr: warnings, chunks: [...(warnings !== "" ? [{ fd: 2 as const, text: warnings }] : []), ...chunks] };
    },
  }],
  ["scale", {
    use: "scale [SERVICE=REPLICAS...]",
    specs: [b("no-deps", "Don't start linked services"), HELP],
    run({ p, env, load }) {
      const r = load();
      const scale = parseScale(p.args);
      if (scale.size === 0) return fail("CLIENT", "requires at least 1 arg(s), only received 0");
      const up = composeUp(r.project, env, {
        detach: true, build: false, noBuild: false, pull: "missing", scale, forceRecreate: false, noRecreate: true, noDeps: flag.bool(p, "no-deps"),
        noStart: false, removeOrphans: false, quietPull: false, services: [...scale.keys()],
      });
      if (env.pending) return progressOutcome(0, "", "");
      return progressOutcome(env.exitCode ?? 0, up.warnings, up.text);
    },
  }],
  ["start", { use: "start [SERVICE...]", specs: [HELP], run: ({ p, env, load }) => progressOutcome(env.exitCode ?? 0, "", composeStart(load().project, env, p.args)) }],
  ["stop", {
    use: "stop [OPTIONS] [SERVICE...]", specs: [iv("timeout", "Specify a shutdown timeout in seconds", "t"), HELP],
    run: ({ p, env, load }) => progressOutcome(0, "", composeStop(load().project, env, p.args, flag.int(p, "timeout"))),
  }],
  ["restart", {
    use: "restart [OPTIONS] [SERVICE...]", specs: [iv("timeout", "Specify a shutdown timeout in seconds", "t"), b("no-deps", "Don't restart dependent services"), HELP],
    run: ({ p, env, load }) => progressOutcome(0, "", composeRestart(load().project, env, p.args, flag.int(p, "timeout"))),
  }],
  ["exec", {
    use: "exec [OPTIONS] SERVICE COMMAND [ARGS...]",
    specs: [b("detach", "Detached mode: Run command in the background", "d"), b("no-TTY", "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY.", "T"),
      lv("env", "Set environment variables", "e"), sv("user", "Run the command as this user", "u"), sv("workdir", "Path to workdir directory for this command", "w"),
      iv("index", "Index of the container if service has multiple replicas"), b("privileged", "Give extended privileges to the process"), b("interactive", "Keep STDIN open even if not attached", "i"), b("tty", "Allocate a pseudo-TTY", "t"), HELP],
    run({ p, env, load }) {
      const r = load();
      const [service, ...cmd] = p.args;
      if (service === undefined || cmd.length === 0) return fail("CLIENT", `"${"exec"}" requires at least 2 arguments.`);
      if (!r.project.services.has(service)) return fail("CLIENT", `no such service: ${service}`);
      const index = flag.int(p, "index") ?? 1;
      const c = projectContainers(env.engine, r.project.name, service).find((x) => Number(x.config.labels["com.docker.compose.container-number"]) === index && x.state.running);
      if (!c) return fail("CLIENT", `service "${service}" is not running`);
      const tty = !flag.bool(p, "no-TTY") && env.tty?.stdin === true;
      const args = ["exec", ...(flag.bool(p, "detach") ? ["-d"] : []), ...(tty ? ["-it"] : ["-i"]), ...flag.list(p, "env").flatMap((e) => ["-e", e]),
        ...(flag.str(p, "user") ? ["-u", flag.str(p, "user")!] : []), ...(flag.str(p, "workdir") ? ["-w", flag.str(p, "workdir")!] : []), c.name, ...cmd];
      return runDocker(args, env);
    },
  }],
  ["top", {
    use: "top [SERVICES...]", specs: [HELP],
    run({ p, env, load }) {
      const r = load();
      let out = "";
      for (const c of projectContainers(env.engine, r.project.name).filter((x) => x.state.running && (p.args.length === 0 || p.args.includes(x.config.labels["com.docker.compose.service"]!)))) {
        const t = runDocker(["top", c.id], env);
        out += `${c.name}\n${t.stdout}\n`;
      }
      return { status: 0, stdout: out, stderr: "" };
    },
  }],
  ["kill", {
    use: "kill [OPTIONS] [SERVICE...]",
    specs: [b("remove-orphans", "Remove containers for services not defined in the Compose file"), sv("signal", "SIGNAL to send to the container", "s", "SIGKILL"), HELP],
    run({ p, env, load }) {
      const text = composeKill(load().project, env, p.args, flag.str(p, "signal") ?? "SIGKILL");
      return progressOutcome(env.exitCode ?? 0, env.stderr, text);
    },
  }],
  ["rm", {
    use: "rm [OPTIONS] [SERVICE...]",
    specs: [b("force", "Don't ask to confirm removal", "f"), b("stop", "Stop the containers, if required, before removing", "s"),
      b("volumes", "Remove any anonymous volumes attached to containers", "v"), HELP],
    run({ p, env, load }) {
      const project = load().project;
      // -s: compose stops them first (its own progress), then removes.
      const stopped = flag.bool(p, "stop") ? composeStop(project, env, p.args) : "";
      if (env.pending) return progressOutcome(0, "", "");
      const r = composeRm(project, env, p.args, { force: flag.bool(p, "force"), volumes: flag.bool(p, "volumes") });
      // In the order they are written: stop's progress, the list, removal's progress.
      const chunks: OutputChunk[] = [{ fd: 2 as const, text: stopped }, { fd: 1 as const, text: r.stdout }, { fd: 2 as const, text: env.stderr + r.stderr }].filter((c) => c.text !== "");
      return { status: 0, ...splitChunks(chunks), chunks };
    },
  }],
  ["pause", { use: "pause [SERVICE...]", specs: [HELP], run: ({ p, env, load }) => progressOutcome(env.exitCode ?? 0, "", composePause(load().project, env, p.args, true)) }],
  ["unpause", { use: "unpause [SERVICE...]", specs: [HELP], run: ({ p, env, load }) => progressOutcome(env.exitCode ?? 0, "", composePause(load().project, env, p.args, false)) }],
  ["port", {
    use: "port [OPTIONS] SERVICE PRIVATE_PORT",
    specs: [sv("protocol", "tcp or udp", undefined, "tcp"), iv("index", "Index of the container if service has multiple replicas"), HELP],
    run({ p, env, load }) {
      if (p.args.length !== 2) return fail("CLIENT", `"port" requires exactly 2 arguments.`);
      const project = load().project;
      if (!project.services.has(p.args[0]!)) return fail("CLIENT", `no such service: ${p.args[0]}`);
      return { status: 0, stdout: composePort(project, env, p.args[0]!, p.args[1]!, flag.str(p, "protocol") ?? "tcp", flag.int(p, "index") ?? 0), stderr: "" };
    },
  }],
  ["images", {
    use: "images [OPTIONS] [SERVICE...]",
    specs: [sv("format", "Format the output. Values: [table | json]", undefined, "table"), b("quiet", "Only display IDs", "q"), HELP],
    run: ({ p, env, load }) => ({ status: 0, stdout: composeImages(load().project, env, p.args, { quiet: flag.bool(p, "quiet"), format: flag.str(p, "format") ?? "table" }), stderr: "" }),
  }],
  ["ls", {
    use: "ls [OPTIONS]",
    specs: [sv("format", "Format the output. Values: [table | json]", undefined, "table"), b("quiet", "Only display project names", "q"),
      lv("filter", "Filter output based on conditions provided"), b("all", "Show all stopped Compose projects", "a"), HELP],
    run: ({ p, env }) => ({ status: 0, stdout: composeLs(env, { all: flag.bool(p, "all"), quiet: flag.bool(p, "quiet"), format: flag.str(p, "format") ?? "table", filters: flag.list(p, "filter") }), stderr: "" }),
  }],
  ["create", {
    use: "create [OPTIONS] [SERVICE...]",
    specs: [b("build", "Build images before starting containers"), b("no-build", "Don't build an image, even if it's policy"),
      sv("pull", 'Pull image before running ("always"|"missing"|"never"|"build")', undefined, "policy"), b("quiet-pull", "Pull without printing progress information"),
      b("force-recreate", "Recreate containers even if their configuration and image haven't changed"), b("no-recreate", "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
      b("remove-orphans", "Remove containers for services not defined in the Compose file"), lv("scale", "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present."),
      b("yes", 'Assume "yes" as answer to all prompts and run non-interactively', "y"), HELP],
    run({ p, env, load }) {
      const r = load();
      const warnings = loadWarnings(r, env);
      if (flag.bool(p, "build") && flag.bool(p, "no-build")) return fail("CLIENT", "--build and --no-build are incompatible");
      if (flag.bool(p, "force-recreate") && flag.bool(p, "no-recreate")) return fail("CLIENT", "--force-recreate and --no-recreate are incompatible");
      const up = composeUp(r.project, env, {
        detach: true, build: flag.bool(p, "build"), noBuild: flag.bool(p, "no-build"), pull: pullPolicy(flag.str(p, "pull")), scale: parseScale(flag.list(p, "scale")),
        forceRecreate: flag.bool(p, "force-recreate"), noRecreate: flag.bool(p, "no-recreate"), noDeps: false, noStart: true,
        removeOrphans: flag.bool(p, "remove-orphans"), quietPull: flag.bool(p, "quiet-pull"), services: p.args, title: "Creating",
      });
      if (env.pending) return progressOutcome(0, env.rerun ? "" : warnings, "");
      return progressOutcome(env.exitCode ?? 0, (env.rerun ? "" : warnings) + up.warnings, up.text);
    },
  }],
  ["run", {
    use: "run [OPTIONS] SERVICE [COMMAND] [ARGS...]",
    specs: [b("detach", "Run container in background and print container ID", "d"), lv("env", "Set environment variables", "e"), lv("label", "Add or override a label", "l"),
      b("rm", "Automatically remove the container when it exits"), b("no-TTY", "Disable pseudo-TTY allocation (default: auto-detected)", "T"), sv("name", "Assign a name to the container"),
      sv("user", "Run as specified username or uid", "u"), sv("workdir", "Working directory inside the container", "w"), sv("entrypoint", "Override the entrypoint of the image"),
      b("no-deps", "Don't start linked services"), lv("volume", "Bind mount a volume", "v"), lv("publish", "Publish a container's port(s) to the host", "p"),
      b("use-aliases", "Use the service's network useAliases in the network(s) the container connects to"), b("service-ports", "Run command with all service's ports enabled and mapped to the host", "P"),
      sv("pull", 'Pull image before running ("always"|"missing"|"never")', undefined, "policy"), b("quiet", "Don't print anything to STDOUT", "q"), b("quiet-pull", "Pull without printing progress information"),
      b("build", "Build image before starting container"), b("remove-orphans", "Remove containers for services not defined in the Compose file"),
      b("interactive", "Keep STDIN open even if not attached", "i"), b("tty", "Allocate a pseudo-TTY", "t"), HELP],
    run({ p, env, load }) {
      const [service, ...command] = p.args;
      if (service === undefined) return fail("CLIENT", `"run" requires at least 1 argument.`);
      const r = load();
      const s = r.project.services.get(service);
      if (!s) return fail("CLIENT", `no such service: ${service}`);
      if (flag.bool(p, "service-ports") && flag.list(p, "publish").length > 0) return fail("CLIENT", "--service-ports and --publish are incompatible");
      if (flag.bool(p, "tty") && flag.bool(p, "no-TTY")) return fail("CLIENT", "--tty and --no-TTY can't be used together");
      // The dependencies first, as `up -d` would start them (their progress on stderr).
      let deps = "";
      if (!flag.bool(p, "no-deps") && s.dependsOn.size > 0) {
        const up = composeUp(r.project, env, {
          detach: true, build: false, noBuild: false, pull: "missing", scale: new Map(), forceRecreate: false, noRecreate: true, noDeps: false, noStart: false,
          removeOrphans: false, quietPull: flag.bool(p, "quiet-pull"), services: [...s.dependsOn.keys()].filter((d) => r.project.services.has(d)),
        });
        if (env.pending) return progressOutcome(0, "", "");
        if (env.exitCode === 1) return progressOutcome(1, up.warnings, up.text);
        deps = up.warnings + up.text;
      }
      const tty = !flag.bool(p, "no-TTY") && !flag.bool(p, "detach") && env.tty?.stdin === true;
      const args = runArgs(r.project, s, env, {
        command, detach: flag.bool(p, "detach"), rm: flag.bool(p, "rm"), env: flag.list(p, "env"), entrypoint: flag.str(p, "entrypoint"), name: flag.str(p, "name"),
        user: flag.str(p, "user"), workdir: flag.str(p, "workdir"), tty, interactive: !flag.bool(p, "detach") && env.tty?.stdin === true,
        publish: flag.list(p, "publish"), servicePorts: flag.bool(p, "service-ports"), volumes: flag.list(p, "volume"), labels: flag.list(p, "label"),
        useAliases: flag.bool(p, "use-aliases"),
      });
      const out = runDocker(args, env);
      if (deps === "") return out;
      const f = env.pending?.follow;
      if (env.pending && f) env.pending = { ...env.pending, follow: { ...f, initial: [{ fd: 2, text: deps }, ...f.initial] } };
      if (env.pending) return out;
      return { ...out, stderr: deps + out.stderr, ...(out.stdout !== "" ? { stderrFirst: true } : {}) };
    },
  }],
  ["push", {
    use: "push [OPTIONS] [SERVICE...]",
    specs: [b("ignore-push-failures", "Push what it can and ignores images with push failures"), b("include-deps", "Also push images of services declared as dependencies"),
      b("quiet", "Push without printing progress information", "q"), HELP],
    run({ p, env, load }) {
      composePush(load().project, env, p.args, { quiet: flag.bool(p, "quiet"), ignoreFailures: flag.bool(p, "ignore-push-failures") });
      return { status: 0, stdout: "", stderr: "" };
    },
  }],
  ["build", {
    use: "build [OPTIONS] [SERVICE...]",
    specs: [b("no-cache", "Do not use cache when building the image"), b("pull", "Always attempt to pull a newer version of the image"), b("quiet", "Don't print anything to STDOUT", "q"), lv("build-arg", "Set build-time variables for services"), HELP],
    run({ p, env, load }) {
      const r = load();
      for (const n of p.args) if (!r.project.services.has(n)) return fail("CLIENT", `no such service: ${n}`);
      const services = [...r.project.services.values()].filter((s) => s.build !== null && (p.args.length === 0 || p.args.includes(s.name)));
      return imageJob(r.project, services, env, { build: "always", pull: "never", quiet: flag.bool(p, "quiet") }, "compose.build");
    },
  }],
  ["pull", {
    use: "pull [OPTIONS] [SERVICE...]",
    specs: [b("quiet", "Pull without printing progress information", "q"), b("ignore-pull-failures", "Pull what it can and ignores images with pull failures"), b("ignore-buildable", "Ignore images that can be built"), HELP],
    run({ p, env, load }) {
      const r = load();
      for (const n of p.args) if (!r.project.services.has(n)) return fail("CLIENT", `no such service: ${n}`);
      const services = [...r.project.services.values()].filter((s) => s.image !== null && (p.args.length === 0 || p.args.includes(s.name)));
      return imageJob(r.project, services, env, { build: "never", pull: "always", quiet: flag.bool(p, "quiet") }, "compose.pull");
    },
  }],
]);

/** `compose build` / `compose pull`: a timed job of the builds and pulls, its output as they finish. */
function imageJob(project: Project, services: readonly Service[], env: DockerEnv, o: { build: "always" | "never"; pull: "always" | "never"; quiet: boolean }, kind: string): CommandOutcome {
  const work = composeImageWork(project, services, env, o);
  if (work === null) return { status: 0, stdout: "", stderr: "" };
  const text = o.quiet ? "" : work.text;
  const fin = work.failed !== null ? `${work.failed}\n` : "";
  const chunks: OutputChunk[] = text + fin === "" ? [] : [{ fd: 2, text: text + fin }];
  env.pending = {
    kind, durationUs: work.durationUs, steps: work.steps.map((s, i) => (i === work.steps.length - 1 ? { ...s, stdout: text + fin } : s)), engine: work.engine,
    outcome: { status: work.failed !== null ? 1 : 0, ...splitChunks(chunks), chunks },
  };
  return { status: 0, stdout: "", stderr: "" };
}

function runSubcommand(prog: string, sub: string, def: Sub, g: Parsed, argv: readonly string[], env: DockerEnv): CommandOutcome {
  let p: Parsed;
  try {
    p = parseFlags(argv, def.specs, { interspersed: sub !== "exec" && sub !== "run" });
  } catch (e) {
    if (isDrydockError(e)) return outcome(1, "", `${e.message}\n`);
    throw e;
  }
  if (flag.bool(p, "help")) {
    return outcome(0, `\nUsage:  ${prog} ${def.use}\n\n${SUBCOMMANDS.get(sub)}\n\nOptions:\n` + def.specs.map((s) => `  ${(s.short ? `-${s.short}, ` : "    ") + `--${s.name}`}`.padEnd(30) + s.help).join("\n") + "\n", "");
  }
  return def.run({ prog, g, p, env, load: () => loadFromCommandLine(g, env) });
}
