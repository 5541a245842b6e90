// NetworkPolicy semantics, with the examples of kubernetes.io/docs/concepts/services-networking/network-policies.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NetworkPolicy, Pod } from "../api/types.js";
import { KubeStore } from "../store/store.js";
import { inCidr, policyVerdict, type Peer } from "./policy.js";

const pod = (name: string, ns: string, labels: Record<string, string>, ip: string, ports: { name: string; containerPort: number }[] = []): Pod => ({
  apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: "c", image: "x", ports }] }, status: { phase: "Running", podIP: ip },
});
const policy = (name: string, ns: string, spec: NetworkPolicy["spec"]): NetworkPolicy => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec });

function world(policies: NetworkPolicy[]) {
  const s = new KubeStore();
  s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "myproject", labels: { project: "myproject" } } });
  s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } });
  const pods = {
    db: s.create(pod("db", "default", { role: "db" }, "10.244.1.2", [{ name: "redis", containerPort: 6379 }])),
    frontend: s.create(pod("frontend", "default", { role: "frontend" }, "10.244.1.3")),
    stranger: s.create(pod("stranger", "default", { role: "other" }, "10.244.1.4")),
    mine: s.create(pod("mine", "myproject", { role: "client" }, "10.244.2.2")),
    theirs: s.create(pod("theirs", "other", { role: "frontend" }, "10.244.3.2")),
  };
  for (const p of policies) s.create(p);
  return { s, pods };
}
const allowed = (s: KubeStore, from: Peer, to: Peer, port: number) => policyVerdict(s, from, to, port).allowed;

describe("network policies (the docs' examples)", () => {
  it("with no policy every pod accepts everything", () => {
    const { s, pods } = world([]);
    expect(allowed(s, { pod: pods.stranger }, { pod: pods.db }, 6379)).toBe(true);
    expect(allowed(s, { ip: "8.8.8.8" }, { pod: pods.db }, 1)).toBe(true);
  });

  it("default deny all ingress: podSelector {} isolates every pod of the namespace for ingress, not egress", () => {
    const { s, pods } = world([policy("default-deny-ingress", "default", { podSelector: {}, policyTypes: ["Ingress"] })]);
    expect(allowed(s, { pod: pods.frontend }, { pod: pods.db }, 6379)).toBe(false);
    expect(allowed(s, { pod: pods.db }, { pod: pods.theirs }, 80)).toBe(true);
    expect(policyVerdict(s, { pod: pods.frontend }, { pod: pods.db }, 6379).ingress).toEqual({ isolated: true, allowedBy: [] });
  });

  it("test-network-policy: role=db accepts 6379 from the ipBlock (minus except), namespace project=myproject and role=frontend pods; egress only to 10.0.0.0/24:5978", () => {
    const { s, pods } = world([policy("test-network-policy", "default", {
      podSelector: { matchLabels: { role: "db" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{
        from: [{ ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } }, { namespaceSelector: { matchLabels: { project: "myproject" } } }, { podSelector: { matchLabels: { role: "frontend" } } }],
        ports: [{ protocol: "TCP", port: 6379 }],
      }],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 5978 }] }],
    })]);
    const db = { pod: pods.db };
    expect(allowed(s, { pod: pods.frontend }, db, 6379)).toBe(true);
    expect(allowed(s, { pod: pods.frontend }, db, 80)).toBe(false);
    expect(allowed(s, { pod: pods.stranger }, db, 6379)).toBe(false);
    expect(allowed(s, { pod: pods.mine }, db, 6379)).toBe(true);
    // role=frontend, but in another namespace: the podSelector alone means the policy's namespace.
    expect(allowed(s, { pod: pods.theirs }, db, 6379)).toBe(false);
    expect(allowed(s, { ip: "172.17.0.9" }, db, 6379)).toBe(true);
    expect(allowed(s, { ip: "172.17.1.9" }, db, 6379)).toBe(false);
    expect(policyVerdict(s, { ip: "172.17.0.9" }, db, 6379, "UDP").allowed).toBe(false);
    expect(allowed(s, db, { ip: "10.0.0.7" }, 5978)).toBe(true);
    expect(allowed(s, db, { ip: "10.0.1.7" }, 5978)).toBe(false);
    expect(allowed(s, db, { pod: pods.frontend }, 80)).toBe(false);
  });

  it("namespaceSelector and podSelector in one peer mean both; in two peers, either", () => {
    const and = world([policy("and", "default", { podSelector: { matchLabels: { role: "db" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: "myproject" } }, podSelector: { matchLabels: { role: "frontend" } } }] }] })]);
    expect(allowed(and.s, { pod: and.pods.mine }, { pod: and.pods.db }, 1)).toBe(false);
    const or = world([policy("or", "default", { podSelector: { matchLabels: { role: "db" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: "myproject" } } }, { podSelector: { matchLabels: { role: "frontend" } } }] }] })]);
    expect(allowed(or.s, { pod: or.pods.mine }, { pod: or.pods.db }, 1)).toBe(true);
    // kubernetes.io/metadata.name selects a namespace by name.
    const byName = world([policy("by-name", "default", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }] }] })]);
    expect(allowed(byName.s, { pod: byName.pods.theirs }, { pod: byName.pods.db }, 1)).toBe(true);
    expect(allowed(byName.s, { pod: byName.pods.mine }, { pod: byName.pods.db }, 1)).toBe(false);
  });

  it("named ports and endPort ranges", () => {
    const { s, pods } = world([policy("ports", "default", { podSelector: { matchLabels: { role: "db" } }, ingress: [{ ports: [{ port: "redis" }, { port: 32000, endPort: 32768 }] }] })]);
    expect(allowed(s, { pod: pods.stranger }, { pod: pods.db }, 6379)).toBe(true);
    expect(allowed(s, { pod: pods.stranger }, { pod: pods.db }, 6380)).toBe(false);
    expect(allowed(s, { pod: pods.stranger }, { pod: pods.db }, 32768)).toBe(true);
    expect(allowed(s, { pod: pods.stranger }, { pod: pods.db }, 32769)).toBe(false);
    expect(inCidr("192.168.5.5", "192.168.0.0/16")).toBe(true);
    expect(inCidr("192.169.5.5", "192.168.0.0/16")).toBe(false);
    expect(inCidr("1.2.3.4", "0.0.0.0/0")).toBe(true);
  });
});

