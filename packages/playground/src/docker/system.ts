// docker system commands (docker/cli cli/command/system, Docker 28.5.1): df, version, info,
// login/logout, and (issue #10) the prunes of every kind with their prompt, and events.
import { readsTerminal, TerminalReader } from "../world/terminal-input.js";
import { isDrydockError, type Micros } from "@drydock/kernel";
import { LEGACY_BUILDER_NOTICE, bytesSize, formatCreatedRfc3339, humanDuration, humanSize, imageFormatContext, sha256Digest, since, type ImageRow } from "@drydock/image";
import {
  FilterArgs, HOST_CPUS, HOST_MEMORY, KERNEL_RELEASE, buildCacheEntries, containerUsage, engineEvents, engineLogin, engineLogout, formatRfc3339NanoFixed, localVolumesUsage, naturalLess,
  networkPruneKeep, openStore, parseGoDuration, parseTimestamp, pruneBuildCache, pruneImages, pruneNetworks, pruneVolumes, recordEvent,
  selectEvents, untilFilter, virtualToUnixNanos, virtualToUnixSeconds, withDaemon, type BuildCacheEntry, type ContainerUsage, type EngineEvent,
  type EngineState, type ProgramResolver, type RandomSource,
} from "@drydock/engine";
import { COMPOSE_VERSION } from "@drydock/compose";
import { fail } from "../errors.js";
import { TemplateError, execute, formatRows, goJson, goQuote, goStruct, parseTemplate, renderTemplate, table, tabwrite, type Template } from "../format/index.js";
import { flag, type Parsed } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { daemonCall } from "./daemon.js";
import { confirm, filtersOf } from "./volumes.js";
import { swarmInfo, swarmInfoData } from "./swarm-info.js";

/** The versions drydock's docker reports: a current Docker Engine, simulated. */
export const DOCKER_VERSION = {
  client: "28.5.1", api: "1.51", server: "28.5.1", go: "go1.24.8", containerd: "1.7.28", runc: "1.3.0",
  // What `docker info` names them by (moby's Dockerfile pins containerd v1.7.28, runc v1.3.0, tini v0.19.0).
  containerdCommit: "b98a3aace656320842a23f4a5b8d0aa4b2d8d7a8", runcCommit: "v1.3.0-0-g4ca628d1", initCommit: "de40ad0",
};

/** go-units HumanSize: four significant digits (df's totals, the prunes' "Total reclaimed space"). */
const human4 = (bytes: number) => humanSize(bytes, 4);

/** docker/cli formatter.TruncateID: the part after any "algo:", at most 12 characters. */
const truncateId = (id: string) => id.slice(id.indexOf(":") + 1).slice(0, 12);

/** docker/cli formatter.Ellipsis. */
function ellipsis(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : s;
}

// ---- docker system df ----

/** disk_usage.go's "SIZE (PCT%)" column: integer percent, truncated, only when there is a total. */
const reclaimable = (part: number, whole: number) => (whole > 0 ? `${human4(part)} (${Math.trunc((part * 100) / whole)}%)` : human4(part));

/** moby container states that count as active in df (diskUsageContainersContext.isActive). */
const ACTIVE_STATES = new Set(["running", "paused", "restarting"]);

/** Everything `GET /system/df` returns, read from the engine. */
function diskUsage(engine: EngineState, now: Micros) {
  const containers = containerUsage(engine, now).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const byImage = new Map<string, number>();
  for (const c of containers) byImage.set(c.imageId, (byImage.get(c.imageId) ?? 0) + 1);
  const store = openStore(engine);
  const du = store.diskUsage(byImage);
  const images = du.perImage
    .map((i) => ({ ...i, created: store.resolve(i.id)?.created ?? 0 }))
    .sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
  const volumes = localVolumesUsage(engine).sort((a, b) => (a.volume.name < b.volume.name ? -1 : 1));
  const cache = buildCacheEntries(engine.images);
  // docker/cli system/df.go: the builder's size counts the records not shared with images.
  const builderSize = cache.reduce((n, c) => n + (c.shared ? 0 : c.size), 0);
  return { containers, images, layersSize: du.images.size, volumes, cache, builderSize };
}

/** docker/cli formatter.ContainerContext, as df -v's container table shows it. */
function containerRow(c: ContainerUsage, now: Micros) {
  return {
    ID: truncateId(c.id), Image: c.image, Command: goQuote(ellipsis(c.command, 20)), LocalVolumes: String(c.localVolumes),
    Size: humanSize(c.sizeRw), RunningFor: since(c.createdAt, now), Status: c.status, Names: c.names.join(","),
  };
}

/** docker/cli formatter.buildCacheContext (truncated, as in a table). */
function cacheRow(x: BuildCacheEntry, now: Micros) {
  return {
    ID: truncateId(x.id), CacheType: x.type, Size: humanSize(x.size), CreatedSince: since(x.createdAt, now),
    LastUsedSince: since(x.lastUsedAt, now), UsageCount: String(x.usageCount), Shared: String(x.shared),
  };
}

