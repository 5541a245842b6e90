// The API objects as plain, immutable data: the fields of k8s.io/api (core/v1, apps/v1,
// discovery/v1, networking/v1) that drydock's controllers, scheduler and views read. Names and
// shapes are the API's; what is left out is listed in the README.
import type { IntOrString } from "../apps/fenceposts.js";
import type { LabelSelector, Labels } from "../labels/selector.js";

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly uid?: string;
  readonly ownerReferences?: readonly OwnerReference[];
  /** The store's version of the object: a decimal string, as etcd's modification revision. */
  readonly resourceVersion?: string;
  /** Bumped by the server on every change of spec. */
  readonly generation?: number;
  /** Virtual time in µs (the API prints it as RFC 3339; drydock has no wall clock). */
  readonly creationTimestamp?: number;
  /** Set when a graceful delete starts; the object goes once its finalizers and grace are done. */
  readonly deletionTimestamp?: number;
  readonly deletionGracePeriodSeconds?: number;
  readonly generateName?: string;
}

interface Obj<K extends string, V extends string> {
  readonly apiVersion: V;
  readonly kind: K;
  readonly metadata: ObjectMeta;
}

// ---- core/v1 ------------------------------------------------------------------------------------

export interface Namespace extends Obj<"Namespace", "v1"> {
  readonly spec?: { readonly finalizers?: readonly string[] };
  readonly status?: { readonly phase?: "Active" | "Terminating" };
}

export interface ResourceList {
  /** Millicores, e.g. "500m" or "1"; kept as the manifest gave it. */
  readonly cpu?: string | number;
  /** Bytes with a suffix, e.g. "128Mi". */
  readonly memory?: string | number;
  readonly pods?: string | number;
}

export interface ContainerPort {
  readonly containerPort: number;
  readonly name?: string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly hostPort?: number;
}

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port: IntOrString };
  readonly tcpSocket?: { readonly port: IntOrString };
  readonly exec?: { readonly command?: readonly string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
  };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly resources?: { readonly requests?: ResourceList; readonly limits?: ResourceList };
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: "Exists" | "Equal";
  readonly value?: string;
  readonly effect?: TaintEffect | "";
  readonly tolerationSeconds?: number;
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: Record<string, unknown>;
  readonly secret?: { readonly secretName: string };
  readonly configMap?: { readonly name: string };
  readonly hostPath?: { readonly path: string };
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly restartPolicy?: "Always" | "OnFailure" | "Never";
  readonly terminationGracePeriodSeconds?: number;
  readonly volumes?: readonly Volume[];
  readonly schedulerName?: string;
  readonly hostNetwork?: boolean;
  /** The pod's hostname (default: its name); with subdomain, its DNS name under a headless Service. */
  readonly hostname?: string;
  readonly subdomain?: string;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

export interface PodCondition {
  readonly type: "PodScheduled" | "Initialized" | "ContainersReady" | "Ready";
  readonly status: "True" | "False" | "Unknown";
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: number;
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly image: string;
  readonly state: { readonly waiting?: { readonly reason: string }; readonly running?: { readonly startedAt: number }; readonly terminated?: { readonly exitCode: number; readonly reason: string } };
}

export interface PodStatus {
  readonly phase?: PodPhase;
  readonly conditions?: readonly PodCondition[];
  readonly podIP?: string;
  readonly hostIP?: string;
  readonly startTime?: number;
  readonly containerStatuses?: readonly ContainerStatus[];
  readonly reason?: string;
  readonly message?: string;
}

export interface Pod extends Obj<"Pod", "v1"> {
  readonly spec: PodSpec;
  readonly status?: PodStatus;
}

export interface PodTemplateSpec {
  readonly metadata?: Partial<ObjectMeta>;
  readonly spec: PodSpec;
}

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly port: number;
  readonly targetPort?: IntOrString;
  readonly nodePort?: number;
}

export interface Service extends Obj<"Service", "v1"> {
  readonly spec: {
    readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
    /** "None" makes the service headless. */
    readonly clusterIP?: string;
  };
  readonly status?: Record<string, unknown>;
}

