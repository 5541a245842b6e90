// `docker run` and `docker create`'s options as docker/cli declares them (cli/command/container/
// opts.go addFlags) and what its parse() makes of them: the CreateRequest the engine's daemon
// takes. Client-side mistakes are the CLI's texts (run.go withHelp: "docker: …\n\nRun 'docker run
// --help' for more information", exit 125); the daemon's are raised by the engine.
import {
  MountError, MountSpecError, PortSpecError, parseExposeFlag, parseMountFlag, parsePublishFlag, parseSignalName, parseTmpfsFlag,
  parseVolumeFlag, portBindingsOf, ramInBytes, type CreateRequest, type MountSpec, type Resources, type RestartPolicy,
} from "@drydock/engine";
import { DrydockError } from "@drydock/kernel";
import { fail } from "../errors.js";
import { readFile } from "../fs/index.js";
import { flag, type FlagSpec, type Parsed } from "./flags.js";
import type { DockerEnv } from "./command.js";

const b = (name: string, help: string, short?: string, def?: boolean): FlagSpec => ({ name, kind: "bool", help, ...(short ? { short } : {}), ...(def !== undefined ? { default: def } : {}) });
const s = (name: string, help: string, short?: string, def?: string): FlagSpec => ({ name, kind: "string", help, ...(short ? { short } : {}), ...(def !== undefined ? { default: def } : {}) });
const i = (name: string, help: string, short?: string): FlagSpec => ({ name, kind: "int", help, ...(short ? { short } : {}) });
const l = (name: string, help: string, short?: string): FlagSpec => ({ name, kind: "list", help, ...(short ? { short } : {}) });
const d = (name: string, help: string): FlagSpec => ({ name, kind: "duration", help });

