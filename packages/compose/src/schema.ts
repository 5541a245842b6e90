// The compose file's shape, checked as Docker Compose checks it against the compose-spec JSON
// schema (compose-go schema/schema.go): the most specific error wins (the deepest value; an
// unknown key counts one deeper), and it is worded as compose words it: "services.web.ports must
// be a array", "services.web additional properties 'imag' not allowed". This is drydock's own
// description of the schema's main parts, not a copy of it: unknown keys are refused where the
// spec refuses them, the types are the spec's (strings allowed wherever interpolation may give
// them).
import type { Raw } from "./yaml.js";

type TypeName = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";

export type Schema =
  | {
    readonly type: readonly TypeName[]; readonly props?: Readonly<Record<string, Schema>>; readonly values?: Schema; readonly items?: Schema;
    readonly closed?: boolean; readonly required?: readonly string[];
    /** The keys `values` applies to (compose-spec's patternProperties); other keys are unknown. */
    readonly keys?: RegExp;
  }
  | { readonly oneOf: readonly Schema[] }
  | { readonly any: true };

const t = (...type: TypeName[]): Schema => ({ type });
const obj = (props: Record<string, Schema>, closed = true, extra: { values?: Schema; required?: string[]; orNull?: boolean } = {}): Schema => ({
  type: extra.orNull ? ["object", "null"] : ["object"], props, closed, ...(extra.values ? { values: extra.values } : {}), ...(extra.required ? { required: extra.required } : {}),
});
const arr = (items?: Schema): Schema => (items ? { type: ["array"], items } : { type: ["array"] });
const oneOf = (...alts: Schema[]): Schema => ({ oneOf: alts });
const ANY: Schema = { any: true };

const STR = t("string");
const BOOLS = t("boolean", "string");
const INTS = t("integer", "string");
const NUMS = t("number", "string");
const LIST_OF_STRINGS = arr(STR);
const STRING_OR_LIST = oneOf(STR, arr(STR));
const LIST_OR_DICT = oneOf({ type: ["object"], closed: false, values: t("string", "number", "boolean", "null") }, arr(STR));
const COMMAND = oneOf(t("null"), STR, arr(STR));

const BUILD = oneOf(STR, obj({
  context: STR, dockerfile: STR, dockerfile_inline: STR, entitlements: arr(STR), args: LIST_OR_DICT, ssh: LIST_OR_DICT, labels: LIST_OR_DICT,
  cache_from: arr(STR), cache_to: arr(STR), no_cache: BOOLS, additional_contexts: LIST_OR_DICT, network: STR, provenance: t("string", "boolean"),
  sbom: t("string", "boolean"), pull: BOOLS, target: STR, shm_size: t("integer", "string"), extra_hosts: LIST_OR_DICT, isolation: STR,
  privileged: BOOLS, secrets: arr(ANY), tags: arr(STR), ulimits: t("object"), platforms: arr(STR),
}));

const PORT = oneOf(t("number"), STR, obj({
  name: STR, mode: STR, host_ip: STR, target: INTS, published: t("string", "integer"), protocol: STR, app_protocol: STR,
}));

const VOLUME_MOUNT = oneOf(STR, obj({
  type: STR, source: STR, target: STR, read_only: BOOLS, consistency: STR,
  bind: obj({ propagation: STR, create_host_path: BOOLS, recursive: STR, selinux: STR }),
  volume: obj({ labels: LIST_OR_DICT, nocopy: BOOLS, subpath: STR }),
  tmpfs: obj({ size: t("integer", "string"), mode: t("number", "string") }), image: obj({ subpath: STR }),
}, true, { required: ["type"] }));

const DEPENDS_ON = oneOf(LIST_OF_STRINGS, { type: ["object"], closed: true, values: obj({ restart: BOOLS, required: t("boolean"), condition: STR }) });

const SERVICE_NETWORKS = oneOf(LIST_OF_STRINGS, {
  type: ["object"], closed: true,
  values: oneOf(obj({
    aliases: LIST_OF_STRINGS, interface_name: STR, ipv4_address: STR, ipv6_address: STR, link_local_ips: LIST_OF_STRINGS, mac_address: STR,
    driver_opts: t("object"), priority: t("number"), gw_priority: t("number"),
  }), t("null")),
});

