import { describe, expect, it } from "vitest";
import { allProcesses } from "../host/procs.js";
import { logLines } from "./logs.js";
import { Rng } from "@drydock/kernel";
import { randomId } from "./daemon.js";
import { Host, S, engineWith } from "./testing.test-util.js";

const ALPINE = "alpine:3.5";

describe("containers are processes (moby daemon/create.go, start.go)", () => {
  it("docker create: a 64-hex ID, a random name from moby's word lists, state created, hostname = short ID", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "100"] }));
    expect(c.id).toMatch(/^[0-9a-f]{64}$/);
    expect(c.name).toMatch(/^[a-z]+_[a-z]+$/);
    expect(c.config.hostname).toBe(c.id.slice(0, 12));
    expect(h.status(c.id)).toBe("created");
    expect(c.path).toBe("sleep");
    expect(c.args).toEqual(["100"]);
    expect(h.events()).toEqual(["create"]);
  });

  it("randomId writes each 32-bit draw as 8 hex digits, as toString(16).padStart did (IDs in golden transcripts keep their values)", () => {
    const before = (random: Rng): string => {
      for (;;) {
        let id = "";
        for (let i = 0; i < 8; i++) id += Math.floor(random.next() * 0x1_0000_0000).toString(16).padStart(8, "0");
        if (!/^\d{12}/.test(id)) return id;
      }
    };
    for (const seed of ["3", "containers/node1/ids", "x"]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      for (let i = 0; i < 5_000; i++) expect(randomId(a)).toBe(before(b));
    }
  });

  it("the same seed gives the same IDs and names", () => {
    const a = new Host(engineWith(ALPINE), "s");
    const b = new Host(engineWith(ALPINE), "s");
    expect(a.do((d) => d.create({ image: ALPINE }))).toEqual(b.do((d) => d.create({ image: ALPINE })));
  });

  it("a name in use is refused with moby's conflict text (daemon/errors.go nameConflictError)", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, name: "web" }));
    expect(() => h.do((d) => d.create({ image: ALPINE, name: "web" }))).toThrow(
      `Conflict. The container name "/web" is already in use by container "${c.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  });

  it("a bad restart policy and --rm with one are refused (moby ValidateRestartPolicy, daemon/container.go)", () => {
    const h = new Host(engineWith(ALPINE));
    expect(() => h.do((d) => d.create({ image: ALPINE, restartPolicy: { name: "sometimes" as "no", maximumRetryCount: 0 } }))).toThrow(
      "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
    );
    expect(() => h.do((d) => d.create({ image: ALPINE, restartPolicy: { name: "always", maximumRetryCount: 3 } }))).toThrow(
      "invalid restart policy: maximum retry count can only be used with 'on-failure'",
    );
    expect(() => h.do((d) => d.create({ image: ALPINE, autoRemove: true, restartPolicy: { name: "always", maximumRetryCount: 0 } }))).toThrow(
      "can't create 'AutoRemove' container with restart policy",
    );
  });

  it("start: PID 1 inside is a host PID outside, under a containerd shim; the container ends when PID 1 ends", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "5"] }));
    h.do((d) => d.start(c.id));
    const running = h.get(c.id);
    expect(running.state.running).toBe(true);
    const pid1 = allProcesses(h.engine.kernel).find((p) => p.pid === running.state.pid)!;
    expect(pid1.nsPid).toBe(1);
    expect(pid1.pid).not.toBe(1);
    expect(pid1.argv).toEqual(["sleep", "5"]);
    const shim = allProcesses(h.engine.kernel).find((p) => p.pid === pid1.ppid)!;
    expect(shim.argv[0]).toBe("/usr/bin/containerd-shim-runc-v2");
    h.advance(5 * S);
    const done = h.get(c.id);
    expect(h.status(c.id)).toBe("exited");
    expect(done.state.exitCode).toBe(0);
    expect(done.state.finishedAt).toBe(5 * S);
    expect(h.events()).toEqual(["create", "start", "die"]);
    expect(allProcesses(h.engine.kernel).some((p) => p.container === c.id)).toBe(false);
  });

  it("an executable that is not there: exit code 127, state created, runc's error", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["nosuch"] }));
    const e = h.doKeep((d) => d.start(c.id));
    expect(e?.message).toBe(
      'failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "nosuch": executable file not found in $PATH: unknown',
    );
    expect(h.status(c.id)).toBe("created");
    expect(h.get(c.id).state.exitCode).toBe(127);
  });
});

describe("stop, kill, pause (moby daemon/stop.go, kill.go, pause.go)", () => {
  it("stop: sleep as PID 1 ignores SIGTERM, so the SIGKILL comes after the 10 s grace period: exit 137", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "1000"] }));
    h.do((d) => d.start(c.id));
    h.advance(S);
    h.do((d) => d.stop(c.id));
    h.advance(9 * S);
    expect(h.status(c.id)).toBe("running");
    h.advance(1 * S);
    expect(h.status(c.id)).toBe("exited");
    expect(h.get(c.id).state.exitCode).toBe(137);
    expect(h.events()).toEqual(["create", "start", "kill", "kill", "die", "stop"]);
    expect(h.engine.events.filter((e) => e.action === "kill").map((e) => e.actor.attributes["signal"])).toEqual(["15", "9"]);
  });

  it("stop -t 2 shortens the grace period", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "1000"] }));
    h.do((d) => d.start(c.id));
    h.do((d) => d.stop(c.id, { timeoutS: 2 }));
    h.advance(2 * S);
    expect(h.status(c.id)).toBe("exited");
  });

  it("stopping a stopped container is not an error (moby answers 304)", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "1"] }));
    expect(h.do((d) => d.stop(c.id))).toBe(false);
  });

  it("kill of a container that is not running: moby's error, wrapped by the API router", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "1"] }));
    expect(() => h.do((d) => d.kill("web"))).toThrow(`cannot kill container: web: container ${c.id} is not running`);
  });

  it("pause freezes the plan's clock: a paused sleep 5 ends 5 s of running time after it started", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "5"] }));
    h.do((d) => d.start(c.id));
    h.advance(2 * S);
    h.do((d) => d.pause(c.id));
    expect(h.status(c.id)).toBe("paused");
    h.advance(10 * S);
    expect(h.status(c.id)).toBe("paused");
    h.do((d) => d.unpause(c.id));
    h.advance(3 * S);
    expect(h.status(c.id)).toBe("exited");
    expect(h.get(c.id).state.finishedAt).toBe(15 * S);
  });

  it("ping: one line a second, and its statistics on SIGINT", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["ping", "8.8.8.8"] }));
    h.do((d) => d.start(c.id));
    h.advance(3 * S + 500_000);
    h.do((d) => d.kill(c.id, "SIGINT"));
    h.advance(S);
    const text = logLines(h.get(c.id).logs, h.env.programs, h.now).map((l) => l.text).join("");
    expect(text).toMatch(/^PING 8\.8\.8\.8 \(8\.8\.8\.8\): 56 data bytes\n64 bytes from 8\.8\.8\.8: seq=0 ttl=118 time=\d+\.\d{3} ms\n/);
    expect(text).toContain("seq=3 ");
    expect(text).not.toContain("seq=4 ");
    expect(text).toContain("\n--- 8.8.8.8 ping statistics ---\n4 packets transmitted, 4 packets received, 0% packet loss\n");
    expect(h.get(c.id).state.exitCode).toBe(0);
  });
});

describe("remove and rename (moby daemon/delete.go, rename.go)", () => {
  it("rm of a running container is refused without -f, with moby's text", () => {
    const h = new Host(engineWith(ALPINE));
    h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "100"] }));
    h.do((d) => d.start("web"));
    expect(() => h.do((d) => d.remove("web"))).toThrow('cannot remove container "web": container is running: stop the container before removing or force remove');
    h.do((d) => d.remove("web", { force: true }));
    expect(h.do((d) => d.find("web"))).toBeUndefined();
    expect(h.events().slice(-3)).toEqual(["kill", "die", "destroy"]);
  });

  it("rename frees the old name and takes the new one", () => {
    const h = new Host(engineWith(ALPINE));
    // A one-character name is not a name (RestrictedNameChars needs two).
    expect(() => h.do((d) => d.create({ image: ALPINE, name: "a" }))).toThrow("Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    h.do((d) => d.create({ image: ALPINE, name: "old" }));
    h.do((d) => d.rename("old", "new"));
    expect(h.do((d) => d.find("old"))).toBeUndefined();
    expect(h.get("new").name).toBe("new");
    expect(() => h.do((d) => d.rename("new", "new"))).toThrow("Renaming a container with the same name as its current name");
  });
});

describe("restart policies (moby restartmanager)", () => {
  it("on-failure:2 restarts twice after 100 ms then 200 ms, then stays exited", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["false"], restartPolicy: { name: "on-failure", maximumRetryCount: 2 } }));
    h.do((d) => d.start(c.id));
    h.advance(0);
    // The count goes up when the restart is decided (moby handleContainerExit), the start comes after the back-off.
    expect(h.status(c.id)).toBe("restarting");
    expect(h.get(c.id).restartCount).toBe(1);
    h.advance(99_999);
    expect(h.get(c.id).restartCount).toBe(1);
    h.advance(1);
    expect(h.get(c.id).restartCount).toBe(2);
    expect(h.status(c.id)).toBe("restarting");
    h.advance(199_999);
    expect(h.status(c.id)).toBe("restarting");
    h.advance(1);
    expect(h.status(c.id)).toBe("exited");
    expect(h.get(c.id).state.exitCode).toBe(1);
    expect(h.events().filter((a) => a === "start")).toHaveLength(3);
  });

  it("always: a crash and boot restart it; unless-stopped stopped by hand stays stopped", () => {
    const h = new Host(engineWith(ALPINE));
    const a = h.do((d) => d.create({ image: ALPINE, name: "aa", cmd: ["sleep", "1000"], restartPolicy: { name: "always", maximumRetryCount: 0 } }));
    const u = h.do((d) => d.create({ image: ALPINE, name: "uu", cmd: ["sleep", "1000"], restartPolicy: { name: "unless-stopped", maximumRetryCount: 0 } }));
    h.do((d) => d.start(a.id));
    h.do((d) => d.start(u.id));
    h.do((d) => d.kill(u.id));
    h.advance(0);
    expect(h.status("uu")).toBe("exited");
    h.do((d) => d.crash());
    h.advance(30 * S);
    h.do((d) => d.boot());
    expect(h.status("aa")).toBe("running");
    expect(h.status("uu")).toBe("exited");
  });
});

describe("the writable layer (docker diff, docker commit)", () => {
  it("a container's files start as its image's and are shared until written", () => {
    const h = new Host(engineWith(ALPINE));
    const a = h.do((d) => d.create({ image: ALPINE }));
    const b = h.do((d) => d.create({ image: ALPINE }));
    expect(a.rootfs).toBe(b.rootfs);
  });
});

describe("a Windows image on a Linux host (issue #17)", () => {
  it("create refuses it with moby image.CheckOS's text (distribution/config.go platformFromConfig); nothing is made", () => {
    const NANOSERVER = "mcr.microsoft.com/windows/nanoserver:ltsc2022";
    const h = new Host(engineWith(NANOSERVER));
    const before = h.engine;
    expect(() => h.do((d) => d.create({ image: NANOSERVER }))).toThrow(
      'image operating system "windows" cannot be used on this platform: operating system is not supported',
    );
    expect(h.engine).toBe(before);
    expect(h.events()).toEqual([]);
  });
});
