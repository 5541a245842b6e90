// The operations a shell and coreutils need, each returning the next filesystem value (or an
// errno-style error) and leaving the input untouched.
import {
  type FsDir,
  type FsFile,
  type FsNode,
  type FsResult,
  emptyDir,
  fail,
  fileNode,
  lookup,
  ok,
  parentAndName,
  splitPath,
  updateEntry,
  fileSize,
} from "./tree.js";

export interface FsStat {
  readonly kind: "file" | "dir";
  /** Bytes (UTF-8) for a file; 4096 for a directory, as ext4 reports. */
  readonly size: number;
  readonly mode: number;
  readonly mtime: number;
  /** Hard links: 1 for a file, 2 + subdirectories for a directory. */
  readonly nlink: number;
}

export function kindOf(fs: FsDir, path: string): "file" | "dir" | null {
  const found = lookup(fs, path);
  return found.ok ? found.value.kind : null;
}

export function readFile(fs: FsDir, path: string): FsResult<string> {
  const found = lookup(fs, path);
  if (!found.ok) return found;
  return found.value.kind === "dir" ? fail("EISDIR") : ok(found.value.text);
}

/** Names in a directory, sorted by code unit (LC_ALL=C), without . and .. */
export function readdir(fs: FsDir, path: string): FsResult<string[]> {
  const found = lookup(fs, path);
  if (!found.ok) return found;
  if (found.value.kind !== "dir") return fail("ENOTDIR");
  return ok([...found.value.entries.keys()].sort(compareBytes));
}

export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function stat(fs: FsDir, path: string): FsResult<FsStat> {
  const found = lookup(fs, path);
  if (!found.ok) return found;
  return ok(statNode(found.value));
}

export function statNode(node: FsNode): FsStat {
  if (node.kind === "file") return { kind: "file", size: fileSize(node), mode: node.mode, mtime: node.mtime, nlink: 1 };
  let subdirs = 0;
  for (const child of node.entries.values()) if (child.kind === "dir") subdirs++;
  return { kind: "dir", size: 4096, mode: node.mode, mtime: node.mtime, nlink: 2 + subdirs };
}

/** `>` and `>>`: creates or replaces (or appends to) a regular file; the parent must exist. */
export function writeFile(fs: FsDir, path: string, text: string, now: number, opts: { append?: boolean } = {}): FsResult<FsDir> {
  const at = parentAndName(path);
  if (at === null) return fail("EISDIR");
  return updateEntry(fs, at.parent, at.name, now, (current) => {
    if (current === undefined) return ok(fileNode(text, now));
    if (current.kind === "dir") return fail("EISDIR");
    return ok(rewritten(current, opts.append === true ? current.text + text : text, now));
  });
}

/** A file with new content: it keeps its mode and owner, and now holds its text (no blob, no link). */
export function rewritten(f: FsFile, text: string, now: number): FsFile {
  const owner = f.uid !== undefined ? { uid: f.uid, gid: f.gid ?? f.uid } : {};
  return { kind: "file", text, mode: f.mode, mtime: now, ...owner };
}

/** `touch`: creates an empty file, or sets the mtime of what is there. */
export function touch(fs: FsDir, path: string, now: number): FsResult<FsDir> {
  const at = parentAndName(path);
  if (at === null) return ok(fs);
  return updateEntry(fs, at.parent, at.name, now, (current) => ok(current === undefined ? fileNode("", now) : { ...current, mtime: now }));
}

export function chmod(fs: FsDir, path: string, mode: number): FsResult<FsDir> {
  const at = parentAndName(path);
  if (at === null) return ok({ ...fs, mode });
  return updateEntry(fs, at.parent, at.name, null, (current) => (current === undefined ? fail("ENOENT") : ok({ ...current, mode })));
}

/** `mkdir` (EEXIST when something is there) and `mkdir -p` (makes parents, accepts a directory). */
export function mkdir(fs: FsDir, path: string, now: number, opts: { parents?: boolean } = {}): FsResult<FsDir> {
  const parts = splitPath(path);
  if (opts.parents !== true) {
    const name = parts.pop();
    if (name === undefined) return fail("EEXIST");
    return updateEntry(fs, parts, name, now, (current) => (current === undefined ? ok(emptyDir(now)) : fail("EEXIST")));
  }
  let next = fs;
  for (let i = 0; i < parts.length; i++) {
    const made = updateEntry(next, parts.slice(0, i), parts[i] as string, now, (current) => {
      if (current === undefined) return ok(emptyDir(now));
      return current.kind === "dir" ? ok(current) : fail(i === parts.length - 1 ? "EEXIST" : "ENOTDIR");
    });
    if (!made.ok) return made;
    next = made.value;
  }
  return ok(next);
}

/** `rm` (EISDIR for a directory unless recursive; a missing path is fine with force). */
export function remove(fs: FsDir, path: string, opts: { recursive?: boolean; force?: boolean } = {}, now: number | null = null): FsResult<FsDir> {
  const at = parentAndName(path);
  if (at === null) return fail("EINVAL");
  const removed = updateEntry(fs, at.parent, at.name, now, (current) => {
    if (current === undefined) return fail("ENOENT");
    if (current.kind === "dir" && opts.recursive !== true) return fail("EISDIR");
    return ok(undefined);
  });
  if (!removed.ok && opts.force === true && (removed.error === "ENOENT" || removed.error === "ENOTDIR")) return ok(fs);
  return removed;
}

