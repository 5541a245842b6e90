import { DrydockError, type Micros } from "@drydock/kernel";
import { createLayer, type Layer } from "../layers/layer.js";
import { flatten } from "../layers/union.js";
import type { FsEntry } from "../layers/entry.js";
import { parseAnyReference, parseDockerRef, type ImageReference } from "../reference/reference.js";
import { shortId } from "../util/hash.js";
import { CowMap } from "../util/cow-map.js";
import { createImage, emptyConfig, type HistoryEntry, type Image, type ImageConfig } from "./image.js";
import { humanSize, since } from "./format.js";

/** One row of `docker image ls`. */
/** A container as `docker rmi` sees it: its ID (64 hex), its image's ID and whether it runs. */
export interface ImageUser {
  readonly id: string;
  readonly imageId: string;
  readonly running: boolean;
}

/** A container ID's 12-hex short form (stringid.TruncateID). */
const shortHex = (id: string) => shortId(id);

export interface ImageRow {
  readonly repository: string;
  readonly tag: string;
  /** The 12-hex short ID (IMAGE ID). */
  readonly imageId: string;
  readonly created: Micros;
  readonly size: number;
  /** The full ID, "sha256:<64 hex>" (`--no-trunc`). */
  readonly id: string;
  /** The row's repository digest, "sha256:…" (`--digests`), or "<none>". */
  readonly digest: string;
}

/** One row of `docker history`. */
export interface HistoryRow {
  /** 12-hex ID for the image's own top entry, "<missing>" below it (as BuildKit-built images show). */
  readonly image: string;
  readonly created: Micros;
  readonly createdBy: string;
  readonly size: number;
  readonly comment: string;
}

/** `docker system df -v`'s per-image sizes: shared with other images versus unique to this one. */
export interface ImageUsage {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly size: number;
  readonly sharedSize: number;
  readonly uniqueSize: number;
  readonly containers: number;
}

export interface DiskUsage {
  readonly images: { readonly total: number; readonly active: number; readonly size: number; readonly reclaimable: number };
  readonly perImage: readonly ImageUsage[];
  readonly buildCache: { readonly total: number; readonly size: number };
}

/** A build-cache record: the result of one step, found by its cache key. */
export interface CacheRecord {
  readonly key: string;
  /** The layer the step added, or null for a step with no filesystem change. */
  readonly layer: string | null;
  readonly history: HistoryEntry;
  readonly description: string;
}

export interface ImageStoreSnapshot {
  readonly layers: ReadonlyMap<string, Layer>;
  readonly images: ReadonlyMap<string, Image>;
  readonly tags: ReadonlyMap<string, string>;
  readonly cache: ReadonlyMap<string, CacheRecord>;
  readonly repoDigests?: ReadonlyMap<string, string>;
  /** Canonical reference → when it was last tagged (inspect's Metadata.LastTagTime). */
  readonly tagTimes?: ReadonlyMap<string, Micros>;
}

/**
 * The local image store of one Docker host: layers stored once by digest, images by ID, tags by
 * canonical reference, and the build cache. Commands validate first and then change the store,
 * so a failed command leaves it as it was.
 */
/**
 * A snapshot's map as a store's own (a fork: O(1)). A module function, not a closure per call: a
 * store is opened several times per `docker run`.
 */
function own<V>(m: ReadonlyMap<string, V> | undefined): CowMap<string, V> {
  return m instanceof CowMap ? m.fork() : new CowMap(m ?? []);
}

export class ImageStore {
  // Copy-on-write maps: a snapshot and a store made from one share their contents (cow-map.ts).
  private layers: CowMap<string, Layer>;
  private images: CowMap<string, Image>;
  private tags: CowMap<string, string>;
  private cacheRecords: CowMap<string, CacheRecord>;
  /** "name@sha256:<manifest digest>" → image ID, recorded by pull and push (RepoDigests). */
  private repoDigests: CowMap<string, string>;
  /** When each tag was last set by a local command (tag, build, commit, import); pulls leave none. */
  private tagTimes: CowMap<string, Micros>;

