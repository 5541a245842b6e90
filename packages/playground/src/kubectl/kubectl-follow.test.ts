// kubectl logs -f, exec -it and port-forward at a host's prompt: commands that hold the prompt.
import { describe, expect, it } from "vitest";
import { connect } from "@drydock/engine";
import { createPlayground, type Playground } from "../playground.js";
import { netWorld } from "../world/traffic.js";

const NODES = ["control-plane", "node-1", "node-2"];
const k = (pg: Playground, line: string) => pg.exec(line, { on: "control-plane" });

describe("kubectl logs -f (kubectl cmd/logs: Follow streams the log until the container ends or Ctrl-C)", () => {
  it("prints what the container wrote so far, then each new line as it is written, and ends with the container", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl run counter --image=busybox --restart=Never -- sh -c 'sleep 3; for i in 1 2 3; do echo $i; sleep 1; done'");
    k(pg, "sleep 4");
    pg.begin("kubectl logs -f counter", { on: "control-plane" });
    pg.advance("100ms");
    expect(pg.output("control-plane")).toBe("1\n");
    pg.advance("1s");
    expect(pg.output("control-plane")).toBe("1\n2\n");
    expect(pg.busy("control-plane")).toBe(true);
    // The container exits after its last line: the stream ends, and so does kubectl (status 0).
    expect(pg.wait("control-plane")).toEqual({ exitCode: 0, stdout: "1\n2\n3\n", stderr: "" });
  });

  it("Ctrl-C ends kubectl (bash's ^C, status 130); the pod runs on", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl run pinger --image=alpine -- ping 8.8.8.8");
    k(pg, "sleep 3");
    pg.begin("kubectl logs -f pinger --tail=1", { on: "control-plane" });
    const replies = () => pg.output("control-plane").split("\n").filter((l) => l.startsWith("64 bytes")).length;
    pg.advance("1ms");
    expect(replies()).toBe(1);
    // ping replies once a second: two more lines in two seconds.
    pg.advance("2s");
    expect(replies()).toBe(3);
    pg.interrupt("control-plane");
    expect(pg.busy("control-plane")).toBe(false);
    expect(k(pg, "kubectl get pod pinger --no-headers").stdout).toMatch(/^pinger +1\/1 +Running/);
  });
});

describe("CronJobs at the prompt (kubectl create cronjob, get cronjobs: printers.go printCronJob v1.30)", () => {
  it("create cronjob, then a Job a minute named <cronjob>-<Unix minutes>, with get's columns", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    expect(k(pg, "kubectl create cronjob hello --image=busybox --schedule='*/1 * * * *' -- echo hello")).toEqual({ exitCode: 0, stdout: "cronjob.batch/hello created\n", stderr: "" });
    expect(k(pg, "kubectl get cronjobs").stdout).toBe("NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nhello   */1 * * * *   <none>     False     0        <none>          0s\n");
    k(pg, "sleep 65");
    expect(k(pg, "kubectl get cj").stdout).toMatch(/^NAME +SCHEDULE +TIMEZONE +SUSPEND +ACTIVE +LAST SCHEDULE +AGE\nhello +\*\/1 \* \* \* \* +<none> +False +[01] +\d+s +\d+s\n$/);
    // 2026-01-01T00:01:00Z is Unix minute 29453761.
    expect(k(pg, "kubectl get jobs -o name").stdout).toBe("job.batch/hello-29453761\n");
    k(pg, "sleep 10");
    expect(k(pg, "kubectl logs job/hello-29453761").stdout).toBe("hello\n");
    // describe.go describeCronJob: the spec with its defaults, the Job template, the last schedule (RFC 1123Z), the events.
    const d = k(pg, "kubectl describe cronjob hello").stdout;
    expect(d).toMatch(/^Name: +hello\nNamespace: +default\nLabels: +<none>\nAnnotations: +<none>\nSchedule: +\*\/1 \* \* \* \*\nConcurrency Policy: +Allow\nSuspend: +False\nSuccessful Job History Limit: +3\nFailed Job History Limit: +1\nStarting Deadline Seconds: +<unset>\nSelector: +<unset>\nParallelism: +<unset>\nCompletions: +<unset>\nPod Template:\n/);
    expect(d).toContain("Last Schedule Time:  Thu, 01 Jan 2026 00:01:00 +0000\nActive Jobs:         <none>\n");
    expect(d).toMatch(/Normal +SuccessfulCreate +\d+s +cronjob-controller +Created job hello-29453761\n/);
  });

  it("kubectl's and the API server's errors; nothing is created", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    expect(k(pg, "kubectl create cronjob x")).toEqual({ exitCode: 1, stdout: "", stderr: 'error: required flag(s) "image", "schedule" not set\n' });
    expect(k(pg, "kubectl create cronjob x --image=busybox --schedule='* * *'")).toEqual({ exitCode: 1, stdout: "", stderr: 'The CronJob "x" is invalid: spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]\n' });
    expect(k(pg, "kubectl get cronjobs")).toEqual({ exitCode: 0, stdout: "", stderr: "No resources found in default namespace.\n" });
  });
});

