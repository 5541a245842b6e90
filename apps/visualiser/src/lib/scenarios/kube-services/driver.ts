import type { TraceRecord } from "@drydock/kernel";
import type { WorldAction, WorldState } from "@drydock/playground";
import { SERVICE_NAME_LABEL, isPodReady, policyVerdict, type Pod } from "@drydock/kube";
import { nodeActors, type Driver, type KeyOutcome, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import type { KubeCaption } from "../kube-rollout/model.js";
import { CONTROL_PLANE, NODES, kubeMessageLabel, openKubeRun, type KubeScript } from "../kube-rollout/run.js";
import type { KubeNodeNet, KubePodNet, KubeRequest, KubeServiceNet, PolicyArrow, ServicesViewModel } from "./model.js";

// Services and network policies (issue 15), in a playground with the course's three nodes: web (2
// nginx pods) behind a NodePort Service, and two busybox pods to ask it from, client
// (role=client) and other. The buttons type what a learner types: a request from client to the
// ClusterIP (kube-proxy's iptables rules pick an endpoint with the statistic match: proxier.go),
// one to the NodePort of the control plane, which runs no web pod (KUBE-NODEPORTS, masqueraded,
// then the same service chain), `kubectl scale` (a new pod joins the EndpointSlice only once
// ready: endpointslice controller), and a NetworkPolicy that lets only role=client in: "traffic
// denied if network policy exist but no rule allows it" (the course's Network Policies slide),
// after which other's request is dropped.

export const POLICY_PATH = "/root/web-allow-client.yaml";
export const POLICY_YAML = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-client
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          role: client
    ports:
    - port: 80
`;
const KEEP = 4;

export function servicesScript(options: OptionValues): KubeScript {
  const replicas = Number(options.replicas ?? 2);
  return {
    files: { [POLICY_PATH]: POLICY_YAML },
    lines: [
      `kubectl create deployment web --image=nginx:1.27 --replicas=${replicas} --port=80 >/dev/null`,
      "kubectl expose deployment web --type=NodePort --port=80 >/dev/null",
      "kubectl run client --image=busybox --labels=role=client -- sleep 3600 >/dev/null",
      "kubectl run other --image=busybox --labels=role=other -- sleep 3600 >/dev/null",
      "kubectl rollout status deployment/web >/dev/null",
      "sleep 2",
    ],
  };
}

/** The node's LAN address (the world's hosts in order: 10.0.0.11, .12, ...). */
export const nodeIp = (node: string): string => `10.0.0.${11 + NODES.indexOf(node as (typeof NODES)[number])}`;

/** A pod's application container on its node (docker exec runs a tool in the pod's network namespace, as the kubelet's CRI exec does). */
function containerOf(world: WorldState, pod: Pod | undefined): { node: string; id: string } | null {
  const node = pod?.spec.nodeName;
  if (!pod || !node) return null;
  const c = [...(world.hosts.get(node)?.engine.containers.values() ?? [])].find((x) => x.config.labels["io.kubernetes.pod.name"] === pod.metadata.name && x.config.labels["io.kubernetes.container.name"] !== "POD");
  return c ? { node, id: c.id.slice(0, 12) } : null;
}

/** Where a cluster's picture looks: the Service named (else the newest but `kubernetes`) and the nodes, in order. */
export interface NetWhere {
  readonly service?: string;
  readonly nodes?: readonly string[];
}

/** The nodes, the Service and the policy arrows, from the store, for any cluster (exported for the tests). */
export function netView(world: WorldState, where: NetWhere = {}): Pick<ServicesViewModel, "nodes" | "service" | "policies" | "arrows"> {
  const store = world.kube?.state.store;
  if (!store) return { nodes: [], service: null, policies: [], arrows: [] };
  const services = store.list("Service", { namespace: "default" }).filter((x) => x.metadata.name !== "kubernetes");
  const svc = where.service !== undefined ? services.find((x) => x.metadata.name === where.service)
    : [...services].sort((a, b) => (b.metadata.creationTimestamp ?? 0) - (a.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1))[0];
  const name = svc?.metadata.name ?? "";
  const slices = store.list("EndpointSlice", { namespace: "default" }).filter((x) => x.metadata.labels?.[SERVICE_NAME_LABEL] === name);
  const eps = slices.flatMap((x) => x.endpoints);
  const readyUid = new Set(eps.filter((e) => e.conditions.ready === true).map((e) => e.targetRef?.uid));
  const pods = store.list("Pod", { namespace: "default" }).filter((p) => p.metadata.deletionTimestamp === undefined);
  // The Service's pods are the ones it selects (the scene's app=web); the others ask.
  const selector = Object.entries(svc?.spec.selector ?? {});
  const roleOf = (p: Pod): KubePodNet["role"] =>
    selector.length > 0 && selector.every(([k, v]) => p.metadata.labels?.[k] === v) ? "web" : p.metadata.labels?.["role"] === "client" ? "client" : "other";
  const podNet = (p: Pod): KubePodNet => ({
    name: p.metadata.name, node: p.spec.nodeName ?? "", ip: p.status?.podIP ?? null, ready: isPodReady(p), role: roleOf(p), endpoint: readyUid.has(p.metadata.uid),
  });
  const order = { client: 0, other: 1, web: 2 } as const;
  // Hosts are numbered from 10.0.0.11 in the playground's order (nodeIp).
  const nodes: KubeNodeNet[] = (where.nodes ?? NODES).map((n, i) => ({
    name: n, ip: `10.0.0.${11 + i}`, noSchedule: store.get("Node", "", n)?.spec.taints?.some((t) => t.effect === "NoSchedule") === true,
    pods: pods.filter((p) => p.spec.nodeName === n).map(podNet).sort((a, b) => order[a.role] - order[b.role] || (a.name < b.name ? -1 : 1)),
  }));
  const byUid = new Map(pods.map((p) => [p.metadata.uid, p.metadata.name]));
  const port = svc?.spec.ports?.[0];
  const service: KubeServiceNet | null = svc && port ? {
    name: svc.metadata.name, type: svc.spec.type ?? "ClusterIP", clusterIP: svc.spec.clusterIP ?? "", port: port.port, nodePort: port.nodePort ?? null,
    endpoints: eps.map((e) => ({ pod: byUid.get(e.targetRef?.uid) ?? e.targetRef?.name ?? "", ip: e.addresses[0] ?? "", ready: e.conditions.ready === true })).sort((a, b) => (a.pod < b.pod ? -1 : 1)),
  } : null;
  const policies = store.list("NetworkPolicy", { namespace: "default" }).map((p) => p.metadata.name).sort();
  const arrows: PolicyArrow[] = [];
  const sources = pods.filter((p) => roleOf(p) !== "web" && p.spec.nodeName);
  const targets = pods.filter((p) => roleOf(p) === "web" && p.spec.nodeName);
  for (const s of sources) {
    for (const t of targets) {
      const v = policyVerdict(store, { pod: s }, { pod: t }, 80, "TCP");
      const why = !v.allowed
        ? `${t.metadata.name} is isolated for ingress and no policy allows ${s.metadata.name}`
        : v.ingress.allowedBy.length > 0 ? `allowed by NetworkPolicy ${v.ingress.allowedBy.join(", ")}` : "no policy selects it: allowed by default";
      arrows.push({ from: s.metadata.name, to: t.metadata.name, allowed: v.allowed, why });
    }
  }
  return { nodes, service, policies, arrows };
}

interface Decide { readonly event: "net.decide"; readonly tool?: string; readonly outcome?: string; readonly hops?: readonly string[]; readonly at?: string }

/** A hop as the trace words it, shortened to what the room reads. */
export function shortHop(h: string): string | null {
  if (/^interface eth0/.test(h)) return null;
  return h
    .replace(/^proxy (KUBE-SVC-\S+): (\d+) endpoints: .*the statistic match draws ([0-9.]+): (KUBE-SEP-\S+) \(([^)]+)\)/, "$1: statistic match draws $3 of $2 endpoints → $5")
    .replace(/^iptables nat /, "")
    .replace(/^iptables /, "");
}

/** The requests to web in the trace after `after` (the last KEEP), each with who asked: the exec line's host, or a pod when it ran in one. */
export function servicesRequests(trace: readonly TraceRecord[], log: readonly { at: number; action: unknown }[], after: number, pods: ReadonlyMap<string, string>, keep = KEEP): KubeRequest[] {
  const out: KubeRequest[] = [];
  let n = 0;
  const open = new Map<string, number[]>();
  for (const r of trace) {
    if (r.t <= after || r.type !== "state" || r.data === null || typeof r.data !== "object") continue;
    const d = r.data as Omit<Partial<Decide>, "event"> & { event?: string };
    if (d.event === "line.done" && typeof r.node === "string") {
      // The line that made the request is done on its host: the moment its shell takes the next one.
      for (const i of open.get(r.node) ?? []) out[i] = { ...out[i]!, doneT: r.t };
      open.delete(r.node);
      continue;
    }
    if (d.event !== "net.decide" || !d.hops || typeof d.at !== "string" || d.outcome === "resolved") continue;
    const nodePort = d.hops.map((h) => /KUBE-NODEPORTS \(([^)]+)\)/.exec(h)).find((m) => m !== null);
    const cluster = d.hops.some((h) => h.includes("KUBE-SERVICES"));
    const drawM = d.hops.map((h) => /(\d+) endpoints: .*the statistic match draws ([0-9.]+)/.exec(h)).find((m) => m !== null);
    const at = /^k8s_POD_(.+)_[^_]+_[^_]+_\d+:eth\d+@(.+)$/.exec(d.at);
    const answered = d.outcome === "connected";
    // Who asked: the latest exec line typed at or before the request (a pod when it is `docker exec <its container>`).
    let from = "";
    let host = "";
    for (const a of log) {
      if (a.at > r.t) break;
      const w = a.action as WorldAction;
      if (w.type !== "exec") continue;
      const id = /^docker exec (\S+) /.exec(w.line)?.[1];
      from = (id && pods.get(id)) ?? w.host;
      host = w.host;
    }
    const drop = answered ? undefined : d.hops.find((h) => h.includes("isolated") || h.includes("NetworkPolicy"));
    n++;
    out.push({
      n, t: r.t, from, host, doneT: null, via: nodePort ? "nodeport" : cluster ? "clusterip" : "pod", entry: nodePort ? nodePort[1]! : null,
      pod: answered && at ? at[1]! : null, node: answered && at ? at[2]! : null, outcome: d.outcome ?? "",
      draw: drawM ? `draws ${drawM[2]} of ${drawM[1]} endpoints` : null,
      dropped: answered ? null : (drop ?? d.hops[d.hops.length - 1] ?? d.outcome ?? "").replace(/^.*NetworkPolicy: (default\/)?/, ""),
      droppedAt: drop ? /\((?:default\/)?([^)]+)\)/.exec(drop)?.[1] ?? null : null,
      hops: d.hops.map(shortHop).filter((h): h is string => h !== null),
    });
    const list = open.get(host);
    if (list) list.push(out.length - 1);
    else open.set(host, [out.length - 1]);
  }
  return out.slice(-keep);
}

export function servicesCaption(v: Pick<ServicesViewModel, "nodes" | "service" | "policies" | "requests">, policyAt: number | null): KubeCaption {
  const svc = v.service;
  if (!svc) return { step: "none", title: "No service", text: "kubectl expose deployment web --type=NodePort --port=80 creates it." };
  const web = v.nodes.flatMap((n) => n.pods).filter((p) => p.role === "web");
  const notReady = web.filter((p) => !p.ready);
  const last = v.requests[v.requests.length - 1];
  if (notReady.length > 0) {
    return { step: "not-ready", title: `${notReady.map((p) => p.name).join(", ")} not ready yet`, text: `The EndpointSlice lists only pods whose readiness is true as ready endpoints: kube-proxy sends nothing to a pod until it is ready. ${svc.endpoints.filter((e) => e.ready).length} ready endpoints now.` };
  }
  if (last && (policyAt === null || last.t >= policyAt)) {
    if (!last.pod) {
      return { step: "dropped", title: `${last.from}'s request was dropped`, text: `${last.dropped ?? last.outcome}. Traffic is denied when a network policy selects the pod and no rule allows it: no answer comes, and wget times out (${last.outcome}).` };
    }
    if (last.via === "nodeport") {
      const own = v.nodes.find((n) => n.name === last.entry)?.pods.some((p) => p.role === "web");
      return { step: "nodeport", title: `NodePort ${svc.nodePort} on ${last.entry} → ${last.pod} on ${last.node}`, text: `Every node listens on the NodePort, like Swarm's routing mesh${own ? "" : `: ${last.entry} runs no web pod`}. Its KUBE-NODEPORTS rule masquerades the request and jumps to the service's chain, whose statistic match ${last.draw ?? "picks an endpoint"}.` };
    }
    if (last.via === "clusterip") {
      return { step: v.policies.length > 0 ? "allowed" : "clusterip", title: `${last.from} → ClusterIP ${svc.clusterIP} → ${last.pod}`, text: `No process listens on the ClusterIP (a virtual IP, like Swarm's VIP): kube-proxy's iptables rules on ${last.from === "client" || last.from === "other" ? "the pod's node" : last.from} DNAT it to an endpoint, chosen at random: the statistic match ${last.draw ?? "picks one"}.${v.policies.length > 0 ? ` Allowed by NetworkPolicy ${v.policies.join(", ")}.` : ""}` };
    }
  }
  if (v.policies.length > 0) {
    return { step: "policy", title: `NetworkPolicy ${v.policies.join(", ")} selects web's pods`, text: "Once a policy selects a pod, only what some rule allows gets in: from pods labelled role=client (green); other is denied (red). Send other's request and watch it dropped." };
  }
  return { step: "ready", title: `Service web: ClusterIP ${svc.clusterIP}, NodePort ${svc.nodePort ?? "none"}`, text: `Pods are mortal and their IPs change: the Service is a stable address for the pods its selector app=web picks. Its EndpointSlice lists ${svc.endpoints.filter((e) => e.ready).length} ready endpoints. Send a request from client to the ClusterIP, or to the NodePort of control-plane, which runs no web pod.` };
}

