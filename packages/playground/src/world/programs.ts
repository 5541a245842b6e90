// The program catalogue of every host's engine: the engine's own programs (ping, nginx, redis,
// postgres, …) and, for scripts and the utilities, the host shell's interpreter running inside
// the container (the engine's ProgramFallback). A script is computed at once, as a timed plan: a
// `sleep` moves the script's clock, output lines carry the time they are printed, and file
// changes become timed writes, so `docker run alpine sh -c 'echo a; sleep 2; echo b'` prints b
// two seconds after a. A script that runs long is computed up to a horizon and resumed from
// there (the engine's `resume`), so `while true; do date; sleep 1; done` costs nothing up front.
import type { Micros } from "@drydock/kernel";
import {
  basePlan, createCatalogue, diffTrees, nodeAt, type Container, type EngineState, type Plan, type PlanLine, type ProgramFallback, type StartContext,
  type TimedWrite,
} from "@drydock/engine";
import { History, Suspend, type CommandOutcome, type CommandRequest, type ShellSession } from "../shell/host.js";
import { parseLine } from "../shell/parser.js";
import { runLine } from "../shell/interp.js";
import type { FsDir } from "../fs/index.js";
import { ContainerShellHost, finiteLines, flavorOf, type NsProc, type ShellPlace, type TimedRun } from "./container-shell.js";

/** Scripts are computed this far ahead at first, then twice as far at each resume. */
const HORIZON_FIRST_US: Micros = 600_000_000;
const SECOND = 1_000_000;

/** What a script does from its start, as a plan's parts. */
interface ScriptResult {
  lines: PlanLine[];
  writes: TimedWrite[];
  clock: Micros;
  status: number;
  /** It started a program that runs until a signal (the rest of the script waits forever). */
  blocked: { plan: Plan; execed: boolean; at: Micros } | null;
  /** It reached the horizon: resume from there. */
  stopped: boolean;
}

class HorizonStop extends Suspend {}

/** The shell of a batch run: a clock instead of waiting, output and writes kept with their times. */
class BatchShell extends ContainerShellHost {
  clock: Micros = 0;
  readonly lines: PlanLine[] = [];
  readonly writes: TimedWrite[] = [];
  blocked: ScriptResult["blocked"] = null;

  constructor(fs: FsDir, place: ShellPlace, private readonly start: Micros, private readonly horizon: Micros, private readonly selfPid: number | null) {
    super(fs, place, start);
  }

  /** Output written to the container's stdout/stderr by the shell and its builtins, at the clock. */
  emit(stream: "stdout" | "stderr", text: string): void {
    if (text === "") return;
    for (const t of text.split(/(?<=\n)/)) this.lines.push({ at: this.clock, stream, text: t });
  }

  /** File changes since the last look, as timed writes at the clock. */
  recordWrites(before: FsDir, after: FsDir): void {
    if (before === after) return;
    for (const d of diffTrees(before, after)) {
      if (d.kind === "D") {
        this.writes.push({ at: this.clock, path: d.path, text: null });
        continue;
      }
      const node = nodeAt(after, d.path);
      if (!node) continue;
      if (node.kind === "dir") this.writes.push({ at: this.clock, path: d.path, text: "", kind: "dir" });
      else this.writes.push({ at: this.clock, path: d.path, text: node.text, node });
    }
  }

  override run(req: CommandRequest): CommandOutcome {
    const before = this.fs;
    const r = super.run(req);
    this.recordWrites(before, this.fs);
    return r;
  }

  override writeFile(path: string, text: string, append: boolean) {
    const before = this.fs;
    const r = super.writeFile(path, text, append);
    this.recordWrites(before, this.fs);
    return r;
  }

  protected override procs(self: readonly string[]): NsProc[] {
    // The container's processes when they are known (a docker exec), with this one as the PID it got.
    if (this.place.container !== null) return super.procs(self, this.selfPid ?? undefined);
    if (this.selfPid !== null) return [{ nsPid: this.selfPid, user: "root", argv: self, startedAt: this.start + this.clock, ppid: 0 }];
    return super.procs(self);
  }

