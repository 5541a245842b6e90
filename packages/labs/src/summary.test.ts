// The host summary the app draws for labs without a view of their own: what `docker ps -a`,
// `docker images`, `docker volume ls` and `docker network ls` say, host by host.
import { describe, expect, it } from "vitest";
import { parseLab } from "./format.js";
import { LabSession } from "./runner.js";
import { labView, worldSummary } from "./summary.js";

describe("worldSummary", () => {
  it("lists each host's containers, tagged images, volumes and own networks, and whether it is up", () => {
    const lab = parseLab("title: T\nmodule: M\ntopology: { hosts: [node1, node2] }\nsteps:\n  - run: docker run -d --name web -v data:/data nginx\n    caption: c\n  - run: docker network create backend\n    caption: c\n  - crash: node2\n    caption: c\n", "labs/t.yaml");
    const s = new LabSession(lab);
    while (!s.done) s.auto();
    const [n1, n2] = worldSummary(s.pg);
    expect(n1).toEqual({
      host: "node1", up: true, containers: [{ name: "web", image: "nginx", state: "running" }],
      images: ["nginx:latest"], volumes: ["data"], networks: [{ name: "backend", driver: "bridge" }],
    });
    expect(n2).toMatchObject({ host: "node2", up: false, containers: [] });
  });

  it("a swarm lab is drawn by the swarm view, any other by the summary", () => {
    const sw = parseLab("title: T\nmodule: M\ntopology: { swarm: { managers: [m1] } }\nsteps:\n  - run: docker swarm init\n    caption: c\n", "labs/t.yaml");
    const k8s = parseLab("title: T\nmodule: M\ntopology: { kubernetes: { nodes: [cp] } }\nsteps:\n  - run: kubectl get nodes\n    caption: c\n", "labs/t.yaml");
    expect([labView(sw), labView(k8s)]).toEqual(["swarm", "summary"]);
  });
});