export const SERVICES_KEYS: readonly ScenarioKey<ServicesViewModel>[] = [
  { key: "c", label: "client → the ClusterIP", run: (v): KeyOutcome => ({ actions: [{ type: "exec", host: v.lines.clusterIP.host, line: v.lines.clusterIP.line }], notice: v.lines.clusterIP.label }) },
  { key: "n", label: "node-2 → control-plane's NodePort", run: (v): KeyOutcome => ({ actions: [{ type: "exec", host: v.lines.nodePort.host, line: v.lines.nodePort.line }], notice: v.lines.nodePort.label }) },
  {
    key: "p", label: "apply the NetworkPolicy",
    run: (v): KeyOutcome => (v.policies.length > 0 ? { refused: "the NetworkPolicy is in place already" } : { actions: [{ type: "exec", host: v.lines.policy.host, line: v.lines.policy.line }], notice: v.lines.policy.label }),
  },
  { key: "o", label: "other → the ClusterIP", run: (v): KeyOutcome => ({ actions: [{ type: "exec", host: v.lines.denied.host, line: v.lines.denied.line }], notice: v.lines.denied.label }) },
];

export function createServicesDriver(seed: string, options: OptionValues): Driver<ServicesViewModel> {
  const run = openKubeRun(seed, servicesScript(options));
  const sim = run.sim;
  // The setup's objects: the Service's addresses and the client pods' containers are fixed from here on.
  const w0 = sim.state;
  const store0 = w0.kube!.state.store;
  const svc0 = store0.get("Service", "default", "web")!;
  const ip = svc0.spec.clusterIP ?? "";
  const np = svc0.spec.ports?.[0]?.nodePort ?? 0;
  const client = containerOf(w0, store0.get("Pod", "default", "client"));
  const other = containerOf(w0, store0.get("Pod", "default", "other"));
  const pods = new Map<string, string>([...(client ? [[client.id, "client"] as const] : []), ...(other ? [[other.id, "other"] as const] : [])]);
  // (`wget -O /dev/null` in a container reaches no network in the world yet: the page goes to grep.)
  const fromPod = (c: { node: string; id: string } | null, name: string) => ({ host: c?.node ?? "node-1", line: `docker exec ${c?.id ?? name} wget -q -T 2 -O - http://${ip}/ | grep title`, label: `${name} → ClusterIP ${ip}` });
  const lines: ServicesViewModel["lines"] = {
    clusterIP: fromPod(client, "client"),
    denied: fromPod(other, "other"),
    nodePort: { host: "node-2", line: `curl -s -m 2 -o /dev/null -w '%{http_code}\\n' ${nodeIp(CONTROL_PLANE)}:${np}`, label: `node-2 → ${CONTROL_PLANE}:${np} (NodePort)` },
    scale: { host: CONTROL_PLANE, line: `kubectl scale deployment web --replicas=${Number(options.replicas ?? 2) + 1}`, label: `kubectl scale deployment web --replicas=${Number(options.replicas ?? 2) + 1}` },
    policy: { host: CONTROL_PLANE, line: `kubectl apply -f ${POLICY_PATH}`, label: `kubectl apply -f ${POLICY_PATH}` },
  };
  // A frame reads the requests again only when the trace or the log changed (frames are rebuilt on every move).
  let memo: { trace: readonly TraceRecord[]; len: number; last: TraceRecord | undefined; log: number; out: KubeRequest[] } | null = null;
  const scan = (trace: readonly TraceRecord[], log: typeof sim.actionLog): KubeRequest[] => {
    const last = trace[trace.length - 1];
    if (memo && memo.trace === trace && memo.len === trace.length && memo.last === last && memo.log === log.length) return memo.out;
    const out = servicesRequests(trace, log, run.setup.at, pods);
    memo = { trace, len: trace.length, last, log: log.length, out };
    return out;
  };
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([...NODES]),
    view() {
      const world = sim.state;
      const net = netView(world, { service: "web" });
      const requests = scan(sim.trace, sim.actionLog);
      const policy = world.kube?.state.store.list("NetworkPolicy", { namespace: "default" }).map((p) => p.metadata.creationTimestamp ?? 0) ?? [];
      const policyAt = policy.length > 0 ? Math.max(...policy) : null;
      return { ...net, requests, lines, caption: servicesCaption({ ...net, requests }, policyAt) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      // A pod turning ready: from then on it is a ready endpoint (the store's watch records).
      const out: Mark[] = [];
      const wasReady = new Map<string, boolean>();
      for (const r of trace.slice(Math.max(0, from))) {
        if (r.t <= run.setup.at || r.type !== "state") continue;
        const d = r.data as { event?: string; changes?: readonly { kind: string; name: string; ready?: boolean }[] };
        if (d.event !== "watch" || !d.changes) continue;
        for (const c of d.changes) {
          if (c.kind !== "Pod") continue;
          if (c.ready === true && wasReady.get(c.name) === false) out.push({ t: r.t, label: `${c.name.replace(/^default\//, "")} ready: in the EndpointSlice` });
          wasReady.set(c.name, c.ready === true);
        }
      }
      // Requests marked when their line is done, so that the next click finds its shell free.
      return [...out, ...servicesRequests(trace.slice(Math.max(0, from)), sim.actionLog, run.setup.at, pods, Infinity).filter((q) => q.doneT !== null).map((q) => ({
        t: q.doneT!, label: q.pod ? `${q.from} → ${q.via === "nodeport" ? `NodePort on ${q.entry}` : "ClusterIP"} → ${q.pod}` : `${q.from}'s request dropped`,
      }))].sort((a, b) => a.t - b.t);
    },
    messageLabel: kubeMessageLabel,
    messageKind: kubeMessageLabel,
  };
}
