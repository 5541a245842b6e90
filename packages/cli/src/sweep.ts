import { DrydockError } from "@drydock/kernel";
// The flag parser alone: the playground's index would load every package into the command's
// main thread while its first worker starts (bin/sweep-worker.ts).
import { flag, parseFlags, usage, type FlagSpec } from "@drydock/playground/flags";
import {
  SWEEP_SEED_MAX, SweepRegistry, sweepOne, sweepSeed, type SweepFail, type SweepOutcome, type SweepProperty,
} from "@drydock/testkit/sweep";
import { readText, type CliIO } from "./io.js";
import type { CliResult } from "./output.js";

// `drydock sweep <property> --runs N`: run i of a sweep checks the run fast-check draws from
// seed (base + i). A run depends on its seed alone, so the runs can be done in any order, in
// any number of worker threads (bin/sweep-worker.ts) or machines (--shard i/n), and the
// results merge (--merge) into exactly what one sweep gives. This file is pure: planning,
// sharding, tallying, merging and the summary; the threads and the wall clock live in bin/.

export const SWEEP_SUMMARY = "Run many seeds of a named property (in worker threads), shard across machines, merge";

export const SWEEP_SPECS: readonly FlagSpec[] = [
  { name: "runs", short: "n", kind: "int", help: "Number of runs (seeds) in the whole sweep", default: 100 },
  { name: "workers", short: "w", kind: "int", help: "Worker threads (0: one per CPU)", default: 0 },
  { name: "shard", kind: "string", help: "Run only shard I of N of the seeds (I/N); shards' --json results merge", default: "1/1" },
  { name: "seed", kind: "int", help: "Seed of run 0; run i uses seed+i (a failing run replays with --seed S --runs 1)", default: 1 },
  { name: "json", kind: "bool", help: "Print the result as JSON (for --merge)" },
  { name: "merge", kind: "bool", help: "Merge the JSON results of shards given as arguments" },
  { name: "load", kind: "list", help: "Import a module that exports more sweep properties (sweepProperties)" },
  { name: "list", kind: "bool", help: "List the properties" },
  { name: "no-shrink", kind: "bool", help: "Report failing runs as drawn, without shrinking them" },
  { name: "app-url", kind: "string", help: "Where the app is served, for the links of failures", default: "http://localhost:5173/" },
  { name: "progress", kind: "bool", help: "Show a progress bar on stderr (default: when stderr is a terminal)" },
  { name: "help", kind: "bool", help: "Print usage" },
];

/** A sweep to run: which property, which runs of it, and how. */
export interface SweepPlan {
  readonly property: string;
  /** Runs in the whole sweep (all shards). */
  readonly runs: number;
  /** The seed of run 0. */
  readonly seed: number;
  /** Shard `index` of `count` (1-based), and the runs [from, to) it covers. */
  readonly shard: readonly [index: number, count: number];
  readonly from: number;
  readonly to: number;
  /** Worker threads asked for (0: one per CPU); the bin decides. */
  readonly workers: number;
  readonly json: boolean;
  readonly shrink: boolean;
  readonly appUrl: string;
  readonly load: readonly string[];
  readonly progress: boolean;
}

export type SweepRequest =
  | { readonly kind: "help" }
  | { readonly kind: "list"; readonly load: readonly string[] }
  | { readonly kind: "merge"; readonly files: readonly string[]; readonly json: boolean }
  | { readonly kind: "run"; readonly plan: SweepPlan };

/** The runs [from, to) of shard `index` (1-based) of `count`: contiguous, as even as can be, together every run once. */
export function shardRange(runs: number, index: number, count: number): readonly [from: number, to: number] {
  return [Math.floor(((index - 1) * runs) / count), Math.floor((index * runs) / count)];
}

const usageError = (message: string): never => {
  throw new DrydockError("EFLAG", message);
};

