import fc from "fast-check";
import { labelKey, labelSet, labelValue, type LabelSet } from "./labels.js";
import { toYaml, yamlStyle, type YamlValue } from "./yaml.js";

// What people feed orchestration, drawn as values and written as the text a user writes: compose
// files (the compose spec's common subset) and Kubernetes-like manifests. Each arbitrary gives the
// document as a value (what a loader must produce) and its YAML text in a drawn style.

/** A document and its text. */
export interface YamlDocument<T> {
  readonly value: T;
  readonly text: string;
}

const IMAGES = ["alpine:3.5", "busybox", "nginx", "redis", "postgres:9.6", "python:3", "node", "ubuntu:18.04", "registry:2", "httpd"];
const dnsName = fc.tuple(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz".split("")), fc.stringMatching(/^[a-z0-9-]{0,10}[a-z0-9]$/))
  .map(([a, b]) => (a + b).slice(0, 20));
const serviceName = fc.oneof(fc.constantFrom("web", "db", "redis", "worker", "rng", "hasher", "webui", "api"), dnsName);
const port = fc.integer({ min: 1, max: 65535 });
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);
const envValue = fc.oneof(fc.constantFrom("1", "production", "postgres://db/app", "a b", "x=y", ""), fc.string({ maxLength: 12 }).filter((s) => !s.includes("$")));

// ---- compose files --------------------------------------------------------------------------

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context: string; readonly dockerfile?: string };
  readonly command?: string | readonly string[];
  readonly ports?: readonly string[];
  readonly environment?: Readonly<Record<string, string>> | readonly string[];
  readonly depends_on?: readonly string[];
  readonly volumes?: readonly string[];
  readonly networks?: readonly string[];
  readonly restart?: "no" | "always" | "on-failure" | "unless-stopped";
  readonly labels?: LabelSet;
  readonly deploy?: { readonly replicas: number };
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, Record<string, never>>>;
  readonly networks?: Readonly<Record<string, Record<string, never>>>;
}

/**
 * A valid compose file (the compose spec's common subset, as DockerCoins and the course use it):
 * services with an image or a build, commands, published ports, environment as a map or a list,
 * depends_on (only on services defined before, so there is no cycle), named volumes and networks
 * declared at the top, restart policies, labels and replicas.
 */
export function composeFile(o: { readonly servicesMax?: number } = {}): fc.Arbitrary<YamlDocument<ComposeFile>> {
  return fc.record({
    names: fc.uniqueArray(serviceName, { minLength: 1, maxLength: o.servicesMax ?? 4 }),
    volumes: fc.uniqueArray(fc.constantFrom("data", "cache", "db-data", "logs"), { maxLength: 2 }),
    networks: fc.uniqueArray(fc.constantFrom("front", "back", "internal"), { maxLength: 2 }),
    style: yamlStyle(),
  }).chain(({ names, volumes, networks, style }) => {
    const service = (i: number): fc.Arbitrary<ComposeService> => {
      const earlier = names.slice(0, i);
      return fc.record({
        image: fc.constantFrom(...IMAGES),
        build: fc.oneof(fc.constantFrom(".", "./app", "worker"), fc.record({ context: fc.constantFrom(".", "./app"), dockerfile: fc.constantFrom("Dockerfile", "Dockerfile.dev") })),
        command: fc.oneof(fc.constantFrom("python app.py", "sleep 1000", "nginx -g 'daemon off;'"), fc.array(fc.constantFrom("sh", "-c", "echo", "hi", "sleep", "5"), { minLength: 1, maxLength: 4 })),
        ports: fc.uniqueArray(fc.oneof(port.map(String), fc.tuple(port, port).map(([a, b]) => `${a}:${b}`), fc.tuple(port, port).map(([a, b]) => `127.0.0.1:${a}:${b}/tcp`)), { maxLength: 2 }),
        environment: fc.oneof(
          fc.dictionary(envName, envValue, { maxKeys: 3 }),
          fc.uniqueArray(fc.tuple(envName, envValue), { selector: ([k]) => k, maxLength: 3 }).map((p) => p.map(([k, v]) => `${k}=${v}`)),
        ),
        depends_on: earlier.length > 0 ? fc.uniqueArray(fc.constantFrom(...earlier), { maxLength: 2 }) : fc.constant([]),
        volumes: fc.array(fc.oneof(
          volumes.length > 0 ? fc.tuple(fc.constantFrom(...volumes), fc.constantFrom("/data", "/var/lib/postgresql/data")).map(([v, p]) => `${v}:${p}`) : fc.constant("/tmp/scratch"),
          fc.constantFrom("./src:/app", "/srv:/srv:ro"),
        ), { maxLength: 2 }),
        networks: networks.length > 0 ? fc.uniqueArray(fc.constantFrom(...networks), { maxLength: 2 }) : fc.constant([]),
        restart: fc.constantFrom("no" as const, "always" as const, "on-failure" as const, "unless-stopped" as const),
        labels: labelSet({ maxKeys: 2 }),
        deploy: fc.integer({ min: 0, max: 5 }).map((replicas) => ({ replicas })),
      }, { requiredKeys: [] }).map((s) => {
        // A service needs an image or a build; the targets of volumes must be unique.
        const out: Record<string, unknown> = { ...s };
        if (out.image === undefined && out.build === undefined) out.image = IMAGES[i % IMAGES.length];
        if (Array.isArray(out.volumes)) out.volumes = dedupeTargets(out.volumes as string[]);
        for (const k of ["depends_on", "networks", "volumes", "ports"]) if (Array.isArray(out[k]) && (out[k] as unknown[]).length === 0) delete out[k];
        if (out.labels && Object.keys(out.labels).length === 0) delete out.labels;
        return out as ComposeService;
      });
    };
    return fc.tuple(...names.map((_, i) => service(i))).map((services) => {
      const value: ComposeFile = {
        services: Object.fromEntries(names.map((n, i) => [n, services[i]!])),
        ...(volumes.length > 0 ? { volumes: Object.fromEntries(volumes.map((v) => [v, {}])) } : {}),
        ...(networks.length > 0 ? { networks: Object.fromEntries(networks.map((n) => [n, {}])) } : {}),
      };
      return { value, text: toYaml(value as unknown as YamlValue, style) };
    });
  });
}

