// The container model: one definition of each shape, in Docker's vocabulary. `docker inspect`,
// `docker ps`, the visualiser and the tests all read these records; inspect.ts renders them with
// Docker's field names.
import type { Micros } from "@drydock/kernel";
import type { FsDir } from "../fs/index.js";
import type { Plan, ProcessSpec } from "../programs/types.js";
import type { BoundPort } from "../network/ports.js";
import type { Health, HealthConfig } from "./health.js";

/** moby api/types/container ContainerState: what `docker ps --filter status=` names. */
export type ContainerStatus = "created" | "running" | "paused" | "restarting" | "exited" | "dead" | "removing";

export const CONTAINER_STATUSES: readonly ContainerStatus[] = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];

/** `--restart`: moby RestartPolicy. */
export interface RestartPolicy {
  readonly name: "no" | "always" | "on-failure" | "unless-stopped";
  readonly maximumRetryCount: number;
}

/** The namespaces a container's processes live in: its own, or shared (`--pid host`, `--network container:web`). */
export type NamespaceKind = "pid" | "net" | "ipc" | "mnt" | "uts" | "user" | "cgroup";

/** One namespace as `ls -l /proc/PID/ns` names it: `pid:[4026532201]`; `owner` says whose it is. */
export interface Namespace {
  readonly kind: NamespaceKind;
  /** The inode number Linux gives the namespace (4026531836 is the host's PID namespace). */
  readonly inode: number;
  /** "host", the container ID whose namespace this is, or "none" (`--network none`: a namespace with only lo). */
  readonly owner: string;
}

/** cgroup limits (moby Resources): 0 means unlimited, as Docker stores it. */
export interface Resources {
  /** `--memory` in bytes. */
  readonly memory: number;
  /** `--memory-swap`; -1 unlimited, 0 unset (twice the memory). */
  readonly memorySwap: number;
  readonly memoryReservation: number;
  /** `--cpus` × 10⁹. */
  readonly nanoCpus: number;
  /** `--cpu-shares`: a relative weight; 0 means the default 1024. */
  readonly cpuShares: number;
  readonly cpuPeriod: number;
  readonly cpuQuota: number;
  readonly cpusetCpus: string;
  /** `--pids-limit`; null when not set. */
  readonly pidsLimit: number | null;
  readonly oomKillDisable: boolean;
}

/** A mount in the container (moby MountPoint): a volume, a host path, or a tmpfs. */
export interface MountPoint {
  readonly type: "volume" | "bind" | "tmpfs";
  /** The volume's name, the host path, or "" for tmpfs. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** The volume driver ("local") for volumes, "" otherwise. */
  readonly driver: string;
  /** "z", "Z", "" (bind propagation and SELinux labels are not simulated). */
  readonly mode: string;
  /** An anonymous volume (from the image's VOLUME or `-v /path`): removed with `docker rm -v` or `--rm`. */
  readonly anonymous: boolean;
  /** A tmpfs's files at each start (MountSpec.files: a swarm task's secrets). */
  readonly files?: Readonly<Record<string, string>>;
}

/** The container's configuration as `docker inspect` .Config has it (moby container.Config). */
export interface ContainerConfig {
  readonly hostname: string;
  readonly domainname: string;
  readonly user: string;
  readonly attachStdin: boolean;
  readonly attachStdout: boolean;
  readonly attachStderr: boolean;
  readonly exposedPorts: readonly string[];
  readonly tty: boolean;
  readonly openStdin: boolean;
  readonly stdinOnce: boolean;
  readonly env: readonly string[];
  /** null when neither the image nor the command line gave one. */
  readonly cmd: readonly string[] | null;
  /** The image as the user named it ("alpine", "nginx:1.27"). */
  readonly image: string;
  readonly volumes: readonly string[];
  readonly workingDir: string;
  readonly entrypoint: readonly string[] | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly stopSignal: string | null;
  /** `--stop-timeout` in seconds; null: the default (10). */
  readonly stopTimeout: number | null;
  /** The image's HEALTHCHECK merged with `--health-*` (./health.ts); absent or null: none. */
  readonly healthcheck?: HealthConfig | null;
}

