// kubectl get: the printers' tables (pkg/printers/internalversion/printers.go, as rows from
// @drydock/kube's views), -o wide|name|yaml|json, -l, --no-headers, --show-labels, -n/-A, and
// `get all`.
import {
  DEPLOYMENT_COLUMNS, KINDS, NODE_COLUMNS, POD_COLUMNS, POD_WIDE_COLUMNS, REPLICASET_COLUMNS, SERVICE_COLUMNS,
  CRONJOB_COLUMNS, DAEMONSET_COLUMNS, EVENT_COLUMNS, JOB_COLUMNS, cronJobRow, STATEFULSET_COLUMNS, byLastSeen, daemonSetRow, jobRow, statefulSetRow, deploymentRow, eventRow, humanDuration, nodeRow, podRow, replicaSetRow, serviceRow,
  type EndpointSlice, type Kind, type KubeObject, type Selector, type StoreReader,
} from "@drydock/kube";
import { stringify } from "yaml";
import { formatCreatedRfc3339 } from "@drydock/image";
import { table } from "../format/index.js";

/** kubectl's tabwriter (printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3). */
export const kubeTable = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  table(header, rows, { minwidth: 6, tabwidth: 4, padding: 3, padchar: " ", flags: 0 });

/** A resource as kubectl names it on the command line: kinds, plurals, short names; `endpoints` is its own. */
export type Resource = Kind | "Endpoints";

const NAMES = new Map<string, Resource>();
for (const [kind, k] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
  NAMES.set(kind.toLowerCase(), kind);
  NAMES.set(k.resource, kind);
  for (const s of k.shortNames) NAMES.set(s, kind);
  if (k.group !== "") { NAMES.set(`${k.resource}.${k.group}`, kind); NAMES.set(`${kind.toLowerCase()}.${k.group}`, kind); }
}
NAMES.set("endpoints", "Endpoints");
NAMES.set("ep", "Endpoints");

export function resourceOf(word: string): Resource | undefined {
  return NAMES.get(word.toLowerCase());
}

/** `deployment.apps`, `pod`: the prefix of -o name and of `get all`'s names. */
export function kindPrefix(r: Resource): string {
  if (r === "Endpoints") return "endpoints";
  const k = KINDS[r];
  return k.group === "" ? r.toLowerCase() : `${r.toLowerCase()}.${k.group}`;
}

export const namespaced = (r: Resource): boolean => r === "Endpoints" || KINDS[r].namespaced;

const age = (o: KubeObject, now: number) => humanDuration(now - (o.metadata.creationTimestamp ?? 0));
const selectorText = (labels: Readonly<Record<string, string>> | undefined) =>
  labels && Object.keys(labels).length > 0 ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",") : "<none>";
export const labelsText = (labels: Readonly<Record<string, string>> | undefined) =>
  labels && Object.keys(labels).length > 0 ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",") : "<none>";

/** The Endpoints a Service has, as kubectl get endpoints shows them (from its EndpointSlices' ready addresses). */
export function endpointsOf(store: StoreReader, namespace: string, service: string): string[] {
  const out: string[] = [];
  if (namespace === "default" && service === "kubernetes") {
    // The API server's own endpoints: the control plane's address, port 6443.
    const cp = store.list("Node").find((n) => n.metadata.labels?.["node-role.kubernetes.io/control-plane"] !== undefined);
    const ip = cp?.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
    return ip ? [`${ip}:6443`] : [];
  }
  for (const es of store.list("EndpointSlice", { namespace }) as EndpointSlice[]) {
    if (es.metadata.labels?.["kubernetes.io/service-name"] !== service) continue;
    for (const e of es.endpoints) {
      if (e.conditions.ready !== true) continue;
      for (const a of e.addresses) for (const p of es.ports ?? [{}]) out.push(p.port !== undefined ? `${a}:${p.port}` : a);
    }
  }
  return out.sort();
}

/** printEndpoints: the first three, then "+ N more...". */
export function endpointsText(list: readonly string[]): string {
  if (list.length === 0) return "<none>";
  return list.length > 3 ? `${list.slice(0, 3).join(",")} + ${list.length - 3} more...` : list.join(",");
}

interface Columns {
  readonly header: readonly string[];
  row(o: KubeObject): string[];
}

