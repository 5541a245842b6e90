import { describe, expect, it } from "vitest";
import { swarm } from "../world/ingress.test-util.js";
import type { Playground } from "../playground.js";

// docker service update --network-add / --network-rm (QA session 4 D3): docker/cli
// service/update.go updateNetworks and its test (update_test.go TestUpdateNetworks): removals are
// resolved to IDs first, additions must not be there already ("service is already attached to
// network X"), and the list is sorted by target ID. The task spec changes, so SwarmKit replaces
// the tasks (orchestrator IsTaskDirty) and the allocator gives the service a VIP on the new network.
const run = (pg: Playground, line: string) => pg.exec(line, { on: "n1" });
const netsOf = (pg: Playground, svc: string) =>
  run(pg, `docker service inspect -f '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}' ${svc}`).stdout.trim().split(" ").filter(Boolean);
const idOf = (pg: Playground, net: string) => run(pg, `docker network inspect -f '{{.Id}}' ${net}`).stdout.trim();

describe("docker service update --network-add / --network-rm", () => {
  it("adds and removes networks by name or ID, sorted by ID; the tasks are replaced and attached to the new network", () => {
    const pg = swarm(["n1", "n2"]);
    run(pg, "docker network create -d overlay ov1");
    run(pg, "docker network create -d overlay ov2");
    run(pg, "docker service create -d --name web --network ov1 nginx");
    pg.advance("10s");
    const before = run(pg, "docker service ps -q web").stdout.trim();
    const r = run(pg, "docker service update -d --network-add ov2 web");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("web\n");
    expect(netsOf(pg, "web")).toEqual([idOf(pg, "ov1"), idOf(pg, "ov2")].sort());
    pg.advance("20s");
    // The old task is shut down, a new one runs attached to both networks.
    const rows = run(pg, "docker service ps --format '{{.ID}} {{.DesiredState}}' web").stdout.trim().split("\n");
    expect(rows).toContain(`${before} Shutdown`);
    const vips = run(pg, "docker service inspect -f '{{range .Endpoint.VirtualIPs}}{{.NetworkID}} {{end}}' web").stdout.trim().split(" ");
    expect(vips.sort()).toEqual([idOf(pg, "ov1"), idOf(pg, "ov2")].sort());

    expect(run(pg, `docker service update -d --network-rm ${idOf(pg, "ov1")} web`).exitCode).toBe(0);
    expect(netsOf(pg, "web")).toEqual([idOf(pg, "ov2")]);
  });

  it("refusals: a network already attached (the CLI's text), a network that does not exist (the daemon's); nothing changes", () => {
    const pg = swarm(["n1"]);
    run(pg, "docker network create -d overlay ov1");
    run(pg, "docker service create -d --name web --network ov1 nginx");
    pg.advance("10s");
    const before = pg.worldHash();
    const again = run(pg, "docker service update --network-add ov1 web");
    expect(again.stderr).toBe("service is already attached to network ov1\n");
    expect(again.exitCode).toBe(1);
    expect(run(pg, "docker service update --network-rm nosuch web").stderr).toBe("Error response from daemon: network nosuch not found\n");
    expect(run(pg, "docker service update --network-add nosuch web").stderr).toBe("Error response from daemon: network nosuch not found\n");
    expect(pg.worldHash()).toBe(before);
  });
});
