// Requests from inside a pod (issue #15): `kubectl exec client -- wget -qO- http://web` runs wget in
// the pod's network namespace on its node, as the kubelet's CRI exec does (cmd/exec/exec.go streams
// the command's output; a non-zero exit is "command terminated with exit code N"), so its requests
// cross the kernel like `docker exec`'s and the trace has their `net.decide` records. BusyBox wget
// (networking/wget.c) with `-O /dev/null` still makes its request and prints "saving to
// '/dev/null'": the file it writes is the null device, not a reason to skip the network.
import { describe, expect, it } from "vitest";
import { decisions } from "./ingress.test-util.js";
import { inClient, kubeWorld, podOn, run } from "./kube-net.test-util.js";

const NGINX_TITLE = "<title>Welcome to nginx!</title>";

describe("requests from inside a pod reach the traffic trace", () => {
  it("kubectl exec client -- wget -qO- http://web: nginx's page, and the trace has the lookup at CoreDNS and the connection through kube-proxy to a web pod", () => {
    const pg = kubeWorld(2);
    const t0 = pg.now;
    const r = run(pg, "kubectl exec client -- wget -qO- http://web");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(NGINX_TITLE);
    expect(r.stderr).toBe("");
    const d = decisions(pg, t0);
    expect(d.map((x) => x.outcome)).toEqual(["resolved", "connected"]);
    expect(d[0]!.detail).toBe("CoreDNS: web.default.svc.cluster.local is the Service default/web: its ClusterIP");
    // The request leaves the client pod's node (its own netns), through the Service's ClusterIP to a web pod.
    const clientNode = podOn(pg, "client").spec.nodeName!;
    expect(d[0]!.at).toBe(clientNode);
    expect(d[1]!.hops[0]).toMatch(new RegExp(`^iptables nat KUBE-SERVICES \\(${clientNode}\\): 10\\.\\d+\\.\\d+\\.\\d+:80 is the ClusterIP of default/web$`));
    expect(d[1]!.at).toMatch(/^k8s_POD_web-[a-z0-9]+-[a-z0-9]+_default_/);
  });

  it("piped on the control plane's prompt (the visualiser's kube-services line): grep reads the page kubectl streams back", () => {
    const pg = kubeWorld(2);
    const t0 = pg.now;
    expect(run(pg, "kubectl exec client -- wget -q -T 2 -O - http://web/ | grep title")).toEqual({ exitCode: 0, stdout: `${NGINX_TITLE}\n`, stderr: "" });
    expect(decisions(pg, t0).map((x) => x.outcome)).toEqual(["resolved", "connected"]);
  });

  it("kubectl exec gives the same answer and trace as docker exec in the pod's container on its node", () => {
    const a = kubeWorld(1);
    const t0 = a.now;
    const viaKubectl = run(a, "kubectl exec client -- wget -qO- http://web");
    const ka = decisions(a, t0).map((x) => [x.outcome, x.detail, x.at, x.hops]);
    const b = kubeWorld(1);
    const c = inClient(b);
    const t1 = b.now;
    const viaDocker = b.exec(`docker exec ${c.id} wget -qO- http://web`, { on: c.node });
    expect(viaKubectl.stdout).toBe(viaDocker.stdout);
    expect(ka).toEqual(decisions(b, t1).map((x) => [x.outcome, x.detail, x.at, x.hops]));
  });

  it("a refused request: wget's error, kubectl's \"command terminated with exit code 1\", and the trace says where it was refused", () => {
    const pg = kubeWorld(1);
    run(pg, "kubectl scale deployment web --replicas=0");
    run(pg, "sleep 2");
    const t0 = pg.now;
    const r = run(pg, "kubectl exec client -- wget -qO- http://web");
    // kube-proxy REJECTs a Service without endpoints (icmp-port-unreachable): "Connection refused".
    expect(r).toMatchObject({ exitCode: 1, stdout: "" });
    expect(r.stderr).toMatch(/^wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection refused\ncommand terminated with exit code 1\n$/);
    expect(decisions(pg, t0).map((x) => x.outcome)).toEqual(["resolved", "refused"]);
  });

  it("wget -O /dev/null inside a container makes its request: BusyBox's progress lines, and the trace has it", () => {
    const pg = kubeWorld(1);
    const c = inClient(pg);
    const t0 = pg.now;
    const r = pg.exec(`docker exec ${c.id} wget -O /dev/null http://web`, { on: c.node });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^Connecting to web \(10\.\d+\.\d+\.\d+:80\)\nsaving to '\/dev\/null'\n\/dev\/null +100% \|\*+\| +615 +0:00:00 ETA\n'\/dev\/null' saved\n$/);
    expect(decisions(pg, t0).map((x) => x.outcome)).toEqual(["resolved", "connected"]);
    const t1 = pg.now;
    expect(run(pg, "kubectl exec client -- wget -q -O /dev/null http://web")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(decisions(pg, t1).map((x) => x.outcome)).toEqual(["resolved", "connected"]);
  });
});