export const dfCommand: DockerCommand = {
  path: "docker system df",
  use: "docker system df [OPTIONS]",
  summary: "Show docker disk usage",
  args: 0,
  specs: [
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "verbose", short: "v", kind: "bool", help: "Show detailed information on space usage" },
  ],
  run(p, env) {
    const u = diskUsage(env.engine, env.now);
    const format = flag.str(p, "format");
    if (flag.bool(p, "verbose")) return dfVerbose(u, env.now, format);
    const usedImages = u.images.filter((i) => i.containers > 0);
    const usedImageBytes = usedImages.reduce((n, i) => n + (i.size - i.sharedSize), 0);
    const containersSize = u.containers.reduce((n, c) => n + c.sizeRw, 0);
    const containersIdle = u.containers.filter((c) => !ACTIVE_STATES.has(c.state)).reduce((n, c) => n + c.sizeRw, 0);
    const volumesSize = u.volumes.reduce((n, v) => n + v.size, 0);
    const volumesIdle = u.volumes.filter((v) => v.links === 0).reduce((n, v) => n + v.size, 0);
    const rows = [
      {
        Type: "Images", TotalCount: String(u.images.length), Active: String(usedImages.length), Size: human4(u.layersSize),
        Reclaimable: reclaimable(u.layersSize - usedImageBytes, u.layersSize),
      },
      {
        Type: "Containers", TotalCount: String(u.containers.length), Active: String(u.containers.length - u.containers.filter((c) => !ACTIVE_STATES.has(c.state)).length),
        Size: human4(containersSize), Reclaimable: reclaimable(containersIdle, containersSize),
      },
      {
        Type: "Local Volumes", TotalCount: String(u.volumes.length), Active: String(u.volumes.filter((v) => v.links > 0).length),
        Size: human4(volumesSize), Reclaimable: reclaimable(volumesIdle, volumesSize),
      },
      // No build runs while df does, so no record is in use: all of the builder's size is reclaimable.
      { Type: "Build Cache", TotalCount: String(u.cache.length), Active: "0", Size: human4(u.builderSize), Reclaimable: human4(u.builderSize) },
    ];
    return formatRows({
      format: format === "raw" ? "type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n" : format,
      rows, typeName: "*formatter.diskUsageImagesContext",
      headers: { Type: "TYPE", TotalCount: "TOTAL", Active: "ACTIVE", Size: "SIZE", Reclaimable: "RECLAIMABLE" },
      defaultFormat: "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
    });
  },
};

/** `docker system df -v` (formatter.DiskUsageContext verboseWrite): one table per kind, or a template over all four lists. */
function dfVerbose(u: ReturnType<typeof diskUsage>, now: Micros, format: string | undefined): string {
  const images = u.images.map((i) => {
    // Only the first tag is shown; a dangling image is <none> <none>.
    const tag = i.repoTags[0];
    const colon = tag?.lastIndexOf(":") ?? -1;
    const row: ImageRow = {
      repository: tag !== undefined ? tag.slice(0, colon) : "<none>", tag: tag !== undefined ? tag.slice(colon + 1) : "<none>",
      digest: "<none>", imageId: truncateId(i.id), id: i.id, created: i.created, size: i.size,
    };
    return imageFormatContext(row, now, { containers: i.containers, sharedSize: i.sharedSize });
  });
  const containers = u.containers.map((c) => containerRow(c, now));
  const volumes = u.volumes.map((v) => ({ Name: v.volume.name, Links: String(v.links), Size: human4(v.size) }));
  const sorted = [...u.cache].sort((a, b) => a.lastUsedAt - b.lastUsedAt || (a.id < b.id ? -1 : 1));
  const cache = sorted.map((x) => cacheRow(x, now));
  if (format !== undefined && format !== "" && format !== "table") {
    const text = format === "json" ? "{{json .}}" : format.replace(/\\[tn]/g, (m) => (m === "\\t" ? "\t" : "\n"));
    const data = goStruct({ Images: images.map((x) => goStruct({ ...x })), Containers: containers.map((x) => goStruct({ ...x })), Volumes: volumes.map((x) => goStruct({ ...x })), BuildCache: cache.map((x) => goStruct({ ...x })) }, "*formatter.diskUsageContext");
    try {
      return renderTemplate(text, data);
    } catch (e) {
      if (e instanceof TemplateError) fail("CLIENT", `template parsing error: ${e.message}`);
      throw e;
    }
  }
  const section = (rows: readonly Record<string, string>[], cols: readonly [string, string][]) =>
    table(cols.map(([, h]) => h), rows.map((r) => cols.map(([k]) => r[k]!)));
  return "Images space usage:\n\n"
    + section(images as unknown as Record<string, string>[], [["Repository", "REPOSITORY"], ["Tag", "TAG"], ["ID", "IMAGE ID"], ["CreatedSince", "CREATED"], ["Size", "SIZE"], ["SharedSize", "SHARED SIZE"], ["UniqueSize", "UNIQUE SIZE"], ["Containers", "CONTAINERS"]])
    + "\nContainers space usage:\n\n"
    + section(containers, [["ID", "CONTAINER ID"], ["Image", "IMAGE"], ["Command", "COMMAND"], ["LocalVolumes", "LOCAL VOLUMES"], ["Size", "SIZE"], ["RunningFor", "CREATED"], ["Status", "STATUS"], ["Names", "NAMES"]])
    + "\nLocal Volumes space usage:\n\n"
    + section(volumes, [["Name", "VOLUME NAME"], ["Links", "LINKS"], ["Size", "SIZE"]])
    + `\nBuild cache usage: ${human4(u.builderSize)}\n\n`
    + section(cache, [["ID", "CACHE ID"], ["CacheType", "CACHE TYPE"], ["Size", "SIZE"], ["CreatedSince", "CREATED"], ["LastUsedSince", "LAST USED"], ["UsageCount", "USAGE"], ["Shared", "SHARED"]]);
}