  /** An empty store, or one opened on a snapshot (its maps forked, not made empty and then replaced). */
  constructor(s?: ImageStoreSnapshot) {
    this.layers = own(s?.layers);
    this.images = own(s?.images);
    this.tags = own(s?.tags);
    this.cacheRecords = own(s?.cache);
    this.repoDigests = own(s?.repoDigests);
    this.tagTimes = own(s?.tagTimes);
  }

  static fromSnapshot(s: ImageStoreSnapshot): ImageStore {
    return new ImageStore(s);
  }

  /** An immutable copy of the store's indexes (layers and images themselves are immutable); O(1) amortised. */
  snapshot(): ImageStoreSnapshot {
    return {
      layers: this.layers.fork(), images: this.images.fork(), tags: this.tags.fork(), cache: this.cacheRecords.fork(),
      repoDigests: this.repoDigests.fork(), tagTimes: this.tagTimes.fork(),
    };
  }

  // ---- layers ----

  /** Stores a layer once: a second layer with the same digest returns the stored one. */
  addLayer(layer: Layer): Layer {
    const existing = this.layers.get(layer.digest);
    if (existing) return existing;
    this.layers.set(layer.digest, layer);
    return layer;
  }

  hasLayer(digest: string): boolean {
    return this.layers.has(digest);
  }

  getLayer(digest: string): Layer {
    const l = this.layers.get(digest);
    if (!l) throw new DrydockError("ENOLAYER", `layer does not exist: ${digest}`);
    return l;
  }

  layerCount(): number {
    return this.layers.size;
  }

  layersOf(image: Image): Layer[] {
    return image.layers.map((d) => this.getLayer(d));
  }

  // ---- images and tags ----

  /** Adds an image whose layers are already stored. */
  addImage(image: Image): Image {
    for (const d of image.layers) this.getLayer(d);
    const existing = this.images.get(image.id);
    if (existing) return existing;
    this.images.set(image.id, image);
    return image;
  }

  hasImage(id: string): boolean {
    return this.images.has(id);
  }

  allImages(): Image[] {
    return [...this.images.values()];
  }

  /** Points a tag at an image, moving it from any image that had it (which may become dangling). */
  tag(imageId: string, refText: string | ImageReference, at?: Micros): ImageReference {
    if (!this.images.has(imageId)) throw new DrydockError("ENOIMAGE", `No such image: ${imageId}`);
    const ref = typeof refText === "string" ? parseDockerRef(refText) : refText;
    if (ref.digest !== undefined) throw new DrydockError("EREFERENCE", "refusing to create a tag with a digest reference");
    this.tags.set(ref.toString(), imageId);
    if (at !== undefined) this.tagTimes.set(ref.toString(), at);
    else this.tagTimes.delete(ref.toString());
    return ref;
  }

