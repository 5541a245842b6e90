// docker container commands (issue #10): run, create, start, stop, kill, restart, pause, unpause,
// rm, ls/ps, logs, exec, inspect, top, stats, rename, wait, commit, diff, cp, export, port,
// attach, prune — in their management form and short aliases, with docker/cli v28.5.1's flags,
// columns and texts (cli/command/container/*.go, cli/command/formatter/container.go) and the
// daemon's errors from the engine (packages/engine/src/containers, moby's texts).
import { DrydockError, isDrydockError, type Micros } from "@drydock/kernel";
import { ImageStore, formatGoTime, humanSize, bytesSize, parseDockerRef, shortId, since } from "@drydock/image";
import {
  Daemon, FilterArgs, SHELLS, getContainer, graft, cpuRates, diffTrees, displayImage, commandOf, inspectContainer, listContainers, logLines, memoryLimit,
  memoryUsage, parseSignalName, stateString, statusText, untilFilter, validateRestartPolicy, viewOf, writableSize, parseTimestamp, HOST_CPUS, HOST_MEMORY,
  basePlan, inspectNetwork, lanAddress, lookPath, tryFindNetwork, type Container, type EngineState, type NetWorld, type Plan,
} from "@drydock/engine";
import { CliError, fail } from "../errors.js";
import { TemplateError, execute, formatRows, goStruct, inspectObjects, parseTemplate, table, tabwrite, type Template } from "../format/index.js";
import { goQuote } from "../format/gofmt.js";
import { normalizePath, readFile, writeFile } from "../fs/index.js";
import type { OutputChunk } from "../shell/host.js";
import { flag, type FlagSpec, type Parsed } from "./flags.js";
import type { AttachRequest, ContainerRuntime, DockerCommand, DockerEnv, Pending } from "./command.js";
import { CREATE_FLAGS, RUN_FLAGS, RunUsageError, parseContainerOptions, verifyCreate, type ContainerOptions } from "./container-opts.js";
import { splitChunks, type FollowJob, type FollowSpec } from "./follow.js";
import { eachArgument, errorText } from "./each.js";
import { statsTable, type StatsQuery } from "./stats.js";
import { inspectCommand as imageInspectCommand, pullOnHost } from "./images.js";
import { batchPlan } from "../world/programs.js";
import { isEngineProgram, withManagedFiles } from "../world/container-shell.js";
import { execNetTool } from "../world/net-tools.js";
import { requestOnSwarmNetwork } from "./swarm-network.js";

/** This host alone as traffic sees it (no world around: a bare engine). */
function singleHostWorld(env: DockerEnv): NetWorld {
  return { hosts: [{ name: env.host, ip: lanAddress(Math.max(0, env.hosts.indexOf(env.host))), engine: env.engine, fs: env.fs }] };
}

// ---- shared helpers ----

function runtimeOf(env: DockerEnv): ContainerRuntime {
  if (env.runtime === undefined) return fail("NOT_SIMULATED", "containers outside a world");
  return env.runtime;
}

function openDaemon(env: DockerEnv): Daemon {
  const rt = runtimeOf(env);
  // On a swarm node a container's first process sees the swarm's data path (a standalone container on an attachable overlay resolves its services).
  const net = env.net && env.swarm?.state().hosts.get(env.host)?.member ? env.net : undefined;
  const netWorld = net ? (self: { engine: EngineState; fs: DockerEnv["fs"] }) => {
    const w = net();
    return { ...w, hosts: w.hosts.map((h) => (h.name === env.host ? { ...h, engine: self.engine, fs: self.fs } : h)) };
  } : undefined;
  return new Daemon(env.engine, env.fs, { now: env.now, random: rt.random, names: rt.names, programs: rt.programs, hostName: rt.hostName, ...(netWorld ? { netWorld } : {}) });
}

function keep(env: DockerEnv, d: Daemon): void {
  env.engine = d.engine;
  env.fs = d.hostFs;
}

/** A daemon call whose error is the command's (exit 1, "Error response from daemon: …"). */
function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CliError || !isDrydockError(e)) throw e;
    return fail("DAEMON", e.message);
  }
}

/** Several containers, each its own API call (docker/cli parallelOperation): errors are reported after, exit 1. */
const eachContainer = eachArgument;

/** moby GetContainer over an engine value (no daemon needed to read). */
function lookup(engine: EngineState, ref: string): Container {
  return getContainer(engine.containers, engine.containerNames, ref);
}

const chunksOutcome = (status: number, chunks: readonly OutputChunk[]) => ({ status, ...splitChunks(chunks), chunks });

/** A command that follows the engine from now on (world/model.ts steps it). */
function follow(env: DockerEnv, kind: string, spec: FollowSpec, initial: readonly OutputChunk[], cursor: Micros, extra: Partial<Pending> = {}): string {
  const job: FollowJob = { spec, initial, cursor };
  env.pending = { kind, durationUs: 0, steps: [], outcome: chunksOutcome(0, initial), follow: job, ...extra };
  return "";
}

const FORMAT: FlagSpec = { name: "format", kind: "string", help: "Format output using a custom template" };

// ---- run and create ----

/** run.go withHelp: "docker: <error>\n\nRun 'docker run --help' for more information", exit 125 (127/126 for a missing or unusable command). */
function runFailure(e: unknown, command: "run" | "create"): never {
  if (e instanceof CliError) throw e;
  if (!isDrydockError(e)) throw e;
  const daemonSide = !(e instanceof RunUsageError) && e.code !== "EMOUNTSPEC" && e.code !== "EPORTSPEC" && e.code !== "EREFERENCE";
  const message = daemonSide ? `Error response from daemon: ${e.message}` : e.message;
  if (e.code === "EFLAG") fail("FLAG", e.message, `docker ${command}`);
  return fail(exitKind(message), message, command);
}

function exitKind(message: string): "RUN" | "RUN_NOT_FOUND" | "RUN_CANNOT_INVOKE" {
  // run.go toStatusError: the words decide the exit code, as docker/cli decides it.
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) return "RUN_NOT_FOUND";
  if (/permission denied|is a directory/.test(message)) return "RUN_CANNOT_INVOKE";
  return "RUN";
}

/** Whether a pull's line is one `docker run` shows (jsonstream.Display: no "Using default tag", no final reference, which `docker pull` itself prints). */
function runPullShows(line: string, i: number, n: number): boolean {
  if (line === "Using default tag: latest") return false;
  return !(i === n - 1 && !line.startsWith("Status:") && !line.startsWith("Digest:"));
}

/** reference.FamiliarString(TagNameOnly(ref)): what "Unable to find image '…' locally" names. */
function familiarWithTag(image: string): string {
  try {
    const r = parseDockerRef(image);
    return r.digest ? r.familiar : r.tag ? r.familiar : `${r.familiar}:latest`;
  } catch {
    return image;
  }
}

/**
 * docker create / docker run up to the start: the image (pulled when missing, as a job after which
 * the command runs again), the container created. Returns null when a pull was set off.
 */
