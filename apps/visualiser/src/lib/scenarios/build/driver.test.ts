import { describe, expect, it } from "vitest";
import { BUILD_KEYS, BUILD_STEPS, HOST, createBuildDriver, markDockerfile, type BuildRecords } from "./driver.js";
import type { BuildViewModel } from "./model.js";

// Issue 14, images and builds. BuildKit's progress names a step "[stage k/n] INSTRUCTION" and
// prints CACHED when it reused the step's cache record (moby/buildkit util/progress/progressui);
// a step's cache key covers its parent's, so a changed line misses the cache and so does every
// step after it (Docker docs, "Build cache invalidation"). An unnamed stage is "stage-N"
// (buildkit dockerfile2llb). Only the target stage's layers are in the image ("Multi-stage
// builds"). A container's changes live in its writable layer: a changed lower file is copied up
// first, a deleted one becomes a whiteout (kernel overlayfs.rst; `docker diff` C and D).

type D = ReturnType<typeof createBuildDriver>;
const view = (d: D): BuildViewModel => d.view([], { selected: null });
function type(d: D, line: string, seconds = 30): BuildViewModel {
  d.timeline.act({ type: "exec", host: HOST, line });
  d.timeline.runUntil(d.sim.now + seconds * 1_000_000);
  return view(d);
}
const statuses = (v: BuildViewModel): Record<string, string> =>
  Object.fromEntries((v.build?.lines ?? []).filter((l) => l.text.trim()).map((l) => [l.text, l.status]));

describe("markDockerfile", () => {
  const text = "# a comment\nFROM alpine AS build\nRUN make\nENV A=1\n\nFROM alpine\nCOPY --from=build /a /a\nCMD [\"a\"]\n";
  const records = (steps: BuildRecords["steps"], finished = true): BuildRecords => ({ steps, finished, failed: false, t: 0 });

  it("marks each stepped line by its stage and number, config lines as metadata", () => {
    const { lines, stages } = markDockerfile(text, records([
      { stage: "build", index: 1, of: 2, text: "FROM docker.io/library/alpine", cached: true },
      { stage: "build", index: 2, of: 2, text: "RUN make", cached: false },
      { stage: "stage-1", index: 1, of: 2, text: "FROM docker.io/library/alpine", cached: true },
      { stage: "stage-1", index: 2, of: 2, text: "COPY --from=build /a /a", cached: false },
    ]));
    expect(lines.map((l) => l.status)).toEqual(["none", "cached", "run", "metadata", "none", "cached", "run", "metadata"]);
    expect(stages).toEqual([
      { index: 0, name: "build", base: "alpine", dropped: true },
      { index: 1, name: "stage-1", base: "alpine", dropped: false },
    ]);
  });

  it("a build in progress leaves the steps it has not reached pending", () => {
    const { lines } = markDockerfile(text, records([{ stage: "build", index: 1, of: 2, text: "FROM x", cached: false }], false));
    expect(lines.filter((l) => l.status === "pending").map((l) => l.n)).toEqual([3, 6, 7]);
  });
});

