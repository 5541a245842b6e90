// The interpreter: runs a parsed line against a session and a host (POSIX XCU 2.9). All state
// lives in a `Shell` built from the session and turned back into one at the end; every touch
// of the world is a host call, made in an order that depends only on the line and the answers.
import { normalizePath } from "../fs/tree.js";
import type { AndOr, Command, Pipeline, Program, Redirect, SimpleCommand, Word } from "./ast.js";
import { BUILTINS } from "./builtins.js";
import { ExitSignal, ExpansionError, ReturnSignal } from "./errors.js";
import { type ExpandEnv, expandString, expandWords, matchPattern } from "./expand.js";
import { type CommandOutcome, type History, type LineResult, type ShellHost, type ShellSession } from "./host.js";
import { BufferSink, FileSink, type Io, NULL_SINK, type Sink, errnoText, stdinLeft, writeErr, writeOut } from "./io.js";
import { asAssignment, parseLine } from "./parser.js";
import { expandHistory } from "./histexpand.js";

/** `$$`: the interactive shell's fixed process id. */
export const SHELL_PID = 4242;
/** Iterations of one `for`/`while` loop, and commands in one line, before the shell gives up. */
export const LOOP_MAX = 10_000;
export const STEPS_MAX = 200_000;
/** Functions calling functions: bash has no limit unless FUNCNEST is set (and then says this); drydock stops at 100. */
export const FUNCNEST_MAX = 100;

class StepLimit {}

/** How a line is read: `interactive`, typed at a prompt (bash expands `!!` only there). */
export interface LineOptions {
  readonly interactive?: boolean;
}

/**
 * Runs one typed line. `terminal`, when given, sees what reaches the terminal (fds 1 and 2, as
 * they are written): a line suspended on a long command has shown that much so far.
 */
export function runLine(line: string, session: ShellSession, host: ShellHost, terminal?: Sink, errTerminal: Sink | undefined = terminal, opts: LineOptions = {}): LineResult {
  // `!!`, `!n`: bash expands the line from its history first and shows what it runs (bashhist.c
  // pre_process_line, on stderr); an event it lacks stops the line there.
  const ex = opts.interactive === true ? expandHistory(line, session.history) : { line, expanded: false };
  if ("event" in ex) {
    const stderr = `bash: ${ex.event}: event not found\n`;
    errTerminal?.write(stderr);
    return { session, stdout: "", stderr, status: session.status, exit: false };
  }
  const shown = ex.expanded ? `${ex.line.replace(/\n+$/, "")}\n` : "";
  if (ex.expanded) {
    errTerminal?.write(shown);
    line = ex.line;
  }
  const typed = line.replace(/\n+$/, "");
  // Histories share one array (History): a line run again after a suspend appends in O(1).
  const history = line.trim() !== "" ? session.history.append(typed) : session.history;
  const parsed = parseLine(line);
  if (!parsed.ok) {
    const stderr = `bash: ${parsed.error}\n`;
    errTerminal?.write(stderr);
    return { session: { ...session, history, status: 2 }, stdout: "", stderr: shown + stderr, status: 2, exit: false };
  }
  const shell = new Shell({ ...session, history }, host, { steps: 0 });
  const out = new BufferSink(terminal);
  const err = new BufferSink(errTerminal);
  shell.terminal.add(out).add(err);
  // Already on the terminal (above); the line's stderr keeps it too.
  err.kept(shown);
  for (const w of parsed.warnings) err.write(`${w}\n`);
  let exit = false;
  try {
    shell.runProgram(parsed.program, { stdin: "", fds: new Map<number, Sink>([[1, out], [2, err]]), stdinTty: true });
  } catch (e) {
    if (e instanceof ExitSignal) {
      exit = true;
      shell.status = e.status;
    } else if (e instanceof StepLimit) {
      err.write(`bash: stopped after ${STEPS_MAX} commands (drydock's limit)\n`);
      shell.status = 1;
    } else throw e;
  }
  return { session: shell.toSession(), stdout: out.text(), stderr: err.text(), status: shell.status, exit };
}

/**
 * The environment of an unchanged session's commands (Shell.environment), by its `exported` and
 * `vars` (the session's own arrays and objects, which nothing changes): a command reads its
 * environment and never writes it.
 */
