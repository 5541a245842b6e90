// The functions a template can call: Go's builtins (src/text/template/funcs.go) and
// docker/cli's additions (templates/templates.go), with Go's parameter types and error texts.
import { goJson } from "./gojson.js";
import { formatValue, goQuote, sprint, sprintf, sprintln } from "./gofmt.js";
import { isTrue, kindOf, mapGet, mapHasStringKeys, mapSize, mapZero, numberOf, structFields, typeName, utf8Bytes, utf8Decode } from "./value.js";

/** Parameter types: interface{} / reflect.Value, string, int, []string. */
export type Param = "any" | "string" | "int" | "strings";

export interface GoFunc {
  readonly params: readonly Param[];
  /** The element type of a final `...` parameter. */
  readonly variadic?: Param;
  /** Throws CallError for the error a Go function returns. */
  readonly call: (args: unknown[]) => unknown;
}

export type FuncMap = ReadonlyMap<string, GoFunc>;

/** An error returned by a template function ("error calling index: index out of range: 5"). */
export class CallError extends Error {}

const fail = (msg: string): never => {
  throw new CallError(msg);
};

// ---- indexing (funcs.go index, slice, indexArg) ----

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === "nil") fail("cannot index slice/array with nil");
  if (k !== "int") fail(`cannot index slice/array with type ${typeName(index)}`);
  const x = numberOf(index);
  if (x < 0 || x > cap) fail(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (kindOf(item) === "nil") fail("index of untyped nil");
  for (const ix of indexes) {
    switch (kindOf(item)) {
      case "nil":
        return fail("index of nil pointer");
      case "slice": {
        const arr = item as unknown[];
        const x = indexArg(ix, arr.length);
        if (x === arr.length) fail("reflect: slice index out of range");
        item = arr[x];
        break;
      }
      case "string": {
        const bytes = utf8Bytes(item as string);
        const x = indexArg(ix, bytes.length);
        if (x === bytes.length) fail("reflect: string index out of range");
        item = bytes[x]; // a byte (uint8), printed as a number
        break;
      }
      case "map": {
        const stringKeys = mapHasStringKeys(item);
        if (kindOf(ix) === "nil") fail(`value is nil; should be of type ${stringKeys ? "string" : "int"}`);
        if (stringKeys && typeof ix !== "string") fail(`value has type ${typeName(ix)}; should be string`);
        const [found, value] = mapGet(item, ix);
        item = found ? value : mapZero(item);
        break;
      }
      default:
        return fail(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  const k = kindOf(item);
  if (k === "nil") fail("slice of untyped nil");
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (k === "string") {
    if (indexes.length === 3) fail("cannot 3-index slice a string");
    len = utf8Bytes(item as string).length;
  } else if (k === "slice") len = (item as unknown[]).length;
  else return fail(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  if (idx[0]! > idx[1]!) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (k === "string") return utf8Decode(utf8Bytes(item as string).slice(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case "nil":
      return fail("reflect: call of reflect.Value.Type on zero Value");
    case "string":
      return utf8Bytes(item as string).length;
    case "slice":
      return (item as unknown[]).length;
    case "map":
      return mapSize(item);
    default:
      return fail(`len of type ${typeName(item)}`);
  }
}

// ---- comparison (funcs.go eq, lt, ...) ----
// Deliberate difference: JS numbers carry no int/float64 type, so int and float64 compare by
// value here where Go reports "incompatible types for comparison".

type Basic = "bool" | "number" | "string" | "invalid";
function basicKind(v: unknown): Basic {
  const k = kindOf(v);
  if (k === "int" || k === "float") return "number";
  if (k === "bool" || k === "string") return k;
  return "invalid";
}

function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function deepEqual(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  if (ka === "struct") {
    const fa = structFields(a);
    const fb = structFields(b);
    return fa.length === fb.length && fa.every(([k, v], i) => fb[i]![0] === k && deepEqual(v, fb[i]![1]));
  }
  if (ka === "int" || ka === "float") return numberOf(a) === numberOf(b);
  return a === b || (ka === "nil" && kindOf(b) === "nil");
}

const isComparable = (v: unknown): boolean => {
  const k = kindOf(v);
  return k !== "slice" && k !== "map" && k !== "func";
};

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) fail("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (kindOf(arg1) !== "nil" && kindOf(arg) !== "nil") fail(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
    } else if (k1 === "number") truth = numberOf(arg1) === numberOf(arg);
    else if (k1 !== "invalid") truth = arg1 === arg;
    else {
      const n1 = kindOf(arg1) === "nil";
      const n2 = kindOf(arg) === "nil";
      if (!n1 && !n2 && kindOf(arg1) !== kindOf(arg)) {
        fail(`non-comparable types ${formatValue(arg1, "s")}: ${typeName(arg1)}, ${typeName(arg)}: ${formatValue(arg, "v")}`);
      }
      if (n1 || n2) truth = n1 === n2;
      else if (!isComparable(arg)) fail(`non-comparable type ${formatValue(arg, "s")}: ${typeName(arg)}`);
      else truth = deepEqual(arg1, arg);
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  const k2 = basicKind(arg2);
  if (k1 === "invalid" || k2 === "invalid") fail("invalid type for comparison");
  if (k1 !== k2) fail(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  if (k1 === "bool") fail("invalid type for comparison");
  if (k1 === "number") return numberOf(arg1) < numberOf(arg2);
  return codePointCompare(arg1 as string, arg2 as string) < 0;
}

// ---- escapers (funcs.go HTMLEscaper, JSEscaper, URLQueryEscaper) ----

/** Go's evalArgs: a single string argument as is, anything else through fmt.Sprint. */
const evalArgs = (args: unknown[]): string => (args.length === 1 && typeof args[0] === "string" ? args[0] : sprint(args));

const HTML_ESCAPES = new Map([['"', "&#34;"], ["'", "&#39;"], ["&", "&amp;"], ["<", "&lt;"], [">", "&gt;"], ["\0", "\uFFFD"]]);
const htmlEscape = (s: string): string => [...s].map((c) => HTML_ESCAPES.get(c) ?? c).join("");

const JS_ESCAPES = new Map([["\\", "\\\\"], ["'", "\\'"], ['"', '\\"'], ["<", "\\u003C"], [">", "\\u003E"], ["&", "\\u0026"], ["=", "\\u003D"]]);
function jsEscape(s: string): string {
  return [...s]
    .map((c) => {
      const mapped = JS_ESCAPES.get(c);
      if (mapped !== undefined) return mapped;
      const cp = c.codePointAt(0)!;
      if (cp < 0x20) return "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
      if (cp >= 0x80 && goQuote(c) !== `"${c}"`) return "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
      return c;
    })
    .join("");
}

function queryEscape(s: string): string {
  let out = "";
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// ---- docker/cli templates.go ----

/** strings.Title: upper-case the first letter of each word (words end at non-letters/digits/_). */
function title(s: string): string {
  const isSeparator = (r: string): boolean => {
    if (r.codePointAt(0)! <= 0x7f) return !/[0-9a-zA-Z_]/.test(r);
    if (/[\p{L}\p{Nd}]/u.test(r)) return false;
    return /\s/u.test(r);
  };
  let prev = " ";
  let out = "";
  for (const r of s) {
    out += isSeparator(prev) ? r.toUpperCase() : r;
    prev = r;
  }
  return out;
}

/** strings.Split: an empty separator splits after each UTF-8 sequence. */
const split = (s: string, sep: string): string[] => (sep === "" ? [...s] : s.split(sep));

/** docker's truncateWithLength: Go slices bytes (source[:length]). */
function truncate(source: string, len: number): string {
  const bytes = utf8Bytes(source);
  if (bytes.length < len) return source;
  if (len < 0) fail(`runtime error: slice bounds out of range [:${len}]`);
  return utf8Decode(bytes.slice(0, len));
}

const f = (params: Param[], call: (a: unknown[]) => unknown, variadic?: Param): GoFunc =>
  variadic === undefined ? { params, call } : { params, call, variadic };

/** Go's builtin functions. */
export const BUILTINS: FuncMap = new Map<string, GoFunc>([
  ["and", f(["any"], () => undefined, "any")], // short-circuits in exec.ts
  ["or", f(["any"], () => undefined, "any")],
  ["not", f(["any"], ([a]) => !isTrue(a))],
  ["len", f(["any"], ([a]) => length(a))],
  ["index", f(["any"], ([item, ...ix]) => index(item, ...ix), "any")],
  ["slice", f(["any"], ([item, ...ix]) => slice(item, ...ix), "any")],
  ["print", f([], (a) => sprint(a), "any")],
  ["printf", f(["string"], ([format, ...a]) => sprintf(format as string, a), "any")],
  ["println", f([], (a) => sprintln(a), "any")],
  ["html", f([], (a) => htmlEscape(evalArgs(a)), "any")],
  ["js", f([], (a) => jsEscape(evalArgs(a)), "any")],
  ["urlquery", f([], (a) => queryEscape(evalArgs(a)), "any")],
  ["call", f(["any"], ([fn, ...a]) => {
    if (kindOf(fn) === "nil") fail("call of nil");
    if (typeof fn !== "function") fail(`non-function of type ${typeName(fn)}`);
    const callee = fn as (...x: unknown[]) => unknown;
    if (a.length !== callee.length) fail(`wrong number of args: got ${a.length} want ${callee.length}`);
    return callee(...a);
  }, "any")],
  ["eq", f(["any"], ([a, ...b]) => eq(a, ...b), "any")],
  ["ne", f(["any", "any"], ([a, b]) => !eq(a, b))],
  ["lt", f(["any", "any"], ([a, b]) => lt(a, b))],
  ["le", f(["any", "any"], ([a, b]) => lt(a, b) || eq(a, b))],
  ["gt", f(["any", "any"], ([a, b]) => !(lt(a, b) || eq(a, b)))],
  ["ge", f(["any", "any"], ([a, b]) => !lt(a, b))],
]);

/** docker/cli's basicFunctions (templates/templates.go). */
export const DOCKER_FUNCS: FuncMap = new Map<string, GoFunc>([
  // json.NewEncoder with SetEscapeHTML(false), trailing newline trimmed; an error gives "".
  ["json", f(["any"], ([v]) => {
    try {
      return goJson(v, { escapeHTML: false });
    } catch {
      return "";
    }
  })],
  ["split", f(["string", "string"], ([s, sep]) => split(s as string, sep as string))],
  ["join", f(["strings", "string"], ([a, sep]) => (a as string[]).join(sep as string))],
  ["title", f(["string"], ([s]) => title(s as string))],
  ["lower", f(["string"], ([s]) => (s as string).toLowerCase())],
  ["upper", f(["string"], ([s]) => (s as string).toUpperCase())],
  // padWithSpace: spaces around a non-empty string.
  ["pad", f(["string", "int", "int"], ([s, pre, post]) => (s === "" ? "" : " ".repeat(Math.max(0, pre as number)) + (s as string) + " ".repeat(Math.max(0, post as number))))],
  ["truncate", f(["string", "int"], ([s, n]) => truncate(s as string, n as number))],
]);

/** docker/cli's HeaderFunctions: table headers stay as they are (pad is not overridden). */
export const HEADER_FUNCS: FuncMap = new Map<string, GoFunc>([
  ["json", f(["string"], ([v]) => v)],
  ["split", f(["string", "string"], ([v]) => v)],
  ["join", f(["string", "string"], ([v]) => v)],
  ["title", f(["string"], ([v]) => v)],
  ["lower", f(["string"], ([v]) => v)],
  ["upper", f(["string"], ([v]) => v)],
  ["truncate", f(["string", "int"], ([v]) => v)],
]);

/** The builtins overlaid with `extra` (a template's own functions win, as in Go's findFunction). */
export function withFuncs(...maps: FuncMap[]): FuncMap {
  const out = new Map(BUILTINS);
  for (const m of maps) for (const [k, v] of m) out.set(k, v);
  return out;
}
