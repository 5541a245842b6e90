import { parseDuration } from "@drydock/kernel";
import { ComposeError, loadProject, type RawMap, type Service as ComposeService } from "@drydock/compose";
import { findByIdOrName, serviceRows, serviceTasks, type ServiceOptions, type TaskRow, type UpdateConfig } from "@drydock/swarm";
import { fail } from "../errors.js";
import { normalizePath, readFile } from "../fs/index.js";
import { formatRows } from "../format/index.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { flag } from "./flags.js";
import { act, managerStore } from "./swarm-common.js";
import { TASK_LIST_FLAGS, displayImage, filterTasks, parseBytes, taskTable, withTag } from "./service.js";

/**
 * docker stack deploy / ls / services / ps / rm (docker/cli cli/command/stack/swarm): a compose
 * file read by @drydock/compose (its deploy sections kept), turned into swarm services named
 * `<stack>_<service>` on overlay networks `<stack>_<network>`, each labelled
 * com.docker.stack.namespace=<stack> as convert/compose.go does. Deploy is detached (docker/cli
 * 26+: --detach defaults to true).
 */

const NAMESPACE = "com.docker.stack.namespace";

const map = (v: unknown): RawMap | undefined => (v instanceof Map ? (v as RawMap) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const dur = (v: unknown): number | undefined => (typeof v === "string" ? parseDuration(v) : undefined);

/** update_config / rollback_config (compose-spec deploy): the swarm's update config. */
function updateOf(m: RawMap | undefined): Partial<UpdateConfig> | undefined {
  if (!m) return undefined;
  const o: Record<string, unknown> = {};
  const par = num(m.get("parallelism"));
  if (par !== undefined) o["parallelism"] = par;
  const delay = dur(m.get("delay"));
  if (delay !== undefined) o["delayUs"] = delay;
  const mon = dur(m.get("monitor"));
  if (mon !== undefined) o["monitorUs"] = mon;
  const fa = str(m.get("failure_action"));
  if (fa !== undefined) o["failureAction"] = fa;
  const ratio = num(m.get("max_failure_ratio"));
  if (ratio !== undefined) o["maxFailureRatio"] = ratio;
  const order = str(m.get("order"));
  if (order !== undefined) o["order"] = order;
  return o as Partial<UpdateConfig>;
}

/** docker/cli cli/compose/convert/service.go Service, for what drydock's swarm keeps. */
function serviceOptions(stack: string, s: ComposeService, networks: readonly string[], secrets: ReadonlyMap<string, string>, configs: ReadonlyMap<string, string>): ServiceOptions {
  const deploy = map(s.raw.get("deploy"));
  const placement = map(deploy?.get("placement"));
  const restart = map(deploy?.get("restart_policy"));
  const res = map(deploy?.get("resources"));
  const limits = map(res?.get("limits"));
  const reserv = map(res?.get("reservations"));
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
  const prefs = (Array.isArray(placement?.get("preferences")) ? (placement!.get("preferences") as unknown[]) : [])
    .map((p) => map(p)?.get("spread")).filter((x): x is string => typeof x === "string").map((x) => `spread=${x}`);
  const mode = str(deploy?.get("mode")) === "global" ? "global" : "replicated";
  const update = updateOf(map(deploy?.get("update_config")));
  const rollback = updateOf(map(deploy?.get("rollback_config")));
  const cond = str(restart?.get("condition"));
  const delay = dur(restart?.get("delay"));
  const max = num(restart?.get("max_attempts"));
  const window = dur(restart?.get("window"));
  const endpointMode = str(deploy?.get("endpoint_mode"));
  const svcSecrets = (Array.isArray(s.raw.get("secrets")) ? (s.raw.get("secrets") as unknown[]) : []).map((x) => {
    const m = map(x);
    const source = m ? str(m.get("source")) ?? "" : String(x);
    const target = m ? str(m.get("target")) : undefined;
    return { source: secrets.get(source) ?? source, target: target ?? source };
  });
  // convertServiceConfigObjs: the target defaults to the key (a bare name: moby mounts it under /), mode 0444.
  const svcConfigs = (Array.isArray(s.raw.get("configs")) ? (s.raw.get("configs") as unknown[]) : []).map((x) => {
    const m = map(x);
    const source = m ? str(m.get("source")) ?? "" : String(x);
    const target = m ? str(m.get("target")) : undefined;
    const mode = m ? num(m.get("mode")) : undefined;
    return { source: configs.get(source) ?? source, target: target ?? source, ...(mode !== undefined ? { mode } : {}) };
  });
  return {
    name: `${stack}_${s.name}`, image: withTag(s.image!), mode,
    ...(mode === "replicated" ? { replicas: s.replicas } : {}),
    ...(s.command ? { args: s.command } : {}), ...(s.entrypoint ? { command: s.entrypoint } : {}),
    env: [...s.environment].filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`),
    labels: { ...Object.fromEntries(map(deploy?.get("labels")) ?? []), [NAMESPACE]: stack } as Record<string, string>,
    containerLabels: { ...Object.fromEntries(s.labels), [NAMESPACE]: stack },
    constraints: list(placement?.get("constraints")), placementPrefs: prefs,
    ...(num(placement?.get("max_replicas_per_node")) !== undefined ? { maxReplicasPerNode: num(placement!.get("max_replicas_per_node"))! } : {}),
    ...(num(limits?.get("cpus")) !== undefined ? { limitCpus: num(limits!.get("cpus"))! } : {}),
    ...(str(limits?.get("memory")) !== undefined ? { limitMemoryBytes: parseBytes(str(limits!.get("memory"))!, "memory", "docker stack deploy") } : {}),
    ...(num(reserv?.get("cpus")) !== undefined ? { reserveCpus: num(reserv!.get("cpus"))! } : {}),
    ...(str(reserv?.get("memory")) !== undefined ? { reserveMemoryBytes: parseBytes(str(reserv!.get("memory"))!, "memory", "docker stack deploy") } : {}),
    ...(cond !== undefined ? { restartCondition: cond as "none" | "on-failure" | "any" } : {}),
    ...(delay !== undefined ? { restartDelayUs: delay } : {}), ...(max !== undefined ? { restartMaxAttempts: max } : {}),
    ...(window !== undefined ? { restartWindowUs: window } : {}),
    ...(update ? { update } : {}), ...(rollback ? { rollback } : {}),
    ...(endpointMode === "vip" || endpointMode === "dnsrr" ? { endpointMode } : {}),
    publish: s.ports.map((p) => ({
      target: p.target, ...(p.published !== "" ? { published: Number(p.published.split("-")[0]) } : {}),
      protocol: (p.protocol || "tcp") as "tcp" | "udp" | "sctp", mode: p.mode === "host" ? "host" as const : "ingress" as const,
    })),
    networks, secrets: svcSecrets, configs: svcConfigs,
  };
}

function stackServices(env: DockerEnv, stack: string) {
  return [...managerStore(env).view.services.values()].filter((s) => s.spec.labels[NAMESPACE] === stack);
}

export const stackDeployCommand: DockerCommand = {
  path: "docker stack deploy",
  use: "docker stack deploy [OPTIONS] STACK",
  summary: "Deploy a new stack or update an existing stack",
  aliases: ["docker stack up"],
  args: 1,
  specs: [
    { name: "compose-file", short: "c", kind: "list", help: 'Path to a Compose file, or "-" to read from stdin' },
    { name: "detach", short: "d", kind: "bool", help: "Exit immediately instead of waiting for the stack services to converge (default true)" },
    { name: "prune", kind: "bool", help: "Prune services that are no longer referenced" },
  ],
  run(p, env) {
    const stack = p.args[0]!;
    const files = flag.list(p, "compose-file");
    // docker/cli stack/loader/loader.go: a Compose file is required.
    if (files.length === 0) fail("CLIENT", "Please specify a Compose file (with --compose-file).");
    const sources = files.map((f) => {
      const path = normalizePath(env.cwd, f);
      const r = f === "-" ? { ok: true as const, value: env.stdin } : readFile(env.fs, path);
      if (!r.ok) fail("CLIENT", `open ${path}: no such file or directory`);
      return { path, content: r.value as string };
    });
    let project;
    try {
      project = loadProject({ files: sources, workingDir: sources[0]!.path.slice(0, sources[0]!.path.lastIndexOf("/")) || "/", env: new Map(Object.entries(env.env)), projectName: stack }).project;
    } catch (e) {
      if (e instanceof ComposeError) fail("CLIENT", e.message);
      throw e;
    }
    managerStore(env);
    let out = "";
    const unsupported = [...project.services.values()].some((s) => s.build !== null) ? ["build"] : [];
    if (unsupported.length > 0) env.stderr += `Ignoring unsupported options: ${unsupported.join(", ")}\n\n`;
    // docker/cli stack/swarm/deploy.go: without --detach given, the services converge in the background.
    if (!Object.hasOwn(p.flags, "detach")) {
      env.stderr += "Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n";
    }
    if (p.flags["detach"] === false) fail("NOT_SIMULATED", "docker stack deploy --detach=false");
    env.stderrFirst = true;
    const missing = [...project.services.values()].find((s) => s.image === null);
    if (missing) fail("CLIENT", `invalid image reference for service ${missing.name}: no image specified`);
    // Networks: those the services use (the default one when a service names none).
    const used = new Set<string>();
    for (const s of project.services.values()) {
      if (s.networks.size === 0) used.add("default");
      for (const k of s.networks.keys()) used.add(k);
    }
    const netName = (key: string) => project.networks.get(key)?.name ?? `${stack}_${key}`;
    const { view } = managerStore(env);
    for (const key of [...used].sort()) {
      const n = project.networks.get(key);
      if (n?.external) continue;
      const name = netName(key);
      if ([...view.networks.values()].some((x) => x.spec.name === name)) continue;
      out += `Creating network ${name}\n`;
      act(env, { type: "networkCreate", host: env.host, name, attachable: n?.attachable ?? false, internal: n?.internal ?? false, labels: { [NAMESPACE]: stack } });
    }
    // Secrets from files: `<stack>_<name>`.
    const secrets = new Map<string, string>();
    for (const [key, raw] of project.secrets) {
      const name = str(raw.get("name")) ?? `${stack}_${key}`;
      secrets.set(key, name);
      const file = str(raw.get("file"));
      if (raw.get("external") === true || file === undefined) continue;
      if ([...managerStore(env).view.secrets.values()].some((x) => x.spec.name === name)) continue;
      const r = readFile(env.fs, normalizePath(project.workingDir, file));
      if (!r.ok) fail("CLIENT", `open ${normalizePath(project.workingDir, file)}: no such file or directory`);
      out += `Creating secret ${name}\n`;
      act(env, { type: "secretCreate", host: env.host, name, data: r.value, labels: { [NAMESPACE]: stack } });
    }
    // Configs from files, after the secrets (deploy_composefile.go createConfigs): `<stack>_<name>`.
    const configs = new Map<string, string>();
    for (const [key, raw] of project.configs) {
      const name = str(raw.get("name")) ?? `${stack}_${key}`;
      configs.set(key, name);
      const file = str(raw.get("file"));
      if (raw.get("external") === true || file === undefined) continue;
      if ([...managerStore(env).view.configs.values()].some((x) => x.spec.name === name)) continue;
      const r = readFile(env.fs, normalizePath(project.workingDir, file));
      if (!r.ok) fail("CLIENT", `open ${normalizePath(project.workingDir, file)}: no such file or directory`);
      out += `Creating config ${name}\n`;
      act(env, { type: "configCreate", host: env.host, name, data: r.value, labels: { [NAMESPACE]: stack } });
    }
    for (const s of project.services.values()) {
      const nets = s.networks.size === 0 ? [netName("default")] : [...s.networks.keys()].map(netName);
      const o = serviceOptions(stack, s, nets, secrets, configs);
      const existing = findByIdOrName(managerStore(env).view.services, o.name);
      if (existing) {
        out += `Updating service ${o.name} (id: ${existing.id})\n`;
        act(env, { type: "serviceUpdate", host: env.host, service: existing.id, update: { image: o.image, ...(o.replicas !== undefined ? { replicas: o.replicas } : {}) } });
      } else {
        out += `Creating service ${o.name}\n`;
        act(env, { type: "serviceCreate", host: env.host, service: o });
      }
    }
    return out;
  },
};

export const stackLsCommand: DockerCommand = {
  path: "docker stack ls",
  use: "docker stack ls [OPTIONS]",
  summary: "List stacks",
  aliases: ["docker stack list"],
  args: 0,
  specs: [{ name: "format", kind: "string", help: "Format output using a custom template" }],
  run(p, env) {
    const count = new Map<string, number>();
    for (const s of managerStore(env).view.services.values()) {
      const ns = s.spec.labels[NAMESPACE];
      if (ns !== undefined) count.set(ns, (count.get(ns) ?? 0) + 1);
    }
    return formatRows({
      format: flag.str(p, "format"), typeName: "*formatter.stackContext", headers: { Name: "NAME", Services: "SERVICES" },
      defaultFormat: "table {{.Name}}\t{{.Services}}",
      rows: [...count].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([Name, n]) => ({ Name, Services: String(n) })),
    });
  },
};

/** docker/cli stack: "Nothing found in stack: x" when the stack has no services. */
function nonEmpty<T>(list: readonly T[], stack: string): readonly T[] {
  if (list.length === 0) fail("CLIENT", `Nothing found in stack: ${stack}`);
  return list;
}

export const stackServicesCommand: DockerCommand = {
  path: "docker stack services",
  use: "docker stack services [OPTIONS] STACK",
  summary: "List the services in the stack",
  args: 1,
  specs: [{ name: "quiet", short: "q", kind: "bool", help: "Only display IDs" }],
  run(p, env) {
    const stack = p.args[0]!;
    const ids = new Set(nonEmpty(stackServices(env, stack), stack).map((s) => s.id.slice(0, 12)));
    const rows = serviceRows(managerStore(env).view).filter((r) => ids.has(r.id));
    if (flag.bool(p, "quiet")) return rows.map((r) => `${r.id}\n`).join("");
    return formatRows({
      typeName: "*formatter.serviceContext", headers: { ID: "ID", Name: "NAME", Mode: "MODE", Replicas: "REPLICAS", Image: "IMAGE", Ports: "PORTS" },
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}",
      rows: rows.map((r) => ({ ID: r.id, Name: r.name, Mode: r.mode, Replicas: r.replicas, Image: displayImage(r.image), Ports: r.ports })),
    });
  },
};

export const stackPsCommand: DockerCommand = {
  path: "docker stack ps",
  use: "docker stack ps [OPTIONS] STACK",
  summary: "List the tasks in the stack",
  args: 1,
  specs: TASK_LIST_FLAGS,
  run(p, env) {
    const stack = p.args[0]!;
    const { view } = managerStore(env);
    let rows: TaskRow[] = [];
    for (const s of [...nonEmpty(stackServices(env, stack), stack)].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))) rows.push(...serviceTasks(view, s.id));
    rows = filterTasks(rows, flag.list(p, "filter"));
    if (flag.bool(p, "quiet")) return rows.map((r) => `${flag.bool(p, "no-trunc") ? r.task.id : r.id}\n`).join("");
    return taskTable(rows, env.now, flag.bool(p, "no-trunc"), flag.str(p, "format"));
  },
};

export const stackRmCommand: DockerCommand = {
  path: "docker stack rm",
  use: "docker stack rm [OPTIONS] STACK [STACK...]",
  summary: "Remove one or more stacks",
  aliases: ["docker stack remove", "docker stack down"],
  args: [1, Infinity],
  specs: [],
  run(p, env) {
    let out = "";
    for (const stack of p.args) {
      const services = stackServices(env, stack).sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
      const { view } = managerStore(env);
      const nets = [...view.networks.values()].filter((n) => n.spec.labels[NAMESPACE] === stack);
      const secrets = [...view.secrets.values()].filter((n) => n.spec.labels[NAMESPACE] === stack);
      const configs = [...view.configs.values()].filter((n) => n.spec.labels[NAMESPACE] === stack);
      if (services.length === 0 && nets.length === 0 && secrets.length === 0 && configs.length === 0) {
        // docker/cli stack/swarm/remove.go writes it to stderr and goes on (exit 0).
        env.stderr += `Nothing found in stack: ${stack}\n`;
        continue;
      }
      // docker/cli stack/swarm/remove.go: services, then secrets and configs, then networks.
      for (const s of services) {
        out += `Removing service ${s.spec.name}\n`;
        act(env, { type: "serviceRm", host: env.host, service: s.id });
      }
      for (const s of secrets) {
        out += `Removing secret ${s.spec.name}\n`;
        act(env, { type: "secretRm", host: env.host, secret: s.id });
      }
      for (const c of configs) {
        out += `Removing config ${c.spec.name}\n`;
        act(env, { type: "configRm", host: env.host, config: c.id });
      }
      for (const n of nets) {
        out += `Removing network ${n.spec.name}\n`;
        act(env, { type: "networkRm", host: env.host, network: n.id });
      }
    }
    return out;
  },
};

export const STACK_COMMANDS: readonly DockerCommand[] = [stackDeployCommand, stackLsCommand, stackServicesCommand, stackPsCommand, stackRmCommand];
