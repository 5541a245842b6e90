// docker system df/info/prune/events and the per-kind prunes at the prompt (issue #10; the course's
// "Cleaning up Docker Resources" and "Inspection Commands"). Expected texts: docker/cli v28.5.1
// (cli/command/system, image/prune.go, volume/prune.go, builder/prune.go, formatter/disk_usage.go,
// internal/prompt), docker/buildx v0.29.1 (commands/prune.go, which `docker builder` runs) and
// moby v28.5.1; each test names its file. IDs, sizes and times are simulated (seed 1).
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const SYSTEM_PROMPT = `WARNING! This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all dangling images
  - unused build cache

Are you sure you want to continue? [y/N] `;

/** alpine pulled, app:1 built twice (the first build left dangling), a named and an anonymous volume. */
/** A prompt at the terminal answered with `answer` typed as the next line (world/terminal-input.ts). */
function answered(pg: Playground, line: string, answer: string) {
  const asked = pg.exec(line);
  expect(asked.exitCode).toBe(-1);
  expect(asked.reading).toEqual({ prompt: expect.stringMatching(/\[y\/N\] $/), echo: true });
  const r = pg.exec(answer);
  // The terminal showed the prompt, then the echo of what was typed.
  expect(r.stdout.startsWith(`${asked.stdout}${answer}\n`)).toBe(true);
  return { ...r, stdout: r.stdout.slice(asked.stdout.length + answer.length + 1), prompt: asked.stdout };
}

function cluttered(): Playground {
  const pg = createPlayground({ seed: 1 });
  pg.exec("docker pull alpine:3.5");
  pg.exec("mkdir -p /root/app && cd /root/app && printf 'FROM alpine:3.5\\nRUN echo one > /one\\n' > Dockerfile && docker build -t app:1 .");
  pg.exec("printf 'FROM alpine:3.5\\nRUN echo two > /two\\n' > /root/app/Dockerfile && docker build -t app:1 /root/app");
  pg.exec("docker volume create named && docker volume create");
  return pg;
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe("the prune prompt and stdin (internal/prompt.Confirm; cmd/docker: a cancelled prune exits 0)", () => {
  it("at a terminal the prompt waits for a line; anything but y is no: the prompt, exit 0, nothing removed (QA #7: it used to read no at once)", () => {
    const pg = cluttered();
    const before = pg.worldHash();
    expect(answered(pg, "docker system prune", "")).toEqual({ exitCode: 0, stdout: "", stderr: "", prompt: SYSTEM_PROMPT });
    expect(answered(pg, "docker image prune", "no")).toEqual({ exitCode: 0, stdout: "", stderr: "", prompt: "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] " });
    expect(answered(pg, "docker container prune", "N")).toEqual({ exitCode: 0, stdout: "", stderr: "", prompt: "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] " });
    expect(answered(pg, "docker image prune -a", "n").prompt).toBe("WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ");
    expect(answered(pg, "docker volume prune", "n").prompt).toBe("WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ");
    expect(answered(pg, "docker volume prune -a", "yes").prompt).toBe("WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ");
    expect(answered(pg, "docker builder prune", "")).toEqual({ exitCode: 0, stdout: "", stderr: "", prompt: "WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] " });
    expect(pg.exec("echo n | docker system prune")).toEqual({ exitCode: 0, stdout: SYSTEM_PROMPT, stderr: "" });
    expect(pg.exec("docker system prune < /dev/null")).toMatchObject({ exitCode: 0, stdout: SYSTEM_PROMPT });
    expect(pg.worldHash()).toBe(before);
    // The prompt comes before the API call, so a filter the daemon would refuse is never sent.
    expect(answered(pg, "docker image prune --filter colour=red", "")).toMatchObject({ exitCode: 0, stderr: "" });
    expect(pg.exec("docker image prune -f --filter colour=red")).toEqual({ exitCode: 1, stdout: "", stderr: "Error response from daemon: invalid filter 'colour'\n" });
  });

  it("`y` typed at the prompt prunes, its report after the echoed answer", () => {
    const pg = cluttered();
    const dangling = pg.exec("docker images -q --no-trunc --filter dangling=true").stdout.trim();
    const r = answered(pg, "docker image prune", "y");
    expect(r).toEqual({ exitCode: 0, stdout: `Deleted Images:\ndeleted: ${dangling}\n\nTotal reclaimed space: 0B\n`, stderr: "", prompt: expect.any(String) });
  });

  it("the system prune warning lists what --volumes and -a add, and the filters (system/prune.go confirmationTemplate)", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("docker system prune -a --volumes --filter label=tier=db --filter label!=keep").stdout).toBe(`WARNING! This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all anonymous volumes not used by at least one container
  - all images without at least one container associated to them
  - all build cache

  Items to be pruned will be filtered with:
  - label!=keep
  - label=tier=db

Are you sure you want to continue? [y/N] `);
    pg.exec("n");
    expect(pg.exec("docker system prune --volumes --filter until=24h")).toEqual({
      exitCode: 1, stdout: "", stderr: `ERROR: The "until" filter is not supported with "--volumes"\n`,
    });
  });
});

