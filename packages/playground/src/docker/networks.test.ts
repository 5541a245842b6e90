import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

const sh = () => createPlayground({ seed: 3 });

describe("docker network ls/create/inspect/rm/prune (Docker 28's output and errors)", () => {
  it("a fresh engine has bridge, host and none", () => {
    const pg = sh();
    const r = pg.exec("docker network ls");
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(1).join(" "))).toEqual(["bridge bridge local", "host host local", "none null local"]);
    expect(lines[1]).toMatch(/^[0-9a-f]{12}\s/);
  });

  it("create prints the full ID; the new bridge takes the next default pool", () => {
    const pg = sh();
    const r = pg.exec("docker network create mynet");
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(pg.exec("docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' mynet").stdout).toBe("172.18.0.0/16 172.18.0.1\n");
    expect(pg.exec("docker network ls -q --filter name=mynet").stdout).toBe(r.stdout.slice(0, 12) + "\n");
    expect(pg.exec("docker network inspect -f '{{.Name}} {{.Driver}} {{.Internal}} {{.Options}}' mynet").stdout).toBe("mynet bridge false map[]\n");
  });

  it("inspect prints Docker 28's JSON, in its field order", () => {
    const pg = sh();
    const out = pg.exec("docker network inspect bridge").stdout;
    const keys = [...out.matchAll(/^ {8}"(\w+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual([
      "Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM", "Internal", "Attachable", "Ingress", "ConfigFrom",
      "ConfigOnly", "Containers", "Options", "Labels",
    ]);
    expect(out).toContain('"Subnet": "172.17.0.0/16",\n                    "Gateway": "172.17.0.1"');
    expect(out).toContain('"com.docker.network.bridge.name": "docker0"');
  });

  it("--subnet/--gateway/--internal/--label/-o, and the CLI's own checks", () => {
    const pg = sh();
    expect(pg.exec("docker network create --subnet 10.5.0.0/24 --gateway 10.5.0.254 --internal --label tier=db -o com.docker.network.driver.mtu=1400 back").exitCode).toBe(0);
    expect(pg.exec("docker network inspect -f '{{json .IPAM.Config}} {{.Internal}} {{.Labels}} {{.Options}}' back").stdout)
      .toBe('[{"Subnet":"10.5.0.0/24","Gateway":"10.5.0.254"}] true map[tier:db] map[com.docker.network.driver.mtu:1400]\n');
    const noSubnet = pg.exec("docker network create --gateway 10.6.0.1 x");
    expect([noSubnet.exitCode, noSubnet.stderr]).toEqual([1, "every ip-range or gateway must have a corresponding subnet\n"]);
    expect(pg.exec("docker network create --subnet 10.7.0.0/24 --gateway 10.8.0.1 x").stderr).toBe("no matching subnet for gateway 10.8.0.1\n");
    expect(pg.exec("docker network create --subnet 10.5.0.0/25 y").stderr)
      .toBe("Error response from daemon: invalid pool request: Pool overlaps with other one on this address space\n");
    expect(pg.exec("docker network create --subnet 10.9.0.1/24 y").stderr)
      .toBe("Error response from daemon: invalid network config:\ninvalid subnet 10.9.0.1/24: it should be 10.9.0.0/24\n");
  });

  it("errors: a name in use, a predefined name, a driver that does not exist, a network not found", () => {
    const pg = sh();
    pg.exec("docker network create app");
    expect(pg.exec("docker network create app").stderr).toBe("Error response from daemon: network with name app already exists\n");
    expect(pg.exec("docker network create host").stderr).toBe("Error response from daemon: operation is not permitted on predefined host network \n");
    expect(pg.exec("docker network create -d foo z").stderr).toBe('Error response from daemon: plugin "foo" not found\n');
    const missing = pg.exec("docker network inspect app nope");
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('"Name": "app"');
    expect(missing.stderr).toBe("Error response from daemon: network nope not found\n");
  });

  it("rm prints each name; predefined networks stay; -f ignores a missing one", () => {
    const pg = sh();
    pg.exec("docker network create a && docker network create b");
    expect(pg.exec("docker network rm a b")).toMatchObject({ exitCode: 0, stdout: "a\nb\n" });
    const r = pg.exec("docker network rm bridge nope");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("Error response from daemon: bridge is a pre-defined network and cannot be removed\nError response from daemon: network nope not found\n");
    expect(pg.exec("docker network rm -f nope").exitCode).toBe(0);
  });

  it("prune asks first; with -f or a yes it removes the unused user-defined networks", () => {
    const pg = sh();
    pg.exec("docker network create a && docker network create b");
    // At a terminal the prompt waits for a line (QA #7); `n` cancels.
    const asked = pg.exec("docker network prune");
    expect(asked).toMatchObject({ exitCode: -1, stdout: "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] " });
    expect(pg.exec("n")).toMatchObject({ exitCode: 0, stdout: `${asked.stdout}n\n` });
    expect(pg.exec("docker network ls -q").stdout.split("\n").length).toBe(6);
    expect(pg.exec("docker network prune -f").stdout).toBe("Deleted Networks:\na\nb\n\n");
    expect(pg.exec("docker network prune -f").stdout).toBe("");
    pg.exec("docker network create c");
    expect(pg.exec("echo y | docker network prune").stdout).toContain("Deleted Networks:\nc\n");
    pg.exec("docker network create d");
    pg.exec("docker network prune");
    expect(pg.exec("y").stdout).toContain("[y/N] y\nDeleted Networks:\nd\n");
  });

  it("ls --filter and --format, and the filter errors (client and daemon)", () => {
    const pg = sh();
    pg.exec("docker network create --label env=prod front");
    expect(pg.exec("docker network ls --filter type=custom --format '{{.Name}} {{.Label \"env\"}}'").stdout).toBe("front prod\n");
    expect(pg.exec("docker network ls --filter driver=null --format '{{.Name}}'").stdout).toBe("none\n");
    expect(pg.exec("docker network ls --filter bogus").stderr).toBe("bad format of filter (expected name=value)\n");
    expect(pg.exec("docker network ls --filter colour=red").stderr).toBe("Error response from daemon: invalid filter 'colour'\n");
  });

  it("a failed network command leaves the networks as they were", () => {
    const pg = sh();
    pg.exec("docker network create app");
    const before = pg.exec("docker network ls --no-trunc").stdout;
    expect(pg.exec("docker network create --subnet 172.18.0.0/24 again").exitCode).toBe(1);
    expect(pg.exec("docker network ls --no-trunc").stdout).toBe(before);
  });
});

