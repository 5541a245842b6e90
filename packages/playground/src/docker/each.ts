// Commands over several objects (`docker rm a b`, `docker volume rm x y`, `docker plugin rm p`):
// docker/cli makes one API call per argument; those that succeed stay done, each one's output is
// printed, the errors are printed after them joined by newlines, and the command exits 1.
import { isDrydockError } from "@drydock/kernel";
import { CliError } from "../errors.js";
import type { DockerEnv } from "./command.js";

/** The daemon's error as the CLI prints it ("Error response from daemon: …"), or the CLI's own. */
export function errorText(e: unknown): string {
  if (e instanceof CliError) return e.message;
  if (isDrydockError(e)) return `Error response from daemon: ${e.message}`;
  throw e;
}

/**
 * Runs `op` for each argument: its line (or nothing for null) goes to stdout; an error is kept
 * and printed after the rest, and the command then exits 1 with the others' effects kept.
 */
export function eachArgument(env: DockerEnv, args: readonly string[], op: (arg: string) => string | null): string {
  let out = "";
  const errors: string[] = [];
  for (const arg of args) {
    try {
      const line = op(arg);
      if (line !== null) out += `${line}\n`;
    } catch (e) {
      errors.push(errorText(e));
    }
  }
  reportErrors(env, errors);
  return out;
}

/** Errors about some of several arguments: printed on stderr, exit 1, the others' effects kept. */
export function reportErrors(env: DockerEnv, errors: readonly string[]): void {
  if (errors.length === 0) return;
  env.stderr += errors.join("\n") + "\n";
  env.failedPartly = true;
}
