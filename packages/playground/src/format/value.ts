// How JavaScript data is seen as Go values by the template engine.
//
// The rule (one place, used everywhere):
//   null, undefined        -> nil (Go's nil interface{}: prints "<no value>", "null" in JSON)
//   string, boolean        -> string, bool
//   number                 -> int when it is an integer, float64 otherwise; `goFloat(n)` forces
//                             float64 (template literals such as 1.0 are float64 this way)
//   Array                  -> a slice
//   Map, or goMap(obj)     -> a Go map: `.key` of a missing key is "<no value>"; keys sorted
//   goStruct(obj, name)    -> a Go struct: `.Missing` is "can't evaluate field Missing in type
//                             name"; lower-case fields are unexported; function-valued
//                             properties are methods (called with the template's arguments)
//   any other object       -> a struct when it has keys and every key starts with an upper-case
//                             letter (Go's exported fields), otherwise a map
// Values are looked up with Object.hasOwn and Map.get only: `.constructor` never reaches
// Object.prototype.

const KIND = Symbol("drydock.goKind");
const TYPE_NAME = Symbol("drydock.goTypeName");

/** A float64 whose value happens to be integral (JS numbers carry no int/float distinction). */
export class GoFloat {
  constructor(readonly value: number) {}
}

export function goFloat(value: number): GoFloat {
  return new GoFloat(value);
}

/** Marks a plain object as a Go map (keys sorted when printed or ranged over). */
export function goMap<T extends object>(obj: T): T {
  Object.defineProperty(obj, KIND, { value: "map", enumerable: false });
  return obj;
}

/** Marks a plain object as a Go struct; `typeName` appears in errors ("in type <name>"). */
export function goStruct<T extends object>(obj: T, typeName?: string): T {
  Object.defineProperty(obj, KIND, { value: "struct", enumerable: false });
  if (typeName !== undefined) Object.defineProperty(obj, TYPE_NAME, { value: typeName, enumerable: false });
  return obj;
}

export type GoKind = "nil" | "string" | "bool" | "int" | "float" | "slice" | "map" | "struct" | "func";

type Obj = Record<string, unknown>;

export function kindOf(v: unknown): GoKind {
  if (v === null || v === undefined) return "nil";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "bigint":
      return "int";
    case "function":
      return "func";
    case "object":
      break;
    default:
      return "nil"; // symbols: treated as nothing
  }
  if (v instanceof GoFloat) return "float";
  if (Array.isArray(v)) return "slice";
  if (v instanceof Map) return "map";
  const marked = (v as { [KIND]?: string })[KIND];
  if (marked === "map" || marked === "struct") return marked;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^\p{Lu}/u.test(k)) ? "struct" : "map";
}

/** A number as a JS number (for int, float and GoFloat values). */
export function numberOf(v: unknown): number {
  if (v instanceof GoFloat) return v.value;
  if (typeof v === "bigint") return Number(v);
  return v as number;
}

/** The entries of a map value, keys sorted as Go's fmtsort does (numbers numerically, strings by code point). */
export function mapEntries(v: unknown): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.keys(v as Obj).map((k) => [k, (v as Obj)[k]]);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  // Code point order (Go compares UTF-8 bytes, which orders like code points).
  const xs = [...x];
  const ys = [...y];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const d = xs[i]!.codePointAt(0)! - ys[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return xs.length - ys.length;
}

/** Looks a key up in a map value: [found, value]. */
export function mapGet(m: unknown, key: unknown): [boolean, unknown] {
  if (m instanceof Map) return m.has(key) ? [true, m.get(key)] : [false, undefined];
  if (typeof key !== "string" || !Object.hasOwn(m as Obj, key)) return [false, undefined];
  return [true, (m as Obj)[key]];
}

export function mapSize(m: unknown): number {
  return m instanceof Map ? m.size : Object.keys(m as Obj).length;
}

/** Whether every key of the map is a string (Go: the key type is string). */
export function mapHasStringKeys(m: unknown): boolean {
  return !(m instanceof Map) || [...m.keys()].every((k) => typeof k === "string");
}

/** A struct's fields in declaration (insertion) order, methods excluded. */
export function structFields(v: unknown): [string, unknown][] {
  return Object.keys(v as Obj)
    .filter((k) => typeof (v as Obj)[k] !== "function")
    .map((k) => [k, (v as Obj)[k]]);
}

/** [found, value] of a struct's field or method. */
export function structGet(v: unknown, name: string): [boolean, unknown] {
  return Object.hasOwn(v as Obj, name) ? [true, (v as Obj)[name]] : [false, undefined];
}

/** Go's exported identifiers start with an upper-case letter. */
export function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

function elemTypeName(values: unknown[]): string {
  const names = new Set(values.map((x) => (kindOf(x) === "nil" ? "interface {}" : typeName(x))));
  if (names.size === 1) {
    const only = [...names][0]!;
    if (only === "string" || only === "int" || only === "bool" || only === "float64") return only;
  }
  return values.length === 0 ? "string" : "interface {}";
}

/** The Go type name used in error messages ("int", "[]string", "map[string]interface {}"). */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case "nil":
      return "<nil>";
    case "string":
      return "string";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "func":
      return "func()";
    case "slice":
      return "[]" + elemTypeName(v as unknown[]);
    case "map": {
      const entries = mapEntries(v);
      const key = entries.every(([k]) => typeof k === "number") && entries.length > 0 ? "int" : "string";
      return `map[${key}]${elemTypeName(entries.map(([, x]) => x))}`;
    }
    case "struct": {
      const name = (v as { [TYPE_NAME]?: string })[TYPE_NAME];
      if (name !== undefined) return name;
      const fields = structFields(v).map(([k, x]) => `${k} ${kindOf(x) === "nil" ? "interface {}" : typeName(x)}`);
      return fields.length === 0 ? "struct {}" : `struct { ${fields.join("; ")} }`;
    }
  }
}

/** Go's zero value for a missing key of this map, as `index` returns it: "" for string-valued maps. */
export function mapZero(m: unknown): unknown {
  return elemTypeName(mapEntries(m).map(([, x]) => x)) === "string" ? "" : undefined;
}

/** Go's template truth: not the zero value of its type (isTrue in text/template/exec.go). */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case "nil":
      return false;
    case "string":
      return (v as string).length > 0;
    case "bool":
      return v as boolean;
    case "int":
    case "float":
      return numberOf(v) !== 0;
    case "slice":
      return (v as unknown[]).length > 0;
    case "map":
      return mapSize(v) > 0;
    case "struct":
    case "func":
      return true;
  }
}

/** The UTF-8 bytes of a string (Go strings are byte strings: len, index and slice count bytes). */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function utf8Decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