  private advance(us: Micros): void {
    this.clock += us;
    this.now = this.start + this.clock;
    if (this.clock >= this.horizon) throw new HorizonStop();
  }

  protected timed(req: CommandRequest, run: TimedRun, fs: FsDir): CommandOutcome {
    this.recordWrites(this.fs, fs);
    this.fs = fs;
    const toTerminal = req.tty?.stdout === true;
    const shifted = run.lines.map((l) => ({ ...l, at: l.at + this.clock }));
    if (toTerminal) this.lines.push(...shifted);
    this.advance(run.durationUs);
    if (toTerminal) return { status: run.status, stdout: "", stderr: "" };
    return { status: run.status, stdout: run.lines.filter((l) => l.stream === "stdout").map((l) => l.text).join(""), stderr: run.lines.filter((l) => l.stream === "stderr").map((l) => l.text).join("") };
  }

  protected program(req: CommandRequest, plan: Plan, execed: boolean): CommandOutcome {
    if (plan.exit !== null) return this.timed(req, { lines: finiteLines(plan), durationUs: plan.exit.at, status: plan.exit.code }, this.fs);
    this.blocked = { plan, execed, at: this.clock };
    throw new HorizonStop();
  }
}

/** A single simple command: shells exec it (ash, dash and bash do for `sh -c 'cmd args'`), so it is PID 1. */
function isSingleCommand(script: string): boolean {
  const p = parseLine(script);
  if (!p.ok || p.program.items.length !== 1) return false;
  const item = p.program.items[0]!;
  return item.rest.length === 0 && item.first.commands.length === 1 && item.first.commands[0]!.type === "simple" && !item.first.negate;
}

export interface BatchOptions {
  /** The container and engine, for `ps` and package managers (a `docker exec` has them; PID 1's start does not need them). */
  readonly container?: Container | null;
  readonly engine?: EngineState | null;
  /** Lines and writes before this time (since the script began) were already done (a resumed script). */
  readonly skip?: Micros;
  readonly horizon?: Micros;
}

function placeOf(ctx: Omit<StartContext, "path" | "via">, shellPath: string, opts: BatchOptions, shellPid: number, script: boolean): ShellPlace {
  const c = opts.container ?? null;
  return {
    // `sh -c` names itself by its $0 in its errors ("/bin/sh: foo: not found" for `/bin/sh -c foo`).
    flavor: script ? { ...flavorOf(ctx.fs, shellPath), name: shellPath } : flavorOf(ctx.fs, shellPath), hostname: ctx.hostname, containerId: ctx.containerId, containerName: ctx.containerName, image: ctx.image,
    ip: ctx.ip, memoryLimit: ctx.memoryLimit, container: c, engine: opts.engine ?? null, readOnly: ctx.readOnly ?? [], writable: ctx.writable ?? [], shellPid,
    net: ctx.net ?? null, ...(ctx.offline === true ? { offline: true } : {}),
  };
}

/** The environment as the shell's session (every variable exported), its cwd. */
function sessionOf(ctx: Omit<StartContext, "path" | "via">): ShellSession {
  const vars = Object.fromEntries(ctx.env);
  if (vars["HOME"] === undefined) vars["HOME"] = "/root";
  return { cwd: ctx.spec.cwd || "/", vars, exported: Object.keys(vars), status: 0, history: History.EMPTY };
}

/**
 * Runs a command (argv) or a shell script in a container at once, as a plan: what it prints and
 * when, its file changes, its exit (or the program it ends in, which runs until a signal).
 */
