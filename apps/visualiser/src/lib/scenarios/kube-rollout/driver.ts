import type { TraceRecord } from "@drydock/kernel";
import type { WorldAction, WorldState } from "@drydock/playground";
import {
  POD_TEMPLATE_HASH, REVISION_ANNOTATION, findNewReplicaSet, maxSurge, maxUnavailable, podStatus, replicaSetsOf, type Deployment, type KubeEvent, type Pod, type ReplicaSet,
} from "@drydock/kube";
import { nodeActors, type Driver, type KeyOutcome, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import type { ComponentId, KubeCaption, KubeDeploymentView, KubeLoopView, KubePodView, KubeReplicaSetView, LoopStep, PodState, RolloutViewModel } from "./model.js";
import { CONTROL_PLANE, NODES, kubeMessageLabel, openKubeRun, type KubeScript } from "./run.js";

// A Deployment's rolling update and its undo (issue 15), in a playground with the course's three
// nodes: web.yaml (4 replicas of nginx:1.25, RollingUpdate with maxSurge and maxUnavailable from
// the link) applied with kubectl, then `kubectl set image` and `kubectl rollout undo` typed on the
// control plane by the view's buttons. The deployment controller scales the new ReplicaSet up and
// the old one down within the fenceposts (kubernetes pkg/controller/deployment/rolling.go:
// reconcileNewReplicaSet, reconcileOldReplicaSets; deployment/util ResolveFenceposts); the undo
// brings the old template back as a new revision ("Older versions of ReplicaSets stick around for
// easy rollback", the course's Deployment slide).

export const REPLICAS = 4;
export const OLD_IMAGE = "nginx:1.25";
export const NEW_IMAGE = "nginx:1.27";
export const UPDATE_LINE = `kubectl set image deployment/web nginx=${NEW_IMAGE}`;
export const UNDO_LINE = "kubectl rollout undo deployment/web";
const KEEP_STEPS = 6;
const ACTIVE_US = 1_000_000;

export function webYaml(surge: string, unavailable: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${REPLICAS}
  selector:
    matchLabels:
      app: web
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: ${surge}
      maxUnavailable: ${unavailable}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${OLD_IMAGE}
        ports:
        - containerPort: 80
`;
}

/** A fencepost option: a number or a percentage, as a manifest writes it. */
const fencepost = (v: unknown, def: string): string => (typeof v === "string" && /^(\d+|\d+%)$/.test(v) ? v : def);

export function rolloutScript(options: OptionValues): KubeScript {
  const surge = fencepost(options.surge, "1");
  // Both zero is refused by the API server ("may not be 0 when `maxSurge` is 0"): the link's pair becomes 0/1.
  const unavailable = surge === "0" && /^0%?$/.test(fencepost(options.unavailable, "1")) ? "1" : fencepost(options.unavailable, "1");
  return {
    files: { "/root/web.yaml": webYaml(surge, unavailable) },
    lines: ["kubectl apply -f /root/web.yaml >/dev/null", "kubectl rollout status deployment/web >/dev/null"],
  };
}

function podState(p: Pod): PodState {
  if (p.metadata.deletionTimestamp !== undefined) return "terminating";
  if (!p.spec.nodeName) return "pending";
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? "ready" : "creating";
}

const imageOf = (t: { spec?: { containers: readonly { image?: string }[] } }): string => t.spec?.containers[0]?.image ?? "";

/**
 * The object tree as the store holds it now, for any cluster: the Deployment named (in
 * "default"), else the newest one there, with its ReplicaSets and their pods (exported for the tests).
 */
export function treeView(world: WorldState, name?: string): { deployment: KubeDeploymentView | null; replicaSets: KubeReplicaSetView[] } {
  const store = world.kube?.state.store;
  const all: readonly Deployment[] = store?.list("Deployment", { namespace: "default" }) ?? [];
  const d = name !== undefined ? all.find((x) => x.metadata.name === name)
    : [...all].sort((a, b) => (b.metadata.creationTimestamp ?? 0) - (a.metadata.creationTimestamp ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1))[0];
  if (!store || !d) return { deployment: null, replicaSets: [] };
  const rss = replicaSetsOf(store, d);
  const current = findNewReplicaSet(d, rss);
  const pods = store.list("Pod", { namespace: d.metadata.namespace ?? "default" });
  const byOwner = new Map<string, Pod[]>();
  for (const p of pods) {
    const uid = p.metadata.ownerReferences?.[0]?.uid;
    if (!uid) continue;
    const list = byOwner.get(uid);
    if (list) list.push(p);
    else byOwner.set(uid, [p]);
  }
  const rsView = (rs: ReplicaSet): KubeReplicaSetView => {
    const own = (byOwner.get(rs.metadata.uid ?? "") ?? []).map((p): KubePodView => ({
      name: p.metadata.name, short: p.metadata.name.slice(rs.metadata.name.length + 1), node: p.spec.nodeName ?? null, status: podStatus(p), state: podState(p),
    })).sort((a, b) => (a.name < b.name ? -1 : 1));
    return {
      name: rs.metadata.name, hash: rs.metadata.labels?.[POD_TEMPLATE_HASH] ?? "", revision: Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
      image: imageOf(rs.spec.template), desired: rs.spec.replicas ?? 0, ready: rs.status?.readyReplicas ?? 0, current: rs === current, pods: own,
    };
  };
  const replicaSets = rss.map(rsView).sort((a, b) => b.revision - a.revision);
  const live = replicaSets.flatMap((r) => r.pods).filter((p) => p.state !== "terminating");
  const replicas = d.spec.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const deployment: KubeDeploymentView = {
    name: d.metadata.name, replicas, image: imageOf(d.spec.template), revision: replicaSets.find((r) => r.current)?.revision ?? 0,
    updated, available, maxSurgeText: String(ru?.maxSurge ?? "25%"), maxUnavailableText: String(ru?.maxUnavailable ?? "25%"),
    surge: maxSurge(d), unavailable: maxUnavailable(d), pods: live.length, readyPods: live.filter((p) => p.state === "ready").length,
    complete: updated === replicas && available === replicas && (d.status?.replicas ?? 0) === replicas && (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0),
  };
  return { deployment, replicaSets };
}

/** Which part of the control plane an Event's source is (the course's master and node slides). */
export function componentOf(source: string): ComponentId {
  if (source === "default-scheduler") return "scheduler";
  if (source === "kubelet") return "kubelet";
  if (source.endsWith("-controller")) return "controller-manager";
  return "api-server";
}

/** The loop: the Events recorded up to now and the kubectl lines typed, newest last (exported for the tests). */
export function loopView(world: WorldState, typed: readonly { at: number; line: string }[], now: number): KubeLoopView {
  const store = world.kube?.state.store;
  const steps: LoopStep[] = [];
  for (const e of (store?.list("Event") ?? []) as KubeEvent[]) {
    if (e.lastTimestamp > now) continue;
    const who = e.source.component === "kubelet" && e.source.host ? `kubelet on ${e.source.host}` : e.source.component;
    steps.push({ t: e.lastTimestamp, component: componentOf(e.source.component), who, reason: e.reason, object: `${e.involvedObject.kind}/${e.involvedObject.name}`, message: e.message, rv: Number(e.metadata.resourceVersion ?? 0) });
  }
  // The latest line typed: shown on its own (a step among the controllers' would scroll away at once).
  const command = typed.filter((c) => c.at <= now).pop() ?? null;
  // Oldest first, as kubectl describe lists Events (kubectl/pkg/describe: sort.Sort(event.SortableEvents),
  // by lastTimestamp); at one instant in the order they were written (resourceVersion, etcd's order),
  // so a pod's Pulled, Created, Started read in the order the kubelet recorded them.
  steps.sort((a, b) => a.t - b.t || a.rv - b.rv);
  const recent = steps.filter((s) => s.t > now - ACTIVE_US);
  const active = new Set<ComponentId>(recent.map((s) => s.component));
  if (command && command.at > now - ACTIVE_US) active.add("kubectl");
  // Every step is a request to the API server, which writes it to etcd (watchers then see it).
  if (active.size > 0) {
    active.add("api-server");
    active.add("etcd");
  }
  const order: ComponentId[] = ["kubectl", "api-server", "etcd", "controller-manager", "scheduler", "kubelet"];
  const latest = recent.length > 0 ? recent[recent.length - 1]!.component : command && command.at > now - ACTIVE_US ? "kubectl" : null;
  return { active: order.filter((c) => active.has(c)), latest, steps: steps.slice(-KEEP_STEPS), command: command ? { t: command.at, line: command.line } : null, revision: store?.revision ?? 0 };
}

/** The caption for the state on the screen, in the course's words. */
export function rolloutCaption(d: KubeDeploymentView | null, rss: readonly KubeReplicaSetView[]): KubeCaption {
  if (!d) return { step: "none", title: "No deployment", text: "kubectl apply -f web.yaml creates the deployment web." };
  const fence = `maxSurge ${d.maxSurgeText} lets it run up to ${d.replicas + d.surge} pods; maxUnavailable ${d.maxUnavailableText} keeps at least ${d.replicas - d.unavailable} available`;
  const cur = rss.find((r) => r.current);
  // Old ReplicaSets still running pods (their terminating pods are gone a moment later).
  const old = rss.filter((r) => !r.current && (r.desired > 0 || r.pods.some((p) => p.state !== "terminating")));
  if (d.revision <= 1 && d.complete) {
    return { step: "steady", title: `Deployment web: ${d.replicas} pods of ${d.image}`, text: `The deployment owns a ReplicaSet, the ReplicaSet owns the pods; each controller watches the API server and acts until the actual state matches the desired one. Press "Update to ${NEW_IMAGE}" (kubectl set image): ${fence}.` };
  }
  if (!d.complete || old.length > 0) {
    const undo = d.revision >= 3 && d.image === OLD_IMAGE;
    const moves = `${cur ? `${cur.name} (${cur.image}) ${cur.desired} wanted, ${cur.ready} ready` : ""}${old.map((r) => `; ${r.name} (${r.image}) ${r.desired} wanted`).join("")}`;
    return undo
      ? { step: "undoing", title: "Rolling back: the old ReplicaSet scales up again", text: `kubectl rollout undo put revision ${d.revision - 2}'s template back as revision ${d.revision}: the same rolling update, the other way. ${moves}.` }
      : { step: "rolling", title: `Rolling update to ${d.image}`, text: `The deployment controller scales the new ReplicaSet up and the old one down in steps: ${fence}. ${moves}.` };
  }
  if (d.image === OLD_IMAGE) {
    return { step: "undone", title: `Rolled back to ${d.image} (revision ${d.revision})`, text: `The old ReplicaSet was kept at 0 replicas, so the undo only scaled it back up: ${d.readyPods} of ${d.replicas} pods ready. Its revision number moved to ${d.revision}.` };
  }
  return { step: "updated", title: `Updated to ${d.image} (revision ${d.revision})`, text: `All ${d.replicas} pods belong to the new ReplicaSet; the old one stays with 0 replicas for an easy rollback. Press "Roll back" (kubectl rollout undo).` };
}

