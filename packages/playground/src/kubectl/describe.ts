// kubectl describe: the main sections of pkg/describe/describe.go for pods, deployments, services
// and nodes (the rest: name, namespace, labels, annotations), each ending with the object's events
// (DescribeEvents).
import { base64Decode, describeEvents, eventsFor, humanDuration, probeDefaults, rolloutHistory, type KubeObject, type Pod, type Probe, type StoreReader } from "@drydock/kube";
import { formatCreatedRfc3339 } from "@drydock/image";
import { endpointsOf, endpointsText, labelsText } from "./get.js";
import { tabwrite } from "../format/index.js";

/** RFC 1123 with a numeric zone, as describe prints times ("Mon, 01 Jan 2026 00:00:05 +0000"). */
function rfc1123z(us: number): string {
  const iso = formatCreatedRfc3339(Math.floor(us / 1_000_000) * 1_000_000); // 2026-01-01T00:00:05Z
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})Z$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Zeller-free weekday: days since 1970-01-01 (a Thursday).
  const days = daysFromCivil(y, mo, d);
  const wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]!;
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][mo - 1]!;
  return `${wd}, ${m[3]} ${mon} ${y} ${m[4]} +0000`;
}

/** Howard Hinnant's days_from_civil. */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** describe's PrefixWriter: "Label:\tvalue" lines at levels, aligned by a tabwriter (minwidth 0, tabwidth 8, padding 2). */
class Writer {
  private text = "";
  line(level: number, ...cells: string[]) { this.text += "  ".repeat(level) + cells.join("\t") + "\n"; }
  /** A map over several lines, the first after the label. */
  map(level: number, label: string, m: Readonly<Record<string, string>> | undefined) {
    const keys = Object.keys(m ?? {}).sort();
    if (keys.length === 0) { this.line(level, `${label}:`, "<none>"); return; }
    keys.forEach((k, i) => this.line(level, i === 0 ? `${label}:` : "", `${k}=${m![k]}`));
  }
  private flushed = "";
  /** tabwriter.Flush: what follows aligns on its own. */
  flush() { this.flushed += tabwrite(this.text, { minwidth: 0, tabwidth: 8, padding: 2, padchar: " ", flags: 0 }); this.text = ""; }
  done(): string { this.flush(); return this.flushed.replace(/\n$/, ""); }
}

/** DescribeEvents: "Events:  <none>", or, after a flush, the table at level 1. */
function writeEvents(w: Writer, store: StoreReader, o: KubeObject, now: number) {
  const rows = describeEvents(eventsFor(store, o), now);
  if (!rows) { w.line(0, "Events:", "<none>"); return; }
  w.flush();
  w.line(0, "Events:");
  w.line(1, "Type", "Reason", "Age", "From", "Message");
  w.line(1, "----", "------", "----", "----", "-------");
  for (const r of rows) w.line(1, ...r);
}

/** describeContainerProbe: the handler, then delay, timeout, period and thresholds with their defaults. */
function probeText(p: Probe): string {
  const d = probeDefaults(p);
  const attrs = `delay=${d.initialDelayUs / 1_000_000}s timeout=${p.timeoutSeconds || 1}s period=${d.periodUs / 1_000_000}s #success=${d.successThreshold} #failure=${d.failureThreshold}`;
  if (p.httpGet) return `http-get http://:${p.httpGet.port}${p.httpGet.path ?? "/"} ${attrs}`;
  if (p.tcpSocket) return `tcp-socket :${p.tcpSocket.port} ${attrs}`;
  return `exec [${(p.exec?.command ?? []).join(" ")}] ${attrs}`;
}

