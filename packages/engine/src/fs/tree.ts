// A filesystem as an immutable value: a host's disk, a container's root (its image's files and
// its writable layer), a volume's content. A snapshot is a reference; an update copies
// only the directories on the path from the root to the change (path copying), so holding many
// snapshots costs little. Paths given to these functions are absolute; `normalizePath` makes them.

export type FsError = "ENOENT" | "EISDIR" | "ENOTDIR" | "EACCES" | "EEXIST" | "ENOTEMPTY" | "EINVAL" | "EROFS";
export type FsResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FsError };

export interface FsFile {
  readonly kind: "file";
  readonly text: string;
  /** Permission bits only (0o644); the kind says what the node is. */
  readonly mode: number;
  /** Virtual microseconds. */
  readonly mtime: number;
  /**
   * A file whose bytes the simulation does not hold (an image's binaries): its size and content
   * digest; `text` is then "". Any write replaces the node with one that holds its text.
   */
  readonly blob?: { readonly size: number; readonly digest: string };
  /** A symbolic link (an image's `/bin/sh -> /bin/busybox`): its target. Lookups do not follow it. */
  readonly link?: string;
  /** Owner, when not root (an image's `redis` user owning /data). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface FsDir {
  readonly kind: "dir";
  /** Children by name; a Map, so a name like `constructor` is just a name. */
  readonly entries: ReadonlyMap<string, FsNode>;
  readonly mode: number;
  readonly mtime: number;
  readonly uid?: number;
  readonly gid?: number;
}

export type FsNode = FsFile | FsDir;

export const ok = <T>(value: T): FsResult<T> => ({ ok: true, value });
export const fail = <T = never>(error: FsError): FsResult<T> => ({ ok: false, error });

export function emptyDir(now: number, mode = 0o755): FsDir {
  return { kind: "dir", entries: new Map(), mode, mtime: now };
}

export function fileNode(text: string, now: number, mode = 0o644): FsFile {
  return { kind: "file", text, mode, mtime: now };
}

/**
 * POSIX path resolution without symlinks: `cwd` joined with a relative `path`, then `.` dropped,
 * `..` going up (`/..` is `/`), and repeated slashes folded. Always absolute; `~` is the shell's job.
 */
export function normalizePath(cwd: string, path: string): string {
  const full = path.startsWith("/") ? path : `${cwd}/${path}`;
  const out: string[] = [];
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** The components of an absolute path ("/" has none). */
export function splitPath(path: string): string[] {
  return normalizePath("/", path).split("/").filter((p) => p !== "");
}

export function basenameOf(path: string): string {
  const parts = splitPath(path);
  return parts[parts.length - 1] ?? "/";
}

/**
 * The node at an absolute, normalised path, or undefined (no symlink is followed). The one
 * walk every reader of a tree uses: a program looking for its files, `docker cp`, psql's tables.
 */
export function nodeAt(root: FsDir, path: string): FsNode | undefined {
  // Component by component, without split's array (a process start looks its program up in
  // every directory of PATH: /usr/local/sbin/sleep, /usr/local/bin/sleep, …).
  let node: FsNode = root;
  const n = path.length;
  for (let i = 0; i < n; ) {
    let j = path.indexOf("/", i);
    if (j < 0) j = n;
    // "" (a doubled or trailing slash) and "." name no entry.
    if (j > i && !(j === i + 1 && path.charCodeAt(i) === 46)) {
      if (node.kind !== "dir") return undefined;
      const next: FsNode | undefined = node.entries.get(path.slice(i, j));
      if (next === undefined) return undefined;
      node = next;
    }
    i = j + 1;
  }
  return node;
}

/** Finds the node at `path`: ENOENT when missing, ENOTDIR when a middle component is a file. */
export function lookup(root: FsDir, path: string): FsResult<FsNode> {
  let node: FsNode = root;
  for (const name of splitPath(path)) {
    if (node.kind !== "dir") return fail("ENOTDIR");
    const next: FsNode | undefined = node.entries.get(name);
    if (next === undefined) return fail("ENOENT");
    node = next;
  }
  return ok(node);
}

/**
 * Replaces the entry `name` of the directory at `dirParts` by what `change` returns (undefined
 * removes it), copying only the directories from the root down. The changed directory's mtime
 * becomes `now` (unless null) when an entry is added or removed, as on Linux.
 */
export function updateEntry(
  root: FsDir,
  dirParts: readonly string[],
  name: string,
  now: number | null,
  change: (current: FsNode | undefined) => FsResult<FsNode | undefined>,
): FsResult<FsDir> {
  const walk = (dir: FsDir, depth: number): FsResult<FsDir> => {
    if (depth === dirParts.length) {
      const current = dir.entries.get(name);
      const next = change(current);
      if (!next.ok) return next;
      const entries = new Map(dir.entries);
      if (next.value === undefined) entries.delete(name);
      else entries.set(name, next.value);
      const touched = (current === undefined) !== (next.value === undefined);
      return ok({ ...dir, entries, mtime: touched && now !== null ? now : dir.mtime });
    }
    const childName = dirParts[depth] as string;
    const child = dir.entries.get(childName);
    if (child === undefined) return fail("ENOENT");
    if (child.kind !== "dir") return fail("ENOTDIR");
    const updated = walk(child, depth + 1);
    if (!updated.ok) return updated;
    const entries = new Map(dir.entries);
    entries.set(childName, updated.value);
    return ok({ ...dir, entries });
  };
  return walk(root, 0);
}

/** Splits an absolute path into its parent's components and its last name ("/" has no name). */
export function parentAndName(path: string): { parent: string[]; name: string } | null {
  const parts = splitPath(path);
  const name = parts.pop();
  return name === undefined ? null : { parent: parts, name };
}

/** A file's size in bytes: its text's, or its blob's. */
export function fileSize(f: FsFile): number {
  return f.blob !== undefined ? f.blob.size : utf8Length(f.text);
}

/** Bytes of a text in UTF-8, as `stat` and `wc -c` count them. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
