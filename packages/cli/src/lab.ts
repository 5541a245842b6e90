// `drydock lab`: the course's exercises as guided labs (@drydock/labs). Listing, checking every
// lab headless and walking one at a terminal are pure here; bin/lab.ts reads the lab files and
// the keyboard.
import { formatTable } from "@drydock/image";
import { LabSession, describeExpect, describeMatch, runLab, type CheckResult, type Lab, type StepResult } from "@drydock/labs";
import { failure, ok, type CliResult } from "./output.js";
import { LineBuffer, promptText } from "./shell.js";

export const LAB_SUMMARY = "Walk the course's exercises as guided labs, or check them all headless";

export function labUsage(): string {
  return `Usage:  drydock lab [LAB] [OPTIONS]

The course's exercises as guided labs on a simulated host. With no LAB, lists the labs.
'drydock lab LAB' walks one at the terminal: each step shows its caption and its command;
press Enter to have the command typed for you, or type your own (a wrong one is answered as
Docker answers it, and the lab waits). The step's checks print ✓ or ✗ with a hint. Keys a step
presses while its line runs (Ctrl-C after 3.5 s) are pressed for you, in virtual time. A walk
exits 0 when the lab is complete, 1 when it is left before (Ctrl-D).

Options:
      --all       Every lab (with --check)
      --check     Run the labs headless, typing each step as written; exit 1 if any check fails
  -h, --help      Print usage
`;
}

export interface LabArgs {
  readonly help: boolean;
  readonly all: boolean;
  readonly check: boolean;
  readonly slug: string | undefined;
}

export function parseLabArgs(argv: readonly string[]): LabArgs {
  let help = false;
  let all = false;
  let check = false;
  let slug: string | undefined;
  for (const a of argv) {
    if (a === "-h" || a === "--help") help = true;
    else if (a === "--all") all = true;
    else if (a === "--check") check = true;
    else if (a.startsWith("-")) throw new Error(`invalid argument "${a}": unknown flag`);
    else if (slug !== undefined) throw new Error(`invalid argument "${a}": one lab at a time (or --all)`);
    else slug = a;
  }
  if (all && slug !== undefined) throw new Error(`invalid argument "${slug}": --all takes no lab name`);
  if (all && !check) throw new Error(`invalid argument "--all": only with --check (a walk is one lab at a time)`);
  return { help, all, check, slug };
}

/** The lab by its slug, or a usage error naming the labs there are. */
export function findLab(labs: readonly Lab[], slug: string): Lab {
  const lab = labs.find((l) => l.slug === slug);
  if (!lab) throw new Error(`invalid argument "${slug}": no such lab (drydock lab lists them)`);
  return lab;
}

/** `drydock lab`, `--check`, `--all --check` and `--help`: everything but the walk, which needs a terminal. */
export function labCommand(argv: readonly string[], labs: readonly Lab[]): CliResult {
  const a = parseLabArgs(argv);
  if (a.help) return ok(labUsage());
  if (a.check) return checkLabs(a.all ? labs : a.slug !== undefined ? [findLab(labs, a.slug)] : labs);
  if (a.slug === undefined) return ok(listLabs(labs));
  return failure("drydock lab: walking a lab runs only from the drydock command (bin), which owns the terminal", 2);
}

/** In src/main.ts's table: without the bin there are no lab files to read; only --help answers. */
export function labCommandWithoutFiles(argv: readonly string[]): CliResult {
  if (parseLabArgs(argv).help) return ok(labUsage());
  return failure("drydock lab: runs only from the drydock command (bin), which reads the lab files", 2);
}

export function listLabs(labs: readonly Lab[]): string {
  return formatTable(["LAB", "TITLE", "MODULE", "STEPS"], labs.map((l) => [l.slug, l.title, l.module, String(l.steps.length)])) + "\n";
}

/** Runs each lab as written; one line per lab, the failing steps' checks below it; exit 1 on any failure. */
export function checkLabs(labs: readonly Lab[]): CliResult {
  const out: string[] = [];
  let failed = 0;
  for (const lab of labs) {
    const run = runLab(lab, { mode: "auto" });
    const checks = run.results.reduce((n, r) => n + r.checks.length + (r.expectOk === null ? 0 : 1), 0);
    out.push(`${run.passed ? "✓" : "✗"} ${lab.slug}: ${lab.title} (${lab.steps.length} steps, ${checks} checks)`);
    if (!run.passed) {
      failed++;
      for (const r of run.results.filter((x) => !x.passed)) out.push(...failedStep(r).map((l) => `    ${l}`));
    }
  }
  out.push(failed === 0 ? `${labs.length} labs, every check passed` : `${failed} of ${labs.length} labs failed`);
  return { stdout: out.join("\n") + "\n", stderr: "", code: failed === 0 ? 0 : 1 };
}

