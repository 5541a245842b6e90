import { DrydockError } from "@drydock/kernel";
import { copyUpCostUs } from "@drydock/image";
import { fileSize, type FsDir, type FsNode } from "../fs/index.js";

/**
 * Virtual cost of writing `bytes` into a volume (or a bind mount or a tmpfs): the data alone, at
 * 1 µs per KiB. A write into the container's writable layer costs the same plus, the first time a
 * file from the image is written, a copy-up of the whole file (the image package's copyUpCostUs:
 * 20 µs plus 1 µs per KiB): volumes bypass copy-on-write, as the course says ("Volumes bypass the
 * copy on write system (better for write-heavy containers)"). For every size,
 * `volumeWriteCostUs(n) < copyUpCostUs(size) + volumeWriteCostUs(n)` (volumes.test.ts).
 */
export function volumeWriteCostUs(bytes: number): number {
  return Math.ceil(Math.max(0, bytes) / 1024);
}

/** What the first write to an image file costs in the container's layer: copy-up, then the write. */
export function layerWriteCostUs(fileBytes: number, bytesWritten: number, firstWrite: boolean): number {
  return (firstWrite ? copyUpCostUs(fileBytes) : 0) + volumeWriteCostUs(bytesWritten);
}

/** A write under a read-only mount: errno EROFS, message "PATH: Read-only file system" (a program prints it after its name). */
export class ReadOnlyError extends DrydockError {
  constructor(readonly path: string) {
    super("EROFS", `${path}: Read-only file system`);
  }
}

/** Sum of the file sizes under a directory (what `docker system df -v` shows per volume). */
export function treeSize(dir: FsDir): number {
  let n = 0;
  const walk = (node: FsNode): void => {
    if (node.kind === "file") n += node.link !== undefined ? 0 : fileSize(node);
    else for (const child of node.entries.values()) walk(child);
  };
  walk(dir);
  return n;
}

/** A volume holds nothing (Docker copies image content only into an empty volume). */
export function isEmptyDir(dir: FsDir): boolean {
  return dir.entries.size === 0;
}