describe("docker system prune and the per-kind prunes: Docker's sections, then 'Total reclaimed space'", () => {
  it("`echo y | docker system prune`: the dangling image, then the build cache the daemon frees (system/prune.go runPrune)", () => {
    const pg = cluttered();
    const dangling = pg.exec("docker images -q --no-trunc --filter dangling=true").stdout.trim();
    const r = pg.exec("echo y | docker system prune");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith(SYSTEM_PROMPT + "Deleted Images:\n")).toBe(true);
    const body = r.stdout.slice(SYSTEM_PROMPT.length);
    // Each prune's output is printed with Fprintln, so a blank line follows each section.
    expect(body).toMatch(new RegExp(`^Deleted Images:\\ndeleted: ${dangling}\\n\\nDeleted build cache objects:\\n([0-9a-z]{25}\\n)+\\nTotal reclaimed space: \\d+(\\.\\d+)?[kMG]?B\\n$`));
    expect(pg.exec("docker images -q --filter dangling=true").stdout).toBe("");
    expect(pg.exec("docker images --format '{{.Repository}}:{{.Tag}}'").stdout).toBe("app:1\nalpine:3.5\n");
    // Volumes stay unless --volumes.
    expect(lines(pg.exec("docker volume ls -q").stdout)).toHaveLength(2);
  });

  it("-a --volumes -f: every unused image and the anonymous volume go; the named volume stays (moby ImagesPrune, VolumesService.Prune)", () => {
    const pg = cluttered();
    const r = pg.exec("docker system prune -a --volumes -f");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Deleted Volumes:\n[0-9a-f]{64}\n\nDeleted Images:\nuntagged: app:1\n/);
    expect(r.stdout).toContain("untagged: alpine:3.5\n");
    expect(r.stdout).toMatch(/\nTotal reclaimed space: 3\.99\d?MB\n$/);
    expect(pg.exec("docker images -q").stdout).toBe("");
    expect(pg.exec("docker volume ls -q").stdout).toBe("named\n");
    expect(pg.exec("docker system prune -f")).toEqual({ exitCode: 0, stdout: "Total reclaimed space: 0B\n", stderr: "" });
  });

  it("user-defined networks nothing uses go, as the label filters allow (network.RunPrune: 'Deleted Networks:')", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker network create foo && docker network create --label keep=1 bar");
    expect(pg.exec("docker system prune -f --filter label!=keep")).toEqual({ exitCode: 0, stdout: "Deleted Networks:\nfoo\n\nTotal reclaimed space: 0B\n", stderr: "" });
    expect(pg.exec("docker network ls --format '{{.Name}}'").stdout).toBe("bar\nbridge\nhost\nnone\n");
  });

  it("docker image prune: dangling by default, -a everything unused, untagged:/deleted: lines (image/prune.go)", () => {
    const pg = cluttered();
    const dangling = pg.exec("docker images -q --no-trunc --filter dangling=true").stdout.trim();
    const r = pg.exec("docker image prune -f");
    expect(r.stdout).toMatch(new RegExp(`^Deleted Images:\\ndeleted: ${dangling}\\n\\nTotal reclaimed space: \\d+B\\n$`));
    const all = pg.exec("docker image prune -af");
    expect(lines(all.stdout).slice(0, 3)).toEqual(["Deleted Images:", "untagged: app:1", expect.stringMatching(/^deleted: sha256:[0-9a-f]{64}$/)]);
    expect(pg.exec("docker image prune -f")).toEqual({ exitCode: 0, stdout: "Total reclaimed space: 0B\n", stderr: "" });
  });

  it("docker volume prune: anonymous volumes by default, -a named ones too; --all with --filter all is refused (volume/prune.go)", () => {
    const pg = cluttered();
    const anon = lines(pg.exec("docker volume ls -q").stdout).find((n) => n !== "named")!;
    expect(pg.exec("echo y | docker volume prune").stdout).toBe(
      `WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] Deleted Volumes:\n${anon}\n\nTotal reclaimed space: 0B\n`,
    );
    expect(pg.exec("docker volume prune -a -f --filter label=nope").stdout).toBe("Total reclaimed space: 0B\n");
    expect(pg.exec("docker volume prune -a -f").stdout).toBe("Deleted Volumes:\nnamed\n\nTotal reclaimed space: 0B\n");
    expect(pg.exec("docker volume prune -a -f --filter all=1")).toEqual({ exitCode: 1, stdout: "", stderr: "conflicting options: cannot specify both --all and --filter all=1\n" });
    expect(pg.exec("docker volume prune -f --filter all=maybe").stderr).toBe(`Error response from daemon: invalid filter 'all': strconv.ParseBool: parsing "maybe": invalid syntax\n`);
  });

  it("docker builder prune is buildx's: a table flushed per record, padded with tabs, then 'Total:' (buildx commands/prune.go)", () => {
    const pg = cluttered();
    const r = pg.exec("docker builder prune -af");
    expect(r.exitCode).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe("ID\t\t\t\t\t\tRECLAIMABLE\tSIZE\t\tLAST ACCESSED");
    // The first record is flushed with the header ("true " padded to the header's width); later ones alone.
    expect(out[1]).toMatch(/^[0-9a-z]{25} {15}\ttrue \t\t[^\t]+\t.+ ago$/);
    expect(out[2]).toMatch(/^[0-9a-z]{25} {15}\ttrue \t[^\t]+\t.+ ago$/);
    expect(out.at(-1)).toMatch(/^Total:\t\d+(\.\d+)?[kM]?B$/);
    expect(pg.exec("docker builder prune -f")).toEqual({ exitCode: 0, stdout: "Total:\t0B\n", stderr: "" });
    // buildx reads the filters itself before the prompt, and prints its errors with "ERROR: ".
    expect(pg.exec("docker builder prune --filter until=yesterday")).toEqual({
      exitCode: 1, stdout: "", stderr: `ERROR: "until" filter expects a duration (e.g., '24h'): time: invalid duration "yesterday"\n`,
    });
  });

  it("DOCKER_BUILDKIT=0 docker builder prune is the CLI's own, after the legacy builder's notice (cli/command/builder/prune.go)", () => {
    const pg = cluttered();
    const r = pg.exec("DOCKER_BUILDKIT=0 docker builder prune -f");
    expect(r.stderr).toBe("DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n");
    expect(r.stdout).toMatch(/^Deleted build cache objects:\n([0-9a-z]{25}\n)+\nTotal reclaimed space: \d+B\n$/);
  });

  it("a failed prune leaves the world unchanged", () => {
    const pg = cluttered();
    const before = pg.worldHash();
    for (const l of ["docker system prune -f --filter colour=red", "docker image prune -af --filter until=yesterday", "docker volume prune -f --filter dangling=true", "docker builder prune -f --filter until=x"]) {
      expect(pg.exec(l).exitCode, l).not.toBe(0);
      expect(pg.worldHash(), l).toBe(before);
    }
  });
});