/** Reads `drydock sweep`'s command line. */
export function parseSweep(argv: readonly string[]): SweepRequest {
  const p = parseFlags(argv, SWEEP_SPECS);
  if (flag.bool(p, "help")) return { kind: "help" };
  if (flag.bool(p, "list")) return { kind: "list", load: flag.list(p, "load") };
  if (flag.bool(p, "merge")) {
    if (p.args.length === 0) throw new DrydockError("EARGS", `"drydock sweep --merge" requires at least 1 argument (the shards' JSON results)`);
    return { kind: "merge", files: p.args, json: flag.bool(p, "json") };
  }
  if (p.args.length !== 1) throw new DrydockError("EARGS", `"drydock sweep" requires exactly 1 argument (the property; 'drydock sweep --list' lists them), got ${p.args.length}`);
  const runs = flag.int(p, "runs")!;
  if (runs < 1) usageError(`invalid argument "${runs}" for "-n, --runs" flag: want at least 1 run`);
  const workers = flag.int(p, "workers")!;
  if (workers < 0) usageError(`invalid argument "${workers}" for "-w, --workers" flag: want 0 (one per CPU) or more`);
  const seed = flag.int(p, "seed")!;
  if (seed < 0 || seed > SWEEP_SEED_MAX) usageError(`invalid argument "${seed}" for "--seed" flag: want a seed from 0 to ${SWEEP_SEED_MAX}`);
  const shardText = flag.str(p, "shard")!;
  const m = /^(\d+)\/(\d+)$/.exec(shardText);
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || index < 1 || count < 1 || index > count) usageError(`invalid argument "${shardText}" for "--shard" flag: want I/N with 1 <= I <= N, as in 2/4`);
  const appUrl = flag.str(p, "app-url")!;
  if (!URL.canParse(appUrl)) usageError(`invalid argument "${appUrl}" for "--app-url" flag: want a URL`);
  const [from, to] = shardRange(runs, index, count);
  return {
    kind: "run",
    plan: {
      property: p.args[0]!, runs, seed, shard: [index, count], from, to, workers,
      json: flag.bool(p, "json"), shrink: !flag.bool(p, "no-shrink"), appUrl, load: flag.list(p, "load"), progress: flag.bool(p, "progress"),
    },
  };
}

// ---- results ------------------------------------------------------------------------------------

/** A failing run: its index in the sweep, its seed, and what testkit's sweepOne reported. */
export type SweepFailure = SweepFail & { readonly index: number; readonly seed: number };

/** One shard as run: which runs, and (from the bin) how long it took on how many threads. */
export interface SweepPart {
  readonly shard: readonly [index: number, count: number];
  readonly from: number;
  readonly to: number;
  readonly wallMs?: number;
  /** CPU time of the whole process (every thread), from the bin. */
  readonly cpuMs?: number;
  readonly workers?: number;
}

/** A sweep's result as JSON: what `--json` prints and `--merge` reads. */
export interface SweepResult {
  readonly drydock: "sweep";
  readonly version: 1;
  readonly property: string;
  readonly seed: number;
  readonly runs: number;
  /** The shards it covers, by `from`. */
  readonly parts: readonly SweepPart[];
  readonly passed: number;
  /** Failing runs by index. */
  readonly failures: readonly SweepFailure[];
  /** Simulation events and refused actions, summed over the passing runs. */
  readonly events: number;
  readonly refused: number;
}

/** Adds up outcomes as they come (from any thread, in any order) into a result. */
export class SweepTally {
  passed = 0;
  events = 0;
  refused = 0;
  readonly #failures: SweepFailure[] = [];
  readonly #seen = new Set<number>();

  constructor(readonly plan: SweepPlan) {}

  get done(): number {
    return this.#seen.size;
  }

  get failed(): number {
    return this.#failures.length;
  }

  add(index: number, outcome: SweepOutcome): void {
    const { plan } = this;
    if (!Number.isInteger(index) || index < plan.from || index >= plan.to || this.#seen.has(index)) throw new RangeError(`run ${index} is not one of this sweep's outstanding runs`);
    this.#seen.add(index);
    if (outcome.ok) {
      this.passed++;
      this.events += outcome.events;
      this.refused += outcome.refused;
    } else {
      this.#failures.push({ index, seed: sweepSeed(plan.seed, index), ...outcome });
    }
  }

  result(part: { readonly wallMs?: number; readonly cpuMs?: number; readonly workers?: number } = {}): SweepResult {
    const { plan } = this;
    if (this.done !== plan.to - plan.from) throw new RangeError(`the sweep has ${plan.to - plan.from - this.done} runs outstanding`);
    return {
      drydock: "sweep", version: 1, property: plan.property, seed: plan.seed, runs: plan.runs,
      parts: [{ shard: plan.shard, from: plan.from, to: plan.to, ...part }],
      passed: this.passed, failures: [...this.#failures].sort((a, b) => a.index - b.index), events: this.events, refused: this.refused,
    };
  }
}

// Not output.ts's ok/failure: they would load the image package and the playground with this file.
const ok = (stdout: string): CliResult => ({ stdout, stderr: "", code: 0 });
const failure = (stderr: string, code: number): CliResult => ({ stdout: "", stderr: stderr.endsWith("\n") ? stderr : stderr + "\n", code });


/** The registry a sweep looks its property up in: drydock's own and any loaded. */
export function sweepRegistry(extra: Iterable<SweepProperty<never>> = []): SweepRegistry {
  const r = new SweepRegistry();
  for (const p of extra) r.add(p);
  return r;
}

/** The property a plan names, or a usage error listing the ones there are. */
export function findProperty(registry: SweepRegistry, name: string): SweepProperty<never> {
  const p = registry.get(name);
  if (!p) throw new DrydockError("EARGS", `no sweep property named "${name}"; there are ${registry.list().map((x) => x.name).join(", ")}`);
  return p;
}

/** Runs a plan's runs one after another in this thread (the bin spreads them over worker threads instead). */
export function runSweepHere(plan: SweepPlan, registry: SweepRegistry, onRun: (tally: SweepTally) => void = () => {}): SweepTally {
  const property = findProperty(registry, plan.property);
  const tally = new SweepTally(plan);
  for (let i = plan.from; i < plan.to; i++) {
    tally.add(i, sweepOne(property, sweepSeed(plan.seed, i), { shrink: plan.shrink, appUrl: plan.appUrl }));
    onRun(tally);
  }
  return tally;
}

// ---- merging ------------------------------------------------------------------------------------

/** Reads a saved result, or says what is wrong with it. */
export function parseSweepResult(text: string, file: string): SweepResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new DrydockError("EARGS", `${file}: not JSON (${(e as Error).message})`);
  }
  const r = v as Partial<SweepResult> | null;
  if (r === null || typeof r !== "object" || r.drydock !== "sweep" || r.version !== 1 || !Array.isArray(r.parts) || !Array.isArray(r.failures)) {
    throw new DrydockError("EARGS", `${file}: not the JSON result of drydock sweep (version 1)`);
  }
  return r as SweepResult;
}

