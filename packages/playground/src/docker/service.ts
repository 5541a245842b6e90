import { shellSplit } from "@drydock/compose";
import {
  TaskState, findByIdOrName, serviceRows, serviceTasks, shortId, swarmFail,
  type ConfigOption, type Protocol, type PublishMode, type RestartCondition, type ServiceOptions, type ServiceUpdate, type TaskRow, type UpdateConfig,
} from "@drydock/swarm";
import { randomName } from "@drydock/engine";
import { fail } from "../errors.js";
import { formatRows } from "../format/index.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { eachArgument } from "./each.js";
import { flag, type FlagSpec, type Parsed } from "./flags.js";
import { act, managerStore, since } from "./swarm-common.js";
import { waitConverge } from "./service-progress.js";
import { serviceInspectCommand, serviceLogsCommand } from "./service-inspect.js";

/**
 * docker service create / ls / ps / scale / update / rollback / rm, with docker/cli's flags,
 * columns and texts (cli/command/service). Manager commands go to the raft leader (world/swarm.ts).
 */

// ---- option parsing (docker/cli opts) ------------------------------------------------------------

/** go-units RAMInBytes: "64M", "1g", "512k", bytes. */
export function parseBytes(text: string, shown: string, cmd = "docker service create"): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtTpP]?)[iI]?[bB]?$/.exec(text);
  if (!m) fail("FLAG", `invalid argument "${text}" for "${shown}" flag: invalid size: '${text}'`, cmd);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t" | "p"];
  return Math.round(Number(m[1]) * mult);
}

function parseCpus(text: string, shown: string, cmd: string): number {
  const n = Number(text);
  if (text === "" || !Number.isFinite(n)) fail("FLAG", `invalid argument "${text}" for "${shown}" flag: failed to parse ${text} as a rational number`, cmd);
  return n;
}

type Publish = NonNullable<ServiceOptions["publish"]>[number];

/** docker/cli opts.PortOpt.Set: "8080:80[/udp]", "80", or "published=8080,target=80,protocol=udp,mode=host". */
export function parsePublish(text: string, cmd: string): Publish {
  const bad = (why: string): never => fail("FLAG", `invalid argument "${text}" for "-p, --publish" flag: ${why}`, cmd);
  if (text.includes("=")) {
    let target: number | undefined;
    let published: number | undefined;
    let protocol: Protocol = "tcp";
    let mode: PublishMode = "ingress";
    for (const part of text.split(",")) {
      const [k, v = ""] = part.split("=") as [string, string?];
      switch (k.toLowerCase()) {
        case "target": target = Number(v); break;
        case "published": published = Number(v); break;
        case "protocol":
          if (v !== "tcp" && v !== "udp" && v !== "sctp") bad(`invalid protocol value '${v}'`);
          protocol = v as Protocol;
          break;
        case "mode":
          if (v !== "ingress" && v !== "host") bad(`invalid publish mode value (${v}): must be either 'ingress' or 'host'`);
          mode = v as PublishMode;
          break;
        default: bad(`invalid field key ${k}`);
      }
    }
    if (target === undefined || !Number.isInteger(target)) bad("missing mandatory field 'target'");
    return { target: target!, ...(published !== undefined ? { published } : {}), protocol, mode };
  }
  const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(text);
  if (!m) bad(`invalid containerPort: ${text}`);
  return { target: Number(m![2]), ...(m![1] !== undefined ? { published: Number(m![1]) } : {}), protocol: (m![3] ?? "tcp") as Protocol, mode: "ingress" };
}

/** --secret "name" or "source=name,target=file". */
function parseSecret(text: string): string | { source: string; target?: string } {
  if (!text.includes("=")) return text;
  let source = "";
  let target: string | undefined;
  for (const part of text.split(",")) {
    const [k, v = ""] = part.split("=") as [string, string?];
    if (k === "source" || k === "src") source = v;
    else if (k === "target") target = v;
  }
  return target === undefined ? { source } : { source, target };
}

