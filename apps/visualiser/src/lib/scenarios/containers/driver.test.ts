import { describe, expect, it } from "vitest";
import { CONTAINER_KEYS, CONTAINER_STEPS, HOST, createContainersDriver } from "./driver.js";
import type { ContainersViewModel } from "./model.js";

// Issue 14, containers. A container's processes have host PIDs (`docker top`, moby
// daemon/top_unix.go runs ps on the host and keeps the container's PIDs) and their own numbering
// in its PID namespace (`ps` inside: PID 1 is the container's command; pid_namespaces(7)). Docker
// gives a container new pid, net, ipc, mnt, uts (and cgroup) namespaces and keeps the host's user
// namespace unless userns-remap is on (docs "Isolate containers with a user namespace").
// `--memory` sets the cgroup's limit; past it the kernel's OOM killer SIGKILLs the process: exit
// 137, State.OOMKilled true (docs "Runtime options with Memory, CPUs, and GPUs"). `--pid host`
// joins the host's PID namespace (docs "docker run --pid").

type D = ReturnType<typeof createContainersDriver>;
const view = (d: D): ContainersViewModel => d.view([], { selected: null });
function type(d: D, line: string, seconds = 1): ContainersViewModel {
  d.timeline.act({ type: "exec", host: HOST, line });
  d.timeline.runUntil(d.sim.now + seconds * 1_000_000);
  return view(d);
}
const step = (id: string): string => CONTAINER_STEPS.find((s) => s.id === id)!.line;

describe("the containers driver", () => {
  it("web's processes: host PIDs under a containerd shim, PID 1 and up inside its namespace", () => {
    const v = view(createContainersDriver("1", {}));
    expect(v.caption.step).toBe("start");
    const web = v.procs.filter((p) => p.container === "web");
    expect(web.map((p) => p.command)).toEqual(["nginx: master process nginx -g daemon off;", "nginx: worker process", "nginx: worker process"]);
    const master = web[0]!;
    expect(master.nsPid).toBe(1);
    expect(master.pid).toBeGreaterThan(4000);
    const shim = v.procs.find((p) => p.pid === master.ppid)!;
    expect(shim.kind).toBe("shim");
    expect(shim.nsPid).toBeNull();
    expect(shim.command).toMatch(/^containerd-shim-runc-v2 -id [0-9a-f]{12}$/);
    // The workers are the master's children, in both numberings.
    expect(web.slice(1).every((p) => p.ppid === master.pid && p.depth === master.depth + 1 && p.nsPid! > 1)).toBe(true);
  });

  it("web has its own pid, net, ipc, mnt, uts and cgroup namespaces, and the host's user namespace", () => {
    const v = view(createContainersDriver("1", {}));
    const web = v.containers.find((c) => c.name === "web")!;
    expect(web.namespaces.filter((n) => n.host).map((n) => n.kind)).toEqual(["user"]);
    for (const n of web.namespaces) {
      const h = v.hostNs.find((x) => x.kind === n.kind)!;
      expect(n.inode === h.inode).toBe(n.host);
    }
  });

  it("the captions follow docker top and ps inside", () => {
    const d = createContainersDriver("1", {});
    expect(type(d, step("top")).caption.step).toBe("top");
    expect(type(d, step("ps")).caption.step).toBe("ps");
  });

  it("a memory hog climbs to its --memory limit and is OOM-killed: exit 137, OOMKilled", () => {
    const d = createContainersDriver("1", {});
    type(d, step("top"));
    type(d, step("ps"));
    const v0 = type(d, step("hog"), 0.5);
    const hog0 = v0.containers.find((c) => c.name === "hog")!;
    expect(v0.caption.step).toBe("hog");
    expect(hog0).toMatchObject({ status: "running", limited: true, memoryLimit: 1024 ** 3, oomKilled: false });
    d.timeline.runUntil(d.sim.now + 500_000);
    const hog1 = view(d).containers.find((c) => c.name === "hog")!;
    expect(hog1.memory).toBeGreaterThan(hog0.memory);
    expect(hog1.memory).toBeLessThan(hog1.memoryLimit);
    d.timeline.runUntil(d.sim.now + 3_000_000);
    const v = view(d);
    expect(v.containers.find((c) => c.name === "hog")).toMatchObject({ status: "exited", exitCode: 137, oomKilled: true });
    expect(v.caption.step).toBe("oom");
    expect(v.procs.some((p) => p.container === "hog")).toBe(false);
  });

  it("--pid host: tools is in the host's PID namespace, its process numbered by host PID", () => {
    const d = createContainersDriver("1", {});
    for (const id of ["top", "ps", "hog", "oom"]) type(d, step(id), 4);
    const v = type(d, step("pidhost"));
    expect(v.caption.step).toBe("pid-host");
    const tools = v.containers.find((c) => c.name === "tools")!;
    expect(tools.namespaces.filter((n) => n.host).map((n) => n.kind)).toEqual(["pid", "user"]);
    const sleep = v.procs.find((p) => p.container === "tools")!;
    expect(sleep.nsPid).toBe(sleep.pid);
    expect(v.next).toBeNull();
  });

  it("the S key types the next step", () => {
    const d = createContainersDriver("1", {});
    expect(CONTAINER_KEYS[0]!.run(view(d), { now: d.sim.now, selected: null, ui: {} })).toMatchObject({ actions: [{ type: "exec", host: HOST, line: step("top") }] });
  });
});
