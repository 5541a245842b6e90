// A terminal inside a container: `docker run -it alpine sh`, `docker exec -it web bash`, `docker
// attach` to a shell. The host's line that attached waits (its docker command ends when the
// shell does); lines typed meanwhile run in the container's shell (container-shell.ts) with
// the container's files, hostname and processes; `exit` ends that shell (and the container when
// the shell is its PID 1; an exec session just ends) and the host's line goes on; Ctrl-P Ctrl-Q
// detaches and leaves the container running. Everything here is data in the world's state.
import type { Micros, SimContext } from "@drydock/kernel";
import { Daemon, interactiveSession, psqlLine, psqlPrompt, viewOf, type Container, type EngineState, type Plan, type PsqlInteractive } from "@drydock/engine";
import { runLine } from "../shell/index.js";
import { History, Suspend, type CommandOutcome, type CommandRequest, type FsAnswer, type OutputChunk, type ShellSession } from "../shell/host.js";
import type { AttachRequest, Pending } from "../docker/command.js";
import type { FsDir } from "../fs/index.js";
import {
  ContainerShellHost, flavorOf, withManagedFiles, withoutManagedFiles, type Flavor, type ShellPlace, type TimedRun,
} from "./container-shell.js";
import { CATALOGUE } from "./programs.js";
import { runtimeOf, setHost, settle } from "./ops.js";
import { Memo } from "./memo.js";
import { advanceLine, startJob } from "./model.js";
import { netWorld, type NetPlan } from "./traffic.js";
import { execShellOnNode } from "./kube-exec.js";
import type { Answer, HostState, Running, WorldMessage, WorldState } from "./state.js";

/** A terminal attached to a shell in a container. */
export interface Attachment {
  /** Full ID. */
  readonly container: string;
  /** The exec session, or null when the shell is the container's PID 1. */
  readonly exec: string | null;
  /** Which run of the container (its log's index): a restarted container's new shell is not this one. */
  readonly run: number;
  /** The shell's session: its cwd, variables, `$?`, history. */
  readonly session: ShellSession;
  readonly flavor: Flavor;
  /** `-t`: a prompt; without it the shell reads lines silently. */
  readonly tty: boolean;
  readonly command: AttachRequest["command"];
  /** The shell's PID in the container. */
  readonly shellPid: number;
  /** The host's line that attached, waiting for the shell's end. */
  readonly outer: Running;
  /** What the host's line had shown when it attached (not shown again when it goes on). */
  readonly outerShown: number;
  /**
   * The terminal is at psql's prompt (`docker exec -it db psql -U postgres`), not a shell's: each
   * statement typed, once `;` ends it, runs as that psql would run it (`psql -c`); `\q` leaves.
   */
  readonly psql?: { readonly session: PsqlInteractive; readonly superuser: boolean };
  /**
   * `kubectl exec -it`: the container runs on this other host (the pod's node), whose engine and
   * files the shell's lines use; the terminal stays on the host that typed kubectl.
   */
  readonly node?: string;
  /** The container's hostname, for the prompt where the terminal's host cannot see the container. */
  readonly hostname?: string;
}

/** `kubectl exec -it POD -- sh`: a shell started on the pod's node when the terminal attaches (kube-exec.ts). */
export interface RemoteAttachRequest extends AttachRequest {
  readonly remote: { readonly node: string; readonly argv: readonly string[] };
}

const remoteOf = (r: AttachRequest) => (r as Partial<RemoteAttachRequest>).remote;

/** The host whose engine runs an attachment's container: the pod's node for kubectl exec, else the terminal's. */
function holderOf(s: WorldState, h: HostState, a: Attachment): HostState | undefined {
  return a.node === undefined || a.node === h.name ? h : s.hosts.get(a.node);
}

/** The world with the terminal's host (`h`, its running line and attachment) and the container's host (`n`, its engine and files) updated. */
function putBoth(s: WorldState, h: HostState, n: HostState, d: Daemon, terminal: Partial<HostState>): WorldState {
  if (n.name === h.name) return setHost(s, { ...h, engine: d.engine, fs: d.hostFs, ...terminal });
  return setHost(setHost(s, { ...n, engine: d.engine, fs: d.hostFs }), { ...h, ...terminal });
}

const tilde = (cwd: string, home: string) => (home !== "/" && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd);