function createFor(p: Parsed, env: DockerEnv, command: "run" | "create"): { opts: ContainerOptions; c: Container; d: Daemon } | null {
  let opts: ContainerOptions;
  try {
    opts = parseContainerOptions(p, env);
  } catch (e) {
    return runFailure(e, command);
  }
  // moby containerCreate verifies the settings before it looks for the image (so before any pull).
  try {
    verifyCreate(opts.request, HOST_CPUS);
    validateRestartPolicy(opts.request.restartPolicy ?? { name: "no", maximumRetryCount: 0 });
  } catch (e) {
    if (command === "create" && isDrydockError(e) && !(e instanceof RunUsageError)) return fail("DAEMON", e.message);
    return runFailure(e, command);
  }
  const store = ImageStore.fromSnapshot(env.engine.images);
  const image = opts.request.image;
  try {
    parseDockerRef(image);
  } catch (e) {
    if (isDrydockError(e) && !/^[0-9a-f]{12,64}$|^sha256:/.test(image)) fail("RUN", e.message, command);
  }
  const present = store.resolve(image) !== undefined;
  if (opts.pull === "always" || (!present && opts.pull === "missing")) {
    const carry = opts.pull === "always" || opts.quiet ? "" : `Unable to find image '${familiarWithTag(image)}' locally\n`;
    let job;
    try {
      job = pullOnHost(env, image, false);
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      env.stderr += carry;
      const message = e.code === "ENOTINCATALOGUE" || e.code === "EREFERENCE" ? e.message : `Error response from daemon: ${e.message}`;
      // drydock's own note about its catalogue goes after Docker's text and help line.
      const cut = message.indexOf("\ndrydock:");
      if (cut < 0) return fail(exitKind(message), message, command);
      try {
        fail(exitKind(message), message.slice(0, cut), command);
      } catch (f) {
        if (f instanceof CliError) throw new CliError(f.cliCode, `${f.message}\n${message.slice(cut + 1)}`);
        throw f;
      }
    }
    if ("error" in job) {
      env.stderr += carry + (opts.quiet ? "" : job.streamed.map((s) => s.stdout).join(""));
      return fail(exitKind(job.error), job.error, command);
    }
    if (opts.pull === "always" || !present) {
      const n = job.steps.length;
      const steps = [{ atUs: 0, event: "run.pull", detail: {}, stdout: carry },
        ...job.steps.map((s, i) => ({ ...s, stdout: !opts.quiet && runPullShows(s.stdout.replace(/\n$/, ""), i, n) ? s.stdout : "" }))];
      const text = steps.map((s) => s.stdout).join("");
      env.pending = {
        kind: "pull", durationUs: job.durationUs, steps, engine: job.engine, again: true,
        outcome: { status: 0, stdout: "", stderr: text, chunks: text === "" ? [] : [{ fd: 2, text }] },
      };
      // `--pull always` runs again with the pulled image whether or not it was there.
      if (opts.pull === "always" && present) env.pending = { ...env.pending, again: true };
      return null;
    }
  }
  if (!present && opts.pull === "never") {
    return fail("RUN", `Error response from daemon: No such image: ${familiarWithTag(image)}`, command);
  }
  const before = env.engine;
  try {
    // An attachable swarm network: the node's local copy and the attachment's address (docker/swarm-network.ts).
    const request = requestOnSwarmNetwork(env, opts.request);
    const d = openDaemon(env);
    verifyCreate(request, HOST_CPUS);
    const c = d.create(request);
    return { opts, c, d };
  } catch (e) {
    env.engine = before;
    if (command === "create" && isDrydockError(e) && !(e instanceof RunUsageError) && !(e instanceof CliError)) return fail("DAEMON", e.message);
    return runFailure(e, command);
  }
}

export const createCommand: DockerCommand = {
  path: "docker container create",
  use: "docker container create [OPTIONS] IMAGE [COMMAND] [ARG...]",
  summary: "Create a new container",
  aliases: ["docker create"],
  args: [1, Infinity],
  interspersed: false,
  specs: CREATE_FLAGS,
  run(p, env) {
    const made = createFor(p, env, "create");
    if (made === null) return "";
    keep(env, made.d);
    return `${made.c.id}\n`;
  },
};

/** Is the container's main process a shell reading the terminal (`-i` with a shell): then the terminal goes inside. */
function isInteractiveShell(c: Container): boolean {
  const plan = c.run?.plan;
  return plan !== undefined && plan.exit === null && SHELLS.has(plan.program) && c.config.openStdin;
}

/** `-p 5000:5000 registry:2`: the registry answers as localhost:PORT for push and pull, on every host (as `drydock registry start`). */
function registerRegistry(env: DockerEnv, c: Container): void {
  const r = c.run;
  if (!r || r.plan.program !== "registry") return;
  const bound = r.ports.find((b) => b.containerPort === 5000 && b.protocol === "tcp" && (b.hostIp === "0.0.0.0" || b.hostIp === "127.0.0.1"));
  if (!bound) return;
  const domain = `localhost:${bound.hostPort}`;
  const registries = env.registries ?? new Map<string, string>();
  if (registries.has(domain)) return;
  const hub = env.hub.clone();
  try {
    hub.get(domain);
  } catch {
    hub.addRegistry(domain);
  }
  env.hub = hub;
  env.registries = new Map([...registries, [domain, env.host]]);
}

/** What a started container's terminal gets: its shell inside (-i with a shell), or its output followed. */
function attachTo(env: DockerEnv, c: Container, command: AttachRequest["command"], o: { stdin: boolean; stdout: boolean; stderr: boolean; sigProxy: boolean; initial: readonly OutputChunk[]; fromStart: boolean }): string {
  if (o.stdin && isInteractiveShell(c)) {
    env.pending = {
      kind: "attach", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" },
      attach: { container: c.id, exec: null, tty: c.config.tty, command, initial: o.initial },
    };
    return "";
  }
  return follow(env, command, {
    kind: "attach", container: c.id, run: c.logs.length - 1, stdout: o.stdout, stderr: o.stderr, tty: c.config.tty, sigProxy: o.sigProxy, status: true,
    stdin: o.stdin,
  }, o.initial, o.fromStart ? env.now - 1 : env.now);
}

export const runCommand: DockerCommand = {
  path: "docker container run",
  use: "docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]",
  summary: "Create and run a new container from an image",
  aliases: ["docker run"],
  args: [1, Infinity],
  interspersed: false,
  specs: RUN_FLAGS,
  run(p, env) {
    const detach = flag.bool(p, "detach");
    const tty = flag.bool(p, "tty");
    const interactive = flag.bool(p, "interactive");
    if (!detach && tty && interactive && env.tty !== undefined && !env.tty.stdin) {
      // cli/streams In.CheckTty: `-t` needs the client's stdin to be a terminal.
      return fail("CLIENT", "the input device is not a TTY");
    }
    if (detach && flag.list(p, "attach").length > 0) return fail("CLIENT", "conflicting options: cannot specify both --attach and --detach");
    const made = createFor(p, env, "run");
    if (made === null) return "";
    const { c, d, opts } = made;
    const id = c.id;
    // The container exists from here on, whatever the start does (a failed start leaves it Created, as Docker does).
    let started = false;
    try {
      // run.go attaches before it starts the container (moby logs "attach" then).
      if (!detach) d.attached(id);
      d.start(id);
      started = true;
    } catch (e) {
      keep(env, d);
      if (!isDrydockError(e)) throw e;
      const message = `Error response from daemon: ${e.message}`;
      env.stderr += `docker: ${message}\n\nRun 'docker run --help' for more information\n`;
      env.exitCode = exitKind(message) === "RUN_NOT_FOUND" ? 127 : exitKind(message) === "RUN_CANNOT_INVOKE" ? 126 : 125;
      return detach ? `${id}\n` : "";
    }
    keep(env, d);
    const now = env.engine.containers.get(id);
    if (started && now) registerRegistry(env, now);
    if (detach) return `${id}\n`;
    const after = env.engine.containers.get(id);
    if (!after) {
      // Gone already (--rm and it ended at once): nothing more to show.
      return "";
    }
    return attachTo(env, after, "run", {
      stdin: opts.attach.stdin, stdout: opts.attach.stdout, stderr: opts.attach.stderr, sigProxy: flag.bool(p, "sig-proxy"), initial: [], fromStart: true,
    });
  },
};

// ---- start, stop, kill, restart, pause, unpause, rm, rename ----

export const startCommand: DockerCommand = {
  path: "docker container start",
  use: "docker container start [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Start one or more stopped containers",
  aliases: ["docker start"],
  args: [1, Infinity],
  specs: [
    { name: "attach", short: "a", kind: "bool", help: "Attach STDOUT/STDERR and forward signals" },
    { name: "checkpoint", kind: "string", help: "Restore from this checkpoint" },
    { name: "checkpoint-dir", kind: "string", help: "Use a custom checkpoint storage directory" },
    { name: "detach-keys", kind: "string", help: "Override the key sequence for detaching a container" },
    { name: "interactive", short: "i", kind: "bool", help: "Attach container's STDIN" },
  ],
  run(p, env) {
    const attach = flag.bool(p, "attach") || flag.bool(p, "interactive");
    if (attach) {
      if (p.args.length > 1) return fail("CLIENT", "you cannot start and attach multiple containers at once");
      const d = openDaemon(env);
      const c = call(() => d.get(p.args[0]!));
      d.attached(c.id);
      call(() => d.start(c.id));
      keep(env, d);
      const after = env.engine.containers.get(c.id);
      if (!after) return "";
      return attachTo(env, after, "start", { stdin: flag.bool(p, "interactive"), stdout: true, stderr: true, sigProxy: true, initial: [], fromStart: true });
    }
    const d = openDaemon(env);
    let out = "";
    const failed: string[] = [];
    for (const name of p.args) {
      try {
        d.start(name);
        out += `${name}\n`;
      } catch (e) {
        env.stderr += `${errorText(e)}\n`;
        failed.push(name);
      }
    }
    keep(env, d);
    if (failed.length > 0) {
      env.stderr += `Error: failed to start containers: ${failed.join(", ")}\n`;
      env.exitCode = 1;
    }
    return out;
  },
};

