import { DrydockError, type Micros } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import { recordEvent, type HasEvents } from "../events.js";
import type { FilterArgs } from "./filters.js";
import type { Plugin, PluginPrivilege, PluginTable, VolumeTable } from "./state.js";

/**
 * The plugins drydock knows how to install: a small catalogue of Docker Hub's managed plugins,
 * each with its config.json (what `docker plugin inspect` shows and what the privileges are
 * computed from) and, for volume drivers, how it checks a volume's options.
 */
export interface CatalogPlugin {
  /** Familiar name without tag, e.g. "vieux/sshfs". */
  readonly repository: string;
  readonly tag: string;
  /** The plugin's config.json, with the field names of moby's api/types.PluginConfig. */
  readonly config: PluginConfigJson;
  /** The manifest digest and layer short ID `docker plugin install` prints. */
  readonly digest: string;
  readonly layer: string;
  /** Virtual time the pull takes. */
  readonly pullUs: Micros;
  /** VolumeDriver.Create: the plugin's own error text for bad options, or null. */
  validateVolume?(options: Readonly<Record<string, string>>): string | null;
  /** Where the plugin says a volume is mounted (inside its propagated mount). */
  volumePath?(name: string, options: Readonly<Record<string, string>>): string;
}

export interface PluginConfigJson {
  readonly Description: string;
  readonly Documentation: string;
  readonly Entrypoint: readonly string[];
  readonly Env: readonly { Description: string; Name: string; Settable: readonly string[] | null; Value: string }[];
  readonly Interface: { Socket: string; Types: readonly string[] };
  readonly Linux: { AllowAllDevices: boolean; Capabilities: readonly string[]; Devices: readonly { Description: string; Name: string; Path: string; Settable: readonly string[] | null }[] };
  readonly Mounts: readonly { Description: string; Destination: string; Name: string; Options: readonly string[]; Settable: readonly string[] | null; Source: string; Type: string }[];
  readonly Network: { Type: string };
  readonly PropagatedMount: string;
}

/**
 * vieux/sshfs, the course's example: config.json from github.com/vieux/docker-volume-sshfs; the
 * digest and layer as the course's slide shows the install. Its VolumeDriver.Create error is the
 * plugin's own, printf bug and all (vieux/docker-volume-sshfs issue #52 quotes it:
 * "create sshvolume: VolumeDriver.Create: 'sshcmd' option required%!(EXTRA []interface {}=[])").
 */
const SSHFS: CatalogPlugin = {
  repository: "vieux/sshfs",
  tag: "latest",
  digest: "sha256:d33ffa08df2a4fa87f83fded4ac3ac2e3a96d296c55aa1a0afce33fb2cc7b9b0",
  layer: "a23658ccfda2",
  pullUs: 1_800_000,
  config: {
    Description: "sshFS plugin for Docker",
    Documentation: "https://docs.docker.com/engine/extend/plugins/",
    Entrypoint: ["/docker-volume-sshfs"],
    Env: [{ Description: "", Name: "DEBUG", Settable: ["value"], Value: "0" }],
    Interface: { Socket: "sshfs.sock", Types: ["docker.volumedriver/1.0"] },
    Linux: { AllowAllDevices: false, Capabilities: ["CAP_SYS_ADMIN"], Devices: [{ Description: "", Name: "", Path: "/dev/fuse", Settable: null }] },
    Mounts: [{ Description: "", Destination: "/mnt/state", Name: "state", Options: ["rbind"], Settable: ["source"], Source: "/var/lib/docker/plugins/", Type: "bind" }],
    Network: { Type: "host" },
    PropagatedMount: "/mnt/volumes",
  },
  validateVolume(options) {
    if (!options["sshcmd"]) return "'sshcmd' option required%!(EXTRA []interface {}=[])";
    return null;
  },
  // The plugin names the directory by md5(sshcmd); a 32-hex digest of it stands in here.
  volumePath: (_name, options) => `/mnt/volumes/${sha256Digest(options["sshcmd"] ?? "").slice(7, 39)}`,
};

export const PLUGIN_CATALOGUE: ReadonlyMap<string, CatalogPlugin> = new Map([[`${SSHFS.repository}:${SSHFS.tag}`, SSHFS]]);

