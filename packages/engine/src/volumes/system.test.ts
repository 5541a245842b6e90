import { describe, expect, it } from "vitest";
import { RegistryHub } from "@drydock/image";
import { createEngine, engineBuild, enginePull, openStore, type EngineState } from "../engine.js";
import { engineEvents } from "../events.js";
import { FilterArgs } from "./filters.js";
import { buildCacheEntries, cacheRecordId, pruneBuildCache, pruneImages } from "./system.js";

const hub = new RegistryHub();

function build(engine: EngineState, dockerfile: string, tag: string, now: number): EngineState {
  const r = engineBuild(engine, hub, { dockerfile, dockerfileName: "Dockerfile", context: {}, tags: [tag], buildArgs: {}, noCache: false, pull: false, now });
  if (!r.ok) throw r.error;
  return r.job.engine;
}

/** alpine pulled, app:1 built twice (the first build is left dangling). */
function withDangling(): { engine: EngineState; danglingId: string; appId: string } {
  let e = enginePull(createEngine(), hub, "alpine:3.5", true).engine;
  e = build(e, "FROM alpine:3.5\nRUN echo one > /one\n", "app:1", 1_000_000);
  const danglingId = openStore(e).resolve("app:1")!.id;
  e = build(e, "FROM alpine:3.5\nRUN echo two > /two\n", "app:1", 2_000_000);
  return { engine: e, danglingId, appId: openStore(e).resolve("app:1")!.id };
}

describe("docker image prune (moby daemon/images ImagesPrune)", () => {
  it("by default only dangling images go: the report lists the image and the layers nothing else holds", () => {
    const { engine, danglingId, appId } = withDangling();
    const r = pruneImages(engine, new FilterArgs().add("dangling", "true"), { imagesInUse: new Set(), now: 3_000_000 });
    expect(r.deleted[0]).toEqual(["deleted", danglingId]);
    const store = openStore(r.engine);
    expect(store.resolve(danglingId)).toBeUndefined();
    expect(store.resolve("app:1")?.id).toBe(appId);
    expect(store.resolve("alpine:3.5")).toBeDefined();
    expect(engineEvents(r.engine).at(-1)).toMatchObject({ type: "image", action: "prune" });
  });

  it("-a (dangling=false) also untags and deletes every image no container uses", () => {
    const { engine, appId } = withDangling();
    const alpine = openStore(engine).resolve("alpine:3.5")!.id;
    const r = pruneImages(engine, new FilterArgs().add("dangling", "false"), { imagesInUse: new Set([alpine]), now: 3_000_000 });
    expect(r.deleted).toContainEqual(["untagged", "app:1"]);
    expect(r.deleted).toContainEqual(["deleted", appId]);
    expect(openStore(r.engine).resolve("alpine:3.5")?.id).toBe(alpine);
    expect(openStore(r.engine).allImages()).toHaveLength(1);
  });

  it("until keeps images created after the time; label filters; unknown filters are refused", () => {
    const { engine, danglingId } = withDangling();
    const kept = pruneImages(engine, FilterArgs.parse(["dangling=true", "until=2026-01-01T00:00:00Z"]), { imagesInUse: new Set(), now: 3_000_000 });
    expect(openStore(kept.engine).resolve(danglingId)).toBeDefined();
    expect(() => pruneImages(engine, FilterArgs.parse(["reference=x"]), { imagesInUse: new Set(), now: 0 })).toThrow("invalid filter 'reference'");
  });
});

describe("docker builder prune (BuildKit's prune under the engine)", () => {
  it("removes the cache records and what only they held; the images stay", () => {
    const { engine } = withDangling();
    const before = buildCacheEntries(engine.images);
    expect(before.length).toBeGreaterThan(0);
    expect(before[0]!.id).toMatch(/^[0-9a-z]{25}$/);
    expect(cacheRecordId("k")).toBe(cacheRecordId("k"));
    const r = pruneBuildCache(engine, { all: true, filters: new FilterArgs(), now: 3_000_000 });
    expect(r.deleted).toHaveLength(before.length);
    expect(r.engine.images.cache.size).toBe(0);
    expect(openStore(r.engine).resolve("app:1")).toBeDefined();
    expect(engineEvents(r.engine).at(-1)).toMatchObject({ type: "builder", action: "prune" });
  });

  it("until=DURATION keeps what was used more recently", () => {
    const { engine } = withDangling();
    const r = pruneBuildCache(engine, { all: false, filters: FilterArgs.parse(["until=24h"]), now: 3_000_000 });
    expect(r.deleted).toHaveLength(0);
    expect(pruneBuildCache(engine, { all: false, filters: FilterArgs.parse(["until=1s"]), now: 3_000_000 }).deleted.length).toBeGreaterThan(0);
    // buildx (docker builder prune) reads only a Go duration (docker/buildx commands/prune.go).
    expect(() => pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["until=yesterday"]), now: 0, client: "buildx" }))
      .toThrow(`"until" filter expects a duration (e.g., '24h'): time: invalid duration "yesterday"`);
    // The daemon (docker system prune) also takes a timestamp (moby builder-next toBuildkitPruneInfo).
    expect(() => pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["until=yesterday"]), now: 0 }))
      .toThrow(`"until" filter expects a duration (e.g., '24h') or a timestamp: failed to parse value as time or duration: "yesterday"`);
    expect(pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["until=2026-01-01T00:00:02Z"]), now: 3_000_000 }).deleted.map((x) => x.description))
      .toEqual(["FROM docker.io/library/alpine:3.5", "RUN echo one > /one"]);
  });

  it("the daemon ignores filters BuildKit's records lack (label); buildx sends them on and nothing matches", () => {
    const { engine } = withDangling();
    const n = buildCacheEntries(engine.images).length;
    expect(pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["label=x=y"]), now: 3_000_000 }).deleted).toHaveLength(n);
    expect(pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["label=x=y"]), now: 3_000_000, client: "buildx" }).deleted).toHaveLength(0);
    expect(() => pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["until=1h", "unused-for=1h"]), now: 0 }))
      .toThrow(`conflicting filters: "until" and "unused-for"`);
    expect(() => pruneBuildCache(engine, { all: true, filters: FilterArgs.parse(["until=1h", "unused-for=1h"]), now: 0, client: "buildx" }))
      .toThrow(`conflicting filters "until" and "unused-for"`);
  });
});