export interface Secret extends Obj<"Secret", "v1"> {
  readonly type?: string;
  /** Base64, as the API stores it. */
  readonly data?: Readonly<Record<string, string>>;
  /** Write-only plain text; the server folds it into data. */
  readonly stringData?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

export interface ConfigMap extends Obj<"ConfigMap", "v1"> {
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
  readonly timeAdded?: number;
}

export interface NodeCondition {
  readonly type: "Ready" | "MemoryPressure" | "DiskPressure" | "PIDPressure" | "NetworkUnavailable";
  readonly status: "True" | "False" | "Unknown";
  readonly reason?: string;
  readonly lastHeartbeatTime?: number;
  readonly lastTransitionTime?: number;
}

export interface Node extends Obj<"Node", "v1"> {
  readonly spec: { readonly taints?: readonly Taint[]; readonly unschedulable?: boolean; readonly podCIDR?: string };
  readonly status?: {
    readonly capacity?: ResourceList;
    readonly allocatable?: ResourceList;
    readonly conditions?: readonly NodeCondition[];
    readonly addresses?: readonly { readonly type: "InternalIP" | "Hostname"; readonly address: string }[];
  };
}

// ---- apps/v1 ------------------------------------------------------------------------------------

export interface ReplicaSetSpec {
  readonly replicas?: number;
  readonly minReadySeconds?: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplateSpec;
}

export interface ReplicaSet extends Obj<"ReplicaSet", "apps/v1"> {
  readonly spec: ReplicaSetSpec;
  readonly status?: {
    readonly replicas: number;
    readonly fullyLabeledReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly observedGeneration?: number;
  };
}

export interface DeploymentStrategy {
  readonly type?: "RollingUpdate" | "Recreate";
  readonly rollingUpdate?: { readonly maxSurge?: IntOrString; readonly maxUnavailable?: IntOrString };
}

export interface DeploymentCondition {
  readonly type: "Available" | "Progressing" | "ReplicaFailure";
  readonly status: "True" | "False" | "Unknown";
  readonly reason?: string;
  readonly message?: string;
  readonly lastUpdateTime?: number;
  readonly lastTransitionTime?: number;
}

export interface Deployment extends Obj<"Deployment", "apps/v1"> {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: LabelSelector;
    readonly template: PodTemplateSpec;
    readonly strategy?: DeploymentStrategy;
    readonly minReadySeconds?: number;
    readonly revisionHistoryLimit?: number;
    readonly paused?: boolean;
    readonly progressDeadlineSeconds?: number;
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly unavailableReplicas?: number;
    readonly conditions?: readonly DeploymentCondition[];
  };
}

export interface DaemonSet extends Obj<"DaemonSet", "apps/v1"> {
  readonly spec: {
    readonly selector: LabelSelector;
    readonly template: PodTemplateSpec;
    readonly updateStrategy?: { readonly type?: "RollingUpdate" | "OnDelete"; readonly rollingUpdate?: { readonly maxUnavailable?: IntOrString; readonly maxSurge?: IntOrString } };
    readonly minReadySeconds?: number;
    readonly revisionHistoryLimit?: number;
  };
  readonly status?: {
    readonly desiredNumberScheduled: number;
    readonly currentNumberScheduled: number;
    readonly numberMisscheduled: number;
    readonly numberReady: number;
    readonly updatedNumberScheduled?: number;
    readonly numberAvailable?: number;
    readonly numberUnavailable?: number;
    readonly observedGeneration?: number;
  };
}

export interface StatefulSet extends Obj<"StatefulSet", "apps/v1"> {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: LabelSelector;
    readonly template: PodTemplateSpec;
    /** The headless Service giving each pod its DNS name (<pod>.<serviceName>.<ns>.svc.cluster.local). */
    readonly serviceName?: string;
    readonly podManagementPolicy?: "OrderedReady" | "Parallel";
    readonly updateStrategy?: { readonly type?: "RollingUpdate" | "OnDelete"; readonly rollingUpdate?: { readonly partition?: number } };
    readonly minReadySeconds?: number;
    readonly revisionHistoryLimit?: number;
    readonly volumeClaimTemplates?: readonly unknown[];
  };
  readonly status?: {
    readonly replicas: number;
    readonly readyReplicas?: number;
    readonly currentReplicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly observedGeneration?: number;
  };
}

// ---- discovery/v1 and networking/v1 -------------------------------------------------------------

export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean };
  readonly nodeName?: string;
  /** The pod's hostname, for a pod whose subdomain is this headless Service (its DNS name). */
  readonly hostname?: string;
  readonly targetRef?: { readonly kind: "Pod"; readonly name: string; readonly namespace: string; readonly uid: string };
}

