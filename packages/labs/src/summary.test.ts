// The host summary the app draws for labs without a view of their own: what `docker ps -a`,
// `docker images`, `docker volume ls` and `docker network ls` say, host by host.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLab, type Lab } from "./format.js";
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
    const lab = (module: string, topology: string, line = "docker ps"): Lab =>
      parseLab(`title: T\nmodule: ${module}\n${topology}steps:\n  - run: ${line}\n    caption: c\n`, "labs/t.yaml");
    const k8s = "topology: { kubernetes: { nodes: [cp] } }\n";
    expect(labView(lab("Swarm", "topology: { swarm: { managers: [m1] } }\n", "docker swarm init"))).toBe("swarm");
    // Kubernetes: the Services view once the lab makes a Service, else the Deployment tree if it
    // makes a Deployment, else (bare pods) the Services view's nodes and pods.
    expect(labView(lab("Kubernetes", k8s, "kubectl create deployment web --image=nginx"))).toBe("kube-rollout");
    expect(labView(lab("Kubernetes", k8s, "kubectl get nodes"))).toBe("kube-services");
    expect(labView(lab("Kubernetes", k8s, "kubectl expose deployment web --port=80"))).toBe("kube-services");
    // By the course's module otherwise; a module no view fits keeps the host summary.
    expect(["Images", "Containers", "Volumes", "System", "Networks", "Compose", "Plugins"].map((m) => labView(lab(m, ""))))
      .toEqual(["build", "containers", "containers", "containers", "bridge", "bridge", "summary"]);
  });

  it("every lab of the course has a view other than the summary, but the plugins lab", () => {
    const dir = fileURLToPath(new URL("../labs/", import.meta.url));
    const kinds = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "course.yaml")
      .map((f) => [f, labView(parseLab(readFileSync(dir + f, "utf8"), `labs/${f}`))] as const);
    expect(kinds.filter(([, k]) => k === "summary").map(([f]) => f)).toEqual(["plugins-sshfs.yaml"]);
    expect(Object.fromEntries(kinds.filter(([f]) => /^(images-dockerfiles-1|networks-single-host|kube-orchestration|kube-networking|kube-basics)/.test(f))))
      .toEqual({ "images-dockerfiles-1.yaml": "build", "kube-basics.yaml": "kube-services", "kube-networking.yaml": "kube-services", "kube-orchestration.yaml": "kube-rollout", "networks-single-host.yaml": "bridge" });
  });
});
