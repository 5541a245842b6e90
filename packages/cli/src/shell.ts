import { DrydockError, type Micros } from "@drydock/kernel";
import { flag, isComplete, parseFlags, usage, type ExecResult, type FlagSpec, type Playground } from "@drydock/playground";

/** `drydock shell`'s flags; bin/shell.ts runs the terminal, this file holds what needs no I/O. */
export const SHELL_SPECS: readonly FlagSpec[] = [
  { name: "seed", kind: "string", help: "Seed of the world", default: "1" },
  { name: "nodes", kind: "string", help: "Hosts, comma-separated; the prompt is on the first", default: "node1" },
  { name: "kubernetes", kind: "bool", help: "Run Kubernetes on the hosts, the first running the control plane (hosts control-plane,node-1,node-2 unless --nodes says)" },
  { name: "control-planes", kind: "string", help: "With --kubernetes, how many of the first hosts run a control plane, each with an etcd member (kubeadm's stacked HA; hosts control-plane,control-plane2,...,node-1,node-2 unless --nodes says)", default: "1" },
  { name: "mount", kind: "list", help: "Copy a directory's text files into the first host, and what changed again before each line: DIR, or DIR:PATH (default /root/<basename of DIR>)" },
  { name: "save", kind: "string", help: "Write the session (seed and action log) to this file on exit" },
  { name: "fast", kind: "bool", help: "Run lines at full speed, and let no virtual time pass between lines (by default a build or pull runs at most 10x faster than the wall clock, for at most 5s of it; a line that waits or follows a container, as sleep 10 or docker stop, at the wall clock's pace; and idle time passes as it does)" },
  { name: "help", kind: "bool", help: "Print usage" },
];

export const SHELL_USE = "drydock shell [OPTIONS]";
export const SHELL_SUMMARY =
  "A root shell on a simulated Debian host with Docker: heredocs, pipes, cd, ls, cat, docker build, images, push, pull...";

export interface MountRequest {
  /** The real directory, as typed. */
  readonly dir: string;
  /** Where it lands on the host (absolute). */
  readonly path: string | undefined;
}

export interface ShellOptions {
  readonly help: boolean;
  readonly seed: string;
  readonly nodes: readonly string[];
  readonly kubernetes: boolean;
  /** Control-plane hosts, the first of `nodes` (--control-planes); absent for kubeadm's one. */
  readonly controlPlanes?: number;
  readonly mounts: readonly MountRequest[];
  readonly save: string | undefined;
  readonly fast: boolean;
}

/** Parses `drydock shell` flags; a bad one throws a DrydockError (EFLAG/EARGS), as every command does. */
export function parseShellArgs(argv: readonly string[]): ShellOptions {
  const p = parseFlags(argv, SHELL_SPECS);
  if (p.args.length > 0 && !flag.bool(p, "help")) throw new DrydockError("EARGS", `"drydock shell" accepts no arguments (got "${p.args[0]}")`);
  const kubernetes = flag.bool(p, "kubernetes");
  const typed = argv.some((a) => a === "--nodes" || a.startsWith("--nodes="));
  const cpText = flag.str(p, "control-planes")!;
  const controlPlanes = /^[0-9]+$/.test(cpText) ? Number(cpText) : NaN;
  if (!(controlPlanes >= 1)) throw new DrydockError("EFLAG", `invalid argument "${cpText}" for "--control-planes" flag: want a number of hosts, 1 or more (3 for an etcd quorum that survives one loss)`);
  if (controlPlanes > 1 && !kubernetes) throw new DrydockError("EFLAG", `"--control-planes" needs "--kubernetes"`);
  // kind's names for an HA cluster's nodes: control-plane, control-plane2, control-plane3 (then the workers).
  const defaults = [...Array.from({ length: controlPlanes }, (_, i) => (i === 0 ? "control-plane" : `control-plane${i + 1}`)), "node-1", "node-2"].join(",");
  const nodes = (kubernetes && !typed ? defaults : flag.str(p, "nodes")!).split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (nodes.length === 0) throw new DrydockError("EFLAG", `invalid argument "${flag.str(p, "nodes")}" for "--nodes" flag: want host names, as in node1,node2`);
  if (controlPlanes > nodes.length) throw new DrydockError("EFLAG", `invalid argument "${cpText}" for "--control-planes" flag: there are only ${nodes.length} hosts (--nodes ${nodes.join(",")})`);
  return {
    help: flag.bool(p, "help"),
    seed: flag.str(p, "seed")!,
    nodes,
    kubernetes,
    ...(controlPlanes > 1 ? { controlPlanes } : {}),
    mounts: flag.list(p, "mount").map(mountRequest),
    save: flag.str(p, "save"),
    fast: flag.bool(p, "fast"),
  };
}

