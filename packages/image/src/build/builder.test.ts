import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { build, BuildError, type BuildOptions } from "./builder.js";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";
import { effectiveCommand } from "../image/image.js";
import { UnionFS } from "../layers/union.js";

const DAY = 86_400_000_000;
const hub = new RegistryHub();

function setup() {
  const store = new ImageStore();
  const b = (opts: BuildOptions) => build(opts, store, hub);
  return { store, b };
}

const cached = (r: { steps: readonly { name: string; cached: boolean }[] }) => r.steps.map((s) => [s.name.replace(/^\[[^\]]*\] /, "").replace(/@sha256:[0-9a-f]{64}$/, ""), s.cached]);

const APP = `FROM alpine:3.20
WORKDIR /app
RUN apk add --no-cache python3
COPY requirements.txt .
RUN echo installed > deps.txt
COPY app.py .
CMD ["python3", "app.py"]
`;
const CTX = { "requirements.txt": "flask\n", "app.py": "print('hi')\n" };

describe("build cache (Docker docs: Build cache invalidation; BuildKit)", () => {
  it("a rebuild with unchanged inputs hits at every step and gives the same image ID", () => {
    const { b } = setup();
    const r1 = b({ dockerfile: APP, context: CTX });
    const r2 = b({ dockerfile: APP, context: CTX });
    expect(r1.steps.every((s) => !s.cached || s.kind === "from")).toBe(true);
    expect(r2.steps.every((s) => s.cached)).toBe(true);
    expect(r2.image.id).toBe(r1.image.id);
    expect(r2.output).toMatch(/#\d+ \[3\/6\] RUN apk add --no-cache python3\n#\d+ CACHED/);
  });

  it("RUN hits when the parent and command text match, even a week later (no time in the key)", () => {
    const { b } = setup();
    b({ dockerfile: APP, context: CTX, now: 0 });
    const later = b({ dockerfile: APP, context: CTX, now: 7 * DAY });
    expect(later.steps.every((s) => s.cached)).toBe(true);
  });

  it("COPY misses when a file's content changes, and every later step misses too; earlier steps hit", () => {
    const { b } = setup();
    b({ dockerfile: APP, context: CTX });
    const r = b({ dockerfile: APP, context: { ...CTX, "requirements.txt": "flask\nrequests\n" } });
    expect(cached(r)).toEqual([
      ["FROM docker.io/library/alpine:3.20", true], ["WORKDIR /app", true], ["RUN apk add --no-cache python3", true],
      ["COPY requirements.txt .", false], ["RUN echo installed > deps.txt", false], ["COPY app.py .", false],
    ]);
  });

  it("COPY: a changed mtime alone does not miss; a changed mode does", () => {
    const { b } = setup();
    b({ dockerfile: APP, context: { ...CTX, "app.py": { content: "print('hi')\n", mtime: 1 } } });
    const touched = b({ dockerfile: APP, context: { ...CTX, "app.py": { content: "print('hi')\n", mtime: 999_999 } } });
    expect(touched.steps.every((s) => s.cached)).toBe(true);
    const chmod = b({ dockerfile: APP, context: { ...CTX, "app.py": { content: "print('hi')\n", mode: 0o755 } } });
    expect(cached(chmod).at(-1)).toEqual(["COPY app.py .", false]);
  });

  it("a changed ARG misses at its first use (the first RUN after it), not at its declaration", () => {
    const { b } = setup();
    const df = "FROM alpine:3.20\nCOPY app.py /app.py\nARG VERSION=1\nCOPY requirements.txt /r.txt\nRUN echo build\nRUN echo $VERSION > /v\n";
    b({ dockerfile: df, context: CTX });
    const r = b({ dockerfile: df, context: CTX, buildArgs: { VERSION: "2" } });
    expect(cached(r)).toEqual([
      ["FROM docker.io/library/alpine:3.20", true], ["COPY app.py /app.py", true], ["COPY requirements.txt /r.txt", true],
      ["RUN echo build", false], ["RUN echo $VERSION > /v", false],
    ]);
    const again = b({ dockerfile: df, context: CTX, buildArgs: { VERSION: "2" } });
    expect(again.steps.every((s) => s.cached)).toBe(true);
  });

  it("an ARG used by COPY misses at that COPY (variable substitution changes its destination)", () => {
    const { b } = setup();
    const df = "FROM alpine:3.20\nARG DIR=/a\nCOPY app.py $DIR/\n";
    b({ dockerfile: df, context: CTX });
    expect(cached(b({ dockerfile: df, context: CTX, buildArgs: { DIR: "/b" } })).at(-1)).toEqual(["COPY app.py $DIR/", false]);
  });

  it("changing ENV misses at the next RUN; changing a LABEL does not (metadata is not in the RUN's key)", () => {
    const { b } = setup();
    const df = (env: string, label: string) => `FROM alpine:3.20\nENV MODE=${env}\nLABEL version=${label}\nRUN echo hi\n`;
    b({ dockerfile: df("a", "1") });
    expect(cached(b({ dockerfile: df("a", "2") })).at(-1)).toEqual(["RUN echo hi", true]);
    expect(cached(b({ dockerfile: df("b", "2") })).at(-1)).toEqual(["RUN echo hi", false]);
  });

  it("changing a RUN's text misses from that step on", () => {
    const { b } = setup();
    b({ dockerfile: APP, context: CTX });
    const r = b({ dockerfile: APP.replace("python3\n", "python3 curl\n"), context: CTX });
    expect(cached(r).map(([, c]) => c)).toEqual([true, true, false, false, false, false]);
  });

  it("--no-cache runs every step; its results then serve the next build", () => {
    const { b } = setup();
    b({ dockerfile: APP, context: CTX });
    const r = b({ dockerfile: APP, context: CTX, noCache: true });
    expect(r.steps.filter((s) => s.kind !== "from").every((s) => !s.cached)).toBe(true);
    expect(r.output).not.toMatch(/CACHED/);
    // A later build without --no-cache hits what the --no-cache build recorded, even for steps it
    // had never run before (Docker docs: `--no-cache` still writes the cache).
    const fresh = setup();
    const first = fresh.b({ dockerfile: APP, context: CTX, noCache: true });
    expect(first.steps.filter((s) => s.kind !== "from").every((s) => !s.cached)).toBe(true);
    const next = fresh.b({ dockerfile: APP, context: CTX });
    expect(next.steps.every((s) => s.cached)).toBe(true);
    expect(next.image.id).toBe(first.image.id);
  });

  it("each step reports CACHED or its virtual run time, as BuildKit's plain progress does", () => {
    const { b } = setup();
    const r = b({ dockerfile: APP, context: CTX });
    expect(r.output).toMatch(/^#0 building with "default" instance using docker driver/);
    expect(r.output).toMatch(/#\d+ \[internal\] load metadata for docker.io\/library\/alpine:3.20/);
    expect(r.output).toMatch(/#\d+ \[1\/6\] FROM docker.io\/library\/alpine:3.20@sha256:[0-9a-f]{64}\n/);
    expect(r.output).toMatch(/#\d+ \[3\/6\] RUN apk add --no-cache python3\n(#\d+ \d+\.\d{3} .*\n)+#\d+ DONE \d+\.\ds/);
    expect(r.output).toMatch(/#\d+ naming to docker.io\/library\/[\s\S]*|#\d+ writing image sha256:[0-9a-f]{64} done/);
    const run = r.steps.find((s) => s.kind === "run")!;
    expect(run.durationUs).toBeGreaterThan(500_000);
  });
});

describe("multi-stage builds (Docker docs: Multi-stage builds)", () => {
  const DF = `FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /out/app .

FROM alpine:3.20 AS test
RUN echo testing > /t

FROM alpine:3.20
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["app"]
`;
  const ctx = { "go.mod": "module example.com/app\n\ngo 1.22\n", "main.go": "package main\nfunc main() {}\n" };

  it("the final image carries only its own stage's layers: no compiler", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: DF, context: ctx, tag: "app" });
    const alpine = hub.resolve("alpine:3.20")!.image;
    expect(r.image.layers.slice(0, alpine.layers.length)).toEqual(alpine.layers);
    expect(r.image.layers).toHaveLength(alpine.layers.length + 1);
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.stat("/usr/local/bin/app")?.type).toBe("file");
    expect(fs.exists("/usr/local/go/bin/go")).toBe(false);
    expect(store.imageSize(r.image)).toBeLessThan(15_000_000);
  });

  it("stages the target does not need are skipped; --target stops at a stage", () => {
    const { b } = setup();
    const r = b({ dockerfile: DF, context: ctx });
    expect(r.stagesBuilt).toEqual(["build", "stage-2"]);
    expect(r.output).not.toContain("[test ");
    expect(r.output).toContain("[build 4/4] RUN go build -o /out/app .");
    const t = b({ dockerfile: DF, context: ctx, target: "test" });
    expect(t.stagesBuilt).toEqual(["test"]);
    expect(() => b({ dockerfile: DF, context: ctx, target: "nope" })).toThrow('target stage "nope" could not be found');
  });

  it("COPY --from is keyed on the copied content: a builder change that keeps the binary still hits", () => {
    const { b } = setup();
    b({ dockerfile: DF, context: ctx });
    const r = b({ dockerfile: DF.replace("RUN go build -o /out/app .", "RUN go build -o /out/app . && echo done > /src/log"), context: ctx });
    const copy = r.steps.find((s) => s.name.includes("COPY --from=build"))!;
    expect(copy.cached).toBe(true);
  });

  it("COPY --from accepts a stage index and an image; a later stage is an error", () => {
    const { b } = setup();
    const r = b({ dockerfile: "FROM alpine:3.20 AS a\nRUN echo x > /x\nFROM busybox:1.36\nCOPY --from=0 /x /x\nCOPY --from=nginx:alpine /etc/nginx/nginx.conf /nginx.conf\n" });
    expect(r.image.layers.length).toBeGreaterThan(1);
    expect(() => b({ dockerfile: "FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n", target: "a" })).toThrow(/refers to current or future build stage/);
  });

  it("FROM an earlier stage builds on its result; ARG before FROM is usable in FROM", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "ARG BASE=alpine:3.20\nFROM ${BASE} AS base\nRUN echo base > /b\nFROM base\nRUN cat /b > /c\n" });
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.readText("/c")).toBe("base\n");
    expect(() => b({ dockerfile: "ARG BASE\nFROM ${BASE}\n" })).toThrow("base name (${BASE}) should not be blank");
  });
});