function dedupeTargets(vols: readonly string[]): string[] {
  const seen = new Set<string>();
  return vols.filter((v) => {
    const target = v.split(":")[1] ?? v;
    if (seen.has(target)) return false;
    seen.add(target);
    return true;
  });
}

// ---- Kubernetes-like manifests -------------------------------------------------------------------

export type Manifest = Readonly<Record<string, YamlValue>> & { readonly apiVersion: string; readonly kind: string; readonly metadata: { readonly name: string; readonly labels?: LabelSet } };

const container = fc.record({
  name: serviceName,
  image: fc.constantFrom(...IMAGES),
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }).map((ps) => ps.map((containerPort) => ({ containerPort }))),
}).map((c) => (c.ports.length === 0 ? { name: c.name, image: c.image } : c));

/**
 * Kubernetes-like manifests, each internally consistent: a Deployment's selector matches its
 * pod template's labels (the API server rejects one that does not), a Service selects pods by
 * labels, a Pod, a ConfigMap. `kinds` limits what is drawn.
 */
export function manifest(o: { readonly kinds?: readonly ("Deployment" | "Service" | "Pod" | "ConfigMap")[] } = {}): fc.Arbitrary<YamlDocument<Manifest>> {
  const kinds = o.kinds ?? ["Deployment", "Service", "Pod", "ConfigMap"];
  const podLabels = fc.uniqueArray(fc.tuple(labelKey(), labelValue().filter((v) => v !== "")), { selector: ([k]) => k, minLength: 1, maxLength: 3 }).map((p) => Object.fromEntries(p) as LabelSet);
  const byKind = {
    Deployment: fc.record({ name: dnsName, labels: podLabels, replicas: fc.integer({ min: 0, max: 10 }), containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 2 }) })
      .chain((d) => fc.subarray(Object.keys(d.labels), { minLength: 1 }).map((keys) => ({
        apiVersion: "apps/v1", kind: "Deployment", metadata: { name: d.name, labels: d.labels },
        spec: {
          replicas: d.replicas,
          selector: { matchLabels: Object.fromEntries(keys.map((k) => [k, d.labels[k]!])) },
          template: { metadata: { labels: d.labels }, spec: { containers: d.containers } },
        },
      }) as unknown as Manifest)),
    Service: fc.record({ name: dnsName, selector: podLabels, port: port, target: port, type: fc.constantFrom("ClusterIP", "NodePort") })
      .map((s) => ({
        apiVersion: "v1", kind: "Service", metadata: { name: s.name },
        spec: { type: s.type, selector: s.selector, ports: [{ port: s.port, targetPort: s.target }] },
      }) as unknown as Manifest),
    Pod: fc.record({ name: dnsName, labels: podLabels, containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 2 }) })
      .map((p) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: p.name, labels: p.labels }, spec: { containers: p.containers } }) as unknown as Manifest),
    ConfigMap: fc.record({ name: dnsName, data: fc.dictionary(fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/), envValue, { maxKeys: 3 }) })
      .map((c) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: c.name }, data: c.data }) as unknown as Manifest),
  };
  return fc.tuple(fc.oneof(...kinds.map((k) => byKind[k])), yamlStyle()).map(([value, style]) => ({ value, text: toYaml(value as unknown as YamlValue, style) }));
}

/** Several manifests in one file, separated by `---` (kubectl apply -f). */
export function manifestList(o: { readonly maxLength?: number } = {}): fc.Arbitrary<YamlDocument<readonly Manifest[]>> {
  return fc.array(manifest(), { minLength: 1, maxLength: o.maxLength ?? 3 })
    .map((docs) => ({ value: docs.map((d) => d.value), text: docs.map((d) => d.text).join("---\n") }));
}
