import type { SimContext } from "@drydock/kernel";
import { planLines, type EngineState } from "@drydock/engine";
import { runDocker } from "../docker/cli.js";
import { CATALOGUE } from "./programs.js";
import type { DockerEnv } from "../docker/command.js";
import type { CommandOutcome } from "../shell/host.js";
import type { WorldMessage, WorldState } from "./state.js";
import { netWorldWith, type NetPlan } from "./traffic.js";
import { hostsOf, runtimeOf } from "./ops.js";

/**
 * kubectl exec reaches the kubelet, whose runtime runs the command in the container: here, `docker
 * exec` on the pod's node's engine, as the world has it at the line. What the command prints and
 * its status come back; what it changes in the container stays behind (a line changes only its own
 * host), so kubectl exec is for looking, not for writing. A network tool (wget, curl, ping) sends
 * its requests from the pod through the kernel while kubectl's line waits, as `docker exec`'s do
 * (world/traffic.ts: the trace has them); another command that would take virtual time gives what
 * it has printed at once; an interactive shell (`-it … sh`) takes the terminal instead
 * (execShellOnNode, world/attach.ts).
 */
/** What kubectl exec gets back: the command's outcome, or that it opens an interactive shell (kubectl attaches the terminal). */
export type NodeExec = CommandOutcome | { readonly attach: true } | { readonly traffic: NetPlan };

function execEnv(s: WorldState, node: string, stdin: string, tty: boolean, ctx: SimContext<WorldMessage>): DockerEnv | undefined {
  const h = s.hosts.get(node);
  if (!h || !ctx.isUp(node)) return undefined;
  return {
    now: ctx.now, host: node, hosts: hostsOf(s), cwd: "/root", env: {}, stdin, fs: h.fs, engine: h.engine, hub: s.hub,
    pending: null, stderr: "", failedPartly: false, runtime: runtimeOf(node, ctx), registries: s.registries,
    tty: { stdin: tty, stdout: tty, stderr: tty },
    // The network as the node sees it (CoreDNS, kube-proxy's rules), as `docker exec` at its prompt has it.
    net: () => netWorldWith(s, node, h.engine, h.fs, undefined, s.kube ? () => ctx.rng("kube-proxy").next() : undefined),
  };
}

/**
 * The interactive shell of `kubectl exec -it`, started on the pod's node as the kubelet's CRI exec
 * starts it (`docker exec -it` there): the node's engine with the exec session, and its id; null
 * when it cannot start (the node is down, the container is gone).
 */
export function execShellOnNode(s: WorldState, node: string, argv: readonly string[], tty: boolean, ctx: SimContext<WorldMessage>): { engine: EngineState; exec: string } | null {
  const env = execEnv(s, node, "", tty, ctx);
  if (!env) return null;
  runDocker(["exec", ...(tty ? ["-it"] : ["-i"]), ...argv], env);
  const a = env.pending?.attach;
  return a && a.exec !== null ? { engine: env.engine, exec: a.exec } : null;
}

/**
 * `stdin` null: kubectl exec without -i opens no stdin stream (exec.go SetupTTY), as `docker exec`
 * without -i: a shell reads end-of-file at once and exits, the prompt comes back.
 */
export function execOnNode(s: WorldState, node: string, argv: readonly string[], stdin: string | null, tty: boolean, ctx: SimContext<WorldMessage>): NodeExec | undefined {
  const env = execEnv(s, node, stdin ?? "", tty, ctx);
  if (!env) return undefined;
  const out = runDocker(["exec", ...(tty ? ["-it"] : stdin !== null ? ["-i"] : []), ...argv], env);
  const spec = env.pending?.follow?.spec;
  if (spec?.kind === "exec") {
    // The exec's process as the engine planned it: its output to its exit (or to now, for one that runs on).
    const e = env.engine.containers.get(spec.container)?.execs.find((x) => x.id === spec.exec);
    if (!e) return { status: 137, stdout: "", stderr: "" };
    const end = e.plan.exit !== null ? e.origin + e.plan.exit.at : ctx.now;
    const lines = planLines(e.plan, e.origin, e.origin, end + 1, CATALOGUE);
    const text = (fd: "stdout" | "stderr") => lines.filter((l) => (tty ? fd === "stdout" : l.stream === fd)).map((l) => l.text).join("");
    return { status: e.running ? e.plan.exit?.code ?? 0 : e.exitCode ?? 0, stdout: text("stdout"), stderr: text("stderr") };
  }
  // An interactive shell: kubectl attaches the terminal to it (world/attach.ts starts it on the node).
  if (env.pending?.attach) return { attach: true };
  // A network tool (wget, curl, ping): its requests leave the pod's network namespace through the
  // kernel as kubectl's line waits, so the trace has them (world/traffic.ts); the exec session on
  // the node is not kept (a line changes only its own host).
  if (env.pending?.traffic) return { traffic: env.pending.traffic };
  if (env.pending) return env.pending.outcome;
  return out;
}