const line = (l: string) => ({ type: "exec", host: CONTROL_PLANE, line: l }) as const;

export const ROLLOUT_KEYS: readonly ScenarioKey<RolloutViewModel>[] = [
  {
    key: "u", label: `update web to ${NEW_IMAGE} (kubectl set image)`,
    run: (v): KeyOutcome => (v.deployment?.image === NEW_IMAGE ? { refused: `web already runs ${NEW_IMAGE}` } : { actions: [line(UPDATE_LINE)], notice: UPDATE_LINE }),
  },
  {
    key: "z", label: "roll back (kubectl rollout undo)",
    run: (v): KeyOutcome => ((v.deployment?.revision ?? 0) < 2 ? { refused: "no previous revision to roll back to" } : { actions: [line(UNDO_LINE)], notice: UNDO_LINE }),
  },
];

/** kubectl lines typed after the setup, from the action log. */
export function typedLines(log: readonly { at: number; action: unknown }[]): { at: number; line: string }[] {
  const out: { at: number; line: string }[] = [];
  for (const a of log) {
    const w = a.action as WorldAction;
    if (w.type === "exec" && /^kubectl (set|rollout undo|scale|apply)/.test(w.line)) out.push({ at: a.at, line: w.line.replace(/ >\/dev\/null$/, "") });
  }
  return out;
}

