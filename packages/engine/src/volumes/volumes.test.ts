import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DrydockError } from "@drydock/kernel";
import { copyUpCostUs } from "@drydock/image";
import { createEngine, type EngineState } from "../engine.js";
import { engineEvents } from "../events.js";
import { fileNode, mkdir, type FsDir } from "../fs/index.js";
import { FilterArgs } from "./filters.js";
import { volumeWriteCostUs, treeSize } from "./fs.js";
import { installPlugin, newPlugin, PLUGIN_CATALOGUE } from "./plugins.js";
import {
  ANONYMOUS_LABEL, anonymousVolumeName, createVolume, ensureVolume, inspectVolume, listVolumeDir, listVolumes, naturalLess, pruneVolumes,
  readVolumeFile, removeVolume, volumeData, volumeUsers, withVolumeData, writeVolumeFile,
} from "./volumes.js";

const errorOf = (fn: () => unknown): DrydockError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrydockError) return e;
    throw e;
  }
  throw new Error("expected an error");
};

const ID1 = "a".repeat(64);
const ID2 = "b".repeat(64);

/** An engine whose containers mount volumes (the containers side's records carry `id` and `mounts`). */
function withContainers(engine: EngineState, containers: { id: string; volumes: string[] }[]): EngineState {
  const table = new Map(containers.map((c) => [c.id, { id: c.id, mounts: c.volumes.map((v) => ({ type: "volume", source: v, target: `/${v}`, readOnly: false })) }]));
  // Only the fields volumeUsers reads: a partial record, cast on purpose.
  return { ...engine, containers: table as unknown as EngineState["containers"] };
}

const create = (e: EngineState, name: string, extra: Partial<Parameters<typeof createVolume>[1]> = {}) =>
  createVolume(e, { name, options: {}, labels: {}, now: 5_000_000, ...extra }).engine;

