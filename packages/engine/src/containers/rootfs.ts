// A container's root filesystem. The image's layers are flattened once per image into an FsDir
// (the lower, read-only part, shared by every container of that image); the container's files
// are an FsDir that starts as that same value, and every write copies only the directories on
// its path (overlayfs's copy-up, at directory granularity). So `docker diff` is a walk of what is
// not shared with the lower tree, and `docker commit` turns that into a layer.
import { WHITEOUT, dirEntry, flatten, symlinkEntry, textFile, type FsEntry, type Layer, type PresentEntry } from "@drydock/image";
import type { Micros } from "@drydock/kernel";
import { nodeAt, type FsDir, type FsFile, type FsNode } from "../fs/index.js";

export { nodeAt };
import { addBaseExtras, touchesBaseExtras } from "./base-extras.js";

/** Lower trees by image ID (bounded; a container keeps its own reference). */
const lowerTrees = new Map<string, FsDir>();
const LOWER_TREES_MAX = 64;

function nodeOf(e: PresentEntry, mtime: Micros): FsNode | null {
  const owner = e.uid !== 0 || e.gid !== 0 ? { uid: e.uid, gid: e.gid } : {};
  switch (e.type) {
    case "dir":
      return { kind: "dir", entries: new Map(), mode: e.mode & 0o7777, mtime, ...owner };
    case "symlink":
      return { kind: "file", text: "", mode: 0o777, mtime, link: e.target, ...owner };
    case "file":
      if (e.text !== undefined) return { kind: "file", text: e.text, mode: e.mode & 0o7777, mtime, ...owner };
      return { kind: "file", text: "", mode: e.mode & 0o7777, mtime, blob: { size: e.size, digest: e.contentDigest }, ...owner };
  }
}

/**
 * The image's merged layers as a directory tree (whiteouts applied), built once per image: every
 * container of the image starts from this same value, so they share it until they write.
 */
export function imageTree(imageId: string, layers: readonly Layer[], created: Micros): FsDir {
  const hit = lowerTrees.get(imageId);
  if (hit) return hit;
  const root = addBaseExtras(mergeFromScratch(layers, created));
  if (lowerTrees.size >= LOWER_TREES_MAX) lowerTrees.delete(lowerTrees.keys().next().value!);
  lowerTrees.set(imageId, root);
  return root;
}

/** flatten's merge as a tree, every node stamped `created`; directories' entries sorted by name. */
function mergeFromScratch(layers: readonly Layer[], created: Micros): FsDir {
  const flat = flatten(layers);
  // Build bottom-up: children first, then freeze each directory's map.
  const dirs = new Map<string, Map<string, FsNode>>([["/", new Map()]]);
  const depths = new Map<string, number>();
  for (const [path, e] of flat) {
    if (e.type === "dir") dirs.set(path, new Map());
    let d = 0;
    for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) d++;
    depths.set(path, d);
  }
  const paths = [...flat.keys()].sort((a, b) => depths.get(b)! - depths.get(a)! || (a < b ? -1 : 1));
  for (const path of paths) {
    let node = nodeOf(flat.get(path)!, created);
    if (node === null) continue;
    if (node.kind === "dir") node = { ...node, entries: sortedMap(dirs.get(path)!) };
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    const name = path.slice(path.lastIndexOf("/") + 1);
    let siblings = dirs.get(parent);
    if (!siblings) dirs.set(parent, (siblings = new Map()));
    siblings.set(name, node);
  }
  return { kind: "dir", entries: sortedMap(dirs.get("/")!), mode: 0o755, mtime: created };
}

/** A layer stack's merged tree (no base extras, mtime 0), merged from nothing: what stackTree must equal. */
export function stackTreeFromScratch(layers: readonly Layer[]): FsDir {
  return mergeFromScratch(layers, 0);
}

/** Merged trees by layer stack (digests bottom first), least recently used first (bounded). */
const stackTrees = new Map<string, StackSlot>();
const STACK_TREES_MAX = 256;

function stackKey(layers: readonly Layer[], n: number): string {
  let key = "";
  for (let i = 0; i < n; i++) key += `${layers[i]!.digest},`;
  return key;
}

interface StackSlot {
  readonly merged: FsDir;
  /**
   * A change of some layer of the stack did not land (its parent was no directory then). flatten
   * would show it once a layer above makes that directory, so stacks above this one are merged
   * from scratch. The layers a build, a commit or the catalogue make have none.
   */
  readonly orphans: boolean;
  /** `merged` with the base extras (buildStepTree's), made on first use. */
  seen?: FsDir;
}

