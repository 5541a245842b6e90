import {
  DrydockError, canonicalHash, createSimulation, parseDuration, isDrydockError,
  type Duration, type LoggedAction, type Micros, type NetState, type Session, type Simulation, type TraceRecord,
} from "@drydock/kernel";
import { normalizePath, readFile as fsReadFile } from "./fs/index.js";
import { describeWorld, worldModel } from "./world/model.js";
import type { HostState, WorldAction, WorldMessage, WorldState } from "./world/state.js";
import { attachedPrompt, canDetach } from "./world/attach.js";
import type { KubernetesOptions } from "./world/kube.js";

export interface PlaygroundOptions {
  readonly seed?: string | number;
  /** Host names (default ["node1"]). */
  readonly nodes?: readonly string[];
  /** Virtual time between history snapshots (default 1s). */
  readonly snapshotEvery?: Duration;
  /**
   * Kubernetes on the hosts (world/kube.ts): `{ nodes: ["control-plane", "node-1", "node-2"] }`; the
   * first runs the control plane. The world's hosts are these nodes when `nodes` is not given.
   */
  readonly kubernetes?: KubernetesOptions;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * The line is not done: a program in it waits for a line from the terminal (a `[y/N]` prompt,
   * `docker login`'s `Password: `). `exitCode` is -1 and `stdout` what the terminal shows so far;
   * the next `exec` on the host answers it (world/terminal-input.ts).
   */
  readonly reading?: { readonly prompt: string; readonly echo: boolean; readonly edit?: { readonly path: string; readonly text: string } };
}

/**
 * Snapshots a playground keeps (the kernel's default is 256). A seek replays from the snapshot
 * before its target, and a world's event is costly (a line, a build), so a course-long session
 * (an hour of virtual time) keeps one every 4 s rather than every 16 s: a jump replays seconds.
 * A snapshot holds references to the immutable world, so a thousand of them cost little.
 */
const HISTORY_MAX = 1024;

/** A session as a file or a link holds it: the world's configuration, seed and action log. */
export interface PlaygroundSession extends Session<WorldAction> {
  readonly nodes: readonly string[];
  readonly kubernetes?: KubernetesOptions;
}

/** Most events due at the current instant run before a line starts (a bound against a loop of same-time timers). */
const DUE_EVENTS_MAX = 10_000;

/** Most virtual time one exec may take before it is declared stuck (a line that never ends). */
const EXEC_LIMIT_US = parseDuration("24h");

/** Kubernetes jobs that poll until interrupted (logs -f, port-forward, get -w): the app runs them at the wall clock's pace. */
const FOLLOWING_KINDS: readonly string[] = ["kubectl.logs", "kubectl.port-forward", "kubectl.watch"];

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The world of hosts and the one way into it that the terminal, the app, labs and tests share.
 * Every change is an action in the kernel's log, so `(seed, actions)` replays the whole session.
 */
export class Playground {
  readonly sim: Simulation<WorldState, WorldMessage, WorldAction>;
  readonly nodes: readonly string[];
  readonly kubernetes: KubernetesOptions | undefined;

