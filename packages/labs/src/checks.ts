// Checks read the world as it is after a step, straight from the playground's immutable state
// (nothing is typed at the learner's terminal, so the lab never changes what it judges). An
// `exec` check types its command into a copy of the world replayed from the session.
import { parseDockerRef } from "@drydock/image";
import { stateString } from "@drydock/engine";
import { Playground } from "@drydock/playground";
import { describeExpect, matches, typedAs, type Check } from "./format.js";

export interface CheckResult {
  readonly check: Check;
  readonly ok: boolean;
  /** What was checked and what was found, in one line. */
  readonly message: string;
}

/** What the step's own line did, for `exit` checks. */
export interface StepOutcome {
  readonly exitCode: number | null;
  /** The line typed (null for a fault), for `typed` checks. */
  readonly line?: string | null;
}

type Engine = ReturnType<Playground["host"]>["engine"];

/** Docker's own normalisation ("hello" is docker.io/library/hello:latest); a text that is no reference compares as it is. */
function canonicalRef(text: string): string {
  try {
    return parseDockerRef(text).toString();
  } catch {
    return text;
  }
}

function containerByName(engine: Engine, name: string) {
  const id = engine.containerNames.get(name.replace(/^\//, ""));
  return id === undefined ? undefined : engine.containers.get(id);
}

function networkByName(engine: Engine, name: string) {
  return [...engine.networks.networks.values()].find((n) => n.name === name);
}

/**
 * Evaluates checks in order, on `host` unless a check names its own (default: the first host);
 * the world is replayed once, lazily, for the step's exec checks.
 */
export function evaluateChecks(pg: Playground, checks: readonly Check[], outcome: StepOutcome, host?: string, opts: { readonly whileRunning?: boolean } = {}): CheckResult[] {
  let copy: Playground | undefined;
  const replayed = (): Playground => {
    if (copy) return copy;
    copy = Playground.fromSession(pg.session(), pg.now);
    // Read while a step's line still runs (a pause inside it): the copy's lines are interrupted
    // first, as an instructor's second terminal would find the prompt free. The learner's world
    // is not the copy: its line runs on.
    if (opts.whileRunning) for (const n of copy.nodes) if (copy.busy(n)) copy.interrupt(n);
    return copy;
  };
  return checks.map((c) => evaluate(pg, c, outcome, replayed, host ?? pg.nodes[0]!));
}

function evaluate(pg: Playground, c: Check, outcome: StepOutcome, replayed: () => Playground, host: string): CheckResult {
  const on = c.on ?? host;
  const engine = pg.host(on).engine;
  const where = pg.nodes.length > 1 ? ` on ${on}` : "";
  const result = (ok: boolean, message: string): CheckResult => ({ check: c, ok, message });
  switch (c.kind) {
    case "exit":
      return result(outcome.exitCode === c.status, `the command exits with status ${c.status}${outcome.exitCode === null || outcome.exitCode === c.status ? "" : ` (it exited with ${outcome.exitCode})`}`);
    case "typed": {
      const line = outcome.line ?? null;
      const ok = line !== null && c.commands.some((cmd) => typedAs(line, cmd));
      return result(ok, `the command typed is ${c.commands.map((cmd) => `\`${cmd}\``).join(" or ")}`);
    }
    case "container": {
      const ctr = containerByName(engine, c.name);
      if (!c.exists) return result(ctr === undefined, `there is no container named ${c.name}${where}`);
      if (ctr === undefined) return result(false, `a container named ${c.name}${where} (there is none)`);
      const found: string[] = [];
      let ok = true;
      const state = stateString(ctr);
      if (c.state !== undefined && state !== c.state) ok = false;
      if (c.image !== undefined && canonicalRef(ctr.config.image) !== canonicalRef(c.image)) {
        ok = false;
        found.push(`its image is ${ctr.config.image}`);
      }
      if (c.state !== undefined) found.unshift(`it is ${state}`);
      const want = [c.state, c.image === undefined ? undefined : `from ${c.image}`].filter((x) => x !== undefined).join(", ");
      return result(ok, `container ${c.name}${where}${want === "" ? " exists" : ` is ${want}`}${ok ? "" : ` (${found.join("; ")})`}`);
    }
    case "containers": {
      const all = [...engine.containers.values()].filter((ctr) =>
        (c.image === undefined || canonicalRef(ctr.config.image) === canonicalRef(c.image))
        && (c.state === undefined || stateString(ctr) === c.state)
        && (c.project === undefined || ctr.config.labels["com.docker.compose.project"] === c.project)
        && (c.service === undefined || ctr.config.labels["com.docker.compose.service"] === c.service));
      const what = [c.state, c.image === undefined ? undefined : `from ${c.image}`, c.project === undefined ? undefined : `of project ${c.project}`, c.service === undefined ? undefined : `of service ${c.service}`]
        .filter((x) => x !== undefined).join(" ");
      return result(all.length === c.count, `${c.count === 0 ? "no" : c.count} container${c.count === 1 ? "" : "s"}${what === "" ? "" : ` ${what}`}${where}${all.length === c.count ? "" : ` (found ${all.length})`}`);
    }
    case "image": {
      const has = engine.images.tags.has(canonicalRef(c.ref));
      return result(has === c.exists, c.exists ? `an image ${c.ref}${where}` : `no image ${c.ref}${where}`);
    }
    case "volume": {
      const has = engine.volumes.has(c.name);
      return result(has === c.exists, c.exists ? `a volume named ${c.name}${where}` : `no volume named ${c.name}${where}`);
    }
    case "network": {
      const net = networkByName(engine, c.name);
      if (!c.exists) return result(net === undefined, `no network named ${c.name}${where}`);
      if (net === undefined) return result(false, `a network named ${c.name}${where} (there is none)`);
      const ok = c.driver === undefined || net.driver === c.driver;
      return result(ok, `a network named ${c.name}${where}${c.driver === undefined ? "" : ` with the ${c.driver} driver`}${ok ? "" : ` (its driver is ${net.driver})`}`);
    }
    case "plugin": {
      const name = c.name.includes(":") ? c.name : `${c.name}:latest`;
      const plugin = engine.plugins.get(name);
      if (!c.exists) return result(plugin === undefined, `no plugin ${c.name}${where}`);
      if (plugin === undefined) return result(false, `the plugin ${c.name}${where} is installed (it is not)`);
      const ok = c.enabled === undefined || plugin.enabled === c.enabled;
      return result(ok, `the plugin ${c.name}${where} is installed${c.enabled === undefined ? "" : c.enabled ? " and enabled" : " and disabled"}${ok ? "" : ` (it is ${plugin.enabled ? "enabled" : "disabled"})`}`);
    }
    case "file": {
      const text = pg.readFile(on, c.path);
      if (!c.exists) return result(text === undefined, `there is no file ${c.path}${where}`);
      if (text === undefined) return result(false, `a file ${c.path}${where} (there is none)`);
      const ok = c.contains === undefined || text.includes(c.contains);
      return result(ok, `a file ${c.path}${where}${c.contains === undefined ? "" : ` containing ${JSON.stringify(c.contains)}`}`);
    }
    case "exec": {
      const r = replayed().exec(c.run, { on });
      const out = r.stdout + r.stderr;
      const okOut = c.output === undefined || matches(c.output, out);
      const okExit = c.exit === undefined ? r.exitCode === 0 || c.output !== undefined : r.exitCode === c.exit;
      const shown = out.trim().split("\n").slice(0, 3).join(" / ");
      return result(okOut && okExit, `\`${c.run}\`${where} ${c.output === undefined ? `exits with ${c.exit ?? 0}` : `prints ${describeExpect(c.output)}`}${okOut && okExit ? "" : ` (it printed ${JSON.stringify(shown)}, status ${r.exitCode})`}`);
    }
    default:
      return orchestrator(pg, c, replayed, result);
  }
}

