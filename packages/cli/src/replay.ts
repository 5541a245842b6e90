import { DrydockError, formatDuration, isDrydockError } from "@drydock/kernel";
import { Playground, flag, parseFlags, usage, type FlagSpec } from "@drydock/playground";
import type { CliIO } from "./io.js";
import { ok, type CliResult } from "./output.js";
import { readText } from "./io.js";

const SPECS: readonly FlagSpec[] = [
  { name: "json", kind: "bool", help: "Print the summary as JSON" },
  { name: "help", kind: "bool", help: "Print usage" },
];

/** `drydock replay SESSION.json`: replays a saved session and prints where it ends and its hashes. */
export function replayCommand(argv: readonly string[], io: CliIO = {}): CliResult {
  const p = parseFlags(argv, SPECS);
  if (flag.bool(p, "help")) {
    return ok(usage("drydock replay [OPTIONS] SESSION", "Replay a saved session (drydock shell --save) and print its hosts, virtual time and hashes.", SPECS));
  }
  if (p.args.length !== 1) throw new DrydockError("EARGS", `"drydock replay" requires exactly 1 argument (the session file), got ${p.args.length}`);
  const file = p.args[0]!;
  const pg = load(readText(io, file), file);
  const summary = {
    file,
    seed: pg.session().seed,
    hosts: pg.nodes,
    actions: pg.actions.length,
    now: pg.now,
    traceHash: pg.traceHash(),
    worldHash: pg.worldHash(),
  };
  if (flag.bool(p, "json")) return ok(JSON.stringify(summary, null, 2) + "\n");
  return ok(
    `session ${file}: seed ${summary.seed}, ${summary.actions} actions\n` +
    `hosts         ${summary.hosts.join(", ")}\n` +
    `virtual time  ${formatDuration(summary.now)}\n` +
    `trace hash    ${summary.traceHash}\n` +
    `world hash    ${summary.worldHash}\n`,
  );
}

/** Playground.fromSession, with every way a file can be wrong reported as ESESSION (exit 2). */
export function load(text: string, file: string): Playground {
  try {
    return Playground.fromSession(text);
  } catch (e) {
    const why = isDrydockError(e) ? e.message : e instanceof Error ? e.message : String(e);
    throw new DrydockError("ESESSION", `${file}: ${why.startsWith("not a drydock session") ? why : `not a drydock session: ${why}`}`);
  }
}
