import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// A swarm and Kubernetes on the same hosts (the closing assignment deploys the application on
// both): Docker inserts its DOCKER-INGRESS jump first in nat PREROUTING, kube-proxy its
// KUBE-SERVICES/KUBE-NODEPORTS; a port the swarm publishes is the routing mesh's, any other
// NodePort is kube-proxy's.
describe("the routing mesh and kube-proxy's NodePorts on one host", () => {
  it("both answer, each on its own ports", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: ["control-plane", "node-1"] } });
    const code = (url: string, on = "control-plane") => pg.exec(`curl -s -o /dev/null -w '%{http_code}' ${url}`, { on }).stdout;
    pg.exec("docker swarm init >/dev/null");
    pg.exec("docker service create -q --name web -p 8080:80 nginx:1.27 >/dev/null");
    pg.exec("kubectl create deployment hello --image=nginx:1.27 && kubectl expose deployment hello --port 80 --type NodePort");
    pg.exec("sleep 20");
    const port = /80:(\d+)\/TCP/.exec(pg.exec("kubectl get svc hello").stdout)?.[1];
    expect(port).toBeDefined();
    expect(code(`localhost:${port}`)).toBe("200");
    expect(code(`localhost:${port}`, "node-1")).toBe("200");
    expect(code("localhost:8080")).toBe("200");
  });
});