// ---- docker version ----

export const versionCommand: DockerCommand = {
  path: "docker version",
  use: "docker version [OPTIONS]",
  summary: "Show the Docker version information",
  args: 0,
  specs: [{ name: "format", short: "f", kind: "string", help: "Format output using a custom template" }],
  run(p) {
    const v = DOCKER_VERSION;
    const data = {
      Client: { Version: v.client, ApiVersion: v.api, GoVersion: v.go, Os: "linux", Arch: "amd64", Context: "default" },
      Server: { Version: v.server, ApiVersion: v.api, MinAPIVersion: "1.24", GoVersion: v.go, Os: "linux", Arch: "amd64" },
    };
    const format = flag.str(p, "format");
    if (format !== undefined) return formatRows({ format, rows: [data], headers: {}, defaultFormat: "" });
    return `Client:
 Version:           ${v.client}
 API version:       ${v.api}
 Go version:        ${v.go}
 Git commit:        drydock
 Built:             (simulated)
 OS/Arch:           linux/amd64
 Context:           default

Server: Docker Engine - Community (simulated by drydock)
 Engine:
  Version:          ${v.server}
  API version:      ${v.api} (minimum version 1.24)
  Go version:       ${v.go}
  Git commit:       drydock
  Built:            (simulated)
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          ${v.containerd}
 runc:
  Version:          ${v.runc}
`;
  },
};

// ---- docker system info ----

/**
 * moby daemon/info.go fillPluginsInfo. Volume drivers are those the volume store has registered
 * (volume/drivers GetDriverList): "local", and legacy v1 plugins once used. A managed (v2)
 * plugin such as vieux/sshfs is never registered there, so it is not listed even when enabled.
 */
const INFO_PLUGINS = {
  Volume: ["local"],
  Network: ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
  Authorization: null,
  Log: ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"],
};

/**
 * docker/cli system/info.go formatInfo: the template as given ("table" is no keyword here); a
 * parse error is a StatusError 64 "template parsing error: …"; an execution error is returned
 * as Go's text/template wrote it (no prefix, exit 1), after what the template wrote and a newline.
 */
function formatInfo(format: string, data: object, env: DockerEnv): string {
  let tmpl: Template;
  try {
    tmpl = parseTemplate(format);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    env.stderr += `template parsing error: ${e.message}\n`;
    env.exitCode = 64;
    return "";
  }
  try {
    return `${execute(tmpl, goStruct({ ...data }, "system.dockerInfo"))}\n`;
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    env.stderr += `${e.message}\n`;
    env.exitCode = 1;
    return `${e.output}\n`;
  }
}

export const infoCommand: DockerCommand = {
  path: "docker system info",
  use: "docker system info [OPTIONS]",
  summary: "Display system-wide information",
  aliases: ["docker info"],
  args: 0,
  specs: [{ name: "format", short: "f", kind: "string", help: "Format output using a custom template" }],
  run(p, env) {
    const images = openStore(env.engine).allImages().length;
    // moby's state counter: running, paused, and everything else (created, restarting, exited, dead) stopped.
    const all = containerUsage(env.engine, env.now);
    const running = all.filter((c) => c.state === "running").length;
    const paused = all.filter((c) => c.state === "paused").length;
    const stopped = all.length - running - paused;
    const data = {
      ID: engineId(env.host), Containers: all.length, ContainersRunning: running, ContainersPaused: paused, ContainersStopped: stopped, Images: images,
      Driver: "overlay2", Plugins: INFO_PLUGINS, Name: env.host, ServerVersion: DOCKER_VERSION.server, OperatingSystem: HOST_OS,
      OSType: "linux", Architecture: "x86_64", NCPU: HOST_CPUS, MemTotal: HOST_MEMORY, KernelVersion: KERNEL_RELEASE,
      Swarm: swarmInfoData(env), DockerRootDir: "/var/lib/docker", LoggingDriver: "json-file", CgroupDriver: "systemd",
      CgroupVersion: "2", InitBinary: "docker-init", DefaultRuntime: "runc", Isolation: "",
    };
    const format = flag.str(p, "format");
    if (format === "json") return formatRows({ format, rows: [data], headers: {}, defaultFormat: "" });
    if (format !== undefined && format !== "") return formatInfo(format, data, env);
    // docker/cli system/info.go prettyPrintInfo, prettyPrintClientInfo and prettyPrintServerInfo, in their order.
    const plugins = CLI_PLUGINS.map((x) => `  ${x.name}: ${x.summary} (Docker Inc.)\n    Version:  ${x.version}\n    Path:     /usr/libexec/docker/cli-plugins/docker-${x.name}\n`).join("");
    return `Client: Docker Engine - Community
 Version:    ${DOCKER_VERSION.client}
 Context:    default
 Debug Mode: false
 Plugins:
${plugins}
Server:
 Containers: ${all.length}
  Running: ${running}
  Paused: ${paused}
  Stopped: ${stopped}
 Images: ${images}
 Server Version: ${DOCKER_VERSION.server}
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: ${INFO_PLUGINS.Volume.join(" ")}
  Network: ${INFO_PLUGINS.Network.join(" ")}
  Log: ${INFO_PLUGINS.Log.join(" ")}
 CDI spec directories:
  /etc/cdi
  /var/run/cdi
${swarmInfo(env)} Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: ${DOCKER_VERSION.containerdCommit}
 runc version: ${DOCKER_VERSION.runcCommit}
 init version: ${DOCKER_VERSION.initCommit}
 Security Options:
  apparmor
  seccomp
   Profile: builtin
  cgroupns
 Kernel Version: ${KERNEL_RELEASE}
 Operating System: ${HOST_OS}
 OSType: linux
 Architecture: x86_64
 CPUs: ${HOST_CPUS}
 Total Memory: ${bytesSize(HOST_MEMORY)}
 Name: ${env.host}
 ID: ${engineId(env.host)}
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  ::1/128
  127.0.0.0/8
 Live Restore Enabled: false

`;
  },
};

