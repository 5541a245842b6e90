import { DrydockError, isDrydockError, type Micros } from "@drydock/kernel";
import {
  BuildError, ImageStore, RegistryHub, build, formatTable, humanSize, since, type ContextInput, type BuildContext,
} from "@drydock/image";
import { flag, parseFlags, usage, type FlagSpec, type Parsed } from "./flags.js";
import { failure, ok, type CliResult } from "./output.js";

/** One Docker host's state as the CLI sees it: the image store, the registries, the clock. */
export interface DockerHost {
  store: ImageStore;
  readonly hub: RegistryHub;
  /** Virtual time on this host; builds and pulls move it on by their simulated duration. */
  now: Micros;
}

export function createDockerHost(): DockerHost {
  return { store: new ImageStore(), hub: new RegistryHub(), now: 0 };
}

/** What the CLI needs from the machine it runs on: reading a build context (Node only). */
export interface CliIO {
  readContext?(path: string, dockerfileName: string): { context: ContextInput | BuildContext; dockerfile: string | undefined };
}

interface DockerCommand {
  readonly use: string;
  readonly summary: string;
  readonly specs: readonly FlagSpec[];
  /** Exact number of arguments, or [min, max]. */
  readonly args: number | readonly [number, number];
  run(p: Parsed, host: DockerHost, io: CliIO, read: ReadFiles): string;
}

/** What a command read, so that its error report can quote it (buildx quotes the Dockerfile). */
interface ReadFiles {
  dockerfile?: { readonly name: string; readonly text: string | undefined };
}

const HELP: FlagSpec = { name: "help", kind: "bool", help: "Print usage" };

