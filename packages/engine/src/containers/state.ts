// The containers of one engine. Filled in by issue #10 (containers): see containers/README.md.

/** Containers by full ID (64 hex). A Map, so an ID or name is never an Object.prototype key. */
export type ContainerTable = ReadonlyMap<string, unknown>;

export const NO_CONTAINERS: ContainerTable = new Map();