/** "vieux/sshfs" → "vieux/sshfs:latest"; "docker.io/vieux/sshfs:1" → "vieux/sshfs:1" (reference.FamiliarString(TagNameOnly)). */
export function pluginName(ref: string): string {
  let s = ref.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "").replace(/^library\//, "");
  const slash = s.lastIndexOf("/");
  if (s.lastIndexOf(":") <= slash && !s.includes("@")) s += ":latest";
  return s;
}

/** The canonical reference ("docker.io/vieux/sshfs:latest") of a familiar plugin name. */
export function pluginReference(name: string): string {
  const first = name.split("/")[0]!;
  const hasDomain = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return hasDomain ? name : `docker.io/${name.includes("/") ? name : `library/${name}`}`;
}

/** moby computePrivileges (plugin/backend_linux.go): what `docker plugin install` asks to be granted. */
export function pluginPrivileges(c: PluginConfigJson): PluginPrivilege[] {
  const out: PluginPrivilege[] = [];
  if (c.Network.Type !== "null" && c.Network.Type !== "bridge" && c.Network.Type !== "") {
    out.push({ name: "network", description: "permissions to access a network", value: [c.Network.Type] });
  }
  for (const m of c.Mounts) if (m.Source) out.push({ name: "mount", description: "host path to mount", value: [m.Source] });
  for (const d of c.Linux.Devices) if (d.Path) out.push({ name: "device", description: "host device to access", value: [d.Path] });
  if (c.Linux.AllowAllDevices) out.push({ name: "allow-all-devices", description: "allow 'rwm' access to all devices", value: ["true"] });
  if (c.Linux.Capabilities.length > 0) out.push({ name: "capabilities", description: "list of additional capabilities required", value: [...c.Linux.Capabilities] });
  return out;
}

export function catalogPlugin(nameOrRef: string): CatalogPlugin | undefined {
  return PLUGIN_CATALOGUE.get(pluginName(nameOrRef));
}

/** What the privileges request answers for a remote reference, or Docker's error when no registry has it. */
export function lookupRemotePlugin(remote: string): CatalogPlugin {
  const p = catalogPlugin(remote);
  if (!p) {
    // containerd's resolver under the plugin manager (Docker ≥ 23), e.g. splunk/docker-logging-plugin#78.
    throw new DrydockError("EPLUGINPULL", "error resolving plugin reference: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed");
  }
  return p;
}

/** moby plugin store resolvePluginID: a full ID, a name (with or without its tag), or a unique ID prefix. */
export function findPlugin(plugins: PluginTable, refOrId: string): Plugin {
  if (/^[a-f0-9]{64}$/.test(refOrId)) {
    for (const p of plugins.values()) if (p.id === refOrId) return p;
  }
  if (!refOrId.includes("@")) {
    const byName = plugins.get(pluginName(refOrId));
    if (byName) return byName;
  }
  let found: Plugin | undefined;
  for (const p of plugins.values()) {
    if (refOrId !== "" && p.id.startsWith(refOrId)) {
      if (found) throw new DrydockError("EPLUGINAMBIGUOUS", `multiple plugins found for "${refOrId}"`);
      found = p;
    }
  }
  if (!found) throw new DrydockError("EPLUGINNOTFOUND", `plugin "${refOrId}" not found`);
  return found;
}

/** A plugin's references: the volumes whose driver it is (moby counts a reference per volume). */
export function pluginRefCount(volumes: VolumeTable, p: Plugin): number {
  let n = 0;
  for (const v of volumes.values()) if (v.driver === p.name) n++;
  return n;
}

interface PluginEngine extends HasEvents {
  readonly plugins: PluginTable;
  readonly volumes: VolumeTable;
}

/** The plugin a `docker plugin install` would create (deterministic ID from the name and digest). */
export function newPlugin(cat: CatalogPlugin, alias: string | undefined, env: readonly string[], enabled: boolean, now: Micros): Plugin {
  const name = alias !== undefined ? pluginName(alias) : `${cat.repository}:${cat.tag}`;
  const defaults = cat.config.Env.map((e) => `${e.Name}=${e.Value}`);
  const set = new Map(defaults.map((kv) => [kv.slice(0, kv.indexOf("=")), kv]));
  for (const kv of env) set.set(kv.slice(0, kv.indexOf("=")), kv);
  return {
    id: sha256Digest(`plugin\0${name}\0${cat.digest}`).slice(7),
    name, reference: pluginReference(`${cat.repository}:${cat.tag}`), enabled, env: [...set.values()], installedAt: now,
  };
}

