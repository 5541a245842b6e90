import { describe, expect, it } from "vitest";
import { Playground, createPlayground } from "../playground.js";

/** A swarm of `managers` managers and the rest workers, formed at the prompt. */
function swarm(nodes: readonly string[], managers = 1): Playground {
  const pg = createPlayground({ nodes });
  expect(pg.exec("docker swarm init", { on: nodes[0] }).exitCode).toBe(0);
  const manager = pg.exec("docker swarm join-token -q manager", { on: nodes[0] }).stdout.trim();
  const worker = pg.exec("docker swarm join-token -q worker", { on: nodes[0] }).stdout.trim();
  nodes.slice(1).forEach((n, i) => {
    const r = pg.exec(`docker swarm join --token ${i + 1 < managers ? manager : worker} 10.0.0.11:2377`, { on: n });
    expect(r.stderr).toBe("");
  });
  return pg;
}

describe("swarm mode on the world's hosts", () => {
  it("a task is a container of its node's engine, named and labelled as moby's cluster executor makes it", () => {
    const pg = swarm(["n1", "n2"]);
    expect(pg.exec("docker service create -d --name web --replicas 2 nginx", { on: "n1" }).exitCode).toBe(0);
    pg.advance("10s");
    const tasks = pg.exec("docker service ps -q --no-trunc web", { on: "n1" }).stdout.trim().split("\n");
    expect(tasks).toHaveLength(2);
    for (const host of ["n1", "n2"]) {
      const containers = [...pg.host(host).engine.containers.values()];
      expect(containers).toHaveLength(1);
      const c = containers[0]!;
      const id = c.config.labels["com.docker.swarm.task.id"]!;
      expect(tasks).toContain(id);
      // moby daemon/cluster/executor/container/container.go: name() and labels().
      expect(c.name).toBe(`web.${c.config.labels["com.docker.swarm.task.name"]!.split(".")[1]}.${id}`);
      expect(c.config.labels["com.docker.swarm.service.name"]).toBe("web");
      expect(c.config.labels["com.docker.swarm.task"]).toBe("");
      expect(c.hostConfig.restartPolicy.name).toBe("no");
      expect(c.state.running).toBe(true);
    }
  });

  it("crashing a host crashes its engine, raft node and gossip member together; the swarm reschedules its task", () => {
    const pg = swarm(["n1", "n2", "n3"]);
    pg.exec("docker service create -d --name pinger --replicas 3 alpine ping 8.8.8.8", { on: "n1" });
    pg.advance("10s");
    pg.crash("n3");
    expect(pg.host("n3").engine.containers.size).toBe(1);
    expect([...pg.host("n3").engine.containers.values()][0]!.run).toBeNull();
    pg.advance("30s");
    const ls = pg.exec("docker node ls --format '{{.Hostname}} {{.Status}}'", { on: "n1" }).stdout;
    expect(ls).toContain("n3 Down");
    // The task that ran on n3 runs on another node; n3's stays in the history, Shutdown.
    const rows = pg.exec("docker service ps pinger --format '{{.Node}} {{.DesiredState}}'", { on: "n1" }).stdout.trim().split("\n");
    const running = rows.filter((r) => r.endsWith(" Running"));
    expect(running).toHaveLength(3);
    expect(running.filter((r) => r.startsWith("n3 "))).toEqual([]);
    expect(rows).toContain("n3 Shutdown");
  });

  it("a worker cannot run manager commands; a refused command changes nothing", () => {
    const pg = swarm(["n1", "n2"]);
    const before = pg.worldHash();
    const r = pg.exec("docker service create --name web --secret nosuch nginx", { on: "n1" });
    expect(r.exitCode).toBe(1);
    // SwarmKit controlapi checkSecretExistence, through gRPC.
    expect(r.stderr).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = secret not found: nosuch\n");
    expect(pg.exec("docker service ls -q", { on: "n1" }).stdout).toBe("");
    expect(pg.worldHash()).toBe(before);
    // moby errNoManager for a worker.
    expect(pg.exec("docker node ls", { on: "n2" }).stderr).toBe(
      "Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.\n");
  });

  it("losing quorum freezes changes with SwarmKit's text, and running tasks keep running", () => {
    const pg = swarm(["m1", "m2", "m3"], 3);
    pg.exec("docker service create -d --name pinger --replicas 3 alpine ping 8.8.8.8", { on: "m1" });
    pg.advance("10s");
    pg.crash("m2");
    pg.crash("m3");
    pg.advance("30s");
    const r = pg.exec("docker service create -d --name web nginx", { on: "m1" });
    expect(r.stderr).toBe("Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.\n");
    expect(r.exitCode).toBe(1);
    expect([...pg.host("m1").engine.containers.values()].filter((c) => c.state.running)).toHaveLength(1);
  });

  it("a swarm session replays to the same trace", () => {
    const pg = swarm(["n1", "n2"]);
    pg.exec("docker service create --name web --replicas 2 nginx", { on: "n1" });
    pg.exec("docker service scale web=3", { on: "n1" });
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
    expect(again.exec("docker service ls", { on: "n1" }).stdout).toBe(pg.exec("docker service ls", { on: "n1" }).stdout);
  });
});
