// The programs a container can run, as the catalogue sees them: a name it answers to and a
// function from how it was started to its Plan.
import type { Micros } from "@drydock/kernel";
import type { FsDir } from "../fs/index.js";
import type { Plan, ProcessSpec, Reaction, Stream } from "./types.js";
import type { NetWorld } from "../network/traffic.js";

/** The kernel release the simulated hosts run (`uname -r` at the host prompt says the same). */
export const KERNEL_RELEASE = "6.1.0-28-amd64";

/** Everything a program may look at when it starts. */
export interface StartContext {
  readonly spec: ProcessSpec;
  /** The executable as resolved in the container ("/usr/sbin/nginx"). */
  readonly path: string;
  /** The environment, parsed. */
  readonly env: ReadonlyMap<string, string>;
  /** The files the process sees (its root with its mounts), at start. */
  readonly fs: FsDir;
  readonly now: Micros;
  readonly hostname: string;
  readonly containerId: string;
  readonly containerName: string;
  /** Its PID in its PID namespace (1 for a container's main process). */
  readonly pid: number;
  readonly isPid1: boolean;
  /** The cgroup memory limit in bytes (0: none), and what the host has. */
  readonly memoryLimit: number;
  readonly hostMemory: number;
  readonly hostCpus: number;
  /** The container's IP address on its network ("" with --network none). */
  readonly ip: string;
  /** The entrypoint script that exec'd this program ("/docker-entrypoint.sh"), or null. */
  readonly via: string | null;
  /** The image's references ("nginx:1.27"), for programs whose output names their version. */
  readonly image: string;
  /** Paths a write is refused under (read-only mounts; "/" for --read-only), unless a writable mount is deeper. */
  readonly readOnly?: readonly string[];
  /** Targets of the writable mounts (they win over a read-only root or a shallower read-only mount). */
  readonly writable?: readonly string[];
  /** The networks around it (its host's engine), for programs that talk to others: ping, curl, a client loop. */
  readonly net?: { readonly world: NetWorld; readonly host: string };
  /** No network at all (`RUN --network=none`): downloads fail as the tools report it. */
  readonly offline?: boolean;
}

export interface Program {
  /** Executable basenames it answers to ("nginx", "redis-server"). */
  readonly names: readonly string[];
  /** The plan; null when this program leaves the case to the host shell's tools (`tail FILE`). */
  start(ctx: StartContext): Plan | null;
  /** A script computed up to a horizon goes on from its saved state. */
  resume?(state: unknown, ctx: StartContext, at: Micros): Plan;
  /** Generators of its repeating lines, by the name its plans' ticks use. */
  readonly ticks?: Readonly<Record<string, TickGenerator>>;
  /** Reactions to signals decided when they arrive, by the name its plans use. */
  readonly reactions?: Readonly<Record<string, ReactionFn>>;
}

/** Line k of a repeating output (see Tick). */
export type TickGenerator = (params: Readonly<Record<string, string | number>>, k: number) => string;

/** Why a process could not start (runc's error), and the exit code Docker gives the container. */
export interface StartFailure {
  readonly failure: string;
  readonly exitCode: 126 | 127;
}

/**
 * What the engine asks when it starts a process: the plan for `ctx.spec`, or why it cannot
 * start. The engine's own catalogue answers for the programs it knows; the playground adds the
 * host shell's interpreter for scripts and coreutils.
 */
export interface ProgramResolver {
  plan(ctx: Omit<StartContext, "path" | "via">): Plan | StartFailure;
  resume(program: string, state: unknown, ctx: Omit<StartContext, "path" | "via">, at: Micros): Plan;
  tick(gen: string, params: Readonly<Record<string, string | number>>, k: number): string;
  /** A reaction decided when the signal arrives: `at` is the time since the plan began, `now` the time. */
  react(fn: string, params: Readonly<Record<string, string | number>>, at: Micros, now: Micros): Reaction;
}

/** A reaction computed when its signal arrives (see Reaction "call"). */
export type ReactionFn = (params: Readonly<Record<string, string | number>>, at: Micros, now: Micros) => Reaction;

export interface TickLine {
  readonly stream: Stream;
  readonly text: string;
}
