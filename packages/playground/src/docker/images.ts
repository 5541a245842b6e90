import { IMAGE_FORMAT_HEADERS, filterImages, formatGoTime, humanSize, imageFormatContext, inspectImage, parseDockerRef, parseReference, since } from "@drydock/image";
import { enginePull, enginePush, openStore, withStore, type Job } from "@drydock/engine";
import { exitCodeOf, fail, isCliError } from "../errors.js";
import { formatInspect, formatRows } from "../format/index.js";
import { flag } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { daemonCall } from "./daemon.js";

const FORMAT: { name: string; kind: "string"; help: string } = { name: "format", kind: "string", help: "Format output using a custom template" };

/** docker images' rows (moby's image list, docker/cli's image formatter) for the Go template. */
export const imagesCommand: DockerCommand = {
  path: "docker image ls",
  use: "docker image ls [OPTIONS] [REPOSITORY[:TAG]]",
  summary: "List images",
  aliases: ["docker images", "docker image list"],
  args: [0, 1],
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Show all images (default hides intermediate images)" },
    { name: "digests", kind: "bool", help: "Show digests" },
    { name: "filter", short: "f", kind: "list", help: "Filter output based on conditions provided" },
    FORMAT,
    { name: "no-trunc", kind: "bool", help: "Don't truncate output" },
    { name: "quiet", short: "q", kind: "bool", help: "Only show image IDs" },
  ],
  run(p, env) {
    const store = openStore(env.engine);
    // `docker images alpine` is the reference filter (docker/cli image/list.go).
    const filters = [...flag.list(p, "filter"), ...(p.args[0] !== undefined ? [`reference=${p.args[0]}`] : [])];
    const rows = daemonCall(() => filterImages(store, filters, { now: env.now }));
    const data = rows.map((r) => imageFormatContext(r, env.now, { noTrunc: flag.bool(p, "no-trunc") }));
    if (flag.bool(p, "quiet")) {
      const seen = new Set<string>();
      return data.filter((d) => (seen.has(d.ID) ? false : (seen.add(d.ID), true))).map((d) => `${d.ID}\n`).join("");
    }
    const digests = flag.bool(p, "digests") ? "\t{{.Digest}}" : "";
    return formatRows({
      format: flag.str(p, "format"), rows: data, headers: IMAGE_FORMAT_HEADERS, typeName: "*formatter.imageContext",
      defaultFormat: `table {{.Repository}}\t{{.Tag}}${digests}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}`,
    });
  },
};

/**
 * POST /images/create on one of drydock's hosts, Linux daemons. A catalogue image for Windows stands
 * for a manifest list with only windows entries (as mcr.microsoft.com/windows/nanoserver's is):
 * moby's puller streams "<tag>: Pulling from <repo>", then finds no linux/amd64 entry
 * (distribution/pull_v2.go noMatchesErr). The error comes in the stream, so the client prints it
 * without "Error response from daemon"; the world is unchanged.
 */
export function pullOnHost(env: DockerEnv, ref: string, quiet: boolean): Job | { readonly streamed: Job["steps"]; readonly error: string } {
  const job = enginePull(env.engine, env.hub, ref, quiet);
  const os = openStore(job.engine).resolve(ref)?.os ?? "linux";
  if (os === "linux") return job;
  const at = job.steps.findIndex((s) => s.stdout.includes(": Pulling from "));
  return { streamed: job.steps.slice(0, at + 1), error: "no matching manifest for linux/amd64 in the manifest list entries" };
}

