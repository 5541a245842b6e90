import { describe, expect, it } from "vitest";
import { isDrydockError } from "@drydock/kernel";
import {
  connectContainer, createNetwork, defaultNetworkTable, disconnectContainer, endpointsOf, filterNetworks, findNetwork, firewallRules,
  formatIp4, formatIptablesList, formatIptablesS, formatIptablesSave, inspectNetwork, macFromIp, parseIp4, parsePortSpec, portBindingsOf,
  pruneNetworks, publishPorts, reachable, releaseSandbox, removeNetwork, resolveName, type NetworkTable,
} from "./index.js";

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isDrydockError(e)) return e.message;
    throw e;
  }
  return "no error";
};

const cid = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

function create(t: NetworkTable, name: string, extra: Partial<Parameters<typeof createNetwork>[1]> = {}) {
  return createNetwork(t, { name, created: 0, ...extra }).table;
}

function run(t: NetworkTable, n: number, network: string, opts: { aliases?: string[]; ip?: string; publish?: string } = {}): NetworkTable {
  let table = connectContainer(t, {
    containerId: cid(n), containerName: `c${n}`, network, ...(opts.aliases ? { aliases: opts.aliases } : {}), ...(opts.ip ? { ipv4Address: opts.ip } : {}),
  }).table;
  if (opts.publish) table = publishPorts(table, cid(n), { ...portBindingsOf(parsePortSpec(opts.publish)), publishAll: false }).table;
  return table;
}

const ipOf = (t: NetworkTable, n: number, network: string) => {
  const net = findNetwork(t, network);
  const e = endpointsOf(t, cid(n)).find((x) => x.networkId === net.id)!;
  return formatIp4(e.ip!);
};

describe("the networks every engine has (docker network ls on a fresh host)", () => {
  it("bridge is docker0 on 172.17.0.0/16 with gateway 172.17.0.1; host and none have no addresses", () => {
    const t = defaultNetworkTable(0, "node1");
    const bridge = findNetwork(t, "bridge");
    expect(bridge).toMatchObject({ driver: "bridge", bridge: "docker0", scope: "local" });
    expect(inspectNetwork(t, bridge)).toMatchObject({
      Name: "bridge", Scope: "local", Driver: "bridge", EnableIPv4: true, EnableIPv6: false,
      IPAM: { Driver: "default", Options: null, Config: [{ Subnet: "172.17.0.0/16", Gateway: "172.17.0.1" }] },
      Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: "" }, ConfigOnly: false, Containers: {},
      Options: { "com.docker.network.bridge.name": "docker0", "com.docker.network.bridge.default_bridge": "true" }, Labels: {},
    });
    expect(findNetwork(t, "host").driver).toBe("host");
    expect(findNetwork(t, "none").driver).toBe("null");
    expect(inspectNetwork(t, findNetwork(t, "host")).IPAM).toEqual({ Driver: "default", Options: null, Config: null });
    expect(bridge.id).toMatch(/^[0-9a-f]{64}$/);
    expect(defaultNetworkTable(0, "node2").networks.keys().next().value).not.toBe(bridge.id);
  });

  it("moby FindNetwork: full ID, name, then a unique ID prefix; otherwise not found", () => {
    const t = defaultNetworkTable();
    const b = findNetwork(t, "bridge");
    expect(findNetwork(t, b.id).name).toBe("bridge");
    expect(findNetwork(t, b.id.slice(0, 5)).name).toBe("bridge");
    expect(errorOf(() => findNetwork(t, "nope"))).toBe("network nope not found");
  });
});