/** The hosts' operating system (their /etc/os-release says the same). */
const HOST_OS = "Debian GNU/Linux 12 (bookworm)";

/** The CLI plugins Docker 28.5.1's packages install (docker-buildx-plugin, docker-compose-plugin), which drydock simulates. */
const CLI_PLUGINS = [
  { name: "buildx", summary: "Docker Buildx", version: "v0.29.1" },
  { name: "compose", summary: "Docker Compose", version: `v${COMPOSE_VERSION}` },
];

/** The daemon's ID (a UUID since Docker 26), the same for a host every time: derived from its name. */
function engineId(host: string): string {
  const hex = sha256Digest(`drydock-engine-id/${host}`).replace(/^sha256:/, "");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---- docker login / logout ----

/** The registry a login names: Docker Hub by default, as the CLI's `registry.IndexServer`. */
const serverOf = (arg: string | undefined) => (arg === undefined || arg === "docker.io" || arg === "index.docker.io" ? "docker.io" : arg.replace(/^https?:\/\//, "").replace(/\/.*$/, ""));

/** docker/cli cli/command/registry/login.go unencryptedWarning, with the file store's path (root's home on the hosts). */
const UNENCRYPTED_WARNING = "\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\n"
  + "Configure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n";

/** cli/command/registry.go PromptUserForCredentials: the note before Docker Hub's password prompt (internal/tui PrintNote, on stderr). */
const PAT_NOTE = "\ni Info → A Personal Access Token (PAT) can be used instead.\n         To create a PAT, visit https://app.docker.com/settings\n         \n         \n";

export const loginCommand: DockerCommand = {
  path: "docker login",
  use: "docker login [OPTIONS] [SERVER]",
  summary: "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
  args: [0, 1],
  specs: [
    { name: "username", short: "u", kind: "string", help: "Username" },
    { name: "password", short: "p", kind: "string", help: "Password or Personal Access Token (PAT)" },
    { name: "password-stdin", kind: "bool", help: "Take the Password or Personal Access Token (PAT) from stdin" },
  ],
  run(p, env) {
    const server = serverOf(p.args[0]);
    let user = flag.str(p, "username");
    const warn = flag.str(p, "password") !== undefined ? "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n" : "";
    const prompted = !flag.bool(p, "password-stdin") && flag.str(p, "password") === undefined;
    // login.go verifyLoginOptions.
    if (flag.bool(p, "password-stdin") && user === undefined) fail("CLIENT", "Must provide --username with --password-stdin");
    if (prompted || user === undefined) {
      // PromptUserForCredentials reads the terminal: `Username: ` unless -u, then `Password: ` with no echo.
      if (!readsTerminal(env)) fail("CLIENT", "Error: Cannot perform an interactive login from a non TTY device");
      const reader = new TerminalReader(env);
      // What was asked and typed before an answer was shown then (the world carries it): this run prints what follows.
      if (user === undefined) {
        user = (reader.read({ prompt: "Username: ", echo: true }, "Username: ") ?? "").trim();
        if (user === "") fail("CLIENT", "Error: Non-null Username Required");
      }
      if (prompted) {
        const ask: { fd: 1 | 2; text: string }[] = [...(server === "docker.io" ? [{ fd: 2 as const, text: PAT_NOTE }] : []), { fd: 1, text: "Password: " }];
        const password = reader.read({ prompt: "Password: ", echo: false }, ask);
        if ((password ?? "") === "") fail("CLIENT", "Error: Password Required");
      }
    }
    env.engine = engineLogin(env.engine, server, user);
    // login.go storeCredentials: the file store warns on stderr, then "Login Succeeded" on stdout.
    env.chunks = [{ fd: 2, text: warn + UNENCRYPTED_WARNING }, { fd: 1, text: "Login Succeeded\n" }];
    return "";
  },
};

export const logoutCommand: DockerCommand = {
  path: "docker logout",
  use: "docker logout [SERVER]",
  summary: "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
  args: [0, 1],
  specs: [],
  run(p, env) {
    const server = serverOf(p.args[0]);
    const r = engineLogout(env.engine, server);
    env.engine = r.engine;
    const shown = server === "docker.io" ? "https://index.docker.io/v1/" : server;
    return r.was ? `Removing login credentials for ${shown}\n` : `Not logged in to ${shown}\n`;
  },
};

// ---- the prunes ----

/** What one prune did: its section of the report (docker/cli's `output`) and the bytes it freed. */
export interface PruneReport {
  readonly output: string;
  readonly reclaimed: number;
}

/** moby's label matching for prunes (daemon/prune.go matchLabels): every `label`, and not every `label!`. */
function matchLabels(f: FilterArgs, labels: Readonly<Record<string, string>>): boolean {
  return f.matchKVList("label", labels) && !(f.has("label!") && f.matchKVList("label!", labels));
}

/** RandomSource for a daemon that must not draw (removing stopped containers draws nothing). */
const NO_DRAWS: RandomSource = {
  next() {
    throw new Error("drydock: a container prune drew a random number");
  },
};
const NO_PROGRAMS = new Proxy({}, { get: () => () => { throw new Error("drydock: a container prune started a program"); } }) as ProgramResolver;

/**
 * `POST /containers/prune` (moby daemon/prune.go ContainersPrune): every container that is not
 * running (nor paused, nor restarting) goes, unless created after `until` or refused by the
 * label filters; the space is each one's writable layer. "container prune" event.
 */
export function pruneContainers(env: DockerEnv, f: FilterArgs): PruneReport {
  f.validate(["label", "label!", "until"]);
  const until = untilFilter(f, env.now);
  const gone = containerUsage(env.engine, env.now)
    .filter((c) => !ACTIVE_STATES.has(c.state))
    .filter((c) => until === undefined || c.createdAt <= until)
    .filter((c) => matchLabels(f, c.labels))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  if (gone.length > 0) {
    const runtime = env.runtime !== undefined ? { ...env.runtime, now: env.now } : { now: env.now, random: NO_DRAWS, names: NO_DRAWS, programs: NO_PROGRAMS, hostName: env.host };
    env.engine = withDaemon(env.engine, env.fs, runtime, (d) => {
      for (const c of gone) d.remove(c.id);
    }).engine;
  }
  const reclaimed = gone.reduce((n, c) => n + c.sizeRw, 0);
  env.engine = recordEvent(env.engine, env.now, "container", "prune", "", { reclaimed: String(reclaimed) });
  return { output: gone.length > 0 ? `Deleted Containers:\n${gone.map((c) => `${c.id}\n`).join("")}` : "", reclaimed };
}

/**
 * `POST /networks/prune` (moby daemon/prune.go NetworksPrune) as `docker system prune` runs it:
 * the filters checked (label, label!, until), every user-defined network no container is
 * connected to removed (the engine's network table), then the "network prune" event (moby
 * always reports reclaimed 0). docker/cli network.RunPrune's report: "Deleted Networks:".
 */
function pruneNetworksReport(env: DockerEnv, f: FilterArgs): PruneReport {
  f.validate(["label", "label!", "until"]);
  const values = f.keys().flatMap((k) => f.get(k).map((v) => `${k}=${v}`));
  const r = pruneNetworks(env.engine.networks, networkPruneKeep(values, env.now));
  env.engine = recordEvent({ ...env.engine, networks: r.table }, env.now, "network", "prune", "", { reclaimed: "0" });
  return { output: r.removed.length > 0 ? `Deleted Networks:\n${r.removed.map((n) => `${n}\n`).join("")}` : "", reclaimed: 0 };
}

/** docker/cli image.RunPrune's report: "Deleted Images:" with untagged:/deleted: lines. */
function pruneImagesReport(env: DockerEnv, f: FilterArgs, all: boolean): PruneReport {
  const filters = f.clone().add("dangling", String(!all));
  const inUse = new Set(containerUsage(env.engine, env.now).map((c) => c.imageId));
  const r = pruneImages(env.engine, filters, { imagesInUse: inUse, now: env.now });
  env.engine = r.engine;
  if (r.deleted.length === 0) return { output: "", reclaimed: 0 };
  return { output: `Deleted Images:\n${r.deleted.map(([kind, what]) => `${kind}: ${what}\n`).join("")}`, reclaimed: r.reclaimedBytes };
}

/** docker/cli volume.RunPrune's report. */
function pruneVolumesReport(env: DockerEnv, f: FilterArgs): PruneReport {
  const r = pruneVolumes(env.engine, f.clone(), env.now);
  env.engine = r.engine;
  if (r.deleted.length === 0) return { output: "", reclaimed: 0 };
  return { output: `Deleted Volumes:\n${r.deleted.map((n) => `${n}\n`).join("")}`, reclaimed: r.reclaimedBytes };
}

/** docker/cli builder.CachePrune (the daemon's reading of the filters). */
function pruneCacheReport(env: DockerEnv, f: FilterArgs, all: boolean): PruneReport {
  const r = pruneBuildCache(env.engine, { all, filters: f, now: env.now });
  env.engine = r.engine;
  if (r.deleted.length === 0) return { output: "", reclaimed: r.reclaimedBytes };
  return { output: `Deleted build cache objects:\n${r.deleted.map((x) => `${x.id}\n`).join("")}`, reclaimed: r.reclaimedBytes };
}

/** The prune commands' common tail: each non-empty section and a blank line, then the total (Fprintln of each). */
function pruneOutput(reports: readonly PruneReport[]): string {
  let out = "";
  let total = 0;
  for (const r of reports) {
    total += r.reclaimed;
    if (r.output !== "") out += `${r.output}\n`;
  }
  return `${out}Total reclaimed space: ${human4(total)}\n`;
}

const FORCE = { name: "force", short: "f", kind: "bool" as const, help: "Do not prompt for confirmation" };

/**
 * A prune behind its prompt (unless -f): a "no" is errdefs.Cancelled, so the prompt is all that
 * is printed and docker exits 0; a "yes" runs the prune, its report after the prompt.
 */
function afterPrompt(p: Parsed, env: DockerEnv, warning: string, run: () => string): string {
  if (flag.bool(p, "force")) return run();
  const answer = confirm(env, warning);
  return answer.yes ? answer.shown + run() : answer.shown;
}

/** docker/cli system/prune.go confirmationTemplate, executed as Go's text/template does. */
const CONFIRMATION_TEMPLATE = `WARNING! This will remove:
{{- range $_, $warning := .warnings }}
  - {{ $warning }}
{{- end }}
{{if .filters}}
  Items to be pruned will be filtered with:
{{- range $_, $filters := .filters }}
  - {{ $filters }}
{{- end }}
{{end}}
Are you sure you want to continue?`;

export const systemPruneCommand: DockerCommand = {
  path: "docker system prune",
  use: "docker system prune [OPTIONS]",
  summary: "Remove unused data",
  args: 0,
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Remove all unused images not just dangling ones" },
    { name: "filter", kind: "list", help: 'Provide filter values (e.g. "label=<key>=<value>")' },
    FORCE,
    { name: "volumes", kind: "bool", help: "Prune anonymous volumes" },
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path, "--filter");
    const all = flag.bool(p, "all");
    const volumes = flag.bool(p, "volumes");
    if (volumes && filters.has("until")) fail("CLIENT", `ERROR: The "until" filter is not supported with "--volumes"`);
    if (!flag.bool(p, "force")) {
      const warnings = ["all stopped containers", "all networks not used by at least one container"];
      if (volumes) warnings.push("all anonymous volumes not used by at least one container");
      warnings.push(all ? "all images without at least one container associated to them" : "all dangling images");
      warnings.push(all ? "all build cache" : "unused build cache");
      const shown: string[] = [];
      for (const name of ["label", "label!", "until"]) for (const v of filters.get(name)) shown.push(`${name}=${v}`);
      const message = renderTemplate(CONFIRMATION_TEMPLATE, new Map<string, unknown>([["warnings", warnings], ["filters", shown.length > 0 ? shown.sort(naturalLess) : null]]));
      return afterPrompt(p, env, message, () => runSystemPrune(env, filters, all, volumes));
    }
    return runSystemPrune(env, filters, all, volumes);
  },
};

/**
 * docker/cli system/prune.go runPrune after the prompt: container, network, volume (with
 * --volumes), image and build-cache prunes in that order, each with the same filters, then the
 * total.
 */
function runSystemPrune(env: DockerEnv, filters: FilterArgs, all: boolean, volumes: boolean): string {
  const reports: PruneReport[] = [];
  reports.push(daemonCall(() => pruneContainers(env, filters.clone())));
  reports.push(daemonCall(() => pruneNetworksReport(env, filters.clone())));
  if (volumes) reports.push(daemonCall(() => pruneVolumesReport(env, filters)));
  reports.push(daemonCall(() => pruneImagesReport(env, filters, all)));
  reports.push(daemonCall(() => pruneCacheReport(env, filters, all)));
  return pruneOutput(reports);
}

export const imagePruneCommand: DockerCommand = {
  path: "docker image prune",
  use: "docker image prune [OPTIONS]",
  summary: "Remove unused images",
  args: 0,
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Remove all unused images, not just dangling ones" },
    { name: "filter", kind: "list", help: 'Provide filter values (e.g. "until=<timestamp>")' },
    FORCE,
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path, "--filter");
    const all = flag.bool(p, "all");
    const warning = all
      ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
      : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";
    return afterPrompt(p, env, warning, () => pruneOutput([daemonCall(() => pruneImagesReport(env, filters, all))]));
  },
};