describe("kubectl exec -it POD -- sh (cmd/exec/exec.go: a terminal in the container through the kubelet)", () => {
  it("the shell runs in the pod's container on its node: ash's prompt with the pod's hostname, its files; exit comes back", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl run box --image=alpine -- sleep 1000");
    k(pg, "sleep 3");
    const node = k(pg, "kubectl get pod box -o jsonpath='{.spec.nodeName}'").stdout;
    expect(node).toMatch(/^node-[12]$/);
    expect(k(pg, "kubectl exec -it box -- sh")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(pg.attached("control-plane")).not.toBeNull();
    // The pod's hostname is its name (the sandbox's UTS namespace).
    expect(pg.prompt("control-plane").text).toBe("/ # ");
    expect(k(pg, "hostname").stdout).toBe("box\n");
    // kubectl exec has no detach keys: Ctrl-P Ctrl-Q goes to the shell.
    expect(pg.canDetach("control-plane")).toBe(false);
    expect(k(pg, "cat /etc/hostname").stdout).toBe("box\n");
    k(pg, "echo hi > /tmp/note");
    expect(k(pg, "ps").stdout).toMatch(/^PID +USER +TIME +COMMAND\n +1 root .* sleep 1000\n/);
    expect(k(pg, "exit 3")).toMatchObject({ exitCode: 3 });
    expect(pg.attached("control-plane")).toBeNull();
    expect(pg.host("control-plane").last?.stderr).toBe("command terminated with exit code 3\n");
    // What the shell wrote stays in the container (on its node); the pod runs on.
    expect(k(pg, "kubectl exec box -- cat /tmp/note")).toEqual({ exitCode: 0, stdout: "hi\n", stderr: "" });
    expect(k(pg, "kubectl get pod box --no-headers").stdout).toMatch(/^box +1\/1 +Running +0 /);
  });
});

describe("kubectl port-forward (cmd/portforward/portforward.go; client-go tools/portforward's \"Forwarding from\" lines)", () => {
  const WEB = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 8000\n    targetPort: http\n";
  const started = () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl create deployment web --image=nginx:1.27 --port=80");
    pg.writeFile("control-plane", "/root/svc.yaml", WEB);
    k(pg, "sleep 5");
    return pg;
  };
  /** Another terminal on the control-plane host: a connection from its loopback (the world's traffic). */
  const fromHost = (pg: Playground, port: number) => connect(netWorld(pg.world), { host: "control-plane", container: null }, "127.0.0.1", port);

  it("prints where it listens (IPv4 and IPv6) and holds the prompt; while it runs 127.0.0.1:LOCAL on this host reaches the pod; Ctrl-C ends it", () => {
    const pg = started();
    expect(fromHost(pg, 8080).outcome).toBe("refused");
    pg.begin("kubectl port-forward deploy/web 8080:80", { on: "control-plane" });
    pg.advance("3s");
    expect(pg.output("control-plane")).toBe("Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n");
    expect(pg.busy("control-plane")).toBe(true);
    const c = fromHost(pg, 8080);
    expect(c.outcome).toBe("connected");
    expect(c.server?.host).toMatch(/^node-[12]$/);
    expect(c.hops[0]!.at).toBe("kubectl port-forward (control-plane)");
    pg.interrupt("control-plane");
    expect(pg.busy("control-plane")).toBe(false);
    expect(fromHost(pg, 8080).outcome).toBe("refused");
  });

  it("svc/NAME translates the service port to the pod's target port; :REMOTE takes an ephemeral local port; a named target the pod lacks is an error", () => {
    const pg = started();
    pg.writeFile("control-plane", "/root/svc.yaml", WEB.replace("targetPort: http", "targetPort: 80"));
    k(pg, "kubectl apply -f svc.yaml");
    pg.begin("kubectl port-forward svc/web :8000", { on: "control-plane" });
    pg.advance("1s");
    const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> 80\nForwarding from \[::1\]:\1 -> 80\n$/.exec(pg.output("control-plane"));
    expect(m).not.toBeNull();
    const local = Number(m![1]);
    expect(local).toBeGreaterThanOrEqual(32768);
    expect(local).toBeLessThanOrEqual(60999);
    expect(fromHost(pg, local).outcome).toBe("connected");
    pg.interrupt("control-plane");
    pg.writeFile("control-plane", "/root/svc.yaml", WEB);
    k(pg, "kubectl apply -f svc.yaml");
    const pod = k(pg, "kubectl get pods -l app=web -o name").stdout.trim().slice("pod/".length);
    expect(k(pg, "kubectl port-forward svc/web 8000")).toEqual({ exitCode: 1, stdout: "", stderr: `error: Pod '${pod}' does not have a named port 'http'\n` });
    expect(k(pg, "kubectl port-forward svc/web 8080:80")).toEqual({ exitCode: 1, stdout: "", stderr: "error: Service web does not have a service port 80\n" });
  });

  it("kubectl's errors: no ports, a port that is not one, a pod not running; the pod deleted ends it", () => {
    const pg = started();
    expect(k(pg, "kubectl port-forward deploy/web")).toEqual({ exitCode: 1, stdout: "", stderr: "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n" });
    expect(k(pg, "kubectl port-forward deploy/web 1:2:3")).toEqual({ exitCode: 1, stdout: "", stderr: "error: invalid port format '1:2:3'\n" });
    expect(k(pg, "kubectl port-forward deploy/web x:80")).toEqual({ exitCode: 1, stdout: "", stderr: 'error: error parsing local port \'x\': strconv.ParseUint: parsing "x": invalid syntax\n' });
    expect(k(pg, "kubectl port-forward deploy/web 8080:0")).toEqual({ exitCode: 1, stdout: "", stderr: "error: remote port must be > 0\n" });
    k(pg, "kubectl run slow --image=nosuch.example/img");
    expect(k(pg, "kubectl port-forward slow 8080:80")).toEqual({ exitCode: 1, stdout: "", stderr: "error: unable to forward port because pod is not running. Current status=Pending\n" });
    const pod = k(pg, "kubectl get pods -l app=web -o name").stdout.trim();
    pg.begin(`kubectl port-forward ${pod} 9090:80`, { on: "control-plane" });
    pg.advance("1s");
    expect(pg.exec(`kubectl delete ${pod} --wait=false`, { on: "node-1" }).exitCode).toBe(0);
    expect(pg.wait("control-plane")).toEqual({ exitCode: 1, stdout: "Forwarding from 127.0.0.1:9090 -> 80\nForwarding from [::1]:9090 -> 80\n", stderr: "error: lost connection to pod\n" });
  });
});

