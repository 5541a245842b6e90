// The `drydock` command: all I/O is here (files, the terminal, the wall clock); the commands
// themselves are pure (src/). No argv and no exception ever ends in a Node stack trace.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CliIO } from "../src/index.js";
import { stderrProgress } from "./progress.js";

const internalError = (e: unknown) => `drydock: internal error: ${e instanceof Error ? e.message : String(e)}\n`;
// A last resort: an error that escapes everything below is one line, not a stack trace. A
// closed pipe (`drydock … | head`) ends the command quietly: writing the error to it would fail
// again and loop.
process.on("uncaughtException", (e) => {
  if ((e as NodeJS.ErrnoException).code === "EPIPE") process.exit(process.exitCode ?? 0);
  process.stderr.write(internalError(e));
  process.exitCode = 70;
});
process.on("unhandledRejection", (e) => {
  process.stderr.write(internalError(e));
  process.exitCode = 70;
});

// Each command imports what it needs when it runs: a sweep's worker threads start before the
// main thread has loaded every package (through tsx, in the repository, about a second).
async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "shell") return (await import("./shell.js")).runShell(argv.slice(1));
  if (argv[0] === "sweep") return (await import("./sweep-worker.js")).runSweep(argv.slice(1));
  if (argv[0] === "lab") return (await import("./lab.js")).runLabCommand(argv.slice(1));
  const { runCli } = await import("../src/index.js");
  const progress = stderrProgress();
  const io: CliIO = { readFile: (path) => readFileSync(resolve(path), "utf8"), progress };
  try {
    const r = runCli(argv, io);
    progress.done();
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
  } finally {
    progress.done();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(internalError(e));
  process.exitCode = 70;
}
