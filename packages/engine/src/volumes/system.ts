import { DrydockError, type Micros } from "@drydock/kernel";
import { ImageStore, sha256Digest, type CacheRecord, type ImageStoreSnapshot, type Layer } from "@drydock/image";
import { recordEvent, type HasEvents } from "../events.js";
import type { FilterArgs } from "./filters.js";
import { parseGoDuration, parseTimestamp } from "./time.js";

// The engine side of `docker system df/prune` and the per-kind prunes that are not the volumes'
// (images and the build cache). Containers are the containers side's: what these need of them is
// ContainerUsage, which that side lists (see README.md).

/** What the system commands need to know of one container. */
export interface ContainerUsage {
  /** 64 hex. */
  readonly id: string;
  /** The image ID (sha256:…) it was created from. */
  readonly imageId: string;
  /** The image as the user named it ("alpine:3.5"). */
  readonly image: string;
  readonly names: readonly string[];
  readonly command: string;
  /** Docker's State: created, running, paused, restarting, removing, exited, dead. */
  readonly state: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  /** The Status column ("Up 3 seconds", "Exited (0) 5 seconds ago"). */
  readonly status: string;
  readonly createdAt: Micros;
  /** Bytes in its writable layer. */
  readonly sizeRw: number;
  /** Volume mounts (for df -v's LOCAL VOLUMES). */
  readonly localVolumes: number;
  readonly labels: Readonly<Record<string, string>>;
}

interface ImageEngine extends HasEvents {
  readonly images: ImageStoreSnapshot;
}

/** The filters `docker image prune` accepts (moby imagesAcceptedFilters). */
const IMAGE_PRUNE_FILTERS = ["dangling", "label", "label!", "until"];

/** moby getUntilFromPruneFilters: one `until` value, read as `docker events --since` reads a time. */
export function untilFilter(f: FilterArgs, now: Micros): Micros | undefined {
  if (!f.has("until")) return undefined;
  const values = f.get("until");
  if (values.length > 1) throw new DrydockError("EFILTER", "more than one until filter specified");
  return parseTimestamp(values[0]!, now);
}

function labelsMatch(f: FilterArgs, labels: Readonly<Record<string, string>>): boolean {
  return f.matchKVList("label", labels) && !(f.has("label!") && f.matchKVList("label!", labels));
}

export interface ImagePruneResult<E> {
  readonly engine: E;
  /** The report's lines in order: ["untagged", "alpine:latest"], ["deleted", "sha256:…"]. */
  readonly deleted: readonly (readonly ["untagged" | "deleted", string])[];
  readonly reclaimedBytes: number;
}

/**
 * `POST /images/prune` (moby daemon/images ImagesPrune): the CLI sends dangling=true unless -a.
 * Dangling: images with no tag (and no child image); with -a every image no container uses. Each
 * goes through image delete (untag each reference, then delete the image and the layers nothing
 * else holds); `until` and `label` filters; "image untag/delete/prune" events.
 */
export function pruneImages<E extends ImageEngine>(
  engine: E, filters: FilterArgs, opts: { imagesInUse: ReadonlySet<string>; now: Micros },
): ImagePruneResult<E> {
  filters.validate(IMAGE_PRUNE_FILTERS);
  const danglingOnly = filters.boolOrDefault("dangling", true);
  const until = untilFilter(filters, opts.now);
  const store = ImageStore.fromSnapshot(engine.images);
  const children = new Set<string>();
  for (const img of store.allImages()) if (img.parent) children.add(img.parent);
  const candidates = store.allImages()
    .filter((img) => (!danglingOnly || store.tagsOf(img.id).length === 0))
    .filter((img) => !(store.tagsOf(img.id).length === 0 && children.has(img.id)))
    .filter((img) => until === undefined || img.created <= until)
    .filter((img) => labelsMatch(filters, img.config.labels))
    .sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
  const layersBefore = new Map([...engine.images.layers].map(([d, l]) => [d, l.size]));
  const deleted: ["untagged" | "deleted", string][] = [];
  let e: E = engine;
  for (const img of candidates) {
    if (opts.imagesInUse.has(img.id)) continue; // ImageDelete's conflict: skipped, as moby does
    const refs = store.tagsOf(img.id).map((t) => t.familiar);
    const names = refs.length > 0 ? refs : [img.id];
    for (const name of names) {
      for (const line of store.remove(name, {})) {
        const [kind, what] = line.startsWith("Untagged: ") ? ["untagged", line.slice(10)] as const : ["deleted", line.slice(9)] as const;
        deleted.push([kind, what]);
        e = recordEvent(e, opts.now, "image", kind === "untagged" ? "untag" : "delete", kind === "untagged" ? img.id : what, { name: kind === "untagged" ? what : img.id });
      }
    }
  }
  const after = store.snapshot();
  let reclaimed = 0;
  for (const [d, size] of layersBefore) {
    if (after.layers.has(d)) continue;
    reclaimed += size;
    if (deleted.length > 0) deleted.push(["deleted", d]);
  }
  e = recordEvent({ ...e, images: after }, opts.now, "image", "prune", "", { reclaimed: String(reclaimed) });
  return { engine: e, deleted, reclaimedBytes: reclaimed };
}

