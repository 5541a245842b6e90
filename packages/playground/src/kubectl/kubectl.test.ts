// kubectl at a host's prompt: each expected text names where kubectl prints it.
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";
import { parseKubectlArgs } from "./flags.js";

const NODES = ["control-plane", "node-1", "node-2"];
const TWO = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
spec:
  replicas: 2
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

function cluster(): Playground {
  const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/app/web.yaml", text: TWO });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/app/ns.yaml", text: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n" });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/app/README.md", text: "not a manifest\n" });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/bad.yaml", text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n  selector:\n    matchLabels: { app: x }\n  template:\n    metadata:\n      labels: { app: x }\n    spec:\n      containers: [{ name: x, image: nginx }]\n" });
  return pg;
}
const k = (pg: Playground, line: string) => pg.exec(line, { on: "control-plane" });

describe("kubectl's command line (cobra, pflag)", () => {
  it("reads long and short flags, with = or the next word, and stops at --", () => {
    const p = parseKubectlArgs(["get", "pods", "-nkube-system", "-o", "wide", "--selector=app=web", "-A", "--", "ls", "-l"]);
    expect(p.args).toEqual(["get", "pods"]);
    expect(Object.fromEntries(p.flags)).toEqual({ namespace: ["kube-system"], output: ["wide"], selector: ["app=web"], "all-namespaces": ["true"] });
    expect(p.rest).toEqual(["ls", "-l"]);
  });

  it("an unknown flag is pflag's error", () => {
    const pg = cluster();
    expect(k(pg, "kubectl get pods --bogus")).toEqual({ exitCode: 1, stdout: "", stderr: "error: unknown flag: --bogus\nSee 'kubectl --help' for usage.\n" });
  });
});

describe("kubectl apply, create", () => {
  it("applies every document of a file and every manifest of a directory (.yaml, .yml, .json), in name order", () => {
    const pg = cluster();
    // kubectl apply's output: "<kind>.<group>/<name> created", "unchanged" when nothing changed (apply.go printObjects).
    expect(k(pg, "kubectl apply -f /root/app")).toEqual({ exitCode: 0, stdout: "namespace/team created\ndeployment.apps/web created\nservice/web created\n", stderr: "" });
    expect(k(pg, "cd /root && kubectl apply -f app/web.yaml").stdout).toBe("deployment.apps/web unchanged\nservice/web unchanged\n");
  });

  it("a bad manifest gets kubectl's validation error and applies nothing", () => {
    const pg = cluster();
    const hash = pg.worldHash();
    const r = k(pg, "kubectl apply -f /root/bad.yaml");
    expect(r.exitCode).toBe(1);
    // kubectl's client-side validation (pkg/kubectl/validation): the file, the field and the way out.
    expect(r.stderr).toBe('error: error validating "/root/bad.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false\n');
    expect(k(pg, "kubectl apply -f /root/nope.yaml").stderr).toBe('error: the path "/root/nope.yaml" does not exist\n');
    expect(pg.worldHash()).toBe(hash);
  });

  it("create deployment names the container after the image and labels with app=<name>", () => {
    const pg = cluster();
    expect(k(pg, "kubectl create deployment hello --image=docker.io/library/nginx:1.27 --replicas=2").stdout).toBe("deployment.apps/hello created\n");
    const d = pg.world.kube!.state.store.get("Deployment", "default", "hello")!;
    expect(d.spec.template.spec.containers.map((c) => c.name)).toEqual(["nginx"]);
    expect(d.spec.selector.matchLabels).toEqual({ app: "hello" });
    // kubectl create deployment requires --image (cobra's MarkFlagRequired).
    expect(k(pg, "kubectl create deployment x").stderr).toBe('error: required flag(s) "image" not set\n');
  });
});

