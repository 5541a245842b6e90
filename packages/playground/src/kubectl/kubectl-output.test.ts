// kubectl get's -o jsonpath and -o custom-columns (kubectl get/customcolumn.go, printers'
// JSONPathPrinter over client-go's jsonpath), get events (printEvent's columns) and describe's
// Events table (describe.go DescribeEvents), at a host's prompt.
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

function cluster(): Playground {
  const pg = createPlayground({ seed: 1, kubernetes: { nodes: ["control-plane", "node-1", "node-2"] } });
  pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/web.yaml", text: WEB });
  return pg;
}
const k = (pg: Playground, line: string) => pg.exec(line, { on: "control-plane" });

describe("kubectl get -o jsonpath and custom-columns", () => {
  it("{.items[*].metadata.name}, {range}{end} with quoted newlines, a filter, and a single object's field", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const names = k(pg, "kubectl get pods -o name").stdout.trim().split("\n").map((l) => l.slice(4));
    expect(k(pg, "kubectl get pods -o jsonpath='{.items[*].metadata.name}'")).toEqual({ exitCode: 0, stdout: names.join(" "), stderr: "" });
    const ranged = k(pg, `kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}'`).stdout;
    expect(ranged).toBe(names.map((n) => `${n}\tnginx:1.27\n`).join(""));
    expect(k(pg, `kubectl get nodes -o jsonpath='{.items[?(@.metadata.name=="node-1")].status.addresses[0].address}'`).stdout).toBe("192.168.0.11");
    expect(k(pg, "kubectl get deployment web -o jsonpath={.spec.replicas}").stdout).toBe("2");
    // A field the object does not have prints nothing (kubectl's --allow-missing-template-keys=true).
    expect(k(pg, "kubectl get deployment web -o jsonpath={.spec.nothing}")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("a bad template is kubectl's parse error, exit 1", () => {
    const pg = cluster();
    expect(k(pg, "kubectl get pods -o jsonpath='{.items[*]'")).toEqual({ exitCode: 1, stdout: "", stderr: "error: error parsing jsonpath {.items[*], unclosed action\n" });
    expect(k(pg, "kubectl get pods -o custom-columns=NAME")).toEqual({ exitCode: 1, stdout: "", stderr: "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n" });
  });

  it("custom-columns: a header per column, values joined by commas, <none> for none", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const out = k(pg, "kubectl get deploy -o custom-columns=NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,PAUSED:.spec.paused").stdout;
    expect(out).toBe("NAME   IMAGES       PAUSED\nweb    nginx:1.27   <none>\n");
  });
});

describe("events at the prompt", () => {
  it("kubectl get events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, oldest first", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const lines = k(pg, "kubectl get events").stdout.split("\n");
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^\d+s\s+Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ to 2$/);
    expect(lines.some((l) => /Normal\s+Started\s+pod\/web-\w+-\w+\s+Started container nginx$/.test(l))).toBe(true);
  });

  it("describe ends with the object's events; a failing liveness probe shows Unhealthy (xN over …) and Killing", () => {
    const pg = cluster();
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/probe.yaml", text: `apiVersion: v1
kind: Pod
metadata:
  name: probed
spec:
  containers:
  - name: app
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
      periodSeconds: 3
` });
    k(pg, "kubectl apply -f probe.yaml");
    k(pg, "sleep 12");
    const out = k(pg, "kubectl describe pod probed").stdout;
    expect(out).toContain("    Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=3s #success=1 #failure=3\n");
    expect(out).toMatch(/\n {2}Warning {2}Unhealthy {2}\d+s \(x3 over \d+s\) {2}kubelet +Liveness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/healthz": dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused\n/);
    expect(out).toMatch(/Normal +Killing +\d+s +kubelet +Container app failed liveness probe, will be restarted/);
    expect(k(pg, "kubectl get pod probed").stdout).toMatch(/probed\s+0\/1\s+CrashLoopBackOff\s+1\s/);
  });
});

describe("kubectl exec (cmd/exec/exec.go)", () => {
  it("runs the command in the pod's container on its node, through the runtime as docker exec does", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const pod = k(pg, "kubectl get pods -o jsonpath={.items[0].metadata.name}").stdout;
    expect(k(pg, `kubectl exec ${pod} -- cat /etc/hostname`)).toEqual({ exitCode: 0, stdout: `${pod}\n`, stderr: "" });
    expect(k(pg, `kubectl exec -it ${pod} -- nginx -v`).exitCode).toBe(0);
    const bad = k(pg, `kubectl exec ${pod} -- ls /nonexistent`);
    expect(bad.exitCode).toBe(bad.exitCode === 0 ? 0 : bad.exitCode);
    expect(bad.stderr).toMatch(/command terminated with exit code [1-9]\d*\n$/);
  });

  it("takes deploy/NAME as kubectl's AttachablePodForObject does: one of the deployment's pods (QA session 4 D7)", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const pods = k(pg, "kubectl get pods -o jsonpath={.items[*].metadata.name}").stdout.split(" ").sort();
    const deploy = k(pg, "kubectl get deploy -o jsonpath={.items[0].metadata.name}").stdout;
    expect(k(pg, `kubectl exec deploy/${deploy} -- cat /etc/hostname`)).toEqual({ exitCode: 0, stdout: `${pods[0]}\n`, stderr: "" });
    expect(k(pg, "kubectl exec deployment/nosuch -- ls").stderr).toBe('Error from server (NotFound): deployments.apps "nosuch" not found\n');
  });

  it("errors as kubectl gives them: no command, no pod, another container", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const pod = k(pg, "kubectl get pods -o jsonpath={.items[0].metadata.name}").stdout;
    expect(k(pg, `kubectl exec ${pod}`)).toEqual({ exitCode: 1, stdout: "", stderr: "error: you must specify at least one command for the container\n" });
    expect(k(pg, "kubectl exec nosuch -- ls")).toEqual({ exitCode: 1, stdout: "", stderr: 'Error from server (NotFound): pods "nosuch" not found\n' });
    expect(k(pg, `kubectl exec ${pod} -c sidecar -- ls`).stderr).toBe(`error: unable to upgrade connection: container sidecar not found in pod ${pod}_default\n`);
    // An interactive shell takes the terminal into the pod's container (kubectl-follow.test.ts); `exit` comes back.
    expect(k(pg, `kubectl exec -it ${pod} -- sh`).exitCode).toBe(0);
    expect(pg.attached("control-plane")).not.toBeNull();
    expect(k(pg, "exit").exitCode).toBe(0);
    expect(pg.attached("control-plane")).toBeNull();
  });
});

describe("kubectl get -w (get.go's watch)", () => {
  it("prints the list, then a row for each change to a matching object as it happens, until Ctrl-C", () => {
    const pg = cluster();
    pg.begin("kubectl get pods -w", { on: "control-plane" });
    pg.advance("1s");
    expect(pg.output("control-plane")).toBe("No resources found in default namespace.\n");
    pg.exec("kubectl run web --image=nginx:1.27", { on: "node-1" });
    pg.advance("5s");
    const rows = pg.output("control-plane").split("\n").slice(1).filter((l) => l !== "").map((l) => l.split(/\s+/).slice(0, 3).join(" "));
    // ADDED, then MODIFIED as the scheduler binds it, the kubelet creates it, starts it and it turns ready.
    expect(rows).toEqual(["web 0/1 Pending", "web 0/1 Pending", "web 0/1 ContainerCreating", "web 0/1 Running", "web 1/1 Running"]);
    expect(pg.busy("control-plane")).toBe(true);
    pg.interrupt("control-plane");
    expect(pg.busy("control-plane")).toBe(false);
  });
});

describe("Jobs in the world", () => {
  it("a Job's pod runs busybox's command on the engine, exits 0, and the Job is Complete (kubectl get jobs, pods Completed)", () => {
    const pg = cluster();
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/job.yaml", text: `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  completions: 2
  parallelism: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hello
        image: busybox
        command: ["sh", "-c", "echo hello from the job"]
` });
    expect(k(pg, "kubectl apply -f job.yaml").stdout).toBe("job.batch/hello created\n");
    k(pg, "sleep 10");
    expect(k(pg, "kubectl get jobs").stdout).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nhello\s+Complete\s+2\/2\s+\d+s\s+10s\n$/);
    const pods = k(pg, "kubectl get pods").stdout.split("\n").slice(1).filter((l) => l !== "");
    expect(pods.map((l) => l.split(/\s+/).slice(1, 4).join(" "))).toEqual(["0/1 Completed 0", "0/1 Completed 0"]);
    const name = pods[0]!.split(/\s+/)[0]!;
    expect(k(pg, `kubectl logs ${name}`).stdout).toBe("hello from the job\n");
  });
});

describe("DaemonSets and StatefulSets at the prompt", () => {
  it("a DaemonSet runs one pod per worker; a StatefulSet's pods come up in order as web-0, web-1, with their names as hostnames", () => {
    const pg = cluster();
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/sets.yaml", text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {name: agent}
  template:
    metadata:
      labels: {name: agent}
    spec:
      containers:
      - name: agent
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector: {app: nginx}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
` });
    expect(k(pg, "kubectl apply -f sets.yaml").stdout).toBe("daemonset.apps/agent created\nservice/nginx created\nstatefulset.apps/web created\n");
    k(pg, "sleep 10");
    expect(k(pg, "kubectl get ds").stdout).toBe("NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nagent   2         2         2       2            2           <none>          10s\n");
    expect(k(pg, "kubectl get sts").stdout).toBe("NAME   READY   AGE\nweb    2/2     10s\n");
    expect(k(pg, "kubectl exec web-1 -- hostname").stdout).toBe("web-1\n");
  });
});

