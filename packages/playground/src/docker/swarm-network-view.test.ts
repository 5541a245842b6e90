import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// `docker network ls` on a swarm node (moby daemon/cluster/networks.go GetNetworks; docs: "Manage
// swarm service networks"): ingress (overlay, scope swarm) and docker_gwbridge (bridge, local) on
// every node; a manager lists every swarm network, a worker the ones its tasks use.
describe("the swarm's networks in docker network ls and inspect", () => {
  const swarm = () => {
    const pg = createPlayground({ seed: 1, nodes: ["m1", "w1", "w2"] });
    pg.exec("docker swarm init >/dev/null", { on: "m1" });
    const token = pg.exec("docker swarm join-token -q worker", { on: "m1" }).stdout.trim();
    for (const w of ["w1", "w2"]) pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: w });
    return pg;
  };
  const names = (pg: ReturnType<typeof createPlayground>, on: string, filter = "") =>
    pg.exec(`docker network ls ${filter} --format '{{.Name}} {{.Driver}} {{.Scope}}'`, { on }).stdout.trim().split("\n");

  it("outside a swarm only the host's networks; in one, ingress and docker_gwbridge on every node", () => {
    const pg = createPlayground({ seed: 1, nodes: ["m1"] });
    expect(names(pg, "m1")).toEqual(["bridge bridge local", "host host local", "none null local"]);
    const s = swarm();
    for (const h of ["m1", "w1"]) expect(names(s, h)).toEqual(["bridge bridge local", "docker_gwbridge bridge local", "host host local", "ingress overlay swarm", "none null local"]);
    expect(s.exec("docker network inspect docker_gwbridge --format '{{json .Options}}'", { on: "w1" }).stdout).toContain('"com.docker.network.bridge.enable_icc":"false"');
  });

  it("a manager lists every overlay; a worker only those its tasks are attached to", () => {
    const pg = swarm();
    pg.exec("docker network create -d overlay appnet >/dev/null && docker network create -d overlay idle >/dev/null", { on: "m1" });
    pg.exec("docker service create -d --name web --network appnet --replicas 2 --constraint node.role==worker nginx:1.27 >/dev/null", { on: "m1" });
    pg.exec("sleep 15", { on: "m1" });
    expect(names(pg, "m1", "--filter driver=overlay")).toEqual(["appnet overlay swarm", "idle overlay swarm", "ingress overlay swarm"]);
    expect(names(pg, "w1", "--filter scope=swarm")).toEqual(["appnet overlay swarm", "ingress overlay swarm"]);
  });

  it("inspect shows the overlay's subnet, VXLAN ID and the node's task containers with their addresses", () => {
    const pg = swarm();
    pg.exec("docker network create -d overlay appnet >/dev/null", { on: "m1" });
    pg.exec("docker service create -d --name web --network appnet --replicas 1 --constraint node.hostname==w1 nginx:1.27 >/dev/null", { on: "m1" });
    pg.exec("sleep 15", { on: "m1" });
    const inspect = JSON.parse(pg.exec("docker network inspect appnet", { on: "w1" }).stdout)[0];
    expect(inspect).toMatchObject({ Name: "appnet", Scope: "swarm", Driver: "overlay", Ingress: false, IPAM: { Config: [{ Subnet: "10.0.1.0/24", Gateway: "10.0.1.1" }] } });
    expect(inspect.Options["com.docker.network.driver.overlay.vxlanid_list"]).toBe("4097");
    const containers = Object.values(inspect.Containers) as { Name: string; IPv4Address: string }[];
    expect(containers).toHaveLength(1);
    expect(containers[0]!.Name).toMatch(/^web\.1\.[a-z0-9]{25}$/);
    expect(containers[0]!.IPv4Address).toMatch(/^10\.0\.1\.\d+\/24$/);
    expect(pg.exec("docker network inspect --format '{{.Options}}' ingress", { on: "w2" }).stdout).toContain("4096");
  });
});