/**
 * `POST /plugins/pull` then enable: the engine with the plugin installed, and its events (pull,
 * then enable unless disabled). `remote` is the reference as typed. Throws moby's "plugin … already exists" when the name is taken.
 */
export function installPlugin<E extends PluginEngine>(engine: E, p: Plugin, remote: string, now: Micros): E {
  if (engine.plugins.has(p.name)) throw new DrydockError("EPLUGINEXISTS", `plugin ${p.name} already exists`);
  let e = { ...engine, plugins: new Map([...engine.plugins, [p.name, p]]) } as E;
  // moby logs the pull with the remote's familiar name as the actor, the local name as "name".
  e = recordEvent(e, now, "plugin", "pull", remote.replace(/^(docker\.io|index\.docker\.io)\//, ""), { name: p.name });
  if (p.enabled) e = recordEvent(e, now, "plugin", "enable", p.id, { name: p.name });
  return e;
}

function setPlugin<E extends PluginEngine>(engine: E, p: Plugin): E {
  return { ...engine, plugins: new Map([...engine.plugins].map(([k, v]) => [k, v.id === p.id ? p : v])) } as E;
}

/** `docker plugin enable`: moby's "plugin already enabled: plugin x is enabled" when it is. */
export function enablePlugin<E extends PluginEngine>(engine: E, refOrId: string, now: Micros): E {
  const p = findPlugin(engine.plugins, refOrId);
  if (p.enabled) throw new DrydockError("EPLUGINENABLED", `plugin already enabled: plugin ${p.name} is enabled`);
  return recordEvent(setPlugin(engine, { ...p, enabled: true }), now, "plugin", "enable", p.id, { name: refOrId });
}

/** `docker plugin disable`: refused while volumes use it (unless forced), as moby's inUseError. */
export function disablePlugin<E extends PluginEngine>(engine: E, refOrId: string, force: boolean, now: Micros): E {
  const p = findPlugin(engine.plugins, refOrId);
  if (!force && pluginRefCount(engine.volumes, p) > 0) throw new DrydockError("EPLUGININUSE", `plugin ${p.name} is in use`);
  if (!p.enabled) throw new DrydockError("EPLUGINDISABLED", `plugin is already disabled: plugin ${p.name} found but disabled`);
  return recordEvent(setPlugin(engine, { ...p, enabled: false }), now, "plugin", "disable", p.id, { name: refOrId });
}

/**
 * `docker plugin set` (moby plugin/v2 Plugin.Set): refused on an enabled plugin, then each
 * KEY=VALUE as `docker plugin install`'s settings are applied (applyPluginSettings). No event.
 */
export function setPluginSettings<E extends PluginEngine>(engine: E, refOrId: string, args: readonly string[]): E {
  const p = findPlugin(engine.plugins, refOrId);
  if (p.enabled) throw new DrydockError("EPLUGINSET", "cannot set on an active plugin, disable plugin before setting");
  const cat = catalogPlugin(p.reference);
  if (!cat) return engine;
  return setPlugin(engine, { ...p, env: applyPluginSettings(cat, p.env, args) });
}

/** `docker plugin rm`: refused while in use or enabled, unless forced (moby Manager.Remove). */
export function removePlugin<E extends PluginEngine>(engine: E, refOrId: string, force: boolean, now: Micros): E {
  const p = findPlugin(engine.plugins, refOrId);
  if (!force) {
    if (pluginRefCount(engine.volumes, p) > 0) throw new DrydockError("EPLUGININUSE", `plugin ${p.name} is in use`);
    if (p.enabled) throw new DrydockError("EPLUGINENABLED", `plugin ${p.name} is enabled`);
  }
  let e = p.enabled ? recordEvent(engine, now, "plugin", "disable", p.id, { name: refOrId }) : engine;
  e = { ...e, plugins: new Map([...e.plugins].filter(([, v]) => v.id !== p.id)) } as E;
  return recordEvent(e, now, "plugin", "remove", p.id, { name: refOrId });
}

/** `docker plugin inspect`'s object (moby api/types.Plugin, fields in the API's order). */
export function inspectPlugin(p: Plugin): Record<string, unknown> {
  const cat = catalogPlugin(p.reference);
  const c = cat?.config;
  const config = c
    ? {
        Args: { Description: "", Name: "", Settable: null, Value: null },
        Description: c.Description,
        Documentation: c.Documentation,
        Entrypoint: c.Entrypoint,
        Env: c.Env,
        Interface: { Socket: c.Interface.Socket, Types: c.Interface.Types },
        IpcHost: false,
        Linux: c.Linux,
        Mounts: c.Mounts,
        Network: c.Network,
        PidHost: false,
        PropagatedMount: c.PropagatedMount,
        User: {},
        WorkDir: "",
        rootfs: { diff_ids: [sha256Digest(`layer\0${cat.layer}`)], type: "layers" },
      }
    : {};
  return {
    Config: config,
    Enabled: p.enabled,
    Id: p.id,
    Name: p.name,
    PluginReference: p.reference,
    Settings: {
      Args: [],
      Devices: c ? c.Linux.Devices.map((d) => ({ ...d })) : [],
      Env: p.env,
      Mounts: c ? c.Mounts.map((m) => ({ ...m })) : [],
    },
  };
}

/** moby's acceptedPluginFilterTags. */
export const PLUGIN_LIST_FILTERS = ["enabled", "capability"] as const;

/** The capabilities a plugin implements ("docker.volumedriver/1.0" → "volumedriver"), from its config. */
export function pluginCapabilities(p: Plugin): string[] {
  const types = catalogPlugin(p.reference)?.config.Interface.Types ?? [];
  return types.map((t) => t.replace(/^docker\./, "").replace(/\/.*$/, ""));
}

/**
 * `GET /plugins` (moby plugin Manager.List): `enabled=true|false` keeps the enabled or the
 * disabled ones ("invalid filter 'enabled=[x]'" otherwise), `capability` must match every type
 * the plugin implements; other names are "invalid filter 'x'". In the store's order.
 */
export function listPlugins(plugins: PluginTable, filters: FilterArgs): Plugin[] {
  filters.validate(PLUGIN_LIST_FILTERS);
  const enabled = filters.has("enabled") ? filters.boolOrDefault("enabled", false) : undefined;
  return [...plugins.values()].filter((p) =>
    (enabled === undefined || p.enabled === enabled)
    && (!filters.has("capability") || pluginCapabilities(p).every((c) => filters.match("capability", c))));
}

/**
 * moby plugin/v2 Plugin.Set for `docker plugin install NAME KEY=VALUE…` (and `plugin set`): each
 * argument is NAME[.FIELD][=VALUE]; an env variable of the config must be settable ("value"), a
 * mount's "source" and a device's "path" likewise; anything else is "setting "X" not found in
 * the plugin configuration". Returns the plugin's env after the settings.
 */
export function applyPluginSettings(cat: CatalogPlugin, env: readonly string[], args: readonly string[]): string[] {
  const out = [...env];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq === 0) throw new DrydockError("EPLUGINSET", "invalid format, must be <name>[.<field>][=<value>]");
    let name = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? "" : arg.slice(eq + 1);
    let field = "";
    const dot = name.lastIndexOf(".");
    if (dot > 0) {
      field = name.slice(dot + 1);
      name = name.slice(0, dot);
    }
    const pretty = field !== "" ? `${name}.${field}` : name;
    const settable = (allowed: string, list: readonly string[] | null): void => {
      const options = list ?? [];
      let f = field;
      if (f === "") {
        if (options.length === 1) f = options[0]!;
        else if (options.length > 1) throw new DrydockError("EPLUGINSET", "multiple fields are settable, one must be specified");
      }
      if (f !== allowed || !options.includes(f)) throw new DrydockError("EPLUGINSET", `"${pretty}" is not settable`);
    };
    const envDef = cat.config.Env.find((e) => e.Name === name);
    if (envDef) {
      settable("value", envDef.Settable);
      const i = out.findIndex((kv) => kv.slice(0, kv.indexOf("=")) === name);
      if (i >= 0) out[i] = `${name}=${value}`;
      else out.push(`${name}=${value}`);
      continue;
    }
    const mount = cat.config.Mounts.find((m) => m.Name === name);
    if (mount) {
      settable("source", mount.Settable);
      continue;
    }
    const device = cat.config.Linux.Devices.find((d) => d.Name === name && name !== "");
    if (device) {
      settable("path", device.Settable);
      continue;
    }
    throw new DrydockError("EPLUGINSET", `setting "${name}" not found in the plugin configuration`);
  }
  return out;
}
