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

/** Text the output must contain, or a regular expression it must match. */
export type Match = { readonly text: string } | { readonly regex: string };

export const CONTAINER_STATES = ["created", "running", "paused", "restarting", "removing", "exited", "dead"] as const;
export type ContainerStateName = (typeof CONTAINER_STATES)[number];

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
);
export type CheckKind = Check["kind"];

export interface Step {
  readonly action: StepAction;
  readonly caption: string;
  readonly expect: Match | undefined;
  readonly checks: readonly Check[];
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
const CHECK_KINDS: readonly CheckKind[] = ["container", "containers", "image", "volume", "network", "plugin", "file", "exec", "exit"];
const KEY = /^(?:(\d+(?:\.\d+)?(?:ms|s|m|h)) later: )?(Ctrl-C|Ctrl-P Ctrl-Q)$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
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
  const topo = top.get("topology");
  if (topo) {
    const t = r.map(topo, "topology", ["hosts"], ["hosts"]);
    const h = t.get("hosts")!;
    const nodes = r.list(h, "topology.hosts");
    hosts = nodes.map((n, i) => {
      const name = r.string(n, `topology.hosts[${i}]`);
      // The playground's rule: a host's name is its hostname.
      if (!HOST_NAME.test(name)) r.fail(n, `topology.hosts[${i}]`, `invalid host name ${JSON.stringify(name)}: use lowercase letters, digits and '-' (as a hostname)`);
      if (nodes.slice(0, i).some((m) => isScalar(m) && m.value === name)) r.fail(n, `topology.hosts[${i}]`, `${name} is listed twice`);
      return name;
    });
    if (hosts.length === 0) r.fail(h, "topology.hosts", "a lab needs at least one host");
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
  const setupNode = top.get("setup");
  if (setupNode) {
    const s = r.map(setupNode, "setup", ["files"], ["files"]);
    r.list(s.get("files")!, "setup.files").forEach((n, i) => {
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
  return { slug, file, title, module, hosts, seed, setup, steps };
}

function parseStep(r: Reader, n: Node, p: string, host: (n: Node, path: string) => string): Step {
  const m = r.map(n, p, ["run", "on", "keys", ...FAULTS, "caption", "expect", "checks"], ["caption"]);
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
    for (const k of ["on", "keys"]) if (m.has(k)) r.fail(m.get(k)!, `${p}.${k}`, `only a run step takes ${k}`);
    if (kind === "advance") {
      const d = r.string(v, `${p}.advance`);
      r.duration(v, `${p}.advance`, d);
      action = { kind: "advance", duration: d };
    } else {
      action = { kind: kind as "crash" | "restart", host: host(v, `${p}.${kind}`) };
    }
  }
  const checks = m.has("checks") ? r.list(m.get("checks")!, `${p}.checks`).map((c, i) => parseCheck(r, c, `${p}.checks[${i}]`, host)) : [];
  return {
    action,
    caption: r.string(m.get("caption")!, `${p}.caption`).trim(),
    expect: m.has("expect") ? r.match(m.get("expect")!, `${p}.expect`) : undefined,
    checks,
    line: r.line(n),
  };
}

function parseCheck(r: Reader, n: Node, p: string, host: (n: Node, path: string) => string): Check {
  const m = r.map(n, p, [...CHECK_KINDS, "hint"], ["hint"]);
  const kinds = CHECK_KINDS.filter((k) => m.has(k));
  if (kinds.length !== 1) r.fail(n, p, `a check is exactly one of ${CHECK_KINDS.join(", ")}, with a hint (found ${kinds.length === 0 ? "none" : kinds.join(", ")})`);
  const kind = kinds[0]!;
  const v = m.get(kind)!;
  const hint = r.string(m.get("hint")!, `${p}.hint`).trim();
  const q = `${p}.${kind}`;
  if (kind === "exit") return { kind, hint, on: undefined, status: r.integer(v, q) };
  const fields: Record<Exclude<CheckKind, "exit">, { keys: string[]; required: string[] }> = {
    container: { keys: ["name", "state", "image", "exists", "on"], required: ["name"] },
    containers: { keys: ["image", "state", "project", "service", "count", "on"], required: ["count"] },
    image: { keys: ["ref", "exists", "on"], required: ["ref"] },
    volume: { keys: ["name", "exists", "on"], required: ["name"] },
    network: { keys: ["name", "driver", "exists", "on"], required: ["name"] },
    plugin: { keys: ["name", "enabled", "exists", "on"], required: ["name"] },
    file: { keys: ["path", "contains", "exists", "host"], required: ["path"] },
    exec: { keys: ["run", "output", "exit", "on"], required: ["run"] },
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

  /** `expect: text` or `expect: { regex: "…" }`. */
  match(n: Node, path: string): Match {
    if (isMap(n)) {
      const m = this.map(n, path, ["regex"], ["regex"]);
      const source = this.string(m.get("regex")!, `${path}.regex`);
      try {
        new RegExp(source, "m");
      } catch (e) {
        this.fail(m.get("regex")!, `${path}.regex`, `not a regular expression: ${(e as Error).message}`);
      }
      return { regex: source };
    }
    return { text: this.string(n, path) };
  }
}

/** Does the text satisfy the match? (a regex is multiline: ^ and $ match at each line) */
export function matches(m: Match, text: string): boolean {
  return "text" in m ? text.includes(m.text) : new RegExp(m.regex, "m").test(text);
}

export function describeMatch(m: Match): string {
  return "text" in m ? JSON.stringify(m.text) : `/${m.regex}/`;
}
