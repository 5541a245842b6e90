import { DrydockError } from "@drydock/kernel";
import { ancestors, basename, dirname, isUnder, joinPath, normalizePath } from "../util/path.js";
import { WHITEOUT, dirEntry, textFile, type EntryMeta, type FileEntry, type FsEntry, type PresentEntry } from "./entry.js";
import { createLayer, isFrozenChanges, type Layer } from "./layer.js";

type Changes = ReadonlyMap<string, FsEntry>;

/**
 * Lookup in a stack of change sets, top first: the first layer that has the path decides; a
 * whiteout hides it; a deleted or opaque ancestor directory hides everything below it.
 */
export function lookupIn(stackTopFirst: readonly Changes[], path: string): PresentEntry | undefined {
  if (path === "/") return dirEntry();
  const anc = ancestors(path);
  for (const changes of stackTopFirst) {
    const e = changes.get(path);
    if (e) return e.type === "whiteout" ? undefined : e;
    for (const a of anc) {
      const ae = changes.get(a);
      if (!ae) continue;
      if (ae.type !== "dir") return undefined; // deleted, or replaced by a file or link
      if (ae.opaque) return undefined; // nothing below an opaque directory shows through
    }
  }
  return undefined;
}

/** Lookup in image layers given bottom first, as images list them. */
export function lookup(layers: readonly Layer[], path: string): PresentEntry | undefined {
  return lookupIn(layers.map((l) => l.changes).reverse(), normalizePath(path));
}

/** Per change set, the children each directory mentions (built once, cached). */
const childIndex = new WeakMap<Changes, Map<string, string[]>>();
function childrenOf(changes: Changes, dir: string): readonly string[] {
  if (!isFrozenChanges(changes)) {
    const out: string[] = [];
    for (const p of changes.keys()) if (p !== "/" && dirname(p) === dir) out.push(basename(p));
    return out;
  }
  let index = childIndex.get(changes);
  if (!index) {
    index = new Map();
    for (const p of changes.keys()) {
      const parent = dirname(p);
      let list = index.get(parent);
      if (!list) index.set(parent, (list = []));
      list.push(basename(p));
    }
    childIndex.set(changes, index);
  }
  return index.get(dir) ?? [];
}

export function listDirIn(stackTopFirst: readonly Changes[], dir: string): string[] {
  const names = new Set<string>();
  const hidden = new Set<string>();
  const anc = dir === "/" ? [] : [dir, ...ancestors(dir)];
  for (const changes of stackTopFirst) {
    let blocked = false;
    for (const name of childrenOf(changes, dir)) {
      if (hidden.has(name) || names.has(name)) continue;
      const e = changes.get(joinPath(dir, name))!;
      if (e.type === "whiteout") hidden.add(name);
      else names.add(name);
    }
    for (const a of anc) {
      const ae = changes.get(a);
      if (ae && (ae.type !== "dir" || ae.opaque)) blocked = true;
    }
    if (blocked) break;
  }
  return [...names].sort();
}