const STOP_FLAGS: readonly FlagSpec[] = [
  { name: "signal", short: "s", kind: "string", help: "Signal to send to the container" },
  { name: "timeout", short: "t", kind: "int", help: "Seconds to wait before killing the container" },
  { name: "time", kind: "int", help: "Seconds to wait before killing the container (deprecated: use --timeout)" },
];

function stopLike(p: Parsed, env: DockerEnv, restart: boolean): string {
  const d = openDaemon(env);
  const timeoutS = flag.int(p, "timeout") ?? flag.int(p, "time");
  const signal = flag.str(p, "signal");
  const targets: { id: string; shown: string; runs: number }[] = [];
  const errors: string[] = [];
  for (const name of p.args) {
    try {
      const c = d.get(name);
      const runs = c.logs.length;
      if (restart) d.restart(name, { ...(signal !== undefined ? { signal } : {}), ...(timeoutS !== undefined ? { timeoutS } : {}) });
      else d.stop(name, { ...(signal !== undefined ? { signal } : {}), ...(timeoutS !== undefined ? { timeoutS } : {}) });
      targets.push({ id: c.id, shown: name, runs: restart ? runs : runs });
    } catch (e) {
      errors.push(errorText(e));
    }
  }
  keep(env, d);
  const tail: OutputChunk[] = errors.length > 0 ? [{ fd: 2, text: errors.join("\n") + "\n" }] : [];
  const status = errors.length > 0 ? 1 : 0;
  // Those that stopped at once are reported at once; the rest when their grace period ends.
  const pending = targets.some((t) => {
    const c = env.engine.containers.get(t.id);
    return c !== undefined && (restart ? !(c.logs.length > t.runs && c.run !== null && !c.run.stopping) : c.state.running && !c.state.restarting);
  });
  if (!pending) {
    env.stderr += tail.map((t) => t.text).join("");
    if (status !== 0) env.exitCode = status;
    return targets.map((t) => `${t.shown}\n`).join("");
  }
  follow(env, restart ? "restart" : "stop", { kind: "stop", targets, restart }, [], env.now);
  env.pending = { ...env.pending!, follow: { ...env.pending!.follow!, after: { chunks: tail, status } } as FollowJob };
  return "";
}

export const stopCommand: DockerCommand = {
  path: "docker container stop",
  use: "docker container stop [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Stop one or more running containers",
  aliases: ["docker stop"],
  args: [1, Infinity],
  specs: STOP_FLAGS,
  run: (p, env) => stopLike(p, env, false),
};

export const restartCommand: DockerCommand = {
  path: "docker container restart",
  use: "docker container restart [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Restart one or more containers",
  aliases: ["docker restart"],
  args: [1, Infinity],
  specs: STOP_FLAGS,
  run: (p, env) => stopLike(p, env, true),
};

export const killCommand: DockerCommand = {
  path: "docker container kill",
  use: "docker container kill [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Kill one or more running containers",
  aliases: ["docker kill"],
  args: [1, Infinity],
  specs: [{ name: "signal", short: "s", kind: "string", help: "Signal to send to the container" }],
  run(p, env) {
    const d = openDaemon(env);
    const signal = flag.str(p, "signal") ?? "KILL";
    const out = eachContainer(env, p.args, (name) => {
      d.kill(name, signal);
      return name;
    });
    keep(env, d);
    return out;
  },
};

function pauseLike(path: string, summary: string, op: (d: Daemon, name: string) => void): DockerCommand {
  const word = path.split(" ")[2]!;
  return {
    path, use: `${path} CONTAINER [CONTAINER...]`, summary, aliases: [`docker ${word}`], args: [1, Infinity], specs: [],
    run(p, env) {
      const d = openDaemon(env);
      const out = eachContainer(env, p.args, (name) => {
        op(d, name);
        return name;
      });
      keep(env, d);
      return out;
    },
  };
}

export const pauseCommand = pauseLike("docker container pause", "Pause all processes within one or more containers", (d, n) => d.pause(n));
export const unpauseCommand = pauseLike("docker container unpause", "Unpause all processes within one or more containers", (d, n) => d.unpause(n));

export const rmCommand: DockerCommand = {
  path: "docker container rm",
  use: "docker container rm [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Remove one or more containers",
  aliases: ["docker rm", "docker container remove"],
  args: [1, Infinity],
  specs: [
    { name: "force", short: "f", kind: "bool", help: "Force the removal of a running container (uses SIGKILL)" },
    { name: "link", short: "l", kind: "bool", help: "Remove the specified link" },
    { name: "volumes", short: "v", kind: "bool", help: "Remove anonymous volumes associated with the container" },
  ],
  run(p, env) {
    const d = openDaemon(env);
    const force = flag.bool(p, "force");
    const out = eachArgument(env, p.args, (name) => {
      const trimmed = name.replace(/^\/+|\/+$/g, "");
      if (trimmed === "") throw new CliError("CLIENT", "container name cannot be empty");
      try {
        d.remove(trimmed, { force, volumes: flag.bool(p, "volumes") });
      } catch (e) {
        // rm.go: with --force a container that is not there is said on stderr, and is no failure.
        if (!(force && isDrydockError(e) && e.code === "ENOCONTAINER")) throw e;
        env.stderr += `${errorText(e)}\n`;
        return null;
      }
      return name;
    });
    keep(env, d);
    return out;
  },
};

export const renameCommand: DockerCommand = {
  path: "docker container rename",
  use: "docker container rename CONTAINER NEW_NAME",
  summary: "Rename a container",
  aliases: ["docker rename"],
  args: 2,
  specs: [],
  run(p, env) {
    const [oldName, newName] = [p.args[0]!.trim(), p.args[1]!.trim()];
    if (oldName === "" || newName === "") return fail("CLIENT", "Error: Neither old nor new names may be empty");
    const d = openDaemon(env);
    try {
      d.rename(oldName, newName);
    } catch (e) {
      env.stderr += `${errorText(e)}\n`;
      return fail("CLIENT", `Error: failed to rename container named ${oldName}`);
    }
    keep(env, d);
    return "";
  },
};

// ---- ps ----

const PS_HEADERS = {
  ID: "CONTAINER ID", Names: "NAMES", Image: "IMAGE", Command: "COMMAND", CreatedAt: "CREATED AT", RunningFor: "CREATED", Ports: "PORTS",
  State: "STATE", Status: "STATUS", Size: "SIZE", Labels: "LABELS", Mounts: "MOUNTS", LocalVolumes: "LOCAL VOLUMES", Networks: "NETWORKS",
  Platform: "PLATFORM",
};

/** formatter.Ellipsis: cut to n characters, the last "…". */
const ellipsis = (text: string, n: number) => ([...text].length > n ? [...text].slice(0, n - 1).join("") + "…" : text);

interface ApiPort { readonly ip: string; readonly privatePort: number; readonly publicPort: number; readonly type: string }

/** The API's Ports of a container summary: exposed ports, and each binding while it runs. */
function apiPorts(c: Container): ApiPort[] {
  if (!c.run) return [];
  const out: ApiPort[] = [];
  const bound = new Set(c.run.ports.map((b) => `${b.containerPort}/${b.protocol}`));
  for (const b of c.run.ports) out.push({ ip: b.hostIp, privatePort: b.containerPort, publicPort: b.hostPort, type: b.protocol });
  for (const k of c.config.exposedPorts) {
    if (bound.has(k)) continue;
    const [port, proto] = k.split("/") as [string, string | undefined];
    out.push({ ip: "", privatePort: Number(port), publicPort: 0, type: proto ?? "tcp" });
  }
  return out;
}