/** --config "name" or "source=name,target=/path,mode=0440" (docker/cli opts.ConfigOpt). */
function parseConfig(text: string): string | ConfigOption {
  if (!text.includes("=")) return text;
  let source = "";
  let target: string | undefined;
  let mode: number | undefined;
  for (const part of text.split(",")) {
    const [k, v = ""] = part.split("=") as [string, string?];
    if (k === "source" || k === "src") source = v;
    else if (k === "target") target = v;
    else if (k === "mode") mode = parseInt(v, 8);
  }
  return { source, ...(target !== undefined ? { target } : {}), ...(mode !== undefined ? { mode } : {}) };
}

const kv = (list: readonly string[]): Record<string, string> =>
  Object.fromEntries(list.map((l) => (l.includes("=") ? [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] : [l, ""])));

const UPDATE_FLAGS = (kind: "update" | "rollback"): FlagSpec[] => [
  { name: `${kind}-delay`, kind: "duration", help: `Delay between ${kind === "update" ? "updates" : "task rollbacks"} (ns|us|ms|s|m|h)` },
  { name: `${kind}-failure-action`, kind: "string", help: `Action on ${kind} failure ("pause", "continue"${kind === "update" ? ', "rollback"' : ""})` },
  { name: `${kind}-max-failure-ratio`, kind: "string", help: `Failure rate to tolerate during a ${kind}` },
  { name: `${kind}-monitor`, kind: "duration", help: `Duration after each task ${kind} to monitor for failure (ns|us|ms|s|m|h)` },
  { name: `${kind}-order`, kind: "string", help: `${kind === "update" ? "Update" : "Rollback"} order ("start-first", "stop-first")` },
  { name: `${kind}-parallelism`, kind: "int", help: `Maximum number of tasks ${kind === "update" ? "updated" : "rolled back"} simultaneously (0 to ${kind} all at once)` },
];

const COMMON_FLAGS: FlagSpec[] = [
  { name: "config", kind: "list", help: "Specify configurations to expose to the service" },
  { name: "constraint", kind: "list", help: "Placement constraints" },
  { name: "container-label", kind: "list", help: "Container labels" },
  { name: "detach", short: "d", kind: "bool", help: "Exit immediately instead of waiting for the service to converge" },
  { name: "env", short: "e", kind: "list", help: "Set environment variables" },
  { name: "label", short: "l", kind: "list", help: "Service labels" },
  { name: "limit-cpu", kind: "string", help: "Limit CPUs" },
  { name: "limit-memory", kind: "string", help: "Limit Memory" },
  { name: "network", kind: "list", help: "Network attachments" },
  { name: "placement-pref", kind: "list", help: "Add a placement preference" },
  { name: "publish", short: "p", kind: "list", help: "Publish a port as a node port" },
  { name: "quiet", short: "q", kind: "bool", help: "Suppress progress output" },
  { name: "replicas", kind: "int", help: "Number of tasks" },
  { name: "replicas-max-per-node", kind: "int", help: "Maximum number of tasks per node (default 0 = unlimited)" },
  { name: "reserve-cpu", kind: "string", help: "Reserve CPUs" },
  { name: "reserve-memory", kind: "string", help: "Reserve Memory" },
  { name: "restart-condition", kind: "string", help: 'Restart when condition is met ("none", "on-failure", "any") (default "any")' },
  { name: "restart-delay", kind: "duration", help: "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)" },
  { name: "restart-max-attempts", kind: "int", help: "Maximum number of restarts before giving up" },
  { name: "restart-window", kind: "duration", help: "Window used to evaluate the restart policy (ns|us|ms|s|m|h)" },
  { name: "secret", kind: "list", help: "Specify secrets to expose to the service" },
  { name: "stop-grace-period", kind: "duration", help: "Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)" },
  ...UPDATE_FLAGS("update"), ...UPDATE_FLAGS("rollback"),
];

function updateConfigOf(p: Parsed, kind: "update" | "rollback", cmd: string): Partial<UpdateConfig> | undefined {
  const out: Record<string, unknown> = {};
  const par = flag.int(p, `${kind}-parallelism`);
  if (par !== undefined) out["parallelism"] = par;
  const delay = flag.micros(p, `${kind}-delay`);
  if (delay !== undefined) out["delayUs"] = delay;
  const mon = flag.micros(p, `${kind}-monitor`);
  if (mon !== undefined) out["monitorUs"] = mon;
  const fa = flag.str(p, `${kind}-failure-action`);
  if (fa !== undefined) out["failureAction"] = fa;
  const order = flag.str(p, `${kind}-order`);
  if (order !== undefined) out["order"] = order;
  const ratio = flag.str(p, `${kind}-max-failure-ratio`);
  if (ratio !== undefined) out["maxFailureRatio"] = parseCpus(ratio, `--${kind}-max-failure-ratio`, cmd);
  return Object.keys(out).length > 0 ? (out as Partial<UpdateConfig>) : undefined;
}

