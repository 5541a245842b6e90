// The volumes and plugins of one engine (issue #10). README.md beside this file is the contract
// with the containers side: how volume content is stored and which functions read and write it.
import type { Micros } from "@drydock/kernel";
import type { FsDir } from "../fs/index.js";

/** What `docker volume inspect` shows of a volume, plus its content and who holds it. */
export interface Volume {
  readonly name: string;
  /** "local", or the plugin's name with its tag ("vieux/sshfs:latest"). */
  readonly driver: string;
  /** /var/lib/docker/volumes/<name>/_data for local volumes; the plugin's propagated mount otherwise. */
  readonly mountpoint: string;
  readonly createdAt: Micros;
  /**
   * null when the API got none (a volume that `docker run -v name:/x` created prints
   * "Labels": null), {} when `docker volume create` sent an empty map.
   */
  readonly labels: Readonly<Record<string, string>> | null;
  /** Driver options (-o): same null/{} rule as labels. */
  readonly options: Readonly<Record<string, string>> | null;
  readonly scope: "local" | "global";
  /** Created without a name (`docker run -v /data`, VOLUME, `docker volume create` with no name). */
  readonly anonymous: boolean;
  /**
   * The volume's content: a directory as the engine's fs module holds every filesystem (a host's
   * disk, a container's root), so a container's view grafts it at the mount point as it is. Which
   * containers use the volume is not kept here: it is read from the containers' mounts.
   */
  readonly data: FsDir;
}

/** Volumes by name. A Map, so a volume called "constructor" is just a name. */
export type VolumeTable = ReadonlyMap<string, Volume>;

/** One privilege a plugin asks for at install (`docker plugin install` prints them). */
export interface PluginPrivilege {
  /** "network", "mount", "device", "capabilities", "allow-all-devices", "host pid namespace"… */
  readonly name: string;
  readonly description: string;
  readonly value: readonly string[];
}

/** An installed (managed, v2) plugin: what `docker plugin ls/inspect` show. */
export interface Plugin {
  /** 64 hex. */
  readonly id: string;
  /** "vieux/sshfs:latest" (the familiar name with its tag). */
  readonly name: string;
  /** "docker.io/vieux/sshfs:latest". */
  readonly reference: string;
  readonly enabled: boolean;
  /** Settable env (KEY=VALUE), from `docker plugin install NAME KEY=VALUE` or `docker plugin set`. */
  readonly env: readonly string[];
  readonly installedAt: Micros;
}

/** Installed plugins by name ("vieux/sshfs:latest"). */
export type PluginTable = ReadonlyMap<string, Plugin>;

export const NO_VOLUMES: VolumeTable = new Map();
export const NO_PLUGINS: PluginTable = new Map();
