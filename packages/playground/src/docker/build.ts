import { BuildError, type ContextInput } from "@drydock/image";
import { engineBuild } from "@drydock/engine";
import { collectTree, lookup, normalizePath } from "../fs/index.js";
import { fail } from "../errors.js";
import { flag } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";

/** buildx's excerpt of a failing Dockerfile: "Dockerfile:2", numbered lines, ">>>" at the line. */
export function dockerfileExcerpt(name: string, text: string, line: number): string {
  const lines = text.split("\n");
  if (line < 1 || line > lines.length) return "";
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 2);
  const rows: string[] = [];
  for (let n = from; n <= to; n++) rows.push(`${String(n).padStart(4)} | ${n === line ? ">>> " : "    "}${lines[n - 1]}`);
  const rule = "-".repeat(20);
  return `${name}:${line}\n${rule}\n${rows.join("\n")}\n${rule}\n`;
}

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
  const dockerfilePath = file === undefined ? `${dir}/Dockerfile` : normalizePath(env.cwd, file);
  const df = lookup(env.fs, dockerfilePath);
  const shownName = file ?? "Dockerfile";
  if (!df.ok || df.value.kind !== "file") {
    // buildx: the Dockerfile is read relative to the context for the default name.
    fail("BUILD", `ERROR: failed to build: failed to solve: failed to read dockerfile: open ${file === undefined ? "Dockerfile" : shownName}: no such file or directory`);
  }
  // Plain text for ordinary files: the image package memoises their content hashes.
  const files: Record<string, string | { content: string; mode: number }> = {};
  for (const [rel, f] of collectTree(env.fs, dir)) files[rel] = f.mode === 0o644 ? f.text : { content: f.text, mode: f.mode };
  return { dockerfile: df.value.text, dockerfileName: shownName.split("/").pop() ?? "Dockerfile", context: files };
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
    const quiet = flag.bool(p, "quiet") || flag.str(p, "progress") === "quiet";
    const r = engineBuild(env.engine, env.hub, {
      dockerfile: src.dockerfile, dockerfileName: src.dockerfileName, context: src.context, tags: flag.list(p, "tag"),
      buildArgs, noCache: flag.bool(p, "no-cache"), pull: flag.bool(p, "pull"), now: env.now,
      ...(target !== undefined ? { target } : {}),
    });
    if (r.ok) {
      const stdout = quiet ? `${r.result.image.id}\n` : "";
      const stderr = quiet ? "" : r.result.output.endsWith("\n") ? r.result.output : r.result.output + "\n";
      env.pending = { kind: "build", durationUs: r.job.durationUs, steps: r.job.steps, engine: r.job.engine, outcome: { status: 0, stdout, stderr } };
      return "";
    }
    // As buildx prints a failed solve: the progress so far, the Dockerfile lines around the
    // error, then the error. Finished steps stay in the build cache (BuildKit keeps them).
    const e: BuildError = r.error;
    const parseError = e.code === "EDOCKERFILE" && e.location !== undefined;
    const where = parseError ? `dockerfile parse error on line ${e.location!.line}: ` : "";
    const excerpt = e.location ? dockerfileExcerpt(src.dockerfileName, src.dockerfile, e.location.line) : "";
    const progress = quiet || e.output === "" ? "" : e.output.endsWith("\n") ? e.output : e.output + "\n";
    const stderr = `${progress}${excerpt}ERROR: failed to build: failed to solve: ${where}${e.message}\n`;
    env.pending = { kind: "build", durationUs: r.job.durationUs, steps: r.job.steps, engine: r.engine, outcome: { status: 1, stdout: "", stderr } };
    return "";
  },
};