function restartOf(p: Parsed): Pick<ServiceOptions, "restartCondition" | "restartDelayUs" | "restartMaxAttempts" | "restartWindowUs"> {
  const cond = flag.str(p, "restart-condition");
  const delay = flag.micros(p, "restart-delay");
  const max = flag.int(p, "restart-max-attempts");
  const win = flag.micros(p, "restart-window");
  return {
    ...(cond !== undefined ? { restartCondition: cond as RestartCondition } : {}), ...(delay !== undefined ? { restartDelayUs: delay } : {}),
    ...(max !== undefined ? { restartMaxAttempts: max } : {}), ...(win !== undefined ? { restartWindowUs: win } : {}),
  };
}

function resourcesOf(p: Parsed, cmd: string): Pick<ServiceOptions, "reserveCpus" | "reserveMemoryBytes" | "limitCpus" | "limitMemoryBytes"> {
  const o: Record<string, number> = {};
  const rc = flag.str(p, "reserve-cpu");
  if (rc !== undefined) o["reserveCpus"] = parseCpus(rc, "--reserve-cpu", cmd);
  const lc = flag.str(p, "limit-cpu");
  if (lc !== undefined) o["limitCpus"] = parseCpus(lc, "--limit-cpu", cmd);
  const rm = flag.str(p, "reserve-memory");
  if (rm !== undefined) o["reserveMemoryBytes"] = parseBytes(rm, "--reserve-memory", cmd);
  const lm = flag.str(p, "limit-memory");
  if (lm !== undefined) o["limitMemoryBytes"] = parseBytes(lm, "--limit-memory", cmd);
  return o;
}

/** A docker command that ends with the wait for convergence unless detached. */
function finish(p: Parsed, env: DockerEnv, service: string, printed: string, rollback = false): string {
  if (flag.bool(p, "detach")) return printed;
  const quiet = flag.bool(p, "quiet");
  const out = waitConverge(env, service, printed, rollback, quiet);
  if (!quiet || env.pending) return out;
  return printed;
}

// ---- commands ------------------------------------------------------------------------------------

