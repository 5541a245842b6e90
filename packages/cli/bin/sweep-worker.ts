// `drydock sweep` across worker threads (node:worker_threads; no pool library: the pool is a
// queue of run indices handed out in small chunks, which is all a sweep needs). This file is
// both sides: imported by bin/main.ts it is the pool (main thread), and started as a Worker it
// checks runs. The wall clock is read here, never in src/.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { DrydockError } from "@drydock/kernel";
// The testkit's sweep module alone: its index would also load the playground (every package).
import { SweepRegistry, sweepOne, sweepPropertiesOf, sweepSeed, type SweepOutcome } from "@drydock/testkit/sweep";
import type { CliResult } from "../src/output.js";
import type { SweepPlan, SweepTally } from "../src/sweep.js";
import { builtPairs, staleSources, workspacePairs } from "./built.js";
import { stderrProgress } from "./progress.js";

// A worker loads only the testkit's sweeps and what they run; the command's modules (flags,
// the playground behind runCli) are imported by the main thread alone.
const command = () => import("../src/sweep.js");

/** What the pool tells a worker when it starts it. */
interface WorkerInit {
  readonly property: string;
  readonly seed: number;
  readonly shrink: boolean;
  readonly appUrl: string;
  /** file: URLs of modules with more sweep properties (--load). */
  readonly modules: readonly string[];
}

type ToWorker = { readonly type: "runs"; readonly from: number; readonly to: number } | { readonly type: "stop" };
/** A chunk's outcomes come back in one message: one per run woke the main thread thousands of times, each time taking a core from a worker. */
type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "outcomes"; readonly from: number; readonly outcomes: readonly SweepOutcome[] }
  | { readonly type: "error"; readonly message: string };

/** Imports --load modules and builds the registry they extend. */
async function registryOf(modules: readonly string[]): Promise<SweepRegistry> {
  const registry = new SweepRegistry();
  for (const url of modules) for (const p of sweepPropertiesOf((await import(url)) as Record<string, unknown>)) registry.add(p);
  return registry;
}

function findIn(registry: SweepRegistry, name: string) {
  const p = registry.get(name);
  if (!p) throw new Error(`no sweep property named "${name}"`);
  return p;
}

// ---- the worker ---------------------------------------------------------------------------------

/** What a sweep worker is started with: a mark, as other worker threads (a test runner's) may import this file too. */
const SWEEP_WORKER = { drydockSweepWorker: true } as const;

/**
 * A worker loads the testkit as it starts, then waits for its init: the pool starts one before
 * the main thread has read the command line (loading the command's flag parser takes longer than
 * a worker's start), so the two load side by side.
 */
function workerMain(): void {
  const port = parentPort!;
  const post = (m: FromWorker) => port.postMessage(m);
  port.once("message", (init: WorkerInit) => {
    registryOf(init.modules).then((registry) => {
      const property = findIn(registry, init.property);
      port.on("message", (m: ToWorker) => {
        if (m.type === "stop") {
          port.close();
          return;
        }
        const outcomes: SweepOutcome[] = [];
        for (let i = m.from; i < m.to; i++) outcomes.push(sweepOne(property, sweepSeed(init.seed, i), { shrink: init.shrink, appUrl: init.appUrl }));
        post({ type: "outcomes", from: m.from, outcomes });
      });
      post({ type: "ready" });
    }).catch((e: unknown) => post({ type: "error", message: e instanceof Error ? e.message : String(e) }));
  });
}

// ---- the pool -----------------------------------------------------------------------------------

/** What a worker runs: this file as it is, its built copy (dist/), or this file through tsx. */
type WorkerCode = "as-is" | "built" | "source";

/**
 * In the drydock repository this file is TypeScript run through tsx, whose loader a worker
 * does not inherit on Node 20. A worker registering it again starts in about a second (its own
 * loader thread, every module through it) against a fifth of that for the built files, so
 * workers run dist/ when no source they load is newer than its build (built.ts) and no --load
 * module is TypeScript. DRYDOCK_SOURCE=1 keeps them on the sources.
 */