/** The merged view of a stack of layers (bottom first), whiteouts applied: what a container sees. */
export function flatten(layers: readonly Layer[]): Map<string, PresentEntry> {
  const stack = layers.map((l) => l.changes).reverse();
  const out = new Map<string, PresentEntry>();
  const walk = (dir: string): void => {
    for (const name of listDirIn(stack, dir)) {
      const p = joinPath(dir, name);
      const e = lookupIn(stack, p);
      if (!e) continue;
      out.set(p, e.type === "dir" && e.opaque ? { type: "dir", mode: e.mode, uid: e.uid, gid: e.gid } : e);
      if (e.type === "dir") walk(p);
    }
  };
  walk("/");
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Lookups in immutable layer stacks, keyed by the stack's digests (bounded). */
const lowerMemos = new Map<string, Map<string, PresentEntry | null>>();

/** Virtual cost of copying a file up from a lower layer: a fixed cost plus 1 µs per KiB (~1 GB/s). */
export const COPY_UP_BASE_US = 20;
export function copyUpCostUs(size: number): number {
  return COPY_UP_BASE_US + Math.ceil(size / 1024);
}

export interface WriteResult {
  /** True when the write first copied the file up from a lower layer. */
  readonly copiedUp: boolean;
  readonly costUs: number;
}

/**
 * A writable layer over read-only image layers: what a container's rootfs (or a build step) is.
 * Writes land in `upper` only; the first write to a lower file copies it up; deleting a lower
 * path writes a whiteout; recreating a deleted lower directory makes it opaque.
 */
export class UnionFS {
  private readonly upper = new Map<string, FsEntry>();
  private readonly lowerStack: readonly Changes[];
  /** Total virtual time spent copying up. */
  copyUpUs = 0;
  copyUps = 0;

  private readonly fullStack: readonly Changes[];

  constructor(readonly lower: readonly Layer[]) {
    this.lowerStack = lower.map((l) => l.changes).reverse();
    this.fullStack = [this.upper, ...this.lowerStack];
  }

  private stack(): readonly Changes[] {
    return this.fullStack;
  }

  stat(path: string): PresentEntry | undefined {
    const p = normalizePath(path);
    if (this.upper.size === 0) return this.lowerLookup(p);
    const e = this.upper.get(p);
    if (e) return e.type === "whiteout" ? undefined : e;
    if (p !== "/") {
      for (const a of ancestors(p)) {
        const ae = this.upper.get(a);
        if (ae && (ae.type !== "dir" || ae.opaque)) return undefined;
      }
    }
    return this.lowerLookup(p);
  }

  /** The entry as seen in the lower (image) layers alone. */
  statLower(path: string): PresentEntry | undefined {
    return this.lowerLookup(normalizePath(path));
  }

  /** Lower layers never change, so their lookups are remembered per layer stack. */
  private lowerMemo: Map<string, PresentEntry | null> | undefined;

  private lowerLookup(p: string): PresentEntry | undefined {
    if (!this.lowerMemo) {
      const stackKey = this.lower.map((l) => l.digest).join(",");
      let memo = lowerMemos.get(stackKey);
      if (!memo) {
        if (lowerMemos.size >= 256) lowerMemos.clear();
        lowerMemos.set(stackKey, (memo = new Map()));
      }
      this.lowerMemo = memo;
    }
    const hit = this.lowerMemo.get(p);
    if (hit !== undefined) return hit ?? undefined;
    const e = lookupIn(this.lowerStack, p);
    if (this.lowerMemo.size < 100_000) this.lowerMemo.set(p, e ?? null);
    return e;
  }

  exists(path: string): boolean {
    return this.stat(path) !== undefined;
  }

  readText(path: string): string | undefined {
    const e = this.stat(path);
    return e?.type === "file" ? e.text : undefined;
  }

  listDir(path: string): string[] {
    const p = normalizePath(path);
    const e = this.stat(p);
    if (!e || e.type !== "dir") return [];
    return listDirIn(this.stack(), p);
  }

  /** Every path at or below `path` (depth first, sorted). */
  walk(path: string): string[] {
    const root = normalizePath(path);
    const e = this.stat(root);
    if (!e) return [];
    const out: string[] = root === "/" ? [] : [root];
    if (e.type !== "dir") return out;
    const rec = (dir: string): void => {
      for (const name of this.listDir(dir)) {
        const p = joinPath(dir, name);
        out.push(p);
        if (this.stat(p)?.type === "dir") rec(p);
      }
    };
    rec(root);
    return out;
  }

  /** Makes sure every ancestor is a directory in the merged view, creating missing ones. */
  private ensureParents(path: string, meta?: Partial<EntryMeta>): void {
    for (const a of ancestors(path).reverse()) {
      const e = this.stat(a);
      if (!e) this.upper.set(a, dirEntry(meta));
      else if (e.type !== "dir") throw new DrydockError("ENOTDIR", `mkdir ${a}: not a directory`);
    }
  }

  private copyUpIfLower(path: string): WriteResult {
    if (this.upper.has(path)) return { copiedUp: false, costUs: 0 };
    const lower = this.statLower(path);
    if (!lower || lower.type !== "file") return { copiedUp: false, costUs: 0 };
    const cost = copyUpCostUs(lower.size);
    this.copyUpUs += cost;
    this.copyUps++;
    this.upper.set(path, lower);
    return { copiedUp: true, costUs: cost };
  }

  writeFile(path: string, entry: FileEntry | (Omit<FileEntry, "type"> & { type?: "file" })): WriteResult {
    const p = normalizePath(path);
    const existing = this.stat(p);
    if (existing?.type === "dir") throw new DrydockError("EISDIR", `open ${p}: is a directory`);
    this.ensureParents(p);
    // Overwriting a lower file still copies it up first (overlayfs opens it for writing).
    const r = this.copyUpIfLower(p);
    this.upper.set(p, { ...entry, type: "file" } as FileEntry);
    return r;
  }

  writeText(path: string, text: string, meta?: Partial<EntryMeta>): WriteResult {
    const prev = this.stat(path);
    const keep = prev && prev.type === "file" ? { mode: prev.mode, uid: prev.uid, gid: prev.gid } : {};
    return this.writeFile(path, textFile(text, { ...keep, ...meta }));
  }

  appendText(path: string, text: string): WriteResult {
    const prev = this.stat(path);
    const base = prev?.type === "file" ? (prev.text ?? "") : "";
    return this.writeText(path, base + text);
  }

  /** Changes metadata; on a lower file this is a copy-up too. */
  chmod(path: string, mode: number): WriteResult {
    return this.updateMeta(path, { mode });
  }

  chown(path: string, uid: number, gid: number): WriteResult {
    return this.updateMeta(path, { uid, gid });
  }

  private updateMeta(path: string, meta: Partial<EntryMeta>): WriteResult {
    const p = normalizePath(path);
    const e = this.stat(p);
    if (!e) throw new DrydockError("ENOENT", `${p}: No such file or directory`);
    const r = this.copyUpIfLower(p);
    const cur = this.upper.get(p) ?? e;
    if (cur.type === "whiteout") throw new DrydockError("ENOENT", `${p}: No such file or directory`);
    this.upper.set(p, { ...cur, ...meta } as FsEntry);
    return r;
  }

  mkdir(path: string, opts: { parents?: boolean; meta?: Partial<EntryMeta> } = {}): void {
    const p = normalizePath(path);
    const e = this.stat(p);
    if (e) {
      if (e.type === "dir" && opts.parents) return;
      throw new DrydockError("EEXIST", `mkdir: can't create directory '${p}': File exists`);
    }
    const parent = dirname(p);
    if (!opts.parents && !this.stat(parent)) {
      throw new DrydockError("ENOENT", `mkdir: can't create directory '${p}': No such file or directory`);
    }
    this.ensureParents(p, opts.meta);
    // A directory that a lower layer had (and this layer deleted) comes back opaque.
    const lowerHad = this.statLower(p)?.type === "dir";
    this.upper.set(p, dirEntry(opts.meta, lowerHad));
  }

  symlink(target: string, path: string): void {
    const p = normalizePath(path);
    this.ensureParents(p);
    this.upper.set(p, { type: "symlink", target, mode: 0o777, uid: 0, gid: 0 });
  }

  /** Removes a path (recursively for directories when `recursive`). */
  remove(path: string, opts: { recursive?: boolean; force?: boolean } = {}): boolean {
    const p = normalizePath(path);
    const e = this.stat(p);
    if (!e) {
      if (opts.force) return false;
      throw new DrydockError("ENOENT", `rm: can't remove '${p}': No such file or directory`);
    }
    if (e.type === "dir" && !opts.recursive) throw new DrydockError("EISDIR", `rm: '${p}' is a directory`);
    for (const k of [...this.upper.keys()]) if (isUnder(k, p)) this.upper.delete(k);
    if (this.statLower(p)) this.upper.set(p, WHITEOUT);
    else this.upper.delete(p);
    return true;
  }

  /** Copies a subtree (cp -r semantics for a directory, plain copy for a file). */
  copy(src: string, dst: string, meta?: Partial<EntryMeta>): void {
    const s = normalizePath(src);
    const d = normalizePath(dst);
    const e = this.stat(s);
    if (!e) throw new DrydockError("ENOENT", `cp: can't stat '${s}': No such file or directory`);
    const paths = this.walk(s);
    for (const p of paths) {
      const entry = this.stat(p)!;
      const target = d + p.slice(s.length);
      if (entry.type === "dir") {
        if (!this.stat(target)) this.mkdir(target, { parents: true, meta: { mode: entry.mode, uid: meta?.uid ?? entry.uid, gid: meta?.gid ?? entry.gid } });
      } else if (entry.type === "file") this.writeFile(target, { ...entry, ...meta });
      else this.symlink(entry.target, target);
    }
  }

  rename(src: string, dst: string): void {
    // overlayfs cannot rename a lower directory in place (EXDEV): mv copies, then deletes.
    this.copy(src, dst);
    this.remove(src, { recursive: true });
  }

  /**
   * Forgets this layer's changes at and below `path` without writing whiteouts: what was mounted
   * there (a RUN --mount cache or tmpfs) never reaches the layer.
   */
  discard(path: string): void {
    const p = normalizePath(path);
    for (const k of [...this.upper.keys()]) if (k === p || isUnder(k, p)) this.upper.delete(k);
  }

  /** The writable layer's changes: what `docker diff` shows and `docker commit` turns into a layer. */
  changes(): ReadonlyMap<string, FsEntry> {
    return new Map(this.upper);
  }

  isDirty(): boolean {
    return this.upper.size > 0;
  }

  /** Freezes the writable layer into an immutable layer. */
  toLayer(): Layer {
    return createLayer(this.upper);
  }

  /** `docker diff`: A (added), C (changed), D (deleted), sorted by path. */
  diff(): { kind: "A" | "C" | "D"; path: string }[] {
    const out: { kind: "A" | "C" | "D"; path: string }[] = [];
    for (const [p, e] of this.upper) {
      if (e.type === "whiteout") out.push({ kind: "D", path: p });
      else out.push({ kind: this.statLower(p) ? "C" : "A", path: p });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}
