import type { Micros } from "@drydock/kernel";
import { fastDigest, sha256Digest } from "../util/hash.js";

/** HEALTHCHECK settings as the image config stores them (durations in virtual microseconds). */
export interface HealthConfig {
  /** ["CMD", args…], ["CMD-SHELL", command] or ["NONE"]. */
  readonly test: readonly string[];
  readonly interval?: Micros;
  readonly timeout?: Micros;
  readonly startPeriod?: Micros;
  readonly startInterval?: Micros;
  readonly retries?: number;
}

/** The runnable part of an image config (`docker inspect` .Config). */
export interface ImageConfig {
  /** "KEY=value" entries in order. */
  readonly env: readonly string[];
  readonly cmd: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  readonly workingDir: string;
  readonly user: string;
  /** "80/tcp" style keys. */
  readonly exposedPorts: readonly string[];
  readonly volumes: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly healthcheck: HealthConfig | null;
  /** SHELL: null means the platform default. */
  readonly shell: readonly string[] | null;
  readonly stopSignal: string | null;
  readonly onBuild: readonly string[];
}

export interface HistoryEntry {
  readonly created: Micros;
  /** The instruction that made the entry, as `docker history` shows it. */
  readonly createdBy: string;
  readonly emptyLayer: boolean;
  readonly comment?: string;
}

export type ImageOs = "linux" | "windows";

export interface Image {
  /** sha256 of the canonical config JSON: the image ID. */
  readonly id: string;
  readonly os: ImageOs;
  readonly architecture: string;
  /** Diff IDs of the layers, bottom first. */
  readonly layers: readonly string[];
  readonly config: ImageConfig;
  readonly history: readonly HistoryEntry[];
  readonly created: Micros;
  readonly comment?: string;
  /** The image this one was built on (locally built images only). */
  readonly parent?: string;
}

export const DEFAULT_LINUX_SHELL: readonly string[] = ["/bin/sh", "-c"];
export const DEFAULT_WINDOWS_SHELL: readonly string[] = ["cmd", "/S", "/C"];

export function emptyConfig(): ImageConfig {
  return {
    env: [], cmd: null, entrypoint: null, workingDir: "", user: "", exposedPorts: [], volumes: [], labels: {},
    healthcheck: null, shell: null, stopSignal: null, onBuild: [],
  };
}

export interface ImageSpec {
  readonly os?: ImageOs;
  readonly architecture?: string;
  readonly layers: readonly string[];
  readonly config: ImageConfig;
  readonly history: readonly HistoryEntry[];
  readonly comment?: string;
  readonly parent?: string;
}

/**
 * Builds an image record; its ID is the digest of the config JSON (architecture, os, config,
 * rootfs diff IDs, history), so equal inputs give equal IDs, as with Docker's content-addressed images.
 */
export function createImage(spec: ImageSpec): Image {
  const os = spec.os ?? "linux";
  const architecture = spec.architecture ?? "amd64";
  const created = spec.history.reduce((m, h) => Math.max(m, h.created), Number.MIN_SAFE_INTEGER);
  const createdAt = spec.history.length ? created : 0;
  const body = [architecture, os, configJson(spec.config), createdAt, spec.layers, historyChain(spec.history), spec.comment ?? null];
  return {
    id: imageId(JSON.stringify(body)), os, architecture, layers: spec.layers, config: spec.config,
    history: spec.history, created: createdAt,
    ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
    ...(spec.parent !== undefined ? { parent: spec.parent } : {}),
  };
}

/** Image IDs by config JSON: fully cached rebuilds produce the same config again and again. */
const ids = new Map<string, string>();
function imageId(json: string): string {
  let id = ids.get(json);
  if (id === undefined) {
    if (ids.size >= 2048) ids.clear();
    id = sha256Digest(json);
    ids.set(json, id);
  }
  return id;
}

/** The config in a fixed field order: equal configs serialise equally however they were built. */
function configJson(c: ImageConfig): unknown[] {
  const hc = c.healthcheck;
  const labels = Object.keys(c.labels).sort().map((k) => [k, c.labels[k]]);
  return [
    c.env, c.cmd, c.entrypoint, c.workingDir, c.user, c.exposedPorts, c.volumes, labels,
    hc ? [hc.test, hc.interval ?? null, hc.timeout ?? null, hc.startPeriod ?? null, hc.startInterval ?? null, hc.retries ?? null] : null,
    c.shell, c.stopSignal, c.onBuild,
  ];
}

/**
 * A chained digest of the history entries: entry i's link covers link i-1 and entry i. Entries
 * are shared objects between a base image and the images built on it, so each link is computed
 * once per (entry, previous link) and a build only hashes its own new entries.
 */
const links = new WeakMap<HistoryEntry, Map<string, string>>();
function historyChain(history: readonly HistoryEntry[]): string {
  let chain = "";
  for (const h of history) {
    let byPrev = links.get(h);
    if (!byPrev) links.set(h, (byPrev = new Map()));
    let next = byPrev.get(chain);
    if (next === undefined) {
      next = fastDigest(`${chain}\u0001${JSON.stringify([h.created, h.createdBy, h.emptyLayer, h.comment ?? null])}`);
      if (byPrev.size < 64) byPrev.set(chain, next);
    }
    chain = next;
  }
  return chain;
}

export function envLookup(env: readonly string[], key: string): string | undefined {
  for (let i = env.length - 1; i >= 0; i--) {
    const e = env[i]!;
    const eq = e.indexOf("=");
    if ((eq < 0 ? e : e.slice(0, eq)) === key) return eq < 0 ? "" : e.slice(eq + 1);
  }
  return undefined;
}

/** Sets KEY in an env list, replacing an earlier value in place (Docker keeps the order). */
export function envSet(env: readonly string[], key: string, value: string): string[] {
  const out = [...env];
  const i = out.findIndex((e) => e === key || e.startsWith(`${key}=`));
  if (i >= 0) out[i] = `${key}=${value}`;
  else out.push(`${key}=${value}`);
  return out;
}

export function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const eq = e.indexOf("=");
    if (eq < 0) m.set(e, "");
    else m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}

/**
 * The command a container runs, per Docker's CMD/ENTRYPOINT table ("Understand how CMD and
 * ENTRYPOINT interact"). Shell forms are already stored with the shell prefix, so the exec
 * entrypoint's arguments come first, then CMD; overrides replace one or the other.
 */
export function effectiveCommand(config: ImageConfig, overrides: { cmd?: readonly string[]; entrypoint?: readonly string[] } = {}): string[] {
  const entrypoint = overrides.entrypoint ?? config.entrypoint ?? [];
  // `docker run --entrypoint` clears the image's CMD too.
  const cmd = overrides.cmd ?? (overrides.entrypoint ? [] : (config.cmd ?? []));
  return [...entrypoint, ...cmd];
}
