import type { Micros } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import type { EngineState, JobStep, NetWorld, ProgramResolver, RandomSource } from "@drydock/engine";
import type { FollowJob } from "./follow.js";
import type { CommandOutcome, OutputChunk } from "../shell/host.js";
import type { FsDir } from "../fs/index.js";
import type { FlagSpec, Parsed } from "./flags.js";
import type { NetPlan } from "../world/traffic.js";
import type { SwarmPort } from "../world/swarm.js";

/** A command that takes virtual time: the world applies `engine`/`hub` when the last step is due. */
export interface Pending {
  readonly kind: string;
  readonly durationUs: Micros;
  readonly steps: readonly JobStep[];
  readonly outcome: CommandOutcome;
  readonly engine?: EngineState;
  readonly hub?: RegistryHub;
  /**
   * A job that follows what the engine does (a container's output and its end, a stop's grace
   * period, the daemon's events) instead of fixed steps: the world steps it whenever the host's
   * timers fire (docker/follow.ts). Its changes to the engine are made when it starts.
   */
  readonly follow?: FollowJob;
  /**
   * When the steps are done, run the same program again (docker run after the pull it needed):
   * what the steps printed comes first in what it prints then.
   */
  readonly again?: boolean;
  /** With `again`: what the program hands to its next run (`docker compose up` waiting for a healthy dependency). */
  readonly againState?: unknown;
  /** The registries started by the program (`-p 5000:5000 registry:2`), kept when the job starts. */
  readonly registries?: ReadonlyMap<string, string>;
  /**
   * The terminal goes into a shell in a container (`docker run -it alpine sh`, `docker exec -it web
   * sh`): lines typed run there until it exits or the terminal detaches (world/attach.ts); then
   * this command ends with the shell's exit status.
   */
  readonly attach?: AttachRequest;
  /** A network tool's requests (curl, ping, …), carried through the kernel's endpoints in virtual time (world/traffic.ts). */
  readonly traffic?: NetPlan;
  /** The exec session a traffic job runs as (`docker exec web curl db`): it ends when the requests do. */
  readonly trafficExec?: { readonly container: string; readonly exec: string };
  /** The program waits for a line from the terminal (world/terminal-input.ts): the next line typed on the host answers it. */
  readonly input?: { readonly prompt: string; readonly echo: boolean; readonly edit?: { readonly path: string; readonly text: string } };
}

/** A terminal attaching to a shell in a container. */
export interface AttachRequest {
  /** Full ID. */
  readonly container: string;
  /** The exec session's ID, or null for the container's main process. */
  readonly exec: string | null;
  /** `-t`: a prompt is shown (without it the shell reads lines and prints no prompt). */
  readonly tty: boolean;
  /** The command that attached: what the terminal says when it detaches ("read escape sequence" for docker attach). */
  readonly command: "run" | "start" | "attach" | "exec";
  /** Printed before the prompt (the pull a run needed, a shell's first output). */
  readonly initial: readonly OutputChunk[];
}

/** What the container commands need beyond the image store (the world supplies it per host). */
export interface ContainerRuntime {
  /** Container and exec IDs (the host's seeded stream). */
  readonly random: RandomSource;
  /** moby's name generator (its own stream, so a new name does not shift the IDs). */
  readonly names: RandomSource;
  /** The engine's program catalogue, with the host shell's interpreter for scripts and coreutils. */
  readonly programs: ProgramResolver;
  readonly hostName: string;
}

/**
 * What a docker command sees and may change. A command works on these fields and the
 * dispatcher keeps its changes only when it succeeds, so a failed command changes nothing.
 */
export interface DockerEnv {
  readonly now: Micros;
  readonly host: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
  /** The host's files (a `-v` bind source that is missing is created; `docker cp` writes here). */
  fs: FsDir;
  /** Names of every host in the world (for `docker info`). */
  readonly hosts: readonly string[];
  engine: EngineState;
  hub: RegistryHub;
  /** Set by a command that takes virtual time (build, pull, push). */
  pending: Pending | null;
  /** Extra text for stderr (errors about some of several arguments, warnings). */
  stderr: string;
  /** What stderr holds was written before stdout (a warning ahead of the result). */
  stderrFirst?: boolean;
  /** Some arguments failed (`docker rmi a b` with no `b`): exit 1, but the rest is kept. */
  failedPartly: boolean;
  /** The exit status of a command that ends without throwing yet not with 0 (a failed start keeps its container). */
  exitCode?: number;
  /** Output whose stdout and stderr interleave (`docker logs` of both streams), in order; replaces the returned stdout and `stderr`. */
  chunks?: OutputChunk[];
  /** Containers: IDs, names and programs (absent where no world runs them, e.g. a bare FsHost). */
  readonly runtime?: ContainerRuntime;
  /** The command runs again after the job it set off (`docker compose up` after its builds): the job is done. */
  readonly rerun?: boolean;
  /** The `againState` of the job this run follows. */
  readonly rerunState?: unknown;
  /** The world's networks with this host as the command has it so far (`docker exec web ping db`, compose's requests). */
  readonly net?: () => NetWorld;
  /** Registries reachable by name (`localhost:5000` → the host running it); a command that starts one sets it. */
  registries?: ReadonlyMap<string, string>;
  /** Swarm mode as this host's daemon reaches it (world/swarm.ts); absent where no world runs. */
  readonly swarm?: SwarmPort;
  /** Which of the command's standard streams are the terminal (`docker run -t` needs stdin to be one). */
  readonly tty?: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean };
}

export interface DockerCommand {
  /** e.g. "docker image ls" */
  readonly path: string;
  readonly use: string;
  readonly summary: string;
  readonly aliases?: readonly string[];
  readonly specs: readonly FlagSpec[];
  /** Exact number of arguments, or [min, max]. */
  readonly args: number | readonly [number, number];
  /** What `docker --help` lists it as, when that differs from `summary` (build: buildx's). */
  readonly listed?: string;
  /** A CLI plugin (buildx): its errors start "ERROR:" and name the plugin's own command path. */
  readonly plugin?: boolean;
  /** false: flags end at the first argument (cobra SetInterspersed(false): `docker run IMAGE CMD -l`). */
  readonly interspersed?: boolean;
  /** Returns stdout. Throws a CliError (errors.ts) for any failure. */
  run(p: Parsed, env: DockerEnv): string;
}