/**
 * The prompt an attached shell shows: BusyBox ash's `\w # ` ("/ # "), dash's "# ", bash's
 * Debian `\u@\h:\w\$ ` ("root@3f2a1b4c5d6e:/# ") and RHEL `[\u@\h \W]\$ ` ("[root@3f2a1b4c5d6e /]# ").
 */
export function promptOf(a: Attachment, hostname: string): string {
  if (!a.tty) return "";
  if (a.psql) return psqlPrompt(a.psql.session, a.psql.superuser);
  const cwd = a.session.cwd;
  const home = a.session.vars["HOME"] ?? "/root";
  const user = a.session.vars["USER"] ?? "root";
  const sign = user === "root" ? "#" : "$";
  if (a.flavor.shell === "ash") return `${tilde(cwd, home)} ${sign} `;
  if (a.flavor.shell === "dash") return `${sign} `;
  if (["centos", "rhel", "fedora", "rocky", "almalinux", "ol", "amzn"].includes(a.flavor.os)) {
    const w = cwd === home ? "~" : cwd === "/" ? "/" : cwd.slice(cwd.lastIndexOf("/") + 1);
    return `[${user}@${hostname} ${w}]${sign} `;
  }
  return `${user}@${hostname}:${tilde(cwd, home)}${sign} `;
}

/** The attached shell's session: the process's environment, every variable exported, its working directory. */
function shellSession(c: Container, exec: { env: readonly string[]; cwd: string } | null): ShellSession {
  const env = exec?.env ?? c.run?.spec.env ?? c.config.env;
  const vars: Record<string, string> = {};
  for (const e of env) {
    const eq = e.indexOf("=");
    if (eq > 0) vars[e.slice(0, eq)] = e.slice(eq + 1);
  }
  vars["HOME"] ??= "/root";
  vars["PWD"] = exec?.cwd || c.config.workingDir || "/";
  return { cwd: vars["PWD"]!, vars, exported: Object.keys(vars), status: 0, history: History.EMPTY };
}

function daemonFor(h: HostState, ctx: SimContext<WorldMessage>): Daemon {
  const rt = runtimeOf(h.name, ctx);
  return new Daemon(h.engine, h.fs, { now: ctx.now, random: rt.random, names: rt.names, programs: CATALOGUE, hostName: h.name });
}

/** The host's line suspended on an attach: the terminal moves into the container. */
export function startAttachment(s0: WorldState, name: string, pending: Pending, ctx: SimContext<WorldMessage>): WorldState {
  let s = s0;
  let req = pending.attach!;
  const remote = remoteOf(req);
  if (remote) {
    // kubectl exec -it: the kubelet's runtime starts the shell on the pod's node (docker exec -it there).
    const started = execShellOnNode(s, remote.node, remote.argv, req.tty, ctx);
    const h0 = s.hosts.get(name)!;
    if (!started) return resumeOuter(s, h0, h0.running!, { status: 1, stdout: "", stderr: "error: unable to upgrade connection: container not found\n" }, ctx);
    s = settle(setHost(s, { ...s.hosts.get(remote.node)!, engine: started.engine }), remote.node, ctx);
    req = { ...req, exec: started.exec };
  }
  const h = s.hosts.get(name)!;
  const outer = h.running!;
  const holder = remote ? s.hosts.get(remote.node)! : h;
  const c = holder.engine.containers.get(req.container);
  const initial = req.initial.map((x) => x.text).join("");
  if (!c || !c.run) {
    // The shell ended before the terminal got there: the command ends at once.
    const chunks = [...req.initial];
    const out = chunks.filter((x) => x.fd === 1).map((x) => x.text).join("");
    const err = chunks.filter((x) => x.fd === 2).map((x) => x.text).join("");
    return resumeOuter(s, h, outer, { status: c?.state.exitCode ?? 0, stdout: out, stderr: err, chunks }, ctx);
  }
  const exec = req.exec !== null ? c.execs.find((e) => e.id === req.exec) : undefined;
  const spec = exec ? exec.spec : c.run.spec;
  const view = viewOf(c, { engine: holder.engine, hostFs: holder.fs, tmpfs: c.run.tmpfs }, ctx.now);
  const shellPath = spec.argv[0]?.includes("/") ? spec.argv[0] : `/bin/${spec.argv[0] ?? "sh"}`;
  const attachment: Attachment = {
    container: c.id, exec: req.exec, run: c.logs.length - 1, session: shellSession(c, exec ? { env: exec.spec.env, cwd: exec.spec.cwd } : null),
    flavor: flavorOf(view, shellPath), tty: req.tty, command: req.command, shellPid: exec ? exec.nsPid : 1, outer: { ...outer, job: null },
    outerShown: outer.shownBefore.length, ...(remote ? { node: remote.node, hostname: c.config.hostname } : {}),
  };
  // psql at a terminal: its banner, then its prompt (engine programs/psql.ts).
  const exe = spec.argv[0] ?? "";
  const pg = exe === "psql" || exe.endsWith("/psql") ? psqlAttachment(spec.argv, spec.env) : null;
  if (pg !== null) (attachment as { psql?: Attachment["psql"] }).psql = pg.psql;
  ctx.record(name, { event: "attach", container: c.id, exec: req.exec });
  const display = outer.shownBefore + initial + (pg?.banner ?? "");
  const session = { ...h.shell };
  let s1 = setHost(s, {
    ...h, running: null, attachment,
    last: { session, stdout: display, stderr: "", status: 0, exit: false, seq: outer.seq, line: outer.line, display },
  });
  if (req.exec === null && req.tty) {
    // A terminal's output is the container's log: the first prompt is in it.
    const hh = s1.hosts.get(name)!;
    const d = daemonFor(hh, ctx);
    d.logTerminal(c.id, promptOf(attachment, c.config.hostname));
    s1 = setHost(s1, { ...hh, engine: d.engine });
  }
  return s1;
}