const COMMANDS: Readonly<Record<string, DockerCommand>> = {
  build: {
    use: "docker build [OPTIONS] PATH | URL | -",
    summary: "Build an image from a Dockerfile",
    args: 1,
    specs: [
      { name: "tag", short: "t", kind: "list", help: 'Name and optionally a tag in the "name:tag" format' },
      { name: "file", short: "f", kind: "string", help: "Name of the Dockerfile (default: \"PATH/Dockerfile\")" },
      { name: "build-arg", kind: "list", help: "Set build-time variables" },
      { name: "target", kind: "string", help: "Set the target build stage to build" },
      { name: "no-cache", kind: "bool", help: "Do not use cache when building the image" },
      { name: "quiet", short: "q", kind: "bool", help: "Suppress the build output and print image ID on success" },
      { name: "progress", kind: "string", help: "Set type of progress output (plain)", default: "plain" },
    ],
    run(p, host, io, read) {
      const [path] = p.args;
      if (!io.readContext) throw new DrydockError("ENOIO", "this drydock has no filesystem to read a build context from");
      const dockerfileName = flag.str(p, "file") ?? "Dockerfile";
      const { context, dockerfile } = io.readContext(path!, dockerfileName);
      read.dockerfile = { name: dockerfileName, text: dockerfile };
      if (dockerfile === undefined) {
        throw new DrydockError("ENODOCKERFILE", `failed to solve: failed to read dockerfile: open ${dockerfileName}: no such file or directory`);
      }
      const buildArgs: Record<string, string> = {};
      for (const a of flag.list(p, "build-arg")) {
        const eq = a.indexOf("=");
        buildArgs[eq < 0 ? a : a.slice(0, eq)] = eq < 0 ? "" : a.slice(eq + 1);
      }
      const target = flag.str(p, "target");
      const result = build({
        dockerfile, context, buildArgs, tags: flag.list(p, "tag"), noCache: flag.bool(p, "no-cache"), now: host.now,
        ...(target !== undefined ? { target } : {}),
      }, host.store, host.hub);
      host.now += result.durationUs;
      return flag.bool(p, "quiet") ? `${result.image.id}\n` : result.output;
    },
  },
  images: {
    use: "docker images [OPTIONS] [REPOSITORY[:TAG]]",
    summary: "List images",
    args: [0, 1],
    specs: [
      { name: "all", short: "a", kind: "bool", help: "Show all images (default hides intermediate images)" },
      { name: "quiet", short: "q", kind: "bool", help: "Only show image IDs" },
    ],
    run(p, host) {
      let rows = host.store.list({ all: flag.bool(p, "all") });
      const [filter] = p.args;
      if (filter) {
        const [repo, tag] = filter.split(":");
        rows = rows.filter((r) => r.repository === repo && (tag === undefined || r.tag === tag));
      }
      if (flag.bool(p, "quiet")) return [...new Set(rows.map((r) => r.imageId))].map((id) => id + "\n").join("");
      return formatTable(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
        rows.map((r) => [r.repository, r.tag, r.imageId, since(r.created, host.now), humanSize(r.size)]));
    },
  },
  pull: {
    use: "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
    summary: "Download an image from a registry",
    args: 1,
    specs: [{ name: "quiet", short: "q", kind: "bool", help: "Suppress verbose output" }],
    run(p, host) {
      const r = host.hub.pull(host.store, p.args[0]!);
      host.now += r.durationUs;
      return flag.bool(p, "quiet") ? `${r.lines[r.lines.length - 1] ?? ""}\n` : r.lines.join("\n") + "\n";
    },
  },
  push: {
    use: "docker push [OPTIONS] NAME[:TAG]",
    summary: "Upload an image to a registry",
    args: 1,
    specs: [],
    run(p, host) {
      const r = host.hub.push(host.store, p.args[0]!);
      host.now += r.durationUs;
      return r.lines.join("\n") + "\n";
    },
  },
  tag: {
    use: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    summary: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    args: 2,
    specs: [],
    run(p, host) {
      const img = host.store.require(p.args[0]!);
      host.store.tag(img.id, p.args[1]!);
      return "";
    },
  },
  history: {
    use: "docker history [OPTIONS] IMAGE",
    summary: "Show the history of an image",
    args: 1,
    specs: [
      { name: "no-trunc", kind: "bool", help: "Don't truncate output" },
      { name: "quiet", short: "q", kind: "bool", help: "Only show image IDs" },
    ],
    run(p, host) {
      const rows = host.store.history(p.args[0]!);
      const noTrunc = flag.bool(p, "no-trunc");
      if (flag.bool(p, "quiet")) return rows.map((r) => `${r.image}\n`).join("");
      return formatTable(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], rows.map((r) => [
        r.image,
        since(r.created, host.now),
        noTrunc ? r.createdBy : truncate(r.createdBy, 45),
        humanSize(r.size),
        r.comment,
      ]));
    },
  },
  rmi: {
    use: "docker rmi [OPTIONS] IMAGE [IMAGE...]",
    summary: "Remove one or more images",
    args: [1, Infinity],
    specs: [{ name: "force", short: "f", kind: "bool", help: "Force removal of the image" }],
    run(p, host) {
      let out = "";
      for (const name of p.args) out += host.store.remove(name, { force: flag.bool(p, "force") }).map((l) => l + "\n").join("");
      return out;
    },
  },
  inspect: {
    use: "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
    summary: "Display detailed information on one or more images",
    args: [1, Infinity],
    specs: [],
    run(p, host) {
      const out = p.args.map((name) => {
        const img = host.store.require(name);
        return {
          Id: img.id,
          RepoTags: host.store.tagsOf(img.id).map((r) => r.familiar),
          Created: img.created,
          Os: img.os,
          Config: img.config,
          RootFS: { Type: "layers", Layers: img.layers },
          Size: host.store.imageSize(img),
        };
      });
      return JSON.stringify(out, null, 4) + "\n";
    },
  },
  df: {
    use: "docker system df [OPTIONS]",
    summary: "Show docker disk usage",
    args: 0,
    specs: [],
    run(_p, host) {
      const u = host.store.diskUsage();
      const pct = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : "");
      return formatTable(["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"], [
        ["Images", String(u.images.total), String(u.images.active), humanSize(u.images.size), humanSize(u.images.reclaimable) + pct(u.images.reclaimable, u.images.size)],
        ["Containers", "0", "0", "0B", "0B"],
        ["Local Volumes", "0", "0", "0B", "0B"],
        ["Build Cache", String(u.buildCache.total), "0", humanSize(u.buildCache.size), humanSize(u.buildCache.size)],
      ]);
    },
  },
  login: {
    use: "docker login [OPTIONS] [SERVER]",
    summary: "Log in to a registry",
    args: [0, 1],
    specs: [{ name: "username", short: "u", kind: "string", help: "Username" }],
    run(p, host) {
      const user = flag.str(p, "username");
      if (!user) throw new DrydockError("EFLAG", "Error: Cannot perform an interactive login from a non TTY device");
      host.hub.login(user);
      return "Login Succeeded\n";
    },
  },
};

