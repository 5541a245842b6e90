// Traffic in the Kubernetes world (issue #15): kube-proxy in iptables mode (ClusterIP to a ready
// endpoint drawn by the statistic match, NodePort on every node, REJECT without endpoints), the
// pod network between nodes, CoreDNS's names and NetworkPolicy on the path (engine
// network/kube.ts, world/kube-net.ts). Who answered is read from the trace's `net.decide` record:
// the kernel endpoint it was decided at is the pod's sandbox (`k8s_POD_<pod>_…:eth0@<node>`).
import { describe, expect, it } from "vitest";
import { Playground } from "../playground.js";
import { has } from "./ingress.test-util.js";
import { NODES, inClient, kubeWorld, request, run, serviceOf } from "./kube-net.test-util.js";

describe("kube-proxy (iptables mode)", () => {
  it("ClusterIP: a request from a node reaches a ready pod of the selector, through KUBE-SERVICES, KUBE-SVC and KUBE-SEP (proxier.go's chains)", () => {
    const pg = kubeWorld();
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    const web = new Set(pg.world.kube!.state.store.list("Pod").filter((p) => p.metadata.labels?.["app"] === "web").map((p) => p.metadata.name));
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = request(pg, "node-1", `curl -s -o /dev/null -w '%{http_code}' ${ip}`);
      expect(r.outcome).toBe("connected");
      expect(r.stdout).toBe("200");
      expect(web.has(r.pod!)).toBe(true);
      seen.add(r.pod!);
      expect(has(r.hops, "nat KUBE-SERVICES")).toBe(true);
      expect(r.hops.some((h) => /^proxy KUBE-SVC-[A-Z2-7]{16}: 3 endpoints: .*--probability 0\.3333333333.*--probability 0\.5000000000/.test(h))).toBe(true);
      expect(r.hops.some((h) => /^iptables KUBE-SEP-[A-Z2-7]{16}: DNAT to 10\.244\.\d+\.\d+:80/.test(h))).toBe(true);
      // Another node's pod: routed over the pod network, a hop across the wire.
      if (r.node !== "node-1") expect(has(r.hops, "interface wire: node-1 → ")).toBe(true);
      else expect(has(r.hops, "interface wire")).toBe(false);
    }
    // The statistic match draws from the seeded stream: twelve draws reach more than one pod.
    expect(seen.size).toBeGreaterThan(1);
  });

  it("the same seed draws the same endpoints (the stream is the world's)", () => {
    const pods = (seed: number) => {
      const pg = kubeWorld(3, seed);
      const ip = serviceOf(pg, "web").spec.clusterIP!;
      return Array.from({ length: 6 }, () => request(pg, "node-1", `curl -s -o /dev/null ${ip}`).pod);
    };
    expect(pods(5)).toEqual(pods(5));
  });

  it("a session with ClusterIP requests replays to the same trace (the draws are the kernel's seeded stream)", () => {
    const pg = kubeWorld();
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    const pods = Array.from({ length: 4 }, () => request(pg, "node-1", `curl -s -o /dev/null ${ip}`).pod);
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
    expect(new Set(pods).size).toBeGreaterThan(0);
  });

  it("NodePort (30000-32767) answers on every node's address, the control plane's included", () => {
    const pg = kubeWorld();
    const np = serviceOf(pg, "web").spec.ports![0]!.nodePort!;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    for (const [i, n] of NODES.entries()) {
      const r = request(pg, "node-2", `curl -s -o /dev/null -w '%{http_code}' 10.0.0.${11 + i}:${np}`);
      expect(r.stdout, n).toBe("200");
      expect(has(r.hops, `nat KUBE-NODEPORTS (${n})`)).toBe(true);
      const local = request(pg, n, `curl -s -o /dev/null -w '%{http_code}' localhost:${np}`);
      expect(local.stdout).toBe("200");
    }
    // A port no Service has is refused as before.
    expect(run(pg, "curl -sS 10.0.0.12:31999", "node-2").stderr).toContain("Failed to connect to 10.0.0.12 port 31999");
  });

  it("a Service with no ready endpoint is refused: kube-proxy's REJECT (icmp-port-unreachable)", () => {
    const pg = kubeWorld();
    expect(run(pg, "kubectl scale deployment web --replicas=0").exitCode).toBe(0);
    run(pg, "sleep 2");
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    const r = request(pg, "node-1", `curl -sS ${ip}`);
    expect(r.outcome).toBe("refused");
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to ${ip.replace(/\./g, "\\.")} port 80 after \\d+ ms: Couldn't connect to server\\n$`));
    expect(has(r.hops, "has no endpoints: kube-proxy rejects")).toBe(true);
  });

  it("from a pod: ClusterIP and pod IPs over the flat pod network", () => {
    const pg = kubeWorld();
    const c = inClient(pg);
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    const r = request(pg, c.node, `docker exec ${c.id} wget -q -O - ${ip}`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Welcome to nginx!");
    const other = pg.world.kube!.state.store.list("Pod").find((p) => p.metadata.labels?.["app"] === "web" && p.spec.nodeName !== c.node)!;
    const direct = request(pg, c.node, `docker exec ${c.id} wget -q -O - ${other.status!.podIP}`);
    expect(direct.pod).toBe(other.metadata.name);
    expect(has(direct.hops, "interface wire")).toBe(true);
  });
});

