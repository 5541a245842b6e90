import { describe, expect, it } from "vitest";
import { build, BuildError, type BuildOptions } from "./builder.js";
import { formatBuildFailure, dockerfileExcerpt } from "./failure.js";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";

const hub = new RegistryHub();

function fails(opts: BuildOptions, store = new ImageStore()): BuildError {
  try {
    build(opts, store, hub);
  } catch (e) {
    if (e instanceof BuildError) return e;
    throw e;
  }
  throw new Error("the build succeeded");
}

/** The stderr a failed `docker build` ends with, after the progress. */
const tail = (opts: BuildOptions): string => formatBuildFailure(fails(opts), { text: opts.dockerfile as string }).text;

describe("a failed RUN as buildx prints it (BuildKit progressui printErrorLogs, solver/errdefs/source.go)", () => {
  it("apk: 'unable to select packages', one entry per name, exit code 1 (apk-tools; issue google/mtail#761 shows the lines)", () => {
    const df = "FROM alpine:3.20\nWORKDIR /app\nRUN apk add --no-cache nosuch\n";
    const e = fails({ dockerfile: df });
    expect(e.message).toBe('process "/bin/sh -c apk add --no-cache nosuch" did not complete successfully: exit code: 1');
    expect(e.exitCode).toBe(1);
    const text = tail({ dockerfile: df });
    // The block: "------", " > <vertex name>:", the log lines with their time offsets, "------".
    expect(text).toMatch(/^------\n > \[3\/3\] RUN apk add --no-cache nosuch:\n\d\.\d{3} fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.20\/main\/x86_64\/APKINDEX\.tar\.gz\n/);
    expect(text).toContain("\n0.");
    expect(text).toContain(" ERROR: unable to select packages:\n");
    expect(text).toMatch(/ {2}nosuch \(no such package\):\n\d\.\d{3}     required by: world\[nosuch\]\n------\n/);
    // Then the Dockerfile excerpt (2 lines of context) and the error line.
    expect(text).toContain("Dockerfile:3\n--------------------\n   1 |     FROM alpine:3.20\n   2 |     WORKDIR /app\n   3 | >>> RUN apk add --no-cache nosuch\n   4 |     \n--------------------\n");
    expect(text.endsWith('ERROR: failed to build: failed to solve: process "/bin/sh -c apk add --no-cache nosuch" did not complete successfully: exit code: 1\n')).toBe(true);
  });

  it("apk: the exit code counts the names it cannot select (The command … returned a non-zero code: 2, mtail#761)", () => {
    expect(fails({ dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache curl nosuch nosuch2\n" }).message).toMatch(/exit code: 2$/);
  });

  it("apt-get: 'E: Unable to locate package nosuch', exit code 100 (apt-get(8): 100 on error)", () => {
    const df = "FROM ubuntu:18.04\nRUN apt-get update && apt-get install -y nosuch\n";
    const e = fails({ dockerfile: df });
    expect(e.message).toBe('process "/bin/sh -c apt-get update && apt-get install -y nosuch" did not complete successfully: exit code: 100');
    expect(e.errorLogs).toMatch(/Reading package lists\.\.\.\n\d\.\d+ Building dependency tree\.\.\.\n\d\.\d+ Reading state information\.\.\.\n\d\.\d+ E: Unable to locate package nosuch\n------\n$/);
  });

  it("pip: the two ERROR lines, exit code 1 (pip's resolver)", () => {
    const e = fails({ dockerfile: "FROM python:3\nRUN pip install nosuch\n" });
    expect(e.message).toMatch(/exit code: 1$/);
    expect(e.errorLogs).toMatch(/ ERROR: Could not find a version that satisfies the requirement nosuch \(from versions: none\)\n\d\.\d+ ERROR: No matching distribution found for nosuch\n------\n$/);
  });

  it("yum: 'No package nosuch available.' then 'Error: Nothing to do', exit code 1 (CentOS 7 yum 3.4)", () => {
    const e = fails({ dockerfile: "FROM centos:7\nRUN yum install -y nosuch\n" });
    expect(e.message).toBe('process "/bin/sh -c yum install -y nosuch" did not complete successfully: exit code: 1');
    expect(e.errorLogs).toMatch(/ No package nosuch available\.\n\d\.\d+ Error: Nothing to do\n------\n$/);
  });

  it("yum skips a missing name when others install (skip_missing_names_on_install, CentOS 7's default)", () => {
    const store = new ImageStore();
    const r = build({ dockerfile: "FROM centos:7\nRUN yum install -y httpd nosuch && yum clean all\n" }, store, hub);
    expect(r.steps.at(-1)!.output).toContain("No package nosuch available.");
    expect(r.steps.at(-1)!.output).toContain("Complete!");
  });

  it("known packages install in the course's bases: apt-get in ubuntu:16.04, yum in centos:7, pip in python:3.5-alpine", () => {
    const store = new ImageStore();
    expect(() => build({ dockerfile: "FROM ubuntu:16.04\nRUN apt-get update && apt-get install -y wget\n" }, store, hub)).not.toThrow();
    expect(() => build({ dockerfile: "FROM centos:7\nRUN yum install -y epel-release && yum install -y nginx\n" }, store, hub)).not.toThrow();
    expect(() => build({ dockerfile: "FROM python:3.5-alpine\nRUN pip install flask redis\n" }, store, hub)).not.toThrow();
  });

  it("RUN in a FROM scratch stage: runc cannot start /bin/sh; the step fails with exit code 1 (buildx#2400's log line)", () => {
    const df = "FROM scratch\nRUN echo hi\n";
    const e = fails({ dockerfile: df });
    expect(e.message).toBe('process "/bin/sh -c echo hi" did not complete successfully: exit code: 1');
    expect(e.errorLogs).toBe('------\n > [2/2] RUN echo hi:\n0.120 runc run failed: unable to start container process: error during container init: exec: "/bin/sh": stat /bin/sh: no such file or directory\n------\n');
  });

  it("the block keeps only the last 10 log lines (progressui logsBufferSize)", () => {
    const e = fails({ dockerfile: "FROM alpine:3.20\nRUN for i in 1; do :; done; echo 1; echo 2; echo 3; echo 4; echo 5; echo 6; echo 7; echo 8; echo 9; echo 10; echo 11; echo 12; false\n" });
    const logs = e.errorLogs.split("\n").slice(2, -2);
    expect(logs).toHaveLength(10);
    expect(logs[0]).toMatch(/ 3$/);
  });

  it("log time offsets: 3 decimals under 10 s, 2 under 100 s, 1 above (progressui display.go)", () => {
    const e = fails({ dockerfile: "FROM alpine:3.20\nRUN sleep 12 && echo late && false\n" });
    expect(e.errorLogs).toMatch(/\n12\.\d{2} late\n/);
  });
});

describe("a base image that cannot be had (BuildKit's source resolver)", () => {
  it("an unknown Docker Hub name: BuildKit's text, the metadata vertex's block, and drydock's catalogue line (docker/cli#3272, zhaarey/wrapper#33)", () => {
    const df = "FROM nosuchimage\nRUN echo hi\n";
    const e = fails({ dockerfile: df });
    expect(e.code).toBe("ENOTFOUND");
    const [docker, hint] = e.message.split("\n");
    expect(docker).toBe("nosuchimage: failed to resolve source metadata for docker.io/library/nosuchimage:latest: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed");
    expect(hint).toMatch(/^drydock: 'nosuchimage' is not in drydock's catalogue \(it has: alpine, busybox, centos, .*ubuntu\)$/);
    expect(e.output).toContain("#2 [internal] load metadata for docker.io/library/nosuchimage:latest\n#2 ERROR: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed\n");
    expect(e.errorLogs).toBe("------\n > [internal] load metadata for docker.io/library/nosuchimage:latest:\n------\n");
    expect(tail({ dockerfile: df })).toContain("Dockerfile:1\n--------------------\n   1 | >>> FROM nosuchimage\n   2 |     RUN echo hi\n   3 |     \n--------------------\nERROR: failed to build: failed to solve: nosuchimage: failed to resolve");
  });

  it("a missing tag of a catalogue repository: '<ref>: not found', and the tags drydock has", () => {
    const e = fails({ dockerfile: "FROM alpine:9.9\n" });
    expect(e.message.split("\n")[0]).toBe("alpine:9.9: failed to resolve source metadata for docker.io/library/alpine:9.9: docker.io/library/alpine:9.9: not found");
    expect(e.message.split("\n")[1]).toMatch(/^drydock: the catalogue has alpine:3, 3\.19/);
  });

  it("a real official image drydock does not simulate: ENOTINCATALOGUE, drydock's words only", () => {
    const e = fails({ dockerfile: "FROM tomcat:9\n" });
    expect(e.code).toBe("ENOTINCATALOGUE");
    expect(e.message).toMatch(/^tomcat:9: failed to resolve source metadata for docker\.io\/library\/tomcat:9: drydock: 'tomcat' is not in drydock's catalogue/);
  });
});

describe("dockerfileExcerpt (BuildKit solver/errdefs/source.go Print)", () => {
  it("a multi-line instruction is marked on every line with one line of context (scholia#2692's excerpt)", () => {
    const text = "FROM debian\n\nRUN apt-get update -qq \\\n    && apt-get install -qq -y foo \\\n    && apt-get clean\n\n";
    expect(dockerfileExcerpt("Dockerfile", text, 3)).toBe(
      "Dockerfile:3\n--------------------\n   2 |     \n   3 | >>> RUN apt-get update -qq \\\n   4 | >>>     && apt-get install -qq -y foo \\\n   5 | >>>     && apt-get clean\n   6 |     \n--------------------\n",
    );
  });
});
