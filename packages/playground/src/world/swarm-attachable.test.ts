// Standalone containers on an attachable overlay (issue #12, QA session 5 D1). Docker docs, "Use
// overlay networks" (--attachable: "standalone containers ... can connect to the overlay") and
// "Embedded DNS server in user-defined networks": such a container's resolver is 127.0.0.11, which
// answers the network's service names (the VIP), `tasks.<service>`, and the containers on it by
// name and alias, wherever in the swarm they run (libnetwork's service records travel in networkdb's
// gossip: addServiceInfoToCluster). Its traffic to tasks and containers on other nodes goes over
// the overlay (VXLAN). `docker network inspect` on a node lists the endpoints local to that node.
import { describe, expect, it } from "vitest";
import type { Playground } from "../playground.js";
import { decisions, swarm } from "./ingress.test-util.js";

const vipOf = (pg: Playground, service: string) =>
  pg.exec(`docker service inspect -f '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' ${service}`, { on: "n1" }).stdout.trim().split("/")[0]!;

const ipOn = (pg: Playground, on: string, container: string, network: string) =>
  pg.exec(`docker inspect -f '{{(index .NetworkSettings.Networks "${network}").IPAddress}}' ${container}`, { on }).stdout.trim();

/** Two nodes, an attachable overlay `x` and a service `api` on it, settled. */
function world(): Playground {
  const pg = swarm(["n1", "n2"]);
  expect(pg.exec("docker network create -d overlay --attachable x", { on: "n1" }).exitCode).toBe(0);
  expect(pg.exec("docker service create -d --name api --network x --replicas 2 nginx", { on: "n1" }).exitCode).toBe(0);
  pg.advance("20s");
  return pg;
}

