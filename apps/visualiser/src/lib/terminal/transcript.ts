import { Playground } from "@drydock/playground";
import { promptText } from "@drydock/cli/shell";
import { isExec, type ExecAction, type Logged } from "./world.js";

// What the terminal shows at any instant of the run. The lines typed are the playground's `exec`
// actions in the run's log (so a link carries them, and a fork after going back drops them with
// the future); what each printed is kept here as it runs. A link opened in a fresh page has the
// lines but not their output: a scratch playground replays the log once to read it, as
// `drydock replay` does, so the transcript is the same whoever opens the link.

export interface Entry {
  readonly index: number;
  readonly host: string;
  /** The prompt the line was typed at (`root@manager1:~# `). */
  readonly prompt: string;
  readonly line: string;
  /** What the line printed (stdout and stderr as the terminal showed them). */
  readonly output: string;
  /** Events processed when the line was done: before that the terminal showed only part of it. */
  readonly doneAt: number;
  /**
   * The line answered a program's prompt (`docker login`'s Password:, world/terminal-input.ts)
   * rather than ran at the shell: where it came in the running line's output, and whether the
   * terminal echoed it (a password is never shown); `edit`: a file's new text from the editor
   * (nano, vi), which had the screen, so the line shows nothing of it.
   */
  readonly answer?: { readonly at: number; readonly echo: boolean; readonly edit?: boolean };
}

/** A line on the screen: done, or running with the output it had shown so far. */
export interface Shown {
  readonly prompt: string;
  readonly line: string;
  readonly output: string;
  readonly running: boolean;
}

const keyOf = (a: ExecAction): string => `${a.index} ${a.action.host} ${a.action.line}`;

/** Most events a scratch replay of a link's lines may run (replay.ts bounds the link's own replay alike). */
export const SCRATCH_EVENTS_MAX = 400_000;

export class Transcript {
  private readonly entries = new Map<string, Entry>();

  /** `from`: the event the scene opened at; lines before it built the scene and are not shown. */
  constructor(readonly from: number) {}

  record(a: ExecAction, e: Omit<Entry, "index" | "host" | "line">): void {
    this.entries.set(keyOf(a), { index: a.index, host: a.action.host, line: a.action.line, ...e });
  }

  get(a: ExecAction): Entry | undefined {
    return this.entries.get(keyOf(a));
  }

  /** The future after event `index` was dropped: its lines go with it. */
  forkAt(index: number): void {
    for (const [k, e] of this.entries) if (e.index >= index) this.entries.delete(k);
  }

  /** The scene's typed lines in a log (after its opening). */
  lines(log: readonly Logged[]): ExecAction[] {
    // An empty line is no line on the screen: a lab types one to fork the run after going back to a step (LabSession.restartStep).
    return log.filter(isExec).filter((a) => a.index >= this.from && a.action.line !== "");
  }

  /** Lines of the log whose output is not known yet (a link opened in a fresh page). */
  missing(log: readonly Logged[]): ExecAction[] {
    return this.lines(log).filter((a) => !this.entries.has(keyOf(a)));
  }

  /**
   * Reads the output of the log's lines from a scratch playground replaying the session: each
   * line's prompt before it runs, and what it printed once done (or by the next action, when it
   * was still running then: interrupted, or answered).
   */
  fill(session: { readonly seed: string | number; readonly actions: readonly Logged[] }, nodes: readonly string[]): void {
    const want = this.missing(session.actions);
    if (want.length === 0) return;
    const pg = new Playground({ seed: session.seed, nodes });
    const sim = pg.sim;
    sim.loadActions(session.actions as never);
    const all = session.actions;
    let budget = SCRATCH_EVENTS_MAX;
    const step = (): boolean => budget-- > 0 && sim.step();
    for (const a of this.lines(all)) {
      const host = a.action.host;
      while (sim.eventCount < a.index && step()) { /* up to the line */ }
      const asked = pg.reading(host);
      if (asked && !this.entries.has(keyOf(a))) {
        this.record(a, { prompt: "", output: "", doneAt: a.index, answer: { at: pg.output(host).length, echo: asked.echo && !asked.edit, edit: asked.edit !== undefined } });
        continue;
      }
      const p = pg.prompt(host);
      const before = pg.host(host).last?.seq ?? -1;
      const next = all.find((b) => b.index > a.index)?.index ?? Infinity;
      const started = (): boolean => pg.host(host).running !== null || (pg.host(host).last?.seq ?? -1) !== before;
      while ((!started() || pg.busy(host)) && sim.eventCount < next && step()) { /* the line runs */ }
      if (!this.entries.has(keyOf(a))) {
        this.record(a, { prompt: promptText(p), output: pg.output(host), doneAt: pg.busy(host) ? Infinity : sim.eventCount });
      }
      if (budget <= 0) break;
    }
  }

  /**
   * The terminal at event `events`: the lines typed before it, the last one on each host still
   * running if it was then (`live` reads what it had shown so far from the run itself).
   */
  at(log: readonly Logged[], events: number, live: (host: string) => string | null): Shown[] {
    const out: Shown[] = [];
    /** The last line shown on each host, with the answers typed into it so far. */
    const open = new Map<string, { readonly i: number; readonly base: string; readonly answers: { readonly at: number; readonly text: string }[] }>();
    for (const a of this.lines(log)) {
      if (a.index >= events) break;
      const e = this.entries.get(keyOf(a));
      const ans = e?.answer;
      const into = open.get(a.action.host);
      if (ans && into) {
        // An answer is part of the line it answers: typed where that line's output stood, masked unless echoed.
        into.answers.push({ at: ans.at, text: ans.edit === true ? "" : `${ans.echo ? a.action.line : ""}\n` });
        const s = out[into.i]!;
        out[into.i] = { ...s, output: splice(into.base, into.answers) };
        continue;
      }
      const running = e === undefined || e.doneAt > events;
      const partial = running ? live(a.action.host) : null;
      out.push({
        prompt: e?.prompt ?? `root@${a.action.host}:~# `, line: a.action.line,
        output: running ? partial ?? e?.output ?? "" : e!.output, running: running && partial !== null,
      });
      open.set(a.action.host, { i: out.length - 1, answers: [], base: out[out.length - 1]!.output });
    }
    return out;
  }
}

/** A line's output with the answers typed into it, each at the length the output had then. */
function splice(output: string, answers: readonly { readonly at: number; readonly text: string }[]): string {
  let text = "";
  let from = 0;
  for (const a of answers) {
    const at = Math.max(from, Math.min(a.at, output.length));
    text += output.slice(from, at) + a.text;
    from = at;
  }
  return text + output.slice(from);
}