describe("instructions (Dockerfile reference)", () => {
  it("unknown instruction is an error when the build reads it, with its line", () => {
    const { b } = setup();
    try {
      b({ dockerfile: "FROM alpine:3.20\nRUN echo hi\nFOOBAR baz\n" });
      throw new Error("expected failure");
    } catch (e) {
      expect(e).toBeInstanceOf(DrydockError);
      expect((e as DrydockError).message).toBe("unknown instruction: FOOBAR");
      expect((e as DrydockError).location).toEqual({ line: 3, column: 1 });
    }
    expect(() => b({ dockerfile: "FROM alpine:3.20\nRUNN echo\n" })).toThrow("unknown instruction: RUNN (did you mean RUN?)");
    expect(() => b({ dockerfile: "FROM alpine:3.20\nFOO bar\n" })).toThrow("unknown instruction: FOO (did you mean FROM?)");
    expect(() => b({ dockerfile: "FROM alpine:3.20\ncopyy a b\n" })).toThrow("unknown instruction: copyy (did you mean copy?)");
  });

  it("instruction argument checks use BuildKit's words", () => {
    const { b } = setup();
    expect(() => b({ dockerfile: "RUN echo\n" })).toThrow("no build stage in current context");
    expect(() => b({ dockerfile: "FROM a b\n" })).toThrow("FROM requires either one or three arguments");
    expect(() => b({ dockerfile: "FROM alpine AS 1bad\n" })).toThrow(/invalid name for build stage/);
    expect(() => b({ dockerfile: "FROM alpine\nCOPY onlyone\n" })).toThrow("COPY requires at least two arguments, but only one was provided. Destination could not be determined");
    expect(() => b({ dockerfile: "FROM alpine\nCOPY --frm=x a b\n" })).toThrow("unknown flag: frm");
    expect(() => b({ dockerfile: "FROM alpine\nUSER\n" })).toThrow("USER requires exactly one argument");
    // WORKDIR's argument is one string (parseString), spaces and all.
    expect(b({ dockerfile: "FROM alpine\nWORKDIR /a b\n" }).image.config.workingDir).toBe("/a b");
    expect(() => b({ dockerfile: "FROM alpine\nSHELL /bin/bash -c\n" })).toThrow("SHELL requires the arguments to be in JSON form");
    // errNotJSON's hint for an unescaped Windows path, which made the JSON invalid.
    expect(() => b({ dockerfile: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nSHELL ["C:\\Windows\\cmd.exe", "/S", "/C"]\n' })).toThrow(
      `SHELL requires the arguments to be in JSON form. It looks like 'shell ["c:\\windows\\cmd.exe", "/s", "/c"]' includes a file path without an escaped back-slash. JSON requires back-slashes to be escaped such as ["c:\\\\path\\\\to\\\\file.exe", "/parameter"]`,
    );
    expect(() => b({ dockerfile: "FROM alpine\nONBUILD ONBUILD RUN x\n" })).toThrow("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    expect(() => b({ dockerfile: "FROM alpine\nHEALTHCHECK CMD\n" })).toThrow("Missing command after HEALTHCHECK CMD");
  });

  it("a failing RUN reports BuildKit's message with the exit code; no image or tag is made", () => {
    const { b, store } = setup();
    b({ dockerfile: "FROM alpine:3.20\n", tag: "ok" });
    const before = store.snapshot();
    const df = "FROM alpine:3.20\nRUN echo ok > /ok\nRUN false\n";
    try {
      b({ dockerfile: df, tag: "broken" });
      throw new Error("expected failure");
    } catch (e) {
      expect(e).toBeInstanceOf(BuildError);
      expect((e as BuildError).message).toBe('process "/bin/sh -c false" did not complete successfully: exit code: 1');
      expect((e as BuildError).location?.line).toBe(3);
      expect((e as BuildError).output).toMatch(/ERROR: process/);
    }
    expect(store.list()).toEqual(ImageStore.fromSnapshot(before).list());
    expect(store.resolve("broken")).toBeUndefined();
    // The process is the argv BuildKit ran, Go-quoted: no RUN flags, the SHELL in use, exec form as is.
    const msg = (d: string) => {
      try {
        b({ dockerfile: `FROM alpine:3.20\n${d}` });
      } catch (e) {
        return (e as BuildError).message;
      }
      return "built";
    };
    expect(msg("RUN --network=none echo \"hi\" && false\n")).toBe('process "/bin/sh -c echo \\"hi\\" && false" did not complete successfully: exit code: 1');
    expect(msg('SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN false\n')).toBe('process "/bin/ash -eo pipefail -c false" did not complete successfully: exit code: 1');
    expect(msg('RUN ["false"]\n')).toBe('process "false" did not complete successfully: exit code: 1');
    // BuildKit keeps the completed steps in its cache: fix the line, and they are CACHED.
    const fixed = b({ dockerfile: df.replace("RUN false", "RUN true") });
    expect(cached(fixed).slice(1)).toEqual([["RUN echo ok > /ok", true], ["RUN true", false]]);
  });

  it("keepCacheOnError: false leaves the store exactly as it was", () => {
    const { b, store } = setup();
    b({ dockerfile: "FROM alpine:3.20\n" });
    const before = store.snapshot();
    expect(() => b({ dockerfile: "FROM alpine:3.20\nRUN echo ok > /ok\nRUN false\n", keepCacheOnError: false })).toThrow(BuildError);
    expect(store.snapshot()).toEqual(before);
  });

  it("base images fetched by a build are kept as layers, not tagged (BuildKit does not add them to docker image ls)", () => {
    const { b, store } = setup();
    b({ dockerfile: "FROM alpine:3.20\nRUN echo hi > /hi\n", tag: "mine" });
    expect(store.list().map((r) => r.repository)).toEqual(["mine"]);
    const again = b({ dockerfile: "FROM alpine:3.20\nRUN echo hi > /hi\n" });
    expect(again.output).not.toMatch(/MiB \/ /);
    expect(again.steps[0]!.cached).toBe(true);
  });

  it("apk add without --no-cache (no index in the image) fails; apt-get install without apt-get update fails with 100", () => {
    const { b } = setup();
    expect(() => b({ dockerfile: "FROM alpine:3.20\nRUN apk add curl\n" })).toThrow(/exit code: 1/);
    expect(() => b({ dockerfile: "FROM debian:bookworm-slim\nRUN apt-get install -y curl\n" })).toThrow(/exit code: 100/);
    expect(() => b({ dockerfile: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n" })).not.toThrow();
    expect(() => b({ dockerfile: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl\n" })).toThrow(/exit code: 1/);
    expect(() => b({ dockerfile: "FROM alpine:3.20\nRUN apt-get update\n" })).toThrow(/exit code: 127/);
  });

  it("cleaning up in the same RUN keeps the layer small; in a later RUN it does not (the lists stay below)", () => {
    const { b, store } = setup();
    const same = b({ dockerfile: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n" });
    const split = b({ dockerfile: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n" });
    expect(store.imageSize(split.image) - store.imageSize(same.image)).toBeGreaterThan(17_000_000);
  });

  it("COPY: globs, directories copy their contents, several sources need a directory ending in /, --chown", () => {
    const { b, store } = setup();
    const ctx = { "src/a.js": "a", "src/b.js": "b", "src/lib/c.js": "c", "README.md": "r", ".dockerignore": "README.md\n" };
    const r = b({ dockerfile: "FROM node:20-alpine\nCOPY src/*.js /g/\nCOPY src /d\nCOPY --chown=node:node src/a.js /owned.js\n", context: ctx });
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.listDir("/g")).toEqual(["a.js", "b.js"]);
    expect(fs.listDir("/d")).toEqual(["a.js", "b.js", "lib"]);
    expect(fs.stat("/owned.js")).toMatchObject({ uid: 1000, gid: 1000 });
    expect(() => b({ dockerfile: "FROM alpine:3.20\nCOPY src/a.js src/b.js /x\n", context: ctx })).toThrow("When using COPY with more than one source file, the destination must be a directory and end with a /");
    expect(() => b({ dockerfile: "FROM alpine:3.20\nCOPY README.md /\n", context: ctx })).toThrow(/"\/README.md": not found/);
  });

  it("COPY --chown and --chmod expand ARG/ENV (BuildKit CopyCommand.Expand) and a changed value misses there", () => {
    const { b, store } = setup();
    const df = "FROM alpine:3.20\nARG UID=1000\nENV MODE=750\nCOPY --chown=$UID:$UID --chmod=${MODE} a /a\n";
    const r1 = b({ dockerfile: df, context: { a: "x" } });
    expect(new UnionFS(store.layersOf(r1.image)).stat("/a")).toMatchObject({ uid: 1000, gid: 1000, mode: 0o750 });
    const r2 = b({ dockerfile: df, context: { a: "x" }, buildArgs: { UID: "2000" } });
    expect(cached(r2).at(-1)).toEqual(["COPY --chown=$UID:$UID --chmod=${MODE} a /a", false]);
    expect(new UnionFS(store.layersOf(r2.image)).stat("/a")).toMatchObject({ uid: 2000, gid: 2000 });
    // dispatchCopy: an octal --chmod above 07777 is rejected (symbolic modes are not simulated).
    for (const bad of ["17777"]) {
      expect(() => b({ dockerfile: `FROM alpine:3.20\nCOPY --chmod=${bad} a /a\n`, context: { a: "x" } }))
        .toThrow(`invalid chmod parameter: '${bad}'. it should be octal string and between 0 and 07777`);
    }
  });

  it("COPY --exclude leaves matching paths out (Dockerfile reference: COPY --exclude)", () => {
    const { b, store } = setup();
    const ctx = { "app/main.js": "m", "app/test/a.test.js": "t", "app/notes.md": "n" };
    const r = b({ dockerfile: "FROM alpine:3.20\nCOPY --exclude=*.md --exclude=test app /app\n", context: ctx });
    expect(new UnionFS(store.layersOf(r.image)).walk("/app")).toEqual(["/app", "/app/main.js"]);
  });

  it("ADD extracts local tarballs, fetches URLs (not extracted), and checks --checksum", () => {
    const { b, store } = setup();
    const ctx = { "rootfs.tar.gz": { archive: { "etc/motd": "hello\n", "bin/tool": "#!/bin/sh\n" } } };
    const url = "https://example.com/conf.txt";
    const r = b({ dockerfile: `FROM alpine:3.20\nADD rootfs.tar.gz /opt/\nADD ${url} /etc/\n`, context: ctx, urls: { [url]: "x=1\n" } });
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.readText("/opt/etc/motd")).toBe("hello\n");
    expect(fs.readText("/etc/conf.txt")).toBe("x=1\n");
    expect(() => b({ dockerfile: `FROM alpine:3.20\nADD --checksum=sha256:${"0".repeat(64)} ${url} /etc/\n`, urls: { [url]: "x=1\n" } })).toThrow(/digest mismatch/);
  });

  it("heredocs: RUN <<EOF runs the script; COPY <<EOF writes a file with variables expanded", () => {
    const { b, store } = setup();
    const df = "FROM alpine:3.20\nENV NAME=world\nRUN <<EOF\nmkdir -p /opt/x\necho hi > /opt/x/greeting\nEOF\nCOPY <<EOF /etc/hello.txt\nhello $NAME, don't \"quote\"\nEOF\nCOPY <<'EOF' /etc/raw.txt\nkeep $NAME\nEOF\n";
    const r = b({ dockerfile: df });
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.readText("/opt/x/greeting")).toBe("hi\n");
    expect(fs.readText("/etc/hello.txt")).toBe("hello world, don't \"quote\"\n");
    expect(fs.readText("/etc/raw.txt")).toBe("keep $NAME\n");
  });

  it("USER: RUN creates files as that user; an unknown user fails at the RUN", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "FROM alpine:3.20\nRUN adduser -D -u 1234 app\nUSER app\nRUN touch /tmp/mine\n" });
    expect(new UnionFS(store.layersOf(r.image)).stat("/tmp/mine")).toMatchObject({ uid: 1234 });
    expect(() => b({ dockerfile: "FROM alpine:3.20\nUSER ghost\nRUN true\n" })).toThrow("unable to find user ghost: no matching entries in passwd file");
  });

  it("config: ENV, WORKDIR, EXPOSE, VOLUME, LABEL, STOPSIGNAL, HEALTHCHECK, SHELL land in the image config", () => {
    const { b } = setup();
    const r = b({ dockerfile: `FROM alpine:3.20
ENV A=1 B="two words"
WORKDIR /srv
WORKDIR app
EXPOSE 80 53/udp 8000-8001
VOLUME ["/data"]
LABEL org.opencontainers.image.title="demo"
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --retries=2 CMD wget -q -O- http://localhost/ || exit 1
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
CMD echo hi
` });
    const c = r.image.config;
    expect(c.env).toContain("B=two words");
    expect(c.workingDir).toBe("/srv/app");
    expect(c.exposedPorts).toEqual(["80/tcp", "53/udp", "8000/tcp", "8001/tcp"]);
    expect(c.volumes).toEqual(["/data"]);
    expect(c.labels["org.opencontainers.image.title"]).toBe("demo");
    expect(c.stopSignal).toBe("SIGTERM");
    expect(c.healthcheck).toEqual({ test: ["CMD-SHELL", "wget -q -O- http://localhost/ || exit 1"], interval: 5_000_000, retries: 2 });
    expect(c.cmd).toEqual(["/bin/ash", "-eo", "pipefail", "-c", "echo hi"]);
  });

  it("docker history shows metadata as BuildKit writes it (Go %q lists, EXPOSE map[...], HEALTHCHECK &{...})", () => {
    const { b, store } = setup();
    b({ dockerfile: `FROM alpine:3.20
ENV A=1 B=two
EXPOSE 80 443/tcp
VOLUME /data
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1
CMD ["nginx", "-g", "daemon off;"]
`, tag: "hist" });
    expect(store.history("hist").slice(0, 5).map((h) => h.createdBy)).toEqual([
      'CMD ["nginx" "-g" "daemon off;"]',
      'HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" "0s" \'\\x03\'}',
      "VOLUME [/data]",
      "EXPOSE map[443/tcp:{} 80/tcp:{}]",
      "ENV A=1 B=two",
    ]);
    expect(store.history("hist")[0]!.comment).toBe("buildkit.dockerfile.v0");
  });

  it("CMD and ENTRYPOINT combine as in Docker's table; ENTRYPOINT resets an inherited CMD", () => {
    const { b } = setup();
    const run = (df: string) => effectiveCommand(b({ dockerfile: `FROM alpine:3.20\n${df}` }).image.config);
    expect(run('CMD ["exec_cmd", "p1_cmd"]')).toEqual(["exec_cmd", "p1_cmd"]);
    expect(run("CMD exec_cmd p1_cmd")).toEqual(["/bin/sh", "-c", "exec_cmd p1_cmd"]);
    expect(run('ENTRYPOINT ["exec_entry", "p1_entry"]\nCMD ["exec_cmd", "p1_cmd"]')).toEqual(["exec_entry", "p1_entry", "exec_cmd", "p1_cmd"]);
    expect(run('ENTRYPOINT ["exec_entry", "p1_entry"]\nCMD exec_cmd p1_cmd')).toEqual(["exec_entry", "p1_entry", "/bin/sh", "-c", "exec_cmd p1_cmd"]);
    // Shell-form ENTRYPOINT: the shell ignores CMD (it only becomes $0 and $1 of `sh -c`).
    expect(run("ENTRYPOINT exec_entry p1_entry\nCMD [\"exec_cmd\"]").slice(0, 3)).toEqual(["/bin/sh", "-c", "exec_entry p1_entry"]);
    // alpine's CMD ["/bin/sh"] is dropped when this Dockerfile sets ENTRYPOINT and no CMD.
    expect(run('ENTRYPOINT ["top", "-b"]')).toEqual(["top", "-b"]);
  });

  it("Dockerfile reference 'Understand how CMD and ENTRYPOINT interact': every cell of the table", () => {
    const { b } = setup();
    const run = (df: string) => effectiveCommand(b({ dockerfile: `FROM scratch\n${df}` }).image.config);
    const ENTRY = { none: "", shell: "ENTRYPOINT exec_entry p1_entry\n", exec: 'ENTRYPOINT ["exec_entry", "p1_entry"]\n' };
    const CMD = { none: "", exec: 'CMD ["exec_cmd", "p1_cmd"]\n', shell: "CMD exec_cmd p1_cmd\n" };
    // No CMD and no ENTRYPOINT: nothing to run ("error, not allowed" when a container starts).
    expect(run(ENTRY.none + CMD.none)).toEqual([]);
    expect(run(ENTRY.shell + CMD.none)).toEqual(["/bin/sh", "-c", "exec_entry p1_entry"]);
    expect(run(ENTRY.exec + CMD.none)).toEqual(["exec_entry", "p1_entry"]);
    expect(run(ENTRY.none + CMD.exec)).toEqual(["exec_cmd", "p1_cmd"]);
    // Shell-form ENTRYPOINT: CMD is appended but `sh -c` only sees it as $0 and $1, so it never runs.
    expect(run(ENTRY.shell + CMD.exec)).toEqual(["/bin/sh", "-c", "exec_entry p1_entry", "exec_cmd", "p1_cmd"]);
    expect(run(ENTRY.exec + CMD.exec)).toEqual(["exec_entry", "p1_entry", "exec_cmd", "p1_cmd"]);
    expect(run(ENTRY.none + CMD.shell)).toEqual(["/bin/sh", "-c", "exec_cmd p1_cmd"]);
    expect(run(ENTRY.shell + CMD.shell)).toEqual(["/bin/sh", "-c", "exec_entry p1_entry", "/bin/sh", "-c", "exec_cmd p1_cmd"]);
    expect(run(ENTRY.exec + CMD.shell)).toEqual(["exec_entry", "p1_entry", "/bin/sh", "-c", "exec_cmd p1_cmd"]);
    // Order in the Dockerfile does not matter within a stage; the last of each wins.
    expect(run(CMD.exec + ENTRY.exec)).toEqual(["exec_entry", "p1_entry", "exec_cmd", "p1_cmd"]);
    expect(run('CMD ["a"]\nCMD ["b"]\n')).toEqual(["b"]);
    // SHELL changes the shell form's prefix.
    expect(run('SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nCMD exec_cmd p1_cmd\n')).toEqual(["/bin/bash", "-eo", "pipefail", "-c", "exec_cmd p1_cmd"]);
  });

  it("ONBUILD triggers run in the child build right after FROM and are not inherited further", () => {
    const { b, store } = setup();
    b({ dockerfile: "FROM alpine:3.20\nONBUILD COPY app.py /app/\nONBUILD RUN echo built > /app/marker\n", tag: "onbuild-base" });
    const child = b({ dockerfile: "FROM onbuild-base\nRUN ls /app\n", context: CTX });
    const fs = new UnionFS(store.layersOf(child.image));
    expect(fs.readText("/app/app.py")).toBe("print('hi')\n");
    expect(fs.readText("/app/marker")).toBe("built\n");
    expect(child.image.config.onBuild).toEqual([]);
  });

  it("-t tags the image; --squash collapses the new layers into one above the base", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "FROM alpine:3.20\nRUN echo a > /a\nRUN echo b > /b\nRUN rm /a\n", tags: ["demo:1", "registry.example.com/team/demo:1"] });
    expect(store.require("demo:1").id).toBe(r.image.id);
    expect(store.require("registry.example.com/team/demo:1").id).toBe(r.image.id);
    const s = b({ dockerfile: "FROM alpine:3.20\nRUN echo a > /a\nRUN echo b > /b\nRUN rm /a\n", squash: true, tag: "demo:squashed" });
    const base = hub.resolve("alpine:3.20")!.image;
    expect(s.image.layers).toHaveLength(base.layers.length + 1);
    const fs = new UnionFS(store.layersOf(s.image));
    expect([fs.exists("/a"), fs.readText("/b")]).toEqual([false, "b\n"]);
  });

  it("regression: user keys named like Object.prototype members are plain names", () => {
    const { b } = setup();
    const r = b({ dockerfile: "FROM alpine:3.20\nARG constructor\nLABEL __proto__=x\nRUN echo $constructor > /c\n", buildArgs: { constructor: "yes" } });
    expect(Object.prototype.hasOwnProperty.call(r.image.config.labels, "__proto__")).toBe(true);
    // Neither is a package: apk reports both (exit code 2, one per name) instead of crashing.
    expect(() => b({ dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache __proto__ toString\n" })).toThrow(/did not complete successfully: exit code: 2$/);
  });

  it("RUN --mount=type=cache: files written to the mount target stay out of the layer", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n" });
    const fs = new UnionFS(store.layersOf(r.image));
    expect(fs.exists("/root/.cache/pip")).toBe(false);
    expect(fs.exists("/usr/local/lib/python3.12/site-packages/flask/__init__.py")).toBe(true);
  });

  it("RUN --mount=type=bind shows context, stage or image files during the step only; their content is in the cache key (Dockerfile reference: RUN --mount=type=bind)", () => {
    const { b, store } = setup();
    const df = "FROM alpine:3.20 AS build\nRUN echo v1 > /out.txt\nFROM alpine:3.20\n"
      + "RUN --mount=type=bind,source=conf,target=/mnt/conf cat /mnt/conf/a.conf > /from-context\n"
      + "RUN --mount=type=bind,from=build,source=/out.txt,target=/tmp/out.txt cp /tmp/out.txt /from-stage\n"
      + "RUN --mount=from=busybox:1.36,target=/bb ls /bb/bin > /dev/null\n";
    const ctx = { "conf/a.conf": "A\n" };
    const r = b({ dockerfile: df, context: ctx });
    expect(r.stagesBuilt).toEqual(["build", "stage-1"]);
    const fs = new UnionFS(store.layersOf(r.image));
    expect([fs.readText("/from-context"), fs.readText("/from-stage")]).toEqual(["A\n", "v1\n"]);
    expect([fs.exists("/mnt/conf/a.conf"), fs.exists("/tmp/out.txt"), fs.exists("/bb/bin")]).toEqual([false, false, false]);
    // A changed mounted file misses at that RUN (and after); unrelated context changes do not.
    expect(b({ dockerfile: df, context: { ...ctx, "other.txt": "x" } }).steps.every((s) => s.cached)).toBe(true);
    const changed = b({ dockerfile: df, context: { "conf/a.conf": "B\n" } });
    expect(changed.steps.filter((s) => !s.cached).map((s) => s.name.replace(/^\[[^\]]*\] /, "").slice(0, 30))).toEqual([
      "RUN --mount=type=bind,source=c", "RUN --mount=type=bind,from=bui", "RUN --mount=from=busybox:1.36,",
    ]);
    const stageChanged = b({ dockerfile: df.replace("echo v1", "echo v2"), context: ctx });
    expect(new UnionFS(store.layersOf(stageChanged.image)).readText("/from-stage")).toBe("v2\n");
  });

  it("ARG scope: an ARG before FROM is visible inside a stage only when redeclared there (Dockerfile reference: Understand how ARG and FROM interact)", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "ARG VERSION=3.20\nFROM alpine:${VERSION}\nRUN echo \"[$VERSION]\" > /before\nARG VERSION\nRUN echo \"[$VERSION]\" > /after\n" });
    const fs = new UnionFS(store.layersOf(r.image));
    expect([fs.readText("/before"), fs.readText("/after")]).toEqual(["[]\n", "[3.20]\n"]);
  });

  it("ENV overrides an ARG of the same name; ARG values are not kept in the image's environment", () => {
    const { b, store } = setup();
    const r = b({ dockerfile: "FROM alpine:3.20\nARG MODE=arg\nENV MODE=env\nRUN echo $MODE > /mode\nARG ONLYARG=x\n", buildArgs: { MODE: "cli" } });
    expect(new UnionFS(store.layersOf(r.image)).readText("/mode")).toBe("env\n");
    expect(r.image.config.env.some((e) => e.startsWith("ONLYARG"))).toBe(false);
  });

  it("one ENV instruction substitutes every value from the environment before it (Dockerfile reference: Environment replacement)", () => {
    const { b } = setup();
    const r = b({ dockerfile: "FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\nENV new=1 uses=${new:-unset}\n" });
    expect(r.image.config.env).toEqual(expect.arrayContaining(["abc=bye", "def=hello", "ghi=bye", "new=1", "uses=unset"]));
  });

  it("predefined proxy ARGs reach RUN without a declaration and do not change the cache key", () => {
    const { b, store } = setup();
    const df = "FROM alpine:3.20\nRUN echo $HTTP_PROXY > /proxy\n";
    const r = b({ dockerfile: df, buildArgs: { HTTP_PROXY: "http://proxy:3128" } });
    expect(new UnionFS(store.layersOf(r.image)).readText("/proxy")).toBe("http://proxy:3128\n");
    expect(b({ dockerfile: df, buildArgs: { HTTP_PROXY: "http://other:3128" } }).steps.every((s) => s.cached)).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it("Windows images: shell-form CMD uses cmd /S /C, the SHELL default on Windows", () => {
    const { b } = setup();
    const r = b({ dockerfile: "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN echo hello\nCMD echo hi\n" });
    expect(r.image.os).toBe("windows");
    expect(r.image.config.cmd).toEqual(["cmd", "/S", "/C", "echo hi"]);
  });

  it("Windows images: the Dockerfile reference's escape example copies into C:\\ and WORKDIR takes drive paths", () => {
    const { b, store } = setup();
    const df = "# escape=`\n\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY testfile.txt c:\\\nRUN dir c:\\\nCOPY testfile.txt C:\\app\\\nWORKDIR C:\\work\nCOPY testfile.txt .\n";
    const r = b({ dockerfile: df, context: { "testfile.txt": "x" } });
    const fs = new UnionFS(store.layersOf(r.image));
    for (const p of ["/testfile.txt", "/app/testfile.txt", "/work/testfile.txt"]) expect(fs.stat(p)?.type, p).toBe("file");
  });

  it("unconsumed --build-arg gives the classic builder's warning", () => {
    const { b } = setup();
    expect(b({ dockerfile: "FROM alpine:3.20\n", buildArgs: { NOPE: "1" } }).warnings).toContain("[Warning] One or more build-args [NOPE] were not consumed");
  });

  it("a missing base image fails with BuildKit's resolve message", () => {
    const { b } = setup();
    expect(() => b({ dockerfile: "FROM nosuchimage:1\n" })).toThrow(/failed to resolve source metadata for docker.io\/library\/nosuchimage:1/);
  });
});
