// What a process does, as data: a Plan is the timeline a program follows from its start (the
// lines it prints and when, when it exits by itself, how its memory grows, how much CPU it wants,
// what it does on each signal, which files it writes). The engine keeps plans in its state and
// reads them lazily: a container that pings for a day holds one plan, not a day of lines. A
// signal, an OOM kill or a resumed script starts a new plan from that moment.
import type { Micros } from "@drydock/kernel";
import type { FsNode } from "../fs/index.js";

/** What was exec'd: PID 1 of a container, or a `docker exec`. */
export interface ProcessSpec {
  readonly argv: readonly string[];
  /** "KEY=value" entries. */
  readonly env: readonly string[];
  readonly cwd: string;
  readonly user: string;
  /** `-t`: a terminal. */
  readonly tty: boolean;
  /** `-i`: stdin stays open (a shell waits for input instead of reading EOF). */
  readonly interactive: boolean;
}

export type Stream = "stdout" | "stderr";

/** A line printed `at` after the plan starts; `text` ends with "\n" (or is a partial line at exit). */
export interface PlanLine {
  readonly at: Micros;
  readonly stream: Stream;
  readonly text: string;
}

/**
 * Output that repeats (ping's one line a second): line k (k = 0, 1, …) is printed at
 * `from + k·every`, computed by the generator `gen` of the catalogue from `params`.
 */
export interface Tick {
  readonly from: Micros;
  readonly every: Micros;
  /** How many lines (null: until the process ends). */
  readonly count: number | null;
  readonly gen: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly stream: Stream;
}

/** Memory the process uses `t` seconds after the plan starts: min(base + grow·t, max). */
export interface MemoryCurve {
  readonly base: number;
  readonly growPerSec: number;
  readonly max: number | null;
}

/** A change to the process's files at a time: the path and its new text (null deletes it). */
export interface TimedWrite {
  readonly at: Micros;
  readonly path: string;
  readonly text: string | null;
  /** "dir": make a directory (text is ignored). */
  readonly kind?: "file" | "dir";
  readonly mode?: number;
  /** The node to put at the path as it is (a script's binary from a package manager, a symlink); wins over `text`. */
  readonly node?: FsNode;
}

/** What the process does when a signal arrives. */
export type Reaction =
  /** Ends after `after` (its shutdown), printing `lines` (at offsets from the signal) and writing `writes`. */
  | { readonly kind: "exit"; readonly code: number; readonly after: Micros; readonly lines: readonly PlanLine[]; readonly writes?: readonly TimedWrite[] }
  /** Handled without ending (nginx's SIGHUP reload): prints lines and goes on. */
  | { readonly kind: "continue"; readonly lines: readonly PlanLine[] }
  | { readonly kind: "ignore" }
  /** Decided when the signal arrives, by the catalogue's reaction `fn` (ping's statistics depend on when). */
  | { readonly kind: "call"; readonly fn: string; readonly params: Readonly<Record<string, string | number>> };

/** A long-lived child process (nginx's workers, postgres's background processes): for ps and top. */
export interface ChildProcess {
  readonly argv: readonly string[];
  /** Its PID in the container's namespace, when the program's output names it (nginx's workers). */
  readonly nsPid?: number;
  readonly user: string;
  readonly from: Micros;
  /** null: as long as the plan runs. */
  readonly to: Micros | null;
}

export interface Plan {
  /** Sorted by `at`. */
  readonly lines: readonly PlanLine[];
  readonly tick: Tick | null;
  /** The process ends by itself at `at` with `code`; null: it runs until a signal ends it. */
  readonly exit: { readonly at: Micros; readonly code: number } | null;
  readonly memory: MemoryCurve;
  /** CPU cores it would use with no limit and no competition (0 for a sleeping process). */
  readonly cpu: number;
  /** By signal name ("SIGTERM"); a signal not listed gets the default disposition. */
  readonly signals: Readonly<Record<string, Reaction>>;
  readonly writes: readonly TimedWrite[];
  readonly children: readonly ChildProcess[];
  /** A script computed up to `at` continues from `state` then (the catalogue's `resume`). */
  readonly resume: { readonly at: Micros; readonly program: string; readonly state: unknown } | null;
  /** TCP ports it listens on once started (for published ports and `docker port`). */
  readonly ports: readonly number[];
  /** The program's name in the catalogue (for the trace and the visualiser). */
  readonly program: string;
  /** What ps shows instead of the argv (nginx renames itself "nginx: master process …"), or null. */
  readonly title: string | null;
  /** When the kernel's OOM killer ends a process of this plan: its exit (default 137, no lines). */
  readonly oom?: { readonly code: number; readonly lines: readonly PlanLine[] };
}

export const NO_MEMORY: MemoryCurve = { base: 0, growPerSec: 0, max: null };

/** A plan that prints nothing and exits at once with `code` (true, a command with nothing to do). */
export function exitPlan(program: string, code: number, lines: readonly PlanLine[] = [], at?: Micros): Plan {
  const end = at ?? (lines.length > 0 ? lines[lines.length - 1]!.at : 0);
  return { ...basePlan(program), lines, exit: { at: end, code } };
}

/** A plan that runs until signalled, printing `lines` first. */
export function foreverPlan(program: string, lines: readonly PlanLine[] = []): Plan {
  return { ...basePlan(program), lines };
}

export function basePlan(program: string): Plan {
  return {
    lines: [], tick: null, exit: null, memory: { base: 1 << 20, growPerSec: 0, max: null }, cpu: 0, signals: {}, writes: [], children: [],
    resume: null, ports: [], program, title: null,
  };
}

/** Lines from text printed at one time (each "\n"-ended; a last line without one stays partial). */
export function linesAt(at: Micros, text: string, stream: Stream = "stdout"): PlanLine[] {
  if (text === "") return [];
  return text.split(/(?<=\n)/).map((t) => ({ at, stream, text: t }));
}