/** The options `docker create` and `docker run` share (opts.go addFlags), in its order. */
export const CONTAINER_FLAGS: readonly FlagSpec[] = [
  l("attach", "Attach to STDIN, STDOUT or STDERR", "a"),
  l("device-cgroup-rule", "Add a rule to the cgroup allowed devices list"),
  l("device", "Add a host device to the container"),
  l("gpus", "GPU devices to add to the container ('all' to pass all GPUs)"),
  l("env", "Set environment variables", "e"),
  l("env-file", "Read in a file of environment variables"),
  s("entrypoint", "Overwrite the default ENTRYPOINT of the image"),
  l("group-add", "Add additional groups to join"),
  s("hostname", "Container host name", "h"),
  s("domainname", "Container NIS domain name"),
  b("interactive", "Keep STDIN open even if not attached", "i"),
  l("label", "Set meta data on a container", "l"),
  l("label-file", "Read in a line delimited file of labels"),
  b("read-only", "Mount the container's root filesystem as read only"),
  s("restart", "Restart policy to apply when a container exits", undefined, "no"),
  s("stop-signal", "Signal to stop the container"),
  i("stop-timeout", "Timeout (in seconds) to stop a container"),
  l("sysctl", "Sysctl options"),
  b("tty", "Allocate a pseudo-TTY", "t"),
  l("ulimit", "Ulimit options"),
  s("user", "Username or UID (format: <name|uid>[:<group|gid>])", "u"),
  s("workdir", "Working directory inside the container", "w"),
  b("rm", "Automatically remove the container and its associated anonymous volumes when it exits"),
  l("cap-add", "Add Linux capabilities"),
  l("cap-drop", "Drop Linux capabilities"),
  b("privileged", "Give extended privileges to this container"),
  l("security-opt", "Security Options"),
  s("userns", "User namespace to use"),
  s("cgroupns", "Cgroup namespace to use (host|private)"),
  l("add-host", "Add a custom host-to-IP mapping (host:ip)"),
  l("dns", "Set custom DNS servers"),
  l("dns-option", "Set DNS options"),
  l("dns-search", "Set custom DNS search domains"),
  l("expose", "Expose a port or a range of ports"),
  s("ip", "IPv4 address (e.g., 172.30.100.104)"),
  s("ip6", "IPv6 address (e.g., 2001:db8::33)"),
  l("link", "Add link to another container"),
  l("link-local-ip", "Container IPv4/IPv6 link-local addresses"),
  s("mac-address", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
  l("publish", "Publish a container's port(s) to the host", "p"),
  b("publish-all", "Publish all exposed ports to random ports", "P"),
  s("network", "Connect a container to a network"),
  s("net", "Connect a container to a network"),
  l("network-alias", "Add network-scoped alias for the container"),
  s("log-driver", "Logging driver for the container"),
  s("volume-driver", "Optional volume driver for the container"),
  l("log-opt", "Log driver options"),
  l("storage-opt", "Storage driver options for the container"),
  l("tmpfs", "Mount a tmpfs directory"),
  l("volumes-from", "Mount volumes from the specified container(s)"),
  l("volume", "Bind mount a volume", "v"),
  l("mount", "Attach a filesystem mount to the container"),
  s("health-cmd", "Command to run to check health"),
  d("health-interval", "Time between running the check (ms|s|m|h) (default 0s)"),
  i("health-retries", "Consecutive failures needed to report unhealthy"),
  d("health-timeout", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
  d("health-start-period", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
  d("health-start-interval", "Time between running the check during the start period (ms|s|m|h) (default 0s)"),
  b("no-healthcheck", "Disable any container-specified HEALTHCHECK"),
  i("blkio-weight", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
  s("cidfile", "Write the container ID to the file"),
  s("cpuset-cpus", "CPUs in which to allow execution (0-3, 0,1)"),
  s("cpuset-mems", "MEMs in which to allow execution (0-3, 0,1)"),
  i("cpu-period", "Limit CPU CFS (Completely Fair Scheduler) period"),
  i("cpu-quota", "Limit CPU CFS (Completely Fair Scheduler) quota"),
  i("cpu-shares", "CPU shares (relative weight)", "c"),
  s("cpus", "Number of CPUs"),
  s("memory", "Memory limit", "m"),
  s("memory-reservation", "Memory soft limit"),
  s("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  i("memory-swappiness", "Tune container memory swappiness (0 to 100)"),
  b("oom-kill-disable", "Disable OOM Killer"),
  i("oom-score-adj", "Tune host's OOM preferences (-1000 to 1000)"),
  i("pids-limit", "Tune container pids limit (set -1 for unlimited)"),
  s("cgroup-parent", "Optional parent cgroup for the container"),
  s("ipc", "IPC mode to use"),
  s("isolation", "Container isolation technology"),
  s("pid", "PID namespace to use"),
  s("shm-size", "Size of /dev/shm"),
  s("uts", "UTS namespace to use"),
  s("runtime", "Runtime to use for this container"),
  b("init", "Run an init inside the container that forwards signals and reaps processes"),
  l("annotation", "Add an annotation to the container (passed through to the OCI runtime)"),
];

/** What create (and run) add before the shared options (create.go, run.go). */
export const CREATE_FLAGS: readonly FlagSpec[] = [
  s("name", "Assign a name to the container"),
  s("pull", 'Pull image before creating ("always", "|missing", "never")', undefined, "missing"),
  b("quiet", "Suppress the pull output", "q"),
  s("platform", "Set platform if server is multi-platform capable"),
  b("disable-content-trust", "Skip image verification", undefined, true),
  ...CONTAINER_FLAGS,
];

export const RUN_FLAGS: readonly FlagSpec[] = [
  b("detach", "Run container in background and print container ID", "d"),
  b("sig-proxy", "Proxy received signals to the process", undefined, true),
  s("name", "Assign a name to the container"),
  s("detach-keys", "Override the key sequence for detaching a container"),
  s("pull", 'Pull image before running ("always", "missing", "never")', undefined, "missing"),
  b("quiet", "Suppress the pull output", "q"),
  s("platform", "Set platform if server is multi-platform capable"),
  b("disable-content-trust", "Skip image verification", undefined, true),
  ...CONTAINER_FLAGS,
];

/** A mistake the CLI finds itself: run.go's withHelp ("docker: …" and the help line), exit 125. */
export class RunUsageError extends DrydockError {
  constructor(message: string) {
    super("ERUNUSAGE", message);
  }
}

const usageError = (message: string): never => {
  throw new RunUsageError(message);
};

/** opts.ParseRestartPolicy: "name[:count]". The daemon validates the name (ValidateRestartPolicy). */
function parseRestart(text: string): RestartPolicy {
  if (text === "") return { name: "no", maximumRetryCount: 0 };
  const colon = text.indexOf(":");
  const k = colon < 0 ? text : text.slice(0, colon);
  const v = colon < 0 ? "" : text.slice(colon + 1);
  if (colon >= 0 && k === "") usageError("invalid restart policy format: no policy provided before colon");
  let count = 0;
  if (v !== "") {
    if (!/^[+-]?\d+$/.test(v)) usageError("invalid restart policy format: maximum retry count must be an integer");
    count = Number(v);
  }
  return { name: k as RestartPolicy["name"], maximumRetryCount: count };
}

/** opts.ReadKVEnvStrings: files first, then -e; `KEY` alone takes the client's value (dropped when unset). */
/** An -e / --env-file entry: KEY=value as it is, a bare KEY takes the client's value when it has one (a module function: no closure per `docker run`). */
function addEnv(out: string[], env: DockerEnv, e: string): void {
  if (e.includes("=")) out.push(e);
  else if (Object.hasOwn(env.env, e)) out.push(`${e}=${env.env[e]}`);
  else out.push(e);
}

function envOf(p: Parsed, env: DockerEnv): string[] {
  const out: string[] = [];
  for (const file of flag.list(p, "env-file")) {
    const path = file.startsWith("/") ? file : `${env.cwd}/${file}`;
    const r = readFile(env.fs, path);
    if (!r.ok) usageError(`open ${file}: no such file or directory`);
    if (r.ok) for (const line of r.value.split("\n")) {
      const t = line.trim();
      if (t !== "" && !t.startsWith("#")) addEnv(out, env, t);
    }
  }
  for (const e of flag.list(p, "env")) {
    if (e.startsWith("=")) usageError(`invalid environment variable: ${e}`);
    addEnv(out, env, e);
  }
  return out;
}

function labelsOf(p: Parsed): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lbl of flag.list(p, "label")) {
    const eq = lbl.indexOf("=");
    if (eq === 0) usageError(`invalid label '${lbl}': empty name`);
    if (eq < 0) out[lbl] = "";
    else out[lbl.slice(0, eq)] = lbl.slice(eq + 1);
  }
  return out;
}

/** go-units RAMInBytes with the CLI's flag error. */
function bytesFlag(p: Parsed, name: string, short?: string): number | undefined {
  const v = flag.str(p, name);
  if (v === undefined || v === "") return undefined;
  if (name === "memory-swap" && v === "-1") return -1;
  const n = ramInBytes(v);
  const shown = short ? `-${short}, --${name}` : `--${name}`;
  if (n === undefined) throw new DrydockError("EFLAG", `invalid argument "${v}" for "${shown}" flag: invalid size: '${v}'`);
  return n;
}

/** What `-m`, `--cpus` and kin ask of the cgroups. */
function resourcesOf(p: Parsed): Partial<Resources> {
  const r: { -readonly [K in keyof Resources]?: Resources[K] } = {};
  const memory = bytesFlag(p, "memory", "m");
  if (memory !== undefined) r.memory = memory;
  const swap = bytesFlag(p, "memory-swap");
  if (swap !== undefined) r.memorySwap = swap;
  const reservation = bytesFlag(p, "memory-reservation");
  if (reservation !== undefined) r.memoryReservation = reservation;
  const cpus = flag.str(p, "cpus");
  if (cpus !== undefined) {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(cpus)) throw new DrydockError("EFLAG", `invalid argument "${cpus}" for "--cpus" flag: failed to parse ${cpus} as a rational number`);
    r.nanoCpus = Math.round(Number(cpus) * 1e9);
  }
  const shares = flag.int(p, "cpu-shares");
  if (shares !== undefined) r.cpuShares = shares;
  const period = flag.int(p, "cpu-period");
  if (period !== undefined) r.cpuPeriod = period;
  const quota = flag.int(p, "cpu-quota");
  if (quota !== undefined) r.cpuQuota = quota;
  const cpuset = flag.str(p, "cpuset-cpus");
  if (cpuset !== undefined) r.cpusetCpus = cpuset;
  const pids = flag.int(p, "pids-limit");
  if (pids !== undefined && pids !== 0) r.pidsLimit = pids;
  if (flag.bool(p, "oom-kill-disable")) r.oomKillDisable = true;
  const swappiness = flag.int(p, "memory-swappiness");
  if (swappiness !== undefined && swappiness !== -1 && (swappiness < 0 || swappiness > 100)) usageError(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);
  return r;
}

/** The daemon's checks of resources (moby verifyPlatformContainerResources), with its texts. */
export function checkResources(r: Partial<Resources>, hostCpus: number): void {
  if (r.memory !== undefined && r.memory > 0 && r.memory < 6 * 1024 * 1024) throw new DrydockError("EINVAL", "Minimum memory limit allowed is 6MB");
  if (r.memorySwap !== undefined && r.memorySwap > 0 && r.memory !== undefined && r.memory > 0 && r.memorySwap < r.memory) {
    throw new DrydockError("EINVAL", "Minimum memoryswap limit should be larger than memory limit, see usage");
  }
  if (r.memorySwap !== undefined && r.memorySwap > 0 && (r.memory === undefined || r.memory === 0)) {
    throw new DrydockError("EINVAL", "You should always set the Memory limit when using Memoryswap limit, see usage");
  }
  if (r.nanoCpus !== undefined && r.nanoCpus !== 0 && (r.nanoCpus < 0.01e9 || r.nanoCpus > hostCpus * 1e9)) {
    throw new DrydockError("EINVAL", `Range of CPUs is from 0.01 to ${hostCpus.toFixed(2)}, as there are only ${hostCpus} CPUs available`);
  }
}

const ATTACHABLE = new Set(["stdin", "stdout", "stderr"]);

/** What parse() makes of the options and arguments: the request, and what the client itself needs. */
export interface ContainerOptions {
  readonly request: CreateRequest;
  readonly attach: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
  readonly autoRemove: boolean;
  readonly pull: "always" | "missing" | "never";
  readonly quiet: boolean;
}

/**
 * docker/cli container/opts.go parse(): the create request from the flags and the arguments
 * (IMAGE [COMMAND] [ARG...]). Throws RunUsageError (the CLI's own texts), MountError (the daemon's).
 */
export function parseContainerOptions(p: Parsed, env: DockerEnv): ContainerOptions {
  const image = p.args[0]!;
  const pull = flag.str(p, "pull") ?? "missing";
  if (!["always", "missing", "never", ""].includes(pull)) usageError(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  for (const a of flag.list(p, "attach")) if (!ATTACHABLE.has(a.toLowerCase())) usageError(`invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
  const attachList = flag.list(p, "attach").map((a) => a.toLowerCase());
  const interactive = flag.bool(p, "interactive");
  const attach = {
    stdin: attachList.includes("stdin") || interactive,
    stdout: attachList.length === 0 || attachList.includes("stdout"),
    stderr: attachList.length === 0 || attachList.includes("stderr"),
  };
  const mounts: MountSpec[] = [];
  try {
    for (const v of flag.list(p, "volume")) mounts.push(parseVolumeFlag(v, env.cwd));
    for (const m of flag.list(p, "mount")) mounts.push(parseMountFlag(m, env.cwd));
    for (const t of flag.list(p, "tmpfs")) mounts.push(parseTmpfsFlag(t));
  } catch (e) {
    if (e instanceof MountSpecError) {
      if (e.message.startsWith("invalid argument ")) throw new DrydockError("EFLAG", e.message);
      usageError(e.message);
    }
    throw e;
  }
  let exposed: string[] = [];
  let bindings: Record<string, { hostIp: string; hostPort: string }[]> = {};
  try {
    const mappings = flag.list(p, "publish").flatMap((v) => parsePublishFlag(v));
    const pb = portBindingsOf(mappings);
    exposed = pb.exposed;
    bindings = Object.fromEntries(Object.entries(pb.bindings).map(([k, v]) => [k, [...v]]));
    for (const e of flag.list(p, "expose")) for (const k of parseExposeFlag(e)) if (!exposed.includes(k)) exposed.push(k);
  } catch (e) {
    if (e instanceof PortSpecError) usageError(e.message);
    throw e;
  }
  const restart = parseRestart(flag.str(p, "restart") ?? "no");
  const autoRemove = flag.bool(p, "rm");
  if (autoRemove && restart.name !== "no" && (restart.name as string) !== "") usageError("conflicting options: cannot specify both --restart and --rm");
  const stopSignal = flag.str(p, "stop-signal");
  for (const mode of [["pid", flag.str(p, "pid")], ["uts", flag.str(p, "uts")], ["userns", flag.str(p, "userns")]] as const) {
    const v = mode[1];
    if (v === undefined || v === "") continue;
    const ok = mode[0] === "userns" ? ["host", ""].includes(v) : v === "host" || (mode[0] === "pid" && v.startsWith("container:") && v.length > 10);
    if (!ok) usageError(`--${mode[0]}: invalid ${mode[0] === "userns" ? "USER" : mode[0].toUpperCase()} mode`);
  }
  const network = flag.str(p, "network") ?? flag.str(p, "net");
  const entrypoint = flag.str(p, "entrypoint");
  const healthcheck = healthcheckOf(p);
  // Built by assignment, not by spreading a small object per optional field (every `docker run`).
  const request: { -readonly [K in keyof CreateRequest]: CreateRequest[K] } = { image };
  const name = flag.str(p, "name");
  if (name !== undefined) request.name = name;
  if (p.args.length > 1) request.cmd = p.args.slice(1);
  if (entrypoint !== undefined) request.entrypoint = entrypoint === "" ? [] : [entrypoint];
  request.env = envOf(p, env);
  const workdir = flag.str(p, "workdir");
  if (workdir !== undefined) request.workdir = workdir;
  const user = flag.str(p, "user");
  if (user !== undefined) request.user = user;
  const hostname = flag.str(p, "hostname");
  if (hostname) request.hostname = hostname;
  const domainname = flag.str(p, "domainname");
  if (domainname) request.domainname = domainname;
  request.labels = labelsOf(p);
  request.tty = flag.bool(p, "tty");
  request.openStdin = interactive;
  request.attachStdin = attach.stdin;
  request.attachStdout = attach.stdout;
  request.attachStderr = attach.stderr;
  request.restartPolicy = restart;
  request.autoRemove = autoRemove;
  request.mounts = mounts;
  request.volumesFrom = flag.list(p, "volumes-from");
  request.resources = resourcesOf(p);
  if (network !== undefined && network !== "") request.networkMode = network === "default" ? "bridge" : network;
  const aliases = flag.list(p, "network-alias");
  if (aliases.length > 0) request.networkAliases = aliases;
  const ip = flag.str(p, "ip");
  if (ip) request.ipv4Address = ip;
  const pidMode = flag.str(p, "pid");
  if (pidMode) request.pidMode = pidMode;
  const ipcMode = flag.str(p, "ipc");
  if (ipcMode) request.ipcMode = ipcMode;
  const isolation = flag.str(p, "isolation");
  if (isolation) request.isolation = isolation;
  const utsMode = flag.str(p, "uts");
  if (utsMode) request.utsMode = utsMode;
  const usernsMode = flag.str(p, "userns");
  if (usernsMode) request.usernsMode = usernsMode;
  request.init = flag.bool(p, "init");
  request.privileged = flag.bool(p, "privileged");
  request.readonlyRootfs = flag.bool(p, "read-only");
  if (stopSignal !== undefined && stopSignal !== "") request.stopSignal = stopSignal;
  const stopTimeout = flag.int(p, "stop-timeout");
  if (stopTimeout !== undefined) request.stopTimeout = stopTimeout;
  request.capAdd = flag.list(p, "cap-add");
  request.capDrop = flag.list(p, "cap-drop");
  request.exposedPorts = exposed;
  request.portBindings = bindings;
  request.publishAll = flag.bool(p, "publish-all");
  if (healthcheck !== undefined) request.healthcheck = healthcheck;
  return { request, attach, autoRemove, pull: (pull === "" ? "missing" : pull) as ContainerOptions["pull"], quiet: flag.bool(p, "quiet") };
}

/** The flags healthcheckOf reads (none has a default: unset, they are absent from the parsed flags). */
const HEALTH_FLAGS = ["health-cmd", "health-interval", "health-timeout", "health-start-period", "health-retries", "health-start-interval", "no-healthcheck"] as const;

/** docker/cli opts.go: --health-* make a HealthConfig (CMD-SHELL for --health-cmd); --no-healthcheck is NONE. */
function healthcheckOf(p: Parsed): CreateRequest["healthcheck"] {
  // Most runs give no --health-* flag: say so before making the closures below (every `docker run`).
  if (!HEALTH_FLAGS.some((name) => p.flags[name] !== undefined)) return undefined;
  const us = (name: string) => flag.micros(p, name) ?? 0;
  const retries = flag.int(p, "health-retries") ?? 0;
  const cmd = flag.str(p, "health-cmd") ?? "";
  const have = cmd !== "" || us("health-interval") !== 0 || us("health-timeout") !== 0 || us("health-start-period") !== 0 || retries !== 0 || us("health-start-interval") !== 0;
  if (flag.bool(p, "no-healthcheck")) {
    if (have) usageError("--no-healthcheck conflicts with --health-* options");
    return { test: ["NONE"] };
  }
  if (!have) return undefined;
  if (retries < 0) usageError("--health-retries cannot be negative");
  const set = (k: string, name: string) => (us(name) !== 0 ? { [k]: us(name) } : {});
  return {
    test: cmd !== "" ? ["CMD-SHELL", cmd] : [],
    ...set("interval", "health-interval"), ...set("timeout", "health-timeout"), ...set("startPeriod", "health-start-period"),
    ...set("startInterval", "health-start-interval"), ...(retries !== 0 ? { retries } : {}),
  };
}

/** The daemon's checks before it creates (moby daemon/create.go verifyContainerSettings), with its texts. */
export function verifyCreate(req: CreateRequest, hostCpus: number): void {
  if (req.workdir !== undefined && req.workdir !== "" && !req.workdir.startsWith("/")) {
    throw new DrydockError("EINVAL", `the working directory '${req.workdir}' is invalid, it needs to be an absolute path`);
  }
  if (req.stopSignal !== undefined) parseSignalName(req.stopSignal);
  // runconfig/hostconfig_unix.go validateIsolation (the router's, before any pull): Isolation.IsDefault
  // ("default" in any case, or empty) is all a Linux daemon takes; process and hyperv are Windows'.
  if (req.isolation !== undefined && req.isolation !== "" && req.isolation.toLowerCase() !== "default") {
    throw new DrydockError("EINVAL", `invalid isolation (${req.isolation}): linux only supports 'default'`);
  }
  checkResources(req.resources ?? {}, hostCpus);
  const seen = new Set<string>();
  for (const m of req.mounts ?? []) {
    if (seen.has(m.target)) throw new MountError(`Duplicate mount point: ${m.target}`);
    seen.add(m.target);
  }
  // The network itself is the daemon's to find when it creates the container (engine/network/containers.ts).
}

export { fail };
