import { isDrydockError } from "@drydock/kernel";
import { createDockerHost, dockerCommand, type CliIO } from "./docker.js";
import { failure, ok, type CliResult } from "./output.js";
import { raftCommand } from "./raft.js";
import { swimCommand } from "./swim.js";

const COMMANDS: Readonly<Record<string, { summary: string; run: (argv: readonly string[], io: CliIO) => CliResult }>> = {
  raft: { summary: "Run a Raft cluster headless and narrate it", run: raftCommand },
  swim: { summary: "Run a SWIM gossip (or heartbeat) cluster headless", run: swimCommand },
  docker: { summary: "One docker command on a fresh simulated host (use 'shell' to keep one)", run: (argv, io) => dockerCommand(argv, createDockerHost(), io) },
  shell: { summary: "A docker shell on one simulated host, command after command", run: () => ok("") },
};

const HELP = `Usage:  drydock COMMAND [OPTIONS]

A deterministic simulator of containers and their orchestration.

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Run 'drydock COMMAND --help' for more information on a command.
`;

/**
 * Runs one drydock command line and returns what it printed. Pure: no I/O, no clock; the bin
 * (bin/drydock.ts) writes the result and sets the exit code.
 */
export function runCli(argv: readonly string[], io: CliIO = {}): CliResult {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") return ok(HELP);
  const command = COMMANDS[name];
  if (!command) return failure(`drydock: '${name}' is not a drydock command.\nSee 'drydock --help'`, 125);
  try {
    return command.run(rest, io);
  } catch (e) {
    if (isDrydockError(e)) {
      const usageError = e.code === "EFLAG" || e.code === "EARGS";
      return failure(usageError ? `${e.message}\nSee 'drydock ${name} --help'.` : `Error: ${e.message}`, usageError ? 125 : 1);
    }
    if (e instanceof Error && e.message.startsWith("invalid argument")) return failure(`${e.message}\nSee 'drydock ${name} --help'.`, 125);
    throw e;
  }
}
