// The program catalogue: which program a process runs, found as runc finds the executable, and
// the plan it follows. The engine knows the servers, hogs and small tools of the course's images;
// the host shell's interpreter (supplied by the playground as the `fallback`) runs scripts and
// the coreutils. A program the catalogue does not know exits at once with status 0.
import type { Micros } from "@drydock/kernel";
import { echo, falseProgram, hello, interactiveShell, miniScript, sleep, trueProgram } from "./basic.js";
import { checksum, dd, stress, tail } from "./hogs.js";
import { compiledPlan } from "./compiled.js";
import { ping } from "./ping.js";
import { psql } from "./psql.js";
import { pgIsready, redisCli } from "./probes.js";
import type { Program, ProgramResolver, ReactionFn, StartContext, StartFailure, TickGenerator } from "./program.js";
import { baseName, execWrapper, lookPath, shebang } from "./resolve.js";
import { httpd, java, nginx, node, postgres, python, redis, registry } from "./servers.js";
import { APP_PROGRAMS } from "./apps.js";
import { exitPlan, type Plan, type Reaction } from "./types.js";

/** The engine's programs. */
export const PROGRAMS: readonly Program[] = [
  sleep, echo, trueProgram, falseProgram, hello, ping, nginx, httpd, redis, postgres, psql, pgIsready, redisCli, registry, node, java, python, checksum, dd, tail, stress,
  // Web apps read from their source (Flask, Sinatra) and Python client loops (DockerCoins' worker); after python, which they extend.
  ...APP_PROGRAMS,
];

export const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "ash", "dash", "zsh", "busybox-sh"]);

/** What the playground supplies: the host shell's interpreter running in the container. */
export interface ProgramFallback {
  /** A plan for a script or a tool the engine does not know; null when it does not know it either. */
  plan(ctx: StartContext): Plan | null;
  resume?(state: unknown, ctx: StartContext, at: Micros): Plan;
  readonly ticks?: Readonly<Record<string, TickGenerator>>;
  readonly reactions?: Readonly<Record<string, ReactionFn>>;
}

type Ctx = Omit<StartContext, "path" | "via">;

/** How many entrypoint scripts and interpreters may hand over before giving up (loops). */
const HANDOVERS_MAX = 4;

export function createCatalogue(opts: { readonly fallback?: ProgramFallback; readonly programs?: readonly Program[] } = {}): ProgramResolver {
  const programs = opts.programs ?? PROGRAMS;
  const byName = new Map<string, Program>();
  for (const p of programs) for (const n of p.names) byName.set(n, p);
  const ticks = new Map<string, TickGenerator>();
  const reactions = new Map<string, ReactionFn>();
  for (const p of [...programs, ...(opts.fallback ? [opts.fallback] : [])]) {
    for (const [k, v] of Object.entries(p.ticks ?? {})) ticks.set(k, v);
    for (const [k, v] of Object.entries(p.reactions ?? {})) reactions.set(k, v);
  }
  const fallback = opts.fallback;

  const shell = (ctx: StartContext, name: string): Plan => {
    const args = ctx.spec.argv.slice(1);
    const script = args.findIndex((a) => !a.startsWith("-") || a === "-c");
    if (script < 0 || (args[script] !== "-c" && args.slice(script).length === 0)) return interactiveShell(ctx, name);
    const fromFallback = fallback?.plan(ctx);
    if (fromFallback) return fromFallback;
    if (args[script] === "-c") return miniScript(args[script + 1] ?? "", name) ?? exitPlan(name, 0);
    return exitPlan(name, 0);
  };

  const planFor = (ctx: Ctx, via: string | null, depth: number): Plan | StartFailure => {
    const argv0 = ctx.spec.argv[0] ?? "";
    const found = lookPath(ctx.fs, argv0, ctx.env.get("PATH"), ctx.spec.cwd || "/");
    if ("failure" in found) return found;
    const full: StartContext = { ...ctx, path: found.path, via };
    const interp = shebang(found.node);
    if (interp !== null && depth < HANDOVERS_MAX) {
      const args = ctx.spec.argv.slice(1);
      let handed = execWrapper(found.node, args);
      if (handed !== null) {
        // The registry image's entrypoint: a config file as the first argument means `registry serve FILE`.
        if (/\.ya?ml$/.test(handed[0] ?? "") && found.path === "/entrypoint.sh") handed = ["registry", "serve", ...handed];
        if (handed.length === 0) return exitPlan("sh", 0);
        return planFor({ ...ctx, spec: { ...ctx.spec, argv: handed } }, found.path, depth + 1);
      }
      return planFor({ ...ctx, spec: { ...ctx.spec, argv: [...interp, found.path, ...args] } }, via, depth + 1);
    }
    const name = baseName(argv0);
    const compiled = compiledPlan(name, found.node);
    if (compiled !== null) return compiled;
    if (SHELLS.has(name) || SHELLS.has(baseName(found.target))) return shell(full, name);
    const program = byName.get(name) ?? byName.get(baseName(found.target));
    const planned = program?.start(full) ?? null;
    if (planned !== null) return planned;
    return fallback?.plan(full) ?? exitPlan(name, 0);
  };

  return {
    plan: (ctx) => planFor(ctx, null, 0),
    resume(program, state, ctx, at) {
      const p = byName.get(program);
      const full: StartContext = { ...ctx, path: ctx.spec.argv[0] ?? "", via: null };
      if (p?.resume) return p.resume(state, full, at);
      if (fallback?.resume) return fallback.resume(state, full, at);
      return exitPlan(program, 0);
    },
    tick(gen, params, k) {
      const g = ticks.get(gen);
      return g ? g(params, k) : "";
    },
    react(fn, params, at, now): Reaction {
      const r = reactions.get(fn);
      return r ? r(params, at, now) : { kind: "ignore" };
    },
  };
}
