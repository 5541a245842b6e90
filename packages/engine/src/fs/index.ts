// Files as immutable values: a host's disk, a container's root filesystem, a volume's content.
// An update copies only the directories on the path from the root to the change, so a snapshot
// is a reference and thousands of containers share their image's files until they write.
export {
  type FsDir, type FsError, type FsFile, type FsNode, type FsResult,
  ok, fail, emptyDir, fileNode, normalizePath, splitPath, basenameOf, lookup, nodeAt, updateEntry, parentAndName, utf8Length, fileSize,
} from "./tree.js";
export {
  type FsStat,
  chmod, collectTree, compareBytes, copy, kindOf, mkdir, move, readFile, readdir, remove, rewritten, rmdir, stat, statNode, touch,
  writeFile, writeTree,
} from "./ops.js";