const ENVIRONMENTS = new WeakMap<readonly string[], { vars: ShellSession["vars"]; env: Record<string, string> }>();

/**
 * The variables and exported names of a session, as a Map and a Set, by the session's own object
 * and array (which nothing changes): every line made them anew from the session, and most lines
 * only read them. A shell shares these until it changes one (ownVars, ownExported).
 */
const SESSION_VARS = new WeakMap<ShellSession["vars"], ReadonlyMap<string, string>>();
const SESSION_EXPORTED = new WeakMap<readonly string[], ReadonlySet<string>>();

export class Shell {
  cwd: string;
  /** Read only: a change goes through ownVars() (setVar, unset, a function's locals put back). */
  vars: ReadonlyMap<string, string>;
  /** Read only: a change goes through ownExported(). */
  exported: ReadonlySet<string>;
  private varsOwned = false;
  private exportedOwned = false;
  status: number;
  /** Never changed in place (the `history` builtin replaces it): a History shares its lines with older ones. */
  history: History;
  /** The line's own fds 1 and 2: what is written to them reaches the terminal. */
  readonly terminal = new Set<Sink | undefined>();
  /** `$!`: the last background job's PID. */
  lastBackground: number | undefined;
  /** The status of the last command substitution, which a bare assignment returns (2.9.1). */
  private substStatus: number | null = null;
  /** Functions by name (the session's, and those defined on this line). */
  functions: Map<string, Command>;
  /** `$1`…, `$#`, `$@` inside a function; none at the prompt. */
  positional: readonly string[] = [];
  /** The functions being run, innermost last: each keeps what its `local`s hid. */
  readonly frames: { readonly name: string; readonly saved: Map<string, string | undefined> }[] = [];

  /**
   * The session this shell was made from while no variable has been set, exported or unset since
   * (varsChanged() forgets it): its `vars` and `exported` are then this shell's, and are handed
   * on as they are instead of being rebuilt, and the environment of a command is computed once
   * for them (ENVIRONMENTS), not once per command of every line.
   */
  private unchanged: ShellSession | null;

  constructor(
    session: ShellSession,
    readonly host: ShellHost,
    private readonly budget: { steps: number },
  ) {
    this.cwd = session.cwd;
    let vars = SESSION_VARS.get(session.vars);
    if (vars === undefined) SESSION_VARS.set(session.vars, (vars = new Map(Object.entries(session.vars))));
    this.vars = vars;
    let exported = SESSION_EXPORTED.get(session.exported);
    if (exported === undefined) SESSION_EXPORTED.set(session.exported, (exported = new Set(session.exported)));
    this.exported = exported;
    this.status = session.status;
    this.lastBackground = session.lastBackground;
    this.history = session.history;
    this.functions = new Map(Object.entries(session.functions ?? {}));
    this.unchanged = session;
  }

  /** To be called on every change of `vars` or `exported`. */
  varsChanged(): void {
    this.unchanged = null;
  }

  /** This shell's own variables, to change (the session's shared map is copied first). */
  ownVars(): Map<string, string> {
    if (!this.varsOwned) {
      this.vars = new Map(this.vars);
      this.varsOwned = true;
    }
    return this.vars as Map<string, string>;
  }

  /** This shell's own exported names, to change. */
  ownExported(): Set<string> {
    if (!this.exportedOwned) {
      this.exported = new Set(this.exported);
      this.exportedOwned = true;
    }
    return this.exported as Set<string>;
  }

  toSession(): ShellSession {
    // Sessions list only variables they have as exported (createSession, a container's shell),
    // so an unchanged session's `exported` is what the filter below would make of it.
    const u = this.unchanged;
    return {
      cwd: this.cwd,
      vars: u !== null ? u.vars : Object.fromEntries(this.vars),
      exported: u !== null ? u.exported : [...this.exported].filter((n) => this.vars.has(n)),
      status: this.status,
      history: this.history,
      ...(this.functions.size > 0 ? { functions: Object.fromEntries(this.functions) } : {}),
      ...(this.lastBackground !== undefined ? { lastBackground: this.lastBackground } : {}),
    };
  }

  /** A copy that shares the host and the step budget; its changes do not come back (2.12). */
  subshell(): Shell {
    const sub = new Shell(this.toSession(), this.host, this.budget);
    sub.positional = this.positional;
    return sub;
  }