/** The container's host settings as .HostConfig has them (moby container.HostConfig). */
export interface HostConfig {
  readonly binds: readonly string[];
  readonly networkMode: string;
  /** "80/tcp" → [{hostIp, hostPort}] (published ports; networking engineers fill them in). */
  readonly portBindings: Readonly<Record<string, readonly { readonly hostIp: string; readonly hostPort: string }[]>>;
  /** `-P`: every exposed port without a binding gets an ephemeral host port. */
  readonly publishAllPorts: boolean;
  readonly restartPolicy: RestartPolicy;
  readonly autoRemove: boolean;
  readonly volumesFrom: readonly string[];
  readonly pidMode: string;
  readonly ipcMode: string;
  readonly utsMode: string;
  readonly usernsMode: string;
  readonly privileged: boolean;
  readonly readonlyRootfs: boolean;
  readonly init: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly resources: Resources;
}

/** moby State, as `docker inspect` .State has it (plus the restart manager's own state). */
export interface ContainerState {
  readonly running: boolean;
  readonly paused: boolean;
  readonly restarting: boolean;
  readonly oomKilled: boolean;
  readonly dead: boolean;
  readonly removalInProgress: boolean;
  /** The host PID of the container's PID 1 (0 when not running). */
  readonly pid: number;
  readonly exitCode: number;
  readonly error: string;
  /** null is Go's zero time ("0001-01-01T00:00:00Z"). */
  readonly startedAt: Micros | null;
  readonly finishedAt: Micros | null;
}

/** One line a container wrote to stdout or stderr, as the json-file log driver keeps it. */
export interface LogLine {
  readonly at: Micros;
  readonly stream: "stdout" | "stderr";
  /** The line's text, with its newline ("" never: an empty line is "\n"). */
  readonly text: string;
}

/**
 * What one run of the container's PID 1 printed: a sequence of plans, each from its start time
 * (a signal or a resumed script starts a new piece), plus the lines typed at an attached
 * terminal. Lines are generated from the plans when read, so a container that pings for a day
 * holds no day of lines.
 */
export interface LogPiece {
  /** Lines before this time are not this piece's. */
  readonly start: Micros;
  /** The plan's time zero (later than its first start when the container was paused: frozen time does not count). */
  readonly origin: Micros;
  readonly plan: Plan;
  /** Printed beside the main piece without ending it (a reload's lines, what a terminal typed). */
  readonly overlay?: boolean;
}

export interface LogRun {
  readonly startedAt: Micros;
  /** When the run ended (null: still running). Lines after it are not part of the log. */
  readonly endedAt: Micros | null;
  readonly pieces: readonly LogPiece[];
}

/** A process started in a running container by `docker exec` (moby ExecConfig). */
export interface ExecRecord {
  /** 64 hex. */
  readonly id: string;
  readonly running: boolean;
  readonly exitCode: number | null;
  /** Its host PID, and its PID in the container's namespace. */
  readonly pid: number;
  readonly nsPid: number;
  readonly spec: ProcessSpec;
  readonly startedAt: Micros;
  /** What it does from `origin` (exec'd processes are plans too). */
  readonly origin: Micros;
  readonly plan: Plan;
  /** `-d`: nobody reads its output. */
  readonly detached: boolean;
  /** A program an interactive shell started (not a `docker exec`): no exec events, not in ExecIDs. */
  readonly child?: boolean;
  /** How many of its plan's timed writes are already in the files (absent: none). */
  readonly writesDone?: number;
}

