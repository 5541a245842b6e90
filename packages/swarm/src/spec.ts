import { parseConstraints } from "./constraint.js";
import {
  DEFAULT_CONTAINER, DEFAULT_RESTART_POLICY, DEFAULT_ROLLBACK_CONFIG, DEFAULT_UPDATE_CONFIG, NO_PLACEMENT,
} from "./defaults.js";
import { swarmFail } from "./errors.js";
import { findByIdOrName } from "./store/store.js";
import type {
  ConfigReference, EndpointMode, NetworkAttachmentConfig, FailureAction, Labels, PortConfig, Protocol, PublishMode, RestartCondition, ServiceSpec, Store,
  UpdateConfig, UpdateOrder,
} from "./types.js";

/**
 * A service spec from what `docker service create` is given, with Docker's defaults filled in
 * (docker/cli sets Update and Rollback configs from its flag defaults, which are SwarmKit's), and
 * controlapi's validation with its texts. Secrets and networks are named here; `resolveSpec`
 * turns names into ids against the store, as the CLI and the daemon do.
 */
export interface ServiceOptions {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly string[];
  readonly labels?: Labels;
  readonly containerLabels?: Labels;
  readonly mode?: "replicated" | "global" | "replicated-job" | "global-job";
  /** Default 1 for a replicated service; a replicated job's total completions (default: maxConcurrent). */
  readonly replicas?: number;
  /** A replicated job's MaxConcurrent (default 1). */
  readonly maxConcurrent?: number;
  readonly constraints?: readonly string[];
  /** "spread=node.labels.zone" (docker service create --placement-pref). */
  readonly placementPrefs?: readonly string[];
  readonly maxReplicasPerNode?: number;
  /** CPUs (0.5) and bytes, as --reserve-cpu / --reserve-memory / --limit-cpu / --limit-memory. */
  readonly reserveCpus?: number;
  readonly reserveMemoryBytes?: number;
  readonly limitCpus?: number;
  readonly limitMemoryBytes?: number;
  readonly restartCondition?: RestartCondition;
  readonly restartDelayUs?: number;
  readonly restartMaxAttempts?: number;
  readonly restartWindowUs?: number;
  readonly update?: Partial<UpdateConfig>;
  readonly rollback?: Partial<UpdateConfig>;
  readonly endpointMode?: EndpointMode;
  readonly publish?: readonly {
    readonly target: number; readonly published?: number; readonly protocol?: Protocol; readonly mode?: PublishMode;
  }[];
  /** Network names or ids. */
  readonly networks?: readonly string[];
  /** Secret names (or ids), with an optional file name under /run/secrets. */
  readonly secrets?: readonly (string | { readonly source: string; readonly target?: string; readonly mode?: number })[];
  /** Config names (or ids), with an optional target: a file name under / or an absolute path. */
  readonly configs?: readonly (string | ConfigOption)[];
  readonly stopGracePeriodUs?: number;
}

export interface ConfigOption { readonly source: string; readonly target?: string; readonly mode?: number }

/** docker/cli opts.ConfigOpt: the target defaults to the config's name (mounted at /<name>). */
function configRef(c: string | ConfigOption): ConfigReference {
  const r = typeof c === "string" ? { source: c } : c;
  return { configId: "", configName: r.source, target: r.target ?? r.source, uid: "0", gid: "0", mode: r.mode ?? 0o444 };
}

const FAILURE_ACTIONS: readonly FailureAction[] = ["pause", "continue", "rollback"];
const ORDERS: readonly UpdateOrder[] = ["stop-first", "start-first"];

function updateConfig(base: UpdateConfig, over: Partial<UpdateConfig> | undefined): UpdateConfig {
  return { ...base, ...(over ?? {}) };
}

