import { rememberedDigest, sha256Digest, utf8Length } from "../util/hash.js";

/**
 * One entry of a layer's changes, as a tar header would carry it. Timestamps are deliberately left
 * out (as with SOURCE_DATE_EPOCH rewriting) so that identical content gives identical layers.
 */
export interface EntryMeta {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface FileEntry extends EntryMeta {
  readonly type: "file";
  readonly size: number;
  /** sha256 of the content (the text's, or of a synthetic descriptor for generated binaries). */
  readonly contentDigest: string;
  /** The content when it is small text the simulation can read back (configs, scripts, sources). */
  readonly text?: string;
  /** For simulated tarballs: the member files ADD extracts. */
  readonly archive?: Readonly<Record<string, string>>;
}

export interface DirEntry extends EntryMeta {
  readonly type: "dir";
  /** The directory replaces a lower one: an opaque whiteout (`.wh..wh..opq`). */
  readonly opaque?: boolean;
}

export interface SymlinkEntry extends EntryMeta {
  readonly type: "symlink";
  readonly target: string;
}

/** Deletes the path from lower layers (`.wh.<name>` in the layer tarball). */
export interface WhiteoutEntry {
  readonly type: "whiteout";
}

export type FsEntry = FileEntry | DirEntry | SymlinkEntry | WhiteoutEntry;
export type PresentEntry = FileEntry | DirEntry | SymlinkEntry;

export const WHITEOUT: WhiteoutEntry = Object.freeze({ type: "whiteout" });
export const WHITEOUT_PREFIX = ".wh.";
export const OPAQUE_WHITEOUT = ".wh..wh..opq";

export function textFile(text: string, meta: Partial<EntryMeta> = {}): FileEntry {
  return {
    type: "file",
    size: utf8Length(text),
    // The same contents come back (a RUN's cp of files a COPY hashed, every replay of a seek).
    contentDigest: rememberedDigest(text),
    text,
    mode: meta.mode ?? 0o644,
    uid: meta.uid ?? 0,
    gid: meta.gid ?? 0,
  };
}

/** A file whose bytes the simulation does not hold, only their size and identity. */
export function opaqueFile(descriptor: string, size: number, meta: Partial<EntryMeta> = {}): FileEntry {
  return {
    type: "file",
    size,
    contentDigest: sha256Digest(`${descriptor}\0${size}`),
    mode: meta.mode ?? 0o755,
    uid: meta.uid ?? 0,
    gid: meta.gid ?? 0,
  };
}

export function dirEntry(meta: Partial<EntryMeta> = {}, opaque = false): DirEntry {
  const d: DirEntry = { type: "dir", mode: meta.mode ?? 0o755, uid: meta.uid ?? 0, gid: meta.gid ?? 0 };
  return opaque ? { ...d, opaque: true } : d;
}

export function symlinkEntry(target: string): SymlinkEntry {
  return { type: "symlink", target, mode: 0o777, uid: 0, gid: 0 };
}

export function formatMode(entry: PresentEntry): string {
  const kind = entry.type === "dir" ? "d" : entry.type === "symlink" ? "l" : "-";
  const bits = ["---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"];
  return kind + [6, 3, 0].map((s) => bits[(entry.mode >> s) & 7]).join("");
}
