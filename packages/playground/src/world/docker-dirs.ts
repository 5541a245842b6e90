// The engine's data under /var/lib/docker as the host's shell sees it. A volume's content is the
// engine's (a volume is a value in the engine's state, engine/src/volumes), yet on a real host it
// is a directory, its Mountpoint: `ls /var/lib/docker/volumes/demovol/_data` shows what a
// container wrote there, and a file put there appears in the containers that mount it (the
// course's "Basic Volume Usage" does both). So a host command that names a path under
// /var/lib/docker sees each volume's content grafted at its mountpoint, and what it changed there
// goes back into the volume; nothing else under /var/lib/docker is simulated (writes elsewhere
// there are dropped).
import type { Micros } from "@drydock/kernel";
import { graft, nodeAt, withVolumeData, type EngineState } from "@drydock/engine";
import type { FsDir } from "../fs/index.js";

export const DOCKER_ROOT = "/var/lib/docker";

/** Does a command (its working directory or arguments) name something under /var/lib/docker? */
export function namesDockerRoot(cwd: string, args: readonly string[]): boolean {
  return under(cwd) || args.some((a) => a.includes(DOCKER_ROOT));
}

export const under = (path: string) => path === DOCKER_ROOT || path.startsWith(`${DOCKER_ROOT}/`);

/** The host's files with every volume's content at its mountpoint. */
export function withDockerRoot(fs: FsDir, engine: EngineState, now: Micros): FsDir {
  let view = fs;
  for (const v of engine.volumes.values()) {
    if (v.mountpoint === "" || !under(v.mountpoint)) continue;
    view = graft(view, v.mountpoint, v.data, now);
  }
  return view;
}

/**
 * Splits a changed view back: each volume whose mountpoint's content changed takes it (a
 * mountpoint removed leaves the volume empty), and the host keeps its own /var/lib/docker as it
 * was.
 */
export function splitDockerRoot(host: FsDir, view: FsDir, after: FsDir, engine: EngineState, now: Micros): { fs: FsDir; engine: EngineState } {
  if (after === view) return { fs: host, engine };
  let e = engine;
  for (const v of engine.volumes.values()) {
    if (v.mountpoint === "" || !under(v.mountpoint)) continue;
    const was = nodeAt(view, v.mountpoint);
    const changed = nodeAt(after, v.mountpoint);
    if (changed === was) continue;
    const data: FsDir = changed?.kind === "dir" ? changed : { ...v.data, entries: new Map() };
    e = withVolumeData(e, v.name, data);
  }
  const own = nodeAt(host, DOCKER_ROOT) ?? null;
  return { fs: graft(after, DOCKER_ROOT, own, now), engine: e };
}