describe("network policies are additive (drawn)", () => {
  const labels = fc.constantFrom<Record<string, string>>({ role: "db" }, { role: "frontend" }, { role: "other" }, {});
  const selector = fc.oneof(fc.constant({}), labels.filter((l) => Object.keys(l).length > 0).map((matchLabels) => ({ matchLabels })));
  const peer = fc.oneof(
    selector.map((podSelector) => ({ podSelector })),
    fc.constant({ namespaceSelector: { matchLabels: { project: "myproject" } } }),
    fc.constantFrom("10.244.0.0/16", "10.244.1.0/24", "0.0.0.0/0").map((cidr) => ({ ipBlock: { cidr } })),
  );
  const rule = fc.record({ from: fc.array(peer, { maxLength: 2 }), ports: fc.array(fc.constantFrom(80, 6379).map((port) => ({ port })), { maxLength: 1 }) });
  const drawn = fc.array(fc.record({ podSelector: selector, ingress: fc.array(rule, { maxLength: 2 }) }), { minLength: 1, maxLength: 3 })
    .map((specs) => specs.map((spec, i) => policy(`p${i}`, "default", spec)));

  it("a pod selected by a policy receives exactly what one of the policies selecting it allows on its own", () => {
    fc.assert(fc.property(drawn, fc.constantFrom("db", "frontend", "stranger", "mine", "theirs") as fc.Arbitrary<"db">, fc.constantFrom("db", "frontend", "stranger") as fc.Arbitrary<"db">, fc.constantFrom(80, 6379), (policies, fromName, toName, port) => {
      const all = world(policies);
      const v = policyVerdict(all.s, { pod: all.pods[fromName] }, { pod: all.pods[toName] }, port);
      const alone = policies.map((p) => {
        const w = world([p]);
        return policyVerdict(w.s, { pod: w.pods[fromName] }, { pod: w.pods[toName] }, port);
      });
      const selecting = alone.filter((a) => a.ingress.isolated);
      expect(v.ingress.isolated).toBe(selecting.length > 0);
      if (v.ingress.isolated) expect(v.allowed).toBe(selecting.some((a) => a.allowed));
      else expect(v.allowed).toBe(true);
      for (const name of v.ingress.allowedBy) expect(alone[Number(name.slice(1))]!.allowed).toBe(true);
    }), { numRuns: 300 });
  });
});
