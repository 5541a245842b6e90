import type { TraceRecord } from "@drydock/kernel";
import type { WorldState } from "@drydock/playground";
import { ImageStore, type Image } from "@drydock/image";
import { diffTrees, nodeAt, type Container } from "@drydock/engine";
import { nodeActors, type Driver, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import { openHostRun, stepTimes, type ScriptStep } from "./run.js";
import type {
  BuildView, BuildViewModel, Caption, ContainerLayer, DockerfileLine, ImageColumn, LayerNode, LineStatus, StageView, StepInfo, UpperEntry,
} from "./model.js";

// Images and builds (issue 14): a Dockerfile beside the layer stacks it builds, from the world's
// builder (packages/image's BuildKit model, run by `docker build` in the playground). Each line is
// marked as the build reported its step (the trace's build.step records, CACHED or run); a changed
// line invalidates every step after it ("cache invalidated if checksum changed", the course's
// BUILD CACHE); the first stage of the multi-stage build is dropped, only its binary copied out;
// a second image from the same base shares its layers; and a container's writable layer shows
// copy-up and whiteouts (the engine's copy-on-write root filesystem, `docker diff`).

export const HOST = "node1";
export const DIR = "/root/app";

const DOCKERFILE = [
  "FROM alpine:3.19 AS build",
  "RUN apk add --no-cache gcc musl-dev",
  "COPY hello.c /src/hello.c",
  "RUN gcc -o /src/hello /src/hello.c",
  "",
  "FROM alpine:3.19",
  "RUN apk add --no-cache curl",
  "COPY --from=build /src/hello /usr/local/bin/hello",
  "COPY motd /etc/motd",
  "CMD [\"hello\"]",
];
const TOOLS = ["FROM alpine:3.19", "RUN apk add --no-cache curl", "RUN apk add --no-cache git"];
const HELLO_C = ["#include <stdio.h>", "int main(void) { puts(\"hello\"); return 0; }"];

/** printf's format for a file's lines (no `%` in them; quotes and newlines escaped for sh). */
const printf = (lines: readonly string[], file: string): string =>
  `printf '${lines.map((l) => l.replace(/\\/g, "\\\\").replace(/'/g, "'\\''")).join("\\n")}\\n' > ${file}`;

/** What the scene opens with: the build context in ~/app, typed at the prompt. */
export const SETUP_LINES: readonly string[] = [
  `mkdir -p ${DIR} && cd ${DIR}`,
  printf(HELLO_C, "hello.c"),
  "echo 'Welcome to app' > motd",
  printf(DOCKERFILE, "Dockerfile"),
  printf(TOOLS, "Dockerfile.tools"),
];

export const BUILD_STEPS: readonly ScriptStep[] = [
  { id: "build", label: "Build app:1", line: "docker build -t app:1 ." },
  { id: "edit", label: "Change a line, rebuild", line: "sed -i 's/curl$/curl jq/' Dockerfile && docker build -t app:2 ." },
  { id: "share", label: "Build tools:1 from the same base", line: "docker build -t tools:1 -f Dockerfile.tools ." },
  { id: "run", label: "Run a container of app:2", line: "docker run -d --name web app:2 sleep 3600" },
  { id: "write", label: "Change and delete files in it", line: "docker exec web sh -c 'echo Edited >> /etc/motd; rm /etc/alpine-release; echo hi > /tmp/new.txt'" },
];

type Fs = { readonly kind: string; readonly entries?: ReadonlyMap<string, Fs>; readonly text?: string };

/** A file's text on the host, or null. */
function hostFile(world: WorldState, host: string, path: string): string | null {
  let node: Fs | undefined = world.hosts.get(host)?.fs as Fs | undefined;
  for (const part of path.split("/").filter(Boolean)) node = node?.entries?.get(part);
  return node && node.kind === "file" ? node.text ?? "" : null;
}

/** The Dockerfiles (`Dockerfile*`, `*.Dockerfile`) in `dir` and, `depth` levels down, its subdirectories. */
function dockerfilesIn(world: WorldState, host: string, dir: string, depth: number): string[] {
  let node: Fs | undefined = world.hosts.get(host)?.fs as Fs | undefined;
  for (const part of dir.split("/").filter(Boolean)) node = node?.entries?.get(part);
  const out: string[] = [];
  const walk = (n: Fs, path: string, left: number): void => {
    for (const [name, child] of n.entries ?? []) {
      if (child.kind === "file" && /^dockerfile|\.dockerfile$/i.test(name)) out.push(`${path}/${name}`);
      else if (child.kind === "dir" && left > 0) walk(child, `${path}/${name}`, left - 1);
    }
  };
  if (node) walk(node, dir.replace(/\/$/, ""), depth);
  return out.sort();
}

/** One step of a build as the trace's build.step record names it: "[build 2/4] RUN apk add ...". */
export interface StepRecord {
  readonly stage: string | null;
  readonly index: number;
  readonly of: number;
  readonly text: string;
  readonly cached: boolean;
}

export interface BuildRecords {
  readonly steps: readonly StepRecord[];
  /** build.done or build.failed seen. */
  readonly finished: boolean;
  readonly failed: boolean;
  readonly t: number;
}

const STEP_NAME = /^\[(?:(\S+) )?(\d+)\/(\d+)\] (.*)$/s;

/** The latest build's records in the trace (its build.start and what followed), or null. */
export function latestBuild(trace: readonly TraceRecord[], after = -1): BuildRecords | null {
  for (let i = trace.length - 1; i >= 0; i--) {
    const r = trace[i]!;
    if (r.t < after) return null;
    if (r.type !== "state" || (r.data as { event?: unknown } | null)?.event !== "build.start") continue;
    const steps: StepRecord[] = [];
    let finished = false;
    let failed = false;
    for (let j = i + 1; j < trace.length; j++) {
      const d = trace[j]!.type === "state" ? (trace[j] as { data: unknown }).data as { event?: string; name?: string; cached?: boolean } | null : null;
      if (!d) continue;
      if (d.event === "build.start") break;
      if (d.event === "build.done" || d.event === "build.failed") {
        finished = true;
        failed = d.event === "build.failed";
        break;
      }
      if (d.event !== "build.step" || typeof d.name !== "string") continue;
      const m = STEP_NAME.exec(d.name);
      if (!m) continue;
      steps.push({ stage: m[1] ?? null, index: Number(m[2]), of: Number(m[3]), text: m[4]!, cached: d.cached === true });
    }
    return { steps, finished, failed, t: r.t };
  }
  return null;
}

const squash = (s: string): string => s.trim().replace(/\s+/g, " ");
/** Instructions BuildKit runs as a step of their own (a vertex); the others only change the config. */
const STEPPED = new Set(["FROM", "RUN", "COPY", "ADD", "WORKDIR"]);

/** The Dockerfile's lines and stages, each line marked as the build reported it (exported for the tests). */
export function markDockerfile(text: string, build: BuildRecords | null): { lines: DockerfileLine[]; stages: StageView[] } {
  const raw = text.replace(/\n$/, "").split("\n");
  const stages: { name: string; base: string }[] = [];
  const parsed = raw.map((line, i) => {
    const word = /^\s*([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase() ?? "";
    if (word === "FROM") {
      const parts = squash(line).split(" ");
      const as = parts.findIndex((p) => p.toUpperCase() === "AS");
      stages.push({ name: as > 0 && parts[as + 1] ? parts[as + 1]! : `stage-${stages.length}`, base: parts[1] ?? "" });
    }
    return { n: i + 1, text: line, word: line.trim().startsWith("#") ? "" : word, stage: stages.length - 1 };
  });
  // Each stage's stepped lines in order: step k of a stage is its k-th (FROM is the first).
  const stepLines = stages.map((_, s) => parsed.filter((p) => p.stage === s && STEPPED.has(p.word)));
  const status = new Map<number, LineStatus>();
  if (build) {
    for (const st of build.steps) {
      // A single-stage build's steps carry no stage name; BuildKit names unnamed stages stage-N.
      const s = st.stage === null ? stages.length - 1 : stages.findIndex((x) => x.name === st.stage);
      const line = stepLines[s]?.[st.index - 1];
      if (!line) continue;
      status.set(line.n, st.cached ? "cached" : "run");
    }
  }
  const lines = parsed.map((p): DockerfileLine => {
    let st: LineStatus = status.get(p.n) ?? "none";
    if (st === "none" && build && p.word !== "" && p.stage >= 0) {
      if (STEPPED.has(p.word)) st = build.finished ? "none" : "pending";
      else st = "metadata";
    }
    return { n: p.n, text: p.text, stage: p.stage, status: st };
  });
  return {
    lines,
    stages: stages.map((s, i) => ({ index: i, name: s.name, base: s.base, dropped: i < stages.length - 1 })),
  };
}

/** The Dockerfile the latest build read: the file whose stepped lines are the build's steps (the first by path when several are). */
function buildFile(world: WorldState, host: string, names: readonly string[], build: BuildRecords | null, fallback: string): string {
  if (build) {
    const texts = build.steps.filter((s) => s.index > 1).map((s) => squash(s.text));
    const multi = build.steps.some((s) => s.stage !== null);
    const fits = names.filter((name) => {
      const text = hostFile(world, host, name) ?? "";
      const lines = new Set(text.split("\n").map(squash));
      const stagesIn = [...text.matchAll(/^\s*FROM\s/gim)].length;
      return texts.every((t) => lines.has(t)) && multi === stagesIn > 1;
    });
    if (fits.length > 0) return fits[0]!;
  }
  return names.includes(fallback) || names.length === 0 ? fallback : names[0]!;
}

/** "docker.io/library/app:1" → what `docker images` shows. */
const shortLayer = (createdBy: string): string => squash(createdBy.replace(/ # buildkit$/, "").replace(/^\/bin\/sh -c (#\(nop\) )?/, "").replace(/^RUN \|\d+ [^ ]* /, "RUN ").replace(/^RUN \/bin\/sh -c /, "RUN "));

/** The tagged images' layers as one graph: a layer at one place of a stack drawn once, spanning every image that holds it. */
export function layerGraph(store: ImageStore): { layers: LayerNode[]; columns: ImageColumn[]; height: number } {
  const images = store.allImages()
    .map((img) => ({ img, tags: store.tagsOf(img.id).map((r) => r.familiar).sort() }))
    .filter((x) => x.tags.length > 0)
    .sort((a, b) => a.img.created - b.img.created || (a.tags[0]! < b.tags[0]! ? -1 : 1));
  interface Node { key: string; digest: string; depth: number; createdBy: string; size: number; children: Node[]; ends: { img: Image; tags: string[] }[]; images: string[] }
  const roots: Node[] = [];
  const byKey = new Map<string, Node>();
  for (const { img, tags } of images) {
    const history = img.history.filter((h) => !h.emptyLayer);
    let key = "";
    let siblings = roots;
    let node: Node | undefined;
    img.layers.forEach((digest, depth) => {
      key += `${digest}/`;
      node = byKey.get(key);
      if (!node) {
        node = { key, digest, depth, createdBy: shortLayer(history[depth]?.createdBy ?? ""), size: store.hasLayer(digest) ? store.getLayer(digest).size : 0, children: [], ends: [], images: [] };
        byKey.set(key, node);
        siblings.push(node);
      }
      node.images.push(...tags);
      siblings = node.children;
    });
    node?.ends.push({ img, tags });
  }
  const layers: LayerNode[] = [];
  const columns: ImageColumn[] = [];
  let next = 0;
  const place = (n: Node): void => {
    const col0 = next;
    for (const e of n.ends) columns.push({ col: next++, tag: e.tags.join(", "), id: e.img.id, layers: n.depth + 1 });
    for (const c of n.children) place(c);
    layers.push({ key: n.key, digest: n.digest, depth: n.depth, col0, col1: Math.max(col0, next - 1), createdBy: n.createdBy, size: n.size, images: n.images });
  };
  for (const r of roots) place(r);
  const height = Math.max(0, ...columns.map((c) => c.layers));
  return { layers: layers.sort((a, b) => a.depth - b.depth || a.col0 - b.col0), columns, height };
}

/** The newest container's writable layer: docker diff's files, each as copied up, a whiteout or added. */
export function containerLayer(c: Container, store: ImageStore, columns: readonly ImageColumn[]): ContainerLayer {
  const img = store.hasImage(c.imageId) ? store.allImages().find((i) => i.id === c.imageId) : undefined;
  const layers = img ? store.layersOf(img) : [];
  const history = img ? img.history.filter((h) => !h.emptyLayer) : [];
  const origin = (path: string): { depth: number; by: string } | null => {
    for (let d = layers.length - 1; d >= 0; d--) {
      const e = layers[d]!.changes.get(path);
      if (e && e.type !== "whiteout") return { depth: d, by: shortLayer(history[d]?.createdBy ?? "") };
    }
    return null;
  };
  const entries: UpperEntry[] = [];
  for (const d of diffTrees(c.lowerfs, c.rootfs)) {
    const node = d.kind === "D" ? nodeAt(c.lowerfs, d.path) : nodeAt(c.rootfs, d.path);
    if (!node || node.kind === "dir") continue;
    const from = d.kind === "A" ? null : origin(d.path);
    entries.push({
      path: d.path, kind: d.kind === "A" ? "added" : d.kind === "D" ? "whiteout" : "copied-up",
      fromDepth: from?.depth ?? null, fromLayer: from?.by ?? null,
    });
  }
  const col = columns.find((x) => x.id === c.imageId)?.col ?? -1;
  const image = columns.find((x) => x.id === c.imageId)?.tag ?? c.config.image;
  return { name: c.name, image, col, running: c.state.running, entries };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

/** The caption for the lesson's step on the screen, in the course's words (docker-fundamentals: images, build cache, copy on write). */
export function buildCaption(v: Omit<BuildViewModel, "caption">): Caption {
  const b = v.build;
  /** The build on the screen is the one step `i` started. */
  const after = (i: number): boolean => {
    const at = v.steps[i]?.at;
    return at != null && b?.startedAt != null && b.startedAt >= at;
  };
  if (b?.building) {
    return { step: "building", title: "Building", text: `Each instruction is a step: ${plural(b.steps, "step")} done so far, ${b.cached} from the build cache. FROM defines the base image; each subsequent command adds a layer or metadata.` };
  }
  const c = v.container;
  if (c && c.entries.length > 0) {
    const up = c.entries.filter((e) => e.kind === "copied-up");
    const wh = c.entries.filter((e) => e.kind === "whiteout");
    const parts = [
      ...up.map((e) => `${e.path} was copied up from layer ${(e.fromDepth ?? 0) + 1} before it changed`),
      ...wh.map((e) => `${e.path} is hidden by a whiteout (.wh.${e.path.split("/").pop()})`),
    ];
    return { step: "copy-on-write", title: "Copy on write", text: `${c.name} changed files of its image: ${parts.join("; ")}. The image's layers stay read-only and shared; only the writable layer changed.` };
  }
  if (c) {
    return { step: "writable", title: "The writable container layer", text: `${c.name} runs ${c.image}: a thin read-write layer on top of the image's read-only layers, empty until the container writes. Next: change and delete files in it.` };
  }
  const shared = v.layers.filter((l) => l.images.length > 1 && new Set(l.images.map((t) => t.split(":")[0])).size > 1 && l.depth > 0);
  if (after(2) && shared.length > 0) {
    return { step: "shared", title: "Sharing layers", text: `tools:1 starts with the same lines as app:1, so the builder reused their layers: ${plural(shared.length + 1, "layer")} stored once, both tags point to them.` };
  }
  if (after(1) && b && b.cached > 0 && b.steps > b.cached) {
    return { step: "invalidated", title: "Build cache", text: `Unchanged lines come from the cache (CACHED); the changed line runs, and so does every line after it: each layer is keyed by the layers below it. ${plural(b.cached, "step")} cached, ${plural(b.steps - b.cached, "step")} run.` };
  }
  if (b && b.tag) {
    const dropped = v.build?.stages.filter((s) => s.dropped).map((s) => s.name) ?? [];
    return { step: "built", title: `${b.tag} built`, text: `Images are a stack of immutable layers: FROM defines the base image, each RUN and COPY adds a layer.${dropped.length ? ` The stage ${dropped.join(", ")} is dropped: its compiler stays out of the image, only /src/hello is copied from it.` : ""}` };
  }
  return { step: "start", title: "A multi-stage Dockerfile", text: "The first stage compiles hello.c; the second copies the binary into a clean alpine. Press Next to build it with docker build." };
}

/** Where a world's builds are looked for: the host, the trace's start, and the build contexts' directory. */
export interface BuildWhere {
  readonly host: string;
  /** Builds started before this instant are not shown. */
  readonly after: number;
  /** The directory the Dockerfiles are under, and how deep below it to look (0: only in it). */
  readonly dir: string;
  readonly depth: number;
}

/**
 * The images-and-builds picture of any world: the latest build (its Dockerfile, each line as the
 * builder reported it), the tagged images' layers, and the newest container's writable layer.
 * The scene's steps and caption are the caller's.
 */
export function buildWorldView(world: WorldState, trace: readonly TraceRecord[], where: BuildWhere): Omit<BuildViewModel, "steps" | "next" | "busy" | "caption"> {
  const engine = world.hosts.get(where.host)!.engine;
  const store = ImageStore.fromSnapshot(engine.images);
  const records = latestBuild(trace, where.after);
  const file = buildFile(world, where.host, dockerfilesIn(world, where.host, where.dir, where.depth), records, `${where.dir}/Dockerfile`);
  const text = hostFile(world, where.host, file) ?? "";
  const marked = markDockerfile(text, records);
  const { layers, columns, height } = layerGraph(store);
  const doneRec = records?.finished && !records.failed ? records : null;
  const tagOf = doneRec ? tagOfLatest(trace, where.after, store) : null;
  const build: BuildView = records
    ? {
      startedAt: records.t, file, lines: marked.lines, stages: marked.stages, building: !records.finished,
      steps: records.steps.length, cached: records.steps.filter((s) => s.cached).length, tag: tagOf,
    }
    : { startedAt: null, file, lines: marked.lines.map((l) => ({ ...l, status: "none" as const })), stages: marked.stages, building: false, steps: 0, cached: 0, tag: null };
  const newest = [...engine.containers.values()].sort((a, b) => b.created - a.created)[0];
  const container = newest ? containerLayer(newest, store, columns) : null;
  return { host: where.host, build, layers, columns, height, container };
}

export function createBuildDriver(seed: string, _options: OptionValues): Driver<BuildViewModel> {
  const run = openHostRun(seed, { host: HOST, lines: SETUP_LINES });
  const sim = run.sim;
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([HOST]),
    view() {
      const times = stepTimes(BUILD_STEPS, run.typed());
      const steps: StepInfo[] = BUILD_STEPS.map((s, i) => ({ ...s, done: i < times.length, at: times[i] ?? null }));
      const base = { ...buildWorldView(sim.state, sim.trace, { host: HOST, after: run.setup.at, dir: DIR, depth: 0 }), steps, next: steps[times.length] ?? null, busy: run.busy() };
      return { ...base, caption: buildCaption(base) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      const out: Mark[] = [];
      for (let i = Math.max(0, from); i < trace.length; i++) {
        const r = trace[i]!;
        if (r.t <= run.setup.at || r.type !== "state") continue;
        const d = r.data as { event?: string; image?: string } | null;
        if (d?.event === "build.done") out.push({ t: r.t, label: `build done: ${String(d.image).slice(7, 19)}` });
        else if (d?.event === "build.failed") out.push({ t: r.t, label: "build failed" });
      }
      return out;
    },
    messageLabel: () => "message",
  };
}

/** The tags of the image the latest finished build made. */
function tagOfLatest(trace: readonly TraceRecord[], after: number, store: ImageStore): string | null {
  for (let i = trace.length - 1; i >= 0; i--) {
    const r = trace[i]!;
    if (r.t < after) break;
    const d = r.type === "state" ? (r.data as { event?: string; image?: string } | null) : null;
    if (d?.event === "build.done" && typeof d.image === "string") {
      return store.hasImage(d.image) ? store.tagsOf(d.image).map((x) => x.familiar).join(", ") || null : null;
    }
  }
  return null;
}

/** The key that types the next step (an exec action in the log, so a link replays it). */
export function nextStepKey<V extends { readonly host: string; readonly next: StepInfo | null; readonly busy: boolean }>(): ScenarioKey<V> {
  return {
    key: "s",
    label: "Type the next step's command",
    run: (v) => v.busy ? { refused: `a command is still running at ${v.host}: wait for it (or press n to go to its end)` } : v.next
      ? { actions: [{ type: "exec", host: v.host, line: v.next.line }], notice: `${v.host}$ ${v.next.line}` }
      : { refused: "every step was typed" },
  };
}

export const BUILD_KEYS: readonly ScenarioKey<BuildViewModel>[] = [nextStepKey<BuildViewModel>()];
