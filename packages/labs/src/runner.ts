// Running a lab on a fresh playground: "auto" types every step as the lab writes it (what
// `drydock lab --all --check` and CI do); a LabSession takes a learner's lines one at a time, answers
// each as Docker would, and moves on only when the step's checks hold.
import { DrydockError, parseDuration, type Micros } from "@drydock/kernel";
import { createPlayground, type Playground } from "@drydock/playground";
import { evaluateChecks, type CheckResult } from "./checks.js";
import { matches, type Key, type Lab, type Step } from "./format.js";
import { findPausePoints, type PausePoint } from "./pauses.js";

/**
 * Virtual time a learner takes to read a step and type its line. It also gives every step its
 * own start time, so `pg.seek(start)` lands between the previous step and this one.
 */
export const STEP_GAP: Micros = parseDuration("1s");

export interface StepResult {
  readonly index: number;
  readonly step: Step;
  /** The line typed (the step's own, or the learner's); null for a fault. */
  readonly line: string | null;
  readonly exitCode: number | null;
  /** What the terminal showed for the line (stdout and stderr as they came). */
  readonly output: string;
  /** Did the output match the step's `expect`? (null when it has none) */
  readonly expectOk: boolean | null;
  readonly checks: readonly CheckResult[];
  /**
   * The step's line did not fail: it exited 0, or the step checks its exit status (`exit: N`, a
   * step that shows an error on purpose). A failing line is never a done step, expect or not.
   */
  readonly commandOk: boolean;
  /** The step is done: its line did not fail, its expectation and every check hold. */
  readonly passed: boolean;
}

export interface StepStart {
  /** Virtual time when the step became the current one: `pg.seek(at)` restores the world there. */
  readonly at: Micros;
  readonly worldHash: string;
}

export interface LabRun {
  readonly lab: Lab;
  readonly results: readonly StepResult[];
  readonly passed: boolean;
  readonly pg: Playground;
}

/**
 * "auto": every step typed as written. "typed": a learner's lines, one at a time (`""` is Enter
 * alone, which has the current step typed for you), until they run out or the lab is done.
 */
export type RunOptions = { readonly mode: "auto" } | { readonly mode: "typed"; readonly lines: readonly string[] };

/**
 * Runs a lab on a fresh world and returns a result per line typed. In auto mode `passed` says
 * every step's checks held; in typed mode, that the learner's lines finished the lab.
 */
export function runLab(lab: Lab, options: RunOptions = { mode: "auto" }): LabRun {
  const s = new LabSession(lab);
  const results: StepResult[] = [];
  if (options.mode === "auto") {
    while (!s.done) results.push(s.auto());
    return { lab, results, passed: results.every((r) => r.passed), pg: s.pg };
  }
  for (const line of options.lines) {
    if (s.done) break;
    results.push(line === "" ? s.auto() : s.type(line));
  }
  // Wrong lines on the way are the learner's to make: each step's last attempt is what counts.
  const last = new Map(results.map((r) => [r.index, r]));
  return { lab, results, passed: s.done && [...last.values()].every((r) => r.passed), pg: s.pg };
}

/** Is the learner's line the step's own command? (spaces between words do not count) */
function sameLine(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/[ \t]+/g, " ");
  return norm(a) === norm(b);
}

/** A lab in progress on its own playground, one step at a time. */
export class LabSession {
  readonly pg: Playground;
  private index = 0;
  private readonly starts: StepStart[] = [];
  /** Each step done for the learner ("Do it for me"): the events from its line typed to its end. */
  private readonly played: ({ readonly from: number; readonly to: number; readonly typedAt: Micros } | undefined)[] = [];

  constructor(readonly lab: Lab) {
    this.pg = createPlayground({ seed: lab.seed, nodes: lab.hosts, ...(lab.kubernetes ? { kubernetes: { nodes: lab.kubernetes.nodes } } : {}) });
    for (const f of lab.setup) this.pg.writeFile(f.host, f.path, f.content);
    if (lab.swarm?.ready) this.formSwarm(lab.swarm.managers, lab.swarm.workers);
    this.markStart();
  }

  /** The current step's number (0-based); equals the number of steps when the lab is done. */
  get current(): number {
    return this.index;
  }

  get done(): boolean {
    return this.index >= this.lab.steps.length;
  }

  get step(): Step | undefined {
    return this.lab.steps[this.index];
  }

  /** Where and when each step reached so far started. */
  start(i: number): StepStart | undefined {
    return this.starts[i];
  }

  /** "Do it for me": the current step as the lab writes it. */
  auto(): StepResult {
    const step = this.requireStep();
    const a = step.action;
    this.pg.advance(STEP_GAP);
    let res: StepResult;
    if (a.kind === "run") {
      const from = this.pg.sim.eventCount;
      const typedAt = this.pg.now;
      res = this.result(step, a.line, this.typeLine(a.line, a.on, a.keys), true);
      this.played[this.index] = { from, to: this.pg.sim.eventCount, typedAt };
    } else {
      if (a.kind === "crash") this.pg.crash(a.host);
      else if (a.kind === "restart") this.pg.restart(a.host);
      else this.pg.advance(a.duration);
      res = this.result(step, null, { exitCode: null, output: "" }, true);
    }
    // Done for the learner: the lab moves on even when a check failed (the run reports it).
    this.next();
    return res;
  }

  /**
   * "Let me type it": runs the learner's line at the current step (with the step's keys, as the
   * terminal would have them pressed) and moves on when the step is satisfied: its expectation and
   * checks hold. A step that judges neither output nor world (no expect, only `exit` checks or
   * none) is satisfied by its own command. A fault step is done with `auto()`.
   */
  type(line: string, keys?: readonly Key[]): StepResult {
    const step = this.requireStep();
    const a = step.action;
    this.pg.advance(STEP_GAP);
    const r = this.typeLine(line, a.kind === "run" ? a.on : undefined, keys ?? (a.kind === "run" ? a.keys : []));
    return this.judge(line, r);
  }

