import { DrydockError, type SourceLocation } from "@drydock/kernel";

/**
 * Every error the Kubernetes simulation raises, in one table: a code and the real tool's words.
 * Where a text comes from is named beside it. `kubectl` prints an API server error as
 * `Error from server (Reason): message`; the texts here stop where the server's message stops.
 */
export const KUBE_ERRORS = {
  /** apimachinery labels.Parse and NewRequirement (selector.go). */
  SELECTOR: (message: string) => message,
  /** apimachinery intstr.GetScaledValueFromIntOrPercent. */
  INT_OR_STRING: (message: string) => `invalid value for IntOrString: ${message}`,
  /** kubectl's YAML decoding: sigs.k8s.io/yaml through yaml.v3's error. */
  YAML: (file: string, line: number, what: string) => `error parsing ${file}: error converting YAML to JSON: yaml: line ${line}: ${what}`,
  /** kubectl's client-side validation against the OpenAPI schema (pkg/kubectl/validation). */
  VALIDATION: (file: string, what: string) =>
    `error validating "${file}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`,
  /** kubectl: a document without apiVersion or kind (apimachinery runtime/serializer). */
  MISSING_KIND: (file: string, missing: string) =>
    `error validating "${file}": error validating data: ${missing}; if you choose to ignore these errors, turn validation off with --validate=false`,
  /** kubectl: a kind the server does not serve (meta.NoKindMatchError). */
  NO_KIND: (file: string, kind: string, apiVersion: string, name: string, namespace: string) =>
    `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(namespace)} from ${JSON.stringify(file)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
  /** apiserver: StatusReasonNotFound (apimachinery api/errors NewNotFound). */
  NOT_FOUND: (resource: string, name: string) => `${resource} "${name}" not found`,
  /** apiserver: StatusReasonAlreadyExists. */
  ALREADY_EXISTS: (resource: string, name: string) => `${resource} "${name}" already exists`,
  /** apiserver: StatusReasonConflict from an update with a stale resourceVersion (registry/generic/registry/store.go). */
  CONFLICT: (resource: string, name: string) =>
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  /** apiserver: a watch from a compacted revision, 410 Gone (storage/etcd3: "too old resource version"). */
  GONE: (asked: number, compacted: number) => `too old resource version: ${asked} (${compacted})`,
  /** apiserver: a body it cannot decode, 400 BadRequest (runtime.NewStrictDecodingError and friends). */
  BAD_REQUEST: (message: string) => message,
  /** apiserver: StatusReasonInvalid (NewInvalid): `Kind "name" is invalid: [field errors]`. */
  INVALID: (kind: string, name: string, errors: string) => `${kind} "${name}" is invalid: ${errors}`,
  /** apiserver: namespace lifecycle admission (plugin/pkg/admission/namespace/lifecycle). */
  NAMESPACE_NOT_FOUND: (ns: string) => `namespaces "${ns}" not found`,
  NAMESPACE_TERMINATING: (resource: string, name: string, ns: string) =>
    `${resource} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
  /** kubectl rollout undo (polymorphichelpers/rollback.go). */
  NO_REVISION: (revision: number) => `unable to find specified revision ${revision} in history`,
  NO_ROLLOUT_HISTORY: (name: string) => `no rollout history found for deployment ${JSON.stringify(name)}`,
  /** kubectl rollout pause/resume (polymorphichelpers objectpauser.go / objectresumer.go, wrapped with the resource). */
  ALREADY_PAUSED: (resource: string, name: string) => `${resource} ${JSON.stringify(name)} is already paused`,
  NOT_PAUSED: (resource: string, name: string) => `${resource} ${JSON.stringify(name)} is not paused`,
  /** kubectl apply of an object without a name (apply.go, the server's "resource name may not be empty"). */
  NO_NAME: (file: string, resource: string, kind: string, namespace: string) =>
    `error when retrieving current configuration of:\nResource: ${JSON.stringify(resource)}, GroupVersionKind: ${JSON.stringify(kind)}\nName: "", Namespace: ${JSON.stringify(namespace)}\nfrom server for: ${JSON.stringify(file)}: resource name may not be empty`,
  /** kubectl set image (cmd/set/set_image.go). */
  NO_CONTAINER: (name: string) => `unable to find container named ${JSON.stringify(name)}`,
  /**
   * apiserver: a write etcd could not commit (no leader with a quorum): the etcd client's
   * ErrTimeout passed through, which kubectl prints as "Error from server: etcdserver: request
   * timed out" (e.g. kubernetes/kubeadm#3095, a 3-member stacked cluster with members down).
   */
  ETCD_TIMEOUT: () => "etcdserver: request timed out",
  /** kubectl, when the API server does not answer (the control-plane host is down or cut off). */
  UNREACHABLE: (server: string) => `The connection to the server ${server} was refused - did you specify the right host or port?`,
} as const;

export type KubeErrorCode = keyof typeof KUBE_ERRORS;

/** A Kubernetes error: its code in KUBE_ERRORS, the real tool's text, and where in a file when known. */
export class KubeError extends DrydockError {
  readonly kubeCode: KubeErrorCode;
  /** The file a manifest error is about, when it has one. */
  readonly file: string | undefined;
  constructor(code: KubeErrorCode, message: string, location?: SourceLocation, file?: string) {
    super(`E${code}`, message, location);
    this.kubeCode = code;
    this.file = file;
  }
}

/** Raises the error `code` with its text. */
export function kubeFail<C extends KubeErrorCode>(code: C, ...args: Parameters<(typeof KUBE_ERRORS)[C]>): never {
  const text = (KUBE_ERRORS[code] as (...a: unknown[]) => string)(...args);
  throw new KubeError(code, text);
}

export function isKubeError(e: unknown): e is KubeError {
  return e instanceof KubeError;
}

/** Go's %q for a string: printable characters as they are, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}