/** The runs of [0, runs) that no part covers. */
export function missingRuns(r: SweepResult): (readonly [number, number])[] {
  const out: [number, number][] = [];
  let at = 0;
  for (const p of [...r.parts].sort((a, b) => a.from - b.from)) {
    if (p.from > at) out.push([at, p.from]);
    at = Math.max(at, p.to);
  }
  if (at < r.runs) out.push([at, r.runs]);
  return out;
}

/**
 * Merges shards' results into one: the same property, seed and number of runs, no run twice.
 * The merge of every shard is the result one sweep of all the runs gives (wall times aside).
 */
export function mergeSweeps(results: readonly SweepResult[], files: readonly string[] = results.map((_, i) => `result ${i + 1}`)): SweepResult {
  const first = results[0];
  if (!first) throw new DrydockError("EARGS", "nothing to merge");
  results.forEach((r, i) => {
    for (const key of ["property", "seed", "runs"] as const) {
      if (r[key] !== first[key]) throw new DrydockError("EARGS", `${files[i]}: ${key} ${JSON.stringify(r[key])}, but ${files[0]} has ${JSON.stringify(first[key])}: not shards of one sweep`);
    }
  });
  const parts = results.flatMap((r) => r.parts).sort((a, b) => a.from - b.from);
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.from < parts[i - 1]!.to) {
      throw new DrydockError("EARGS", `runs ${parts[i]!.from}–${Math.min(parts[i]!.to, parts[i - 1]!.to) - 1} are in two of the results (shards ${parts[i - 1]!.shard.join("/")} and ${parts[i]!.shard.join("/")})`);
    }
  }
  return {
    drydock: "sweep", version: 1, property: first.property, seed: first.seed, runs: first.runs, parts,
    passed: results.reduce((n, r) => n + r.passed, 0),
    failures: results.flatMap((r) => r.failures).sort((a, b) => a.index - b.index),
    events: results.reduce((n, r) => n + r.events, 0),
    refused: results.reduce((n, r) => n + r.refused, 0),
  };
}

// ---- the summary --------------------------------------------------------------------------------

/** How many failures the summary lists (the JSON has all of them). */
export const FAILURES_LISTED = 10;

const count = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The command that replays one run of a sweep: run 0 of a sweep from that run's seed. */
export const replayCommand = (property: string, seed: number): string => `drydock sweep ${property} --seed ${seed} --runs 1 --workers 1`;