  /** Runs a subshell, catching its `exit`. */
  runIsolated(body: (sub: Shell) => number): number {
    const sub = this.subshell();
    try {
      return body(sub);
    } catch (e) {
      if (e instanceof ExitSignal) return e.status;
      throw e;
    }
  }

  /** Special parameters (2.5.2) and variables. */
  getVar(name: string): string | undefined {
    switch (name) {
      case "?":
        return String(this.status);
      case "$":
        return String(SHELL_PID);
      case "!":
        return this.lastBackground === undefined ? undefined : String(this.lastBackground);
      case "#":
        return String(this.positional.length);
      case "@":
      case "*":
        return this.positional.join(" ");
      case "0":
        return "bash";
      case "-":
        return "hB";
      default:
        if (/^[1-9]$/.test(name)) return this.positional[Number(name) - 1];
        return this.vars.get(name);
    }
  }

  setVar(name: string, value: string): void {
    this.ownVars().set(name, value);
    this.varsChanged();
  }

  /** The environment a command gets: the exported variables (2.9.1.1). */
  environment(extra: readonly (readonly [string, string])[] = []): Record<string, string> {
    const u = this.unchanged;
    if (extra.length === 0 && u !== null) {
      const known = ENVIRONMENTS.get(u.exported);
      if (known !== undefined && known.vars === u.vars) return known.env;
      const env = this.environmentOf([]);
      ENVIRONMENTS.set(u.exported, { vars: u.vars, env });
      return env;
    }
    return this.environmentOf(extra);
  }