/** A build-cache record as BuildKit's du/prune report it. */
export interface BuildCacheEntry {
  /** 25 characters, as BuildKit's record IDs. */
  readonly id: string;
  readonly key: string;
  /** "regular" for a step's layer, "internal" for a step with no filesystem change. */
  readonly type: "regular" | "internal";
  readonly description: string;
  readonly size: number;
  /** An image uses the same layer (its space is the image's). */
  readonly shared: boolean;
  readonly createdAt: Micros;
  readonly lastUsedAt: Micros;
  readonly usageCount: number;
}

const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A BuildKit-looking record ID (25 base-36 characters) from the record's cache key. */
export function cacheRecordId(key: string): string {
  const hex = sha256Digest(`cache\0${key}`).slice(7);
  let out = "";
  for (let i = 0; i < 25; i++) out += BASE36[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 36];
  return out;
}

/** The build cache's records as `docker system df -v` and `docker builder prune` list them, oldest use first. */
export function buildCacheEntries(images: ImageStoreSnapshot): BuildCacheEntry[] {
  const imageLayers = new Set<string>();
  for (const img of images.images.values()) for (const d of img.layers) imageLayers.add(d);
  const out: BuildCacheEntry[] = [];
  for (const r of images.cache.values()) out.push(entryOf(r, images, imageLayers));
  return out.sort((a, b) => a.lastUsedAt - b.lastUsedAt || (a.id < b.id ? -1 : 1));
}

function entryOf(r: CacheRecord, images: ImageStoreSnapshot, imageLayers: ReadonlySet<string>): BuildCacheEntry {
  const layer = r.layer !== null ? images.layers.get(r.layer) : undefined;
  return {
    id: cacheRecordId(r.key), key: r.key, type: r.layer !== null ? "regular" : "internal", description: r.description,
    size: layer?.size ?? 0, shared: r.layer !== null && imageLayers.has(r.layer), createdAt: r.history.created,
    lastUsedAt: r.history.created, usageCount: 1,
  };
}

export interface BuildCachePruneResult<E> {
  readonly engine: E;
  readonly deleted: readonly BuildCacheEntry[];
  /** Bytes freed: the deleted records' layers that no image and no remaining record holds. */
  readonly reclaimedBytes: number;
}

/** What a build-cache prune keeps and takes, once its filters are read. */
interface CachePruneInfo {
  /** Records used within this long before now stay (BuildKit's KeepDuration); 0 keeps none for age. */
  readonly keepUs: Micros;
  /** BuildKit's filter over the record's fields (id, type, description, shared, inuse, …). */
  readonly match: (x: BuildCacheEntry) => boolean;
}

/** A record's fields as BuildKit's prune filter sees them (containerd filter syntax over UsageInfo). */
function cacheField(x: BuildCacheEntry, field: string): string | undefined {
  switch (field) {
    case "id": return x.id;
    case "type": return x.type;
    case "description": return x.description;
    case "shared": return String(x.shared);
    case "inuse": return "false";
    case "mutable": return "false";
    case "immutable": return "true";
    case "private": return String(!x.shared);
    default: return undefined;
  }
}

/** containerd filters: `f==v` equal, `f!=v` not equal, `f~=re` matches, `f` present; a missing field matches nothing. */
function cacheFilter(parts: readonly string[]): (x: BuildCacheEntry) => boolean {
  const tests = parts.map((part) => {
    const m = /^([a-z!]+?)(==|!=|~=)?(.*)$/.exec(part);
    const field = m?.[1] ?? part;
    const op = m?.[2];
    const value = m?.[3] ?? "";
    return (x: BuildCacheEntry): boolean => {
      const v = cacheField(x, field);
      if (v === undefined) return false;
      if (op === "==") return v === value;
      if (op === "!=") return v !== value;
      if (op === "~=") {
        try {
          return new RegExp(value).test(v);
        } catch {
          return false;
        }
      }
      return true;
    };
  });
  return (x) => tests.every((t) => t(x));
}

/**
 * The daemon's reading of `POST /build/prune`'s filters (moby builder-next toBuildkitPruneInfo),
 * what `docker system prune` and the classic `docker builder prune` send: `until` (or the older
 * `unused-for`) is a duration or a timestamp (api/types/time.GetTimestamp); of the other names
 * only BuildKit's cache fields count (id, parent, type, description, inuse, shared, private) and
 * the rest (`label` among them) are ignored.
 */
