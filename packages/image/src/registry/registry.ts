import { DrydockError, MICROS_PER_SECOND, canonicalJson, type Micros } from "@drydock/kernel";
import type { Layer } from "../layers/layer.js";
import type { Image } from "../image/image.js";
import type { ImageStore } from "../image/store.js";
import { parseDockerRef, parseReference, DEFAULT_DOMAIN, type ImageReference } from "../reference/reference.js";
import { sha256Digest, shortId } from "../util/hash.js";
import { catalogue, catalogueHint, catalogueTags, isKnownOfficialImage } from "./catalogue.js";
import { IMAGE_NOT_FOUND, ImageNotFoundError, NOT_IN_CATALOGUE } from "./errors.js";

/** An image manifest (OCI/Docker v2 schema 2): the config (image ID) and the layers by digest. */
export interface Manifest {
  readonly digest: string;
  readonly config: string;
  readonly layers: readonly { readonly digest: string; readonly size: number }[];
  readonly os: string;
}

export interface TransferResult {
  /** What `docker push` / `docker pull` prints, line by line. */
  readonly lines: readonly string[];
  readonly durationUs: Micros;
  readonly digest: string;
  /** Layers sent (push) or downloaded (pull). */
  readonly transferred: readonly string[];
  /** Layers the other side already had ("Layer already exists" / "Already exists"). */
  readonly skipped: readonly string[];
  readonly image: Image;
}

export interface RegistryOptions {
  /** Virtual transfer rate, bytes per second (default 50 MB/s). */
  readonly bytesPerSecond?: number;
  /** Who may push where; default: anyone, except Docker Hub's rules in RegistryHub. */
  readonly canPush?: (path: string) => boolean;
}

function manifestOf(image: Image, layers: readonly Layer[]): Manifest {
  const body = {
    schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: image.id },
    layers: layers.map((l) => ({ mediaType: "application/vnd.docker.image.rootfs.diff.tar", digest: l.digest, size: l.size })),
  };
  return { digest: sha256Digest(canonicalJson(body)), config: image.id, layers: body.layers.map(({ digest, size }) => ({ digest, size })), os: image.os };
}

const LAYER_OVERHEAD_US = 50_000;

/** One registry host: blobs by digest, manifests by digest, tags per repository path. */
export class Registry {
  private readonly blobs = new Map<string, Layer>();
  private readonly manifests = new Map<string, { manifest: Manifest; image: Image }>();
  private readonly repos = new Map<string, Map<string, string>>();
  readonly bytesPerSecond: number;

  constructor(readonly domain: string, readonly options: RegistryOptions = {}) {
    this.bytesPerSecond = options.bytesPerSecond ?? 50_000_000;
  }

  /** A copy with its own indexes (blobs and images are immutable and shared). */
  copy(options: RegistryOptions = this.options): Registry {
    const r = new Registry(this.domain, options);
    for (const [k, v] of this.blobs) r.blobs.set(k, v);
    for (const [k, v] of this.manifests) r.manifests.set(k, v);
    for (const [k, v] of this.repos) r.repos.set(k, new Map(v));
    return r;
  }

  private transferUs(bytes: number): Micros {
    return LAYER_OVERHEAD_US + Math.round((bytes / this.bytesPerSecond) * MICROS_PER_SECOND);
  }

  blob(digest: string): Layer | undefined {
    return this.blobs.get(digest);
  }

  hasBlob(digest: string): boolean {
    return this.blobs.has(digest);
  }

  blobCount(): number {
    return this.blobs.size;
  }

