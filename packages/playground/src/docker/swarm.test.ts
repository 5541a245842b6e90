import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";
import { parseBytes, parsePublish, withTag } from "./service.js";

const err = (pg: Playground, line: string, on = "n1") => {
  const r = pg.exec(line, { on });
  return { code: r.exitCode, text: r.stderr };
};

function twoNodes(): Playground {
  const pg = createPlayground({ nodes: ["n1", "n2"] });
  pg.exec("docker swarm init", { on: "n1" });
  const token = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
  pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: "n2" });
  return pg;
}

describe("docker/cli's option parsing for services", () => {
  it("publish: short and long syntax (docker/cli opts.PortOpt)", () => {
    expect(parsePublish("8080:80", "c")).toEqual({ target: 80, published: 8080, protocol: "tcp", mode: "ingress" });
    expect(parsePublish("53:53/udp", "c")).toEqual({ target: 53, published: 53, protocol: "udp", mode: "ingress" });
    expect(parsePublish("80", "c")).toEqual({ target: 80, protocol: "tcp", mode: "ingress" });
    expect(parsePublish("published=8080,target=80,mode=host", "c")).toEqual({ target: 80, published: 8080, protocol: "tcp", mode: "host" });
    expect(() => parsePublish("published=8080", "c")).toThrow(/missing mandatory field 'target'/);
  });

  it("sizes as go-units RAMInBytes reads them; images get the tag the CLI resolves", () => {
    expect(parseBytes("64M", "x")).toBe(64 * 1024 * 1024);
    expect(parseBytes("1g", "x")).toBe(1024 ** 3);
    expect(parseBytes("512", "x")).toBe(512);
    expect(withTag("nginx")).toBe("nginx:latest");
    expect(withTag("localhost:5000/app")).toBe("localhost:5000/app:latest");
    expect(withTag("nginx:1.27")).toBe("nginx:1.27");
  });
});

describe("swarm commands' refusals, in Docker's words, changing nothing", () => {
  it("outside a swarm (moby errNoManager / errNoSwarm)", () => {
    const pg = createPlayground({ nodes: ["n1"] });
    expect(err(pg, "docker service ls")).toEqual({
      code: 1, text: 'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n',
    });
    expect(err(pg, "docker swarm leave")).toEqual({ code: 1, text: "Error response from daemon: This node is not part of a swarm\n" });
    expect(err(pg, "docker info --format '{{.Swarm.LocalNodeState}}'").code).toBe(0);
  });

  it("init twice, a bad token, the last manager leaving", () => {
    const pg = twoNodes();
    expect(err(pg, "docker swarm init").text).toBe(
      'Error response from daemon: This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.\n');
    const third = createPlayground({ nodes: ["n1", "n2", "n3"] });
    third.exec("docker swarm init", { on: "n1" });
    // SwarmKit ca/server.go, through gRPC.
    expect(err(third, "docker swarm join --token SWMTKN-1-nope 10.0.0.11:2377", "n3").text).toBe(
      "Error response from daemon: rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n");
    // moby Leave: the last manager.
    expect(err(pg, "docker swarm leave").text).toBe(
      "Error response from daemon: You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. \n");
    expect(pg.exec("docker swarm leave", { on: "n2" }).stdout).toBe("Node left the swarm.\n");
  });

  it("services: a name taken, scaling a global service, one not found", () => {
    const pg = twoNodes();
    expect(pg.exec("docker service create -d --name web nginx", { on: "n1" }).exitCode).toBe(0);
    expect(err(pg, "docker service create -d --name web nginx").text).toBe(
      "Error response from daemon: rpc error: code = AlreadyExists desc = name conflicts with an existing object: service web already exists\n");
    pg.exec("docker service create -d --mode global --name agent alpine ping 8.8.8.8", { on: "n1" });
    // docker/cli service/scale.go.
    expect(err(pg, "docker service scale agent=2").text).toBe("Error response from daemon: scale can only be used with replicated or replicated-job mode (service agent)\n");
    expect(err(pg, "docker service ps nosuch")).toEqual({ code: 1, text: "no such service: nosuch\n" });
    expect(err(pg, "docker service inspect nosuch")).toEqual({ code: 1, text: "Error: no such service: nosuch\n" });
    expect(err(pg, "docker service rm nosuch").text).toBe("Error response from daemon: service nosuch not found\n");
    expect(err(pg, "docker service create -d --mode global --replicas 2 nginx").text).toBe("replicas can only be used with replicated or replicated-job mode\n");
  });

  it("nodes: a bad availability is the CLI's; a worker cannot be removed while up; promote and demote", () => {
    const pg = twoNodes();
    expect(err(pg, "docker node update --availability sleep n2")).toEqual({
      code: 125, text: 'invalid argument "sleep" for "--availability" flag: invalid availability: sleep\nSee \'docker node update --help\'.\n',
    });
    const id = pg.exec("docker node inspect n2 --format '{{.ID}}'", { on: "n1" }).stdout.trim();
    expect(err(pg, "docker node rm n2").text).toBe(`Error response from daemon: rpc error: code = FailedPrecondition desc = node ${id} is not down and can't be removed\n`);
    expect(pg.exec("docker node promote n2", { on: "n1" }).stdout).toBe("Node n2 promoted to a manager in the swarm.\n");
    expect(pg.exec("docker node promote n2", { on: "n1" }).stdout).toBe("Node n2 is already a manager.\n");
    pg.advance("20s");
    expect(pg.exec("docker node demote n2", { on: "n1" }).stdout).toBe("Manager n2 demoted in the swarm.\n");
  });

  it("secrets: a missing file, a secret not found, in use", () => {
    const pg = twoNodes();
    expect(err(pg, "docker secret create s /nope").text).toBe('Error reading content from "/nope": open /nope: no such file or directory\n');
    expect(err(pg, "docker secret inspect nosuch").text).toBe("Error response from daemon: secret nosuch not found\n");
    const before = pg.worldHash();
    expect(err(pg, "docker secret rm nosuch").code).toBe(1);
    expect(pg.worldHash()).toBe(before);
  });

  it("an overlay network on a manager is the swarm's; on a worker moby's error", () => {
    const pg = twoNodes();
    const r = pg.exec("docker network create -d overlay backend", { on: "n1" });
    expect(r.stdout).toMatch(/^[0-9a-z]{25}\n$/);
    expect(err(pg, "docker network create -d overlay other", "n2").text).toContain("Worker nodes can't be used to view or modify cluster state");
  });
});
