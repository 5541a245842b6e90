import { humanSize, since } from "@drydock/image";
import { engineLogin, engineLogout, openStore } from "@drydock/engine";
import { fail } from "../errors.js";
import { formatRows, table } from "../format/index.js";
import { flag } from "./flags.js";
import type { DockerCommand } from "./command.js";

/** The versions drydock's docker reports: a current Docker Engine, simulated. */
export const DOCKER_VERSION = { client: "28.5.1", api: "1.51", server: "28.5.1", go: "go1.24.8", containerd: "1.7.28", runc: "1.3.0" };

const pct = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : "");

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
    const store = openStore(env.engine);
    const u = store.diskUsage();
    if (flag.bool(p, "verbose")) {
      const rows: string[][] = [];
      for (const i of u.perImage) {
        const tags = i.repoTags.length > 0 ? i.repoTags : ["<none>:<none>"];
        const img = store.resolve(i.id);
        for (const t of tags) {
          const c = t.lastIndexOf(":");
          rows.push([t.slice(0, c), t.slice(c + 1), i.id.replace(/^sha256:/, "").slice(0, 12), since(img?.created ?? 0, env.now),
            humanSize(i.size), humanSize(i.sharedSize), humanSize(i.uniqueSize), String(i.containers)]);
        }
      }
      // docker/cli system df -v: one table per kind, each under its heading.
      return `Images space usage:\n\n${table(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS"], rows)}`
        + `\nContainers space usage:\n\n${table(["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES"], [])}`
        + `\nLocal Volumes space usage:\n\n${table(["VOLUME NAME", "LINKS", "SIZE"], [])}`
        + `\nBuild cache usage: ${humanSize(u.buildCache.size)}\n\n${table(["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED"], [])}`;
    }
    const rows = [
      { Type: "Images", TotalCount: String(u.images.total), Active: String(u.images.active), Size: humanSize(u.images.size), Reclaimable: humanSize(u.images.reclaimable) + pct(u.images.reclaimable, u.images.size) },
      { Type: "Containers", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
      { Type: "Local Volumes", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
      { Type: "Build Cache", TotalCount: String(u.buildCache.total), Active: "0", Size: humanSize(u.buildCache.size), Reclaimable: humanSize(u.buildCache.size) },
    ];
    return formatRows({
      format: flag.str(p, "format"), rows,
      headers: { Type: "TYPE", TotalCount: "TOTAL", Active: "ACTIVE", Size: "SIZE", Reclaimable: "RECLAIMABLE" },
      defaultFormat: "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
    });
  },
};

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

export const infoCommand: DockerCommand = {
  path: "docker system info",
  use: "docker system info [OPTIONS]",
  summary: "Display system-wide information",
  aliases: ["docker info"],
  args: 0,
  specs: [{ name: "format", short: "f", kind: "string", help: "Format output using a custom template" }],
  run(p, env) {
    const store = openStore(env.engine);
    const images = store.allImages().length;
    const data = {
      ID: env.host, Containers: 0, ContainersRunning: 0, ContainersPaused: 0, ContainersStopped: 0, Images: images,
      Driver: "overlay2", Name: env.host, ServerVersion: DOCKER_VERSION.server, OperatingSystem: "Ubuntu 24.04 LTS (simulated)",
      OSType: "linux", Architecture: "x86_64", NCPU: 2, MemTotal: 4_294_967_296, KernelVersion: "6.8.0-drydock",
      Swarm: { LocalNodeState: "inactive" }, DockerRootDir: "/var/lib/docker", LoggingDriver: "json-file", CgroupDriver: "systemd",
      CgroupVersion: "2",
    };
    const format = flag.str(p, "format");
    if (format !== undefined) return formatRows({ format, rows: [data], headers: {}, defaultFormat: "" });
    return `Client:
 Version:    ${DOCKER_VERSION.client}
 Context:    default
 Debug Mode: false

Server:
 Containers: 0
  Running: 0
  Paused: 0
  Stopped: 0
 Images: ${images}
 Server Version: ${DOCKER_VERSION.server}
 Storage Driver: overlay2
  Backing Filesystem: extfs
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Kernel Version: 6.8.0-drydock
 Operating System: Ubuntu 24.04 LTS (simulated by drydock)
 OSType: linux
 Architecture: x86_64
 CPUs: 2
 Total Memory: 4GiB
 Name: ${env.host}
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

/** The registry a login names: Docker Hub by default, as the CLI's `registry.IndexServer`. */
const serverOf = (arg: string | undefined) => (arg === undefined || arg === "docker.io" || arg === "index.docker.io" ? "docker.io" : arg.replace(/^https?:\/\//, "").replace(/\/.*$/, ""));

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
    const user = flag.str(p, "username");
    // There is no terminal to prompt on inside a command line: docker says so the same way.
    if (user === undefined) fail("CLIENT", "Error: Cannot perform an interactive login from a non TTY device");
    if (!flag.bool(p, "password-stdin") && flag.str(p, "password") === undefined) {
      fail("CLIENT", "Error: Cannot perform an interactive login from a non TTY device");
    }
    env.engine = engineLogin(env.engine, serverOf(p.args[0]), user);
    const warn = flag.str(p, "password") !== undefined ? "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n" : "";
    env.stderr += warn;
    env.stderrFirst = true;
    return "Login Succeeded\n";
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
