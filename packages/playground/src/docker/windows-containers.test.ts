// Windows containers on drydock's hosts, which are Linux Docker daemons (moby v28.5.1, overlay2):
// what such a daemon says when asked for a Windows image or a Windows isolation (issue #17).
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const HELP_RUN = "\n\nRun 'docker run --help' for more information\n";
const NANOSERVER = "mcr.microsoft.com/windows/nanoserver:ltsc2022";

function world(): Playground {
  const pg = createPlayground({ seed: 3 });
  expect(pg.exec("docker pull alpine").exitCode).toBe(0);
  return pg;
}

describe("Windows containers on a Linux daemon", () => {
  it("--isolation other than default: moby runconfig/hostconfig_unix.go validateIsolation, before any pull", () => {
    const pg = createPlayground({ seed: 3 });
    // The router validates the create request before containerCreate looks for the image: no pull.
    expect(pg.exec("docker run --isolation hyperv alpine true")).toEqual({
      exitCode: 125, stdout: "", stderr: `docker: Error response from daemon: invalid isolation (hyperv): linux only supports 'default'${HELP_RUN}`,
    });
    expect(pg.exec("docker create --isolation process alpine true")).toEqual({
      exitCode: 1, stdout: "", stderr: "Error response from daemon: invalid isolation (process): linux only supports 'default'\n",
    });
    expect(pg.exec("docker image ls -q").stdout).toBe("");
    // Isolation.IsDefault: "default" in any case, or empty.
    expect(pg.exec("docker pull alpine").exitCode).toBe(0);
    expect(pg.exec("docker run --isolation DEFAULT alpine echo ok").stdout).toBe("ok\n");
    expect(pg.exec("docker ps -aq").stdout.trim().split("\n")).toHaveLength(1);
  });

  it("docker pull of nanoserver: its manifest list has no linux/amd64 entry (distribution/pull_v2.go noMatchesErr), world unchanged", () => {
    const pg = world();
    const before = pg.exec("docker image ls").stdout;
    // "Pulling from" is streamed before the manifest list is read, so the error comes in the stream
    // (no "Error response from daemon").
    expect(pg.exec(`docker pull ${NANOSERVER}`)).toEqual({
      exitCode: 1, stdout: "ltsc2022: Pulling from windows/nanoserver\n", stderr: "no matching manifest for linux/amd64 in the manifest list entries\n",
    });
    expect(pg.exec("docker image ls").stdout).toBe(before);
  });

  it("docker run of nanoserver: the implicit pull's refusal, exit 125, no container", () => {
    const pg = world();
    expect(pg.exec(`docker run ${NANOSERVER}`)).toEqual({
      exitCode: 125, stdout: "",
      stderr: `Unable to find image '${NANOSERVER}' locally\nltsc2022: Pulling from windows/nanoserver\ndocker: no matching manifest for linux/amd64 in the manifest list entries${HELP_RUN}`,
    });
    expect(pg.exec("docker ps -aq").stdout).toBe("");
  });

  it("a windows image built here: image operating system \"windows\" cannot be used on this platform (moby image.CheckOS)", () => {
    const pg = world();
    pg.exec("mkdir app && cd app && echo hi > hello.txt");
    pg.exec("printf '# escape=`\\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\\nWORKDIR C:\\\\app\\nCOPY hello.txt .\\nCMD [\"cmd\", \"/c\", \"type\", \"C:\\\\\\\\app\\\\\\\\hello.txt\"]\\n' > Dockerfile");
    expect(pg.exec("docker build -t winapp .").exitCode).toBe(0);
    expect(pg.exec("docker image inspect --format '{{.Os}}' winapp").stdout).toBe("windows\n");
    const refused = 'image operating system "windows" cannot be used on this platform: operating system is not supported';
    expect(pg.exec("docker run winapp")).toEqual({ exitCode: 125, stdout: "", stderr: `docker: Error response from daemon: ${refused}${HELP_RUN}` });
    expect(pg.exec("docker create winapp")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: ${refused}\n` });
    expect(pg.exec("docker ps -aq").stdout).toBe("");
  });

  it("docker info has no Default Isolation line (docker/cli info.go prints it only when OSType is windows)", () => {
    const pg = world();
    expect(pg.exec("docker info").stdout).not.toContain("Isolation");
    // moby daemon/info.go: Isolation is daemon.defaultIsolation, which only a Windows daemon sets.
    expect(pg.exec("docker info --format '[{{.Isolation}}] {{.OSType}}'").stdout).toBe("[] linux\n");
  });
});