const joinHostPort = (ip: string, port: string) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatter.DisplayablePorts: "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp", ranges grouped, exposed ones alone ("80/tcp"). */
export function displayablePorts(ports: readonly ApiPort[]): string {
  const sorted = [...ports].sort((a, b) => a.privatePort - b.privatePort || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0) || a.publicPort - b.publicPort || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const groups = new Map<string, { first: number; last: number }>();
  const order: string[] = [];
  const result: string[] = [];
  const hostMappings: string[] = [];
  const form = (key: string, first: number, last: number) => {
    const parts = key.split("/");
    const ip = parts.length > 1 ? parts[0]! : "";
    const type = parts.length > 1 ? parts[1]! : parts[0]!;
    let group = String(first);
    if (first !== last) group = `${group}-${last}`;
    if (ip !== "") group = `${joinHostPort(ip, group)}->${group}`;
    return `${group}/${type}`;
  };
  for (const port of sorted) {
    const current = port.privatePort;
    let key = port.type;
    if (port.ip !== "") {
      if (port.publicPort !== current) {
        hostMappings.push(`${joinHostPort(port.ip, String(port.publicPort))}->${port.privatePort}/${port.type}`);
        continue;
      }
      key = `${port.ip}/${port.type}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: current, last: current });
      order.push(key);
      continue;
    }
    if (current === g.last + 1) {
      g.last = current;
      continue;
    }
    result.push(form(key, g.first, g.last));
    groups.set(key, { first: current, last: current });
  }
  for (const key of order) {
    const g = groups.get(key)!;
    result.push(form(key, g.first, g.last));
  }
  return [...result, ...hostMappings].join(", ");
}

/** ContainerContext.Image with trunc: the reference without its digest. */
function psImage(engine: EngineState, c: Container, trunc: boolean): string {
  const image = displayImage(engine, c);
  if (!trunc) return image;
  if (shortId(c.imageId) === image.replace(/^sha256:/, "").slice(0, 12)) return shortId(c.imageId);
  try {
    const r = parseDockerRef(image);
    if (r.tag && /:[^/]+$/.test(image.replace(/@.*$/, ""))) return `${r.familiarName}:${r.tag}`;
    return r.familiarName;
  } catch {
    return image;
  }
}

/** One row of `docker ps` as docker/cli's ContainerContext has it (methods as fields; Label a function). */
function psRow(engine: EngineState, c: Container, now: Micros, trunc: boolean, size: boolean): Record<string, unknown> {
  const labels = Object.keys(c.config.labels).sort().map((k) => `${k}=${c.config.labels[k]}`).join(",");
  const row: Record<string, unknown> = {
    ID: trunc ? shortId(c.id) : c.id,
    Names: c.name,
    Image: psImage(engine, c, trunc),
    Command: goQuote(trunc ? ellipsis(commandOf(c), 20) : commandOf(c)),
    CreatedAt: formatGoTime(c.created),
    RunningFor: since(c.created, now),
    Ports: displayablePorts(apiPorts(c)),
    State: stateString(c),
    Status: statusText(c, now),
    Labels: labels,
    Mounts: c.mounts.map((m) => (trunc ? ellipsis(m.source || m.target, 15) : m.source || m.target)).join(","),
    LocalVolumes: String(c.mounts.filter((m) => m.type === "volume" && m.driver === "local").length),
    // The networks it is configured for (NetworkSettings.Networks' names), as the API's summary lists them.
    // docker_gwbridge beside an overlay is the sandbox's hidden gateway endpoint, not one of its networks.
    Networks: c.networks.filter((n) => n.network !== "docker_gwbridge" || c.networks.length === 1).map((n) => n.network).join(","),
    Platform: "linux/amd64",
    Label: (name: string) => c.config.labels[name] ?? "",
  };
  if (size) {
    const rw = writableSize(c.lowerfs, c.rootfs, c.mounts.map((m) => m.target));
    const store = ImageStore.fromSnapshot(engine.images);
    const img = store.resolve(c.imageId);
    const virtual = rw + (img ? store.imageSize(img) : 0);
    row["Size"] = `${humanSize(rw)} (virtual ${humanSize(virtual)})`;
  } else row["Size"] = "0B";
  return row;
}

/**
 * docker/cli container/list.go buildContainerListOptions: a --format is parsed as given (no
 * "table" prefix removed) and run once on an empty ContainerContext before the daemon is asked,
 * so a bad template fails even when no container is listed, with the CLI's own wrapping.
 */
function validatePsFormat(format: string): void {
  let tmpl: Template;
  try {
    tmpl = parseTemplate(format);
  } catch (e) {
    if (e instanceof TemplateError) fail("CLIENT", `failed to parse template: ${e.message}`);
    throw e;
  }
  const empty = {
    ID: "", Names: "", Image: "", Command: "", CreatedAt: "", RunningFor: "", Ports: "", State: "", Status: "", Size: "0B", Labels: "",
    Mounts: "", LocalVolumes: "0", Networks: "", Platform: "", Label: (_name: string) => "",
  };
  try {
    execute(tmpl, goStruct(empty, "*formatter.ContainerContext"));
  } catch (e) {
    if (e instanceof TemplateError) fail("CLIENT", `failed to execute template: ${e.message}`);
    throw e;
  }
}

export const psCommand: DockerCommand = {
  path: "docker container ls",
  use: "docker container ls [OPTIONS]",
  summary: "List containers",
  aliases: ["docker ps", "docker container ps", "docker container list"],
  args: 0,
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Show all containers (default shows just running)" },
    { name: "filter", short: "f", kind: "list", help: "Filter output based on conditions provided" },
    FORMAT,
    { name: "last", short: "n", kind: "int", help: "Show n last created containers (includes all states)", default: -1 },
    { name: "latest", short: "l", kind: "bool", help: "Show the latest created container (includes all states)" },
    { name: "no-trunc", kind: "bool", help: "Don't truncate output" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display container IDs" },
    { name: "size", short: "s", kind: "bool", help: "Display total file sizes" },
  ],
  run(p, env) {
    const format = flag.str(p, "format");
    const quiet = flag.bool(p, "quiet");
    if (quiet && format !== undefined && format !== "") env.stderr += "WARNING: Ignoring custom format, because both --format and --quiet are set.\n";
    let filters: FilterArgs;
    try {
      filters = FilterArgs.parse(flag.list(p, "filter"));
    } catch (e) {
      return fail("CLIENT", (e as Error).message);
    }
    if (format !== undefined && format !== "") validatePsFormat(format);
    let limit = flag.int(p, "last") ?? -1;
    if (flag.bool(p, "latest") && limit === -1) limit = 1;
    const list = call(() => listContainers(env.engine, { all: flag.bool(p, "all"), ...(limit > 0 ? { limit } : {}), filters }));
    const trunc = !flag.bool(p, "no-trunc");
    if (quiet) return list.map((c) => `${trunc ? shortId(c.id) : c.id}\n`).join("");
    const size = flag.bool(p, "size") || (format !== undefined && /\.Size\b/.test(format));
    if ((format === undefined || format === "" || format === "table") && !size) {
      // The default table's seven columns, computed directly: what its template gives, without
      // running the template engine per row (10,000 containers listed in the benchmark).
      const images = new Map<string, string>();
      const lines = list.map((c) => {
        const key = `${c.imageId}\0${c.config.image}`;
        let image = images.get(key);
        if (image === undefined) images.set(key, (image = psImage(env.engine, c, trunc)));
        const ports = c.run !== null && (c.run.ports.length > 0 || c.config.exposedPorts.length > 0) ? displayablePorts(apiPorts(c)) : "";
        return `${trunc ? shortId(c.id) : c.id}\t${image}\t${goQuote(trunc ? ellipsis(commandOf(c), 20) : commandOf(c))}\t${since(c.created, env.now)}\t${statusText(c, env.now)}\t${ports}\t${c.name}\n`;
      });
      return tabwrite(`CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n${lines.join("")}`);
    }
    const rows = list.map((c) => psRow(env.engine, c, env.now, trunc, size));
    const def = `table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}${flag.bool(p, "size") ? "\t{{.Size}}" : ""}`;
    return formatRows({ format, rows, headers: PS_HEADERS, defaultFormat: def, typeName: "*formatter.ContainerContext" });
  },
};

// ---- logs ----

function timeFlag(p: Parsed, name: string, now: Micros): Micros | undefined {
  const v = flag.str(p, name);
  if (v === undefined || v === "") return undefined;
  try {
    return parseTimestamp(v, now);
  } catch (e) {
    return fail("CLIENT", `invalid value for "${name}": ${(e as Error).message}`);
  }
}

export const logsCommand: DockerCommand = {
  path: "docker container logs",
  use: "docker container logs [OPTIONS] CONTAINER",
  summary: "Fetch the logs of a container",
  aliases: ["docker logs"],
  args: 1,
  specs: [
    { name: "details", kind: "bool", help: "Show extra details provided to logs" },
    { name: "follow", short: "f", kind: "bool", help: "Follow log output" },
    { name: "since", kind: "string", help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: "tail", short: "n", kind: "string", help: "Number of lines to show from the end of the logs", default: "all" },
    { name: "timestamps", short: "t", kind: "bool", help: "Show timestamps" },
    { name: "until", kind: "string", help: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  run(p, env) {
    const c = call(() => lookup(env.engine, p.args[0]!));
    const tailText = flag.str(p, "tail") ?? "all";
    const tail = tailText === "all" || !/^-?\d+$/.test(tailText) ? undefined : Number(tailText);
    const since = timeFlag(p, "since", env.now);
    const until = timeFlag(p, "until", env.now);
    const ts = flag.bool(p, "timestamps");
    const lines = logLines(c.logs, runtimeOf(env).programs, env.now, {
      ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), ...(tail !== undefined && tail >= 0 ? { tail } : {}),
    });
    const chunks: OutputChunk[] = lines.map((l) => ({ fd: c.config.tty || l.stream === "stdout" ? 1 : 2, text: (ts ? `${rfc3339Fixed(l.at)} ` : "") + l.text }));
    const running = c.state.running || c.state.restarting;
    if (flag.bool(p, "follow") && running && (until === undefined || until > env.now)) {
      return follow(env, "logs", { kind: "logs", container: c.id, timestamps: ts, until: until ?? null }, chunks, env.now);
    }
    // stdout and stderr as the container wrote them, in order (a terminal sees them interleaved).
    env.chunks = chunks;
    return "";
  },
};

function rfc3339Fixed(us: Micros): string {
  const s = formatGoTime(us);
  const [date, time] = s.split(" ") as [string, string];
  return `${date}T${time}.${String((((us % 1_000_000) + 1_000_000) % 1_000_000) * 1000).padStart(9, "0")}Z`;
}

// ---- exec ----

export const execCommand: DockerCommand = {
  path: "docker container exec",
  use: "docker container exec [OPTIONS] CONTAINER COMMAND [ARG...]",
  summary: "Execute a command in a running container",
  aliases: ["docker exec"],
  args: [2, Infinity],
  interspersed: false,
  specs: [
    { name: "detach", short: "d", kind: "bool", help: "Detached mode: run command in the background" },
    { name: "detach-keys", kind: "string", help: "Override the key sequence for detaching a container" },
    { name: "env", short: "e", kind: "list", help: "Set environment variables" },
    { name: "env-file", kind: "list", help: "Read in a file of environment variables" },
    { name: "interactive", short: "i", kind: "bool", help: "Keep STDIN open even if not attached" },
    { name: "privileged", kind: "bool", help: "Give extended privileges to the command" },
    { name: "tty", short: "t", kind: "bool", help: "Allocate a pseudo-TTY" },
    { name: "user", short: "u", kind: "string", help: "Username or UID (format: \"<name|uid>[:<group|gid>]\")" },
    { name: "workdir", short: "w", kind: "string", help: "Working directory inside the container" },
  ],
  run(p, env) {
    const detach = flag.bool(p, "detach");
    const tty = flag.bool(p, "tty");
    const interactive = flag.bool(p, "interactive");
    const ref = p.args[0]!;
    const argv = p.args.slice(1);
    call(() => lookup(env.engine, ref));
    if (!detach && tty && interactive && env.tty !== undefined && !env.tty.stdin) return fail("CLIENT", "the input device is not a TTY");
    const d = openDaemon(env);
    const c = call(() => d.activeContainer(ref));
    const r = c.run!;
    const extraEnv = flag.list(p, "env").map((e) => (e.includes("=") ? e : Object.hasOwn(env.env, e) ? `${e}=${env.env[e]}` : e));
    const spec = {
      argv, env: d.processEnv(c, extraEnv, tty), cwd: flag.str(p, "workdir") || c.config.workingDir || "/", user: flag.str(p, "user") ?? c.config.user,
      tty, interactive,
    };
    const fs = withManagedFiles(viewOf(c, { engine: env.engine, hostFs: env.fs, tmpfs: r.tmpfs }, env.now), c, env.now);
    const envMap = new Map<string, string>();
    for (const e of spec.env) {
      const eq = e.indexOf("=");
      if (eq > 0) envMap.set(e.slice(0, eq), e.slice(eq + 1));
    }
    const net = { world: env.net ? env.net() : singleHostWorld(env), host: env.host };
    const ctx = {
      spec, env: envMap, fs, now: env.now, hostname: c.config.hostname, containerId: c.id, containerName: c.name, pid: r.nextNsPid, isPid1: false,
      memoryLimit: c.hostConfig.resources.memory, hostMemory: HOST_MEMORY, hostCpus: HOST_CPUS, ip: r.ip, image: c.config.image,
      readOnly: [...c.mounts.filter((m) => m.readOnly).map((m) => m.target), ...(c.hostConfig.readonlyRootfs ? ["/"] : [])],
      writable: c.mounts.filter((m) => !m.readOnly).map((m) => m.target), net,
    };
    // A network tool's requests go through the kernel while the line waits (world/traffic.ts).
    const traffic = !detach && !(interactive && tty) && !("failure" in lookPath(fs, argv[0] ?? "", envMap.get("PATH"), spec.cwd))
      ? execNetTool(argv, { world: net.world, src: { host: env.host, container: c.id }, now: env.now, tty: { stdout: env.tty?.stdout === true, stderr: env.tty?.stderr === true }, cwd: spec.cwd }, fs)
      : null;
    if (traffic !== null) {
      const rec = call(() => d.execStart(c.id, spec, { ...basePlan(traffic.tool), exit: null }, false));
      keep(env, d);
      env.pending = { kind: "net", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, traffic, trafficExec: { container: c.id, exec: rec.id } };
      return "";
    }
    const planned = runtimeOf(env).programs.plan(ctx);
    if ("failure" in planned) {
      // The exec fails to start: runc's error on the stream, exit 127 or 126 (moby setExitCodeFromError).
      return fail(planned.exitCode === 127 ? "EXEC_NOT_FOUND" : "EXEC_CANNOT_INVOKE", `OCI runtime exec failed: exec failed: unable to start container process: ${planned.failure}: unknown`);
    }
    // Utilities and scripts run by the interpreter see the container's processes (ps) and its image (apk).
    const plan: Plan = planned.exit === null && SHELLS.has(planned.program) ? planned : refinePlan(planned, ctx, c, env.engine);
    const rec = call(() => d.execStart(c.id, spec, plan, detach));
    keep(env, d);
    if (detach) return "";
    // A shell, or psql's prompt (world/attach.ts runs what is typed at it): the terminal goes in.
    if (interactive && plan.exit === null && (SHELLS.has(plan.program) || (tty && plan.program === "psql"))) {
      env.pending = { kind: "attach", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, attach: { container: c.id, exec: rec.id, tty, command: "exec", initial: [] } };
      return "";
    }
    return follow(env, "exec", { kind: "exec", container: c.id, exec: rec.id, tty }, [], env.now - 1);
  },
};

/**
 * A plan the host shell's interpreter computes (utilities, scripts) is computed again with the
 * container and engine at hand, so `docker exec web ps` sees the container's processes and
 * `apk add` its image's layers; the engine's own programs (ping, nginx) keep their plans.
 */
function refinePlan(planned: Plan, ctx: Parameters<typeof batchPlan>[0], c: Container, engine: EngineState): Plan {
  if (isEngineProgram(planned.program) && planned.program !== "ping") return planned;
  return batchPlan(ctx, { container: c, engine });
}

// ---- inspect ----

function inspectList(env: DockerEnv, refs: readonly string[], format: string | undefined, size: boolean, missing: (ref: string) => string): string {
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    try {
      const c = lookup(env.engine, ref);
      const obj = inspectContainer(c, env.engine.networks) as Record<string, unknown>;
      if (size) {
        const rw = writableSize(c.lowerfs, c.rootfs, c.mounts.map((m) => m.target));
        const store = ImageStore.fromSnapshot(env.engine.images);
        const img = store.resolve(c.imageId);
        obj["SizeRw"] = rw;
        obj["SizeRootFs"] = rw + (img ? store.imageSize(img) : 0);
      }
      found.push(obj);
    } catch (e) {
      if (isDrydockError(e) && e.code === "ENOCONTAINER") errors.push(missing(ref));
      else errors.push(errorText(e));
    }
  }
  const r = inspectObjects(format, found);
  if (r.exitCode === 64) return fail("CLIENT", r.errors.join("\n"));
  const allErrors = [...r.errors, ...errors];
  if (allErrors.length > 0) {
    env.stderr += allErrors.join("\n") + "\n";
    env.exitCode = 1;
  }
  return r.output;
}

export const inspectContainerCommand: DockerCommand = {
  path: "docker container inspect",
  use: "docker container inspect [OPTIONS] CONTAINER [CONTAINER...]",
  summary: "Display detailed information on one or more containers",
  args: [1, Infinity],
  specs: [{ ...FORMAT, short: "f" }, { name: "size", short: "s", kind: "bool", help: "Display total file sizes" }],
  run: (p, env) => inspectList(env, p.args, flag.str(p, "format"), flag.bool(p, "size"), (ref) => `Error response from daemon: No such container: ${ref}`),
};

/**
 * `docker inspect`: any object by name or ID (docker/cli inspect.go tries containers, then images,
 * …); "Error: No such object: x" for one that is none of them.
 */
export const inspectAnyCommand: DockerCommand = {
  path: "docker inspect",
  use: "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
  summary: "Return low-level information on Docker objects",
  args: [1, Infinity],
  specs: [
    { ...FORMAT, short: "f" },
    { name: "size", short: "s", kind: "bool", help: "Display total file sizes if the type is container" },
    { name: "type", kind: "string", help: "Only inspect objects of the given type" },
  ],
  run(p, env) {
    const type = flag.str(p, "type");
    if (type === "image") return imageInspectCommand.run(p, env);
    if (type !== undefined && type !== "container" && type !== "" && type !== "network") {
      const known = ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];
      if (!known.includes(type)) return fail("CLIENT", `"${type}" is not a valid value for --type`);
      return fail("NOT_SIMULATED", `docker inspect --type ${type}`);
    }
    const store = ImageStore.fromSnapshot(env.engine.images);
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const ref of p.args) {
      let c: Container | undefined;
      try {
        c = lookup(env.engine, ref);
      } catch {
        c = undefined;
      }
      const n = type === "network" || (c === undefined && (type === undefined || type === "")) ? tryFindNetwork(env.engine.networks, ref) : undefined;
      if (c && type !== "network") found.push(inspectContainer(c, env.engine.networks));
      else if (type !== "container" && type !== "network" && store.resolve(ref)) {
        // The image's JSON, as `docker image inspect` gives it.
        const one = { ...env, stderr: "", failedPartly: false, pending: null };
        const text = imageInspectCommand.run({ flags: { format: "{{json .}}" }, args: [ref] }, one);
        found.push(JSON.parse(text));
      } else if (n) found.push(inspectNetwork(env.engine.networks, n));
      else errors.push(`Error: No such object: ${ref}`);
    }
    const r = inspectObjects(flag.str(p, "format"), found);
    if (r.exitCode === 64) return fail("CLIENT", r.errors.join("\n"));
    const all = [...r.errors, ...errors];
    if (all.length > 0) {
      env.stderr += all.join("\n") + "\n";
      env.exitCode = 1;
    }
    return r.output;
  },
};

// ---- top, stats, port, diff ----

export const topCommand: DockerCommand = {
  path: "docker container top",
  use: "docker container top CONTAINER [ps OPTIONS]",
  summary: "Display the running processes of a container",
  aliases: ["docker top"],
  args: [1, Infinity],
  interspersed: false,
  specs: [],
  run(p, env) {
    const c = call(() => lookup(env.engine, p.args[0]!));
    if (!c.state.running) return fail("DAEMON", `container ${c.id} is not running`);
    if (c.state.restarting) return fail("DAEMON", `Container ${c.id} is restarting, wait until the container is running`);
    const pids = new Set([...(c.run?.pids ?? []), ...c.execs.filter((e) => e.running).map((e) => e.pid)]);
    const procs = [...pids].map((pid) => env.engine.kernel.procs.get(pid)).filter((x) => x !== undefined).sort((a, b) => a.pid - b.pid);
    const args = p.args.slice(1).join(" ");
    const stime = (at: Micros) => formatGoTime(at).slice(11, 16);
    let titles: string[];
    let rows: string[][];
    if (/^a?ux$|^-?aux$/.test(args)) {
      titles = ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND"];
      rows = procs.map((x) => [x.user, String(x.pid), "0.0", "0.0", "1604", "4", "?", x.frozen ? "Ds" : "Ss", stime(x.startedAt), "0:00", x.argv.join(" ")]);
    } else if (args === "" || /^-(ef|fe)$/.test(args)) {
      titles = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"];
      rows = procs.map((x) => [x.user, String(x.pid), String(x.ppid), "0", stime(x.startedAt), "?", "00:00:00", x.argv.join(" ")]);
    } else {
      return fail("DAEMON", `ps: ${args}: drydock's docker top knows the default columns, -ef and aux`);
    }
    return tabwrite([titles.join("\t"), ...rows.map((r) => r.join("\t"))].join("\n") + "\n", { minwidth: 20, tabwidth: 1, padding: 3, padchar: " ", flags: 0 });
  },
};