describe("docker system df (formatter/disk_usage.go)", () => {
  it("counts images, containers, local volumes and build cache; sizes with four digits (go-units HumanSize), percent truncated", () => {
    const pg = cluttered();
    pg.exec("echo y | docker plugin install vieux/sshfs && docker volume create -d vieux/sshfs -o sshcmd=a@b:/c remote");
    const df = pg.exec("docker system df").stdout;
    expect(lines(df)[0]).toBe("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE");
    expect(lines(df)[1]).toMatch(/^Images {10}3 {9}0 {9}3\.99\d?MB +3\.99\d?MB \(100%\)$/);
    expect(lines(df)[2]).toBe("Containers      0         0         0B        0B");
    // moby LocalVolumesSize: local volumes without options (the plugin's volume is not counted).
    expect(lines(df)[3]).toBe("Local Volumes   2         0         0B        0B");
    expect(lines(df)[4]).toMatch(/^Build Cache {5}3 {9}0 {9}\S+ +\S+$/);
    expect(pg.exec("docker system df --format '{{.Type}}={{.TotalCount}}'").stdout).toBe("Images=3\nContainers=0\nLocal Volumes=2\nBuild Cache=3\n");
  });

  it("-v: one table per kind under Docker's headings; an image shows its first tag, a dangling one <none>", () => {
    const pg = cluttered();
    const v = pg.exec("docker system df -v").stdout;
    const parts = v.split("\n\n");
    expect(parts[0]).toBe("Images space usage:");
    expect(parts[1]!.split("\n")[0]).toBe("REPOSITORY   TAG       IMAGE ID       CREATED                  SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS");
    expect(parts[1]).toMatch(/\n<none> {7}<none> {4}[0-9a-f]{12} /);
    expect(v).toContain("\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES\n");
    expect(v).toMatch(/\nLocal Volumes space usage:\n\nVOLUME NAME {56}LINKS {5}SIZE\n[0-9a-f]{64} {3}0 {9}0B\nnamed {62}0 {9}0B\n/);
    expect(v).toMatch(/\nBuild cache usage: \S+\n\nCACHE ID {7}CACHE TYPE {3}SIZE {6}CREATED +LAST USED +USAGE {5}SHARED\n/);
  });
});

