// Job control builtins: jobs, wait, fg, and kill's job specs (GNU bash manual, "Job Control
// Builtins"), with bash's texts. The table lives in the host (ShellHost.jobControl): a job goes
// on while later lines run, so it is the world's, not the line's.
import type { Shell } from "./interp.js";
import type { JobHost, JobInfo } from "./host.js";
import { type Io, writeErr, writeOut } from "./io.js";

/** jobs.h: the status column is padded to the longest strsignal text. */
export const LONGEST_SIGNAL_DESC = 24;

/** printable_job_status (jobs.c): "Running", "Done", "Exit 2", or the signal's text. */
export function jobState(j: JobInfo): string {
  if (j.status === null) return j.stopped === true ? "Stopped" : "Running";
  if (j.signal !== undefined) return j.signal;
  return j.status === 0 ? "Done" : `Exit ${j.status}`;
}

/** The current job (`%+`, the newest) and the previous one (`%-`), as jobs.c marks them. */
export function jobMark(table: readonly JobInfo[], j: JobInfo): string {
  const n = table.length;
  return table[n - 1] === j ? "+" : table[n - 2] === j ? "-" : " ";
}

/**
 * One line of `jobs` (jobs.c pretty_print_job and print_pipeline): `[1]+ `, the PID with -l
 * (%5ld), a blank, the state padded to LONGEST_SIGNAL_DESC, the command, and ` &` while it runs.
 */
export function jobLine(table: readonly JobInfo[], j: JobInfo, long = false): string {
  const state = jobState(j);
  const pid = long ? String(j.pid).padStart(5) : "";
  const running = j.status === null && j.stopped !== true;
  return `[${j.id}]${jobMark(table, j)} ${pid} ${state.padEnd(LONGEST_SIGNAL_DESC)}${j.command}${running ? " &" : ""}\n`;
}

/** A job spec (`%1`, `%+`, `%%`, `%-`, `%sle`: the command's start) or a PID: the job, or null. */
function findJob(table: readonly JobInfo[], spec: string): JobInfo | null {
  if (!spec.startsWith("%")) return /^\d+$/.test(spec) ? table.find((j) => j.pid === Number(spec)) ?? null : null;
  const s = spec.slice(1);
  if (s === "" || s === "+" || s === "%") return table[table.length - 1] ?? null;
  if (s === "-") return table[table.length - 2] ?? table[table.length - 1] ?? null;
  if (/^\d+$/.test(s)) return table.find((j) => j.id === Number(s)) ?? null;
  return [...table].reverse().find((j) => j.command.startsWith(s)) ?? null;
}

/** bash's name for a spec it cannot find: `current` for `%+` and friends. */
const specName = (spec: string) => (spec === "" || spec === "%" || spec === "%%" || spec === "%+" ? "current" : spec === "%-" ? "previous" : spec);

function jobs(sh: Shell, args: readonly string[], io: Io): number {
  const host = sh.host.jobControl;
  if (host === undefined) return 0;
  const long = args.includes("-l");
  const pids = args.includes("-p");
  const specs = args.filter((a) => !a.startsWith("-"));
  const table = host.jobs(specs.length === 0);
  let status = 0;
  const chosen: JobInfo[] = [];
  for (const spec of specs) {
    const j = findJob(table, spec);
    if (j === null) {
      writeErr(io, `bash: jobs: ${spec}: no such job\n`);
      status = 1;
    } else chosen.push(j);
  }
  for (const j of specs.length === 0 ? table : chosen) writeOut(io, pids ? `${j.pid}\n` : jobLine(table, j, long));
  return status;
}