export const pullCommand: DockerCommand = {
  path: "docker image pull",
  use: "docker image pull [OPTIONS] NAME[:TAG|@DIGEST]",
  summary: "Download an image from a registry",
  aliases: ["docker pull"],
  args: 1,
  specs: [
    { name: "all-tags", short: "a", kind: "bool", help: "Download all tagged images in the repository" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress verbose output" },
  ],
  run(p, env) {
    const job = daemonCall(() => pullOnHost(env, p.args[0]!, flag.bool(p, "quiet")));
    if ("error" in job) {
      const stdout = job.streamed.map((s) => s.stdout).join("");
      env.pending = { kind: "pull", durationUs: job.streamed.at(-1)?.atUs ?? 0, steps: job.streamed, outcome: { status: 1, stdout, stderr: `${job.error}\n` } };
      return "";
    }
    const stdout = job.steps.map((s) => s.stdout).join("");
    env.pending = { kind: "pull", durationUs: job.durationUs, steps: job.steps, engine: job.engine, outcome: { status: 0, stdout, stderr: "" } };
    return "";
  },
};

export const pushCommand: DockerCommand = {
  path: "docker image push",
  use: "docker image push [OPTIONS] NAME[:TAG]",
  summary: "Upload an image to a registry",
  aliases: ["docker push"],
  args: 1,
  specs: [
    { name: "all-tags", short: "a", kind: "bool", help: "Push all tags of an image to the repository" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress verbose output" },
  ],
  run(p, env) {
    const quiet = flag.bool(p, "quiet");
    // docker/cli image/push.go RunPush: a name without tag or digest is pushed as :latest (not
    // every tag, unless -a), and the CLI says so first, before the daemon answers or refuses.
    let written: ReturnType<typeof parseReference> | null = null;
    try {
      written = parseReference(p.args[0]!);
    } catch {
      // Not a reference: enginePush below gives the error.
    }
    const defaultTag = !quiet && !flag.bool(p, "all-tags") && written !== null && written.tag === undefined && written.digest === undefined ? "Using default tag: latest\n" : "";
    const hub = env.hub.clone(env.engine.logins["docker.io"]);
    let job: Job;
    try {
      job = daemonCall(() => enginePush(env.engine, hub, p.args[0]!));
    } catch (e) {
      if (defaultTag === "" || !isCliError(e)) throw e;
      // The line is on stdout before the daemon's refusal.
      env.stderr += `${e.message}\n`;
      env.exitCode = exitCodeOf(e);
      return defaultTag;
    }
    // push.go with --quiet: the reference as the CLI normalised it (ref.String()): fully qualified, `:latest` added unless -a.
    const pushed = written === null ? p.args[0]! : flag.bool(p, "all-tags") || written.digest !== undefined ? written.toString() : parseDockerRef(p.args[0]!).toString();
    const stdout = quiet ? `${pushed}\n` : defaultTag + job.steps.map((s) => s.stdout).join("");
    env.pending = { kind: "push", durationUs: job.durationUs, steps: job.steps, engine: job.engine, hub, outcome: { status: 0, stdout, stderr: "" } };
    return "";
  },
};

export const tagCommand: DockerCommand = {
  path: "docker image tag",
  use: "docker image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
  summary: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
  aliases: ["docker tag"],
  args: 2,
  specs: [],
  run(p, env) {
    const store = openStore(env.engine);
    daemonCall(() => {
      const img = store.resolve(p.args[0]!);
      if (!img) fail("DAEMON", `No such image: ${withLatest(p.args[0]!)}`);
      store.tag(img.id, p.args[1]!);
    });
    env.engine = withStore(env.engine, store);
    return "";
  },
};

const HISTORY_HEADERS = { ID: "IMAGE", CreatedSince: "CREATED", CreatedAt: "CREATED AT", CreatedBy: "CREATED BY", Size: "SIZE", Comment: "COMMENT" };

export const historyCommand: DockerCommand = {
  path: "docker image history",
  use: "docker image history [OPTIONS] IMAGE",
  summary: "Show the history of an image",
  aliases: ["docker history"],
  args: 1,
  specs: [
    FORMAT,
    { name: "human", short: "H", kind: "bool", help: "Print sizes and dates in human readable format", default: true },
    { name: "no-trunc", kind: "bool", help: "Don't truncate output" },
    { name: "quiet", short: "q", kind: "bool", help: "Only show image IDs" },
  ],
  run(p, env) {
    const store = openStore(env.engine);
    const rows = daemonCall(() => store.history(p.args[0]!));
    const noTrunc = flag.bool(p, "no-trunc");
    const human = flag.bool(p, "human");
    if (flag.bool(p, "quiet")) return rows.map((r) => `${r.image}\n`).join("");
    const data = rows.map((r) => ({
      ID: r.image,
      CreatedSince: human ? since(r.created, env.now) : formatGoTime(r.created),
      CreatedAt: formatGoTime(r.created),
      // docker/cli history.go: "/bin/sh -c #(nop) " is kept; long commands cut at 45 with "…".
      CreatedBy: noTrunc ? r.createdBy : ellipsis(r.createdBy, 45),
      Size: human ? humanSize(r.size) : String(r.size),
      Comment: r.comment,
    }));
    return formatRows({
      format: flag.str(p, "format"), rows: data, headers: HISTORY_HEADERS, typeName: "*history.historyContext",
      defaultFormat: "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
    });
  },
};

/** docker/cli formatter.Ellipsis: cut to n characters, the last one "…". */
const ellipsis = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, n - 1).join("") + "…" : s);

export const rmiCommand: DockerCommand = {
  path: "docker image rm",
  use: "docker image rm [OPTIONS] IMAGE [IMAGE...]",
  summary: "Remove one or more images",
  aliases: ["docker rmi", "docker image remove"],
  args: [1, Infinity],
  specs: [
    { name: "force", short: "f", kind: "bool", help: "Force removal of the image" },
    { name: "no-prune", kind: "bool", help: "Do not delete untagged parents" },
  ],
  run(p, env) {
    // Each image is its own API call: one that fails is reported and the others still go.
    let out = "";
    const errors: string[] = [];
    for (const name of p.args) {
      const store = openStore(env.engine);
      try {
        // moby's conflicts with the containers that use the image (running or stopped).
        const users = [...env.engine.containers.values()].map((c) => ({ id: c.id, imageId: c.imageId, running: c.state.running }));
        out += store.remove(name, { force: flag.bool(p, "force"), users }).map((l) => l + "\n").join("");
        env.engine = withStore(env.engine, store);
      } catch (e) {
        errors.push(`Error response from daemon: ${(e as Error).message}`);
      }
    }
    if (errors.length > 0) {
      env.stderr += errors.join("\n") + "\n";
      env.failedPartly = true;
    }
    return out;
  },
};

export const inspectCommand: DockerCommand = {
  path: "docker image inspect",
  use: "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
  summary: "Display detailed information on one or more images",
  aliases: ["docker inspect"],
  args: [1, Infinity],
  specs: [{ ...FORMAT, short: "f" }, { name: "type", kind: "string", help: "Only inspect objects of the given type" }],
  run(p, env) {
    const store = openStore(env.engine);
    const found: unknown[] = [];
    const missing: string[] = [];
    for (const name of p.args) {
      if (store.resolve(name)) found.push(inspectImage(store, name, env.now));
      else missing.push(name);
    }
    // Found objects are printed, each missing one is an error on stderr, and the exit code is 1
    // (docker/cli inspect.Inspect). `docker inspect` says "object", `docker image inspect` "image".
    const out = formatInspect(flag.str(p, "format"), found);
    if (missing.length > 0) {
      env.stderr += missing.map((m) => `Error response from daemon: No such image: ${withLatest(m)}`).join("\n") + "\n";
      env.failedPartly = true;
    }
    return out;
  },
};

const withLatest = (name: string) => (/[:@][^/]*$/.test(name) || /^[0-9a-f]{12,64}$/.test(name) ? name : `${name}:latest`);