export const serviceCreateCommand: DockerCommand = {
  path: "docker service create",
  use: "docker service create [OPTIONS] IMAGE [COMMAND] [ARG...]",
  summary: "Create a new service",
  args: [1, Infinity],
  interspersed: false,
  specs: [
    ...COMMON_FLAGS,
    { name: "endpoint-mode", kind: "string", help: 'Endpoint mode (vip or dnsrr) (default "vip")' },
    { name: "max-concurrent", kind: "int", help: "Number of job tasks to run concurrently (default equal to --replicas)" },
    { name: "mode", kind: "string", help: 'Service mode ("replicated", "global", "replicated-job", "global-job") (default "replicated")' },
    { name: "name", kind: "string", help: "Service name" },
  ],
  run(p, env) {
    const cmd = "docker service create";
    let name = flag.str(p, "name") ?? "";
    if (env.rerun) return finish(p, env, name === "" ? lastCreated(env) : name, "");
    const mode = flag.str(p, "mode") ?? "replicated";
    if (mode !== "replicated" && mode !== "global" && mode !== "replicated-job" && mode !== "global-job") {
      fail("FLAG", `invalid argument "${mode}" for "--mode" flag: invalid service mode ${mode}`, cmd);
    }
    const replicas = flag.int(p, "replicas");
    const maxConcurrent = flag.int(p, "max-concurrent");
    // docker/cli service/opts.go ToServiceMode.
    if ((mode === "global" || mode === "global-job") && replicas !== undefined) fail("CLIENT", "replicas can only be used with replicated or replicated-job mode");
    if ((mode === "global" || mode === "global-job") && (flag.int(p, "replicas-max-per-node") ?? 0) > 0) fail("CLIENT", "replicas-max-per-node can only be used with replicated or replicated-job mode");
    if (mode !== "replicated-job" && maxConcurrent !== undefined) fail("CLIENT", "max-concurrent can only be used with replicated-job mode");
    // controlapi CreateService: a service without a name gets one from moby's names generator.
    if (name === "") name = randomName(env.runtime?.names ?? { next: () => 0 }, 0);
    // docker/cli resolves the image to its digest (nginx:latest@sha256:…); drydock keeps the tag it resolves to.
    const image = withTag(p.args[0]!);
    const update = updateConfigOf(p, "update", cmd);
    const rollback = updateConfigOf(p, "rollback", cmd);
    const maxPer = flag.int(p, "replicas-max-per-node");
    const grace = flag.micros(p, "stop-grace-period");
    const endpointMode = flag.str(p, "endpoint-mode");
    const o: ServiceOptions = {
      name, image, mode, ...(replicas !== undefined ? { replicas } : {}),
      // ToServiceMode: a replicated job's MaxConcurrent is --max-concurrent, else --replicas.
      ...(mode === "replicated-job" && (maxConcurrent ?? replicas) !== undefined ? { maxConcurrent: (maxConcurrent ?? replicas)! } : {}),
      ...(p.args.length > 1 ? { args: p.args.slice(1) } : {}),
      env: flag.list(p, "env"), labels: kv(flag.list(p, "label")), containerLabels: kv(flag.list(p, "container-label")),
      constraints: flag.list(p, "constraint"), placementPrefs: flag.list(p, "placement-pref"),
      ...(maxPer !== undefined ? { maxReplicasPerNode: maxPer } : {}),
      ...resourcesOf(p, cmd), ...restartOf(p),
      ...(update ? { update } : {}), ...(rollback ? { rollback } : {}),
      publish: flag.list(p, "publish").map((x) => parsePublish(x, cmd)),
      networks: flag.list(p, "network"), secrets: flag.list(p, "secret").map(parseSecret),
      configs: flag.list(p, "config").map(parseConfig),
      ...(grace !== undefined ? { stopGracePeriodUs: grace } : {}),
      ...(endpointMode === "vip" || endpointMode === "dnsrr" ? { endpointMode } : {}),
    };
    act(env, { type: "serviceCreate", host: env.host, service: o });
    const s = findByIdOrName(managerStore(env).view.services, name)!;
    return finish(p, env, s.id, `${s.id}\n`);
  },
};

/** The newest service (a service created without --name, found again when its wait goes on). */
function lastCreated(env: DockerEnv): string {
  const all = [...managerStore(env).view.services.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return all[0]?.id ?? "";
}

export const serviceLsCommand: DockerCommand = {
  path: "docker service ls",
  use: "docker service ls [OPTIONS]",
  summary: "List services",
  aliases: ["docker service list"],
  args: 0,
  specs: [
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display IDs" },
  ],
  run(p, env) {
    const { view } = managerStore(env);
    const rows = serviceRows(view);
    if (flag.bool(p, "quiet")) return rows.map((r) => `${[...view.services.values()].find((s) => s.spec.name === r.name)!.id}\n`).join("");
    // docker/cli formatter/service.go defaultServiceTableFormat and its headers.
    return formatRows({
      format: flag.str(p, "format"), typeName: "*formatter.serviceContext",
      headers: { ID: "ID", Name: "NAME", Mode: "MODE", Replicas: "REPLICAS", Image: "IMAGE", Ports: "PORTS" },
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}",
      rows: rows.map((r) => ({ ID: r.id, Name: r.name, Mode: r.mode, Replicas: r.replicas, Image: displayImage(r.image), Ports: r.ports })),
    });
  },
};

/** A reference with its tag (":latest" when none and no digest), as the CLI's resolution leaves it. */
export function withTag(image: string): string {
  if (image.includes("@")) return image;
  const last = image.slice(image.lastIndexOf("/") + 1);
  return last.includes(":") ? image : `${image}:latest`;
}

/** docker/cli task formatter: the image without its digest, with its tag. */
export function displayImage(image: string): string {
  const noDigest = image.split("@")[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf("/") + 1);
  return last.includes(":") ? noDigest : `${noDigest}:latest`;
}

