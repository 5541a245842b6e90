// Background jobs (`cmd &`) on a host: bash's job table (shell/jobs.ts has the builtins). A job is
// a line of its own, run beside the terminal's line: while the world's code for a line (timers,
// traffic, following) works on it, it is swapped in as the host's `running` (inBackground), so
// that code serves both unchanged. Jobs are part of the host's state: snapshots, seeks and
// replays keep them, and every job call of a line is in its memo.
import type { SimContext } from "@drydock/kernel";
import { Suspend, type JobHost, type JobInfo, type ShellSession } from "../shell/host.js";
import { SHELL_PID } from "../shell/interp.js";
import { jobLine } from "../shell/jobs.js";
import type { Memo } from "./memo.js";
import type { BackgroundJob, Running, WorldMessage, WorldState } from "./state.js";
import { setHost } from "./ops.js";
import { advanceLine, finishJob } from "./model.js";

/** strsignal(3) for the signals `kill` sends a job; bash shows it as the job's state. */
const SIGNAL_TEXT: ReadonlyMap<number, string> = new Map([[1, "Hangup"], [2, "Interrupt"], [3, "Quit"], [9, "Killed"], [10, "User defined signal 1"], [12, "User defined signal 2"], [15, "Terminated"]]);

const infoOf = (j: BackgroundJob): JobInfo => ({
  id: j.id, pid: j.pid, command: j.command, status: j.status, ...(j.signal !== undefined ? { signal: j.signal } : {}), ...(j.stopped === true ? { stopped: true } : {}),
});

/** SIGTTIN: a background job read from the terminal (bash: `wait` on it returns 128+21). */
const SIGTTIN = 21;

/** The status `wait` returns once the jobs it waits for (null: all) have ended; null while one runs. */
function waited(table: readonly BackgroundJob[], ids: readonly number[] | null): number | null {
  const of = ids === null ? table : table.filter((j) => ids.includes(j.id));
  // A stopped job is not waited for (it would never end by itself).
  if (of.some((j) => j.status === null && j.stopped !== true)) return null;
  // POSIX wait: with no operand, 0; else the (last) job's status.
  const last = of[of.length - 1];
  return ids === null ? 0 : last?.stopped === true ? 128 + SIGTTIN : last?.status ?? 0;
}

/** The table without the ended jobs that `wait` reported (null: every ended job, as bash's wait does). */
function reap(table: readonly BackgroundJob[], ids: readonly number[] | null): BackgroundJob[] {
  return table.filter((j) => j.status === null || (ids !== null && !ids.includes(j.id)));
}

/** A line's job calls (ShellHost.jobControl), answered from its memo when it runs again. */
export class WorldJobs implements JobHost {
  /** Jobs this run of the line started: their lines begin when it stops (startBackground). */
  readonly started: { readonly id: number; readonly session: ShellSession }[] = [];
  /** `wait`/`fg` found a job running: the line waits (the host threw Suspend). */
  waiting: { readonly ids: readonly number[] | null; readonly fg: boolean } | null = null;
  table: BackgroundJob[];
  lastPid: number;

  constructor(private readonly memo: Memo, table: readonly BackgroundJob[] | undefined, lastPid: number | undefined) {
    this.table = [...(table ?? [])];
    this.lastPid = lastPid ?? SHELL_PID;
  }

  background(command: string, session: ShellSession): JobInfo {
    return this.memo.answer(() => {
      // bash numbers a new job one past the highest in the table (from 1 when it is empty).
      const id = this.table.reduce((m, j) => Math.max(m, j.id), 0) + 1;
      const info: JobInfo = { id, pid: ++this.lastPid, command, status: null };
      this.table.push({ ...info, run: null, printed: 0 });
      this.started.push({ id, session });
      return info;
    });
  }

  jobs(report: boolean): readonly JobInfo[] {
    return this.memo.answer(() => {
      const list = this.table.map(infoOf);
      if (report) this.table = this.table.filter((j) => j.status === null).map((j) => (j.stopped === true ? { ...j, stopReported: true } : j));
      return list;
    });
  }

  waitJobs(ids: readonly number[] | null, fg: boolean): number {
    if (this.memo.replaying) return this.memo.take<number>();
    const status = waited(this.table, ids);
    if (status === null) {
      this.waiting = { ids, fg };
      throw new Suspend();
    }
    this.table = reap(this.table, ids);
    return this.memo.record(status);
  }

  killJob(id: number, signal: number): boolean {
    return this.memo.answer(() => {
      const j = this.table.find((x) => x.id === id);
      if (j === undefined || j.status !== null) return false;
      // Its line stops where it is (its timers find no line to go on with), as at Ctrl-C.
      const { stopped: _, ...rest } = j;
      const killed: BackgroundJob = { ...rest, run: null, status: 128 + signal, signal: SIGNAL_TEXT.get(signal) ?? `Signal ${signal}` };
      this.table = this.table.map((x) => (x === j ? killed : x));
      return true;
    });
  }
}

