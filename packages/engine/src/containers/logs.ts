// A container's log as the json-file driver would hold it, generated from the plans its runs
// followed: each run is a list of pieces (a plan from the time it began), a piece's lines end
// where the next piece begins (a signal, a pause), overlay pieces (a reload's lines, a terminal's
// input) interleave without cutting, and nothing is printed after the run ended.
import type { Micros } from "@drydock/kernel";
import type { ProgramResolver } from "../programs/program.js";
import type { Plan } from "../programs/types.js";
import type { LogLine, LogPiece, LogRun } from "./types.js";

/** Most lines one read generates (a day of ping is 86,400; `--tail` reads far fewer). */
export const LOG_LINES_MAX = 200_000;

export interface LogQuery {
  /** Lines at or after this time. */
  readonly since?: Micros;
  /** Lines before or at this time (and never after `now`). */
  readonly until?: Micros;
  /** The last N lines only. */
  readonly tail?: number;
}

/** Lines of a plan whose origin is `origin`, in [from, to) of absolute time. */
export function planLines(plan: Plan, origin: Micros, from: Micros, to: Micros, programs: ProgramResolver, max = LOG_LINES_MAX): LogLine[] {
  const out: LogLine[] = [];
  const exitAt = plan.exit !== null ? origin + plan.exit.at : Infinity;
  const end = Math.min(to, exitAt + 1);
  for (const l of plan.lines) {
    const at = origin + l.at;
    if (at >= end) break;
    if (at >= from) out.push({ at, stream: l.stream, text: l.text });
  }
  const t = plan.tick;
  if (t !== null && out.length < max) {
    const first = origin + t.from;
    const k0 = from <= first ? 0 : Math.ceil((from - first) / t.every);
    for (let k = k0; out.length < max; k++) {
      if (t.count !== null && k >= t.count) break;
      const at = first + k * t.every;
      if (at >= end) break;
      out.push({ at, stream: t.stream, text: programs.tick(t.gen, t.params, k) });
    }
    out.sort((a, b) => a.at - b.at);
  }
  return out;
}

/** The time of a plan's first line in [from, to), without generating the rest (a follower's next wake-up), or null. */
export function firstPlanLineAt(plan: Plan, origin: Micros, from: Micros, to: Micros): Micros | null {
  const exitAt = plan.exit !== null ? origin + plan.exit.at : Infinity;
  const end = Math.min(to, exitAt + 1);
  let best: Micros | null = null;
  for (const l of plan.lines) {
    const at = origin + l.at;
    if (at >= end) break;
    if (at >= from) {
      best = at;
      break;
    }
  }
  const t = plan.tick;
  if (t !== null) {
    const first = origin + t.from;
    const k = from <= first ? 0 : Math.ceil((from - first) / t.every);
    const at = first + k * t.every;
    if ((t.count === null || k < t.count) && at < end && (best === null || at < best)) best = at;
  }
  return best;
}

/** The time of a run's first line after `after` and at or before `horizon`, or null. */
export function nextRunLineAt(run: LogRun, after: Micros, horizon: Micros): Micros | null {
  const stop = Math.min(horizon + 1, run.endedAt !== null ? run.endedAt + 1 : Infinity);
  const main = run.pieces.filter((p) => !p.overlay);
  let best: Micros | null = null;
  const consider = (at: Micros | null) => {
    if (at !== null && (best === null || at < best)) best = at;
  };
  for (let i = 0; i < main.length; i++) {
    const p = main[i]!;
    const next = main[i + 1]?.start ?? Infinity;
    consider(firstPlanLineAt(p.plan, p.origin, Math.max(p.start, after + 1), Math.min(next + 1, stop)));
  }
  for (const p of run.pieces) if (p.overlay) consider(firstPlanLineAt(p.plan, p.origin, Math.max(p.start, after + 1), stop));
  return best;
}

/** The lines of one run up to `now`, in order. */
export function runLines(run: LogRun, programs: ProgramResolver, now: Micros, q: LogQuery = {}): LogLine[] {
  const stop = Math.min(now + 1, run.endedAt !== null ? run.endedAt + 1 : Infinity, q.until !== undefined ? q.until + 1 : Infinity);
  const main = run.pieces.filter((p) => !p.overlay);
  const lines: LogLine[] = [];
  for (let i = 0; i < main.length; i++) {
    const p = main[i]!;
    const next = main[i + 1]?.start ?? Infinity;
    // A piece's lines at the instant the next one starts were out before it (a signal at that
    // instant replaced the plan after a reader could see them: ping's last reply, then its statistics).
    lines.push(...planLines(p.plan, p.origin, Math.max(p.start, q.since ?? -Infinity), Math.min(next + 1, stop), programs));
  }
  for (const p of run.pieces) if (p.overlay) lines.push(...planLines(p.plan, p.origin, Math.max(p.start, q.since ?? -Infinity), stop, programs));
  return lines.sort((a, b) => a.at - b.at);
}

/** `docker logs`: every run's lines, oldest first, up to now. */
export function logLines(runs: readonly LogRun[], programs: ProgramResolver, now: Micros, q: LogQuery = {}): LogLine[] {
  const all: LogLine[] = [];
  for (const r of runs) all.push(...runLines(r, programs, now, q));
  if (q.tail !== undefined && q.tail >= 0) return q.tail === 0 ? [] : all.slice(-q.tail);
  return all;
}

/** The first line after `after` (for a follower's next wake-up), or null. */
export function nextLineAt(runs: readonly LogRun[], _programs: ProgramResolver, after: Micros, horizon: Micros): Micros | null {
  for (const r of runs) {
    if (r.endedAt !== null && r.endedAt <= after) continue;
    const at = nextRunLineAt(r, after, horizon);
    if (at !== null) return at;
  }
  return null;
}

export type { LogPiece };