describe("docker network create: subnets from Docker's default address pools (moby ipamutils)", () => {
  it("user-defined bridges take 172.18.0.0/16 … 172.31.0.0/16, then 192.168.0.0/20 in /20 steps, then fail", () => {
    let t = defaultNetworkTable();
    const subnets: string[] = [];
    for (let i = 0; i < 30; i++) {
      t = create(t, `n${i}`);
      subnets.push((inspectNetwork(t, findNetwork(t, `n${i}`)).IPAM as { Config: { Subnet: string }[] }).Config[0]!.Subnet);
    }
    expect(subnets.slice(0, 3)).toEqual(["172.18.0.0/16", "172.19.0.0/16", "172.20.0.0/16"]);
    expect(subnets[13]).toBe("172.31.0.0/16");
    expect(subnets.slice(14, 17)).toEqual(["192.168.0.0/20", "192.168.16.0/20", "192.168.32.0/20"]);
    expect(subnets[29]).toBe("192.168.240.0/20");
    expect(errorOf(() => create(t, "one-too-many"))).toBe("all predefined address pools have been fully subnetted");
    // A removed network's pool is the first free one again.
    t = removeNetwork(t, "n1");
    t = create(t, "again");
    expect(findNetwork(t, "again").gateway).toBe(parseIp4("172.19.0.1"));
  });

  it("a bridge gets br-<12 hex of its ID> and gateway .1; inspect shows the allocated subnet and gateway", () => {
    const t = create(defaultNetworkTable(), "mynet");
    const n = findNetwork(t, "mynet");
    expect(n.bridge).toBe(`br-${n.id.slice(0, 12)}`);
    expect(inspectNetwork(t, n).IPAM).toEqual({ Driver: "default", Options: {}, Config: [{ Subnet: "172.18.0.0/16", Gateway: "172.18.0.1" }] });
  });

  it("--subnet/--gateway/--ip-range as given; without --gateway inspect shows only the subnet (buildIPAMResources)", () => {
    let t = create(defaultNetworkTable(), "a", { subnets: ["10.10.0.0/24"] });
    expect(inspectNetwork(t, findNetwork(t, "a")).IPAM).toMatchObject({ Config: [{ Subnet: "10.10.0.0/24" }] });
    expect(findNetwork(t, "a").gateway).toBe(parseIp4("10.10.0.1"));
    t = create(t, "b", { subnets: ["10.20.0.0/16"], gateways: ["10.20.0.254"], ipRanges: ["10.20.5.0/24"] });
    expect(inspectNetwork(t, findNetwork(t, "b")).IPAM).toMatchObject({ Config: [{ Subnet: "10.20.0.0/16", IPRange: "10.20.5.0/24", Gateway: "10.20.0.254" }] });
    t = run(t, 1, "b");
    // moby reserves only the subnet's network and broadcast addresses: the range's first address is usable.
    expect(ipOf(t, 1, "b")).toBe("10.20.5.0");
  });

  it("moby's errors: a name in use, a predefined name, overlaps, bad IPAM, drivers", () => {
    const t = create(defaultNetworkTable(), "mynet");
    expect(errorOf(() => create(t, "mynet"))).toBe("network with name mynet already exists");
    expect(errorOf(() => create(t, "bridge"))).toBe("operation is not permitted on predefined bridge network ");
    expect(errorOf(() => create(t, "x", { subnets: ["172.18.5.0/24"] }))).toBe("invalid pool request: Pool overlaps with other one on this address space");
    expect(errorOf(() => create(t, "x", { subnets: ["10.0.0.1/24"] }))).toBe("invalid network config:\ninvalid subnet 10.0.0.1/24: it should be 10.0.0.0/24");
    expect(errorOf(() => create(t, "x", { subnets: ["foo"] }))).toBe("invalid network config:\ninvalid subnet foo: invalid CIDR block notation");
    expect(errorOf(() => create(t, "x", { subnets: ["10.0.0.0/24"], gateways: ["10.0.1.1"] })))
      .toBe("invalid network config:\ninvalid gateway 10.0.1.1: parent subnet 10.0.0.0/24 doesn't contain this address");
    expect(errorOf(() => create(t, "x", { subnets: ["10.0.0.1/24"], gateways: ["nope"] })))
      .toBe("invalid network config:\n* invalid subnet 10.0.0.1/24: it should be 10.0.0.0/24\n* invalid gateway nope: invalid address");
    expect(errorOf(() => create(t, "x", { driver: "foo" }))).toBe('plugin "foo" not found');
    expect(errorOf(() => create(t, "x", { driver: "overlay" }))).toMatch(/^This node is not a swarm manager/);
  });
});

