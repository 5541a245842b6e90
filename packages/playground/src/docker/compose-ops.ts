// The `docker compose` commands that act on a project's containers one by one, with Compose
// v2.40's texts (docker/compose cmd/compose/*.go, pkg/compose/*.go): kill, rm, pause, unpause,
// port, images, ls and push. Like the others they find a project's containers by their labels.
import { isDrydockError } from "@drydock/kernel";
import { Daemon, enginePush, rfc3339Nano, type Container, type JobStep } from "@drydock/engine";
import { ImageStore, humanSize, parseReference, shortId, since } from "@drydock/image";
import type { Project } from "@drydock/compose";
import { fail } from "../errors.js";
import { formatRows } from "../format/index.js";
import type { OutputChunk } from "../shell/host.js";
import type { DockerEnv } from "./command.js";
import { apiPorts, projectContainers } from "./compose-run.js";
import { confirm } from "./volumes.js";

const SERVICE = "com.docker.compose.service";
const PROJECT = "com.docker.compose.project";
const ONEOFF = "com.docker.compose.oneoff";
const FILES = "com.docker.compose.project.config_files";
const HASH = "com.docker.compose.config-hash";
const NUMBER = "com.docker.compose.container-number";

/** Compose's progress as its final frame (compose-run.ts has the same shape for its commands). */
function frame(title: string, lines: readonly { name: string; status: string; failed?: boolean }[]): string {
  if (lines.length === 0) return "";
  const ok = lines.filter((l) => !l.failed).length;
  return `[+] ${title} ${ok}/${lines.length}\n${lines.map((l) => ` ${l.failed ? "✘" : "✔"} Container ${l.name}  ${l.status}\n`).join("")}`;
}

function daemon(env: DockerEnv): Daemon {
  const rt = env.runtime;
  if (rt === undefined) return fail("NOT_SIMULATED", "containers outside a world");
  return new Daemon(env.engine, env.fs, { now: env.now, random: rt.random, names: rt.names, programs: rt.programs, hostName: rt.hostName });
}

function checkServices(project: Project, names: readonly string[]): void {
  for (const n of names) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
}

/** The project's service containers of the named services (all when none), by name. */
function containersOf(project: Project, env: DockerEnv, names: readonly string[], oneOff = false): Container[] {
  checkServices(project, names);
  return projectContainers(env.engine, project.name, undefined, oneOff)
    .filter((c) => names.length === 0 || names.includes(c.config.labels[SERVICE]!))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `docker compose kill [-s SIGNAL] [SERVICE...]`: the running containers get the signal (SIGKILL by default). */
export function composeKill(project: Project, env: DockerEnv, names: readonly string[], signal: string): string {
  // pkg/compose/kill.go: one-off containers of `run` too (oneOffInclude).
  const list = containersOf(project, env, names, true).filter((c) => c.state.running);
  if (list.length === 0) {
    env.stderr += "no container to kill";
    return "";
  }
  const d = daemon(env);
  const lines: { name: string; status: string; failed?: boolean }[] = [];
  let error = "";
  for (const c of list) {
    try {
      d.kill(c.id, signal);
      lines.push({ name: c.name, status: "Killed" });
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      lines.push({ name: c.name, status: "Error while Killing", failed: true });
      error ||= `Error response from daemon: ${e.message}\n`;
    }
  }
  env.engine = d.engine;
  env.fs = d.hostFs;
  if (error !== "") env.exitCode = 1;
  return frame("Killing", lines) + error;
}

/**
 * `docker compose rm [-f] [-v] [SERVICE...]`: the stopped service containers, after a prompt
 * unless -f ("Going to remove …"); `-s` stops them first (the caller runs stop before).
 */
export function composeRm(project: Project, env: DockerEnv, names: readonly string[], o: { force: boolean; volumes: boolean }): { stdout: string; stderr: string } {
  const stopped = containersOf(project, env, names).filter((c) => !c.state.running);
  if (stopped.length === 0) return { stdout: "", stderr: "No stopped containers\n" };
  const msg = `Going to remove ${stopped.map((c) => c.name).join(", ")}`;
  let stdout = "";
  if (o.force) stdout = `${msg}\n`;
  else {
    const answer = confirm(env, msg);
    stdout = answer.shown;
    if (!answer.yes) return { stdout, stderr: "" };
  }
  const d = daemon(env);
  for (const c of stopped) d.remove(c.id, { force: o.force, volumes: o.volumes });
  env.engine = d.engine;
  env.fs = d.hostFs;
  return { stdout, stderr: frame("Removing", stopped.map((c) => ({ name: c.name, status: "Removed" }))) };
}

/** `docker compose pause` / `unpause`: the freezer for each running (or paused) container. */
export function composePause(project: Project, env: DockerEnv, names: readonly string[], pause: boolean): string {
  const list = containersOf(project, env, names).filter((c) => c.state.running && c.state.paused !== pause);
  const d = daemon(env);
  const lines: { name: string; status: string; failed?: boolean }[] = [];
  let error = "";
  for (const c of list) {
    try {
      if (pause) d.pause(c.id);
      else d.unpause(c.id);
      lines.push({ name: c.name, status: pause ? "Paused" : "Unpaused" });
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      error ||= `Error response from daemon: ${e.message}\n`;
    }
  }
  env.engine = d.engine;
  env.fs = d.hostFs;
  if (error !== "") env.exitCode = 1;
  return frame(pause ? "Pausing" : "Running", lines) + error;
}

/** `docker compose port SERVICE PRIVATE_PORT`: the first binding of that port, "IP:PORT" (pkg/compose/port.go). */
export function composePort(project: Project, env: DockerEnv, service: string, portText: string, protocol: string, index: number): string {
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) fail("CLIENT", `strconv.ParseUint: parsing ${JSON.stringify(portText)}: ${/^\d+$/.test(portText) ? "value out of range" : "invalid syntax"}`);
  const port = Number(portText);
  const running = projectContainers(env.engine, project.name, service).filter((c) => c.state.running && (index === 0 || Number(c.config.labels[NUMBER]) === index));
  if (running.length === 0) {
    fail("CLIENT", index > 0 ? `service "${service}" is not running container #${index}` : `service "${service}" is not running`);
  }
  const c = running[0]!;
  const ports = apiPorts(c);
  const p = ports.find((x) => x.privatePort === port && x.type === protocol);
  if (!p) return fail("CLIENT", `no port ${port}/${protocol} for container ${c.name}: ${ports.map((x) => `${x.publicPort}/${x.type}`).join(", ")}`);
  return `${p.ip}:${p.publicPort}\n`;
}

