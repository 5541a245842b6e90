import { DrydockError, MICROS_PER_MS, type Micros } from "@drydock/kernel";
import { ShellLex } from "../dockerfile/lex.js";
import { chompHeredocContent } from "../dockerfile/parser.js";
import { opaqueFile, textFile, type FileEntry } from "../layers/entry.js";
import type { Layer } from "../layers/layer.js";
import { UnionFS } from "../layers/union.js";
import {
  DEFAULT_LINUX_SHELL, DEFAULT_WINDOWS_SHELL, createImage, emptyConfig, envMap, envSet,
  type HistoryEntry, type Image, type ImageConfig, type ImageOs,
} from "../image/image.js";
import type { CacheRecord, ImageStore } from "../image/store.js";
import { bytesSize, humanSize, seconds1 } from "../image/format.js";
import { parseDockerRef } from "../reference/reference.js";
import type { RegistryHub } from "../registry/registry.js";
import { cacheKeyDigest, fastDigest, own, shortId, utf8Length } from "../util/hash.js";
import { basename, dirname, joinPath, normalizePath, windowsToPosix } from "../util/path.js";
import { createContext, parseDockerignore, selectFromContext, type BuildContext, type ContextInput } from "./context.js";
import { compileDockerfile, type Command, type CompiledDockerfile, type Stage } from "./instructions.js";
import { Progress } from "./progress.js";
import { BuildError, type BuildOptions, type BuildResult, type BuildStep } from "./types.js";
import { ClassicTranscript, derivedId } from "./classic.js";
import { ImageNotFoundError } from "../registry/errors.js";
import { BUILDKIT_COMMENT, bindMounts, dirsBetween, expandHeredoc, metaEntry, mountTargets } from "./step-helpers.js";

export { BuildError, type BuildOptions, type BuildResult, type BuildStep } from "./types.js";
import type { RunResult } from "./run.js";
import { interpretRunStep, type RunStepRequest } from "./run-step.js";
import { resolveUser } from "./users.js";
import { metadataChange } from "./metadata.js";

/** ARGs every build has without declaring them (Dockerfile reference: predefined ARGs). */
const PREDEFINED_ARGS = new Set(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]);
/** BuildKit's automatic platform ARGs, in the global scope. */
const PLATFORM_ARGS: Readonly<Record<string, string>> = {
  TARGETPLATFORM: "linux/amd64", TARGETOS: "linux", TARGETARCH: "amd64", TARGETVARIANT: "",
  BUILDPLATFORM: "linux/amd64", BUILDOS: "linux", BUILDARCH: "amd64", BUILDVARIANT: "",
};

interface State {
  layers: Layer[];
  config: ImageConfig;
  history: HistoryEntry[];
  os: ImageOs;
  key: string;
  /** Time of the latest history entry (metadata entries reuse it, so cached rebuilds are identical). */
  lastCreated: Micros;
  base: Image | null;
}

interface StageRun {
  readonly stage: Stage;
  readonly label: string;
  state: State;
}

/** A build-cache key over the parts: sha256 of their canonical JSON (issue #16). */
const key = (...parts: unknown[]): string => cacheKeyDigest(parts);