describe("docker volume create (moby VolumesService.Create, volume/local)", () => {
  it("a named local volume: its mountpoint, scope, created time, empty labels and options as `docker volume create` sends them", () => {
    const e = create(createEngine(), "data");
    // docker/cli docs/reference/commandline/volume_inspect.md shows "Labels": {}, "Options": {}.
    expect(inspectVolume(e.volumes.get("data")!)).toEqual({
      CreatedAt: "2026-01-01T00:00:05Z", Driver: "local", Labels: {}, Mountpoint: "/var/lib/docker/volumes/data/_data", Name: "data", Options: {}, Scope: "local",
    });
    expect(Object.keys(inspectVolume(e.volumes.get("data")!))).toEqual(["CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope"]);
    expect(engineEvents(e).map((ev) => [ev.type, ev.action, ev.actor.id, ev.actor.attributes])).toEqual([["volume", "create", "data", { driver: "local" }]]);
  });

  it("creating a name that exists returns it unchanged (no second event)", () => {
    const e = create(createEngine(), "data");
    const again = createVolume(e, { name: "data", now: 9_000_000 });
    expect(again.created).toBe(false);
    expect(again.engine).toBe(e);
  });

  it("a nameless volume is anonymous: 64 hex, labelled com.docker.volume.anonymous, the same name on replay", () => {
    const a = createVolume(createEngine(), { name: "", now: 0 });
    const b = createVolume(createEngine(), { name: "", now: 0 });
    expect(a.volume.name).toMatch(/^[0-9a-f]{64}$/);
    expect(a.volume.name).toBe(b.volume.name);
    expect(a.volume.labels).toEqual({ [ANONYMOUS_LABEL]: "" });
    expect(anonymousVolumeName(a.engine, "x")).not.toBe(a.volume.name);
  });

  it("names the local driver refuses, in moby's words after 'create NAME:'", () => {
    expect(errorOf(() => create(createEngine(), "a")).message).toBe("create a: volume name is too short, names should be at least two alphanumeric characters");
    expect(errorOf(() => create(createEngine(), "my vol")).message).toBe(
      `create my vol: "my vol" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
    expect(errorOf(() => create(createEngine(), "v1", { options: { foo: "bar" } })).message).toBe(`create v1: invalid option: "foo"`);
    expect(errorOf(() => create(createEngine(), "v1", { options: { type: "nfs" } })).message).toBe(`create v1: missing required option: "device"`);
  });

  it("a driver that is not installed, or disabled, and a name taken by another driver", () => {
    expect(errorOf(() => create(createEngine(), "v1", { driver: "nope/driver" })).message).toBe(`create v1: error looking up volume plugin nope/driver: plugin "nope/driver" not found`);
    const sshfs = PLUGIN_CATALOGUE.get("vieux/sshfs:latest")!;
    const off = installPlugin(createEngine(), newPlugin(sshfs, undefined, [], false, 0), "vieux/sshfs", 0);
    expect(errorOf(() => create(off, "v1", { driver: "vieux/sshfs" })).message).toBe("create v1: error looking up volume plugin vieux/sshfs: plugin vieux/sshfs found but disabled");
    const on = installPlugin(create(createEngine(), "v1"), newPlugin(sshfs, undefined, [], true, 0), "vieux/sshfs", 0);
    expect(errorOf(() => create(on, "v1", { driver: "vieux/sshfs", options: { sshcmd: "a@b:/c" } })).message).toBe("create v1: driver 'local' already has volume 'v1': volume name must be unique");
  });
});

describe("docker volume rm and prune", () => {
  it("an unknown volume: 'get NAME: no such volume'; with -f nothing happens", () => {
    expect(errorOf(() => removeVolume(createEngine(), "nope", { now: 0 })).message).toBe("get nope: no such volume");
    const e = createEngine();
    expect(removeVolume(e, "nope", { force: true, now: 0 })).toBe(e);
  });

  it("a volume a container uses cannot go, even with -f (moby VolumeStore.Remove's OpErr with the container IDs)", () => {
    const e = withContainers(create(createEngine(), "data"), [{ id: ID2, volumes: ["data"] }, { id: ID1, volumes: ["data"] }]);
    expect(volumeUsers(e, "data")).toEqual([ID1, ID2]);
    const err = errorOf(() => removeVolume(e, "data", { force: true, now: 0 }));
    expect(err.message).toBe(`remove data: volume is in use - [${ID1}, ${ID2}]`);
  });

  it("removal destroys the content and logs 'volume destroy'", () => {
    const e = removeVolume(create(createEngine(), "data"), "data", { now: 7 });
    expect(e.volumes.has("data")).toBe(false);
    expect(engineEvents(e).at(-1)).toMatchObject({ type: "volume", action: "destroy", actor: { id: "data", attributes: { driver: "local" } }, timeUs: 7 });
  });

  it("prune takes unused anonymous local volumes; all=true takes named ones too; used ones and ones with options stay (moby VolumesService.Prune)", () => {
    let e = create(createEngine(), "named");
    e = createVolume(e, { name: "", now: 0, salt: "x" }).engine;
    e = createVolume(e, { name: "", now: 0, salt: "y" }).engine;
    const [anon1, anon2] = [...e.volumes.keys()].filter((n) => n !== "named");
    e = create(e, "nfs", { options: { type: "nfs", device: ":/export", o: "addr=1.2.3.4" } });
    e = withContainers(e, [{ id: ID1, volumes: [anon2!] }]);
    e = writeVolumeFile(e, anon1!, "/f", "x".repeat(2000), { now: 0 }).engine;
    const r = pruneVolumes(e, new FilterArgs(), 10);
    expect(r.deleted).toEqual([anon1]);
    expect(r.reclaimedBytes).toBe(2000);
    expect(engineEvents(r.engine).at(-1)).toMatchObject({ action: "prune", actor: { id: "", attributes: { reclaimed: "2000" } } });
    const all = pruneVolumes(e, new FilterArgs().add("all", "true"), 10);
    expect(all.deleted).toEqual(["named", anon1]);
    expect(errorOf(() => pruneVolumes(e, new FilterArgs().add("dangling", "true"), 0)).message).toBe("invalid filter 'dangling'");
  });
});

describe("docker volume ls filters (moby acceptedListFilters)", () => {
  const e = withContainers(
    create(create(create(createEngine(), "volume-10-foo", { labels: { tier: "db" } }), "volume-2-foo"), "volume-1-foo"),
    [{ id: ID1, volumes: ["volume-2-foo"] }],
  );
  const names = (f: string[]) => listVolumes(e, FilterArgs.parse(f)).map((v) => v.name);

  it("lists in natural order (docker/cli testdata volume-list-sort.golden)", () => {
    expect(names([])).toEqual(["volume-1-foo", "volume-2-foo", "volume-10-foo"]);
    expect(["b2", "a10", "a2"].sort(naturalLess)).toEqual(["a2", "a10", "b2"]);
  });

  it("dangling, name (a regular expression), label, driver", () => {
    expect(names(["dangling=true"])).toEqual(["volume-1-foo", "volume-10-foo"]);
    expect(names(["dangling=false"])).toEqual(["volume-2-foo"]);
    expect(names(["name=1"])).toEqual(["volume-1-foo", "volume-10-foo"]);
    expect(names(["label=tier=db"])).toEqual(["volume-10-foo"]);
    expect(names(["label=tier"])).toEqual(["volume-10-foo"]);
    expect(names(["driver=local"])).toHaveLength(3);
    expect(errorOf(() => names(["dangling=maybe"])).message).toBe("invalid filter 'dangling=[maybe]'");
    expect(errorOf(() => names(["colour=red"])).message).toBe("invalid filter 'colour'");
    expect(errorOf(() => FilterArgs.parse(["dangling"])).message).toBe("bad format of filter (expected name=value)");
  });
});

describe("content: what containers read and write", () => {
  it("writes land in the volume and are there for the next container that mounts it", () => {
    let e = create(createEngine(), "data");
    const w = writeVolumeFile(e, "data", "/hello.txt", "hi\n", { now: 1 });
    e = w.engine;
    // The first container is gone; a second one mounts the same volume and reads the file.
    e = withContainers(e, [{ id: ID2, volumes: ["data"] }]);
    expect(readVolumeFile(e, "data", "/hello.txt")).toBe("hi\n");
    expect(listVolumeDir(e, "data", "/")).toEqual(["hello.txt"]);
    expect(errorOf(() => writeVolumeFile(e, "data", "/no/such/dir/x", "", { now: 1 })).code).toBe("ENOENT");
  });

  it("a write to a volume costs less than the same write after a copy-up in the container's layer", () => {
    fc.assert(fc.property(fc.nat(1 << 26), fc.nat(1 << 26), (fileBytes, written) => volumeWriteCostUs(written) < copyUpCostUs(fileBytes) + volumeWriteCostUs(written)));
    expect(writeVolumeFile(create(createEngine(), "d1"), "d1", "/x", "y".repeat(4096), { now: 0 }).costUs).toBe(4);
  });

  it("ensureVolume copies the image's directory into an empty volume, never into one that has content (Docker's copy-up rule)", () => {
    const imageDir: FsDir = { kind: "dir", entries: new Map([["PG_VERSION", fileNode("9.6\n", 0, 0o600)]]), mode: 0o700, mtime: 0, uid: 999, gid: 999 };
    let e = ensureVolume(createEngine(), "pgdata", { now: 1, anonymous: false, copyFrom: imageDir });
    expect(volumeData(e, "pgdata")).toBe(imageDir);
    expect(e.volumes.get("pgdata")!.labels).toBeNull();
    // A container writes; the next one mounting over an image path does not get the image's files back.
    e = writeVolumeFile(e, "pgdata", "/table", "rows", { now: 2 }).engine;
    const other: FsDir = { kind: "dir", entries: new Map([["OTHER", fileNode("x", 0)]]), mode: 0o755, mtime: 0 };
    const after = ensureVolume(e, "pgdata", { now: 3, anonymous: false, copyFrom: other });
    expect(listVolumeDir(after, "pgdata", "/")).toEqual(["PG_VERSION", "table"]);
    // An emptied volume is refilled; with nocopy (copyFrom undefined) it is not.
    const emptied = withVolumeData(after, "pgdata", { kind: "dir", entries: new Map(), mode: 0o700, mtime: 4 });
    expect(listVolumeDir(ensureVolume(emptied, "pgdata", { now: 5, anonymous: false, copyFrom: other }), "pgdata", "/")).toEqual(["OTHER"]);
    expect(listVolumeDir(ensureVolume(emptied, "pgdata", { now: 5, anonymous: false, copyFrom: undefined }), "pgdata", "/")).toEqual([]);
  });

  it("an anonymous volume made for a mount carries the anonymous label", () => {
    const name = anonymousVolumeName(createEngine(), `${ID1}/data`);
    const e = ensureVolume(createEngine(), name, { now: 0, anonymous: true, copyFrom: undefined });
    expect(e.volumes.get(name)).toMatchObject({ anonymous: true, labels: { [ANONYMOUS_LABEL]: "" }, options: null });
  });

  it("sizes count file bytes", () => {
    const r = mkdir({ kind: "dir", entries: new Map(), mode: 0o755, mtime: 0 }, "/a", 0);
    expect(r.ok).toBe(true);
    const e = writeVolumeFile(create(createEngine(), "d1"), "d1", "/f", "12345", { now: 0 }).engine;
    expect(treeSize(volumeData(e, "d1")!)).toBe(5);
  });
});
