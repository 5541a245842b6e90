// The containers of one engine (issue #10): see README.md.
import type { Container } from "./types.js";

/** Containers by full ID (64 hex). A Map, so an ID or name is never an Object.prototype key. */
export type ContainerTable = ReadonlyMap<string, Container>;

export const NO_CONTAINERS: ContainerTable = new Map();
