// The daemon's events (`docker events`, `docker system events`): moby's events.Message, one record
// type for every kind, kept in `engine.events` for the last EVENTS_LIMIT (moby daemon/events keeps
// 256), and moby's filters (daemon/events/filter.go) and buffered-event selection
// (loadBufferedEvents) for `docker events --since/--until/--filter`.
import { parseDockerRef } from "@drydock/image";
import type { Micros } from "@drydock/kernel";
import type { FilterArgs } from "./volumes/filters.js";

/** moby daemon/events: eventsLimit. */
export const EVENTS_LIMIT = 256;

export type EventType = "container" | "image" | "volume" | "network" | "plugin" | "daemon" | "builder" | "node" | "service" | "secret" | "config";

/** moby api/types/events.Message. */
export interface EngineEvent {
  readonly type: EventType;
  /** "create", "start", "die", "exec_start: sh -c ls", "health_status: healthy", … */
  readonly action: string;
  readonly actor: { readonly id: string; readonly attributes: Readonly<Record<string, string>> };
  readonly scope: "local" | "swarm";
  /** Virtual µs (the API's timeNano, in the world's clock). */
  readonly timeUs: Micros;
}

/** Anything that keeps the daemon's events (the engine; the volumes code's narrower views of it). */
export interface HasEvents {
  readonly events?: readonly EngineEvent[];
}

/** The daemon's buffered events, oldest first. */
export function engineEvents(engine: HasEvents): readonly EngineEvent[] {
  return engine.events ?? [];
}

/** Appends events to a log, keeping the last EVENTS_LIMIT. */
export function appendEvents(log: readonly EngineEvent[], added: readonly EngineEvent[]): readonly EngineEvent[] {
  if (added.length === 0) return log;
  // One array of the final size, filled once (a busy host logs several events per command; a
  // slice grown by push copied the log twice, into an array half as big again).
  const addFrom = Math.max(0, added.length - EVENTS_LIMIT);
  const keepFrom = Math.min(log.length, Math.max(0, log.length + added.length - addFrom - EVENTS_LIMIT));
  const all = new Array<EngineEvent>(log.length - keepFrom + added.length - addFrom);
  let j = 0;
  for (let i = keepFrom; i < log.length; i++) all[j++] = log[i]!;
  for (let i = addFrom; i < added.length; i++) all[j++] = added[i]!;
  return all;
}

/** Logs one event (moby LogEventWithAttributes, scope "local"). */
export function recordEvent<E extends HasEvents>(
  engine: E, now: Micros, type: EventType, action: string, id: string, attributes: Readonly<Record<string, string>> = {},
): E {
  const ev: EngineEvent = { type, action, actor: { id, attributes: { ...attributes } }, scope: "local", timeUs: now };
  return { ...engine, events: appendEvents(engineEvents(engine), [ev]) };
}

/** reference.FamiliarName of an image name, or the name as it is when it is no reference (moby stripTag). */
function stripTag(image: string): string {
  try {
    return parseDockerRef(image).familiarName;
  } catch {
    return image;
  }
}

function fuzzyMatchName(f: FilterArgs, ev: EngineEvent, type: EventType): boolean {
  return f.fuzzyMatch(type, ev.actor.id) || f.fuzzyMatch(type, ev.actor.attributes["name"] ?? "");
}

/** moby daemon/events/filter.go Filter.Include. */
export function includeEvent(f: FilterArgs, ev: EngineEvent): boolean {
  const fuzzyEvent = ["health_status", "exec_create", "exec_start"].some((a) => f.get("event").includes(a));
  const matchEvent = fuzzyEvent ? f.fuzzyMatch("event", ev.action) : f.exactMatch("event", ev.action);
  const nameAttr = ev.type === "image" ? "name" : "image";
  const imageName = ev.actor.attributes[nameAttr] ?? "";
  const matchImage = f.exactMatch("image", ev.actor.id) || f.exactMatch("image", imageName)
    || f.exactMatch("image", stripTag(ev.actor.id)) || f.exactMatch("image", stripTag(imageName));
  return matchEvent
    && f.exactMatch("type", ev.type)
    && (!f.has("scope") || f.exactMatch("scope", ev.scope))
    && (["daemon", "container", "plugin", "volume", "network", "node", "service", "secret", "config"] as const).every((t) => fuzzyMatchName(f, ev, t))
    && matchImage
    && f.matchKVList("label", ev.actor.attributes);
}

/**
 * moby loadBufferedEvents: with neither `since` nor `until` a subscriber sees no past events;
 * otherwise those at or after `since` and at or before `until` that pass the filters.
 */
export function selectEvents(
  log: readonly EngineEvent[], opts: { readonly sinceUs?: Micros; readonly untilUs?: Micros; readonly filters: FilterArgs },
): EngineEvent[] {
  if (opts.sinceUs === undefined && opts.untilUs === undefined) return [];
  const out: EngineEvent[] = [];
  for (const ev of log) {
    if (opts.sinceUs !== undefined && ev.timeUs < opts.sinceUs) continue;
    if (opts.untilUs !== undefined && ev.timeUs > opts.untilUs) continue;
    if (includeEvent(opts.filters, ev)) out.push(ev);
  }
  return out;
}