type OrchestratorCheck = Extract<Check, { kind: "service" | "node" | "tasks" | "secret" | "stack" | "pods" | "deployment" | "k8sService" }>;

/**
 * Swarm and Kubernetes checks ask the cluster as its own CLI does, in the replayed copy of the
 * world (so nothing reaches the learner's terminal): the swarm on a manager that answers (the
 * check's `on`, else the first host whose CLI can), Kubernetes through kubectl on the check's host.
 */
function orchestrator(pg: Playground, c: OrchestratorCheck, replayed: () => Playground, result: (ok: boolean, message: string) => CheckResult): CheckResult {
  const ask = (line: string): { out: string; status: number } => {
    const hosts = c.on !== undefined ? [c.on] : pg.nodes;
    let last = { out: "no host answers", status: 1 };
    for (const on of hosts) {
      let r;
      try {
        r = replayed().exec(line, { on });
      } catch {
        continue; // a crashed host takes no line
      }
      last = { out: r.stdout + r.stderr, status: r.exitCode };
      if (r.exitCode === 0) return last;
    }
    return last;
  };
  const lines = (line: string): string[] | string => {
    const r = ask(line);
    return r.status === 0 ? r.out.split("\n").filter((l) => l !== "") : r.out.trim().split("\n")[0] ?? "";
  };
  const json = (line: string): unknown => {
    const r = ask(line);
    if (r.status !== 0) return undefined;
    try {
      return JSON.parse(r.out) as unknown;
    } catch {
      return undefined;
    }
  };
  const failed = (what: string, why: string): CheckResult => result(false, `${what} (${why})`);
  switch (c.kind) {
    case "service": {
      const what = `a service ${c.name}${c.running === undefined ? "" : ` with ${c.running} running`}${c.replicas === undefined ? "" : ` of ${c.replicas} replicas`}`;
      const rows = lines("docker service ls --format '{{.Name}} {{.Replicas}}'");
      if (typeof rows === "string") return failed(c.exists ? what : `no service ${c.name}`, rows);
      const row = rows.map((l) => l.split(" ")).find((f) => f[0] === c.name);
      if (!c.exists) return result(row === undefined, `no service ${c.name}${row === undefined ? "" : " (there is one)"}`);
      if (row === undefined) return failed(what, "there is none");
      const m = /^(\d+)\/(\d+)/.exec(row[1] ?? "");
      const running = m ? Number(m[1]) : NaN;
      const replicas = m ? Number(m[2]) : NaN;
      const ok = (c.running === undefined || running === c.running) && (c.replicas === undefined || replicas === c.replicas);
      return result(ok, `${what}${ok ? "" : ` (it has ${row[1]})`}`);
    }
    case "node": {
      const what = `the node ${c.name}${[c.status, c.availability, c.role].filter((x) => x !== undefined).map((x) => ` ${x}`).join("")}`;
      const rows = lines("docker node ls --format '{{.Hostname}}|{{.Status}}|{{.Availability}}|{{.ManagerStatus}}'");
      if (typeof rows === "string") return failed(what, rows);
      const row = rows.map((l) => l.split("|")).find((f) => f[0] === c.name);
      if (row === undefined) return failed(what, `${c.name} is not in the swarm`);
      const [, status = "", availability = "", managerStatus = ""] = row;
      const role = managerStatus === "" ? "worker" : "manager";
      const ok = (c.status === undefined || status.toLowerCase() === c.status) && (c.availability === undefined || availability.toLowerCase() === c.availability) && (c.role === undefined || role === c.role);
      return result(ok, `${what}${ok ? "" : ` (it is ${status.toLowerCase()} ${availability.toLowerCase()} ${role})`}`);
    }
    case "tasks": {
      const what = `${c.running === undefined ? "the" : c.running} running tasks of ${c.service}${c.onNodes ? ` on ${c.onNodes.join(", ")} only` : ""}${c.notOn ? ` and none on ${c.notOn.join(", ")}` : ""}`;
      const rows = lines(`docker service ps ${c.service} --filter desired-state=running --format '{{.Node}}|{{.CurrentState}}'`);
      if (typeof rows === "string") return failed(what, rows);
      const nodes = rows.map((l) => l.split("|")).filter((f) => (f[1] ?? "").startsWith("Running")).map((f) => f[0] ?? "");
      const ok = (c.running === undefined || nodes.length === c.running) && (c.onNodes === undefined || nodes.every((n) => c.onNodes!.includes(n))) && (c.notOn === undefined || !nodes.some((n) => c.notOn!.includes(n)));
      return result(ok, `${what}${ok ? "" : ` (${nodes.length} running${nodes.length === 0 ? "" : `, on ${nodes.join(", ")}`})`}`);
    }
    case "secret": {
      const rows = lines("docker secret ls --format '{{.Name}}'");
      if (typeof rows === "string") return failed(`${c.exists ? "a" : "no"} secret ${c.name}`, rows);
      const has = rows.includes(c.name);
      return result(has === c.exists, c.exists ? `a secret ${c.name}${has ? "" : " (there is none)"}` : `no secret ${c.name}${has ? " (there is one)" : ""}`);
    }
    case "stack": {
      const what = `a stack ${c.name}${c.services === undefined ? "" : ` of ${c.services} services`}`;
      const rows = lines("docker stack ls --format '{{.Name}} {{.Services}}'");
      if (typeof rows === "string") return failed(c.exists ? what : `no stack ${c.name}`, rows);
      const row = rows.map((l) => l.split(" ")).find((f) => f[0] === c.name);
      if (!c.exists) return result(row === undefined, `no stack ${c.name}${row === undefined ? "" : " (there is one)"}`);
      if (row === undefined) return failed(what, "there is none");
      const ok = c.services === undefined || Number(row[1]) === c.services;
      return result(ok, `${what}${ok ? "" : ` (it has ${row[1]})`}`);
    }
    case "pods": {
      const whose = c.selector !== undefined ? ` with labels ${c.selector}` : c.ownedBy !== undefined ? ` of ${c.ownedBy}` : "";
      const what = `${c.count ?? "the"} pods${whose}${c.ready === undefined ? "" : `, ${c.ready} ready`}${c.phase === undefined ? "" : `, all ${c.phase}`}`;
      const list = json(`kubectl get pods${c.selector === undefined ? "" : ` -l '${c.selector}'`} -o json`) as { items?: Pod[] } | undefined;
      if (list?.items === undefined) return failed(what, "kubectl cannot list them");
      const pods = list.items.filter((p) => c.ownedBy === undefined || ownedBy(p, c.ownedBy));
      const ready = pods.filter((p) => (p.status?.containerStatuses ?? []).length > 0 && p.status!.containerStatuses!.every((s) => s.ready === true)).length;
      const phases = pods.map((p) => p.status?.phase ?? "Unknown");
      const ok = (c.count === undefined || pods.length === c.count) && (c.ready === undefined || ready === c.ready) && (c.phase === undefined || phases.every((ph) => ph === c.phase));
      return result(ok, `${what}${ok ? "" : ` (${pods.length} pods, ${ready} ready${phases.length === 0 ? "" : `: ${[...new Set(phases)].join(", ")}`})`}`);
    }
    case "deployment": {
      const what = `a deployment ${c.name}${c.ready === undefined ? "" : ` with ${c.ready} ready`}${c.image === undefined ? "" : ` running ${c.image}`}`;
      const d = json(`kubectl get deployment ${c.name} -o json`) as { status?: { readyReplicas?: number }; spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
      if (!c.exists) return result(d === undefined, `no deployment ${c.name}${d === undefined ? "" : " (there is one)"}`);
      if (d === undefined) return failed(what, "there is none");
      const ready = d.status?.readyReplicas ?? 0;
      const images = (d.spec?.template?.spec?.containers ?? []).map((x) => x.image ?? "");
      const ok = (c.ready === undefined || ready === c.ready) && (c.image === undefined || images.includes(c.image));
      return result(ok, `${what}${ok ? "" : ` (${ready} ready, image ${images.join(", ")})`}`);
    }
    case "k8sService": {
      const what = `a service ${c.name}${c.type === undefined ? "" : ` of type ${c.type}`}`;
      const svc = json(`kubectl get service ${c.name} -o json`) as { spec?: { type?: string } } | undefined;
      if (!c.exists) return result(svc === undefined, `no service ${c.name}${svc === undefined ? "" : " (there is one)"}`);
      if (svc === undefined) return failed(what, "there is none");
      const ok = c.type === undefined || svc.spec?.type === c.type;
      return result(ok, `${what}${ok ? "" : ` (its type is ${svc.spec?.type})`}`);
    }
  }
}

interface Pod {
  readonly metadata?: { readonly name?: string; readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string }[] };
  readonly status?: { readonly phase?: string; readonly containerStatuses?: readonly { readonly ready?: boolean }[] };
}

/** Owned by a ReplicaSet, a Deployment's (`<deployment>-<hash>`), or the named owner itself. */
function ownedBy(p: Pod, owner: string): boolean {
  return (p.metadata?.ownerReferences ?? []).some((o) => o.name === owner || (o.kind === "ReplicaSet" && (o.name ?? "").replace(/-[a-z0-9]+$/, "") === owner));
}
