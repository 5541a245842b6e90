// A Dockerfile's RUN step as BuildKit runs it: a container. runc starts the step's process over
// the step's rootfs snapshot with the image config's env, user and workdir (`/bin/sh -c <line>` for
// the shell form), and what the process writes there becomes the step's layer. Here the process is
// planned by the world's one program catalogue over that filesystem, the same path `docker run
// IMAGE /bin/sh -c '…'` takes (world/programs.ts: the engine's programs, the host shell's
// interpreter for the script and the coreutils, the image package's RUN tools for package managers
// and compilers), computed at once on the script's clock. So a RUN line can do what a container
// can, with the same effects and errors.
//
// Time: the step costs the container's start (RUN_STARTUP_US) plus its process's plan up to its
// exit. The package managers, fetchers and compilers keep the RUN interpreter's cost table (the
// container shell runs them through it); the coreutils are instant here as in a container, where
// the interpreter charged a millisecond each (a step's "DONE 0.1s" does not move for that).
import type { Micros } from "@drydock/kernel";
import { applyChanges, buildStepTree, planLines, type ProgramResolver, type StartContext } from "@drydock/engine";
import {
  RUN_STARTUP_US, dirEntry, symlinkEntry, textFile, type FsEntry, type RunResult, type RunStepExecutor, type RunStepRequest, type UnionFS,
} from "@drydock/image";
import type { FsDir, FsNode } from "../fs/index.js";

/** The hostname BuildKit gives a RUN step's container. */
export const BUILD_HOSTNAME = "buildkitsandbox";
/** BuildKit's PATH for a step whose image sets none (oci.DefaultPathEnv on Linux). */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The step's filesystem as a container sees it: the stage's layers merged (per layer stack, from
 * the parent step's merge, as BuildKit mounts the parent's snapshot), the step's own changes on top.
 */
export function stepTree(fs: UnionFS): FsDir {
  return applyChanges(buildStepTree(fs.lower), fs.changes());
}

/** A layer entry for what the process left at a path; a new file belongs to the step's user. */
function entryOfNode(n: FsNode, owner: { uid: number; gid: number }): FsEntry {
  const meta = { mode: n.mode, uid: n.uid ?? owner.uid, gid: n.gid ?? owner.gid };
  if (n.kind === "dir") return dirEntry(meta);
  if (n.link !== undefined) return symlinkEntry(n.link);
  if (n.blob !== undefined) return { type: "file", size: n.blob.size, contentDigest: n.blob.digest, ...meta };
  return textFile(n.text, meta);
}

/** The process's environment as runc gets it: the step's variables, PATH when the image has none. */
function processEnv(req: RunStepRequest): Map<string, string> {
  const env = new Map(req.env);
  if (!env.has("PATH")) env.set("PATH", DEFAULT_PATH);
  return env;
}

/** The log line of a process runc could not start ("exec: \"/bin/sh\": stat /bin/sh: no such file or directory"). */
function startFailure(failure: string): RunResult {
  return {
    exitCode: 1, durationUs: RUN_STARTUP_US,
    output: [{ atUs: RUN_STARTUP_US, line: `runc run failed: unable to start container process: error during container init: ${failure}` }],
  };
}

/**
 * The playground's RUN executor: the step's process planned by a program catalogue (the world's:
 * `runtime.programs`) over the step's files, its output as the step's log, its exit code, its
 * writes as the step's layer.
 */
export function runStepWith(programs: ProgramResolver): RunStepExecutor {
  return (req) => runStep(programs, req);
}

function runStep(programs: ProgramResolver, req: RunStepRequest): RunResult {
  const env = processEnv(req);
  const ctx: Omit<StartContext, "path" | "via"> = {
    spec: { argv: req.argv, env: [...env].map(([k, v]) => `${k}=${v}`), cwd: req.cwd, user: req.user, tty: false, interactive: false },
    env, fs: stepTree(req.fs), now: req.now, hostname: BUILD_HOSTNAME, containerId: "", containerName: "", pid: 1, isPid1: true,
    memoryLimit: 0, hostMemory: 4 * 1024 ** 3, hostCpus: 2, ip: "", image: "", ...(req.network === "none" ? { offline: true } : {}),
  };
  const plan = programs.plan(ctx);
  if ("failure" in plan) return startFailure(plan.failure);
  const at = (us: Micros) => RUN_STARTUP_US + us;
  if (plan.exit === null) {
    // A server or an endless loop: BuildKit would wait for it as long as it runs.
    return {
      exitCode: 1, durationUs: RUN_STARTUP_US,
      output: [{ atUs: RUN_STARTUP_US, line: `drydock: ${req.argv.join(" ")} does not end by itself (a server or a loop); BuildKit would wait for it forever` }],
    };
  }
  // Its lines up to its exit, repeating ones (ping -c 3) expanded.
  const output = planLines(plan, 0, 0, plan.exit.at + 1, programs, 100_000).map((l) => ({ atUs: at(l.at), line: l.text.replace(/\n$/, "") }));
  const owner = { uid: req.uid, gid: req.gid };
  for (const w of [...plan.writes].sort((a, b) => a.at - b.at)) {
    if (w.text === null && w.node === undefined) req.fs.remove(w.path, { recursive: true, force: true });
    else if (w.kind === "dir") {
      if (req.fs.stat(w.path)?.type !== "dir") req.fs.mkdir(w.path, { parents: true, meta: { ...owner, mode: w.mode ?? 0o755 } });
    } else {
      const existing = req.fs.stat(w.path);
      const keep = existing !== undefined && existing.type !== "symlink" ? { uid: existing.uid, gid: existing.gid } : owner;
      const node: FsNode = w.node ?? { kind: "file", text: w.text ?? "", mode: w.mode ?? 0o644, mtime: 0 };
      const e = entryOfNode(node, keep);
      if (e.type === "dir") req.fs.mkdir(w.path, { parents: true, meta: { mode: e.mode, uid: e.uid, gid: e.gid } });
      else if (e.type === "symlink") {
        req.fs.remove(w.path, { force: true });
        req.fs.symlink(e.target, w.path);
      } else if (e.type === "file") req.fs.writeFile(w.path, e);
    }
  }
  return { exitCode: plan.exit.code, durationUs: at(plan.exit.at), output };
}
