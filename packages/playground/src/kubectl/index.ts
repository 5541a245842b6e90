// kubectl at a host's prompt: parsing, dispatch and output as kubectl prints them, over the world's
// Kubernetes (world/kube.ts): reads from the API server's store, writes as kube commands (each
// validated on a copy first, so a refused one changes nothing).
import {
  CHANGE_CAUSE_ANNOTATION, KINDS, KUBE_ERRORS, KubeError, isKubeError, loadManifests, parseSelector, qualifiedResource, rolloutHistory, rolloutStatus,
  type CronJob, type Deployment, type Kind, type KubeCommand, type KubeObject, type Pod, type Selector, type Service,
} from "@drydock/kube";
import { DrydockError, MICROS_PER_SECOND } from "@drydock/kernel";
import { logLines, nextRunLineAt, type Container } from "@drydock/engine";
import { kindOf, normalizePath, readFile, readdir, type FsDir } from "../fs/index.js";
import type { CommandOutcome } from "../shell/host.js";
import type { Pending } from "../docker/command.js";
import type { KubePort } from "../world/kube.js";
import { CATALOGUE } from "../world/programs.js";
import { POD_UID_LABEL } from "../world/kube-containers.js";
import { FlagError, bool, flag, flagAll, parseKubectlArgs, type Parsed } from "./flags.js";
import { apiObject, getResource, kindPrefix, kubeTable, listResource, namespaced, printObjects, printTable, resourceOf, type Resource } from "./get.js";
import { JsonPathError, executeJsonPath, findJsonPath, goValue, parseJsonPath, relaxedJsonPath } from "./jsonpath.js";
import { describe } from "./describe.js";
import type { RemoteAttachRequest } from "../world/attach.js";
import type { NetChunk, NetPlan } from "../world/traffic.js";
import { PORT_FORWARD_JOB, type PortForwardState } from "../world/kube-net.js";

export interface KubectlEnv {
  readonly kube: KubePort | undefined;
  readonly cwd: string;
  readonly fs: FsDir;
  readonly stdin: string;
  readonly now: number;
  /** `rollout status` run again after a poll: what it printed last. */
  readonly rerunState?: unknown;
}

/** `kubectl get -w` run again: the store revision it has shown changes up to. */
interface GetWatch { readonly watchFrom: number }
const WATCH_POLL_US = 250_000;

/** `kubectl delete` run again while it waits: the objects not gone yet. */
interface DeleteWait { readonly deleting: readonly string[] }

/** kubectl's exit with an error line (cmdutil.CheckErr: exit 1). */
class KubectlError extends Error {}
const fail = (text: string): never => { throw new KubectlError(text); };

/** The text kubectl prints for an API error (cmdutil.CheckErr with the StatusError's reason). */
export function errorText(e: KubeError): string {
  switch (e.kubeCode) {
    case "NOT_FOUND": case "NAMESPACE_NOT_FOUND": return `Error from server (NotFound): ${e.message}`;
    case "ALREADY_EXISTS": return `Error from server (AlreadyExists): ${e.message}`;
    case "CONFLICT": return `Error from server (Conflict): ${e.message}`;
    case "BAD_REQUEST": return `Error from server (BadRequest): ${e.message}`;
    case "NAMESPACE_TERMINATING": return `Error from server (Forbidden): ${e.message}`;
    // cmdutil checkErr: "The %s %q is invalid" with the status details' Kind, without its group.
    case "INVALID": return `The ${e.message.replace(/^([A-Za-z]+)\.[a-z0-9.-]+ "/, '$1 "')}`;
    case "UNREACHABLE": return e.message;
    // A StatusError without a reason (the etcd client's error passed through): cmdutil's "Error from server: ".
    case "ETCD_TIMEOUT": return `Error from server: ${e.message}`;
    default: return `error: ${e.message}`;
  }
}

const ok = (stdout: string, stderr = ""): CommandOutcome => ({ status: 0, stdout, stderr });

const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin

Settings Commands:
  label           Update the labels on a resource

Usage:
  kubectl [flags] [options]
