// Where the CPU of a raft-safety sweep goes, thread by thread (issue 16's 2-worker speedup):
// W worker threads check runs 0..N-1 of `drydock sweep raft-safety --seed 1` (run i on worker
// i mod W), and this prints each worker's own CPU, the main thread's, and the rest (V8's helper
// threads: parallel and concurrent GC, concurrent compilation) over the checking alone (start-up
// and a warm-up run excluded), with the collections each worker saw. Counts of work, not wall
// time, so it means something on a shared machine. Linux only (/proc/thread-self).
//   node [v8 flags] --conditions=drydock-source --import tsx packages/testkit/bench/sweep-threads.ts [runs] [workers] [young MB]
import { readFileSync } from "node:fs";
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

interface Init { readonly runs: number; readonly workers: number; readonly k: number }
interface Report { cpuMs: number; events: number; passed: number; minor: number; major: number; minorMs: number; majorMs: number }

/** This thread's CPU time in ms (utime + stime, 100 Hz ticks). */
function ownCpu(): number {
  const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function worker(init: Init): Promise<void> {
  const { SweepRegistry, sweepOne, sweepSeed } = await import("@drydock/testkit/sweep");
  const property = new SweepRegistry().get("raft-safety")!;
  sweepOne(property, sweepSeed(1, 10_000_000)); // warm (not counted)
  const port = parentPort!;
  port.once("message", () => {
    const r: Report = { cpuMs: 0, events: 0, passed: 0, minor: 0, major: 0, minorMs: 0, majorMs: 0 };
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail: { kind: number } }).detail.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) { r.minor++; r.minorMs += e.duration; }
        else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) { r.major++; r.majorMs += e.duration; }
      }
    });
    obs.observe({ entryTypes: ["gc"] });
    const cpu0 = ownCpu();
    for (let i = init.k; i < init.runs; i += init.workers) {
      const o = sweepOne(property, sweepSeed(1, i));
      if (o.ok) { r.passed++; r.events += o.events; }
    }
    r.cpuMs = ownCpu() - cpu0;
    setTimeout(() => { obs.disconnect(); port.postMessage(r); }, 5);
  });
  port.postMessage("ready");
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 2000);
  const workers = Number(process.argv[3] ?? 1);
  const young = process.argv[4] ? Number(process.argv[4]) : undefined;
  // V8 flags for the workers' isolates, set at run time as the sweep command would (BENCH_V8_FLAGS).
  if (process.env.BENCH_V8_FLAGS) (await import("node:v8")).setFlagsFromString(process.env.BENCH_V8_FLAGS);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(import.meta.url)});`;
  const pool = Array.from({ length: workers }, (_, k) => new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: { runs, workers, k } satisfies Init, ...(young ? { resourceLimits: { maxYoungGenerationSizeMb: young } } : {}),
  }));
  await Promise.all(pool.map((w) => new Promise((r) => w.once("message", r))));
  const cpu0 = process.cpuUsage();
  const main0 = ownCpu();
  const t0 = performance.now();
  const reports = await Promise.all(pool.map((w) => { w.postMessage("go"); return new Promise<Report>((r) => w.once("message", r)); }));
  const wallMs = Math.round(performance.now() - t0);
  const c = process.cpuUsage(cpu0);
  const total = Math.round((c.user + c.system) / 1000);
  const mainMs = ownCpu() - main0;
  for (const w of pool) void w.terminate();
  const workerMs = reports.map((r) => r.cpuMs);
  const sum = workerMs.reduce((a, b) => a + b, 0);
  const events = reports.reduce((a, r) => a + r.events, 0);
  console.log(JSON.stringify({
    runs, workers, flags: [...process.execArgv.filter((a) => !a.includes("tsx") && !a.includes("drydock-source") && a !== "--import"), process.env.BENCH_V8_FLAGS ?? ""].join(" ").trim(), young: young ?? "default",
    events, passed: reports.reduce((a, r) => a + r.passed, 0), wallMs, cpuMs: total, workerCpuMs: workerMs, mainCpuMs: mainMs,
    helpersCpuMs: total - sum - mainMs, helpersShare: Number(((total - sum - mainMs) / total).toFixed(3)),
    eventsPerCpuS: Math.round(events / (total / 1000)), eventsPerWorkerCpuS: Math.round(events / (sum / 1000)),
    gc: reports.map((r) => ({ minor: r.minor, major: r.major, minorMs: Math.round(r.minorMs), majorMs: Math.round(r.majorMs) })),
  }));
}

if (isMainThread) await main();
else await worker(workerData as Init);
