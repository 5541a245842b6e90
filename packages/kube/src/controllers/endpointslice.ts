// The EndpointSlice controller (kubernetes pkg/controller/endpointslice, staging
// endpointslice/reconciler.go): for each Service with a selector, one slice labelled
// kubernetes.io/service-name listing the pods the selector matches that have an IP; an endpoint is
// ready when its pod is Ready and not terminating; a pod whose subdomain is a headless Service's
// name carries its hostname (a StatefulSet's web-0 under serviceName nginx).
import type { Endpoint, EndpointSlice, Service } from "../api/types.js";
import { selectorFromSet } from "../labels/selector.js";
import type { StoreReader } from "../store/store.js";
import { canonical, controllerOf, controllerRef, isPodReady, isTerminating, type Write } from "./writes.js";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const MANAGED_BY = "endpointslice-controller.k8s.io";

/** The endpoints a Service's slice should hold now, ordered by pod name. */
export function desiredEndpoints(store: StoreReader, svc: Service): Endpoint[] {
  // A Service without a selector has no managed endpoints (its owner writes them, as the API server does for "kubernetes").
  if (!svc.spec.selector || Object.keys(svc.spec.selector).length === 0) return [];
  const ns = svc.metadata.namespace ?? "default";
  const selector = selectorFromSet(svc.spec.selector ?? {});
  return store.list("Pod", { namespace: ns, selector })
    .filter((p) => p.status?.podIP && p.status.phase !== "Succeeded" && p.status.phase !== "Failed")
    .map((p) => {
      const ready = isPodReady(p);
      const terminating = isTerminating(p);
      return {
        addresses: [p.status!.podIP!],
        conditions: { ready: ready && !terminating, serving: ready, terminating },
        ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
        // utils.go podToEndpoint: a pod's hostname is published when its subdomain is this (headless) Service.
        ...(p.spec.hostname && p.spec.subdomain === svc.metadata.name && svc.spec.clusterIP === "None" ? { hostname: p.spec.hostname } : {}),
        targetRef: { kind: "Pod" as const, name: p.metadata.name, namespace: ns, uid: p.metadata.uid! },
      };
    });
}

export function syncEndpointSlices(store: StoreReader): Write[] {
  const writes: Write[] = [];
  for (const svc of store.list("Service")) {
    if (isTerminating(svc) || svc.spec.selector === undefined || Object.keys(svc.spec.selector).length === 0) continue;
    const ns = svc.metadata.namespace ?? "default";
    const mine = store.list("EndpointSlice", { namespace: ns, selector: selectorFromSet({ [SERVICE_NAME_LABEL]: svc.metadata.name }) })
      .filter((s) => controllerOf(s)?.uid === svc.metadata.uid);
    const endpoints = desiredEndpoints(store, svc);
    const ports = (svc.spec.ports ?? []).map((p) => ({
      ...(p.name ? { name: p.name } : { name: "" }),
      port: typeof p.targetPort === "number" ? p.targetPort : p.port,
      protocol: p.protocol ?? "TCP",
    }));
    const [slice, ...extra] = mine;
    for (const s of extra) writes.push({ type: "delete", kind: "EndpointSlice", namespace: ns, name: s.metadata.name });
    if (!slice) {
      const created: EndpointSlice = {
        apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice",
        metadata: { name: "", generateName: `${svc.metadata.name}-`, namespace: ns, labels: { [SERVICE_NAME_LABEL]: svc.metadata.name, [MANAGED_BY_LABEL]: MANAGED_BY }, ownerReferences: [controllerRef(svc)] },
        addressType: "IPv4", endpoints, ports,
      };
      writes.push({ type: "create", object: created });
    } else if (canonical(slice.endpoints) !== canonical(endpoints) || canonical(slice.ports ?? []) !== canonical(ports)) {
      writes.push({ type: "update", object: { ...slice, endpoints, ports } });
    }
  }
  return writes;
}