function columns(r: Resource, store: StoreReader, now: number, wide: boolean): Columns {
  switch (r) {
    case "Pod": return { header: wide ? POD_WIDE_COLUMNS : POD_COLUMNS, row: (o) => podRow(o as never, now, wide) };
    case "Deployment": return {
      header: wide ? [...DEPLOYMENT_COLUMNS, "CONTAINERS", "IMAGES", "SELECTOR"] : DEPLOYMENT_COLUMNS,
      row: (o) => {
        const d = o as Extract<KubeObject, { kind: "Deployment" }>;
        const cs = d.spec.template.spec.containers;
        return wide ? [...deploymentRow(d, now), cs.map((c) => c.name).join(","), cs.map((c) => c.image ?? "").join(","), selectorText(d.spec.selector.matchLabels)] : deploymentRow(d, now);
      },
    };
    case "ReplicaSet": return {
      header: wide ? [...REPLICASET_COLUMNS, "CONTAINERS", "IMAGES", "SELECTOR"] : REPLICASET_COLUMNS,
      row: (o) => {
        const rs = o as Extract<KubeObject, { kind: "ReplicaSet" }>;
        const cs = rs.spec.template.spec.containers;
        return wide ? [...replicaSetRow(rs, now), cs.map((c) => c.name).join(","), cs.map((c) => c.image ?? "").join(","), selectorText(rs.spec.selector.matchLabels)] : replicaSetRow(rs, now);
      },
    };
    case "Service": return {
      header: wide ? [...SERVICE_COLUMNS, "SELECTOR"] : SERVICE_COLUMNS,
      row: (o) => {
        const s = o as Extract<KubeObject, { kind: "Service" }>;
        return wide ? [...serviceRow(s, now), selectorText(s.spec.selector)] : serviceRow(s, now);
      },
    };
    case "Node": return {
      header: wide ? [...NODE_COLUMNS, "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] : NODE_COLUMNS,
      row: (o) => {
        const n = o as Extract<KubeObject, { kind: "Node" }>;
        const ip = n.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "<none>";
        return wide ? [...nodeRow(n, now), ip, "<none>", "Ubuntu 22.04.4 LTS", "5.15.0-105-generic", "docker://26.1.4"] : nodeRow(n, now);
      },
    };
    case "Namespace": return { header: ["NAME", "STATUS", "AGE"], row: (o) => [o.metadata.name, (o as Extract<KubeObject, { kind: "Namespace" }>).status?.phase ?? "Active", age(o, now)] };
    case "Secret": return {
      header: ["NAME", "TYPE", "DATA", "AGE"],
      row: (o) => { const s = o as Extract<KubeObject, { kind: "Secret" }>; return [s.metadata.name, s.type ?? "Opaque", String(Object.keys(s.data ?? {}).length), age(o, now)]; },
    };
    case "ConfigMap": return {
      header: ["NAME", "DATA", "AGE"],
      row: (o) => { const c = o as Extract<KubeObject, { kind: "ConfigMap" }>; return [c.metadata.name, String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length), age(o, now)]; },
    };
    case "EndpointSlice": return {
      header: ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
      row: (o) => {
        const es = o as EndpointSlice;
        const ports = (es.ports ?? []).map((p) => String(p.port ?? "")).join(",") || "<unset>";
        const addrs = es.endpoints.flatMap((e) => e.addresses);
        return [es.metadata.name, es.addressType, ports, addrs.length === 0 ? "<unset>" : addrs.length > 3 ? `${addrs.slice(0, 3).join(",")} + ${addrs.length - 3} more...` : addrs.join(","), age(o, now)];
      },
    };
    case "NetworkPolicy": return {
      header: ["NAME", "POD-SELECTOR", "AGE"],
      row: (o) => { const p = o as Extract<KubeObject, { kind: "NetworkPolicy" }>; return [p.metadata.name, selectorText(p.spec.podSelector.matchLabels).replace("<none>", ""), age(o, now)]; },
    };
    case "StatefulSet": return { header: STATEFULSET_COLUMNS, row: (o) => statefulSetRow(o as Extract<KubeObject, { kind: "StatefulSet" }>, now) };
    case "DaemonSet": return { header: DAEMONSET_COLUMNS, row: (o) => daemonSetRow(o as Extract<KubeObject, { kind: "DaemonSet" }>, now) };
    case "Job": return {
      header: wide ? [...JOB_COLUMNS, "CONTAINERS", "IMAGES", "SELECTOR"] : JOB_COLUMNS,
      row: (o) => {
        const j = o as Extract<KubeObject, { kind: "Job" }>;
        const cs = j.spec.template.spec.containers;
        return wide ? [...jobRow(j, now), cs.map((c) => c.name).join(","), cs.map((c) => c.image ?? "").join(","), `batch.kubernetes.io/controller-uid=${j.metadata.uid}`] : jobRow(j, now);
      },
    };
    case "CronJob": return {
      header: wide ? [...CRONJOB_COLUMNS, "CONTAINERS", "IMAGES", "SELECTOR"] : CRONJOB_COLUMNS,
      row: (o) => {
        const c = o as Extract<KubeObject, { kind: "CronJob" }>;
        const cs = c.spec.jobTemplate.spec.template.spec.containers;
        return wide ? [...cronJobRow(c, now), cs.map((x) => x.name).join(","), cs.map((x) => x.image ?? "").join(","), selectorText(c.spec.jobTemplate.spec.selector?.matchLabels)] : cronJobRow(c, now);
      },
    };
    case "Event": return { header: EVENT_COLUMNS, row: (o) => eventRow(o as Extract<KubeObject, { kind: "Event" }>, now) };
    case "Endpoints": return {
      header: ["NAME", "ENDPOINTS", "AGE"],
      row: (o) => [o.metadata.name, endpointsText(endpointsOf(store, o.metadata.namespace ?? "default", o.metadata.name)), age(o, now)],
    };
  }
}