/**
 * Runs `fn` with the background line `seq` of host `name` as the host's running line, then puts
 * the terminal's own line, session and last result back; what the job showed joins jobOutput.
 * Null when no job of that host runs that line.
 */
export function inBackground(s: WorldState, name: string, seq: number, fn: (s: WorldState) => WorldState, ctx: SimContext<WorldMessage>): WorldState | null {
  const h = s.hosts.get(name);
  const job = h?.jobs?.find((j) => j.run?.seq === seq);
  if (!h || !job?.run) return null;
  const s1 = fn(setHost(s, { ...h, running: job.run, attachment: null }));
  const h1 = s1.hosts.get(name);
  if (!h1) return s1;
  const run = h1.running !== null && h1.running.seq === seq ? h1.running : null;
  const text = run !== null ? run.shownBefore + (run.job?.shown ?? "") : h1.last?.display ?? "";
  const shown = text.length >= job.printed ? text.slice(job.printed) : "";
  // It reads the terminal (a prompt, an editor, a shell it attached to): the kernel stops it
  // (SIGTTIN, GNU bash manual "Job Control Basics"); the container an attach started runs on.
  const attached = h1.attachment !== null && h1.attachment !== h.attachment;
  const stopped = attached || run?.job?.pending.input !== undefined;
  const now: BackgroundJob = stopped ? { ...job, run: null, stopped: true, printed: text.length }
    : run !== null ? { ...job, run, printed: text.length } : { ...job, run: null, status: h1.last?.status ?? 0, printed: text.length };
  const jobs = (h1.jobs ?? []).map((j) => (j.id === job.id ? now : j));
  const back = { ...h1, running: h.running, shell: h.shell, last: h.last, attachment: h.attachment, jobs, jobOutput: (h1.jobOutput ?? "") + shown };
  const s2 = setHost(s1, back);
  return run === null || stopped ? waitOver(s2, name, ctx) : s2;
}

/** A job ended: the terminal's line may be waiting for it (`wait`, `fg`), and goes on. */
function waitOver(s: WorldState, name: string, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(name);
  const w = h?.running?.job?.waits;
  if (!h || !w) return s;
  const status = waited(h.jobs ?? [], w.ids);
  if (status === null) return s;
  const after = { ...h, jobs: reap(h.jobs ?? [], w.ids) };
  return finishJob(setHost(s, after), after, status, ctx);
}

/** The lines of the jobs a line started begin, each in its copy of the shell's session. */
export function startBackground(s: WorldState, name: string, started: readonly { readonly id: number; readonly session: ShellSession }[], ctx: SimContext<WorldMessage>): WorldState {
  let out = s;
  for (const { id, session } of started) {
    const h = out.hosts.get(name);
    const job = h?.jobs?.find((j) => j.id === id);
    if (!h || !job || job.status !== null) continue;
    const seq = h.lineSeq + 1;
    const run: Running = { seq, line: job.command, session, memo: [], job: null, startedAt: ctx.now, shownBefore: "", background: true };
    ctx.record(name, { event: "job.background", job: id, pid: job.pid });
    const withRun = setHost(out, { ...h, lineSeq: seq, jobs: h.jobs!.map((j) => (j.id === id ? { ...j, run } : j)) });
    out = inBackground(withRun, name, seq, (x) => advanceLine(x, x.hosts.get(name)!, ctx), ctx) ?? withRun;
  }
  return out;
}

/**
 * The terminal's line ended: bash reports the jobs that ended meanwhile before its next prompt
 * (jobs.c notify_of_job_status: `[1]+  Done                    sleep 5`) and forgets them.
 */
export function reportEnded(s: WorldState, name: string): WorldState {
  const h = s.hosts.get(name);
  const table = h?.jobs ?? [];
  const told = (j: BackgroundJob) => j.status !== null || (j.stopped === true && j.stopReported !== true);
  if (!h || !table.some(told)) return s;
  const text = table.filter(told).map((j) => jobLine(table, j)).join("");
  const kept = table.filter((j) => j.status === null).map((j) => (j.stopped === true ? { ...j, stopReported: true } : j));
  return setHost(s, { ...h, jobs: kept, jobOutput: (h.jobOutput ?? "") + text });
}

/** Ctrl-C at `fg`: the job in the foreground gets the interrupt and ends (bash reports no such end). */
export function interruptedJobs(table: readonly BackgroundJob[] | undefined, waits: { readonly ids: readonly number[] | null; readonly fg: boolean } | undefined): readonly BackgroundJob[] | undefined {
  if (!waits?.fg || waits.ids === null || table === undefined) return table;
  return table.filter((j) => !waits.ids!.includes(j.id));
}

/** The background lines that follow something (`docker logs -f web &`): stepped on a wake-up too. */
export function backgroundFollows(s: WorldState, name: string, tick: (s: WorldState) => WorldState, ctx: SimContext<WorldMessage>): WorldState {
  let out = s;
  for (const j of s.hosts.get(name)?.jobs ?? []) {
    if (j.run?.job?.follow) out = inBackground(out, name, j.run.seq, tick, ctx) ?? out;
  }
  return out;
}