/** What PID 1 is doing now: its spec, its plan from `origin`, and its host PID. */
export interface RunState {
  /** Increases with every start of the container. */
  readonly seq: number;
  readonly spec: ProcessSpec;
  readonly startedAt: Micros;
  /** The current plan's time zero. */
  readonly origin: Micros;
  readonly plan: Plan;
  /** How many of the plan's timed writes are already in the files. */
  readonly writesDone: number;
  /** The host PIDs of the shim (on the host) and of the container's PID 1. */
  readonly shimPid: number;
  readonly pid1: number;
  /** `--init`: PID 1 is docker-init (tini), the program its child (PID 7). */
  readonly init: boolean;
  /** `docker stop`: the grace period runs out at this time (then SIGKILL). */
  readonly killAt: Micros | null;
  /** A `docker stop` (or restart) is waiting for the exit: it logs "stop" then. */
  readonly stopping: boolean;
  /** `docker restart`: start again once stopped. */
  readonly restartAfterStop: boolean;
  /** Paused since (the freezer cgroup): the plan's time does not run. */
  readonly pausedAt: Micros | null;
  readonly tmpfs: ReadonlyMap<string, FsDir>;
  /** Its address on the default bridge ("" for --network none, the host's for --network host). */
  readonly ip: string;
  /** The next PID in the container's PID namespace (for exec'd processes). */
  readonly nextNsPid: number;
  /** The host PIDs of the run's own processes (PID 1, docker-init's child, long-lived children), not the shim's or execs'. */
  readonly pids: readonly number[];
  /** The host ports bound for this run (`-p`, `-P`): what `docker port` and the PORTS column show. */
  readonly ports: readonly BoundPort[];
  /** On a user-defined network: its resolv.conf names the embedded DNS server (127.0.0.11), not the host's. */
  readonly embeddedDns?: boolean;
}

/**
 * A network the container joins when it starts (moby's EndpointSettings as configured): its
 * `--network` first, then those `docker network connect` added, with `--network-alias` and `--ip`.
 */
export interface NetworkAttachment {
  /** The network's name as given ("bridge", "host", "none", "app_default"). */
  readonly network: string;
  readonly aliases: readonly string[];
  /** `--ip` ("" when IPAM chooses). */
  readonly ipv4Address: string;
}

/** A container: its identity, configuration, state, filesystem, logs and processes. */
export interface Container {
  /** 64 hex. */
  readonly id: string;
  /** Without the leading "/" (inspect's Name adds it). */
  readonly name: string;
  readonly created: Micros;
  /** The image ID ("sha256:…"). */
  readonly imageId: string;
  /** inspect's Path and Args: the command PID 1 runs. */
  readonly path: string;
  readonly args: readonly string[];
  readonly config: ContainerConfig;
  readonly hostConfig: HostConfig;
  readonly state: ContainerState;
  readonly restartCount: number;
  /** moby RestartManager: the back-off timeout (µs) and its own count of restarts. */
  readonly restartTimeoutUs: number;
  readonly restartManagerCount: number;
  readonly hasBeenManuallyStopped: boolean;
  readonly hasBeenStartedBefore: boolean;
  /** The container's root filesystem: its image's files and its writable layer, merged. */
  readonly rootfs: FsDir;
  /** The image's files (the lower layers), shared by every container of the image. */
  readonly lowerfs: FsDir;
  readonly mounts: readonly MountPoint[];
  readonly namespaces: readonly Namespace[];
  readonly logs: readonly LogRun[];
  readonly execs: readonly ExecRecord[];
  readonly run: RunState | null;
  /** `restarting`: the restart policy's back-off ends at this time. */
  readonly restartAt: Micros | null;
  /** `docker restart` of a stopped container, or the restart manager: not removed by --rm (moby HasBeenManuallyRestarted). */
  readonly hasBeenManuallyRestarted: boolean;
  /** Bumped by every change that makes pending wake-ups stale. */
  readonly gen: number;
  /** The networks it joins when it starts, in order (none for `--network container:X`). */
  readonly networks: readonly NetworkAttachment[];
  /** .State.Health once a container with a healthcheck has started (./health.ts). */
  readonly health?: Health;
}
