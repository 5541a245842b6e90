// Programs that use resources, for the cgroup lessons: CPU hogs (a checksum of /dev/zero, dd
// from /dev/zero, stress --cpu) that take what the CPU share and quota allow, and memory hogs
// (`tail /dev/zero` keeps every "line" it reads; stress --vm) that grow until the cgroup's
// memory limit, where the kernel's OOM killer ends them (exit 137, OOMKilled).
import { MICROS_PER_SECOND } from "@drydock/kernel";
import type { Program } from "./program.js";
import { basePlan, exitPlan, linesAt, type Plan } from "./types.js";

const MB = 1024 * 1024;
const ENDLESS = new Set(["/dev/zero", "/dev/urandom", "/dev/random"]);

const cpuHog = (program: string, cores = 1): Plan => ({ ...basePlan(program), cpu: cores, memory: { base: 1 * MB, growPerSec: 0, max: null } });

/** sha256sum /dev/zero and its kin: one core, forever. */
export const checksum: Program = {
  names: ["sha256sum", "sha1sum", "md5sum", "sha512sum", "cksum", "b2sum"],
  start(ctx) {
    const files = ctx.spec.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (files.some((f) => ENDLESS.has(f))) return cpuHog(ctx.spec.argv[0]!.replace(/^.*\//, ""));
    return null;
  },
};

/** dd if=/dev/zero of=/dev/null: one core, forever (with no count=). */
export const dd: Program = {
  names: ["dd"],
  start(ctx) {
    const args = new Map(ctx.spec.argv.slice(1).map((a) => a.split("=") as [string, string]));
    if (ENDLESS.has(args.get("if") ?? "") && !args.has("count")) return cpuHog("dd");
    return null;
  },
};

/** tail /dev/zero: /dev/zero has no newline, so tail keeps all it reads as one last "line" and grows. */
export const tail: Program = {
  names: ["tail"],
  start(ctx) {
    const files = ctx.spec.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (files.some((f) => ENDLESS.has(f))) return { ...basePlan("tail"), cpu: 1, memory: { base: 1 * MB, growPerSec: 480 * MB, max: null } };
    return null;
  },
};

/**
 * stress (and stress-ng): `--cpu N` hogs N cores, `--vm N --vm-bytes B` keeps N workers of B
 * bytes each, `--timeout T` ends it. When the kernel kills a worker, stress reports it and exits 1.
 */
export const stress: Program = {
  names: ["stress", "stress-ng"],
  reactions: {},
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    const val = (name: string): string | undefined => {
      const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
      if (i < 0) return undefined;
      return args[i]!.includes("=") ? args[i]!.split("=")[1] : args[i + 1];
    };
    const cpus = Number(val("--cpu") ?? val("-c") ?? 0) || 0;
    const vms = Number(val("--vm") ?? val("-m") ?? 0) || 0;
    const bytes = parseBytes(val("--vm-bytes") ?? "256M");
    const timeout = val("--timeout") ?? val("-t");
    const workers = cpus + vms;
    if (workers === 0) return exitPlan("stress", 1, linesAt(0, "`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n", "stderr"));
    const header = `stress: info: [1] dispatching hogs: ${cpus} cpu, 0 io, ${vms} vm, 0 hdd\n`;
    // Workers allocate their memory within a fraction of a second.
    const plan: Plan = {
      ...basePlan("stress"), lines: linesAt(0, header), cpu: workers,
      memory: { base: 1 * MB, growPerSec: vms * bytes * 8, max: 1 * MB + vms * bytes },
      children: Array.from({ length: workers }, () => ({ argv: ctx.spec.argv, user: ctx.spec.user || "root", from: 0, to: null })),
    };
    if (timeout === undefined) return plan;
    const seconds = Number.parseFloat(timeout) * (timeout.endsWith("m") ? 60 : timeout.endsWith("h") ? 3600 : 1);
    const at = Math.round(seconds * MICROS_PER_SECOND);
    return { ...plan, lines: [...plan.lines, ...linesAt(at, `stress: info: [1] successful run completed in ${Math.round(seconds)}s\n`)], exit: { at, code: 0 } };
  },
};

export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([bkmgBKMG]?)$/.exec(text.trim());
  if (!m) return 256 * MB;
  const mult = new Map([["", 1], ["b", 1], ["k", 1024], ["m", MB], ["g", 1024 * MB]]).get(m[2]!.toLowerCase()) ?? 1;
  return Math.round(Number(m[1]) * mult);
}
