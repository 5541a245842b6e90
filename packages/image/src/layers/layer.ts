import { rememberedDigest, sha256Digest } from "../util/hash.js";
import { basename, dirname, joinPath } from "../util/path.js";
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX, type FsEntry } from "./entry.js";

/**
 * An immutable, content-addressed layer: the set of changes it makes to the layers below it.
 * Its digest (the "diff ID") is sha256 over a canonical encoding of the changes, sorted by path.
 */
export interface Layer {
  readonly digest: string;
  /** Bytes of file content, as `docker image ls` and `docker system df` count them. */
  readonly size: number;
  readonly changes: ReadonlyMap<string, FsEntry>;
}

/** The tar entry names of a layer, whiteouts spelled as overlayfs/OCI write them. */
export function layerTarNames(layer: Layer): string[] {
  const names: string[] = [];
  for (const [path, e] of layer.changes) {
    if (e.type === "whiteout") names.push(joinPath(dirname(path), WHITEOUT_PREFIX + basename(path)));
    else {
      names.push(path);
      if (e.type === "dir" && e.opaque) names.push(joinPath(path, OPAQUE_WHITEOUT));
    }
  }
  return names.sort();
}

function encodeEntry(path: string, e: FsEntry): string {
  switch (e.type) {
    case "whiteout":
      return `${path}\0w`;
    case "dir":
      return `${path}\0d\0${e.mode}\0${e.uid}\0${e.gid}\0${e.opaque ? 1 : 0}`;
    case "symlink":
      return `${path}\0l\0${e.target}`;
    case "file":
      return `${path}\0f\0${e.mode}\0${e.uid}\0${e.gid}\0${e.size}\0${e.contentDigest}`;
  }
}

/** Canonical encoding: one record per path in sorted order. */
export function encodeChanges(changes: ReadonlyMap<string, FsEntry>): string {
  const paths = [...changes.keys()].sort();
  return paths.map((p) => encodeEntry(p, changes.get(p)!)).join("\n");
}

/** Change maps owned by layers: immutable, so indexes over them can be cached. */
const frozenChanges = new WeakSet<ReadonlyMap<string, FsEntry>>();
export function isFrozenChanges(changes: ReadonlyMap<string, FsEntry>): boolean {
  return frozenChanges.has(changes);
}

export function createLayer(changes: ReadonlyMap<string, FsEntry>): Layer {
  const sorted = new Map([...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  let size = 0;
  for (const e of sorted.values()) if (e.type === "file") size += e.size;
  frozenChanges.add(sorted);
  return Object.freeze({ digest: rememberedDigest(encodeChanges(sorted)), size, changes: sorted });
}

/** The digest of the empty layer (a build step with no filesystem changes). */
export const EMPTY_LAYER_DIGEST = sha256Digest("");