export const shellUsage = (): string => usage(SHELL_USE, SHELL_SUMMARY, SHELL_SPECS);

/** "DIR" or "DIR:PATH" (PATH absolute, as `docker run -v` reads it). */
export function mountRequest(text: string): MountRequest {
  const i = text.lastIndexOf(":/");
  const dir = i > 0 ? text.slice(0, i) : text;
  const path = i > 0 ? text.slice(i + 1) : undefined;
  if (dir === "") throw new DrydockError("EFLAG", `invalid argument "${text}" for "--mount" flag: want DIR or DIR:PATH`);
  return { dir, path };
}

/** Where a mount lands: PATH, or /root/<basename of DIR>. */
export function mountTarget(m: MountRequest): string {
  if (m.path !== undefined) return m.path;
  const parts = m.dir.split("/").filter((p) => p !== "" && p !== ".");
  const base = parts[parts.length - 1];
  return base === undefined || base === ".." ? "/root/mnt" : `/root/${base}`;
}

/**
 * Debian's root prompt: `root@node1:~/app# ` (~ for /root); inside a container, the prompt its
 * shell shows (`/ # ` for alpine's ash, `root@3f2a1b4c5d6e:/# ` for Debian's bash; "" when it has no
 * terminal), as the playground gives it.
 */
export function promptText(p: { readonly host: string; readonly cwd: string; readonly text?: string | null }): string {
  if (p.text !== undefined && p.text !== null) return p.text;
  const cwd = p.cwd === "/root" ? "~" : p.cwd.startsWith("/root/") ? `~${p.cwd.slice(5)}` : p.cwd;
  return `root@${p.host}:${cwd}# `;
}

/** What a key does at a terminal attached to a container (Docker's default detach keys: Ctrl-P, Ctrl-Q). */
export type DetachKeyResult = "pass" | "hold" | "detach";

/**
 * Docker's detach sequence, read key by key (docker/cli hijack.go with moby/term's escape
 * proxy): Ctrl-P is held back; Ctrl-Q right after it detaches; any other key lets both through.
 */
export class DetachKeys {
  private held = false;

  feed(key: { readonly ctrl?: boolean; readonly name?: string } | undefined): DetachKeyResult {
    const ctrl = key?.ctrl === true;
    if (this.held && ctrl && key?.name === "q") {
      this.held = false;
      return "detach";
    }
    this.held = ctrl && key?.name === "p";
    return this.held ? "hold" : "pass";
  }

  reset(): void {
    this.held = false;
  }
}

export const CONTINUATION_PROMPT = "> ";

/**
 * Lines typed at a prompt, gathered into one command line: while the text so far needs more
 * (an open quote or heredoc, a trailing backslash, && or |), the terminal asks for more with
 * `> ` and joins the lines with newlines, as bash does.
 */
export class LineBuffer {
  private lines: string[] = [];

  /** Adds a typed line; returns the whole command line once it is complete, else null. */
  push(line: string): string | null {
    this.lines.push(line);
    const text = this.lines.join("\n");
    if (!isComplete(text)) return null;
    this.lines = [];
    return text;
  }

  /** Whatever was typed so far, complete or not (at end of input), and forgets it. */
  flush(): string | null {
    const text = this.lines.length > 0 ? this.lines.join("\n") : null;
    this.lines = [];
    return text;
  }

  get pending(): boolean {
    return this.lines.length > 0;
  }

  clear(): void {
    this.lines = [];
  }
}

/**
 * The terminal's input stream: lines typed (or pasted) while a line runs wait here, and are read
 * in order once the prompt is back, as bash reads its input — a heredoc's body, a quote's or a
 * `&&`'s continuation come from the next queued lines before any line typed later (QA #1).
 */
export class InputQueue {
  private readonly queue: string[] = [];
  private readonly buf = new LineBuffer();

  /** A line typed while the terminal is busy: read later, in order. */
  add(line: string): void {
    this.queue.push(line);
  }

  /** Lines waiting to be read. */
  get queued(): number {
    return this.queue.length;
  }

  /** Part of a command line has been read and it needs more (the terminal shows `> `). */
  get pending(): boolean {
    return this.buf.pending;
  }