describe("the build driver", () => {
  it("opens on the Dockerfile, nothing built", () => {
    const v = view(createBuildDriver("1", {}));
    expect(v.caption.step).toBe("start");
    expect(v.build?.file).toBe("/root/app/Dockerfile");
    expect(v.build?.lines.every((l) => l.status === "none")).toBe(true);
    expect(v.layers).toEqual([]);
    expect(v.next?.id).toBe("build");
  });

  it("a first build runs every step; the image holds only the last stage's layers", () => {
    const d = createBuildDriver("1", {});
    const v = type(d, BUILD_STEPS[0]!.line);
    expect(v.caption.step).toBe("built");
    const s = statuses(v);
    expect(s["RUN apk add --no-cache gcc musl-dev"]).toBe("run");
    expect(s["COPY motd /etc/motd"]).toBe("run");
    expect(s['CMD ["hello"]']).toBe("metadata");
    expect(v.build?.stages.map((x) => [x.name, x.dropped])).toEqual([["build", true], ["stage-1", false]]);
    expect(v.columns.map((c) => [c.tag, c.layers])).toEqual([["app:1", 4]]);
    expect(v.layers.map((l) => l.createdBy)).toEqual([
      "ADD alpine-minirootfs-3.19.4-x86_64.tar.gz /", "RUN apk add --no-cache curl", "COPY --from=build /src/hello /usr/local/bin/hello", "COPY motd /etc/motd",
    ]);
  });

  it("a changed line runs again with every line after it; the lines before come from the cache", () => {
    const d = createBuildDriver("1", {});
    type(d, BUILD_STEPS[0]!.line);
    const v = type(d, BUILD_STEPS[1]!.line);
    expect(v.caption.step).toBe("invalidated");
    const s = statuses(v);
    expect(s["RUN apk add --no-cache gcc musl-dev"]).toBe("cached");
    expect(s["RUN gcc -o /src/hello /src/hello.c"]).toBe("cached");
    expect(s["RUN apk add --no-cache curl jq"]).toBe("run");
    expect(s["COPY --from=build /src/hello /usr/local/bin/hello"]).toBe("run");
    expect(s["COPY motd /etc/motd"]).toBe("run");
  });

  it("two images from one base share its layers, drawn once with both tags over them", () => {
    const d = createBuildDriver("1", {});
    for (const st of BUILD_STEPS.slice(0, 3)) type(d, st.line);
    const v = view(d);
    expect(v.caption.step).toBe("shared");
    expect(v.build?.file).toBe("/root/app/Dockerfile.tools");
    expect(statuses(v)).toEqual({ "FROM alpine:3.19": "cached", "RUN apk add --no-cache curl": "cached", "RUN apk add --no-cache git": "run" });
    expect(v.columns.map((c) => c.tag)).toEqual(["app:1", "tools:1", "app:2"]);
    const base = v.layers.filter((l) => l.depth === 0);
    expect(base).toHaveLength(1);
    expect([base[0]!.col0, base[0]!.col1]).toEqual([0, 2]);
    const curl = v.layers.find((l) => l.createdBy === "RUN apk add --no-cache curl")!;
    expect(curl.images).toEqual(["app:1", "tools:1"]);
    expect([curl.col0, curl.col1]).toEqual([0, 1]);
  });

  it("a container's writable layer: a changed file copied up, a deleted one a whiteout", () => {
    const d = createBuildDriver("1", {});
    for (const st of BUILD_STEPS.slice(0, 4)) type(d, st.line);
    let v = view(d);
    expect(v.caption.step).toBe("writable");
    expect(v.container).toMatchObject({ name: "web", image: "app:2", col: 2, entries: [] });
    v = type(d, BUILD_STEPS[4]!.line);
    expect(v.caption.step).toBe("copy-on-write");
    expect(v.container?.entries).toEqual([
      { path: "/etc/alpine-release", kind: "whiteout", fromDepth: 0, fromLayer: "ADD alpine-minirootfs-3.19.4-x86_64.tar.gz /" },
      { path: "/etc/motd", kind: "copied-up", fromDepth: 3, fromLayer: "COPY motd /etc/motd" },
      { path: "/tmp/new.txt", kind: "added", fromDepth: null, fromLayer: null },
    ]);
    expect(v.next).toBeNull();
  });

  it("the S key types the next step, and waits while a line runs", () => {
    const d = createBuildDriver("1", {});
    const key = BUILD_KEYS[0]!;
    const input = { now: d.sim.now, selected: null, ui: {} };
    const out = key.run(view(d), input);
    expect(out).toEqual({ actions: [{ type: "exec", host: HOST, line: BUILD_STEPS[0]!.line }], notice: `${HOST}$ ${BUILD_STEPS[0]!.line}` });
    d.timeline.act({ type: "exec", host: HOST, line: BUILD_STEPS[0]!.line });
    expect(view(d).busy).toBe(true);
    expect(key.run(view(d), input)).toHaveProperty("refused");
  });
});
