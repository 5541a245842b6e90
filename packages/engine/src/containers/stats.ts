// Resource use as the cgroups account it (`docker stats`, `docker top`'s TIME): memory from each
// process's plan (never above the limit: the OOM killer ends a process first), and CPU shared
// the way CFS shares it — each running process gets what it wants up to its quota (`--cpus`),
// and when the host's CPUs are not enough they are split in proportion to `--cpu-shares`.
import type { Micros } from "@drydock/kernel";
import type { EngineState } from "../engine.js";
import { HOST_CPUS, HOST_MEMORY, memoryAt } from "./daemon.js";
import type { Container } from "./types.js";

/** The share weight of a container (0 means the default 1024). */
const weight = (c: Container): number => c.hostConfig.resources.cpuShares || 1024;

/** The CPUs a container may use at most (`--cpus`, or a CFS quota over its period). */
export function cpuCap(c: Container, hostCpus = HOST_CPUS): number {
  const r = c.hostConfig.resources;
  if (r.nanoCpus > 0) return r.nanoCpus / 1e9;
  if (r.cpuQuota > 0) return r.cpuQuota / (r.cpuPeriod || 100_000);
  return hostCpus;
}

/** What a container's processes would use now with no competition (in CPUs). */
export function cpuDemand(c: Container): number {
  const r = c.run;
  if (r === null || r.pausedAt !== null) return 0;
  let d = r.plan.cpu;
  for (const e of c.execs) if (e.running) d += e.plan.cpu;
  return d;
}

/**
 * The CPUs each running container gets now: water-filling by weight. A container that wants
 * less than its share gets what it wants and the rest is split among the others.
 */
export function cpuRates(engine: EngineState, hostCpus = HOST_CPUS): Map<string, number> {
  const rates = new Map<string, number>();
  const wants = new Map<string, number>();
  for (const c of engine.containers.values()) {
    const d = Math.min(cpuDemand(c), cpuCap(c, hostCpus));
    if (d > 0) wants.set(c.id, d);
    else if (c.run) rates.set(c.id, 0);
  }
  let available = hostCpus;
  let active = [...wants.keys()];
  while (active.length > 0) {
    const total = active.reduce((n, id) => n + weight(engine.containers.get(id)!), 0);
    const satisfied = active.filter((id) => (available * weight(engine.containers.get(id)!)) / total >= wants.get(id)!);
    if (satisfied.length === 0) {
      for (const id of active) rates.set(id, (available * weight(engine.containers.get(id)!)) / total);
      break;
    }
    for (const id of satisfied) {
      rates.set(id, wants.get(id)!);
      available -= wants.get(id)!;
    }
    active = active.filter((id) => !satisfied.includes(id));
  }
  return rates;
}

/** Bytes the container's processes use now (the cgroup's memory.current, without page cache). */
export function memoryUsage(c: Container, now: Micros): number {
  const r = c.run;
  if (r === null) return 0;
  const t = (r.pausedAt ?? now) - r.origin;
  let m = memoryAt(r.plan, t);
  for (const e of c.execs) if (e.running) m += memoryAt(e.plan, (r.pausedAt ?? now) - e.origin);
  const limit = c.hostConfig.resources.memory || HOST_MEMORY;
  return Math.min(m, limit);
}

/** The memory limit `docker stats` shows: the cgroup's, or the host's. */
export function memoryLimit(c: Container, hostMemory = HOST_MEMORY): number {
  return c.hostConfig.resources.memory || hostMemory;
}

/** Processes in the container (the PIDS column). */
export function pidsOf(engine: EngineState, c: Container): number {
  let n = 0;
  for (const p of engine.kernel.procs.values()) if (p.container === c.id) n++;
  return n;
}
