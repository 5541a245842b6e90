// Manifests as kubectl reads them: a file of YAML documents split on `---` lines, each converted to
// JSON as sigs.k8s.io/yaml does (YAML 1.1: `yes` is true; anchors, aliases and `<<` merges
// resolved; keys as strings), then checked against the kinds' OpenAPI shapes with kubectl's
// client-side validation texts. Errors carry kubectl's words and, in `location`, the line and
// column in the file.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { SourceLocation } from "@drydock/kernel";
import { KUBE_ERRORS, KubeError } from "../errors.js";
import { DEFINITIONS, KIND_DEFINITION, type FieldType } from "./schema.js";
import { KINDS, isKind, type KubeObject } from "./types.js";
import { encodeBytes } from "../util/base64.js";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ManifestDocument {
  readonly object: KubeObject;
  /** The document's index in the file (counting empty ones) and its first line. */
  readonly index: number;
  readonly line: number;
}

const ALIASES_MAX = 1000;

/** A YAML error as go-yaml words it, from the `yaml` library's error code and message. */
function goYamlText(code: string, message: string): string {
  switch (code) {
    case "BLOCK_AS_IMPLICIT_KEY": return "mapping values are not allowed in this context";
    case "MULTILINE_IMPLICIT_KEY": return "could not find expected ':'";
    case "TAB_AS_INDENT": case "BAD_SCALAR_START": return "found character that cannot start any token";
    case "MISSING_CHAR": return message.includes("quote") ? "found unexpected end of stream" : "could not find expected ':'";
    case "BAD_INDENT":
      if (message.startsWith("Flow sequence")) return "did not find expected ',' or ']'";
      if (message.startsWith("Flow map")) return "did not find expected ',' or '}'";
      return "did not find expected key";
    case "UNEXPECTED_TOKEN": return "did not find expected key";
    default: return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  }
}

interface Walk {
  readonly doc: Document;
  readonly lc: LineCounter;
  readonly positions: Map<string, SourceLocation>;
  aliases: number;
}

const pathText = (path: readonly (string | number)[]): string =>
  path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out === "" ? p : `${out}.${p}`), "");

function scalarJson(v: unknown, source: string): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  // The library's YAML 1.1 floats take "." as NaN; go-yaml takes it as a string.
  if (typeof v === "number") return Number.isFinite(v) ? v : /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(source) ? String(v) : source;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString().replace(".000Z", "Z");
  if (v instanceof Uint8Array) return encodeBytes(v);
  return String(v);
}

function toJson(w: Walk, node: Node | null, path: (string | number)[], file: string): Json {
  if (node === null) return null;
  const at = (n: Node) => {
    if (!n.range) return;
    const p = w.lc.linePos(n.range[0]);
    const key = pathText(path);
    if (!w.positions.has(key)) w.positions.set(key, { line: p.line, column: p.col });
  };
  if (isAlias(node)) {
    const p = w.lc.linePos(node.range?.[0] ?? 0);
    const where = { line: p.line, column: p.col };
    if (++w.aliases > ALIASES_MAX) throw new KubeError("YAML", `error parsing ${file}: error converting YAML to JSON: yaml: document contains excessive aliasing`, where, file);
    const target = node.resolve(w.doc);
    if (!target) throw new KubeError("YAML", `error parsing ${file}: error converting YAML to JSON: yaml: unknown anchor '${node.source}' referenced`, where, file);
    at(node);
    return toJson(w, target as Node, path, file);
  }
  at(node);
  if (isScalar(node)) return scalarJson(node.value, node.source ?? "");
  if (isSeq(node)) return node.items.map((item, i) => toJson(w, item as Node | null, [...path, i], file));
  if (isMap(node)) {
    const out: { [key: string]: Json } = {};
    const merged: { [key: string]: Json }[] = [];
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const kv = k === null ? null : isScalar(k) ? (typeof k.value === "number" ? scalarJson(k.value, k.source ?? "") : k.value) : isAlias(k) ? (k.resolve(w.doc) as (Node & { value?: unknown }) | undefined)?.value : k.toJSON();
      // With `merge`, the library gives a `<<` key as a symbol.
      const key = typeof kv === "symbol" ? "<<" : kv === null || kv === undefined ? "null" : typeof kv === "object" ? JSON.stringify(kv) : String(kv);
      const value = pair.value as Node | null;
      if (key === "<<" && value !== null && (isAlias(value) || isMap(value) || isSeq(value))) {
        const v = toJson(w, value, path, file);
        for (const m of Array.isArray(v) ? v : [v]) if (m !== null && typeof m === "object" && !Array.isArray(m)) merged.push(m);
        continue;
      }
      if (k?.range) {
        const p = w.lc.linePos(k.range[0]);
        w.positions.set(pathText([...path, key]), { line: p.line, column: p.col });
      }
      Object.defineProperty(out, key, { value: toJson(w, value, [...path, key], file), enumerable: true, writable: true, configurable: true });
    }
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!Object.hasOwn(out, k)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  }
  return null;
}

