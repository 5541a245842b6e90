// Commands that follow what the engine does rather than run for a fixed time: a foreground
// `docker run` (and `docker attach`, `docker start -a`) streams the container's output until it
// ends; `docker logs -f` until the container stops; `docker wait` prints exit codes as
// containers end; `docker stop` and `restart` print names once the grace period is over;
// `docker exec` streams a process; `docker events` streams the daemon's events. A FollowJob is
// plain data (it sits in the world's snapshots); `stepFollow` is a pure function of the job, the
// engine and the time, and the world calls it whenever the host's timers fire (a container's
// wake-up, the next output line's time), so output appears at the virtual time it is printed.
import type { Micros } from "@drydock/kernel";
import {
  FilterArgs, firstPlanLineAt, includeEvent, logLines, nextRunLineAt, planLines, rfc3339NanoFixed, runLines, type Container, type EngineEvent, type EngineState, type LogLine,
  type ProgramResolver,
} from "@drydock/engine";
import type { OutputChunk } from "../shell/host.js";
import { parseTemplate } from "../format/index.js";
import { eventLine } from "./system.js";
import { STATS_TICK_US, statsContainers, statsFrame, statsTable, type StatsQuery } from "./stats.js";
import { composeInterrupt, stepComposeLogs } from "./compose-follow.js";

/** What is followed, as data. Containers are named by full ID. */
export type FollowSpec =
  /**
   * A container's output from one of its runs (`logs[run]`) until that run ends (docker run's
   * attach, `docker attach`, `docker start -a`); the exit status is the run's exit code.
   */
  | {
    readonly kind: "attach"; readonly container: string; readonly run: number; readonly stdout: boolean; readonly stderr: boolean;
    readonly tty: boolean; readonly sigProxy: boolean;
    /** The terminal's keys reach the container (`-i`, attach without --no-stdin): with a tty, Ctrl-P Ctrl-Q detaches. */
    readonly stdin: boolean;
    /** docker run and start -a exit with the container's code; attach with it too (getExitStatus). */
    readonly status: boolean;
  }
  /** `docker logs -f`: every run's lines after the cursor until the container is neither running nor restarting. */
  | { readonly kind: "logs"; readonly container: string; readonly timestamps: boolean; readonly until: Micros | null }
  /** `docker wait`: each container's exit code, in the order given, as each stops. */
  | { readonly kind: "wait"; readonly containers: readonly string[] }
  /**
   * `docker stop` / `docker restart`: each name as typed once that container has stopped (or
   * has been started again), in the order given (docker/cli waits for each in turn).
   */
  | { readonly kind: "stop"; readonly targets: readonly { readonly id: string; readonly shown: string; readonly runs: number }[]; readonly restart: boolean }
  /** A process started in a container (`docker exec`, or a program an attached shell runs): its output until it ends. */
  | { readonly kind: "exec"; readonly container: string; readonly exec: string; readonly tty: boolean }
  /** `docker events`: the daemon's events as they are logged, until `until` (null: until interrupted). */
  | { readonly kind: "events"; readonly filters: readonly string[]; readonly format: string | null; readonly until: Micros | null }
  /**
   * `docker compose up` (attached) and `docker compose logs -f`: a project's containers' lines,
   * each after its prefix ("web-1  | "), in time order, and "web-1 exited with code 0" as each
   * ends, until none runs; Ctrl-C at `up` stops them all first (compose-follow.ts).
   */
  | { readonly kind: "compose-logs"; readonly containers: readonly { readonly id: string; readonly prefix: string; readonly name: string }[]; readonly up: boolean }
  /** `docker stats` without --no-stream: a frame every 500 ms until Ctrl-C, or until no container is left to show. */
  | { readonly kind: "stats"; readonly query: StatsQuery };

/** A following command as the world keeps it: what it follows and what it printed when it began. */
export interface FollowJob {
  readonly spec: FollowSpec;
  /** Output printed at once (the pull before a run, the log so far of `logs -f`). */
  readonly initial: readonly OutputChunk[];
  /** Output after this time is new (the time the job began). */
  readonly cursor: Micros;
  /** What the command prints when the followed part is over (the errors of `docker stop a nosuch`), and its exit status then. */
  readonly after?: { readonly chunks: readonly OutputChunk[]; readonly status: number };
}

/** The world's running state of a follow job. */
export interface FollowState {
  readonly cursor: Micros;
  /** How many of a wait's or stop's targets are reported. */
  readonly reported: number;
  /** Ctrl-C presses so far (docker's CLI exits on the third). */
  readonly interrupts: number;
  /** events: the last event already seen (the log keeps the last 256; newer ones come after it). */
  readonly lastEvent?: EngineEvent | null;
  /**
   * attach: how many lines stamped at the cursor's instant are shown (unset: all of them, at the
   * job's start). A signal can make a container print at the instant of the last look (ping's
   * statistics at Ctrl-C), so "after the cursor" alone would lose them.
   */
  readonly atCursor?: number;
}

