// What kubectl asks of the API server, as functions over the store: apply, delete, scale, set
// image, rollout undo/pause/resume. Each checks first and throws kubectl's error before it
// changes anything.
import { KubeError, KUBE_ERRORS } from "../errors.js";
import { KINDS, qualifiedResource, type Deployment, type Kind, type KubeObject } from "../api/types.js";
import { CHANGE_CAUSE_ANNOTATION, POD_TEMPLATE_HASH, REVISION_ANNOTATION, findNewReplicaSet, replicaSetsOf, revisionOf } from "../controllers/deployment.js";
import { canonical } from "../controllers/writes.js";
import type { KubeStore } from "../store/store.js";

export type KubeCommand =
  | { readonly type: "kube/apply"; readonly objects: readonly KubeObject[]; readonly file?: string }
  | { readonly type: "kube/delete"; readonly kind: Kind; readonly namespace?: string; readonly name: string; readonly gracePeriodSeconds?: number }
  | { readonly type: "kube/scale"; readonly kind?: "Deployment" | "ReplicaSet" | "StatefulSet"; readonly namespace?: string; readonly name: string; readonly replicas: number }
  | { readonly type: "kube/setImage"; readonly namespace?: string; readonly name: string; readonly container: string; readonly image: string }
  | { readonly type: "kube/rolloutUndo"; readonly namespace?: string; readonly name: string; readonly toRevision?: number }
  | { readonly type: "kube/rolloutPause" | "kube/rolloutResume"; readonly namespace?: string; readonly name: string };

export const KUBE_COMMAND_TYPES: readonly KubeCommand["type"][] = ["kube/apply", "kube/delete", "kube/scale", "kube/setImage", "kube/rolloutUndo", "kube/rolloutPause", "kube/rolloutResume"];

function deployment(store: KubeStore, namespace: string, name: string): Deployment {
  const d = store.get("Deployment", namespace, name);
  if (!d) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND("deployments.apps", name));
  return d;
}