describe("IPAM: addresses for endpoints, released when a container stops", () => {
  it("containers on the default bridge get 172.17.0.2, .3 …, with a MAC derived from the address", () => {
    let t = run(defaultNetworkTable(), 1, "bridge");
    t = run(t, 2, "default");
    expect(ipOf(t, 1, "bridge")).toBe("172.17.0.2");
    expect(ipOf(t, 2, "bridge")).toBe("172.17.0.3");
    expect(endpointsOf(t, cid(1))[0]).toMatchObject({ mac: "02:42:ac:11:00:02", ifName: "eth0" });
    expect(macFromIp(parseIp4("172.17.0.3")!)).toBe("02:42:ac:11:00:03");
    // The first free address again after a container stops.
    t = releaseSandbox(t, cid(1));
    t = run(t, 3, "bridge");
    expect(ipOf(t, 3, "bridge")).toBe("172.17.0.2");
  });

  it("exhaustion names the network; --ip takes an address, refused when taken or outside", () => {
    let t = create(defaultNetworkTable(), "tiny", { subnets: ["10.9.0.0/30"] });
    t = run(t, 1, "tiny");
    const n = findNetwork(t, "tiny");
    expect(errorOf(() => run(t, 2, "tiny"))).toBe(`no available IPv4 addresses on this network's address pools: tiny (${n.id})`);
    let u = create(defaultNetworkTable(), "u", { subnets: ["10.8.0.0/24"] });
    u = run(u, 1, "u", { ip: "10.8.0.50" });
    expect(ipOf(u, 1, "u")).toBe("10.8.0.50");
    expect(errorOf(() => run(u, 2, "u", { ip: "10.8.0.50" }))).toBe("Address already in use");
    expect(errorOf(() => run(u, 2, "u", { ip: "10.7.0.5" }))).toBe("invalid address 10.7.0.5: It does not belong to any of this network's subnets");
    expect(errorOf(() => run(defaultNetworkTable(), 2, "bridge", { ip: "172.17.0.9" }))).toBe("user specified IP address is supported on user defined networks only");
    expect(errorOf(() => run(create(defaultNetworkTable(), "auto"), 2, "auto", { ip: "172.18.0.9" })))
      .toBe("user specified IP address is supported only when connecting to networks with user configured subnets");
  });

  it("connect twice, aliases on the default bridge, none with another network: moby's errors", () => {
    let t = create(defaultNetworkTable(), "app");
    t = run(t, 1, "app");
    expect(errorOf(() => run(t, 1, "app"))).toBe("endpoint with name c1 already exists in network app");
    expect(errorOf(() => run(t, 2, "bridge", { aliases: ["db"] }))).toBe("network-scoped alias is supported only for containers in user defined networks");
    expect(errorOf(() => run(run(t, 3, "none"), 3, "app"))).toBe("container cannot be connected to multiple networks with one of the networks in private (none) mode");
    t = run(t, 1, "bridge");
    expect(endpointsOf(t, cid(1)).map((e) => e.ifName)).toEqual(["eth0", "eth1"]);
    t = disconnectContainer(t, cid(1), "app");
    expect(endpointsOf(t, cid(1)).map((e) => e.ifName)).toEqual(["eth1"]);
  });
});

describe("docker network rm and prune", () => {
  it("refuses the predefined networks and a network with active endpoints", () => {
    let t = create(defaultNetworkTable(), "app");
    t = run(t, 1, "app");
    expect(errorOf(() => removeNetwork(t, "bridge"))).toBe("bridge is a pre-defined network and cannot be removed");
    const ep = endpointsOf(t, cid(1))[0]!;
    expect(errorOf(() => removeNetwork(t, "app"))).toBe(`error while removing network: network app has active endpoints (name:"c1" id:"${ep.id.slice(0, 12)}")`);
    t = releaseSandbox(t, cid(1));
    expect(() => removeNetwork(t, "app")).not.toThrow();
    expect(errorOf(() => removeNetwork(t, "gone"))).toBe("network gone not found");
  });

  it("prune removes the user-defined networks nothing uses", () => {
    let t = create(create(defaultNetworkTable(), "a"), "b");
    t = run(t, 1, "a");
    const r = pruneNetworks(t);
    expect(r.removed).toEqual(["b"]);
    expect([...r.table.networks.values()].map((n) => n.name)).toEqual(["bridge", "host", "none", "a"]);
  });

  it("ls filters: driver, name, type, dangling; an unknown filter is moby's error", () => {
    let t = create(defaultNetworkTable(), "front", { labels: { tier: "web" } });
    t = create(t, "back");
    t = run(t, 1, "back");
    const names = (f: string[]) => filterNetworks(t, f).map((n) => n.name);
    expect(names([])).toEqual(["back", "bridge", "front", "host", "none"]);
    expect(names(["driver=bridge"])).toEqual(["back", "bridge", "front"]);
    expect(names(["type=custom"])).toEqual(["back", "front"]);
    expect(names(["dangling=true"])).toEqual(["front"]);
    expect(names(["label=tier=web"])).toEqual(["front"]);
    expect(names(["name=ba"])).toEqual(["back"]);
    expect(errorOf(() => names(["colour=red"]))).toBe("invalid filter 'colour'");
  });
});

