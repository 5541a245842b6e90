import { describe, expect, it } from "vitest";
import { Host, engineWith } from "../containers/testing.test-util.js";
import { inspectContainer } from "../containers/inspect.js";
import { viewOf } from "../containers/mounts.js";
import { readFile } from "../fs/index.js";
import { withManagedFiles } from "../containers/etc-files.js";
import { serveHttp, NGINX_WELCOME } from "./http.js";
import { connect, endpointAddress, kernelEndpoints, lookupName, type NetWorld } from "./traffic.js";
import { createNetwork } from "./table.js";
import { endpointsOf } from "./endpoints.js";

const IMAGES = ["nginx", "alpine", "httpd"];

function host(): Host {
  return new Host(engineWith(...IMAGES));
}

function network(h: Host, name: string, subnet?: string): void {
  h.engine = { ...h.engine, networks: createNetwork(h.engine.networks, { name, created: 0, ...(subnet ? { subnets: [subnet] } : {}) }).table };
}

function world(...hosts: Host[]): NetWorld {
  return { hosts: hosts.map((h, i) => ({ name: `node${i + 1}`, ip: `10.0.0.${11 + i}`, engine: h.engine, fs: h.fs })) };
}

const run = (h: Host, name: string, image: string, extra: Record<string, unknown> = {}, cmd?: string[]) => {
  const c = h.do((d) => d.create({ image, name, ...(cmd ? { cmd } : {}), ...extra }));
  h.do((d) => d.start(c.id));
  return h.get(c.id);
};

describe("names: the embedded DNS on user-defined networks, the host's resolvers on the default bridge", () => {
  it("a container on a user-defined network resolves its peers by name and alias; on the default bridge it does not", () => {
    const h = host();
    network(h, "skynet");
    run(h, "web", "nginx", { networkMode: "skynet", networkAliases: ["www"] });
    const c = run(h, "client", "alpine", { networkMode: "skynet" }, ["sleep", "1000"]);
    const solo = run(h, "solo", "alpine", {}, ["sleep", "1000"]);
    const w = world(h);
    const a = lookupName(w, { host: "node1", container: c.id }, "web");
    expect(a).toMatchObject({ addresses: ["172.18.0.2"], server: "127.0.0.11" });
    expect(a.query).toEqual({ from: "client:eth0@node1", to: "node1" });
    expect(lookupName(w, { host: "node1", container: c.id }, "WWW").addresses).toEqual(["172.18.0.2"]);
    // Docker docs, "Networking overview": containers on the default bridge "can only access each other by IP addresses".
    const b = lookupName(w, { host: "node1", container: solo.id }, "web");
    expect(b).toMatchObject({ addresses: [], server: "10.0.0.2" });
    expect(b.reason).toMatch(/default bridge has no embedded DNS/);
  });

  it("a scaled service's alias answers with every address (DNS round robin)", () => {
    const h = host();
    network(h, "app");
    for (const n of [1, 2, 3]) run(h, `app-worker-${n}`, "alpine", { networkMode: "app", networkAliases: ["worker"] }, ["sleep", "1000"]);
    const c = run(h, "probe", "alpine", { networkMode: "app" }, ["sleep", "1000"]);
    expect(lookupName(world(h), { host: "node1", container: c.id }, "worker").addresses).toEqual(["172.18.0.2", "172.18.0.3", "172.18.0.4"]);
  });

  it("/etc/hosts answers localhost and the container's own hostname; the LAN's nameserver the world's hosts and the internet", () => {
    const h = host();
    const c = run(h, "c1", "alpine", { hostname: "box" }, ["sleep", "1000"]);
    const w = world(h, host());
    expect(lookupName(w, { host: "node1", container: c.id }, "box")).toMatchObject({ addresses: ["172.17.0.2"], server: "/etc/hosts" });
    expect(lookupName(w, { host: "node1", container: c.id }, "localhost").addresses).toEqual(["127.0.0.1"]);
    expect(lookupName(w, { host: "node1", container: c.id }, "node2").addresses).toEqual(["10.0.0.12"]);
    expect(lookupName(w, { host: "node1", container: null }, "example.com").addresses).toEqual(["23.192.228.80"]); // internet.ts: its real address
    const none = run(h, "c2", "alpine", { networkMode: "none" }, ["sleep", "1000"]);
    expect(lookupName(world(h), { host: "node1", container: none.id }, "example.com")).toMatchObject({ addresses: [], server: "" });
  });

  it("resolv.conf names 127.0.0.11 on a user-defined network and the host's nameserver on the default bridge", () => {
    const h = host();
    network(h, "skynet");
    const a = run(h, "c1", "alpine", { networkMode: "skynet" }, ["sleep", "1000"]);
    const b = run(h, "c2", "alpine", {}, ["sleep", "1000"]);
    const resolv = (id: string) => {
      const c = h.get(id);
      const fs = withManagedFiles(viewOf(c, { engine: h.engine, hostFs: h.fs, tmpfs: c.run!.tmpfs }, h.now), { hostname: c.config.hostname, ip: c.run!.ip, since: 0, embeddedDns: c.run!.embeddedDns === true }, h.now);
      const r = readFile(fs, "/etc/resolv.conf");
      return r.ok ? r.value : "";
    };
    expect(resolv(a.id)).toContain("nameserver 127.0.0.11\n");
    expect(resolv(a.id)).toContain("# Based on host file: '/etc/resolv.conf' (internal resolver)\n# ExtServers: [host(10.0.0.2)]\n");
    expect(resolv(b.id)).toContain("nameserver 10.0.0.2\n");
  });
});