function daemonCachePruneInfo(f: FilterArgs, now: Micros): CachePruneInfo {
  const until = f.get("until");
  const unusedFor = f.get("unused-for");
  if (until.length > 0 && unusedFor.length > 0) throw new DrydockError("EFILTER", `conflicting filters: "until" and "unused-for"`);
  const key = unusedFor.length > 0 ? "unused-for" : "until";
  const values = [...until, ...unusedFor];
  if (values.length > 1) throw new DrydockError("EFILTER", "filters expect only one value");
  let keepUs = 0;
  if (values.length === 1) {
    let ts: Micros;
    try {
      ts = parseTimestamp(values[0]!, now);
    } catch (e) {
      throw new DrydockError("EFILTER", `"${key}" filter expects a duration (e.g., '24h') or a timestamp: ${(e as Error).message}`);
    }
    keepUs = now - ts;
  }
  const parts: string[] = [];
  for (const field of ["id", "parent", "type", "description", "inuse", "shared", "private"]) {
    if (!f.has(field)) continue;
    const vs = f.get(field);
    if (vs.length > 1) throw new DrydockError("EFILTER", "filters expect only one value");
    parts.push(vs.length === 0 ? field : field === "id" ? `id~=${vs[0]}` : `${field}==${vs[0]}`);
  }
  return { keepUs, match: cacheFilter(parts) };
}

/**
 * buildx's reading of `docker builder prune --filter` (docker/buildx commands/prune.go
 * toBuildkitPruneInfo): `until`/`unused-for` must be a Go duration; every other name goes to
 * BuildKit as a filter (`id~=`, `NAME!=`/`NAME~=` as typed, else `NAME==`), so a name BuildKit's
 * records lack (`label`) matches nothing.
 */
function buildxCachePruneInfo(f: FilterArgs): CachePruneInfo {
  const until = f.get("until");
  const unusedFor = f.get("unused-for");
  if (until.length > 0 && unusedFor.length > 0) throw new DrydockError("EFILTER", `conflicting filters "until" and "unused-for"`);
  const key = unusedFor.length > 0 ? "unused-for" : "until";
  const values = [...until, ...unusedFor];
  if (values.length > 1) throw new DrydockError("EFILTER", "filters expect only one value");
  let keepUs = 0;
  if (values.length === 1) {
    const d = parseGoDuration(values[0]!);
    if (d === undefined) throw new DrydockError("EFILTER", `"${key}" filter expects a duration (e.g., '24h'): time: invalid duration "${values[0]}"`);
    keepUs = d;
  }
  const parts: string[] = [];
  for (const name of f.keys().sort()) {
    if (name === key) continue;
    const vs = f.get(name);
    if (vs.length > 1) throw new DrydockError("EFILTER", "filters expect only one value");
    if (vs.length === 0) parts.push(name);
    else if (name === "id") parts.push(`id~=${vs[0]}`);
    else if (name.endsWith("!") || name.endsWith("~")) parts.push(`${name}=${vs[0]}`);
    else parts.push(`${name}==${vs[0]}`);
  }
  return { keepUs, match: cacheFilter(parts) };
}

/**
 * `POST /build/prune` (BuildKit's prune under the engine): without `all`, the records that hold a
 * layer (BuildKit keeps its internal records unless --all); with `all`, every record; a record
 * used within the keep duration (`until`) stays (BuildKit keeps what was used after now minus
 * it). `client: "buildx"` reads the filters as `docker builder prune` does (buildx, its own
 * rules and texts); the default is the daemon's reading (`docker system prune`). "builder
 * prune" event with the bytes reclaimed.
 */
export function pruneBuildCache<E extends ImageEngine>(
  engine: E, opts: { all: boolean; filters: FilterArgs; now: Micros; client?: "daemon" | "buildx" },
): BuildCachePruneResult<E> {
  const info = opts.client === "buildx" ? buildxCachePruneInfo(opts.filters) : daemonCachePruneInfo(opts.filters, opts.now);
  const entries = buildCacheEntries(engine.images);
  const gone = entries.filter((x) => (opts.all || x.type === "regular") && (info.keepUs === 0 || opts.now - x.lastUsedAt >= info.keepUs) && info.match(x));
  const goneKeys = new Set(gone.map((x) => x.key));
  const cache = new Map([...engine.images.cache].filter(([k]) => !goneKeys.has(k)));
  const live = new Set<string>();
  for (const img of engine.images.images.values()) for (const d of img.layers) live.add(d);
  for (const r of cache.values()) if (r.layer) live.add(r.layer);
  let reclaimed = 0;
  const layers = new Map<string, Layer>();
  for (const [d, l] of engine.images.layers) {
    if (live.has(d)) layers.set(d, l);
    else reclaimed += l.size;
  }
  const images: ImageStoreSnapshot = { ...engine.images, cache, layers };
  const e = recordEvent({ ...engine, images }, opts.now, "builder", "prune", "", { reclaimed: String(reclaimed) });
  return { engine: e, deleted: gone, reclaimedBytes: reclaimed };
}