describe("name resolution: the embedded DNS server on user-defined networks only", () => {
  it("the default bridge has no name resolution", () => {
    let t = run(run(defaultNetworkTable(), 1, "bridge"), 2, "bridge");
    expect(resolveName(t, cid(1), "c2")).toMatchObject({ addresses: [], server: "host" });
    t = releaseSandbox(t, cid(1));
  });

  it("a user-defined network resolves names, aliases and short IDs of the containers on it, and only those", () => {
    let t = create(create(defaultNetworkTable(), "app"), "other");
    t = run(t, 1, "app");
    t = run(t, 2, "app", { aliases: ["db"] });
    t = run(t, 3, "other");
    expect(resolveName(t, cid(1), "c2")).toMatchObject({ addresses: ["172.18.0.3"], server: "127.0.0.11", network: "app" });
    expect(resolveName(t, cid(1), "DB").addresses).toEqual(["172.18.0.3"]);
    expect(resolveName(t, cid(1), cid(2).slice(0, 12)).addresses).toEqual(["172.18.0.3"]);
    expect(resolveName(t, cid(1), "c3").addresses).toEqual([]);
  });

  it("one alias on several containers answers all their addresses (DNS round robin)", () => {
    let t = create(defaultNetworkTable(), "app");
    for (const n of [1, 2, 3]) t = run(t, n, "app", { aliases: ["worker"] });
    t = run(t, 4, "app");
    expect(resolveName(t, cid(4), "worker").addresses).toEqual(["172.18.0.2", "172.18.0.3", "172.18.0.4"]);
  });
});

