import type { Node } from "./types.js";

/**
 * Placement constraints, after swarmkit manager/constraint/constraint.go: "key==value" or
 * "key!=value"; keys node.id, node.hostname, node.role, node.platform.os, node.platform.arch,
 * node.labels.<label>, engine.labels.<label>; values compared case-insensitively; a label a node
 * lacks compares as "". (node.ip is not modelled: simulated hosts have no addresses yet.)
 */
export interface Constraint {
  readonly key: string;
  readonly op: "==" | "!=";
  readonly value: string;
}

export const NODE_LABEL_PREFIX = "node.labels.";
export const ENGINE_LABEL_PREFIX = "engine.labels.";

const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;

/** Parses constraints; returns the error text controlapi gives for a malformed one. */
export function parseConstraints(exprs: readonly string[]): Constraint[] | { readonly error: string } {
  const out: Constraint[] = [];
  for (const e of exprs) {
    let found = false;
    for (const op of ["==", "!="] as const) {
      const i = e.indexOf(op);
      if (i < 0) continue;
      const key = e.slice(0, i).trim();
      const value = e.slice(i + 2).trim();
      if (!KEY.test(key)) return { error: `key '${key}' is invalid` };
      if (!VALUE.test(value)) return { error: `value '${value}' is invalid` };
      out.push({ key, op, value });
      found = true;
      break;
    }
    if (!found) return { error: "constraint expected one operator from ==, !=" };
  }
  return out;
}

function match(c: Constraint, what: string): boolean {
  const eq = c.value.toLowerCase() === what.toLowerCase();
  return c.op === "==" ? eq : !eq;
}

function hasPrefix(key: string, prefix: string): boolean {
  return key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix;
}

/** constraint.NodeMatches. */
export function nodeMatches(constraints: readonly Constraint[], n: Node): boolean {
  for (const c of constraints) {
    const key = c.key.toLowerCase();
    let ok: boolean;
    if (key === "node.id") ok = match(c, n.id);
    else if (key === "node.hostname") ok = match(c, n.description.hostname);
    else if (key === "node.role") ok = match(c, n.role);
    else if (key === "node.platform.os") ok = match(c, n.description.platform.os);
    else if (key === "node.platform.arch") ok = match(c, n.description.platform.architecture);
    else if (hasPrefix(c.key, NODE_LABEL_PREFIX)) {
      const label = c.key.slice(NODE_LABEL_PREFIX.length);
      ok = match(c, Object.hasOwn(n.spec.labels, label) ? n.spec.labels[label]! : "");
    } else if (hasPrefix(c.key, ENGINE_LABEL_PREFIX)) {
      const label = c.key.slice(ENGINE_LABEL_PREFIX.length);
      ok = match(c, Object.hasOwn(n.description.engineLabels, label) ? n.description.engineLabels[label]! : "");
    } else ok = false; // a key outside the syntax matches no node
    if (!ok) return false;
  }
  return true;
}

/** The value a node has for a placement preference's descriptor (nodeset.go tree), "" when none. */
export function preferenceValue(descriptor: string, n: Node): string | null {
  if (hasPrefix(descriptor, NODE_LABEL_PREFIX)) {
    const label = descriptor.slice(NODE_LABEL_PREFIX.length);
    return Object.hasOwn(n.spec.labels, label) ? n.spec.labels[label]! : "";
  }
  if (hasPrefix(descriptor, ENGINE_LABEL_PREFIX)) {
    const label = descriptor.slice(ENGINE_LABEL_PREFIX.length);
    return Object.hasOwn(n.description.engineLabels, label) ? n.description.engineLabels[label]! : "";
  }
  return null; // other descriptors are ignored, as in SwarmKit
}