const EMPTY_STACK: StackSlot = { merged: { kind: "dir", entries: new Map(), mode: 0o755, mtime: 0 }, orphans: false };

function remember(key: string, merged: FsDir, orphans: boolean): StackSlot {
  if (stackTrees.size >= STACK_TREES_MAX) stackTrees.delete(stackTrees.keys().next().value!);
  const slot: StackSlot = { merged, orphans };
  stackTrees.set(key, slot);
  return slot;
}

/** A cached stack, made the most recently used (so a build's shared prefix outlives the one-off stacks above it). */
function touch(key: string): StackSlot | undefined {
  const hit = stackTrees.get(key);
  if (hit) {
    stackTrees.delete(key);
    stackTrees.set(key, hit);
  }
  return hit;
}

function stackSlot(layers: readonly Layer[]): StackSlot {
  const hit = touch(stackKey(layers, layers.length));
  if (hit) return hit;
  // A build stacks one layer per step: start from the longest prefix merged before (its parent
  // step's snapshot, as BuildKit's snapshotter mounts it) and apply only the layers above it,
  // remembering each stack on the way (a COPY's, whose tree the next RUN mounts).
  let slot = EMPTY_STACK;
  let n = layers.length - 1;
  for (; n > 0; n--) {
    const prefix = touch(stackKey(layers, n));
    if (prefix) {
      slot = prefix;
      break;
    }
  }
  if (slot.orphans) return remember(stackKey(layers, layers.length), mergeFromScratch(layers, 0), true);
  for (n = Math.max(n, 0); n < layers.length; n++) {
    const changes = layers[n]!.changes;
    orphansSeen = false;
    const merged = applyChanges(slot.merged, changes);
    const below = slot;
    slot = remember(stackKey(layers, n + 1), merged, orphansSeen);
    if (slot.orphans && n + 1 < layers.length) return remember(stackKey(layers, layers.length), mergeFromScratch(layers, 0), true);
    // A layer away from the extras' paths: the tree with extras is the one below it with the layer on top.
    if (below.seen !== undefined && !touchesBaseExtras(changes.keys())) slot.seen = applyChanges(below.seen, changes);
  }
  return slot;
}

/**
 * A layer stack's merged tree (bottom first; whiteouts and opaque directories applied, mtime 0),
 * shared by every step over the same stack and built from the longest stack merged before.
 */
export function stackTree(layers: readonly Layer[]): FsDir {
  return stackSlot(layers).merged;
}

/** A build step's lower tree as its container sees it: the stack merged, the base extras added (once per stack). */
export function buildStepTree(layers: readonly Layer[]): FsDir {
  const slot = stackSlot(layers);
  return (slot.seen ??= addBaseExtras(slot.merged));
}

/** A patch: the change at this path (if any) and the changes below it by name. */
interface Patch {
  entry?: FsEntry;
  readonly below: Map<string, Patch>;
}

/**
 * A change set applied over a tree as the layer above it (flatten's rules): a whiteout removes
 * the path; a file or link replaces it; a directory keeps what is below unless opaque; a change
 * under a path that is not a directory does not show. Each directory touched is copied once.
 */
export function applyChanges(root: FsDir, changes: ReadonlyMap<string, FsEntry>): FsDir {
  const top: Patch = { below: new Map() };
  for (const [path, e] of changes) {
    if (path === "/") continue;
    let at = top;
    for (const name of path.split("/")) {
      if (name === "") continue;
      let next = at.below.get(name);
      if (!next) at.below.set(name, (next = { below: new Map() }));
      at = next;
    }
    at.entry = e;
  }
  return patchDir(root, top);
}

/** Set when a change of the last applyChanges did not land (stackSlot's orphans). */
let orphansSeen = false;

function patchDir(dir: FsDir, patch: Patch): FsDir {
  let entries: Map<string, FsNode> | null = null;
  let added = false;
  for (const [name, p] of patch.below) {
    const cur = (entries ?? dir.entries).get(name);
    let next: FsNode | undefined = cur;
    const e = p.entry;
    if (e !== undefined) {
      if (e.type === "whiteout") next = undefined;
      else {
        const node = nodeOf(e, 0)!;
        next = node.kind === "dir" && cur?.kind === "dir" && !(e.type === "dir" && e.opaque) ? { ...node, entries: cur.entries } : node;
      }
    }
    if (p.below.size > 0) {
      if (next?.kind === "dir") next = patchDir(next, p);
      else orphansSeen = true;
    }
    if (next === cur) continue;
    entries ??= new Map(dir.entries);
    if (next === undefined) entries.delete(name);
    else {
      if (cur === undefined) added = true;
      entries.set(name, next);
    }
  }
  if (entries === null) return dir;
  return { ...dir, entries: added ? sortedMap(entries) : entries };
}