/** The objects of a resource (Endpoints: one per Service, as the endpoints controller keeps them). */
export function listResource(store: StoreReader, r: Resource, namespace: string | null, selector?: Selector): KubeObject[] {
  const o = { ...(namespace !== null && namespaced(r) ? { namespace } : {}), ...(selector ? { selector } : {}) };
  const list = store.list(r === "Endpoints" ? "Service" : r, o) as KubeObject[];
  // Events oldest first, as people read them (kubectl get events --sort-by=.lastTimestamp).
  if (r === "Event") return [...(list as Extract<KubeObject, { kind: "Event" }>[])].sort(byLastSeen);
  return [...list].sort((a, b) => ((a.metadata.namespace ?? "") + "/" + a.metadata.name < (b.metadata.namespace ?? "") + "/" + b.metadata.name ? -1 : 1));
}

export function getResource(store: StoreReader, r: Resource, namespace: string, name: string): KubeObject | undefined {
  if (r === "Endpoints") return store.get("Service", namespace, name) as KubeObject | undefined;
  return store.get(r, namespaced(r) ? namespace : "", name) as KubeObject | undefined;
}

export interface TableOptions {
  readonly now: number;
  readonly wide: boolean;
  readonly noHeaders: boolean;
  readonly allNamespaces: boolean;
  readonly showLabels: boolean;
  /** Names prefixed with their kind (`pod/web-1`), as kubectl does for several kinds at once. */
  readonly prefixed: boolean;
}

/** One kind's table. */
export function printTable(store: StoreReader, r: Resource, objects: readonly KubeObject[], o: TableOptions): string {
  const c = columns(r, store, o.now, o.wide);
  let header = [...c.header];
  let rows = objects.map((x) => {
    const row = c.row(x);
    if (o.prefixed) row[0] = `${kindPrefix(r)}/${row[0]}`;
    return row;
  });
  if (o.allNamespaces && namespaced(r)) {
    header = ["NAMESPACE", ...header];
    rows = rows.map((row, i) => [objects[i]!.metadata.namespace ?? "default", ...row]);
  }
  if (o.showLabels) {
    header = [...header, "LABELS"];
    rows = rows.map((row, i) => [...row, labelsText(objects[i]!.metadata.labels)]);
  }
  const text = kubeTable(header, rows);
  return o.noHeaders ? text.slice(text.indexOf("\n") + 1) : text;
}

/** An object as the API server returns it: times as RFC 3339, the internal fields left out. */
export function apiObject(o: KubeObject): Record<string, unknown> {
  const time = (us: number | undefined) => (us === undefined ? undefined : formatCreatedRfc3339(Math.floor(us / 1_000_000) * 1_000_000));
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, ""));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        out[k] = walk(x, k);
      }
      return out;
    }
    if (typeof v === "number" && /(Timestamp|Time|startedAt)$/.test(key)) return time(v);
    return v;
  };
  const { apiVersion, kind, metadata, ...rest } = o as unknown as Record<string, unknown> & { metadata: Record<string, unknown> };
  const m = walk(metadata, "metadata") as Record<string, unknown>;
  if (m["resourceVersion"] === undefined) delete m["resourceVersion"];
  return { apiVersion, kind, metadata: m, ...(walk(rest, "") as Record<string, unknown>) };
}

export function printObjects(objects: readonly KubeObject[], format: "yaml" | "json", single: boolean): string {
  const items = objects.map(apiObject);
  const doc = single && items.length === 1 ? items[0] : { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
  if (format === "json") return JSON.stringify(doc, null, 4) + "\n";
  // YAML 1.1 (go-yaml's): a string that reads as a timestamp is quoted.
  return stringify(doc, { indentSeq: false, lineWidth: 0, schema: "yaml-1.1" });
}