/** One YAML document of a file, as JSON, with the positions of its values by path. */
export interface JsonDocument {
  readonly value: Json;
  readonly index: number;
  /** The document's first line in the file; kubectl counts error lines from it. */
  readonly line: number;
  readonly positions: ReadonlyMap<string, SourceLocation>;
}

/**
 * Splits and converts a file's documents. A syntax error is kubectl's "error parsing FILE: error
 * converting YAML to JSON: yaml: line N: ..." with N counted within the document, as kubectl reads
 * each document on its own; `location` is the line and column in the file.
 */
export function parseYamlDocuments(text: string, file: string): JsonDocument[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, merge: true, version: "1.1", prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const out: JsonDocument[] = [];
  const separators: number[] = [];
  text.split("\n").forEach((l, i) => { if (/^---(\s|$)/.test(l)) separators.push(i + 1); });
  list.forEach((doc, index) => {
    // kubectl's reader starts a document after each `---` line; lines count from there.
    const contentLine = lc.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    let docLine = 1;
    for (const l of separators) if (l < contentLine || (l === contentLine && doc.contents === null)) docLine = l + 1;
    const relative = (line: number) => Math.max(1, line - docLine + 1);
    const err = doc.errors[0];
    if (err) {
      const pos = lc.linePos(err.pos[0]);
      const location = { line: pos.line, column: pos.col };
      if (err.code === "DUPLICATE_KEY") {
        const keyText = text.slice(err.pos[0], err.pos[1]).replace(/\s*:$/, "");
        throw new KubeError("YAML", `error parsing ${file}: error converting YAML to JSON: yaml: unmarshal errors:\n  line ${relative(pos.line)}: key ${JSON.stringify(keyText)} already set in map`, location, file);
      }
      throw new KubeError("YAML", KUBE_ERRORS.YAML(file, relative(pos.line), goYamlText(err.code, err.message)), location, file);
    }
    const positions = new Map<string, SourceLocation>();
    const value = doc.contents === null ? null : toJson({ doc, lc, positions, aliases: 0 }, doc.contents as Node, [], file);
    out.push({ value, index, line: docLine, positions });
  });
  return out;
}

// ---- validation (kube-openapi pkg/util/proto/validation, as kubectl used it) -----------------------

const jsonType = (v: Json): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "map" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v === "boolean" ? "boolean" : "string";

interface Problem { readonly text: string; readonly path: string }

function validate(value: Json, type: FieldType, docPath: string, schemaPath: string, out: Problem[]): void {
  if (value === null) return;
  const got = jsonType(value);
  const wrong = (expected: string, at = schemaPath) => out.push({ path: docPath, text: `ValidationError(${docPath}): invalid type for ${at}: got "${got}", expected "${expected}"` });
  if (typeof type === "string") {
    switch (type) {
      case "object": return;
      case "string": if (got !== "string") wrong("string"); return;
      case "boolean": if (got !== "boolean") wrong("boolean"); return;
      case "integer": if (got !== "integer") wrong("integer"); return;
      case "number": if (got !== "integer" && got !== "number") wrong("number"); return;
      case "int-or-string": if (got !== "integer" && got !== "string") wrong("string"); return;
      case "quantity": if (got !== "integer" && got !== "number" && got !== "string") wrong("string"); return;
    }
  }
  if ("array" in type) {
    if (!Array.isArray(value)) { wrong("array"); return; }
    value.forEach((item, i) => validate(item, type.array, `${docPath}[${i}]`, schemaPath, out));
    return;
  }
  if ("map" in type) {
    if (got !== "map") { wrong("map"); return; }
    for (const [k, v] of Object.entries(value as Record<string, Json>)) validate(v, type.map, `${docPath}.${k}`, schemaPath, out);
    return;
  }
  const def = DEFINITIONS[type.ref]!;
  if (got !== "map") { wrong("map", type.ref); return; }
  const obj = value as Record<string, Json>;
  for (const [k, v] of Object.entries(obj)) {
    if (!Object.hasOwn(def.fields, k)) out.push({ path: `${docPath}.${k}`, text: `ValidationError(${docPath}): unknown field ${JSON.stringify(k)} in ${type.ref}` });
    else validate(v, def.fields[k]!, `${docPath}.${k}`, `${type.ref}.${k}`, out);
  }
  for (const r of def.required ?? []) {
    if (!Object.hasOwn(obj, r)) out.push({ path: docPath, text: `ValidationError(${docPath}): missing required field ${JSON.stringify(r)} in ${type.ref}` });
  }
}