export function batchPlan(ctx: Omit<StartContext, "path" | "via">, opts: BatchOptions = {}): Plan {
  const argv = ctx.spec.argv;
  const name = (argv[0] ?? "").slice((argv[0] ?? "").lastIndexOf("/") + 1);
  const shells = new Set(["sh", "bash", "ash", "dash"]);
  const dashC = argv.indexOf("-c");
  const script = shells.has(name) && dashC > 0 ? (argv[dashC + 1] ?? "") : null;
  const skip = opts.skip ?? 0;
  const horizon = opts.horizon ?? HORIZON_FIRST_US;
  const single = script === null || isSingleCommand(script);
  const place = placeOf(ctx, script !== null ? (argv[0] ?? "/bin/sh") : "/bin/sh", opts, single ? 0 : ctx.pid, script !== null);
  const host = new BatchShell(ctx.fs, place, ctx.now - skip, horizon, single ? ctx.pid : null);
  let status = 0;
  try {
    if (script === null) {
      const r = host.run({ argv, stdin: "", cwd: ctx.spec.cwd || "/", env: Object.fromEntries(ctx.env), tty: { stdin: false, stdout: true, stderr: true } });
      host.emit("stdout", r.stdout);
      host.emit("stderr", r.stderr);
      status = r.status;
    } else {
      const out = { write: (t: string) => host.emit("stdout", t) };
      const err = { write: (t: string) => host.emit("stderr", t) };
      const r = runLine(script, sessionOf(ctx), host, out, err);
      status = r.status;
    }
  } catch (e) {
    if (!(e instanceof HorizonStop)) throw e;
  }
  return toPlan(host, { status, skip, horizon, argv, ctx, opts, stopped: host.blocked === null && host.clock >= horizon, name, single });
}

function toPlan(
  host: BatchShell,
  o: { status: number; skip: Micros; horizon: Micros; argv: readonly string[]; ctx: Omit<StartContext, "path" | "via">; opts: BatchOptions; stopped: boolean; name: string; single: boolean },
): Plan {
  const keep = <T extends { at: Micros }>(xs: readonly T[], end: Micros): T[] => xs.filter((x) => x.at >= o.skip && x.at < end).map((x) => ({ ...x, at: x.at - o.skip }));
  const end = o.stopped ? o.horizon : Infinity;
  const lines = keep(host.lines, end);
  const writes = keep(host.writes, end);
  const base: Plan = { ...basePlan(o.name), memory: { base: 1 << 20, growPerSec: 0, max: null } };
  if (host.blocked !== null) {
    const b = host.blocked;
    const shift = b.at - o.skip;
    const p = b.plan;
    return {
      ...p, lines: [...lines, ...p.lines.map((l) => ({ ...l, at: l.at + shift }))], writes: [...writes, ...p.writes.map((w) => ({ ...w, at: w.at + shift }))],
      tick: p.tick ? { ...p.tick, from: p.tick.from + shift } : null, resume: null,
      // A program the shell ran as its last (exec'd) command keeps its own signal handling; a child of PID 1's shell does not get them.
      signals: b.execed || o.single ? p.signals : {},
    };
  }
  if (o.stopped) {
    const state = { argv: o.argv, env: [...o.ctx.env], cwd: o.ctx.spec.cwd, originFs: o.ctx.fs, skip: o.horizon, horizon: o.horizon * 2 };
    return { ...base, lines, writes, resume: { at: o.horizon - o.skip, program: "drydock-shell", state } };
  }
  return { ...base, lines, writes, exit: { at: Math.max(0, host.clock - o.skip), code: o.status & 255 } };
}

interface ResumeState {
  readonly argv: readonly string[];
  readonly env: readonly (readonly [string, string])[];
  readonly cwd: string;
  readonly originFs: FsDir;
  readonly skip: Micros;
  readonly horizon: Micros;
}

/** The engine's ProgramFallback: scripts and the utilities, run by the host shell's interpreter in the container. */
export const SHELL_FALLBACK: ProgramFallback = {
  plan(ctx) {
    return batchPlan(ctx);
  },
  resume(state, ctx) {
    const s = state as ResumeState;
    return batchPlan(
      { ...ctx, fs: s.originFs, env: new Map(s.env), spec: { ...ctx.spec, argv: s.argv, cwd: s.cwd } },
      { skip: s.skip, horizon: s.horizon },
    );
  },
};

/** Every host's engine runs its containers' programs with this catalogue. */
export const CATALOGUE = createCatalogue({ fallback: SHELL_FALLBACK });

export { SECOND };