/** docker/cli formatter.Ellipsis. */
const ellipsis = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, n - 1).join("") + "…" : s);

const TASK_FILTERS = new Set(["desired-state", "id", "label", "name", "node", "service"]);

/** moby daemon/cluster/filters.go newListTasksFilters: `-f desired-state=running`, `node=`, `name=`, `id=`. */
export function filterTasks(rows: readonly TaskRow[], filters: readonly string[]): TaskRow[] {
  const want = new Map<string, string[]>();
  for (const f of filters) {
    const i = f.indexOf("=");
    const k = i < 0 ? f : f.slice(0, i);
    // moby filters.Validate.
    if (!TASK_FILTERS.has(k)) swarmFail("INVALID_FILTER", k);
    want.set(k, [...(want.get(k) ?? []), i < 0 ? "" : f.slice(i + 1)]);
  }
  const ok = (k: string, test: (v: string) => boolean) => !want.has(k) || want.get(k)!.some(test);
  return rows.filter((r) =>
    ok("desired-state", (v) => r.desiredState.toLowerCase() === v.toLowerCase())
    && ok("node", (v) => r.node === v || r.task.nodeId === v)
    && ok("name", (v) => r.name.replace(/^ \\_ /, "").startsWith(v))
    && ok("id", (v) => r.task.id.startsWith(v))
    && ok("service", (v) => r.task.serviceName === v || r.task.serviceId.startsWith(v)));
}

/** docker/cli cli/command/task/formatter.go: the default columns and their headers. */
const TASK_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}";
const TASK_HEADERS = {
  ID: "ID", Name: "NAME", Image: "IMAGE", Node: "NODE", DesiredState: "DESIRED STATE", CurrentState: "CURRENT STATE", Error: "ERROR", Ports: "PORTS",
};

/** docker service ps / docker node ps rows (docker/cli cli/command/task/formatter.go). */
export function taskTable(rows: readonly TaskRow[], now: number, noTrunc: boolean, format?: string): string {
  return formatRows({
    format, headers: TASK_HEADERS, defaultFormat: TASK_FORMAT, typeName: "*task.taskContext",
    rows: rows.map((r) => {
      const err = noTrunc ? r.error : ellipsis(r.error, 30);
      const ports = (r.task.endpoint?.ports ?? []).filter((x) => x.publishMode === "host").map((x) => `*:${x.publishedPort}->${x.targetPort}/${x.protocol}`).join(",");
      return {
        ID: noTrunc ? r.task.id : r.id, Name: r.name, Image: noTrunc ? r.image : displayImage(r.image), Node: r.node, DesiredState: r.desiredState,
        CurrentState: `${r.currentState} ${since(r.since, now).toLowerCase()}`, Error: err === "" ? "" : `"${err}"`, Ports: ports,
      };
    }),
  });
}

/** The flags every task list takes: docker service ps, node ps and stack ps (docker/cli task/print.go's callers). */
export const TASK_LIST_FLAGS: readonly FlagSpec[] = [
  { name: "filter", short: "f", kind: "list", help: "Filter output based on conditions provided" },
  { name: "format", kind: "string", help: "Pretty-print tasks using a Go template" },
  { name: "no-trunc", kind: "bool", help: "Do not truncate output" },
  { name: "quiet", short: "q", kind: "bool", help: "Only display task IDs" },
];

export const servicePsCommand: DockerCommand = {
  path: "docker service ps",
  use: "docker service ps [OPTIONS] SERVICE [SERVICE...]",
  summary: "List the tasks of one or more services",
  args: [1, Infinity],
  specs: TASK_LIST_FLAGS,
  run(p, env) {
    const { view } = managerStore(env);
    let rows: TaskRow[] = [];
    const missing: string[] = [];
    for (const a of p.args) {
      const s = findByIdOrName(view.services, a);
      if (!s) missing.push(a);
      else rows.push(...serviceTasks(view, s.id));
    }
    // docker/cli service/ps.go: "no such service: x" for each one not found.
    if (missing.length > 0) fail("CLIENT", missing.map((m) => `no such service: ${m}`).join("\n"));
    rows = filterTasks(rows, flag.list(p, "filter"));
    if (flag.bool(p, "quiet")) return rows.map((r) => `${flag.bool(p, "no-trunc") ? r.task.id : r.id}\n`).join("");
    return taskTable(rows, env.now, flag.bool(p, "no-trunc"), flag.str(p, "format"));
  },
};