const HEALTHCHECK = obj({
  disable: BOOLS, interval: STR, retries: NUMS, test: oneOf(STR, arr(STR)), timeout: STR, start_period: STR, start_interval: STR,
});

const RESOURCE = obj({ cpus: NUMS, memory: STR, pids: INTS, devices: arr(ANY), generic_resources: arr(ANY) });

const DEPLOY = obj({
  mode: STR, endpoint_mode: STR, replicas: INTS, labels: LIST_OR_DICT, rollback_config: t("object"), update_config: t("object"),
  resources: obj({ limits: RESOURCE, reservations: RESOURCE }), restart_policy: obj({ condition: STR, delay: STR, max_attempts: INTS, window: STR }),
  placement: t("object"),
}, true, { orNull: true });

/** Every key a service may have (compose-spec's service definition), with its type. */
export const SERVICE_SCHEMA: Schema = obj({
  develop: t("object", "null"), deploy: DEPLOY, annotations: LIST_OR_DICT, attach: BOOLS, build: BUILD, blkio_config: t("object"),
  cap_add: arr(STR), cap_drop: arr(STR), cgroup: STR, cgroup_parent: STR, command: COMMAND, configs: arr(oneOf(STR, t("object"))),
  container_name: STR, cpu_count: oneOf(STR, t("integer")), cpu_percent: oneOf(STR, t("integer")), cpu_shares: NUMS, cpu_quota: NUMS,
  cpu_period: NUMS, cpu_rt_period: NUMS, cpu_rt_runtime: NUMS, cpus: NUMS, cpuset: STR, credential_spec: t("object"), depends_on: DEPENDS_ON,
  device_cgroup_rules: arr(STR), devices: arr(ANY), dns: STRING_OR_LIST, dns_opt: arr(STR), dns_search: STRING_OR_LIST, domainname: STR,
  entrypoint: COMMAND, env_file: oneOf(STR, arr(ANY)), label_file: STRING_OR_LIST, environment: LIST_OR_DICT, expose: arr(t("string", "number")),
  extends: oneOf(STR, t("object")), provider: t("object"), external_links: arr(STR), extra_hosts: oneOf(t("object"), arr(STR)),
  gpus: oneOf(STR, arr(ANY)), group_add: arr(t("string", "number")), healthcheck: HEALTHCHECK, hostname: STR, image: STR, init: BOOLS,
  ipc: STR, isolation: STR, labels: LIST_OR_DICT, links: arr(STR), logging: obj({ driver: STR, options: t("object", "null") }),
  mac_address: STR, mem_limit: NUMS, mem_reservation: t("string", "integer"), mem_swappiness: INTS, memswap_limit: NUMS, network_mode: STR,
  models: oneOf(arr(STR), t("object")), networks: SERVICE_NETWORKS, oom_kill_disable: BOOLS, oom_score_adj: oneOf(STR, t("integer")),
  pid: t("string", "null"), pids_limit: NUMS, platform: STR, ports: arr(PORT), post_start: arr(ANY), pre_stop: arr(ANY), privileged: BOOLS,
  profiles: arr(STR), pull_policy: STR, pull_refresh_after: STR, read_only: BOOLS, restart: STR, runtime: STR, scale: INTS,
  security_opt: arr(STR), shm_size: NUMS, secrets: arr(oneOf(STR, t("object"))), sysctls: LIST_OR_DICT, stdin_open: BOOLS,
  stop_grace_period: STR, stop_signal: STR, storage_opt: t("object"), tmpfs: STRING_OR_LIST, tty: BOOLS, ulimits: t("object"),
  use_api_socket: t("boolean"), user: STR, uts: STR, userns_mode: STR, volumes: arr(VOLUME_MOUNT), volumes_from: arr(STR), working_dir: STR,
}, true, { orNull: false });

const EXTERNAL = t("boolean", "string", "object");

const NETWORK = obj({
  name: STR, driver: STR, driver_opts: t("object"),
  ipam: obj({ driver: STR, config: arr(obj({ subnet: STR, ip_range: STR, gateway: STR, aux_addresses: t("object") })), options: t("object") }),
  external: EXTERNAL, internal: BOOLS, enable_ipv4: BOOLS, enable_ipv6: BOOLS, attachable: BOOLS, labels: LIST_OR_DICT,
}, true, { orNull: true });

