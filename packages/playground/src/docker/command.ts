import type { Micros } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import type { EngineState, JobStep } from "@drydock/engine";
import type { CommandOutcome } from "../shell/host.js";
import type { FsDir } from "../fs/index.js";
import type { FlagSpec, Parsed } from "./flags.js";

/** A command that takes virtual time: the world applies `engine`/`hub` when the last step is due. */
export interface Pending {
  readonly kind: string;
  readonly durationUs: Micros;
  readonly steps: readonly JobStep[];
  readonly outcome: CommandOutcome;
  readonly engine?: EngineState;
  readonly hub?: RegistryHub;
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
  readonly fs: FsDir;
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
  /** Returns stdout. Throws a CliError (errors.ts) for any failure. */
  run(p: Parsed, env: DockerEnv): string;
}