export function serviceSpec(o: ServiceOptions): ServiceSpec {
  const nano = (cpus: number | undefined) => Math.round((cpus ?? 0) * 1e9);
  const spec: ServiceSpec = {
    name: o.name,
    labels: { ...(o.labels ?? {}) },
    task: {
      container: {
        ...DEFAULT_CONTAINER,
        image: o.image,
        command: [...(o.command ?? [])],
        args: [...(o.args ?? [])],
        env: [...(o.env ?? [])],
        labels: { ...(o.containerLabels ?? {}) },
        stopGracePeriodUs: o.stopGracePeriodUs ?? DEFAULT_CONTAINER.stopGracePeriodUs,
      },
      resources: {
        limits: { nanoCPUs: nano(o.limitCpus), memoryBytes: o.limitMemoryBytes ?? 0 },
        reservations: { nanoCPUs: nano(o.reserveCpus), memoryBytes: o.reserveMemoryBytes ?? 0 },
      },
      restart: {
        // docker/cli service/opts.go: a job's restart condition defaults to on-failure (a completed task is done).
        condition: o.restartCondition ?? (o.mode === "replicated-job" || o.mode === "global-job" ? "on-failure" : DEFAULT_RESTART_POLICY.condition),
        delayUs: o.restartDelayUs ?? DEFAULT_RESTART_POLICY.delayUs,
        maxAttempts: o.restartMaxAttempts ?? 0,
        windowUs: o.restartWindowUs ?? 0,
      },
      placement: {
        ...NO_PLACEMENT,
        constraints: [...(o.constraints ?? [])],
        preferences: (o.placementPrefs ?? []).map(parsePreference),
        maxReplicas: o.maxReplicasPerNode ?? 0,
      },
      networks: (o.networks ?? []).map((target) => ({ target, aliases: [] })),
      secrets: (o.secrets ?? []).map((s) => {
        const r = typeof s === "string" ? { source: s } : s;
        return { secretId: "", secretName: r.source, target: r.target ?? r.source, uid: "0", gid: "0", mode: r.mode ?? 0o444 };
      }),
      configs: (o.configs ?? []).map(configRef),
      forceUpdate: 0,
    },
    mode: modeOf(o),
    update: updateConfig(DEFAULT_UPDATE_CONFIG, o.update),
    rollback: updateConfig(DEFAULT_ROLLBACK_CONFIG, o.rollback),
    endpoint: {
      mode: o.endpointMode ?? "vip",
      ports: (o.publish ?? []).map((p): PortConfig => ({
        name: "", protocol: p.protocol ?? "tcp", targetPort: p.target, publishedPort: p.published ?? 0, publishMode: p.mode ?? "ingress",
      })),
    },
  };
  validateSpec(spec);
  return spec;
}

/** moby daemon/cluster/convert/service.go: MaxConcurrent defaults to 1, TotalCompletions to MaxConcurrent. */
function modeOf(o: ServiceOptions): ServiceSpec["mode"] {
  switch (o.mode) {
    case "global": return { kind: "global" };
    case "global-job": return { kind: "global-job" };
    case "replicated-job": {
      const maxConcurrent = o.maxConcurrent ?? 1;
      return { kind: "replicated-job", maxConcurrent, totalCompletions: o.replicas ?? maxConcurrent };
    }
    default: return { kind: "replicated", replicas: o.replicas ?? 1 };
  }
}

/** "spread=node.labels.zone" → { spread: "node.labels.zone" } (docker/cli opts). */
function parsePreference(text: string): { spread: string } {
  const i = text.indexOf("=");
  const strategy = i < 0 ? text : text.slice(0, i);
  if (i < 0 || strategy !== "spread" || text.slice(i + 1) === "") {
    swarmFail("INVALID_SPEC", `invalid placement preference "${text}": only "spread=<descriptor>" is supported`);
  }
  return { spread: text.slice(i + 1) };
}

