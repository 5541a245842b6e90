import { humanSize, inspectImage, since, type ImageRow } from "@drydock/image";
import { enginePull, enginePush, openStore, withStore } from "@drydock/engine";
import { fail } from "../errors.js";
import { formatInspect, formatRows } from "../format/index.js";
import { flag } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { daemonCall } from "./daemon.js";

const FORMAT: { name: string; kind: "string"; help: string } = { name: "format", kind: "string", help: "Format output using a custom template" };

/** docker/cli's image formatter headers (cli/command/formatter/image.go). */
const IMAGE_HEADERS = {
  ID: "IMAGE ID", Repository: "REPOSITORY", Tag: "TAG", Digest: "DIGEST", CreatedSince: "CREATED", CreatedAt: "CREATED AT",
  Size: "SIZE", Containers: "CONTAINERS", SharedSize: "SHARED SIZE", UniqueSize: "UNIQUE SIZE", VirtualSize: "SIZE",
};

const trimId = (id: string, noTrunc: boolean) => (noTrunc ? id : id.replace(/^sha256:/, "").slice(0, 12));

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
    const filters = [...flag.list(p, "filter")];
    if (p.args[0] !== undefined) filters.push(`reference=${p.args[0]}`);
    let rows: readonly ImageRow[] = daemonCall(() => store.list({ all: flag.bool(p, "all") }));
    if (filters.length > 0) rows = daemonCall(() => filterRows(store, rows, filters));
    const noTrunc = flag.bool(p, "no-trunc");
    const quiet = flag.bool(p, "quiet");
    const digests = flag.bool(p, "digests");
    const data = rows.map((r) => ({
      ID: trimId(r.imageId, noTrunc || false),
      Repository: r.repository, Tag: r.tag,
      Digest: digestOf(store, r) ?? "<none>",
      CreatedSince: since(r.created, env.now), CreatedAt: createdAt(r.created),
      Size: humanSize(r.size), VirtualSize: humanSize(r.size), SharedSize: "N/A", UniqueSize: "N/A", Containers: "N/A",
    }));
    if (quiet) {
      const seen = new Set<string>();
      return data.filter((d) => (seen.has(d.ID) ? false : (seen.add(d.ID), true))).map((d) => `${d.ID}\n`).join("");
    }
    const defaultFormat = `table {{.Repository}}\t{{.Tag}}${digests ? "\t{{.Digest}}" : ""}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}`;
    return formatRows({ format: flag.str(p, "format"), rows: data, defaultFormat, headers: IMAGE_HEADERS, typeName: "*formatter.imageContext" });
  },
};

/** The full image ID of a row (the store's rows carry the short form). */
function digestOf(store: ReturnType<typeof openStore>, r: ImageRow): string | undefined {
  const img = store.resolve(r.imageId);
  if (!img) return undefined;
  const name = r.repository;
  return store.repoDigestsOf(img.id).find((d) => d.startsWith(`${name}@`) || d.startsWith(`docker.io/library/${name}@`))?.split("@")[1];
}

/** `--filter` as `docker images` takes it (moby daemon/images/images.go). */
function filterRows(store: ReturnType<typeof openStore>, rows: readonly ImageRow[], filters: readonly string[]): ImageRow[] {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf("=");
    if (eq <= 0) fail("DAEMON", `invalid filter '${f}'`);
    const key = f.slice(0, eq).trim().toLowerCase();
    if (!["dangling", "reference", "label", "before", "since", "until"].includes(key)) fail("DAEMON", `invalid filter '${key}'`);
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)]);
  }
  const created = (ref: string) => {
    const img = store.resolve(ref);
    if (!img) fail("DAEMON", `No such image: ${ref}`);
    return img.created;
  };
  return rows.filter((r) => {
    const img = store.resolve(r.imageId);
    for (const [key, values] of byKey) {
      const ok = values.some((v) => {
        switch (key) {
          case "dangling": {
            if (v !== "true" && v !== "false") fail("DAEMON", `Invalid filter 'dangling=${v}'`);
            return (r.repository === "<none>") === (v === "true");
          }
          case "reference": return matchReference(v, r.repository, r.tag);
          case "label": {
            const eq = v.indexOf("=");
            const labels = img?.config.labels ?? {};
            const k = eq < 0 ? v : v.slice(0, eq);
            return Object.hasOwn(labels, k) && (eq < 0 || labels[k] === v.slice(eq + 1));
          }
          case "before": return r.created < created(v);
          case "since": return r.created > created(v);
          default: return true;
        }
      });
      if (!ok) return false;
    }
    return true;
  });
}

/** Go's path.Match over "repository" and "repository:tag", as moby's reference filter does. */
function matchReference(pattern: string, repo: string, tag: string): boolean {
  const rx = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  return rx.test(repo) || rx.test(`${repo}:${tag}`);
}

/** RFC 3339-ish "2026-01-01 00:00:00 +0000 UTC" from virtual µs (time 0 = 2026-01-01T00:00:00Z). */
export function createdAt(us: number): string {
  const s = Math.floor(us / 1e6);
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  const [y, m, d] = civil(days + 20454); // days from 1970-01-01 to 2026-01-01
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${y}-${pad(m)}-${pad(d)} ${pad(Math.floor(rem / 3600))}:${pad(Math.floor((rem % 3600) / 60))}:${pad(rem % 60)} +0000 UTC`;
}

/** Howard Hinnant's civil_from_days: days since 1970-01-01 → [year, month, day]. */
function civil(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
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
    const job = daemonCall(() => enginePull(env.engine, env.hub, p.args[0]!, flag.bool(p, "quiet")));
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
    const hub = env.hub.clone(env.engine.logins["docker.io"]);
    const job = daemonCall(() => enginePush(env.engine, hub, p.args[0]!));
    const stdout = flag.bool(p, "quiet") ? `${p.args[0]}\n` : job.steps.map((s) => s.stdout).join("");
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
      if (!img) fail("DAEMON", `No such image: ${p.args[0]}`);
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
      CreatedSince: human ? since(r.created, env.now) : createdAt(r.created),
      CreatedAt: createdAt(r.created),
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
        out += store.remove(name, { force: flag.bool(p, "force") }).map((l) => l + "\n").join("");
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