describe("connections: which hop decides", () => {
  it("two containers on one network connect; across networks DOCKER-ISOLATION drops the packet; connected to both they talk", () => {
    const h = host();
    network(h, "front");
    network(h, "back");
    const web = run(h, "web", "nginx", { networkMode: "back" });
    const c = run(h, "client", "alpine", { networkMode: "front" }, ["sleep", "1000"]);
    const ip = "172.19.0.2";
    expect(endpointsOf(h.engine.networks, web.id)[0]!.ip).not.toBeNull();
    let r = connect(world(h), { host: "node1", container: c.id }, ip, 80);
    expect(r.outcome).toBe("timeout");
    // Docker 28 drops a packet addressed to a container from outside its bridge in raw PREROUTING, before the isolation chains.
    expect(r.decidedBy.rule).toMatch(/^-t raw -A PREROUTING -d 172\.19\.0\.2\/32 ! -i br-[0-9a-f]{12} -j DROP$/);
    expect(r.from).toBe("client:eth0@node1");
    expect(r.to).toBe("node1");
    h.do((d) => d.connectNetwork("client", "back"));
    r = connect(world(h), { host: "node1", container: c.id }, ip, 80);
    expect(r).toMatchObject({ outcome: "connected", from: "client:eth1@node1", to: "web:eth0@node1" });
    expect(r.server).toMatchObject({ program: "nginx", port: 80 });
    expect(connect(world(h), { host: "node1", container: c.id }, ip, 81).outcome).toBe("refused");
  });

  it("a published port: the host reaches the container through docker-proxy, another host through DNAT; nothing published is refused", () => {
    const h = host();
    run(h, "web", "nginx", { portBindings: { "80/tcp": [{ hostIp: "", hostPort: "8080" }] } });
    const w = world(h, host());
    const local = connect(w, { host: "node1", container: null }, "127.0.0.1", 8080);
    expect(local).toMatchObject({ outcome: "connected", from: "node1", to: "web:eth0@node1" });
    expect(local.hops.map((x) => x.kind)).toEqual(["loopback", "proxy", "bridge", "veth", "process"]);
    const remote = connect(w, { host: "node2", container: null }, "10.0.0.11", 8080);
    expect(remote).toMatchObject({ outcome: "connected", to: "web:eth0@node1" });
    expect(remote.hops.some((x) => x.at === "nat PREROUTING" && x.rule === "-t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80")).toBe(true);
    expect(connect(w, { host: "node2", container: null }, "10.0.0.11", 8081)).toMatchObject({ outcome: "refused", to: "node1" });
    // Straight to the container's address from another host: raw PREROUTING drops it (Docker 28's direct-access filter).
    expect(connect(w, { host: "node2", container: null }, "172.17.0.2", 80).outcome).not.toBe("connected");
  });

  it("--network none has no route; an ICMP echo needs no listener", () => {
    const h = host();
    const none = run(h, "nn", "alpine", { networkMode: "none" }, ["sleep", "1000"]);
    const box = run(h, "bx", "alpine", {}, ["sleep", "1000"]);
    expect(connect(world(h), { host: "node1", container: none.id }, "172.17.0.2", 80)).toMatchObject({ outcome: "unreachable" });
    expect(connect(world(h), { host: "node1", container: null }, "172.17.0.2", 0, "icmp")).toMatchObject({ outcome: "connected", to: "bx:eth0@node1", ttl: 64 });
    void box;
  });
});

describe("the kernel's endpoints: a running container's interfaces below its host", () => {
  it("one endpoint per bridged interface, its path up to the host; none for host or none, none once stopped", () => {
    const h = host();
    network(h, "back");
    const web = run(h, "web", "nginx", { networkMode: "back" });
    h.do((d) => d.connectNetwork("web", "bridge"));
    run(h, "hostnet", "alpine", { networkMode: "host" }, ["sleep", "1000"]);
    const eps = kernelEndpoints("node1", h.engine);
    expect([...eps.keys()]).toEqual(["web:eth0@node1", "web:eth1@node1"]);
    const e0 = endpointsOf(h.engine.networks, web.id)[0]!;
    expect(eps.get(endpointAddress("node1", e0))).toEqual(["web:eth0", e0.vethHost, `br-${h.engine.networks.networks.get(e0.networkId)!.id.slice(0, 12)}`]);
    h.do((d) => d.kill("web"));
    expect(kernelEndpoints("node1", h.engine).size).toBe(0);
  });
});

