// The contract between the shell interpreter and the world it runs in.
//
// The interpreter is ordinary synchronous code. Every touch of the world (a file read or
// write, a directory listing, running a command that is not a shell builtin) goes through a
// `ShellHost` call, in a deterministic order. The world layer (packages/playground/src/world)
// memoises those calls: when a command takes virtual time (a `docker build`), the host throws
// `Suspend`; when the command finishes, the world runs the same line again from its start with
// the same session, and the host answers the calls already made from the memo, so the line
// continues where it stopped. So the interpreter must:
//   - call the host in an order that depends only on the line, the session and earlier answers;
//   - never catch `Suspend` (let it propagate out of runLine untouched);
//   - keep no state outside the session it is given and returns.

/** One host shell session: what a terminal keeps from one line to the next. */
import type { Command } from "./ast.js";
export interface ShellSession {
  readonly cwd: string;
  /** Shell variables; those in `exported` are passed to commands as their environment. */
  readonly vars: Readonly<Record<string, string>>;
  readonly exported: readonly string[];
  /** `$?`: the exit status of the last command line. */
  readonly status: number;
  /** Lines typed so far (for `history`), oldest first, at most HISTORY_MAX. */
  readonly history: readonly string[];
  /** Functions defined so far (`name() { ...; }`), by name: their bodies as parsed. */
  readonly functions?: Readonly<Record<string, Command>>;
}

export const HISTORY_MAX = 1000;

/** A command the interpreter does not run itself (file utilities, docker, drydock). */
export interface CommandRequest {
  readonly argv: readonly string[];
  readonly stdin: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Whether stdout and stderr reach the terminal (not a pipe, a file or $(...)). */
  readonly tty?: { readonly stdin?: boolean; readonly stdout: boolean; readonly stderr: boolean };
}

export interface CommandOutcome {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The program wrote its stderr before its stdout (a warning, then the result). */
  readonly stderrFirst?: boolean;
  /**
   * What it wrote, in order, when stdout and stderr interleave (a `docker run` that pulled first):
   * the shell writes these instead of stdout then stderr; `stdout` and `stderr` are their concatenations.
   */
  readonly chunks?: readonly OutputChunk[];
}

/** A piece of a program's output on fd 1 or 2. */
export interface OutputChunk {
  readonly fd: 1 | 2;
  readonly text: string;
}

/** A file system answer: the text, or the errno-style failure as coreutils would name it. */
export type FsAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: "ENOENT" | "EISDIR" | "ENOTDIR" | "EACCES" | "EEXIST" | "ENOTEMPTY" | "EROFS" };

export interface ShellHost {
  /** Runs a non-builtin command. Returns status 127 with bash's text for an unknown one. */
  run(req: CommandRequest): CommandOutcome;
  /** Is this name a command the host can run (for `which`, `type`, `command -v`)? */
  commandPath(name: string): string | null;
  /** Programs the shell treats as builtins (which) that this host's files do not hold (centos:7 has no which). */
  lacksProgram?(name: string): boolean;
  readFile(path: string): FsAnswer<string>;
  /** `>` (append false) or `>>` (append true); the parent directory must exist. */
  writeFile(path: string, text: string, append: boolean): FsAnswer<null>;
  /** Names in a directory, sorted, without . and .. */
  readdir(path: string): FsAnswer<readonly string[]>;
  /** "file" | "dir" | null when missing. */
  kind(path: string): "file" | "dir" | null;
}

/** Thrown by a ShellHost when a command takes virtual time; runLine lets it through. */
export class Suspend {
  readonly suspend = true;
}

/** What running one line did. */
export interface LineResult {
  readonly session: ShellSession;
  readonly stdout: string;
  readonly stderr: string;
  /** The line's exit status (also session.status). */
  readonly status: number;
  /** `exit` was run: the terminal should close. */
  readonly exit: boolean;
}
