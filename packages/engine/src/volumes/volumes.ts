import { DrydockError, type Micros } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import { recordEvent, type HasEvents } from "../events.js";
import { emptyDir, readFile, readdir, writeFile, type FsDir, type FsError, type FsNode } from "../fs/index.js";
import { CowMap } from "../util/cow-map.js";
import { FilterArgs } from "./filters.js";
import { isEmptyDir, treeSize, volumeWriteCostUs } from "./fs.js";
import { catalogPlugin, findPlugin } from "./plugins.js";
import { formatRfc3339 } from "./time.js";
import type { Plugin, PluginTable, Volume, VolumeTable } from "./state.js";

/** The part of the engine's state volumes live in (EngineState has these fields). */
export interface VolumeEngine extends HasEvents {
  readonly volumes: VolumeTable;
  readonly plugins: PluginTable;
  /** The containers, read only for the volumes they mount (see volumeUsers). */
  readonly containers: ReadonlyMap<string, unknown>;
}

/** What volumes read of a container: its ID and its mounts (containers/types.ts Container has both). */
interface MountingContainer {
  readonly id: string;
  readonly mounts: readonly { readonly type: string; readonly source: string }[];
}

const mounting = (c: unknown): c is MountingContainer =>
  typeof c === "object" && c !== null && typeof (c as MountingContainer).id === "string" && Array.isArray((c as MountingContainer).mounts);

/**
 * The full IDs of the containers (in any state) that mount a volume, sorted: moby's volume store
 * references, read from the one place they are defined, the containers' mounts. A volume with
 * users is "in use": `docker volume rm` refuses it and prune skips it.
 */
export function volumeUsers(engine: VolumeEngine, name: string): string[] {
  const out: string[] = [];
  for (const c of engine.containers.values()) {
    if (mounting(c) && c.mounts.some((m) => m.type === "volume" && m.source === name)) out.push(c.id);
  }
  return out.sort();
}

/** Every volume name some container mounts, with how many containers do (df's LINKS, ls's dangling filter). */
export function volumeLinks(engine: VolumeEngine): Map<string, number> {
  const links = new Map<string, number>();
  for (const c of engine.containers.values()) {
    if (!mounting(c)) continue;
    for (const name of new Set(c.mounts.filter((m) => m.type === "volume").map((m) => m.source))) links.set(name, (links.get(name) ?? 0) + 1);
  }
  return links;
}

export const LOCAL_DRIVER = "local";
/** moby volume/service.AnonymousLabel: set on every volume created without a name. */
export const ANONYMOUS_LABEL = "com.docker.volume.anonymous";
export const VOLUMES_ROOT = "/var/lib/docker/volumes";
/** daemon/names.RestrictedNameChars: what a local volume's (and a container's) name may hold. */
export const RESTRICTED_NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A daemon error about a volume, in moby's words (the CLI prints "Error response from daemon: " before it). */
export class VolumeError extends DrydockError {}

const opErr = (op: string, name: string, message: string, code = "EVOLUME") => new VolumeError(code, `${op}${name ? ` ${name}` : ""}: ${message}`);

export function localMountpoint(name: string): string {
  return `${VOLUMES_ROOT}/${name}/_data`;
}

export function getVolume(engine: VolumeEngine, name: string): Volume | undefined {
  return engine.volumes.get(name);
}

/** moby's "get NAME: no such volume" (what `docker volume rm/inspect` of an unknown name answer). */
export function requireVolume(engine: VolumeEngine, name: string): Volume {
  const v = engine.volumes.get(name);
  if (!v) throw opErr("get", name, "no such volume", "ENOVOLUME");
  return v;
}

/**
 * A new anonymous volume's name: 64 hex (moby uses stringid.GenerateRandomID). Derived from what
 * asks for it and the table's size, so a replay draws the same names; never one in use.
 */
export function anonymousVolumeName(engine: VolumeEngine, salt: string): string {
  for (let i = engine.volumes.size; ; i++) {
    const name = sha256Digest(`volume\0${salt}\0${i}`).slice(7);
    if (!engine.volumes.has(name)) return name;
  }
}