  /**
   * Reads queued lines until they make a complete command line and returns it, with each line
   * read (for the terminal to show after its prompt, as readline shows type-ahead); `command`
   * is null when the queue ran out first (the part read so far waits for more).
   */
  next(read?: (line: string, continuation: boolean) => void): string | null {
    for (let line = this.queue.shift(); line !== undefined; line = this.queue.shift()) {
      read?.(line, this.buf.pending);
      const text = this.buf.push(line);
      if (text !== null) return text;
    }
    return null;
  }

  /** A line typed at the prompt, read at once (after whatever is queued). */
  type(line: string): string | null {
    this.queue.push(line);
    return this.next();
  }

  /** End of input: whatever was read, complete or not. */
  flush(): string | null {
    return this.buf.flush();
  }

  /**
   * Ctrl-C: the half-read command line is dropped, and so is the type-ahead (a terminal's
   * interrupt character flushes its input queue unless NOFLSH is set: termios(3)).
   */
  clear(): void {
    this.buf.clear();
    this.queue.length = 0;
  }
}

/**
 * Without a terminal (a pipe, a script) an editor typed in a line (nano, vi: playground
 * world/editor.ts) has no screen: it is answered with the file's own text, so nothing changes,
 * and the line fails as nano does on a pipe. Null when no editor waits on the host.
 */
export function declineEdit(pg: Playground, on: string): ExecResult | null {
  const edit = pg.reading(on)?.edit;
  if (edit === undefined) return null;
  pg.exec(edit.text, { on });
  return { exitCode: 1, stdout: "", stderr: `drydock: an editor needs a terminal (drydock shell at a terminal opens yours): ${edit.path} is unchanged\n` };
}

/**
 * `drydock crash HOST` and `drydock restart HOST` typed at the prompt on a line of their own: a
 * fault of the world (the kernel's crash and restart actions, logged as any fault is), as the
 * labs inject them, so a learner can fail a node at the terminal. Null for any other line.
 */
export function worldFault(pg: Playground, line: string): ExecResult | null {
  const m = /^\s*drydock\s+(crash|restart)(?:\s+(\S+))?\s*$/.exec(line);
  if (!m) return null;
  const [, what, host] = m as unknown as [string, "crash" | "restart", string | undefined];
  if (host === undefined) return { exitCode: 1, stdout: "", stderr: `drydock: usage: drydock ${what} HOST (hosts: ${pg.nodes.join(", ")})\n` };
  if (!pg.nodes.includes(host)) return { exitCode: 1, stdout: "", stderr: `drydock: no host ${host} in this world (hosts: ${pg.nodes.join(", ")})\n` };
  const up = pg.sim.net.up[host] === true;
  if (what === "crash") {
    if (!up) return { exitCode: 1, stdout: "", stderr: `drydock: ${host} is down already\n` };
    pg.crash(host);
    return { exitCode: 0, stdout: `${host} crashed: its engine, containers, swarm daemon and kubelet stopped; drydock restart ${host} starts it again\n`, stderr: "" };
  }
  if (up) return { exitCode: 1, stdout: "", stderr: `drydock: ${host} is up\n` };
  pg.restart(host);
  return { exitCode: 0, stdout: `${host} restarted: its engine is back (containers with a restart policy start again)\n`, stderr: "" };
}

/** What a finished line printed, less what was already streamed while it ran. */
export interface Finished extends ExecResult {
  /** The line ran `exit`: the terminal closes. */
  readonly exit: boolean;
  /**
   * What a terminal shows of it not yet streamed: stdout and stderr in the order written (a
   * terminal is one device for both), where `stdout`/`stderr` keep them apart for a pipe or file.
   */
  readonly display?: string;
}

/** Jobs that only wait on the clock (the playground's `sleep` job, world/commands.ts), and `wait`/`fg` for a background job. */
const WAIT_KINDS: ReadonlySet<string> = new Set(["sleep", "wait"]);

/** How much of each host's background output (HostState.jobOutput) the terminal has shown, per playground. */
const JOBS_SHOWN = new WeakMap<Playground, Map<string, number>>();

/**
 * What background jobs printed on a host's terminal (`ping host &`), and bash's notices of their
 * end (`[1]+  Done                    sleep 5`, before the next prompt), since the terminal last looked.
 */
export function jobNews(pg: Playground, on: string): string {
  if (!pg.nodes.includes(on)) return "";
  const text = pg.host(on).jobOutput ?? "";
  let seen = JOBS_SHOWN.get(pg);
  if (seen === undefined) JOBS_SHOWN.set(pg, (seen = new Map()));
  const from = seen.get(on) ?? 0;
  seen.set(on, text.length);
  return text.slice(from);
}

