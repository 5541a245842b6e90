// A task container's network attachments as the engine holds them (issue #12; QA session 4 D2b):
// moby's cluster executor creates the container on its first swarm network and connects the
// others (daemon/cluster/executor/container/container.go createNetworkingConfig and
// controller.go's connect of networks[1:]), each with the address the allocator gave the task
// (getEndpointConfig: IPAMConfig.IPv4Address). The overlay driver sets no gateway on the
// endpoint: the sandbox's default route is a hidden endpoint on docker_gwbridge. Its resolver is
// the embedded DNS server at 127.0.0.11.
import { describe, expect, it } from "vitest";
import { TaskState } from "@drydock/swarm";
import type { Playground } from "../playground.js";
import { leaderStore } from "./ingress.js";
import { swarm } from "./ingress.test-util.js";

/** A service's running task on its node: its container's ID and its addresses per network (from the store). */
function task(pg: Playground, service: string): { on: string; id: string; addrs: Map<string, string> } {
  const store = leaderStore(pg.world)!;
  const t = [...store.tasks.values()].find((x) => x.serviceName === service && x.status.state === TaskState.RUNNING)!;
  const on = store.nodes.get(t.nodeId)!.description.hostname;
  const addrs = new Map(t.networks.map((a) => [store.networks.get(a.networkId)!.spec.name, a.addresses[0]!]));
  return { on, id: t.status.containerId!, addrs };
}

const networksOf = (pg: Playground, t: { on: string; id: string }) =>
  JSON.parse(pg.exec(`docker inspect --format '{{json .NetworkSettings.Networks}}' ${t.id}`, { on: t.on }).stdout) as Record<string, Record<string, unknown>>;

describe("a task container's overlay attachments (moby's cluster executor, libnetwork's overlay driver)", () => {
  it("docker inspect shows the service's overlay and ingress (it publishes a port) with the task's addresses, not the bridge", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker network create -d overlay ov1", { on: "n1" });
    pg.exec("docker service create -d --name web --network ov1 -p 8080:80 nginx", { on: "n1" });
    pg.advance("15s");
    const t = task(pg, "web");
    const nets = networksOf(pg, t);
    expect(Object.keys(nets).sort()).toEqual(["ingress", "ov1"]);
    for (const name of ["ingress", "ov1"]) {
      const [ip, bits] = t.addrs.get(name)!.split("/");
      expect(nets[name]!["IPAddress"]).toBe(ip);
      expect(nets[name]!["IPPrefixLen"]).toBe(Number(bits));
      expect(nets[name]!["IPAMConfig"]).toEqual({ IPv4Address: ip });
      // The overlay endpoint has no gateway of its own (the default route is docker_gwbridge's).
      expect(nets[name]!["Gateway"]).toBe("");
      expect(nets[name]!["EndpointID"]).toMatch(/^[0-9a-f]{64}$/);
    }
    // Inside the task: the embedded DNS server, and its overlay address as its own name's.
    expect(pg.exec(`docker exec ${t.id} cat /etc/resolv.conf`, { on: t.on }).stdout).toContain("nameserver 127.0.0.11\n");
    const hostname = pg.exec(`docker exec ${t.id} hostname`, { on: t.on }).stdout.trim();
    expect(pg.exec(`docker exec ${t.id} cat /etc/hosts`, { on: t.on }).stdout).toContain(`${t.addrs.get("ingress")!.split("/")[0]}\t${hostname}\n`);
  });

  it("a task on no swarm network stays on the default bridge, as moby's executor leaves it", () => {
    const pg = swarm(["n1"]);
    pg.exec("docker service create -d --name plain alpine sleep 1d", { on: "n1" });
    pg.advance("10s");
    const t = task(pg, "plain");
    expect(Object.keys(networksOf(pg, t))).toEqual(["bridge"]);
  });

  it("a task still reaches the outside through docker_gwbridge (its hidden default route)", () => {
    const pg = swarm(["n1"]);
    pg.exec("docker network create -d overlay ov1", { on: "n1" });
    // Its first process too (the transcript's pinger): the engine joins docker_gwbridge at the start.
    pg.exec("docker service create -d --name p --network ov1 alpine ping 8.8.8.8", { on: "n1" });
    pg.advance("10s");
    const t = task(pg, "p");
    expect(pg.exec(`docker logs ${t.id}`, { on: t.on }).stdout).toContain("64 bytes from 8.8.8.8: seq=0");
    expect(pg.exec(`docker exec ${t.id} ping -c 1 8.8.8.8`, { on: t.on }).exitCode).toBe(0);
    expect(pg.exec("docker network inspect --format '{{.Name}} {{.Driver}}' docker_gwbridge", { on: "n1" }).stdout).toBe("docker_gwbridge bridge\n");
  });

  it("QA D2b: a replicated job's task resolves a service on its overlay through 127.0.0.11", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker network create -d overlay --attachable ov1", { on: "n1" });
    pg.exec("docker service create -d --name db --network ov1 nginx", { on: "n1" });
    pg.advance("10s");
    const vip = pg.exec("docker service inspect -f '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' db", { on: "n1" }).stdout.trim().split("/")[0]!;
    pg.exec("docker service create -d --name j2 --network ov1 --mode replicated-job alpine sleep 1d", { on: "n1" });
    pg.advance("10s");
    const j = task(pg, "j2");
    const out = pg.exec(`docker exec ${j.id} nslookup db`, { on: j.on }).stdout;
    expect(out).toContain("Server:\t\t127.0.0.11\n");
    expect(out).toContain(`Address: ${vip}\n`);
    expect(out).not.toContain("NXDOMAIN");
  });

  it("QA D2b as filed: a job's task that runs nslookup at once", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker network create -d overlay --attachable ov1", { on: "n1" });
    pg.exec("docker service create -d --name db --network ov1 nginx", { on: "n1" });
    pg.advance("10s");
    const vip = pg.exec("docker service inspect -f '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' db", { on: "n1" }).stdout.trim().split("/")[0]!;
    pg.exec("docker service create -d --name j2 --network ov1 --mode replicated-job alpine nslookup db", { on: "n1" });
    pg.advance("15s");
    const logs = pg.exec("docker service logs --raw j2", { on: "n1" }).stdout;
    expect(logs).toContain("Server:\t\t127.0.0.11\n");
    expect(logs).toContain(`Address: ${vip}\n`);
  });
});
