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
  readonly history: History;
  /** Functions defined so far (`name() { ...; }`), by name: their bodies as parsed. */
  readonly functions?: Readonly<Record<string, Command>>;
  /** `$!`: the process ID of the last background job. */
  readonly lastBackground?: number;
}

export const HISTORY_MAX = 1000;

/**
 * The lines a shell has typed, oldest first, at most HISTORY_MAX (Ubuntu's .bashrc: HISTSIZE=1000).
 * A session is a value kept in every snapshot of the world, so a line must not change the history
 * an older session holds; copying the 1,000 lines on every line cost 8 kB a line (a tenth of the
 * allocation of 10,000 `docker run`s, issue #10). So successive histories share one append-only
 * array, each seeing its own window of it: appending at the array's end pushes; a version that is
 * not the newest appends the line already there after its window when it is the same (a line run
 * again after a suspend, a replay after a seek) and copies otherwise; once the lines dropped at the
 * front are as many as the limit, the window moves to a new array. Each line is copied O(1) times.
 * Fields are ES-private: JSON, canonicalJson and deep-freezing see only the lines (toJSON, the
 * iterator), and two histories with the same lines are equal whatever they share.
 */
export class History implements Iterable<string> {
  static readonly EMPTY = new History([], 0, 0, HISTORY_MAX);
  readonly #lines: string[];
  readonly #from: number;
  readonly #to: number;
  readonly #max: number;
  readonly #copied: number;

  private constructor(lines: string[], from: number, to: number, max: number, copied = 0) {
    this.#lines = lines;
    this.#from = from;
    this.#to = to;
    this.#max = max;
    this.#copied = copied;
  }

  /** Lines the append that made this history copied (0 for a push): a count of work, for tests. */
  get copiedLines(): number {
    return this.#copied;
  }

  /** An empty history keeping at most `max` lines. */
  static empty(max: number): History {
    return new History([], 0, 0, max);
  }

  /** A history of these lines (the last HISTORY_MAX). */
  static of(lines: readonly string[]): History {
    const kept = lines.slice(-HISTORY_MAX);
    return new History(kept, 0, kept.length, HISTORY_MAX, kept.length);
  }

  get length(): number {
    return this.#to - this.#from;
  }

  /** Lines from index `start` to `end` (of this history's own, 0 the oldest), as Array.slice. */
  slice(start = 0, end = this.length): string[] {
    const n = this.length;
    const a = Math.max(0, start < 0 ? n + start : Math.min(start, n));
    const b = Math.max(a, end < 0 ? n + end : Math.min(end, n));
    return this.#lines.slice(this.#from + a, this.#from + b);
  }

  /** This history with `line` typed after it; this one is unchanged. */
  append(line: string): History {
    const lines = this.#lines;
    const to = this.#to;
    const from = Math.max(this.#from, to + 1 - this.#max);
    if (to === lines.length && from < this.#max) {
      lines.push(line);
      return new History(lines, from, to + 1, this.#max);
    }
    if (to < lines.length && lines[to] === line) return new History(lines, from, to + 1, this.#max);
    const kept = lines.slice(from, to);
    kept.push(line);
    return new History(kept, 0, kept.length, this.#max, kept.length);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = this.#from; i < this.#to; i++) yield this.#lines[i]!;
  }

  toJSON(): string[] {
    return this.slice();
  }
}

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
  /** Background jobs; without it `cmd &` runs in the foreground. */
  readonly jobControl?: JobHost;
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

/** A background job (`cmd &`) as the job builtins see it: bash's job table (jobs.c). */
export interface JobInfo {
  /** The job number, `%1`. */
  readonly id: number;
  readonly pid: number;
  /** The list as typed, without the `&`. */
  readonly command: string;
  /** null while it runs; else its exit status (128+n when signal n ended it). */
  readonly status: number | null;
  /** What ended it when a signal did: strsignal's "Terminated", "Killed". */
  readonly signal?: string;
  /** It read from the terminal in the background: the kernel stopped it (SIGTTIN), it waits for `fg`. */
  readonly stopped?: boolean;
}

/**
 * Job control, on hosts that run background jobs (the world's hosts). Every call is a host call:
 * recorded and replayed with the line like the others (world/model.ts).
 */
export interface JobHost {
  /** Starts `command` as a background job in a copy of `session`; its number and PID. */
  background(command: string, session: ShellSession): JobInfo;
  /** The job table, oldest first; with `report`, the ended jobs in it are forgotten after (`jobs` told of them). */
  jobs(report: boolean): readonly JobInfo[];
  /**
   * `wait` and `fg`: the line waits (the host throws Suspend) until these jobs (null: all) have
   * ended, then the last one's status; they are forgotten. `fg` also stops the job on Ctrl-C.
   */
  waitJobs(ids: readonly number[] | null, fg: boolean): number;
  /** Sends a signal (its number) to a job; false when it has ended already. */
  killJob(id: number, signal: number): boolean;
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
