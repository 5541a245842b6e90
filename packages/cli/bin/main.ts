// The `drydock` command: runs one command line and writes what it printed. All I/O is here.
import { runCli } from "../src/index.js";

const result = runCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
