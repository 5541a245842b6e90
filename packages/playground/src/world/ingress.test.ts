// The swarm's data path (issue #12): service discovery inside task containers, IPVS on VIPs and
// the routing mesh, decided from the leader's committed store (world/ingress.ts, engine
// network/overlay.ts). Which task answered is read from the trace: the `net.decide` record of a
// connection names the kernel endpoint it was decided at (the task's container on its node).
import { describe, expect, it } from "vitest";
import { TaskState } from "@drydock/swarm";
import { Playground, createPlayground } from "../playground.js";
import { leaderStore } from "./ingress.js";
import { has, request, runningTasks, swarm } from "./ingress.test-util.js";

function taskAddresses(pg: Playground, service: string, network: string): string[] {
  const store = leaderStore(pg.world)!;
  const net = [...store.networks.values()].find((n) => n.spec.name === network)!;
  return [...store.tasks.values()].filter((t) => t.serviceName === service && t.status.state === TaskState.RUNNING)
    .sort((a, b) => a.slot - b.slot).map((t) => t.networks.find((a) => a.networkId === net.id)!.addresses[0]!.split("/")[0]!);
}

/** A shell of a service's task: its container and node. */
function taskContainer(pg: Playground, service: string): { on: string; id: string } {
  const on = pg.exec(`docker service ps ${service} --filter desired-state=running --format '{{.Node}}'`, { on: "n1" }).stdout.trim().split("\n")[0]!;
  return { on, id: pg.exec(`docker ps -q -f name=${service}.`, { on }).stdout.trim().split("\n")[0]! };
}

function overlayWorld(): Playground {
  const pg = swarm(["n1", "n2", "n3"]);
  expect(pg.exec("docker network create -d overlay mynet", { on: "n1" }).exitCode).toBe(0);
  pg.exec("docker service create -d --name probe --network mynet alpine sleep 1d", { on: "n1" });
  pg.exec("docker service create -d --name api --network mynet --replicas 3 nginx", { on: "n1" });
  pg.exec("docker service create -d --name db --endpoint-mode dnsrr --network mynet --replicas 2 nginx", { on: "n1" });
  pg.advance("15s");
  return pg;
}

describe("service discovery inside task containers (libnetwork's embedded DNS, resolver.go)", () => {
  const pg = overlayWorld();
  const probe = taskContainer(pg, "probe");
  const nslookup = (name: string) => pg.exec(`docker exec ${probe.id} nslookup ${name}`, { on: probe.on }).stdout;
  const answers = (out: string) => [...out.matchAll(/^Address: (\S+)$/gm)].map((m) => m[1]);

  it("endpoint mode vip: the service's name is its virtual IP on the shared network (docker service inspect's Endpoint.VirtualIPs)", () => {
    const vip = pg.exec(`docker service inspect -f '{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}' api`, { on: "n1" }).stdout.trim().split("/")[0];
    expect(vip).toMatch(/^10\.0\.1\.\d+$/);
    const out = nslookup("api");
    expect(out).toContain("Server:\t\t127.0.0.11\n");
    expect(answers(out)).toEqual([vip]);
  });

  it("endpoint mode dnsrr: the service's name is its running tasks' addresses, no VIP", () => {
    expect(answers(nslookup("db")).sort()).toEqual(taskAddresses(pg, "db", "mynet").sort());
    expect(answers(nslookup("db"))).toHaveLength(2);
  });

  it("tasks.<service> is the running tasks' addresses, in either mode", () => {
    expect(answers(nslookup("tasks.api")).sort()).toEqual(taskAddresses(pg, "api", "mynet").sort());
    expect(answers(nslookup("tasks.api"))).toHaveLength(3);
  });

  it("a service on no network the asker shares does not resolve; a container outside the swarm's networks knows no service", () => {
    pg.exec("docker service create -d --name lonely nginx", { on: "n1" });
    pg.advance("10s");
    expect(nslookup("lonely")).toContain("can't find lonely");
    pg.exec("docker run -d --name plain alpine sleep 1d", { on: "n1" });
    expect(pg.exec("docker exec plain nslookup api", { on: "n1" }).stdout).not.toMatch(/Address: 10\.0\.1\./);
  });

  it("a request to the VIP is balanced by IPVS in the sender's sandbox, round robin over the tasks on every node, across VXLAN to other nodes", () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = request(pg, probe.on, `docker exec ${probe.id} wget -qO- api`);
      expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
      seen.push(r.task!);
      const where = runningTasks(pg, "api").get(r.task!)!;
      expect(r.node).toBe(where);
      if (where !== probe.on) expect(has(r.hops, "vxlan0")).toBe(true);
      expect(has(r.hops, "ipvs FWM")).toBe(true);
    }
    // Round robin: every task once, then the same order again.
    expect(new Set(seen.slice(0, 3)).size).toBe(3);
    expect(seen.slice(3)).toEqual(seen.slice(0, 3));
  });

  it("a request to a dnsrr service goes straight to the task its name resolved to (no IPVS)", () => {
    const r = request(pg, probe.on, `docker exec ${probe.id} wget -qO- db`);
    expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
    expect(r.task).toMatch(/^db\.[12]$/);
    expect(has(r.hops, "ipvs")).toBe(false);
  });
});