/** `docker image ls`-style aliases: the management-command forms reach the same commands. */
const ALIASES: Readonly<Record<string, string>> = {
  "image ls": "images", "image list": "images", "image pull": "pull", "image push": "push", "image tag": "tag",
  "image history": "history", "image rm": "rmi", "image inspect": "inspect", "image build": "build", "system df": "df",
  "builder build": "build",
};

/** buildx's excerpt: "Dockerfile:2", then numbered lines with ">>>" at the failing one. */
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

const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/**
 * Runs one `docker ...` command line (without the word "docker") against a host. A failed
 * command leaves the host as it was: the store is restored from a snapshot taken before.
 */
export function dockerCommand(argv: readonly string[], host: DockerHost, io: CliIO = {}): CliResult {
  const two = `${argv[0]} ${argv[1]}`;
  const name = ALIASES[two] ? ALIASES[two]! : argv[0] === "image" || argv[0] === "system" ? two : argv[0];
  const rest = ALIASES[two] || argv[0] === "image" || argv[0] === "system" ? argv.slice(2) : argv.slice(1);
  if (name === undefined) return ok(dockerHelp());
  const command = COMMANDS[name];
  const shown = argv[0] === "image" || argv[0] === "system" ? `docker ${two}` : `docker ${name}`;
  if (!command) return failure(`docker: '${name}' is not a docker command.\nSee 'docker --help'`, 125);
  const specs = [...command.specs, HELP];
  const before = host.store.snapshot();
  const read: ReadFiles = {};
  const now = host.now;
  try {
    const p = parseFlags(rest, specs);
    if (flag.bool(p, "help")) return ok(usage(command.use, command.summary, specs));
    const [min, max] = typeof command.args === "number" ? [command.args, command.args] : command.args;
    if (p.args.length < min || p.args.length > max) {
      const want = min === max ? `exactly ${min} argument${min === 1 ? "" : "s"}` : max === Infinity ? `at least ${min} argument${min === 1 ? "" : "s"}` : `at most ${max} argument${max === 1 ? "" : "s"}`;
      return failure(`"${shown}" requires ${want}.\nSee '${shown} --help'.\n\nUsage:  ${command.use}\n\n${command.summary}`, 1);
    }
    const out = command.run(p, host, io, read);
    return ok(out === "" || out.endsWith("\n") ? out : out + "\n");
  } catch (e) {
    // A failed build keeps the steps it finished in the build cache, as BuildKit does (fixing
    // the failing line then shows them CACHED); it never creates an image or a tag. Any other
    // failed command leaves the host exactly as it was.
    if (!(e instanceof BuildError)) host.store = ImageStore.fromSnapshot(before);
    host.now = now;
    if (e instanceof BuildError) {
      // As buildx prints a failed solve: the Dockerfile lines around the error, then the error.
      const parseError = e.code === "EDOCKERFILE" && e.location !== undefined;
      const where = parseError ? `dockerfile parse error on line ${e.location!.line}: ` : "";
      const df = read.dockerfile;
      const excerpt = e.location && df?.text !== undefined ? dockerfileExcerpt(df.name, df.text, e.location.line) : "";
      const quiet = rest.includes("-q") || rest.includes("--quiet");
      return { stdout: quiet ? "" : e.output, stderr: `${excerpt}ERROR: failed to build: failed to solve: ${where}${e.message}\n`, code: 1 };
    }
    if (isDrydockError(e)) {
      if (e.code === "EFLAG") return failure(`${e.message}\nSee '${shown} --help'.`, 125);
      if (e.code === "EREFERENCE" || e.message.startsWith("invalid reference format")) return failure(e.message, 1);
      return failure(`Error response from daemon: ${e.message}`, 1);
    }
    throw e;
  }
}

export function dockerHelp(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${(n === "df" ? "system df" : n === "inspect" ? "image inspect" : n).padEnd(14)} ${c.summary}`);
  return `Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers (simulated by drydock)\n\nCommands:\n${rows.join("\n")}\n`;
}
