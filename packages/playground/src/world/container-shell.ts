// A shell inside a container: the playground's interpreter over the container's files (its root
// with each mount grafted in, and the files Docker manages per container: /etc/hostname,
// /etc/hosts, /etc/resolv.conf), the coreutils over them, `ps` over the container's PID
// namespace, package managers and download tools through the image package's RUN interpreter,
// and the engine's programs (ping, nginx, …) as processes. Two ways to run it share one host:
// - a batch run computes a whole script at once as a timed plan (PID 1's `sh -c`, `docker exec
//   web sh -c …`): sleeps move a clock, output lines carry their times, file changes become
//   timed writes (world/programs.ts);
// - a live run serves an attached terminal (`docker run -it alpine sh`): a program that takes
//   time suspends the line, as at the host's prompt (world/attach.ts).
import type { Micros } from "@drydock/kernel";
import {
  CONTAINER_DEFAULT_PATH, PROGRAMS, baseName, createCatalogue, diffTrees, follow, graft, lookPath, nodeAt, planLines, withManagedFiles as withEtcFiles,
  withoutManagedFiles, type Container, type EngineState,
  type Plan, type PlanLine, type StartContext, type TimedWrite,
} from "@drydock/engine";
import { ImageStore, RUN_TOOL_NAMES, UnionFS, createLayer, dirEntry, runExecForm, symlinkEntry, textFile, type FsEntry, type Layer } from "@drydock/image";
import { kindOf, readFile, readdir, writeFile, type FsDir, type FsNode } from "../fs/index.js";
import { COREUTILS, parseSleepSeconds } from "../shell/coreutils.js";
import { allProcesses, internetAddress, isWellKnownSite, lookupName, type NetWorld } from "@drydock/engine";
import { NET_TOOLS, batchRun, netTool } from "./net-tools.js";
import type { NetPlan } from "./traffic.js";
import type { CommandOutcome, CommandRequest, FsAnswer, ShellHost } from "../shell/host.js";

export type ShellKind = "ash" | "dash" | "bash";

/** Which shell this is and on which distribution: the words of its errors and its prompt depend on it. */
export interface Flavor {
  readonly shell: ShellKind;
  /** /etc/os-release's ID ("alpine", "ubuntu", "debian", "centos"), "busybox", or "". */
  readonly os: string;
  /** The utilities are BusyBox's applets (alpine, busybox): `ps` prints BusyBox's columns. */
  readonly busybox: boolean;
  /**
   * The name the shell was started as ($0) when a script runs with `-c`: ash and dash put it before
   * their errors (`/bin/sh -c foo` says "/bin/sh: foo: not found", as a RUN step's log shows). "sh" when unset.
   */
  readonly name?: string;
}

export function osId(fs: FsDir): string {
  const r = readFile(fs, "/etc/os-release");
  if (!r.ok) return kindOf(fs, "/bin/busybox") === "file" ? "busybox" : "";
  const m = /^ID="?([^"\n]*)"?$/m.exec(r.value);
  return m ? m[1]! : "";
}

/** The shell an executable path is: BusyBox's ash, dash (Debian's /bin/sh) or bash. */
export function flavorOf(fs: FsDir, path: string): Flavor {
  const target = follow(fs, path)?.target ?? path;
  const name = baseName(target);
  const busybox = kindOf(fs, "/bin/busybox") === "file";
  const shell: ShellKind = name === "busybox" || (busybox && name !== "bash") ? "ash" : name === "dash" ? "dash" : "bash";
  return { shell, os: osId(fs), busybox };
}

/** "sh: foo: not found" (ash), "sh: 1: foo: not found" (dash), "bash: foo: command not found". */
export function notFoundText(f: Flavor, name: string): string {
  if (f.shell === "ash") return `${f.name ?? "sh"}: ${name}: not found\n`;
  if (f.shell === "dash") return `${f.name ?? "sh"}: 1: ${name}: not found\n`;
  return `bash: ${name}: command not found\n`;
}

/** A container's files with Docker's per-container /etc files over them (not in `docker diff`). */
export function withManagedFiles(view: FsDir, c: Container, now: Micros): FsDir {
  const ip = c.hostConfig.networkMode === "host" ? "" : c.run?.ip ?? "";
  return withEtcFiles(view, { hostname: c.config.hostname, ip, since: c.state.startedAt ?? now, embeddedDns: c.run?.embeddedDns === true }, now);
}