/**
 * One command line running at a host's prompt, stepped event by event so that a terminal can
 * stream its output, pace it against the wall clock and interrupt it. It stops on exactly the
 * event that ends the line, so the world it leaves is the one `pg.exec` would leave.
 */
export class RunningLine {
  /** How much of the line's terminal output has been handed out by take(). */
  private printed = 0;
  private early: ExecResult | null;

  constructor(private readonly pg: Playground, readonly on: string, readonly line: string) {
    // A line that answers a program's prompt (playground world/terminal-input.ts): the terminal
    // showed the prompt, and readline the answer unless it was a password, already.
    const asked = pg.reading(on);
    // An editor's answer (the file's new text) showed nothing: the editor had the screen.
    const shown = asked === null ? 0 : pg.output(on).length + (asked.edit ? 0 : (asked.echo ? line.length : 0) + 1);
    this.early = pg.begin(line, { on });
    this.printed = this.early === null ? shown : 0;
  }

  get done(): boolean {
    return this.early !== null || !this.pg.busy(this.on);
  }

  /** Virtual time now. */
  get now(): Micros {
    return this.pg.now;
  }

  /** Virtual time of the world's next event (Infinity when nothing is scheduled). */
  get nextEventTime(): Micros {
    return this.pg.sim.nextEventTime;
  }

  /** The line follows something live (a container's output, ping): a terminal paces it at the wall clock's speed. */
  get following(): boolean {
    return !this.done && this.pg.following(this.on);
  }

  /**
   * The line only waits on the clock (host `sleep`): a terminal lets it take the wall time it
   * says, as a real host does (QA #14). Builds and pulls are not waits: they stay sped up.
   */
  get waiting(): boolean {
    if (this.done) return false;
    const kind = this.pg.host(this.on).running?.job?.pending.kind;
    return kind !== undefined && WAIT_KINDS.has(kind);
  }

  /** Paced at the wall clock's own speed: following something live, or waiting (`sleep 10`, `docker stop`'s grace). */
  get realTime(): boolean {
    return this.following || this.waiting;
  }

  /** Processes events up to virtual time `until`, at most `maxEvents` of them; returns how many ran. */
  step(until: Micros, maxEvents = 10_000): number {
    let n = 0;
    while (!this.done && n < maxEvents && this.pg.sim.nextEventTime <= until) {
      if (!this.pg.sim.step()) break;
      n++;
    }
    return n;
  }

  /** Nothing left to happen but the line is still running: a stuck line; `finish` settles it. */
  get stuck(): boolean {
    return !this.done && !Number.isFinite(this.pg.sim.nextEventTime);
  }

  /** Terminal output shown since the last call (the playground's output only grows during a line). */
  take(): string {
    if (this.early !== null || this.done) return "";
    const text = this.pg.output(this.on);
    const out = text.slice(this.printed);
    this.printed = text.length;
    // Background jobs print on the same terminal meanwhile (bash: their output is not the line's).
    return out + jobNews(this.pg, this.on);
  }

  interrupt(): void {
    if (!this.done) this.pg.interrupt(this.on);
  }

  /**
   * Runs the line to its end (no pacing) and returns what it printed that was not streamed yet.
   * When nothing was streamed, stdout and stderr stay apart (a pipe or a file sees them so);
   * otherwise the rest of the terminal's text comes as stdout, in the order it was written.
   */
  finish(): Finished {
    const started = this.early === null;
    const r = this.early ?? this.pg.wait(this.on);
    this.early = r;
    const exit = started && this.pg.exited(this.on);
    // What background jobs printed, then the notices of those that ended, come after the line's own.
    const display = (started ? this.pg.output(this.on).slice(this.printed) : r.stdout + r.stderr) + jobNews(this.pg, this.on);
    if (!started || this.printed === 0) return { ...r, exit, display };
    return { exitCode: r.exitCode, stdout: display, stderr: "", exit, display };
  }
}

const HEADLESS = /^\s*drydock\s+(raft|swim)(\s|$)/;

/**
 * `drydock raft ...` or `drydock swim ...` typed at the prompt: a headless run beside the
 * world (it changes nothing in it), so the terminal runs it through runCli rather than the
 * host's shell. Only plain lines qualify (words, '...' and "..." quoting, no pipes,
 * redirections or expansions); anything else goes to the host's shell as typed. Returns the
 * argv after `drydock`, or null.
 */