export const serviceScaleCommand: DockerCommand = {
  path: "docker service scale",
  use: "docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]",
  summary: "Scale one or multiple replicated services",
  args: [1, Infinity],
  specs: [{ name: "detach", short: "d", kind: "bool", help: "Exit immediately instead of waiting for the service to converge" }],
  run(p, env) {
    const pairs = p.args.map((a) => {
      const i = a.indexOf("=");
      // docker/cli service/scale.go scaleArgs.
      if (i < 0) fail("CLIENT", `Invalid scale specifier '${a}'.\nSee 'docker service scale --help'.\n\nUsage:  docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services`);
      const n = Number(a.slice(i + 1));
      if (!/^\d+$/.test(a.slice(i + 1))) fail("CLIENT", `invalid replicas value ${a.slice(i + 1)}: strconv.ParseUint: parsing "${a.slice(i + 1)}": invalid syntax`);
      return { name: a.slice(0, i), n };
    });
    if (env.rerun) return finish(p, env, pairs[0]!.name, "");
    let out = "";
    for (const { name, n } of pairs) {
      act(env, { type: "serviceScale", host: env.host, service: name, replicas: n });
      out += `${name} scaled to ${n}\n`;
    }
    return pairs.length === 1 ? finish(p, env, pairs[0]!.name, out) : out;
  },
};

export const serviceUpdateCommand: DockerCommand = {
  path: "docker service update",
  use: "docker service update [OPTIONS] SERVICE",
  summary: "Update a service",
  args: 1,
  specs: [
    ...COMMON_FLAGS.filter((f) => !["config", "constraint", "env", "label", "publish", "secret", "placement-pref", "network", "container-label"].includes(f.name)),
    { name: "args", kind: "string", help: "Service command args" },
    { name: "config-add", kind: "list", help: "Add or update a config file on a service" },
    { name: "config-rm", kind: "list", help: "Remove a configuration file" },
    { name: "constraint-add", kind: "list", help: "Add or update a placement constraint" },
    { name: "constraint-rm", kind: "list", help: "Remove a constraint" },
    { name: "env-add", kind: "list", help: "Add or update an environment variable" },
    { name: "env-rm", kind: "list", help: "Remove an environment variable" },
    { name: "force", kind: "bool", help: "Force update even if no changes require it" },
    { name: "image", kind: "string", help: "Service image tag" },
    { name: "label-add", kind: "list", help: "Add or update a service label" },
    { name: "network-add", kind: "list", help: "Add a network" },
    { name: "network-rm", kind: "list", help: "Remove a network" },
    { name: "placement-pref-add", kind: "list", help: "Add a placement preference" },
    { name: "publish-add", kind: "list", help: "Add or update a published port" },
    { name: "publish-rm", kind: "list", help: "Remove a published port by its target port" },
    { name: "rollback", kind: "bool", help: "Rollback to previous specification" },
    { name: "secret-add", kind: "list", help: "Add or update a secret on a service" },
    { name: "secret-rm", kind: "list", help: "Remove a secret" },
  ],
  run(p, env) {
    const cmd = "docker service update";
    const name = p.args[0]!;
    const rollback = flag.bool(p, "rollback");
    if (env.rerun) return finish(p, env, name, "", rollback);
    if (rollback) {
      act(env, { type: "serviceRollback", host: env.host, service: name });
      return finish(p, env, name, `${name}\n`, true);
    }
    const imageFlag = flag.str(p, "image");
    const image = imageFlag === undefined ? undefined : withTag(imageFlag);
    const args = flag.str(p, "args");
    const replicas = flag.int(p, "replicas");
    const update = updateConfigOf(p, "update", cmd);
    const rb = updateConfigOf(p, "rollback", cmd);
    const maxPer = flag.int(p, "replicas-max-per-node");
    const networks = networksAfter(env, name, flag.list(p, "network-add"), flag.list(p, "network-rm"));
    const u: ServiceUpdate = {
      ...(image !== undefined ? { image } : {}), ...(args !== undefined ? { args: shellSplit(args) } : {}),
      ...(replicas !== undefined ? { replicas } : {}),
      envAdd: flag.list(p, "env-add"), envRm: flag.list(p, "env-rm"),
      constraintAdd: flag.list(p, "constraint-add"), constraintRm: flag.list(p, "constraint-rm"),
      placementPrefAdd: flag.list(p, "placement-pref-add"),
      ...(maxPer !== undefined ? { maxReplicasPerNode: maxPer } : {}),
      ...resourcesOf(p, cmd), ...restartOf(p), ...(update ? { update } : {}), ...(rb ? { rollback: rb } : {}),
      secretAdd: flag.list(p, "secret-add").map(parseSecret), secretRm: flag.list(p, "secret-rm"),
      configAdd: flag.list(p, "config-add").map(parseConfig), configRm: flag.list(p, "config-rm"),
      publishAdd: flag.list(p, "publish-add").map((x) => parsePublish(x, cmd)),
      publishRm: flag.list(p, "publish-rm").map((x) => Number(x.split(/[:/]/)[0])),
      labelAdd: kv(flag.list(p, "label-add")),
      ...(flag.bool(p, "force") ? { force: true } : {}),
      ...(networks ? { networks } : {}),
    };
    act(env, { type: "serviceUpdate", host: env.host, service: name, update: u });
    return finish(p, env, name, `${name}\n`);
  },
};

