import { describe, expect, it } from "vitest";
import { createEngine } from "./engine.js";
import { EVENTS_LIMIT, engineEvents, includeEvent, recordEvent, selectEvents, type EngineEvent } from "./events.js";
import { FilterArgs } from "./volumes/filters.js";
import { formatRfc3339NanoFixed, parseGoDuration, parseTimestamp, unixToVirtual } from "./volumes/time.js";

const ev = (type: EngineEvent["type"], action: string, id: string, attributes: Record<string, string> = {}, timeUs = 0): EngineEvent =>
  ({ type, action, actor: { id, attributes }, scope: "local", timeUs });

describe("the event log (moby daemon/events)", () => {
  it("keeps the last 256 events, oldest first", () => {
    let e = createEngine();
    for (let i = 0; i < EVENTS_LIMIT + 10; i++) e = recordEvent(e, i, "volume", "create", `v${i}`);
    const log = engineEvents(e);
    expect(log).toHaveLength(EVENTS_LIMIT);
    expect(log[0]!.actor.id).toBe("v10");
    expect(log.at(-1)!.actor.id).toBe(`v${EVENTS_LIMIT + 9}`);
  });

  it("a subscription starts with no past events unless since or until is given (loadBufferedEvents)", () => {
    const log = [ev("volume", "create", "a", {}, 1), ev("volume", "destroy", "a", {}, 5)];
    const none = new FilterArgs();
    expect(selectEvents(log, { filters: none })).toEqual([]);
    expect(selectEvents(log, { sinceUs: 2, filters: none }).map((e) => e.action)).toEqual(["destroy"]);
    expect(selectEvents(log, { untilUs: 2, filters: none }).map((e) => e.action)).toEqual(["create"]);
  });

  it("filters as daemon/events/filter.go: type, event, a name by prefix, image with or without its tag, labels", () => {
    const web = ev("container", "start", "4f66ad9a0b2e", { image: "nginx:1.27", name: "web", tier: "front" });
    const vol = ev("volume", "create", "data", { driver: "local" });
    const f = (...v: string[]) => FilterArgs.parse(v);
    expect(includeEvent(f("type=container"), web)).toBe(true);
    expect(includeEvent(f("type=container"), vol)).toBe(false);
    expect(includeEvent(f("event=start"), web)).toBe(true);
    expect(includeEvent(f("container=web"), web)).toBe(true);
    expect(includeEvent(f("container=4f66"), web)).toBe(true);
    expect(includeEvent(f("container=db"), web)).toBe(false);
    // fuzzyMatchName does not look at the event's type: a volume called "data" passes container=data.
    expect(includeEvent(f("container=data"), vol)).toBe(true);
    expect(includeEvent(f("image=nginx"), web)).toBe(true);
    expect(includeEvent(f("image=nginx:1.27"), web)).toBe(true);
    expect(includeEvent(f("image=redis"), web)).toBe(false);
    expect(includeEvent(f("label=tier=front"), web)).toBe(true);
    expect(includeEvent(f("label=tier=back"), web)).toBe(false);
    expect(includeEvent(f("event=health_status"), ev("container", "health_status: healthy", "x"))).toBe(true);
  });
});

describe("times as Docker reads and prints them (moby api/types/time, docker/cli events)", () => {
  const now = unixToVirtual(1_767_225_600 + 3600); // 2026-01-01T01:00:00Z

  it("a Go duration counts back from now to the whole second", () => {
    expect(parseGoDuration("1h30m")).toBe(5_400_000_000);
    expect(parseGoDuration("-1.5h")).toBe(-5_400_000_000);
    expect(parseGoDuration("300ms")).toBe(300_000);
    expect(parseGoDuration("10")).toBeUndefined();
    expect(parseTimestamp("10m", now)).toBe(now - 600_000_000);
    expect(parseTimestamp("10m", now + 123)).toBe(now - 600_000_000);
  });

  it("RFC 3339, its shorter local forms, and Unix timestamps", () => {
    expect(parseTimestamp("2026-01-01T00:00:00Z", now)).toBe(0);
    expect(parseTimestamp("2026-01-01T01:00:00+01:00", now)).toBe(0);
    expect(parseTimestamp("2026-01-01", now)).toBe(0);
    expect(parseTimestamp("2026-01-02T10:30", now)).toBe((24 * 3600 + 10.5 * 3600) * 1e6);
    expect(parseTimestamp("2026-01-01T00:00:01.5Z", now)).toBe(1_500_000);
    expect(parseTimestamp("1767225600", now)).toBe(0);
    expect(parseTimestamp("1767225600.25", now)).toBe(250_000);
    expect(() => parseTimestamp("yesterday", now)).toThrow(`failed to parse value as time or duration: "yesterday"`);
  });

  it("docker events prints nine digits of nanoseconds (rfc3339NanoFixed)", () => {
    expect(formatRfc3339NanoFixed(0)).toBe("2026-01-01T00:00:00.000000000Z");
    expect(formatRfc3339NanoFixed(1_500_001)).toBe("2026-01-01T00:00:01.500001000Z");
  });
});

describe("appendEvents (one array of the final size)", () => {
  it("keeps the last EVENTS_LIMIT of the log followed by the added events, as slice and push did", async () => {
    const fc = (await import("fast-check")).default;
    const { appendEvents } = await import("./events.js");
    const log = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ev("container", "start", `${tag}${i}`));
    fc.assert(fc.property(fc.integer({ min: 0, max: EVENTS_LIMIT + 3 }), fc.integer({ min: 0, max: EVENTS_LIMIT + 3 }), (n, m) => {
      const before = log(n, "old");
      const added = log(m, "new");
      // Nothing added: the log as it is (the function's first rule, whatever its length).
      const expected = m === 0 ? before : [...before, ...added].slice(Math.max(0, n + m - EVENTS_LIMIT));
      const got = appendEvents(before, added);
      expect(got.map((e) => e.actor.id)).toEqual(expected.map((e) => e.actor.id));
      if (m === 0) expect(got).toBe(before);
      expect(before).toHaveLength(n);
    }), { numRuns: 300 });
  });
});