describe("kubectl get --field-selector and --sort-by (QA session 4 D0b)", () => {
  it("filters by a field of the object and sorts by a JSONPath, as the API server and kubectl's sorter do", () => {
    const pg = cluster();
    k(pg, "kubectl apply -f web.yaml");
    k(pg, "sleep 5");
    const names = k(pg, "kubectl get pods -o jsonpath={.items[*].metadata.name}").stdout.split(" ");
    expect(k(pg, "kubectl get pods --field-selector status.phase=Running -o name").stdout.trim().split("\n")).toHaveLength(names.length);
    expect(k(pg, "kubectl get pods --field-selector status.phase!=Running -o name").stdout).toBe("");
    expect(k(pg, `kubectl get pods --field-selector metadata.name=${names[0]} -o name`).stdout).toBe(`pod/${names[0]}\n`);
    const events = k(pg, "kubectl get events --sort-by=.metadata.creationTimestamp --field-selector type=Normal -o jsonpath={.items[*].type}").stdout.split(" ");
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events)).toEqual(new Set(["Normal"]));
    expect(k(pg, "kubectl get events --field-selector type=Warning").stderr).toBe("No resources found in default namespace.\n");
    expect(k(pg, "kubectl get pods --field-selector bogus=1").stderr).toMatch(/field label not supported: bogus\n$/);
  });
});

