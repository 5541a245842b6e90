// The swarm's data path as pure functions over a hand-made view (overlay.ts): what the world
// builds from the leader's store (playground world/ingress.ts) is checked there; here each rule
// on its own, with the hops libnetwork would take (moby libnetwork service_linux.go, drivers/overlay).
import { describe, expect, it } from "vitest";
import { Host, engineWith } from "../containers/testing.test-util.js";
import { connect, lookupName, type NetWorld } from "./traffic.js";
import type { SwarmNetView } from "./overlay.js";

const run = (h: Host, name: string, image: string, cmd?: string[]) => {
  const c = h.do((d) => d.create({ image, name, ...(cmd ? { cmd } : {}) }));
  h.do((d) => d.start(c.id));
  return h.get(c.id);
};

/** Two nodes: node1 runs a client task and web.1, node2 runs web.2; web has VIP 10.0.1.2 and publishes 8080 → 80. */
function setup(mode: "vip" | "dnsrr" = "vip") {
  const n1 = new Host(engineWith("nginx", "alpine"));
  const n2 = new Host(engineWith("nginx", "alpine"));
  const client = run(n1, "client.1.aaa", "alpine", ["sleep", "1000"]);
  const web1 = run(n1, "web.1.bbb", "nginx");
  const web2 = run(n2, "web.2.ccc", "nginx");
  const picks = new Map<string, number>();
  const view: SwarmNetView = {
    networks: [
      { id: "ING", name: "ingress", subnet: "10.0.0.0/24", ingress: true, vni: 4096 },
      { id: "NET", name: "mynet", subnet: "10.0.1.0/24", ingress: false, vni: 4097 },
    ],
    services: [
      { id: "S1", name: "web", endpointMode: mode, fwmark: 256, vips: mode === "vip" ? [{ networkId: "ING", ip: "10.0.0.2" }, { networkId: "NET", ip: "10.0.1.2" }] : [],
        ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" }] },
      { id: "S2", name: "client", endpointMode: "vip", fwmark: 257, vips: [{ networkId: "NET", ip: "10.0.1.9" }], ports: [] },
    ],
    tasks: [
      { id: "T1", serviceId: "S1", name: "web.1", host: "node1", containerId: web1.id, addresses: [{ networkId: "ING", ip: "10.0.0.3" }, { networkId: "NET", ip: "10.0.1.3" }] },
      { id: "T2", serviceId: "S1", name: "web.2", host: "node2", containerId: web2.id, addresses: [{ networkId: "ING", ip: "10.0.0.4" }, { networkId: "NET", ip: "10.0.1.4" }] },
      { id: "T3", serviceId: "S2", name: "client.1", host: "node1", containerId: client.id, addresses: [{ networkId: "NET", ip: "10.0.1.10" }] },
    ],
    pick: (key, n) => {
      const at = picks.get(key) ?? 0;
      picks.set(key, at + 1);
      return at % n;
    },
  };
  const world: NetWorld = {
    hosts: [{ name: "node1", ip: "10.0.0.11", engine: n1.engine, fs: n1.fs }, { name: "node2", ip: "10.0.0.12", engine: n2.engine, fs: n2.fs }],
    swarm: view,
  };
  return { world, client, web1, web2, picks };
}

describe("the embedded DNS of a task's sandbox (libnetwork resolver.go)", () => {
  it("vip: the service name is its VIP on the shared network; tasks.<name> the tasks' addresses; never the ingress network's", () => {
    const { world, client } = setup();
    const src = { host: "node1", container: client.id };
    expect(lookupName(world, src, "web")).toMatchObject({ addresses: ["10.0.1.2"], server: "127.0.0.11" });
    expect(lookupName(world, src, "tasks.web").addresses).toEqual(["10.0.1.3", "10.0.1.4"]);
  });

  it("dnsrr: the service name is its tasks' addresses", () => {
    const { world, client } = setup("dnsrr");
    expect(lookupName(world, { host: "node1", container: client.id }, "web").addresses).toEqual(["10.0.1.3", "10.0.1.4"]);
  });

  it("a name the swarm does not know is forwarded by the embedded server (its answer names 127.0.0.11)", () => {
    const { world, client } = setup();
    expect(lookupName(world, { host: "node1", container: client.id }, "nosuch")).toMatchObject({ addresses: [], server: "127.0.0.11" });
  });
});

describe("IPVS and the overlay", () => {
  it("a VIP is balanced round robin; the remote task is reached over VXLAN (VNI of the network, UDP 4789)", () => {
    const { world, client, web1, web2 } = setup();
    const src = { host: "node1", container: client.id };
    const a = connect(world, src, "10.0.1.2", 80);
    const b = connect(world, src, "10.0.1.2", 80);
    expect([a.server?.container?.id, b.server?.container?.id]).toEqual([web1.id, web2.id]);
    expect(a.outcome).toBe("connected");
    expect(a.hops.some((h) => h.at.startsWith("vxlan0"))).toBe(false);
    expect(b.hops.find((h) => h.at.startsWith("vxlan0"))?.detail).toMatch(/^VXLAN VNI 4097: encapsulated in UDP 4789, 10\.0\.0\.11 → 10\.0\.0\.12/);
    expect(b.hops.find((h) => h.kind === "iptables")?.rule).toBe("-t mangle -A OUTPUT -d 10.0.1.2/32 -j MARK --set-xmark 0x100/0xffffffff");
    expect(b.to).toMatch(/@node2$/);
  });

  it("an encrypted overlay (--opt encrypted): the VXLAN hop between nodes is IPsec ESP in transport mode, marked 0xd0c4e3 (libnetwork drivers/overlay/encryption.go)", () => {
    const { world, client } = setup();
    const view = world.swarm!;
    const enc: NetWorld = { ...world, swarm: { ...view, networks: view.networks.map((n) => (n.id === "NET" ? { ...n, encrypted: true } : n)) } };
    const src = { host: "node1", container: client.id };
    connect(enc, src, "10.0.1.2", 80);
    const b = connect(enc, src, "10.0.1.2", 80);
    const esp = b.hops.find((h) => h.at.startsWith("xfrm"));
    expect(esp?.detail).toBe("IPsec ESP (rfc4106(gcm(aes)), transport mode) on the VXLAN packets of mynet, 10.0.0.11 → 10.0.0.12: the kernel's xfrm policy (mark 0xd0c4e3) encrypts them");
    // programMangle's rule (matchVXLAN: the VNI << 8 in the VXLAN header), as iptables -S prints it.
    expect(esp?.rule).toBe('-t mangle -A OUTPUT -p udp -m udp --dport 4789 -m u32 --u32 "0x0>>0x16&0x3c@0xc&0xffffff00=0x100100" -j MARK --set-xmark 0xd0c4e3/0xffffffff');
    // Unencrypted networks have no such hop.
    const plain = connect(world, src, "10.0.1.2", 80);
    expect(plain.hops.some((h) => h.at.startsWith("xfrm"))).toBe(false);
  });

  it("a ping to a VIP is answered by the sender's own sandbox (the VIP is a secondary address there; IPVS balances TCP/UDP only: moby/moby#33770, #24201)", () => {
    const { world, client, picks } = setup();
    const r = connect(world, { host: "node1", container: client.id }, "10.0.1.2", 0, "icmp");
    expect(r).toMatchObject({ outcome: "connected", to: r.from });
    expect(picks.size).toBe(0);
  });

  it("a port nothing listens on in the chosen task is refused there", () => {
    const { world, client } = setup();
    expect(connect(world, { host: "node1", container: client.id }, "10.0.1.2", 81).outcome).toBe("refused");
  });
});

describe("the routing mesh", () => {
  it("a published port on a node's address or loopback is DNATed to the ingress sandbox and balanced per node", () => {
    const { world, web1, web2, picks } = setup();
    const r = connect(world, { host: "node2", container: null }, "127.0.0.1", 8080);
    expect(r.outcome).toBe("connected");
    expect(r.hops.find((h) => h.at === "nat DOCKER-INGRESS")?.rule).toBe("-t nat -A DOCKER-INGRESS -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:8080");
    expect(r.server?.container?.id).toBe(web1.id);
    expect(connect(world, { host: "node2", container: null }, "127.0.0.1", 8080).server?.container?.id).toBe(web2.id);
    // From node1 to node2's address: node2's ingress sandbox picks.
    expect(connect(world, { host: "node1", container: null }, "10.0.0.12", 8080).server?.container?.id).toBe(web1.id);
    expect([...picks.keys()]).toEqual(["ingress/node2/tcp/8080"]);
  });

  it("a port no service publishes is refused by the node as before", () => {
    const { world } = setup();
    const r = connect(world, { host: "node2", container: null }, "127.0.0.1", 9090);
    expect(r).toMatchObject({ outcome: "refused" });
    expect(r.decidedBy.detail).toBe("nothing on the host listens on 9090/tcp: connection refused");
  });

  it("a published port of a service with no running task is refused (its rules leave with the last backend)", () => {
    const { world } = setup();
    const empty: NetWorld = { ...world, swarm: { ...world.swarm!, tasks: world.swarm!.tasks.filter((t) => t.serviceId !== "S1") } };
    const r = connect(empty, { host: "node2", container: null }, "127.0.0.1", 8080);
    expect(r.outcome).toBe("refused");
    expect(r.decidedBy.detail).toMatch(/^web has no running task/);
  });
});