  /** The latest time a tag of the image was set locally (inspect's Metadata.LastTagTime), if any. */
  lastTagTime(imageId: string): Micros | undefined {
    let last: Micros | undefined;
    for (const t of this.tagsOf(imageId)) {
      const at = this.tagTimes.get(t.toString());
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
    return last;
  }

  /** Repository digests as stored: "docker.io/library/alpine@sha256:…", sorted. */
  repoDigestRefs(imageId: string): string[] {
    const out: string[] = [];
    for (const [k, id] of this.repoDigests) if (id === imageId) out.push(k);
    return out.sort();
  }

  /** Records that `name@digest` (a registry manifest digest) is this image, as pull and push do. */
  addRepoDigest(imageId: string, nameAtDigest: string): void {
    if (!this.images.has(imageId)) throw new DrydockError("ENOIMAGE", `No such image: ${imageId}`);
    this.repoDigests.set(nameAtDigest, imageId);
  }

  /** RepoDigests in `docker inspect` form: familiar name @ digest. */
  repoDigestsOf(imageId: string): string[] {
    const out: string[] = [];
    for (const [k, id] of this.repoDigests) if (id === imageId) out.push(parseDockerRef(k).familiar);
    return out.sort();
  }

  tagsOf(imageId: string): ImageReference[] {
    const out: ImageReference[] = [];
    for (const [r, id] of this.tags) if (id === imageId) out.push(parseDockerRef(r));
    return out.sort((a, b) => (a.toString() < b.toString() ? -1 : 1));
  }

  /** Finds an image by reference, full ID, `sha256:` ID or unique ID prefix, as the Docker CLI does. */
  resolve(text: string): Image | undefined {
    const hex = text.startsWith("sha256:") ? text.slice(7) : text;
    if (/^[a-f0-9]{64}$/.test(hex)) return this.images.get(`sha256:${hex}`);
    try {
      const any = parseAnyReference(text);
      if (any.kind === "named") {
        const ref = parseDockerRef(text);
        const id = this.tags.get(ref.toString());
        if (id) return this.images.get(id);
        if (ref.digest !== undefined) {
          const byRepoDigest = this.repoDigests.get(`${ref.name}@${ref.digest}`);
          if (byRepoDigest) return this.images.get(byRepoDigest);
        }
      }
    } catch {
      // not a reference: maybe an ID prefix
    }
    if (/^[a-f0-9]{1,63}$/.test(hex)) {
      const matches = [...this.images.keys()].filter((id) => id.slice(7).startsWith(hex));
      if (matches.length === 1) return this.images.get(matches[0]!);
    }
    return undefined;
  }

  /** resolve() or Docker's "No such image" error (the reference as the daemon names it: noSuchImageName). */
  require(text: string): Image {
    const img = this.resolve(text);
    if (!img) throw new DrydockError("ENOIMAGE", `No such image: ${noSuchImageName(text)}`);
    return img;
  }

  /**
   * `docker rmi`, as moby's daemon/images/image_delete.go (ImageDelete, imageDeleteHelper,
   * checkImageDeleteConflict) decides it. `users` are the engine's containers (their short order is
   * moby's `containers.First`: the first that matches).
   *
   * - By reference: without force, the image's only reference may not go while any container (running
   *   or stopped) uses it ("unable to remove repository reference … (must force) - container … is using
   *   its referenced image …"). The tag goes; if none is left the image is deleted, unless a hard
   *   conflict (a running container) stands, which is then ignored quietly: `Untagged:` only, the image
   *   stays as `<none>`. With force, a stopped container does not keep the image.
   * - By ID: a running container is a hard conflict ("(cannot be forced) - image is being used by
   *   running container …"), force or not; without force, a stopped container ("(must be forced) - image
   *   is being used by stopped container …") and, with several tags, the tags themselves ("image is
   *   referenced in multiple repositories").
   *
   * A refusal changes nothing.
   */
  remove(text: string, opts: { force?: boolean; users?: readonly ImageUser[] } = {}): string[] {
    const img = this.require(text);
    const force = opts.force === true;
    const users = (opts.users ?? []).filter((u) => u.imageId === img.id);
    const tags = this.tagsOf(img.id);
    const byId = !this.tags.has(safeRef(text));
    const out: string[] = [];
    let quiet = false;
    if (!byId) {
      const user = users[0];
      if (!force && tags.length === 1 && user) {
        throw new DrydockError("ECONFLICT", `conflict: unable to remove repository reference "${text}" (must force) - container ${shortHex(user.id)} is using its referenced image ${shortId(img.id)}`);
      }
      const ref = tags.find((t) => t.toString() === safeRef(text))!;
      this.tags.delete(ref.toString());
      this.tagTimes.delete(ref.toString());
      out.push(`Untagged: ${ref.familiar}`);
      // No other tag of that repository left: its digest references go too (moby prints each).
      if (!this.tagsOf(img.id).some((t) => t.name === ref.name)) {
        for (const k of this.repoDigestRefs(img.id).filter((d) => d.startsWith(`${ref.name}@`))) {
          this.repoDigests.delete(k);
          out.push(`Untagged: ${parseDockerRef(k).familiar}`);
        }
      }
      if (this.tagsOf(img.id).length > 0 || this.repoDigestRefs(img.id).length > 0) return out;
      quiet = true;
    } else if (tags.length <= 1) {
      // An ID with at most one tag: check running and (without force) stopped users before untagging.
      // Its references are then all removed below, so they are no conflict.
      const conflict = this.deleteConflict(img.id, users, { hard: true, stopped: !force, references: false });
      if (conflict) throw conflict.error;
    }
    const singleById = byId && tags.length <= 1;
    const conflict = this.deleteConflict(img.id, users, { hard: true, stopped: !force, references: !force && !singleById });
    if (conflict) {
      // imageDeleteHelper: after an untag by reference, conflicts are ignored unless the image is
      // dangling and unused (never the case here once a user stands).
      if (quiet && conflict.used) return out;
      throw conflict.error;
    }
    // removeAllReferencesToImageID: every tag and digest reference, in the reference store's lexical order.
    const refs = [...this.tagsOf(img.id).map((t) => t.toString()), ...this.repoDigestRefs(img.id)].sort();
    for (const r of refs) {
      this.tags.delete(r);
      this.tagTimes.delete(r);
      this.repoDigests.delete(r);
      out.push(`Untagged: ${parseDockerRef(r).familiar}`);
    }
    this.images.delete(img.id);
    out.push(`Deleted: ${img.id}`);
    this.collectLayers();
    return out;
  }

  /** moby checkImageDeleteConflict, in its order: running container (hard), references, stopped container. */
  private deleteConflict(
    imageId: string, users: readonly ImageUser[], mask: { hard: boolean; stopped: boolean; references: boolean },
  ): { used: boolean; error: DrydockError } | null {
    const fail = (forced: boolean, message: string) =>
      new DrydockError("ECONFLICT", `conflict: unable to delete ${shortId(imageId)} (${forced ? "cannot be forced" : "must be forced"}) - ${message}`);
    const running = users.find((u) => u.running);
    if (mask.hard && running) return { used: true, error: fail(true, `image is being used by running container ${shortHex(running.id)}`) };
    if (mask.references && this.tagsOf(imageId).length > 0) return { used: false, error: fail(false, "image is referenced in multiple repositories") };
    const stopped = users.find((u) => !u.running);
    if (mask.stopped && stopped) return { used: true, error: fail(false, `image is being used by stopped container ${shortHex(stopped.id)}`) };
    return null;
  }

  /** Drops layers no image and no cache record uses. */
  private collectLayers(): void {
    const live = new Set<string>();
    for (const img of this.images.values()) for (const d of img.layers) live.add(d);
    for (const r of this.cacheRecords.values()) if (r.layer) live.add(r.layer);
    for (const d of [...this.layers.keys()]) if (!live.has(d)) this.layers.delete(d);
  }

  /**
   * `docker image ls`: one row per tag, dangling (untagged) images as <none>:<none>. `all` (-a)
   * would add intermediate images, which BuildKit builds do not create, so it changes nothing here.
   */
  list(opts: { all?: boolean } = {}): ImageRow[] {
    void opts;
    const rows: ImageRow[] = [];
    for (const img of this.images.values()) {
      const size = this.imageSize(img);
      const tags = this.tagsOf(img.id);
      const base = { imageId: shortId(img.id), id: img.id, created: img.created, size };
      if (tags.length === 0) {
        rows.push({ repository: "<none>", tag: "<none>", digest: "<none>", ...base });
        continue;
      }
      const digests = this.repoDigestRefs(img.id);
      for (const t of tags) {
        const d = digests.find((r) => r.startsWith(`${t.name}@`));
        rows.push({ repository: t.familiarName, tag: t.tag ?? "<none>", digest: d ? d.slice(d.indexOf("@") + 1) : "<none>", ...base });
      }
    }
    return rows.sort((a, b) => b.created - a.created || (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : a.tag < b.tag ? -1 : 1));
  }

  /** `docker image ls` as text, CREATED relative to `now`. */
  formatList(now: Micros): string {
    const rows = this.list().map((r) => [r.repository, r.tag, r.imageId, since(r.created, now), humanSize(r.size)]);
    return formatTable(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], rows);
  }

