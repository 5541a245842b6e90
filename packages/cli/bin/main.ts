// The `drydock` command: runs one command line, or a shell of them, and writes what it printed.
// All I/O is here; the commands themselves are pure (src/).
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { readContextDirectory } from "@drydock/image/node";
import { ShellSession, SHELL_HELP, runCli, type CliIO, type CliResult } from "../src/index.js";

const io: CliIO = {
  readContext: (path, dockerfileName) => readContextDirectory(resolve(path), { dockerfileName }),
};

function write(r: CliResult): void {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
}

const argv = process.argv.slice(2);
if (argv[0] === "shell") {
  const session = new ShellSession(io, (words) => runCli(words, io));
  const tty = process.stdin.isTTY === true;
  if (tty) process.stdout.write(SHELL_HELP + "\n");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, prompt: "drydock$ " });
  let last = 0;
  if (tty) rl.prompt();
  rl.on("line", (line) => {
    if (line.trim() === "exit") return rl.close();
    if (!tty && line.trim() !== "" && !line.trim().startsWith("#")) process.stdout.write(`$ ${line}\n`);
    const r = session.run(line);
    write(r);
    last = r.code;
    if (tty) rl.prompt();
  });
  rl.on("close", () => {
    process.exitCode = last;
  });
} else {
  const result = runCli(argv, io);
  write(result);
  process.exitCode = result.code;
}
