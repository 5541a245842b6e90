// Kubernetes' data path as pure functions (kube.ts): kube-proxy's chain names and statistic
// probabilities as pkg/proxy/iptables/proxier.go writes them (the expected names are those of
// proxier_test.go), CoreDNS's search path, and the pod network's routing decisions, on a view
// built by hand (the playground builds it from the API server's store: world/kube-net.ts).
import { describe, expect, it } from "vitest";
import { createEngine } from "../engine.js";
import { kubeConnect, kubeLookup, sepChain, statisticProbability, svcChain, type KubeNetView, type KubeServiceNet } from "./kube.js";
import type { NetWorld } from "./traffic.js";

const svc1: KubeServiceNet = {
  name: "svc1", namespace: "ns1", clusterIP: "172.30.0.41", readyIps: ["10.180.0.1"],
  ports: [{ name: "p80", protocol: "tcp", port: 80, nodePort: null, backends: [{ podUid: "u1", ip: "10.180.0.1", port: 80 }] }],
};

describe("kube-proxy's chains (proxier.go)", () => {
  it("names KUBE-SVC and KUBE-SEP chains from sha256 + base32 of the port name, lower-case protocol and endpoint (proxier_test.go's values)", () => {
    expect(svcChain(svc1, svc1.ports[0]!)).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(sepChain(svc1, svc1.ports[0]!, svc1.ports[0]!.backends[0]!)).toBe("KUBE-SEP-SXIVWICOYRO3J4NJ");
  });

  it("writes the statistic match's probability for rule i of n as 1/(n-i) with ten decimals", () => {
    expect([0, 1, 2].map((i) => statisticProbability(i, 4))).toEqual(["0.2500000000", "0.3333333333", "0.5000000000"]);
  });
});

function view(services: readonly KubeServiceNet[], draws: number[] = [0.9]): KubeNetView {
  return {
    podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", dnsIp: "10.96.0.10", services,
    pods: [{ uid: "u1", name: "web-1", namespace: "default", ip: "10.244.1.2", host: "n1", sandboxId: "", ready: true }],
    draw: () => draws.shift() ?? 0,
    allows: () => ({ allowed: true, reason: "" }),
  };
}
const web = (backends: KubeServiceNet["ports"][number]["backends"], clusterIP: string | null = "10.96.0.20"): KubeServiceNet => ({
  name: "web", namespace: "default", clusterIP, readyIps: backends.map((b) => b.ip),
  ports: [{ name: "", protocol: "tcp", port: 80, nodePort: 30080, backends }],
});

describe("CoreDNS's names (kube.ts kubeLookup)", () => {
  it("answers nothing for a container that is not in a pod (its resolver is not CoreDNS)", () => {
    const host = { name: "n1", ip: "10.0.0.11", engine: createEngine(), fs: { kind: "dir" } as never };
    expect(kubeLookup(view([web([])]), host, null, "web", "n1")).toBeNull();
  });
});

describe("kube-proxy's decision (kube.ts kubeConnect)", () => {
  const host = { name: "n1", ip: "10.0.0.11", engine: createEngine(), fs: { kind: "dir" } as never };
  const world: NetWorld = { hosts: [host] };

  it("refuses a ClusterIP whose port has no ready endpoint: filter KUBE-SERVICES REJECT", () => {
    const c = kubeConnect(world, view([web([])]), host, null, "10.96.0.20", 80, "tcp", "n1")!;
    expect(c.outcome).toBe("refused");
    expect(c.decidedBy.rule).toContain("-j REJECT --reject-with icmp-port-unreachable");
  });

  it("picks endpoint floor(u·n) of the KUBE-SVC chain (the statistic rules 1/(n-i) in turn are a uniform choice)", () => {
    const b = [{ podUid: "u1", ip: "10.244.1.2", port: 80 }, { podUid: "u2", ip: "10.244.2.2", port: 80 }, { podUid: "u3", ip: "10.244.2.3", port: 80 }];
    for (const [u, i] of [[0.1, 0], [0.34, 1], [0.99, 2]] as const) {
      const c = kubeConnect(world, view([web(b)], [u]), host, null, "10.96.0.20", 80, "tcp", "n1")!;
      expect(c.hops.find((h) => h.at.startsWith("KUBE-SEP-"))!.detail).toBe(`DNAT to ${b[i]!.ip}:80`);
    }
  });

  it("leaves addresses outside the pod and service networks to the engine, and times out an echo to a ClusterIP", () => {
    expect(kubeConnect(world, view([web([])]), host, null, "172.17.0.2", 80, "tcp", "n1")).toBeNull();
    expect(kubeConnect(world, view([web([])]), host, null, "10.96.0.20", 0, "icmp", "n1")!.outcome).toBe("timeout");
  });
});

describe("kubectl port-forward's listener (kube.ts kubeConnect)", () => {
  const n1 = { name: "n1", ip: "10.0.0.11", engine: createEngine(), fs: { kind: "dir" } as never };
  const cp = { name: "cp", ip: "10.0.0.10", engine: createEngine(), fs: { kind: "dir" } as never };
  const world: NetWorld = { hosts: [cp, n1] };
  const withForward = (): KubeNetView => ({ ...view([]), forwards: [{ host: "cp", localPort: 8080, podUid: "u1", port: 80 }], allows: () => ({ allowed: false, reason: "isolated" }) });

  it("the host's loopback at the forwarded port goes through the API server to the pod's kubelet, into the pod's namespace (no NetworkPolicy on that path)", () => {
    const c = kubeConnect(world, withForward(), cp, null, "127.0.0.1", 8080, "tcp", "cp")!;
    expect(c.hops.map((h) => h.at)).toEqual(["kubectl port-forward (cp)", "kubelet (n1)", "default/web-1:80"]);
    expect(c.hops.some((h) => h.detail.includes("NetworkPolicy"))).toBe(false);
    // The pod's sandbox is not running in this hand-made view: nothing answers there.
    expect(c.outcome).toBe("timeout");
  });

  it("only the listening host's loopback, only TCP, only its port; a container's loopback is its own", () => {
    expect(kubeConnect(world, withForward(), n1, null, "127.0.0.1", 8080, "tcp", "n1")).toBeNull();
    expect(kubeConnect(world, withForward(), cp, null, "127.0.0.1", 8081, "tcp", "cp")).toBeNull();
    expect(kubeConnect(world, withForward(), cp, null, "127.0.0.1", 8080, "udp", "cp")).toBeNull();
    expect(kubeConnect(world, withForward(), cp, null, "10.0.0.10", 8080, "tcp", "cp")).toBeNull();
  });
});
