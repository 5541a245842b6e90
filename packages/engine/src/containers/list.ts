// GET /containers/json (`docker ps`): moby daemon/list.go — newest first, running ones unless
// `all`, `-n`/`-l` over every state, and the filters with moby's matching rules (name and id are
// regular expressions, status must be a real state, exited needs a number, ancestor follows
// built images down from a base).
import { ImageStore, shortId } from "@drydock/image";
import { DrydockError, type Micros } from "@drydock/kernel";
import type { EngineState } from "../engine.js";
import { FilterArgs } from "../volumes/filters.js";
import type { ContainerUsage } from "../volumes/system.js";
import { writableSize } from "./rootfs.js";
import { stateString, statusText } from "./status.js";
import { checkHealthFilter, healthOf } from "./health.js";
import type { Container } from "./types.js";

/**
 * moby daemon.GetContainer: a container by full ID, by name (with or without its "/"), or by a
 * unique prefix of its ID ("multiple IDs found with provided prefix" when it is not unique).
 */
export function findContainer(containers: ReadonlyMap<string, Container>, names: ReadonlyMap<string, string>, ref: string): Container | undefined {
  if (ref === "") return undefined;
  const byId = containers.get(ref);
  if (byId) return byId;
  const id = names.get(ref.replace(/^\//, ""));
  if (id !== undefined) return containers.get(id);
  if (!/^[0-9a-f]+$/.test(ref)) return undefined;
  let found: Container | undefined;
  for (const [cid, c] of containers) {
    if (!cid.startsWith(ref)) continue;
    if (found) throw new DrydockError("EINVAL", `multiple IDs found with provided prefix: ${ref}`);
    found = c;
  }
  return found;
}

/** findContainer, or moby's errors: "invalid container name or ID: value is empty", "No such container: x". */
export function getContainer(containers: ReadonlyMap<string, Container>, names: ReadonlyMap<string, string>, ref: string): Container {
  if (ref === "") throw new DrydockError("EINVAL", "invalid container name or ID: value is empty");
  const c = findContainer(containers, names, ref);
  if (!c) throw new DrydockError("ENOCONTAINER", `No such container: ${ref}`);
  return c;
}
export const PS_FILTERS = ["ancestor", "before", "exited", "id", "isolation", "label", "name", "status", "health", "since", "volume", "network", "is-task", "publish", "expose"] as const;

const VALID_STATES = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];

export interface ListOptions {
  readonly all?: boolean;
  /** `-n N` (and `-l`: 1): the last N created, in any state. */
  readonly limit?: number;
  readonly filters?: FilterArgs;
}

function byRef(engine: EngineState, ref: string): Container | undefined {
  const byId = engine.containers.get(ref);
  if (byId) return byId;
  const id = engine.containerNames.get(ref.replace(/^\//, ""));
  if (id !== undefined) return engine.containers.get(id);
  const matches = [...engine.containers.values()].filter((c) => c.id.startsWith(ref));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The image IDs an `ancestor` filter names: the image and every image built on it (moby populateImageFilterByParents). */
function ancestors(engine: EngineState, values: readonly string[]): Set<string> {
  const store = ImageStore.fromSnapshot(engine.images);
  const children = new Map<string, string[]>();
  for (const img of store.allImages()) if (img.parent) children.set(img.parent, [...(children.get(img.parent) ?? []), img.id]);
  const out = new Set<string>();
  const add = (id: string): void => {
    if (out.has(id)) return;
    out.add(id);
    for (const c of children.get(id) ?? []) add(c);
  };
  for (const v of values) {
    const img = store.resolve(v);
    if (img) add(img.id);
  }
  return out;
}

/** The containers `docker ps` lists, in its order. Throws moby's error for a bad filter. */
export function listContainers(engine: EngineState, opts: ListOptions = {}): Container[] {
  const f = opts.filters ?? new FilterArgs();
  f.validate(PS_FILTERS);
  const exited: number[] = [];
  for (const v of f.get("exited")) {
    if (!/^-?\d+$/.test(v)) throw new DrydockError("EINVAL", `invalid filter 'exited=${v}': strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    exited.push(Number(v));
  }
  let all = opts.all === true;
  for (const v of f.get("status")) {
    if (!VALID_STATES.includes(v)) throw new DrydockError("EINVAL", `invalid filter 'status=${v}': invalid value for state (${v}): must be one of ${VALID_STATES.join(", ")}`);
    all = true;
  }
  checkHealthFilter(f.get("health"));
  const isTask = f.has("is-task") ? f.boolOrDefault("is-task", false) : null;
  const refFilter = (key: "before" | "since"): Container | undefined => {
    const vs = f.get(key);
    if (vs.length === 0) return undefined;
    const c = byRef(engine, vs[vs.length - 1]!);
    if (!c) throw new DrydockError("ENOCONTAINER", `No such container: ${vs[vs.length - 1]}`);
    return c;
  };
  const before = refFilter("before");
  const since = refFilter("since");
  const images = f.has("ancestor") ? ancestors(engine, f.get("ancestor")) : null;
  const limit = opts.limit ?? 0;
  // Newest first; containers created at the same instant, the later created first (a stable sort of the newest-first insertion order).
  const sorted = [...engine.containers.values()].reverse().sort((a, b) => b.created - a.created);
  const out: Container[] = [];
  for (const c of sorted) {
    if (since && c.created <= since.created) break;
    if (before && c.created >= before.created) continue;
    if (!c.state.running && !all && limit <= 0 && !before && !since) continue;
    if (!f.match("name", `/${c.name}`) && !f.match("name", c.name)) continue;
    if (!f.match("id", c.id)) continue;
    if (isTask === true) continue;
    if (!f.matchKVList("label", c.config.labels)) continue;
    if (limit > 0 && out.length === limit) break;
    if (exited.length > 0 && !(exited.includes(c.state.exitCode) && !c.state.running && c.state.startedAt !== null)) continue;
    if (!f.match("status", stateString(c))) continue;
    if (f.has("health") && !f.exactMatch("health", healthOf(c))) continue;
    if (f.has("volume") && !f.get("volume").some((v) => c.mounts.some((m) => m.target === v || m.source === v))) continue;
    if (images !== null && !images.has(c.imageId)) continue;
    if (f.has("network") && !f.get("network").some((n) => c.hostConfig.networkMode === n || (n === "bridge" && c.hostConfig.networkMode === "default"))) continue;
    if (f.has("publish") && !f.get("publish").some((p) => Object.entries(c.hostConfig.portBindings).some(([k, bs]) => k === p || k === `${p}/tcp` || bs.some((b) => b.hostPort === p.split("/")[0])))) continue;
    if (f.has("expose") && !f.get("expose").some((p) => c.config.exposedPorts.includes(p.includes("/") ? p : `${p}/tcp`))) continue;
    out.push(c);
  }
  return out;
}

/** The image a container's row shows: as it was named, or the short ID when that name now means another image or none (moby list.go refreshImage). */
export function displayImage(engine: EngineState, c: Container): string {
  const store = ImageStore.fromSnapshot(engine.images);
  const img = store.resolve(c.config.image);
  if (img && img.id === c.imageId) return c.config.image;
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(c.config.image)) return shortId(c.imageId);
  // The name now means another image, or no image (`docker rmi -f` untagged it): moby's refreshImage
  // shows the container's image ID then.
  return c.imageId !== "" ? shortId(c.imageId) : c.config.image;
}

/** The command column's text: the path and arguments as one string (moby list: Path + Args joined). */
export function commandOf(c: Container): string {
  // moby container/view.go: an argument with a space is shown in single quotes.
  if (c.args.length === 0) return c.path;
  return `${c.path} ${c.args.map((a) => (a.includes(" ") ? `'${a}'` : a)).join(" ")}`;
}

/** What the system commands read of every container (volumes/system.ts ContainerUsage). */
export function containerUsage(engine: EngineState, now: Micros): ContainerUsage[] {
  return [...engine.containers.values()].map((c) => ({
    id: c.id, imageId: c.imageId, image: displayImage(engine, c), names: [c.name], command: commandOf(c), state: stateString(c),
    status: statusText(c, now), createdAt: c.created, sizeRw: writableSize(c.lowerfs, c.rootfs, c.mounts.map((m) => m.target)),
    localVolumes: c.mounts.filter((m) => m.type === "volume").length, labels: c.config.labels,
  }));
}
