import { LEGACY_BUILDER_NOTICE, formatBuildFailure, type ContextInput } from "@drydock/image";
import { engineBuild, type JobStep } from "@drydock/engine";
import { collectTree, lookup, normalizePath } from "../fs/index.js";
import { fail } from "../errors.js";
import { runStepWith } from "../world/build-step.js";
import { flag } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";

interface Source {
  readonly dockerfile: string;
  readonly dockerfileName: string;
  readonly context: ContextInput;
}

/**
 * The build's inputs from the host's filesystem, as the docker CLI gathers them: PATH is the
 * context directory, `-f` is relative to the current directory (or absolute), `-` reads the
 * Dockerfile from stdin with an empty context.
 */
function gather(env: DockerEnv, path: string, file: string | undefined): Source {
  if (/^(https?|git):\/\//.test(path) || path.startsWith("git@")) {
    fail("NOT_SIMULATED", `docker build ${path}` + " (remote build contexts)");
  }
  if (path === "-") {
    return { dockerfile: env.stdin, dockerfileName: "Dockerfile", context: {} };
  }
  const dir = normalizePath(env.cwd, path);
  const node = lookup(env.fs, dir);
  if (!node.ok) fail("BUILD", `ERROR: failed to build: unable to prepare context: path "${path}" not found`);
  if (node.value.kind !== "dir") fail("BUILD", `ERROR: failed to build: unable to prepare context: path "${path}" not found`);
  // docker/cli ResolveDockerfilePath (and BuildKit's dockerui): with no -f, a missing `Dockerfile`
  // falls back to a lowercase `dockerfile` in the context ("Just to be nice ;-) look for 'dockerfile' too").
  const lower = file === undefined && !lookup(env.fs, `${dir}/Dockerfile`).ok && lookup(env.fs, `${dir}/dockerfile`).ok;
  const dockerfilePath = file === undefined ? `${dir}/${lower ? "dockerfile" : "Dockerfile"}` : normalizePath(env.cwd, file);
  const df = lookup(env.fs, dockerfilePath);
  const shownName = file ?? (lower ? "dockerfile" : "Dockerfile");
  if (!df.ok || df.value.kind !== "file") {
    // buildx: the Dockerfile is read relative to the context for the default name.
    fail("BUILD", `ERROR: failed to build: failed to solve: failed to read dockerfile: open ${file === undefined ? "Dockerfile" : shownName}: no such file or directory`);
  }
  // Plain text for ordinary files: the image package memoises their content hashes.
  const files: Record<string, string | { content: string; mode: number }> = {};
  for (const [rel, f] of collectTree(env.fs, dir)) files[rel] = f.mode === 0o644 ? f.text : { content: f.text, mode: f.mode };
  return { dockerfile: df.value.text, dockerfileName: shownName.split("/").pop() ?? "Dockerfile", context: files };
}

/**
 * Lays a build's output over its steps so a terminal can show it as the build goes: each
 * "#N ..." block of BuildKit's plain progress appears when step N is done, the internal steps
 * (context, metadata) at the start, the rest at the end. The pieces join to exactly what the
 * command prints, in order.
 */
function spread(steps: readonly JobStep[], outcome: { stdout: string; stderr: string }): JobStep[] {
  const text = outcome.stdout + outcome.stderr;
  const at = new Map<number, number>();
  steps.forEach((s, i) => {
    const v = s.detail["vertex"];
    if (typeof v === "number" && !at.has(v)) at.set(v, i + 1);
  });
  const out: JobStep[] = [{ atUs: 0, event: "build.start", detail: {}, stdout: "" }, ...steps.map((s) => ({ ...s, stdout: "" }))];
  const chunks: string[] = out.map(() => "");
  let index = 0;
  const blocks = text.split(/(?<=\n\n)/);
  for (const block of blocks) {
    const m = /^#(\d+) /.exec(block);
    const target = m ? at.get(Number(m[1])) : undefined;
    // Never earlier than the block before it, so the pieces stay in the order printed.
    if (target !== undefined && target > index) index = target;
    if (target === undefined && m === null) index = out.length - 1;
    chunks[index] += block;
  }
  return out.map((s, i) => ({ ...s, stdout: chunks[i]! }));
}