  /**
   * Why a reference cannot be had from this registry, as `docker pull` ("pull") or BuildKit's
   * source resolver ("build") words it; see ./errors.ts for which code applies when.
   */
  missing(refText: string, mode: "pull" | "build"): ImageNotFoundError {
    const ref = parseDockerRef(refText);
    const written = refText;
    const canonical = ref.toString();
    const hub = this.domain === DEFAULT_DOMAIN;
    const official = hub && ref.path.startsWith("library/");
    const name = ref.familiarName;
    const build = (inner: string) => `${written}: failed to resolve source metadata for ${canonical}: ${inner}`;
    if (!this.repos.has(ref.path)) {
      if (official && isKnownOfficialImage(ref.path.slice("library/".length))) {
        const text = catalogueHint(name);
        return new ImageNotFoundError(NOT_IN_CATALOGUE, "", mode === "build" ? build(text) : text, "catalogue", canonical);
      }
      const docker = mode === "build"
        ? build("pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
        : `pull access denied for ${name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
      return new ImageNotFoundError(IMAGE_NOT_FOUND, docker, official ? catalogueHint(name) : "", "repository", canonical);
    }
    const docker = mode === "build" ? build(`${canonical}: not found`) : `manifest for ${ref.familiar} not found: manifest unknown: manifest unknown`;
    const tags = hub ? catalogueTags(ref.path) : [];
    const hint = tags.length > 0 ? `drydock: the catalogue has ${name}:${tags.join(", ")}` : "";
    return new ImageNotFoundError(IMAGE_NOT_FOUND, docker, hint, "tag", canonical);
  }

  /** Tags of a repository path, sorted (the registry API's tags/list). */
  tags(path: string): string[] {
    return [...(this.repos.get(path)?.keys() ?? [])].sort();
  }

  repositories(): string[] {
    return [...this.repos.keys()].sort();
  }

  /** Puts an image in directly (seeding the catalogue). */
  seed(path: string, tag: string, image: Image, layers: readonly Layer[]): Manifest {
    for (const l of layers) if (!this.blobs.has(l.digest)) this.blobs.set(l.digest, l);
    const manifest = manifestOf(image, layers);
    this.manifests.set(manifest.digest, { manifest, image });
    let repo = this.repos.get(path);
    if (!repo) this.repos.set(path, (repo = new Map()));
    repo.set(tag, manifest.digest);
    return manifest;
  }

  /** The manifest a tag or digest reference names, or undefined. */
  resolve(ref: ImageReference): { manifest: Manifest; image: Image } | undefined {
    const repo = this.repos.get(ref.path);
    if (!repo) return undefined;
    const digest = ref.digest ?? repo.get(ref.tag ?? "latest");
    if (!digest) return undefined;
    if (ref.digest && ![...repo.values()].includes(ref.digest) && !this.manifests.has(ref.digest)) return undefined;
    return this.manifests.get(digest);
  }

  /**
   * `docker push`: sends only the layers the registry lacks, then the manifest, then the tag.
   * The store is only read.
   */
  push(store: ImageStore, refText: string): TransferResult {
    const ref = parseDockerRef(refText);
    const image = store.resolve(ref.toString());
    if (!image) throw new DrydockError("ENOIMAGE", `An image does not exist locally with the tag: ${ref.familiarName}`);
    if (this.options.canPush && !this.options.canPush(ref.path)) {
      throw new DrydockError("EDENIED", "denied: requested access to the resource is denied");
    }
    const layers = store.layersOf(image);
    const lines = [`The push refers to repository [${ref.name}]`];
    const transferred: string[] = [];
    const skipped: string[] = [];
    let durationUs = 0;
    for (const l of [...layers].reverse()) {
      if (this.blobs.has(l.digest) || transferred.includes(l.digest) || skipped.includes(l.digest)) {
        if (!skipped.includes(l.digest)) skipped.push(l.digest);
        lines.push(`${shortId(l.digest)}: Layer already exists`);
      } else {
        transferred.push(l.digest);
        durationUs += this.transferUs(l.size);
        lines.push(`${shortId(l.digest)}: Pushed`);
      }
    }
    const manifest = this.seed(ref.path, ref.tag ?? "latest", image, layers);
    store.addRepoDigest(image.id, `${ref.name}@${manifest.digest}`);
    const manifestSize = 428 + 160 * layers.length;
    lines.push(`${ref.tag ?? "latest"}: digest: ${manifest.digest} size: ${manifestSize}`);
    return { lines, durationUs, digest: manifest.digest, transferred, skipped, image };
  }

  /** `docker pull`: downloads only the layers the store lacks, then tags the image locally. */
  pull(store: ImageStore, refText: string): TransferResult {
    const written = parseReference(refText);
    const ref = parseDockerRef(refText);
    const found = this.resolve(ref);
    const lines: string[] = [];
    if (written.tag === undefined && written.digest === undefined) lines.push("Using default tag: latest");
    if (!found) throw this.missing(refText, "pull");
    const { manifest, image } = found;
    const label = ref.digest ?? ref.tag ?? "latest";
    lines.push(`${label}: Pulling from ${ref.path}`);
    const transferred: string[] = [];
    const skipped: string[] = [];
    let durationUs = 0;
    const upToDate = store.hasImage(image.id);
    for (const { digest } of manifest.layers) {
      if (store.hasLayer(digest) || transferred.includes(digest)) {
        skipped.push(digest);
        lines.push(`${shortId(digest)}: Already exists`);
      } else {
        const blob = this.blobs.get(digest)!;
        transferred.push(digest);
        durationUs += this.transferUs(blob.size);
        lines.push(`${shortId(digest)}: Pull complete`);
      }
    }
    for (const { digest } of manifest.layers) store.addLayer(this.blobs.get(digest)!);
    store.addImage(image);
    const tagRef = ref.digest ? undefined : ref;
    const hadTag = tagRef ? store.resolve(tagRef.toString())?.id === image.id : upToDate;
    if (tagRef) store.tag(image.id, tagRef);
    store.addRepoDigest(image.id, `${ref.name}@${manifest.digest}`);
    lines.push(`Digest: ${manifest.digest}`);
    lines.push(hadTag && upToDate ? `Status: Image is up to date for ${ref.familiar}` : `Status: Downloaded newer image for ${ref.familiar}`);
    lines.push(ref.toString());
    return { lines, durationUs, digest: manifest.digest, transferred, skipped, image };
  }
}

/**
 * The registries a host can reach: Docker Hub (seeded with the base-image catalogue, official
 * images under library/ which nobody may push to, user and org namespaces for the logged-in
 * user), mcr.microsoft.com, and any host added (e.g. localhost:5000).
 */
export class RegistryHub {
  private readonly registries = new Map<string, Registry>();
  private user: string | undefined;

  constructor(opts: { bytesPerSecond?: number; user?: string | undefined; seed?: boolean } = {}) {
    this.user = opts.user;
    if (opts.seed === false) return;
    const hub = new Registry(DEFAULT_DOMAIN, {
      ...(opts.bytesPerSecond !== undefined ? { bytesPerSecond: opts.bytesPerSecond } : {}),
      canPush: (path) => this.user !== undefined && path.split("/")[0] === this.user,
    });
    const mcr = new Registry("mcr.microsoft.com", { canPush: () => false });
    this.registries.set(hub.domain, hub);
    this.registries.set(mcr.domain, mcr);
    for (const entry of catalogue()) {
      for (const r of entry.refs) {
        const ref = parseReference(r);
        this.registries.get(ref.domain)!.seed(ref.path, ref.tag!, entry.image, entry.layers);
      }
    }
  }

  /**
   * A copy that changes independently of this one: the world keeps the registries as a value,
   * so a push works on a copy (pushes are rare; the catalogue's blobs are shared, not copied).
   * `user` is who is logged in to Docker Hub on the host that pushes.
   */
  clone(user: string | undefined = this.user): RegistryHub {
    const h = new RegistryHub({ user, seed: false });
    for (const [domain, r] of this.registries) {
      h.registries.set(domain, domain === DEFAULT_DOMAIN ? r.copy({ ...r.options, canPush: (path) => h.user !== undefined && path.split("/")[0] === h.user }) : r.copy());
    }
    return h;
  }

  /**
   * A copy in which `domain` answers as it does in `from` (a registry container started again
   * serves what it stored), or is unreachable (`from` null: its container stopped). The world
   * parks a stopped registry's hub and brings its content back this way.
   */
  withRegistryFrom(domain: string, from: RegistryHub | null): RegistryHub {
    const h = this.clone();
    const r = from?.registries.get(domain);
    if (r) h.registries.set(domain, r.copy());
    else h.registries.delete(domain);
    return h;
  }

  /** The registry hosts reachable, sorted. */
  domains(): string[] {
    return [...this.registries.keys()].sort();
  }

  /** `docker login`: pushes to docker.io/<user>/… are then allowed. */
  login(user: string): void {
    this.user = user;
  }

  addRegistry(domain: string, opts: RegistryOptions = {}): Registry {
    const r = new Registry(domain, opts);
    this.registries.set(domain, r);
    return r;
  }

  get(domain: string): Registry {
    const r = this.registries.get(domain);
    if (!r) {
      const host = domain.replace(/:\d+$/, "");
      // A local registry is insecure, so the daemon's last try is plain HTTP; nothing listens there (its container stopped).
      const port = /:(\d+)$/.exec(domain)?.[1] ?? "443";
      if (host === "localhost") throw new DrydockError("ENOREGISTRY", `Get "http://${domain}/v2/": dial tcp [::1]:${port}: connect: connection refused`);
      if (host === "127.0.0.1") throw new DrydockError("ENOREGISTRY", `Get "http://${domain}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`);
      throw new DrydockError("ENOREGISTRY", `Get "https://${domain}/v2/": dial tcp: lookup ${host}: no such host`);
    }
    return r;
  }

  push(store: ImageStore, refText: string): TransferResult {
    return this.get(parseDockerRef(refText).domain).push(store, refText);
  }

  pull(store: ImageStore, refText: string): TransferResult {
    return this.get(parseDockerRef(refText).domain).pull(store, refText);
  }

  /** A layer blob from a registry host, if that host has it. */
  blob(domain: string, digest: string): Layer | undefined {
    return this.registries.get(domain)?.blob(digest);
  }

  resolve(refText: string): { manifest: Manifest; image: Image } | undefined {
    const ref = parseDockerRef(refText);
    return this.registries.get(ref.domain)?.resolve(ref);
  }

  /**
   * The error for a reference that resolve() did not find, in `docker pull`'s words ("pull") or
   * BuildKit's ("build": the text after "failed to solve: "). An unknown registry host gives the
   * ENOREGISTRY dial error.
   */
  missing(refText: string, mode: "pull" | "build"): ImageNotFoundError {
    return this.get(parseDockerRef(refText).domain).missing(refText, mode);
  }
}