export { withoutManagedFiles };

// ---- ps inside a container ----

export interface NsProc {
  readonly nsPid: number;
  readonly user: string;
  readonly argv: readonly string[];
  readonly startedAt: Micros;
  /** Its parent's PID in the namespace (0 for PID 1 and for processes started from outside, as execs are). */
  readonly ppid: number;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * procps's BSD forms: `aux`, `-aux` (procps reads "-aux" as "aux" when no user "x" exists),
 * `ux`, `ax`, `axu`... any mix of a, u and x with a "u" asks for the user-oriented columns.
 */
export function isBsdUserFormat(opts: string): boolean {
  return /^-?[aux]+$/.test(opts) && opts.includes("u") && new Set(opts.replace(/^-/, "")).size === opts.replace(/^-/, "").length;
}

/** A plausible VSZ and RSS (KiB) for a process by its program, as procps shows them. */
export function memoryColumns(argv: readonly string[]): [number, number] {
  const name = baseName(argv[0] ?? "");
  if (/^\[.*\]$/.test(argv[0] ?? "")) return [0, 0];
  const known: Record<string, [number, number]> = {
    ping: [24856, 1952], bash: [11828, 2980], sh: [1680, 964], ash: [1680, 964], dash: [2580, 920], ps: [51732, 1708], sleep: [4364, 360],
    nginx: [10964, 6340], postgres: [170424, 28232], "redis-server": [54212, 10236], tail: [4384, 1840], dd: [5476, 1820], node: [722056, 48612],
  };
  return Object.hasOwn(known, name) ? known[name]! : [4364, 1400];
}

/** One row of procps's `ps aux` (USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND), PIDs `pidWidth` wide. */
export function auxRow(p: { user: string; pid: number; argv: readonly string[]; tty: string; stat: string; start: string }, pidWidth: number): string {
  const [vsz, rss] = memoryColumns(p.argv);
  return `${p.user.padEnd(8)} ${String(p.pid).padStart(pidWidth)}  0.0  0.0 ${String(vsz).padStart(6)} ${String(rss).padStart(5)} ${p.tty.padEnd(8)} ${p.stat.padEnd(4)} ${p.start.padEnd(5)}   0:00 ${p.argv.join(" ")}`;
}

/** procps's `ps aux` header, PIDs `pidWidth` wide (5 in procps-ng 3.3, CentOS 7; 7 in procps-ng 4). */
export const auxHeader = (pidWidth: number) => `${"USER".padEnd(8)} ${"PID".padStart(pidWidth)} %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND`;

/**
 * BusyBox ps (alpine, busybox) or procps ps (Debian, CentOS), over the processes of a PID
 * namespace. The last process is ps itself (`tty`: it was started with a terminal).
 */
export function psOutput(procs: readonly NsProc[], args: readonly string[], busybox: boolean, now: Micros, old = false, tty = false): string {
  const sorted = [...procs].sort((a, b) => a.nsPid - b.nsPid);
  const self = procs[procs.length - 1];
  const cmd = (p: NsProc) => p.argv.join(" ");
  if (busybox) {
    return `PID   USER     TIME  COMMAND\n${sorted.map((p) => `${String(p.nsPid).padStart(5)} ${p.user.padEnd(8).slice(0, 8)} ${" 0:00"} ${cmd(p)}`).join("\n")}\n`;
  }
  const opts = args.join(" ");
  const stime = (p: NsProc) => {
    const s = Math.floor(p.startedAt / 1_000_000);
    return `${pad2(Math.floor(s / 3600) % 24)}:${pad2(Math.floor(s / 60) % 60)}`;
  };
  // The terminal is ps's and its shell's; PID 1 and exec'd processes are session leaders (runc setsid).
  const ttyOf = (p: NsProc) => (tty && (p === self || isShellName(p.argv[0] ?? "")) ? "pts/0" : "?");
  const width = old ? 5 : 7;
  if (/^-(ef|fe|eF)$/.test(opts) || opts === "-e -f" || opts === "-f -e") {
    void now;
    // procps-ng 3.3 (CentOS 7) pads PIDs to 5, procps-ng 4 (Debian 12, Ubuntu 24.04) to 7.
    const head = `${"UID".padEnd(8)} ${"PID".padStart(width)} ${"PPID".padStart(width)}  C STIME TTY          TIME CMD`;
    return `${head}\n${sorted.map((p) => `${p.user.padEnd(8)} ${String(p.nsPid).padStart(width)} ${String(p.ppid).padStart(width)}  0 ${stime(p)} ${ttyOf(p).padEnd(8)} 00:00:00 ${cmd(p)}`).join("\n")}\n`;
  }
  if (isBsdUserFormat(opts)) {
    const stat = (p: NsProc) => (p === self ? (tty ? "R+" : "Rs") : p.nsPid === 1 || p.ppid === 0 ? "Ss" : "S");
    const rows = sorted.map((p) => auxRow({ user: p.user, pid: p.nsPid, argv: p.argv, tty: ttyOf(p), stat: stat(p), start: stime(p) }, width));
    return `${auxHeader(width)}\n${rows.join("\n")}\n`;
  }
  return `    PID TTY          TIME CMD\n${sorted.map((p) => `${String(p.nsPid).padStart(7)} ${ttyOf(p).padEnd(8)} 00:00:00 ${baseName(p.argv[0] ?? "")}`).join("\n")}\n`;
}

const isShellName = (argv0: string) => ["sh", "bash", "ash", "dash", "zsh"].includes(baseName(argv0));

/** The processes of a container's PID namespace, from the host's process table. */
export function containerProcs(engine: EngineState, c: Container): NsProc[] {
  const out: NsProc[] = [];
  const pids = new Set<number>();
  if (c.run) {
    for (const pid of c.run.pids) pids.add(pid);
    for (const e of c.execs) if (e.running) pids.add(e.pid);
  }
  for (const pid of pids) {
    const p = engine.kernel.procs.get(pid);
    if (!p) continue;
    const parent = engine.kernel.procs.get(p.ppid);
    out.push({ nsPid: p.nsPid, user: p.user, argv: p.argv, startedAt: p.startedAt, ppid: parent && parent.container === c.id ? parent.nsPid : 0 });
  }
  return out;
}

// ---- programs the shell hands to the image package's RUN interpreter ----

/** Package managers and tools the image package simulates (with their virtual time and output): its list, and ln and chown. */
export const RUN_TOOLS: ReadonlySet<string> = new Set([...RUN_TOOL_NAMES, "ln", "chown"]);

/** A node for a layer entry (a file's text or blob, a directory, a symlink). */
function nodeOfEntry(e: FsEntry, now: Micros): FsNode | null {
  const owner = e.type !== "whiteout" && (e.uid !== 0 || e.gid !== 0) ? { uid: e.uid, gid: e.gid } : {};
  switch (e.type) {
    case "whiteout": return null;
    case "dir": return { kind: "dir", entries: new Map(), mode: e.mode & 0o7777, mtime: now, ...owner };
    case "symlink": return { kind: "file", text: "", mode: 0o777, mtime: now, link: e.target };
    case "file": return e.text !== undefined
      ? { kind: "file", text: e.text, mode: e.mode & 0o7777, mtime: now, ...owner }
      : { kind: "file", text: "", mode: e.mode & 0o7777, mtime: now, blob: { size: e.size, digest: e.contentDigest }, ...owner };
  }
}

/** Applies a RUN step's changes (a layer's entries) to a tree. */
function applyEntries(fs: FsDir, changes: ReadonlyMap<string, FsEntry>, now: Micros): FsDir {
  let out = fs;
  for (const path of [...changes.keys()].sort()) {
    const e = changes.get(path)!;
    if (e.type === "dir") {
      const existing = nodeAt(out, path);
      if (existing?.kind === "dir") continue;
    }
    out = graft(out, path, nodeOfEntry(e, now), now);
  }
  return out;
}

/**
 * Runs a package manager or tool the image package simulates on the container's files: the
 * image's layers and the container's changes as the lower layers, the tool's writes on top.
 */
export function runTool(
  argv: readonly string[], fs: FsDir, c: Container | null, engine: EngineState | null, env: Readonly<Record<string, string>>, cwd: string, now: Micros,
  offline = false,
): { exitCode: number; durationUs: Micros; output: readonly { atUs: Micros; line: string }[]; fs: FsDir } {
  const layers: Layer[] = [];
  if (c && engine) {
    const store = ImageStore.fromSnapshot(engine.images);
    const img = store.resolve(c.imageId);
    if (img) layers.push(...store.layersOf(img));
  }
  const lower = c ? c.lowerfs : undefined;
  const changes = new Map<string, FsEntry>();
  if (lower) for (const d of diffTrees(lower, fs)) changes.set(d.path, d.kind === "D" ? { type: "whiteout" } : entryOfNode(nodeAt(fs, d.path)!));
  else for (const d of diffTrees({ kind: "dir", entries: new Map(), mode: 0o755, mtime: 0 }, fs)) changes.set(d.path, entryOfNode(nodeAt(fs, d.path)!));
  if (changes.size > 0) layers.push(createLayer(changes));
  const union = new UnionFS(layers);
  // The tool runs in a container that is already started: no container start of its own.
  const r = runExecForm(argv, {
    fs: union, env: new Map(Object.entries(env)), cwd, uid: 0, gid: 0, shell: ["/bin/sh", "-c"], ...(offline ? { network: "none" as const } : {}),
  }, 0);
  return { exitCode: r.exitCode, durationUs: r.durationUs, output: r.output, fs: applyEntries(fs, union.changes(), now) };
}

function entryOfNode(n: FsNode): FsEntry {
  const meta = { mode: n.mode, uid: n.uid ?? 0, gid: n.gid ?? 0 };
  if (n.kind === "dir") return dirEntry(meta);
  if (n.link !== undefined) return symlinkEntry(n.link);
  if (n.blob !== undefined) return { type: "file", size: n.blob.size, contentDigest: n.blob.digest, ...meta };
  return textFile(n.text, meta);
}

// ---- the engine's own programs (ping, nginx, …) run from a shell ----

const ENGINE_ONLY = createCatalogue();

/** What the shell runs itself rather than the engine's catalogue: sleep, echo, true, false, and tail over files. */
const SHELL_OWN: ReadonlySet<string> = new Set(["sleep", "echo", "true", "false", "tail"]);

/** Names the engine's catalogue simulates itself (ping, nginx, postgres, psql, …): its programs' names, the shell's own aside. */
const ENGINE_PROGRAMS: ReadonlySet<string> = new Set(PROGRAMS.flatMap((p) => p.names).filter((n) => !SHELL_OWN.has(n)));

export function isEngineProgram(name: string): boolean {
  return ENGINE_PROGRAMS.has(name);
}

export function enginePlan(ctx: Omit<StartContext, "path" | "via">): Plan | { failure: string; exitCode: number } {
  return ENGINE_ONLY.plan(ctx);
}

// ---- the host a container shell runs against ----

/** What a container shell knows of where it runs. */
export interface ShellPlace {
  readonly flavor: Flavor;
  readonly hostname: string;
  readonly containerId: string;
  readonly containerName: string;
  readonly image: string;
  readonly ip: string;
  readonly memoryLimit: number;
  /** The container record, when there is one to read (ps, apk's lower layers). */
  readonly container: Container | null;
  readonly engine: EngineState | null;
  /** Targets of read-only mounts (and "/" for --read-only). */
  readonly readOnly: readonly string[];
  /** Targets of writable mounts (a deeper writable mount wins over a read-only one above it). */
  readonly writable: readonly string[];
  /** The shell's own PID in the namespace (1 for PID 1). */
  readonly shellPid: number;
  /** The networks around the container (its host's engine, or the whole world at a live terminal), for curl, ping, nslookup… */
  readonly net?: { readonly world: NetWorld; readonly host: string } | null;
  /** No network at all (a `RUN --network=none` step): the interpreter's downloads fail. */
  readonly offline?: boolean;
}

const under = (path: string, target: string) => target === "/" || path === target || path.startsWith(`${target}/`);

/** The timeline a program run from the shell adds (what it prints when), and how it ends. */
export interface TimedRun {
  readonly lines: readonly PlanLine[];
  readonly durationUs: Micros;
  readonly status: number;
}

/**
 * The ShellHost over a container's files. Subclasses decide what time does: a batch run moves a
 * clock (programs.ts), a live run suspends the line (attach.ts).
 */
export abstract class ContainerShellHost implements ShellHost {
  constructor(public fs: FsDir, readonly place: ShellPlace, public now: Micros) {}

