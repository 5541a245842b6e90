// The volumes and plugins of one engine. Filled in by issue #10 (volumes, plugins).

/** Volumes by name. */
export type VolumeTable = ReadonlyMap<string, unknown>;
/** Installed plugins by name. */
export type PluginTable = ReadonlyMap<string, unknown>;

export const NO_VOLUMES: VolumeTable = new Map();
export const NO_PLUGINS: PluginTable = new Map();
