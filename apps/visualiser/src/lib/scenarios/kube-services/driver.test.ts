import { describe, expect, it } from "vitest";
import { createServicesDriver, SERVICES_KEYS } from "./driver.js";
import type { ServicesViewModel } from "./model.js";

// Issue 15, the services view. kube-proxy in iptables mode (pkg/proxy/iptables/proxier.go): a
// ClusterIP is DNATed to one of the ready endpoints by the statistic match; a NodePort opens on
// every node (KUBE-NODEPORTS), so a node running no pod still forwards to one; the EndpointSlice
// controller lists a pod as a ready endpoint only once its Ready condition is true. NetworkPolicy
// (networking.k8s.io/v1): a pod selected by a policy for ingress accepts only what a rule allows.

type D = ReturnType<typeof createServicesDriver>;
const view = (d: D): ServicesViewModel => d.view([], { selected: null });
const type = (d: D, l: { host: string; line: string }) => d.timeline.act({ type: "exec", host: l.host, line: l.line });
const settle = (d: D, us = 3_000_000) => d.timeline.runUntil(d.sim.now + us);
const web = (v: ServicesViewModel) => v.nodes.flatMap((n) => n.pods).filter((p) => p.role === "web");

describe("the kube-services driver", () => {
  it("opens on web's pods on the workers, the Service's addresses and its ready endpoints; the control plane runs none", () => {
    const v = view(createServicesDriver("1", {}));
    expect(v.service).toMatchObject({ name: "web", type: "NodePort", port: 80 });
    expect(v.service!.clusterIP).toMatch(/^10\.(9[6-9]|1[01]\d)\.\d+\.\d+$/);
    expect(v.service!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(web(v)).toHaveLength(2);
    expect(web(v).every((p) => p.ready && p.endpoint)).toBe(true);
    expect(v.service!.endpoints.map((e) => e.pod).sort()).toEqual(web(v).map((p) => p.name).sort());
    expect(v.nodes.find((n) => n.name === "control-plane")!.pods).toEqual([]);
    // No policy: every arrow allowed.
    expect(v.arrows.length).toBe(4);
    expect(v.arrows.every((a) => a.allowed)).toBe(true);
    expect(v.caption.step).toBe("ready");
  });

  it("a request to the ClusterIP reaches a web pod through kube-proxy's random choice; several reach both", () => {
    const d = createServicesDriver("1", {});
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      type(d, view(d).lines.clusterIP);
      settle(d, 500_000);
      const q = view(d).requests.at(-1)!;
      expect(q).toMatchObject({ from: "client", via: "clusterip", outcome: "connected" });
      expect(q.draw).toMatch(/^draws 0\.\d+ of 2 endpoints$/);
      expect(web(view(d)).map((p) => p.name)).toContain(q.pod);
      seen.add(q.pod!);
    }
    expect(seen.size).toBe(2);
    expect(view(d).caption.step).toBe("clusterip");
    expect(view(d).requests).toHaveLength(4);
  });

  it("a request's mark is when its line is done, so the next click finds the shell free", () => {
    const d = createServicesDriver("1", {});
    type(d, view(d).lines.clusterIP);
    settle(d, 500_000);
    const [m] = d.notable(d.sim.trace, 0);
    const q = view(d).requests.at(-1)!;
    expect(m!.t).toBe(q.doneT);
    expect(q.doneT!).toBeGreaterThan(q.t);
    d.timeline.seek(m!.t);
    expect(() => type(d, view(d).lines.nodePort)).not.toThrow();
  });

  it("a NodePort on the control plane, which runs no web pod, forwards to a pod on a worker", () => {
    const d = createServicesDriver("1", {});
    type(d, view(d).lines.nodePort);
    settle(d, 500_000);
    const q = view(d).requests.at(-1)!;
    expect(q).toMatchObject({ from: "node-2", via: "nodeport", entry: "control-plane", outcome: "connected" });
    expect(["node-1", "node-2"]).toContain(q.node);
    expect(view(d).caption.step).toBe("nodeport");
  });

  it("a new pod is in the EndpointSlice only once it is ready", () => {
    const d = createServicesDriver("1", {});
    type(d, view(d).lines.scale);
    let sawNotReady = false;
    for (let i = 0; i < 20; i++) {
      settle(d, 200_000);
      const v = view(d);
      for (const p of web(v)) {
        expect(p.endpoint).toBe(p.ready);
        if (!p.ready) sawNotReady = true;
      }
      if (!sawNotReady) continue;
      if (v.caption.step === "not-ready") expect(v.caption.title).toMatch(/not ready yet$/);
    }
    expect(sawNotReady).toBe(true);
    const marks = d.notable(d.sim.trace, 0).map((m) => m.label);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatch(/^web-[a-z0-9]+-[a-z0-9]+ ready: in the EndpointSlice$/);
    expect(web(view(d))).toHaveLength(3);
    expect(view(d).service!.endpoints.filter((e) => e.ready)).toHaveLength(3);
  });

  it("the NetworkPolicy turns other's arrows red and drops its request; client's still gets in", () => {
    const d = createServicesDriver("1", {});
    type(d, view(d).lines.policy);
    settle(d, 1_000_000);
    let v = view(d);
    expect(v.policies).toEqual(["web-allow-client"]);
    expect(v.caption.step).toBe("policy");
    expect(v.arrows.filter((a) => a.from === "client").every((a) => a.allowed && a.why === "allowed by NetworkPolicy web-allow-client")).toBe(true);
    expect(v.arrows.filter((a) => a.from === "other").every((a) => !a.allowed)).toBe(true);
    type(d, v.lines.denied);
    settle(d, 3_000_000);
    v = view(d);
    const q = v.requests.at(-1)!;
    expect(q).toMatchObject({ from: "other", pod: null });
    expect(q.outcome).not.toBe("connected");
    expect(q.dropped).toContain("is isolated for ingress and no policy allows");
    expect(web(v).map((p) => p.name)).toContain(q.droppedAt);
    expect(v.caption.step).toBe("dropped");
    type(d, v.lines.clusterIP);
    settle(d, 500_000);
    expect(view(d).requests.at(-1)).toMatchObject({ from: "client", outcome: "connected" });
    expect(view(d).caption.step).toBe("allowed");
    const marks = d.notable(d.sim.trace, 0).map((m) => m.label);
    expect(marks).toEqual(["other's request dropped", expect.stringMatching(/^client → ClusterIP → web-/)]);
  });

  it("the keys type the buttons' lines; the policy key refuses a second policy", () => {
    const d = createServicesDriver("1", {});
    const input = { now: 0, selected: null, ui: {} };
    const p = SERVICES_KEYS.find((k) => k.key === "p")!;
    expect(p.run(view(d), input)).toMatchObject({ actions: [{ type: "exec", line: "kubectl apply -f /root/web-allow-client.yaml" }] });
    type(d, view(d).lines.policy);
    settle(d, 500_000);
    expect(p.run(view(d), input)).toEqual({ refused: "the NetworkPolicy is in place already" });
  });
});