/** `docker compose images`: the image of each container (CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED). */
export function composeImages(project: Project, env: DockerEnv, names: readonly string[], o: { quiet: boolean; format: string }): string {
  const list = containersOf(project, env, names);
  const store = ImageStore.fromSnapshot(env.engine.images);
  const rows = list.map((c) => {
    const img = store.resolve(c.imageId);
    let repository = "";
    let tag = "";
    try {
      const ref = parseReference(c.config.image);
      repository = ref.familiarName;
      tag = ref.tag ?? "latest";
    } catch {
      // Not a name (an ID): no repository.
    }
    return {
      container: c.name, repository, tag, id: c.imageId, size: img ? store.imageSize(img) : 0, created: img?.created ?? 0,
      platform: `${img?.os ?? "linux"}/${img?.architecture ?? "amd64"}`,
    };
  });
  if (o.quiet) return [...new Set(rows.map((r) => r.id.replace(/^sha256:/, "")))].map((id) => `${id}\n`).join("");
  if (o.format === "json") {
    return `${JSON.stringify(rows.map((r) => ({
      ID: r.id, ContainerName: r.container, Repository: r.repository, Tag: r.tag, Platform: r.platform, Size: r.size,
      LastTagTime: rfc3339Nano(r.created),
    })))}\n`;
  }
  if (o.format !== "table") fail("CLIENT", `format value ${JSON.stringify(o.format)} could not be parsed: json: cannot unmarshal string into Go value of type map[string]interface {}`);
  return formatRows({
    format: "table", typeName: "api.ImageSummary",
    headers: { Container: "CONTAINER", Repository: "REPOSITORY", Tag: "TAG", Platform: "PLATFORM", ID: "IMAGE ID", Size: "SIZE", Created: "CREATED" },
    defaultFormat: "table {{.Container}}\t{{.Repository}}\t{{.Tag}}\t{{.Platform}}\t{{.ID}}\t{{.Size}}\t{{.Created}}",
    rows: rows.map((r) => ({
      Container: r.container, Repository: r.repository || "<none>", Tag: r.tag || "<none>", Platform: r.platform, ID: shortId(r.id),
      Size: humanSize(r.size, 3), Created: `${since(r.created, env.now).replace(/ ago$/, "")} ago`,
    })),
  });
}