export const statsCommand: DockerCommand = {
  path: "docker container stats",
  use: "docker container stats [OPTIONS] [CONTAINER...]",
  summary: "Display a live stream of container(s) resource usage statistics",
  aliases: ["docker stats"],
  args: [0, Infinity],
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Show all containers (default shows just running)" },
    FORMAT,
    { name: "no-stream", kind: "bool", help: "Disable streaming stats and only pull the first result" },
    { name: "no-trunc", kind: "bool", help: "Do not truncate output" },
  ],
  run(p, env) {
    // Named containers must exist (the CLI inspects each first); their IDs are followed.
    const named = p.args.map((ref) => ({ id: call(() => lookup(env.engine, ref)).id, shown: ref }));
    const query: StatsQuery = {
      named: p.args.length > 0 ? named : null, all: flag.bool(p, "all"), format: flag.str(p, "format") ?? null, noTrunc: flag.bool(p, "no-trunc"),
      listedAt: env.now,
    };
    if (flag.bool(p, "no-stream")) return statsTable(env.engine, env.now, query);
    // A live stream (docker/cli stats.go): a frame every 500 ms until Ctrl-C, or until no container is left to show.
    return follow(env, "stats", { kind: "stats", query }, [], env.now);
  },
};

/** sortorder.NaturalLess: digits compare as numbers. */
function naturalLess(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y);
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

