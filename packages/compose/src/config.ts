// `docker compose config`: the resolved project as YAML, in the order compose prints it (the
// field order of compose-go's types, map keys sorted as yaml.v3 sorts them, two-space indents,
// list items indented under their key).
import { stringify } from "yaml";
import type { Project } from "./model.js";
import type { Raw, RawMap } from "./yaml.js";

// compose-go types' yaml field order.
const SERVICE_ORDER = [
  "name", "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add", "cap_drop", "cgroup_parent", "cgroup", "cpu_count",
  "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares", "command", "configs", "container_name",
  "credential_spec", "depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile", "domainname", "entrypoint",
  "provider", "environment", "env_file", "expose", "extends", "external_links", "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image",
  "init", "ipc", "isolation", "labels", "label_file", "links", "logging", "log_driver", "log_opt", "mem_limit", "mem_reservation", "memswap_limit",
  "mem_swappiness", "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform",
  "ports", "privileged", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open",
  "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts",
  "volume_driver", "volumes", "volumes_from", "working_dir", "post_start", "pre_stop",
];
const BUILD_ORDER = [
  "context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom", "ssh", "labels", "cache_from", "cache_to", "no_cache",
  "additional_contexts", "pull", "extra_hosts", "isolation", "network", "target", "secrets", "shm_size", "tags", "ulimits", "platforms", "privileged",
];
const PORT_ORDER = ["name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"];
const VOLUME_ORDER = ["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"];
const BIND_ORDER = ["selinux", "propagation", "create_host_path", "recursive"];
const SERVICE_NETWORK_ORDER = ["aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority"];
const DEPENDS_ORDER = ["condition", "restart", "required"];
const HEALTHCHECK_ORDER = ["test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"];
const DEPLOY_ORDER = ["mode", "replicas", "labels", "update_config", "rollback_config", "resources", "restart_policy", "placement", "endpoint_mode"];
const RESOURCES_ORDER = ["limits", "reservations"];
const RESOURCE_ORDER = ["cpus", "memory", "pids", "devices", "generic_resources"];
const NETWORK_ORDER = ["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels", "enable_ipv4", "enable_ipv6"];
const VOLUME_TOP_ORDER = ["name", "driver", "driver_opts", "external", "labels"];
const FILE_OBJECT_ORDER = ["name", "file", "environment", "content", "external", "labels", "driver", "driver_opts", "template_driver"];
const FILE_REF_ORDER = ["source", "target", "uid", "gid", "mode"];
const ENV_FILE_ORDER = ["path", "required", "format"];

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A map with its known keys in `order`, then the others (extensions) sorted. */
function ordered(m: RawMap, order: readonly string[], nested: (key: string, v: Raw) => Raw = (_k, v) => v): RawMap {
  const out: RawMap = new Map();
  for (const k of order) if (m.has(k)) out.set(k, nested(k, m.get(k)!));
  for (const k of [...m.keys()].filter((k) => !order.includes(k)).sort(byName)) out.set(k, nested(k, m.get(k)!));
  return out;
}

/** A user-keyed map (environment, labels, networks of a service): keys sorted. */
function sorted(m: Raw, each: (v: Raw) => Raw = (v) => v): Raw {
  if (!(m instanceof Map)) return m;
  return new Map([...m.keys()].sort(byName).map((k) => [k, each(m.get(k)!)]));
}

const orderEach = (order: readonly string[]) => (v: Raw): Raw => (v instanceof Map ? ordered(v, order) : v);

function serviceForOutput(raw: RawMap): RawMap {
  return ordered(raw, SERVICE_ORDER, (k, v) => {
    switch (k) {
      case "build": return v instanceof Map ? ordered(v, BUILD_ORDER, (bk, bv) => (bk === "args" || bk === "labels" ? sorted(bv) : bv)) : v;
      case "ports": return Array.isArray(v) ? v.map(orderEach(PORT_ORDER)) : v;
      case "volumes": return Array.isArray(v) ? v.map((x) => (x instanceof Map ? ordered(x, VOLUME_ORDER, (vk, vv) => (vk === "bind" && vv instanceof Map ? ordered(vv, BIND_ORDER) : vv)) : x)) : v;
      case "networks": return sorted(v, orderEach(SERVICE_NETWORK_ORDER));
      case "depends_on": return sorted(v, orderEach(DEPENDS_ORDER));
      case "healthcheck": return v instanceof Map ? ordered(v, HEALTHCHECK_ORDER) : v;
      case "deploy": return v instanceof Map ? ordered(v, DEPLOY_ORDER, (dk, dv) => (dk === "resources" && dv instanceof Map ? ordered(dv, RESOURCES_ORDER, (_rk, rv) => (rv instanceof Map ? ordered(rv, RESOURCE_ORDER) : rv)) : dv)) : v;
      case "environment": case "labels": case "sysctls": case "annotations": return sorted(v);
      case "secrets": case "configs": return Array.isArray(v) ? v.map(orderEach(FILE_REF_ORDER)) : v;
      case "env_file": return Array.isArray(v) ? v.map(orderEach(ENV_FILE_ORDER)) : v;
      default: return v;
    }
  });
}

/** The project as compose's canonical document (Maps in output order). */
export function projectDocument(p: Project): RawMap {
  const doc: RawMap = new Map();
  doc.set("name", p.name);
  doc.set("services", new Map([...p.services.keys()].sort(byName).map((n) => [n, serviceForOutput(p.services.get(n)!.raw)])));
  if (p.networks.size > 0) doc.set("networks", new Map([...p.networks].map(([k, n]) => [k, ordered(n.raw, NETWORK_ORDER, (nk, nv) => (nk === "labels" ? sorted(nv) : nv))])));
  if (p.volumes.size > 0) doc.set("volumes", new Map([...p.volumes].map(([k, v]) => [k, ordered(v.raw, VOLUME_TOP_ORDER)])));
  if (p.secrets.size > 0) doc.set("secrets", new Map([...p.secrets].map(([k, v]) => [k, ordered(v, FILE_OBJECT_ORDER)])));
  if (p.configs.size > 0) doc.set("configs", new Map([...p.configs].map(([k, v]) => [k, ordered(v, FILE_OBJECT_ORDER)])));
  for (const [k, v] of [...p.extensions].sort(([a], [b]) => byName(a, b))) doc.set(k, v);
  return doc;
}

/** `docker compose config`'s output. */
export function formatConfig(p: Project): string {
  return stringify(projectDocument(p), { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, nullStr: "null" });
}

/** `docker compose config --services`: the service names, one a line. */
export function formatServices(p: Project): string {
  return [...p.services.keys()].map((s) => `${s}\n`).join("");
}
