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
});