export const portCommand: DockerCommand = {
  path: "docker container port",
  use: "docker container port CONTAINER [PRIVATE_PORT[/PROTO]]",
  summary: "List port mappings or a specific mapping for the container",
  aliases: ["docker port"],
  args: [1, 2],
  specs: [],
  run(p, env) {
    const c = call(() => lookup(env.engine, p.args[0]!));
    const bound = c.run?.ports ?? [];
    const out: string[] = [];
    const want = p.args[1];
    if (want !== undefined) {
      const [port, proto0] = want.split("/") as [string, string | undefined];
      const proto = proto0 === undefined || proto0 === "" ? "tcp" : proto0;
      if (!/^\d+$/.test(port) || Number(port) > 65535) {
        return fail("CLIENT", `Error: invalid port (${port}): strconv.ParseUint: parsing ${JSON.stringify(port)}: ${/^\d+$/.test(port) ? "value out of range" : "invalid syntax"}`);
      }
      const hits = bound.filter((b) => b.containerPort === Number(port) && b.protocol === proto);
      if (hits.length === 0) return fail("CLIENT", `Error: No public port '${want}' published for ${p.args[0]}`);
      for (const b of hits) out.push(joinHostPort(b.hostIp, String(b.hostPort)));
    } else {
      for (const b of bound) out.push(`${b.containerPort}/${b.protocol} -> ${joinHostPort(b.hostIp, String(b.hostPort))}`);
    }
    return out.length > 0 ? out.sort(naturalLess).join("\n") + "\n" : "";
  },
};