/** `docker compose ls`: the projects on the engine, from their containers' labels (pkg/compose/ls.go). */
export function composeLs(env: DockerEnv, o: { all: boolean; quiet: boolean; format: string; filters: readonly string[] }): string {
  const byProject = new Map<string, Container[]>();
  for (const c of env.engine.containers.values()) {
    const p = c.config.labels[PROJECT];
    if (p === undefined || c.config.labels[HASH] === undefined || (!o.all && !c.state.running)) continue;
    byProject.set(p, [...(byProject.get(p) ?? []), c]);
  }
  let names = [...byProject.keys()].sort();
  for (const f of o.filters) {
    const eq = f.indexOf("=");
    const key = eq < 0 ? f : f.slice(0, eq);
    if (key !== "name") fail("CLIENT", `invalid filter '${key}'`);
    const want = f.slice(eq + 1);
    names = names.filter((n) => n.includes(want));
  }
  if (o.quiet) return names.map((n) => `${n}\n`).join("");
  const rows = names.map((n) => {
    const list = byProject.get(n)!;
    const counts = new Map<string, number>();
    for (const c of list) {
      const st = c.state.running ? (c.state.paused ? "paused" : c.state.restarting ? "restarting" : "running") : c.state.startedAt === null ? "created" : "exited";
      counts.set(st, (counts.get(st) ?? 0) + 1);
    }
    const status = [...counts.keys()].sort().map((k) => `${k}(${counts.get(k)})`).join(", ");
    const files: string[] = [];
    for (const c of list) for (const f of (c.config.labels[FILES] ?? "").split(",")) if (f !== "" && !files.includes(f)) files.push(f);
    return { Name: n, Status: status, ConfigFiles: files.join(",") };
  });
  if (o.format === "json") return `${JSON.stringify(rows)}\n`;
  return formatRows({
    format: o.format === "table" ? "table" : o.format, rows, typeName: "compose.stackView",
    headers: { Name: "NAME", Status: "STATUS", ConfigFiles: "CONFIG FILES" }, defaultFormat: "table {{.Name}}\t{{.Status}}\t{{.ConfigFiles}}",
  });
}

export { ONEOFF };

/**
 * `docker compose push`: the images of the services that build and name one (pkg/compose/push.go);
 * the others are "Skipped". A timed job of the pushes; its frame has one line per service skipped
 * and one per layer pushed ("Pushing localhost:5000/web: 4cc67f142cb9 Pushed"), as compose's
 * toPushProgressEvent names them.
 */
export function composePush(project: Project, env: DockerEnv, names: readonly string[], o: { quiet: boolean; ignoreFailures: boolean }): void {
  checkServices(project, names);
  const services = [...project.services.values()].filter((s) => names.length === 0 || names.includes(s.name));
  const hub = env.hub.clone(env.engine.logins["docker.io"]);
  const lines: string[] = [];
  const steps: JobStep[] = [];
  let at = 0;
  let engine = env.engine;
  let failed: string | null = null;
  for (const s of services) {
    if (s.build === null || s.image === null) {
      lines.push(` ✔ ${s.name} Skipped`);
      continue;
    }
    let job;
    try {
      job = enginePush(engine, hub, s.image);
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      if (o.ignoreFailures) {
        lines.push(`Pushing ${s.name}: ${e.message}`);
        continue;
      }
      failed = e.message;
      break;
    }
    engine = job.engine;
    for (const st of job.steps) {
      const m = /^([0-9a-f]{12}): (.+)\n$/.exec(st.stdout);
      if (m) lines.push(` ✔ Pushing ${s.image}: ${m[1]} ${m[2]}`);
      steps.push({ ...st, atUs: at + st.atUs, stdout: "" });
    }
    at += job.durationUs;
  }
  const done = lines.filter((l) => l.startsWith(" ✔")).length;
  const text = o.quiet || lines.length === 0 ? "" : `[+] Pushing ${done}/${done}\n${lines.map((l) => `${l}\n`).join("")}`;
  const chunks: OutputChunk[] = [{ fd: 2 as const, text: text + (failed !== null ? `${failed}\n` : "") }].filter((c) => c.text !== "");
  env.pending = {
    kind: "compose.push", durationUs: at, steps: steps.length > 0 ? steps : [{ atUs: 0, event: "compose.push", detail: {}, stdout: "" }],
    engine, hub, outcome: { status: failed !== null ? 1 : 0, stdout: "", stderr: chunks.map((c) => c.text).join(""), chunks },
  };
}