export function workerCode(modules: readonly string[]): WorkerCode {
  if (!import.meta.url.endsWith(".ts")) return "as-is";
  if (process.env.DRYDOCK_SOURCE || modules.some((m) => /\.[cm]?tsx?$/.test(m))) return "source";
  const packages = join(fileURLToPath(import.meta.url), "..", "..", "..");
  // The built sweep loads these packages, this file and the bin modules it imports; a --load
  // module may import any package.
  const pairs = modules.length > 0 ? workspacePairs(packages) : [
    ...["kernel", "raft", "swim", "testkit"].flatMap((p) => builtPairs(join(packages, p))),
    ...builtPairs(join(packages, "cli"), "bin").filter((p) => ["sweep-worker.ts", "built.ts", "progress.ts"].includes(basename(p.source))),
  ];
  return staleSources(pairs).length === 0 ? "built" : "source";
}

/**
 * A worker started on this file (see workerCode), before it has its init. Until the pool adopts
 * it, what it does is kept: an early error or exit must reach the pool, not be lost.
 */
export class StartedWorker {
  readonly worker: Worker;
  /** Why it ended before the pool took it over, if it did. */
  early: Error | undefined;

  constructor(readonly code: WorkerCode) {
    const self = import.meta.url;
    const workerData = SWEEP_WORKER;
    if (code === "as-is") this.worker = new Worker(new URL(self), { workerData });
    // Without the drydock-source condition (and tsx), packages resolve to their dist/ too.
    else if (code === "built") this.worker = new Worker(new URL("../dist/bin/sweep-worker.js", self), { workerData, execArgv: [] });
    else {
      const tsx = import.meta.resolve("tsx/esm/api");
      const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(self)});`;
      this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData });
    }
    this.worker.on("error", (e) => { this.early ??= e; });
    this.worker.on("exit", (status) => { this.early ??= new Error(`a sweep worker ended (status ${status}) before it was given its runs`); });
  }
}

/**
 * Runs within a chunk: small enough to balance the threads, large enough to keep messages few.
 * Each worker holds two chunks, so it starts the next while the main thread hands out another
 * (on a machine whose every core runs a worker, the main thread may wait for a core).
 */
export const chunkSize = (runs: number, workers: number): number => Math.max(1, Math.min(25, Math.floor(runs / (workers * 16))));

/**
 * Runs a plan's runs on `workers` threads; resolves with the tally, or rejects when a worker
 * fails. Workers started already (`started`, on the same code) are used first. `onOutcome`
 * hears of each chunk's outcomes as they come back.
 */
export async function runInWorkers(
  plan: SweepPlan, workers: number, modules: readonly string[], onOutcome: (tally: SweepTally) => void, code = workerCode(modules), started: readonly StartedWorker[] = [],
): Promise<SweepTally> {
  const tally = new (await command()).SweepTally(plan);
  const init: WorkerInit = { property: plan.property, seed: plan.seed, shrink: plan.shrink, appUrl: plan.appUrl, modules };
  const total = plan.to - plan.from;
  const chunk = chunkSize(total, workers);
  let next = plan.from;
  return new Promise((done, fail) => {
    const pool: Worker[] = [];
    let finished = false;
    const end = (e?: Error) => {
      if (finished) return;
      finished = true;
      for (const w of pool) void w.terminate();
      if (e) fail(e);
      else done(tally);
    };
    // Chunks each worker holds (handed out, outcomes not yet back).
    const held = new Map<Worker, number>();
    const feed = (w: Worker) => {
      if (next >= plan.to) {
        if (!held.get(w)) w.postMessage({ type: "stop" } satisfies ToWorker);
        return;
      }
      // Guided: chunks shrink near the end, so no worker idles while the other holds two full chunks.
      const to = Math.min(plan.to, next + Math.max(1, Math.min(chunk, Math.ceil((plan.to - next) / (workers * 4)))));
      w.postMessage({ type: "runs", from: next, to } satisfies ToWorker);
      held.set(w, (held.get(w) ?? 0) + 1);
      next = to;
    };
    const count = Math.min(workers, total);
    for (const extra of started.slice(count)) void extra.worker.terminate();
    for (let k = 0; k < count; k++) {
      const s = started[k] ?? new StartedWorker(code);
      const w = s.worker;
      pool.push(w);
      if (s.early) {
        end(s.early);
        break;
      }
      w.postMessage(init);
      w.on("message", (m: FromWorker) => {
        if (m.type === "ready") {
          feed(w);
          feed(w);
        } else if (m.type === "outcomes") {
          held.set(w, held.get(w)! - 1);
          m.outcomes.forEach((o, i) => tally.add(m.from + i, o));
          onOutcome(tally);
          if (tally.done === total) end();
          else feed(w);
        } else end(new Error(m.message));
      });
      w.on("error", (e) => end(e));
      w.on("exit", (code) => {
        if (!finished && code !== 0) end(new Error(`a sweep worker exited with status ${code}`));
      });
    }
  });
}

/** `drydock sweep ...` from the command: runs in worker threads with a progress bar; everything else as runCli does it. */
export async function runSweep(argv: readonly string[], stream: NodeJS.WriteStream = process.stderr): Promise<number> {
  const write = (r: CliResult) => {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
  };
  // A closed stderr (`2>&1 | head`) must end the bar, not the sweep: without a listener an EPIPE
  // would reach the last-resort handler, whose own write to stderr fails again, for ever.
  let closed = false;
  stream.on("error", () => { closed = true; });
  const bar = stderrProgress(stream);
  const progress = { auto: bar.auto, report: (line: string) => { if (!closed) bar.report(line); }, done: () => { if (!closed) bar.done(); } };
  // The whole command (runCli, every package) only for what a sweep does not run: --help,
  // --merge, --list, and errors. Every sweep runs at least one worker: it starts loading now,
  // beside the command's module (its flag parser loads the playground, the longer of the two).
  const cli = () => import("../src/main.js");
  // The sweep's wall and CPU time count from here, its first worker's start.
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let early: StartedWorker | undefined = new StartedWorker(workerCode([]));
  try {
    const { findProperty, listProperties, parseSweep, progressLine, sweepOutput } = await command();
    const req = parseSweep(argv);
    if (req.kind === "help" || req.kind === "merge" || (req.kind === "list" && req.load.length === 0)) {
      return write((await cli()).runCli(["sweep", ...argv], { readFile: (path) => readFileSync(resolve(path), "utf8"), progress }));
    }
    const modules = (req.kind === "list" ? req.load : req.plan.load).map((f) => pathToFileURL(resolve(f)).href);
    const registry = await registryOf(modules).catch((e: unknown) => {
      throw new DrydockError("ELOAD", `--load ${(req.kind === "list" ? req.load : req.plan.load).join(", ")}: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (req.kind === "list") return write({ stdout: listProperties(registry), stderr: "", code: 0 });
    const { plan } = req;
    findProperty(registry, plan.property);
    const workers = plan.workers === 0 ? availableParallelism() : plan.workers;
    const show = plan.progress || progress.auto;
    // The first results' time and count: the rate since then leaves the workers' start-up out.
    let first = 0;
    let firstDone = 0;
    // The early worker serves when it runs the code the sweep needs (a --load module in TypeScript needs tsx).
    const code = workerCode(modules);
    const started = early.code === code ? [early] : [];
    if (started.length > 0) early = undefined;
    const tally = await runInWorkers(plan, workers, modules, (t) => {
      if (!show) return;
      const now = performance.now();
      if (first === 0) {
        first = now;
        firstDone = t.done;
      }
      const left = t.done > firstDone ? ((now - first) / (t.done - firstDone)) * (plan.to - plan.from - t.done) / 1000 : NaN;
      progress.report(`${progressLine(plan, t.done, t.failed)}  ${((now - t0) / 1000).toFixed(1)}s${Number.isFinite(left) ? `, ~${left.toFixed(0)}s left` : ""}`);
    }, code, started);
    const wallMs = Math.round(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    progress.done();
    return write(sweepOutput(tally.result({ wallMs, cpuMs, workers: Math.min(workers, plan.to - plan.from) }), plan.json));
  } catch (e) {
    progress.done();
    return write((await cli()).errorResult(e, "sweep"));
  } finally {
    if (early) void early.worker.terminate();
  }
}

if (!isMainThread && (workerData as typeof SWEEP_WORKER | null)?.drydockSweepWorker === true) workerMain();
