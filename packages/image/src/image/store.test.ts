import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { ImageStore } from "./store.js";
import { humanDuration, humanSize } from "./format.js";
import { RegistryHub } from "../registry/registry.js";
import { build } from "../build/builder.js";
import { UnionFS, flatten } from "../layers/union.js";

const hub = new RegistryHub();

function withBases(...refs: string[]) {
  const store = new ImageStore();
  for (const r of refs) hub.pull(store, r);
  return store;
}

describe("sizes (docker image ls, docker system df)", () => {
  it("go-units HumanSize: three significant digits, decimal units", () => {
    expect([humanSize(0), humanSize(999), humanSize(7_800_000), humanSize(77_900_000), humanSize(1_020_000_000)]).toEqual(["0B", "999B", "7.8MB", "77.9MB", "1.02GB"]);
    expect([humanDuration(30e6), humanDuration(90e6), humanDuration(3600e6), humanDuration(14 * 86400e6)]).toEqual(["30 seconds", "About a minute", "About an hour", "2 weeks"]);
  });

  it("docker image ls counts every layer of each image; docker system df counts shared layers once", () => {
    const store = withBases("python:3.12-slim", "nginx:1.27", "redis:7.4");
    const rows = store.list();
    const size = (repo: string) => rows.find((r) => r.repository === repo)!.size;
    expect(humanSize(size("python"))).toBe("130MB");
    expect(humanSize(size("nginx"))).toBe("188MB");
    expect(humanSize(size("redis"))).toBe("117MB");
    const df = store.diskUsage();
    // All three sit on debian:bookworm-slim (74.8MB), stored once.
    expect(df.images.total).toBe(3);
    expect(df.images.size).toBe(size("python") + size("nginx") + size("redis") - 2 * 74_800_000);
    const py = df.perImage.find((p) => p.repoTags.includes("python:3.12-slim"))!;
    expect(py.sharedSize).toBe(74_800_000);
    expect(py.uniqueSize).toBe(size("python") - 74_800_000);
    expect(df.images.reclaimable).toBe(df.images.size);
    const inUse = store.diskUsage(new Map([[store.require("redis:7.4").id, 1]]));
    expect(inUse.images.active).toBe(1);
    expect(inUse.images.reclaimable).toBe(df.images.size - size("redis"));
  });

  it("formatList prints docker image ls columns", () => {
    const store = withBases("alpine:3.20");
    expect(store.formatList(60 * 86_400_000_000 + 1)).toBe(
      "REPOSITORY   TAG    IMAGE ID       CREATED        SIZE\nalpine       3.20   " + store.require("alpine:3.20").id.slice(7, 19) + "   4 months ago   7.8MB",
    );
  });
});

describe("tags, lookup and removal (docker tag, docker rmi)", () => {
  it("resolve by name, by full or short ID; tags move; an untagged image is dangling <none>", () => {
    const store = withBases("alpine:3.20");
    const img = store.require("alpine:3.20");
    // Pulling a tag does not tag :latest.
    expect(store.resolve("alpine")).toBeUndefined();
    expect(store.require(img.id.slice(7, 19)).id).toBe(img.id);
    expect(store.require(img.id).id).toBe(img.id);
    store.tag(img.id, "myalpine:v1");
    expect(store.list().map((r) => `${r.repository}:${r.tag}`).sort()).toEqual(["alpine:3.20", "myalpine:v1"]);
    expect(() => store.require("nope")).toThrow("No such image: nope");
  });

  it("rebuilding a tag leaves the old image dangling: <none> <none> in docker image ls, -a or not", () => {
    const store = new ImageStore();
    build({ dockerfile: "FROM alpine:3.20\nRUN echo 1 > /v\n", tag: "app" }, store, hub);
    build({ dockerfile: "FROM alpine:3.20\nRUN echo 2 > /v\n", tag: "app" }, store, hub);
    const rows = store.list({ all: false }).map((r) => `${r.repository}:${r.tag}`);
    expect(rows.sort()).toEqual(["<none>:<none>", "app:latest"]);
  });

  it("rmi untags one name; by ID with several names needs force; the last untag deletes the image", () => {
    const store = withBases("alpine:3.20");
    const img = store.require("alpine:3.20");
    store.tag(img.id, "other:1");
    expect(() => store.remove(img.id.slice(7, 19))).toThrow(/image is referenced in multiple repositories/);
    expect(store.remove("other:1")).toEqual(["Untagged: other:1"]);
    const out = store.remove(img.id.slice(7, 19), { force: true });
    expect(out).toContain(`Deleted: ${img.id}`);
    expect(store.layerCount()).toBe(0);
  });
});