/** `rmdir`: only an empty directory. */
export function rmdir(fs: FsDir, path: string, now: number): FsResult<FsDir> {
  const at = parentAndName(path);
  if (at === null) return fail("EINVAL");
  return updateEntry(fs, at.parent, at.name, now, (current) => {
    if (current === undefined) return fail("ENOENT");
    if (current.kind !== "dir") return fail("ENOTDIR");
    return current.entries.size > 0 ? fail("ENOTEMPTY") : ok(undefined);
  });
}

function isInside(child: string, parent: string): boolean {
  const c = splitPath(child);
  const p = splitPath(parent);
  return c.length >= p.length && p.every((name, i) => c[i] === name);
}

function stamped(node: FsNode, now: number): FsNode {
  if (node.kind === "file") return { ...node, mtime: now };
  return { ...node, mtime: now, entries: new Map([...node.entries].map(([k, v]) => [k, stamped(v, now)])) };
}

function merge(target: FsDir, source: FsDir): FsResult<FsDir> {
  const entries = new Map(target.entries);
  for (const [name, node] of source.entries) {
    const there = entries.get(name);
    if (there === undefined || (there.kind === "file" && node.kind === "file")) entries.set(name, node);
    else if (there.kind === "dir" && node.kind === "dir") {
      const merged = merge(there, node);
      if (!merged.ok) return merged;
      entries.set(name, merged.value);
    } else return fail(there.kind === "dir" ? "EISDIR" : "ENOTDIR");
  }
  return ok({ ...target, entries });
}

/**
 * Copies `from` to exactly `to` (the caller decides "into a directory", as cp does). A file
 * replaces a file; a directory is copied whole and merged into an existing directory.
 */
export function copy(fs: FsDir, from: string, to: string, now: number): FsResult<FsDir> {
  const src = lookup(fs, from);
  if (!src.ok) return src;
  if (src.value.kind === "dir" && isInside(to, from)) return fail("EINVAL");
  const at = parentAndName(to);
  if (at === null) return fail(src.value.kind === "dir" ? "EEXIST" : "EISDIR");
  const fresh = stamped(src.value, now);
  return updateEntry(fs, at.parent, at.name, now, (current) => {
    if (current === undefined) return ok(fresh);
    if (fresh.kind === "file") return current.kind === "dir" ? fail("EISDIR") : ok({ ...fresh, mode: current.mode, mtime: now });
    return current.kind === "dir" ? merge(current, fresh) : fail("ENOTDIR");
  });
}

/** Renames `from` to exactly `to`: replaces a file, or an empty directory (rename(2)'s rules). */
export function move(fs: FsDir, from: string, to: string, now: number): FsResult<FsDir> {
  const src = lookup(fs, from);
  if (!src.ok) return src;
  if (splitPath(from).join("/") === splitPath(to).join("/")) return ok(fs);
  if (src.value.kind === "dir" && isInside(to, from)) return fail("EINVAL");
  const dst = lookup(fs, to);
  if (dst.ok) {
    if (dst.value.kind === "dir" && src.value.kind === "file") return fail("EISDIR");
    if (dst.value.kind === "file" && src.value.kind === "dir") return fail("ENOTDIR");
    if (dst.value.kind === "dir" && dst.value.entries.size > 0) return fail("ENOTEMPTY");
  }
  const node = src.value;
  const from_ = parentAndName(from);
  const to_ = parentAndName(to);
  if (from_ === null || to_ === null) return fail("EINVAL");
  const placed = updateEntry(fs, to_.parent, to_.name, now, () => ok(node));
  if (!placed.ok) return placed;
  return updateEntry(placed.value, from_.parent, from_.name, now, () => ok(undefined));
}

/** Every regular file under `dir`, by path relative to it ("a/b.txt"), e.g. a build context. */
export function collectTree(fs: FsDir, dir: string): Map<string, { text: string; mode: number }> {
  const out = new Map<string, { text: string; mode: number }>();
  const found = lookup(fs, dir);
  if (!found.ok || found.value.kind !== "dir") return out;
  const walk = (node: FsDir, prefix: string): void => {
    for (const name of [...node.entries.keys()].sort(compareBytes)) {
      const child = node.entries.get(name) as FsNode;
      const rel = prefix === "" ? name : `${prefix}/${name}`;
      if (child.kind === "file") out.set(rel, { text: child.text, mode: child.mode });
      else walk(child, rel);
    }
  };
  walk(found.value, "");
  return out;
}

/** Writes files at paths relative to `dir`, making missing directories (copying a tree in). */
export function writeTree(
  fs: FsDir,
  dir: string,
  files: ReadonlyMap<string, { readonly text: string; readonly mode?: number }>,
  now: number,
): FsResult<FsDir> {
  let next = fs;
  const base = splitPath(dir);
  for (const [rel, file] of files) {
    const parts = [...base, ...splitPath(rel)];
    const name = parts.pop();
    if (name === undefined) return fail("EISDIR");
    const made = mkdir(next, `/${parts.join("/")}`, now, { parents: true });
    if (!made.ok) return made;
    const written = updateEntry(made.value, parts, name, now, (current) =>
      current?.kind === "dir" ? fail("EISDIR") : ok(fileNode(file.text, now, file.mode ?? 0o644)),
    );
    if (!written.ok) return written;
    next = written.value;
  }
  return ok(next);
}