  /** SIZE in `docker image ls`: every layer of the image, shared or not. */
  imageSize(img: Image): number {
    let size = 0;
    for (const d of img.layers) size += this.getLayer(d).size;
    return size;
  }

  /** `docker history`: newest first, each layer's size beside the instruction that made it. */
  history(text: string): HistoryRow[] {
    const img = this.require(text);
    const rows: HistoryRow[] = [];
    let layerIndex = 0;
    for (const h of img.history) {
      const size = h.emptyLayer ? 0 : this.getLayer(img.layers[layerIndex++]!).size;
      rows.push({ image: "<missing>", created: h.created, createdBy: h.createdBy, size, comment: h.comment ?? "" });
    }
    rows.reverse();
    if (rows.length) rows[0] = { ...rows[0]!, image: shortId(img.id) };
    return rows;
  }

  /** `docker system df` (and -v's per-image SHARED SIZE / UNIQUE SIZE). */
  diskUsage(containersByImage: ReadonlyMap<string, number> = new Map()): DiskUsage {
    const users = new Map<string, number>();
    for (const img of this.images.values()) for (const d of new Set(img.layers)) users.set(d, (users.get(d) ?? 0) + 1);
    const perImage: ImageUsage[] = [];
    let total = 0;
    const counted = new Set<string>();
    const activeLayers = new Set<string>();
    for (const img of this.images.values()) {
      let shared = 0;
      let unique = 0;
      for (const d of new Set(img.layers)) {
        const s = this.getLayer(d).size;
        if ((users.get(d) ?? 0) > 1) shared += s;
        else unique += s;
        if (!counted.has(d)) {
          counted.add(d);
          total += s;
        }
        if ((containersByImage.get(img.id) ?? 0) > 0) activeLayers.add(d);
      }
      perImage.push({
        id: img.id, repoTags: this.tagsOf(img.id).map((t) => t.familiar), size: shared + unique, sharedSize: shared,
        uniqueSize: unique, containers: containersByImage.get(img.id) ?? 0,
      });
    }
    let activeSize = 0;
    for (const d of activeLayers) activeSize += this.getLayer(d).size;
    const imageLayers = new Set(counted);
    let cacheSize = 0;
    const cacheLayers = new Set<string>();
    for (const r of this.cacheRecords.values()) if (r.layer && !imageLayers.has(r.layer)) cacheLayers.add(r.layer);
    for (const d of cacheLayers) cacheSize += this.layers.get(d)?.size ?? 0;
    return {
      images: {
        total: this.images.size,
        active: [...this.images.keys()].filter((id) => (containersByImage.get(id) ?? 0) > 0).length,
        size: total,
        reclaimable: total - activeSize,
      },
      perImage,
      buildCache: { total: this.cacheRecords.size, size: cacheSize },
    };
  }