function describePod(p: Pod, store: StoreReader, now: number): string {
  const w = new Writer();
  const node = p.spec.nodeName ? store.get("Node", "", p.spec.nodeName) : undefined;
  const ip = node?.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
  w.line(0, "Name:", p.metadata.name);
  w.line(0, "Namespace:", p.metadata.namespace ?? "default");
  w.line(0, "Priority:", "0");
  w.line(0, "Service Account:", "default");
  w.line(0, "Node:", p.spec.nodeName ? `${p.spec.nodeName}/${ip ?? ""}` : "<none>");
  if (p.status?.startTime !== undefined) w.line(0, "Start Time:", rfc1123z(p.status.startTime));
  w.map(0, "Labels", p.metadata.labels);
  w.map(0, "Annotations", p.metadata.annotations);
  w.line(0, "Status:", p.metadata.deletionTimestamp !== undefined ? "Terminating" : p.status?.phase ?? "Pending");
  w.line(0, "IP:", p.status?.podIP ?? "");
  if (p.status?.podIP) w.line(0, "IPs:");
  else w.line(0, "IPs:", "<none>");
  if (p.status?.podIP) w.line(1, "IP:", p.status.podIP);
  const owner = p.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) w.line(0, "Controlled By:", `${owner.kind}/${owner.name}`);
  w.line(0, "Containers:");
  for (const c of p.spec.containers) {
    const st = p.status?.containerStatuses?.find((s) => s.name === c.name);
    w.line(1, `${c.name}:`);
    w.line(2, "Image:", c.image ?? "");
    const port = c.ports?.[0];
    w.line(2, "Port:", port ? `${port.containerPort}/${port.protocol ?? "TCP"}` : "<none>");
    w.line(2, "Host Port:", port ? `0/${port.protocol ?? "TCP"}` : "<none>");
    if (st?.state.running) { w.line(2, "State:", "Running"); w.line(3, "Started:", rfc1123z(st.state.running.startedAt ?? 0)); }
    else if (st?.state.terminated) { w.line(2, "State:", "Terminated"); w.line(3, "Reason:", st.state.terminated.reason); w.line(3, "Exit Code:", String(st.state.terminated.exitCode)); }
    else w.line(2, "State:", "Waiting"), w.line(3, "Reason:", st?.state.waiting?.reason ?? "ContainerCreating");
    w.line(2, "Ready:", st?.ready ? "True" : "False");
    w.line(2, "Restart Count:", String(st?.restartCount ?? 0));
    if (c.livenessProbe) w.line(2, "Liveness:", probeText(c.livenessProbe));
    if (c.readinessProbe) w.line(2, "Readiness:", probeText(c.readinessProbe));
    w.line(2, "Environment:", (c.env ?? []).length === 0 ? "<none>" : "");
    for (const e of c.env ?? []) w.line(3, `${e.name}:`, e.value ?? "");
    w.line(2, "Mounts:", "<none>");
  }
  w.line(0, "Conditions:");
  w.line(1, "Type", "Status");
  // The kubelet's order (status manager): Initialized, Ready, ContainersReady, PodScheduled.
  const order = ["Initialized", "Ready", "ContainersReady", "PodScheduled"];
  const conditions = [...(p.status?.conditions ?? [])].sort((a, b) => (order.indexOf(a.type) + 1 || 99) - (order.indexOf(b.type) + 1 || 99));
  for (const c of conditions) w.line(1, c.type, `${c.status} `);
  w.line(0, "Volumes:", "<none>");
  w.line(0, "QoS Class:", "BestEffort");
  w.line(0, "Node-Selectors:", "<none>");
  const tol = p.spec.tolerations ?? [];
  tol.forEach((t, i) => w.line(0, i === 0 ? "Tolerations:" : "", `${t.key}:${t.effect ?? ""} op=${t.operator ?? "Equal"}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ""}`));
  if (tol.length === 0) w.line(0, "Tolerations:", "<none>");
  writeEvents(w, store, p, now);
  return w.done();
}