/** `wait [%n|pid]...`: no operand waits for every job and returns 0 (POSIX wait); else the last one's status. */
function wait(sh: Shell, args: readonly string[], io: Io): number {
  const host = sh.host.jobControl;
  if (host === undefined) return 0;
  const specs = args.filter((a) => a !== "-f");
  if (specs.length === 0) {
    host.waitJobs(null, false);
    return 0;
  }
  const table = host.jobs(false);
  let status = 0;
  for (const spec of specs) {
    const j = findJob(table, spec);
    if (j === null) {
      writeErr(io, spec.startsWith("%") ? `bash: wait: ${spec}: no such job\n` : /^\d+$/.test(spec) ? `bash: wait: pid ${spec} is not a child of this shell\n` : `bash: wait: \`${spec}': not a pid or valid job spec\n`);
      status = 127;
    } else status = host.waitJobs([j.id], false);
  }
  return status;
}

/** `fg [%n]`: prints the job's command and waits for it in the foreground (Ctrl-C stops it). */
function fg(sh: Shell, args: readonly string[], io: Io): number {
  const host = sh.host.jobControl;
  if (host === undefined) return fail(io, "bash: fg: no job control");
  const spec = args[0] ?? "%+";
  const j = findJob(host.jobs(false), spec.startsWith("%") ? spec : `%${spec}`);
  if (j === null) return fail(io, `bash: fg: ${specName(spec)}: no such job`);
  if (j.status !== null) return fail(io, "bash: fg: job has terminated");
  // A job stopped on reading the terminal would take it over again: not simulated (kill ends it).
  if (j.stopped === true) return fail(io, `drydock: fg: resuming a stopped job is not simulated (kill %${j.id} ends it)`);
  writeOut(io, `${j.command}\n`);
  return host.waitJobs([j.id], true);
}

/** Signal names and numbers `kill` takes (signal(7)). */
const SIGNALS: ReadonlyMap<string, number> = new Map([["HUP", 1], ["INT", 2], ["QUIT", 3], ["KILL", 9], ["TERM", 15], ["STOP", 19], ["CONT", 18], ["USR1", 10], ["USR2", 12]]);

/**
 * `kill [-s SIG|-SIG] %n|pid...`: bash's kill builtin; job specs and the PIDs of jobs are
 * signalled here, other PIDs go to the host's kill (world/host-procs.ts).
 */
function kill(sh: Shell, args: readonly string[], io: Io): number {
  const host = sh.host.jobControl;
  let sig = 15;
  let i = 0;
  const flags: string[] = [];
  if (args[0] === "-s" && args[1] !== undefined) {
    flags.push(args[0], args[1]);
    sig = SIGNALS.get(args[1].toUpperCase().replace(/^SIG/, "")) ?? -1;
    i = 2;
  } else if (args[0] !== undefined && /^-\w+$/.test(args[0]) && args[0] !== "-l") {
    flags.push(args[0]);
    const name = args[0].slice(1);
    sig = /^\d+$/.test(name) ? Number(name) : SIGNALS.get(name.toUpperCase().replace(/^SIG/, "")) ?? -1;
    i = 1;
  }
  const operands = args.slice(i);
  const table = host?.jobs(false) ?? [];
  const jobTargets = operands.filter((a) => a.startsWith("%") || findJob(table, a) !== null);
  if (host === undefined || jobTargets.length === 0 || sig < 0) return sh.dispatchProgram(["kill", ...args], io);
  let status = 0;
  const others: string[] = [];
  for (const spec of operands) {
    const j = findJob(table, spec);
    if (j === null && !spec.startsWith("%")) others.push(spec);
    else if (j === null) status = fail(io, `bash: kill: ${spec}: no such job`);
    else if (!host.killJob(j.id, sig)) status = fail(io, `bash: kill: (${j.pid}) - No such process`);
  }
  if (others.length > 0) status = sh.dispatchProgram(["kill", ...flags, ...others], io) || status;
  return status;
}

function fail(io: Io, text: string, status = 1): number {
  writeErr(io, `${text}\n`);
  return status;
}

export const JOB_BUILTINS: ReadonlyMap<string, (sh: Shell, args: readonly string[], io: Io) => number> = new Map([
  ["jobs", jobs],
  ["wait", wait],
  ["fg", fg],
  ["kill", kill],
]);

export type { JobHost };