describe("images from containers (docker commit, export, import, history)", () => {
  it("commit turns the writable layer into a layer on top; history records the command", () => {
    const store = withBases("ubuntu:22.04");
    const base = store.require("ubuntu:22.04");
    const fs = new UnionFS(store.layersOf(base));
    fs.writeText("/etc/motd", "hello\n");
    fs.remove("/etc/debian_version");
    const img = store.commit({ base, changes: fs.changes(), created: 1_000_000, createdBy: "/bin/bash", comment: "added motd", ref: "mine:1", config: { cmd: ["/bin/bash", "-l"] } });
    expect(img.layers).toHaveLength(base.layers.length + 1);
    expect(img.parent).toBe(base.id);
    const h = store.history("mine:1");
    expect(h[0]).toMatchObject({ image: img.id.slice(7, 19), createdBy: "/bin/bash", comment: "added motd", size: 6 });
    expect(h.slice(1).every((r) => r.image === "<missing>")).toBe(true);
    const view = new UnionFS(store.layersOf(img));
    expect([view.readText("/etc/motd"), view.exists("/etc/debian_version")]).toEqual(["hello\n", false]);
    expect(img.config.cmd).toEqual(["/bin/bash", "-l"]);
  });

  it("export flattens to one layer (no whiteouts); import makes a one-layer image with an empty config", () => {
    const store = withBases("alpine:3.20");
    const r = build({ dockerfile: "FROM alpine:3.20\nRUN echo a > /a && rm /etc/alpine-release\nCMD [\"sh\"]\n" }, store, hub);
    const tar = store.exportFlattened(store.layersOf(r.image));
    expect([...tar.changes.values()].some((e) => e.type === "whiteout")).toBe(false);
    expect(tar.changes.has("/etc/alpine-release")).toBe(false);
    const imported = store.importTarball({ tarball: tar, created: 5, ref: "flat:1", config: { cmd: ["/bin/sh"] } });
    expect(imported.layers).toHaveLength(1);
    expect(imported.history[0]!.comment).toBe("Imported from -");
    expect(imported.config.env).toEqual([]);
    expect([...flatten(store.layersOf(imported)).keys()]).toEqual([...flatten(store.layersOf(r.image)).keys()]);
    // The export drops what upper layers deleted, so it is smaller than the image's layers added up.
    expect(store.imageSize(imported)).toBe(store.imageSize(r.image) - "3.20.3\n".length);
  });

  it("squash keeps the base's layers and merges the rest; a path added then deleted disappears", () => {
    const store = withBases("alpine:3.20");
    const base = store.require("alpine:3.20");
    const r = build({ dockerfile: "FROM alpine:3.20\nRUN echo tmp > /tmp/x\nRUN rm /tmp/x && rm /etc/alpine-release\n" }, store, hub);
    const sq = store.squash(r.image, base, 9);
    expect(sq.layers.slice(0, -1)).toEqual(base.layers);
    const top = store.getLayer(sq.layers.at(-1)!);
    expect(top.changes.has("/tmp/x")).toBe(false);
    expect(top.changes.get("/etc/alpine-release")).toEqual({ type: "whiteout" });
    expect(() => store.squash(r.image, store.require(hub.pull(store, "busybox:1.36").image.id), 9)).toThrow(DrydockError);
  });

  it("snapshot and fromSnapshot round-trip the store", () => {
    const store = withBases("alpine:3.20");
    const copy = ImageStore.fromSnapshot(store.snapshot());
    expect(copy.list()).toEqual(store.list());
  });
});