/** The summary of a result: runs, failures with their seeds, replay commands and app links, and time. */
export function formatSweep(r: SweepResult, o: { readonly merged?: boolean } = {}): string {
  const ran = r.parts.reduce((n, p) => n + p.to - p.from, 0);
  const lines: string[] = [];
  const shards = r.parts.map((p) => p.shard);
  const sharded = shards.some(([, n]) => n > 1);
  const which = !sharded ? "" : r.parts.length === 1 ? `, shard ${shards[0]!.join("/")} (runs ${r.parts[0]!.from}–${r.parts[0]!.to - 1})` : `, ${r.parts.length} shards merged`;
  lines.push(`drydock sweep ${r.property}: ${count(ran)} of ${count(r.runs)} runs, seeds ${r.seed}+i${which}`);
  if (o.merged) for (const [a, b] of missingRuns(r)) lines.push(`  missing   runs ${a}–${b - 1} (no result given covers them)`);
  lines.push(`  passed    ${count(r.passed)}`);
  lines.push(`  failed    ${count(r.failures.length)}`);
  lines.push(`  events    ${count(r.events)} (passing runs)${r.refused > 0 ? `, ${count(r.refused)} scheduled actions refused` : ""}`);
  const timed = r.parts.filter((p) => p.wallMs !== undefined);
  if (timed.length === 1) {
    const p = timed[0]!;
    const perSecond = ((p.to - p.from) / Math.max(1, p.wallMs!)) * 1000;
    const cpu = p.cpuMs !== undefined ? `, ${seconds(p.cpuMs)} CPU` : "";
    lines.push(`  time      ${seconds(p.wallMs!)} wall${cpu}${p.workers ? ` on ${p.workers} worker thread${p.workers === 1 ? "" : "s"}` : ""} (${count(Math.round(perSecond))} runs/s)`);
  } else if (timed.length > 1) {
    const longest = Math.max(...timed.map((p) => p.wallMs!));
    lines.push(`  time      ${seconds(longest)} wall for the slowest shard (${timed.map((p) => `${p.shard.join("/")}: ${seconds(p.wallMs!)}`).join(", ")})`);
  }
  if (r.failures.length > 0) {
    lines.push("", "Failures (run, seed):");
    for (const f of r.failures.slice(0, FAILURES_LISTED)) {
      lines.push(`  run ${f.index}, seed ${f.seed}: ${f.message}`);
      lines.push(`    replay: ${replayCommand(r.property, f.seed)}`);
      lines.push(f.link !== null ? `    app:    ${f.link}` : `    no app link: ${f.linkNote ?? "none"}`);
    }
    if (r.failures.length > FAILURES_LISTED) lines.push(`  ... and ${r.failures.length - FAILURES_LISTED} more (--json lists every one)`);
    const f = r.failures[0]!;
    lines.push("", `The first failure in full (run ${f.index}, seed ${f.seed}):`, ...f.report.split("\n").map((l) => `  ${l}`));
  }
  return lines.join("\n") + "\n";
}

/** Exit status of a sweep: 0 when every run passed (and, for a merge, every run of the sweep is there); 1 otherwise. */
export const sweepExitCode = (r: SweepResult, o: { readonly merged?: boolean } = {}): number =>
  r.failures.length > 0 || (o.merged === true && missingRuns(r).length > 0) ? 1 : 0;

/** What a sweep prints: the summary, or (--json) the result. */
export const sweepOutput = (r: SweepResult, json: boolean, o: { readonly merged?: boolean } = {}): CliResult =>
  ({ stdout: json ? JSON.stringify(r, null, 2) + "\n" : formatSweep(r, o), stderr: "", code: sweepExitCode(r, o) });

export const sweepUsage = (registry: SweepRegistry = sweepRegistry()): string =>
  usage("drydock sweep PROPERTY [OPTIONS]\n        drydock sweep --merge [--json] RESULT.json...", SWEEP_SUMMARY + ".", SWEEP_SPECS) +
  `\nProperties:\n${listProperties(registry)}`;

/** One line per property: its name and what it checks. */
export const listProperties = (registry: SweepRegistry): string => registry.list().map((p) => `  ${p.name.padEnd(20)} ${p.summary}`).join("\n") + "\n";

/**
 * `drydock sweep` in this thread: --help, --list, --merge, and sweeps run one run after
 * another (the `drydock` command runs them in worker threads: bin/sweep-worker.ts). Modules
 * (--load) are imported only by the command.
 */
export function sweepCommand(argv: readonly string[], io: CliIO = {}): CliResult {
  const req = parseSweep(argv);
  switch (req.kind) {
    case "help":
      return ok(sweepUsage());
    case "list":
      if (req.load.length > 0) return failure("drydock sweep: --load imports modules, which only the drydock command does", 2);
      return ok(listProperties(sweepRegistry()));
    case "merge": {
      const results = req.files.map((f) => parseSweepResult(readText(io, f), f));
      return sweepOutput(mergeSweeps(results, req.files), req.json, { merged: true });
    }
    case "run": {
      const { plan } = req;
      if (plan.load.length > 0) return failure("drydock sweep: --load imports modules, which only the drydock command does", 2);
      const registry = sweepRegistry();
      findProperty(registry, plan.property);
      const sink = io.progress;
      const show = sink && (plan.progress || sink.auto);
      const tally = runSweepHere(plan, registry, show ? (t) => sink.report(progressLine(plan, t.done, t.failed)) : undefined);
      if (show) sink.done();
      return sweepOutput(tally.result(), plan.json);
    }
  }
}

/** The progress bar: "raft-safety [########------------] 4,210/10,000 runs, 0 failed" (the bin adds times). */
export function progressLine(plan: SweepPlan, done: number, failed: number, width = 24): string {
  const total = plan.to - plan.from;
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `  ${plan.property} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${count(done)}/${count(total)} runs, ${count(failed)} failed`;
}