/** Runs a command against the store; returns kubectl's line of output (`deployment.apps/web created`). */
export function runCommand(store: KubeStore, c: KubeCommand, now: number): string[] {
  const ns = ("namespace" in c ? c.namespace : undefined) ?? "default";
  switch (c.type) {
    case "kube/apply":
      return c.objects.map((o) => {
        const kind = o.kind;
        const namespace = KINDS[kind].namespaced ? o.metadata.namespace ?? "default" : "";
        if (!o.metadata.name) {
          const k = KINDS[kind];
          throw new KubeError("NO_NAME", KUBE_ERRORS.NO_NAME(c.file ?? "STDIN", `${k.group}/${k.apiVersion.split("/").pop()}, Resource=${k.resource}`, `${k.group}/${k.apiVersion.split("/").pop()}, Kind=${kind}`, namespace));
        }
        const existing = store.get(kind, namespace, o.metadata.name);
        const ref = `${KINDS[kind].group === "" ? kind.toLowerCase() : `${kind.toLowerCase()}.${KINDS[kind].group}`}/${o.metadata.name}`;
        if (!existing) { store.create(o, { now }); return `${ref} created`; }
        // A simplified three-way merge: the fields the manifest declares replace the live ones.
        const { metadata, ...declared } = o;
        const next = { ...existing, ...declared, metadata: { ...existing.metadata, labels: metadata.labels ?? existing.metadata.labels, annotations: metadata.annotations ?? existing.metadata.annotations } } as KubeObject;
        const write = { ...next, metadata: { ...next.metadata, resourceVersion: undefined } } as KubeObject;
        // Unchanged when the object the server would store is the live one (its defaults, cluster IP and node ports included).
        const probe = store.clone().update(write);
        const same = (x: KubeObject) => canonical({ ...x, status: undefined, metadata: { ...x.metadata, resourceVersion: undefined, generation: undefined } });
        if (same(probe) === same(existing)) return `${ref} unchanged`;
        store.update(write);
        return `${ref} configured`;
      });
    case "kube/delete": {
      const namespace = KINDS[c.kind].namespaced ? ns : "";
      store.delete(c.kind, namespace, c.name, { now, ...(c.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: c.gracePeriodSeconds } : {}) });
      return [`${c.kind.toLowerCase()}${KINDS[c.kind].group ? `.${KINDS[c.kind].group}` : ""} "${c.name}" deleted`];
    }
    case "kube/scale": {
      const kind = c.kind ?? "Deployment";
      const o = store.get(kind, ns, c.name);
      if (!o) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(qualifiedResource(kind), c.name));
      store.update({ ...o, metadata: { ...o.metadata, resourceVersion: undefined }, spec: { ...o.spec, replicas: c.replicas } } as KubeObject);
      return [`${kind.toLowerCase()}.apps/${c.name} scaled`];
    }
    case "kube/setImage": {
      const d = deployment(store, ns, c.name);
      const containers = d.spec.template.spec.containers;
      if (!containers.some((x) => x.name === c.container)) throw new KubeError("NO_CONTAINER", KUBE_ERRORS.NO_CONTAINER(c.container));
      store.update({ ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: containers.map((x) => (x.name === c.container ? { ...x, image: c.image } : x)) } } } });
      return [`deployment.apps/${c.name} image updated`];
    }
    case "kube/rolloutUndo": {
      // kubectl's DeploymentRollbacker: copy the template of the ReplicaSet at that revision into the deployment.
      const d = deployment(store, ns, c.name);
      const rss = replicaSetsOf(store, d);
      const current = findNewReplicaSet(d, rss);
      const byRevision = new Map(rss.map((rs) => [revisionOf(rs), rs]));
      let target;
      if (!c.toRevision) {
        const previous = [...byRevision.keys()].filter((r) => r !== (current ? revisionOf(current) : -1)).sort((a, b) => b - a)[0];
        if (previous === undefined) throw new KubeError("NO_ROLLOUT_HISTORY", KUBE_ERRORS.NO_ROLLOUT_HISTORY(c.name));
        target = byRevision.get(previous)!;
      } else {
        target = byRevision.get(c.toRevision);
        if (!target) throw new KubeError("NO_REVISION", KUBE_ERRORS.NO_REVISION(c.toRevision));
      }
      const labels = { ...(target.spec.template.metadata?.labels ?? {}) };
      delete labels[POD_TEMPLATE_HASH];
      const template = { ...target.spec.template, metadata: { ...(target.spec.template.metadata ?? {}), labels } };
      if (canonical(template) === canonical(d.spec.template)) return [`deployment.apps/${c.name} skipped rollback (current template already matches revision ${revisionOf(target)})`];
      const cause = target.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
      const annotations = { ...(d.metadata.annotations ?? {}) };
      if (cause !== undefined) annotations[CHANGE_CAUSE_ANNOTATION] = cause; else delete annotations[CHANGE_CAUSE_ANNOTATION];
      delete annotations[REVISION_ANNOTATION];
      store.update({ ...d, metadata: { ...d.metadata, annotations, resourceVersion: undefined }, spec: { ...d.spec, template } });
      return [`deployment.apps/${c.name} rolled back`];
    }
    case "kube/rolloutPause": case "kube/rolloutResume": {
      const d = deployment(store, ns, c.name);
      const pause = c.type === "kube/rolloutPause";
      if (pause && d.spec.paused) throw new KubeError("ALREADY_PAUSED", KUBE_ERRORS.ALREADY_PAUSED("deployments.apps", c.name));
      if (!pause && !d.spec.paused) throw new KubeError("NOT_PAUSED", KUBE_ERRORS.NOT_PAUSED("deployments.apps", c.name));
      store.update({ ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec: { ...d.spec, paused: pause } });
      return [`deployment.apps/${c.name} ${pause ? "paused" : "resumed"}`];
    }
  }
}
