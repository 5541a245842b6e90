// Properties of traffic in the Kubernetes world (issue #15, "It must show"):
// - every request to a ClusterIP is answered by a pod that is Ready and that the Service's
//   selector matches, and refused only when there is no such pod (kube-proxy's REJECT for a
//   service without endpoints); drawn: scaling (0-4 replicas), broken and working images, no time
//   or some between a change and a request (mid-rollout too), requests from any node or a pod;
// - a pod selected by a NetworkPolicy for ingress receives only what some policy allows
//   (networking.k8s.io/v1; the documentation's rules worked out by hand, checked against the
//   traffic's outcome; the pod's own node is always allowed): drawn policies and senders (labelled
//   pods, unlabelled pods, a node).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isPodReady, selectorFromSet } from "@drydock/kube";
import type { Playground } from "../playground.js";
import { inClient, kubeWorld, request, serviceOf } from "./kube-net.test-util.js";

const NODES = ["control-plane", "node-1", "node-2"] as const;
const RUNS = Number(process.env["KUBE_NET_PROP_RUNS"] ?? 12);

type Step =
  | { readonly kind: "scale"; readonly replicas: number }
  | { readonly kind: "image"; readonly bad: boolean }
  | { readonly kind: "wait"; readonly time: string }
  | { readonly kind: "request"; readonly from: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("image" as const), bad: fc.boolean() }),
  fc.record({ kind: fc.constant("wait" as const), time: fc.constantFrom("0.2s", "1s", "3s") }),
  fc.record({ kind: fc.constant("request" as const), from: fc.constantFrom(...NODES, "pod") }),
);

function readyBackends(pg: Playground): Set<string> {
  const store = pg.world.kube!.state.store;
  const sel = selectorFromSet(serviceOf(pg, "web").spec.selector ?? {});
  return new Set(store.list("Pod").filter((p) => sel.matches(p.metadata.labels ?? {}) && isPodReady(p) && p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name));
}

describe("kube-proxy routes only to ready pods the selector matches", () => {
  it("every ClusterIP request is answered by such a pod, or refused only when there is none", () => {
    let n = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(step, { minLength: 3, maxLength: 10 }), (seed, steps) => {
        const pg = kubeWorld(2, seed);
        const ip = serviceOf(pg, "web").spec.clusterIP!;
        let image = 0;
        for (const s of steps) {
          if (s.kind === "scale") pg.exec(`kubectl scale deployment web --replicas=${s.replicas}`, { on: "control-plane" });
          else if (s.kind === "image") pg.exec(`kubectl set image deployment/web nginx=${s.bad ? "badnginx" : "nginx"}:1.${27 - (image++ % 3)}`, { on: "control-plane" });
          else if (s.kind === "wait") pg.exec(`sleep ${s.time}`, { on: "control-plane" });
          else {
            const ready = readyBackends(pg);
            const c = s.from === "pod" ? inClient(pg) : null;
            const r = c ? request(pg, c.node, `docker exec ${c.id} wget -q -T 2 -O - ${ip}`) : request(pg, s.from, `curl -s -m 2 -o /dev/null ${ip}`);
            n++;
            if (ready.size === 0) expect(r.outcome).toBe("refused");
            else {
              expect(r.outcome).toBe("connected");
              expect(ready.has(r.pod!), `${r.pod} answered; ready: ${[...ready].join(",")}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(n).toBeGreaterThan(0);
  });
});

const policy = (name: string, ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
${ingress}`;
const POLICIES = {
  deny: policy("deny", ""),
  clients: policy("clients", "  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          role: client\n"),
  port81: policy("port81", "  ingress:\n  - ports:\n    - port: 81\n"),
  nodes: policy("nodes", "  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/24\n"),
} as const;

describe("NetworkPolicy on the traffic path", () => {
  it("a policy-isolated pod receives only allowed traffic; a pod no policy selects receives everything", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.subarray(Object.keys(POLICIES) as (keyof typeof POLICIES)[]), fc.constantFrom("node-1", "client", "other"), (seed, chosen, from) => {
        const pg = kubeWorld(1, seed);
        pg.exec("kubectl run other --image=busybox --labels=role=other -- sleep 3600", { on: "control-plane" });
        pg.exec("sleep 3", { on: "control-plane" });
        for (const k of chosen) {
          pg.sim.act({ type: "writeFile", host: "control-plane", path: `/root/${k}.yaml`, text: POLICIES[k] });
          expect(pg.exec(`kubectl apply -f /root/${k}.yaml`, { on: "control-plane" }).exitCode).toBe(0);
        }
        const target = pg.world.kube!.state.store.list("Pod").find((p) => p.metadata.labels?.["app"] === "web")!;
        const c = from === "node-1" ? null : inClient(pg, from);
        const r = c ? request(pg, c.node, `docker exec ${c.id} wget -q -T 2 -O - ${target.status!.podIP}`) : request(pg, "node-1", `curl -s -m 2 -o /dev/null ${target.status!.podIP}`);
        // What the documentation's semantics allow, worked out here by hand (not by policyVerdict).
        const isolated = chosen.length > 0;
        // A pod's own node is always allowed in (kubernetes.io network-policies).
        const fromOwnNode = from === "node-1" && target.spec.nodeName === "node-1";
        const allowed = !isolated || fromOwnNode || chosen.includes("clients") && from === "client" || chosen.includes("nodes") && from === "node-1";
        expect(r.outcome).toBe(allowed ? "connected" : "timeout");
      }),
      { numRuns: RUNS },
    );
  });
});
