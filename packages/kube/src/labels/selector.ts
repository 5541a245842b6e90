// Label selectors as apimachinery parses and matches them (k8s.io/apimachinery/pkg/labels/selector.go):
// the same lexer (longest special symbol, keywords `in`/`notin` that are identifiers among values),
// the same recursive descent, the same texts in errors, requirements sorted by key, values as a
// sorted set. `NUL` ends the input, as Go's lexer reads a zero byte as the end.
import { KubeError, goQuote } from "../errors.js";
import { isLabelKey, isLabelValue } from "./validation.js";

/** selection.Operator's values, as apimachinery spells them. */
export type Operator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted and unique when parsed (sets.String.List()). */
  readonly values: readonly string[];
}

export interface Selector {
  readonly requirements: readonly Requirement[];
  /** Selects everything. */
  readonly empty: boolean;
  matches(labels: Labels): boolean;
  /** The canonical text: requirements sorted by key, values sorted. */
  toString(): string;
}

const BINARY_OPERATORS: readonly Operator[] = ["in", "notin", "=", "==", "!=", "gt", "lt"];

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ------------------------------

/** A field error's text: `path: Invalid value: "v": detail`; a nil path prints as `<nil>`. */
function invalid(path: string | null, value: string | readonly string[], detail: string): string {
  const shown = typeof value === "string" ? goQuote(value) : JSON.stringify(value);
  return `${path ?? "<nil>"}: Invalid value: ${shown}: ${detail}`;
}

/** errors.NewAggregate(...).Error(): one error as is, several deduplicated in brackets. */
function aggregate(errs: readonly string[]): string {
  const seen = [...new Set(errs)];
  return seen.length === 1 ? seen[0]! : `[${seen.join(", ")}]`;
}

/** Where in the selector's text the parser stands (1-based column), for an error's location; set only while parseSelector runs. */
let failColumn: number | undefined;
const fail = (message: string): never => {
  throw new KubeError("SELECTOR", message, failColumn === undefined ? undefined : { line: 1, column: failColumn });
};

/**
 * labels.NewRequirement: checks the key, the number of values for the operator, integers for
 * gt/lt, and each value; throws apimachinery's aggregated field errors.
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs: string[] = [];
  const keyErrs = isLabelKey(key);
  if (keyErrs.length > 0) errs.push(invalid("key", key, keyErrs.join("; ")));
  switch (operator) {
    case "in": case "notin":
      if (values.length === 0) errs.push(invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case "=": case "==": case "!=":
      if (values.length !== 1) errs.push(invalid("values", values, "exact-match compatibility requires one single value"));
      break;
    case "exists": case "!":
      if (values.length !== 0) errs.push(invalid("values", values, "values set must be empty for exists and does not exist"));
      break;
    case "gt": case "lt":
      if (values.length !== 1) errs.push(invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === null) errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(`operator: Unsupported value: ${goQuote(operator)}: supported values: ${[...BINARY_OPERATORS, "!", "exists"].map((o) => goQuote(o)).join(", ")}`);
  }
  values.forEach((v, i) => {
    const valueErrs = isLabelValue(v);
    if (valueErrs.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, valueErrs.join("; ")));
  });
  if (errs.length > 0) fail(aggregate(errs));
  return { key, operator, values: [...values] };
}

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, within int64. */
function parseInt64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : null;
}

/** Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case "in": case "=": case "==":
      return has && r.values.includes(labels[r.key]!);
    case "notin": case "!=":
      return !has || !r.values.includes(labels[r.key]!);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt": case "lt": {
      if (!has || r.values.length !== 1) return false;
      const mine = parseInt64(labels[r.key]!);
      const theirs = parseInt64(r.values[0]!);
      if (mine === null || theirs === null) return false;
      return r.operator === "gt" ? mine > theirs : mine < theirs;
    }
  }
}

const OPERATOR_TEXT: Record<Operator, string> = { "=": "=", "==": "==", "!=": "!=", in: " in ", notin: " notin ", gt: ">", lt: "<", exists: "", "!": "" };

/** Requirement.String. */
export function requirementText(r: Requirement): string {
  let out = (r.operator === "!" ? "!" : "") + r.key;
  if (r.operator === "exists" || r.operator === "!") return out;
  out += OPERATOR_TEXT[r.operator];
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort(byteOrder).join(",");
  return r.operator === "in" || r.operator === "notin" ? `${out}(${values})` : out + values;
}

