// A container's root filesystem. The image's layers are flattened once per image into an FsDir
// (the lower, read-only part, shared by every container of that image); the container's files
// are an FsDir that starts as that same value, and every write copies only the directories on
// its path (overlayfs's copy-up, at directory granularity). So `docker diff` is a walk of what is
// not shared with the lower tree, and `docker commit` turns that into a layer.
import { WHITEOUT, dirEntry, flatten, symlinkEntry, textFile, type FsEntry, type Layer, type PresentEntry } from "@drydock/image";
import type { Micros } from "@drydock/kernel";
import { nodeAt, type FsDir, type FsFile, type FsNode } from "../fs/index.js";

export { nodeAt };
import { addBaseExtras } from "./base-extras.js";

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
  const flat = flatten(layers);
  // Build bottom-up: children first, then freeze each directory's map.
  const dirs = new Map<string, Map<string, FsNode>>([["/", new Map()]]);
  const meta = new Map<string, PresentEntry>();
  for (const [path, e] of flat) {
    meta.set(path, e);
    if (e.type === "dir") dirs.set(path, new Map());
  }
  const paths = [...flat.keys()].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  for (const path of paths) {
    const e = meta.get(path)!;
    let node = nodeOf(e, created);
    if (node === null) continue;
    if (node.kind === "dir") node = { ...node, entries: sortedMap(dirs.get(path)!) };
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    const name = path.slice(path.lastIndexOf("/") + 1);
    let siblings = dirs.get(parent);
    if (!siblings) dirs.set(parent, (siblings = new Map()));
    siblings.set(name, node);
  }
  const root = addBaseExtras({ kind: "dir", entries: sortedMap(dirs.get("/")!), mode: 0o755, mtime: created });
  if (lowerTrees.size >= LOWER_TREES_MAX) lowerTrees.delete(lowerTrees.keys().next().value!);
  lowerTrees.set(imageId, root);
  return root;
}

const depth = (p: string) => p.split("/").length;
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