export const buildCommand: DockerCommand = {
  path: "docker buildx build",
  use: "docker buildx build [OPTIONS] PATH | URL | -",
  summary: "Start a build",
  listed: "Build an image from a Dockerfile",
  plugin: true,
  aliases: ["docker build", "docker image build", "docker builder build"],
  args: 1,
  specs: [
    { name: "tag", short: "t", kind: "list", help: 'Image identifier (format: "[registry/]repository[:tag]")' },
    { name: "file", short: "f", kind: "string", help: 'Name of the Dockerfile (default: "PATH/Dockerfile")' },
    { name: "build-arg", kind: "list", help: "Set build-time variables" },
    { name: "target", kind: "string", help: "Set the target build stage to build" },
    { name: "no-cache", kind: "bool", help: "Do not use cache when building the image" },
    { name: "pull", kind: "bool", help: "Always attempt to pull all referenced images" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress the build output and print image ID on success" },
    { name: "progress", kind: "string", help: 'Set type of progress output ("auto", "quiet", "plain", "tty", "rawjson")', default: "auto" },
  ],
  run(p, env) {
    const src = gather(env, p.args[0]!, flag.str(p, "file"));
    const buildArgs: Record<string, string> = {};
    for (const a of flag.list(p, "build-arg")) {
      const eq = a.indexOf("=");
      // `--build-arg NAME` takes the value from the client's environment, as docker does.
      const name = eq < 0 ? a : a.slice(0, eq);
      const value = eq < 0 ? (Object.hasOwn(env.env, a) ? env.env[a]! : undefined) : a.slice(eq + 1);
      if (value !== undefined) buildArgs[name] = value;
    }
    const target = flag.str(p, "target");
    // DOCKER_BUILDKIT=0 selects the legacy builder, which prints to stdout (BuildKit to stderr).
    const classic = Object.hasOwn(env.env, "DOCKER_BUILDKIT") && /^(0|false)$/i.test(env.env["DOCKER_BUILDKIT"]!);
    const quiet = flag.bool(p, "quiet") || flag.str(p, "progress") === "quiet";
    const r = engineBuild(env.engine, env.hub, {
      dockerfile: src.dockerfile, dockerfileName: src.dockerfileName, context: src.context, tags: flag.list(p, "tag"),
      buildArgs, noCache: flag.bool(p, "no-cache"), pull: flag.bool(p, "pull"), now: env.now, classic,
      ...(target !== undefined ? { target } : {}), ...(env.runtime ? { runStep: runStepWith(env.runtime.programs) } : {}),
    });
    const notice = classic ? LEGACY_BUILDER_NOTICE : "";
    const progress = (text: string) => (quiet || text === "" ? "" : text.endsWith("\n") ? text : text + "\n");
    if (r.ok) {
      const out = progress(r.result.output);
      const outcome = quiet
        ? { status: 0, stdout: `${r.result.image.id}\n`, stderr: "" }
        : classic ? { status: 0, stdout: out, stderr: notice } : { status: 0, stdout: "", stderr: out };
      env.pending = { kind: "build", durationUs: r.job.durationUs, steps: spread(r.job.steps, outcome), engine: r.job.engine, outcome };
      return "";
    }
    // As buildx prints a failed solve: the progress so far, the failed step's logs, the
    // Dockerfile lines around the error, then the error. Finished steps stay in the build cache.
    const failure = formatBuildFailure(r.error, { name: src.dockerfileName, text: src.dockerfile });
    const out = progress(r.error.output);
    const outcome = classic
      ? { status: failure.exitCode, stdout: out, stderr: notice + failure.text }
      : { status: failure.exitCode, stdout: "", stderr: out + failure.text };
    env.pending = { kind: "build", durationUs: r.job.durationUs, steps: spread(r.job.steps, outcome), engine: r.engine, outcome };
    return "";
  },
};
