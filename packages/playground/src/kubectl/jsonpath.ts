// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath: parser.go, jsonpath.go): text with
// `{…}` actions; in an action `$`/`@`, `.field` (`\.` escapes a dot in a key), `..field`, `[n]`,
// `[a:b:c]`, `[*]`, `.*`, unions `[1,3]` and `['a.b','c']`, filters `[?(@.x=="y")]` (==, !=, <, >,
// <=, >=, or a path that exists), quoted text `{"\n"}`, and `{range …}…{end}`. An action's results
// print space-separated: strings as they are, everything else as JSON. No library speaks this
// dialect (JSONPath libraries on npm have no templates, range or kubectl's quoting), so it is here.
// kubectl get sets AllowMissingKeys: a missing field prints nothing. Objects are walked in their
// keys' order (the API's JSON, as apiObject gives it, has them sorted).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

type Step =
  | { readonly t: "field"; readonly name: string }
  | { readonly t: "recursive" }
  | { readonly t: "wildcard" }
  | { readonly t: "index"; readonly start: number | null; readonly end: number | null; readonly step: number | null; readonly single: boolean }
  | { readonly t: "union"; readonly paths: readonly (readonly Step[])[] }
  | { readonly t: "filter"; readonly left: readonly Step[]; readonly op: string | null; readonly right: readonly Step[] | Json };

type Node =
  | { readonly t: "text"; readonly text: string }
  | { readonly t: "path"; readonly steps: readonly Step[] }
  | { readonly t: "range"; readonly steps: readonly Step[]; readonly body: readonly Node[] };

export class JsonPathError extends Error {}

/** Parses a template; parse errors in client-go's words. */
export function parseJsonPath(template: string): readonly Node[] {
  const root: Node[] = [];
  const stack: { steps: Step[]; body: Node[] }[] = [];
  const out = () => (stack.length > 0 ? stack[stack.length - 1]!.body : root);
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) { out().push({ t: "text", text: template.slice(i) }); break; }
    if (open > i) out().push({ t: "text", text: template.slice(i, open) });
    const close = actionEnd(template, open + 1);
    if (close < 0) throw new JsonPathError("unclosed action");
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action === "end") {
      const r = stack.pop();
      if (!r) throw new JsonPathError("not in range, nothing to end");
      out().push({ t: "range", steps: r.steps, body: r.body });
      continue;
    }
    if (action.startsWith("range ") || action.startsWith("range\t")) {
      stack.push({ steps: parsePath(action.slice(6).trim()), body: [] });
      continue;
    }
    const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(action);
    if (quoted) { out().push({ t: "text", text: unquote(quoted[1]!) }); continue; }
    out().push({ t: "path", steps: parsePath(action) });
  }
  if (stack.length > 0) throw new JsonPathError("range not closed: missing {end}");
  return root;
}

/** The `}` closing an action, skipping quoted text. */
function actionEnd(s: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === "}") return i;
  }
  return -1;
}

function unquote(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c));
}

function parsePath(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  if (src[0] === "$" || src[0] === "@") i = 1;
  else if (src !== "" && src[0] !== "." && src[0] !== "[") {
    // A bare identifier: client-go knows none but range/end.
    const word = /^[\w-]+/.exec(src)?.[0] ?? src;
    throw new JsonPathError(`unrecognized identifier ${word}`);
  }
  while (i < src.length) {
    const c = src[i]!;
    if (c === ".") {
      if (src[i + 1] === ".") {
        steps.push({ t: "recursive" });
        while (src[i + 1] === ".") i++;
      }
      i++;
      if (src[i] === "*") { steps.push({ t: "wildcard" }); i++; continue; }
      let name = "";
      while (i < src.length && src[i] !== "." && src[i] !== "[" && !/\s/.test(src[i]!)) {
        if (src[i] === "\\" && src[i + 1] === ".") { name += "."; i += 2; continue; }
        name += src[i]!;
        i++;
      }
      if (name !== "") steps.push({ t: "field", name });
      continue;
    }
    if (c === "[") {
      const close = bracketEnd(src, i);
      if (close < 0) throw new JsonPathError("unterminated array");
      steps.push(parseBracket(src.slice(i + 1, close).trim()));
      i = close + 1;
      continue;
    }
    if (/\s/.test(c)) { i++; continue; }
    throw new JsonPathError(`unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${c}'`);
  }
  return steps;
}

function bracketEnd(s: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") { depth--; if (depth === 0) return i; }
  }
  return -1;
}

function parseBracket(inner: string): Step {
  if (inner === "*") return { t: "wildcard" };
  if (inner.startsWith("?(") && inner.endsWith(")")) return parseFilter(inner.slice(2, -1).trim());
  const parts = splitTop(inner, ",");
  if (parts.every((p) => /^\s*'[^']*'\s*$|^\s*"[^"]*"\s*$/.test(p))) {
    // ['metadata.name', 'status.capacity']: each a path from here.
    const paths = parts.map((p) => p.trim().slice(1, -1).split(/(?<!\\)\./).map((name): Step => ({ t: "field", name: name.replace(/\\\./g, ".") })));
    return { t: "union", paths };
  }
  if (parts.length > 1) return { t: "union", paths: parts.map((p) => [parseIndex(p.trim())]) };
  return parseIndex(inner);
}

