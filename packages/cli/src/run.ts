import { DrydockError } from "@drydock/kernel";
import { createPlayground, flag, parseFlags, usage, type FlagSpec } from "@drydock/playground";
import { readText, type CliIO } from "./io.js";
import { ok, type CliResult } from "./output.js";
import { parseScript, runScript, transcript } from "./script.js";

const SPECS: readonly FlagSpec[] = [
  { name: "seed", kind: "string", help: "Seed of the world", default: "1" },
  { name: "nodes", kind: "string", help: "Hosts, comma-separated; commands run on the first unless marked @on HOST", default: "node1" },
  { name: "json", kind: "bool", help: "Print the results, hashes and session as JSON" },
  { name: "help", kind: "bool", help: "Print usage" },
];

const SUMMARY = `Run a script of shell lines on a fresh world and check its expectations.

A script holds lines as typed at the prompt (heredocs and continuation lines included).
Blank lines and # comments are skipped. After a command:
  # expect: TEXT       its output (stdout and stderr) contains TEXT
  # expect-exit: N     it exits with status N
A line that starts with "@on HOST " runs on that host instead of the first.`;

/** `drydock run SCRIPT`: a transcript of the script's commands, exit 1 when an expectation fails. */
export function runCommand(argv: readonly string[], io: CliIO = {}): CliResult {
  const p = parseFlags(argv, SPECS);
  if (flag.bool(p, "help")) return ok(usage("drydock run [OPTIONS] SCRIPT", SUMMARY, SPECS));
  if (p.args.length !== 1) throw new DrydockError("EARGS", `"drydock run" requires exactly 1 argument (the script), got ${p.args.length}`);
  const file = p.args[0]!;
  const text = readText(io, file);
  const commands = parseScript(text, file);
  const seed = flag.str(p, "seed")!;
  const pg = createPlayground({ seed, nodes: nodesFlag(flag.str(p, "nodes")!) });
  const results = runScript(pg, commands);
  const failed = results.flatMap((r) => r.expectations.filter((e) => !e.ok).map((e) => ({ r, e })));
  const report = failed.length === 0 ? "" :
    `drydock run: ${failed.length} of ${results.reduce((n, r) => n + r.expectations.length, 0)} expectations failed:\n` +
    failed.map(({ r, e }) => `  ${file}:${e.lineNo}: ${firstLine(r.line)}: ` + (e.kind === "exit"
      ? `exited ${r.exitCode}, want ${e.want}`
      : `output does not contain ${JSON.stringify(e.want)}`)).join("\n") + "\n";
  const stdout = flag.bool(p, "json")
    ? JSON.stringify({ seed, traceHash: pg.traceHash(), worldHash: pg.worldHash(), results, session: pg.session() }, null, 2) + "\n"
    : transcript(results);
  return { stdout, stderr: report, code: failed.length > 0 ? 1 : 0 };
}

const firstLine = (line: string) => {
  const [a, ...rest] = line.split("\n");
  return rest.length > 0 ? `${a} ...` : a!;
};

/** "node1,node2" → the host names (the playground checks each). */
export function nodesFlag(text: string): string[] {
  const nodes = text.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (nodes.length === 0) throw new DrydockError("EFLAG", `invalid argument "${text}" for "--nodes" flag: want host names, as in node1,node2`);
  return nodes;
}
