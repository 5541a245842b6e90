// The lifecycle transitions and refusals daemon.test.ts does not cover (issue #10's audit):
// unknown image, pause/unpause refusals, start of a paused container, restart, --rm (AutoRemove),
// rm of a paused container. Expected texts are moby's (daemon/create.go, pause.go, unpause.go,
// start.go, restart.go, delete.go, errors.go), as of Docker 28.
import { describe, expect, it } from "vitest";
import { Host, S, engineWith } from "./testing.test-util.js";

const ALPINE = "alpine:3.5";

describe("refusals (moby daemon/create.go, pause.go, unpause.go, start.go, delete.go)", () => {
  it("create of an image the engine does not have: 'No such image', and the engine is unchanged", () => {
    const h = new Host(engineWith(ALPINE));
    const before = h.engine;
    expect(() => h.do((d) => d.create({ image: "nosuch:latest", name: "web" }))).toThrow("No such image: nosuch:latest");
    expect(h.engine).toBe(before);
    expect(h.do((d) => d.find("web"))).toBeUndefined();
  });

  it("pause of a stopped container, pause of a paused one, unpause of a running one", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "100"] }));
    // errNotRunning (daemon/errors.go): lower-case "container".
    expect(() => h.do((d) => d.pause("web"))).toThrow(`container ${c.id} is not running`);
    h.do((d) => d.start("web"));
    expect(() => h.do((d) => d.unpause("web"))).toThrow(`Container ${c.id} is not paused`);
    h.do((d) => d.pause("web"));
    expect(() => h.do((d) => d.pause("web"))).toThrow(`Container ${c.id} is already paused`);
    // daemon/start.go: a paused container is not started again.
    expect(() => h.do((d) => d.start("web"))).toThrow("cannot start a paused container, try unpause instead");
    // daemon/delete.go cleanupContainer: paused is checked before running.
    expect(() => h.do((d) => d.remove("web"))).toThrow('cannot remove container "web": container is paused and must be unpaused first');
    expect(h.status("web")).toBe("paused");
    expect(h.events()).toEqual(["create", "start", "pause"]);
  });

  it("rm -f of a paused container thaws and kills it: exit 137, then destroy", () => {
    const h = new Host(engineWith(ALPINE));
    h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "100"] }));
    h.do((d) => d.start("web"));
    h.do((d) => d.pause("web"));
    h.do((d) => d.remove("web", { force: true }));
    expect(h.do((d) => d.find("web"))).toBeUndefined();
    expect(h.events().slice(-3)).toEqual(["kill", "die", "destroy"]);
    const die = h.engine.events.find((e) => e.type === "container" && e.action === "die")!;
    expect(die.actor.attributes["exitCode"]).toBe("137");
  });
});

describe("restart and --rm (moby daemon/restart.go, daemon/monitor.go)", () => {
  it("restart: stop (SIGTERM, SIGKILL after the grace period), start, then the restart event; a new PID 1 on the host", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "1000"] }));
    h.do((d) => d.start("web"));
    const pid0 = h.get("web").state.pid;
    h.do((d) => d.restart("web", { timeoutS: 1 }));
    h.advance(S);
    expect(h.status("web")).toBe("running");
    expect(h.get("web").state.pid).not.toBe(pid0);
    expect(h.get("web").state.pid).toBeGreaterThan(0);
    expect(h.events()).toEqual(["create", "start", "kill", "kill", "die", "stop", "start", "restart"]);
    expect(h.get(c.id).restartCount).toBe(0);
  });

  it("AutoRemove (--rm): the container is removed when PID 1 ends (die, then destroy)", () => {
    const h = new Host(engineWith(ALPINE));
    h.do((d) => d.create({ image: ALPINE, name: "once", cmd: ["sleep", "2"], autoRemove: true }));
    h.do((d) => d.start("once"));
    h.advance(S);
    expect(h.status("once")).toBe("running");
    h.advance(S);
    expect(h.do((d) => d.find("once"))).toBeUndefined();
    expect(h.events()).toEqual(["create", "start", "die", "destroy"]);
  });
});