  /**
   * Judges a line that was already run at the current step (the app's terminal runs its lines
   * itself): as `type` would, moving on when the step is satisfied.
   */
  judge(line: string, r: { readonly exitCode: number | null; readonly output: string }): StepResult {
    const step = this.requireStep();
    const a = step.action;
    const judges = step.expect !== undefined || step.checks.some((c) => c.kind !== "exit");
    const res = this.result(step, line, r, a.kind === "run" && (judges || sameLine(line, a.line)));
    if (res.passed) this.next();
    return res;
  }

  /**
   * The pause points of step i, done for the learner (`auto`) and not gone back before: where an
   * instructor's playback of it stops (findPausePoints; the run is left where it was).
   */
  pausePoints(i: number): PausePoint[] {
    const p = this.played[i];
    const step = this.lab.steps[i];
    if (p === undefined || step === undefined) return [];
    // Back where it was, the clock too (a seek to an event would read the clock at that event).
    const now = this.pg.now;
    const points = findPausePoints(this.pg, step, p.from, p.to, p.typedAt);
    this.pg.seek(now);
    return points;
  }

  /** Where step i's line was typed and where it ended (events), when it was done for the learner. */
  playedSpan(i: number): { readonly from: number; readonly to: number; readonly typedAt: Micros } | undefined {
    return this.played[i];
  }

  /** Back to the start of the current step (or of an earlier one): the world as it was then. */
  restartStep(i = this.index): void {
    const s = this.starts[i];
    if (s === undefined) throw new RangeError(`step ${i + 1} has not started`);
    this.pg.seek(s.at);
    // The kernel replays a logged future after a seek back until an action forks it: an empty
    // line (Enter at a prompt) is that action, and changes nothing in the world. A crashed host
    // takes no line, so the first host that does.
    const first = this.runOn(i);
    for (const on of [first, ...this.pg.nodes.filter((n) => n !== first)]) {
      if (this.pg.begin("", { on }) === null) {
        this.pg.wait(on);
        break;
      }
    }
    this.index = i;
    this.starts.length = i + 1;
    this.played.length = i;
  }

  /**
   * `setup: { swarm: true }`: the commands of "Creating a Swarm", typed before the first step (they
   * are in the session's log like any line): the first manager inits, the others join with its tokens.
   */
  private formSwarm(managers: readonly string[], workers: readonly string[]): void {
    const first = managers[0]!;
    const must = (line: string, on: string): string => {
      const r = this.pg.exec(line, { on });
      if (r.exitCode !== 0) throw new DrydockError("ELABSETUP", `lab ${this.lab.slug}: setting up the swarm, \`${line}\` on ${on} failed: ${r.stderr.trim()}`);
      return r.stdout.trim();
    };
    must("docker swarm init", first);
    const addr = must("docker node inspect self --format '{{ .ManagerStatus.Addr }}'", first);
    const token = { manager: must("docker swarm join-token -q manager", first), worker: must("docker swarm join-token -q worker", first) };
    for (const m of managers.slice(1)) must(`docker swarm join --token ${token.manager} ${addr}`, m);
    for (const w of workers) must(`docker swarm join --token ${token.worker} ${addr}`, w);
  }

  private runOn(i: number): string {
    const a = this.lab.steps[i]!.action;
    return (a.kind === "run" ? a.on : undefined) ?? this.pg.nodes[0]!;
  }

  private requireStep(): Step {
    const step = this.step;
    if (step === undefined) throw new RangeError(`the lab ${this.lab.slug} is done`);
    return step;
  }

  private typeLine(line: string, on: string | undefined, keys: readonly Key[]): { exitCode: number; output: string } {
    const opts = on === undefined ? {} : { on };
    const early = this.pg.begin(line, opts);
    if (early) return { exitCode: early.exitCode, output: early.stdout + early.stderr };
    for (const k of keys) {
      if (k.after !== undefined) this.pg.advance(k.after);
      if (k.key === "Ctrl-C") this.pg.interrupt(on);
      else this.pg.detach(on);
    }
    const r = this.pg.wait(on);
    return { exitCode: r.exitCode, output: this.pg.output(on) };
  }

  /** `eligible`: the line can satisfy the step at all (a learner's line at a fault step cannot). */
  private result(step: Step, line: string | null, r: { exitCode: number | null; output: string }, eligible: boolean): StepResult {
    // Whatever is due at this instant (a container that exits at once) has happened before the world is judged.
    this.pg.advance(0);
    const expectOk = step.expect === undefined ? null : matches(step.expect, r.output);
    // Checks look at the host the step ran on unless they name another.
    const host = step.action.kind === "run" ? step.action.on : step.action.kind === "advance" ? undefined : step.action.host;
    const checks = evaluateChecks(this.pg, step.checks, { exitCode: r.exitCode, line }, host);
    const commandOk = r.exitCode === null || r.exitCode === 0 || step.checks.some((c) => c.kind === "exit");
    const passed = eligible && commandOk && expectOk !== false && checks.every((c) => c.ok);
    return { index: this.index, step, line, exitCode: r.exitCode, output: r.output, expectOk, checks, commandOk, passed };
  }

  private next(): void {
    this.index++;
    if (!this.done) this.markStart();
  }

  private markStart(): void {
    this.pg.advance(0);
    this.starts[this.index] = { at: this.pg.now, worldHash: this.pg.worldHash() };
  }
}