export const diffCommand: DockerCommand = {
  path: "docker container diff",
  use: "docker container diff CONTAINER",
  summary: "Inspect changes to files or directories on a container's filesystem",
  aliases: ["docker diff"],
  args: 1,
  specs: [],
  run(p, env) {
    const d = openDaemon(env);
    const c = call(() => d.settle(p.args[0]!));
    return diffTrees(c.lowerfs, c.rootfs, c.mounts.map((m) => m.target)).map((x) => `${x.kind} ${x.path}\n`).join("");
  },
};

// ---- commit, cp, export ----

/** `--change` instructions as the daemon applies them to the committed config (moby dockerfile.BuildFromConfig, the ones that make sense). */
function applyChanges(changes: readonly string[], base: Container["config"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const jsonOrShell = (rest: string): string[] => {
    const t = rest.trim();
    if (t.startsWith("[")) {
      try {
        const v = JSON.parse(t) as unknown;
        if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
      } catch {
        // fall through to the shell form
      }
    }
    return ["/bin/sh", "-c", t];
  };
  for (const ch of changes) {
    const m = /^\s*(\w+)\s+(.*)$/s.exec(ch);
    if (!m) throw new DrydockError("EINVAL", `dockerfile parse error on line 1: unknown instruction: ${ch.trim().toUpperCase()}`);
    const [, word, rest] = m as unknown as [string, string, string];
    switch (word.toUpperCase()) {
      case "CMD": out["cmd"] = jsonOrShell(rest); break;
      case "ENTRYPOINT": out["entrypoint"] = jsonOrShell(rest); break;
      case "WORKDIR": out["workingDir"] = rest.trim(); break;
      case "USER": out["user"] = rest.trim(); break;
      case "STOPSIGNAL": out["stopSignal"] = rest.trim(); break;
      case "ENV": {
        const env = [...((out["env"] as string[] | undefined) ?? base.env)];
        const kv = rest.includes("=") ? rest.trim().split(/\s+/) : [`${rest.trim().split(/\s+/)[0]}=${rest.trim().split(/\s+/).slice(1).join(" ")}`];
        for (const e of kv) {
          const k = e.slice(0, e.indexOf("="));
          const i = env.findIndex((x) => x.startsWith(`${k}=`));
          if (i >= 0) env[i] = e.replace(/"/g, "");
          else env.push(e.replace(/"/g, ""));
        }
        out["env"] = env;
        break;
      }
      case "EXPOSE": out["exposedPorts"] = [...new Set([...base.exposedPorts, ...rest.trim().split(/\s+/).map((x) => (x.includes("/") ? x : `${x}/tcp`))])].sort(); break;
      case "LABEL": {
        const labels = { ...((out["labels"] as Record<string, string> | undefined) ?? base.labels) };
        for (const kv of rest.trim().match(/[^\s=]+=("[^"]*"|\S*)/g) ?? []) {
          const eq = kv.indexOf("=");
          labels[kv.slice(0, eq)] = kv.slice(eq + 1).replace(/^"|"$/g, "");
        }
        out["labels"] = labels;
        break;
      }
      case "VOLUME": out["volumes"] = [...new Set([...base.volumes, ...jsonOrShell(rest).filter((x) => x !== "/bin/sh" && x !== "-c").flatMap((x) => x.split(/\s+/))])]; break;
      default: throw new DrydockError("EINVAL", `${word.toUpperCase()} is not a valid change command`);
    }
  }
  return out;
}

export const commitCommand: DockerCommand = {
  path: "docker container commit",
  use: "docker container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
  summary: "Create a new image from a container's changes",
  aliases: ["docker commit"],
  args: [1, 2],
  interspersed: false,
  specs: [
    { name: "author", short: "a", kind: "string", help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: "change", short: "c", kind: "list", help: "Apply Dockerfile instruction to the created image" },
    { name: "message", short: "m", kind: "string", help: "Commit message" },
    { name: "pause", short: "p", kind: "bool", help: "Pause container during commit", default: true },
  ],
  run(p, env) {
    const repo = p.args[1];
    if (repo !== undefined) {
      try {
        const r = parseDockerRef(repo);
        if (r.digest) return fail("DAEMON", "invalid reference format");
      } catch (e) {
        return fail("CLIENT", (e as Error).message);
      }
    }
    const d = openDaemon(env);
    const c = call(() => d.get(p.args[0]!));
    const config = call(() => applyChanges(flag.list(p, "change"), c.config));
    const message = flag.str(p, "message");
    const img = call(() => d.commit(c.id, {
      ...(repo !== undefined ? { repo } : {}), ...(message !== undefined ? { comment: message } : {}),
      ...(flag.str(p, "author") !== undefined ? { author: flag.str(p, "author")! } : {}), config,
    }));
    keep(env, d);
    return `${img.id}\n`;
  },
};

/** "container:path" or a host path (docker/cli cp.go splitCpArg: a colon before any "/" names a container). */
function splitCpArg(arg: string): { container: string | null; path: string } {
  if (arg.startsWith("/") || arg.startsWith(".")) return { container: null, path: arg };
  const i = arg.indexOf(":");
  if (i < 0) return { container: null, path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

export const cpCommand: DockerCommand = {
  path: "docker container cp",
  use: "docker container cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
  summary: "Copy files/folders between a container and the local filesystem",
  aliases: ["docker cp"],
  args: 2,
  specs: [
    { name: "archive", short: "a", kind: "bool", help: "Archive mode (copy all uid/gid information)" },
    { name: "follow-link", short: "L", kind: "bool", help: "Always follow symbol link in SRC_PATH" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached" },
  ],
  run(p, env) {
    const src = splitCpArg(p.args[0]!);
    const dst = splitCpArg(p.args[1]!);
    if (src.container !== null && dst.container !== null) return fail("CLIENT", "copying between containers is not supported");
    if (src.container === null && dst.container === null) return fail("CLIENT", "must specify at least one container source");
    const d = openDaemon(env);
    const ref = (src.container ?? dst.container)!;
    const c = call(() => d.settle(ref));
    const view = d.fsView(c.id);
    const nodeOf = (fs: typeof view, path: string) => {
      let n: import("../fs/index.js").FsNode | undefined = fs;
      for (const part of path.split("/").filter((x) => x !== "")) n = n?.kind === "dir" ? n.entries.get(part) : undefined;
      return n;
    };
    if (src.container !== null) {
      const from = normalizePath(c.config.workingDir || "/", src.path);
      // moby's archive path mounts the container's volumes and its managed /etc/hostname, hosts and
      // resolv.conf (QA #27): once it has started, those are what a copy out of it reads.
      const node = nodeOf(c.state.startedAt !== null ? withManagedFiles(view, c, env.now) : view, from);
      if (!node) return fail("CLIENT", `Error response from daemon: Could not find the file ${src.path} in container ${ref}`);
      if (dst.path === "-") return fail("NOT_SIMULATED", "docker cp to stdout (a tar stream)");
      const to = normalizePath(env.cwd, dst.path);
      const existing = nodeOf(env.fs, to);
      const target = existing?.kind === "dir" ? `${to === "/" ? "" : to}/${from.slice(from.lastIndexOf("/") + 1)}` : to;
      const parent = target.slice(0, target.lastIndexOf("/")) || "/";
      if (nodeOf(env.fs, parent)?.kind !== "dir") return fail("CLIENT", `Error: stat ${parent}: no such file or directory`);
      env.fs = graft(env.fs, target, node, env.now);
      env.stderr += `Successfully copied ${humanSize(treeBytes(node))} to ${dst.path}\n`;
      return "";
    }
    const from = normalizePath(env.cwd, src.path);
    const node = nodeOf(env.fs, from);
    if (!node) return fail("CLIENT", `stat ${from}: no such file or directory`);
    const toIn = normalizePath(c.config.workingDir || "/", dst.path);
    const existing = nodeOf(view, toIn);
    const target = existing?.kind === "dir" ? `${toIn === "/" ? "" : toIn}/${from.slice(from.lastIndexOf("/") + 1)}` : toIn;
    const parent = target.slice(0, target.lastIndexOf("/")) || "/";
    if (nodeOf(view, parent)?.kind !== "dir") return fail("CLIENT", `Error response from daemon: Could not find the file ${parent} in container ${ref}`);
    const after = graft(view, target, node, env.now);
    const refused = d.applyView(c.id, view, after);
    if (refused !== null) return fail("DAEMON", `container rootfs is marked read-only`);
    keep(env, d);
    env.stderr += `Successfully copied ${humanSize(treeBytes(node))} to ${ref}:${dst.path}\n`;
    return "";
  },
};

function treeBytes(n: import("../fs/index.js").FsNode): number {
  if (n.kind === "file") return n.blob?.size ?? new TextEncoder().encode(n.text).length;
  let total = 0;
  for (const c of n.entries.values()) total += treeBytes(c);
  return total;
}

export const exportCommand: DockerCommand = {
  path: "docker container export",
  use: "docker container export [OPTIONS] CONTAINER",
  summary: "Export a container's filesystem as a tar archive",
  aliases: ["docker export"],
  args: 1,
  specs: [{ name: "output", short: "o", kind: "string", help: "Write to a file, instead of STDOUT" }],
  run(p, env) {
    const d = openDaemon(env);
    const c = call(() => d.settle(p.args[0]!));
    const view = viewOf(c, { engine: env.engine, hostFs: env.fs, tmpfs: c.run?.tmpfs ?? new Map() }, env.now);
    const bytes = treeBytes(view);
    const files = countFiles(view);
    // A tar stream: 512-byte headers, data padded to 512, two zero blocks at the end.
    const size = files * 512 + Math.ceil(bytes / 512) * 512 + 1024;
    const out = flag.str(p, "output");
    if (out === undefined) {
      if (env.tty?.stdout) return fail("CLIENT", "cowardly refusing to save to a terminal. Use the -o flag or redirect");
      // `docker export web > web.tar`: the archive goes down the pipe. drydock's archive is text:
      // a header line, then `tar tv`'s listing of each entry (the bytes of a real tar are not simulated).
      return tarListing(view, c.name);
    }
    const path = normalizePath(env.cwd, out);
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    const w = writeFile(env.fs, path, "", env.now);
    if (!w.ok) return fail("CLIENT", `failed to export container: open ${out}: no such file or directory`);
    void parent;
    env.fs = graft(env.fs, path, { kind: "file", text: "", mode: 0o644, mtime: env.now, blob: { size, digest: `sha256:export-${c.id}-${bytes}` } }, env.now);
    return "";
  },
};

/** What `docker export` writes to a pipe in drydock: a text stand-in for the tar stream (`tar tv` of every entry, depth first). */
function tarListing(root: import("../fs/index.js").FsDir, name: string): string {
  let out = `drydock simulated tar archive of container ${name}: the entries as \`tar tv\` lists them (no file data)\n`;
  const stamp = (us: number) => formatGoTime(us).slice(0, 16);
  const mode = (m: number) => ["r", "w", "x", "r", "w", "x", "r", "w", "x"].map((ch, i) => ((m >> (8 - i)) & 1 ? ch : "-")).join("");
  const walk = (dir: import("../fs/index.js").FsDir, prefix: string) => {
    for (const key of [...dir.entries.keys()].sort()) {
      const n = dir.entries.get(key)!;
      const path = `${prefix}${key}`;
      const owner = `${(n.uid ?? 0) === 0 ? "root" : String(n.uid)}/${(n.gid ?? 0) === 0 ? "root" : String(n.gid)}`;
      if (n.kind === "dir") {
        out += `d${mode(n.mode)} ${owner} ${"0".padStart(8)} ${stamp(n.mtime)} ${path}/\n`;
        walk(n, `${path}/`);
      } else if (n.link !== undefined) out += `l${mode(0o777)} ${owner} ${"0".padStart(8)} ${stamp(n.mtime)} ${path} -> ${n.link}\n`;
      else out += `-${mode(n.mode)} ${owner} ${String(n.blob?.size ?? new TextEncoder().encode(n.text).length).padStart(8)} ${stamp(n.mtime)} ${path}\n`;
    }
  };
  walk(root, "");
  return out;
}

function countFiles(n: import("../fs/index.js").FsNode): number {
  if (n.kind === "file") return 1;
  let total = 1;
  for (const c of n.entries.values()) total += countFiles(c);
  return total;
}

// ---- wait, attach, prune ----

export const waitCommand: DockerCommand = {
  path: "docker container wait",
  use: "docker container wait CONTAINER [CONTAINER...]",
  summary: "Block until one or more containers stop, then print their exit codes",
  aliases: ["docker wait"],
  args: [1, Infinity],
  specs: [],
  run(p, env) {
    const ids: string[] = [];
    const errors: string[] = [];
    for (const ref of p.args) {
      try {
        ids.push(lookup(env.engine, ref).id);
      } catch (e) {
        errors.push(errorText(e));
      }
    }
    const tail: OutputChunk[] = errors.length > 0 ? [{ fd: 2, text: errors.join("\n") + "\n" }] : [];
    const allDone = ids.every((id) => {
      const c = env.engine.containers.get(id)!;
      return !c.state.running || c.state.restarting;
    });
    if (allDone) {
      env.stderr += tail.map((x) => x.text).join("");
      if (errors.length > 0) env.exitCode = 1;
      return ids.map((id) => `${env.engine.containers.get(id)!.state.exitCode}\n`).join("");
    }
    follow(env, "wait", { kind: "wait", containers: ids }, [], env.now);
    env.pending = { ...env.pending!, follow: { ...env.pending!.follow!, after: { chunks: tail, status: errors.length > 0 ? 1 : 0 } } as FollowJob };
    return "";
  },
};

export const attachCommand: DockerCommand = {
  path: "docker container attach",
  use: "docker container attach [OPTIONS] CONTAINER",
  summary: "Attach local standard input, output, and error streams to a running container",
  aliases: ["docker attach"],
  args: 1,
  specs: [
    { name: "detach-keys", kind: "string", help: "Override the key sequence for detaching a container" },
    { name: "no-stdin", kind: "bool", help: "Do not attach STDIN" },
    { name: "sig-proxy", kind: "bool", help: "Proxy all received signals to the process", default: true },
  ],
  run(p, env) {
    const c = call(() => lookup(env.engine, p.args[0]!));
    // attach.go inspectContainerAndCheckState.
    if (!c.state.running) return fail("CLIENT", "You cannot attach to a stopped container, start it first");
    if (c.state.paused) return fail("CLIENT", "You cannot attach to a paused container, unpause it first");
    if (c.state.restarting) return fail("CLIENT", "You cannot attach to a restarting container, wait until it is running");
    const stdin = !flag.bool(p, "no-stdin") && c.config.openStdin;
    if (stdin && c.config.tty && env.tty !== undefined && !env.tty.stdin) return fail("CLIENT", "the input device is not a TTY");
    const d = openDaemon(env);
    d.attached(c.id);
    keep(env, d);
    return attachTo(env, env.engine.containers.get(c.id)!, "attach", { stdin, stdout: true, stderr: true, sigProxy: flag.bool(p, "sig-proxy"), initial: [], fromStart: false });
  },
};

export { parseSignalName, table, readFile };

/** The container commands, gathered by cli.ts (`docker inspect` last: it replaces the image-only one; `container prune` is with the other prunes in system.ts). */
export const CONTAINER_COMMANDS: readonly DockerCommand[] = [
  runCommand, createCommand, startCommand, stopCommand, restartCommand, killCommand, pauseCommand, unpauseCommand, rmCommand, renameCommand,
  psCommand, logsCommand, execCommand, inspectContainerCommand, topCommand, statsCommand, portCommand, diffCommand, commitCommand, cpCommand,
  exportCommand, waitCommand, attachCommand, inspectAnyCommand,
];