/** Go compares strings byte by byte; for the ASCII that keys and values are limited to, code units agree. */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A selector over requirements, sorted by key (a stable sort: Go's insertion sort for small lists is stable too). */
export function selectorOf(requirements: readonly Requirement[]): Selector {
  const sorted = [...requirements].sort((a, b) => byteOrder(a.key, b.key));
  const text = sorted.map(requirementText).join(",");
  return {
    requirements: sorted,
    empty: sorted.length === 0,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels)),
    toString: () => text,
  };
}

/** labels.Everything(). */
export const EVERYTHING: Selector = selectorOf([]);

/** labels.SelectorFromSet: every key equal to its value (no validation). */
export function selectorFromSet(set: Labels): Selector {
  return selectorOf(Object.keys(set).map((key) => ({ key, operator: "=" as const, values: [set[key]!] })));
}

// ---- the lexer ----------------------------------------------------------------------------------

const enum Tok { Error, End, ClosedPar, Comma, DoesNotExist, DoubleEquals, Equals, GreaterThan, Identifier, In, LessThan, NotEquals, NotIn, OpenPar }

const STRING_TO_TOKEN = new Map<string, Tok>([
  [")", Tok.ClosedPar], [",", Tok.Comma], ["!", Tok.DoesNotExist], ["==", Tok.DoubleEquals], ["=", Tok.Equals],
  [">", Tok.GreaterThan], ["in", Tok.In], ["<", Tok.LessThan], ["!=", Tok.NotEquals], ["notin", Tok.NotIn], ["(", Tok.OpenPar],
]);

const isWhitespace = (ch: string) => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
const isSpecial = (ch: string) => ch === "=" || ch === "!" || ch === "(" || ch === ")" || ch === "," || ch === ">" || ch === "<";

interface Item { readonly tok: Tok; readonly lit: string; readonly pos: number }

function lex(s: string): Item[] {
  let pos = 0;
  // Go's read(): a zero byte at the end, and the position moves only inside the string.
  const read = (): string => (pos < s.length ? s[pos++]! : "\0");
  const unread = () => { pos--; };
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    // Where the token starts (the end of the text for the end).
    const start = ch === "\0" && pos >= s.length ? s.length : pos - 1;
    let item: Item;
    if (ch === "\0") item = { tok: Tok.End, lit: "", pos: start };
    else if (isSpecial(ch)) {
      unread();
      let buffer = "";
      let last: Item | null = null;
      for (;;) {
        const c = read();
        if (c === "\0") break;
        if (isSpecial(c)) {
          buffer += c;
          const t = STRING_TO_TOKEN.get(buffer);
          if (t !== undefined) last = { tok: t, lit: buffer, pos: 0 };
          else if (last !== null) { unread(); break; }
        } else { unread(); break; }
      }
      item = last ? { ...last, pos: start } : { tok: Tok.Error, lit: `error expected: keyword found '${buffer}'`, pos: start };
    } else {
      unread();
      let buffer = "";
      for (;;) {
        const c = read();
        if (c === "\0") break;
        if (isSpecial(c) || isWhitespace(c)) { unread(); break; }
        buffer += c;
      }
      item = { tok: STRING_TO_TOKEN.get(buffer) ?? Tok.Identifier, lit: buffer, pos: start };
    }
    items.push(item);
    if (item.tok === Tok.End) return items;
  }
}

// ---- the parser ---------------------------------------------------------------------------------

type Context = "keyAndOperator" | "values";

class Parser {
  private position = 0;
  constructor(private readonly items: readonly Item[]) {}