const sortedMap = (m: Map<string, FsNode>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export type DiffKind = "A" | "C" | "D";

export interface DiffEntry {
  readonly kind: DiffKind;
  readonly path: string;
}

const join = (dir: string, name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);

function sameNode(a: FsNode, b: FsNode): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.mode !== b.mode || (a.uid ?? 0) !== (b.uid ?? 0) || (a.gid ?? 0) !== (b.gid ?? 0)) return false;
  if (a.kind === "dir" || b.kind === "dir") return a.mtime === b.mtime;
  return a.text === b.text && a.link === b.link && a.blob?.digest === b.blob?.digest && a.mtime === b.mtime;
}

/**
 * `docker diff`: what the container's tree changed against its image's, as overlayfs reports it
 * (moby's archive.ChangesDirs): A for a path added (and everything below an added directory), C
 * for a path changed (a directory whose entries changed is changed too), D for a path deleted
 * (not what was below it). Sorted by path. Shared subtrees are skipped without a look inside.
 */
export function diffTrees(lower: FsDir, upper: FsDir, mounts: readonly string[] = []): DiffEntry[] {
  const out: DiffEntry[] = [];
  const skip = new Set(mounts);
  const added = (path: string, node: FsNode): void => {
    out.push({ kind: "A", path });
    if (node.kind === "dir") for (const [name, child] of node.entries) added(join(path, name), child);
  };
  const walk = (path: string, lo: FsDir, up: FsDir): void => {
    if (lo === up) return;
    for (const [name, u] of up.entries) {
      const p = join(path, name);
      if (skip.has(p)) continue;
      const l = lo.entries.get(name);
      if (l === undefined) added(p, u);
      else if (l === u) continue;
      else if (l.kind === "dir" && u.kind === "dir") {
        if (!sameNode(l, u) || l.entries !== u.entries) out.push({ kind: "C", path: p });
        walk(p, l, u);
      } else if (!sameNode(l, u)) {
        out.push({ kind: "C", path: p });
        if (u.kind === "dir") for (const [n, c] of u.entries) added(join(p, n), c);
      }
    }
    for (const name of lo.entries.keys()) {
      const p = join(path, name);
      if (!up.entries.has(name) && !skip.has(p)) out.push({ kind: "D", path: p });
    }
  };
  walk("/", lower, upper);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function entryOf(node: FsNode): FsEntry {
  const meta = { mode: node.mode, uid: node.uid ?? 0, gid: node.gid ?? 0 };
  if (node.kind === "dir") return dirEntry(meta);
  return fileEntry(node, meta);
}

function fileEntry(f: FsFile, meta: { mode: number; uid: number; gid: number }): FsEntry {
  if (f.link !== undefined) return symlinkEntry(f.link);
  if (f.blob !== undefined) return { type: "file", size: f.blob.size, contentDigest: f.blob.digest, ...meta };
  return textFile(f.text, meta);
}

/**
 * The writable layer as a layer's changes (what `docker commit` stores): added and changed paths
 * with their content, deleted ones as whiteouts. Directories changed only in their entries are
 * recorded too, as overlayfs's upper directory holds them.
 */
export function layerChanges(lower: FsDir, upper: FsDir, mounts: readonly string[] = []): Map<string, FsEntry> {
  const changes = new Map<string, FsEntry>();
  for (const d of diffTrees(lower, upper, mounts)) {
    if (d.kind === "D") {
      changes.set(d.path, WHITEOUT);
      continue;
    }
    const node = nodeAt(upper, d.path);
    if (node) changes.set(d.path, entryOf(node));
  }
  return changes;
}


/** Bytes the writable layer holds (the SIZE column of `docker ps -s`): the files added or changed. */
export function writableSize(lower: FsDir, upper: FsDir, mounts: readonly string[] = []): number {
  let size = 0;
  for (const [, e] of layerChanges(lower, upper, mounts)) if (e.type === "file") size += e.size;
  return size;
}
