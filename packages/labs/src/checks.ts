// Checks read the world as it is after a step, straight from the playground's immutable state
// (nothing is typed at the learner's terminal, so the lab never changes what it judges). An
// `exec` check types its command into a copy of the world replayed from the session.
import { parseDockerRef } from "@drydock/image";
import { stateString } from "@drydock/engine";
import { Playground } from "@drydock/playground";
import { describeMatch, matches, type Check } from "./format.js";

export interface CheckResult {
  readonly check: Check;
  readonly ok: boolean;
  /** What was checked and what was found, in one line. */
  readonly message: string;
}

/** What the step's own line did, for `exit` checks. */
export interface StepOutcome {
  readonly exitCode: number | null;
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
export function evaluateChecks(pg: Playground, checks: readonly Check[], outcome: StepOutcome, host?: string): CheckResult[] {
  let copy: Playground | undefined;
  const replayed = (): Playground => (copy ??= Playground.fromSession(pg.session(), pg.now));
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
      return result(okOut && okExit, `\`${c.run}\`${where} ${c.output === undefined ? `exits with ${c.exit ?? 0}` : `prints ${describeMatch(c.output)}`}${okOut && okExit ? "" : ` (it printed ${JSON.stringify(shown)}, status ${r.exitCode})`}`);
    }
  }
}