describe("with containers: df, info, system prune and events see them", () => {
  /** nginx running with the named volume "data"; a stopped alpine that wrote to an anonymous volume and its layer. */
  function withContainers(): Playground {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker run --name web -d -v data:/data nginx");
    pg.exec("docker run --name one -v /scratch alpine sh -c 'echo hi > /scratch/x; echo hello > /tmp/y'");
    return pg;
  }

  it("df counts containers (active: running, paused, restarting) and volumes in use (formatter/disk_usage.go)", () => {
    const pg = withContainers();
    const df = lines(pg.exec("docker system df").stdout);
    expect(df[1]).toMatch(/^Images {10}2 {9}2 {9}\S+ +0B \(0%\)$/);
    expect(df[2]).toBe("Containers      2         1         6B        6B (100%)");
    expect(df[3]).toBe("Local Volumes   2         2         3B        0B (0%)");
    const v = pg.exec("docker system df -v").stdout;
    // moby container/view.go quotes an argument that has a space: "sh -c 'echo hi > /s…".
    expect(v).toMatch(/\n[0-9a-f]{12} {3}alpine {4}"sh -c 'echo hi > \/s…" {3}1 {15}6B {8}.* {3}Exited \(0\) .* {3}one\n/);
    expect(v).toMatch(/\ndata {63}1 {9}0B\n/);
  });

  it("info counts running and stopped containers (moby's state counter)", () => {
    const pg = withContainers();
    expect(pg.exec("docker info").stdout).toContain(" Containers: 2\n  Running: 1\n  Paused: 0\n  Stopped: 1\n Images: 2\n");
  });

  it("system prune --volumes removes the stopped container, then the volume it no longer holds; the running one and its volume stay", () => {
    const pg = withContainers();
    const stopped = pg.exec("docker ps -aq --no-trunc --filter status=exited").stdout.trim();
    const r = pg.exec("docker system prune -f --volumes");
    expect(r.stdout).toMatch(new RegExp(`^Deleted Containers:\\n${stopped}\\n\\nDeleted Volumes:\\n[0-9a-f]{64}\\n\\nTotal reclaimed space: 9B\\n$`));
    expect(pg.exec("docker ps -a --format '{{.Names}}'").stdout).toBe("web\n");
    expect(pg.exec("docker volume ls -q").stdout).toBe("data\n");
    // moby logs one "prune" per kind with what it reclaimed.
    pg.advance("2s");
    expect(pg.exec("docker events --since 1m --until 0s --filter event=prune --format '{{.Type}} {{.Actor.Attributes.reclaimed}}'").stdout)
      .toBe("container 6\nnetwork 0\nvolume 3\nimage 0\nbuilder 0\n");
  });

  it("events follows: a detached container that ends while `docker events` waits is printed when it dies", () => {
    const pg = withContainers();
    pg.exec("docker run -d --name sleeper alpine sleep 5");
    pg.begin("docker events --filter type=container --filter event=die --format '{{.Actor.Attributes.name}} {{.Action}}'");
    pg.advance("10s");
    expect(pg.output()).toBe("sleeper die\n");
    pg.interrupt();
  });
});