describe("cluster DNS (CoreDNS, search ns.svc.cluster.local svc.cluster.local cluster.local)", () => {
  it("web, web.default and web.default.svc.cluster.local resolve to the ClusterIP; a headless Service to its ready pods", () => {
    const pg = kubeWorld();
    const c = inClient(pg);
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    for (const name of ["web", "web.default", "web.default.svc", "web.default.svc.cluster.local"]) {
      const r = run(pg, `docker exec ${c.id} nslookup ${name}`, c.node);
      expect(r.exitCode, name).toBe(0);
      expect(r.stdout).toContain("Server:\t\t10.96.0.10\n");
      expect(r.stdout).toContain(`Address: ${ip}\n`);
    }
    // getent (glibc, in the nginx image's Debian) from a web pod's container.
    const w = inClient(pg, pg.world.kube!.state.store.list("Pod").find((p) => p.metadata.labels?.["app"] === "web")!.metadata.name);
    expect(run(pg, `docker exec ${w.id} getent hosts web`, w.node).stdout).toBe(`${ip.padEnd(15)} web\n`);
    // Another namespace's name needs its namespace.
    expect(run(pg, `docker exec ${c.id} nslookup kubernetes`, c.node).stdout).toContain("Address: 10.96.0.1\n");
    expect(run(pg, `docker exec ${c.id} nslookup nothere`, c.node).exitCode).toBe(1);
    // Headless: clusterIP None.
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/h.yaml", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-h\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n" });
    expect(run(pg, "kubectl apply -f /root/h.yaml").exitCode).toBe(0);
    const ips = pg.world.kube!.state.store.list("Pod").filter((p) => p.metadata.labels?.["app"] === "web").map((p) => p.status!.podIP!).sort();
    const out = run(pg, `docker exec ${c.id} nslookup web-h`, c.node).stdout;
    expect([...out.matchAll(/Address: (10\.244\.\d+\.\d+)/g)].map((m) => m[1]).sort()).toEqual(ips);
    // Outside a pod (a node's shell) cluster names do not resolve: the node's resolver is the LAN's.
    expect(run(pg, "getent hosts web.default.svc.cluster.local", "node-1").exitCode).toBe(2);
  });
});

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-deny
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`;
const ALLOW = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-client
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          role: client
    ports:
    - port: 80
`;

describe("NetworkPolicy on the traffic path (Calico drops what no policy allows)", () => {
  it("an isolated pod receives only what some policy allows; the rest times out", () => {
    const pg = kubeWorld();
    const c = inClient(pg);
    const ip = serviceOf(pg, "web").spec.clusterIP!;
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/deny.yaml", text: DENY });
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/allow.yaml", text: ALLOW });
    expect(run(pg, "kubectl apply -f /root/deny.yaml").exitCode).toBe(0);
    const denied = request(pg, c.node, `docker exec ${c.id} wget -q -T 2 -O - ${ip}`);
    expect(denied.outcome).toBe("timeout");
    expect(denied.exitCode).not.toBe(0);
    expect(has(denied.hops, "is isolated for ingress and no policy allows")).toBe(true);
    // From a node too (not a pod: no podSelector matches it), but for the pod's own node, always
    // allowed ("the only allowed connections into the pod are those from the pod's node and those
    // allowed by ... some NetworkPolicy", kubernetes.io network-policies).
    const webPods = pg.world.kube!.state.store.list("Pod").filter((p) => p.metadata.labels?.["app"] === "web");
    const remote = webPods.find((p) => p.spec.nodeName !== "node-1")!;
    const local = webPods.find((p) => p.spec.nodeName === "node-1")!;
    expect(request(pg, "node-1", `curl -s -m 2 ${remote.status!.podIP}`).outcome).toBe("timeout");
    const own = request(pg, "node-1", `curl -s -m 2 ${local.status!.podIP}`);
    expect(own.outcome).toBe("connected");
    expect(has(own.hops, "the pod's own node: always allowed")).toBe(true);
    expect(run(pg, "kubectl apply -f /root/allow.yaml").exitCode).toBe(0);
    const allowed = request(pg, c.node, `docker exec ${c.id} wget -q -T 2 -O - ${ip}`);
    expect(allowed.outcome).toBe("connected");
    expect(has(allowed.hops, "allowed by NetworkPolicy web-allow-client")).toBe(true);
    // Still not from another node.
    expect(request(pg, "node-1", `curl -s -m 2 ${remote.status!.podIP}`).outcome).toBe("timeout");
  });
});
