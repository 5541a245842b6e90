// Small programs every image has: sleep, echo, true/false, shells (interactive or at EOF), and
// the hello-world image's /hello. Scripts (`sh -c`) and the rest of the coreutils are run by the
// host shell's interpreter, which the playground supplies; `miniScript` is the engine's own
// stand-in for simple scripts when it runs alone (its tests).
import { MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import type { Program, StartContext } from "./program.js";
import { basePlan, exitPlan, foreverPlan, linesAt, type Plan, type PlanLine } from "./types.js";

/** GNU/busybox sleep's operand: NUMBER[smhd]; null when it is not one. */
export function sleepSeconds(text: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (m === null) return null;
  const unit = new Map([["", 1], ["s", 1], ["m", 60], ["h", 3600], ["d", 86400]]).get(m[2]!) ?? 1;
  return Number(m[1]) * unit;
}

/** Processes that only wait use almost no memory (a few hundred KiB of RSS). */
const IDLE = { base: 400 * 1024, growPerSec: 0, max: null };

export const sleep: Program = {
  names: ["sleep"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args.length === 0) {
      const busybox = isBusybox(ctx);
      return exitPlan("sleep", 1, linesAt(0, busybox ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: sleep [N]...\n" : "sleep: missing operand\nTry 'sleep --help' for more information.\n", "stderr"));
    }
    let total = 0;
    for (const a of args) {
      const s = a === "infinity" || a === "inf" ? Infinity : sleepSeconds(a);
      if (s === null) return exitPlan("sleep", 1, linesAt(0, isBusybox(ctx) ? `sleep: invalid number '${a}'\n` : `sleep: invalid time interval ‘${a}’\nTry 'sleep --help' for more information.\n`, "stderr"));
      total += s;
    }
    // sleep installs no signal handlers: as PID 1 it ignores SIGTERM and SIGINT (docker stop waits out the grace period).
    const plan: Plan = { ...basePlan("sleep"), memory: IDLE };
    return Number.isFinite(total) ? { ...plan, exit: { at: Math.round(total * MICROS_PER_SECOND), code: 0 } } : plan;
  },
};

export function isBusybox(ctx: StartContext): boolean {
  const bb = ctx.fs.entries.get("bin");
  return bb?.kind === "dir" && bb.entries.has("busybox");
}

export const echo: Program = {
  names: ["echo"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    const n = args[0] === "-n";
    return exitPlan("echo", 0, linesAt(0, (n ? args.slice(1) : args).join(" ") + (n ? "" : "\n")));
  },
};

export const trueProgram: Program = { names: ["true"], start: () => exitPlan("true", 0) };
export const falseProgram: Program = { names: ["false"], start: () => exitPlan("false", 1) };

/** The hello-world image's /hello (docker-library/hello-world, hello.c), printed at once. */
export const HELLO_TEXT = `
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

`;

export const hello: Program = {
  names: ["hello"],
  start: () => ({ ...exitPlan("hello", 0, linesAt(MICROS_PER_MS, HELLO_TEXT)), memory: { base: 64 * 1024, growPerSec: 0, max: null } }),
};

/**
 * A shell started with no script: with stdin open (`-i`) it waits for input, ignoring SIGTERM
 * and SIGINT as an interactive shell does (so `docker stop` waits out the grace period); with
 * stdin closed it reads end-of-file at once and exits 0 (`docker run ubuntu` ends immediately).
 */
export function interactiveShell(ctx: StartContext, name: string): Plan {
  // A shell reads its stdin: closed (no -i, no -t), it ends at once; a terminal (-t) stays open, so `docker run -dt alpine` keeps running.
  if (!ctx.spec.interactive && !ctx.spec.tty) return exitPlan(name, 0);
  return {
    ...foreverPlan(name), memory: { base: 3 * 1024 * 1024, growPerSec: 0, max: null },
    signals: { SIGTERM: { kind: "ignore" }, SIGINT: { kind: "ignore" }, SIGQUIT: { kind: "ignore" } },
  };
}

/**
 * The engine's own stand-in for `sh -c SCRIPT` when no interpreter is supplied: a list of
 * `;`/`&&`-separated simple commands among echo, sleep, true, false and exit. Anything else
 * makes it give up (null), and the caller treats the script as a command that exits 0.
 */
export function miniScript(script: string, name: string): Plan | null {
  let t: Micros = 0;
  const lines: PlanLine[] = [];
  let status = 0;
  for (const part of script.split(/\s*(;|&&|\n)\s*/)) {
    if (part === "" || part === ";" || part === "\n") continue;
    if (part === "&&") {
      if (status !== 0) return { ...exitPlan(name, status, lines, t) };
      continue;
    }
    const words = part.match(/'[^']*'|"[^"]*"|\S+/g)?.map((w) => w.replace(/^['"]|['"]$/g, "")) ?? [];
    const [cmd, ...args] = words;
    if (cmd === "echo") lines.push(...linesAt(t, args.join(" ") + "\n"));
    else if (cmd === "sleep") {
      const s = sleepSeconds(args[0] ?? "");
      if (s === null) return null;
      t += Math.round(s * MICROS_PER_SECOND);
    } else if (cmd === "true") status = 0;
    else if (cmd === "false") status = 1;
    else if (cmd === "exit") return exitPlan(name, Number(args[0] ?? status) & 255, lines, t);
    else return null;
    if (cmd !== "false") status = 0;
  }
  return exitPlan(name, status, lines, t);
}