/**
 * docker/cli service/update.go updateNetworks: the networks to remove are looked up first (by
 * name or ID: "network X not found" from the daemon), then each one to add must not be attached
 * already ("service is already attached to network X", the CLI's own), and the list is sorted by
 * target ID. Undefined when neither flag is given.
 */
function networksAfter(env: DockerEnv, service: string, add: readonly string[], rm: readonly string[]): { target: string; aliases: readonly string[] }[] | undefined {
  if (add.length === 0 && rm.length === 0) return undefined;
  const { view } = managerStore(env);
  const svc = findByIdOrName(view.services, service);
  if (!svc) swarmFail("NO_SUCH_SERVICE", service);
  const lookup = (ref: string) => findByIdOrName(view.networks, ref) ?? swarmFail("NO_SUCH_NETWORK", ref);
  const drop = new Set(rm.map((ref) => lookup(ref).id));
  const out = svc.spec.task.networks.filter((n) => !drop.has(n.target)).map((n) => ({ target: n.target, aliases: n.aliases }));
  for (const ref of add) {
    const id = lookup(ref).id;
    if (out.some((n) => n.target === id)) fail("CLIENT", `service is already attached to network ${ref}`);
    out.push({ target: id, aliases: [] });
  }
  return out.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

export const serviceRollbackCommand: DockerCommand = {
  path: "docker service rollback",
  use: "docker service rollback [OPTIONS] SERVICE",
  summary: "Revert changes to a service's configuration",
  args: 1,
  specs: [
    { name: "detach", short: "d", kind: "bool", help: "Exit immediately instead of waiting for the service to converge" },
    { name: "quiet", short: "q", kind: "bool", help: "Suppress progress output" },
  ],
  run(p, env) {
    const name = p.args[0]!;
    if (env.rerun) return finish(p, env, name, "", true);
    act(env, { type: "serviceRollback", host: env.host, service: name });
    // docker/cli service/rollback.go prints the service as given, then the progress.
    return finish(p, env, name, `${name}\nrollback: manually requested rollback \n`, true);
  },
};

export const serviceRmCommand: DockerCommand = {
  path: "docker service rm",
  use: "docker service rm SERVICE [SERVICE...]",
  summary: "Remove one or more services",
  aliases: ["docker service remove"],
  args: [1, Infinity],
  specs: [],
  run(p, env) {
    return eachArgument(env, p.args, (name) => {
      act(env, { type: "serviceRm", host: env.host, service: name });
      return name;
    });
  },
};

export const SERVICE_COMMANDS: readonly DockerCommand[] = [
  serviceCreateCommand, serviceLsCommand, servicePsCommand, serviceScaleCommand, serviceUpdateCommand, serviceRollbackCommand, serviceRmCommand,
  serviceInspectCommand, serviceLogsCommand,
];

export { TaskState, shortId, swarmFail };