describe("inspect's NetworkSettings come from the network table", () => {
  it("a user-defined network fills Networks[name]; the legacy top-level fields stay empty (moby fills them for the default bridge only)", () => {
    const h = host();
    network(h, "skynet");
    const c = run(h, "web", "nginx", { networkMode: "skynet", networkAliases: ["www"] });
    const ns = inspectContainer(h.get(c.id), h.engine.networks)["NetworkSettings"] as Record<string, unknown>;
    expect(ns).toMatchObject({ IPAddress: "", Gateway: "", MacAddress: "", EndpointID: "" });
    const n = (ns["Networks"] as Record<string, Record<string, unknown>>)["skynet"]!;
    expect(n).toMatchObject({ IPAddress: "172.18.0.2", Gateway: "172.18.0.1", IPPrefixLen: 16, MacAddress: "02:42:ac:12:00:02", Aliases: ["www"], DNSNames: ["web", "www", c.id.slice(0, 12)] });
    expect(ns["SandboxKey"]).toMatch(/^\/var\/run\/docker\/netns\/[0-9a-f]{12}$/);
    h.do((d) => d.kill("web"));
    const after = inspectContainer(h.get(c.id), h.engine.networks)["NetworkSettings"] as Record<string, unknown>;
    expect((after["Networks"] as Record<string, Record<string, unknown>>)["skynet"]).toMatchObject({ IPAddress: "", EndpointID: "", Aliases: ["www"] });
    expect(after["SandboxID"]).toBe("");
  });

  it("an address is released when its container stops, and the next one gets the lowest free address", () => {
    const h = host();
    const a = run(h, "c1", "alpine", {}, ["sleep", "1000"]);
    run(h, "c2", "alpine", {}, ["sleep", "1000"]);
    expect(h.get("c2").run!.ip).toBe("172.17.0.3");
    h.do((d) => d.kill(a.id));
    expect(run(h, "c3", "alpine", {}, ["sleep", "1000"]).run!.ip).toBe("172.17.0.2");
  });

  it("a host port is bound by one running container: the second fails with moby's words, and gets it once the first stopped", () => {
    const h = host();
    const bind = { portBindings: { "80/tcp": [{ hostIp: "", hostPort: "8080" }] } };
    run(h, "one", "nginx", bind);
    const two = h.do((d) => d.create({ image: "nginx", name: "two", ...bind }));
    const err = h.doKeep((d) => d.start(two.id));
    expect(err?.message).toMatch(/^failed to set up container networking: driver failed programming external connectivity on endpoint two \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated$/);
    expect(h.status("two")).toBe("created");
    h.do((d) => d.kill("one"));
    h.do((d) => d.start("two"));
    expect(h.get("two").run!.ports.map((p) => `${p.hostIp} ${p.hostPort}`)).toEqual(["0.0.0.0 8080", ":: 8080"]);
  });
});

describe("HTTP answers are the servers' own", () => {
  it("nginx serves its welcome page (615 bytes) with its headers, and its 404 page", () => {
    const h = host();
    const c = run(h, "web", "nginx");
    const place = { engine: h.engine, hostFs: h.fs, container: h.get(c.id), program: "nginx", port: 80 };
    const r = serveHttp(place, { method: "GET", path: "/", host: "web", body: "" }, 5_000_000);
    expect(r.body).toBe(NGINX_WELCOME);
    expect(r.body.length).toBe(615);
    expect(r.headers.map(([k]) => k)).toEqual(["Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag", "Accept-Ranges"]);
    expect(r.headers[1]![1]).toBe("Thu, 01 Jan 2026 00:00:05 GMT");
    const missing = serveHttp(place, { method: "GET", path: "/nope", host: "web", body: "" }, 5_000_000);
    expect([missing.status, missing.body]).toEqual([404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.2</center>\r\n</body>\r\n</html>\r\n"]);
  });

  it("httpd says It works!", () => {
    const h = host();
    const c = run(h, "web", "httpd");
    const r = serveHttp({ engine: h.engine, hostFs: h.fs, container: h.get(c.id), program: "httpd", port: 80 }, { method: "GET", path: "/", host: "web", body: "" }, 0);
    expect(r.body).toBe("<html><body><h1>It works!</h1></body></html>\n");
    expect(r.headers.find(([k]) => k === "Server")![1]).toBe("Apache/2.4.62 (Unix)");
  });
});
