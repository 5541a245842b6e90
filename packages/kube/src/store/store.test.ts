// The API server's rules as the store keeps them: names, namespaces, resourceVersion conflicts,
// generation, generateName, graceful pod deletion, label-selector lists and the watch log.
import { describe, expect, it } from "vitest";
import { parseSelector } from "../labels/selector.js";
import type { ConfigMap, Deployment, Pod, Service } from "../api/types.js";
import { KubeStore, WATCH_HISTORY_MAX } from "./store.js";

const fresh = () => {
  const s = new KubeStore();
  s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return s;
};
const cm = (name: string, labels: Record<string, string> = {}): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data: { k: "v" } });
const pod = (name: string, nodeName?: string): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "nginx" }], ...(nodeName ? { nodeName } : {}) } });

describe("create", () => {
  it("sets uid, resourceVersion, generation, creationTimestamp and the default namespace", () => {
    const s = fresh();
    const o = s.create(cm("a"), { now: 5 });
    expect(o.metadata).toMatchObject({ name: "a", namespace: "default", resourceVersion: String(s.revision), generation: 1, creationTimestamp: 5 });
    expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refuses a taken name, a missing namespace, an invalid name or label, with the API server's texts", () => {
    const s = fresh();
    s.create(cm("a"));
    expect(() => s.create(cm("a"))).toThrow('configmaps "a" already exists');
    expect(() => s.create({ ...cm("b"), metadata: { name: "b", namespace: "prod" } })).toThrow('namespaces "prod" not found');
    expect(() => s.create(cm("Bad_Name"))).toThrow(/^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    expect(() => s.create(cm("c", { "-x": "y" }))).toThrow(/metadata\.labels: Invalid value: "-x": name part must consist of/);
    const before = s.revision;
    expect(s.list("ConfigMap").map((o) => o.metadata.name)).toEqual(["a"]);
    expect(s.revision).toBe(before);
  });

  it("generateName: the base and five characters of names.SimpleNameGenerator's alphabet", () => {
    const s = fresh();
    const a = s.create({ ...cm(""), metadata: { name: "", generateName: "web-" } });
    expect(a.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("a Deployment whose selector does not match its template is invalid", () => {
    const s = fresh();
    const d: Deployment = {
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
      spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
    };
    expect(() => s.create(d)).toThrow('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`');
    // Defaults: one replica, RollingUpdate 25%/25%, ten revisions kept.
    const ok = s.create({ ...d, spec: { ...d.spec, template: { ...d.spec.template, metadata: { labels: { app: "web" } } } } });
    expect(ok.spec).toMatchObject({ replicas: 1, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
  });
});

describe("update", () => {
  it("a stale resourceVersion is a conflict (409), with the API server's text; the current one passes", () => {
    const s = fresh();
    const a = s.create(cm("a"));
    const b = s.update({ ...a, data: { k: "w" } });
    expect(() => s.update({ ...a, data: { k: "x" } })).toThrow('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    expect(s.update({ ...b, data: { k: "x" } }).data).toEqual({ k: "x" });
  });

  it("generation goes up when the spec changes, not for status or labels", () => {
    const s = fresh();
    const p = s.create(pod("p"));
    const labelled = s.update({ ...p, metadata: { ...p.metadata, labels: { a: "b" } } });
    expect(labelled.metadata.generation).toBe(1);
    const status = s.update({ ...labelled, status: { phase: "Running" } });
    expect(status.metadata.generation).toBe(1);
    const spec = s.update({ ...status, spec: { ...status.spec, nodeName: "n1" } });
    expect(spec.metadata.generation).toBe(2);
    expect(() => s.update(pod("nope"))).toThrow('pods "nope" not found');
  });
});

describe("delete", () => {
  it("a pod on a node is only marked, with its grace period; one not yet scheduled goes at once", () => {
    const s = fresh();
    s.create(pod("bound", "n1"));
    s.create(pod("pending"));
    const marked = s.delete("Pod", "default", "bound", { now: 1_000_000 }) as Pod;
    expect(marked.metadata.deletionTimestamp).toBe(31_000_000);
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    s.delete("Pod", "default", "pending");
    expect(s.list("Pod").map((p) => p.metadata.name)).toEqual(["bound"]);
    s.remove(s.get("Pod", "default", "bound")!);
    expect(s.list("Pod")).toEqual([]);
    expect(() => s.delete("Pod", "default", "bound")).toThrow('pods "bound" not found');
  });

  it("a namespace goes Terminating; nothing new may be created in it", () => {
    const s = fresh();
    s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    s.delete("Namespace", "", "dev");
    expect(s.get("Namespace", "", "dev")!.status?.phase).toBe("Terminating");
    expect(() => s.create({ ...cm("a"), metadata: { name: "a", namespace: "dev" } })).toThrow('configmaps "a" is forbidden: unable to create new content in namespace dev because it is being terminated');
  });
});

describe("list and watch", () => {
  it("lists in key order, by namespace and label selector", () => {
    const s = fresh();
    s.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } });
    s.create(cm("b", { tier: "web" }));
    s.create(cm("a", { tier: "db" }));
    s.create({ ...cm("c", { tier: "web" }), metadata: { name: "c", namespace: "prod", labels: { tier: "web" } } });
    expect(s.list("ConfigMap").map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["default/a", "default/b", "prod/c"]);
    expect(s.list("ConfigMap", { selector: parseSelector("tier=web") }).map((o) => o.metadata.name)).toEqual(["b", "c"]);
    expect(s.list("ConfigMap", { namespace: "default", selector: parseSelector("tier notin (web)") }).map((o) => o.metadata.name)).toEqual(["a"]);
  });

  it("the watch log gives every change after a revision; a compacted one is 410 Gone", () => {
    const s = fresh();
    const from = s.revision;
    const a = s.create(cm("a"));
    s.update({ ...a, data: {} });
    s.delete("ConfigMap", "default", "a");
    expect(s.watch(from).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED a", "MODIFIED a", "DELETED a"]);
    for (let i = 0; i < 2 * WATCH_HISTORY_MAX + 5; i++) s.create(cm(`x${i}`));
    expect(() => s.watch(from)).toThrow(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("a clone is independent", () => {
    const s = fresh();
    const c = s.clone();
    s.create(cm("a"));
    expect(c.list("ConfigMap")).toEqual([]);
    expect(c.create(cm("a")).metadata.uid).toBe(s.get("ConfigMap", "default", "a")!.metadata.uid);
  });
});

describe("Secrets and Services as the API server stores them", () => {
  it("a Secret's stringData is folded into data as base64; data that is not base64 is refused with Go's decoder's text", () => {
    const s = fresh();
    const sec = s.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, type: "Opaque", data: { user: "YWRtaW4=" }, stringData: { password: "1f2d1e2e67df" } });
    expect(sec.data).toEqual({ user: "YWRtaW4=", password: "MWYyZDFlMmU2N2Rm" });
    expect("stringData" in sec).toBe(false);
    expect(() => s.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "bad" }, data: { password: "admin" } }))
      .toThrow('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
  });

  it("a Service gets a cluster IP in 10.96.0.0/12 and node ports in 30000-32767; a taken port is refused; updates keep both", () => {
    const s = fresh();
    const svc = (name: string, nodePort?: number): Service => ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { type: "NodePort", selector: { app: name }, ports: [{ port: 80, ...(nodePort ? { nodePort } : {}) }] } });
    const a = s.create(svc("a"));
    expect(a.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    const port = a.spec.ports![0]!.nodePort!;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    expect(() => s.create(svc("b", port))).toThrow(`Service "b" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`);
    expect(() => s.create(svc("c", 80))).toThrow('Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    const { clusterIP: _ip, ...specWithoutIP } = a.spec;
    const b: Service = s.update({ ...a, spec: { ...specWithoutIP, ports: [{ port: 80 }] } });
    expect(b.spec.clusterIP).toBe(a.spec.clusterIP);
    expect(b.spec.ports![0]!.nodePort).toBe(port);
    expect(() => s.update({ ...b, spec: { ...b.spec, clusterIP: "10.96.0.9" } })).toThrow('Service "a" is invalid: spec.clusterIP: Invalid value: "10.96.0.9": field is immutable');
    const headless = s.create({ apiVersion: "v1", kind: "Service", metadata: { name: "h" }, spec: { clusterIP: "None", selector: { app: "h" } } });
    expect(headless.spec.clusterIP).toBe("None");
  });
});