// A standalone container and a swarm network (QA session 4 D2): swarmkit's AttachNetwork refuses
// a network not created --attachable, ingress included (moby daemon/cluster/networks.go wraps it).
describe("docker network connect to a swarm network", () => {
  it("a non-attachable overlay and ingress are refused with moby's text; nothing changes", () => {
    const pg = createPlayground({ nodes: ["n1"] });
    pg.exec("docker swarm init", { on: "n1" });
    pg.exec("docker network create -d overlay ov2", { on: "n1" });
    pg.exec("docker run -d --name a1 alpine sleep 1d", { on: "n1" });
    const before = pg.worldHash();
    for (const net of ["ov2", "ingress"]) {
      const r = pg.exec(`docker network connect ${net} a1`, { on: "n1" });
      expect(r.stderr).toBe(`Error response from daemon: Could not attach to network ${net}: rpc error: code = PermissionDenied desc = network ${net} not manually attachable\n`);
      expect(r.exitCode).toBe(1);
    }
    expect(pg.worldHash()).toBe(before);
  });
});

describe("docker network rm of a swarm network", () => {
  it("is the cluster's: refused while a service uses it (controlapi's text), then removed", () => {
    const pg = createPlayground({ nodes: ["n1"] });
    pg.exec("docker swarm init", { on: "n1" });
    pg.exec("docker network create -d overlay ov1", { on: "n1" });
    pg.exec("docker service create -d --name web --network ov1 nginx", { on: "n1" });
    pg.advance("10s");
    const id = pg.exec("docker network inspect -f '{{.Id}}' ov1", { on: "n1" }).stdout.trim();
    const svc = pg.exec("docker service inspect -f '{{.ID}}' web", { on: "n1" }).stdout.trim();
    const refused = pg.exec("docker network rm ov1", { on: "n1" });
    expect(refused.stderr).toBe(`Error response from daemon: rpc error: code = FailedPrecondition desc = network ${id} is in use by service ${svc}\n`);
    pg.exec("docker service rm web", { on: "n1" });
    pg.advance("10s");
    expect(pg.exec("docker network rm ov1", { on: "n1" }).stdout).toBe("ov1\n");
    pg.advance("1s");
    expect(pg.exec("docker network ls --format '{{.Name}}' -f driver=overlay", { on: "n1" }).stdout).toBe("ingress\n");
  });
});