function describeObject(store: StoreReader, o: KubeObject, now: number): string {
  const w = new Writer();
  switch (o.kind) {
    case "Pod": return describePod(o, store, now);
    case "Deployment": {
      const s = o.status ?? {};
      w.line(0, "Name:", o.metadata.name);
      w.line(0, "Namespace:", o.metadata.namespace ?? "default");
      w.line(0, "CreationTimestamp:", rfc1123z(o.metadata.creationTimestamp ?? 0));
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      w.line(0, "Selector:", labelsText(o.spec.selector.matchLabels));
      w.line(0, "Replicas:", `${o.spec.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable`);
      const strategy = o.spec.strategy?.type ?? "RollingUpdate";
      w.line(0, "StrategyType:", strategy);
      w.line(0, "MinReadySeconds:", String(o.spec.minReadySeconds ?? 0));
      if (strategy === "RollingUpdate") w.line(0, "RollingUpdateStrategy:", `${o.spec.strategy?.rollingUpdate?.maxUnavailable ?? "25%"} max unavailable, ${o.spec.strategy?.rollingUpdate?.maxSurge ?? "25%"} max surge`);
      w.line(0, "Pod Template:");
      w.map(1, "Labels", o.spec.template.metadata?.labels);
      w.line(1, "Containers:");
      for (const c of o.spec.template.spec.containers) {
        w.line(2, `${c.name}:`);
        w.line(3, "Image:", c.image ?? "");
        const port = c.ports?.[0];
        w.line(3, "Port:", port ? `${port.containerPort}/${port.protocol ?? "TCP"}` : "<none>");
        w.line(3, "Host Port:", port ? `0/${port.protocol ?? "TCP"}` : "<none>");
        w.line(3, "Environment:", "<none>");
        w.line(3, "Mounts:", "<none>");
      }
      w.line(1, "Volumes:", "<none>");
      w.line(0, "Conditions:");
      w.line(1, "Type", "Status", "Reason");
      w.line(1, "----", "------", "------");
      for (const c of s.conditions ?? []) w.line(1, c.type, c.status, c.reason ?? "");
      const history = rolloutHistory(store, o);
      const rss = history.map((h) => store.get("ReplicaSet", o.metadata.namespace ?? "default", h.replicaSet)).filter((x) => x !== undefined);
      const newest = rss[rss.length - 1];
      const olds = rss.slice(0, -1).filter((rs) => (rs.spec.replicas ?? 0) > 0);
      w.line(0, "OldReplicaSets:", olds.length === 0 ? "<none>" : olds.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`).join(", "));
      w.line(0, "NewReplicaSet:", newest ? `${newest.metadata.name} (${newest.status?.replicas ?? 0}/${newest.spec.replicas ?? 0} replicas created)` : "<none>");
      writeEvents(w, store, o, now);
      return w.done();
    }
    case "CronJob": {
      // describe.go describeCronJob and describeJobTemplate (DescribePodTemplate as for a Deployment).
      const sp = o.spec;
      const jt = sp.jobTemplate.spec;
      const unset = (v: number | undefined, suffix = "") => (v === undefined ? "<unset>" : `${v}${suffix}`);
      w.line(0, "Name:", o.metadata.name);
      w.line(0, "Namespace:", o.metadata.namespace ?? "default");
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      w.line(0, "Schedule:", sp.schedule);
      w.line(0, "Concurrency Policy:", sp.concurrencyPolicy ?? "Allow");
      w.line(0, "Suspend:", sp.suspend === undefined ? "<unset>" : sp.suspend ? "True" : "False");
      w.line(0, "Successful Job History Limit:", unset(sp.successfulJobsHistoryLimit));
      w.line(0, "Failed Job History Limit:", unset(sp.failedJobsHistoryLimit));
      w.line(0, "Starting Deadline Seconds:", unset(sp.startingDeadlineSeconds, "s"));
      w.line(0, "Selector:", jt.selector ? labelsText(jt.selector.matchLabels) : "<unset>");
      w.line(0, "Parallelism:", unset(jt.parallelism));
      w.line(0, "Completions:", unset(jt.completions));
      if (jt.activeDeadlineSeconds !== undefined) w.line(0, "Active Deadline Seconds:", `${jt.activeDeadlineSeconds}s`);
      w.line(0, "Pod Template:");
      w.map(1, "Labels", jt.template.metadata?.labels);
      w.line(1, "Containers:");
      for (const c of jt.template.spec.containers) {
        w.line(2, `${c.name}:`);
        w.line(3, "Image:", c.image ?? "");
        const port = c.ports?.[0];
        w.line(3, "Port:", port ? `${port.containerPort}/${port.protocol ?? "TCP"}` : "<none>");
        w.line(3, "Host Port:", port ? `0/${port.protocol ?? "TCP"}` : "<none>");
        if (c.command?.length) { w.line(3, "Command:"); for (const a of c.command) w.line(4, a); }
        if (c.args?.length) { w.line(3, "Args:"); for (const a of c.args) w.line(4, a); }
        w.line(3, "Environment:", "<none>");
        w.line(3, "Mounts:", "<none>");
      }
      w.line(1, "Volumes:", "<none>");
      w.line(0, "Last Schedule Time:", o.status?.lastScheduleTime === undefined ? "<unset>" : rfc1123z(o.status.lastScheduleTime));
      const active = o.status?.active ?? [];
      w.line(0, "Active Jobs:", active.length === 0 ? "<none>" : active.map((j) => j.name).join(", "));
      writeEvents(w, store, o, now);
      return w.done();
    }
    case "Service": {
      w.line(0, "Name:", o.metadata.name);
      w.line(0, "Namespace:", o.metadata.namespace ?? "default");
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      w.line(0, "Selector:", o.spec.selector ? Object.keys(o.spec.selector).sort().map((k) => `${k}=${o.spec.selector![k]}`).join(",") : "<none>");
      w.line(0, "Type:", o.spec.type ?? "ClusterIP");
      w.line(0, "IP Family Policy:", "SingleStack");
      w.line(0, "IP Families:", "IPv4");
      w.line(0, "IP:", o.spec.clusterIP ?? "<none>");
      w.line(0, "IPs:", o.spec.clusterIP ?? "<none>");
      for (const p of o.spec.ports ?? []) {
        w.line(0, "Port:", p.name ?? "<unset>", `${p.port}/${p.protocol ?? "TCP"}`);
        w.line(0, "TargetPort:", `${p.targetPort ?? p.port}/${p.protocol ?? "TCP"}`);
        if (p.nodePort !== undefined) w.line(0, "NodePort:", p.name ?? "<unset>", `${p.nodePort}/${p.protocol ?? "TCP"}`);
        w.line(0, "Endpoints:", endpointsText(endpointsOf(store, o.metadata.namespace ?? "default", o.metadata.name)));
      }
      w.line(0, "Session Affinity:", "None");
      if (o.spec.type === "NodePort") w.line(0, "External Traffic Policy:", "Cluster");
      w.line(0, "Internal Traffic Policy:", "Cluster");
      writeEvents(w, store, o, now);
      return w.done();
    }
    case "Node": {
      w.line(0, "Name:", o.metadata.name);
      const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice(24));
      w.line(0, "Roles:", roles.length > 0 ? roles.join(",") : "<none>");
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      w.line(0, "CreationTimestamp:", rfc1123z(o.metadata.creationTimestamp ?? 0));
      const taints = o.spec.taints ?? [];
      taints.forEach((t, i) => w.line(0, i === 0 ? "Taints:" : "", `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`));
      if (taints.length === 0) w.line(0, "Taints:", "<none>");
      w.line(0, "Unschedulable:", o.spec.unschedulable ? "true" : "false");
      w.line(0, "Conditions:");
      w.line(1, "Type", "Status", "LastHeartbeatTime", "Reason");
      w.line(1, "----", "------", "-----------------", "------");
      for (const c of o.status?.conditions ?? []) w.line(1, c.type, c.status, rfc1123z(c.lastHeartbeatTime ?? 0), c.reason ?? "");
      w.line(0, "Addresses:");
      for (const a of o.status?.addresses ?? []) w.line(1, `${a.type}:`, a.address);
      w.line(0, "PodCIDR:", o.spec.podCIDR ?? "");
      const pods = store.list("Pod").filter((p) => p.spec.nodeName === o.metadata.name);
      w.line(0, `Non-terminated Pods:`, `(${pods.length} in total)`);
      w.line(1, "Namespace", "Name", "Age");
      w.line(1, "---------", "----", "---");
      for (const p of pods) w.line(1, p.metadata.namespace ?? "default", p.metadata.name, ageOf(p, now));
      writeEvents(w, store, o, now);
      return w.done();
    }
    case "Secret": {
      // describe.go describeSecret: the keys with their sizes in bytes, never the values; no events.
      w.line(0, "Name:", o.metadata.name);
      w.line(0, "Namespace:", o.metadata.namespace ?? "default");
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      w.line(0, "");
      w.line(0, "Type:", o.type ?? "Opaque");
      w.line(0, "");
      w.line(0, "Data");
      w.line(0, "====");
      const data = o.data ?? {};
      for (const k of Object.keys(data).sort()) w.line(0, `${k}:`, `${new TextEncoder().encode(base64Decode(data[k]!)).length} bytes`);
      return w.done();
    }
    default: {
      w.line(0, "Name:", o.metadata.name);
      if (o.metadata.namespace !== undefined) w.line(0, "Namespace:", o.metadata.namespace);
      w.map(0, "Labels", o.metadata.labels);
      w.map(0, "Annotations", o.metadata.annotations);
      writeEvents(w, store, o, now);
      return w.done();
    }
  }
}

const ageOf = (o: KubeObject, now: number): string => humanDuration(now - (o.metadata.creationTimestamp ?? 0));

export function describe(store: StoreReader, o: KubeObject, now: number): string {
  return describeObject(store, o, now);
}