/** The location of a document path (`Deployment.spec.replica`) in the file, or of its nearest parent. */
function locate(doc: JsonDocument, docPath: string): SourceLocation {
  let p = docPath.slice(docPath.indexOf(".") + 1);
  if (p === docPath) p = "";
  for (;;) {
    const at = doc.positions.get(p);
    if (at) return at;
    if (p === "") return { line: doc.line, column: 1 };
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut < 0 ? "" : p.slice(0, cut);
  }
}

/**
 * Checks one document as kubectl does before sending it: apiVersion and kind set, a kind the server
 * serves in that version, and the kind's shape (unknown fields, types, required fields).
 */
export function validateDocument(doc: JsonDocument, file: string): KubeObject {
  const v = doc.value;
  const obj = v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
  const missing = [...(typeof obj["apiVersion"] !== "string" || obj["apiVersion"] === "" ? ["apiVersion not set"] : []), ...(typeof obj["kind"] !== "string" || obj["kind"] === "" ? ["kind not set"] : [])];
  if (missing.length > 0) {
    throw new KubeError("MISSING_KIND", KUBE_ERRORS.MISSING_KIND(file, missing.length === 1 ? missing[0]! : `[${missing.join(", ")}]`), { line: doc.line, column: 1 }, file);
  }
  const kind = obj["kind"] as string;
  const apiVersion = obj["apiVersion"] as string;
  if (!isKind(kind) || KINDS[kind].apiVersion !== apiVersion) {
    const meta = obj["metadata"];
    const name = meta !== null && typeof meta === "object" && !Array.isArray(meta) && typeof meta["name"] === "string" ? meta["name"] : "";
    const ns = meta !== null && typeof meta === "object" && !Array.isArray(meta) && typeof meta["namespace"] === "string" ? meta["namespace"] : "";
    throw new KubeError("NO_KIND", KUBE_ERRORS.NO_KIND(file, kind, apiVersion, name, ns), locate(doc, `${kind}.kind`), file);
  }
  const problems: Problem[] = [];
  const normalized = zeroNulls(obj, { ref: KIND_DEFINITION[kind]! }) as Record<string, Json>;
  validate(normalized, { ref: KIND_DEFINITION[kind]! }, kind, KIND_DEFINITION[kind]!, problems);
  if (problems.length > 0) {
    const texts = [...new Set(problems.map((p) => p.text))];
    throw new KubeError("VALIDATION", KUBE_ERRORS.VALIDATION(file, texts.length === 1 ? texts[0]! : `[${texts.join(", ")}]`), locate(doc, problems[0]!.path), file);
  }
  return { ...normalized, metadata: normalized["metadata"] ?? {} } as unknown as KubeObject;
}

/**
 * Go decodes a null as the field's zero value: a missing field, an empty struct in a list, an
 * empty string. The objects drydock builds never hold null, whatever the manifest said.
 */
function zeroNulls(v: Json, type: FieldType): Json {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const item = typeof type === "object" && "array" in type ? type.array : "object";
    const zero: Json | undefined = typeof item === "object" && "ref" in item ? {} : item === "string" ? "" : item === "integer" || item === "number" ? 0 : item === "boolean" ? false : undefined;
    return v.flatMap((x) => (x === null ? (zero === undefined ? [] : [zero]) : [zeroNulls(x, item)]));
  }
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    const fields = typeof type === "object" && "ref" in type ? DEFINITIONS[type.ref]?.fields : undefined;
    const field: FieldType = fields && Object.hasOwn(fields, k) ? fields[k]! : typeof type === "object" && "map" in type ? type.map : "object";
    Object.defineProperty(out, k, { value: zeroNulls(x, field), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Every object in a file, in order (empty documents skipped). The first error stops the whole file, as kubectl builds every object before it sends one. */
export function loadManifests(text: string, file: string): ManifestDocument[] {
  return parseYamlDocuments(text, file)
    .filter((d) => d.value !== null)
    .map((d) => ({ object: validateDocument(d, file), index: d.index, line: d.line }));
}
