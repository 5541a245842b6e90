// The OpenAPI shapes kubectl validates a manifest against (the definitions' names are the API's
// OpenAPI names, as they appear in kubectl's "unknown field ... in io.k8s.api.apps.v1.DeploymentSpec").
// Only the kinds drydock serves, and for each the fields people write; a field listed as
// "object" is taken as it is. Required fields are OpenAPI's `required`.

export type FieldType =
  | "string" | "integer" | "boolean" | "number"
  /** intstr.IntOrString: an integer or a string. */
  | "int-or-string"
  /** resource.Quantity: a string or a number. */
  | "quantity"
  /** Anything (status, free-form maps of maps). */
  | "object"
  | { readonly ref: string }
  | { readonly array: FieldType }
  | { readonly map: FieldType };

export interface Definition {
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly required?: readonly string[];
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
const CORE = "io.k8s.api.core.v1.";
const APPS = "io.k8s.api.apps.v1.";
const DISCOVERY = "io.k8s.api.discovery.v1.";
const NETWORKING = "io.k8s.api.networking.v1.";
const BATCH = "io.k8s.api.batch.v1.";

const ref = (name: string): FieldType => ({ ref: name });
const arrayOf = (t: FieldType): FieldType => ({ array: t });
const strings: FieldType = { map: "string" };
const top = (spec: string | null, extra: Record<string, FieldType> = {}): Definition => ({
  fields: { apiVersion: "string", kind: "string", metadata: ref(`${META}ObjectMeta`), ...(spec ? { spec: ref(spec), status: "object" } : {}), ...extra },
});

export const DEFINITIONS: Readonly<Record<string, Definition>> = {
  [`${META}ObjectMeta`]: {
    fields: {
      name: "string", generateName: "string", namespace: "string", labels: strings, annotations: strings, uid: "string",
      resourceVersion: "string", generation: "integer", creationTimestamp: "string", deletionTimestamp: "string",
      deletionGracePeriodSeconds: "integer", ownerReferences: arrayOf(ref(`${META}OwnerReference`)), finalizers: arrayOf("string"), managedFields: "object",
    },
  },
  [`${META}OwnerReference`]: {
    fields: { apiVersion: "string", kind: "string", name: "string", uid: "string", controller: "boolean", blockOwnerDeletion: "boolean" },
    required: ["apiVersion", "kind", "name", "uid"],
  },
  [`${META}LabelSelector`]: { fields: { matchLabels: strings, matchExpressions: arrayOf(ref(`${META}LabelSelectorRequirement`)) } },
  [`${META}LabelSelectorRequirement`]: { fields: { key: "string", operator: "string", values: arrayOf("string") }, required: ["key", "operator"] },

  [`${CORE}Namespace`]: top(`${CORE}NamespaceSpec`),
  [`${CORE}NamespaceSpec`]: { fields: { finalizers: arrayOf("string") } },
  [`${CORE}Pod`]: top(`${CORE}PodSpec`),
  [`${CORE}PodTemplateSpec`]: { fields: { metadata: ref(`${META}ObjectMeta`), spec: ref(`${CORE}PodSpec`) } },
  [`${CORE}PodSpec`]: {
    fields: {
      containers: arrayOf(ref(`${CORE}Container`)), initContainers: arrayOf(ref(`${CORE}Container`)), nodeName: "string", nodeSelector: strings,
      tolerations: arrayOf(ref(`${CORE}Toleration`)), restartPolicy: "string", terminationGracePeriodSeconds: "integer",
      volumes: arrayOf(ref(`${CORE}Volume`)), schedulerName: "string", hostNetwork: "boolean", serviceAccountName: "string", affinity: "object",
      dnsPolicy: "string", hostname: "string", subdomain: "string", securityContext: "object", imagePullSecrets: "object", priorityClassName: "string",
    },
    required: ["containers"],
  },
  [`${CORE}Container`]: {
    fields: {
      name: "string", image: "string", command: arrayOf("string"), args: arrayOf("string"), workingDir: "string",
      ports: arrayOf(ref(`${CORE}ContainerPort`)), env: arrayOf(ref(`${CORE}EnvVar`)), envFrom: "object",
      resources: ref(`${CORE}ResourceRequirements`), volumeMounts: arrayOf(ref(`${CORE}VolumeMount`)),
      livenessProbe: ref(`${CORE}Probe`), readinessProbe: ref(`${CORE}Probe`), startupProbe: ref(`${CORE}Probe`),
      imagePullPolicy: "string", securityContext: "object", stdin: "boolean", tty: "boolean", lifecycle: "object",
    },
    required: ["name"],
  },
  [`${CORE}ContainerPort`]: { fields: { containerPort: "integer", name: "string", protocol: "string", hostPort: "integer", hostIP: "string" }, required: ["containerPort"] },
  [`${CORE}EnvVar`]: { fields: { name: "string", value: "string", valueFrom: ref(`${CORE}EnvVarSource`) }, required: ["name"] },
  [`${CORE}EnvVarSource`]: {
    fields: { secretKeyRef: ref(`${CORE}SecretKeySelector`), configMapKeyRef: ref(`${CORE}ConfigMapKeySelector`), fieldRef: "object", resourceFieldRef: "object" },
  },
  [`${CORE}SecretKeySelector`]: { fields: { name: "string", key: "string", optional: "boolean" }, required: ["key"] },
  [`${CORE}ConfigMapKeySelector`]: { fields: { name: "string", key: "string", optional: "boolean" }, required: ["key"] },
  [`${CORE}ResourceRequirements`]: { fields: { requests: { map: "quantity" }, limits: { map: "quantity" } } },
  [`${CORE}VolumeMount`]: { fields: { name: "string", mountPath: "string", readOnly: "boolean", subPath: "string" }, required: ["name", "mountPath"] },
  [`${CORE}Probe`]: {
    fields: {
      httpGet: ref(`${CORE}HTTPGetAction`), tcpSocket: ref(`${CORE}TCPSocketAction`), exec: ref(`${CORE}ExecAction`), initialDelaySeconds: "integer",
      periodSeconds: "integer", timeoutSeconds: "integer", successThreshold: "integer", failureThreshold: "integer",
    },
  },
  [`${CORE}HTTPGetAction`]: { fields: { path: "string", port: "int-or-string", host: "string", scheme: "string", httpHeaders: "object" }, required: ["port"] },
  [`${CORE}TCPSocketAction`]: { fields: { port: "int-or-string", host: "string" }, required: ["port"] },
  [`${CORE}ExecAction`]: { fields: { command: arrayOf("string") } },
  [`${CORE}Toleration`]: { fields: { key: "string", operator: "string", value: "string", effect: "string", tolerationSeconds: "integer" } },
  [`${CORE}Volume`]: {
    fields: {
      name: "string", emptyDir: "object", secret: ref(`${CORE}SecretVolumeSource`), configMap: ref(`${CORE}ConfigMapVolumeSource`),
      hostPath: ref(`${CORE}HostPathVolumeSource`), persistentVolumeClaim: "object",
    },
    required: ["name"],
  },
  [`${CORE}SecretVolumeSource`]: { fields: { secretName: "string", items: "object", defaultMode: "integer", optional: "boolean" } },
  [`${CORE}ConfigMapVolumeSource`]: { fields: { name: "string", items: "object", defaultMode: "integer", optional: "boolean" } },
  [`${CORE}HostPathVolumeSource`]: { fields: { path: "string", type: "string" }, required: ["path"] },
  [`${CORE}Service`]: top(`${CORE}ServiceSpec`),
  [`${CORE}ServiceSpec`]: {
    fields: {
      type: "string", selector: strings, ports: arrayOf(ref(`${CORE}ServicePort`)), clusterIP: "string", clusterIPs: arrayOf("string"),
      externalName: "string", sessionAffinity: "string", externalTrafficPolicy: "string", internalTrafficPolicy: "string",
    },
  },
  [`${CORE}ServicePort`]: { fields: { name: "string", protocol: "string", port: "integer", targetPort: "int-or-string", nodePort: "integer", appProtocol: "string" }, required: ["port"] },
  [`${CORE}Secret`]: top(null, { type: "string", data: strings, stringData: strings, immutable: "boolean" }),
  [`${CORE}ConfigMap`]: top(null, { data: strings, binaryData: strings, immutable: "boolean" }),
  [`${CORE}Node`]: top(`${CORE}NodeSpec`),
  [`${CORE}NodeSpec`]: { fields: { taints: arrayOf(ref(`${CORE}Taint`)), unschedulable: "boolean", podCIDR: "string", podCIDRs: arrayOf("string"), providerID: "string" } },
  [`${CORE}Taint`]: { fields: { key: "string", value: "string", effect: "string", timeAdded: "string" }, required: ["key", "effect"] },

  [`${APPS}ReplicaSet`]: top(`${APPS}ReplicaSetSpec`),
  [`${APPS}ReplicaSetSpec`]: {
    fields: { replicas: "integer", minReadySeconds: "integer", selector: ref(`${META}LabelSelector`), template: ref(`${CORE}PodTemplateSpec`) },
    required: ["selector"],
  },
  [`${APPS}Deployment`]: top(`${APPS}DeploymentSpec`),
  [`${APPS}DeploymentSpec`]: {
    fields: {
      replicas: "integer", selector: ref(`${META}LabelSelector`), template: ref(`${CORE}PodTemplateSpec`), strategy: ref(`${APPS}DeploymentStrategy`),
      minReadySeconds: "integer", revisionHistoryLimit: "integer", paused: "boolean", progressDeadlineSeconds: "integer",
    },
    required: ["selector", "template"],
  },
  [`${APPS}DaemonSet`]: top(`${APPS}DaemonSetSpec`),
  [`${APPS}DaemonSetSpec`]: {
    fields: { selector: ref(`${META}LabelSelector`), template: ref(`${CORE}PodTemplateSpec`), updateStrategy: "object", minReadySeconds: "integer", revisionHistoryLimit: "integer" },
    required: ["selector", "template"],
  },
  [`${APPS}StatefulSet`]: top(`${APPS}StatefulSetSpec`),
  [`${APPS}StatefulSetSpec`]: {
    fields: {
      replicas: "integer", selector: ref(`${META}LabelSelector`), template: ref(`${CORE}PodTemplateSpec`), serviceName: "string", podManagementPolicy: "string",
      updateStrategy: "object", minReadySeconds: "integer", revisionHistoryLimit: "integer", volumeClaimTemplates: "object", persistentVolumeClaimRetentionPolicy: "object", ordinals: "object",
    },
    required: ["selector", "template"],
  },
  [`${APPS}DeploymentStrategy`]: { fields: { type: "string", rollingUpdate: ref(`${APPS}RollingUpdateDeployment`) } },
  [`${APPS}RollingUpdateDeployment`]: { fields: { maxSurge: "int-or-string", maxUnavailable: "int-or-string" } },

  [`${BATCH}Job`]: top(`${BATCH}JobSpec`),
  [`${BATCH}JobSpec`]: {
    fields: {
      template: ref(`${CORE}PodTemplateSpec`), completions: "integer", parallelism: "integer", backoffLimit: "integer", completionMode: "string",
      selector: ref(`${META}LabelSelector`), manualSelector: "boolean", activeDeadlineSeconds: "integer", ttlSecondsAfterFinished: "integer", suspend: "boolean",
      podFailurePolicy: "object", backoffLimitPerIndex: "integer", maxFailedIndexes: "integer", podReplacementPolicy: "string",
    },
    required: ["template"],
  },

  [`${BATCH}CronJob`]: top(`${BATCH}CronJobSpec`),
  [`${BATCH}CronJobSpec`]: {
    fields: {
      schedule: "string", timeZone: "string", startingDeadlineSeconds: "integer", concurrencyPolicy: "string", suspend: "boolean",
      jobTemplate: ref(`${BATCH}JobTemplateSpec`), successfulJobsHistoryLimit: "integer", failedJobsHistoryLimit: "integer",
    },
    required: ["schedule", "jobTemplate"],
  },
  [`${BATCH}JobTemplateSpec`]: { fields: { metadata: ref(`${META}ObjectMeta`), spec: ref(`${BATCH}JobSpec`) } },

  [`${DISCOVERY}EndpointSlice`]: {
    fields: { apiVersion: "string", kind: "string", metadata: ref(`${META}ObjectMeta`), addressType: "string", endpoints: arrayOf(ref(`${DISCOVERY}Endpoint`)), ports: arrayOf(ref(`${DISCOVERY}EndpointPort`)) },
    required: ["addressType", "endpoints"],
  },
  [`${DISCOVERY}Endpoint`]: {
    fields: { addresses: arrayOf("string"), conditions: ref(`${DISCOVERY}EndpointConditions`), nodeName: "string", targetRef: "object", hostname: "string", zone: "string" },
    required: ["addresses"],
  },
  [`${DISCOVERY}EndpointConditions`]: { fields: { ready: "boolean", serving: "boolean", terminating: "boolean" } },
  [`${DISCOVERY}EndpointPort`]: { fields: { name: "string", port: "integer", protocol: "string", appProtocol: "string" } },

  [`${NETWORKING}NetworkPolicy`]: top(`${NETWORKING}NetworkPolicySpec`),
  [`${NETWORKING}NetworkPolicySpec`]: {
    fields: {
      podSelector: ref(`${META}LabelSelector`), policyTypes: arrayOf("string"),
      ingress: arrayOf(ref(`${NETWORKING}NetworkPolicyIngressRule`)), egress: arrayOf(ref(`${NETWORKING}NetworkPolicyEgressRule`)),
    },
  },
  [`${NETWORKING}NetworkPolicyIngressRule`]: { fields: { from: arrayOf(ref(`${NETWORKING}NetworkPolicyPeer`)), ports: arrayOf(ref(`${NETWORKING}NetworkPolicyPort`)) } },
  [`${NETWORKING}NetworkPolicyEgressRule`]: { fields: { to: arrayOf(ref(`${NETWORKING}NetworkPolicyPeer`)), ports: arrayOf(ref(`${NETWORKING}NetworkPolicyPort`)) } },
  [`${NETWORKING}NetworkPolicyPeer`]: { fields: { podSelector: ref(`${META}LabelSelector`), namespaceSelector: ref(`${META}LabelSelector`), ipBlock: ref(`${NETWORKING}IPBlock`) } },
  [`${NETWORKING}NetworkPolicyPort`]: { fields: { protocol: "string", port: "int-or-string", endPort: "integer" } },
  [`${NETWORKING}IPBlock`]: { fields: { cidr: "string", except: arrayOf("string") }, required: ["cidr"] },
};

/** The top-level definition of each kind. */
export const KIND_DEFINITION: Readonly<Record<string, string>> = {
  Namespace: `${CORE}Namespace`, Pod: `${CORE}Pod`, Service: `${CORE}Service`, Secret: `${CORE}Secret`, ConfigMap: `${CORE}ConfigMap`, Node: `${CORE}Node`,
  ReplicaSet: `${APPS}ReplicaSet`, Deployment: `${APPS}Deployment`, EndpointSlice: `${DISCOVERY}EndpointSlice`, NetworkPolicy: `${NETWORKING}NetworkPolicy`,
  Job: `${BATCH}Job`, CronJob: `${BATCH}CronJob`, DaemonSet: `${APPS}DaemonSet`, StatefulSet: `${APPS}StatefulSet`,
};
