// CPU and garbage of the raft-safety sweep on one thread (issue 16's speedup): runs FROM..TO of
// `drydock sweep raft-safety --seed 1` in this thread and prints the events, the CPU time, the
// events per CPU second and V8's collections (count and pause time by kind). Counts of work,
// not wall time, so it means something on a shared machine. MARK=1 prints a line every 500
// runs, to place V8's --trace-opt/--trace-deopt output (JIT work) along the sweep.
//   node --conditions=drydock-source --import tsx packages/testkit/bench/sweep-cpu.ts [runs] [from]
// (without --conditions=drydock-source it runs the built packages, dist/)
import { PerformanceObserver, constants } from "node:perf_hooks";
import { SweepRegistry, sweepOne, sweepSeed } from "@drydock/testkit/sweep";

const runs = Number(process.argv[2] ?? 1000);
const from = Number(process.argv[3] ?? 0);
const gcs = { minor: 0, major: 0, incremental: 0, weak: 0, minorMs: 0, majorMs: 0 };
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail: { kind: number } }).detail.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) { gcs.minor++; gcs.minorMs += e.duration; }
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) { gcs.major++; gcs.majorMs += e.duration; }
    else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) gcs.incremental++;
    else gcs.weak++;
  }
});
obs.observe({ entryTypes: ["gc"] });
const property = new SweepRegistry().get("raft-safety")!;
const cpu0 = process.cpuUsage();
let events = 0;
let passed = 0;
for (let i = from; i < from + runs; i++) {
  if (process.env.MARK && (i - from) % 500 === 0) console.log(`@@ run ${i}`);
  const o = sweepOne(property, sweepSeed(1, i));
  if (o.ok) { passed++; events += o.events; }
}
const cpu = process.cpuUsage(cpu0);
await new Promise((r) => setTimeout(r, 10));
obs.disconnect();
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ runs, passed, events, cpuMs: Math.round(cpuMs), eventsPerCpuS: Math.round(events / (cpuMs / 1000)), gc: { ...gcs, minorMs: Math.round(gcs.minorMs), majorMs: Math.round(gcs.majorMs) } }));
