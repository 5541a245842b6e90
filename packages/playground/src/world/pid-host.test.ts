// `docker run --pid host`: the container shares the host's PID namespace, so ps inside it
// lists every process of the host with the host's PIDs (docs.docker.com, docker run
// reference, "PID settings (--pid)": "--pid=host ... allows processes within the container
// to see all of the processes on the system").
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("ps in a --pid host container", () => {
  it("lists the host's processes (dockerd, the other containers' shims and PIDs), with host PIDs", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull -q alpine");
    pg.exec("docker run -d --name web alpine sleep 1000");
    pg.exec("docker run -d --pid host --name tools alpine sleep 2000");
    const inside = pg.exec("docker exec tools ps").stdout;
    expect(inside).toMatch(/^PID   USER     TIME  COMMAND\n/);
    expect(inside).toMatch(/ \/usr\/bin\/dockerd /);
    expect(inside).toMatch(/containerd-shim/);
    // The other container's sleep, with the PID the host's ps shows for it.
    const hostPid = /^root\s+(\d+)\s+\d+\s+.* sleep 1000$/m.exec(pg.exec("ps -ef").stdout)?.[1];
    expect(hostPid).toBeDefined();
    expect(inside).toMatch(new RegExp(`^ *${hostPid} root .* sleep 1000$`, "m"));
    expect(inside).not.toMatch(/^ {4}1 root .* sleep 2000$/m);
    // A container of its own namespace still sees only itself.
    expect(pg.exec("docker exec web ps").stdout).not.toMatch(/dockerd|sleep 2000/);
  });
});

describe("an OOM kill in docker events", () => {
  // moby daemon/monitor.go handles containerd's EventOOM with LogContainerEvent(c, "oom"); the
  // exit that follows is "die" with exitCode 137 (128 + SIGKILL).
  it("shows oom, then die with exitCode=137", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull -q alpine");
    pg.exec("docker run -d --name hog --memory 1g alpine tail /dev/zero");
    pg.exec("sleep 5");
    const ev = pg.exec("docker events --since 0 --until 0s --filter container=hog --format '{{.Action}} {{.Actor.Attributes.exitCode}}'").stdout;
    expect(ev).toMatch(/^oom <no value>\ndie 137\n/m);
  });
});
