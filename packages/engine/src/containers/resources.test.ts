import { describe, expect, it } from "vitest";
import { writeFile } from "../fs/index.js";
import { cpuRates, memoryUsage } from "./stats.js";
import { diffTrees, layerChanges } from "./rootfs.js";
import { logLines } from "./logs.js";
import { inspectContainer } from "./inspect.js";
import { listContainers } from "./list.js";
import { FilterArgs } from "../volumes/filters.js";
import { Host, S, engineWith } from "./testing.test-util.js";

const ALPINE = "alpine:3.5";
const MB = 1024 * 1024;

describe("cgroups: memory (the OOM killer) and CPU (CFS shares and quotas)", () => {
  it("a memory hog grows until its limit, then the kernel kills it: OOMKilled, exit 137, an oom event before die", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["tail", "/dev/zero"], resources: { memory: 100 * MB } }));
    h.do((d) => d.start(c.id));
    h.advance(100_000);
    const mid = h.get(c.id);
    expect(memoryUsage(mid, h.now)).toBeLessThanOrEqual(100 * MB);
    expect(memoryUsage(mid, h.now)).toBeGreaterThan(40 * MB);
    h.advance(S);
    const done = h.get(c.id);
    expect(done.state.oomKilled).toBe(true);
    expect(done.state.exitCode).toBe(137);
    expect(h.events().slice(-2)).toEqual(["oom", "die"]);
  });

  it("--cpus caps one hog; two hogs with 1024 and 512 shares on two CPUs each get a whole CPU; three split 2:1:1", () => {
    const h = new Host(engineWith(ALPINE));
    const mk = (name: string, resources: { nanoCpus?: number; cpuShares?: number }) => {
      const c = h.do((d) => d.create({ image: ALPINE, name, cmd: ["sha256sum", "/dev/zero"], resources }));
      h.do((d) => d.start(c.id));
      return c.id;
    };
    const capped = mk("capped", { nanoCpus: 500_000_000 });
    expect(cpuRates(h.engine).get(capped)).toBe(0.5);
    h.do((d) => d.remove("capped", { force: true }));
    const a = mk("big", { cpuShares: 2048 });
    const b = mk("small1", { cpuShares: 1024 });
    expect(cpuRates(h.engine).get(a)).toBe(1);
    expect(cpuRates(h.engine).get(b)).toBe(1);
    const c = mk("small2", { cpuShares: 1024 });
    const r = cpuRates(h.engine);
    expect(r.get(a)).toBeCloseTo(1);
    expect(r.get(b)).toBeCloseTo(0.5);
    expect(r.get(c)).toBeCloseTo(0.5);
  });
});

describe("the writable layer: docker diff and docker commit (moby archive changes, daemon/commit.go)", () => {
  it("a written file shows as A, its directory as C, a deleted image file as D; commit makes an image with that layer", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, name: "box", cmd: ["sleep", "100"] }));
    h.do((d) => d.start(c.id));
    h.do((d) => {
      const before = d.fsView("box");
      let after = writeFile(before, "/tmp/hello.txt", "hi\n", h.now);
      if (!after.ok) throw new Error(after.error);
      const rm = d.fsView("box");
      void rm;
      const deleted = new Map(after.value.entries);
      const etc = deleted.get("etc");
      if (etc?.kind === "dir") {
        const e = new Map(etc.entries);
        e.delete("alpine-release");
        deleted.set("etc", { ...etc, entries: e });
      }
      expect(d.applyView("box", before, { ...after.value, entries: deleted })).toBeNull();
    });
    const box = h.get("box");
    expect(diffTrees(box.lowerfs, box.rootfs)).toEqual([
      { kind: "C", path: "/etc" }, { kind: "D", path: "/etc/alpine-release" }, { kind: "C", path: "/tmp" }, { kind: "A", path: "/tmp/hello.txt" },
    ]);
    expect([...layerChanges(box.lowerfs, box.rootfs).keys()]).toEqual(["/etc", "/etc/alpine-release", "/tmp", "/tmp/hello.txt"]);
    const img = h.do((d) => d.commit("box", { repo: "mybox:1", comment: "a greeting" }));
    expect(img.layers.length).toBe(2);
    expect(img.config.cmd).toEqual(["sleep", "100"]);
    expect(img.history.at(-1)).toMatchObject({ createdBy: "sleep 100", comment: "a greeting" });
    expect(h.engine.events.at(-1)).toMatchObject({ action: "commit", actor: { attributes: { imageRef: "mybox:1" } } });
    // A container of the new image sees the file and not the deleted one.
    const next = h.do((d) => d.create({ image: "mybox:1" }));
    expect(diffTrees(next.lowerfs, next.rootfs)).toEqual([]);
    const tmp = next.rootfs.entries.get("tmp");
    expect(tmp?.kind === "dir" && tmp.entries.has("hello.txt")).toBe(true);
  });
});

