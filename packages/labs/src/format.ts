// The lab format: one YAML file per lab (labs/<slug>.yaml). A lab is data: a title, the course
// module, a topology, a seed, optional setup files and steps; each step is a line to type or a
// fault, a caption, an optional expected output and checks on the world after it. Errors name the
// file, the line and the path of the value, as compose's do.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { DrydockError, parseDuration } from "@drydock/kernel";

/** A key pressed while the step's line runs: the transcripts' `[3.5s later: Ctrl-C]`. */
export interface Key {
  /** Virtual time that passes first ("3.5s"), if any. */
  readonly after: string | undefined;
  readonly key: "Ctrl-C" | "Ctrl-P Ctrl-Q";
}

/** What a step does: a line typed at a host's terminal, or a fault (as the app's buttons make them). */
export type StepAction =
  | { readonly kind: "run"; readonly line: string; readonly on: string | undefined; readonly keys: readonly Key[] }
  | { readonly kind: "crash"; readonly host: string }
  | { readonly kind: "restart"; readonly host: string }
  | { readonly kind: "advance"; readonly duration: string };

/**
 * Text the output must contain, or a regular expression it must match, with what it shows in words
 * (`shows`: the learner reads "the output does not show node-3 still Ready", never the regex).
 */
export type Match = { readonly text: string } | { readonly regex: string; readonly shows: string };