`;

export function runKubectl(argv: readonly string[], env: KubectlEnv): CommandOutcome | Pending {
  if (argv.length === 0) return ok(HELP);
  let p: Parsed;
  try {
    p = parseKubectlArgs(argv);
  } catch (e) {
    if (e instanceof FlagError) return { status: 1, stdout: "", stderr: `error: ${e.message}\nSee 'kubectl --help' for usage.\n` };
    throw e;
  }
  const [verb, ...args] = p.args;
  const known = ["apply", "create", "get", "describe", "delete", "scale", "set", "rollout", "expose", "run", "label", "logs", "exec", "port-forward", "version", "cluster-info"];
  if (verb === undefined || !known.includes(verb)) return { status: 1, stdout: "", stderr: `error: unknown command "${verb ?? ""}" for "kubectl"\n` };
  const kube = env.kube;
  try {
    // A world without Kubernetes: kubectl's default server, with no kubeconfig, is localhost:8080.
    if (!kube) return fail(KUBE_ERRORS.UNREACHABLE("localhost:8080"));
    if (verb === "version") return ok(`Client Version: v1.30.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.30.0\n`);
    if (!kube.net.up[kube.server]) return fail(KUBE_ERRORS.UNREACHABLE(`${kube.server}:6443`));
    // Without an etcd quorum every request times out, reads too: kubectl's gets and lists are
    // quorum reads (KEP-2340). apply and create -f name their files (apply.go, below).
    if (!kube.quorum() && verb !== "apply" && !(verb === "create" && flag(p, "filename") !== undefined)) return fail(`Error from server: ${KUBE_ERRORS.ETCD_TIMEOUT()}`);
    const k = new Kubectl(kube, env, p);
    return k.run(verb, args);
  } catch (e) {
    if (e instanceof KubectlError) return { status: 1, stdout: "", stderr: `${e.message}\n` };
    if (isKubeError(e)) return { status: 1, stdout: "", stderr: `${errorText(e)}\n` };
    if (e instanceof DrydockError) return { status: 1, stdout: "", stderr: `error: ${e.message}\n` };
    throw e;
  }
}

/** The image's name without registry path or tag: kubectl create deployment's container name. */
function containerName(image: string): string {
  const noDigest = image.split("@")[0]!;
  const last = noDigest.split("/").pop()!;
  return last.split(":")[0]!;
}

class Kubectl {
  private out = "";
  private readonly ns: string;
  constructor(private readonly kube: KubePort, private readonly env: KubectlEnv, private readonly p: Parsed) {
    this.ns = flag(p, "namespace") ?? "default";
  }

  private get store() { return this.kube.state().store; }
  private act(c: KubeCommand): string[] { return this.kube.act(c); }
  private print(line: string) { this.out += line + "\n"; }

  run(verb: string, args: string[]): CommandOutcome | Pending {
    const wait = this.env.rerunState as DeleteWait | undefined;
    if (verb === "delete" && wait?.deleting) return this.waitDeleted(wait.deleting);
    const logs = this.env.rerunState as LogsFollow | undefined;
    if (verb === "logs" && logs?.follow) return this.followOn(logs);
    switch (verb) {
      case "apply": return this.apply(false);
      case "create":
        if (args[0] === "deployment" || args[0] === "deploy") return this.createDeployment(args.slice(1));
        if (args[0] === "namespace" || args[0] === "ns") return this.createNamespace(args.slice(1));
        if (args[0] === "secret" && args[1] === "generic") return this.createData("Secret", args.slice(2));
        if (args[0] === "configmap" || args[0] === "cm") return this.createData("ConfigMap", args.slice(1));
        if (args[0] === "cronjob" || args[0] === "cj") return this.createCronJob(args.slice(1));
        return this.apply(true);
      case "get": return this.get(args);
      case "describe": return this.describe(args);
      case "delete": return this.delete(args);
      case "scale": return this.scale(args);
      case "set": return this.setImage(args);
      case "rollout": return this.rollout(args);
      case "expose": return this.expose(args);
      case "run": return this.runPod(args);
      case "label": return this.label(args);
      case "logs": return this.logs(args);
      case "exec": return this.exec(args);
      case "port-forward": return this.portForward(args);
      case "cluster-info": return ok(`Kubernetes control plane is running at https://${this.kube.server}:6443\nCoreDNS is running at https://${this.kube.server}:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    }
    return fail(`error: unknown command "${verb}" for "kubectl"`);
  }

  // ---- files ---------------------------------------------------------------------------------------

  /** The manifests -f names: a file, a directory's .yaml/.yml/.json files, or - for stdin; each loaded (kubectl's errors). */
  private manifests(): { file: string; objects: KubeObject[] }[] {
    const names = flagAll(this.p, "filename");
    if (names.length === 0) fail("error: must specify one of -f and -k");
    const out: { file: string; objects: KubeObject[] }[] = [];
    for (const name of names) {
      if (name === "-") { out.push({ file: "STDIN", objects: loadManifests(this.env.stdin, "STDIN").map((d) => d.object) }); continue; }
      const path = normalizePath(this.env.cwd, name);
      const kind = kindOf(this.env.fs, path);
      if (kind === null) fail(`error: the path "${name}" does not exist`);
      const files = kind === "dir" ? this.dirFiles(path, name) : [{ path, shown: name }];
      for (const f of files) {
        const r = readFile(this.env.fs, f.path);
        if (!r.ok) fail(`error: the path "${f.shown}" cannot be read`);
        out.push({ file: f.shown, objects: loadManifests(r.ok ? r.value : "", f.shown).map((d) => d.object) });
      }
    }
    return out;
  }

  private dirFiles(path: string, shown: string): { path: string; shown: string }[] {
    const r = readdir(this.env.fs, path);
    const names = r.ok ? [...r.value].sort() : [];
    return names.filter((n) => /\.(ya?ml|json)$/.test(n)).map((n) => ({ path: `${path.replace(/\/$/, "")}/${n}`, shown: `${shown.replace(/\/$/, "")}/${n}` }));
  }

  private withNamespace(o: KubeObject): KubeObject {
    if (!KINDS[o.kind].namespaced || o.metadata.namespace !== undefined || flag(this.p, "namespace") === undefined) return o;
    return { ...o, metadata: { ...o.metadata, namespace: this.ns } } as KubeObject;
  }

  private apply(create: boolean): CommandOutcome {
    const files = this.manifests();
    let failed: string | null = null;
    for (const f of files) {
      for (const o0 of f.objects) {
        const o = this.withNamespace(o0);
        try {
          // apply.go: the object's current configuration is read first (info.Get), and that read fails.
          if (!create && !this.kube.quorum()) throw new KubectlError(retrievingError(o, f.file));
          if (create) {
            const ns = KINDS[o.kind].namespaced ? o.metadata.namespace ?? "default" : "";
            if (o.metadata.name && this.store.get(o.kind, ns, o.metadata.name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS(qualifiedResource(o.kind), o.metadata.name));
          }
          const lines = this.act({ type: "kube/apply", objects: [o], file: f.file });
          for (const l of lines) this.print(create ? l.replace(/ (configured|unchanged)$/, " created") : l);
        } catch (e) {
          if (e instanceof KubectlError) {
            failed = (failed === null ? "" : failed + "\n") + e.message;
            continue;
          }
          if (!isKubeError(e)) throw e;
          // apply.go: a create that failed names its file (cmdutil.AddSourceToErr "creating").
          const ns = KINDS[o.kind].namespaced ? o.metadata.namespace ?? this.ns : "";
          const creating = e.kubeCode === "ETCD_TIMEOUT" && f.file !== undefined && !this.store.get(o.kind, ns, o.metadata.name);
          const text = creating ? `Error from server: error when creating ${JSON.stringify(f.file)}: ${e.message}` : errorText(e);
          // kubectl goes on with the other objects and reports the errors at the end.
          failed = (failed === null ? "" : failed + "\n") + text;
        }
      }
    }
    return { status: failed === null ? 0 : 1, stdout: this.out, stderr: failed === null ? "" : failed + "\n" };
  }

  private createDeployment(args: string[]): CommandOutcome {
    const name = args[0];
    const images = flagAll(this.p, "image");
    if (name === undefined) return fail("error: exactly one NAME is required, got 0");
    if (images.length === 0) return fail("error: required flag(s) \"image\" not set");
    const replicas = Number(flag(this.p, "replicas") ?? "1");
    const port = flag(this.p, "port");
    const labels = { app: name };
    const d: Deployment = {
      apiVersion: "apps/v1", kind: "Deployment",
      metadata: { name, namespace: this.ns, labels },
      spec: {
        replicas, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: images.map((image) => ({ name: containerName(image), image, ...(port !== undefined ? { ports: [{ containerPort: Number(port) }] } : {}) })) },
        },
      },
    };
    if (this.store.get("Deployment", this.ns, name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS("deployments.apps", name));
    this.act({ type: "kube/apply", objects: [d] });
    this.print(`deployment.apps/${name} created`);
    return ok(this.out);
  }

  /** `kubectl create secret generic|configmap NAME --from-literal=k=v --from-file=[key=]path`. */
  private createData(kind: "Secret" | "ConfigMap", args: string[]): CommandOutcome {
    const name = args[0];
    if (name === undefined) return fail("error: exactly one NAME is required, got 0");
    const data: Record<string, string> = {};
    for (const lit of flagAll(this.p, "from-literal")) {
      const eq = lit.indexOf("=");
      // kubectl's parseLiteralSource: "key=value", the key non-empty.
      if (eq <= 0) return fail(`error: invalid literal source ${lit}, expected key=value`);
      data[lit.slice(0, eq)] = lit.slice(eq + 1);
    }
    for (const src of flagAll(this.p, "from-file")) {
      const eq = src.indexOf("=");
      const path = eq > 0 ? src.slice(eq + 1) : src;
      const key = eq > 0 ? src.slice(0, eq) : path.slice(path.lastIndexOf("/") + 1);
      const r = readFile(this.env.fs, normalizePath(this.env.cwd, path));
      if (!r.ok) return fail(`error: error reading ${path}: no such file or directory`);
      data[key] = r.value;
    }
    const resource = kind === "Secret" ? "secrets" : "configmaps";
    if (this.store.get(kind, this.ns, name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS(resource, name));
    const o = kind === "Secret"
      ? { apiVersion: "v1" as const, kind, metadata: { name, namespace: this.ns }, type: "Opaque", stringData: data }
      : { apiVersion: "v1" as const, kind, metadata: { name, namespace: this.ns }, data };
    this.act({ type: "kube/apply", objects: [o as KubeObject] });
    return ok(`${kind.toLowerCase()}/${name} created\n`);
  }

  /**
   * `kubectl create cronjob NAME --image=I --schedule=S [--restart=OnFailure|Never] [-- COMMAND [ARG...]]`
   * (cmd/create/create_cronjob.go): the container and the Job template named NAME, the command after `--`.
   */
  private createCronJob(args: string[]): CommandOutcome {
    const name = args[0];
    const image = flag(this.p, "image");
    const schedule = flag(this.p, "schedule");
    if (name === undefined) return fail("error: exactly one NAME is required, got 0");
    const missing = [image === undefined ? '"image"' : "", schedule === undefined ? '"schedule"' : ""].filter((x) => x !== "");
    if (missing.length > 0) return fail(`error: required flag(s) ${missing.join(", ")} not set`);
    const restart = flag(this.p, "restart") ?? "OnFailure";
    if (restart !== "OnFailure" && restart !== "Never") return fail(`error: invalid restart policy: ${restart}`);
    const command = this.p.rest ?? args.slice(1);
    const cj: CronJob = {
      apiVersion: "batch/v1", kind: "CronJob",
      metadata: { name, namespace: this.ns },
      spec: {
        schedule: schedule!,
        jobTemplate: {
          metadata: {},
          spec: { template: { spec: { containers: [{ name, image: image!, ...(command.length > 0 ? { command } : {}) }], restartPolicy: restart } } },
        },
      },
    };
    if (this.store.get("CronJob", this.ns, name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS("cronjobs.batch", name));
    this.act({ type: "kube/apply", objects: [cj] });
    return ok(`cronjob.batch/${name} created\n`);
  }

  private createNamespace(args: string[]): CommandOutcome {
    const name = args[0];
    if (name === undefined) return fail("error: exactly one NAME is required, got 0");
    if (this.store.get("Namespace", "", name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS("namespaces", name));
    this.act({ type: "kube/apply", objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name } }] });
    return ok(`namespace/${name} created\n`);
  }

  // ---- get -----------------------------------------------------------------------------------------

  /** `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`: the objects asked for, by resource. */
  private select(args: string[], verb: string): { resource: Resource; objects: KubeObject[]; named: boolean }[] {
    if (args.length === 0) {
      fail(`You must specify the type of resource to ${verb}. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl ${verb} -h' for help and examples`);
    }
    const all = bool(this.p, "all-namespaces");
    const ns = all ? null : this.ns;
    const sel = flag(this.p, "selector");
    let selector: Selector | undefined;
    if (sel !== undefined) selector = parseSelector(sel);
    const resolve = (word: string): Resource => resourceOf(word) ?? fail(`error: the server doesn't have a resource type "${word}"`);
    if (args.some((a) => a.includes("/"))) {
      const out: { resource: Resource; objects: KubeObject[]; named: boolean }[] = [];
      for (const a of args) {
        const [type, name] = a.split("/", 2) as [string, string];
        if (!a.includes("/")) fail("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
        const r = resolve(type);
        const o = getResource(this.store, r, this.ns, name);
        if (!o) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(r === "Endpoints" ? "endpoints" : qualifiedResource(r), name));
        const last = out[out.length - 1];
        if (last?.resource === r) last.objects.push(o);
        else out.push({ resource: r, objects: [o], named: true });
      }
      return out;
    }
    const [types, ...names] = args as [string, ...string[]];
    const resources: Resource[] = types.split(",").flatMap((t) => (t === "all" ? (["Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "CronJob", "Job"] as Resource[]) : [resolve(t)]));
    if (names.length > 0) {
      return resources.map((r) => ({
        resource: r, named: true,
        objects: names.map((n) => getResource(this.store, r, this.ns, n) ?? fail(errorText(new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(r === "Endpoints" ? "endpoints" : qualifiedResource(r), n))))),
      }));
    }
    return resources.map((r) => ({ resource: r, named: false, objects: listResource(this.store, r, ns, selector) }));
  }

  /**
   * `--field-selector k=v,k2!=v2` (the API server's field selectors: `==` too; a field the object
   * lacks is its "field label not supported") and `--sort-by JSONPATH` (kubectl's sorter: numbers
   * by value, the rest as text), applied to each listed group.
   */
  private fieldSelectAndSort(groups: ReturnType<Kubectl["select"]>): ReturnType<Kubectl["select"]> {
    const fields = flag(this.p, "field-selector");
    const sortBy = flag(this.p, "sort-by");
    if (fields === undefined && sortBy === undefined) return groups;
    const terms = (fields ?? "").split(",").filter((t) => t !== "").map((t) => {
      const m = /^([^!=]+)(==|!=|=)(.*)$/.exec(t);
      if (!m) fail(`error: invalid selector: '${fields}'; can't understand '${t}'`);
      return { path: m![1]!.trim(), not: m![2] === "!=", value: m![3]!.trim() };
    });
    const valueAt = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
    let sortNodes: ReturnType<typeof parseJsonPath> | null = null;
    if (sortBy !== undefined) {
      try {
        sortNodes = parseJsonPath(relaxedJsonPath(sortBy));
      } catch (e) {
        if (e instanceof JsonPathError) fail(`error: couldn't parse sort-by field "${sortBy}": ${e.message}`);
        throw e;
      }
    }
    return groups.map((g) => {
      let objects = g.objects.filter((o) => {
        const api = apiObject(o);
        return terms.every((t) => {
          const v = valueAt(api, t.path);
          if (v === undefined && !["metadata.name", "metadata.namespace"].includes(t.path)) {
            fail(`Error from server (BadRequest): Unable to find "${kindPrefix(g.resource)}" that match label selector "", field selector "${fields}": field label not supported: ${t.path}`);
          }
          return (String(v ?? "") === t.value) !== t.not;
        });
      });
      if (sortNodes !== null) {
        const keyOf = (o: KubeObject) => findJsonPath(sortNodes!, apiObject(o))[0];
        objects = [...objects].sort((a, b) => {
          const x = keyOf(a);
          const y = keyOf(b);
          if (typeof x === "number" && typeof y === "number") return x - y;
          const xs = x === undefined ? "" : goValue(x);
          const ys = y === undefined ? "" : goValue(y);
          return xs < ys ? -1 : xs > ys ? 1 : 0;
        });
      }
      return { ...g, objects };
    });
  }

  private get(args: string[]): CommandOutcome | Pending {
    const watching = bool(this.p, "watch");
    const resumed = this.env.rerunState as GetWatch | undefined;
    if (watching && resumed?.watchFrom !== undefined) return this.watchMore(args, resumed.watchFrom);
    // get -w: the list, then every change to what it asked for, until Ctrl-C (get.go's watch).
    if (watching) return this.watchPoll(this.getOnce(args), this.store.revision);
    return this.getOnce(args);
  }

  private getOnce(args: string[]): CommandOutcome {
    const groups = this.fieldSelectAndSort(this.select(args, "get"));
    const output = flag(this.p, "output") ?? "";
    const all = bool(this.p, "all-namespaces");
    const objects = groups.flatMap((g) => g.objects);
    if (output === "name") return ok(groups.flatMap((g) => g.objects.map((o) => `${kindPrefix(g.resource)}/${o.metadata.name}`)).map((l) => l + "\n").join(""));
    if (output === "yaml" || output === "json") {
      const single = groups.length === 1 && groups[0]!.named && objects.length === 1;
      return ok(printObjects(objects, output, single));
    }
    if (output.startsWith("jsonpath") || output.startsWith("custom-columns")) return this.printPaths(groups, output);
    if (output !== "" && output !== "wide") return fail(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
    const shown = groups.filter((g) => g.objects.length > 0);
    if (shown.length === 0) {
      return ok("", all ? "No resources found\n" : `No resources found in ${this.ns} namespace.\n`);
    }
    const prefixed = groups.length > 1 || args[0] === "all" || args.some((a) => a.includes("/") && groups.length > 1);
    const texts = shown.map((g) => printTable(this.store, g.resource, g.objects, {
      now: this.kube.now, wide: output === "wide", noHeaders: bool(this.p, "no-headers"), allNamespaces: all && namespaced(g.resource),
      showLabels: bool(this.p, "show-labels"), prefixed,
    }));
    return ok(texts.join("\n"));
  }

  /** The objects of the watch's kinds (its names, namespace and selector) changed after `from`: one row each, as get.go prints watch events. */
  private watchMore(args: string[], from: number): CommandOutcome | Pending {
    const [types, ...names] = args;
    if (types === undefined) return ok("");
    const kinds = new Set(types.split(",").map((t) => resourceOf(t)).filter((r): r is Kind => r !== undefined && r !== "Endpoints"));
    const all = bool(this.p, "all-namespaces");
    const sel = flag(this.p, "selector");
    const selector = sel !== undefined ? parseSelector(sel) : undefined;
    let events;
    try { events = this.store.watch(from); } catch (e) {
      // The watch fell behind the server's history (410 Gone): kubectl's reflector lists again.
      if (!isKubeError(e)) throw e;
      return this.watchPoll(ok(""), this.store.revision);
    }
    let text = "";
    for (const e of events) {
      const o = e.object;
      if (!kinds.has(o.kind)) continue;
      if (!all && KINDS[o.kind].namespaced && (o.metadata.namespace ?? "default") !== this.ns) continue;
      if (names.length > 0 && !names.includes(o.metadata.name)) continue;
      if (selector && !selector.matches(o.metadata.labels ?? {})) continue;
      text += printTable(this.store, o.kind, [o], { now: this.kube.now, wide: flag(this.p, "output") === "wide", noHeaders: true, allNamespaces: all && namespaced(o.kind), showLabels: bool(this.p, "show-labels"), prefixed: false });
    }
    return this.watchPoll(ok(text), this.store.revision);
  }

  /** Prints what it has and looks again in a quarter of a second (virtual), until interrupted. */
  private watchPoll(out: CommandOutcome, revision: number): Pending {
    const state: GetWatch = { watchFrom: revision };
    return { kind: "kubectl.watch", durationUs: WATCH_POLL_US, steps: [{ atUs: WATCH_POLL_US, event: "kubectl.poll", detail: {}, stdout: "" }], outcome: out, again: true, againState: state };
  }

  /**
   * -o jsonpath=TEMPLATE (printers.JSONPathPrinter over the object, or a List of them) and
   * -o custom-columns=HEADER:PATH,… (get/customcolumn.go: each path relaxed, a cell's values
   * joined by commas, <none> when there are none).
   */
  private printPaths(groups: { resource: Resource; objects: KubeObject[]; named: boolean }[], output: string): CommandOutcome {
    const objects = groups.flatMap((g) => g.objects);
    const eq = output.indexOf("=");
    const format = eq < 0 ? output : output.slice(0, eq);
    const spec = eq < 0 ? "" : output.slice(eq + 1);
    if (format === "jsonpath") {
      if (spec === "") return fail("error: template format specified but no template given");
      let nodes;
      try { nodes = parseJsonPath(spec); } catch (e) {
        if (e instanceof JsonPathError) return fail(`error: error parsing jsonpath ${spec}, ${e.message}`);
        throw e;
      }
      const single = groups.length === 1 && groups[0]!.named && objects.length === 1;
      const data = single ? apiObject(objects[0]!) : { apiVersion: "v1", items: objects.map(apiObject), kind: "List", metadata: { resourceVersion: "" } };
      return ok(executeJsonPath(nodes, data));
    }
    if (format === "custom-columns") {
      if (spec === "") return fail("error: custom-columns format specified but no custom columns given");
      const columns: { header: string; nodes: ReturnType<typeof parseJsonPath> }[] = [];
      for (const part of spec.split(",")) {
        const colon = part.indexOf(":");
        if (colon < 0) return fail(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
        try {
          columns.push({ header: part.slice(0, colon), nodes: parseJsonPath(relaxedJsonPath(part.slice(colon + 1))) });
        } catch (e) {
          if (e instanceof JsonPathError) return fail(`error: ${e.message}`);
          throw e;
        }
      }
      const rows = objects.map((o) => {
        const data = apiObject(o);
        return columns.map((c) => {
          const values = findJsonPath(c.nodes, data);
          return values.length === 0 ? "<none>" : values.map(goValue).join(",");
        });
      });
      const text = kubeTable(columns.map((c) => c.header), rows);
      return ok(bool(this.p, "no-headers") ? text.slice(text.indexOf("\n") + 1) : text);
    }
    return fail(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
  }

  private describe(args: string[]): CommandOutcome {
    const groups = this.select(args.length === 1 && !args[0]!.includes("/") ? args : args, "describe");
    const parts: string[] = [];
    for (const g of groups) for (const o of g.objects) parts.push(describe(this.store, o, this.kube.now));
    if (parts.length === 0) return ok("", `No resources found in ${this.ns} namespace.\n`);
    return ok(parts.join("\n\n") + "\n");
  }

  // ---- changes -------------------------------------------------------------------------------------

  private delete(args: string[]): CommandOutcome | Pending {
    if (flagAll(this.p, "filename").length > 0) {
      let failed = "";
      for (const f of this.manifests()) {
        for (const o0 of f.objects) {
          const o = this.withNamespace(o0);
          try {
            this.out += this.act({ type: "kube/delete", kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? this.ns }).map((l) => l + "\n").join("");
          } catch (e) {
            if (!isKubeError(e)) throw e;
            failed += errorText(e) + "\n";
          }
        }
      }
      return { status: failed === "" ? 0 : 1, stdout: this.out, stderr: failed };
    }
    const groups = this.select(args, "delete");
    if (groups.every((g) => !g.named) && !flag(this.p, "selector") && !bool(this.p, "all")) {
      return fail("error: resource(s) were provided, but no name was specified");
    }
    const grace = flag(this.p, "grace-period");
    const deleting: string[] = [];
    for (const g of groups) {
      if (g.resource === "Endpoints") continue;
      for (const o of g.objects) {
        this.out += this.act({ type: "kube/delete", kind: g.resource, name: o.metadata.name, namespace: o.metadata.namespace ?? this.ns, ...(grace !== undefined ? { gracePeriodSeconds: Number(grace) } : {}) }).map((l) => l + "\n").join("");
        if (o.metadata.uid !== undefined) deleting.push(o.metadata.uid);
      }
    }
    if (this.out === "") return ok("", `No resources found\n`);
    // kubectl delete waits (--wait=true) until the objects are gone: a pod, until its kubelet has stopped it.
    if (flag(this.p, "wait") !== "false") return this.waitDeleted(deleting, ok(this.out));
    return ok(this.out);
  }

  /** Polls, every second of virtual time, until none of the objects is left (their uids). */
  private waitDeleted(uids: readonly string[], first?: CommandOutcome): CommandOutcome | Pending {
    const left = uids.filter((u) => this.store.byUid(u) !== undefined);
    const done = first ?? ok("");
    if (left.length === 0) return done;
    const state: DeleteWait = { deleting: left };
    return { kind: "kubectl.wait", durationUs: MICROS_PER_SECOND, steps: [{ atUs: MICROS_PER_SECOND, event: "kubectl.poll", detail: {}, stdout: "" }], outcome: done, again: true, againState: state };
  }

  /** `deployment/web` or `deployment web`. */
  private target(args: string[], verb: string): { resource: Resource; name: string } {
    const [a, b] = args;
    if (a === undefined) return fail(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
    const [type, name] = a.includes("/") ? (a.split("/", 2) as [string, string]) : [a, b];
    const r = resourceOf(type) ?? fail(`error: the server doesn't have a resource type "${type}"`);
    if (name === undefined) return fail(`error: resource(s) were provided, but no name was specified`);
    void verb;
    return { resource: r, name };
  }

  private scale(args: string[]): CommandOutcome {
    const replicas = flag(this.p, "replicas");
    if (replicas === undefined) return fail("error: required flag(s) \"replicas\" not set");
    const t = this.target(args, "scale");
    if (t.resource !== "Deployment" && t.resource !== "ReplicaSet" && t.resource !== "StatefulSet") return fail(`error: no scaler has been implemented for {"" "${t.resource}"}`);
    const lines = this.act({ type: "kube/scale", kind: t.resource, name: t.name, namespace: this.ns, replicas: Number(replicas) } as KubeCommand);
    return ok(lines.map((l) => l + "\n").join(""));
  }

  private setImage(args: string[]): CommandOutcome {
    if (args[0] !== "image") return fail(`error: unknown command "${args[0] ?? ""}" for "kubectl set"`);
    const rest = args.slice(1);
    const pairs = rest.filter((a) => a.includes("="));
    const t = this.target(rest.filter((a) => !a.includes("=")), "set image");
    if (pairs.length === 0) return fail("error: at least one image update is required");
    if (t.resource !== "Deployment") return fail(`error: set image is supported for deployments here, not ${t.resource}`);
    for (const pair of pairs) {
      const [container, image] = pair.split("=", 2) as [string, string];
      const d = this.store.get("Deployment", this.ns, t.name);
      if (!d) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND("deployments.apps", t.name));
      const names = container === "*" ? d.spec.template.spec.containers.map((c) => c.name) : [container];
      for (const c of names) this.act({ type: "kube/setImage", name: t.name, namespace: this.ns, container: c, image });
    }
    return ok(`deployment.apps/${t.name} image updated\n`);
  }

  private rollout(args: string[]): CommandOutcome | Pending {
    const [sub, ...rest] = args;
    const t = this.target(rest, `rollout ${sub ?? ""}`);
    if (t.resource !== "Deployment") return fail(`error: no rollout ${sub ?? ""} has been implemented for ${t.resource}`);
    const d = this.store.get("Deployment", this.ns, t.name);
    switch (sub) {
      case "status": {
        if (!d) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND("deployments.apps", t.name));
        const st = rolloutStatus(d);
        if (st.error) return fail(`error: ${st.error}`);
        const last = typeof this.env.rerunState === "string" ? this.env.rerunState : null;
        const line = st.message !== last ? st.message + "\n" : "";
        if (st.done) return ok(line);
        // kubectl watches the deployment and prints each new status; drydock looks again every second of virtual time.
        return { kind: "kubectl.rollout", durationUs: MICROS_PER_SECOND, steps: [{ atUs: MICROS_PER_SECOND, event: "kubectl.poll", detail: { deployment: t.name }, stdout: "" }], outcome: ok(line), again: true, againState: st.message };
      }
      case "history": {
        if (!d) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND("deployments.apps", t.name));
        const rows = rolloutHistory(this.store, d).map((h) => [String(h.revision), h.changeCause ?? "<none>"]);
        const rev = flag(this.p, "revision");
        if (rev !== undefined) {
          const h = rolloutHistory(this.store, d).find((x) => String(x.revision) === rev);
          if (!h) return fail(`error: unable to find the specified revision`);
          const rs = this.store.get("ReplicaSet", this.ns, h.replicaSet)!;
          const c = rs.spec.template.spec.containers;
          return ok(`deployment.apps/${t.name} with revision #${rev}\nPod Template:\n  Labels:\t${Object.entries(rs.spec.template.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join("\n\t")}\n  Containers:\n${c.map((x) => `   ${x.name}:\n    Image:\t${x.image ?? ""}\n    Port:\t${x.ports?.[0] ? `${x.ports[0].containerPort}/TCP` : "<none>"}\n    Host Port:\t${x.ports?.[0] ? "0/TCP" : "<none>"}\n    Environment:\t<none>\n    Mounts:\t<none>\n`).join("")}  Volumes:\t<none>\n\n`);
        }
        return ok(`deployment.apps/${t.name} \n` + kubeTable(["REVISION", "CHANGE-CAUSE"], rows) + "\n");
      }
      case "undo": {
        const to = flag(this.p, "to-revision");
        const lines = this.act({ type: "kube/rolloutUndo", name: t.name, namespace: this.ns, ...(to !== undefined && to !== "0" ? { toRevision: Number(to) } : {}) });
        return ok(lines.map((l) => l + "\n").join(""));
      }
      case "pause": case "resume": {
        const lines = this.act({ type: sub === "pause" ? "kube/rolloutPause" : "kube/rolloutResume", name: t.name, namespace: this.ns });
        return ok(lines.map((l) => l + "\n").join(""));
      }
    }
    return fail(`error: unknown command "${sub ?? ""}" for "kubectl rollout"`);
  }

  private expose(args: string[]): CommandOutcome {
    const t = this.target(args, "expose");
    const o = getResource(this.store, t.resource, this.ns, t.name);
    if (!o) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(qualifiedResource(t.resource as Kind), t.name));
    let selector: Record<string, string>;
    let ports: number[] = [];
    if (o.kind === "Deployment" || o.kind === "ReplicaSet") {
      selector = { ...(o.spec.selector.matchLabels ?? {}) };
      ports = o.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    } else if (o.kind === "Pod") {
      selector = { ...(o.metadata.labels ?? {}) };
      ports = o.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    } else if (o.kind === "Service") {
      selector = { ...(o.spec.selector ?? {}) };
      ports = (o.spec.ports ?? []).map((p) => p.port);
    } else return fail(`error: cannot expose a ${o.kind}`);
    const portFlag = flag(this.p, "port");
    const port = portFlag !== undefined ? Number(portFlag) : ports[0];
    if (port === undefined) return fail("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    const target = flag(this.p, "target-port");
    const name = flag(this.p, "name") ?? t.name;
    const type = (flag(this.p, "type") ?? "ClusterIP") as NonNullable<Service["spec"]["type"]>;
    if (!["ClusterIP", "NodePort", "LoadBalancer"].includes(type)) return fail(`error: Service "${name}" is invalid: spec.type: Unsupported value: "${type}"`);
    if (this.store.get("Service", this.ns, name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS("services", name));
    const svc: Service = {
      apiVersion: "v1", kind: "Service",
      metadata: { name, namespace: this.ns, ...(o.metadata.labels ? { labels: { ...o.metadata.labels } } : {}) },
      spec: { type, selector, ports: [{ port, protocol: "TCP", targetPort: target !== undefined ? (/^\d+$/.test(target) ? Number(target) : target) : port }] },
    };
    this.act({ type: "kube/apply", objects: [svc] });
    return ok(`service/${name} exposed\n`);
  }

  private runPod(args: string[]): CommandOutcome {
    const name = args[0];
    const image = flag(this.p, "image");
    if (name === undefined) return fail("error: NAME is required for run");
    if (image === undefined) return fail("error: required flag(s) \"image\" not set");
    if (this.store.get("Pod", this.ns, name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS("pods", name));
    const port = flag(this.p, "port");
    const extra = p2(this.p.rest, args.slice(1));
    const labels = flag(this.p, "labels");
    const pod: Pod = {
      apiVersion: "v1", kind: "Pod",
      metadata: { name, namespace: this.ns, labels: labels ? Object.fromEntries(labels.split(",").map((kv) => kv.split("=", 2) as [string, string])) : { run: name } },
      spec: {
        containers: [{ name, image, ...(port !== undefined ? { ports: [{ containerPort: Number(port) }] } : {}), ...(extra.length > 0 ? { args: extra } : {}) }],
        restartPolicy: (flag(this.p, "restart") ?? "Always") as "Always",
      },
    } as Pod;
    this.act({ type: "kube/apply", objects: [pod] });
    return ok(`pod/${name} created\n`);
  }

  private label(args: string[]): CommandOutcome {
    const words = args.filter((a) => !a.includes("=") && !a.endsWith("-"));
    const changes = args.filter((a) => a.includes("=") || (a.endsWith("-") && !a.includes("/")));
    if (changes.length === 0) return fail("error: at least one label update is required");
    const sel = flag(this.p, "selector");
    if (sel !== undefined) {
      // `kubectl label pods -l app=web tier=frontend`: every object the selector matches.
      const r = resourceOf(words[0] ?? "") ?? fail(`error: the server doesn't have a resource type "${words[0] ?? ""}"`);
      const objects = listResource(this.store, r, this.ns, parseSelector(sel));
      if (objects.length === 0) return ok("", `No resources found in ${this.ns} namespace.\n`);
      for (const o of objects) this.out += this.labelOne(r, o, changes);
      return ok(this.out);
    }
    const t = this.target(words, "label");
    const o = getResource(this.store, t.resource, this.ns, t.name);
    if (!o) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(qualifiedResource(t.resource as Kind), t.name));
    return ok(this.labelOne(t.resource, o, changes));
  }

  private labelOne(resource: Resource, o: KubeObject, changes: readonly string[]): string {
    const labels: Record<string, string> = { ...(o.metadata.labels ?? {}) };
    let removed = false;
    for (const ch of changes) {
      if (ch.endsWith("-") && !ch.includes("=")) { delete labels[ch.slice(0, -1)]; removed = true; continue; }
      const [k, v] = ch.split("=", 2) as [string, string];
      if (Object.hasOwn(labels, k) && labels[k] !== v && !bool(this.p, "overwrite")) return fail(`error: '${k}' already has a value (${labels[k]}), and --overwrite is false`);
      labels[k] = v;
    }
    const same = JSON.stringify(labels) === JSON.stringify(o.metadata.labels ?? {});
    if (!same) this.act({ type: "kube/apply", objects: [{ ...o, metadata: { ...o.metadata, labels } } as KubeObject] });
    return `${kindPrefix(resource)}/${o.metadata.name} ${same ? "not labeled" : removed && changes.every((c) => c.endsWith("-")) ? "unlabeled" : "labeled"}\n`;
  }

  /**
   * `kubectl exec [-it] POD [-c CONTAINER] -- COMMAND...` (cmd/exec/exec.go): the first container
   * by default (with kubectl's "Defaulted container" note when there are several), run on the pod's
   * node through its runtime; a non-zero exit is "command terminated with exit code N".
   */
  private exec(args: string[]): CommandOutcome | Pending {
    const [ref, ...more] = args;
    const command = this.p.rest ?? more;
    if (ref === undefined) return fail("error: pod, type/name or --filename must be specified");
    if (command.length === 0) return fail("error: you must specify at least one command for the container");
    // kubectl v1.30 still runs a command given without `--`, after a warning (exec.go Complete;
    // v1.31 refuses it: kubernetes/kubernetes#125437).
    const deprecated = this.p.rest === null && !bool(this.p, "quiet") ? "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n" : "";
    const pod = this.podFor(ref);
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return fail(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    const containers = pod.spec.containers.map((c) => c.name);
    const want = flag(this.p, "container");
    let note = deprecated;
    if (want === undefined && containers.length > 1) note += `Defaulted container "${containers[0]}" out of: ${containers.join(", ")}\n`;
    const cname = want ?? containers[0]!;
    if (!containers.includes(cname)) return fail(`error: unable to upgrade connection: container ${cname} not found in pod ${pod.metadata.name}_${pod.metadata.namespace ?? "default"}`);
    const node = pod.spec.nodeName;
    const host = node ? this.kube.world().hosts.get(node) : undefined;
    const prefix = `k8s_${cname}_${pod.metadata.name}_${pod.metadata.namespace ?? "default"}_${pod.metadata.uid}_`;
    const running = host ? [...host.engine.containers.values()].filter((c) => c.config.labels[POD_UID_LABEL] === pod.metadata.uid && c.name.replace(/^\//, "").startsWith(prefix) && c.state.running) : [];
    const target = running.sort((a, b) => b.created - a.created)[0];
    if (!target || !node) return fail(`error: unable to upgrade connection: container not found ("${cname}")`);
    const tty = bool(this.p, "tty") && bool(this.p, "stdin");
    const argv = [target.name.replace(/^\//, ""), ...command];
    const r = this.kube.exec(node, argv, bool(this.p, "stdin") ? this.env.stdin : null, tty)
      ?? fail(`error: unable to upgrade connection: container not found ("${cname}")`);
    if ("attach" in r) {
      // A shell: the terminal goes into it on the pod's node (world/attach.ts); `exit` comes back here.
      const attach: RemoteAttachRequest = { container: target.id, exec: null, tty, command: "exec", initial: note === "" ? [] : [{ fd: 2, text: note }], remote: { node, argv } };
      return { kind: "attach", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, attach };
    }
    if ("traffic" in r) return { kind: "net", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" }, traffic: execTraffic(r.traffic, note) };
    const stderr = note + r.stderr + (r.status !== 0 ? `command terminated with exit code ${r.status}\n` : "");
    return { status: r.status, stdout: r.stdout, stderr };
  }

  /**
   * `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...` (cmd/portforward/portforward.go): the pod
   * (a Service's port translated to its target port on the pod, a named port to its number), its
   * "Forwarding from" lines, then it holds the prompt until Ctrl-C, looking at the pod every second;
   * meanwhile a connection to 127.0.0.1:LOCAL on this host reaches the pod (world/kube-net.ts
   * forwards, engine network/kube.ts). The pod gone: "error: lost connection to pod".
   */
  private portForward(args: string[]): CommandOutcome | Pending {
    const st = this.env.rerunState as PortForwardState | undefined;
    if (st?.portForward) {
      const p = this.store.get("Pod", st.namespace, st.pod);
      if (!p || p.metadata.uid !== st.podUid || p.status?.phase !== "Running" || p.metadata.deletionTimestamp !== undefined) return fail("error: lost connection to pod");
      return forwarding(st, "");
    }
    const [ref, ...specs] = args;
    if (ref === undefined || specs.length === 0) return fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    const pod = this.podFor(ref.includes("/") ? ref : `pod/${ref}`);
    const svc = ref.includes("/") && resourceOf(ref.split("/")[0]!) === "Service" ? this.store.get("Service", this.ns, ref.split("/")[1]!) : undefined;
    const named = (name: string): number => {
      for (const c of pod.spec.containers) for (const cp of c.ports ?? []) if (cp.name === name) return cp.containerPort;
      return fail(`error: Pod '${pod.metadata.name}' does not have a named port '${name}'`);
    };
    const ports: { local: number; remote: number }[] = [];
    for (const spec of specs) {
      const parts = spec.split(":");
      if (parts.length > 2) return fail(`error: invalid port format '${spec}'`);
      const localText = parts[0]!;
      let remoteText = parts.length === 2 ? parts[1]! : parts[0]!;
      if (svc) {
        // translateServicePortToTargetPort: the service port's targetPort on the pod.
        const n = Number(remoteText);
        const sp = (svc.spec.ports ?? []).find((x) => x.port === n);
        if (!/^\d+$/.test(remoteText) || !sp) return fail(`error: Service ${svc.metadata.name} does not have a service port ${remoteText}`);
        const t = sp.targetPort ?? sp.port;
        remoteText = String(typeof t === "number" ? t : /^\d+$/.test(t) ? Number(t) : named(t));
      } else if (!/^\d+$/.test(remoteText)) remoteText = String(named(remoteText));
      const remote = Number(remoteText);
      if (!/^\d+$/.test(remoteText) || remote > 65535) return fail(`error: error parsing remote port '${remoteText}': strconv.ParseUint: parsing ${JSON.stringify(remoteText)}: ${remote > 65535 ? "value out of range" : "invalid syntax"}`);
      if (remote === 0) return fail("error: remote port must be > 0");
      if (localText !== "" && (!/^\d+$/.test(localText) || Number(localText) > 65535)) return fail(`error: error parsing local port '${localText}': strconv.ParseUint: parsing ${JSON.stringify(localText)}: ${/^\d+$/.test(localText) ? "value out of range" : "invalid syntax"}`);
      // An empty LOCAL: the kernel's choice from the ephemeral range (net.ipv4.ip_local_port_range 32768-60999).
      const local = localText === "" ? 32768 + Math.floor(this.kube.random() * (60999 - 32768 + 1)) : Number(localText);
      ports.push({ local, remote });
    }
    if (pod.status?.phase !== "Running") return fail(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? "Pending"}`);
    const state: PortForwardState = { portForward: true, podUid: pod.metadata.uid!, pod: pod.metadata.name, namespace: pod.metadata.namespace ?? "default", ports };
    return forwarding(state, ports.map((x) => `Forwarding from 127.0.0.1:${x.local} -> ${x.remote}\nForwarding from [::1]:${x.local} -> ${x.remote}\n`).join(""));
  }

  /**
   * The pod `kubectl logs`, `exec` and `port-forward` act on: POD, pod/NAME, or TYPE/NAME of a
   * workload or Service (kubectl's AttachablePodForObject: one of the pods its selector or the Job
   * owns, here the first by name).
   */
  private podFor(ref: string): Pod {
    let pod: Pod | undefined;
    if (ref.includes("/")) {
      const [type, name] = ref.split("/", 2) as [string, string];
      const r = resourceOf(type);
      if (r === "Pod") pod = this.store.get("Pod", this.ns, name);
      else if (r === "Deployment" || r === "ReplicaSet" || r === "StatefulSet" || r === "DaemonSet" || r === "Job" || r === "Service") {
        const o = this.store.get(r, this.ns, name) ?? fail(errorText(new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(qualifiedResource(r), name))));
        const pods = this.store.list("Pod", { namespace: this.ns });
        const mine = o.kind === "Job" ? pods.filter((p) => p.metadata.ownerReferences?.some((x) => x.uid === o.metadata.uid))
          : o.kind === "Service" ? (o.spec.selector ? pods.filter((p) => Object.entries(o.spec.selector!).every(([k, v]) => p.metadata.labels?.[k] === v)) : [])
          : pods.filter((p) => Object.entries(o.spec.selector.matchLabels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v));
        pod = mine.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
        // polymorphichelpers: a Service without a selector; none of its pods within --pod-running-timeout (20 s).
        if (!pod) return fail(o.kind === "Service" && !o.spec.selector ? `error: cannot attach to *v1.Service: invalid service '${name}': Service is defined without a selector` : "error: timed out waiting for the condition");
      } else return fail(r === undefined ? `error: the server doesn't have a resource type "${type}"` : `error: cannot attach to *v1.${r}: not implemented`);
    } else pod = this.store.get("Pod", this.ns, ref);
    if (!pod) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND("pods", ref.split("/").pop()!));
    return pod;
  }

  private logs(args: string[]): CommandOutcome | Pending {
    const [ref] = args;
    if (ref === undefined) return fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    const pod = this.podFor(ref);
    const containers = pod.spec.containers.map((c) => c.name);
    const want = flag(this.p, "container");
    if (want === undefined && containers.length > 1) return fail(`error: a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(" ")}]`);
    const cname = want ?? containers[0]!;
    if (!containers.includes(cname)) return fail(`error: container ${cname} is not valid for pod ${pod.metadata.name}`);
    const node = pod.spec.nodeName;
    const host = node ? this.kube.world().hosts.get(node) : undefined;
    const prefix = `k8s_${cname}_${pod.metadata.name}_${pod.metadata.namespace ?? "default"}_${pod.metadata.uid}_`;
    const mine = host ? [...host.engine.containers.values()].filter((c) => c.config.labels[POD_UID_LABEL] === pod!.metadata.uid && c.name.replace(/^\//, "").startsWith(prefix)) : [];
    const latest = mine.sort((a, b) => b.created - a.created)[0];
    if (!latest) {
      return fail(`Error from server (BadRequest): container "${cname}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    }
    // The API server returns the container's log as one stream (stdout and stderr in order): kubectl prints it all on stdout.
    let lines = logLines(latest.logs, CATALOGUE, this.kube.now).map((l) => l.text);
    const tail = flag(this.p, "tail");
    if (tail !== undefined) {
      const n = Number(tail);
      if (!Number.isInteger(n)) return fail(`error: invalid argument "${tail}" for "--tail" flag: strconv.ParseInt: parsing "${tail}": invalid syntax`);
      if (n >= 0) lines = n === 0 ? [] : lines.slice(-n);
    }
    if (!bool(this.p, "follow")) return ok(lines.join(""));
    const text = lines.join("");
    const live = latest.state.running || latest.state.restarting;
    return live ? followLogs(node!, latest.id, text, this.kube.now, this.kube.now) : ok(text);
  }

  /** `kubectl logs -f` run again after a poll: the lines written since the last look. */
  private followOn(st: LogsFollow): CommandOutcome | Pending {
    const c = this.kube.world().hosts.get(st.node)?.engine.containers.get(st.container);
    const text = c ? logLines(c.logs, CATALOGUE, this.kube.now, { since: st.cursor + 1 }).map((l) => l.text).join("") : "";
    if (!c || (!c.state.running && !c.state.restarting)) return ok(text);
    return followLogs(st.node, st.container, text, this.kube.now, nextLineAt(c, this.kube.now));
  }
}

/**
 * apply.go's error when the read of an object's current configuration fails (cmdutil.AddSourceToErr
 * "retrieving current configuration of:" with resource.Info.String(): the mapping's resource and kind, its name and namespace).
 */
function retrievingError(o: KubeObject, file: string | undefined): string {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  const ns = KINDS[o.kind].namespaced ? o.metadata.namespace ?? "default" : "";
  const info = `Resource: "${group}/${version}, Resource=${KINDS[o.kind].resource}", GroupVersionKind: "${group}/${version}, Kind=${o.kind}"\nName: "${o.metadata.name}", Namespace: "${ns}"`;
  return `Error from server: error when retrieving current configuration of:\n${info}\nfrom server for: ${JSON.stringify(file ?? "STDIN")}: ${KUBE_ERRORS.ETCD_TIMEOUT()}`;
}

/** A running port-forward's next second: what it printed so far carried on, the listeners live while its line runs. */
function forwarding(state: PortForwardState, text: string): Pending {
  return {
    kind: PORT_FORWARD_JOB, durationUs: MICROS_PER_SECOND, outcome: ok(text), again: true, againState: state,
    steps: [...(text !== "" ? [{ atUs: 0, event: "output", detail: {}, stdout: text }] : []), { atUs: MICROS_PER_SECOND, event: "kubectl.poll", detail: { pod: state.pod }, stdout: "" }],
  };
}

/** `kubectl logs -f` between polls: the container followed (on its node's engine) and the time its log is shown up to. */
interface LogsFollow { readonly follow: true; readonly node: string; readonly container: string; readonly cursor: number }

/**
 * The container runs on another host than kubectl (the kubelet streams its log to the API server):
 * kubectl looks again when the container's next line is due, and at least every second (so that its
 * end is seen), printing what is new; Ctrl-C ends it as bash does. `again` carries what it printed.
 */
function followLogs(node: string, container: string, text: string, now: number, next: number | null): Pending {
  const delay = Math.max(1, Math.min(next === null ? MICROS_PER_SECOND : next - now, MICROS_PER_SECOND));
  const state: LogsFollow = { follow: true, node, container, cursor: now };
  return {
    kind: "kubectl.logs", durationUs: delay, outcome: ok(text), again: true, againState: state,
    steps: [...(text !== "" ? [{ atUs: 0, event: "output", detail: {}, stdout: text }] : []), { atUs: delay, event: "kubectl.poll", detail: { container }, stdout: "" }],
  };
}

/** When the container's running log has its next line after `now` (null: none due within a day). */
function nextLineAt(c: Container, now: number): number | null {
  let best: number | null = null;
  for (const r of c.logs) {
    if (r.endedAt !== null) continue;
    const t = nextRunLineAt(r, now, now + 86_400_000_000);
    if (t !== null && (best === null || t < best)) best = t;
  }
  return best;
}

/** `kubectl run NAME --image=I -- ARGS...`: the arguments after `--` (or after the name). */
function p2(rest: string[] | null, after: string[]): string[] {
  return rest ?? after;
}

export { CHANGE_CAUSE_ANNOTATION };

/**
 * A network tool run by `kubectl exec`: its requests as the tool's own, with kubectl's words around
 * them (the "Defaulted container" note first; a non-zero exit ends with "command terminated with
 * exit code N", exec.go). ping's and httping's status depends on the replies: kubectl's last line
 * is left out for them.
 */
function execTraffic(p: NetPlan, note: string): NetPlan {
  const terminated = (status: number): NetChunk[] => (status !== 0 ? [{ fd: 2, text: `command terminated with exit code ${status}\n` }] : []);
  const end = p.end.stats ? p.end : {
    ...p.end,
    chunks: [...p.end.chunks, ...terminated(p.end.status)],
    ...(p.end.chunksOnNoAnswer ? { chunksOnNoAnswer: [...p.end.chunksOnNoAnswer, ...terminated(p.end.statusOnNoAnswer ?? 1)] } : {}),
  };
  return { ...p, start: note === "" ? p.start : [{ fd: 2, text: note }, ...p.start], end };
}