describe("Docker 28's iptables rules (moby iptabler golden files)", () => {
  it("a published port on a user-defined bridge: the rules of TestIptabler hairpin=false,icc=true,masq=true,gwm=nat", () => {
    let t = create(defaultNetworkTable(), "app", { subnets: ["192.168.0.0/24"] });
    t = run(t, 1, "app", { publish: "8080:80" });
    const save = formatIptablesSave(firewallRules(t));
    const br = findNetwork(t, "app").bridge;
    for (const line of [
      `-A PREROUTING -d 192.168.0.2/32 ! -i ${br} -j DROP`,
      "-A FORWARD -j DOCKER-USER",
      "-A FORWARD -j DOCKER-FORWARD",
      `-A DOCKER -d 192.168.0.2/32 ! -i ${br} -o ${br} -p tcp -m tcp --dport 80 -j ACCEPT`,
      `-A DOCKER ! -i ${br} -o ${br} -j DROP`,
      `-A DOCKER-BRIDGE -o ${br} -j DOCKER`,
      `-A DOCKER-CT -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      "-A DOCKER-FORWARD -j DOCKER-CT",
      "-A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1",
      "-A DOCKER-FORWARD -j DOCKER-BRIDGE",
      `-A DOCKER-FORWARD -i ${br} -j ACCEPT`,
      `-A DOCKER-ISOLATION-STAGE-1 -i ${br} ! -o ${br} -j DOCKER-ISOLATION-STAGE-2`,
      `-A DOCKER-ISOLATION-STAGE-2 -o ${br} -j DROP`,
      "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
      "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
      `-A POSTROUTING -s 192.168.0.0/24 ! -o ${br} -j MASQUERADE`,
      `-A DOCKER -i ${br} -j RETURN`,
      `-A DOCKER ! -i ${br} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.0.2:80`,
    ]) expect(save).toContain(line + "\n");
    expect(save).toContain(":FORWARD DROP [0:0]\n");
  });

  it("an internal network drops what leaves or enters its subnet, and has no MASQUERADE", () => {
    const t = create(defaultNetworkTable(), "secret", { subnets: ["192.168.0.0/24"], internal: true });
    const br = findNetwork(t, "secret").bridge;
    const s = formatIptablesS(firewallRules(t));
    expect(s).toContain(`-A DOCKER-ISOLATION-STAGE-1 ! -s 192.168.0.0/24 -o ${br} -j DROP\n-A DOCKER-ISOLATION-STAGE-1 ! -d 192.168.0.0/24 -i ${br} -j DROP\n`);
    expect(s).toContain(`-A DOCKER-FORWARD -i ${br} -o ${br} -j ACCEPT\n`);
    expect(formatIptablesS(firewallRules(t), "nat")).not.toContain(br);
  });

  it("iptables -L prints iptables' columns", () => {
    const t = run(defaultNetworkTable(), 1, "bridge", { publish: "8080:80" });
    const out = formatIptablesList(firewallRules(t), { chain: "DOCKER" });
    expect(out).toBe(
      "Chain DOCKER (1 references)\n" +
      "target     prot opt source               destination         \n" +
      "ACCEPT     tcp  --  anywhere             172.17.0.2           tcp dpt:http\n" +
      "DROP       all  --  anywhere             anywhere            \n",
    );
    expect(formatIptablesList(firewallRules(t), { chain: "FORWARD", numeric: true, verbose: true })).toBe(
      "Chain FORWARD (policy DROP 0 packets, 0 bytes)\n" +
      " pkts bytes target     prot opt in     out     source               destination         \n" +
      "    0     0 DOCKER-USER  all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n" +
      "    0     0 DOCKER-FORWARD  all  --  *      *       0.0.0.0/0            0.0.0.0/0           \n",
    );
  });
});

describe("reachable: which hop decides", () => {
  const all = { listening: () => true };

  it("two containers on one user-defined bridge connect; the bridge's DOCKER-FORWARD rule accepts", () => {
    let t = create(defaultNetworkTable(), "app");
    t = run(run(t, 1, "app"), 2, "app");
    const r = reachable(t, { kind: "container", id: cid(1) }, ipOf(t, 2, "app"), 80, all);
    expect(r.outcome).toBe("connected");
    expect(r.hops.find((h) => h.kind === "iptables")?.rule).toBe(`-A DOCKER-FORWARD -i ${findNetwork(t, "app").bridge} -j ACCEPT`);
  });

  it("nothing listening is a refusal at the process hop", () => {
    let t = create(defaultNetworkTable(), "app");
    t = run(run(t, 1, "app"), 2, "app");
    const r = reachable(t, { kind: "container", id: cid(1) }, ipOf(t, 2, "app"), 80);
    expect(r.outcome).toBe("refused");
    expect(r.decidedBy.kind).toBe("process");
  });

  it("containers on different bridges: dropped (Docker 28 drops direct access in raw PREROUTING), until one joins the other's network", () => {
    let t = create(create(defaultNetworkTable(), "a"), "b");
    t = run(run(t, 1, "a"), 2, "b");
    const r = reachable(t, { kind: "container", id: cid(1) }, ipOf(t, 2, "b"), 80, all);
    expect(r.outcome).toBe("timeout");
    expect(r.decidedBy.rule).toBe(`-t raw -A PREROUTING -d ${ipOf(t, 2, "b")}/32 ! -i ${findNetwork(t, "b").bridge} -j DROP`);
    t = run(t, 1, "b");
    expect(reachable(t, { kind: "container", id: cid(1) }, ipOf(t, 2, "b"), 80, all).outcome).toBe("connected");
  });

  it("a published port is reached from outside (DNAT, then DOCKER's ACCEPT), its container's address directly is not", () => {
    const t = run(defaultNetworkTable(), 1, "bridge", { publish: "8080:80" });
    const r = reachable(t, { kind: "external" }, "10.0.0.2", 8080, all);
    expect(r.outcome).toBe("connected");
    expect(r.hops.map((h) => h.rule).filter(Boolean)).toEqual([
      "-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
      "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
    ]);
    expect(reachable(t, { kind: "external" }, "10.0.0.2", 8081, all).outcome).toBe("refused");
    expect(reachable(t, { kind: "external" }, "172.17.0.2", 80, all).decidedBy.rule).toBe("-t raw -A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP");
  });

  it("another container reaches a published port through the host (docker-proxy), across networks", () => {
    let t = create(defaultNetworkTable(), "other");
    t = run(t, 1, "bridge", { publish: "8080:80" });
    t = run(t, 2, "other");
    const r = reachable(t, { kind: "container", id: cid(2) }, "10.0.0.2", 8080, all);
    expect(r.outcome).toBe("connected");
    expect(r.hops.some((h) => h.kind === "proxy")).toBe(true);
    expect(reachable(t, { kind: "host" }, "127.0.0.1", 8080, all).outcome).toBe("connected");
    expect(reachable(t, { kind: "host" }, ipOf(t, 1, "bridge"), 80, all).outcome).toBe("connected");
  });

  it("--internal has no way out; --network none has no route at all", () => {
    let t = create(defaultNetworkTable(), "secret", { internal: true });
    t = run(t, 1, "secret");
    expect(reachable(t, { kind: "container", id: cid(1) }, "8.8.8.8", 53, all).outcome).toBe("unreachable");
    t = run(t, 2, "none");
    expect(reachable(t, { kind: "container", id: cid(2) }, "172.17.0.2", 80, all).decidedBy.detail).toMatch(/Network is unreachable/);
    const u = run(defaultNetworkTable(), 3, "bridge");
    const out = reachable(u, { kind: "container", id: cid(3) }, "8.8.8.8", 53, all);
    expect(out.outcome).toBe("connected");
    expect(out.hops.some((h) => h.rule === "-t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE")).toBe(true);
  });
});
