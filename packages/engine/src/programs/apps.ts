// Small web apps and clients, read from their source as the course writes them: a Flask app
// (`flask run`), a Sinatra app on Thin (`ruby app.rb`), an Express or plain `http` app for node,
// and a Python client that loops over HTTP calls (DockerCoins' worker). The routes, what each
// returns, how long it sleeps before answering, and what a client calls and how long it thinks
// are found in the source, so an app a learner edits answers differently. The servers' answers
// are made by ../network/http.ts; a client loop's rate by ../network/load.ts.
import { MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import type { FsDir, FsNode } from "../fs/index.js";
import { isoMillis } from "../util/det.js";
import type { Program, StartContext } from "./program.js";
import { python } from "./servers.js";
import { basePlan, exitPlan, linesAt, type Plan, type PlanLine, type Reaction } from "./types.js";

const MS = MICROS_PER_MS;
const MB = 1024 * 1024;

/** What a route answers. */
export type RouteBody =
  | { readonly kind: "text"; readonly text: string }
  /** `os.urandom(n)` of the route's integer parameter: n random bytes. */
  | { readonly kind: "random-bytes" }
  /** The SHA-256 of the request body, as hex. */
  | { readonly kind: "sha256" }
  /** DockerCoins' webui /json: the hash counter and redis's clock. */
  | { readonly kind: "hash-counter" }
  | { readonly kind: "json"; readonly text: string };

export interface Route {
  readonly method: string;
  /** The path pattern as written ("/", "/<int:how_many_bytes>", "/json"). */
  readonly pattern: string;
  /** How long it sleeps before it answers (time.sleep, sleep). */
  readonly sleepUs: Micros;
  readonly body: RouteBody;
  /** Reads the host's entropy (os.urandom): every such server on a host shares it. */
  readonly hostBound: boolean;
}

/** An HTTP call a client makes in its loop. */
export interface ClientCall {
  readonly method: string;
  readonly url: string;
}

export interface AppSpec {
  readonly framework: "flask" | "sinatra" | "express" | "node-http" | "python";
  readonly routes: readonly Route[];
  /** Express's static directory (`express.static('/files')`). */
  readonly staticDir: string | null;
  /** A loop of HTTP calls (requests.get/post in `while True`): what it sleeps each round and what it calls. */
  readonly client: {
    readonly thinkUs: Micros;
    readonly calls: readonly ClientCall[];
    /** What it logs once a second, with %d for the rounds done ("INFO:worker:%d units of work done, updating hash counter"). */
    readonly line: string;
  } | null;
}

const cache = new Map<string, AppSpec>();

function seconds(text: string | undefined): Micros {
  const n = Number.parseFloat(text ?? "");
  return Number.isFinite(n) && n > 0 ? Math.round(n * MICROS_PER_SECOND) : 0;
}

/** The text a `return "…"` (or a Ruby block's last string) produces, with the hostname filled in. */
function literalBody(expr: string, hostname: string): string | null {
  const m = /^\s*(["'])((?:\\.|(?!\1).)*)\1(\s*\.format\(\s*(?:os\.uname\(\)\[1\]|socket\.gethostname\(\)|hostname)\s*\))?/.exec(expr);
  if (!m) return null;
  let text = m[2]!.replace(/#\{\s*(?:Socket\.gethostname|hostname)\s*\}/g, hostname);
  if (m[3]) text = text.replace("{}", hostname);
  return text.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\(["'])/g, "$1");
}

/** Splits a Python source into its routes: each `@app.route(...)` with its function's body. */
function flaskRoutes(source: string, hostname: string): Route[] {
  const out: Route[] = [];
  const re = /@app\.route\(\s*["']([^"']*)["'](?:\s*,\s*methods\s*=\s*\[([^\]]*)\])?[^)]*\)\s*\ndef\s+\w+\([^)]*\):\s*\n((?:[ \t]+.*\n?|\s*\n)*)/g;
  for (const m of source.matchAll(re)) {
    const body = m[3] ?? "";
    const methods = (m[2] ?? "'GET'").match(/[A-Z]+/g) ?? ["GET"];
    const sleepUs = seconds(/time\.sleep\(\s*([\d.]+)\s*\)/.exec(body)?.[1]);
    const ret = /return\s+(.*)/.exec(body)?.[1] ?? "";
    const hostBound = /os\.urandom|os\.read\(\s*urandom/.test(body);
    const text = literalBody(ret, hostname);
    const routeBody: RouteBody = hostBound ? { kind: "random-bytes" } : text !== null ? { kind: "text", text } : { kind: "text", text: "" };
    for (const method of methods) out.push({ method, pattern: m[1]!, sleepUs, body: routeBody, hostBound });
  }
  return out;
}

function sinatraRoutes(source: string, hostname: string): Route[] {
  const out: Route[] = [];
  const re = /^(get|post|put|delete)\s+["']([^"']*)["']\s+do\s*\n([\s\S]*?)^end/gm;
  for (const m of source.matchAll(re)) {
    const body = m[3] ?? "";
    const sleepUs = seconds(/\bsleep\s*\(?\s*([\d.]+)/.exec(body)?.[1]);
    const lines = body.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
    const last = lines[lines.length - 1] ?? "";
    const routeBody: RouteBody = /Digest::SHA2?\S*\.update\(request\.body\.read\)\.hexdigest|Digest::SHA256\.hexdigest\(request\.body\.read\)/.test(body)
      ? { kind: "sha256" } : { kind: "text", text: literalBody(last, hostname) ?? "" };
    out.push({ method: m[1]!.toUpperCase(), pattern: m[2]!, sleepUs, body: routeBody, hostBound: false });
  }
  return out;
}

function expressRoutes(source: string): Route[] {
  const out: Route[] = [];
  const re = /app\.(get|post)\(\s*["']([^"']*)["']\s*,\s*(?:function\s*\([^)]*\)|\([^)]*\)\s*=>)\s*\{([\s\S]*?)\n\}\);/g;
  for (const m of source.matchAll(re)) {
    const body = m[3] ?? "";
    let routeBody: RouteBody;
    if (/client\.get\(\s*['"]hashes['"]/.test(body)) routeBody = { kind: "hash-counter" };
    else {
      const send = /res\.(?:send|end)\(\s*(["'`])((?:\\.|(?!\1).)*)\1/.exec(body);
      const json = /res\.json\(\s*(\{[^)]*\})\s*\)/.exec(body);
      routeBody = send ? { kind: "text", text: send[2]!.replace(/\\n/g, "\n") } : json ? { kind: "json", text: json[1]! } : { kind: "text", text: "" };
    }
    out.push({ method: m[1]!.toUpperCase(), pattern: m[2]!, sleepUs: 0, body: routeBody, hostBound: false });
  }
  return out;
}

/** A Python `while True` loop that calls HTTP services (requests.get/post) and logs its rounds. */
function pythonClient(source: string): AppSpec["client"] {
  if (!/while\s+True/.test(source) || !/requests\.(get|post)\(/.test(source)) return null;
  const calls: ClientCall[] = [];
  for (const m of source.matchAll(/requests\.(get|post)\(\s*["']([^"']+)["']/g)) calls.push({ method: m[1]!.toUpperCase(), url: m[2]! });
  let thinkUs = 0;
  for (const m of source.matchAll(/time\.sleep\(\s*([\d.]+)\s*\)/g)) thinkUs += seconds(m[1]);
  const logger = /logging\.getLogger\(\s*["']([^"']+)["']\s*\)/.exec(source)?.[1] ?? (/logging\.getLogger\(\s*__name__\s*\)/.test(source) ? "__main__" : "root");
  const msg = /log\.info\(\s*["']([^"']*%d[^"']*)["']/.exec(source)?.[1] ?? "%d units of work done";
  return { thinkUs, calls, line: `INFO:${logger}:${msg}` };
}

/** Reads an app's source (cached by its text: parsing is pure). */
export function appSpec(framework: AppSpec["framework"], source: string, hostname: string): AppSpec {
  const key = `${framework}\0${hostname}\0${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let spec: AppSpec;
  if (framework === "flask") spec = { framework, routes: flaskRoutes(source, hostname), staticDir: null, client: null };
  else if (framework === "sinatra") spec = { framework, routes: sinatraRoutes(source, hostname), staticDir: null, client: null };
  else if (framework === "express" || framework === "node-http") {
    const st = /express\.static\(\s*["']([^"']+)["']/.exec(source)?.[1] ?? null;
    spec = { framework, routes: expressRoutes(source), staticDir: st, client: null };
  } else spec = { framework, routes: flaskRoutes(source, hostname), staticDir: null, client: pythonClient(source) };
  if (cache.size > 256) cache.clear();
  cache.set(key, spec);
  return spec;
}

/** Whether a route pattern matches a path ("/<int:n>" takes digits, "<name>" a segment). */
export function routeMatch(pattern: string, path: string): boolean {
  const p = path.split("?")[0]!;
  const re = "^" + pattern.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === "<" || c === ">" ? c : `\\${c}`))
    .replace(/<int:[^>]+>/g, "\\d+").replace(/<[^>]+>/g, "[^/]+").replace(/:[A-Za-z_]\w*/g, "[^/]+") + "$";
  return new RegExp(re).test(p);
}

// ---- reading a file the program runs ----

function nodeAt(fs: FsDir, path: string): FsNode | undefined {
  let node: FsNode = fs;
  for (const name of path.split("/")) {
    if (name === "") continue;
    if (node.kind !== "dir") return undefined;
    const next: FsNode | undefined = node.entries.get(name);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

export function readSource(fs: FsDir, cwd: string, file: string): string | undefined {
  const path = file.startsWith("/") ? file : `${cwd === "/" ? "" : cwd}/${file}`;
  const n = nodeAt(fs, path);
  return n?.kind === "file" && n.blob === undefined ? n.text : undefined;
}

/** The app a running process serves, from its argv, environment and files (null: not one of these). */
export function appOf(argv: readonly string[], env: ReadonlyMap<string, string>, cwd: string, fs: FsDir, hostname: string): AppSpec | null {
  const name = (argv[0] ?? "").replace(/^.*\//, "");
  if (name === "flask") {
    const app = (env.get("FLASK_APP") ?? "app").replace(/:.*$/, "").replace(/\.py$/, "");
    const src = readSource(fs, cwd || "/", `${app.replace(/\./g, "/")}.py`);
    return src === undefined ? null : appSpec("flask", src, hostname);
  }
  const script = argv.slice(1).find((a) => !a.startsWith("-"));
  if (script === undefined) return null;
  const src = readSource(fs, cwd || "/", script) ?? readSource(fs, cwd || "/", `${script}.js`);
  if (src === undefined) return null;
  if (/^ruby/.test(name)) return /require\s+['"]sinatra['"]/.test(src) ? appSpec("sinatra", src, hostname) : null;
  if (/^node/.test(name)) return appSpec(/require\(\s*['"]express['"]\s*\)/.test(src) ? "express" : "node-http", src, hostname);
  if (/^python/.test(name)) return appSpec(/Flask\(/.test(src) ? "flask" : "python", src, hostname);
  return null;
}

// ---- the programs ----

const line = (at: Micros, text: string, stream: "stdout" | "stderr" = "stdout"): PlanLine => ({ at, stream, text: text.endsWith("\n") ? text : `${text}\n` });

/** `flask run`: Werkzeug's development server on FLASK_RUN_HOST:FLASK_RUN_PORT (5000), serving FLASK_APP. */
export const flask: Program = {
  names: ["flask"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args[0] === "--version") return exitPlan("flask", 0, linesAt(200 * MS, "Python 3.12.7\nFlask 3.0.3\nWerkzeug 3.0.4\n"));
    if (args[0] !== "run") return exitPlan("flask", 2, linesAt(200 * MS, "Usage: flask [OPTIONS] COMMAND [ARGS]...\nTry 'flask --help' for help.\n\nError: No such command.\n", "stderr"));
    const appName = (ctx.env.get("FLASK_APP") ?? "app").replace(/:.*$/, "").replace(/\.py$/, "");
    const src = readSource(ctx.fs, ctx.spec.cwd || "/", `${appName}.py`);
    if (src === undefined) {
      return exitPlan("flask", 2, linesAt(300 * MS, `Usage: flask run [OPTIONS]\nTry 'flask run --help' for help.\n\nError: Could not import '${appName}'.\n`, "stderr"));
    }
    const portArg = args.indexOf("--port");
    const port = Number(portArg >= 0 ? args[portArg + 1] : ctx.env.get("FLASK_RUN_PORT") ?? 5000) || 5000;
    const hostArg = args.indexOf("--host");
    const host = (hostArg >= 0 ? args[hostArg + 1] : ctx.env.get("FLASK_RUN_HOST")) ?? "127.0.0.1";
    const all = host === "0.0.0.0" || host === "::";
    const running = all
      ? ` * Running on all addresses (${host})\n * Running on http://127.0.0.1:${port}\n * Running on http://${ctx.ip || "127.0.0.1"}:${port}\n`
      : ` * Running on http://${host}:${port}\n`;
    const lines = [
      ...linesAt(400 * MS, ` * Serving Flask app '${appName}'\n * Debug mode: off\n`),
      ...linesAt(401 * MS, `WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.\n${running}Press CTRL+C to quit\n`, "stderr"),
    ];
    return {
      ...basePlan("flask"), lines, ports: [port], memory: { base: 28 * MB, growPerSec: 0, max: null }, title: `/usr/local/bin/python3 /usr/local/bin/flask run`,
      signals: { SIGINT: { kind: "exit", code: 0, after: MS, lines: [] } },
    };
  },
};

/** `ruby app.rb` with Sinatra: Thin serves it on `set :port` (4567). */
export const ruby: Program = {
  names: ["ruby"],
  reactions: {
    "thin-stop": (p, _at, now) => ({
      kind: "exit", code: 0, after: 3 * MS,
      lines: [line(MS, `${thinTime(now)} Stopping ...`, "stderr"), line(2 * MS, "== Sinatra has ended his set (crowd applauds)", "stderr")],
    }),
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args[0] === "-v" || args[0] === "--version") return exitPlan("ruby", 0, [line(60 * MS, "ruby 3.3.5 (2024-09-03 revision ef084cc8f4) [x86_64-linux-musl]")]);
    if (args[0] === "-e") return exitPlan("ruby", 0, [], 60 * MS);
    const script = args.find((a) => !a.startsWith("-"));
    if (script === undefined) return ctx.spec.interactive ? { ...basePlan("ruby") } : exitPlan("ruby", 0);
    const src = readSource(ctx.fs, ctx.spec.cwd || "/", script);
    if (src === undefined) return exitPlan("ruby", 1, [line(60 * MS, `ruby: No such file or directory -- ${script} (LoadError)`, "stderr")]);
    if (!/require\s+['"]sinatra['"]/.test(src)) return exitPlan("ruby", 0, [], 80 * MS);
    const port = Number(/set\s+:port\s*,\s*(\d+)/.exec(src)?.[1] ?? 4567);
    const bind = /set\s+:bind\s*,\s*['"]([^'"]+)['"]/.exec(src)?.[1] ?? "0.0.0.0";
    const at = 700 * MS;
    const t = thinTime(ctx.now + at);
    const lines = [
      line(at, `== Sinatra (v4.0.0) has taken the stage on ${port} for development with backup from Thin`, "stderr"),
      line(at, `${t} Thin web server (v1.8.2 codename Ruby Razor)`, "stderr"),
      line(at, `${t} Maximum connections set to 1024`, "stderr"),
      line(at, `${t} Listening on ${bind}:${port}, CTRL+C to stop`, "stderr"),
    ];
    const stop: Reaction = { kind: "call", fn: "thin-stop", params: {} };
    return {
      ...basePlan("ruby"), lines, ports: [port], memory: { base: 42 * MB, growPerSec: 0, max: null }, title: `ruby ${script}`,
      signals: { SIGTERM: stop, SIGINT: stop, SIGQUIT: stop },
    };
  },
};

function thinTime(us: Micros): string {
  return isoMillis(us).replace("T", " ").replace(/\.\d+Z$/, " +0000");
}

/**
 * A Python client loop (DockerCoins' worker): it logs its rounds once a second. How many it
 * manages depends on the services it calls, so its tick starts at rate 0 and the engine sets the
 * rate from the network (../network/load.ts) whenever the containers around it change.
 */
export const pythonApps: Program = {
  names: python.names,
  ticks: {
    "client-rounds": (p, k) => String(p["line"]).replace("%d", String(roundsIn(Number(p["rate"]), Number(p["phase"]), k))) + "\n",
  },
  start(ctx: StartContext): Plan | null {
    const script = ctx.spec.argv.slice(1).find((a) => !a.startsWith("-"));
    const src = script === undefined ? undefined : readSource(ctx.fs, ctx.spec.cwd || "/", script);
    const client = src === undefined ? null : appSpec("python", src, ctx.hostname).client;
    if (client === null) return python.start(ctx);
    return {
      ...basePlan("python"), memory: { base: 24 * MB, growPerSec: 0, max: null },
      tick: { from: MICROS_PER_SECOND, every: MICROS_PER_SECOND, count: null, gen: "client-rounds", params: { line: client.line, rate: 0, phase: 0 }, stream: "stderr" },
    };
  },
};

/** Rounds done in second k at `rate` per second: the integer steps of a running total. */
export function roundsIn(rate: number, phase: number, k: number): number {
  return Math.floor((k + 1) * rate + phase) - Math.floor(k * rate + phase);
}

export const APP_PROGRAMS: readonly Program[] = [flask, ruby, pythonApps];
