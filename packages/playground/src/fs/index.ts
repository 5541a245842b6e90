// The host filesystem: an immutable tree with path-copying updates.
export { type FsDir, type FsError, type FsFile, type FsNode, type FsResult, normalizePath, lookup, utf8Length, fileSize } from "./tree.js";
export {
  type FsStat,
  chmod,
  collectTree,
  copy,
  kindOf,
  mkdir,
  move,
  readFile,
  readdir,
  remove,
  rmdir,
  stat,
  touch,
  writeFile,
  writeTree,
} from "./ops.js";
export { type RootFsOptions, createRootFs } from "./root.js";