/**
 * `docker container prune` (docker/cli container/prune.go): the prompt (a "no" is a cancelled
 * error: nothing more is printed and docker exits 0), then `POST /containers/prune` with the
 * filters, "Deleted Containers:" and the total. The same daemon call as `docker system prune`'s.
 */
export const containerPruneCommand: DockerCommand = {
  path: "docker container prune",
  use: "docker container prune [OPTIONS]",
  summary: "Remove all stopped containers",
  args: 0,
  specs: [
    { name: "filter", kind: "list", help: 'Provide filter values (e.g. "until=<timestamp>")' },
    FORCE,
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path, "--filter");
    return afterPrompt(p, env, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?", () => pruneOutput([daemonCall(() => pruneContainers(env, filters))]));
  },
};

export const volumePruneCommand: DockerCommand = {
  path: "docker volume prune",
  use: "docker volume prune [OPTIONS]",
  summary: "Remove unused local volumes",
  args: 0,
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Remove all unused volumes, not just anonymous ones" },
    { name: "filter", kind: "list", help: 'Provide filter values (e.g. "label=<label>")' },
    FORCE,
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path, "--filter");
    const all = flag.bool(p, "all");
    if (all) {
      if (filters.has("all")) fail("CLIENT", "conflicting options: cannot specify both --all and --filter all=1");
      filters.add("all", "true");
    }
    const warning = all
      ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?"
      : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?";
    return afterPrompt(p, env, warning, () => pruneOutput([daemonCall(() => pruneVolumesReport(env, filters))]));
  },
};