export const CONTAINER_STATES = ["created", "running", "paused", "restarting", "removing", "exited", "dead"] as const;
export type ContainerStateName = (typeof CONTAINER_STATES)[number];
/** `docker node ls`'s STATUS, AVAILABILITY and role (MANAGER STATUS empty for a worker). */
export const NODE_STATUSES = ["ready", "down", "unknown", "disconnected"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const NODE_AVAILABILITIES = ["active", "pause", "drain"] as const;
export type NodeAvailability = (typeof NODE_AVAILABILITIES)[number];
export const NODE_ROLES = ["manager", "worker"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
export const POD_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
export type PodPhase = (typeof POD_PHASES)[number];
export const K8S_SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;
export type K8sServiceType = (typeof K8S_SERVICE_TYPES)[number];

/** Swarm hosts: the lab's first steps (or its setup) make the first manager init and the rest join. */
export interface SwarmTopology {
  readonly managers: readonly string[];
  readonly workers: readonly string[];
  /** Set up before the first step (`setup: { swarm: true }`) rather than by the lab's own steps. */
  readonly ready: boolean;
}

/**
 * One check on the world after a step; `hint` is what the learner reads when it fails. `on` (a
 * file check's `host`) names the host to look at; by default the step's own.
 */
export type Check = { readonly hint: string; readonly on: string | undefined } & (
  | { readonly kind: "container"; readonly name: string; readonly state: ContainerStateName | undefined; readonly image: string | undefined; readonly exists: boolean }
  | {
    readonly kind: "containers"; readonly image: string | undefined; readonly state: ContainerStateName | undefined;
    readonly project: string | undefined; readonly service: string | undefined; readonly count: number;
  }
  | { readonly kind: "image"; readonly ref: string; readonly exists: boolean }
  | { readonly kind: "volume"; readonly name: string; readonly exists: boolean }
  | { readonly kind: "network"; readonly name: string; readonly driver: string | undefined; readonly exists: boolean }
  | { readonly kind: "plugin"; readonly name: string; readonly enabled: boolean | undefined; readonly exists: boolean }
  | { readonly kind: "file"; readonly path: string; readonly contains: string | undefined; readonly exists: boolean }
  | { readonly kind: "exec"; readonly run: string; readonly output: Match | undefined; readonly exit: number | undefined }
  | { readonly kind: "exit"; readonly status: number }
  /** The line typed is this command (`docker service ps`), or one of these: its words, flags left out, start so. */
  | { readonly kind: "typed"; readonly commands: readonly string[] }
  | { readonly kind: "service"; readonly name: string; readonly replicas: number | undefined; readonly running: number | undefined; readonly exists: boolean }
  | { readonly kind: "node"; readonly name: string; readonly status: NodeStatus | undefined; readonly availability: NodeAvailability | undefined; readonly role: NodeRole | undefined }
  | { readonly kind: "tasks"; readonly service: string; readonly running: number | undefined; readonly onNodes: readonly string[] | undefined; readonly notOn: readonly string[] | undefined }
  | { readonly kind: "secret"; readonly name: string; readonly exists: boolean }
  | { readonly kind: "stack"; readonly name: string; readonly services: number | undefined; readonly exists: boolean }
  | { readonly kind: "pods"; readonly selector: string | undefined; readonly ownedBy: string | undefined; readonly count: number | undefined; readonly ready: number | undefined; readonly phase: PodPhase | undefined }
  | { readonly kind: "deployment"; readonly name: string; readonly ready: number | undefined; readonly image: string | undefined; readonly exists: boolean }
  | { readonly kind: "k8sService"; readonly name: string; readonly type: K8sServiceType | undefined; readonly exists: boolean }
);
export type CheckKind = Check["kind"];

/**
 * A point inside a run step where an instructor's playback stops (the app's instructor mode):
 * the first instant at which its trigger holds, `after` this much virtual time since the step's
 * line was typed and/or `when` this check (one of the checks' kinds) holds. Both given: both.
 */
export interface Pause {
  readonly caption: string;
  readonly after: string | undefined;
  readonly when: Check | undefined;
  readonly line: number;
}

export interface Step {
  readonly action: StepAction;
  /** Where an instructor's playback of the step stops before its end, in the order given. */
  readonly pauses: readonly Pause[];
  readonly caption: string;
  readonly expect: Match | undefined;
  readonly checks: readonly Check[];
  /** Speaker notes for an instructor (the app's instructor mode shows them in a window of their own, never on the room's screen). */
  readonly notes: string | undefined;
  /** Where the step is in its file (1-based), for messages. */
  readonly line: number;
}

export interface SetupFile {
  readonly host: string;
  readonly path: string;
  readonly content: string;
}

export interface Lab {
  /** The file's name without .yaml: `drydock lab <slug>`. */
  readonly slug: string;
  readonly file: string;
  /** The course's name for the exercise. */
  readonly title: string;
  /** The course module it belongs to ("Containers", "Images", …). */
  readonly module: string;
  readonly hosts: readonly string[];
  /** A swarm's roles (`topology: { swarm: { managers, workers } }`). */
  readonly swarm: SwarmTopology | undefined;
  /** Kubernetes on these hosts, the first the control plane (`topology: { kubernetes: { nodes } }`). */
  readonly kubernetes: { readonly nodes: readonly string[] } | undefined;
  readonly seed: number | string;
  readonly setup: readonly SetupFile[];
  readonly steps: readonly Step[];
}

/** A lab file that does not read: where, and what is wrong, in one line. */
export class LabError extends DrydockError {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly path: string, readonly detail: string) {
    super("ELAB", `${file}:${line}:${column}: ${path === "" ? "" : `${path}: `}${detail}`);
  }
}

const FAULTS = ["crash", "restart", "advance"] as const;
const CHECK_KINDS: readonly CheckKind[] = [
  "container", "containers", "image", "volume", "network", "plugin", "file", "exec", "exit",
  "typed", "service", "node", "tasks", "secret", "stack", "pods", "deployment", "k8sService",
];
const KEY = /^(?:(\d+(?:\.\d+)?(?:ms|s|m|h)) later: )?(Ctrl-C|Ctrl-P Ctrl-Q)$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A swarm or Kubernetes object's name, as the checks type it into the CLI. */
const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** kubectl's equality-based label selector: `app=web,tier!=db`. */
const SELECTOR = /^[A-Za-z0-9][A-Za-z0-9_./-]*(?:!=|==|=)[A-Za-z0-9_.-]*(?:,[A-Za-z0-9][A-Za-z0-9_./-]*(?:!=|==|=)[A-Za-z0-9_.-]*)*$/;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Reads one lab file; throws a LabError at the first thing wrong. `file` is its name for messages (".../<slug>.yaml"). */
export function parseLab(text: string, file: string): Lab {
  const slug = (file.split("/").pop() ?? file).replace(/\.ya?ml$/, "");
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const r = new Reader(file, lc);
  const err = doc.errors[0];
  if (err) {
    const pos = lc.linePos(err.pos[0]);
    throw new LabError(file, pos.line, pos.col, "", err.message.split("\n")[0]!);
  }
  if (!SLUG.test(slug)) throw new LabError(file, 1, 1, "", `the file's name must be a slug (lowercase words joined by '-'), not ${JSON.stringify(slug)}`);
  const top = r.map(doc.contents as Node | null, "", ["title", "module", "topology", "seed", "setup", "steps"], ["title", "module", "steps"]);
  const title = r.string(top.get("title")!, "title");
  const module = r.string(top.get("module")!, "module");
  let hosts: string[] = ["node1"];
  let swarm: { managers: string[]; workers: string[] } | undefined;
  let kubernetes: { nodes: string[] } | undefined;
  const topo = top.get("topology");
  if (topo) {
    const t = r.map(topo, "topology", ["hosts", "swarm", "kubernetes"], []);
    const given = ["hosts", "swarm", "kubernetes"].filter((k) => t.has(k));
    if (given.length !== 1) r.fail(topo, "topology", `give exactly one of hosts, swarm, kubernetes (found ${given.length === 0 ? "none" : given.join(", ")})`);
    const seen: string[] = [];
    const names = (h: Node, path: string, atLeast: number): string[] => {
      const nodes = r.list(h, path);
      const out = nodes.map((n, i) => {
        const name = r.string(n, `${path}[${i}]`);
        // The playground's rule: a host's name is its hostname.
        if (!HOST_NAME.test(name)) r.fail(n, `${path}[${i}]`, `invalid host name ${JSON.stringify(name)}: use lowercase letters, digits and '-' (as a hostname)`);
        if (seen.includes(name)) r.fail(n, `${path}[${i}]`, `${name} is listed twice`);
        seen.push(name);
        return name;
      });
      if (out.length < atLeast) r.fail(h, path, atLeast === 1 ? "a lab needs at least one host" : `needs at least ${atLeast}`);
      return out;
    };
    if (t.has("hosts")) hosts = names(t.get("hosts")!, "topology.hosts", 1);
    else if (t.has("swarm")) {
      const sw = r.map(t.get("swarm")!, "topology.swarm", ["managers", "workers"], ["managers"]);
      const managers = names(sw.get("managers")!, "topology.swarm.managers", 1);
      const workers = sw.has("workers") ? names(sw.get("workers")!, "topology.swarm.workers", 0) : [];
      swarm = { managers, workers };
      hosts = [...managers, ...workers];
    } else {
      const k = r.map(t.get("kubernetes")!, "topology.kubernetes", ["nodes"], ["nodes"]);
      kubernetes = { nodes: names(k.get("nodes")!, "topology.kubernetes.nodes", 1) };
      hosts = [...kubernetes.nodes];
    }
  }
  const host = (n: Node, path: string): string => {
    const name = r.string(n, path);
    if (!hosts.includes(name)) r.fail(n, path, `no host ${JSON.stringify(name)} in the topology (hosts: ${hosts.join(", ")})`);
    return name;
  };
  const seedNode = top.get("seed");
  let seed: number | string = 1;
  if (seedNode) {
    const v = r.scalar(seedNode, "seed");
    if (typeof v !== "number" && typeof v !== "string") r.fail(seedNode, "seed", "must be a number or a string");
    seed = v as number | string;
  }
  const setup: SetupFile[] = [];
  let swarmReady = false;
  const setupNode = top.get("setup");
  if (setupNode) {
    const s = r.map(setupNode, "setup", ["files", "swarm"], []);
    if (s.has("swarm")) {
      swarmReady = r.boolean(s.get("swarm")!, "setup.swarm");
      if (swarmReady && swarm === undefined) r.fail(s.get("swarm")!, "setup.swarm", "a swarm set up before the first step needs topology.swarm (its managers and workers)");
    }
    if (s.has("files")) r.list(s.get("files")!, "setup.files").forEach((n, i) => {
      const p = `setup.files[${i}]`;
      const f = r.map(n, p, ["host", "path", "content"], ["path", "content"]);
      setup.push({
        host: f.has("host") ? host(f.get("host")!, `${p}.host`) : hosts[0]!,
        path: r.absolutePath(f.get("path")!, `${p}.path`),
        content: r.string(f.get("content")!, `${p}.content`, true),
      });
    });
  }
  const stepsNode = top.get("steps")!;
  const stepNodes = r.list(stepsNode, "steps");
  if (stepNodes.length === 0) r.fail(stepsNode, "steps", "a lab needs at least one step");
  const steps = stepNodes.map((n, i) => parseStep(r, n, `steps[${i}]`, host));
  return { slug, file, title, module, hosts, swarm: swarm && { ...swarm, ready: swarmReady }, kubernetes, seed, setup, steps };
}

function parseStep(r: Reader, n: Node, p: string, host: (n: Node, path: string) => string): Step {
  const m = r.map(n, p, ["run", "on", "keys", ...FAULTS, "caption", "notes", "expect", "checks", "pauses"], ["caption"]);
  const kinds = ["run", ...FAULTS].filter((k) => m.has(k));
  if (kinds.length !== 1) r.fail(n, p, `a step does one thing: give exactly one of run, ${FAULTS.join(", ")} (found ${kinds.length === 0 ? "none" : kinds.join(", ")})`);
  const kind = kinds[0]!;
  const v = m.get(kind)!;
  let action: StepAction;
  if (kind === "run") {
    const keys = m.has("keys")
      ? r.list(m.get("keys")!, `${p}.keys`).map((k, i) => {
        const text = r.string(k, `${p}.keys[${i}]`);
        const match = KEY.exec(text);
        if (!match) r.fail(k, `${p}.keys[${i}]`, `a key is "Ctrl-C", "Ctrl-P Ctrl-Q" or "<duration> later: <key>" (as "3.5s later: Ctrl-C"), not ${JSON.stringify(text)}`);
        return { after: match![1], key: match![2] as Key["key"] };
      })
      : [];
    // A block scalar (`run: |` for a heredoc) ends in a newline that is no part of the command.
    action = { kind: "run", line: r.string(v, `${p}.run`).replace(/\n+$/, ""), on: m.has("on") ? host(m.get("on")!, `${p}.on`) : undefined, keys };
  } else {
    // A fault is done at once: nothing plays inside it to pause at.
    for (const k of ["on", "keys", "pauses"]) if (m.has(k)) r.fail(m.get(k)!, `${p}.${k}`, `only a run step takes ${k}`);
    if (kind === "advance") {
      const d = r.string(v, `${p}.advance`);
      r.duration(v, `${p}.advance`, d);
      action = { kind: "advance", duration: d };
    } else {
      action = { kind: kind as "crash" | "restart", host: host(v, `${p}.${kind}`) };
    }
  }
  const checks = m.has("checks") ? r.list(m.get("checks")!, `${p}.checks`).map((c, i) => parseCheck(r, c, `${p}.checks[${i}]`, host)) : [];
  const pauses = m.has("pauses") ? r.list(m.get("pauses")!, `${p}.pauses`).map((c, i) => parsePause(r, c, `${p}.pauses[${i}]`, host)) : [];
  return {
    action,
    pauses,
    caption: r.string(m.get("caption")!, `${p}.caption`).trim(),
    notes: m.has("notes") ? r.string(m.get("notes")!, `${p}.notes`).trim() : undefined,
    expect: m.has("expect") ? r.match(m.get("expect")!, `${p}.expect`) : undefined,
    checks,
    line: r.line(n),
  };
}

/** The kinds a pause can wait on: the world's state (exit and typed judge the line, which has not ended). */
const WHEN_KINDS: readonly CheckKind[] = CHECK_KINDS.filter((k) => k !== "exit" && k !== "typed");

function parsePause(r: Reader, n: Node, p: string, host: (n: Node, path: string) => string): Pause {
  const m = r.map(n, p, ["caption", "after", "when"], ["caption"]);
  if (!m.has("after") && !m.has("when")) r.fail(n, p, "a pause needs a trigger: after (a duration since the step's line was typed), when (a check), or both");
  let after: string | undefined;
  if (m.has("after")) {
    after = r.string(m.get("after")!, `${p}.after`);
    r.duration(m.get("after")!, `${p}.after`, after);
  }
  return {
    caption: r.string(m.get("caption")!, `${p}.caption`).trim(),
    after,
    when: m.has("when") ? parseCheck(r, m.get("when")!, `${p}.when`, host, WHEN_KINDS) : undefined,
    line: r.line(n),
  };
}

/** A check (`kinds` given: a pause's `when`, which takes no hint and only those kinds). */
function parseCheck(r: Reader, n: Node, p: string, host: (n: Node, path: string) => string, kindsAllowed?: readonly CheckKind[]): Check {
  const allowed = kindsAllowed ?? CHECK_KINDS;
  const m = kindsAllowed ? r.map(n, p, [...allowed], []) : r.map(n, p, [...CHECK_KINDS, "hint"], ["hint"]);
  const kinds = allowed.filter((k) => m.has(k));
  if (kinds.length !== 1) r.fail(n, p, `${kindsAllowed ? "a pause's when is" : "a check is"} exactly one of ${allowed.join(", ")}${kindsAllowed ? "" : ", with a hint"} (found ${kinds.length === 0 ? "none" : kinds.join(", ")})`);
  const kind = kinds[0]!;
  const v = m.get(kind)!;
  const hint = kindsAllowed ? "" : r.string(m.get("hint")!, `${p}.hint`).trim();
  const q = `${p}.${kind}`;
  if (kind === "exit") return { kind, hint, on: undefined, status: r.integer(v, q) };
  if (kind === "typed") {
    const commands = isSeq(v) ? r.list(v, q).map((c, i) => r.string(c, `${q}[${i}]`)) : [r.string(v, q)];
    commands.forEach((c, i) => {
      if (commandWords(c).length === 0 || commandWords(c).length !== c.trim().split(/\s+/).length) r.fail(v, isSeq(v) ? `${q}[${i}]` : q, `a command's words without flags (as "docker service ps"), not ${JSON.stringify(c)}`);
    });
    return { kind, hint, on: undefined, commands };
  }
  const fields: Record<Exclude<CheckKind, "exit" | "typed">, { keys: string[]; required: string[] }> = {
    container: { keys: ["name", "state", "image", "exists", "on"], required: ["name"] },
    containers: { keys: ["image", "state", "project", "service", "count", "on"], required: ["count"] },
    image: { keys: ["ref", "exists", "on"], required: ["ref"] },
    volume: { keys: ["name", "exists", "on"], required: ["name"] },
    network: { keys: ["name", "driver", "exists", "on"], required: ["name"] },
    plugin: { keys: ["name", "enabled", "exists", "on"], required: ["name"] },
    file: { keys: ["path", "contains", "exists", "host"], required: ["path"] },
    exec: { keys: ["run", "output", "exit", "on"], required: ["run"] },
    service: { keys: ["name", "replicas", "running", "exists", "on"], required: ["name"] },
    node: { keys: ["name", "status", "availability", "role", "on"], required: ["name"] },
    tasks: { keys: ["service", "running", "onNodes", "notOn", "on"], required: ["service"] },
    secret: { keys: ["name", "exists", "on"], required: ["name"] },
    stack: { keys: ["name", "services", "exists", "on"], required: ["name"] },
    pods: { keys: ["selector", "ownedBy", "count", "ready", "phase", "on"], required: [] },
    deployment: { keys: ["name", "ready", "image", "exists", "on"], required: ["name"] },
    k8sService: { keys: ["name", "type", "exists", "on"], required: ["name"] },
  };
  const f = r.map(v, q, fields[kind].keys, fields[kind].required);
  const str = (k: string): string | undefined => (f.has(k) ? r.string(f.get(k)!, `${q}.${k}`) : undefined);
  const bool = (k: string): boolean | undefined => (f.has(k) ? r.boolean(f.get(k)!, `${q}.${k}`) : undefined);
  const hostKey = kind === "file" ? "host" : "on";
  const on = f.has(hostKey) ? host(f.get(hostKey)!, `${q}.${hostKey}`) : undefined;
  const state = (): ContainerStateName | undefined => {
    const s = str("state");
    if (s !== undefined && !(CONTAINER_STATES as readonly string[]).includes(s)) r.fail(f.get("state")!, `${q}.state`, `${JSON.stringify(s)} is not a container state (${CONTAINER_STATES.join(", ")})`);
    return s as ContainerStateName | undefined;
  };
  const exists = bool("exists") ?? true;
  const base = { hint, on };
  const int = (k: string): number | undefined => (f.has(k) ? r.integer(f.get(k)!, `${q}.${k}`) : undefined);
  const oneOf = <T extends string>(k: string, allowed: readonly T[], what: string): T | undefined => {
    const s = str(k);
    if (s !== undefined && !(allowed as readonly string[]).includes(s)) r.fail(f.get(k)!, `${q}.${k}`, `${JSON.stringify(s)} is not ${what} (${allowed.join(", ")})`);
    return s as T | undefined;
  };
  const objectName = (k: string): string => {
    const name = str(k)!;
    if (!OBJECT_NAME.test(name)) r.fail(f.get(k)!, `${q}.${k}`, `${JSON.stringify(name)} is not an object name (letters, digits, '_', '.' and '-')`);
    return name;
  };
  const hostList = (k: string): string[] | undefined => (f.has(k) ? r.list(f.get(k)!, `${q}.${k}`).map((n, i) => host(n, `${q}.${k}[${i}]`)) : undefined);
  const onlyExists = (keys: readonly string[], what: string): void => {
    const extra = keys.find((k) => f.has(k));
    if (!exists && extra !== undefined) r.fail(v, q, `${what} that must not exist has no ${extra} to check`);
  };
  switch (kind) {
    case "container":
      if (!exists && (f.has("state") || f.has("image"))) r.fail(v, q, "a container that must not exist has no state or image to check");
      return { ...base, kind, name: str("name")!, state: state(), image: str("image"), exists };
    case "containers":
      return { ...base, kind, image: str("image"), state: state(), project: str("project"), service: str("service"), count: r.integer(f.get("count")!, `${q}.count`) };
    case "image":
      return { ...base, kind, ref: str("ref")!, exists };
    case "volume":
      return { ...base, kind, name: str("name")!, exists };
    case "network":
      return { ...base, kind, name: str("name")!, driver: str("driver"), exists };
    case "plugin":
      return { ...base, kind, name: str("name")!, enabled: bool("enabled"), exists };
    case "file":
      return { ...base, kind, path: r.absolutePath(f.get("path")!, `${q}.path`), contains: str("contains"), exists };
    case "exec":
      return { ...base, kind, run: str("run")!, output: f.has("output") ? r.match(f.get("output")!, `${q}.output`) : undefined, exit: f.has("exit") ? r.integer(f.get("exit")!, `${q}.exit`) : undefined };
    case "service":
      onlyExists(["replicas", "running"], "a service");
      return { ...base, kind, name: objectName("name"), replicas: int("replicas"), running: int("running"), exists };
    case "node":
      return {
        ...base, kind, name: host(f.get("name")!, `${q}.name`), status: oneOf("status", NODE_STATUSES, "a node status"),
        availability: oneOf("availability", NODE_AVAILABILITIES, "a node availability"), role: oneOf("role", NODE_ROLES, "a node role"),
      };
    case "tasks":
      return { ...base, kind, service: objectName("service"), running: int("running"), onNodes: hostList("onNodes"), notOn: hostList("notOn") };
    case "secret":
      return { ...base, kind, name: objectName("name"), exists };
    case "stack":
      onlyExists(["services"], "a stack");
      return { ...base, kind, name: objectName("name"), services: int("services"), exists };
    case "pods":
      if (f.has("selector") && f.has("ownedBy")) r.fail(v, q, "give selector or ownedBy, not both");
      if (f.has("selector") && !SELECTOR.test(str("selector")!)) r.fail(f.get("selector")!, `${q}.selector`, `${JSON.stringify(str("selector"))} is not a label selector (as app=web,tier!=db)`);
      return { ...base, kind, selector: str("selector"), ownedBy: f.has("ownedBy") ? objectName("ownedBy") : undefined, count: int("count"), ready: int("ready"), phase: oneOf("phase", POD_PHASES, "a pod phase") };
    case "deployment":
      onlyExists(["ready", "image"], "a deployment");
      return { ...base, kind, name: objectName("name"), ready: int("ready"), image: str("image"), exists };
    case "k8sService":
      onlyExists(["type"], "a service");
      return { ...base, kind, name: objectName("name"), type: oneOf("type", K8S_SERVICE_TYPES, "a service type"), exists };
  }
}

/** Typed reads over yaml's nodes; each failure is a LabError at the node's line and column. */
class Reader {
  constructor(private readonly file: string, private readonly lc: LineCounter) {}

  fail(n: Node | null | undefined, path: string, detail: string): never {
    const pos = this.lc.linePos(n?.range?.[0] ?? 0);
    throw new LabError(this.file, pos.line, pos.col, path, detail);
  }

  line(n: Node): number {
    return this.lc.linePos(n.range?.[0] ?? 0).line;
  }

  map(n: Node | null | undefined, path: string, keys: readonly string[], required: readonly string[]): Map<string, Node> {
    if (!isMap(n)) this.fail(n, path, `must be a mapping${path === "" ? " (a lab file has title, module and steps)" : ""}`);
    const out = new Map<string, Node>();
    for (const pair of n.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : "";
      const at = path === "" ? k : `${path}.${k}`;
      if (!keys.includes(k)) this.fail(pair.key as Node, at, `unknown key ${JSON.stringify(k)} (expected one of: ${keys.join(", ")})`);
      out.set(k, (pair.value ?? pair.key) as Node);
    }
    for (const k of required) if (!out.has(k)) this.fail(n, path, `missing ${JSON.stringify(k)}`);
    return out;
  }

  list(n: Node, path: string): Node[] {
    if (!isSeq(n)) this.fail(n, path, "must be a list");
    return n.items as Node[];
  }

  scalar(n: Node, path: string): unknown {
    if (!isScalar(n)) this.fail(n, path, "must be a single value");
    return n.value;
  }

  string(n: Node, path: string, allowEmpty = false): string {
    const v = this.scalar(n, path);
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v !== "string" || (!allowEmpty && v.trim() === "")) this.fail(n, path, "must be a non-empty string");
    return v as string;
  }

  absolutePath(n: Node, path: string): string {
    const v = this.string(n, path);
    if (!v.startsWith("/")) this.fail(n, path, `must be an absolute path (as /root/app/Dockerfile), not ${JSON.stringify(v)}`);
    return v;
  }

  integer(n: Node, path: string): number {
    const v = this.scalar(n, path);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) this.fail(n, path, "must be a whole number (0 or more)");
    return v as number;
  }

  boolean(n: Node, path: string): boolean {
    const v = this.scalar(n, path);
    if (typeof v !== "boolean") this.fail(n, path, "must be true or false");
    return v as boolean;
  }

  duration(n: Node, path: string, text: string): void {
    try {
      parseDuration(text);
    } catch {
      this.fail(n, path, `${JSON.stringify(text)} is not a duration (as 10s, 500ms, 2m)`);
    }
  }

  /** `expect: text` or `expect: { regex: "…", shows: "…" }`. */
  match(n: Node, path: string): Match {
    if (isMap(n)) {
      const m = this.map(n, path, ["regex", "shows"], ["regex", "shows"]);
      const source = this.string(m.get("regex")!, `${path}.regex`);
      try {
        new RegExp(source, "m");
      } catch (e) {
        this.fail(m.get("regex")!, `${path}.regex`, `not a regular expression: ${(e as Error).message}`);
      }
      return { regex: source, shows: this.string(m.get("shows")!, `${path}.shows`).trim() };
    }
    return { text: this.string(n, path) };
  }
}