export interface EndpointSlice extends Obj<"EndpointSlice", "discovery.k8s.io/v1"> {
  readonly addressType: "IPv4" | "IPv6" | "FQDN";
  readonly endpoints: readonly Endpoint[];
  readonly ports?: readonly { readonly name?: string; readonly port?: number; readonly protocol?: string }[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyPort {
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly port?: IntOrString;
  readonly endPort?: number;
}

export interface NetworkPolicy extends Obj<"NetworkPolicy", "networking.k8s.io/v1"> {
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly ("Ingress" | "Egress")[];
    readonly ingress?: readonly { readonly from?: readonly NetworkPolicyPeer[]; readonly ports?: readonly NetworkPolicyPort[] }[];
    readonly egress?: readonly { readonly to?: readonly NetworkPolicyPeer[]; readonly ports?: readonly NetworkPolicyPort[] }[];
  };
}

// ---- batch/v1 -----------------------------------------------------------------------------------

export interface JobCondition {
  readonly type: "Complete" | "Failed" | "Suspended";
  readonly status: "True" | "False";
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: number;
}

export interface Job extends Obj<"Job", "batch/v1"> {
  readonly spec: {
    readonly template: PodTemplateSpec;
    readonly completions?: number;
    readonly parallelism?: number;
    readonly backoffLimit?: number;
    readonly completionMode?: "NonIndexed" | "Indexed";
    readonly selector?: LabelSelector;
    readonly activeDeadlineSeconds?: number;
    readonly ttlSecondsAfterFinished?: number;
  };
  readonly status?: {
    readonly active?: number;
    readonly succeeded?: number;
    readonly failed?: number;
    readonly ready?: number;
    readonly startTime?: number;
    readonly completionTime?: number;
    readonly conditions?: readonly JobCondition[];
  };
}

export interface CronJob extends Obj<"CronJob", "batch/v1"> {
  readonly spec: {
    readonly schedule: string;
    readonly timeZone?: string;
    readonly startingDeadlineSeconds?: number;
    readonly concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
    readonly suspend?: boolean;
    readonly jobTemplate: { readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> }; readonly spec: Job["spec"] };
    readonly successfulJobsHistoryLimit?: number;
    readonly failedJobsHistoryLimit?: number;
  };
  readonly status?: {
    readonly active?: readonly { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly namespace: string; readonly uid: string; readonly resourceVersion?: string }[];
    readonly lastScheduleTime?: number;
    readonly lastSuccessfulTime?: number;
  };
}

// ---- events -------------------------------------------------------------------------------------

/** core/v1 Event, as client-go's EventRecorder writes it (the events.k8s.io fields left out). */
export interface KubeEvent extends Obj<"Event", "v1"> {
  readonly involvedObject: { readonly kind: string; readonly namespace?: string; readonly name: string; readonly uid?: string; readonly apiVersion?: string; readonly fieldPath?: string };
  readonly reason: string;
  readonly message: string;
  readonly type: "Normal" | "Warning";
  readonly source: { readonly component: string; readonly host?: string };
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  readonly count: number;
}

/** Every object the store holds. */
export type KubeObject = Namespace | Pod | ReplicaSet | Deployment | Service | Secret | ConfigMap | Node | EndpointSlice | NetworkPolicy | KubeEvent | Job | CronJob | DaemonSet | StatefulSet;
export type Kind = KubeObject["kind"];
export type ObjectOf<K extends Kind> = Extract<KubeObject, { kind: K }>;

/** Each kind's group/version, REST resource, short names, and whether it lives in a namespace (kubectl api-resources). */
export const KINDS: Readonly<Record<Kind, { readonly apiVersion: string; readonly resource: string; readonly group: string; readonly namespaced: boolean; readonly shortNames: readonly string[] }>> = {
  Namespace: { apiVersion: "v1", resource: "namespaces", group: "", namespaced: false, shortNames: ["ns"] },
  Pod: { apiVersion: "v1", resource: "pods", group: "", namespaced: true, shortNames: ["po"] },
  ReplicaSet: { apiVersion: "apps/v1", resource: "replicasets", group: "apps", namespaced: true, shortNames: ["rs"] },
  Deployment: { apiVersion: "apps/v1", resource: "deployments", group: "apps", namespaced: true, shortNames: ["deploy"] },
  Service: { apiVersion: "v1", resource: "services", group: "", namespaced: true, shortNames: ["svc"] },
  Secret: { apiVersion: "v1", resource: "secrets", group: "", namespaced: true, shortNames: [] },
  ConfigMap: { apiVersion: "v1", resource: "configmaps", group: "", namespaced: true, shortNames: ["cm"] },
  Node: { apiVersion: "v1", resource: "nodes", group: "", namespaced: false, shortNames: ["no"] },
  EndpointSlice: { apiVersion: "discovery.k8s.io/v1", resource: "endpointslices", group: "discovery.k8s.io", namespaced: true, shortNames: [] },
  NetworkPolicy: { apiVersion: "networking.k8s.io/v1", resource: "networkpolicies", group: "networking.k8s.io", namespaced: true, shortNames: ["netpol"] },
  Event: { apiVersion: "v1", resource: "events", group: "", namespaced: true, shortNames: ["ev"] },
  Job: { apiVersion: "batch/v1", resource: "jobs", group: "batch", namespaced: true, shortNames: [] },
  CronJob: { apiVersion: "batch/v1", resource: "cronjobs", group: "batch", namespaced: true, shortNames: ["cj"] },
  DaemonSet: { apiVersion: "apps/v1", resource: "daemonsets", group: "apps", namespaced: true, shortNames: ["ds"] },
  StatefulSet: { apiVersion: "apps/v1", resource: "statefulsets", group: "apps", namespaced: true, shortNames: ["sts"] },
};

export function isKind(k: string): k is Kind {
  return Object.hasOwn(KINDS, k);
}

/** The resource with its group, as the API server names it in errors: `deployments.apps`, `pods`. */
export function qualifiedResource(kind: Kind): string {
  const k = KINDS[kind];
  return k.group === "" ? k.resource : `${k.resource}.${k.group}`;
}