/** buildx's tabwriter (minwidth 1, tabwidth 8, padding 1, padded with tabs). */
const buildxTable = (text: string) => tabwrite(text, { minwidth: 1, tabwidth: 8, padding: 1, padchar: "\t", flags: 0 });

/** Go's time.Time.String() in UTC, with the nanoseconds Go keeps ("2026-01-01 00:00:01.531 +0000 UTC"). */
const goTimeString = (us: Micros) => `${formatCreatedRfc3339(us).replace("T", " ").replace(/Z$/, "")} +0000 UTC`;

/**
 * `docker builder prune`. Docker 28 hands `docker builder` to buildx (cmd/docker/builder.go
 * forwardBuilder), so this is `docker buildx prune` (docker/buildx commands/prune.go): filters
 * read by buildx before the prompt (its errors start "ERROR: "), a "no" ends quietly, each
 * deleted record in a table, then "Total:". With DOCKER_BUILDKIT=0 the CLI's own builder prune
 * runs instead (cli/command/builder/prune.go), after the legacy builder's notice.
 */
export const builderPruneCommand: DockerCommand = {
  path: "docker builder prune",
  use: "docker builder prune",
  summary: "Remove build cache",
  args: 0,
  plugin: true,
  specs: [
    { name: "all", short: "a", kind: "bool", help: "Include internal/frontend images" },
    { name: "filter", kind: "list", help: "Provide filter values" },
    FORCE,
    { name: "keep-storage", kind: "string", help: "Amount of disk space to keep for cache" },
    { name: "max-used-space", kind: "string", help: "Maximum amount of disk space allowed to keep for cache" },
    { name: "min-free-space", kind: "string", help: "Target amount of free disk space after pruning" },
    { name: "reserved-space", kind: "string", help: "Amount of disk space always allowed to keep for cache" },
    { name: "verbose", kind: "bool", help: "Provide a more verbose output" },
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path, "--filter");
    const all = flag.bool(p, "all");
    const classic = Object.hasOwn(env.env, "DOCKER_BUILDKIT") && /^(0|false)$/i.test(env.env["DOCKER_BUILDKIT"]!);
    const warning = all ? "WARNING! This will remove all build cache. Are you sure you want to continue?" : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
    if (classic) {
      env.stderr += `${LEGACY_BUILDER_NOTICE}\n`;
      env.stderrFirst = true;
      return afterPrompt(p, env, warning, () => pruneOutput([daemonCall(() => pruneCacheReport(env, filters, all))]));
    }
    let r;
    try {
      r = pruneBuildCache(env.engine, { all, filters, now: env.now, client: "buildx" });
    } catch (e) {
      if (isDrydockError(e)) fail("CLIENT", `ERROR: ${e.message}`);
      throw e;
    }
    let shown = "";
    if (!flag.bool(p, "force")) {
      const answer = confirm(env, warning);
      if (!answer.yes) return answer.shown;
      shown = answer.shown;
    }
    env.engine = r.engine;
    // buildx flushes its tabwriter after each record (and the header with the first), so each
    // flush aligns only the lines it holds.
    let body = "";
    const ago = (x: BuildCacheEntry) => `${humanDuration(Math.max(0, env.now - x.lastUsedAt))} ago`;
    r.deleted.forEach((x, i) => {
      if (flag.bool(p, "verbose")) {
        body += buildxTable(`ID:\t${x.id}\nCreated at:\t${goTimeString(x.createdAt)}\nMutable:\tfalse\nReclaimable:\ttrue\nShared:\t${x.shared}\n`
          + `Size:\t${human4(x.size)}\n${x.description !== "" ? `Description:\t${x.description}\n` : ""}Usage count:\t${x.usageCount}\n`
          + `Last used:\t${ago(x)}\nType:\t${x.type}\n\n`);
        return;
      }
      const row = `${x.id.padEnd(40)}\t${"true".padEnd(5)}\t${(human4(x.size) + (x.shared ? "*" : "")).padEnd(10)}\t${ago(x)}\n`;
      body += buildxTable(i === 0 ? `ID\tRECLAIMABLE\tSIZE\tLAST ACCESSED\n${row}` : row);
    });
    const total = r.deleted.reduce((n, x) => n + x.size, 0);
    return shown + body + buildxTable(`Total:\t${human4(total)}\n`);
  },
};