/** Does the text satisfy the match? (a regex is multiline: ^ and $ match at each line) */
export function matches(m: Match, text: string): boolean {
  return "text" in m ? text.includes(m.text) : new RegExp(m.regex, "m").test(text);
}

/** The match as whoever fixes a lab reads it: the text, or the regex itself. */
export function describeMatch(m: Match): string {
  return "text" in m ? JSON.stringify(m.text) : `/${m.regex}/`;
}

/** The match as the learner reads it: the text, or what the regex shows in words. */
export function describeExpect(m: Match): string {
  return "text" in m ? JSON.stringify(m.text) : m.shows;
}

/**
 * The words of each simple command in a line (split at `|`, `;`, `&&`, `||`), quotes removed and
 * flags (`-f`, `--filter=x`) left out: `docker service ps -f desired-state=running pinger` has
 * docker, service, ps, desired-state=running, pinger. A flag's value stays (the line is not parsed
 * against the command's flags), which is why a typed check compares the words it names only.
 */
export function commandWords(line: string): string[] {
  return simpleCommands(line)[0] ?? [];
}

function simpleCommands(line: string): string[][] {
  const out: string[][] = [[]];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  const end = (): void => {
    if (word !== null && !word.startsWith("-")) out[out.length - 1]!.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word = (word ?? "") + ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) end();
    else if (ch === "|" || ch === ";" || ch === "&") {
      end();
      if (out[out.length - 1]!.length > 0) out.push([]);
    } else word = (word ?? "") + ch;
  }
  end();
  return out.filter((c) => c.length > 0);
}

/** Is the line (one of its simple commands) the command `command` names, as a typed check asks? */
export function typedAs(line: string, command: string): boolean {
  const want = command.trim().split(/\s+/);
  return simpleCommands(line).some((words) => want.every((w, i) => words[i] === w));
}