  // ---- build cache ----

  cacheGet(key: string): CacheRecord | undefined {
    return this.cacheRecords.get(key);
  }

  cachePut(record: CacheRecord): void {
    this.cacheRecords.set(record.key, record);
  }

  cacheSize(): number {
    return this.cacheRecords.size;
  }

  /** `docker builder prune -a`: forgets every cache record. */
  pruneBuildCache(): number {
    const n = this.cacheRecords.size;
    this.cacheRecords = new CowMap();
    this.collectLayers();
    return n;
  }

  // ---- images from containers ----

  /**
   * `docker commit`: the container's writable layer becomes a new layer on top of its image.
   * An unchanged container still gets a (empty-layer) history entry, as Docker records it.
   */
  commit(opts: {
    base: Image;
    changes: ReadonlyMap<string, FsEntry>;
    config?: Partial<ImageConfig>;
    created: Micros;
    comment?: string;
    createdBy?: string;
    ref?: string;
  }): Image {
    const layer = this.addLayer(createLayer(opts.changes));
    const history: HistoryEntry = {
      created: opts.created, createdBy: opts.createdBy ?? "", emptyLayer: false,
      ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
    };
    const img = this.addImage(createImage({
      os: opts.base.os, architecture: opts.base.architecture, layers: [...opts.base.layers, layer.digest],
      config: { ...opts.base.config, ...opts.config }, history: [...opts.base.history, history], parent: opts.base.id,
    }));
    if (opts.ref) this.tag(img.id, opts.ref, opts.created);
    return img;
  }