// ---- docker system events ----

/** moby api/types/events.Message as a Go struct for --format templates (field names as Go has them). */
export function eventMessage(ev: EngineEvent | null): Record<string, unknown> {
  const legacy = ev !== null && (ev.type === "container" || ev.type === "image");
  return goStruct({
    Status: legacy ? ev!.action : "",
    ID: legacy ? ev!.actor.id : "",
    From: ev?.type === "container" ? (ev.actor.attributes["image"] ?? "") : "",
    Type: ev?.type ?? "",
    Action: ev?.action ?? "",
    Actor: goStruct({ ID: ev?.actor.id ?? "", Attributes: new Map(Object.entries(ev?.actor.attributes ?? {})) }, "events.Actor"),
    Scope: ev?.scope ?? "",
    Time: ev === null ? 0 : virtualToUnixSeconds(ev.timeUs),
    TimeNano: ev === null ? 0n : virtualToUnixNanos(ev.timeUs),
  }, "*events.Message");
}

/** encoding/json of events.Message with its tags: status/id/from/scope/time/timeNano omitted when empty. */
export function eventJson(ev: EngineEvent): string {
  const m = eventMessage(ev);
  const parts: string[] = [];
  const put = (key: string, v: unknown, omitEmpty: boolean) => {
    if (omitEmpty && (v === "" || v === 0 || v === 0n)) return;
    parts.push(`${goJson(key, { escapeHTML: false })}:${goJson(v, { escapeHTML: false })}`);
  };
  put("status", m["Status"], true);
  put("id", m["ID"], true);
  put("from", m["From"], true);
  put("Type", m["Type"], false);
  put("Action", m["Action"], false);
  put("Actor", m["Actor"], false);
  put("scope", m["Scope"], true);
  put("time", m["Time"], true);
  put("timeNano", m["TimeNano"], true);
  return `{${parts.join(",")}}`;
}

