// Loading a project as compose-go's loader does: parse each file, interpolate every string value
// (with the path in the error), merge the files in order, validate against the spec, put every
// value in its canonical form (long syntax for ports and volumes, lists into maps, build
// contexts as absolute paths), name the project and its networks and volumes, apply profiles
// and check consistency. Every failure is a ComposeError with compose's text, the file, the line
// and the path; nothing else is thrown.
import { DrydockError } from "@drydock/kernel";
import { parsePortSpec } from "@drydock/engine";
import { parseDotenv } from "./dotenv.js";
import { ComposeError, INVALID_PROJECT } from "./errors.js";
import { interpolateWithWarnings, InvalidTemplateError, unsetWarning, type Lookup } from "./interpolate.js";
import type { Healthcheck, Project, ProjectNetwork, ProjectVolume, Service, ServiceDependency, ServiceNetwork, ServicePort, ServiceVolume } from "./model.js";
import { schemaMessage, validate } from "./schema.js";
import { composePath, parseYaml, pathText, type Path, type Raw, type RawMap } from "./yaml.js";
import type { SourceLocation } from "@drydock/kernel";

export interface ComposeSource {
  /** The file's absolute path (what errors name). */
  readonly path: string;
  readonly content: string;
}

export interface LoadOptions {
  /** The compose files in order (`-f a -f b`: b overrides a). */
  readonly files: readonly ComposeSource[];
  /** The project directory, absolute (the first file's directory unless --project-directory). */
  readonly workingDir: string;
  /** The shell's environment (it wins over .env). */
  readonly env?: ReadonlyMap<string, string>;
  /** The text of the project directory's `.env`, if there is one. */
  readonly dotenv?: string | null;
  /** `-p`. */
  readonly projectName?: string;
  /** `--profile`s (COMPOSE_PROFILES is read from the environment when none are given). */
  readonly profiles?: readonly string[];
  /** Reads a file for `env_file:` (absolute path); undefined when it does not exist. */
  readonly readFile?: (path: string) => string | undefined;
}

export interface LoadResult {
  readonly project: Project;
  /** What compose prints on stderr as it loads (unset variables, an obsolete `version`). */
  readonly warnings: readonly string[];
}

/** compose-go NormalizeProjectName. */
export function normalizeProjectName(s: string): string {
  return [...s.toLowerCase()].filter((c) => /[a-z0-9_-]/.test(c)).join("").replace(/^[_-]+/, "");
}

export function invalidProjectName(v: string): string {
  return `invalid project name "${v}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`;
}

const basename = (p: string) => p.replace(/\/+$/, "").split("/").pop() ?? "";
const dirname = (p: string) => {
  const i = p.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
};

