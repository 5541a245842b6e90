// The host's process tools over the engine's process table: containers are processes, so `ps -ef`
// on the host shows a container's PID 1 among the host's own (with its host PID, under a
// containerd shim), and `kill -9 PID` ends it from outside (the container dies with 137).
// procps-ng 4 (Debian 12) output: `ps`, `ps -e`/`-A`, `ps -ef`, `ps aux`; kill as bash's builtin.
import type { Micros } from "@drydock/kernel";
import { Daemon, LOGIN_SHELL_PID, SIGNALS, allProcesses, dateParts, parseSignal, signalName, type EngineState, type Proc } from "@drydock/engine";
import type { CommandOutcome, CommandRequest } from "../shell/host.js";
import type { CommandContext, HostDraft } from "./commands.js";
import { auxHeader, auxRow, isBsdUserFormat } from "./container-shell.js";

type HostProgram = (req: CommandRequest, draft: HostDraft, ctx: CommandContext) => CommandOutcome;

const outcome = (status: number, stdout: string, stderr: string): CommandOutcome => ({ status, stdout, stderr });

const pad2 = (n: number) => String(n).padStart(2, "0");

/** STIME/START: HH:MM for a process started today (virtual days), else "MonDD". */
function startTime(at: Micros, now: Micros): string {
  const a = dateParts(at);
  const b = dateParts(now);
  if (a.year === b.year && a.month === b.month && a.day === b.day) return `${pad2(a.hour)}:${pad2(a.minute)}`;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${months[a.month - 1]}${pad2(a.day)}`;
}

/** The processes `ps` sees: the host's own, the engine's (shims, containers' processes), this shell, and ps itself. */
function table(engine: EngineState, now: Micros, self: number, args: readonly string[]): Proc[] {
  const own: Proc = { pid: self, ppid: LOGIN_SHELL_PID, user: "root", argv: ["ps", ...args], container: null, nsPid: self, startedAt: now, kind: "exec", frozen: false };
  return [...allProcesses(engine.kernel), own].sort((a, b) => a.pid - b.pid);
}

const isKernelThread = (p: Proc) => p.argv.length === 1 && /^\[.*\]$/.test(p.argv[0]!);

function ps(req: CommandRequest, draft: HostDraft, ctx: CommandContext): CommandOutcome {
  const args = req.argv.slice(1);
  const self = draft.engine.kernel.nextPid;
  const procs = table(draft.engine, ctx.now, self, args);
  const opts = args.join(" ");
  const cmd = (p: Proc) => p.argv.join(" ");
  const tty = (p: Proc) => (p.pid === LOGIN_SHELL_PID || p.pid === self ? "pts/0" : "?");
  if (opts === "") {
    const mine = procs.filter((p) => p.pid === LOGIN_SHELL_PID || p.pid === self);
    return outcome(0, `    PID TTY          TIME CMD\n${mine.map((p) => `${String(p.pid).padStart(7)} pts/0    00:00:00 ${p.pid === LOGIN_SHELL_PID ? "bash" : "ps"}`).join("\n")}\n`, "");
  }
  if (/^-[eA]$/.test(opts)) {
    return outcome(0, `    PID TTY          TIME CMD\n${procs.map((p) => `${String(p.pid).padStart(7)} ${tty(p).padEnd(8)} 00:00:00 ${shortName(p)}`).join("\n")}\n`, "");
  }
  if (/^-(ef|fe|eF)$/.test(opts) || opts === "-e -f" || opts === "-f -e") {
    const rows = procs.map((p) => `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${startTime(p.startedAt, ctx.now).padEnd(5)} ${tty(p).padEnd(8)} 00:00:00 ${cmd(p)}`);
    return outcome(0, `UID          PID    PPID  C STIME TTY          TIME CMD\n${rows.join("\n")}\n`, "");
  }
  if (isBsdUserFormat(opts)) {
    const rows = procs.map((p) => {
      const stat = p.frozen ? "D" : isKernelThread(p) ? "I<" : p.pid === self ? "R+" : p.argv[0]?.includes("containerd-shim") ? "Sl" : "Ss";
      return auxRow({ user: p.user, pid: p.pid, argv: p.argv, tty: tty(p), stat, start: startTime(p.startedAt, ctx.now) }, 7);
    });
    return outcome(0, `${auxHeader(7)}\n${rows.join("\n")}\n`, "");
  }
  return outcome(1, "", `error: unsupported option (drydock's ps knows: ps, ps -e, ps -ef, ps aux)\n\nUsage:\n ps [options]\n`);
}

/** ps -e's CMD: the program's name (the argv's first word without its directory), [kthreads] as they are. */
function shortName(p: Proc): string {
  const a = p.argv[0] ?? "";
  if (isKernelThread(p)) return a.slice(1, -1);
  const base = a.slice(a.lastIndexOf("/") + 1).replace(/:$/, "");
  return base.slice(0, 15);
}

/** bash's kill builtin: `kill [-s SIG | -SIG] PID...`, `kill -l`. */
function kill(req: CommandRequest, draft: HostDraft, ctx: CommandContext): CommandOutcome {
  const args = req.argv.slice(1);
  if (args.length === 0) return outcome(2, "", "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
  if (args[0] === "-l" || args[0] === "-L") {
    const names = [...SIGNALS.entries()].filter(([n]) => !["CLD", "IOT", "POLL"].includes(n)).sort((a, b) => a[1] - b[1]);
    return outcome(0, names.map(([n, v]) => `${String(v).padStart(2)}) SIG${n}`).join("\n") + "\n", "");
  }
  let sig = 15;
  let i = 0;
  if (args[0] === "-s" || args[0] === "-n") {
    const n = parseSignal(args[1] ?? "");
    if (n === null) return outcome(1, "", `bash: kill: ${args[1] ?? ""}: invalid signal specification\n`);
    sig = n;
    i = 2;
  } else if (args[0]!.startsWith("-") && args[0] !== "--") {
    const n = parseSignal(args[0]!.slice(1));
    if (n === null) return outcome(1, "", `bash: kill: ${args[0]!.slice(1)}: invalid signal specification\n`);
    sig = n;
    i = 1;
  }
  if (args[i] === "--") i++;
  const pids = args.slice(i);
  if (pids.length === 0) return outcome(2, "", "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
  let err = "";
  let status = 0;
  const d = new Daemon(draft.engine, draft.fs, { now: ctx.now, ...ctx.runtime });
  for (const text of pids) {
    if (!/^-?\d+$/.test(text)) {
      err += `bash: kill: ${text}: arguments must be process or job IDs\n`;
      status = 1;
      continue;
    }
    const pid = Number(text);
    const known = allProcesses(draft.engine.kernel).some((p) => p.pid === pid);
    if (!known && pid !== LOGIN_SHELL_PID) {
      err += `bash: kill: (${pid}) - No such process\n`;
      status = 1;
      continue;
    }
    if (pid < 4300 || pid === LOGIN_SHELL_PID) {
      // The host's own daemons and this shell: drydock keeps them running (a lab machine you cannot break this way).
      err += `drydock: kill ${signalName(sig)} to the host's own process ${pid} is not simulated\n`;
      status = 1;
      continue;
    }
    d.signalPid(pid, sig);
  }
  draft.engine = d.engine;
  draft.fs = d.hostFs;
  return outcome(status, "", err);
}

export const HOST_PROGRAMS: ReadonlyMap<string, HostProgram> = new Map<string, HostProgram>([["ps", ps], ["kill", kill]]);
