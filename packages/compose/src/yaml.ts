// YAML as compose reads it, through eemeli's `yaml` (its Document API gives each value's line and
// column): mappings become Maps (a service called `constructor` is an ordinary key), anchors and
// aliases are resolved, `<<` merge keys merge, and every value's position is kept by its path.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { SourceLocation } from "@drydock/kernel";
import { ComposeError } from "./errors.js";

export type Raw = string | number | boolean | null | RawMap | Raw[];
export type RawMap = Map<string, Raw>;

/** A path into a compose file: keys and list indexes. */
export type Path = readonly (string | number)[];

/** drydock's notation for a path: `services.web.ports[0]`. */
export function pathText(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/** compose-go's tree.Path notation: list items are `[]` (`services.web.ports.[]`). */
export function composePath(path: Path): string {
  return path.map((p) => (typeof p === "number" ? "[]" : p)).join(".");
}

export interface ParsedYaml {
  readonly value: Raw;
  /** pathText → where the value starts. */
  readonly positions: ReadonlyMap<string, SourceLocation>;
}

const ALIASES_MAX = 1000;

/**
 * Parses a compose file's text. A YAML syntax error is go-yaml's shape of message ("failed to
 * parse FILE: yaml: line N: …") with the line and column; an empty file gives null.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const positions = new Map<string, SourceLocation>();
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      const what = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      throw new ComposeError("EYAML", `failed to parse ${file}: yaml: line ${pos.line}: ${what}`, file, "", { line: pos.line, column: pos.col });
    }
  }
  // Several documents in one file are merged in order (later keys override), as compose does.
  let value = null as Raw;
  for (const doc of list) {
    if (doc.contents === null) continue;
    const v = walk(doc, doc.contents as Node, [], positions, lineCounter, { aliases: 0 });
    value = value instanceof Map && v instanceof Map ? mergeMaps(value, v) : v;
  }
  return { value, positions };
}

function mergeMaps(a: RawMap, b: RawMap): RawMap {
  const out = new Map(a);
  for (const [k, v] of b) {
    const prev = out.get(k);
    out.set(k, prev instanceof Map && v instanceof Map ? mergeMaps(prev, v) : v);
  }
  return out;
}

function walk(doc: Document, node: Node, path: (string | number)[], positions: Map<string, SourceLocation>, lc: LineCounter, budget: { aliases: number }): Raw {
  if (node.range) {
    const at = lc.linePos(node.range[0]);
    const key = pathText(path);
    if (!positions.has(key)) positions.set(key, { line: at.line, column: at.col });
  }
  if (isAlias(node)) {
    if (++budget.aliases > ALIASES_MAX) throw new ComposeError("EYAML", "yaml: document contains excessive aliasing");
    const target = node.resolve(doc);
    return target ? walk(doc, target as Node, path, positions, lc, budget) : null;
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return null;
    if (typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    return String(v);
  }
  if (isSeq(node)) return node.items.map((item, i) => walk(doc, item as Node, [...path, i], positions, lc, budget));
  if (isMap(node)) {
    const out: RawMap = new Map();
    const merged: RawMap[] = [];
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const keyValue = k === null ? null : isScalar(k) ? k.value : isAlias(k) ? (k.resolve(doc) as Node & { value?: unknown })?.value : k.toJSON();
      const key = keyValue === null || keyValue === undefined ? "null" : typeof keyValue === "object" ? JSON.stringify(keyValue) : String(keyValue);
      const valueNode = pair.value as Node | null;
      if (key === "<<" && valueNode !== null && (isAlias(valueNode) || isMap(valueNode) || isSeq(valueNode))) {
        const v = walk(doc, valueNode, path, positions, lc, budget);
        for (const m of Array.isArray(v) ? v : [v]) if (m instanceof Map) merged.push(m);
        continue;
      }
      out.set(key, valueNode === null ? null : walk(doc, valueNode, [...path, key], positions, lc, budget));
    }
    // Merge keys: explicit keys win, then earlier merged maps over later ones.
    for (const m of merged) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
    return out;
  }
  return null;
}