/** path.Join for absolute results: resolves ".", ".." and "~" (root's home) against `base`. */
export function resolvePath(base: string, p: string): string {
  const start = p.startsWith("/") ? p : p === "~" || p.startsWith("~/") ? `/root${p.slice(1)}` : `${base}/${p}`;
  const out: string[] = [];
  for (const part of start.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

interface Ctx {
  readonly file: string;
  readonly positions: ReadonlyMap<string, SourceLocation>;
}

function fail(ctx: Ctx | null, code: string, message: string, path: Path = []): never {
  const loc = ctx ? nearest(ctx.positions, path) : undefined;
  throw new ComposeError(code, message, ctx?.file ?? "", pathText(path), loc);
}

function nearest(positions: ReadonlyMap<string, SourceLocation>, path: Path): SourceLocation | undefined {
  for (let n = path.length; n >= 0; n--) {
    const at = positions.get(pathText(path.slice(0, n)));
    if (at) return at;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Interpolation over the tree

function interpolateTree(v: Raw, path: (string | number)[], lookup: Lookup, ctx: Ctx, unset: Set<string>): Raw {
  if (typeof v === "string") {
    try {
      const r = interpolateWithWarnings(v, lookup);
      for (const n of r.unset) unset.add(n);
      return r.value;
    } catch (e) {
      if (e instanceof InvalidTemplateError) {
        return fail(ctx, "EINTERPOLATE", `invalid interpolation format for ${composePath(path)}.\nYou may need to escape any $ with another $.\n${e.template}`, path);
      }
      if (e instanceof DrydockError) return fail(ctx, e.code, `error while interpolating ${composePath(path)}: ${e.message}`, path);
      throw e;
    }
  }
  if (Array.isArray(v)) return v.map((x, i) => interpolateTree(x, [...path, i], lookup, ctx, unset));
  if (v instanceof Map) {
    const out: RawMap = new Map();
    for (const [k, x] of v) out.set(k, interpolateTree(x, [...path, k], lookup, ctx, unset));
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Merging files (compose-go override.Merge, the common cases)

const LIST_MERGED_BY_VALUE = new Set(["ports", "expose", "volumes", "dns", "cap_add", "cap_drop", "profiles"]);

function mergeService(base: RawMap, over: RawMap): RawMap {
  const out = new Map(base);
  for (const [k, v] of over) {
    const prev = out.get(k);
    if (prev instanceof Map && v instanceof Map) out.set(k, mergeService(prev, v));
    else if (Array.isArray(prev) && Array.isArray(v) && LIST_MERGED_BY_VALUE.has(k)) out.set(k, [...prev, ...v.filter((x) => !prev.some((p) => JSON.stringify(p) === JSON.stringify(x)))]);
    else out.set(k, v);
  }
  return out;
}

function mergeProjects(base: RawMap, over: RawMap): RawMap {
  const out = new Map(base);
  for (const [k, v] of over) {
    const prev = out.get(k);
    if (k === "services" && prev instanceof Map && v instanceof Map) {
      const services = new Map(prev);
      for (const [name, svc] of v) {
        const was = services.get(name);
        services.set(name, was instanceof Map && svc instanceof Map ? mergeService(was, svc) : svc);
      }
      out.set(k, services);
    } else if (prev instanceof Map && v instanceof Map) out.set(k, mergeService(prev, v));
    else out.set(k, v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Canonical forms

const str = (v: Raw | undefined): string => (v === null || v === undefined ? "" : v instanceof Map || Array.isArray(v) ? "" : String(v));

/** go-shellwords' split (what compose does to `command: a "b c"`): quotes and backslashes, no expansion. */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let started = false;
  let quote = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = "";
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = "";
      else if (c === "\\" && i + 1 < s.length && /["\\$`]/.test(s[i + 1]!)) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = "";
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) out.push(cur);
  return out;
}

/** A list of "K=V" (or "K") or a mapping, as an ordered Map; a name without a value is null. */
function toMapping(v: Raw | undefined, sep = "="): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (v instanceof Map) {
    for (const [k, x] of v) out.set(k, x === null ? null : str(x));
  } else if (Array.isArray(v)) {
    for (const item of v) {
      const s = str(item);
      const i = s.indexOf(sep);
      out.set(i < 0 ? s : s.slice(0, i), i < 0 ? null : s.slice(i + 1));
    }
  }
  return out;
}

const mapToRaw = (m: ReadonlyMap<string, string | null>): RawMap => new Map([...m].map(([k, v]) => [k, v]));

/** path.Clean for a container path ("/files/" → "/files"). */
function cleanTarget(p: string): string {
  if (!p.startsWith("/")) return p;
  return resolvePath("/", p);
}

/** compose-go format.ParseVolume for the short syntax: `[SOURCE:]TARGET[:MODE]`. */
function parseShortVolume(spec: string, workingDir: string): RawMap {
  const parts = spec.split(":");
  let source = "";
  let target = "";
  let mode = "";
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2) {
    source = parts[0]!;
    target = parts[1]!;
  } else {
    source = parts[0]!;
    target = parts[1]!;
    mode = parts.slice(2).join(":");
  }
  const isPath = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
  const out: RawMap = new Map();
  const modes = mode === "" ? [] : mode.split(",");
  if (source === "") {
    out.set("type", "volume").set("target", cleanTarget(target));
    out.set("volume", new Map());
    return out;
  }
  out.set("type", isPath ? "bind" : "volume");
  out.set("source", isPath ? resolvePath(workingDir, source) : source);
  out.set("target", cleanTarget(target));
  if (modes.includes("ro")) out.set("read_only", true);
  if (isPath) {
    const bind: RawMap = new Map();
    const prop = modes.find((m) => ["shared", "rshared", "slave", "rslave", "private", "rprivate"].includes(m));
    if (modes.includes("z") || modes.includes("Z")) bind.set("selinux", modes.includes("z") ? "z" : "Z");
    if (prop) bind.set("propagation", prop);
    bind.set("create_host_path", true);
    out.set("bind", bind);
  } else {
    const volume: RawMap = new Map();
    if (modes.includes("nocopy")) volume.set("nocopy", true);
    out.set("volume", volume);
  }
  return out;
}

/** compose-go types.ParsePortConfig: a short port spec as long-syntax entries, sorted by container port key. */
function parseShortPort(spec: string): RawMap[] {
  const mappings = parsePortSpec(spec);
  const keyed = mappings.map((m) => ({ key: `${m.containerPort}/${m.protocol}`, m }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ m }) => {
    const r: RawMap = new Map<string, Raw>([["mode", "ingress"]]);
    if (m.hostIp !== "") r.set("host_ip", m.hostIp);
    r.set("target", m.containerPort);
    if (m.hostPort !== "") r.set("published", m.hostPort);
    r.set("protocol", m.protocol);
    return r;
  });
}

function canonicalService(name: string, svc: RawMap, opts: LoadOptions, env: ReadonlyMap<string, string>, ctx: Ctx): RawMap {
  const at = (...p: (string | number)[]): Path => ["services", name, ...p];
  const out: RawMap = new Map(svc);
  const build = svc.get("build");
  if (build !== undefined && build !== null) {
    const b: RawMap = typeof build === "string" ? new Map<string, Raw>([["context", build]]) : new Map(build as RawMap);
    const context = str(b.get("context") ?? ".");
    b.set("context", /^[a-z]+:\/\//.test(context) || context.startsWith("git@") ? context : resolvePath(opts.workingDir, context));
    if (!b.has("dockerfile") && !b.has("dockerfile_inline")) b.set("dockerfile", "Dockerfile");
    if (b.has("args")) b.set("args", mapToRaw(toMapping(b.get("args"))));
    if (b.has("labels")) b.set("labels", mapToRaw(toMapping(b.get("labels"))));
    out.set("build", b);
  }
  for (const key of ["command", "entrypoint"]) {
    const v = svc.get(key);
    if (typeof v === "string") out.set(key, shellSplit(v));
  }
  for (const key of ["dns", "dns_search", "tmpfs", "env_file", "label_file"]) {
    const v = svc.get(key);
    if (typeof v === "string") out.set(key, [v]);
  }
  // Environment: env_file values, overridden by `environment`, names without a value from the shell.
  const envFiles = svc.get("env_file");
  const environment = new Map<string, string | null>();
  if (Array.isArray(envFiles) || typeof envFiles === "string") {
    const list = Array.isArray(envFiles) ? envFiles : [envFiles];
    const canonical: RawMap[] = [];
    list.forEach((f, i) => {
      const pathValue = f instanceof Map ? str(f.get("path")) : str(f);
      const required = f instanceof Map && f.has("required") ? f.get("required") !== false && f.get("required") !== "false" : true;
      const abs = resolvePath(opts.workingDir, pathValue);
      canonical.push(new Map<string, Raw>([["path", abs], ["required", required]]));
      const text = opts.readFile?.(abs);
      if (text === undefined) {
        if (required) fail(ctx, "EENVFILE", `env file ${abs} not found: stat ${abs}: no such file or directory`, at("env_file", i));
        return;
      }
      try {
        for (const [k, v] of parseDotenv(text, (n) => env.get(n))) environment.set(k, v);
      } catch (e) {
        if (e instanceof DrydockError) fail(ctx, "EENVFILE", `failed to read ${abs}: ${e.message}`, at("env_file", i));
        throw e;
      }
    });
    out.set("env_file", canonical);
  }
  for (const [k, v] of toMapping(svc.get("environment"))) environment.set(k, v ?? env.get(k) ?? null);
  if (environment.size > 0) out.set("environment", mapToRaw(environment));
  for (const key of ["labels", "sysctls", "annotations"]) if (svc.has(key)) out.set(key, mapToRaw(toMapping(svc.get(key))));
  const extraHosts = svc.get("extra_hosts");
  if (extraHosts instanceof Map) out.set("extra_hosts", [...extraHosts].map(([h, ip]) => `${h}=${str(ip)}`));
  // Ports: the long syntax (a short spec may give several entries).
  const ports = svc.get("ports");
  if (Array.isArray(ports)) {
    const list: RawMap[] = [];
    ports.forEach((p, i) => {
      if (p instanceof Map) {
        const r: RawMap = new Map(p);
        if (!r.has("mode")) r.set("mode", "ingress");
        if (!r.has("protocol")) r.set("protocol", "tcp");
        if (r.has("target")) r.set("target", Number(str(r.get("target"))));
        if (r.has("published")) r.set("published", str(r.get("published")));
        list.push(r);
        return;
      }
      try {
        list.push(...parseShortPort(str(p)));
      } catch (e) {
        if (e instanceof DrydockError) fail(ctx, "EPORT", e.message, at("ports", i));
        throw e;
      }
    });
    out.set("ports", list);
  }
  const expose = svc.get("expose");
  if (Array.isArray(expose)) out.set("expose", expose.map((e) => str(e)));
  const volumes = svc.get("volumes");
  if (Array.isArray(volumes)) {
    out.set("volumes", volumes.map((v) => {
      if (v instanceof Map) {
        const r: RawMap = new Map(v);
        if (r.get("type") === "bind" && r.has("source")) r.set("source", resolvePath(opts.workingDir, str(r.get("source"))));
        return r;
      }
      return parseShortVolume(str(v), opts.workingDir);
    }));
  }
  // Networks: a list is a map of nulls; no networks and no network_mode is the default network.
  const networks = svc.get("networks");
  if (Array.isArray(networks)) out.set("networks", new Map(networks.map((n) => [str(n), null])));
  if (networks === undefined && !svc.has("network_mode")) out.set("networks", new Map([["default", null]]));
  // depends_on: a list is a map of service_started, required.
  const dependsOn = svc.get("depends_on");
  if (Array.isArray(dependsOn)) {
    out.set("depends_on", new Map(dependsOn.map((d) => [str(d), new Map<string, Raw>([["condition", "service_started"], ["required", true]])])));
  } else if (dependsOn instanceof Map) {
    const m: RawMap = new Map();
    for (const [dep, cfg] of dependsOn) {
      const c: RawMap = cfg instanceof Map ? new Map(cfg) : new Map();
      if (!c.has("condition")) c.set("condition", "service_started");
      if (!c.has("required")) c.set("required", true);
      m.set(dep, c);
    }
    out.set("depends_on", m);
  }
  const hc = svc.get("healthcheck");
  if (hc instanceof Map && typeof hc.get("test") === "string") {
    const h = new Map(hc);
    h.set("test", ["CMD-SHELL", str(hc.get("test"))]);
    out.set("healthcheck", h);
  }
  for (const key of ["secrets", "configs"]) {
    const v = svc.get(key);
    if (Array.isArray(v)) out.set(key, v.map((s) => (typeof s === "string" ? new Map<string, Raw>([["source", s]]) : s)));
  }
  const scale = svc.get("scale");
  if (typeof scale === "string" && /^\d+$/.test(scale)) out.set("scale", Number(scale));
  const deploy = svc.get("deploy");
  if (deploy instanceof Map && typeof deploy.get("replicas") === "string" && /^\d+$/.test(str(deploy.get("replicas")))) {
    out.set("deploy", new Map(deploy).set("replicas", Number(str(deploy.get("replicas")))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The typed view

function typedService(name: string, raw: RawMap): Service {
  const m = (k: string) => raw.get(k);
  const build = m("build");
  const deploy = m("deploy");
  const replicas = deploy instanceof Map && typeof deploy.get("replicas") === "number" ? (deploy.get("replicas") as number)
    : typeof m("scale") === "number" ? (m("scale") as number) : 1;
  const limits = deploy instanceof Map && deploy.get("resources") instanceof Map ? ((deploy.get("resources") as RawMap).get("limits") as RawMap | undefined) : undefined;
  const ports: ServicePort[] = (Array.isArray(m("ports")) ? (m("ports") as RawMap[]) : []).filter((p) => p instanceof Map).map((p) => ({
    mode: str(p.get("mode")), hostIp: str(p.get("host_ip")), target: Number(str(p.get("target"))), published: str(p.get("published")), protocol: str(p.get("protocol")) || "tcp",
  }));
  const volumes: ServiceVolume[] = (Array.isArray(m("volumes")) ? (m("volumes") as RawMap[]) : []).filter((v) => v instanceof Map).map((v) => ({
    type: (str(v.get("type")) || "volume") as ServiceVolume["type"], source: str(v.get("source")), target: str(v.get("target")),
    readOnly: v.get("read_only") === true || v.get("read_only") === "true",
  }));
  const networks = new Map<string, ServiceNetwork>();
  const nets = m("networks");
  if (nets instanceof Map) {
    for (const [k, v] of nets) {
      networks.set(k, {
        aliases: v instanceof Map && Array.isArray(v.get("aliases")) ? (v.get("aliases") as Raw[]).map((a) => str(a)) : [],
        ipv4Address: v instanceof Map ? str(v.get("ipv4_address")) : "",
      });
    }
  }
  const dependsOn = new Map<string, ServiceDependency>();
  const deps = m("depends_on");
  if (deps instanceof Map) {
    for (const [k, v] of deps) {
      const c = v instanceof Map ? v : new Map<string, Raw>();
      dependsOn.set(k, { condition: str(c.get("condition")) || "service_started", required: c.get("required") !== false, restart: c.get("restart") === true || c.get("restart") === "true" });
    }
  }
  const hc = m("healthcheck");
  const healthcheck: Healthcheck | null = hc instanceof Map ? {
    test: Array.isArray(hc.get("test")) ? (hc.get("test") as Raw[]).map((x) => str(x)) : [], interval: str(hc.get("interval")),
    timeout: str(hc.get("timeout")), retries: hc.has("retries") ? Number(str(hc.get("retries"))) : null, startPeriod: str(hc.get("start_period")),
    startInterval: str(hc.get("start_interval")),
    disable: hc.get("disable") === true || hc.get("disable") === "true",
  } : null;
  const env = new Map<string, string | null>();
  const e = m("environment");
  if (e instanceof Map) for (const [k, v] of e) env.set(k, v === null ? null : str(v));
  const labels = new Map<string, string>();
  const l = m("labels");
  if (l instanceof Map) for (const [k, v] of l) labels.set(k, str(v));
  const strList = (v: Raw | undefined) => (Array.isArray(v) ? v.map((x) => str(x)) : null);
  return {
    name, image: m("image") === undefined ? null : str(m("image")),
    build: build instanceof Map ? {
      context: str(build.get("context")), dockerfile: str(build.get("dockerfile")), target: str(build.get("target")),
      args: new Map([...(build.get("args") instanceof Map ? (build.get("args") as RawMap) : new Map<string, Raw>())].map(([k, v]) => [k, v === null ? null : str(v)])),
    } : null,
    command: strList(m("command")), entrypoint: strList(m("entrypoint")), environment: env, ports, expose: strList(m("expose")) ?? [], volumes, networks,
    networkMode: m("network_mode") === undefined ? null : str(m("network_mode")), dependsOn, healthcheck, restart: str(m("restart")) || "no",
    replicas, resources: { cpus: limits instanceof Map ? str(limits.get("cpus")) : "", memory: limits instanceof Map ? str(limits.get("memory")) : "" },
    labels, profiles: strList(m("profiles")) ?? [], containerName: m("container_name") === undefined ? null : str(m("container_name")),
    hostname: str(m("hostname")), workingDir: str(m("working_dir")), user: str(m("user")), stopSignal: str(m("stop_signal")), raw,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Loads a project: `docker compose`'s whole reading of its files. Returns the normalised project
 * and the warnings compose prints; throws a ComposeError (compose's text, the file, the line, the
 * path) for any problem, and nothing else.
 */
export function loadProject(opts: LoadOptions): LoadResult {
  try {
    return load(opts);
  } catch (e) {
    if (e instanceof ComposeError) throw e;
    if (e instanceof DrydockError) throw new ComposeError(e.code, e.message);
    // A bug must not look like a compose error, but must not escape as a stack trace either.
    throw new ComposeError("EINTERNAL", `drydock could not load this project: ${(e as Error).message}`);
  }
}

function load(opts: LoadOptions): LoadResult {
  const warnings: string[] = [];
  // The environment interpolation sees: the shell's, then .env's for what the shell lacks.
  const env = new Map<string, string>();
  if (opts.dotenv !== undefined && opts.dotenv !== null) {
    try {
      for (const [k, v] of parseDotenv(opts.dotenv, (n) => opts.env?.get(n))) env.set(k, v);
    } catch (e) {
      if (e instanceof DrydockError) throw new ComposeError("EDOTENV", `failed to read ${opts.workingDir}/.env: ${e.message}`, `${opts.workingDir}/.env`, "", e.location);
      throw e;
    }
  }
  for (const [k, v] of opts.env ?? []) env.set(k, v);
  const lookup: Lookup = (n) => env.get(n);

  let dict: RawMap = new Map();
  let mainCtx: Ctx | null = null;
  const unset = new Set<string>();
  for (const f of opts.files) {
    const parsed = parseYaml(f.content, f.path);
    const ctx: Ctx = { file: f.path, positions: parsed.positions };
    mainCtx ??= ctx;
    if (parsed.value === null) continue;
    if (!(parsed.value instanceof Map)) fail(ctx, "ETOPLEVEL", "top-level object must be a mapping");
    const interpolated = interpolateTree(parsed.value, [], lookup, ctx, unset) as RawMap;
    dict = mergeProjects(dict, interpolated);
    const err = validate(dict);
    if (err) fail(ctx, "ESCHEMA", `validating ${f.path}: ${schemaMessage(err)}`, err.at);
    if (dict.has("version")) {
      warnings.push(`${f.path}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
      dict.delete("version");
    }
  }
  for (const n of unset) warnings.unshift(unsetWarning(n));
  if (dict.size === 0) fail(mainCtx, "EEMPTY", "empty compose file");
  const ctx = mainCtx!;

  // The project's name: -p, then `name:`, then COMPOSE_PROJECT_NAME, then the directory.
  let name: string;
  if (opts.projectName !== undefined && opts.projectName !== "") {
    if (opts.projectName !== normalizeProjectName(opts.projectName)) fail(null, "EPROJECTNAME", invalidProjectName(opts.projectName));
    name = opts.projectName;
  } else if (typeof dict.get("name") === "string" && dict.get("name") !== "") {
    const n = dict.get("name") as string;
    if (n !== normalizeProjectName(n)) fail(ctx, "EPROJECTNAME", invalidProjectName(n), ["name"]);
    name = n;
  } else if (env.get("COMPOSE_PROJECT_NAME")) {
    name = normalizeProjectName(env.get("COMPOSE_PROJECT_NAME")!);
  } else {
    name = normalizeProjectName(basename(opts.workingDir));
  }
  if (name === "") fail(null, "EPROJECTNAME", "project name must not be empty");

  const rawServices = dict.get("services") instanceof Map ? (dict.get("services") as RawMap) : new Map<string, Raw>();
  const services = new Map<string, Service>();
  const disabled = new Map<string, Service>();
  const profiles = new Set(opts.profiles && opts.profiles.length > 0 ? opts.profiles : (env.get("COMPOSE_PROFILES") ?? "").split(",").filter((p) => p !== ""));
  for (const svcName of [...rawServices.keys()].sort()) {
    const raw = rawServices.get(svcName);
    const svcMap: RawMap = raw instanceof Map ? raw : new Map();
    const canonical = canonicalService(svcName, svcMap, opts, env, ctx);
    const typed = typedService(svcName, canonical);
    const active = typed.profiles.length === 0 || typed.profiles.some((p) => profiles.has(p) || p === "*") || profiles.has("*");
    (active ? services : disabled).set(svcName, typed);
  }

  // Top-level networks: named after the project; the default network when a service uses it.
  const networks = new Map<string, ProjectNetwork>();
  const rawNetworks = dict.get("networks") instanceof Map ? (dict.get("networks") as RawMap) : new Map<string, Raw>();
  const usesDefault = [...services.values()].some((s) => s.networks.has("default"));
  const netKeys = new Set([...rawNetworks.keys(), ...(usesDefault ? ["default"] : [])]);
  for (const key of [...netKeys].sort()) {
    const r: RawMap = rawNetworks.get(key) instanceof Map ? new Map(rawNetworks.get(key) as RawMap) : new Map();
    const external = r.get("external") === true || r.get("external") === "true" || r.get("external") instanceof Map;
    const nm = r.has("name") ? str(r.get("name")) : external ? key : `${name}_${key}`;
    r.set("name", nm);
    if (r.has("labels")) r.set("labels", mapToRaw(toMapping(r.get("labels"))));
    const ipam = r.get("ipam");
    const subnets = ipam instanceof Map && Array.isArray(ipam.get("config")) ? (ipam.get("config") as Raw[]).map((c) => (c instanceof Map ? str(c.get("subnet")) : "")).filter((s) => s !== "") : [];
    networks.set(key, {
      name: nm, driver: str(r.get("driver")) || "bridge", external, internal: r.get("internal") === true || r.get("internal") === "true",
      attachable: r.get("attachable") === true || r.get("attachable") === "true", subnets,
      labels: new Map([...toMapping(r.get("labels"))].map(([k, v]) => [k, v ?? ""])), raw: r,
    });
  }
  const volumes = new Map<string, ProjectVolume>();
  const rawVolumes = dict.get("volumes") instanceof Map ? (dict.get("volumes") as RawMap) : new Map<string, Raw>();
  for (const key of [...rawVolumes.keys()].sort()) {
    const r: RawMap = rawVolumes.get(key) instanceof Map ? new Map(rawVolumes.get(key) as RawMap) : new Map();
    const external = r.get("external") === true || r.get("external") === "true" || r.get("external") instanceof Map;
    const nm = r.has("name") ? str(r.get("name")) : external ? key : `${name}_${key}`;
    r.set("name", nm);
    volumes.set(key, { name: nm, driver: str(r.get("driver")) || "local", external, labels: new Map([...toMapping(r.get("labels"))].map(([k, v]) => [k, v ?? ""])), raw: r });
  }
  const fileObjects = (key: string) => {
    const out = new Map<string, RawMap>();
    const rawObjs = dict.get(key) instanceof Map ? (dict.get(key) as RawMap) : new Map<string, Raw>();
    for (const k of [...rawObjs.keys()].sort()) {
      const r: RawMap = rawObjs.get(k) instanceof Map ? new Map(rawObjs.get(k) as RawMap) : new Map();
      const external = r.get("external") === true || r.get("external") === "true";
      if (!r.has("name")) r.set("name", external ? k : `${name}_${k}`);
      if (r.has("file")) r.set("file", resolvePath(opts.workingDir, str(r.get("file"))));
      out.set(k, r);
    }
    return out;
  };
  const secrets = fileObjects("secrets");
  const configs = fileObjects("configs");

  // checkConsistency (compose-go loader/validate.go), in its order.
  for (const s of services.values()) {
    if (s.image === null && s.build === null) fail(ctx, "EINVALID", `service "${s.name}" has neither an image nor a build context specified: ${INVALID_PROJECT}`, ["services", s.name]);
    if (s.networkMode !== null && s.raw.has("networks") && rawServices.get(s.name) instanceof Map && (rawServices.get(s.name) as RawMap).has("networks")) {
      fail(ctx, "EINVALID", `service ${s.name} declares mutually exclusive \`network_mode\` and \`networks\`: ${INVALID_PROJECT}`, ["services", s.name, "network_mode"]);
    }
    for (const n of s.networks.keys()) {
      if (!networks.has(n)) fail(ctx, "EINVALID", `service "${s.name}" refers to undefined network ${n}: ${INVALID_PROJECT}`, ["services", s.name, "networks"]);
    }
    const hc = s.healthcheck;
    if (hc && hc.test.length > 0 && !["CMD", "CMD-SHELL", "NONE"].includes(hc.test[0]!)) {
      fail(ctx, "EINVALID", `healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"`, ["services", s.name, "healthcheck", "test"]);
    }
    for (const d of s.dependsOn.keys()) {
      if (!services.has(d) && !(disabled.has(d) && s.dependsOn.get(d)!.required === false)) {
        fail(ctx, "EINVALID", `service "${s.name}" depends on undefined service "${d}": ${INVALID_PROJECT}`, ["services", s.name, "depends_on"]);
      }
    }
    for (const v of s.volumes) {
      if (v.type === "volume" && v.source !== "" && !volumes.has(v.source)) {
        fail(ctx, "EINVALID", `service "${s.name}" refers to undefined volume ${v.source}: ${INVALID_PROJECT}`, ["services", s.name, "volumes"]);
      }
    }
    const deploy = s.raw.get("deploy");
    const scale = s.raw.get("scale");
    if (typeof scale === "number" && deploy instanceof Map && typeof deploy.get("replicas") === "number" && deploy.get("replicas") !== scale) {
      fail(ctx, "EINVALID", `services.${s.name}: can't set distinct values on 'scale' and 'deploy.replicas': ${INVALID_PROJECT}`, ["services", s.name, "scale"]);
    }
  }
  startOrder(services, ctx);

  const extensions = new Map<string, Raw>();
  for (const [k, v] of dict) if (k.startsWith("x-")) extensions.set(k, v);
  return {
    project: {
      name, workingDir: opts.workingDir, files: opts.files.map((f) => f.path), services, disabledServices: disabled, networks, volumes, secrets,
      configs, environment: env, extensions,
    },
    warnings,
  };
}

/**
 * The order `docker compose up` starts services in: dependencies first (depends_on), otherwise by
 * name. A cycle is compose's error.
 */
export function startOrder(services: ReadonlyMap<string, Service>, ctx: Ctx | null = null): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      fail(ctx, "ECYCLE", `dependency cycle detected: ${cycle.join(" -> ")}`, ["services", name, "depends_on"]);
    }
    state.set(name, "visiting");
    const s = services.get(name);
    for (const d of [...(s?.dependsOn.keys() ?? [])].sort()) if (services.has(d)) visit(d, [...trail, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of [...services.keys()].sort()) visit(name, []);
  return order;
}

export { dirname, basename };
