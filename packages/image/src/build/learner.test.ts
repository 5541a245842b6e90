import { describe, expect, it } from "vitest";
import { build, BuildError } from "./builder.js";
import { splitProgress } from "./progress.js";
import { aptRelease } from "./commands/packages.js";
import { figlet } from "./commands/figlet.js";
import { lookupPackage } from "./packages.js";
import { ImageStore, noSuchImageName } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";
import { cacheKeyDigest } from "../util/hash.js";
import { canonicalJson } from "@drydock/kernel";

const hub = new RegistryHub();

function fails(fn: () => unknown): BuildError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error("expected a BuildError");
}

describe("what a learner types in the course's image exercises", () => {
  // The classic "Building images interactively / with a Dockerfile" exercise:
  // FROM ubuntu, RUN apt-get update && apt-get install -y figlet, then figlet prints a banner.
  it("figlet installs from apt, apk and (with epel-release) yum, and RUN figlet prints figlet 2.2.5's banner", () => {
    const store = new ImageStore();
    const r = build({ dockerfile: "FROM ubuntu\nRUN apt-get update && apt-get install -y figlet\nRUN figlet hello\n" }, store, hub);
    const banner = r.steps[2]!.output.join("\n");
    // figlet 2.2.5, standard.flf, `figlet hello` (its README's example output).
    expect(banner).toBe([
      " _          _ _       ",
      "| |__   ___| | | ___  ",
      "| '_ \\ / _ \\ | |/ _ \\ ",
      "| | | |  __/ | | (_) |",
      "|_| |_|\\___|_|_|\\___/ ",
      "                      ",
    ].join("\n"));
    expect(r.steps[1]!.output).toContain("Setting up figlet (2.2.5-3+b1) ...");
    expect(() => build({ dockerfile: "FROM alpine:3.5\nRUN apk add --update figlet && figlet hi\n" }, new ImageStore(), hub)).not.toThrow();
    // CentOS 7: figlet is in EPEL only (yum: "No package figlet available." until epel-release).
    const e = fails(() => build({ dockerfile: "FROM centos:7\nRUN yum install -y figlet\n" }, new ImageStore(), hub));
    expect(e.steps.at(-1)!.output).toContain("No package figlet available.");
    expect(() => build({ dockerfile: "FROM centos:7\nRUN yum install -y epel-release && yum install -y figlet && figlet hi\n" }, new ImageStore(), hub)).not.toThrow();
  });

  it("figlet -f script and an unknown font (figlet: <font>: Unable to open font file)", () => {
    expect(figlet("hello", "script")!.split("\n")[3]).toBe("|/ \\   |/  |/  |/  /  \\_");
    expect(figlet("hi", "nosuchfont")).toBeUndefined();
    const e = fails(() => build({ dockerfile: "FROM ubuntu\nRUN apt-get update && apt-get install -y figlet && figlet -f nosuch hi\n" }, new ImageStore(), hub));
    expect(e.steps.at(-1)!.output.at(-1)).toBe("figlet: nosuch: Unable to open font file");
  });

  it("the course's and tutorials' packages are in the simulated indexes", () => {
    for (const n of ["figlet", "wget", "curl", "vim", "nano", "git", "python3", "python3-pip", "build-essential", "gcc", "make", "nginx",
      "apache2", "openjdk-17-jdk", "openjdk-11-jdk", "openjdk-8-jdk", "net-tools", "iputils-ping", "dnsutils", "jq", "unzip", "ca-certificates"]) {
      expect(lookupPackage("apt", n), n).toBeDefined();
    }
    for (const n of ["figlet", "curl", "wget", "nano", "bind-tools", "build-base", "alpine-sdk", "python3", "py3-pip", "openjdk8"]) expect(lookupPackage("apk", n), n).toBeDefined();
    for (const n of ["figlet", "wget", "curl", "git", "httpd", "nano", "bind-utils", "net-tools", "java-1.8.0-openjdk"]) expect(lookupPackage("yum", n), n).toBeDefined();
  });

  // apt prints the release codename as the suite (Ubuntu's /etc/os-release VERSION_CODENAME).
  it("apt-get update names the release: xenial, bionic, focal, jammy, noble; bookworm, bullseye", () => {
    const cases: [string, string][] = [["ubuntu:16.04", "xenial"], ["ubuntu:18.04", "bionic"], ["ubuntu:20.04", "focal"], ["ubuntu:22.04", "jammy"], ["ubuntu:24.04", "noble"], ["debian:bookworm", "bookworm"]];
    for (const [base, codename] of cases) {
      const r = build({ dockerfile: `FROM ${base}\nRUN apt-get update\n` }, new ImageStore(), hub);
      const mirror = base.startsWith("ubuntu") ? "http://archive.ubuntu.com/ubuntu" : "http://deb.debian.org/debian";
      expect(r.steps[1]!.output[0], base).toBe(`Get:1 ${mirror} ${codename} InRelease [${base.startsWith("ubuntu") ? "270" : "151"} kB]`);
    }
    expect(aptRelease('ID=debian\nVERSION_ID="11"\n').codename).toBe("bullseye");
  });

  // BuildKit's progressui stamps each log line with the time since the vertex started (3 decimals under 10 s).
  it("a RUN's log lines carry increasing timestamps over the step, not one time", () => {
    const r = build({ dockerfile: "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y figlet curl\n" }, new ImageStore(), hub);
    const stamps = r.output.split("\n").filter((l) => l.startsWith("#5 ") && /^#5 \d+\.\d{3} /.test(l)).map((l) => Number(l.split(" ")[1]));
    expect(stamps.length).toBeGreaterThan(20);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    expect(new Set(stamps).size).toBeGreaterThan(10);
    expect(stamps.at(-1)!).toBeLessThanOrEqual(r.steps[1]!.durationUs / 1e6);
  });

  // BuildKit keeps what a build pulled in its content store, even when the build fails; the base
  // is not an image `docker images` lists (no tag), and the retry does not download it.
  it("after a failed build, the retry shows the base as already there (resolve … done, DONE 0.0s)", () => {
    const store = new ImageStore();
    const df = "FROM ubuntu\nRUN apt-get update && apt-get install -y nosuchpackage\n";
    const first = fails(() => build({ dockerfile: df }, store, hub));
    expect(first.output).toMatch(/#4 sha256:[0-9a-f]{64} 78\.1MB \/ 78\.1MB/);
    expect(store.list()).toEqual([]);
    const second = fails(() => build({ dockerfile: df }, store, hub));
    const from = splitProgress(second.output).find((b) => b.vertex === 4)!.text;
    expect(from).toMatch(/^#4 \[1\/2\] FROM docker\.io\/library\/ubuntu:latest@sha256:[0-9a-f]{64}\n#4 resolve docker\.io\/library\/ubuntu:latest@sha256:[0-9a-f]{64} done\n#4 DONE 0\.0s\n\n$/);
    expect(store.list()).toEqual([]);
  });

  it("the build context loads right after the first FROM, before the stage's other steps", () => {
    const store = new ImageStore();
    hub.pull(store, "alpine:3.5");
    const r = build({ dockerfile: "FROM alpine:3.5\nRUN mkdir /app\nCOPY hello.c /app/\n", context: { "hello.c": "int main(){}\n" } }, store, hub);
    expect(splitProgress(r.output).map((b) => b.text.split("\n")[0])).toEqual([
      '#0 building with "default" instance using docker driver', "#1 [internal] load build definition from Dockerfile",
      "#2 [internal] load metadata for docker.io/library/alpine:3.5", "#3 [internal] load .dockerignore",
      expect.stringMatching(/^#4 \[1\/3\] FROM /), "#5 [internal] load build context", "#6 [2/3] RUN mkdir /app", "#7 [3/3] COPY hello.c /app/",
      "#8 exporting to image",
    ]);
  });

  it("splitProgress cuts the output into vertex blocks and joins back exactly", () => {
    const store = new ImageStore();
    const ok = build({ dockerfile: "FROM busybox:1.36\nCOPY a .\nRUN echo hi\n", context: { a: "x" } }, store, hub).output;
    const failed = fails(() => build({ dockerfile: "FROM busybox:1.36\nRUN exit 3\n" }, store, hub));
    for (const text of [ok, failed.output, failed.output + failed.errorLogs, "", "\n", "#1 a\n#2 b\n\nplain\n#1 c"]) {
      const blocks = splitProgress(text);
      expect(blocks.map((b) => b.text).join("")).toBe(text);
      for (const b of blocks) if (b.vertex !== null) expect(b.text.split("\n").filter((l) => l !== "").every((l) => l.startsWith(`#${b.vertex} `))).toBe(true);
    }
    const blocks = splitProgress(ok);
    expect(blocks.map((b) => b.vertex)).toEqual([0, 1, 2, 3, 4, 5, 4, 6, 7, 8]);
    expect(blocks[4]!.text.endsWith("#4 ...\n\n")).toBe(true);
    expect(splitProgress(failed.output + failed.errorLogs).at(-1)).toEqual({ vertex: null, text: failed.errorLogs });
  });

  // moby daemon/images ErrImageDoesNotExist: FamiliarString(TagNameOnly(ref)).
  it("docker rmi nosuch: Error response from daemon: No such image: nosuch:latest", () => {
    const store = new ImageStore();
    expect(() => store.remove("nosuch")).toThrow("No such image: nosuch:latest");
    expect(() => store.require("nosuch:1.0")).toThrow("No such image: nosuch:1.0");
    expect(noSuchImageName("localhost:5000/app")).toBe("localhost:5000/app:latest");
    expect(noSuchImageName("docker.io/library/ubuntu")).toBe("ubuntu:latest");
    expect(noSuchImageName(`sha256:${"a".repeat(64)}`)).toBe(`sha256:${"a".repeat(64)}`);
  });

  // Issue #16: cache keys are sha256 over the kernel's canonical JSON of the key's parts.
  it("build-cache keys are sha256 digests of the canonical JSON of their parts", () => {
    const r = build({ dockerfile: "FROM busybox:1.36\nRUN echo hi\n" }, new ImageStore(), hub);
    for (const s of r.steps) expect(s.cacheKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cacheKeyDigest(["a\u0001b"])).not.toBe(cacheKeyDigest(["a", "b"]));
    expect(cacheKeyDigest([{ b: 1, a: 2 }])).toBe(cacheKeyDigest([{ a: 2, b: 1 }]));
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});
