// Swarm and Kubernetes checks judge the world: a wrong command leaves them red with a message that
// says what was found, the right one turns them green.
import { describe, expect, it } from "vitest";
import { parseLab } from "./format.js";
import { LabSession } from "./runner.js";

const SWARM = `title: T
module: Swarm
topology:
  swarm: { managers: [node-0], workers: [node-1, node-2] }
setup: { swarm: true }
steps:
  - run: docker service create --name web --replicas 3 nginx
    caption: c
    checks:
      - service: { name: web, replicas: 3, running: 3 }
        hint: three replicas
      - tasks: { service: web, running: 3, onNodes: [node-0, node-1, node-2] }
        hint: spread
  - run: docker node update --availability drain node-2
    caption: c
    checks:
      - node: { name: node-2, availability: drain, role: worker, status: ready }
        hint: drain node-2
  - run: echo s3cr3t | docker secret create pw -
    caption: c
    checks:
      - secret: { name: pw }
        hint: create pw
`;

const KUBE = `title: T
module: Kubernetes
topology:
  kubernetes: { nodes: [control-plane, node-1, node-2] }
steps:
  - run: kubectl create deployment web --image=nginx:1.27 --replicas=2
    caption: c
    checks:
      - deployment: { name: web, image: nginx:1.27 }
        hint: nginx:1.27
  - run: sleep 5
    caption: c
    checks:
      - deployment: { name: web, ready: 2 }
        hint: two ready
      - pods: { ownedBy: web, count: 2, ready: 2, phase: Running }
        hint: two pods
  - run: kubectl expose deployment web --type=NodePort --port=80
    caption: c
    checks:
      - k8sService: { name: web, type: NodePort }
        hint: a NodePort
`;

describe("swarm checks", () => {
  it("setup: { swarm: true } forms the swarm before the first step, with the roles the topology gives", () => {
    const s = new LabSession(parseLab(SWARM, "labs/t.yaml"));
    const ls = s.pg.exec("docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'", { on: "node-0" }).stdout;
    expect(ls).toBe("node-0 Leader\nnode-1 \nnode-2 \n");
  });

  it("a wrong command leaves them red, the right one green", () => {
    const s = new LabSession(parseLab(SWARM, "labs/t.yaml"));
    const wrong = s.type("docker service create --name web --replicas 2 nginx");
    expect(wrong.passed).toBe(false);
    expect(wrong.checks.map((c) => [c.ok, c.message])).toEqual([
      [false, "a service web with 3 running of 3 replicas (it has 2/2)"],
      [false, "3 running tasks of web on node-0, node-1, node-2 only (2 running, on node-0, node-1)"],
    ]);
    expect(s.type("docker service scale web=3").passed).toBe(true);
    const node = s.type("docker node update --availability pause node-2");
    expect(node.checks[0]).toMatchObject({ ok: false, message: "the node node-2 ready drain worker (it is ready pause worker)" });
    expect(s.type("docker node update --availability drain node-2").passed).toBe(true);
    const secret = s.type("echo s3cr3t | docker secret create password -");
    expect(secret.checks[0]).toMatchObject({ ok: false, message: "a secret pw (there is none)" });
    expect(s.type("echo s3cr3t | docker secret create pw -").passed).toBe(true);
    expect(s.done).toBe(true);
  });

  it("on a host that is not in a swarm, a swarm check says why it fails", () => {
    const s = new LabSession(parseLab(SWARM.replace("setup: { swarm: true }\n", ""), "labs/t.yaml"));
    const r = s.type("docker service create --name web --replicas 3 nginx");
    expect(r.checks[0]!.ok).toBe(false);
    expect(r.checks[0]!.message).toMatch(/^a service web with 3 running of 3 replicas \(.*swarm.*\)$/);
  });
});

describe("Kubernetes checks", () => {
  it("a wrong command leaves them red, the right one green", () => {
    const s = new LabSession(parseLab(KUBE, "labs/t.yaml"));
    const wrong = s.type("kubectl create deployment web --image=nginx:1.26 --replicas=2");
    expect(wrong.checks[0]).toMatchObject({ ok: false, message: "a deployment web running nginx:1.27 (0 ready, image nginx:1.26)" });
    s.type("kubectl delete deployment web");
    expect(s.type("kubectl create deployment web --image=nginx:1.27 --replicas=2").passed).toBe(true);
    const early = s.type("sleep 0");
    expect(early.passed).toBe(false);
    expect(early.checks[1]!.message).toMatch(/^2 pods of web, 2 ready, all Running \(2 pods, 0 ready/);
    expect(s.type("sleep 5").passed).toBe(true);
    const svc = s.type("kubectl expose deployment web --port=80");
    expect(svc.checks[0]).toMatchObject({ ok: false, message: "a service web of type NodePort (its type is ClusterIP)" });
  });
});
