import { describe, expect, it } from "vitest";
import { KubeError } from "../errors.js";
import { loadManifests, parseYamlDocuments } from "./manifest.js";
import type { Deployment, Service } from "./types.js";

const WEB = `# The course's web tier: a Deployment and its Service.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
spec:
  replicas: 3
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
        - name: nginx
          image: nginx:1.25   # pinned
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    <<: &sel { app: web }
  ports:
    - port: 80
      targetPort: 80
---
# an empty document is skipped
`;

function error(text: string, file = "web.yaml"): KubeError {
  try {
    loadManifests(text, file);
  } catch (e) {
    if (e instanceof KubeError) return e;
    throw e;
  }
  throw new Error("loaded");
}

describe("loadManifests: files as people write them", () => {
  it("multi-document YAML with comments, anchors, aliases and merge keys", () => {
    const docs = loadManifests(WEB, "web.yaml");
    expect(docs.map((d) => d.object.kind)).toEqual(["Deployment", "Service"]);
    const d = docs[0]!.object as Deployment;
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector.matchLabels).toEqual({ app: "web" });
    expect(d.spec.template.metadata?.labels).toEqual({ app: "web" });
    expect(d.spec.template.spec.containers[0]).toEqual({ name: "nginx", image: "nginx:1.25", ports: [{ containerPort: 80 }] });
    const s = docs[1]!.object as Service;
    expect(s.spec.selector).toEqual({ app: "web" });
    expect(docs.map((x) => x.line)).toEqual([1, 22]);
  });

  it("YAML 1.1 as sigs.k8s.io/yaml reads it: `yes` is a boolean, so an env value `yes` is a type error", () => {
    const e = error(`apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - name: DEBUG
      value: yes
`);
    expect(e.message).toBe('error validating "web.yaml": error validating data: ValidationError(Pod.spec.containers[0].env[0].value): invalid type for io.k8s.api.core.v1.EnvVar.value: got "boolean", expected "string"; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(e.location).toEqual({ line: 10, column: 7 });
  });
});

describe("kubectl's errors, with file, line and field path", () => {
  it("an unknown field: ValidationError(Deployment.spec) ... in io.k8s.api.apps.v1.DeploymentSpec", () => {
    const e = error(WEB.replace("  replicas: 3", "  replica: 3"));
    expect(e.message).toBe('error validating "web.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(e.location).toEqual({ line: 9, column: 3 });
    expect(e.file).toBe("web.yaml");
  });

  it("several problems are listed in brackets; a missing required field names its parent type", () => {
    const e = error("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: two\n");
    expect(e.message).toBe('error validating "web.yaml": error validating data: [ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer", ValidationError(Deployment.spec): missing required field "selector" in io.k8s.api.apps.v1.DeploymentSpec, ValidationError(Deployment.spec): missing required field "template" in io.k8s.api.apps.v1.DeploymentSpec]; if you choose to ignore these errors, turn validation off with --validate=false');
  });

  it("a map where a list belongs, and a container without a name", () => {
    expect(error("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    name: c\n").message)
      .toContain('ValidationError(Pod.spec.containers): invalid type for io.k8s.api.core.v1.PodSpec.containers: got "map", expected "array"');
    expect(error("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - image: nginx\n").message)
      .toContain('ValidationError(Pod.spec.containers[0]): missing required field "name" in io.k8s.api.core.v1.Container');
  });

  it("a YAML syntax error: error parsing FILE: error converting YAML to JSON: yaml: line N (within its document)", () => {
    const text = WEB.replace("  type: NodePort", "  type: NodePort: x");
    const e = error(text);
    // Line 27 of the file is line 6 of the second document, which starts after the `---` on line 21.
    expect(e.message).toBe("error parsing web.yaml: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context");
    expect(e.location?.line).toBe(27);
    expect(error("a:\n\tb: 1\n").message).toBe("error parsing web.yaml: error converting YAML to JSON: yaml: line 2: found character that cannot start any token");
    expect(error("a: *nope\n").message).toBe("error parsing web.yaml: error converting YAML to JSON: yaml: unknown anchor 'nope' referenced");
  });

  it("apiVersion and kind must be set; a kind the server does not serve in that version", () => {
    expect(error("metadata:\n  name: x\n").message).toBe('error validating "web.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false');
    expect(error("apiVersion: v1\nmetadata:\n  name: x\n").message).toContain("error validating data: kind not set;");
    expect(error("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n").message)
      .toBe('resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deploymnet" in version "apps/v1"\nensure CRDs are installed first');
    expect(error("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n").message).toContain('no matches for kind "Deployment" in version "extensions/v1beta1"');
  });

  it("an anchor belongs to its document: an alias in the next one is unknown (kubectl decodes each on its own)", () => {
    expect(error("a: &x 1\n---\nb: *x\n").message).toBe("error parsing web.yaml: error converting YAML to JSON: yaml: unknown anchor 'x' referenced");
  });

  it("a document's lines count from its own start", () => {
    const docs = parseYamlDocuments("a: 1\n---\nb: 2\n---\n\nc: 3\n", "f.yaml");
    expect(docs.map((d) => d.line)).toEqual([1, 3, 5]);
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it("a key called constructor or __proto__ is an ordinary unknown field", () => {
    expect(error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n__proto__: {x: 1}\n").message).toContain('unknown field "__proto__" in io.k8s.api.core.v1.ConfigMap');
    expect(loadManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {constructor: x}\n", "c.yaml")[0]!.object).toMatchObject({ data: { constructor: "x" } });
  });
});