  /** A learner types at this shell (an attached terminal), rather than a script running in a batch. */
  protected readonly atTerminal: boolean = false;

  /** A program that takes time: `sleep`, a package manager's output over seconds, a ping. */
  protected abstract timed(req: CommandRequest, run: TimedRun, fs: FsDir): CommandOutcome;
  /** An engine program (ping, nginx): finite or until a signal. */
  protected abstract program(req: CommandRequest, plan: Plan, execed: boolean): CommandOutcome;

  /**
   * A network tool's requests (net-tools.ts): a batch run charges its clock with their estimated
   * times; a live terminal (attach.ts) carries them through the kernel in virtual time.
   */
  /** A live terminal runs requests in virtual time (and so can run ping until Ctrl-C). */
  protected get live(): boolean {
    return false;
  }

  protected traffic(req: CommandRequest, plan: NetPlan): CommandOutcome {
    const r = batchRun(plan, 600 * 1_000_000);
    return this.timed(req, { lines: r.lines, durationUs: r.durationUs, status: r.status }, this.fs);
  }

  /** Runs a network tool when the networks are known and it is about them (the internet's downloads stay the RUN interpreter's). */
  private netTool(req: CommandRequest, prog: string): CommandOutcome | null {
    const net = this.place.net;
    if (!net || !NET_TOOLS.has(prog) || prog === "iptables" || prog === "iptables-save") return null;
    const argv = [prog, ...req.argv.slice(1)];
    if (prog === "curl" || prog === "wget") {
      // A URL on the internet: the RUN interpreter's download (its files, sizes and progress).
      const url = argv.slice(1).find((a) => !a.startsWith("-") && /^(https?:\/\/)?[\w.-]+(:\d+)?(\/|$)/.test(a));
      const host = url?.replace(/^https?:\/\//, "").split(/[/:]/)[0] ?? "";
      const lk = host === "" ? null : lookupName(net.world, { host: net.host, container: this.place.containerId }, host);
      if (lk && lk.addresses.length > 0 && lk.addresses[0] === internetAddress(host) && !isWellKnownSite(host)) return null;
    }
    const r = netTool(argv, {
      world: net.world, src: { host: net.host, container: this.place.containerId }, now: this.now, busybox: this.place.flavor.busybox,
      tty: { stdout: req.tty?.stdout === true, stderr: req.tty?.stderr === true }, cwd: req.cwd,
    });
    if (r === null) return null;
    if ("outcome" in r) return r.outcome;
    // ping until Ctrl-C in a script: the engine's ping program runs it (a plan with no end).
    if (r.plan.repeat !== null && !this.live) return null;
    for (const w of r.writes) {
      const wr = writeFile(this.fs, w.path, w.text, this.now);
      if (wr.ok) this.fs = wr.value;
    }
    return this.traffic(req, r.plan);
  }

  /** The PIDs the namespace holds now, for ps (with ps itself). */
  protected procs(self: readonly string[], selfPid?: number): NsProc[] {
    const c = this.place.container;
    const engine = this.place.engine;
    // --pid host: the host's PID namespace, so every host process with its host PID (ps is the next one the kernel hands out).
    if (c && engine && c.hostConfig.pidMode === "host") {
      const all: NsProc[] = allProcesses(engine.kernel).map((p) => ({ nsPid: p.pid, user: p.user, argv: p.argv, startedAt: p.startedAt, ppid: p.ppid }));
      const pid = selfPid ?? engine.kernel.nextPid;
      return [...all.filter((p) => p.nsPid !== pid), { nsPid: pid, user: "root", argv: self, startedAt: this.now, ppid: this.place.shellPid > 0 ? this.place.shellPid : 0 }];
    }
    const listed = c && engine ? containerProcs(engine, c) : [];
    const top = Math.max(this.place.shellPid, ...listed.map((p) => p.nsPid));
    const own: NsProc[] = listed.some((p) => p.nsPid === this.place.shellPid) || this.place.shellPid <= 0
      ? [] : [{ nsPid: this.place.shellPid, user: "root", argv: [this.place.flavor.shell === "ash" ? "/bin/sh" : this.place.flavor.shell], startedAt: this.now, ppid: 0 }];
    const pid = selfPid ?? top + (top === 1 ? 6 : 1);
    return [...listed.filter((p) => p.nsPid !== pid), ...own, { nsPid: pid, user: "root", argv: self, startedAt: this.now, ppid: this.place.shellPid > 0 ? this.place.shellPid : 0 }];
  }

  private isReadOnly(path: string): boolean {
    return this.place.readOnly.some((t) => under(path, t)) && !this.writableMountAbove(path);
  }

  private writableMountAbove(path: string): boolean {
    const ro = this.place.readOnly.filter((t) => under(path, t)).reduce((a, t) => Math.max(a, t.length), -1);
    return this.place.writable.some((t) => under(path, t) && t.length > ro);
  }

  /** The first path a change touched that is read-only, or null. */
  private readOnlyChange(before: FsDir, after: FsDir): string | null {
    if (before === after || this.place.readOnly.length === 0) return null;
    for (const d of diffTrees(before, after)) if (this.isReadOnly(d.path)) return d.path;
    return null;
  }

  readFile(path: string): FsAnswer<string> {
    const r = readFile(this.fs, path);
    return r.ok ? r : { ok: false, error: r.error === "EINVAL" || r.error === "EROFS" ? "EACCES" : r.error };
  }

  writeFile(path: string, text: string, append: boolean): FsAnswer<null> {
    if (this.isReadOnly(path)) return { ok: false, error: "EROFS" };
    const r = writeFile(this.fs, path, text, this.now, { append });
    if (!r.ok) return { ok: false, error: r.error === "EINVAL" || r.error === "EROFS" ? "EACCES" : r.error };
    this.fs = r.value;
    return { ok: true, value: null };
  }

  readdir(path: string): FsAnswer<readonly string[]> {
    const r = readdir(this.fs, path);
    return r.ok ? r : { ok: false, error: r.error === "EINVAL" || r.error === "EROFS" ? "EACCES" : r.error };
  }

  kind(path: string): "file" | "dir" | null {
    return kindOf(this.fs, path);
  }

  commandPath(name: string): string | null {
    const found = lookPath(this.fs, name, CONTAINER_DEFAULT_PATH, "/");
    return "failure" in found ? null : found.path;
  }

  lacksProgram(name: string): boolean {
    return this.commandPath(name) === null;
  }

  run(req: CommandRequest): CommandOutcome {
    const argv0 = req.argv[0] ?? "";
    if (argv0 === "exec") {
      // `exec prog args`: the shell becomes the program (its signals are the program's own).
      if (req.argv.length === 1) return { status: 0, stdout: "", stderr: "" };
      return this.runProgram({ ...req, argv: req.argv.slice(1) }, true);
    }
    return this.runProgram(req, false);
  }

  private runProgram(req: CommandRequest, execed: boolean): CommandOutcome {
    const argv0 = req.argv[0] ?? "";
    const found = lookPath(this.fs, argv0, req.env["PATH"] ?? CONTAINER_DEFAULT_PATH, req.cwd);
    const f = this.place.flavor;
    if ("failure" in found) {
      if (argv0.includes("/")) {
        const kind = kindOf(this.fs, argv0.startsWith("/") ? argv0 : `${req.cwd}/${argv0}`);
        const why = kind === null ? "No such file or directory" : kind === "dir" ? "Is a directory" : "Permission denied";
        const status = kind === null ? 127 : 126;
        if (f.shell === "ash") return { status, stdout: "", stderr: `${f.name ?? "sh"}: ${argv0}: ${kind === null ? "not found" : why}\n` };
        if (f.shell === "dash") return { status, stdout: "", stderr: `${f.name ?? "sh"}: 1: ${argv0}: ${kind === null ? "not found" : why}\n` };
        return { status, stdout: "", stderr: `bash: ${argv0}: ${why}\n` };
      }
      return { status: 127, stdout: "", stderr: notFoundText(f, argv0) };
    }
    const name = baseName(argv0);
    const target = baseName(found.target);
    const prog = target === "busybox" ? name : COREUTILS.has(target) || RUN_TOOLS.has(target) || isEngineProgram(target) || target === "ps" ? target : name;
    if (prog === "sleep") {
      const args = req.argv.slice(1);
      let total = 0;
      for (const a of args) {
        const s = parseSleepSeconds(a);
        if (s === null) return { status: 1, stdout: "", stderr: f.busybox ? `sleep: invalid number '${a}'\n` : `sleep: invalid time interval ‘${a}’\nTry 'sleep --help' for more information.\n` };
        total += s;
      }
      if (args.length === 0) return { status: 1, stdout: "", stderr: f.busybox ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: sleep [N]...\n" : "sleep: missing operand\nTry 'sleep --help' for more information.\n" };
      return this.timed(req, { lines: [], durationUs: Math.round(total * 1_000_000), status: 0 }, this.fs);
    }
    if (prog === "ps") return { status: 0, stdout: psOutput(this.procs(req.argv), req.argv.slice(1), f.busybox, this.now, f.os === "centos", req.tty?.stdin === true), stderr: "" };
    const viaNet = this.netTool(req, prog);
    if (viaNet !== null) return viaNet;
    if (prog === "hostname" && req.argv.length === 1) return { status: 0, stdout: `${this.place.hostname}\n`, stderr: "" };
    // `docker exec db env` runs /usr/bin/env itself (no shell): it prints the environment it was given.
    if ((prog === "env" && req.argv.length === 1) || prog === "printenv") {
      const names = req.argv.slice(1);
      // The runtime adds HOME when the environment has none (moby's oci spec: the user's home, /root for root).
      const all = req.env["HOME"] === undefined ? { ...req.env, HOME: "/root" } : req.env;
      if (names.length === 0) return { status: 0, stdout: Object.entries(all).map(([k, v]) => `${k}=${v}\n`).join(""), stderr: "" };
      const found = names.filter((n) => all[n] !== undefined);
      return { status: found.length === names.length ? 0 : 1, stdout: found.map((n) => `${all[n]}\n`).join(""), stderr: "" };
    }
    const util = COREUTILS.get(prog);
    if (util !== undefined) {
      const r = util(req, this.fs, this.now);
      const ro = this.readOnlyChange(this.fs, r.fs);
      if (ro !== null) return { status: 1, stdout: r.outcome.stdout, stderr: `${prog}: ${ro}: Read-only file system\n` };
      this.fs = r.fs;
      return r.outcome;
    }
    if (RUN_TOOLS.has(prog)) return this.viaInterpreter(req, prog);
    // A binary drydock's gcc compiled (its bytes record what main prints): the engine's catalogue runs it.
    const compiled = found.node.kind === "file" && found.node.blob === undefined && found.node.text.startsWith("\u007fELF") && found.node.text.includes("\u0000drydock-cc:");
    if (isEngineProgram(prog) || compiled) {
      const planned = enginePlan({
        spec: { argv: req.argv, env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`), cwd: req.cwd, user: "", tty: req.tty?.stdout === true, interactive: false },
        env: new Map(Object.entries(req.env)), fs: this.fs, now: this.now, hostname: this.place.hostname, containerId: this.place.containerId,
        containerName: this.place.containerName, pid: this.place.shellPid + 1, isPid1: false, memoryLimit: this.place.memoryLimit,
        hostMemory: 4 * 1024 ** 3, hostCpus: 2, ip: this.place.ip, image: this.place.image, ...(this.place.net ? { net: this.place.net } : {}),
      });
      if ("failure" in planned) return { status: planned.exitCode, stdout: "", stderr: notFoundText(f, argv0) };
      return this.program(req, planned, execed);
    }
    // Installed, but simulated by none of the above: the RUN interpreter's generic effect (it runs,
    // takes its time, changes nothing drydock models), the same in a container as in a Dockerfile's RUN.
    // At an interactive terminal (stdin a TTY) drydock says so on stderr; scripts and RUN stay silent.
    return this.viaInterpreter(req, prog, this.atTerminal && req.tty?.stdin === true);
  }

  /** A tool of the image package's RUN interpreter (package managers, compilers, …, and the generic effect). */
  private viaInterpreter(req: CommandRequest, prog: string, notSimulatedNotice = false): CommandOutcome {
    const r = runTool(req.argv, this.fs, this.place.container, this.place.engine, req.env, req.cwd, this.now, this.place.offline === true);
    const ro = this.readOnlyChange(this.fs, r.fs);
    if (ro !== null) return { status: 1, stdout: "", stderr: `${prog}: ${ro}: Read-only file system\n` };
    const notice: PlanLine[] = notSimulatedNotice ? [{ at: 0, stream: "stderr", text: `drydock: ${prog} is in this container but drydock does not simulate it\n` }] : [];
    const lines: PlanLine[] = [...notice, ...r.output.map((o): PlanLine => ({ at: o.atUs, stream: "stdout", text: `${o.line}\n` }))];
    return this.timed(req, { lines, durationUs: r.durationUs, status: r.exitCode }, r.fs);
  }
}

/** The lines of a finite plan (its ticks expanded), from its start to its end. */
export function finiteLines(plan: Plan): PlanLine[] {
  const end = plan.exit?.at ?? 0;
  return planLines(plan, 0, 0, end + 1, ENGINE_ONLY).map((l) => ({ at: l.at, stream: l.stream, text: l.text }));
}

export type { TimedWrite };