const VOLUME = obj({ name: STR, driver: STR, driver_opts: t("object"), external: EXTERNAL, labels: LIST_OR_DICT }, true, { orNull: true });
const FILE_OBJECT = obj({
  name: STR, environment: STR, file: STR, content: STR, external: EXTERNAL, labels: LIST_OR_DICT, driver: STR, driver_opts: t("object"),
  template_driver: STR,
});

/** The top level of a compose file. */
const NAME = /^[a-zA-Z0-9._-]+$/;

export const PROJECT_SCHEMA: Schema = obj({
  version: STR, name: STR, include: arr(ANY), services: { type: ["object"], closed: true, values: SERVICE_SCHEMA, keys: NAME },
  models: t("object"), networks: { type: ["object"], closed: false, values: NETWORK, keys: NAME },
  volumes: { type: ["object"], closed: true, values: VOLUME, keys: NAME }, secrets: { type: ["object"], closed: true, values: FILE_OBJECT, keys: NAME },
  configs: { type: ["object"], closed: true, values: FILE_OBJECT, keys: NAME },
});

export interface SchemaError {
  /** The value's location: keys and list indexes. */
  readonly at: readonly (string | number)[];
  /** compose's words after the path. */
  readonly text: string;
  /** Unknown keys count one deeper (compose-go's specificity). */
  readonly depth: number;
}

function typeOf(v: Raw): TypeName {
  if (v === null) return "null";
  if (v instanceof Map) return "object";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  return "string";
}

function fits(v: Raw, type: TypeName): boolean {
  const got = typeOf(v);
  if (type === "integer") return got === "number" && Number.isInteger(v);
  return got === type;
}

/** compose-go's humanReadableType: "mapping" for object, several types sorted and joined. */
function human(types: readonly TypeName[]): string {
  const names = types.map((x) => (x === "object" ? "mapping" : x));
  if (names.length === 1) return names[0]!;
  const sorted = [...names].sort();
  return `${sorted.slice(0, -1).join(", ")} or ${sorted[sorted.length - 1]}`;
}

/** The errors of one value, most specific first being decided by the caller. */
function check(v: Raw, s: Schema, at: (string | number)[], out: SchemaError[]): void {
  if ("any" in s) return;
  if ("oneOf" in s) {
    const per: SchemaError[][] = [];
    for (const alt of s.oneOf) {
      const errs: SchemaError[] = [];
      check(v, alt, at, errs);
      if (errs.length === 0) return;
      per.push(errs);
    }
    out.push(...per.flat());
    return;
  }
  if (!s.type.some((ty) => fits(v, ty))) {
    out.push({ at, text: `must be a ${human(s.type)}`, depth: at.length });
    return;
  }
  if (v instanceof Map) {
    const unknown: string[] = [];
    for (const [k, val] of v) {
      const known = s.props && Object.hasOwn(s.props, k) ? s.props[k]! : undefined;
      if (known) check(val, known, [...at, k], out);
      else if (k.startsWith("x-")) continue;
      else if (s.values && (!s.keys || s.keys.test(k))) check(val, s.values, [...at, k], out);
      else if (s.closed) unknown.push(k);
    }
    if (unknown.length > 0) out.push({ at, text: `additional properties ${unknown.map((k) => `'${k}'`).join(", ")} not allowed`, depth: at.length + 1 });
    for (const r of s.required ?? []) if (!v.has(r)) out.push({ at, text: `missing property '${r}'`, depth: at.length });
  } else if (Array.isArray(v) && s.items) {
    v.forEach((item, i) => check(item, s.items!, [...at, i], out));
  }
}

/** The error compose reports for a value (getMostSpecificError), or null when it fits. */
export function validate(v: Raw, s: Schema = PROJECT_SCHEMA): SchemaError | null {
  const errs: SchemaError[] = [];
  check(v, s, [], errs);
  let best: SchemaError | null = null;
  for (const e of errs) if (best === null || e.depth > best.depth) best = e;
  return best;
}

/** compose-go's validationError text: the path joined with dots, then the words. */
export function schemaMessage(e: SchemaError): string {
  return `${e.at.join(".")} ${e.text}`.trimStart();
}