function isUrl(s: string): boolean {
  return /^https?:\/\//.test(s);
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/;

class Builder {
  private readonly progress = new Progress();
  private readonly steps: BuildStep[] = [];
  private readonly warnings: string[] = [];
  private readonly newLayers = new Map<string, Layer>();
  private readonly newCache = new Map<string, CacheRecord>();
  private clock: Micros;
  private readonly lex: ShellLex;
  private readonly ctx: BuildContext;
  private contextLoaded = false;
  private readonly usedArgs = new Set<string>();
  private readonly runs = new Map<number, StageRun>();
  private readonly globalArgs = new Map<string, string>();

  constructor(
    private readonly df: CompiledDockerfile,
    private readonly opts: BuildOptions,
    private readonly store: ImageStore,
    private readonly registry: RegistryHub | undefined,
  ) {
    this.clock = opts.now ?? 0;
    this.lex = new ShellLex(df.parsed.escape);
    const c = opts.context;
    this.ctx = c && "files" in c && c.files instanceof Map ? (c as BuildContext) : createContext((c ?? {}) as ContextInput, { dockerfileName: opts.dockerfileName ?? "Dockerfile" });
    const dockerfileSize = typeof opts.dockerfile === "string" ? utf8Length(opts.dockerfile) : 0;
    this.classic = opts.classic ? new ClassicTranscript(this.ctx, { name: opts.dockerfileName ?? "Dockerfile", size: dockerfileSize }) : undefined;
  }

  // ---- storage staged until the build succeeds ----

  private layer(digest: string): Layer {
    return this.newLayers.get(digest) ?? this.store.getLayer(digest);
  }

  private hasLayer(digest: string): boolean {
    return this.newLayers.has(digest) || this.store.hasLayer(digest);
  }

  private cacheGet(k: string): CacheRecord | undefined {
    const r = this.newCache.get(k) ?? this.store.cacheGet(k);
    if (r && r.layer !== null && !this.hasLayer(r.layer)) return undefined;
    return r;
  }

  private fail(message: string, line: number | undefined, code = "EBUILD", exitCode?: number): never {
    const classic = this.classic !== undefined;
    const output = this.classic ? this.classic.text() : this.progress.text();
    throw new BuildError(code, message, line !== undefined ? { line, column: 1 } : undefined, output, this.steps, {
      errorLogs: classic ? "" : this.progress.errorLogs(), classic, ...(exitCode !== undefined ? { exitCode } : {}),
    });
  }

  // ---- the legacy builder's transcript (opts.classic) ----

  private readonly classic: ClassicTranscript | undefined;
  private classicStep = 0;
  private classicTotal = 0;
  private classicChain = "";
  /** Every step of the stage so far came from the cache: a metadata step is then "Using cache" too. */
  private classicCached = true;
  /** Base images the legacy builder pulled: it stores and tags them, as `docker pull` does. */
  private readonly classicPulled = new Map<string, { image: Image; ref: string }>();

  private classicNext(text: string): void {
    if (!this.classic) return;
    this.classicStep++;
    this.classicChain = fastDigest(`${this.classicChain}\u0001${text}`);
    this.classic.step(this.classicStep, this.classicTotal, text);
  }

  /** After a step: "Using cache" or a container's run, then the step's image. */
  private classicDone(cached: boolean, output: readonly string[], container: boolean, key = ""): void {
    if (!this.classic) return;
    this.classicChain = fastDigest(`${this.classicChain}\u0001${key}`);
    if (cached && this.classicCached) this.classic.usingCache();
    else {
      this.classicCached = false;
      const cid = derivedId(`container:${this.classicChain}:${this.opts.now ?? 0}`);
      if (container) this.classic.runningIn(cid);
      for (const l of output) this.classic.say(l);
      if (container) this.classic.removing(cid);
    }
    this.classicLastImage = derivedId(`image:${this.classicChain}`);
    this.classic.image(this.classicLastImage);
  }

  private classicLastImage = "";

  /** `docker pull`'s lines for a base the legacy builder fetches (jsonmessage, no TTY). */
  private classicPull(refText: string, img: Image): void {
    const ref = parseDockerRef(refText);
    const classic = this.classic!;
    const found = this.registry?.resolve(ref.toString());
    classic.say(`${ref.digest ?? ref.tag ?? "latest"}: Pulling from ${ref.path}`);
    for (const d of img.layers) classic.say(`${shortId(d)}: Pulling fs layer`);
    for (const d of img.layers) classic.say(`${shortId(d)}: Verifying Checksum`);
    for (const d of img.layers) classic.say(`${shortId(d)}: Download complete`);
    for (const d of img.layers) classic.say(`${shortId(d)}: Pull complete`);
    if (found) classic.say(`Digest: ${found.manifest.digest}`);
    classic.say(`Status: Downloaded newer image for ${ref.familiar}`);
    this.classicPulled.set(img.id, { image: img, ref: ref.toString() });
  }

  // ---- variables ----

  private expand(text: string, env: ReadonlyMap<string, string>, line: number): string {
    try {
      return this.lex.processWord(text, env);
    } catch (e) {
      if (e instanceof DrydockError) this.fail(e.message, line, "EDOCKERFILE");
      throw e;
    }
  }

  private expandWords(text: string, env: ReadonlyMap<string, string>, line: number): string[] {
    try {
      return this.lex.processWords(text, env);
    } catch (e) {
      if (e instanceof DrydockError) this.fail(e.message, line, "EDOCKERFILE");
      throw e;
    }
  }

  private envMemo: { env: readonly string[]; argsVersion: number; map: Map<string, string> } | undefined;
  private argsVersion = 0;

  /** The env a stage's instructions expand with: declared ARGs, overridden by ENV. */
  private stageEnv(state: State, args: ReadonlyMap<string, string | undefined>): Map<string, string> {
    const memo = this.envMemo;
    if (memo && memo.env === state.config.env && memo.argsVersion === this.argsVersion) return memo.map;
    const m = new Map<string, string>();
    for (const [k, v] of args) if (v !== undefined) m.set(k, v);
    for (const [k, v] of envMap(state.config.env)) m.set(k, v);
    this.envMemo = { env: state.config.env, argsVersion: this.argsVersion, map: m };
    return m;
  }

  // ---- the build ----

  run(): BuildResult {
    const start = this.clock;
    const dfSize = typeof this.opts.dockerfile === "string" ? this.opts.dockerfile.length : 0;
    const v1 = this.progress.start(`[internal] load build definition from ${this.opts.dockerfileName ?? "Dockerfile"}`);
    this.progress.log(v1, `transferring dockerfile: ${dfSize}B done`);
    this.progress.done(v1, 10 * MICROS_PER_MS);
    this.clock += 10 * MICROS_PER_MS;

    for (const [k, v] of Object.entries(PLATFORM_ARGS)) this.globalArgs.set(k, v);
    for (const a of this.df.metaArgs) {
      const v = own(this.opts.buildArgs, a.key) ?? (a.value !== undefined ? this.expand(a.value, this.globalArgs, a.line) : undefined);
      if (own(this.opts.buildArgs, a.key) !== undefined) this.usedArgs.add(a.key);
      if (v !== undefined) this.globalArgs.set(a.key, v);
      else this.globalArgs.delete(a.key);
    }

    const targetIndex = this.targetIndex();
    const order = this.stageOrder(targetIndex);
    const bases = new Map<string, { written: string; line: number }>();
    for (const i of order) {
      const s = this.df.stages[i]!;
      const base = this.resolveBaseName(s);
      if (base.toLowerCase() !== "scratch" && this.stageByName(base, i) === undefined) {
        const canonical = this.canonical(base, s.line);
        if (!bases.has(canonical)) bases.set(canonical, { written: base, line: s.line });
      }
    }
    for (const [b, { written, line }] of [...bases].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))) {
      const v = this.progress.start(`[internal] load metadata for ${b}`);
      const found = this.lookupImage(written);
      if (found instanceof ImageNotFoundError) {
        // BuildKit: the vertex fails with the resolver's error; the solve fails with the base as
        // written, "failed to resolve source metadata for", the canonical name and that error.
        if (!this.classic) this.progress.error(v, innerResolveError(found, written, b));
        this.fail(this.classic ? this.classicMissing(written) : found.message, line, found.code);
      }
      this.progress.done(v, 400 * MICROS_PER_MS);
    }
    if (this.classic) {
      this.classicTotal = order.reduce((n, i) => n + 1 + this.df.stages[i]!.commands.length, 0);
    }
    const vi = this.progress.start("[internal] load .dockerignore");
    this.progress.log(vi, `transferring context: ${this.ctx.files.has(".dockerignore") ? this.ctx.files.get(".dockerignore")!.entry.size : 2}B done`);
    this.progress.done(vi, 0);
    this.clock += 400 * MICROS_PER_MS;

    const multi = this.df.stages.length > 1;
    this.contextWanted = !this.classic && this.needsContext(order);
    try {
      for (const i of order) this.runStage(this.df.stages[i]!, multi);
    } catch (e) {
      // As BuildKit does, the steps that completed stay in the build cache (no image, no tag):
      // fixing the failing line and rebuilding shows them CACHED.
      if (e instanceof BuildError && this.opts.keepCacheOnError !== false) this.commitCache();
      throw e;
    }
    const final = this.runs.get(targetIndex)!;

    // Exporting: the final image carries only its own stage's layers.
    const state = final.state;
    const image = createImage({
      os: state.os, layers: state.layers.map((l) => l.digest), config: state.config, history: state.history,
      ...(state.base ? { parent: state.base.id } : {}),
    });
    const tags = [...(this.opts.tags ?? []), ...(this.opts.tag ? [this.opts.tag] : [])].map((t) => {
      try {
        return parseDockerRef(t);
      } catch (e) {
        if (e instanceof DrydockError) this.fail(`invalid tag "${t}": ${e.message}`, undefined, e.code);
        throw e;
      }
    });
    const ve = this.progress.start("exporting to image");
    this.progress.log(ve, "exporting layers 0.1s done");
    this.progress.log(ve, `writing image ${image.id} done`);
    for (const t of tags) this.progress.log(ve, `naming to ${t.toString()} done`);
    this.progress.done(ve, 100 * MICROS_PER_MS);
    this.clock += 100 * MICROS_PER_MS;

    if (this.classic) {
      // The last step's image is the build's image.
      this.classic.replaceLastImage(image.id);
      this.classic.say(`Successfully built ${shortId(image.id)}`);
      for (const t of tags) this.classic.say(`Successfully tagged ${t.familiar}`);
    }
    const unused = Object.keys(this.opts.buildArgs ?? {}).filter((k) => !this.usedArgs.has(k) && !PREDEFINED_ARGS.has(k));
    if (unused.length > 0) this.warnings.push(`[Warning] One or more build-args [${unused.sort().join(" ")}] were not consumed`);

    // Commit: layers, cache records, pulled images, the image and its tags.
    for (const l of this.newLayers.values()) this.store.addLayer(l);
    for (const r of this.newCache.values()) this.store.cachePut(r);
    let result = this.store.addImage(image);
    if (this.opts.squash) {
      result = this.store.squash(result, state.base, this.clock);
    }
    for (const t of tags) this.store.tag(result.id, t, this.clock);
    for (const { image: base, ref } of this.classicPulled.values()) {
      this.store.addImage(base);
      this.store.tag(base.id, ref);
      const digest = this.registry?.resolve(ref)?.manifest.digest;
      if (digest) this.store.addRepoDigest(base.id, `${parseDockerRef(ref).name}@${digest}`);
    }
    return {
      image: result, steps: this.steps, output: this.classic ? this.classic.text() : this.progress.text(), durationUs: this.clock - start,
      warnings: [...this.df.parsed.warnings, ...this.warnings], stagesBuilt: order.map((i) => this.runs.get(i)!.label),
      tagged: tags.map((t) => t.toString()),
    };
  }

  private commitCache(): void {
    // BuildKit's content store keeps what a build pulled, so a retry does not download the base
    // again (it is still not an image `docker images` lists).
    for (const d of this.pulledLayers) {
      const l = this.newLayers.get(d);
      if (l) this.store.addLayer(l);
    }
    for (const r of this.newCache.values()) {
      if (r.layer !== null) {
        const l = this.newLayers.get(r.layer);
        if (l) this.store.addLayer(l);
        else if (!this.store.hasLayer(r.layer)) continue;
      }
      this.store.cachePut(r);
    }
  }

  private targetIndex(): number {
    if (this.opts.target === undefined) return this.df.stages.length - 1;
    const t = this.opts.target.toLowerCase();
    const i = this.df.stages.findIndex((s) => s.name === t);
    if (i < 0) this.fail(`target stage "${this.opts.target}" could not be found`, undefined, "ETARGET");
    return i;
  }

  private resolveBaseName(s: Stage): string {
    const name = this.expand(s.baseName, this.globalArgs, s.line);
    if (name === "") this.fail(`base name (${s.baseName}) should not be blank`, s.line, "EDOCKERFILE");
    return name;
  }

  private stageByName(name: string, before: number): number | undefined {
    const lower = name.toLowerCase();
    for (let i = 0; i < before; i++) if (this.df.stages[i]!.name === lower) return i;
    return undefined;
  }

  /** `COPY --from` target: a stage name, a stage index, or an image. */
  private fromStage(from: string, current: number, line: number): number | undefined {
    if (/^\d+$/.test(from)) {
      const i = Number(from);
      if (i >= current) this.fail(`invalid from flag value ${from}: refers to current or future build stage`, line, "EDOCKERFILE");
      return i;
    }
    const byName = this.df.stages.findIndex((s) => s.name === from.toLowerCase());
    if (byName >= 0) {
      if (byName >= current) this.fail(`invalid from flag value ${from}: refers to current or future build stage`, line, "EDOCKERFILE");
      return byName;
    }
    return undefined;
  }

  /** Stages the target needs, dependencies first (BuildKit skips the others). */
  private stageOrder(target: number): number[] {
    const order: number[] = [];
    const visiting = new Set<number>();
    const visit = (i: number): void => {
      if (order.includes(i)) return;
      if (visiting.has(i)) this.fail("circular dependency detected on stage: " + (this.df.stages[i]!.name ?? i), this.df.stages[i]!.line, "EDOCKERFILE");
      visiting.add(i);
      const s = this.df.stages[i]!;
      const base = this.stageByName(this.resolveBaseName(s), i);
      if (base !== undefined) visit(base);
      for (const c of s.commands) {
        if (c.kind === "copy" && typeof c.flags.from === "string") {
          const dep = this.fromStage(this.expand(c.flags.from, this.globalArgs, c.line), i, c.line);
          if (dep !== undefined) visit(dep);
        }
        if (c.kind === "run" && typeof c.flags.mount === "string") {
          for (const m of c.flags.mount.split("\n")) {
            const from = /(?:^|,)from=([^,]+)/.exec(m)?.[1];
            if (from) {
              const dep = this.fromStage(from, i, c.line);
              if (dep !== undefined) visit(dep);
            }
          }
        }
      }
      visiting.delete(i);
      order.push(i);
    };
    visit(target);
    return order;
  }

  /** Resolves a base (or COPY --from) image: the local store first, else the registry's metadata. */
  private resolveImage(refText: string, line: number): Image {
    const found = this.lookupImage(refText);
    if (found instanceof ImageNotFoundError) this.fail(this.classic ? this.classicMissing(refText) : found.message, line, found.code);
    return found;
  }

  private canonical(refText: string, line: number): string {
    try {
      return parseDockerRef(refText).toString();
    } catch (e) {
      if (e instanceof DrydockError) this.fail(`failed to parse stage name "${refText}": ${e.message}`, line, "EREFERENCE");
      throw e;
    }
  }

  /** The local store first (unless --pull), else the registry; a missing image as BuildKit words it. */
  private lookupImage(refText: string): Image | ImageNotFoundError {
    const ref = parseDockerRef(refText);
    if (!this.opts.pull) {
      const local = this.store.resolve(ref.toString());
      if (local) return local;
    }
    if (!this.registry) {
      return new ImageNotFoundError("ENOTFOUND", `${refText}: failed to resolve source metadata for ${ref.toString()}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`, "", "repository", ref.toString());
    }
    const found = this.registry.resolve(ref.toString());
    if (found) return found.image;
    try {
      return this.registry.missing(refText, "build");
    } catch (e) {
      // An unknown registry host: BuildKit's resolver fails to reach it.
      if (e instanceof DrydockError) return new ImageNotFoundError("ENOTFOUND", `${refText}: failed to resolve source metadata for ${ref.toString()}: failed to do request: ${e.message}`, "", "repository", ref.toString());
      throw e;
    }
  }

  /** The legacy builder pulls a missing base like `docker pull` and fails with its words. */
  private classicMissing(refText: string): string {
    try {
      return this.registry ? this.registry.missing(refText, "pull").message : `pull access denied for ${parseDockerRef(refText).familiarName}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
    } catch (e) {
      if (e instanceof DrydockError) return e.message;
      throw e;
    }
  }

  /**
   * Fetches the layers of an image that are not stored yet, into the build's staging area. Like
   * BuildKit, the build keeps base images as layers and cache, not as tagged images.
   */
  private pullImage(refText: string, line: number, vertex: number, print = true): { image: Image; fetched: Layer[] } {
    const img = this.resolveImage(refText, line);
    const registry = this.registry;
    const fetched: Layer[] = [];
    for (const d of img.layers) {
      if (this.hasLayer(d)) continue;
      const blob = registry?.blob(parseDockerRef(refText).domain, d);
      if (!blob) this.fail(`failed to resolve source metadata for ${refText}: layer ${d} not found`, line, "ENOIMAGE");
      this.newLayers.set(d, blob);
      this.pulledLayers.add(d);
      fetched.push(blob);
    }
    if (print) this.transferLines(vertex, fetched);
    return { image: img, fetched };
  }

  /**
   * BuildKit's lines for fetched layers, as progressui prints a pull's statuses: each blob's
   * "sha256:<digest> <size> / <size> <time>s done" (go-units HumanSize, 4 significant digits), then
   * "extracting sha256:<digest> <time>s done". Virtual time passes for the download and the unpacking.
   */
  private transferLines(vertex: number, fetched: readonly Layer[]): void {
    const downloadUs = (l: Layer) => 50_000 + Math.round(l.size / 50);
    const extractUs = (l: Layer) => 30_000 + Math.round(l.size / 250);
    for (const l of fetched) {
      this.progress.log(vertex, `${l.digest} ${humanSize(l.size, 4)} / ${humanSize(l.size, 4)} ${seconds1(downloadUs(l))}s done`);
      this.clock += downloadUs(l);
    }
    for (const l of fetched) {
      this.progress.log(vertex, `extracting ${l.digest} ${seconds1(extractUs(l))}s done`);
      this.clock += extractUs(l);
    }
  }

  /** Layers of base images this build fetched: kept by the content store even when the build fails. */
  private readonly pulledLayers = new Set<string>();

  /** The "[internal] load build context" vertex (once per build). */
  private loadContext(): void {
    this.contextLoaded = true;
    const v = this.progress.start("[internal] load build context");
    this.progress.log(v, `transferring context: ${bytesSize(this.ctx.size).replace("iB", "B")} done`);
    this.progress.done(v, 20 * MICROS_PER_MS);
  }

  /** Whether a stage the build runs reads the build context (COPY/ADD of local sources, RUN --mount=type=bind). */
  private needsContext(order: readonly number[]): boolean {
    return order.some((i) => this.df.stages[i]!.commands.some((c) => {
      if (c.kind === "copy" || c.kind === "add") {
        if (typeof c.flags.from === "string") return false;
        const docs = new Set(c.heredocs.map((h) => h.name));
        return c.sources.some((s) => !isUrl(s) && !(s.includes("<<") && docs.has(s.replace(/^\d*<<-?/, "").replace(/["']/g, ""))));
      }
      return c.kind === "run" && typeof c.flags.mount === "string" && c.flags.mount.split("\n").some((m) => /(^|,)type=bind/.test(m) && !/(^|,)from=/.test(m));
    }));
  }

  private contextWanted = false;

  private stepName(run: StageRun, n: number, total: number, text: string): string {
    return run.label ? `[${run.label} ${n}/${total}] ${text}` : `[${n}/${total}] ${text}`;
  }

  private runStage(stage: Stage, multi: boolean): void {
    const label = multi ? (stage.name ?? `stage-${stage.index}`) : "";
    const fsSteps = stage.commands.filter((c) => ["run", "copy", "add", "workdir"].includes(c.kind)).length;
    const baseName = this.resolveBaseName(stage);
    const fromStage = this.stageByName(baseName, stage.index);
    let state: State;
    let onbuild: readonly string[] = [];
    const run: StageRun = { stage, label, state: undefined as unknown as State };
    this.classicCached = !this.opts.noCache;
    this.classicNext(`FROM ${baseName}${stage.name ? ` AS ${stage.name}` : ""}`);
    if (fromStage !== undefined) {
      this.classic?.image(this.classicStageImage.get(fromStage) ?? "");
      const parent = this.runs.get(fromStage)!.state;
      state = { ...parent, layers: [...parent.layers], history: [...parent.history] };
      onbuild = parent.config.onBuild;
    } else if (baseName.toLowerCase() === "scratch") {
      // The legacy builder prints an empty image ID for scratch (" ---> ").
      this.classic?.image("");
      state = { layers: [], config: { ...emptyConfig() }, history: [], os: "linux", key: key("scratch"), lastCreated: this.clock, base: null };
    } else {
      const ref = parseDockerRef(baseName);
      const shown = ref.toString();
      const resolved = this.resolveImage(baseName, stage.line);
      const wasCached = resolved.layers.every((d) => this.hasLayer(d)) && this.cacheGet(key("from", resolved.id)) !== undefined;
      const total = fsSteps + 1 + resolved.config.onBuild.length;
      // BuildKit pins the base by its manifest digest in the step name.
      const digest = ref.digest ?? this.registry?.resolve(shown)?.manifest.digest;
      const pinned = digest && !shown.includes("@") ? `${shown}@${digest}` : shown;
      const v = this.progress.start(this.stepName(run, 1, total, `FROM ${pinned}`));
      const before = this.clock;
      const wasLocal = !this.opts.pull && this.store.resolve(shown) !== undefined;
      // BuildKit resolves the pinned reference, fetches the missing blobs (manifest, config, layers)
      // and unpacks the layers. The build context loads in parallel: plain progress prints the
      // FROM vertex so far, "#N ...", the context's vertex, then the FROM vertex again to its end.
      if (digest) this.progress.log(v, `resolve ${pinned} done`);
      const { image: img, fetched } = this.pullImage(baseName, stage.line, v, false);
      if (fetched.length > 0 && digest) {
        const manifestSize = 350 + 180 * img.layers.length;
        const configSize = 600 + 120 * img.history.length;
        this.progress.log(v, `${digest} ${humanSize(manifestSize, 4)} / ${humanSize(manifestSize, 4)} done`);
        this.progress.log(v, `${img.id} ${humanSize(configSize, 4)} / ${humanSize(configSize, 4)} done`);
      }
      if (this.contextWanted && !this.contextLoaded && fetched.length > 0) {
        this.progress.pause(v);
        this.loadContext();
        this.progress.resume(v);
      }
      this.transferLines(v, fetched);
      if (this.classic) {
        if (!wasLocal) this.classicPull(baseName, img);
        this.classic.image(img.id);
      }
      const pullUs = this.clock - before;
      const k = key("from", img.id);
      state = { layers: img.layers.map((d) => this.layer(d)), config: img.config, history: [...img.history], os: img.os, key: k, lastCreated: img.created, base: img };
      onbuild = img.config.onBuild;
      // A base already in the content store: "DONE 0.0s" (BuildKit's docker driver, as on a rebuild).
      this.progress.done(v, pullUs);
      this.newCache.set(k, { key: k, layer: null, history: { created: img.created, createdBy: `FROM ${shown}`, emptyLayer: true }, description: `FROM ${shown}` });
      this.steps.push({ vertex: v, name: this.stepName(run, 1, total, `FROM ${pinned}`), stage: label, kind: "from", cached: wasCached, durationUs: pullUs, cacheKey: k, layer: null, output: [] });
    }
    this.classicChain = fastDigest(`${this.classicChain}\u0001${state.key}`);
    // The build context loads in parallel with the first base: its vertex comes right after.
    if (this.contextWanted && !this.contextLoaded && fromStage === undefined) this.loadContext();
    // ONBUILD triggers of the base run first, and are not inherited.
    state = { ...state, config: { ...state.config, onBuild: [] } };
    run.state = state;
    this.runs.set(stage.index, run);
    const args = new Map<string, string | undefined>();
    this.argsVersion++;
    for (const k of PREDEFINED_ARGS) if (own(this.opts.buildArgs, k) !== undefined) args.set(k, own(this.opts.buildArgs, k));
    let stepNo = 1;
    const triggers: Command[] = [];
    for (const t of onbuild) {
      const compiled = compileDockerfile(`FROM scratch\n${t}\n`).stages[0]!.commands[0];
      if (compiled) triggers.push({ ...compiled, line: stage.line } as Command);
    }
    const total = fsSteps + 1 + triggers.filter((t) => ["run", "copy", "add", "workdir"].includes(t.kind)).length;
    let cmdSetHere = false;
    const env = (): Map<string, string> => this.stageEnv(run.state, args);
    for (const c of [...triggers, ...stage.commands]) {
      const metadata = !["run", "copy", "add", "workdir"].includes(c.kind);
      if (metadata) this.classicNext(c.text);
      this.stepCommand(run, c, args, env, total, () => ++stepNo, () => (cmdSetHere = true), cmdSetHere);
      // The legacy builder's image ID follows the config; BuildKit's transcript needs no JSON of it.
      if (metadata && this.classic) this.classicDone(true, [], true, JSON.stringify(run.state.config));
    }
    if (this.classic) this.classicStageImage.set(stage.index, this.classicLastImage);
  }

  private readonly classicStageImage = new Map<number, string>();

  /** One instruction of a stage (after FROM). */
  private stepCommand(
    run: StageRun, c: Command, args: Map<string, string | undefined>, env: () => Map<string, string>, total: number,
    nextStep: () => number, setCmd: () => void, cmdSetHere: boolean,
  ): void {
    {
      switch (c.kind) {
        case "arg":
          for (const a of c.args) {
            const fromBuild = own(this.opts.buildArgs, a.key);
            if (fromBuild !== undefined) this.usedArgs.add(a.key);
            const value = fromBuild ?? (a.value !== undefined ? this.expand(a.value, env(), c.line) : this.globalArgs.get(a.key));
            args.set(a.key, value);
            this.argsVersion++;
          }
          this.meta(run, `ARG ${c.args.map((a) => (a.value !== undefined ? `${a.key}=${a.value}` : a.key)).join(" ")}`);
          break;
        case "env": {
          let cfg = run.state.config;
          const set: string[] = [];
          // One ENV expands every pair against the environment from before it (Dockerfile
          // reference: `ENV abc=bye def=$abc` gives def the old abc).
          const e = env();
          for (const [k, v] of c.pairs) {
            const [key, value] = [this.expand(k, e, c.line), this.expand(v, e, c.line)];
            cfg = { ...cfg, env: envSet(cfg.env, key, value) };
            set.push(`${key}=${value}`);
            run.state = { ...run.state, config: cfg };
          }
          this.meta(run, `ENV ${set.join(" ")}`);
          break;
        }
        case "label":
        case "maintainer":
        case "expose":
        case "volume":
        case "user":
        case "stopsignal":
        case "shell":
        case "cmd":
        case "entrypoint":
        case "healthcheck":
        case "onbuild": {
          const e = env();
          const change = metadataChange(c, {
            config: run.state.config, os: run.state.os, cmdSetHere,
            expand: (t) => this.expand(t, e, c.line),
            expandWords: (t) => this.expandWords(t, e, c.line),
            fail: (m) => this.fail(m, c.line, "EDOCKERFILE"),
          });
          if (c.kind === "cmd") setCmd();
          this.metaConfig(run, change.patch, change.text);
          break;
        }
        case "workdir": {
          const stepNo = nextStep();
          const written = this.expand(c.value, env(), c.line);
          const dir = normalizePath(run.state.os === "windows" ? windowsToPosix(written) : written, run.state.config.workingDir || "/");
          run.state = { ...run.state, config: { ...run.state.config, workingDir: dir } };
          this.fsStep(run, c, this.stepName(run, stepNo, total, c.text), key(run.state.key, "workdir", dir), (fs) => {
            if (fs.stat(dir)?.type !== "dir") fs.mkdir(dir, { parents: true });
            return { durationUs: 5 * MICROS_PER_MS, output: [] };
          }, c.text);
          break;
        }
        case "run": {
          const stepNo = nextStep();
          this.runStep(run, c, this.stepName(run, stepNo, total, c.text), env(), args);
          break;
        }
        case "copy":
        case "add": {
          const stepNo = nextStep();
          this.copyStep(run, c, this.stepName(run, stepNo, total, c.text), env());
          break;
        }
      }
    }
  }

  /** A metadata-only instruction: config changes and an empty-layer history entry. */
  private meta(run: StageRun, text: string): void {
    run.state = { ...run.state, history: [...run.state.history, metaEntry(run.state.lastCreated, text)] };
  }

  private metaConfig(run: StageRun, patch: Partial<ImageConfig>, text: string): void {
    run.state = { ...run.state, config: { ...run.state.config, ...patch } };
    this.meta(run, text);
  }

  /**
   * A filesystem step: hit the cache by key, or run `apply` on a writable layer over the current
   * layers and record the result.
   */
  private fsStep(
    run: StageRun,
    c: Command,
    name: string,
    k: string,
    apply: (fs: UnionFS) => { durationUs: Micros; output: readonly { atUs: Micros; line: string }[]; exitCode?: number; error?: string },
    createdBy = `${c.text} # buildkit`,
    preLog?: (v: number) => void,
    processArgs?: readonly string[],
  ): void {
    const v = this.progress.start(name);
    preLog?.(v);
    this.classicNext(c.text);
    const container = c.kind === "run" || c.kind === "workdir";
    const hit = this.opts.noCache ? undefined : this.cacheGet(k);
    if (hit) {
      this.classicDone(true, [], container, k);
      this.progress.cached(v);
      this.append(run, hit.layer, hit.history, k);
      this.steps.push({ vertex: v, name, stage: run.label, kind: c.kind as BuildStep["kind"], cached: true, durationUs: 0, cacheKey: k, layer: hit.layer, output: [] });
      return;
    }
    const fs = new UnionFS(run.state.layers);
    const r = apply(fs);
    for (const o of r.output) this.progress.log(v, o.line, o.atUs);
    const lines = r.output.map((o) => o.line);
    if (r.error !== undefined || (r.exitCode ?? 0) !== 0) {
      // BuildKit: process %q (the argv joined by spaces, Go-quoted) did not complete successfully.
      const argv = processArgs ?? [c.text.replace(/^RUN\s+/, "/bin/sh -c ")];
      const message = r.error ?? `process ${JSON.stringify(argv.join(" "))} did not complete successfully: exit code: ${r.exitCode}`;
      this.progress.error(v, message);
      this.steps.push({ vertex: v, name, stage: run.label, kind: c.kind as BuildStep["kind"], cached: false, durationUs: r.durationUs, cacheKey: k, layer: null, output: lines });
      if (this.classic) {
        // The legacy builder: the container's output, then moby's "The command '%s' returned a
        // non-zero code: %d" (the Cmd joined by spaces); `docker build` exits with that code.
        this.classic.runningIn(derivedId(`container:${this.classicChain}:${this.opts.now ?? 0}`));
        for (const l of lines) this.classic.say(l);
        const exit = r.exitCode ?? 1;
        this.fail(r.error ?? `The command '${argv.join(" ")}' returned a non-zero code: ${exit}`, c.line, "EBUILD", exit);
      }
      this.fail(message, c.line, "EBUILD");
    }
    this.clock += r.durationUs;
    this.progress.done(v, r.durationUs);
    let digest: string | null = null;
    if (fs.isDirty()) {
      const layer = fs.toLayer();
      if (!this.newLayers.has(layer.digest) && !this.store.hasLayer(layer.digest)) this.newLayers.set(layer.digest, layer);
      digest = layer.digest;
    }
    const history: HistoryEntry = { created: this.clock, createdBy, emptyLayer: digest === null, comment: BUILDKIT_COMMENT };
    this.classicDone(false, lines, container, k);
    this.newCache.set(k, { key: k, layer: digest, history, description: c.text });
    this.append(run, digest, history, k);
    this.steps.push({ vertex: v, name, stage: run.label, kind: c.kind as BuildStep["kind"], cached: false, durationUs: r.durationUs, cacheKey: k, layer: digest, output: lines });
  }

  private append(run: StageRun, digest: string | null, history: HistoryEntry, k: string): void {
    const layers = digest ? [...run.state.layers, this.layer(digest)] : run.state.layers;
    run.state = { ...run.state, layers, history: [...run.state.history, history], key: k, lastCreated: history.created };
  }

  private runStep(run: StageRun, c: Extract<Command, { kind: "run" }>, name: string, env: Map<string, string>, args: ReadonlyMap<string, string | undefined>): void {
    const state = run.state;
    const shell = state.config.shell ?? (state.os === "windows" ? DEFAULT_WINDOWS_SHELL : DEFAULT_LINUX_SHELL);
    // Every declared ARG reaches RUN as an environment variable, so a changed value misses here
    // (the "first use" of the ARG), even when the command does not mention it.
    const argEnv = [...args.entries()].filter(([k, v]) => v !== undefined && !PREDEFINED_ARGS.has(k)).map(([k, v]) => `${k}=${v}`).sort();
    for (const [k] of args) if (own(this.opts.buildArgs, k) !== undefined) this.usedArgs.add(k);
    // Bind mounts: their content is an input of the step, so it joins the key (by content digest).
    const binds = typeof c.flags.mount === "string" ? this.resolveBinds(c.flags.mount, run, env, c.line) : [];
    const bindKey = binds.map((b) => [b.target, b.files.map(([p, e]) => [p, e.mode, e.contentDigest])]);
    const k = key(state.key, "run", c.json, c.args, c.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp]), shell, state.config.env, argEnv, state.config.user, state.config.workingDir, c.flags, bindKey);
    const createdBy = c.json ? `RUN ${JSON.stringify(c.args)} # buildkit` : `RUN ${shell.join(" ")} ${c.args[0] ?? ""} # buildkit`;
    this.fsStep(run, c, name, k, (fs) => {
      // Windows containers: no passwd file and no simulated cmd.exe; the step only takes time.
      if (state.os === "windows") return { durationUs: 800 * MICROS_PER_MS, output: [] };
      const user = resolveUser(fs, state.config.user);
      if ("error" in user) return { durationUs: 0, output: [], error: user.error };
      const cwd = state.config.workingDir || "/";
      if (cwd !== "/" && fs.stat(cwd)?.type !== "dir") fs.mkdir(cwd, { parents: true });
      const network = c.flags.network === "none" || c.flags.network === "host" ? c.flags.network : "default";
      const step = { fs, env, cwd, user: state.config.user ?? "", uid: user.uid, gid: user.gid, shell, network, now: this.clock, ...(this.opts.urls ? { urls: this.opts.urls } : {}) } as const;
      // RUN --mount=type=cache|tmpfs: what the command writes there does not reach the layer.
      const mounted = typeof c.flags.mount === "string" ? mountTargets(c.flags.mount) : [];
      for (const b of binds) {
        const target = normalizePath(b.target, cwd);
        for (const [rel, e] of b.files) fs.writeFile(rel === "" ? target : joinPath(target, rel), e);
      }
      const result = this.execRun(c, step, env);
      for (const t of mounted) if (t !== "/") fs.discard(normalizePath(t, cwd));
      return result;
    }, createdBy, undefined, c.json ? c.args : [...shell, c.args[0] ?? ""]);
  }

  /** The files each bind mount shows: [path under the target ("" for a single file), entry]. */
  private resolveBinds(spec: string, run: StageRun, env: ReadonlyMap<string, string>, line: number): { target: string; files: [string, FileEntry][] }[] {
    return bindMounts(spec).map((b) => {
      const source = this.expand(b.source, env, line);
      const files: [string, FileEntry][] = [];
      if (b.from === undefined) {
        for (const sel of selectFromContext(this.ctx, source)) files.push([sel.fromDir ? sel.rel : "", sel.file.entry]);
      } else {
        const from = this.expand(b.from, this.globalArgs, line);
        const idx = this.fromStage(from, run.stage.index, line);
        let layers: readonly Layer[];
        if (idx !== undefined) layers = this.runs.get(idx)!.state.layers;
        else {
          const v = this.progress.start(`[internal] load metadata for ${parseDockerRef(from).toString()}`);
          layers = this.pullImage(from, line, v).image.layers.map((d) => this.layer(d));
          this.progress.done(v, 0);
        }
        const sfs = new UnionFS(layers);
        const abs = normalizePath(source);
        const e = sfs.stat(abs);
        if (e?.type === "file") files.push(["", e]);
        else if (e?.type === "dir") {
          for (const p of sfs.walk(abs)) {
            const pe = sfs.stat(p)!;
            if (pe.type === "file") files.push([p.slice(abs === "/" ? 1 : abs.length + 1), pe]);
          }
        }
      }
      if (files.length === 0) this.fail(`failed to compute cache key: failed to calculate checksum of ref: "${normalizePath(source)}": not found`, line);
      return { target: b.target, files: files.sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)) };
    });
  }

  /** Runs a RUN's command: exec form, heredoc script, heredoc as stdin, or plain shell form. */
  private execRun(c: Extract<Command, { kind: "run" }>, step: Omit<RunStepRequest, "form" | "argv" | "stdin">, env: Map<string, string>): RunResult {
    const exec = this.opts.runStep ?? interpretRunStep;
    const shellForm = (script: string, heredoc?: RunStepRequest["heredoc"]) => exec({ ...step, form: "shell", argv: [...step.shell, script], ...(heredoc ? { heredoc } : {}) });
    if (c.json) return exec({ ...step, form: "exec", argv: c.args });
    const line = c.args[0] ?? "";
    if (c.heredocs.length === 0) return shellForm(line);
    const doc = c.heredocs[0]!;
    const content = doc.chomp ? chompHeredocContent(doc.content) : doc.content;
    const rest = line.replace(/\s*\d*<<-?\s*["']?\w+["']?/g, " ").trim();
    if (rest === "") {
      // `RUN <<EOF`: the heredoc is the script (a non-shell shebang runs as a generic program).
      if (/^#!(?!\/bin\/(ba)?sh)/.test(content)) return { exitCode: 0, durationUs: 300 * MICROS_PER_MS, output: [] };
      return shellForm(content);
    }
    // dockerfile2llb's "more complex heredoc": the line and each heredoc reconstituted, for the shell to read.
    const full = c.heredocs.reduce((text, h) => `${text}\n${h.content}${h.name}`, line);
    return shellForm(full, { command: rest, stdin: doc.expand ? expandHeredoc(content, env) : content });
  }

  private chownIds(fs: UnionFS, spec: string | true | undefined, line: number): { uid: number; gid: number } {
    if (typeof spec !== "string") return { uid: 0, gid: 0 };
    const r = resolveUser(fs, spec);
    if ("error" in r) this.fail(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${spec.split(":")[0]}: no such user: ${spec.split(":")[0]}`, line);
    return r;
  }

  private copyStep(run: StageRun, c: Extract<Command, { kind: "copy" | "add" }>, name: string, env: Map<string, string>): void {
    const state = run.state;
    const from = typeof c.flags.from === "string" ? this.expand(c.flags.from, this.globalArgs, c.line) : undefined;
    const written = this.expand(c.dest, env, c.line);
    const dest = state.os === "windows" ? windowsToPosix(written) : written;
    const workdir = state.config.workingDir || "/";
    const destAbs = normalizePath(dest, workdir);
    const destIsDir = dest.endsWith("/") || dest === "." || dest.endsWith("/.");
    // Gather the sources: [path under destination, entry].
    type Item = { rel: string; entry: FileEntry; fromDir: boolean };
    const items: Item[] = [];
    let explicitSources = 0;
    let srcDescr: unknown;
    const heredocNames = new Set(c.heredocs.map((h) => h.name));
    const fromIndex = from !== undefined ? this.fromStage(from, run.stage.index, c.line) : undefined;
    let sourceFs: UnionFS | undefined;
    if (from !== undefined) {
      if (fromIndex !== undefined) sourceFs = new UnionFS(this.runs.get(fromIndex)!.state.layers);
      else {
        const v = this.progress.start(`[internal] load metadata for ${parseDockerRef(from).toString()}`);
        const img = this.pullImage(from, c.line, v).image;
        this.progress.done(v, 0);
        sourceFs = new UnionFS(img.layers.map((d) => this.layer(d)));
      }
    }
    const usesContext = from === undefined && c.sources.some((s) => !isUrl(s) && !heredocNames.has(s.replace(/^\d*<<-?/, "").replace(/["']/g, "")));
    if (usesContext && !this.contextLoaded) this.loadContext();
    for (const rawSrc of c.sources) {
      const hd = c.heredocs.find((h) => rawSrc.replace(/^\d*<<-?/, "").replace(/["']/g, "") === h.name && rawSrc.includes("<<"));
      if (hd) {
        let content = hd.chomp ? chompHeredocContent(hd.content) : hd.content;
        if (hd.expand) content = expandHeredoc(content, env);
        items.push({ rel: hd.name, entry: textFile(content), fromDir: false });
        explicitSources++;
        continue;
      }
      const src = this.expand(rawSrc, env, c.line);
      if (c.kind === "add" && isUrl(src)) {
        const body = own(this.opts.urls, src);
        const fname = basename(src.replace(/[?#].*$/, "")) || "index.html";
        const entry = body !== undefined ? textFile(body, { mode: 0o600 }) : opaqueFile(`url:${src}`, 10_000 + (src.length * 7919) % 5_000_000, { mode: 0o600 });
        if (typeof c.flags.checksum === "string" && c.flags.checksum !== entry.contentDigest) {
          this.fail(`digest mismatch ${c.flags.checksum}: ${entry.contentDigest}`, c.line);
        }
        items.push({ rel: fname, entry, fromDir: false });
        explicitSources++;
        continue;
      }
      let found: Item[];
      if (sourceFs) {
        const abs = normalizePath(src);
        const e = sourceFs.stat(abs);
        if (!e) this.fail(`failed to compute cache key: failed to calculate checksum of ref: "${abs}": not found`, c.line);
        found = [];
        if (e.type === "dir") {
          for (const p of sourceFs.walk(abs)) {
            const pe = sourceFs.stat(p)!;
            if (pe.type === "file") found.push({ rel: p.slice(abs === "/" ? 1 : abs.length + 1), entry: pe, fromDir: true });
          }
        } else if (e.type === "file") found.push({ rel: basename(abs), entry: e, fromDir: false });
      } else {
        const sel = selectFromContext(this.ctx, src);
        if (sel.length === 0) this.fail(`failed to compute cache key: failed to calculate checksum of ref: "${normalizePath(src)}": not found`, c.line);
        found = sel.map((s) => ({ rel: s.rel, entry: s.file.entry, fromDir: s.fromDir }));
      }
      explicitSources += found.filter((f) => !f.fromDir).length > 1 ? 2 : 1;
      items.push(...found);
    }
    const multiple = explicitSources > 1;
    if (multiple && !destIsDir) {
      this.fail(`When using ${c.kind.toUpperCase()} with more than one source file, the destination must be a directory and end with a /`, c.line);
    }
    // --exclude=<pattern> (repeatable): matching paths are left out, as .dockerignore patterns match.
    if (typeof c.flags.exclude === "string") {
      const rules = parseDockerignore(c.flags.exclude);
      const keep = items.filter((it) => !rules.some((r) => r.exclude && it.rel.split("/").some((_, n, parts) => r.pattern.test(parts.slice(0, n + 1).join("/")))));
      items.length = 0;
      items.push(...keep);
    }
    srcDescr = items.map((i) => [i.rel, i.entry.mode, i.entry.contentDigest, i.fromDir]);
    // CopyCommand.Expand: --chown and --chmod take ARG and ENV values, so they join the key expanded.
    const chown = typeof c.flags.chown === "string" ? this.expand(c.flags.chown, env, c.line) : undefined;
    const chmod = typeof c.flags.chmod === "string" ? this.expand(c.flags.chmod, env, c.line) : undefined;
    const mode = chmod !== undefined ? parseChmod(chmod) : undefined;
    if (mode === null) this.fail(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`, c.line);
    const k = key(state.key, c.kind, destAbs, destIsDir, chown ?? null, mode ?? null, srcDescr);
    this.fsStep(run, c, name, k, (fs) => {
      const ids = this.chownIds(fs, chown, c.line);
      const intoDir = destIsDir || multiple || fs.stat(destAbs)?.type === "dir" || items.some((i) => i.fromDir);
      let bytes = 0;
      if (intoDir && fs.stat(destAbs)?.type !== "dir") fs.mkdir(destAbs, { parents: true, meta: ids });
      for (const it of items) {
        const target = intoDir ? joinPath(destAbs, it.rel) : destAbs;
        // ADD extracts local tar archives (not URLs) into the destination directory.
        if (c.kind === "add" && it.entry.archive && ARCHIVE.test(it.rel) && !c.sources.some(isUrl)) {
          for (const [m, text] of Object.entries(it.entry.archive)) {
            fs.writeFile(joinPath(intoDir ? destAbs : dirname(destAbs), m), textFile(text, { mode: 0o644, ...ids }));
            bytes += text.length;
          }
          continue;
        }
        for (const d of dirsBetween(intoDir ? destAbs : dirname(destAbs), dirname(target))) if (!fs.stat(d)) fs.mkdir(d, { parents: true, meta: ids });
        fs.writeFile(target, { ...it.entry, uid: ids.uid, gid: ids.gid, mode: mode ?? it.entry.mode });
        bytes += it.entry.size;
      }
      return { durationUs: 30 * MICROS_PER_MS + Math.round(bytes / 100), output: [] };
    }, `${c.text} # buildkit`);
  }
}

/** BuildKit's dispatchCopy: an octal mode up to 07777 (strconv.ParseUint(s, 8, 32)), else null. */
function parseChmod(s: string): number | null {
  if (!/^[0-7]+$/.test(s)) return null;
  const n = Number.parseInt(s, 8);
  return n <= 0o7777 ? n : null;
}

/**
 * Builds an image from a Dockerfile like `docker build` with BuildKit: cache by step, multi-stage
 * with unneeded stages skipped, virtual step durations, plain progress output. Layers, cache
 * records and tags reach the store only when the build succeeds.
 */
export function build(opts: BuildOptions, store: ImageStore, registry?: RegistryHub): BuildResult {
  let compiled: CompiledDockerfile;
  try {
    compiled = compileDockerfile(opts.dockerfile);
  } catch (e) {
    if (e instanceof DrydockError) throw new BuildError(e.code, e.message, e.location, "", []);
    throw e;
  }
  return new Builder(compiled, opts, store, registry).run();
}


/** The resolver's own error, as the failed "load metadata" vertex shows it (without the solve's prefix). */
function innerResolveError(e: ImageNotFoundError, written: string, canonical: string): string {
  const prefix = `${written}: failed to resolve source metadata for ${canonical}: `;
  const text = e.dockerMessage !== "" ? e.dockerMessage : e.hint;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}