describe("kubectl exec POD COMMAND without -- (kubectl v1.30 cmd/exec/exec.go Complete; v1.31 refuses it, kubernetes/kubernetes#125437)", () => {
  const DEPRECATED = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";
  it("warns and runs the command; without -i no stdin is passed, so a shell reads end-of-file and the prompt comes back", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl run box --image=alpine -- sleep 1000");
    k(pg, "sleep 3");
    expect(k(pg, "kubectl exec box sh")).toEqual({ exitCode: 0, stdout: "", stderr: DEPRECATED });
    expect(pg.attached("control-plane")).toBeNull();
    expect(k(pg, "kubectl exec box -- sh")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(pg.attached("control-plane")).toBeNull();
    expect(k(pg, "kubectl exec box cat /etc/hostname")).toEqual({ exitCode: 0, stdout: "box\n", stderr: DEPRECATED });
    // -q (--quiet): only what the remote session prints.
    expect(k(pg, "kubectl exec -q box cat /etc/hostname")).toEqual({ exitCode: 0, stdout: "box\n", stderr: "" });
    // With -i the shell reads the terminal: it stays until exit.
    k(pg, "kubectl exec -it box sh");
    expect(pg.attached("control-plane")).not.toBeNull();
    k(pg, "exit");
    expect(pg.attached("control-plane")).toBeNull();
  });
});

describe("kubectl's lines that hold the prompt are followed at the wall clock's pace (QA session 5 D7)", () => {
  // A terminal paces a line at the wall clock's own speed while pg.following is true (cli
  // RunningLine.realTime); at any event it is not, virtual time runs up to 10x faster.
  it("port-forward, logs -f and get -w follow at every event until Ctrl-C", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: NODES } });
    k(pg, "kubectl create deployment web --image=nginx:1.27 --port=80");
    k(pg, "kubectl expose deployment web --port=80");
    k(pg, "sleep 5");
    for (const line of ["kubectl port-forward svc/web 8080:80", "date; kubectl port-forward deploy/web 8081:80", "kubectl logs -f deploy/web", "kubectl get pods -w"]) {
      pg.begin(line, { on: "control-plane" });
      const end = pg.now + 30_000_000;
      let events = 0;
      while (pg.now < end) {
        expect(pg.busy("control-plane"), line).toBe(true);
        expect(pg.following("control-plane"), `${line} at ${pg.now}`).toBe(true);
        pg.sim.step();
        events++;
      }
      expect(events).toBeGreaterThanOrEqual(30);
      pg.interrupt("control-plane");
      expect(pg.busy("control-plane")).toBe(false);
    }
  });
});