/** controlapi service.go validateServiceSpec: the checks that apply to what drydock models. */
export function validateSpec(spec: ServiceSpec): void {
  const bad = (text: string): never => swarmFail("INVALID_SPEC", text);
  // controlapi/common.go validateAnnotations.
  if (spec.name === "") bad("meta: name must be provided");
  if (!/^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/.test(spec.name)) bad("name must be valid as a DNS name component");
  if (spec.name.length > 63) bad("name must be 63 characters or fewer");
  const c = spec.task.container;
  if (c.image === "") bad("ContainerSpec: image reference must be provided");
  if (/\s/.test(c.image) || /[A-Z]/.test(c.image.split("/").pop()!.split(":")[0]!)) bad(`ContainerSpec: "${c.image}" is not a valid repository/tag`);
  const r = spec.task.resources;
  for (const res of [r.limits, r.reservations]) {
    if (res.nanoCPUs !== 0 && res.nanoCPUs < 1e6) bad(`invalid cpu value ${res.nanoCPUs / 1e9}: Must be at least ${1e6 / 1e9}`);
    if (res.memoryBytes !== 0 && res.memoryBytes < 4 * 1024 * 1024) bad(`invalid memory value ${res.memoryBytes}: Must be at least 4MiB`);
  }
  if (spec.task.restart.delayUs < 0) bad("TaskSpec: restart-delay cannot be negative");
  if (spec.task.restart.windowUs < 0) bad("TaskSpec: restart-window cannot be negative");
  if (!["none", "on-failure", "any"].includes(spec.task.restart.condition)) bad(`invalid restart condition "${spec.task.restart.condition}"`);
  for (const u of [spec.update, spec.rollback]) {
    if (u.delayUs < 0) bad("TaskSpec: update-delay cannot be negative");
    if (u.monitorUs < 0) bad("TaskSpec: update-monitor cannot be negative");
    if (!(u.maxFailureRatio >= 0 && u.maxFailureRatio <= 1)) bad("TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1");
    if (!Number.isInteger(u.parallelism) || u.parallelism < 0) bad("TaskSpec: update-parallelism cannot be negative");
    if (!FAILURE_ACTIONS.includes(u.failureAction)) bad(`invalid failure action "${u.failureAction}"`);
    if (!ORDERS.includes(u.order)) bad(`invalid update order "${u.order}"`);
  }
  if (spec.mode.kind === "replicated" && !(Number.isInteger(spec.mode.replicas) && spec.mode.replicas >= 0)) {
    bad("Number of replicas must be non-negative");
  }
  if (spec.mode.kind === "replicated-job") {
    // controlapi service.go validateJob.
    if (!(Number.isInteger(spec.mode.maxConcurrent) && spec.mode.maxConcurrent >= 0)) bad("Maximum concurrent jobs must not be negative");
    if (!(Number.isInteger(spec.mode.totalCompletions) && spec.mode.totalCompletions >= 0)) bad("Total completed jobs must not be negative");
  }
  const parsed = parseConstraints(spec.task.placement.constraints);
  if ("error" in parsed) bad(parsed.error);
  if (spec.task.placement.maxReplicas < 0 || !Number.isInteger(spec.task.placement.maxReplicas)) bad("max replicas per node cannot be negative");
  const published = new Set<string>();
  for (const p of spec.endpoint.ports) {
    if (spec.endpoint.mode === "dnsrr" && p.publishMode === "ingress") bad("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
    if (!(Number.isInteger(p.targetPort) && p.targetPort > 0 && p.targetPort < 65536)) bad(`invalid target port ${p.targetPort}`);
    if (p.publishedPort === 0) continue;
    const key = `${p.publishedPort}/${p.protocol}/${p.publishMode}`;
    if (published.has(key)) bad("EndpointSpec: duplicate published ports provided");
    published.add(key);
  }
  const targets = new Map<string, string>();
  for (const s of spec.task.secrets) {
    if (s.secretName === "" && s.secretId === "") bad("malformed secret reference");
    if (s.target === "") bad("malformed secret reference, no target provided");
    if (s.target.includes("/") || s.target === "." || s.target === "..") bad("malformed file secret reference, invalid target file name provided");
    const prev = targets.get(s.target);
    if (prev !== undefined) bad(`secret references '${prev}' and '${s.secretName}' have a conflicting target: '${s.target}'`);
    targets.set(s.target, s.secretName);
  }
  // controlapi service.go validateConfigRefsSpec.
  const configTargets = new Map<string, string>();
  for (const c of spec.task.configs) {
    if (c.configName === "" && c.configId === "") bad("malformed config reference");
    if (c.target === "") bad("malformed file config reference, no target provided");
    const prev = configTargets.get(c.target);
    if (prev !== undefined) bad(`config references '${prev}' and '${c.configName}' have a conflicting target: '${c.target}'`);
    configTargets.set(c.target, c.configName);
  }
}

/** Secret and network names to ids, against the store (the CLI's and the daemon's lookups). */
export function resolveSpec(spec: ServiceSpec, store: Store): ServiceSpec {
  const missing: string[] = [];
  const secrets = spec.task.secrets.map((s) => {
    const found = findByIdOrName(store.secrets, s.secretId !== "" ? s.secretId : s.secretName);
    if (!found) {
      missing.push(s.secretName);
      return s;
    }
    return { ...s, secretId: found.id, secretName: found.spec.name };
  });
  if (missing.length > 0) swarmFail("SECRET_NOT_FOUND", missing);
  const configs = spec.task.configs.map((c) => {
    const found = findByIdOrName(store.configs, c.configId !== "" ? c.configId : c.configName);
    if (!found) {
      missing.push(c.configName);
      return c;
    }
    return { ...c, configId: found.id, configName: found.spec.name };
  });
  if (missing.length > 0) swarmFail("CONFIG_NOT_FOUND", missing);
  const networks = spec.task.networks.map((n) => {
    const found = findByIdOrName(store.networks, n.target);
    if (!found || found.spec.ingress) swarmFail("NO_SUCH_NETWORK", n.target);
    return { ...n, target: found.id };
  });
  return { ...spec, task: { ...spec.task, secrets, configs, networks } };
}

/** What `docker service update` changes, applied to the current spec (docker/cli service/update.go). */
export interface ServiceUpdate {
  readonly image?: string;
  readonly args?: readonly string[];
  readonly envAdd?: readonly string[];
  readonly envRm?: readonly string[];
  readonly replicas?: number;
  readonly constraintAdd?: readonly string[];
  readonly constraintRm?: readonly string[];
  readonly placementPrefAdd?: readonly string[];
  readonly maxReplicasPerNode?: number;
  readonly reserveCpus?: number;
  readonly reserveMemoryBytes?: number;
  readonly limitCpus?: number;
  readonly limitMemoryBytes?: number;
  readonly restartCondition?: RestartCondition;
  readonly restartDelayUs?: number;
  readonly restartMaxAttempts?: number;
  readonly restartWindowUs?: number;
  readonly update?: Partial<UpdateConfig>;
  readonly rollback?: Partial<UpdateConfig>;
  readonly secretAdd?: readonly (string | { readonly source: string; readonly target?: string })[];
  readonly secretRm?: readonly string[];
  readonly configAdd?: readonly (string | ConfigOption)[];
  readonly configRm?: readonly string[];
  readonly publishAdd?: ServiceOptions["publish"];
  readonly publishRm?: readonly number[];
  readonly labelAdd?: Labels;
  /** --force: replace every task even if nothing else changed. */
  readonly force?: boolean;
  /** The task's networks after --network-add/--network-rm, as docker/cli sends them (it resolves and sorts them). */
  readonly networks?: readonly NetworkAttachmentConfig[];
}

export function updateSpec(spec: ServiceSpec, u: ServiceUpdate): ServiceSpec {
  const t = spec.task;
  const envKey = (e: string) => e.split("=")[0]!;
  let env = t.container.env.filter((e) => !(u.envRm ?? []).includes(envKey(e)));
  for (const e of u.envAdd ?? []) env = [...env.filter((x) => envKey(x) !== envKey(e)), e];
  let constraints = t.placement.constraints.filter((c) => !(u.constraintRm ?? []).includes(c));
  for (const c of u.constraintAdd ?? []) if (!constraints.includes(c)) constraints = [...constraints, c];
  const prefs = [...t.placement.preferences, ...(u.placementPrefAdd ?? []).map(parsePreference)];
  let secrets = t.secrets.filter((s) => !(u.secretRm ?? []).includes(s.secretName));
  for (const s of u.secretAdd ?? []) {
    const r = typeof s === "string" ? { source: s } : s;
    secrets = [...secrets, { secretId: "", secretName: r.source, target: r.target ?? r.source, uid: "0", gid: "0", mode: 0o444 }];
  }
  // docker/cli service/update.go updateConfigs: removals first, then additions replace a same-named one.
  let configs = t.configs.filter((c) => !(u.configRm ?? []).includes(c.configName));
  for (const c of u.configAdd ?? []) {
    const ref = configRef(c);
    configs = [...configs.filter((x) => x.configName !== ref.configName), ref];
  }
  let ports = spec.endpoint.ports.filter((p) => !(u.publishRm ?? []).includes(p.targetPort) && !(u.publishRm ?? []).includes(p.publishedPort));
  for (const p of u.publishAdd ?? []) {
    ports = [...ports, { name: "", protocol: p.protocol ?? "tcp", targetPort: p.target, publishedPort: p.published ?? 0, publishMode: p.mode ?? "ingress" }];
  }
  const res = t.resources;
  const next: ServiceSpec = {
    ...spec,
    labels: { ...spec.labels, ...(u.labelAdd ?? {}) },
    task: {
      ...t,
      container: { ...t.container, image: u.image ?? t.container.image, args: u.args ? [...u.args] : t.container.args, env },
      resources: {
        limits: {
          nanoCPUs: u.limitCpus !== undefined ? Math.round(u.limitCpus * 1e9) : res.limits.nanoCPUs,
          memoryBytes: u.limitMemoryBytes ?? res.limits.memoryBytes,
        },
        reservations: {
          nanoCPUs: u.reserveCpus !== undefined ? Math.round(u.reserveCpus * 1e9) : res.reservations.nanoCPUs,
          memoryBytes: u.reserveMemoryBytes ?? res.reservations.memoryBytes,
        },
      },
      restart: {
        condition: u.restartCondition ?? t.restart.condition,
        delayUs: u.restartDelayUs ?? t.restart.delayUs,
        maxAttempts: u.restartMaxAttempts ?? t.restart.maxAttempts,
        windowUs: u.restartWindowUs ?? t.restart.windowUs,
      },
      placement: { ...t.placement, constraints, preferences: prefs, maxReplicas: u.maxReplicasPerNode ?? t.placement.maxReplicas },
      secrets,
      configs,
      networks: u.networks ? [...u.networks] : t.networks,
      forceUpdate: u.force ? t.forceUpdate + 1 : t.forceUpdate,
    },
    mode: u.replicas === undefined ? spec.mode
      : spec.mode.kind === "replicated" ? { kind: "replicated", replicas: u.replicas }
      : spec.mode.kind === "replicated-job" ? { ...spec.mode, totalCompletions: u.replicas } : spec.mode,
    update: updateConfig(spec.update, u.update),
    rollback: updateConfig(spec.rollback, u.rollback),
    endpoint: { ...spec.endpoint, ports },
  };
  validateSpec(next);
  return next;
}