export function headlessArgv(line: string): string[] | null {
  if (!HEADLESS.test(line) || /[|&;<>`$()\\\n]/.test(line.replace(/'[^']*'/g, "''"))) return null;
  const words: string[] = [];
  let rest = line.trim();
  while (rest !== "") {
    const m = /^(?:'[^']*'|"[^"]*"|[^\s'"]+)+/.exec(rest);
    if (!m) return null;
    words.push(m[0].replace(/'([^']*)'|"([^"]*)"/g, (_all, a: string | undefined, b: string | undefined) => a ?? b ?? ""));
    rest = rest.slice(m[0].length).trimStart();
  }
  return words.slice(1);
}

/**
 * `ssh HOST` at the prompt moves the terminal to another host of the world, as a learner on a
 * lab machine logs in to node2; `exit` there comes back (ssh's "logout" and "Connection to node2
 * closed."). The hosts share one network, so no keys or passwords are asked for.
 */
export class Logins {
  private readonly stack: string[];

  constructor(private readonly nodes: readonly string[]) {
    this.stack = [nodes[0]!];
  }

  get on(): string {
    return this.stack[this.stack.length - 1]!;
  }

  /** A plain `ssh HOST` line: the result to print, or null when the line is not one. */
  ssh(line: string): { readonly exitCode: number; readonly stdout: string; readonly stderr: string } | null {
    const m = /^\s*ssh\s+(?:[a-z_][a-z0-9_-]*@)?([A-Za-z0-9.-]+)\s*$/.exec(line);
    if (!m) return null;
    const host = m[1]!;
    if (!this.nodes.includes(host)) {
      return { exitCode: 255, stdout: "", stderr: `ssh: Could not resolve hostname ${host}: Name or service not known\n` };
    }
    this.stack.push(host);
    return { exitCode: 0, stdout: "", stderr: "" };
  }

  /**
   * `ssh [user@]HOST COMMAND...`: OpenSSH runs the command on that host and prints its output,
   * the terminal staying where it is (QA #16). Null when the line is not a plain one: a pipe,
   * `;`, `&&` or a redirection belongs to the local shell's line, which is then run as typed.
   */
  remote(line: string): RemoteCommand | null {
    if (/[|&;<>\n]/.test(line.replace(/'[^']*'|"(?:[^"\\$`]|\\.)*"/g, "''"))) return null;
    const m = /^\s*ssh\s+(?:-[tT]\s+)?(?:[a-z_][a-z0-9_-]*@)?([A-Za-z0-9.-]+)\s+(\S.*?)\s*$/.exec(line);
    if (!m) return null;
    const host = m[1]!;
    const words = m[2]!;
    if (!this.nodes.includes(host)) return { host, words, expand: false, error: `ssh: Could not resolve hostname ${host}: Name or service not known\n` };
    return { host, words, expand: /[$`'"\\*?[~]/.test(words) };
  }

  /** `exit` ran on the current host: true when that ends an ssh login (not the terminal). */
  logout(): string | null {
    if (this.stack.length === 1) return null;
    const host = this.stack.pop()!;
    return `logout\nConnection to ${host} closed.\n`;
  }
}

/** `ssh HOST COMMAND...` (Logins.remote): where, and the command's words as typed. */
export interface RemoteCommand {
  readonly host: string;
  readonly words: string;
  /** The words hold expansions or quotes: the local shell reads them first (`$(cat /tmp/t)` is read on this host). */
  readonly expand: boolean;
  /** ssh's own error (exit status 255). */
  readonly error?: string;
}

/**
 * The line the remote host runs for `ssh HOST COMMAND...`: ssh joins its arguments with spaces
 * after the local shell expanded them, and the remote login shell reads the result in the
 * user's home directory. It runs in a subshell there, so the terminal of that host keeps its own
 * directory and variables. Expansion runs `printf '%s '` on the local host (a line of its own);
 * when it fails, its result is returned instead.
 */
export function remoteLine(pg: Playground, on: string, r: RemoteCommand): { readonly line: string } | Finished {
  if (r.error !== undefined) return { exitCode: 255, stdout: "", stderr: r.error, exit: false, display: r.error };
  let words = r.words;
  if (r.expand) {
    const f = new RunningLine(pg, on, `printf '%s ' ${r.words}`).finish();
    if (f.exitCode !== 0) return { ...f, exit: false };
    words = f.stdout.replace(/ $/, "");
  }
  return { line: `(cd; ${words}\n)` };
}
