import type { ExecResult } from "@drydock/playground";
import { LabSession, type Lab, type Step, type StepResult } from "@drydock/labs";
import { promptText } from "@drydock/cli/shell";
import type { TerminalBinding } from "../terminal/binding.js";
import { Transcript } from "../terminal/transcript.js";
import { isExec } from "../terminal/world.js";

// A lab in the page: a LabSession (packages/labs) over the playground the scene's view and
// terminal share. "Let me type it": the terminal runs the learner's line as any line, then the
// session judges it (LabSession.judge) and the lab moves on only when the step holds; a wrong
// command has been answered by the world as Docker answers it. "Do it for me": the step as the
// lab writes it (LabSession.auto: its keys pressed, a fault done), its line put in the terminal's
// transcript. Going back to a step seeks the playground to where it started (restartStep).

export class LabController {
  readonly session: LabSession;
  /** The terminal's transcript: lines done for the learner are recorded in it as they run. */
  readonly transcript: Transcript;
  /** The last result of each step reached (undefined: not tried yet). */
  results = $state.raw<readonly (StepResult | undefined)[]>([]);
  /** The step the lab waits on (0-based); the number of steps when the lab is done. */
  current = $state.raw(0);
  /** The latest attempt, for its failed checks and hints. */
  last = $state.raw<StepResult | null>(null);
  /** A line is being typed for the learner (the terminal shows it as it goes). */
  typing = $state.raw(false);
  /** A learner's line still running (a `logs -f` until Ctrl-C): judged once it is done. */
  private pending: { readonly line: string; readonly host: string } | null = null;

  constructor(readonly lab: Lab) {
    this.session = new LabSession(lab);
    // The swarm formed by `setup` is the lab's opening, not a line the learner sees.
    this.transcript = new Transcript(this.session.pg.sim.eventCount);
  }

  get pg() {
    return this.session.pg;
  }

  get done(): boolean {
    return this.session.done;
  }

  get step(): Step | undefined {
    return this.session.step;
  }

  /** The host the step's line runs on. */
  hostOf(step: Step): string {
    return (step.action.kind === "run" ? step.action.on : undefined) ?? this.pg.nodes[0]!;
  }

  /** A line the page's terminal ran at `on` (AppState.type): judged now, or once it is done. */
  typed(line: string, on: string, early: ExecResult | null): void {
    if (this.done) return;
    if (early) {
      this.record(this.session.judge(line, { exitCode: early.exitCode, output: early.stdout + early.stderr }));
      return;
    }
    this.pending = { line, host: on };
    this.poll();
  }

  /** Judges a pending line once its host's prompt is back (called as the screen is re-read). */
  poll(): void {
    const p = this.pending;
    if (!p || this.done || this.pg.busy(p.host)) return;
    this.pending = null;
    const last = this.pg.host(p.host).last;
    this.record(this.session.judge(p.line, { exitCode: last?.status ?? null, output: this.pg.output(p.host) }));
  }

  /** "Do it for me": the current step as written; its line joins the terminal's transcript. */
  doStep(binding: TerminalBinding | null): StepResult {
    const step = this.session.step!;
    const a = step.action;
    const on = this.hostOf(step);
    if (a.kind === "run") binding?.moveTo(on);
    const prompt = promptText(this.pg.prompt(on));
    const log = this.pg.sim.actionLog;
    const before = log.length;
    this.pending = null;
    const r = this.session.auto();
    if (a.kind === "run") {
      const typed = this.pg.sim.actionLog.slice(before).find((x) => isExec(x) && x.action.host === on && x.action.line === a.line);
      if (typed && isExec(typed)) this.transcript.record(typed, { prompt, output: r.output, doneAt: this.pg.sim.eventCount });
    }
    this.record(r);
    return r;
  }

  /** Back to the start of step `i`: the world as it was then (pg.seek), the later steps undone. */
  back(i: number): void {
    this.pending = null;
    this.session.restartStep(i);
    // The empty line that forked the run (restartStep) is where the old future's lines were dropped.
    const log = this.pg.sim.actionLog;
    const fork = log[log.length - 1];
    if (fork) this.transcript.forkAt(fork.index);
    this.results = this.results.slice(0, i);
    this.last = null;
    this.current = this.session.current;
  }

  private record(r: StepResult): void {
    const next = [...this.results];
    next[r.index] = r;
    this.results = next;
    this.last = r;
    this.current = this.session.current;
  }
}