describe("a standalone container on an attachable overlay (QA session 5 D1)", () => {
  it("its resolver is the embedded DNS server, which answers the service's VIP and tasks.<service>", () => {
    const pg = world();
    const resolv = pg.exec("docker run --rm --network x alpine cat /etc/resolv.conf", { on: "n2" });
    expect(resolv.stdout).toContain("nameserver 127.0.0.11\n");
    expect(resolv.stdout).not.toContain("nameserver 10.0.0.2");
    const vip = vipOf(pg, "api");
    const ns = pg.exec("docker run --rm --network x alpine nslookup api", { on: "n2" });
    expect(ns.stdout).toContain("Server:\t\t127.0.0.11\n");
    expect(ns.stdout).toContain(`Address: ${vip}\n`);
    expect(ns.stdout).not.toContain("NXDOMAIN");
    const tasks = pg.exec("docker run --rm --network x alpine nslookup tasks.api", { on: "n2" }).stdout;
    expect(tasks.match(/Address: 10\.0\.1\.\d+\n/g)?.length).toBe(2);
    expect(tasks).not.toContain(`Address: ${vip}\n`);
  });

  it("its address is on the overlay's subnet, apart from the tasks' and the VIP, and docker inspect shows it", () => {
    const pg = world();
    expect(pg.exec("docker run -d --name c1 --network x alpine sleep 1d", { on: "n2" }).exitCode).toBe(0);
    const ip = ipOn(pg, "n2", "c1", "x");
    expect(ip).toMatch(/^10\.0\.1\.\d+$/);
    // Only x: its way out, docker_gwbridge, is a hidden gateway endpoint (libnetwork setupDefaultGW), and it still reaches the outside.
    expect(pg.exec("docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' c1", { on: "n2" }).stdout).toBe("x \n");
    expect(pg.exec("docker ps -f name=c1 --format '{{.Names}} {{.Networks}}'", { on: "n2" }).stdout).toBe("c1 x\n");
    expect(pg.exec("docker exec c1 ping -c 1 8.8.8.8", { on: "n2" }).exitCode).toBe(0);
    expect(ip).not.toBe(vipOf(pg, "api"));
    const tasks = pg.exec("docker run --rm --network x alpine nslookup tasks.api", { on: "n1" }).stdout;
    expect(tasks).not.toContain(`Address: ${ip}\n`);
  });

  it("a container on another node resolves it by name and alias, and ping crosses the overlay (a VXLAN hop)", () => {
    const pg = world();
    pg.exec("docker run -d --name c1 --network x --network-alias db alpine sleep 1d", { on: "n2" });
    pg.advance("5s");
    const ip = ipOn(pg, "n2", "c1", "x");
    for (const name of ["c1", "db"]) {
      const r = pg.exec(`docker run --rm --network x alpine ping -c 1 ${name}`, { on: "n1" });
      expect(r.stdout).toContain(`PING ${name} (${ip})`);
      expect(r.stdout).toContain("1 packets transmitted, 1 packets received");
      expect(r.exitCode).toBe(0);
    }
    // A request at a container's prompt goes through the kernel, and the trace has its hops.
    pg.exec("docker run -d --name c0 --network x alpine sleep 1d", { on: "n1" });
    const t0 = pg.now;
    expect(pg.exec("docker exec c0 ping -c 1 c1", { on: "n1" }).stdout).toContain(`PING c1 (${ip})`);
    const hops = decisions(pg, t0).filter((d) => d.outcome === "connected").flatMap((d) => d.hops);
    expect(hops.some((h) => h.includes("VXLAN VNI"))).toBe(true);
  });

  it("a task resolves a standalone container's name and reaches it; the container reaches the service over its VIP", () => {
    const pg = world();
    pg.exec("docker run -d --name web1 --network x nginx", { on: "n2" });
    pg.advance("5s");
    const ip = ipOn(pg, "n2", "web1", "x");
    const task = pg.exec("docker ps -q -f name=api", { on: "n1" }).stdout.trim().split("\n")[0]!;
    const got = pg.exec(`docker exec ${task} getent hosts web1`, { on: "n1" });
    expect(got.stdout).toContain(ip);
    const page = pg.exec("docker run --rm --network x alpine wget -qO- api", { on: "n2" });
    expect(page.stdout).toContain("Welcome to nginx!");
  });

  it("docker network inspect lists the node's own endpoints; disconnect removes it, and its name no longer resolves elsewhere", () => {
    const pg = world();
    pg.exec("docker run -d --name c1 --network x alpine sleep 1d", { on: "n2" });
    pg.advance("5s");
    const on2 = pg.exec("docker network inspect -f '{{range .Containers}}{{.Name}} {{end}}' x", { on: "n2" }).stdout;
    expect(on2.split(" ")).toContain("c1");
    const on1 = pg.exec("docker network inspect -f '{{range .Containers}}{{.Name}} {{end}}' x", { on: "n1" }).stdout;
    expect(on1.split(" ")).not.toContain("c1");
    expect(pg.exec("docker run --rm --network x alpine ping -c 1 c1", { on: "n1" }).exitCode).toBe(0);
    expect(pg.exec("docker network disconnect x c1", { on: "n2" }).exitCode).toBe(0);
    expect(pg.exec("docker network inspect -f '{{range .Containers}}{{.Name}} {{end}}' x", { on: "n2" }).stdout.split(" ")).not.toContain("c1");
    pg.advance("10s");
    const r = pg.exec("docker run --rm --network x alpine ping -c 1 c1", { on: "n1" });
    // BusyBox ping's text for a name that does not resolve.
    expect(r.stderr + r.stdout).toContain("ping: bad address 'c1'");
  });

  it("a request from a standalone container to a service whose task runs on another node goes through IPVS and a VXLAN hop", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker network create -d overlay --attachable x", { on: "n1" });
    pg.exec("docker service create -d --name one --network x --constraint node.hostname==n1 nginx", { on: "n1" });
    pg.exec("docker run -d --name c2 --network x alpine sleep 1d", { on: "n2" });
    pg.advance("20s");
    const t0 = pg.now;
    expect(pg.exec("docker exec c2 wget -qO- one", { on: "n2" }).stdout).toContain("Welcome to nginx!");
    const hops = decisions(pg, t0).filter((d) => d.outcome === "connected").flatMap((d) => d.hops);
    expect(hops.some((h) => h.includes("ipvs FWM"))).toBe(true);
    expect(hops.some((h) => h.includes("VXLAN VNI") && h.includes("n2 → n1"))).toBe(true);
  });

  it("docker network connect x joins a running container, with its own address, and another node resolves it", () => {
    const pg = world();
    pg.exec("docker run -d --name b1 alpine sleep 1d", { on: "n2" });
    expect(pg.exec("docker network connect x b1", { on: "n2" }).exitCode).toBe(0);
    pg.advance("5s");
    const ip = ipOn(pg, "n2", "b1", "x");
    expect(ip).toMatch(/^10\.0\.1\.\d+$/);
    const r = pg.exec("docker run --rm --network x alpine ping -c 1 b1", { on: "n1" });
    expect(r.stdout).toContain(`PING b1 (${ip})`);
    expect(r.exitCode).toBe(0);
  });

  it("after docker service update --network-add x, the service resolves from a standalone container on x", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker network create -d overlay --attachable x", { on: "n1" });
    pg.exec("docker service create -d --name web nginx", { on: "n1" });
    pg.advance("10s");
    expect(pg.exec("docker run --rm --network x alpine nslookup web", { on: "n2" }).stdout).toContain("NXDOMAIN");
    expect(pg.exec("docker service update -d --network-add x web", { on: "n1" }).exitCode).toBe(0);
    pg.advance("20s");
    const ns = pg.exec("docker run --rm --network x alpine nslookup web", { on: "n2" }).stdout;
    expect(ns).toContain(`Address: ${vipOf(pg, "web")}\n`);
  });

  it("docker run on a non-attachable overlay is refused with moby's text (daemon/cluster/networks.go AttachNetwork)", () => {
    const pg = swarm(["n1"]);
    pg.exec("docker network create -d overlay y", { on: "n1" });
    const r = pg.exec("docker run --rm --network y alpine true", { on: "n1" });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain("Could not attach to network y: rpc error: code = PermissionDenied desc = network y not manually attachable");
  });
});
