import { describe, expect, it } from "vitest";
import { CLIENT, createMeshDriver, requestLine, streamLine } from "./driver.js";
import type { RoutingViewModel } from "./model.js";

// Issue 14, the routing mesh. Docker's docs ("Use swarm mode routing mesh"): every node listens on
// a published port and routes a request to an active task, on it or on another node, through the
// ingress network; IPVS balances over the service's tasks round robin (libnetwork
// service_linux.go, the fwmark and IPVS rr scheduler). With --endpoint-mode dnsrr and
// --publish mode=host, a node answers on the port only if it runs a task (docs: "Bypass the
// routing mesh").

type D = ReturnType<typeof createMeshDriver>;
const view = (d: D): RoutingViewModel => d.view([], { selected: null });
const hostsWithTasks = (v: RoutingViewModel) => v.nodes.filter((n) => n.tasks.some((t) => t.state === "running")).map((n) => n.host);

function send(d: D, line: string, seconds: number): RoutingViewModel {
  d.timeline.act({ type: "exec", host: CLIENT, line });
  d.timeline.runUntil(d.sim.now + seconds * 1_000_000);
  return view(d);
}

describe("the routing-mesh driver", () => {
  it("a request to a node with no task reaches a task on another node through ingress, IPVS and the overlay", () => {
    const d = createMeshDriver("1", { mode: "vip" });
    const v0 = view(d);
    expect(v0.caption.step).toBe("mesh-ready");
    const idle = v0.nodes.find((n) => !hostsWithTasks(v0).includes(n.host))!.host;
    const v = send(d, requestLine(idle), 1);
    expect(v.requests).toHaveLength(1);
    const q = v.requests[0]!;
    expect(q.entry).toBe(idle);
    expect(q.outcome).toBe("connected");
    expect(q.ipvs).toBe(true);
    expect(q.overlay).toBe(true);
    expect(q.taskHost).not.toBe(idle);
    expect(hostsWithTasks(v)).toContain(q.taskHost);
    expect(q.hops.some((h) => h.startsWith("DOCKER-INGRESS"))).toBe(true);
    expect(q.hops.some((h) => h.startsWith("IPVS"))).toBe(true);
    expect(q.hops.some((h) => h.startsWith("VXLAN 4096"))).toBe(true);
    expect(v.caption.step).toBe("overlay");
  });

  it("a stream of requests to one node spreads round robin over the three tasks", () => {
    const d = createMeshDriver("1", { mode: "vip" });
    const v = send(d, streamLine("worker4"), 8);
    expect(Object.values(v.served).reduce((a, b) => a + b, 0)).toBe(6);
    expect(Object.keys(v.served).sort()).toEqual(["web.1", "web.2", "web.3"]);
    expect(Object.values(v.served)).toEqual([2, 2, 2]);
    expect(v.requests.map((q) => q.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("DNSRR with host-mode ports: a node without a task refuses, a node with one answers with its own task", () => {
    const d = createMeshDriver("1", { mode: "dnsrr" });
    const v0 = view(d);
    expect(v0.caption.step).toBe("host-ready");
    const busy = hostsWithTasks(v0)[0]!;
    const idle = v0.nodes.find((n) => !hostsWithTasks(v0).includes(n.host))!.host;
    const v1 = send(d, requestLine(idle), 2);
    expect(v1.requests[0]).toMatchObject({ entry: idle, task: null, outcome: "refused", ipvs: false });
    expect(v1.caption.step).toBe("refused");
    const v2 = send(d, requestLine(busy), 2);
    expect(v2.requests[1]).toMatchObject({ entry: busy, taskHost: busy, ipvs: false, overlay: false });
    expect(v2.caption.step).toBe("host");
  });
});
