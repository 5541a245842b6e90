import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

// docker config (docker/cli cli/command/config; swarmkit manager/controlapi/config.go).
function twoNodes(): Playground {
  const pg = createPlayground({ nodes: ["n1", "n2"] });
  pg.exec("docker swarm init", { on: "n1" });
  const token = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
  pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: "n2" });
  return pg;
}

const run = (pg: Playground, line: string, on = "n1") => pg.exec(line, { on });

describe("docker config", () => {
  it("create prints the id; ls has docker/cli's columns; inspect shows Spec.Data in base64", () => {
    const pg = twoNodes();
    const id = run(pg, "echo 'listen 80;' | docker config create site.conf -").stdout.trim();
    expect(id).toMatch(/^[0-9a-z]{25}$/);
    // formatter/config.go defaultConfigTableFormat: ID, NAME, CREATED, UPDATED.
    expect(run(pg, "docker config ls").stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+CREATED\s+UPDATED$/);
    expect(run(pg, "docker config ls").stdout).toContain(`${id}   site.conf`);
    // encoding/json writes []byte as base64: "listen 80;\n".
    expect(run(pg, "docker config inspect --format '{{json .Spec}}' site.conf").stdout).toBe('{"Name":"site.conf","Labels":{},"Data":"bGlzdGVuIDgwOwo="}\n');
    expect(run(pg, "docker config ls -q").stdout).toBe(`${id}\n`);
  });

  it("a service gets the config at its target (default /<name>); a config in use cannot be removed", () => {
    const pg = twoNodes();
    run(pg, "echo 'hello config' | docker config create greeting -");
    expect(run(pg, "docker service create -d --name web --constraint node.hostname==n2 --config greeting --config src=greeting,target=/etc/app/greeting.txt nginx").exitCode).toBe(0);
    pg.advance("20s");
    const c = run(pg, "docker ps -q", "n2").stdout.trim();
    expect(run(pg, `docker exec ${c} cat /greeting`, "n2").stdout).toBe("hello config\n");
    expect(run(pg, `docker exec ${c} cat /etc/app/greeting.txt`, "n2").stdout).toBe("hello config\n");
    expect(run(pg, "docker service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Configs}}' web").stdout).toMatch(
      /^\[\{"File":\{"Name":"greeting","UID":"0","GID":"0","Mode":292\},"ConfigID":"[0-9a-z]{25}","ConfigName":"greeting"\},\{"File":\{"Name":"\/etc\/app\/greeting.txt"/);
    const before = pg.worldHash();
    expect(run(pg, "docker config rm greeting").stderr).toBe(
      "Error response from daemon: rpc error: code = InvalidArgument desc = config 'greeting' is in use by the following service: web\n");
    expect(pg.worldHash()).toBe(before);
    expect(run(pg, "docker service update -d --config-rm greeting web").exitCode).toBe(0);
    expect(run(pg, "docker config rm greeting").stdout).toBe("greeting\n");
  });

  it("refusals in docker's words, changing nothing", () => {
    const pg = twoNodes();
    const before = pg.worldHash();
    expect(run(pg, "docker config create c /nope").stderr).toBe("open /nope: no such file or directory\n");
    expect(run(pg, "docker config inspect nosuch").stderr).toBe("Error response from daemon: config nosuch not found\n");
    expect(run(pg, "docker service create -d --config nosuch nginx").stderr).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = config not found: nosuch\n");
    expect(run(pg, "docker config create onlyname").exitCode).toBe(1);
    expect(pg.worldHash()).toBe(before);
    expect(run(pg, "docker config ls", "n2").stderr).toContain("Worker nodes can't be used to view or modify cluster state");
  });
});
