export {
  WHITEOUT, WHITEOUT_PREFIX, OPAQUE_WHITEOUT, textFile, opaqueFile, dirEntry, symlinkEntry, formatMode,
  type FsEntry, type FileEntry, type DirEntry, type SymlinkEntry, type WhiteoutEntry, type PresentEntry, type EntryMeta,
} from "./entry.js";
export { createLayer, encodeChanges, layerTarNames, EMPTY_LAYER_DIGEST, type Layer } from "./layer.js";
export { UnionFS, lookup, lookupIn, listDirIn, flatten, copyUpCostUs, COPY_UP_BASE_US, type WriteResult } from "./union.js";
