// Variable interpolation exactly as compose-go's template package does it (v2.9, the version in
// Docker Compose 2.40 beside Docker 28.5): `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
// `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` for a literal dollar, nested
// templates in defaults and messages (substituted eagerly, as v2.9 does), an unbraced name ending
// at the first character not allowed in a name, and compose-go's errors: "required variable FOO
// is missing a value: msg" and `Invalid template: "${"`.
import { DrydockError } from "@drydock/kernel";

/** A variable's value, or undefined when it is not set (set-but-empty is ""). */
export type Lookup = (name: string) => string | undefined;

/** compose-go's InvalidTemplateError: `Invalid template: "<the template>"` (Go's %#v quoting). */
export class InvalidTemplateError extends DrydockError {
  constructor(readonly template: string) {
    super("EINTERPOLATE", `Invalid template: ${goQuote(template)}`);
  }
}

/** compose-go's MissingRequiredError. */
export class MissingRequiredError extends DrydockError {
  constructor(readonly variable: string, readonly reason: string) {
    super("EREQUIREDVAR", reason !== "" ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
  }
}

/** Go's strconv.Quote (what %#v prints for a string): escapes, and \u for what is not printable. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case "\x07": out += "\\a"; continue;
      case "\b": out += "\\b"; continue;
      case "\f": out += "\\f"; continue;
      case "\n": out += "\\n"; continue;
      case "\r": out += "\\r"; continue;
      case "\t": out += "\\t"; continue;
      case "\v": out += "\\v"; continue;
      case "\\": out += "\\\\"; continue;
      case '"': out += '\\"'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (ch === " " || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return out + '"';
}

// compose-go's DefaultPattern: \$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))
const SOURCE = String.raw`\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?](?:.*))?)\}|()))`;
const PATTERN_ALL = new RegExp(SOURCE, "gi");
const PATTERN_ONE = new RegExp(SOURCE, "i");

type SubstituteFunc = (substitution: string, lookup: Lookup, ctx: Context) => { value: string; applied: boolean };

interface Context {
  /** The names looked up and not set, in order (compose warns about each). */
  readonly unset: string[];
}

/** Split at the first occurrence of sep (compose-go partition). */
function partition(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep.length)];
}

function withDefaultWhenAbsence(emptyOrUnset: boolean): SubstituteFunc {
  const sep = emptyOrUnset ? ":-" : "-";
  return (substitution, lookup, ctx) => {
    if (!substitution.includes(sep)) return { value: "", applied: false };
    const [name, def] = partition(substitution, sep);
    const defaultValue = substituteIn(def, lookup, ctx);
    const value = lookup(name);
    if (value === undefined || (emptyOrUnset && value === "")) return { value: defaultValue, applied: true };
    return { value, applied: true };
  };
}

function withDefaultWhenPresence(notEmpty: boolean): SubstituteFunc {
  const sep = notEmpty ? ":+" : "+";
  return (substitution, lookup, ctx) => {
    if (!substitution.includes(sep)) return { value: "", applied: false };
    const [name, def] = partition(substitution, sep);
    const defaultValue = substituteIn(def, lookup, ctx);
    const value = lookup(name);
    if (value !== undefined && (!notEmpty || value !== "")) return { value: defaultValue, applied: true };
    return { value: value ?? "", applied: true };
  };
}

function withRequired(emptyIsMissing: boolean): SubstituteFunc {
  const sep = emptyIsMissing ? ":?" : "?";
  return (substitution, lookup, ctx) => {
    if (!substitution.includes(sep)) return { value: "", applied: false };
    const [name, message] = partition(substitution, sep);
    const reason = substituteIn(message, lookup, ctx);
    const value = lookup(name);
    if (value === undefined || (emptyIsMissing && value === "")) throw new MissingRequiredError(name, reason);
    return { value, applied: true };
  };
}

const FUNCS: readonly [string, SubstituteFunc][] = [
  [":?", withRequired(true)], ["?", withRequired(false)], [":-", withDefaultWhenAbsence(true)], ["-", withDefaultWhenAbsence(false)],
  [":+", withDefaultWhenPresence(true)], ["+", withDefaultWhenPresence(false)],
];

/** getSubstitutionFunctionForTemplate: the operator that appears first in the matched text. */
function functionFor(template: string): SubstituteFunc {
  let best: [number, SubstituteFunc] | null = null;
  for (const [sep, fn] of FUNCS) {
    const i = template.indexOf(sep);
    if (i >= 0 && (best === null || i < best[0])) best = [i, fn];
  }
  return best?.[1] ?? FUNCS[0]![1];
}

/** getFirstBraceClosingIndex: the "}" closing the first "{", counting nested ones. */
function firstBraceClosingIndex(s: string): number {
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "}") {
      open--;
      if (open === 0) return i;
    }
    if (s[i] === "{") {
      open++;
      i++;
    }
  }
  return -1;
}

function replacement(matched: string, lookup: Lookup, ctx: Context): string {
  const fn = functionFor(matched);
  let substring = matched;
  let rest = "";
  const close = firstBraceClosingIndex(substring);
  if (close > -1) {
    rest = substring.slice(close + 1);
    substring = substring.slice(0, close + 1);
  }
  const m = PATTERN_ONE.exec(substring);
  if (m?.[1] !== undefined) return "$";
  let substitution = m?.[2] ?? "";
  let braced = false;
  if (substitution === "") {
    substitution = m?.[3] ?? "";
    braced = true;
  }
  if (substitution === "") throw new InvalidTemplateError("");
  if (braced) {
    const r = fn(substitution, lookup, ctx);
    if (r.applied) return r.value + substituteIn(rest, lookup, ctx);
  }
  const value = lookup(substitution);
  if (value === undefined) ctx.unset.push(substitution);
  return value ?? "";
}

function substituteIn(template: string, lookup: Lookup, ctx: Context): string {
  let first: DrydockError | null = null;
  const out = template.replace(PATTERN_ALL, (matched) => {
    try {
      return replacement(matched, lookup, ctx);
    } catch (e) {
      if (e instanceof InvalidTemplateError && e.template === "") e = new InvalidTemplateError(template);
      if (!(e instanceof DrydockError)) throw e;
      first ??= e;
      return "";
    }
  });
  if (first) throw first;
  return out;
}

/**
 * compose-go's template.Substitute: `template` with its variables replaced from `env` (a record
 * or a lookup function; a name absent from the record is unset). Throws MissingRequiredError or
 * InvalidTemplateError with compose-go's texts. Never throws anything else.
 */
export function interpolate(template: string, env: Readonly<Record<string, string>> | Lookup): string {
  return interpolateWithWarnings(template, env).value;
}

/** interpolate, and the names that were not set (compose warns: `The "FOO" variable is not set. Defaulting to a blank string.`). */
export function interpolateWithWarnings(template: string, env: Readonly<Record<string, string>> | Lookup): { value: string; unset: string[] } {
  const lookup: Lookup = typeof env === "function" ? env : (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const ctx: Context = { unset: [] };
  return { value: substituteIn(template, lookup, ctx), unset: ctx.unset };
}

/** compose's warning for a variable that is not set. */
export function unsetWarning(name: string): string {
  return `The ${goQuote(name)} variable is not set. Defaulting to a blank string.`;
}
