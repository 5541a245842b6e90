import type { Micros } from "@drydock/kernel";
import type { UnionFS } from "../../layers/union.js";

/**
 * What a simulated command sees of the shell running it: the step's filesystem and environment,
 * output and virtual time, and the helpers every command shares.
 */
export interface RunEnv {
  readonly fs: UnionFS;
  /** Variables the shell sees (image ENV plus build ARGs). */
  readonly env: Map<string, string>;
  cwd: string;
  readonly uid: number;
  readonly gid: number;
  /** Simulated web for curl, wget and ADD: URL → body text. */
  readonly urls?: Readonly<Record<string, string>>;
  /** The shell a shell-form RUN uses ("/bin/sh -c" by default). */
  readonly shell: readonly string[];
  /** RUN --network=none: nothing can be fetched. */
  readonly network?: "default" | "none" | "host";
}

export interface RunResult {
  readonly exitCode: number;
  readonly durationUs: Micros;
  /** Output lines with their time offset from the step's start, as BuildKit prints them. */
  readonly output: readonly { readonly atUs: Micros; readonly line: string }[];
}

/** What flows through a pipe or a redirection. */
export interface Data {
  readonly text?: string;
  readonly archive?: Readonly<Record<string, string>>;
  readonly size: number;
  readonly descriptor: string;
}


export interface Shell {
  readonly e: RunEnv;
  /** RUN --network=none. */
  readonly offline: boolean;
  say(text: string): void;
  spend(us: number): void;
  /** Ends the command with an exit code (and a message on its output). */
  fail(code: number, message?: string): never;
  path(p: string): string;
  which(name: string): string | undefined;
  write(path: string, text: string, append: boolean): void;
  writeData(path: string, d: Data, append: boolean): void;
  hostOf(url: string): string;
}
