import type { Micros } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import type { EngineState } from "@drydock/engine";
import type { FsDir } from "../fs/index.js";
import type { CommandOutcome, FsAnswer, JobInfo, LineResult, OutputChunk, ShellSession } from "../shell/host.js";
import type { Pending } from "../docker/command.js";
import type { FollowState } from "../docker/follow.js";
import type { Attachment } from "./attach.js";
import type { TrafficRun } from "./traffic.js";
import type { SwarmState } from "@drydock/swarm";
import type { WorldKube } from "./kube.js";

/**
 * The memo's marker for a program to run again when the line resumes (docker run after the pull
 * it needed): what it printed before comes first.
 */
export interface AgainAnswer {
  readonly again: readonly OutputChunk[];
  /** The program's own state for its next run (Pending.againState). */
  readonly state?: unknown;
}

/** What one ShellHost call answered, kept so that a resumed line replays it (shell/host.ts). */
export type Answer = CommandOutcome | FsAnswer<unknown> | string | null | AgainAnswer | JobInfo | readonly JobInfo[] | number | boolean;

/** A following job's running state (docker/follow.ts): what it has printed and where it is. */
export interface FollowRun {
  readonly state: FollowState;
  /** Everything the command printed so far, in order (its outcome when it ends). */
  readonly chunks: readonly OutputChunk[];
  /** Only the newest "follow" timer counts (older ones are stale). */
  readonly token: number;
}

/** A command that takes virtual time, in progress: its steps fire as kernel timers. */
export interface RunningJob {
  readonly pending: Pending;
  readonly startedAt: Micros;
  /** Output the steps have shown so far (a terminal streams it). */
  readonly shown: string;
  /** The program's output goes to the terminal (not a pipe or file), so it is shown as it comes. */
  readonly streams: boolean;
  /**
   * The engine when the job started: a timed job's result (an image pulled, a build) is merged
   * into the engine as it is when the job ends, since containers ran meanwhile.
   */
  readonly base: EngineState;
  /** A following job's state (null for a job of fixed steps). */
  readonly follow: FollowRun | null;
  /** A network tool's requests in flight (world/traffic.ts), when the job is one. */
  readonly traffic?: TrafficRun;
  /** `wait` or `fg`: the line waits for these background jobs (null: all) to end (shell/jobs.ts). */
  readonly waits?: { readonly ids: readonly number[] | null; readonly fg: boolean };
}

/** A command line in progress on a host's terminal. */
export interface Running {
  /** The line's number on this host: timers of an interrupted line carry an older one. */
  readonly seq: number;
  readonly line: string;
  /** The session when the line started: a resumed line runs again from here. */
  readonly session: ShellSession;
  readonly memo: readonly Answer[];
  readonly job: RunningJob | null;
  readonly startedAt: Micros;
  /** What the line had printed to the terminal when its job started. */
  readonly shownBefore: string;
  /**
   * A line that went on after its terminal was attached to a container: what it printed before
   * was shown then, so the terminal shows it from here; and what the container's shell printed
   * last comes first.
   */
  readonly displayFrom?: number;
  readonly displayPrefix?: string;
  /** A background job's line (`cmd &`): it ends without the terminal's notices. */
  readonly background?: boolean;
}

/** A background job (`cmd &`): its own line, run beside the terminal's (world/jobs.ts). */
export interface BackgroundJob extends JobInfo {
  /** Its line while it runs; null once it has ended. */
  readonly run: Running | null;
  /** How much of what its line showed is in the host's jobOutput already. */
  readonly printed: number;
  /** Its stop (`stopped`) has been reported at a prompt. */
  readonly stopReported?: boolean;
}

/** One Linux host: its disk (filesystem, image store) survives a crash; its terminal does not. */
export interface HostState {
  readonly name: string;
  readonly fs: FsDir;
  readonly engine: EngineState;
  readonly shell: ShellSession;
  readonly running: Running | null;
  /** The last line that finished, what `exec` returns. */
  readonly last: (LineResult & { readonly seq: number; readonly line: string; readonly display: string }) | null;
  readonly lineSeq: number;
  /**
   * The terminal is inside a container (`docker run -it alpine sh`, `docker exec -it web sh`):
   * lines typed go to that shell (world/attach.ts); null at the host's own prompt.
   */
  readonly attachment: Attachment | null;
  /** The shell's job table (bash numbers them from 1): jobs that run, or ended and not yet reported. */
  readonly jobs?: readonly BackgroundJob[];
  /**
   * What background jobs printed to the terminal, and bash's notices of their end (`[1]+  Done
   * ...`, shown before the next prompt), in order; it only grows: a terminal shows what is new.
   */
  readonly jobOutput?: string;
  /** The last background job's PID (the next is one more). */
  readonly lastPid?: number;
}

/**
 * The world: hosts by name (a Map, so a host called "constructor" is just a name) and the
 * registries every host reaches (Docker Hub with the catalogue, and any started with
 * `drydock registry start`). Immutable: every change makes new values along its path.
 */
export interface WorldState {
  readonly hosts: ReadonlyMap<string, HostState>;
  readonly hub: RegistryHub;
  /** Registries reachable by name (started at a host prompt, or a running registry container): domain → the host that runs it. */
  readonly registries: ReadonlyMap<string, string>;
  /**
   * Registries that are containers (`docker run -d -p 5000:5000 registry:2`): domain → the
   * container; while it is stopped the domain is unreachable and its content is parked here.
   */
  readonly registryContainers: ReadonlyMap<string, RegistryContainer>;
  /** Swarm mode: the swarm daemon of every host (world/swarm.ts), its executors over the hosts' engines. */
  readonly swarm: SwarmState;
  /** The routing mesh's IPVS round-robin positions, by IPVS service (world/ingress.ts); absent until a first pick. */
  readonly ipvs?: ReadonlyMap<string, number>;
  /** Kubernetes (world/kube.ts): the control plane's store and every node's kubelet; absent in a world without it. */
  readonly kube?: WorldKube;
}

/** A registry served by a container (world/registries.ts). */
export interface RegistryContainer {
  readonly host: string;
  /** Full ID. */
  readonly container: string;
  /** While the container is stopped: the hub that held its content (null while it runs). */
  readonly parked: RegistryHub | null;
}

/** The world's user actions: each is one entry of the session's action log. */
export type WorldAction =
  | { readonly type: "exec"; readonly host: string; readonly line: string }
  | { readonly type: "interrupt"; readonly host: string }
  /** Ctrl-P Ctrl-Q at a terminal attached to a container: it detaches, the container goes on. */
  | { readonly type: "detachTerminal"; readonly host: string }
  | { readonly type: "writeFile"; readonly host: string; readonly path: string; readonly text: string }
  /** Files copied in from outside (drydock shell --mount): relative path → text. */
  | { readonly type: "mount"; readonly host: string; readonly dir: string; readonly files: Readonly<Record<string, string>> };

/** The world sends no messages between hosts yet (swarm and kube will). */
export interface WorldMessage {
  readonly type: string;
}