  private environmentOf(extra: readonly (readonly [string, string])[]): Record<string, string> {
    const env = new Map<string, string>();
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env.set(name, v);
    }
    for (const [k, v] of extra) env.set(k, v);
    return Object.fromEntries(env);
  }

  private expandEnv(io: Io): ExpandEnv {
    return new ShellExpandEnv(this, io, this.cwd);
  }

  /** A command substitution's output ($(…), backticks), run in a subshell; for ShellExpandEnv. */
  substitute(program: Program, io: Io): string {
    const out = new BufferSink();
    this.substStatus = this.runIsolated((sub) => sub.runProgram(program, { stdin: "", fds: new Map([[1, out], [2, io.fds.get(2) ?? NULL_SINK]]) }));
    return out.text();
  }

  runProgram(program: Program, io: Io): number {
    for (const item of program.items) this.runAndOr(item, io);
    return this.status;
  }

  private runAndOr(item: AndOr, io: Io): void {
    const jobs = this.host.jobControl;
    if (item.background && jobs !== undefined) {
      // bash (execute_cmd.c): the list runs in a child; an interactive shell says `[1] 4321` on
      // its stderr and goes on at once with status 0 (POSIX 2.9.3.1).
      const job = jobs.background(item.source ?? "", this.toSession());
      writeErr(io, `[${job.id}] ${job.pid}\n`);
      this.lastBackground = job.pid;
      this.status = 0;
      return;
    }
    this.status = this.runPipeline(item.first, io);
    for (const { op, pipeline } of item.rest) {
      if ((op === "&&") === (this.status === 0)) this.status = this.runPipeline(pipeline, io);
    }
  }

  /**
   * bash's `time PIPELINE`: the virtual time it took as `real` (the clock read through the host,
   * as `date` reads it, so a line resumed after a wait reads the same start), then bash's
   * TIMEFORMAT block on the shell's stderr ($'\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS'), or
   * POSIX's `real 10.00` lines with `-p`. A simulated process spends next to no CPU: user and
   * sys are a few milliseconds, drawn from the real time so they do not all read alike.
   */
  private timePipeline(pipeline: Pipeline & { readonly time: "bash" | "posix" }, io: Io): number {
    const start = this.clockUs();
    const status = pipeline.commands.length === 0 ? this.status : this.runPipeline({ negate: pipeline.negate, commands: pipeline.commands }, io);
    const realUs = Math.max(0, this.clockUs() - start);
    const ms = Math.floor(realUs / 1000);
    const userMs = Math.min(ms, 1 + (ms % 37));
    const sysMs = Math.min(ms, ms % 11);
    const long = (t: number) => `${Math.floor(t / 60_000)}m${Math.floor((t % 60_000) / 1000)}.${String(t % 1000).padStart(3, "0")}s`;
    const posix = (t: number) => `${Math.floor(t / 1000)}.${String(Math.floor((t % 1000) / 10)).padStart(2, "0")}`;
    writeErr(io, pipeline.time === "posix"
      ? `real ${posix(ms)}\nuser ${posix(userMs)}\nsys ${posix(sysMs)}\n`
      : `\nreal\t${long(ms)}\nuser\t${long(userMs)}\nsys\t${long(sysMs)}\n`);
    return status;
  }

  /** Virtual time now in microseconds, read as `date +%s%N` reads it (0 when the host has no date). */
  private clockUs(): number {
    const r = this.host.run({ argv: ["date", "+%s %N"], stdin: "", cwd: this.cwd, env: {} });
    const m = /^(\d+) (\d{9})$/.exec(r.stdout.trim());
    return m === null ? 0 : Number(m[1]) * 1_000_000 + Math.floor(Number(m[2]) / 1000);
  }

  /** 2.9.2: each stage's output is the next one's input; several stages run in subshells. */
  private runPipeline(pipeline: Pipeline, io: Io): number {
    if (pipeline.time !== undefined) return this.timePipeline({ ...pipeline, time: pipeline.time }, io);
    let status: number;
    if (pipeline.commands.length === 1) status = this.runCommand(pipeline.commands[0] as Command, io);
    else {
      let stdin = io.stdin;
      status = 0;
      pipeline.commands.forEach((cmd, i) => {
        const last = i === pipeline.commands.length - 1;
        const pipe = new BufferSink();
        const fds = new Map(io.fds);
        fds.set(1, last ? (io.fds.get(1) ?? NULL_SINK) : pipe);
        // The first stage reads what is left of the pipeline's input; each later one its own pipe.
        const input = i === 0 ? { stdin, stdinRead: io.stdinRead ?? { at: 0 } } : { stdin, stdinRead: { at: 0 } };
        status = this.runIsolated((sub) => sub.runCommand(cmd, { ...input, fds, stdinTty: i === 0 && io.stdinTty === true }));
        stdin = pipe.text();
      });
    }
    return pipeline.negate ? (status === 0 ? 1 : 0) : status;
  }

  runCommand(cmd: Command, io: Io): number {
    if (++this.budget.steps > STEPS_MAX) throw new StepLimit();
    switch (cmd.type) {
      case "simple":
        return this.runSimple(cmd, io);
      case "subshell":
        return this.withRedirects(cmd.redirects, io, (io2) => this.runIsolated((sub) => sub.runProgram(cmd.body, io2)));
      case "group":
        return this.withRedirects(cmd.redirects, io, (io2) => this.runProgram(cmd.body, io2));
      case "if":
        return this.withRedirects(cmd.redirects, io, (io2) => {
          for (const branch of cmd.branches) {
            if (this.runProgram(branch.cond, io2) === 0) return this.runProgram(branch.body, io2);
          }
          return cmd.otherwise === null ? 0 : this.runProgram(cmd.otherwise, io2);
        });
      case "for":
        return this.withRedirects(cmd.redirects, io, (io2) => {
          // `for x; do`: the positional parameters (a function's arguments).
          const items = cmd.items === null ? [...this.positional] : this.guardExpansion(io2, () => expandWords(cmd.items ?? [], this.expandEnv(io2)));
          if (items === null) return 1;
          let status = 0;
          for (const [i, item] of items.entries()) {
            if (i >= LOOP_MAX) return this.loopLimit(io2);
            this.setVar(cmd.name, item);
            status = this.runProgram(cmd.body, io2);
          }
          return status;
        });
      case "case":
        return this.withRedirects(cmd.redirects, io, (io2) => {
          const env = this.expandEnv(io2);
          const chosen = this.guardExpansion(io2, () => {
            const value = expandString(cmd.word, env);
            return cmd.clauses.find((c) => c.patterns.some((p) => matchPattern(value, p, env))) ?? false;
          });
          if (chosen === null) return 1;
          return chosen === false ? 0 : this.runProgram(chosen.body, io2);
        });
      case "function":
        this.functions.set(cmd.name, cmd.body);
        this.varsChanged();
        return 0;
      case "while":
        return this.withRedirects(cmd.redirects, io, (io2) => {
          let status = 0;
          for (let i = 0; ; i++) {
            if ((this.runProgram(cmd.cond, io2) === 0) === cmd.until) return status;
            if (i >= LOOP_MAX) return this.loopLimit(io2);
            status = this.runProgram(cmd.body, io2);
          }
        });
    }
  }

  private loopLimit(io: Io): number {
    writeErr(io, `bash: loop stopped after ${LOOP_MAX} iterations (drydock's limit)\n`);
    return 1;
  }

  private guardExpansion<T>(io: Io, fn: () => T): T | null {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      writeErr(io, `${e.message}\n`);
      return null;
    }
  }

  private runSimple(cmd: SimpleCommand, io: Io): number {
    this.substStatus = null;
    const env = this.expandEnv(io);
    const expanded = this.guardExpansion(io, () => ({
      argv: expandArgs(cmd.words, env),
      assigns: cmd.assigns.map((a) => [a.name, expandString(a.value, env)] as const),
    }));
    if (expanded === null) return 1;
    const { argv, assigns } = expanded;
    if (argv.length === 0) {
      // 2.9.1: assignments alone change the shell; the status is the last substitution's.
      for (const [name, value] of assigns) this.setVar(name, value);
      const substStatus = this.substStatus ?? 0;
      return this.withRedirects(cmd.redirects, io, () => substStatus);
    }
    return this.withRedirects(cmd.redirects, io, (io2) => this.dispatch(argv, assigns, io2));
  }

  /** A builtin, or the host; `assigns` are `X=1 cmd`'s environment for that command only. */
  dispatch(argv: readonly string[], assigns: readonly (readonly [string, string])[], io: Io): number {
    const name = argv[0] as string;
    const fn = this.functions.get(name);
    if (fn !== undefined) return this.callFunction(name, fn, argv.slice(1), io);
    const builtin = BUILTINS.get(name);
    if (builtin !== undefined) return builtin(this, argv.slice(1), io, assigns);
    return this.dispatchProgram(argv, io, assigns);
  }

  /** Runs a program of the host (not a builtin or function). */
  dispatchProgram(argv: readonly string[], io: Io, assigns: readonly (readonly [string, string])[] = []): number {
    // A program may ask whether its output reaches the terminal (isatty), as docker build does.
    const tty = { stdin: io.stdinTty === true, stdout: this.terminal.has(io.fds.get(1)), stderr: this.terminal.has(io.fds.get(2)) };
    const outcome: CommandOutcome = this.host.run({ argv, stdin: stdinLeft(io), cwd: this.cwd, env: this.environment(assigns), tty });
    if (outcome.chunks !== undefined) {
      for (const c of outcome.chunks) (c.fd === 1 ? writeOut : writeErr)(io, c.text);
      return outcome.status;
    }
    if (outcome.stderrFirst) writeErr(io, outcome.stderr);
    writeOut(io, outcome.stdout);
    if (!outcome.stderrFirst) writeErr(io, outcome.stderr);
    return outcome.status;
  }

  /**
   * Runs a function (2.9.5): its arguments are the positional parameters while it runs, `return`
   * ends it, and the variables it declared `local` get their old values back when it ends.
   */
  callFunction(name: string, body: Command, args: readonly string[], io: Io): number {
    if (this.frames.length >= FUNCNEST_MAX) {
      writeErr(io, `bash: ${name}: maximum function nesting level exceeded (${FUNCNEST_MAX})\n`);
      return 1;
    }
    const outer = this.positional;
    const frame = { name, saved: new Map<string, string | undefined>() };
    this.positional = args;
    this.frames.push(frame);
    try {
      return this.runCommand(body, io);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      this.frames.pop();
      this.positional = outer;
      for (const [v, value] of frame.saved) {
        if (value === undefined) this.ownVars().delete(v);
        else this.ownVars().set(v, value);
      }
      if (frame.saved.size > 0) this.varsChanged();
    }
  }

  /** Applies redirections left to right (2.7), runs `body`, then writes the files. */
  withRedirects(redirects: readonly Redirect[], io: Io, body: (io: Io) => number): number {
    if (redirects.length === 0) return body(io);
    const fds = new Map(io.fds);
    let stdin = io.stdin;
    let stdinTty = io.stdinTty === true;
    let stdinRead = io.stdinRead;
    const files: FileSink[] = [];
    for (const r of redirects) {
      const applied = this.guardExpansion(io, () => this.redirect(r, fds, files));
      if (applied === null) return 1;
      if (applied.error !== undefined) {
        writeErr({ stdin, fds }, applied.error);
        return 1;
      }
      if (applied.stdin !== undefined && r.fd === 0) {
        stdin = applied.stdin;
        stdinTty = false;
        stdinRead = { at: 0 };
      }
    }
    const closeAll = () => files.forEach((f) => f.close(this.host));
    let status: number;
    try {
      status = body({ stdin, fds, stdinTty, ...(stdinRead !== undefined ? { stdinRead } : {}) });
    } catch (e) {
      if (e instanceof ExitSignal) closeAll();
      throw e;
    }
    closeAll();
    return status;
  }

  /** One redirection: changes `fds`, or gives the new standard input, or bash's error text. */
  private redirect(r: Redirect, fds: Map<number, Sink>, files: FileSink[]): { stdin?: string; error?: string } {
    const env = this.expandEnv({ stdin: "", fds });
    if (r.op === "<<" || r.op === "<<-") return { stdin: expandString(r.target, env) };
    if (r.op === "<<<") return { stdin: `${expandString(r.target, env)}\n` };
    const fields = expandWords([r.target], env);
    const target = fields[0];
    if (fields.length !== 1 || target === undefined) return { error: `bash: ${fields.join(" ")}: ambiguous redirect\n` };
    if ((r.op === ">&" || r.op === "<&") && /^(\d+|-)$/.test(target)) {
      if (target === "-") fds.set(r.fd, NULL_SINK);
      else {
        const sink = fds.get(Number(target));
        if (sink === undefined) return { error: `bash: ${target}: Bad file descriptor\n` };
        fds.set(r.fd, sink);
      }
      return {};
    }
    const path = normalizePath(this.cwd, target);
    if (r.op === "<" || r.op === "<>") {
      if (path === "/dev/null") return { stdin: "" };
      const read = this.host.readFile(path);
      return read.ok ? { stdin: read.value } : { error: `bash: ${target}: ${errnoText(read.error)}\n` };
    }
    const both = r.op === "&>" || r.op === "&>>" || r.op === ">&";
    let sink: Sink;
    if (path === "/dev/null") sink = NULL_SINK;
    else if (path === "/dev/stdout" || path === "/dev/stderr") sink = fds.get(path === "/dev/stdout" ? 1 : 2) ?? NULL_SINK;
    else {
      const opened = this.host.writeFile(path, "", r.op === ">>" || r.op === "&>>");
      if (!opened.ok) return { error: `bash: ${target}: ${errnoText(opened.error)}\n` };
      const file = new FileSink(path);
      files.push(file);
      sink = file;
    }
    fds.set(both ? 1 : r.fd, sink);
    if (both) fds.set(2, sink);
    return {};
  }
}

