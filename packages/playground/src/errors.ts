import { DrydockError, type SourceLocation } from "@drydock/kernel";

/**
 * Every error the command line reports, in one table: its exit code and its text, in the real
 * tool's words where it has them. Raised through `fail`, mapped to an exit code only by
 * `exitCodeOf`; nothing decides by matching message text (immer's utils/errors.ts does the same).
 */
const ERRORS = {
  /** cobra/docker: an unknown top-level command (docker/cli cmd/docker/docker.go). */
  UNKNOWN_COMMAND: { exit: 1, text: (cmd: string) => `docker: unknown command: docker ${cmd}\n\nRun 'docker --help' for more information` },
  /** An unknown subcommand of a management command (`docker image foo`). */
  UNKNOWN_SUBCOMMAND: { exit: 1, text: (parent: string, cmd: string) => `docker: unknown command: docker ${parent} ${cmd}\n\nRun 'docker ${parent} --help' for more information` },
  /** pflag's errors under cobra's FlagErrorFunc: exit 125, "See 'docker x --help'." */
  FLAG: { exit: 125, text: (message: string, command: string) => `${message}\nSee '${command} --help'.` },
  /** docker/cli cli/required.go: wrong number of arguments. */
  ARGS: {
    exit: 1,
    text: (command: string, want: string, use: string, summary: string, prefix = "") =>
      `${prefix}"${command}" requires ${want}.\nSee '${command} --help'.\n\nUsage:  ${use}\n\n${summary}`,
  },
  /** docker/cli cli/required.go NoArgs. */
  NO_ARGS: {
    exit: 1,
    text: (command: string, use: string, summary: string) => `"${command}" accepts no arguments.\nSee '${command} --help'.\n\nUsage:  ${use}\n\n${summary}`,
  },
  /** What the daemon answered (moby's API errors, as the CLI prints them). */
  DAEMON: { exit: 1, text: (message: string) => `Error response from daemon: ${message}` },
  /** An error the CLI itself prints as it is (reference format, login, build-context errors). */
  CLIENT: { exit: 1, text: (message: string) => message },
  /** A failed build: buildx prints the excerpt and "ERROR: failed to build: ..." itself. */
  BUILD: { exit: 1, text: (message: string) => message },
  /** Honest about what is not simulated yet: never claim Docker lacks the command. */
  NOT_SIMULATED: { exit: 1, text: (what: string) => `drydock does not simulate \`${what}\` yet` },
  /** docker run/create: run.go withHelp, "docker: …" and the help line; exit 125 (toStatusError's generic code). */
  RUN: { exit: 125, text: (message: string, command: string) => `docker: ${message}\n\nRun 'docker ${command} --help' for more information` },
  /** docker run: the container's command was not found (toStatusError), exit 127. */
  RUN_NOT_FOUND: { exit: 127, text: (message: string, command: string) => `docker: ${message}\n\nRun 'docker ${command} --help' for more information` },
  /** docker run: the container's command cannot be invoked (permission denied, a directory), exit 126. */
  RUN_CANNOT_INVOKE: { exit: 126, text: (message: string, command: string) => `docker: ${message}\n\nRun 'docker ${command} --help' for more information` },
  /** docker exec: the process could not start (runc's error on the stream); exit 127 (not found, moby setExitCodeFromError). */
  EXEC_NOT_FOUND: { exit: 127, text: (message: string) => message },
  /** docker exec: the process could not be invoked (permission denied), exit 126. */
  EXEC_CANNOT_INVOKE: { exit: 126, text: (message: string) => message },
  /** The drydock command at the host prompt. */
  DRYDOCK: { exit: 1, text: (message: string) => `drydock: ${message}` },
  DRYDOCK_USAGE: { exit: 2, text: (message: string) => `drydock: ${message}` },
} as const;

export type ErrorCode = keyof typeof ERRORS;
type TextArgs<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]["text"]>;

/** A command-line error: `code` is a key of the table above. */
export class CliError extends DrydockError {
  constructor(readonly cliCode: ErrorCode, message: string, location?: SourceLocation) {
    super(`E${cliCode}`, message, location);
  }
}

/** Throws the table's error `code` with its text. */
export function fail<C extends ErrorCode>(code: C, ...args: TextArgs<C>): never {
  const text = (ERRORS[code].text as (...a: unknown[]) => string)(...args);
  throw new CliError(code, text);
}

export function exitCodeOf(e: CliError): number {
  return ERRORS[e.cliCode].exit;
}

export function isCliError(e: unknown): e is CliError {
  return e instanceof CliError;
}