function failedStep(r: StepResult): string[] {
  return [
    `step ${r.index + 1}: ${r.line ?? describeFault(r)}`,
    ...(r.commandOk ? [] : [failedCommand(r), ...outputExcerpt(r.output).map((l) => `    | ${l}`)]),
    // The output, so that whoever fixes the lab (or the world) sees what came instead.
    ...(r.expectOk === false && r.step.expect !== undefined
      ? [`  ✗ the output does not match ${describeMatch(r.step.expect)}; it was:`, ...outputExcerpt(r.output).map((l) => `    | ${l}`)]
      : []),
    ...r.checks.filter((c) => !c.ok).map((c) => `  ✗ ${c.message}`),
  ];
}

/** Most lines of a step's output that a failed check shows. */
const EXCERPT_LINES_MAX = 8;

function outputExcerpt(output: string): string[] {
  const lines = output.replace(/\n$/, "").split("\n");
  return lines.length > EXCERPT_LINES_MAX ? [...lines.slice(0, EXCERPT_LINES_MAX), `… (${lines.length - EXCERPT_LINES_MAX} more lines)`] : lines;
}

/** A step whose own line failed (and that does not check its exit status). */
function failedCommand(r: StepResult): string {
  return `  ✗ the command failed (exit status ${r.exitCode})`;
}

function describeFault(r: StepResult): string {
  const a = r.step.action;
  return a.kind === "run" ? a.line : a.kind === "advance" ? `[${a.duration} pass]` : `[${a.kind} ${a.host}]`;
}

function checkLines(checks: readonly CheckResult[]): string[] {
  return checks.map((c) => (c.ok ? `  ✓ ${c.message}` : `  ✗ ${c.message}\n    hint: ${c.check.hint}`));
}

/**
 * A lab walked at a terminal: what to print, and the learner's lines one at a time (Enter alone
 * types the step's command). Pure: bin/lab.ts reads the keyboard and writes what this returns.
 */
export class LabWalk {
  readonly session: LabSession;
  private readonly buffer = new LineBuffer();

  constructor(readonly lab: Lab) {
    this.session = new LabSession(lab);
  }

  get done(): boolean {
    return this.session.done;
  }

  intro(): string {
    return `${this.lab.title} (${this.lab.module}): ${this.lab.steps.length} steps.\n`
      + "Press Enter to have each command typed for you, or type your own. Ctrl-D leaves.\n\n" + this.stepText();
  }

  /** The prompt for the next line: the host's (or a container shell's), or `> ` inside a heredoc. */
  prompt(): string {
    if (this.buffer.pending) return "> ";
    const a = this.session.step?.action;
    return promptText(this.session.pg.prompt(a?.kind === "run" ? a.on : undefined));
  }

  /** Ctrl-C at the prompt: forgets a command being typed over several lines (a heredoc). */
  cancelLine(): void {
    this.buffer.clear();
  }

  /** One line from the keyboard; returns what the terminal prints after it. */
  enter(line: string): string {
    if (this.done) return "";
    if (line.trim() === "" && !this.buffer.pending) return this.show(this.session.auto(), true);
    const text = this.buffer.push(line);
    if (text === null) return "";
    return this.show(this.session.type(text), false);
  }

  private show(r: StepResult, typedForYou: boolean): string {
    const out: string[] = [];
    // A heredoc typed for you shows its lines after `> `, as the terminal would have echoed them.
    if (typedForYou) out.push(r.line !== null ? r.line.split("\n").join("\n> ") : `[${describeFault(r)}]`);
    const shown = r.output === "" || r.output.endsWith("\n") ? r.output : r.output + "\n";
    let text = out.map((l) => l + "\n").join("") + shown;
    const lines = [
      // A failing line is never a done step: it says so, whatever its expect and checks say.
      ...(r.commandOk ? [] : [failedCommand(r)]),
      ...(r.expectOk === null || r.step.expect === undefined ? [] : [r.expectOk ? "  ✓ the output is as expected" : `  ✗ the output does not show ${describeExpect(r.step.expect)}`]),
      ...checkLines(r.checks),
    ];
    if (lines.length > 0) text += lines.join("\n") + "\n";
    if (!r.passed && !typedForYou) text += "  Not yet: try again, or press Enter to have the command typed for you.\n";
    if (this.session.current !== r.index) text += "\n" + this.stepText();
    return text;
  }

  private stepText(): string {
    const s = this.session.step;
    if (!s) return `Lab complete: ${this.lab.title}.\n`;
    const a = s.action;
    // A lab of several hosts names the host each line is typed on, with the topology's names (the prompt's).
    const host = a.kind === "run" && this.lab.hosts.length > 1 ? `${a.on ?? this.lab.hosts[0]} ` : "";
    const what = a.kind === "run" ? `  ${host}$ ${a.line.split("\n").join("\n  > ")}${a.keys.length > 0 ? `   [${a.keys.map((k) => (k.after ? `${k.after} later: ${k.key}` : k.key)).join(", ")}]` : ""}` : `  (${a.kind === "advance" ? `let ${a.duration} pass` : `${a.kind} ${a.host}`}: press Enter)`;
    return `Step ${this.session.current + 1}/${this.lab.steps.length}: ${s.caption}\n${what}\n`;
  }
}
