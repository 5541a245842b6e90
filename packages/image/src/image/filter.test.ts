import { describe, expect, it } from "vitest";
import { build } from "../build/builder.js";
import { RegistryHub } from "../registry/registry.js";
import { ImageStore } from "./store.js";
import { filterImages, imageFormatContext, pathMatch } from "./filter.js";

const hub = new RegistryHub();

function world() {
  const store = new ImageStore();
  hub.pull(store, "alpine:3.20");
  hub.pull(store, "nginx:1.27");
  hub.pull(store, "busybox");
  build({ dockerfile: "FROM alpine:3.20\nLABEL env=prod tier=web\nRUN echo 1 > /v\n", tag: "app:1", now: 1_000_000 }, store, hub);
  build({ dockerfile: "FROM alpine:3.20\nLABEL env=dev\nRUN echo 2 > /v\n", tag: "app:1", now: 2_000_000 }, store, hub); // app:1 moves: the first is dangling
  build({ dockerfile: "FROM alpine:3.20\nRUN echo 3 > /v\n", tag: "tools/app:2", now: 3_000_000 }, store, hub);
  return store;
}
const names = (rows: readonly { repository: string; tag: string }[]) => rows.map((r) => `${r.repository}:${r.tag}`);

describe("docker images --filter (moby daemon/images/image_list.go, daemon/internal/filters)", () => {
  it("dangling=true lists untagged images only; dangling=false leaves them out", () => {
    const store = world();
    expect(names(filterImages(store, ["dangling=true"]))).toEqual(["<none>:<none>"]);
    expect(names(filterImages(store, ["dangling=false"]))).not.toContain("<none>:<none>");
  });

  it("reference=pattern uses path.Match over alpine:3.20, alpine, docker.io/library/alpine:3.20, docker.io/library/alpine", () => {
    const store = world();
    expect(names(filterImages(store, ["reference=alp*"]))).toEqual(["alpine:3.20"]);
    expect(names(filterImages(store, ["reference=*:1.27"]))).toEqual(["nginx:1.27"]);
    const library = names(filterImages(store, ["reference=docker.io/library/*"]));
    expect(library).toEqual(expect.arrayContaining(["alpine:3.20", "app:1", "busybox:latest", "nginx:1.27"]));
    expect(library).not.toContain("tools/app:2");
    // '*' does not cross '/': tools/app matches "*/*" but not "*" (Go path.Match).
    expect(names(filterImages(store, ["reference=*/*"]))).toEqual(["tools/app:2"]);
    expect(names(filterImages(store, ["reference=app"]))).toEqual(["app:1"]);
    expect(names(filterImages(store, ["reference=app", "reference=busybox"]))).toEqual(["app:1", "busybox:latest"]);
  });

  it("label=key and label=key=value: every label filter must match (MatchKVList)", () => {
    const store = world();
    expect(filterImages(store, ["label=env"]).map((r) => r.tag)).toEqual(["1", "<none>"]);
    expect(names(filterImages(store, ["label=env=dev"]))).toEqual(["app:1"]);
    expect(names(filterImages(store, ["label=env=prod", "label=tier=web"]))).toEqual(["<none>:<none>"]);
    expect(filterImages(store, ["label=nope"])).toEqual([]);
  });

  it("before= and since= compare creation times with an image; an unknown one is 'No such image'", () => {
    const store = world();
    expect(names(filterImages(store, ["since=app:1"]))).toEqual(["tools/app:2"]);
    expect(names(filterImages(store, ["before=app:1"]))).toContain("alpine:3.20");
    expect(names(filterImages(store, ["before=app:1"]))).not.toContain("tools/app:2");
    expect(() => filterImages(store, ["since=nope:1"])).toThrow(/^No such image: nope:1$/);
  });

  it("Docker's errors: an unknown filter, a bad dangling value, a filter without '='", () => {
    const store = world();
    expect(() => filterImages(store, ["foo=bar"])).toThrow(/^invalid filter 'foo'$/);
    expect(() => filterImages(store, ["dangling=maybe"])).toThrow(/^invalid filter 'dangling=\[maybe\]'$/);
    // docker/cli opts.FilterOpt.Set, wrapped by pflag.
    expect(() => filterImages(store, ["foo"])).toThrow(/^invalid argument "foo" for "-f, --filter" flag: bad format of filter \(expected name=value\)$/);
  });

  it("--digests gives each row its repository digest; --no-trunc the full ID (docker/cli imageContext)", () => {
    const store = world();
    const [row] = filterImages(store, ["reference=alpine"], { digests: true });
    expect(row!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const ctx = imageFormatContext(row!, 2 * 86_400_000_000, { noTrunc: true });
    expect(ctx.ID).toBe(row!.id);
    expect(ctx.ID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(imageFormatContext(row!, 0).ID).toMatch(/^[0-9a-f]{12}$/);
    expect(ctx.Size).toBe("7.8MB");
    expect(ctx.CreatedAt).toMatch(/^2025-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
    expect(ctx.CreatedSince).toMatch(/ ago$/);
    expect([ctx.Containers, ctx.SharedSize, ctx.UniqueSize]).toEqual(["N/A", "N/A", "N/A"]);
    const [built] = filterImages(store, ["reference=app"], { digests: true });
    expect(built!.digest).toBe("<none>");
  });
});

describe("Go's path.Match", () => {
  it("classes, negation, escapes and a bad pattern", () => {
    expect(pathMatch("a[b-d]c", "acc")).toBe(true);
    expect(pathMatch("a[^b]c", "abc")).toBe(false);
    expect(pathMatch("a\\*c", "a*c")).toBe(true);
    expect(pathMatch("a?c", "a/c")).toBe(false);
    expect(() => pathMatch("a[", "a")).toThrow(/syntax error in pattern/);
  });
});
