// The seam between the builder and what runs a RUN step's process. BuildKit runs every RUN as a
// container (runc over the step's rootfs snapshot, with the image config's env, user and workdir,
// `/bin/sh -c` for the shell form); the builder hands the step to an executor and keeps what it
// wrote to the snapshot as the step's layer. This package's own executor is the RUN interpreter
// (run.ts and commands/); a caller that has a program catalogue (the playground's world) gives its
// own, so a RUN line and the same line in a container are one set of commands.
import type { Micros } from "@drydock/kernel";
import type { UnionFS } from "../layers/union.js";
import { runExecForm, runShellForm, type RunResult } from "./run.js";

/** One RUN step's process, as the builder asks for it. */
export interface RunStepRequest {
  /** Exec form (`RUN ["a", "b"]`) or shell form (`RUN a b`, run as `[...shell, script]`). */
  readonly form: "exec" | "shell";
  /** The process runc starts: the exec form's words, or the shell's words followed by the script. */
  readonly argv: readonly string[];
  /**
   * `RUN cmd <<EOF …`: argv's script is the line with each heredoc reconstituted after it, as
   * dockerfile2llb hands it to the shell; this is the same step for an executor whose shell reads
   * no heredocs: the line without its heredoc marker, and the first heredoc's text (expanded) as stdin.
   */
  readonly heredoc?: { readonly command: string; readonly stdin: string };
  /** The process's environment: the image's ENV and the build's ARGs. */
  readonly env: ReadonlyMap<string, string>;
  /** The image's WORKDIR (made when it was missing). */
  readonly cwd: string;
  /** The image's USER as written ("" for root), and the ids it resolves to in /etc/passwd. */
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  /** The shell of the shell form (`SHELL`, default `/bin/sh -c`). */
  readonly shell: readonly string[];
  /** `RUN --network`: "none" has no network at all. */
  readonly network: "default" | "none" | "host";
  /** Simulated web for curl and wget: URL → body. */
  readonly urls?: Readonly<Record<string, string>>;
  /** The step's rootfs snapshot: what the executor writes here becomes the step's layer. */
  readonly fs: UnionFS;
  /** Virtual time at which the step starts. */
  readonly now: Micros;
}

/**
 * Runs a RUN step: its exit code, its duration (the container's start included) and its log lines
 * with their offsets from the step's start; its file changes are written to `req.fs`.
 */
export type RunStepExecutor = (req: RunStepRequest) => RunResult;

/** The default executor: this package's RUN interpreter (its commands and its cost table). */
export const interpretRunStep: RunStepExecutor = (req) => {
  const env = {
    fs: req.fs, env: new Map(req.env), cwd: req.cwd, uid: req.uid, gid: req.gid, shell: req.shell, network: req.network,
    ...(req.urls ? { urls: req.urls } : {}),
  };
  if (req.form === "exec") return runExecForm(req.argv, env);
  if (req.heredoc) return runShellForm(req.heredoc.command, env, req.heredoc.stdin);
  return runShellForm(req.argv[req.argv.length - 1] ?? "", env);
};
