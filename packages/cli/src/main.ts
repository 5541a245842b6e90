import { isDrydockError } from "@drydock/kernel";
import { createPlayground } from "@drydock/playground";
import type { CliIO } from "./io.js";
import { LAB_SUMMARY, labCommandWithoutFiles } from "./lab.js";
import { failure, ok, type CliResult } from "./output.js";
import { raftCommand } from "./raft.js";
import { replayCommand } from "./replay.js";
import { runCommand } from "./run.js";
import { SHELL_SUMMARY, parseShellArgs, shellUsage } from "./shell.js";
import { swimCommand } from "./swim.js";
import { SWEEP_SUMMARY, sweepCommand } from "./sweep.js";

interface Command {
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CliIO) => CliResult;
}

/** The drydock commands, looked up in a Map: `drydock constructor` is just an unknown name. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ["shell", { summary: SHELL_SUMMARY.split(":")[0]!, run: shellCommand }],
  ["run", { summary: "Run a script of shell lines on a fresh world and check its # expect: lines", run: runCommand }],
  ["replay", { summary: "Replay a saved session and print its hosts, virtual time and hashes", run: replayCommand }],
  ["docker", { summary: "One docker command on a fresh host (drydock docker --help)", run: dockerCommand }],
  ["raft", { summary: "Run a Raft cluster headless and narrate it", run: raftCommand }],
  ["swim", { summary: "Run a SWIM gossip (or heartbeat) cluster headless", run: swimCommand }],
  ["sweep", { summary: SWEEP_SUMMARY, run: sweepCommand }],
  ["lab", { summary: LAB_SUMMARY, run: labCommandWithoutFiles }],
]);

export const HELP = `Usage:  drydock COMMAND [OPTIONS]

A deterministic simulator of containers and their orchestration.

Commands:
${[...COMMANDS].map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Run 'drydock COMMAND --help' for more information on a command.
`;

/** Exit status of drydock's own usage errors (a bad flag, a missing file, a malformed script), as POSIX tools use. */
export const EXIT_USAGE = 2;

/** Errors that mean "you asked wrongly" (exit 2); every other DrydockError is a failed run (exit 1). */
const USAGE_CODES = new Set(["EFLAG", "EARGS", "ESCRIPT", "ESESSION", "EREAD", "ENOIO", "EMOUNT"]);
/** Of those, the ones worth pointing at the command's --help. */
const SEE_HELP = new Set(["EFLAG", "EARGS"]);

/**
 * Runs one drydock command line and returns what it printed. Pure: no I/O, no clock; the bin
 * (bin/main.ts) passes `io`, writes the result and sets the exit code. Never throws.
 */
export function runCli(argv: readonly string[], io: CliIO = {}): CliResult {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") return ok(HELP);
  const command = COMMANDS.get(name);
  if (!command) return failure(`drydock: '${name}' is not a drydock command.\nSee 'drydock --help'`, EXIT_USAGE);
  try {
    return command.run(rest, io);
  } catch (e) {
    return errorResult(e, name);
  }
}

/** One place that turns an error into what the user sees and an exit status. */
export function errorResult(e: unknown, command: string): CliResult {
  if (isDrydockError(e)) {
    if (SEE_HELP.has(e.code)) return failure(`drydock ${command}: ${e.message}\nSee 'drydock ${command} --help'.`, EXIT_USAGE);
    if (USAGE_CODES.has(e.code)) return failure(`drydock ${command}: ${e.message}`, EXIT_USAGE);
    return failure(`Error: ${e.message}`, 1);
  }
  if (e instanceof Error && e.message.startsWith("invalid argument")) {
    return failure(`drydock ${command}: ${e.message}\nSee 'drydock ${command} --help'.`, EXIT_USAGE);
  }
  return failure(`drydock: internal error: ${e instanceof Error ? e.message : String(e)}`, 70);
}

/** `drydock shell` needs a terminal (bin/shell.ts); here it only answers --help and checks its flags. */
function shellCommand(argv: readonly string[]): CliResult {
  const o = parseShellArgs(argv);
  if (o.help) return ok(shellUsage());
  return failure("drydock shell: runs only from the drydock command (bin), which owns the terminal", EXIT_USAGE);
}

/** `drydock docker ARGS...`: `docker ARGS...` typed at the prompt of a fresh host; its output and status. */
function dockerCommand(argv: readonly string[]): CliResult {
  const r = createPlayground().exec(["docker", ...argv].map(shellQuote).join(" "));
  return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode };
}

/** A word as the shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