describe("the routing mesh (ingress network, IPVS in each node's ingress sandbox)", () => {
  function meshWorld(): Playground {
    const pg = swarm(["n1", "n2", "n3", "n4"]);
    // Tasks on n1..n3 only: n4 runs none.
    pg.exec("docker node update --availability drain n4", { on: "n1" });
    expect(pg.exec("docker service create --name web --publish 8080:80 --replicas 3 nginx", { on: "n1" }).exitCode).toBe(0);
    pg.exec("docker node update --availability active n4", { on: "n1" });
    return pg;
  }

  it("a published port answers on every node, even one with no task: IPVS picks the tasks round robin, the overlay carries the request", () => {
    const pg = meshWorld();
    expect([...runningTasks(pg, "web").values()]).not.toContain("n4");
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = request(pg, "n4", "curl -s localhost:8080");
      expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
      expect(has(r.hops, "nat DOCKER-INGRESS: ")).toBe(true);
      expect(has(r.hops, "vxlan0 (ingress)")).toBe(true);
      seen.push(r.task!);
    }
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(["web.1", "web.2", "web.3"]));
    expect(seen.slice(3)).toEqual(seen.slice(0, 3));
    // From one host to another's address: node n2's ingress sandbox decides.
    const r = request(pg, "n1", "curl -s n2:8080");
    expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
    expect(has(r.hops, "interface wire: n1 → n2")).toBe(true);
  });

  it("each node's IPVS keeps its own round robin (state in the world, replayed the same)", () => {
    const pg = meshWorld();
    const a = [0, 1, 2].map(() => request(pg, "n4", "curl -s localhost:8080").task);
    const b = [0, 1, 2].map(() => request(pg, "n1", "curl -s localhost:8080").task);
    expect(new Set(a).size).toBe(3);
    expect(new Set(b).size).toBe(3);
    expect([...pg.world.ipvs!.keys()].sort()).toEqual(["ingress/n1/tcp/8080", "ingress/n4/tcp/8080"]);
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
  });

  it("a drained node's tasks are no longer chosen once the store has moved them", () => {
    const pg = meshWorld();
    pg.exec("docker node update --availability drain n2", { on: "n1" });
    pg.advance("20s");
    expect([...runningTasks(pg, "web").values()]).not.toContain("n2");
    for (let i = 0; i < 6; i++) {
      const r = request(pg, "n2", "curl -s localhost:8080");
      expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
      expect(r.node).not.toBe("n2");
    }
  });

  it("a crashed node's tasks are no longer chosen once the store says it is down and its tasks are replaced", () => {
    const pg = meshWorld();
    pg.crash("n3");
    pg.advance("40s");
    expect(pg.exec("docker node ls --format '{{.Hostname}} {{.Status}}'", { on: "n1" }).stdout).toContain("n3 Down");
    expect([...runningTasks(pg, "web").values()]).not.toContain("n3");
    for (let i = 0; i < 6; i++) {
      const r = request(pg, "n4", "curl -s localhost:8080");
      expect(r).toMatchObject({ exitCode: 0, outcome: "connected" });
      expect(r.node).not.toBe("n3");
    }
  });

  it("the data path goes on while the managers elect a new leader (the most advanced committed store of a manager)", () => {
    const pg = createPlayground({ seed: 1, nodes: ["n1", "n2", "n3", "n4"] });
    pg.exec("docker swarm init", { on: "n1" });
    const manager = pg.exec("docker swarm join-token -q manager", { on: "n1" }).stdout.trim();
    for (const n of ["n2", "n3", "n4"]) expect(pg.exec(`docker swarm join --token ${manager} 10.0.0.11:2377`, { on: n }).exitCode).toBe(0);
    pg.exec("docker node update --availability drain n1", { on: "n1" });
    expect(pg.exec("docker service create --name web --publish 8080:80 --replicas 2 nginx", { on: "n1" }).exitCode).toBe(0);
    pg.crash("n1");
    // No leader for a while (elections after 10-20 s); the tasks on n2..n4 still answer.
    for (let i = 0; i < 4; i++) expect(request(pg, "n4", "curl -s localhost:8080")).toMatchObject({ exitCode: 0, outcome: "connected" });
    expect(pg.exec("docker service ls", { on: "n2" }).exitCode).not.toBe(0);
  });

  it("a port nothing publishes is refused (curl: (7)); a service with no running task leaves its port refused too", () => {
    const pg = meshWorld();
    const r = pg.exec("curl -sS localhost:9999", { on: "n2" });
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(/^curl: \(7\) Failed to connect to localhost port 9999 after \d+ ms: Couldn't connect to server\n$/);
    // -d: docker service scale web=0 waiting for convergence is slow here (see the report); the store is what counts.
    pg.exec("docker service scale -d web=0", { on: "n1" });
    pg.advance("10s");
    expect(runningTasks(pg, "web").size).toBe(0);
    const z = request(pg, "n2", "curl -s localhost:8080");
    expect(z).toMatchObject({ exitCode: 7, outcome: "refused" });
  });

  it("host-mode publishing: only the nodes running a task listen, on the task's own port binding", () => {
    const pg = swarm(["n1", "n2", "n3"]);
    expect(pg.exec("docker service create --name solo --publish mode=host,target=80,published=8081 nginx", { on: "n1" }).exitCode).toBe(0);
    const where = [...runningTasks(pg, "solo").values()][0]!;
    // docker ps on the node shows the binding (moby's executor: portBindings() for PublishModeHost).
    expect(pg.exec("docker ps --format '{{.Ports}}'", { on: where }).stdout).toContain("0.0.0.0:8081->80/tcp");
    for (const n of ["n1", "n2", "n3"]) {
      const r = pg.exec("curl -s -o /dev/null localhost:8081", { on: n });
      expect(r.exitCode).toBe(n === where ? 0 : 7);
    }
  });
});