/** The volume driver a name picks: the local driver or an installed, enabled volume plugin. */
function driverFor(engine: VolumeEngine, driver: string): { name: string; plugin: Plugin | null } {
  if (driver === "" || driver === LOCAL_DRIVER) return { name: LOCAL_DRIVER, plugin: null };
  let p: Plugin;
  try {
    p = findPlugin(engine.plugins, driver);
  } catch {
    // moby volume/drivers: the managed store, then the legacy plugin sockets; neither has it.
    throw new DrydockError("EDRIVER", `error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  }
  if (!p.enabled) throw new DrydockError("EDRIVER", `error looking up volume plugin ${driver}: plugin ${driver} found but disabled`);
  return { name: p.name, plugin: p };
}

/** moby volume/local: the options the local driver accepts and the ones that need each other. */
function validateLocalOptions(opts: Readonly<Record<string, string>>): string | null {
  const valid = ["type", "o", "device", "size"];
  for (const k of Object.keys(opts)) if (!valid.includes(k)) return `invalid option: "${k}"`;
  if (Object.hasOwn(opts, "size")) return "quota size requested but no quota support";
  const mandatory: [string, string[]][] = [["device", ["type"]], ["type", ["device"]], ["o", ["device", "type"]]];
  for (const [opt, reqs] of mandatory) {
    if (!Object.hasOwn(opts, opt)) continue;
    for (const r of reqs) if (!Object.hasOwn(opts, r)) return `missing required option: "${r}"`;
  }
  return null;
}

export interface CreateVolumeRequest {
  /** "" for an anonymous volume (a 64-hex name is drawn). */
  readonly name: string;
  /** A volume without a user-given name whose name the caller drew (anonymousVolumeName). */
  readonly anonymous?: boolean;
  /** "" picks the volume's existing driver or "local". */
  readonly driver?: string;
  /** null when the caller sent none (a volume created by `docker run -v name:/x`); {} from `docker volume create`. */
  readonly options?: Readonly<Record<string, string>> | null;
  readonly labels?: Readonly<Record<string, string>> | null;
  /** What an anonymous name is drawn from (a container ID and mount path); default the time. */
  readonly salt?: string;
  readonly now: Micros;
}

/**
 * `POST /volumes/create` (moby VolumesService.Create → VolumeStore.create): an existing volume of
 * that name is returned as it is unless the driver differs; a new one
 * is validated by its driver, stored, and logged ("volume create" with its driver).
 */
export function createVolume<E extends VolumeEngine>(engine: E, req: CreateVolumeRequest): { engine: E; volume: Volume; created: boolean } {
  const anonymous = req.name === "" || req.anonymous === true;
  const name = req.name === "" ? anonymousVolumeName(engine, req.salt ?? `t${req.now}`) : req.name;
  const requested = req.driver ?? "";
  const existing = engine.volumes.get(name);
  if (existing) {
    if (requested !== "") {
      const d = driverFor(engine, requested);
      if (d.name !== existing.driver) {
        throw opErr("create", name, `driver '${existing.driver}' already has volume '${name}': volume name must be unique`, "EVOLUMECONFLICT");
      }
    }
    return { engine, volume: existing, created: false };
  }
  let d: { name: string; plugin: Plugin | null };
  try {
    d = driverFor(engine, requested);
  } catch (e) {
    throw opErr("create", name, (e as Error).message, "EDRIVER");
  }
  const options = req.options === undefined ? null : req.options;
  let mountpoint = localMountpoint(name);
  if (d.plugin) {
    const cat = catalogPlugin(d.plugin.reference);
    const problem = cat?.validateVolume?.(options ?? {}) ?? null;
    if (problem !== null) throw opErr("create", name, `VolumeDriver.Create: ${problem}`, "EVOLUMEDRIVER");
    const inner = cat?.volumePath?.(name, options ?? {}) ?? `/mnt/volumes/${name}`;
    const prop = cat?.config.PropagatedMount ?? "/mnt/volumes";
    mountpoint = `/var/lib/docker/plugins/${d.plugin.id}/propagated-mount${inner.startsWith(prop) ? inner.slice(prop.length) : inner}`;
  } else {
    if (name.length === 1) throw opErr("create", name, "volume name is too short, names should be at least two alphanumeric characters", "EVOLUMENAME");
    if (!NAME.test(name)) {
      throw opErr("create", name, `"${name}" includes invalid characters for a local volume name, only "${RESTRICTED_NAME_CHARS}" are allowed. If you intended to pass a host directory, use absolute path`, "EVOLUMENAME");
    }
    const problem = validateLocalOptions(options ?? {});
    if (problem !== null) throw opErr("create", name, problem, "EVOLUMEOPT");
  }
  const labels = anonymous ? { ...(req.labels ?? {}), [ANONYMOUS_LABEL]: "" } : req.labels === undefined ? null : req.labels;
  const volume: Volume = {
    name, driver: d.name, mountpoint, createdAt: req.now, labels, options, scope: "local", anonymous, data: emptyDir(req.now),
  };
  const next = recordEvent(setVolume(engine, volume), req.now, "volume", "create", name, { driver: d.name });
  return { engine: next, volume, created: true };
}

/** A copy of the table that shares its contents (util/cow-map.ts), for one change. */
function forkTable(t: VolumeTable): CowMap<string, Volume> {
  return t instanceof CowMap ? (t as CowMap<string, Volume>).fork() : new CowMap(t);
}

/** The engine with one volume replaced (or added); the table keeps its order. */
export function setVolume<E extends VolumeEngine>(engine: E, v: Volume): E {
  const volumes = forkTable(engine.volumes);
  volumes.set(v.name, v);
  return { ...engine, volumes };
}

/**
 * `DELETE /volumes/{name}`: "get NAME: no such volume" (nothing with force), "remove NAME: volume
 * is in use - [IDs]" while a container references it (force does not override that), else the
 * volume and its content are gone ("volume destroy").
 */
export function removeVolume<E extends VolumeEngine>(engine: E, name: string, opts: { force?: boolean; now: Micros }): E {
  const v = engine.volumes.get(name);
  if (!v) {
    if (opts.force) return engine;
    throw opErr("get", name, "no such volume", "ENOVOLUME");
  }
  const users = volumeUsers(engine, name);
  if (users.length > 0) throw new VolumeError("EVOLUMEINUSE", `remove ${name}: volume is in use - [${users.join(", ")}]`);
  const volumes = forkTable(engine.volumes);
  volumes.delete(name);
  return recordEvent({ ...engine, volumes }, opts.now, "volume", "destroy", name, { driver: v.driver });
}

/** `docker volume inspect`'s object, in the API's field order (moby api/types/volume.Volume). */
export function inspectVolume(v: Volume, opts: { usage?: { refCount: number } } = {}): Record<string, unknown> {
  return {
    CreatedAt: formatRfc3339(v.createdAt),
    Driver: v.driver,
    Labels: v.labels,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: v.options,
    Scope: v.scope,
    ...(opts.usage ? { UsageData: { RefCount: opts.usage.refCount, Size: v.driver === LOCAL_DRIVER ? treeSize(v.data) : -1 } } : {}),
  };
}

/** The filters `docker volume ls` accepts (moby acceptedListFilters). */
export const VOLUME_LIST_FILTERS = ["dangling", "name", "driver", "label"] as const;

/** moby byLabelFilter: every `label` holds, and not every `label!` does. */
function byLabels(f: FilterArgs, v: Volume): boolean {
  return f.matchKVList("label", v.labels) && !(f.has("label!") && f.matchKVList("label!", v.labels));
}

/**
 * moby filtersToBy: driver (exact: a plugin's volumes have the driver "vieux/sshfs:latest", so
 * `driver=vieux/sshfs` matches none of them, as in Docker), name (a regular expression, or
 * exact), label/label!, dangling.
 */
function volumeFilter(f: FilterArgs, links: ReadonlyMap<string, number>): (v: Volume) => boolean {
  const dangling = f.has("dangling") ? f.boolOrDefault("dangling", false) : undefined;
  const used = (v: Volume) => (links.get(v.name) ?? 0) > 0;
  const drivers = f.get("driver");
  return (v) =>
    (drivers.length === 0 || drivers.includes(v.driver))
    && f.match("name", v.name)
    && byLabels(f, v)
    && (dangling === undefined || dangling !== used(v));
}

/** `GET /volumes`: the volumes the filters admit (validated: "invalid filter 'x'"), in natural name order. */
export function listVolumes(engine: VolumeEngine, filters: FilterArgs): Volume[] {
  filters.validate(VOLUME_LIST_FILTERS);
  const keep = volumeFilter(filters, volumeLinks(engine));
  return [...engine.volumes.values()].filter(keep).sort((a, b) => naturalLess(a.name, b.name));
}

/** fvbommel/sortorder.NaturalLess: digit runs compare as numbers ("volume-2" before "volume-10"). */
export function naturalLess(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, "");
      const ny = y.replace(/^0+/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

export interface PruneResult<E> {
  readonly engine: E;
  readonly deleted: readonly string[];
  readonly reclaimedBytes: number;
}

/**
 * `POST /volumes/prune` (moby VolumesService.Prune): local volumes without options that no
 * container references; only anonymous ones unless the filter has all=true (Docker ≥ 23);
 * `label`/`label!` filters; "volume prune" event with the bytes reclaimed.
 */
export function pruneVolumes<E extends VolumeEngine>(engine: E, filters: FilterArgs, now: Micros): PruneResult<E> {
  // withPrune reads `all` before filtersToBy validates the names, so its errors come first.
  const all = filters.get("all");
  if (all.length > 1) throw new DrydockError("EFILTER", `invalid filter 'all=[${all.join(" ")}]': only one value is expected`);
  let everything = false;
  if (all.length === 1) {
    const b = parseGoBool(all[0]!);
    if (b === undefined) throw new DrydockError("EFILTER", `invalid filter 'all': strconv.ParseBool: parsing "${all[0]}": invalid syntax`);
    everything = b;
  }
  filters.validate(["label", "label!", "all"]);
  const f = filters.clone();
  if (!everything) f.add("label", ANONYMOUS_LABEL);
  const match = (v: Volume) => byLabels(f, v);
  let e = engine;
  const deleted: string[] = [];
  let reclaimed = 0;
  const links = volumeLinks(engine);
  for (const v of engine.volumes.values()) {
    if (v.driver !== LOCAL_DRIVER || links.has(v.name) || (v.options !== null && Object.keys(v.options).length > 0) || !match(v)) continue;
    reclaimed += treeSize(v.data);
    e = removeVolume(e, v.name, { now });
    deleted.push(v.name);
  }
  e = recordEvent(e, now, "volume", "prune", "", { reclaimed: String(reclaimed) });
  return { engine: e, deleted, reclaimedBytes: reclaimed };
}

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

// ---- content: what containers read and write through a mount ----

/** A volume's content, or undefined when there is no such volume. */
export function volumeData(engine: VolumeEngine, name: string): FsDir | undefined {
  return engine.volumes.get(name)?.data;
}

/** The engine with a volume's content replaced (what a container wrote through its mount). */
export function withVolumeData<E extends VolumeEngine>(engine: E, name: string, data: FsDir): E {
  const v = requireVolume(engine, name);
  return v.data === data ? engine : setVolume(engine, { ...v, data });
}

/**
 * A volume as a container's mount needs it (moby: volume create with the container's reference,
 * then populateVolume): created when missing (a named volume by `docker run -v name:/x`, an
 * anonymous one by `-v /x` or the image's VOLUME; "volume create" logged), then, when it is
 * empty and `copyFrom` is the image's directory at the mount path, filled with that directory
 * (its files, owner and mode): Docker's copy-up, done only into an empty volume and never with
 * `nocopy` (the caller passes undefined then). A volume with anything in it is left alone, so a
 * container sees what earlier ones wrote.
 */
export function ensureVolume<E extends VolumeEngine>(
  engine: E, name: string, init: { readonly now: Micros; readonly anonymous: boolean; readonly copyFrom: FsNode | undefined; readonly driver?: string },
): E {
  let e = engine;
  if (!e.volumes.has(name) || init.driver !== undefined) {
    e = createVolume(e, { name, anonymous: init.anonymous, now: init.now, ...(init.driver !== undefined ? { driver: init.driver } : {}) }).engine;
  }
  const v = requireVolume(e, name);
  if (init.copyFrom?.kind === "dir" && isEmptyDir(v.data)) e = setVolume(e, { ...v, data: init.copyFrom });
  return e;
}

/** Throws the fs module's errno as a DrydockError (ENOENT, EISDIR, …) with the path. */
function fsFail(error: FsError, path: string): never {
  throw new DrydockError(error, `${path}: ${error}`);
}

/** One file's text in a volume, or undefined (no such volume, no such file, not a file). */
export function readVolumeFile(engine: VolumeEngine, name: string, path: string): string | undefined {
  const data = volumeData(engine, name);
  if (!data) return undefined;
  const r = readFile(data, path);
  return r.ok ? r.value : undefined;
}

/** Writes one file in a volume (its directory must exist); returns the engine and the write's virtual cost. */
export function writeVolumeFile<E extends VolumeEngine>(
  engine: E, name: string, path: string, text: string, opts: { readonly now: Micros; readonly append?: boolean },
): { engine: E; costUs: number } {
  const v = requireVolume(engine, name);
  const r = writeFile(v.data, path, text, opts.now, { append: opts.append === true });
  if (!r.ok) fsFail(r.error, path);
  return { engine: setVolume(engine, { ...v, data: r.value }), costUs: volumeWriteCostUs(utf8Bytes(text)) };
}

/** The names in one directory of a volume, sorted ([] when it is not a directory). */
export function listVolumeDir(engine: VolumeEngine, name: string, path: string): string[] {
  const data = volumeData(engine, name);
  if (!data) return [];
  const r = readdir(data, path);
  return r.ok ? [...r.value].sort() : [];
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Disk usage of local volumes, as `docker system df` counts them (moby LocalVolumesSize skips volumes with options). */
export function localVolumesUsage(engine: VolumeEngine): { volume: Volume; size: number; links: number }[] {
  const links = volumeLinks(engine);
  return [...engine.volumes.values()]
    .filter((v) => v.driver === LOCAL_DRIVER && (v.options === null || Object.keys(v.options).length === 0))
    .map((v) => ({ volume: v, size: treeSize(v.data), links: links.get(v.name) ?? 0 }));
}