describe("docker system info (system/info.go prettyPrintServerInfo)", () => {
  it("counts containers and images; swarm inactive; a managed plugin is not a registered volume driver (moby GetDriverList)", () => {
    const pg = cluttered();
    pg.exec("docker plugin install --grant-all-permissions vieux/sshfs");
    const info = pg.exec("docker system info").stdout;
    expect(info).toContain("Server:\n Containers: 0\n  Running: 0\n  Paused: 0\n  Stopped: 0\n Images: 3\n Server Version: 28.5.1\n Storage Driver: overlay2\n");
    expect(info).toContain(" Plugins:\n  Volume: local\n  Network: bridge host ipvlan macvlan null overlay\n  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog\n CDI spec directories:\n  /etc/cdi\n  /var/run/cdi\n Swarm: inactive\n");
    // The host's kernel and OS are the ones `uname -r` and /etc/os-release give at its prompt.
    expect(info).toContain(` Kernel Version: ${pg.exec("uname -r").stdout.trim()}\n Operating System: Debian GNU/Linux 12 (bookworm)\n`);
    expect(info.endsWith(" Live Restore Enabled: false\n\n")).toBe(true);
    expect(pg.exec("docker info --format '{{.Images}} {{.Containers}} {{.Swarm.LocalNodeState}} {{.Plugins.Volume}}'").stdout).toBe("3 0 inactive [local]\n");
  });
});