const DECLARATION_BUILTINS = new Set(["export", "readonly", "declare", "local"]);

/** Words of a command; after `export`, `X=$(cmd)` is one word, not split (bash). */
function expandArgs(words: readonly Word[], env: ExpandEnv): string[] {
  const first = words[0]?.parts;
  const head = first?.length === 1 && first[0]?.k === "lit" && !first[0].quoted ? first[0].text : null;
  if (head === null || !DECLARATION_BUILTINS.has(head)) return expandWords(words, env);
  return words.flatMap((w) => (asAssignment(w) !== null ? [expandString(w, env)] : expandWords([w], env)));
}

/**
 * What expansion reads and does through the shell: a class rather than an object of closures
 * made for every command (five allocations, and under tsx, which keeps function names, five
 * defineProperty calls each time).
 */
class ShellExpandEnv implements ExpandEnv {
  constructor(private readonly sh: Shell, private readonly io: Io, readonly cwd: string) {}

  get(name: string): string | undefined {
    return this.sh.getVar(name);
  }

  set(name: string, value: string): void {
    this.sh.setVar(name, value);
  }

  substitute(program: Program): string {
    return this.sh.substitute(program, this.io);
  }

  readdir(path: string): readonly string[] | null {
    const r = this.sh.host.readdir(path);
    return r.ok ? r.value : null;
  }

  exists(path: string): boolean {
    return this.sh.host.kind(path) !== null;
  }

  positional(): readonly string[] {
    return this.sh.positional;
  }
}