function parseIndex(text: string): Step {
  const num = (s: string | undefined) => {
    if (s === undefined || s.trim() === "") return null;
    if (!/^\s*-?\d+\s*$/.test(s)) throw new JsonPathError(`invalid array index ${s.trim()}`);
    return Number(s);
  };
  const parts = text.split(":");
  if (parts.length > 3) throw new JsonPathError(`invalid array index ${text}`);
  if (parts.length === 1) {
    const n = num(parts[0]);
    if (n === null) throw new JsonPathError(`invalid array index ${text}`);
    return { t: "index", start: n, end: null, step: null, single: true };
  }
  return { t: "index", start: num(parts[0]), end: num(parts[1]), step: num(parts[2]), single: false };
}

function parseFilter(text: string): Step {
  const m = /^(.*?)\s*(==|!=|<=|>=|<>|=~|<|>)\s*(.*)$/.exec(text);
  if (!m) return { t: "filter", left: parsePath(text), op: null, right: null };
  const op = m[2]!;
  if (op === "<>" || op === "=~") throw new JsonPathError(`unrecognized filter operator ${op}`);
  const r = m[3]!.trim();
  let right: readonly Step[] | Json;
  if (/^"(.*)"$|^'(.*)'$/.test(r)) right = r.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(r)) right = Number(r);
  else if (r === "true" || r === "false") right = r === "true";
  else right = parsePath(r);
  return { t: "filter", left: parsePath(m[1]!.trim()), op, right };
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) { if (c === quote) quote = null; cur += c; continue; }
    if (c === '"' || c === "'") quote = c;
    if (c === sep) { out.push(cur); cur = ""; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

// ---- evaluation ----------------------------------------------------------------------------------

const isObject = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === "object" && !Array.isArray(v);

function walk(values: readonly Json[], steps: readonly Step[]): Json[] {
  let cur: Json[] = [...values];
  for (const s of steps) cur = cur.flatMap((v) => stepOne(v, s));
  return cur;
}

function stepOne(v: Json, s: Step): Json[] {
  switch (s.t) {
    case "field": return isObject(v) && Object.hasOwn(v, s.name) ? [v[s.name]!] : [];
    case "wildcard": return Array.isArray(v) ? v : isObject(v) ? Object.keys(v).map((k) => v[k]!) : [];
    case "recursive": return descendants(v);
    case "index": {
      if (!Array.isArray(v)) return [];
      const n = v.length;
      const norm = (x: number) => (x < 0 ? x + n : x);
      if (s.single) { const i = norm(s.start!); return i >= 0 && i < n ? [v[i]!] : []; }
      const start = Math.max(0, Math.min(n, s.start === null ? 0 : norm(s.start)));
      const end = Math.max(0, Math.min(n, s.end === null ? n : norm(s.end)));
      const step = s.step === null || s.step <= 0 ? 1 : s.step;
      const out: Json[] = [];
      for (let i = start; i < end; i += step) out.push(v[i]!);
      return out;
    }
    case "union": return s.paths.flatMap((p) => walk([v], p));
    case "filter": {
      const items = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).map((k) => v[k]!) : [];
      return items.filter((item) => {
        const left = walk([item], s.left);
        if (s.op === null) return left.length > 0;
        if (left.length === 0) return false;
        const right = Array.isArray(s.right) ? walk([item], s.right as Step[]) : [s.right as Json];
        if (right.length === 0) return false;
        return compare(left[0]!, s.op, right[0]!);
      });
    }
  }
}

function descendants(v: Json): Json[] {
  const out: Json[] = [v];
  if (Array.isArray(v)) for (const x of v) out.push(...descendants(x));
  else if (isObject(v)) for (const k of Object.keys(v)) out.push(...descendants(v[k]!));
  return out;
}

function compare(a: Json, op: string, b: Json): boolean {
  if (op === "==") return JSON.stringify(a) === JSON.stringify(b);
  if (op === "!=") return JSON.stringify(a) !== JSON.stringify(b);
  if (typeof a !== "number" || typeof b !== "number") return false;
  return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
}

/** How client-go prints one result: strings as they are, everything else as JSON. */
export function jsonText(v: Json): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Runs a template over a value. */
export function executeJsonPath(nodes: readonly Node[], data: unknown): string {
  const run = (ns: readonly Node[], cur: Json): string => {
    let out = "";
    for (const n of ns) {
      if (n.t === "text") out += n.text;
      else if (n.t === "path") out += walk([cur], n.steps).map(jsonText).join(" ");
      else {
        const items = walk([cur], n.steps).flatMap((x) => (Array.isArray(x) && n.steps.at(-1)?.t !== "wildcard" && n.steps.at(-1)?.t !== "index" ? x : [x]));
        for (const item of items) out += run(n.body, item);
      }
    }
    return out;
  };
  return run(nodes, data as Json);
}

/** fmt's %v of a decoded JSON value, as custom-columns prints a cell's value: map[k:v], [a b]. */
export function goValue(v: Json): string {
  if (v === null) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k]!)}`).join(" ")}]`;
  return String(v);
}

/** The values of one path (custom-columns' cells). */
export function findJsonPath(nodes: readonly Node[], data: unknown): Json[] {
  return nodes.flatMap((n) => (n.t === "path" ? walk([data as Json], n.steps) : []));
}

/**
 * RelaxedJSONPathExpression (kubectl get/customcolumn.go): `.a.b`, `a.b`, `{.a.b}` all mean `{.a.b}`.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr === "") return expr;
  const m = /^\{?(\.?[^{}]+)\}?$/.exec(expr);
  if (!m) throw new JsonPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  const inner = m[1]!;
  return `{${inner.startsWith(".") ? inner : `.${inner}`}}`;
}