export interface FollowStep {
  readonly state: FollowState;
  readonly out: readonly OutputChunk[];
  /** The command is over, with this exit status. */
  readonly done: { readonly status: number } | null;
  /** When the job next has output due without any wake-up of the engine (null: only a wake-up can change it). */
  readonly nextAt: Micros | null;
}

export function startFollow(job: FollowJob, engine: EngineState): FollowState {
  const base = { cursor: job.cursor, reported: 0, interrupts: 0 };
  return job.spec.kind === "events" ? { ...base, lastEvent: engine.events[engine.events.length - 1] ?? null } : base;
}

const chunkOf = (l: LogLine, tty: boolean, timestamps = false): OutputChunk => ({
  fd: tty || l.stream === "stdout" ? 1 : 2, text: (timestamps ? `${rfc3339NanoFixed(l.at)} ` : "") + l.text,
});

/** The exit code a container ended with: its state, or the last "die" event when it was removed (--rm). */
export function exitCodeOf(engine: EngineState, id: string): number | null {
  const c = engine.containers.get(id);
  if (c && !c.state.running) return c.state.exitCode;
  if (c && c.state.restarting) return c.state.exitCode;
  for (let i = engine.events.length - 1; i >= 0; i--) {
    const e = engine.events[i]!;
    if (e.type === "container" && e.action === "die" && e.actor.id === id) return Number(e.actor.attributes["exitCode"] ?? "0");
  }
  return c ? null : 0;
}

/** Output due after the cursor up to `now`, and whether the command is over. */
export function stepFollow(job: FollowJob, st: FollowState, engine: EngineState, now: Micros, programs: ProgramResolver): FollowStep {
  const spec = job.spec;
  switch (spec.kind) {
    case "attach": {
      const c = engine.containers.get(spec.container);
      const run = c?.logs[spec.run];
      const out: OutputChunk[] = [];
      const lines = run ? runLines(run, programs, now, { since: st.cursor }) : [];
      let skip = st.atCursor ?? lines.filter((l) => l.at === st.cursor).length;
      for (const l of lines) {
        if (l.at === st.cursor && skip-- > 0) continue;
        if ((l.stream === "stdout" && spec.stdout) || (l.stream === "stderr" && spec.stderr) || spec.tty) out.push(chunkOf(l, spec.tty));
      }
      const state = { ...st, cursor: now, atCursor: lines.filter((l) => l.at === now).length };
      const ended = !c || !run || run.endedAt !== null;
      if (ended) return { state, out, done: { status: spec.status ? (exitCodeOf(engine, spec.container) ?? 0) : 0 }, nextAt: null };
      return { state, out, done: null, nextAt: nextRunLine(c, spec.run, programs, now) };
    }
    case "logs": {
      const c = engine.containers.get(spec.container);
      const until = spec.until !== null ? Math.min(spec.until, now) : now;
      const out = c ? logLines(c.logs, programs, until, { since: st.cursor + 1 }).map((l) => chunkOf(l, c.config.tty, spec.timestamps)) : [];
      const state = { ...st, cursor: now };
      if (!c || (!c.state.running && !c.state.restarting) || (spec.until !== null && now >= spec.until)) return { state, out, done: { status: 0 }, nextAt: null };
      let next: Micros | null = null;
      for (let i = 0; i < c.logs.length; i++) {
        const t = nextRunLine(c, i, programs, now);
        if (t !== null && (next === null || t < next)) next = t;
      }
      if (spec.until !== null && (next === null || spec.until < next)) next = spec.until;
      return { state, out, done: null, nextAt: next };
    }
    case "wait": {
      const out: OutputChunk[] = [];
      let reported = st.reported;
      while (reported < spec.containers.length) {
        const id = spec.containers[reported]!;
        const c = engine.containers.get(id);
        if (c && c.state.running && !c.state.restarting) break;
        out.push({ fd: 1, text: `${exitCodeOf(engine, id) ?? 0}\n` });
        reported++;
      }
      const state = { ...st, reported, cursor: now };
      return { state, out, done: reported === spec.containers.length ? { status: 0 } : null, nextAt: null };
    }
    case "stop": {
      const out: OutputChunk[] = [];
      let reported = st.reported;
      while (reported < spec.targets.length) {
        const t = spec.targets[reported]!;
        const c = engine.containers.get(t.id);
        const settled = !c || (spec.restart ? (c.logs.length > t.runs && c.run !== null && !c.run.stopping) || (!c.state.running && c.run === null && c.logs.length > t.runs) : !c.state.running || c.state.restarting);
        if (!settled) break;
        out.push({ fd: 1, text: `${t.shown}\n` });
        reported++;
      }
      const state = { ...st, reported, cursor: now };
      return { state, out, done: reported === spec.targets.length ? { status: 0 } : null, nextAt: null };
    }
    case "exec": {
      const c = engine.containers.get(spec.container);
      const e = c?.execs.find((x) => x.id === spec.exec);
      const out: OutputChunk[] = [];
      const state = { ...st, cursor: now };
      if (!e) return { state, out, done: { status: 137 }, nextAt: null };
      const end = e.running ? now : now;
      for (const l of planLines(e.plan, e.origin, st.cursor + 1, end + 1, programs)) out.push(chunkOf(l, spec.tty));
      if (!e.running) return { state, out, done: { status: e.exitCode ?? 0 }, nextAt: null };
      const next = firstPlanLineAt(e.plan, e.origin, now + 1, Number.MAX_SAFE_INTEGER);
      return { state, out, done: null, nextAt: next };
    }
    case "compose-logs": return stepComposeLogs(spec, st, engine, now, programs);
    case "events": {
      const until = spec.until !== null ? Math.min(spec.until, now) : now;
      const filters = FilterArgs.parse(spec.filters);
      const format = spec.format ?? "";
      const tmpl = format === "" ? null : parseTemplate(format === "json" ? "{{json .}}" : format);
      const out: OutputChunk[] = [];
      const log = engine.events;
      const seen = st.lastEvent ? log.lastIndexOf(st.lastEvent) : -1;
      let last = st.lastEvent ?? null;
      for (let i = seen + 1; i < log.length; i++) {
        const ev = log[i]!;
        if (ev.timeUs > until) break;
        last = ev;
        if (includeEvent(filters, ev)) out.push({ fd: 1, text: eventLine(ev, format, tmpl) });
      }
      const state = { ...st, cursor: until, lastEvent: last };
      if (spec.until !== null && now >= spec.until) return { state, out, done: { status: 0 }, nextAt: null };
      return { state, out, done: null, nextAt: spec.until };
    }
    case "stats": {
      // The ticker's frames due up to now (a frame every 500 ms from the start; st.reported counts them).
      const out: OutputChunk[] = [];
      let frames = st.reported;
      while (job.cursor + (frames + 1) * STATS_TICK_US <= now) {
        frames++;
        out.push({ fd: 1, text: statsFrame(statsTable(engine, now, spec.query)) });
        // stats.go: with nothing left to show (and no -a), the stream ends after this frame.
        if (statsContainers(engine, spec.query).length === 0 && !spec.query.all) {
          return { state: { ...st, reported: frames, cursor: now }, out, done: { status: 0 }, nextAt: null };
        }
      }
      return { state: { ...st, reported: frames, cursor: now }, out, done: null, nextAt: job.cursor + (frames + 1) * STATS_TICK_US };
    }
  }
}