export function createRolloutDriver(seed: string, options: OptionValues): Driver<RolloutViewModel> {
  const run = openKubeRun(seed, rolloutScript(options));
  const sim = run.sim;
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([...NODES]),
    view() {
      const world = sim.state;
      const { deployment, replicaSets } = treeView(world, "web");
      return { deployment, replicaSets, loop: loopView(world, typedLines(sim.actionLog), sim.now), caption: rolloutCaption(deployment, replicaSets) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      // A ReplicaSet's replicas changing: the deployment controller's steps (the watch records).
      const out: Mark[] = [];
      const seen = new Map<string, number>();
      for (const r of trace.slice(Math.max(0, from))) {
        if (r.t <= run.setup.at || r.type !== "state") continue;
        const d = r.data as { event?: string; changes?: readonly { type: string; kind: string; name: string; replicas?: number; updated?: number; available?: number }[] };
        if (d.event !== "watch" || !d.changes) continue;
        for (const c of d.changes) {
          if (c.kind === "Deployment") {
            // The rollout done: every replica updated and available (what `kubectl rollout status` waits for).
            const done = c.updated === c.replicas && c.available === c.replicas;
            if (done && seen.get(c.name) !== 1) out.push({ t: r.t, label: `${c.name.replace(/^default\//, "")} rolled out: ${c.replicas} of ${c.replicas} updated and available` });
            seen.set(c.name, done ? 1 : 0);
            continue;
          }
          if (c.kind !== "ReplicaSet" || c.type === "DELETED" || seen.get(c.name) === c.replicas) continue;
          seen.set(c.name, c.replicas ?? 0);
          out.push({ t: r.t, label: `${c.name.replace(/^default\//, "")} scaled to ${c.replicas}` });
        }
      }
      return out;
    },
    messageLabel: kubeMessageLabel,
    messageKind: kubeMessageLabel,
  };
}