/** docker/cli system/events.go prettyPrintEvent. */
function prettyEvent(ev: EngineEvent): string {
  const keys = Object.keys(ev.actor.attributes).sort();
  const attrs = keys.length > 0 ? ` (${keys.map((k) => `${k}=${ev.actor.attributes[k]}`).join(", ")})` : "";
  return `${formatRfc3339NanoFixed(ev.timeUs)} ${ev.type} ${ev.action} ${ev.actor.id}${attrs}\n`;
}

/** What the CLI sends as since/until (api/types/time.GetTimestamp's text), for the daemon's error. */
function timestampText(value: string, us: Micros): string {
  if (parseGoDuration(value) !== undefined && value !== "0") return String(virtualToUnixSeconds(us));
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const nanos = virtualToUnixNanos(us);
  return `${nanos / 1_000_000_000n}.${String(nanos % 1_000_000_000n).padStart(9, "0")}`;
}

export const eventsCommand: DockerCommand = {
  path: "docker system events",
  use: "docker system events [OPTIONS]",
  summary: "Get real time events from the server",
  aliases: ["docker events"],
  args: 0,
  specs: [
    { name: "filter", short: "f", kind: "list", help: "Filter output based on conditions provided" },
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "since", kind: "string", help: "Show all events created since timestamp" },
    { name: "until", kind: "string", help: "Stream events until this timestamp" },
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path);
    // makeTemplate: parsed, then run on an empty message so a bad field fails before any event;
    // docker exits 64 (cli.StatusError "Error parsing format: …").
    const format = flag.str(p, "format") ?? "";
    let tmpl: Template | null = null;
    if (format !== "") {
      try {
        tmpl = parseTemplate(format === "json" ? "{{json .}}" : format);
        execute(tmpl, eventMessage(null));
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        env.stderr += `Error parsing format: ${e.message}\n`;
        env.exitCode = 64;
        return "";
      }
    }
    // The client turns --since/--until into timestamps (its own errors, printed as they are).
    const read = (name: "since" | "until"): Micros | undefined => {
      const v = flag.str(p, name);
      if (v === undefined || v === "") return undefined;
      try {
        return parseTimestamp(v, env.now);
      } catch (e) {
        if (isDrydockError(e)) fail("CLIENT", e.message);
        throw e;
      }
    };
    const sinceUs = read("since");
    const untilUs = read("until");
    if (untilUs !== undefined && sinceUs !== undefined && untilUs < sinceUs) {
      fail("DAEMON", `\`since\` time (${timestampText(flag.str(p, "since")!, sinceUs)}) cannot be after \`until\` time (${timestampText(flag.str(p, "until")!, untilUs)})`);
    }
    // moby loadBufferedEvents: the past events in [since, until] that pass the filters.
    let out = "";
    for (const ev of selectEvents(engineEvents(env.engine), { ...(sinceUs !== undefined ? { sinceUs } : {}), ...(untilUs !== undefined ? { untilUs } : {}), filters })) {
      out += eventLine(ev, format, tmpl);
    }
    // With --until not after now the stream ends at once (onlyPastEvents, or a wait of zero).
    if (untilUs !== undefined && untilUs <= env.now) return out;
    // Otherwise the daemon goes on sending events as they happen, until --until or Ctrl-C: a
    // following job (follow.ts) the world steps as the engine logs them.
    env.pending = {
      kind: "events", durationUs: untilUs === undefined ? 0 : untilUs - env.now, steps: [],
      outcome: { status: 0, stdout: out, stderr: "" },
      follow: {
        spec: { kind: "events", filters: flag.list(p, "filter"), format: format === "" ? null : format, until: untilUs ?? null },
        initial: out === "" ? [] : [{ fd: 1, text: out }],
        cursor: env.now,
      },
    };
    return "";
  },
};

/**
 * One event as `docker events` prints it: prettyPrintEvent with no --format, encoding/json's
 * text for `json`, else the template's output and a newline (formatEvent).
 */
export function eventLine(ev: EngineEvent, format: string, tmpl: Template | null): string {
  if (tmpl === null) return prettyEvent(ev);
  if (format === "json" || format.trim() === "{{json .}}") return eventJson(ev) + "\n";
  try {
    return execute(tmpl, eventMessage(ev)) + "\n";
  } catch (e) {
    if (e instanceof TemplateError) fail("CLIENT", e.message);
    throw e;
  }
}

/** The commands this file adds for issue #10 (cli.ts gathers them). */
export const SYSTEM_COMMANDS: readonly DockerCommand[] = [
  systemPruneCommand, containerPruneCommand, imagePruneCommand, volumePruneCommand, builderPruneCommand, eventsCommand,
];
