import { describe, expect, it } from "vitest";
import { BRIDGE_KEYS, HOST, bridgeSteps, createBridgeDriver } from "./driver.js";
import type { BridgeViewModel } from "./model.js";

// Issue 14, single-host networks. Docker's bridge driver: each container gets a veth pair, one
// end in its namespace (eth0), the other on its network's Linux bridge (docs "Bridge network
// driver"); containers on a user-defined network resolve each other by name through the embedded
// DNS server at 127.0.0.11 ("Networking overview: DNS services"); two user-defined bridges are
// isolated (moby libnetwork's isolation rules; since 28.0 a raw PREROUTING DROP of direct access
// to a container's address from outside its bridge, "Packet filtering and firewalls"); a published
// port is served on the host by docker-proxy (userland-proxy).

type D = ReturnType<typeof createBridgeDriver>;
const view = (d: D): BridgeViewModel => d.view([], { selected: null });
function type(d: D, line: string, seconds = 4): BridgeViewModel {
  d.timeline.act({ type: "exec", host: HOST, line });
  d.timeline.runUntil(d.sim.now + seconds * 1_000_000);
  return view(d);
}
const steps = bridgeSteps("1");
const step = (id: string) => steps.find((s) => s.id === id)!.line;

describe("the bridge driver", () => {
  it("draws the two user bridges with their containers' veth pairs and the published port", () => {
    const v = view(createBridgeDriver("1", {}));
    expect(v.caption.step).toBe("start");
    expect(v.networks.map((n) => [n.name, n.attachments.map((a) => a.container)])).toEqual([["front", ["web", "client"]], ["back", ["db"]]]);
    const front = v.networks[0]!;
    expect(front.bridge).toMatch(/^br-[0-9a-f]{12}$/);
    expect(front.embeddedDns).toBe(true);
    const web = front.attachments.find((a) => a.container === "web")!;
    expect(web.veth).toMatch(/^veth[0-9a-f]{7}$/);
    expect(web.ifName).toBe("eth0");
    expect(web.ports).toEqual(["8080→80/tcp"]);
  });

  it("client reaches web by name: embedded DNS, veth, bridge, FORWARD, the process", () => {
    const d = createBridgeDriver("1", {});
    const v = type(d, step("web"));
    expect(v.caption.step).toBe("connected");
    expect(v.request).toMatchObject({ tool: "wget", outcome: "connected", ok: true, dns: "embedded DNS: web on network front" });
    expect(v.request!.hops.map((h) => h.kind)).toEqual(["route", "veth", "bridge", "iptables", "veth", "process"]);
  });

  it("a port nobody listens on is refused at web", () => {
    const d = createBridgeDriver("1", {});
    const v = type(d, step("refused"));
    expect(v.caption.step).toBe("refused");
    expect(v.request).toMatchObject({ outcome: "refused", ok: false });
    expect(v.request!.hops.at(-1)).toMatchObject({ kind: "process", last: true });
  });

  it("a ping from front to db on back is dropped by the isolation rule", () => {
    const d = createBridgeDriver("1", {});
    const v = type(d, step("isolated"));
    expect(v.caption.step).toBe("isolated");
    expect(v.request).toMatchObject({ tool: "ping", outcome: "timeout", ok: false });
    expect(v.request!.rule).toMatch(/^-t raw -A PREROUTING -d 172\.\d+\.0\.2\/32 ! -i br-[0-9a-f]{12} -j DROP$/);
    expect(v.request!.hops.at(-1)!.text).toContain("raw PREROUTING");
  });

  it("the host reaches web through the published port's docker-proxy", () => {
    const d = createBridgeDriver("1", {});
    const v = type(d, step("published"));
    expect(v.caption.step).toBe("published");
    expect(v.request!.hops.map((h) => h.kind)).toEqual(["loopback", "proxy", "bridge", "veth", "process"]);
  });

  it("the S key types the steps in order", () => {
    const d = createBridgeDriver("1", {});
    expect(BRIDGE_KEYS[0]!.run(view(d), { now: 0, selected: null, ui: {} })).toMatchObject({ actions: [{ line: step("web") }] });
  });
});