describe("kubectl get", () => {
  it("says so when nothing is found, and names unknown resource types as the server does", () => {
    const pg = cluster();
    // get.go: "No resources found in <ns> namespace." on stderr, exit 0.
    expect(k(pg, "kubectl get pods")).toEqual({ exitCode: 0, stdout: "", stderr: "No resources found in default namespace.\n" });
    expect(k(pg, "kubectl get foo")).toEqual({ exitCode: 1, stdout: "", stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
    expect(k(pg, "kubectl get deployment nosuch")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server (NotFound): deployments.apps "nosuch" not found\n' });
  });

  it("lists across namespaces with a NAMESPACE column, by label, without headers, as names and as JSON", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f /root/app");
    k(pg, "kubectl run solo --image=nginx:1.27 -n team");
    k(pg, "sleep 3");
    const all = k(pg, "kubectl get pods -A").stdout.split("\n");
    expect(all[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(all.filter((l) => l.startsWith("team "))).toHaveLength(1);
    expect(k(pg, "kubectl get pods -n team -o name").stdout).toBe("pod/solo\n");
    expect(k(pg, "kubectl get pods -l app=web --no-headers").stdout.trim().split("\n")).toHaveLength(2);
    expect(k(pg, "kubectl get pods -l 'app in (db)'").stderr).toBe("No resources found in default namespace.\n");
    const json = JSON.parse(k(pg, "kubectl get deployment web -o json").stdout) as { kind: string; metadata: { name: string; creationTimestamp: string } };
    expect(json.kind).toBe("Deployment");
    expect(json.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const list = JSON.parse(k(pg, "kubectl get svc -o json").stdout) as { kind: string; items: unknown[] };
    expect(list.kind).toBe("List");
    expect(list.items).toHaveLength(2);
  });
});

describe("kubectl's changes", () => {
  it("scale, set image, rollout undo, pause and resume print kubectl's lines", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f /root/app/web.yaml");
    k(pg, "kubectl rollout status deployment/web");
    expect(k(pg, "kubectl scale deployment/web --replicas=4").stdout).toBe("deployment.apps/web scaled\n");
    expect(k(pg, "kubectl set image deployment/web nginx=nginx:1.25").stdout).toBe("deployment.apps/web image updated\n");
    expect(k(pg, "kubectl set image deployment/web php=php:8").stderr).toBe('error: unable to find container named "php"\n');
    expect(k(pg, "kubectl rollout pause deployment/web").stdout).toBe("deployment.apps/web paused\n");
    expect(k(pg, "kubectl rollout pause deployment/web").stderr).toBe('error: deployments.apps "web" is already paused\n');
    expect(k(pg, "kubectl rollout resume deployment/web").stdout).toBe("deployment.apps/web resumed\n");
    k(pg, "kubectl rollout status deployment/web");
    expect(k(pg, "kubectl rollout undo deployment/web").stdout).toBe("deployment.apps/web rolled back\n");
    expect(k(pg, "kubectl rollout undo deployment/web --to-revision=9").stderr).toBe("error: unable to find specified revision 9 in history\n");
  });

  it("expose, run, label and delete", () => {
    const pg = cluster();
    k(pg, "kubectl create deployment api --image=nginx:1.27 --port=80");
    expect(k(pg, "kubectl expose deployment api --type=NodePort").stdout).toBe("service/api exposed\n");
    const svc = pg.world.kube!.state.store.get("Service", "default", "api")!;
    expect(svc.spec.selector).toEqual({ app: "api" });
    expect(svc.spec.ports![0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(k(pg, "kubectl run tmp --image=busybox -- sleep 3600").stdout).toBe("pod/tmp created\n");
    expect(pg.world.kube!.state.store.get("Pod", "default", "tmp")!.spec.containers[0]!.args).toEqual(["sleep", "3600"]);
    expect(k(pg, "kubectl label pod tmp tier=cache").stdout).toBe("pod/tmp labeled\n");
    // label.go: an existing key needs --overwrite.
    expect(k(pg, "kubectl label pod tmp tier=db").stderr).toBe("error: 'tier' already has a value (cache), and --overwrite is false\n");
    expect(k(pg, "kubectl label pod tmp tier=db --overwrite").stdout).toBe("pod/tmp labeled\n");
    expect(k(pg, "kubectl label pod tmp tier-").stdout).toBe("pod/tmp unlabeled\n");
    // delete.go: `<resource>.<group> "<name>" deleted`, after waiting for the object to be gone.
    expect(k(pg, "kubectl delete pod tmp").stdout).toBe('pod "tmp" deleted\n');
    expect(pg.world.kube!.state.store.get("Pod", "default", "tmp")).toBeUndefined();
    expect(k(pg, "kubectl delete service api").stdout).toBe('service "api" deleted\n');
  });

  it("create secret generic and create configmap, from literals and files", () => {
    const pg = cluster();
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/app.conf", text: "debug=true\n" });
    expect(k(pg, "kubectl create secret generic db --from-literal=password=s3cret").stdout).toBe("secret/db created\n");
    // The API stores a Secret's data base64-encoded (the course's warning: encoded, not encrypted).
    expect(pg.world.kube!.state.store.get("Secret", "default", "db")!.data).toEqual({ password: "czNjcmV0" });
    expect(k(pg, "cd /root && kubectl create configmap app --from-file=app.conf").stdout).toBe("configmap/app created\n");
    expect(k(pg, "kubectl get secrets,configmaps --no-headers").stdout).toMatch(/^secret\/db\s+Opaque\s+1\s+\d+s\n\nconfigmap\/app\s+1\s+\d+s\n$/);
    expect(k(pg, "kubectl create secret generic db --from-literal=a=b").stderr).toBe('Error from server (AlreadyExists): secrets "db" already exists\n');
    expect(k(pg, "kubectl create secret generic x --from-literal=novalue").stderr).toBe("error: invalid literal source novalue, expected key=value\n");
  });

  it("logs reads the pod's container on its node", () => {
    const pg = cluster();
    k(pg, "kubectl run hello --image=hello-world --restart=Never");
    k(pg, "sleep 3");
    const r = k(pg, "kubectl logs hello");
    expect(r.stdout).toContain("Hello from Docker!");
    expect(k(pg, "kubectl logs nosuch").stderr).toBe('Error from server (NotFound): pods "nosuch" not found\n');
  });

  it("logs: -f is --follow there (not --filename), --tail keeps the last lines, stderr comes on stdout as the API merges it (QA session 4 #1, #8)", () => {
    const pg = cluster();
    k(pg, "kubectl run web --image=nginx:1.27");
    k(pg, "sleep 5");
    const all = k(pg, "kubectl logs web");
    expect(all.stderr).toBe("");
    expect(all.stdout).toContain("start worker processes");
    const lines = all.stdout.trimEnd().split("\n");
    expect(k(pg, "kubectl logs --tail 2 web").stdout).toBe(`${lines.slice(-2).join("\n")}\n`);
    // -f follows until Ctrl-C (kubectl-follow.test.ts): what it printed at once is the log so far.
    pg.begin("kubectl logs -f web", { on: "control-plane" });
    pg.advance("1ms");
    expect(pg.output("control-plane")).toBe(all.stdout);
    pg.interrupt("control-plane");
    pg.begin("kubectl logs web -f --tail=1", { on: "control-plane" });
    pg.advance("1ms");
    expect(pg.output("control-plane")).toBe(`${lines.at(-1)}\n`);
    pg.interrupt("control-plane");
  });
});
