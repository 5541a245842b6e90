// The data path reads each node's endpoint table, which the gossip fills (issue #12; swarm
// daemon/gossip.ts): libnetwork's service records live in networkdb on every node, each node
// publishing the endpoints of its own tasks (libnetwork agent.go addServiceInfoToCluster), so a
// node learns of a task elsewhere only when the gossip reaches it, and one cut off keeps what it
// knew (entries of nodes it believes failed are hidden: networkdb nodemgmt.go changeNodeState).
import { describe, expect, it } from "vitest";
import { request, runningTasks, swarm } from "./ingress.test-util.js";
import { tableTasks } from "./ingress.js";

describe("each node's data path reads its own endpoint table", () => {
  it("a node cut off from the others never learns of a task started meanwhile; it does once the partition heals", () => {
    const pg = swarm(["n1", "n2", "n3", "n4"]);
    expect(pg.exec("docker service create -d --name web --publish 8080:80 --replicas 0 --constraint node.hostname!=n4 nginx", { on: "n1" }).exitCode).toBe(0);
    pg.advance("10s");
    pg.partition([["n1", "n2", "n3"], ["n4"]]);
    pg.exec("docker service scale -d web=1", { on: "n1" });
    pg.advance("10s");
    expect(runningTasks(pg, "web").size).toBe(1);
    expect(tableTasks(pg.world, "n1")!.map((t) => t.name)).toEqual(["web.1"]);
    expect(tableTasks(pg.world, "n4")).toEqual([]);
    expect(request(pg, "n1", "curl -s -o /dev/null localhost:8080")).toMatchObject({ outcome: "connected", exitCode: 0 });
    // n4's ingress has no backend for the port in its table: libnetwork removed the rules with the last one.
    expect(request(pg, "n4", "curl -s -o /dev/null localhost:8080")).toMatchObject({ outcome: "refused", exitCode: 7 });
    pg.heal();
    pg.advance("40s");
    expect(tableTasks(pg.world, "n4")!.map((t) => t.name)).toEqual(["web.1"]);
    expect(request(pg, "n4", "curl -s -o /dev/null localhost:8080")).toMatchObject({ outcome: "connected", exitCode: 0 });
  });

  it("a shell attached to a container asks its own node's table (the sender's libnetwork), not the store", () => {
    const pg = swarm(["n1", "n2", "n3", "n4"]);
    pg.exec("docker network create -d overlay --attachable x", { on: "n1" });
    expect(pg.exec("docker service create -d --name web --network x --replicas 0 --constraint node.hostname!=n4 nginx", { on: "n1" }).exitCode).toBe(0);
    pg.advance("10s");
    // A shell on n4, attached at its terminal, on the service's network.
    pg.exec("docker run -it --name sh4 --network x alpine sh", { on: "n4" });
    pg.partition([["n1", "n2", "n3"], ["n4"]]);
    pg.exec("docker service scale -d web=1", { on: "n1" });
    pg.advance("10s");
    const [task] = [...runningTasks(pg, "web").keys()];
    expect(task).toBe("web.1");
    const ip = tableTasks(pg.world, "n1")![0]!.addresses[0]!.ip;
    expect(pg.exec("nslookup tasks.web", { on: "n4" }).stdout).not.toContain(`Address: ${ip}`);
    pg.heal();
    pg.advance("40s");
    expect(pg.exec("nslookup tasks.web", { on: "n4" }).stdout).toContain(`Address: ${ip}`);
  });
});