  /** `docker export` / `docker save`-less flattening: the merged filesystem as one layer (a tarball). */
  exportFlattened(layers: readonly Layer[], upper?: ReadonlyMap<string, FsEntry>): Layer {
    const stack = upper ? [...layers, createLayer(upper)] : [...layers];
    return createLayer(flatten(stack));
  }

  /**
   * `docker import`: a tarball becomes a one-layer image with an empty config (plus `--change`s)
   * and the history comment "Imported from -".
   */
  importTarball(opts: { tarball: Layer; created: Micros; config?: Partial<ImageConfig>; ref?: string; source?: string; os?: "linux" | "windows" }): Image {
    const layer = this.addLayer(opts.tarball);
    const img = this.addImage(createImage({
      os: opts.os ?? "linux", layers: [layer.digest], config: { ...emptyConfig(), ...opts.config },
      history: [{ created: opts.created, createdBy: "", emptyLayer: false, comment: `Imported from ${opts.source ?? "-"}` }],
    }));
    if (opts.ref) this.tag(img.id, opts.ref, opts.created);
    return img;
  }

  /**
   * `--squash`: the layers above `base` collapse into one; history keeps every instruction, with
   * the squashed ones marked as empty layers.
   */
  squash(image: Image, base: Image | null, created: Micros, ref?: string): Image {
    const keep = base ? base.layers.length : 0;
    if (base && image.layers.slice(0, keep).some((d, i) => d !== base.layers[i])) {
      throw new DrydockError("ESQUASH", `image ${shortId(image.id)} is not built on ${shortId(base.id)}`);
    }
    const baseLayers = this.layersOf(image).slice(0, keep);
    const upper = this.layersOf(image).slice(keep);
    const merged = new Map<string, FsEntry>();
    // Later layers override earlier ones; whiteouts of base paths must survive, others vanish.
    for (const l of upper) for (const [p, e] of l.changes) {
      for (const k of [...merged.keys()]) if (k.startsWith(`${p}/`) && (e.type !== "dir" || e.opaque)) merged.delete(k);
      merged.set(p, e);
    }
    const baseView = flatten(baseLayers);
    for (const [p, e] of [...merged]) if (e.type === "whiteout" && !baseView.has(p)) merged.delete(p);
    const squashed = this.addLayer(createLayer(merged));
    const baseHistory = base ? base.history : [];
    const history: HistoryEntry[] = [
      ...baseHistory,
      ...image.history.slice(baseHistory.length).map((h) => ({ ...h, emptyLayer: true })),
      { created, createdBy: "", emptyLayer: false, comment: "merge " + (base ? `${base.id} to ` : "") + image.id },
    ];
    const img = this.addImage(createImage({
      os: image.os, architecture: image.architecture, layers: [...(base ? base.layers : []), squashed.digest],
      config: image.config, history, ...(base ? { parent: base.id } : {}),
    }));
    if (ref) this.tag(img.id, ref, created);
    return img;
  }
}

/**
 * The reference in the daemon's "No such image" error (moby daemon/images ErrImageDoesNotExist):
 * reference.FamiliarString(reference.TagNameOnly(ref)), so a bare name gains ":latest"
 * ("nosuch" → "nosuch:latest"; an unknown short ID parses as a name too), a tag or digest stays,
 * a full digest ID is printed as given; text that is no reference at all is printed as given.
 */
export function noSuchImageName(text: string): string {
  try {
    const any = parseAnyReference(text);
    if (any.kind === "digest") return any.digest;
    const ref = any.ref;
    return ref.tag === undefined && ref.digest === undefined ? `${ref.familiarName}:latest` : ref.familiar;
  } catch {
    return text;
  }
}

function safeRef(text: string): string {
  try {
    return parseDockerRef(text).toString();
  } catch {
    return text;
  }
}

/** Left-aligned columns separated by three spaces, as the Docker CLI's tabwriter prints. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("");
  return [line(header), ...rows.map(line)].join("\n");
}