describe("docker system events (system/events.go; moby daemon/events)", () => {
  /** Events at 1 s (a volume created, another removed), then 2 s later: --until 0s reaches them. */
  function withEvents(): Playground {
    const pg = createPlayground({ seed: 1 });
    pg.advance("1s");
    pg.exec("docker volume create data && docker volume create scratch && docker volume rm scratch");
    pg.advance("2s");
    return pg;
  }

  it("--since/--until prints the past events at once, each as prettyPrintEvent does (nine-digit nanoseconds, sorted attributes)", () => {
    const pg = withEvents();
    expect(pg.exec("docker system events --since 1h --until 0s")).toEqual({
      exitCode: 0, stderr: "",
      stdout: "2026-01-01T00:00:01.000000000Z volume create data (driver=local)\n"
        + "2026-01-01T00:00:01.000000000Z volume create scratch (driver=local)\n"
        + "2026-01-01T00:00:01.000000000Z volume destroy scratch (driver=local)\n",
    });
    // An RFC 3339 until before the events, and a filter (daemon/events/filter.go).
    expect(pg.exec("docker events --since 2026-01-01T00:00:00Z --until 2026-01-01T00:00:00.5Z").stdout).toBe("");
    expect(pg.exec("docker events --since 1h --until 0s --filter event=destroy").stdout).toBe("2026-01-01T00:00:01.000000000Z volume destroy scratch (driver=local)\n");
    expect(pg.exec("docker events --since 1h --until 0s -f volume=data -f type=volume").stdout).toBe("2026-01-01T00:00:01.000000000Z volume create data (driver=local)\n");
  });

  it("--format runs a template on events.Message; json is encoding/json's (its field tags and order)", () => {
    const pg = withEvents();
    expect(pg.exec("docker events --since 1h --until 0s --format '{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.driver}} {{.Scope}} {{.Time}}'").stdout.split("\n")[0])
      .toBe("volume create data local local 1767225601");
    expect(pg.exec("docker events --since 1h --until 0s --format json").stdout.split("\n")[0])
      .toBe(`{"Type":"volume","Action":"create","Actor":{"ID":"data","Attributes":{"driver":"local"}},"scope":"local","time":1767225601,"timeNano":1767225601000000000}`);
    expect(pg.exec("docker events --since 1h --until 0s --format '{{.TimeNano}}'").stdout.split("\n")[0]).toBe("1767225601000000000");
  });

  it("a bad format is refused before any event (exit 64); since after until is the daemon's error; a bad time the client's", () => {
    const pg = withEvents();
    expect(pg.exec("docker events --since 1h --until 0s --format '{{.Nope}}'")).toEqual({
      exitCode: 64, stdout: "", stderr: `Error parsing format: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type *events.Message\n`,
    });
    expect(pg.exec("docker events --since 1767225602 --until 1767225601").stderr)
      .toBe("Error response from daemon: `since` time (1767225602) cannot be after `until` time (1767225601)\n");
    expect(pg.exec("docker events --since yesterday").stderr).toBe(`failed to parse value as time or duration: "yesterday"\n`);
  });

  it("without --until it follows until Ctrl-C: the past events (with --since) at once, then the line waits (system_routes.go getEvents)", () => {
    const pg = withEvents();
    pg.begin("docker events --since 1h");
    expect(pg.busy()).toBe(true);
    expect(pg.output()).toBe("2026-01-01T00:00:01.000000000Z volume create data (driver=local)\n"
      + "2026-01-01T00:00:01.000000000Z volume create scratch (driver=local)\n"
      + "2026-01-01T00:00:01.000000000Z volume destroy scratch (driver=local)\n");
    pg.advance("1m");
    expect(pg.busy()).toBe(true);
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.exec("echo $?").stdout).toBe("130\n");
    // With neither --since nor --until a subscriber sees no past events (loadBufferedEvents).
    pg.begin("docker events");
    expect(pg.output()).toBe("");
    pg.interrupt();
  });

  it("an --until still to come: the command follows until then and ends by itself, exit 0", () => {
    const pg = withEvents();
    const r = pg.exec("docker events --since 1h --until 2026-01-01T00:00:10Z --filter event=create --format '{{.Actor.ID}}'");
    expect(r).toEqual({ exitCode: 0, stdout: "data\nscratch\n", stderr: "" });
    expect(pg.now).toBeGreaterThanOrEqual(10_000_000);
  });
});