/** The time of the next line of a container's run after `now`, or null (a day ahead at most). */
function nextRunLine(c: Container, run: number, _programs: ProgramResolver, now: Micros): Micros | null {
  const r = c.logs[run];
  if (!r || r.endedAt !== null) return null;
  return nextRunLineAt(r, now, now + 86_400_000_000);
}

/** The concatenated stdout and stderr of some chunks. */
export function splitChunks(chunks: readonly OutputChunk[]): { stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  for (const c of chunks) {
    if (c.fd === 1) stdout += c.text;
    else stderr += c.text;
  }
  return { stdout, stderr };
}

/** What Ctrl-C does to a follow job: signal the container or its process, and whether the command ends. */
export type FollowInterrupt =
  /** Compose stops the project's containers (the second Ctrl-C kills them) and reports when they are down. */
  | { readonly kind: "stop"; readonly containers: readonly string[]; readonly echo: string; readonly force: boolean }
  /** The CLI ends at once (logs -f, wait, stop, events, exec without a tty): bash's ^C, status 130. */
  | { readonly kind: "end" }
  /** SIGINT goes to the container's main process (sig-proxy, or the terminal's line discipline with -t). */
  | { readonly kind: "signal"; readonly container: string; readonly exec: string | null; readonly echo: string; readonly forceExit: boolean };

/** docker/cli cmd/docker: the third SIGINT forces the CLI out ("got 3 SIGTERM/SIGINTs, forcefully exiting"). */
export const FORCED_EXIT = "\ngot 3 SIGTERM/SIGINTs, forcefully exiting\n";

export function interruptFollow(job: FollowJob, st: FollowState): FollowInterrupt {
  const spec = job.spec;
  if (spec.kind === "compose-logs" && spec.up) return composeInterrupt(spec, st);
  if (spec.kind === "attach") {
    // With -t the key reaches the container's terminal (raw mode: the CLI gets no signal). Without,
    // the CLI forwards SIGINT (sig-proxy) and counts: the third one makes it exit.
    if (spec.tty) return { kind: "signal", container: spec.container, exec: null, echo: "^C", forceExit: false };
    return { kind: "signal", container: spec.sigProxy ? spec.container : "", exec: null, echo: "^C", forceExit: st.interrupts + 1 >= 3 };
  }
  if (spec.kind === "exec" && spec.tty) return { kind: "signal", container: spec.container, exec: spec.exec, echo: "^C", forceExit: false };
  return { kind: "end" };
}
