// The container side of the Docker daemon on one host: create, start, stop, kill, pause, restart,
// remove, rename, exec, commit, and what happens when a process ends (restart policies with the
// restart manager's back-off). A Daemon is opened over an engine value for one operation (a
// command, a wake-up), works on copy-on-write maps, and hands back the next engine value; a
// failed operation is simply not taken back. Error texts are moby's (daemon/*.go), named where
// they are copied.
import { DrydockError, MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { ImageStore, shortId, type Image } from "@drydock/image";
import type { EngineState, Wakeup } from "../engine.js";
import { appendEvents, engineEvents, type EngineEvent, type EventType } from "../events.js";
import { emptyDir, mkdir, remove as fsRemove, writeFile, type FsDir } from "../fs/index.js";
import { HOST_NAMESPACES, allocNamespace, allocPid, forkProcs, type HostKernel, type Proc } from "../host/procs.js";
import type { ProgramResolver, StartContext } from "../programs/program.js";
import { signalName, SIGKILL } from "../programs/signals.js";
import { basePlan, type Plan, type ProcessSpec, type Reaction, type TimedWrite } from "../programs/types.js";
import { CowMap } from "../util/cow-map.js";
import { clientLoopIds, isClientLoop } from "./indexes.js";
import { ensureVolume, removeVolume, recordMounts, recordUnmounts, type MountSpec } from "../volumes/index.js";
import { NAME_ADJECTIVES, NAME_SURNAMES } from "./names.js";
import { graft, nodeAtPath, splitView, viewOf } from "./mounts.js";
import { imageTree, layerChanges } from "./rootfs.js";
import { findContainer, getContainer } from "./list.js";
import { PortAllocationError, type BoundPort } from "../network/ports.js";
import { attachmentsFor, clearSandboxes, connectNetwork, disconnectNetwork, joinNetworks, leaveNetworks, renameEndpoints } from "../network/containers.js";
import { endpointsOf, isUserDefined, publishPorts } from "../network/endpoints.js";
import { clientLoads } from "../network/load.js";
import { lanAddress, type NetWorld } from "../network/traffic.js";
import { withManagedFiles } from "./etc-files.js";
import { stateString } from "./status.js";
import { healthDueAt, initHealth, mergeHealthcheck, resumeHealth, stepHealth, stopHealth, validateHealthcheck, type HealthConfig } from "./health.js";
import type {
  Container, ContainerConfig, ContainerState, ExecRecord, HostConfig, LogPiece, LogRun, MountPoint, Namespace, NamespaceKind, Resources,
  RestartPolicy, RunState,
} from "./types.js";

const MS = MICROS_PER_MS;
const SECOND = MICROS_PER_SECOND;

/** A stream of numbers in [0, 1): the world's seeded RNG (kernel Rng) for IDs and names. */
export interface RandomSource {
  next(): number;
}

export interface RuntimeEnv {
  readonly now: Micros;
  /** Container and exec IDs. */
  readonly random: RandomSource;
  /** The names generator's stream (its own, so a new name does not shift IDs). */
  readonly names: RandomSource;
  readonly programs: ProgramResolver;
  /** The host's name (a --network host container's hostname). */
  readonly hostName?: string;
  /** The host's address on its LAN (a --network host container's, and what its published ports answer on). */
  readonly hostIp?: string;
  readonly hostCpus?: number;
  readonly hostMemory?: number;
  /** The world a starting program's traffic sees, given this host's engine and disk as they are (default: this host alone). */
  readonly netWorld?: (self: { readonly engine: EngineState; readonly fs: FsDir }) => NetWorld;
}

export const HOST_CPUS = 2;
export const HOST_MEMORY = 4 * 1024 * 1024 * 1024;

/** moby restartmanager: the first back-off, its growth, its cap, and the run time that resets it. */
export const RESTART_BACKOFF_FIRST_US = 100 * MS;
export const RESTART_BACKOFF_MAX_US = 60 * SECOND;
export const RESTART_RESET_AFTER_US = 10 * SECOND;
/** The default stop timeout (moby container.DefaultStopTimeout). */
export const DEFAULT_STOP_TIMEOUT_S = 10;
/** `docker rm -f` waits this long after the SIGKILL (daemon/delete.go). */
const DEFAULT_STOP_SIGNAL = "SIGTERM";

/** What `docker create`/`docker run` ask for (the CLI has parsed the flags). */
export interface CreateRequest {
  readonly image: string;
  /** `--isolation`: a Linux daemon takes only "default" or none (checked before create, playground verifyCreate). */
  readonly isolation?: string;
  readonly name?: string;
  /** The arguments after the image (replacing its CMD); undefined when none were given. */
  readonly cmd?: readonly string[];
  /** `--entrypoint`: [] for `--entrypoint ""` (clears the image's). */
  readonly entrypoint?: readonly string[];
  readonly env?: readonly string[];
  readonly workdir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly tty?: boolean;
  /** `-i`. */
  readonly openStdin?: boolean;
  readonly attachStdin?: boolean;
  readonly attachStdout?: boolean;
  readonly attachStderr?: boolean;
  readonly restartPolicy?: RestartPolicy;
  readonly autoRemove?: boolean;
  readonly mounts?: readonly MountSpec[];
  readonly volumesFrom?: readonly string[];
  readonly resources?: Partial<Resources>;
  readonly networkMode?: string;
  /** `--network-alias` (on the `--network` given). */
  readonly networkAliases?: readonly string[];
  /** `--ip` (on the `--network` given). */
  readonly ipv4Address?: string;
  /** Every network to join, with its aliases (compose's networks); replaces the three above when given. */
  readonly networks?: readonly { readonly network: string; readonly aliases?: readonly string[]; readonly ipv4Address?: string }[];
  readonly pidMode?: string;
  readonly ipcMode?: string;
  readonly utsMode?: string;
  readonly usernsMode?: string;
  readonly init?: boolean;
  readonly privileged?: boolean;
  readonly readonlyRootfs?: boolean;
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly exposedPorts?: readonly string[];
  readonly portBindings?: HostConfig["portBindings"];
  /** `-P`. */
  readonly publishAll?: boolean;
  /** `--health-*`, compose's healthcheck: merged with the image's HEALTHCHECK (./health.ts). */
  readonly healthcheck?: HealthConfig;
}

export const NO_RESOURCES: Resources = {
  memory: 0, memorySwap: 0, memoryReservation: 0, nanoCpus: 0, cpuShares: 0, cpuPeriod: 0, cpuQuota: 0, cpusetCpus: "", pidsLimit: null, oomKillDisable: false,
};

const err = (code: string, message: string) => new DrydockError(code, message);

/** Two hex digits of each byte value, for randomId. */
const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** 64 hex from a random source, never a short ID that is all digits (moby stringid.GenerateRandomID). */
export function randomId(random: RandomSource): string {
  for (;;) {
    let id = "";
    // Each draw is a 32-bit word written as 8 hex digits, as toString(16).padStart(8, "0") writes
    // it (the same IDs: daemon.test.ts compares the two), by bytes from a table: a third of the
    // cost, on every `docker run`.
    for (let i = 0; i < 8; i++) {
      const w = Math.floor(random.next() * 0x1_0000_0000);
      id += HEX_BYTES[w >>> 24]! + HEX_BYTES[(w >>> 16) & 0xff]! + HEX_BYTES[(w >>> 8) & 0xff]! + HEX_BYTES[w & 0xff]!;
    }
    if (!/^\d{12}/.test(id)) return id;
  }
}

/** moby namesgenerator.GetRandomName: "adjective_surname", a digit after it on retries; never boring_wozniak. */
export function randomName(random: RandomSource, retry: number): string {
  for (;;) {
    const name = `${NAME_ADJECTIVES[Math.floor(random.next() * NAME_ADJECTIVES.length)]}_${NAME_SURNAMES[Math.floor(random.next() * NAME_SURNAMES.length)]}`;
    if (name === "boring_wozniak") continue;
    return retry > 0 ? `${name}${Math.floor(random.next() * 10)}` : name;
  }
}

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** moby ValidateRestartPolicy. */
export function validateRestartPolicy(p: RestartPolicy): void {
  const names = ["no", "always", "on-failure", "unless-stopped"];
  if (!names.includes(p.name)) {
    throw err("EINVAL", `invalid restart policy: unknown policy '${p.name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  if (p.name !== "on-failure" && p.maximumRetryCount !== 0) {
    throw err("EINVAL", `invalid restart policy: maximum retry count can only be used with 'on-failure'${p.maximumRetryCount < 0 ? " and cannot be negative" : ""}`);
  }
  if (p.maximumRetryCount < 0) throw err("EINVAL", "invalid restart policy: maximum retry count cannot be negative");
}

/** Replaces or appends KEY=value entries (moby ReplaceOrAppendEnvValues). */
export function mergeEnv(base: readonly string[], over: readonly string[]): string[] {
  const out = base.slice();
  if (over.length === 0) return out;
  for (const e of over) {
    const eq = e.indexOf("=");
    const key = eq >= 0 ? e.slice(0, eq) : e;
    let i = -1;
    for (let j = 0; j < out.length; j++) {
      const x = out[j]!;
      if (x === key || (x.length > key.length && x.charCodeAt(key.length) === 61 && x.startsWith(key))) {
        i = j;
        break;
      }
    }
    if (eq < 0) {
      // "KEY" alone removes it (moby: an entry without "=" unsets).
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = e;
    else out.push(e);
  }
  return out;
}

function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const eq = e.indexOf("=");
    if (eq > 0) m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}

/** Memory a plan uses `t` after its origin. */
export function memoryAt(plan: Plan, t: Micros): number {
  const m = plan.memory;
  const v = m.base + (m.growPerSec * Math.max(0, t)) / SECOND;
  return Math.round(m.max !== null ? Math.min(v, m.max) : v);
}

/** When a plan's memory first exceeds `limit` (relative to its origin), or null. */
export function oomAfter(plan: Plan, limit: number): Micros | null {
  if (limit <= 0) return null;
  const m = plan.memory;
  if (m.base > limit) return 0;
  if (m.growPerSec <= 0 || (m.max !== null && m.max <= limit)) return null;
  return Math.ceil(((limit - m.base) / m.growPerSec) * SECOND) + 1;
}

/**
 * Containers maps known to hold no container running a client loop, by identity (a map value
 * never changes): what settleClients asks on every start, answered without a diff of two versions
 * of the map. Derived, never stored in the state.
 */
const NO_CLIENT_LOOP = new WeakSet<ReadonlyMap<string, Container>>();

function hasNoClientLoop(m: ReadonlyMap<string, Container>): boolean {
  if (NO_CLIENT_LOOP.has(m)) return true;
  if (clientLoopIds(m).size > 0) return false;
  NO_CLIENT_LOOP.add(m);
  return true;
}

const ownMap = <K, V>(m: ReadonlyMap<K, V>): CowMap<K, V> => (m instanceof CowMap ? m.fork() : new CowMap(m));

const isVolume = (m: MountPoint) => m.type === "volume";

/** What a starting program is told of its mounts: the read-only targets (and "/" for --read-only), the writable ones. */
function mountTargets(c: Container): { readOnly: string[]; writable: string[] } {
  const readOnly: string[] = [];
  const writable: string[] = [];
  for (const m of c.mounts) (m.readOnly ? readOnly : writable).push(m.target);
  if (c.hostConfig.readonlyRootfs) readOnly.push("/");
  return { readOnly, writable };
}

const hostNamespace = (kind: NamespaceKind): Namespace => ({ kind, inode: HOST_NAMESPACES[kind as keyof typeof HOST_NAMESPACES], owner: "host" });

export class Daemon {
  private readonly containers: CowMap<string, Container>;
  /** The engine's containers as this daemon found them (never changed: `containers` is a fork). */
  private readonly initialContainers: ReadonlyMap<string, Container>;
  private readonly names: CowMap<string, string>;
  private readonly procs: CowMap<number, Proc>;
  private kernel: HostKernel;
  /** The fields of the engine this side only passes through (images, volumes, events...). */
  private state: EngineState;
  private readonly wakes: Wakeup[];
  hostFs: FsDir;

  constructor(engine: EngineState, hostFs: FsDir, readonly env: RuntimeEnv) {
    this.initialContainers = engine.containers;
    this.containers = ownMap(engine.containers);
    this.names = ownMap(engine.containerNames);
    this.procs = forkProcs(engine.kernel);
    this.kernel = engine.kernel;
    this.state = engine;
    this.wakes = [...engine.wakeups];
    this.hostFs = hostFs;
  }

  get now(): Micros {
    return this.env.now;
  }

  /** The engine as it is now (the maps are forked: later changes to this daemon do not reach it). */
  get engine(): EngineState {
    if (this.clientsDirty) this.settleClients();
    this.flushEvents();
    const containers = this.containers.fork();
    // No client loop then, none put since: none now (so the next daemon need not diff the maps to know).
    if (!this.putClientLoop && NO_CLIENT_LOOP.has(this.initialContainers)) NO_CLIENT_LOOP.add(containers);
    return {
      ...this.state, containers, containerNames: this.names.fork(),
      kernel: { ...this.kernel, procs: this.procs.fork() }, wakeups: [...this.wakes],
    };
  }

  /** The set of running containers changed: client loops (DockerCoins' worker) may go at another rate. */
  private clientsDirty = false;
  /** Whether this daemon has put a container running a client loop (settleClients). */
  private putClientLoop = false;

  /**
   * Gives every client loop the rate the services it calls allow now (../network/load.ts): a
   * worker whose rate changed goes on from now with a new plan piece.
   */
  settleClients(): void {
    this.clientsDirty = false;
    // Most hosts run no client loop: finding that out must not cost a pass over every container,
    // nor a fork and a diff of the containers map on every `docker run`. The client loops now are
    // among those the engine had (known for that map already) and those this daemon put.
    if (!this.putClientLoop && hasNoClientLoop(this.initialContainers)) return;
    if (clientLoopIds(this.containers.fork()).size === 0) return;
    const loads = clientLoads(this.view(), this.hostFs, this.now);
    for (const [id, load] of loads.clients) {
      const c = this.containers.get(id);
      const r = c?.run;
      const t = r?.plan.tick;
      if (!c || !r || !t || Math.abs(Number(t.params["rate"]) - load.rate) < 1e-9) continue;
      const plan: Plan = { ...r.plan, lines: [], tick: { ...t, params: { ...t.params, rate: load.rate } } };
      this.put({ ...this.newPiece(c, plan, this.now), gen: c.gen + 1 });
      this.schedule(this.containers.get(id)!);
    }
  }

  /** The engine for the volumes code to read (live maps, not forked: read only), with every event logged so far. */
  private view(): EngineState {
    this.flushEvents();
    return { ...this.state, containers: this.containers, containerNames: this.names, kernel: { ...this.kernel, procs: this.procs } };
  }

  /**
   * Events logged since the state's log was last brought up to date. A `docker run` logs three
   * or four, and appending each to the (256-event) log copied it each time; they join it at once
   * when the state is next read whole (view(), engine, before a write-back), in the same order.
   */
  private pendingEvents: EngineEvent[] = [];

  private flushEvents(): void {
    if (this.pendingEvents.length === 0) return;
    this.state = { ...this.state, events: appendEvents(engineEvents(this.state), this.pendingEvents) };
    this.pendingEvents = [];
  }

  /** Logs one event (as ../events.ts recordEvent makes it: moby LogEventWithAttributes, scope "local"). */
  private event(type: EventType, action: string, id: string, attributes: Readonly<Record<string, string>> = {}): void {
    this.pendingEvents.push({ type, action, actor: { id, attributes: { ...attributes } }, scope: "local", timeUs: this.now });
  }

  /** Container events carry the image as named and the container's name and labels (moby LogContainerEventWithAttributes). */
  private containerEvent(c: Container, action: string, extra: Readonly<Record<string, string>> = {}): void {
    this.event("container", action, c.id, { ...c.config.labels, image: c.config.image, name: c.name, ...extra });
  }

  // ---- lookup ----

  /** moby GetContainer: a full ID, a name (with or without "/"), or a unique ID prefix. */
  find(ref: string): Container | undefined {
    return findContainer(this.containers, this.names, ref);
  }

  get(ref: string): Container {
    return getContainer(this.containers, this.names, ref);
  }

  all(): Container[] {
    return [...this.containers.values()];
  }

  private put(c: Container): Container {
    this.containers.set(c.id, c);
    if (isClientLoop(c)) this.putClientLoop = true;
    return c;
  }

  private images(): ImageStore {
    return ImageStore.fromSnapshot(this.state.images);
  }

  // ---- create ----

  private reserveName(id: string, wanted: string | undefined): string {
    if (wanted !== undefined && wanted !== "") {
      const name = wanted.replace(/^\//, "");
      if (!VALID_NAME.test(name)) throw err("EINVAL", `Invalid container name (${wanted}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      const owner = this.names.get(name);
      if (owner !== undefined) {
        throw err("ECONFLICT", `Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
      }
      return name;
    }
    // moby generateAndReserveName: six tries, then the short ID.
    for (let i = 0; i < 6; i++) {
      const name = randomName(this.env.names, i);
      if (!this.names.has(name)) return name;
    }
    return shortId(id);
  }

  /** POST /containers/create. Throws Docker's error; on success the container is "Created". */
  create(req: CreateRequest): Container {
    const store = this.images();
    const img = store.resolve(req.image);
    if (!img) throw err("ENOIMAGE", `No such image: ${req.image}`);
    // The hosts are Linux daemons: a Windows image (drydock's builder makes them) is not run. moby's
    // image.CheckOS refuses it (image/store.go, distribution/config.go platformFromConfig's text).
    if (img.os !== "linux") throw err("EINVAL", `image operating system "${img.os}" cannot be used on this platform: operating system is not supported`);
    const policy = req.restartPolicy ?? { name: "no", maximumRetryCount: 0 };
    validateRestartPolicy(policy);
    validateHealthcheck(req.healthcheck);
    if (req.autoRemove === true && policy.name !== "no") throw err("EINVAL", "can't create 'AutoRemove' container with restart policy");
    // moby daemon/commit.go merge(): the image's entrypoint and command unless the user gave theirs.
    let entrypoint: readonly string[] | null = req.entrypoint !== undefined ? (req.entrypoint.length > 0 ? req.entrypoint : null) : img.config.entrypoint;
    let cmd: readonly string[] | null = req.cmd !== undefined && req.cmd.length > 0 ? req.cmd : null;
    if (req.entrypoint === undefined && cmd === null) cmd = img.config.cmd;
    if (entrypoint !== null && entrypoint.length === 0) entrypoint = null;
    if ((entrypoint === null || entrypoint.length === 0) && (cmd === null || cmd.length === 0)) throw err("EINVAL", "no command specified");
    for (const pm of [req.pidMode, req.ipcMode, req.networkMode]) this.checkJoin(pm);
    // moby verifyNetworkingConfig: the networks exist, aliases and --ip only on user-defined ones.
    const networks = attachmentsFor(this.state.networks, req.networkMode ?? "bridge", req.networks ?? [{ network: req.networkMode ?? "bridge", aliases: req.networkAliases ?? [], ipv4Address: req.ipv4Address ?? "" }]);
    const id = this.freshId();
    const name = this.reserveName(id, req.name);
    const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
    const hostname = req.hostname ?? (req.networkMode === "host" ? (this.env.hostName ?? "localhost") : shortId(id));
    const layers = store.layersOf(img);
    const lower = imageTree(img.id, layers, img.created);
    let rootfs = lower;
    const workdir = req.workdir ?? img.config.workingDir;
    if (workdir !== "") {
      const made = mkdir(rootfs, workdir, this.now, { parents: true });
      if (made.ok && nodeAtPath(lower, workdir) === undefined) rootfs = made.value;
    }
    const mounts = this.createMounts(id, img, lower, req.mounts ?? [], req.volumesFrom ?? []);
    const config: ContainerConfig = {
      hostname, domainname: req.domainname ?? "", user: req.user ?? img.config.user,
      attachStdin: req.attachStdin ?? false, attachStdout: req.attachStdout ?? false, attachStderr: req.attachStderr ?? false,
      exposedPorts: [...new Set([...img.config.exposedPorts, ...(req.exposedPorts ?? [])])].sort(),
      tty: req.tty ?? false, openStdin: req.openStdin ?? false, stdinOnce: (req.openStdin ?? false) && (req.attachStdin ?? false),
      env: mergeEnv(img.config.env, req.env ?? []), cmd, image: req.image, volumes: img.config.volumes, workingDir: workdir,
      entrypoint, labels: { ...img.config.labels, ...(req.labels ?? {}) }, stopSignal: req.stopSignal ?? img.config.stopSignal,
      stopTimeout: req.stopTimeout ?? null, healthcheck: mergeHealthcheck(req.healthcheck, img.config.healthcheck),
    };
    const hostConfig: HostConfig = {
      binds: (req.mounts ?? []).filter((m) => m.type !== "tmpfs" && m.createHostPath !== undefined).map((m) => `${m.source}:${m.target}${m.mode ? `:${m.mode}` : m.readOnly ? ":ro" : ""}`),
      networkMode: req.networkMode ?? "bridge", portBindings: req.portBindings ?? {}, publishAllPorts: req.publishAll ?? false, restartPolicy: policy, autoRemove: req.autoRemove ?? false,
      volumesFrom: req.volumesFrom ?? [], pidMode: req.pidMode ?? "", ipcMode: req.ipcMode ?? "private", utsMode: req.utsMode ?? "",
      usernsMode: req.usernsMode ?? "", privileged: req.privileged ?? false, readonlyRootfs: req.readonlyRootfs ?? false, init: req.init ?? false,
      capAdd: req.capAdd ?? [], capDrop: req.capDrop ?? [],
      tmpfs: Object.fromEntries((req.mounts ?? []).filter((m) => m.type === "tmpfs").map((m) => [m.target, m.tmpfsOptions ?? ""])),
      resources: { ...NO_RESOURCES, ...(req.resources ?? {}) },
    };
    const state: ContainerState = {
      running: false, paused: false, restarting: false, oomKilled: false, dead: false, removalInProgress: false, pid: 0, exitCode: 0, error: "",
      startedAt: null, finishedAt: null,
    };
    const c: Container = {
      id, name, created: this.now, imageId: img.id, path: argv[0]!, args: argv.slice(1), config, hostConfig, state, restartCount: 0,
      restartTimeoutUs: 0, restartManagerCount: 0, hasBeenManuallyStopped: false, hasBeenStartedBefore: false, rootfs, lowerfs: lower, mounts,
      namespaces: [], logs: [], execs: [], run: null, restartAt: null, hasBeenManuallyRestarted: false, gen: 0, networks,
    };
    this.names.set(name, id);
    this.put(c);
    this.containerEvent(c, "create");
    return c;
  }

  private freshId(): string {
    for (;;) {
      const id = randomId(this.env.random);
      if (!this.containers.has(id)) return id;
    }
  }

  /** `--pid container:X` and kin must name an existing container. */
  private checkJoin(mode: string | undefined): void {
    if (mode === undefined || !mode.startsWith("container:")) return;
    const ref = mode.slice("container:".length);
    if (!this.find(ref)) throw err("ENOCONTAINER", `No such container: ${ref}`);
  }

  /** The mounts of a new container: the user's, the image's VOLUMEs as anonymous volumes, --volumes-from. */
  private createMounts(id: string, img: Image, lower: FsDir, specs: readonly MountSpec[], volumesFrom: readonly string[]): MountPoint[] {
    // Most containers mount nothing: no closure to make for that (every `docker run`).
    if (specs.length === 0 && volumesFrom.length === 0 && img.config.volumes.length === 0) return [];
    const out: MountPoint[] = [];
    const taken = new Set<string>();
    const add = (m: MountPoint) => {
      out.push(m);
      taken.add(m.target);
    };
    for (const s of specs) {
      if (s.type === "volume") {
        const name = s.source !== "" ? s.source : this.anonymousName(id, s.target);
        this.state = ensureVolume(this.view(), name, {
          now: this.now, anonymous: s.source === "", copyFrom: s.noCopy ? undefined : nodeAtPath(lower, s.target),
          ...(s.volumeDriver !== undefined ? { driver: s.volumeDriver } : {}),
        });
        add({ type: "volume", source: name, target: s.target, readOnly: s.readOnly, driver: s.volumeDriver ?? "local", mode: s.mode ?? "", anonymous: s.source === "" });
      } else if (s.type === "bind") {
        if (nodeAtPath(this.hostFs, s.source) === undefined) {
          // -v creates a missing host directory; --mount refuses (moby: bind source path does not exist).
          if (!s.createHostPath) throw err("EINVAL", `invalid mount config for type "bind": bind source path does not exist: ${s.source}`);
          const made = mkdir(this.hostFs, s.source, this.now, { parents: true });
          if (made.ok) this.hostFs = made.value;
        }
        add({ type: "bind", source: s.source, target: s.target, readOnly: s.readOnly, driver: "", mode: s.mode ?? "", anonymous: false });
      } else {
        add({ type: "tmpfs", source: "", target: s.target, readOnly: s.readOnly, driver: "", mode: "", anonymous: false, ...(s.files ? { files: s.files } : {}) });
      }
    }
    for (const ref of volumesFrom) {
      const [name, mode] = ref.split(":") as [string, string | undefined];
      const from = this.get(name);
      for (const m of from.mounts) {
        if (m.type === "tmpfs" || taken.has(m.target)) continue;
        add({ ...m, readOnly: mode === "ro" ? true : mode === "rw" ? false : m.readOnly, anonymous: false });
      }
    }
    for (const target of img.config.volumes) {
      if (taken.has(target)) continue;
      const name = this.anonymousName(id, target);
      this.state = ensureVolume(this.view(), name, { now: this.now, anonymous: true, copyFrom: nodeAtPath(lower, target) });
      add({ type: "volume", source: name, target, readOnly: false, driver: "local", mode: "", anonymous: true });
    }
    return out;
  }

  private anonymousName(id: string, target: string): string {
    void id;
    void target;
    return randomId(this.env.random);
  }

  // ---- start ----

  /** The namespaces of a starting container (sharing what its modes ask for). */
  private namespacesFor(c: Container): Namespace[] {
    // Methods, not closures made on every start (each is an allocation, and a defineProperty
    // under tsx, which keeps function names: measured on the 10,000-container bench).
    const hc = c.hostConfig;
    const net = hc.networkMode === "none" ? { ...this.ownNamespace(c, "net"), owner: "none" } : this.namespaceMode(c, hc.networkMode, "net", "network namespace");
    return [
      this.namespaceMode(c, hc.pidMode, "pid", "PID namespace"),
      net,
      this.namespaceMode(c, hc.ipcMode === "private" || hc.ipcMode === "shareable" ? "" : hc.ipcMode, "ipc", "IPC namespace"),
      this.ownNamespace(c, "mnt"),
      hc.utsMode === "host" || hc.networkMode === "host" ? hostNamespace("uts") : this.ownNamespace(c, "uts"),
      hc.usernsMode === "" || hc.usernsMode === "host" ? hostNamespace("user") : this.ownNamespace(c, "user"),
      this.ownNamespace(c, "cgroup"),
    ];
  }

  private ownNamespace(c: Container, kind: NamespaceKind): Namespace {
    const r = allocNamespace(this.kernel);
    this.kernel = r.kernel;
    return { kind, inode: r.inode, owner: c.id };
  }

  /** A namespace by its mode: the host's, another container's (`container:X`), or a new one. */
  private namespaceMode(c: Container, m: string, kind: NamespaceKind, what: string): Namespace {
    if (m === "host") return hostNamespace(kind);
    if (m.startsWith("container:")) {
      const ref = m.slice(10);
      const other = this.find(ref);
      if (!other || !other.state.running || other.state.restarting) throw err("ECONFLICT", `cannot join ${what} of a non running container: ${ref}`);
      const ns = other.namespaces.find((n) => n.kind === kind);
      return ns ?? this.ownNamespace(c, kind);
    }
    return this.ownNamespace(c, kind);
  }

  /**
   * The container joins its networks (the engine's network table, ../network): a sandbox, an
   * endpoint on each network with an address from IPAM. Returns its first address (the host's
   * for --network host, the other container's for --network container:X, "" for none).
   */
  private joinNetworks(c: Container): { ip: string; embeddedDns: boolean } {
    const nm = c.hostConfig.networkMode;
    if (nm.startsWith("container:")) {
      const other = this.find(nm.slice(10))?.run;
      return { ip: other?.ip ?? "", embeddedDns: other?.embeddedDns ?? false };
    }
    const joined = joinNetworks(this.state.networks, c);
    this.state = { ...this.state, networks: joined.table };
    for (const e of endpointsOf(joined.table, c.id)) {
      const n = joined.table.networks.get(e.networkId)!;
      this.event("network", "connect", n.id, { container: c.id, name: n.name, type: n.driver });
    }
    return { ip: nm === "host" ? (this.env.hostIp ?? "") : joined.ip, embeddedDns: joined.embeddedDns };
  }

  /** Gives back what a run held: its endpoints and addresses, its sandbox and its published ports. */
  private releaseNetwork(c: Container, _r?: RunState): void {
    const before = this.state.networks;
    const t = leaveNetworks(before, c.id);
    if (t === before) return;
    for (const e of endpointsOf(before, c.id)) {
      const n = before.networks.get(e.networkId)!;
      this.event("network", "disconnect", n.id, { container: c.id, name: n.name, type: n.driver });
    }
    this.state = { ...this.state, networks: t };
  }

  /** The environment of a container's processes (moby CreateDaemonEnvironment): PATH, HOSTNAME, TERM, then Config.Env. */
  processEnv(c: Container, extra: readonly string[] = [], tty = c.config.tty): string[] {
    const base = [`PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, `HOSTNAME=${c.config.hostname}`, ...(tty ? ["TERM=xterm"] : [])];
    return mergeEnv(mergeEnv(base, c.config.env), extra);
  }

  /** What a program is told when it starts in `c`. */
  startContext(c: Container, spec: ProcessSpec, pid: number, isPid1: boolean, ip: string, fs: FsDir): Omit<StartContext, "path" | "via"> {
    const targets = mountTargets(c);
    return {
      spec, env: envMap(spec.env), fs, now: this.now, hostname: c.config.hostname, containerId: c.id, containerName: c.name, pid, isPid1,
      memoryLimit: c.hostConfig.resources.memory, hostMemory: this.env.hostMemory ?? HOST_MEMORY, hostCpus: this.env.hostCpus ?? HOST_CPUS,
      ip, image: c.config.image, readOnly: targets.readOnly, writable: targets.writable,
      net: this.netView(),
    };
  }

  /**
   * This host's networks as traffic sees them (a program that pings or fetches resolves and routes
   * through them). Traffic reads no events: the view leaves them pending (flushing copied the
   * 256-event log once more on every start).
   */
  private netView(): { world: NetWorld; host: string } {
    const host = this.env.hostName ?? "localhost";
    const engine: EngineState = { ...this.state, containers: this.containers, containerNames: this.names, kernel: { ...this.kernel, procs: this.procs } };
    if (this.env.netWorld) return { world: this.env.netWorld({ engine, fs: this.hostFs }), host };
    return { world: { hosts: [{ name: host, ip: this.env.hostIp ?? lanAddress(0), engine, fs: this.hostFs }] }, host };
  }

  /** The live host PIDs in a container (its run's processes and its running execs), without the shim. */
  pidsOf(c: Container): number[] {
    if (c.run === null) return [];
    const out = [...c.run.pids];
    for (const e of c.execs) if (e.running) out.push(e.pid);
    return out;
  }

  private pid(): number {
    const r = allocPid(this.kernel, this.procs);
    this.kernel = r.kernel;
    return r.pid;
  }

  /**
   * POST /containers/{id}/start. Returns false when it was already running (moby's 304: the CLI
   * prints the name anyway). A process that cannot start leaves the container with exit code
   * 127 or 126 and the error in its state, as Docker does, and throws runc's error.
   */
  start(ref: string, opts: { resetRestartManager?: boolean } = {}): boolean {
    const c0 = this.get(ref);
    if (c0.state.paused) throw err("ECONFLICT", "cannot start a paused container, try unpause instead");
    if (c0.state.running && !c0.state.restarting) return false;
    if (c0.state.removalInProgress || c0.state.dead) throw err("ECONFLICT", "container is marked for removal and cannot be started");
    let c = c0;
    if (opts.resetRestartManager !== false) {
      // containerStart(resetRestartManager=true): a manual start forgets the back-off and the count.
      c = { ...c, restartCount: 0, restartTimeoutUs: 0, restartManagerCount: 0, hasBeenManuallyStopped: false };
    }
    this.startProcess(c);
    return true;
  }

  /** moby containerStart's deferred cleanup: the error is kept, the exit code too (128 when none was set). A method, not a closure per start. */
  private failStart(c0: Container, message: string, exitCode: number): never {
    if (!c0.hostConfig.networkMode.startsWith("container:")) this.releaseNetwork(c0);
    const c = this.put({ ...c0, state: { ...c0.state, exitCode: exitCode || 128, error: message, restarting: false, running: false, pid: 0 }, restartAt: null, gen: c0.gen + 1 });
    if (c.hostConfig.autoRemove) this.destroy(c, true);
    throw err("ESTART", message);
  }

  private startProcess(c0: Container): Container {
    let c = c0;
    const namespaces = this.namespacesFor(c);
    const { ip, embeddedDns } = this.joinNetworks(c);
    const tmpfs = new Map<string, FsDir>();
    for (const m of c.mounts) if (m.type === "tmpfs") tmpfs.set(m.target, tmpfsWith(m.files, this.now));
    const spec: ProcessSpec = {
      argv: [c.path, ...c.args], env: this.processEnv(c), cwd: c.config.workingDir || "/", user: c.config.user, tty: c.config.tty,
      interactive: c.config.openStdin,
    };
    const fs = withManagedFiles(viewOf(c, { engine: this.state, hostFs: this.hostFs, tmpfs }, this.now), { hostname: c.config.hostname, ip: c.hostConfig.networkMode === "host" ? "" : ip, since: this.now, embeddedDns }, this.now);
    const planned = this.env.programs.plan(this.startContext(c, spec, c.hostConfig.init ? 7 : 1, !c.hostConfig.init, ip, fs));
    if ("failure" in planned) {
      this.failStart(c, `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${planned.failure}: unknown`, planned.exitCode);
      throw new Error("unreachable");
    }
    let ports: BoundPort[] = [];
    const hc = c.hostConfig;
    if (Object.keys(hc.portBindings).length > 0 || (hc.publishAllPorts && c.config.exposedPorts.length > 0)) {
      // Published ports go on the endpoint that has the default route (none on host, none or internal networks).
      try {
        const bound = publishPorts(this.state.networks, c.id, { exposed: c.config.exposedPorts, bindings: hc.portBindings, publishAll: hc.publishAllPorts });
        this.state = { ...this.state, networks: bound.table };
        ports = bound.bound;
      } catch (e) {
        if (!(e instanceof PortAllocationError)) throw e;
        // libnetwork endpoint.go: the endpoint is named after the container.
        const ep = endpointsOf(this.state.networks, c.id)[0]?.id ?? "";
        this.failStart(c, `failed to set up container networking: driver failed programming external connectivity on endpoint ${c.name} (${ep}): ${e.message}`, c.state.exitCode);
      }
    }
    const shimPid = this.pid();
    const pid1 = this.pid();
    const pids: number[] = [pid1];
    const run0 = {
      seq: c.logs.length + 1, spec, startedAt: this.now, origin: this.now, plan: planned, writesDone: 0, shimPid, pid1,
      init: c.hostConfig.init, killAt: null, stopping: false, restartAfterStop: false, pausedAt: null, tmpfs, ip, nextNsPid: 7, ports,
      ...(embeddedDns ? { embeddedDns } : {}),
    };
    this.procs.set(shimPid, {
      pid: shimPid, ppid: 1, user: "root", argv: ["/usr/bin/containerd-shim-runc-v2", "-namespace", "moby", "-id", c.id, "-address", "/run/containerd/containerd.sock"],
      container: null, nsPid: shimPid, startedAt: this.now, kind: "shim", frozen: false,
    });
    const user = c.config.user === "" ? "root" : c.config.user.split(":")[0]!;
    const argv = planned.title !== null ? [planned.title] : spec.argv;
    let pidNsHost = false;
    for (const n of namespaces) if (n.kind === "pid") { pidNsHost = n.owner === "host"; break; }
    if (run0.init) {
      this.procs.set(pid1, { pid: pid1, ppid: shimPid, user, argv: ["/sbin/docker-init", "--", ...spec.argv], container: c.id, nsPid: pidNsHost ? pid1 : 1, startedAt: this.now, kind: "init", frozen: false });
      const prog = this.pid();
      pids.push(prog);
      this.procs.set(prog, { pid: prog, ppid: pid1, user, argv, container: c.id, nsPid: pidNsHost ? prog : 7, startedAt: this.now, kind: "child", frozen: false });
    } else {
      this.procs.set(pid1, { pid: pid1, ppid: shimPid, user, argv, container: c.id, nsPid: pidNsHost ? pid1 : 1, startedAt: this.now, kind: "init", frozen: false });
    }
    for (let i = 0; i < planned.children.length; i++) {
      const ch = planned.children[i]!;
      const p = this.pid();
      pids.push(p);
      this.procs.set(p, { pid: p, ppid: pid1, user: ch.user, argv: ch.argv, container: c.id, nsPid: pidNsHost ? p : (ch.nsPid ?? 8 + i), startedAt: this.now, kind: "child", frozen: false });
    }
    const run: RunState = { ...run0, pids };
    const logRun: LogRun = { startedAt: this.now, endedAt: null, pieces: [{ start: this.now, origin: this.now, plan: planned }] };
    c = {
      ...c, run, namespaces, restartAt: null, hasBeenStartedBefore: true, hasBeenManuallyRestarted: false, logs: [...c.logs, logRun],
      state: { ...c.state, running: true, paused: false, restarting: false, oomKilled: false, pid: pid1, exitCode: 0, error: "", startedAt: this.now },
      gen: c.gen + 1,
    };
    c = initHealth(c, this.now);
    // Only volumes log a mount (most containers have none: no view of the engine to make).
    if (c.mounts.some(isVolume)) this.state = recordMounts(this.view(), c.id, c.mounts, this.now);
    this.put(c);
    this.containerEvent(c, "start");
    this.clientsDirty = true;
    return this.schedule(c);
  }

  // ---- the passing of time ----

  /** When the run's plan next needs the daemon: its exit, an OOM kill, a resumed script, a grace period's end, an exec's exit. */
  private nextAt(c: Container): Micros | null {
    if (c.restartAt !== null) return c.restartAt;
    const r = c.run;
    if (r === null) return null;
    const times: Micros[] = [];
    if (r.killAt !== null) times.push(r.killAt);
    if (r.pausedAt === null) {
      if (r.plan.exit !== null) times.push(r.origin + r.plan.exit.at);
      const oom = oomAfter(r.plan, c.hostConfig.resources.memory > 0 ? c.hostConfig.resources.memory : (this.env.hostMemory ?? HOST_MEMORY));
      if (oom !== null) times.push(r.origin + oom);
      if (r.plan.resume !== null) times.push(r.origin + r.plan.resume.at);
      const probe = healthDueAt(c);
      if (probe !== null) times.push(probe);
      for (const e of c.execs) if (e.running && e.plan.exit !== null) times.push(e.origin + e.plan.exit.at);
    }
    return times.length === 0 ? null : Math.max(this.now, Math.min(...times));
  }

  private schedule(c: Container): Container {
    const at = this.nextAt(c);
    if (at !== null) this.wakes.push({ at, container: c.id, gen: c.gen });
    return c;
  }

  /** Takes the wake-ups asked for (the world sets them as kernel timers). */
  takeWakeups(): Wakeup[] {
    return this.wakes.splice(0, this.wakes.length);
  }

  /** A wake-up is due: settle what the container's processes did up to now. Stale wake-ups (an older gen) do nothing. */
  wake(id: string, gen: number): void {
    const c = this.containers.get(id);
    if (!c || c.gen !== gen) return;
    this.advance(c);
  }

  private advance(c0: Container): void {
    let c = c0;
    if (c.restartAt !== null) {
      if (this.now < c.restartAt) return void this.schedule(c);
      // The back-off is over: the restart manager starts the container again.
      c = this.put({ ...c, restartAt: null });
      try {
        this.startProcess(c);
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        const after = this.containers.get(c.id);
        if (after) this.setStopped(after, after.state.exitCode);
      }
      return;
    }
    const r = c.run;
    if (r === null) return;
    c = this.applyDueWrites(c);
    const limit = c.hostConfig.resources.memory > 0 ? c.hostConfig.resources.memory : (this.env.hostMemory ?? HOST_MEMORY);
    const exitAt = r.plan.exit !== null && r.pausedAt === null ? r.origin + r.plan.exit.at : Infinity;
    const oom = r.pausedAt === null ? oomAfter(r.plan, limit) : null;
    const oomAt = oom !== null ? r.origin + oom : Infinity;
    if (r.killAt !== null && r.killAt <= this.now && r.killAt < Math.min(exitAt, oomAt)) {
      // The grace period ran out: SIGKILL (moby containerStop falls back to Kill).
      this.containerEvent(c, "kill", { signal: String(SIGKILL) });
      this.exited(c, 128 + SIGKILL);
      return;
    }
    if (oomAt <= this.now && oomAt <= exitAt) {
      this.put({ ...c, state: { ...c.state, oomKilled: true } });
      this.containerEvent(c, "oom");
      this.exited(this.containers.get(c.id)!, r.plan.oom?.code ?? 128 + SIGKILL);
      return;
    }
    if (exitAt <= this.now) {
      this.exited(c, r.plan.exit!.code);
      return;
    }
    if (r.plan.resume !== null && r.origin + r.plan.resume.at <= this.now && r.pausedAt === null) {
      const res = r.plan.resume;
      const fs = withManagedFiles(viewOf(c, { engine: this.state, hostFs: this.hostFs, tmpfs: r.tmpfs }, this.now), { hostname: c.config.hostname, ip: c.hostConfig.networkMode === "host" ? "" : r.ip, since: r.startedAt, embeddedDns: r.embeddedDns === true }, this.now);
      const next = this.env.programs.resume(res.program, res.state, this.startContext(c, r.spec, 1, true, r.ip, fs), this.now);
      c = this.newPiece(c, next, this.now);
    }
    c = this.probeHealth(c);
    c = this.finishExecs(c);
    this.put({ ...c, gen: c.gen + 1 });
    this.schedule(this.containers.get(c.id)!);
  }

  /**
   * Applies the file writes that are due: PID 1's plan's (a script's, postgres's initdb) and each
   * exec'd process's (`docker exec web sh -c 'echo x > /f'`, psql's tables), in time order. An
   * exec's writes stop where its plan ends.
   */
  private applyDueWrites(c: Container): Container {
    const r = c.run;
    if (r === null || r.pausedAt !== null) return c;
    const timed: { at: Micros; w: TimedWrite }[] = [];
    let n = r.writesDone;
    while (n < r.plan.writes.length && r.origin + r.plan.writes[n]!.at <= this.now) timed.push({ at: r.origin + r.plan.writes[n]!.at, w: r.plan.writes[n++]! });
    let execs: ExecRecord[] | null = null;
    for (let i = 0; i < c.execs.length; i++) {
      const e = c.execs[i]!;
      const done = e.writesDone ?? 0;
      if (done >= e.plan.writes.length) continue;
      const end = Math.min(this.now, e.plan.exit !== null ? e.origin + e.plan.exit.at : this.now);
      let k = done;
      while (k < e.plan.writes.length && e.origin + e.plan.writes[k]!.at <= end) timed.push({ at: e.origin + e.plan.writes[k]!.at, w: e.plan.writes[k++]! });
      if (k !== done) {
        execs ??= [...c.execs];
        execs[i] = { ...e, writesDone: k };
      }
    }
    if (timed.length === 0) return c;
    const due = timed.sort((a, b) => a.at - b.at).map((x) => x.w);
    if (execs !== null) c = { ...c, execs };
    this.flushEvents();
    const src = { engine: this.state, hostFs: this.hostFs, tmpfs: r.tmpfs };
    const before = viewOf(c, src, this.now);
    let after = before;
    for (const w of due) {
      if (w.node !== undefined) {
        after = graft(after, w.path, w.node, this.now);
        continue;
      }
      if (w.text === null) {
        const rm = fsRemove(after, w.path, { recursive: true, force: true }, this.now);
        if (rm.ok) after = rm.value;
        continue;
      }
      if (w.kind === "dir") {
        const made = mkdir(after, w.path, this.now, { parents: true });
        if (made.ok) after = made.value;
        continue;
      }
      const parent = w.path.slice(0, w.path.lastIndexOf("/")) || "/";
      const made = mkdir(after, parent, this.now, { parents: true });
      if (made.ok) after = made.value;
      const wr = writeFile(after, w.path, w.text, this.now);
      if (wr.ok) after = wr.value;
    }
    const split = splitView(c, before, after, src, this.now);
    const run: RunState = { ...r, writesDone: n };
    if ("erofs" in split) return this.put({ ...c, run });
    this.state = split.engine;
    this.hostFs = split.hostFs;
    return this.put({ ...c, rootfs: split.rootfs, run: { ...run, tmpfs: split.tmpfs } });
  }

  /** Brings every container's files up to now (before a command reads them). */
  settle(ref: string): Container {
    const c = this.get(ref);
    return this.applyDueWrites(c);
  }

  /** The healthcheck monitor (./health.ts): a probe runs as an exec would, over the container's files as they are now. */
  private probeHealth(c0: Container): Container {
    if (healthDueAt(c0) === null) return c0;
    const r = c0.run!;
    const { container: c, events } = stepHealth(c0, this.now, {
      processEnv: (x) => this.processEnv(x, [], false),
      plan: (spec) => {
        const fs = withManagedFiles(viewOf(c0, { engine: this.state, hostFs: this.hostFs, tmpfs: r.tmpfs }, this.now), { hostname: c0.config.hostname, ip: c0.hostConfig.networkMode === "host" ? "" : r.ip, since: r.startedAt, embeddedDns: r.embeddedDns === true }, this.now);
        return this.env.programs.plan(this.startContext(c0, spec, r.nextNsPid, false, r.ip, fs));
      },
    });
    for (const e of events) this.containerEvent(c, e.action, e.attributes);
    return this.put(c);
  }

  /** Ends exec'd processes whose plans are over. */
  private finishExecs(c: Container): Container {
    let changed = false;
    const execs = c.execs.map((e) => {
      if (!e.running || e.plan.exit === null || e.origin + e.plan.exit.at > this.now) return e;
      changed = true;
      this.procs.delete(e.pid);
      if (!e.child) this.containerEvent(c, "exec_die", { execID: e.id, exitCode: String(e.plan.exit.code) });
      return { ...e, running: false, exitCode: e.plan.exit.code };
    });
    return changed ? this.put({ ...c, execs }) : c;
  }

  /** The run's current plan continues from `at` with `plan` (a signal's reaction, a resumed script). */
  private newPiece(c: Container, plan: Plan, at: Micros, overlay = false): Container {
    const r = c.run!;
    const piece: LogPiece = { start: at, origin: at, plan, ...(overlay ? { overlay: true } : {}) };
    const logs = c.logs.map((l, i) => (i === c.logs.length - 1 ? { ...l, pieces: [...l.pieces, piece] } : l));
    if (overlay) return { ...c, logs };
    return { ...c, logs, run: { ...r, origin: at, plan, writesDone: 0 } };
  }

  /** handleContainerExit: PID 1 ended with `code`. Restart policy, --rm, events. */
  private exited(c0: Container, code: number): void {
    this.clientsDirty = true;
    let c = this.applyDueWrites(c0);
    const r = c.run!;
    const execDuration = this.now - r.startedAt;
    // Every process of the container ends with PID 1 (the namespace's init).
    for (const e of c.execs) if (e.running && !e.child) this.containerEvent(c, "exec_die", { execID: e.id, exitCode: String(128 + SIGKILL) });
    for (const pid of this.pidsOf(c)) this.procs.delete(pid);
    this.procs.delete(r.shimPid);
    this.releaseNetwork(c, r);
    const logs = c.logs.map((l, i) => (i === c.logs.length - 1 ? { ...l, endedAt: this.now } : l));
    c = { ...stopHealth(c), logs, run: null, namespaces: [], execs: c.execs.map((e) => (e.running ? { ...e, running: false, exitCode: 128 + SIGKILL } : e)) };
    this.state = recordUnmounts(this.view(), c.id, c.mounts, this.now);
    // moby RestartManager.ShouldRestart.
    const policy = c.hostConfig.restartPolicy;
    let restart = false;
    let timeout = c.restartTimeoutUs;
    if (policy.name !== "no" && !r.restartAfterStop) {
      if (execDuration >= RESTART_RESET_AFTER_US) timeout = 0;
      timeout = timeout === 0 ? RESTART_BACKOFF_FIRST_US : Math.min(timeout * 2, RESTART_BACKOFF_MAX_US);
      if (policy.name === "always") restart = true;
      else if (policy.name === "unless-stopped") restart = !c.hasBeenManuallyStopped;
      else if (policy.name === "on-failure") restart = code !== 0 && (policy.maximumRetryCount === 0 || c.restartManagerCount < policy.maximumRetryCount);
      if (r.stopping) restart = false;
    }
    const attributes = { exitCode: String(code), execDuration: String(Math.floor(execDuration / SECOND)) };
    if (restart) {
      c = {
        ...c, restartCount: c.restartCount + 1, restartManagerCount: c.restartManagerCount + 1, restartTimeoutUs: timeout,
        state: { ...c.state, running: true, restarting: true, paused: false, pid: 0, finishedAt: this.now, exitCode: code },
        restartAt: this.now + timeout, gen: c.gen + 1,
      };
      this.put(c);
      this.containerEvent(c, "die", attributes);
      this.schedule(c);
      return;
    }
    c = this.put({ ...c, restartTimeoutUs: timeout, gen: c.gen + 1 });
    this.setStopped(c, code, attributes, r.stopping, r.restartAfterStop);
  }

  private setStopped(c0: Container, code: number, attributes?: Readonly<Record<string, string>>, stopping = false, restartAfter = false): void {
    let c = c0;
    c = this.put({
      ...c, restartAt: null, run: null,
      state: { ...c.state, running: false, paused: false, restarting: false, pid: 0, finishedAt: this.now, exitCode: code },
    });
    if (attributes) this.containerEvent(c, "die", attributes);
    if (stopping) this.containerEvent(c, "stop");
    if (restartAfter) {
      this.startProcess({ ...c, restartCount: 0, restartTimeoutUs: 0, restartManagerCount: 0, hasBeenManuallyStopped: false, hasBeenManuallyRestarted: true });
      this.containerEvent(this.containers.get(c.id)!, "restart");
      return;
    }
    if (c.hostConfig.autoRemove && !c.hasBeenManuallyRestarted) this.destroy(c, true);
  }

  // ---- signals ----

  /** What `plan` does on signal `n` (PID 1 without a handler ignores what would end it; SIGKILL cannot be caught). */
  private reaction(plan: Plan, origin: Micros, n: number, isPid1: boolean): Exclude<Reaction, { kind: "call" }> {
    const name = signalName(n);
    if (n === SIGKILL) return { kind: "exit", code: 128 + SIGKILL, after: 0, lines: [] };
    if (n === 19 /* SIGSTOP */) return { kind: "ignore" };
    const r = plan.signals[name];
    if (r !== undefined) {
      const decided = r.kind === "call" ? this.env.programs.react(r.fn, r.params, this.now - origin, this.now) : r;
      return decided.kind === "call" ? { kind: "ignore" } : decided;
    }
    // Default dispositions: these ignore; the rest terminate — except for a namespace's init.
    if (["SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH"].includes(name)) return { kind: "ignore" };
    if (isPid1) return { kind: "ignore" };
    return { kind: "exit", code: 128 + n, after: 0, lines: [] };
  }

  /** Delivers a signal to a running container's main process (through docker-init with --init). */
  private signal(c0: Container, n: number): void {
    const c = this.applyDueWrites(c0);
    const r = c.run!;
    const react = this.reaction(r.plan, r.origin, n, !r.init);
    if (react.kind === "ignore") return;
    const memory = { base: memoryAt(r.plan, this.now - r.origin), growPerSec: 0, max: null };
    let next: Container;
    if (react.kind === "continue") {
      next = this.newPiece(c, { ...basePlan(r.plan.program), lines: react.lines }, this.now, true);
    } else {
      if (n === SIGKILL) {
        this.exited(c, 128 + SIGKILL);
        return;
      }
      const plan: Plan = {
        ...basePlan(r.plan.program), lines: react.lines, exit: { at: react.after, code: react.code }, writes: react.writes ?? [], memory,
        signals: { SIGTERM: { kind: "ignore" }, SIGINT: { kind: "ignore" }, SIGQUIT: { kind: "ignore" } }, title: r.plan.title, children: r.plan.children,
      };
      next = this.newPiece(c, plan, this.now);
    }
    next = this.put({ ...next, gen: next.gen + 1 });
    this.schedule(next);
  }

  /**
   * `kill -SIG PID` from the host: a container's PID 1 gets the signal as init (no handler: only
   * SIGKILL ends it, which the kernel delivers from an ancestor namespace); an exec'd process as an
   * ordinary one. Logs no `docker kill` event (the daemon did not send it). False: no such process.
   */
  signalPid(pid: number, n: number): boolean {
    const p = this.procs.get(pid);
    if (!p || p.container === null) return p !== undefined;
    const c = this.containers.get(p.container);
    if (!c || !c.run) return false;
    const e = c.execs.find((x) => x.running && x.pid === pid);
    if (e) {
      if (n === SIGKILL) this.execEnd(c.id, e.id, 128 + SIGKILL);
      else this.signalExec(c.id, e.id, n);
      return true;
    }
    if (pid !== c.run.pid1 && !(c.run.init && c.run.pids[1] === pid)) {
      // A long-lived child (a worker): it ends, and its parent goes on (not modelled further).
      if (n === SIGKILL || n === 15 || n === 2) this.procs.delete(pid);
      return true;
    }
    if (c.state.paused && n !== SIGKILL) return true;
    this.signal(c.state.paused ? this.thaw(c) : c, n);
    return true;
  }

  // ---- stop, kill, pause, restart ----

  /** The stop signal and grace period of a container (moby StopSignal/StopTimeout). */
  stopSettings(c: Container, signal?: string, timeoutS?: number): { signal: number; timeoutS: number } {
    const sig = parseSignalName(signal ?? c.config.stopSignal ?? DEFAULT_STOP_SIGNAL);
    return { signal: sig, timeoutS: timeoutS ?? c.config.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S };
  }

  /**
   * POST /containers/{id}/stop: the stop signal now, SIGKILL when the grace period ends. Returns
   * false when it was not running (moby's 304: the CLI prints the name). The container stops
   * later (the caller waits for it); a negative timeout waits forever.
   */
  stop(ref: string, opts: { signal?: string; timeoutS?: number; restart?: boolean } = {}): boolean {
    let c = this.get(ref);
    if (!c.state.running) {
      if (opts.restart) {
        this.put({ ...c, hasBeenManuallyRestarted: true });
        this.start(c.id);
        this.containerEvent(this.containers.get(c.id)!, "restart");
        return true;
      }
      return false;
    }
    const { signal, timeoutS } = this.stopSettings(c, opts.signal, opts.timeoutS);
    c = this.put({ ...c, hasBeenManuallyStopped: !opts.restart, hasBeenManuallyRestarted: opts.restart === true || c.hasBeenManuallyRestarted });
    if (c.state.restarting) {
      // The restart manager is cancelled: the container is stopped at once (moby killWithSignal returns early).
      this.setStopped({ ...c, gen: c.gen + 1 }, c.state.exitCode, undefined, true, opts.restart === true);
      return true;
    }
    if (c.state.paused) c = this.thaw(c);
    const killAt = timeoutS >= 0 ? this.now + timeoutS * SECOND : null;
    c = this.put({ ...c, run: { ...c.run!, killAt, stopping: true, restartAfterStop: opts.restart === true }, gen: c.gen + 1 });
    this.containerEvent(c, "kill", { signal: String(signal) });
    if (signal === SIGKILL) {
      this.exited(c, 128 + SIGKILL);
      return true;
    }
    this.signal(c, signal);
    const after = this.containers.get(c.id)!;
    if (after.run) this.schedule(after);
    return true;
  }

  /** POST /containers/{id}/kill (default SIGKILL). */
  kill(ref: string, signal = "SIGKILL"): void {
    const n = parseSignalName(signal);
    let c = this.get(ref);
    if (!c.state.running) throw err("ECONFLICT", `cannot kill container: ${ref}: container ${c.id} is not running`);
    c = this.put({ ...c, hasBeenManuallyStopped: true });
    if (c.state.restarting) {
      if (n === SIGKILL) this.setStopped({ ...c, gen: c.gen + 1 }, c.state.exitCode);
      return;
    }
    if (c.state.paused && (n === SIGKILL || n === parseSignalName(c.config.stopSignal ?? DEFAULT_STOP_SIGNAL))) c = this.thaw(c);
    this.containerEvent(c, "kill", { signal: String(n) });
    if (n === SIGKILL) {
      this.exited(c, 128 + SIGKILL);
      return;
    }
    if (c.state.paused) return;
    this.signal(c, n);
  }

  pause(ref: string): void {
    const c = this.get(ref);
    if (!c.state.running) throw err("ECONFLICT", `container ${c.id} is not running`);
    if (c.state.paused) throw err("ECONFLICT", `Container ${c.id} is already paused`);
    if (c.state.restarting) throw err("ECONFLICT", `Container ${c.id} is restarting, wait until the container is running`);
    const r = this.applyDueWrites(c).run!;
    // The freezer: the plan's clock stops; lines due while paused are printed after.
    const lastLog = c.logs[c.logs.length - 1]!;
    const mark: LogPiece = { start: this.now, origin: this.now, plan: basePlan(r.plan.program) };
    for (const pid of this.pidsOf(c)) {
      const p = this.procs.get(pid);
      if (p) this.procs.set(pid, { ...p, frozen: true });
    }
    const next = this.put({
      ...stopHealth(c), run: { ...r, pausedAt: this.now }, state: { ...c.state, paused: true }, gen: c.gen + 1,
      logs: [...c.logs.slice(0, -1), { ...lastLog, pieces: [...lastLog.pieces, mark] }],
    });
    this.containerEvent(next, "pause");
    this.clientsDirty = true;
    this.schedule(next);
  }

  unpause(ref: string): void {
    const c = this.get(ref);
    if (!c.state.paused) throw err("ECONFLICT", `Container ${c.id} is not paused`);
    const next = this.put(resumeHealth(this.thaw(c), this.now));
    this.containerEvent(next, "unpause");
    this.clientsDirty = true;
    this.schedule(next);
  }

  /** Thaws a paused container: its plan resumes where it was, shifted by the time it was frozen. */
  private thaw(c: Container): Container {
    const r = c.run!;
    const frozen = this.now - (r.pausedAt ?? this.now);
    const origin = r.origin + frozen;
    const lastLog = c.logs[c.logs.length - 1]!;
    const piece: LogPiece = { start: this.now, origin, plan: r.plan };
    for (const pid of this.pidsOf(c)) {
      const p = this.procs.get(pid);
      if (p) this.procs.set(pid, { ...p, frozen: false });
    }
    return this.put({
      ...c, run: { ...r, origin, pausedAt: null, killAt: r.killAt }, state: { ...c.state, paused: false }, gen: c.gen + 1,
      logs: [...c.logs.slice(0, -1), { ...lastLog, pieces: [...lastLog.pieces, piece] }],
      execs: c.execs.map((e) => (e.running ? { ...e, origin: e.origin + frozen } : e)),
    });
  }

  /** `docker restart`: stop (the grace period), then start again, then "restart". */
  restart(ref: string, opts: { signal?: string; timeoutS?: number } = {}): void {
    this.stop(ref, { ...opts, restart: true });
  }

  // ---- remove, rename ----

  /** DELETE /containers/{id}: refused while running unless forced (then SIGKILL first). */
  remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): void {
    const shown = ref.replace(/^\/+|\/+$/g, "");
    let c = this.get(ref);
    if (c.state.running) {
      if (!opts.force) {
        if (c.state.paused) throw err("ECONFLICT", `cannot remove container "${shown}": container is paused and must be unpaused first`);
        throw err("ECONFLICT", `cannot remove container "${shown}": container is ${stateString(c)}: stop the container before removing or force remove`);
      }
      if (c.state.restarting) this.setStopped({ ...c, gen: c.gen + 1 }, c.state.exitCode);
      else {
        if (c.state.paused) c = this.thaw(c);
        this.containerEvent(c, "kill", { signal: String(SIGKILL) });
        c = this.put({ ...c, hasBeenManuallyRestarted: true });
        this.exited(c, 128 + SIGKILL);
      }
      c = this.containers.get(c.id) ?? c;
      if (!this.containers.has(c.id)) return;
    }
    this.destroy(c, opts.volumes === true);
  }

  /** Deregisters a stopped container, with its anonymous volumes when asked (rm -v, --rm). */
  private destroy(c: Container, volumes: boolean): void {
    this.containers.delete(c.id);
    this.names.delete(c.name);
    if (volumes) {
      for (const m of c.mounts) {
        if (m.type !== "volume" || !m.anonymous) continue;
        const users = [...this.containers.values()].some((o) => o.mounts.some((x) => x.type === "volume" && x.source === m.source));
        if (!users && this.state.volumes.has(m.source)) this.state = removeVolume(this.view(), m.source, { now: this.now });
      }
    }
    this.containerEvent(c, "destroy");
  }

  rename(ref: string, newName: string): void {
    if (ref === "" || newName === "") throw err("EINVAL", "Neither old nor new names may be empty");
    const c = this.get(ref);
    const name = newName.replace(/^\//, "");
    if (!VALID_NAME.test(name)) throw err("EINVAL", `Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    if (name === c.name) throw err("EINVAL", "Renaming a container with the same name as its current name");
    const owner = this.names.get(name);
    if (owner !== undefined) {
      throw err("ECONFLICT", `Error when allocating new name: Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    this.names.delete(c.name);
    this.names.set(name, c.id);
    // The embedded DNS answers to the new name (moby updates the endpoints' DNS names on rename).
    this.state = { ...this.state, networks: renameEndpoints(this.state.networks, c.id, c.name, name) };
    const next = this.put({ ...c, name });
    this.containerEvent(next, "rename", { oldName: `/${c.name}` });
  }

  // ---- networks ----

  /** POST /networks/{id}/connect: the container joins the network (now, when it runs); a "connect" event. */
  connectNetwork(ref: string, network: string, opts: { aliases?: readonly string[]; ipv4Address?: string } = {}): void {
    const c = this.get(ref);
    const r = connectNetwork(this.state.networks, c, { network, ...opts });
    this.state = { ...this.state, networks: r.table };
    const run = c.run && r.ip !== null
      ? { ...c.run, ip: c.run.ip === "" ? r.ip : c.run.ip, ...(isUserDefined(r.network) ? { embeddedDns: true } : {}) } : c.run;
    this.put({ ...c, networks: r.networks, run });
    this.event("network", "connect", r.network.id, { container: c.id, name: r.network.name, type: r.network.driver });
    this.clientsDirty = true;
  }

  /** POST /networks/{id}/disconnect; a "disconnect" event. */
  disconnectNetwork(ref: string, network: string): void {
    const c = this.get(ref);
    const r = disconnectNetwork(this.state.networks, c, network);
    this.state = { ...this.state, networks: r.table };
    this.put({ ...c, networks: r.networks });
    this.event("network", "disconnect", r.network.id, { container: c.id, name: r.network.name, type: r.network.driver });
    this.clientsDirty = true;
  }

  // ---- exec ----

  /** moby getActiveContainer: exec needs a running container that is neither paused nor restarting. */
  activeContainer(ref: string): Container {
    const c = this.get(ref);
    if (!c.state.running) throw err("ECONFLICT", `container ${c.id} is not running`);
    if (c.state.paused) throw err("ECONFLICT", `Container ${ref} is paused, unpause the container before exec`);
    if (c.state.restarting) throw err("ECONFLICT", `Container ${c.id} is restarting, wait until the container is running`);
    return this.applyDueWrites(c);
  }

  /**
   * `docker exec`: a new process in the container's namespaces, following `plan` (the caller
   * computed it). Logs exec_create and exec_start; returns the exec's ID, PID and namespace PID.
   */
  execStart(ref: string, spec: ProcessSpec, plan: Plan, detached: boolean, opts: { readonly child?: boolean } = {}): ExecRecord {
    let c = this.activeContainer(ref);
    const limit = c.hostConfig.resources.pidsLimit;
    const live = this.pidsOf(c).length;
    if (limit !== null && limit > 0 && live >= limit) {
      throw err("ESTART", "OCI runtime exec failed: exec failed: unable to start container process: read init-p: connection reset by peer: unknown");
    }
    const id = randomId(this.env.random);
    const pid = this.pid();
    const pidNsHost = c.namespaces.find((n) => n.kind === "pid")?.owner === "host";
    const nsPid = pidNsHost ? pid : c.run!.nextNsPid;
    const rec: ExecRecord = {
      id, running: true, exitCode: null, pid, nsPid, spec, startedAt: this.now, origin: this.now, plan, detached, ...(opts.child ? { child: true } : {}),
    };
    this.procs.set(pid, {
      pid, ppid: c.run!.shimPid, user: spec.user === "" ? "root" : spec.user, argv: plan.title !== null ? [plan.title] : spec.argv, container: c.id,
      nsPid, startedAt: this.now, kind: "exec", frozen: false,
    });
    const cmd = spec.argv.join(" ");
    if (!opts.child) {
      this.containerEvent(c, `exec_create: ${cmd}`, { execID: id });
      this.containerEvent(c, `exec_start: ${cmd}`, { execID: id });
    }
    c = this.put({ ...c, execs: [...c.execs.filter((e) => e.running).slice(-50), rec], run: { ...c.run!, nextNsPid: nsPid + 6 }, gen: c.gen + 1 });
    this.schedule(c);
    return rec;
  }

  /** An exec that ran to its end at once (its plan is over): exec_die now. */
  execEnd(ref: string, execId: string, code: number): void {
    const c = this.containers.get(this.get(ref).id)!;
    const e = c.execs.find((x) => x.id === execId);
    if (!e || !e.running) return;
    this.procs.delete(e.pid);
    if (!e.child) this.containerEvent(c, "exec_die", { execID: e.id, exitCode: String(code) });
    this.put({ ...c, execs: c.execs.map((x) => (x.id === execId ? { ...x, running: false, exitCode: code } : x)) });
  }

  /** A signal to an exec'd process (Ctrl-C at an exec's terminal): its plan reacts as a non-init process. */
  signalExec(ref: string, execId: string, n: number): void {
    const c = this.get(ref);
    const e = c.execs.find((x) => x.id === execId);
    if (!e || !e.running) return;
    const react = this.reaction(e.plan, e.origin, n, false);
    if (react.kind === "ignore" || react.kind === "continue") return;
    const plan: Plan = { ...basePlan(e.plan.program), lines: react.lines, exit: { at: react.after, code: react.code } };
    const next = this.put({ ...c, execs: c.execs.map((x) => (x.id === execId ? { ...x, origin: this.now, plan } : x)), gen: c.gen + 1 });
    this.schedule(next);
  }

  /** Writes what an exec (or `docker cp`) changed in the container's view back to its root and mounts. */
  applyView(ref: string, before: FsDir, after: FsDir): { erofs: string } | null {
    const c = this.get(ref);
    this.flushEvents();
    const split = splitView(c, before, after, { engine: this.state, hostFs: this.hostFs, tmpfs: c.run?.tmpfs ?? new Map() }, this.now);
    if ("erofs" in split) return split;
    this.state = split.engine;
    this.hostFs = split.hostFs;
    this.put({ ...c, rootfs: split.rootfs, ...(c.run ? { run: { ...c.run, tmpfs: split.tmpfs } } : {}) });
    return null;
  }

  /** The container's files as its processes see them now. */
  fsView(ref: string): FsDir {
    const c = this.containers.get(this.get(ref).id)!;
    return viewOf(c, { engine: this.state, hostFs: this.hostFs, tmpfs: c.run?.tmpfs ?? new Map() }, this.now);
  }

  /** Appends lines an attached terminal showed to the container's log (a tty's output is its log). */
  /** A client attached to the container's streams (docker run in the foreground, attach, start -a): moby's "attach" event. */
  attached(ref: string): void {
    this.containerEvent(this.get(ref), "attach");
  }

  logTerminal(ref: string, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    if (text === "") return;
    const c = this.get(ref);
    const last = c.logs[c.logs.length - 1];
    if (!last || last.endedAt !== null) return;
    const plan: Plan = { ...basePlan("tty"), lines: text.split(/(?<=\n)/).map((t) => ({ at: 0, stream, text: t })), exit: { at: 0, code: 0 } };
    this.put(this.newPiece(c, plan, this.now, true));
  }

  /** The main process of an attached interactive container read `exit` (or end of input): it ends with `code`. */
  endMain(ref: string, code: number): void {
    const c = this.get(ref);
    if (!c.run) return;
    this.exited(c, code);
  }

  // ---- commit ----

  /** POST /commit: the writable layer becomes a layer on the container's image. Returns the new image. */
  commit(ref: string, opts: { repo?: string; comment?: string; author?: string; config?: Partial<Image["config"]> } = {}): Image {
    const c = this.activeOrAny(ref);
    const store = this.images();
    const base = store.resolve(c.imageId);
    if (!base) throw err("ENOIMAGE", `No such image: ${c.imageId}`);
    const mounts = c.mounts.map((m) => m.target);
    const config = {
      env: c.config.env, cmd: c.config.cmd, entrypoint: c.config.entrypoint, workingDir: c.config.workingDir, user: c.config.user,
      exposedPorts: c.config.exposedPorts, labels: c.config.labels, stopSignal: c.config.stopSignal, volumes: c.config.volumes,
      healthcheck: c.config.healthcheck ?? null, ...opts.config,
    };
    const img = store.commit({
      base, changes: layerChanges(c.lowerfs, c.rootfs, mounts), config, created: this.now,
      createdBy: [c.path, ...c.args].join(" "), ...(opts.comment !== undefined && opts.comment !== "" ? { comment: opts.comment } : {}),
      ...(opts.repo !== undefined ? { ref: opts.repo } : {}),
    });
    this.state = { ...this.state, images: store.snapshot() };
    this.containerEvent(c, "commit", { comment: opts.comment ?? "", imageID: img.id, imageRef: opts.repo ?? "" });
    return img;
  }

  private activeOrAny(ref: string): Container {
    const c = this.get(ref);
    if (c.state.dead) throw err("ECONFLICT", `You cannot commit container ${c.id} which is Dead`);
    if (c.state.removalInProgress) throw err("ECONFLICT", `You cannot commit container ${c.id} which is being removed`);
    return this.applyDueWrites(c);
  }

  // ---- the daemon's own life ----

  /**
   * The host went down: every process is gone (the disk keeps the containers' records, which still
   * say "running" until the daemon starts again). Log runs end now.
   */
  crash(): void {
    for (const c of [...this.containers.values()]) {
      if (c.run === null && c.restartAt === null) continue;
      const logs = c.logs.map((l) => (l.endedAt === null ? { ...l, endedAt: this.now } : l));
      this.put({ ...stopHealth(c), run: null, restartAt: null, logs, namespaces: [], gen: c.gen + 1 });
    }
    for (const pid of [...this.procs.keys()]) this.procs.delete(pid);
    this.wakes.splice(0, this.wakes.length);
    // Every sandbox goes with the processes: addresses and host ports are free when dockerd starts again.
    this.state = { ...this.state, networks: clearSandboxes(this.state.networks) };
  }

  /**
   * dockerd starts (moby daemon.restore): containers that were running are marked stopped with
   * exit code 255; then those whose restart policy says so are started (`always`, `unless-stopped`
   * unless stopped by hand, `on-failure` after a failure), and --rm containers are removed.
   */
  boot(): void {
    this.kernel = { ...this.kernel, nextPid: this.kernel.nextPid };
    for (const c0 of [...this.containers.values()].sort((a, b) => a.created - b.created)) {
      let c = c0;
      const wasRunning = c.state.running;
      if (wasRunning) c = this.put({ ...c, state: { ...c.state, running: false, paused: false, restarting: false, pid: 0, exitCode: 255, finishedAt: this.now }, gen: c.gen + 1 });
      const policy = c.hostConfig.restartPolicy;
      const should = c.hasBeenStartedBefore && policy.name !== "no" && (
        policy.name === "always" || (policy.name === "unless-stopped" && !c.hasBeenManuallyStopped)
        || (policy.name === "on-failure" && c.state.exitCode !== 0 && (policy.maximumRetryCount === 0 || c.restartManagerCount < policy.maximumRetryCount)));
      if (should) {
        try {
          this.startProcess({ ...c, restartTimeoutUs: 0 });
        } catch (e) {
          if (!(e instanceof DrydockError)) throw e;
        }
      } else if (wasRunning && c.hostConfig.autoRemove) this.destroy(c, true);
    }
  }
}

/** A signal's number from Docker's spelling; Docker's "Invalid signal: X" otherwise. */
export function parseSignalName(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n === 0) throw err("EINVAL", `Invalid signal: ${text}`);
    return n;
  }
  const SIGS: Readonly<Record<string, number>> = {
    ABRT: 6, ALRM: 14, BUS: 7, CHLD: 17, CONT: 18, FPE: 8, HUP: 1, ILL: 4, INT: 2, IO: 29, KILL: 9, PIPE: 13, PROF: 27, PWR: 30, QUIT: 3,
    SEGV: 11, STKFLT: 16, STOP: 19, SYS: 31, TERM: 15, TRAP: 5, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, USR1: 10, USR2: 12, VTALRM: 26,
    WINCH: 28, XCPU: 24, XFSZ: 25,
  };
  const key = text.toUpperCase().replace(/^SIG/, "");
  if (!Object.hasOwn(SIGS, key)) throw err("EINVAL", `Invalid signal: ${text}`);
  return SIGS[key]!;
}

/** Opens a daemon over an engine, applies `fn`, and returns the engine after with the wake-ups it asked for. */
export function withDaemon<T>(engine: EngineState, hostFs: FsDir, env: RuntimeEnv, fn: (d: Daemon) => T): { engine: EngineState; hostFs: FsDir; result: T } {
  const d = new Daemon(engine, hostFs, env);
  const result = fn(d);
  return { engine: d.engine, hostFs: d.hostFs, result };
}

/** A fresh tmpfs, with the files a mount asks for (a swarm task's secrets) written before the process starts. */
function tmpfsWith(files: Readonly<Record<string, string>> | undefined, now: Micros): FsDir {
  let dir = emptyDir(now);
  for (const [path, text] of Object.entries(files ?? {})) {
    const parent = path.includes("/") ? `/${path.slice(0, path.lastIndexOf("/"))}` : null;
    if (parent !== null) {
      const made = mkdir(dir, parent, now, { parents: true });
      if (made.ok) dir = made.value;
    }
    const written = writeFile(dir, `/${path}`, text, now);
    if (written.ok) dir = written.value;
  }
  return dir;
}
