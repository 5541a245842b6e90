// Where a path inside a container lives: in its writable layer, a volume, a host directory (a
// bind mount) or a tmpfs. Volumes and the parsing of -v/--mount/--tmpfs are the volumes code's
// (../volumes, see its README); this file builds a container's view of its files (its root with
// each mount's content grafted at its target) and splits a changed view back into its sources.
import type { Micros } from "@drydock/kernel";
import { emptyDir, lookup, nodeAt, splitPath, updateEntry, ok, type FsDir, type FsNode } from "../fs/index.js";

/** The node at a path of a view (fs/tree.ts nodeAt). */
export const nodeAtPath = nodeAt;
import type { EngineState } from "../engine.js";
import { volumeData, withVolumeData, volumeUsers } from "../volumes/index.js";
import type { Container, MountPoint } from "./types.js";

export { type MountSpec, parseVolumeFlag, parseMountFlag, parseTmpfsFlag } from "../volumes/index.js";
export { volumeData, withVolumeData, ensureVolume } from "../volumes/index.js";

/** The IDs of the containers that mount a volume (a volume in use cannot be removed). */
export function containersUsingVolume(engine: EngineState, name: string): string[] {
  return volumeUsers(engine, name);
}

/** The mount that holds `path` (the longest target that is `path` or above it), or null. */
export function mountFor(mounts: readonly MountPoint[], path: string): MountPoint | null {
  let best: MountPoint | null = null;
  for (const m of mounts) {
    if (path === m.target || path.startsWith(m.target === "/" ? "/" : `${m.target}/`)) {
      if (best === null || m.target.length > best.target.length) best = m;
    }
  }
  return best;
}

// ---- the container's view: its root with each mount's content grafted at its target ----

/** Replaces the node at `path` in `root` (making missing directories), or removes it (null). */
export function graft(root: FsDir, path: string, node: FsNode | null, now: Micros): FsDir {
  const parts = splitPath(path);
  const name = parts.pop();
  if (name === undefined) return node?.kind === "dir" ? node : root;
  let base = root;
  for (let i = 0; i < parts.length; i++) {
    const at = lookup(base, `/${parts.slice(0, i + 1).join("/")}`);
    if (!at.ok || at.value.kind !== "dir") {
      const made = updateEntry(base, parts.slice(0, i), parts[i]!, null, () => ok(emptyDir(now)));
      if (made.ok) base = made.value;
    }
  }
  const r = updateEntry(base, parts, name, null, () => ok(node ?? undefined));
  return r.ok ? r.value : base;
}


/** The sources a view is made of, for splitting a changed view back into them. */
export interface MountSources {
  readonly engine: EngineState;
  readonly hostFs: FsDir;
  readonly tmpfs: ReadonlyMap<string, FsDir>;
}

function sourceOf(m: MountPoint, src: MountSources): FsNode | undefined {
  switch (m.type) {
    case "volume": return volumeData(src.engine, m.source);
    case "bind": return nodeAtPath(src.hostFs, m.source);
    case "tmpfs": return src.tmpfs.get(m.target);
  }
}

/** The container's files as its processes see them: the root, each mount over its target. */
export function viewOf(c: Container, src: MountSources, now: Micros): FsDir {
  let view = c.rootfs;
  for (const m of [...c.mounts].sort((a, b) => a.target.length - b.target.length)) {
    view = graft(view, m.target, sourceOf(m, src) ?? emptyDir(now), now);
  }
  return view;
}

/**
 * Splits a changed view back into the container's root and its mounts' sources. A read-only
 * mount that changed is refused (EROFS), as the kernel refuses the write. Directories of the
 * root that changed only by having mounts grafted in come back as the very same values, so
 * `docker diff` sees no change there.
 */
export function splitView(
  c: Container, before: FsDir, after: FsDir, src: MountSources, now: Micros,
): { rootfs: FsDir; engine: EngineState; hostFs: FsDir; tmpfs: ReadonlyMap<string, FsDir> } | { erofs: string } {
  if (before === after) return { rootfs: c.rootfs, engine: src.engine, hostFs: src.hostFs, tmpfs: src.tmpfs };
  let engine = src.engine;
  let hostFs = src.hostFs;
  const tmpfs = new Map(src.tmpfs);
  for (const m of [...c.mounts].sort((a, b) => b.target.length - a.target.length)) {
    const was = nodeAtPath(before, m.target);
    const now_ = nodeAtPath(after, m.target);
    if (was === now_) continue;
    if (m.readOnly) return { erofs: m.target };
    const dir = now_?.kind === "dir" ? now_ : emptyDir(now);
    if (m.type === "volume") engine = withVolumeData(engine, m.source, dir);
    else if (m.type === "bind") hostFs = graft(hostFs, m.source, now_ ?? null, now);
    else tmpfs.set(m.target, dir);
  }
  const targets = new Set(c.mounts.map((m) => m.target));
  const prefixes = new Set<string>();
  for (const t of targets) {
    const parts = splitPath(t);
    for (let i = 0; i < parts.length; i++) prefixes.add(`/${parts.slice(0, i).join("/")}`.replace(/^\/$/, "/"));
  }
  const rootfs = unmount(after, c.rootfs, "/", targets, prefixes) as FsDir;
  return { rootfs, engine, hostFs, tmpfs };
}

/** `after` with what is at each mount target put back as `orig` had it (the same values where nothing else changed). */
function unmount(after: FsNode | undefined, orig: FsNode | undefined, path: string, targets: ReadonlySet<string>, prefixes: ReadonlySet<string>): FsNode | undefined {
  if (after === undefined || after.kind !== "dir" || !prefixes.has(path)) return after;
  const entries = new Map<string, FsNode>();
  const origDir = orig?.kind === "dir" ? orig : undefined;
  let same = origDir !== undefined && after.mode === origDir.mode && after.mtime === origDir.mtime;
  const names = new Set([...after.entries.keys(), ...(origDir?.entries.keys() ?? [])]);
  for (const name of names) {
    const p = path === "/" ? `/${name}` : `${path}/${name}`;
    const o = origDir?.entries.get(name);
    const child = targets.has(p) ? o : unmount(after.entries.get(name), o, p, targets, prefixes);
    if (child !== undefined) entries.set(name, child);
    if (child !== o) same = false;
  }
  if (same && origDir !== undefined && entries.size === origDir.entries.size) return origDir;
  return { ...after, entries: new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}