  constructor(options: PlaygroundOptions = {}) {
    const nodes = options.nodes ?? options.kubernetes?.nodes ?? ["node1"];
    if (nodes.length === 0) throw new DrydockError("ENODE", "a playground needs at least one host");
    for (const n of nodes) {
      if (typeof n !== "string" || !HOST_NAME.test(n)) {
        throw new DrydockError("ENODE", `invalid host name ${JSON.stringify(n)}: use lowercase letters, digits and '-' (as a hostname)`);
      }
    }
    this.nodes = [...nodes];
    if (options.kubernetes) {
      const missing = options.kubernetes.nodes.filter((n) => !this.nodes.includes(n));
      if (options.kubernetes.nodes.length === 0 || missing.length > 0) throw new DrydockError("ENODE", `kubernetes nodes must be hosts of the world: ${missing.join(", ") || "none given"}`);
      const cps = options.kubernetes.controlPlanes;
      if (cps !== undefined && !(Number.isInteger(cps) && cps >= 1 && cps <= options.kubernetes.nodes.length)) {
        throw new DrydockError("ENODE", `kubernetes control planes must be 1…${options.kubernetes.nodes.length} (the first nodes): got ${cps}`);
      }
    }
    this.kubernetes = options.kubernetes;
    this.sim = createSimulation({
      seed: options.seed ?? 1, nodes: this.nodes, model: worldModel({ hosts: this.nodes, ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}) }),
      ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
      historyMax: HISTORY_MAX,
    });
  }

  /** The current world: an immutable snapshot. */
  get world(): WorldState {
    return this.sim.state;
  }

  get now(): Micros {
    return this.sim.now;
  }

  get trace(): readonly TraceRecord[] {
    return this.sim.trace;
  }

  get net(): NetState {
    return this.sim.net;
  }

  host(name?: string): HostState {
    const h = this.world.hosts.get(name ?? this.nodes[0]!);
    if (!h) throw new DrydockError("ENOHOST", `no host "${name}" (hosts: ${this.nodes.join(", ")})`);
    return h;
  }

  /**
   * Types one line at a host's prompt and waits for it, advancing virtual time by what it
   * takes. Never throws for what a user types: every error is an exit code and a message.
   */
  exec(line: string, opts: { on?: string } = {}): ExecResult {
    const r = this.begin(line, opts);
    if (r) return r;
    return this.wait(opts.on);
  }

  /**
   * Starts a line without waiting for it (a terminal streams its output, `interrupt` can stop
   * it). Returns a result at once when the line cannot start (an unknown or crashed host).
   */
  begin(line: string, opts: { on?: string } = {}): ExecResult | null {
    const on = opts.on ?? this.nodes[0]!;
    // What is due now happens before the next line is typed (a container that exits at once, as
    // `docker run -d alpine` does, has exited by then: on a real host milliseconds pass).
    for (let n = 0; n < DUE_EVENTS_MAX && this.sim.nextEventTime <= this.sim.now; n++) this.sim.step();
    try {
      this.sim.act({ type: "exec", host: on, line });
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      return { exitCode: 255, stdout: "", stderr: `drydock: ${e.message}\n` };
    }
    return null;
  }

  /**
   * Does a program of the host's line wait for a line from the terminal? Its prompt, and whether
   * what is typed is echoed (not for a password); the next `exec` (or `begin`) on the host is its answer.
   */
  reading(on?: string): { prompt: string; echo: boolean; edit?: { path: string; text: string } } | null {
    // An unknown host reads nothing (begin reports it).
    const input = this.world.hosts.get(on ?? this.nodes[0]!)?.running?.job?.pending.input;
    if (!input) return null;
    return input.edit ? { prompt: input.prompt, echo: input.echo, edit: { ...input.edit } } : { prompt: input.prompt, echo: input.echo };
  }

  /** Is a line still running on the host? */
  busy(on?: string): boolean {
    return this.host(on).running !== null;
  }

  /**
   * What the host's terminal shows of the current line so far (stdout and stderr as written,
   * build steps and pull progress as they finish); once the line is done, all it printed. A
   * terminal prints what is new since it last looked: the text only ever grows during a line.
   */
  output(on?: string): string {
    const h = this.host(on);
    if (h.running) return (h.running.displayPrefix ?? "") + (h.running.shownBefore + (h.running.job?.shown ?? "")).slice(h.running.displayFrom ?? 0);
    return h.last?.display ?? "";
  }

  /**
   * Is the host's line following something live (a container's output, `logs -f`, ping's
   * replies)? A terminal shows that at the wall clock's pace, as a real one would.
   */
  following(on?: string): boolean {
    const job = this.host(on).running?.job;
    return job != null && (job.follow !== null || job.traffic !== undefined || FOLLOWING_KINDS.includes(job.pending.kind));
  }

  /** Did the last line run `exit`? (a terminal closes) */
  exited(on?: string): boolean {
    return this.host(on).last?.exit === true;
  }

  /** Runs the world until the host's line is done and returns what it printed. */
  wait(on?: string): ExecResult {
    const name = on ?? this.nodes[0]!;
    const until = this.sim.now + EXEC_LIMIT_US;
    while (this.busy(name)) {
      const reading = this.reading(name);
      if (reading !== null) return { exitCode: -1, stdout: this.output(name), stderr: "", reading };
      if (this.sim.nextEventTime > until || !this.sim.step()) {
        this.interrupt(name);
        return { exitCode: 124, stdout: "", stderr: "drydock: the command did not finish within 24h of virtual time; interrupted\n" };
      }
    }
    const last = this.host(name).last;
    if (!last) return { exitCode: 255, stdout: "", stderr: `drydock: ${name} went down while running the line\n` };
    return { exitCode: last.status, stdout: last.stdout, stderr: last.stderr };
  }

  /** Ctrl-C: stops the running line (a logged action); nothing it had not finished is applied. */
  interrupt(on?: string): void {
    const name = on ?? this.nodes[0]!;
    if (this.busy(name)) this.sim.act({ type: "interrupt", host: name });
  }

  /** Runs the world for a while (timers, jobs in progress). */
  advance(duration: Duration): void {
    this.sim.runFor(duration);
  }

  crash(host: string): void {
    this.sim.act({ type: "crash", node: host });
  }

  restart(host: string): void {
    this.sim.act({ type: "restart", node: host });
  }

  partition(groups: readonly (readonly string[])[]): void {
    this.sim.act({ type: "partition", groups });
  }

  heal(): void {
    this.sim.act({ type: "heal" });
  }

  /** Writes a file on a host, making missing parent directories. */
  writeFile(host: string, path: string, text: string): void {
    this.sim.act({ type: "writeFile", host, path: normalizePath("/", path), text });
  }

  /** Copies files (relative path → text) into a directory of a host (drydock shell --mount). */
  mount(host: string, dir: string, files: Readonly<Record<string, string>>): void {
    this.sim.act({ type: "mount", host, dir, files });
  }

  /** A file's text, or undefined when there is no such file. */
  readFile(host: string, path: string): string | undefined {
    const r = fsReadFile(this.host(host).fs, normalizePath("/", path));
    return r.ok ? r.value : undefined;
  }

  /**
   * What a prompt shows: the host's name, working directory and last status, and `text`, the
   * prompt itself when the terminal is inside a container (`/ # ` for alpine's ash,
   * `root@3f2a1b4c5d6e:/# ` for Debian's bash, `[root@3f2a1b4c5d6e /]# ` for CentOS's; "" for a
   * shell without a terminal), or null at the host's own prompt. `container` is the attached
   * container's ID.
   */
  prompt(on?: string): { host: string; cwd: string; status: number; text: string | null; container: string | null } {
    const h = this.host(on);
    const a = h.attachment;
    if (a !== null) return { host: h.name, cwd: a.session.cwd, status: a.session.status, text: attachedPrompt(h.engine, a), container: a.container };
    return { host: h.name, cwd: h.shell.cwd, status: h.shell.status, text: null, container: null };
  }

  /** Can Ctrl-P Ctrl-Q detach the host's terminal now? (see `detach`) */
  canDetach(on?: string): boolean {
    return canDetach(this.host(on));
  }

  /** Is the host's terminal inside a container's shell? (its ID, or null) */
  attached(on?: string): string | null {
    return this.host(on).attachment?.container ?? null;
  }

  /**
   * Ctrl-P Ctrl-Q at a terminal inside a container (a shell's prompt, or a run or attach with
   * `-it` following its container): it detaches and the container goes on (a logged action).
   */
  detach(on?: string): void {
    const name = on ?? this.nodes[0]!;
    const h = this.host(name);
    if (canDetach(h)) this.sim.act({ type: "detachTerminal", host: name });
  }

  traceHash(): string {
    return this.sim.traceHash();
  }

  /** sha256 of the world's disks and registries (not terminals): a failed command leaves it as it was. */
  worldHash(): string {
    return canonicalHash(describeWorld(this.world));
  }

  /** The world as it was at virtual time t (what a fresh run has then). */
  seek(t: Duration): void {
    this.sim.seek(t);
  }

  get actions(): readonly LoggedAction<WorldAction>[] {
    return this.sim.actionLog as readonly LoggedAction<WorldAction>[];
  }

  session(): PlaygroundSession {
    return { ...this.sim.session(), nodes: this.nodes, ...(this.kubernetes ? { kubernetes: this.kubernetes } : {}) };
  }

  exportSession(): string {
    return JSON.stringify(this.session());
  }

  /** A playground that replays a session up to `until` (default: where the session's last action was). */
  static fromSession(input: string | PlaygroundSession, until?: Duration): Playground {
    let s: PlaygroundSession;
    try {
      s = typeof input === "string" ? (JSON.parse(input) as PlaygroundSession) : input;
    } catch (e) {
      throw new DrydockError("ESESSION", `not a drydock session: ${(e as Error).message}`);
    }
    if (s === null || typeof s !== "object" || s.version !== 1 || !Array.isArray(s.actions) || !Array.isArray(s.nodes)) {
      throw new DrydockError("ESESSION", "not a drydock session (want { version: 1, seed, nodes, actions })");
    }
    const pg = new Playground({ seed: s.seed, nodes: s.nodes, ...(s.kubernetes ? { kubernetes: s.kubernetes } : {}) });
    pg.sim.loadActions(s.actions);
    const end = until !== undefined ? parseDuration(until) : Math.max(0, ...s.actions.map((a) => a.at));
    pg.sim.runUntil(end);
    // Let the lines the session started finish, as they did when it was recorded.
    for (const n of pg.nodes) if (pg.busy(n) && until === undefined) pg.wait(n);
    return pg;
  }
}

export function createPlayground(options: PlaygroundOptions = {}): Playground {
  return new Playground(options);
}