  lookahead(context: Context): Item { return this.at(this.items[this.position]!, context); }
  consume(context: Context): Item { return this.at(this.items[this.position++]!, context); }
  private at(item: Item, context: Context): Item {
    failColumn = item.pos + 1;
    return this.asContext(item, context);
  }
  // Among values `in` and `notin` are identifiers.
  private asContext(item: Item, context: Context): Item {
    return context === "values" && (item.tok === Tok.In || item.tok === Tok.NotIn) ? { ...item, tok: Tok.Identifier } : item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead("values");
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        let r: Requirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof KubeError) {
            // The error points where the parser stood.
            failColumn = e.location?.column;
            fail(`unable to parse requirement: ${e.message}`);
          }
          throw e;
        }
        requirements.push(r!);
        const next = this.consume("values");
        if (next.tok === Tok.End) return requirements;
        if (next.tok === Tok.Comma) {
          const after = this.lookahead("values");
          if (after.tok !== Tok.Identifier && after.tok !== Tok.DoesNotExist) fail(`found '${after.lit}', expected: identifier after ','`);
        } else fail(`found '${next.lit}', expected: ',' or 'end of string'`);
      } else if (tok === Tok.End) return requirements;
      else fail(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === "exists" || operator === "!") return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(byteOrder));
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | null } {
    let operator: Operator | null = null;
    let item = this.consume("values");
    if (item.tok === Tok.DoesNotExist) {
      operator = "!";
      item = this.consume("values");
    }
    if (item.tok !== Tok.Identifier) fail(`found '${item.lit}', expected: identifier`);
    const errs = isLabelKey(item.lit);
    if (errs.length > 0) fail(invalid(null, item.lit, errs.join("; ")));
    const t = this.lookahead("values").tok;
    if ((t === Tok.End || t === Tok.Comma) && operator !== "!") operator = "exists";
    return { key: item.lit, operator };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume("keyAndOperator");
    switch (tok) {
      case Tok.In: return "in";
      case Tok.Equals: return "=";
      case Tok.DoubleEquals: return "==";
      case Tok.GreaterThan: return "gt";
      case Tok.LessThan: return "lt";
      case Tok.NotIn: return "notin";
      case Tok.NotEquals: return "!=";
      default: return fail(`found '${lit}', expected: ${BINARY_OPERATORS.join(", ")}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume("values");
    if (open.tok !== Tok.OpenPar) fail(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead("values");
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const s = this.parseIdentifiersList();
      if (this.consume("values").tok !== Tok.ClosedPar) fail(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === Tok.ClosedPar) {
      this.consume("values");
      return new Set([""]);
    }
    return fail(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume("values");
      if (tok === Tok.Identifier) {
        s.add(lit);
        const next = this.lookahead("values");
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return s;
        fail(`found '${next.lit}', expected: ',' or ')'`);
      } else if (tok === Tok.Comma) {
        if (s.size === 0) s.add(""); // "(,"
        const next = this.lookahead("values").tok;
        if (next === Tok.ClosedPar) { s.add(""); return s; } // ",)"
        if (next === Tok.Comma) s.add(""); // ",,"
      } else fail(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead("values").tok;
    if (t === Tok.End || t === Tok.Comma) return new Set([""]);
    const { tok, lit } = this.consume("values");
    if (tok === Tok.Identifier) return new Set([lit]);
    return fail(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: `x=a,y!=b,z in (c,d),!w,v>3`. Throws a KubeError with apimachinery's text when
 * the text is not a selector or a key or value is invalid.
 */
export function parseSelector(text: string): Selector {
  failColumn = undefined;
  try {
    return selectorOf(new Parser(lex(text)).parse());
  } finally {
    failColumn = undefined;
  }
}

/** The lexer's token names, for tests that follow apimachinery's TestLexer. */
export function lexTokens(text: string): string[] {
  const names = ["error", "end", ")", ",", "!", "==", "=", ">", "identifier", "in", "<", "!=", "notin", "("];
  return lex(text).map((i) => names[i.tok]!);
}

// ---- metav1.LabelSelector ----------------------------------------------------------------------

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

const EXPRESSION_OPERATOR: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/**
 * metav1.LabelSelectorAsSelector: matchLabels as `=` and matchExpressions as set requirements.
 * A null selector selects nothing (the caller decides); an empty one selects everything.
 */
export function labelSelectorAsSelector(ls: LabelSelector): Selector {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, "=", [v]));
  for (const e of ls.matchExpressions ?? []) {
    const op = Object.hasOwn(EXPRESSION_OPERATOR, e.operator) ? EXPRESSION_OPERATOR[e.operator]! : fail(`${goQuote(e.operator)} is not a valid label selector operator`);
    const values = op === "in" || op === "notin" ? [...new Set(e.values ?? [])].sort(byteOrder) : (e.values ?? []);
    reqs.push(newRequirement(e.key, op, values));
  }
  return selectorOf(reqs);
}
