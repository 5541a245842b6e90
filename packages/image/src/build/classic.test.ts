import { describe, expect, it } from "vitest";
import { build, BuildError } from "./builder.js";
import { formatBuildFailure } from "./failure.js";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";

const hub = new RegistryHub();
const DF = 'FROM alpine:3.20\nRUN apk add --no-cache curl\nCMD ["sh"]\n';

describe("the legacy builder's transcript (DOCKER_BUILDKIT=0; moby builder/dockerfile, moby/buildkit#2913's transcript)", () => {
  it("Sending build context, Step n/N, Running in, Removing intermediate container, Successfully built/tagged", () => {
    const store = new ImageStore();
    hub.pull(store, "alpine:3.20");
    const r = build({ dockerfile: DF, tag: "app", classic: true, now: 1_000_000 }, store, hub);
    const lines = r.output.split("\n");
    // A context holding only the Dockerfile is a 2048-byte tar: "2.048kB", padded to 8 ("%8v").
    expect(lines[0]).toBe("Sending build context to Docker daemon  2.048kB");
    expect(lines[1]).toBe("Step 1/3 : FROM alpine:3.20");
    expect(lines[2]).toMatch(/^ ---> [0-9a-f]{12}$/);
    expect(lines[2]!.slice(6)).toBe(store.resolve("alpine:3.20")!.id.slice(7, 19));
    expect(lines[3]).toBe("Step 2/3 : RUN apk add --no-cache curl");
    expect(lines[4]).toMatch(/^ ---> Running in [0-9a-f]{12}$/);
    expect(lines).toContain("fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz");
    const container = lines[4]!.slice(" ---> Running in ".length);
    expect(lines).toContain(`Removing intermediate container ${container}`);
    expect(lines).toContain('Step 3/3 : CMD ["sh"]');
    const id = r.image.id.slice(7, 19);
    expect(lines.slice(-4)).toEqual([` ---> ${id}`, `Successfully built ${id}`, "Successfully tagged app:latest", ""]);
  });

  it("a rebuild says ' ---> Using cache' with the same IDs; the build is deterministic", () => {
    const store = new ImageStore();
    const r1 = build({ dockerfile: DF, tag: "app", classic: true, now: 1_000_000 }, store, hub);
    const r2 = build({ dockerfile: DF, tag: "app", classic: true, now: 9_000_000 }, store, hub);
    expect(r2.output).toContain("Step 2/3 : RUN apk add --no-cache curl\n ---> Using cache\n ---> ");
    expect(r2.output).not.toContain("Running in");
    const ids = (o: string) => o.split("\n").filter((l) => /^ ---> [0-9a-f]{12}$/.test(l));
    expect(ids(r2.output)).toEqual(ids(r1.output));
    const again = build({ dockerfile: DF, tag: "app", classic: true, now: 1_000_000 }, new ImageStore(), hub);
    expect(again.output).toBe(r1.output);
  });

  it("a base that is not local is pulled as `docker pull` prints it, and stays tagged (the legacy builder pulls into the store)", () => {
    const store = new ImageStore();
    const r = build({ dockerfile: "FROM ubuntu:16.04\nCMD [\"bash\"]\n", classic: true }, store, hub);
    expect(r.output).toContain("Step 1/2 : FROM ubuntu:16.04\n16.04: Pulling from library/ubuntu\n");
    expect(r.output).toMatch(/\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for ubuntu:16\.04\n ---> [0-9a-f]{12}\n/);
    expect(store.resolve("ubuntu:16.04")).toBeDefined();
  });

  it("FROM scratch shows an empty image ID (' ---> ', openSUSE/obs-build#673's transcript)", () => {
    const r = build({ dockerfile: "FROM scratch\nCOPY a /a\n", context: { a: "x" }, classic: true }, new ImageStore(), hub);
    expect(r.output).toContain("Step 1/2 : FROM scratch\n ---> \nStep 2/2 : COPY a /a\n ---> ");
  });

  it("a failing RUN: 'The command '/bin/sh -c exit 123' returned a non-zero code: 123', and docker build exits 123 (buildkit#2913)", () => {
    let err: BuildError | undefined;
    try {
      build({ dockerfile: "FROM alpine:3.20\nRUN exit 123\n", classic: true }, new ImageStore(), hub);
    } catch (e) {
      err = e as BuildError;
    }
    expect(err!.classic).toBe(true);
    expect(err!.message).toBe("The command '/bin/sh -c exit 123' returned a non-zero code: 123");
    expect(err!.output).toMatch(/Step 2\/2 : RUN exit 123\n ---> Running in [0-9a-f]{12}\n$/);
    expect(formatBuildFailure(err!)).toEqual({ text: "The command '/bin/sh -c exit 123' returned a non-zero code: 123\n", exitCode: 123 });
  });

  it("a missing base: `docker pull`'s words (the legacy builder pulls like the CLI)", () => {
    expect(() => build({ dockerfile: "FROM nosuchimage\n", classic: true }, new ImageStore(), hub)).toThrow(
      /^pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n/,
    );
  });
});