describe("logs and inspect", () => {
  it("a paused ping prints nothing while frozen and goes on after", () => {
    const h = new Host(engineWith(ALPINE));
    const c = h.do((d) => d.create({ image: ALPINE, cmd: ["ping", "-c", "5", "127.0.0.1"] }));
    h.do((d) => d.start(c.id));
    h.advance(1.5 * S);
    h.do((d) => d.pause(c.id));
    h.advance(60 * S);
    const paused = logLines(h.get(c.id).logs, h.env.programs, h.now);
    expect(paused.filter((l) => l.text.startsWith("64 bytes")).length).toBe(2);
    h.do((d) => d.unpause(c.id));
    h.advance(10 * S);
    const all = logLines(h.get(c.id).logs, h.env.programs, h.now);
    expect(all.filter((l) => l.text.startsWith("64 bytes")).map((l) => l.text.match(/seq=(\d)/)![1])).toEqual(["0", "1", "2", "3", "4"]);
    expect(h.get(c.id).state.exitCode).toBe(0);
  });

  it("inspect has Docker's fields, Go's zero time for a FinishedAt never set, and the name with its slash", () => {
    const h = new Host(engineWith(ALPINE));
    h.now = 5 * S;
    const c = h.do((d) => d.create({ image: ALPINE, name: "web", cmd: ["sleep", "100"] }));
    h.do((d) => d.start("web"));
    const j = inspectContainer(h.get(c.id), h.engine.networks) as { State: Record<string, unknown>; Name: string; Config: Record<string, unknown>; NetworkSettings: Record<string, unknown> };
    expect(Object.keys(j).slice(0, 6)).toEqual(["Id", "Created", "Path", "Args", "State", "Image"]);
    expect(j.Name).toBe("/web");
    expect(j.State).toMatchObject({ Status: "running", Running: true, Pid: h.get("web").state.pid, StartedAt: "2026-01-01T00:00:05Z", FinishedAt: "0001-01-01T00:00:00Z" });
    expect(j.Config).toMatchObject({ Hostname: c.id.slice(0, 12), Cmd: ["sleep", "100"], Image: ALPINE });
    expect(j.NetworkSettings).toMatchObject({ IPAddress: "172.17.0.2", Gateway: "172.17.0.1", MacAddress: "02:42:ac:11:00:02" });
  });

  it("ps lists running containers newest first; -a adds the others; filters follow moby's rules", () => {
    const h = new Host(engineWith(ALPINE));
    h.do((d) => d.create({ image: ALPINE, name: "one", cmd: ["sleep", "1"] }));
    h.now = S;
    h.do((d) => d.create({ image: ALPINE, name: "two", cmd: ["sleep", "100"] }));
    h.do((d) => d.start("two"));
    expect(listContainers(h.engine).map((c) => c.name)).toEqual(["two"]);
    expect(listContainers(h.engine, { all: true }).map((c) => c.name)).toEqual(["two", "one"]);
    expect(listContainers(h.engine, { filters: FilterArgs.parse(["status=created"]) }).map((c) => c.name)).toEqual(["one"]);
    expect(listContainers(h.engine, { filters: FilterArgs.parse(["name=^t"]) }).map((c) => c.name)).toEqual(["two"]);
    expect(() => listContainers(h.engine, { filters: FilterArgs.parse(["status=sleeping"]) })).toThrow(
      "invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead",
    );
    expect(() => listContainers(h.engine, { filters: FilterArgs.parse(["colour=red"]) })).toThrow("invalid filter 'colour'");
  });
});