/** psql's session at the terminal and the banner it printed (psql/startup.c), or null when it runs commands. */
function psqlAttachment(argv: readonly string[], envList: readonly string[]): { psql: NonNullable<Attachment["psql"]>; banner: string } | null {
  const env = new Map<string, string>();
  for (const e of envList) {
    const eq = e.indexOf("=");
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const session = interactiveSession(argv, env, "root");
  if (session === null) return null;
  const version = (env.get("PG_VERSION") ?? "16.4").split("-")[0]!;
  const superuser = session.user === (env.get("POSTGRES_USER") ?? "postgres");
  return { psql: { session, superuser }, banner: `psql (${version})\nType "help" for help.\n\n` };
}

const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The attaching command's outcome when its shell ends: kubectl exec reports a non-zero status (exec.go "command terminated with exit code N"). */
function shellEnded(a: Attachment, status: number): CommandOutcome {
  return { status, stdout: "", stderr: a.node !== undefined && status !== 0 ? `command terminated with exit code ${status}\n` : "" };
}

/** The host's line goes on after its attached shell ended (or detached), with the docker command's outcome. */
function resumeOuter(s: WorldState, h: HostState, outer: Running, outcome: CommandOutcome, ctx: SimContext<WorldMessage>, prefix = ""): WorldState {
  const resumed: HostState = {
    ...h, attachment: null, running: { ...outer, memo: [...outer.memo, outcome], job: null, displayFrom: outer.shownBefore.length, displayPrefix: prefix },
  };
  return advanceLine(s, resumed, ctx);
}

/** What the terminal says when it detaches with Ctrl-P Ctrl-Q (docker attach reports the escape as an error). */
export function detachNotice(a: Attachment): string {
  return a.command === "attach" ? "read escape sequence\n" : "";
}

/**
 * Can Ctrl-P Ctrl-Q detach the host's terminal now: at the prompt of a shell in a container, or
 * while a foreground run, `start -a` or `attach` follows a container whose terminal (`-t`) gets
 * the keys (stdin attached); docker/cli reads the detach keys only then (hijack.go setupInput).
 */
export function canDetach(h: HostState): boolean {
  // kubectl exec has no detach keys (they reach the shell): only docker's terminals detach.
  if (h.attachment !== null) return h.running === null && h.attachment.node === undefined;
  const spec = h.running?.job?.pending.follow?.spec;
  return spec?.kind === "attach" && spec.tty && spec.stdin;
}

/** Ctrl-P Ctrl-Q: the terminal leaves the container running and the host's line goes on. */
export function detach(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState {
  const a = h.attachment!;
  ctx.record(h.name, { event: "detach", container: a.container });
  const notice = detachNotice(a);
  const outcome: CommandOutcome = a.command === "attach" ? { status: 1, stdout: "", stderr: notice } : { status: 0, stdout: "", stderr: "" };
  return resumeOuter(s, { ...h, running: null }, a.outer, outcome, ctx);
}

/** After the engine moved on: a shell that ended without `exit` (its container stopped, its exec was killed) gives the terminal back. */
export function endAttachment(s: WorldState, name: string, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(name);
  const a = h?.attachment;
  if (!h || !a) return s;
  const n = holderOf(s, h, a);
  const c = n && ctx.isUp(n.name) ? n.engine.containers.get(a.container) : undefined;
  const run = c?.logs[a.run];
  let status: number | null = null;
  if (!c || !run || run.endedAt !== null) status = c ? c.state.exitCode : 0;
  else if (a.exec !== null) {
    const e = c.execs.find((x) => x.id === a.exec);
    if (!e || !e.running) status = e?.exitCode ?? 137;
  }
  if (status === null) return s;
  ctx.record(name, { event: "attach.ended", container: a.container, status });
  return resumeOuter(s, { ...h, running: null }, a.outer, shellEnded(a, status), ctx);
}

/** The memoised live shell of an attached terminal (as the host's WorldShellHost, over the container's files). */
class LiveShell extends ContainerShellHost {
  protected override readonly atTerminal = true;
  private readonly log: Memo;
  suspended: Pending | null = null;
  streams = false;

  constructor(fs: FsDir, place: ShellPlace, now: Micros, memo: Answer[], private readonly d: Daemon, private readonly att: Attachment) {
    super(fs, place, now);
    this.log = new Memo(memo);
  }

  private answer<T extends Answer>(make: () => T): T {
    return this.log.answer(make);
  }

  override run(req: CommandRequest): CommandOutcome {
    return this.log.answer(() => super.run(req));
  }

  override readFile(path: string): FsAnswer<string> {
    return this.answer(() => super.readFile(path));
  }

  override writeFile(path: string, text: string, append: boolean): FsAnswer<null> {
    return this.answer(() => super.writeFile(path, text, append));
  }

  override readdir(path: string): FsAnswer<readonly string[]> {
    return this.answer(() => super.readdir(path));
  }

  override kind(path: string): "file" | "dir" | null {
    return this.answer(() => super.kind(path));
  }

  override commandPath(name: string): string | null {
    return this.answer(() => super.commandPath(name));
  }

  protected timed(req: CommandRequest, run: TimedRun, fs: FsDir): CommandOutcome {
    // The files change when the program starts (nobody at this terminal can look before it ends).
    this.fs = fs;
    const text = (stream: "stdout" | "stderr") => run.lines.filter((l) => l.stream === stream).map((l) => l.text).join("");
    const outcome: CommandOutcome = { status: run.status, stdout: text("stdout"), stderr: text("stderr") };
    if (run.durationUs <= 0) return outcome;
    const steps = run.lines.map((l) => ({ atUs: l.at, event: "container.output", detail: {}, stdout: l.text }));
    steps.push({ atUs: run.durationUs, event: "container.done", detail: {}, stdout: "" });
    this.suspended = { kind: "container.program", durationUs: run.durationUs, steps, outcome };
    this.streams = req.tty?.stdout === true && req.tty.stderr === true;
    throw new Suspend();
  }

  protected override get live(): boolean {
    return true;
  }

  /** A network tool at the terminal: its requests go through the kernel in virtual time (traffic.ts). */
  protected override traffic(req: CommandRequest, plan: NetPlan): CommandOutcome {
    this.suspended = { kind: "net", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, traffic: plan };
    this.streams = req.tty?.stdout === true && req.tty.stderr === true;
    throw new Suspend();
  }

  protected program(req: CommandRequest, plan: Plan, _execed: boolean): CommandOutcome {
    // A child of the shell: in the container's process table (ps, docker top), signalled by Ctrl-C through the terminal.
    const spec = { argv: req.argv, env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`), cwd: req.cwd, user: "", tty: this.att.tty, interactive: false };
    const rec = this.d.execStart(this.att.container, spec, plan, false, { child: true });
    this.suspended = {
      kind: "container.program", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" },
      follow: { spec: { kind: "exec", container: this.att.container, exec: rec.id, tty: this.att.tty }, initial: [], cursor: this.now - 1 },
    };
    this.streams = req.tty?.stdout === true && req.tty.stderr === true;
    throw new Suspend();
  }
}

/** Runs (or resumes) the line typed at an attached terminal, in the container's shell. */
export function attachedLine(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState {
  const a = h.attachment!;
  const run = h.running!;
  const n = holderOf(s, h, a);
  const c = n && ctx.isUp(n.name) ? n.engine.containers.get(a.container) : undefined;
  if (!n || !c || !c.run) return endAttachment(setHost(s, { ...h, running: null }), h.name, ctx);
  const d = daemonFor(n, ctx);
  const plain = viewOf(c, { engine: n.engine, hostFs: n.fs, tmpfs: c.run.tmpfs }, ctx.now);
  const grafted = withManagedFiles(plain, c, ctx.now);
  const place: ShellPlace = {
    flavor: a.flavor, hostname: c.config.hostname, containerId: c.id, containerName: c.name, image: c.config.image, ip: c.run.ip,
    memoryLimit: c.hostConfig.resources.memory, container: c, engine: n.engine,
    readOnly: [...c.mounts.filter((m) => m.readOnly).map((m) => m.target), ...(c.hostConfig.readonlyRootfs ? ["/"] : [])],
    writable: c.mounts.filter((m) => !m.readOnly).map((m) => m.target), shellPid: a.shellPid, net: { world: netWorld(s, undefined, undefined, n.name), host: n.name },
  };
  // At psql's prompt: a statement ended by `;` (or a meta-command) runs as psql runs it; `\q` ends psql.
  let line = run.line;
  let psqlNext = a.psql?.session;
  if (a.psql) {
    const step = psqlLine(a.psql.session, run.line);
    psqlNext = step.next;
    if (step.quit) line = "exit 0";
    else if (step.run === null) {
      const last = { session: a.session, stdout: "", stderr: "", status: 0, exit: false, seq: run.seq, line: run.line, display: "" };
      return settle(setHost(s, { ...h, running: null, attachment: { ...a, psql: { ...a.psql, session: step.next } }, last }), h.name, ctx);
    } else line = `psql -U ${quoted(a.psql.session.user)} -d ${quoted(a.psql.session.db)} -c ${quoted(step.run)}`;
  }
  const memo = [...run.memo];
  const host = new LiveShell(grafted, place, ctx.now, memo, d, a);
  let shown = "";
  const terminal = { write: (text: string) => { shown += text; } };
  const writeBack = (): void => {
    const after = withoutManagedFiles(host.fs, grafted, plain, ctx.now);
    if (after !== plain) d.applyView(c.id, plain, after);
  };
  let result;
  try {
    result = runLine(line, run.session, host, terminal);
  } catch (e) {
    if (!(e instanceof Suspend) || !host.suspended) throw e;
    writeBack();
    const s1 = putBoth(s, h, n, d, { running: { ...run, memo, shownBefore: shown, job: null } });
    return startJob(n.name === h.name ? s1 : settle(s1, n.name, ctx), h.name, host.suspended, host.streams, ctx);
  }
  writeBack();
  ctx.record(h.name, { event: "line.done", status: result.status, container: c.id });
  if (a.exec === null && a.tty && !result.exit) {
    // The terminal's output is the container's log (json-file keeps what a tty showed).
    d.logTerminal(c.id, `${run.line}\n${shown}${promptOf({ ...a, session: result.session }, c.config.hostname)}`);
  } else if (a.exec === null && a.tty) d.logTerminal(c.id, `${run.line}\n${shown}`);
  const last = { ...result, seq: run.seq, line: run.line, display: shown };
  const kept = a.psql && psqlNext ? { ...a, session: result.session, psql: { ...a.psql, session: psqlNext } } : { ...a, session: result.session };
  const atTerminal = { running: null, attachment: kept, last };
  const settleBoth = (x: WorldState) => settle(n.name === h.name ? x : settle(x, n.name, ctx), h.name, ctx);
  if (!result.exit) return settleBoth(putBoth(s, h, n, d, atTerminal));
  // `exit`: the shell ends; as PID 1 it takes the container with it.
  const d2 = daemonFor({ ...n, engine: d.engine, fs: d.hostFs }, ctx);
  if (a.exec === null) d2.endMain(c.id, result.status);
  else d2.execEnd(c.id, a.exec, result.status);
  ctx.record(h.name, { event: "attach.exit", container: c.id, status: result.status });
  const s1 = settleBoth(putBoth(s, h, n, d2, atTerminal));
  const hh = s1.hosts.get(h.name)!;
  return resumeOuter(s1, hh, a.outer, shellEnded(a, result.status), ctx, shown);
}

/** The prompt a host's terminal shows now: the container shell's when attached, else null (the host's own). */
export function attachedPrompt(engine: EngineState, a: Attachment | null): string | null {
  if (a === null) return null;
  const c = engine.containers.get(a.container);
  return promptOf(a, c?.config.hostname ?? a.hostname ?? a.container.slice(0, 12));
}

export type { OutputChunk };
