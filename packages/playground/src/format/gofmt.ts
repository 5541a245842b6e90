// The parts of Go's fmt and strconv that templates print through: %v for every value kind
// (fmt/print.go printValue), Sprint/Sprintln/Sprintf, strconv.Quote and float formatting.
import { kindOf, mapEntries, numberOf, structFields, typeName, utf8Bytes } from "./value.js";

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(ch: string): boolean {
  return ch === " " || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd"; // a lone surrogate: invalid UTF-8
    else if (isPrint(ch)) out += ch;
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\v") out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + '"';
}

/** Go's %#U: "U+007D '}'". */
export function goRuneDesc(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const u = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  return isPrint(ch) ? `${u} '${ch}'` : u;
}

/** The shortest decimal digits of |f| and its decimal exponent (d.ddd × 10^exp). */
function shortest(f: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(f).toExponential().split("e") as [string, string];
  return { digits: mant.replace(".", ""), exp: Number(e) };
}

function expSuffix(exp: number, upper: boolean): string {
  const sign = exp < 0 ? "-" : "+";
  return (upper ? "E" : "e") + sign + String(Math.abs(exp)).padStart(2, "0");
}

/** strconv.FormatFloat(f, fmt, prec, 64) for fmt in e, E, f, g, G; prec -1 means shortest. */
export function formatFloat(f: number, verb: string, prec: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  const neg = f < 0 || Object.is(f, -0) ? "-" : "";
  const upper = verb === "E" || verb === "G";
  if (verb === "f" || verb === "F") {
    if (prec < 0) {
      const { digits, exp } = shortest(f);
      const frac = Math.max(digits.length - 1 - exp, 0);
      return neg + Math.abs(f).toFixed(Math.min(frac, 100));
    }
    return neg + Math.abs(f).toFixed(Math.min(prec, 100));
  }
  if (verb === "e" || verb === "E") {
    if (prec < 0) {
      const { digits, exp } = f === 0 ? { digits: "0", exp: 0 } : shortest(f);
      const mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      return neg + mant + expSuffix(exp, upper);
    }
    const [mant, e] = Math.abs(f).toExponential(Math.min(prec, 100)).split("e") as [string, string];
    return neg + mant + expSuffix(Number(e), upper);
  }
  // %g: %e when the exponent is < -4 or >= the precision (6 when shortest), else %f;
  // trailing zeros are dropped (strconv's decimal keeps no trailing zeros).
  if (prec < 0) {
    const { exp } = shortest(f);
    return formatFloat(f, exp < -4 || exp >= 6 ? (upper ? "E" : "e") : "f", -1);
  }
  const p = Math.min(prec === 0 ? 1 : prec, 100);
  const rounded = Number(Math.abs(f).toPrecision(p));
  const r = shortest(rounded);
  let eprec = p;
  if (eprec > r.digits.length && r.digits.length >= r.exp + 1) eprec = r.digits.length;
  if (r.exp < -4 || r.exp >= eprec) return neg + trimE(Math.abs(f).toExponential(p - 1), upper);
  return neg + formatFloat(rounded, "f", -1);
}

function trimE(s: string, upper: boolean): string {
  const [mant, e] = s.split("e") as [string, string];
  const m = mant.includes(".") ? mant.replace(/\.?0+$/, "") : mant;
  return m + expSuffix(Number(e), upper);
}

function formatInt(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  const n = v as number;
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

export interface Spec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly sharp: boolean;
  readonly zero: boolean;
  readonly space: boolean;
  readonly width?: number;
  readonly prec?: number;
}

const PLAIN: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false };

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  const n = [...s].length;
  if (w === undefined || n >= w) return s;
  if (spec.minus) return s + " ".repeat(w - n);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(w - n) + s.slice(sign.length);
  }
  return " ".repeat(w - n) + s;
}

function badVerb(verb: string, v: unknown): string {
  return kindOf(v) === "nil" ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${formatValue(v, "v", PLAIN, 1)})`;
}

/** Formats one operand as Go's fmt does for `verb` (composites format each element with it). */
export function formatValue(v: unknown, verb: string, spec: Spec = PLAIN, depth = 0): string {
  const k = kindOf(v);
  switch (k) {
    case "nil":
      return verb === "v" || verb === "s" ? pad("<nil>", spec, false) : badVerb(verb, v);
    case "bool":
      return verb === "v" || verb === "t" ? pad(String(v), spec, false) : badVerb(verb, v);
    case "int": {
      const n = numberOf(v);
      const sign = n >= 0 && spec.plus ? "+" : "";
      switch (verb) {
        case "v":
        case "d":
          return pad(sign + formatInt(v), spec, true);
        case "x":
        case "X": {
          const s = (n < 0 ? "-" : "") + (spec.sharp ? "0x" : "") + Math.abs(n).toString(16);
          return pad(verb === "X" ? s.toUpperCase() : s, spec, true);
        }
        case "o":
          return pad(n.toString(8), spec, true);
        case "b":
          return pad(n.toString(2), spec, true);
        case "c":
          return pad(String.fromCodePoint(n), spec, false);
        case "q":
          return pad("'" + goQuote(String.fromCodePoint(n)).slice(1, -1).replace(/\\"/g, '"') + "'", spec, false);
        case "U":
          return pad("U+" + n.toString(16).toUpperCase().padStart(4, "0"), spec, false);
        default:
          return badVerb(verb, v);
      }
    }
    case "float": {
      const f = numberOf(v);
      const sign = f >= 0 && spec.plus ? "+" : "";
      if (verb === "v") return pad(sign + formatFloat(f, "g", spec.prec ?? -1), spec, true);
      if ("eEfFgG".includes(verb)) {
        const prec = spec.prec ?? ("gG".includes(verb) ? -1 : 6);
        return pad(sign + formatFloat(f, verb, prec), spec, true);
      }
      return badVerb(verb, v);
    }
    case "string": {
      let s = v as string;
      if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join("");
      switch (verb) {
        case "v":
        case "s":
          return pad(s, spec, false);
        case "q":
          return pad(goQuote(s), spec, false);
        case "x":
        case "X": {
          const h = [...utf8Bytes(s)].map((b) => hex(b, 2)).join("");
          return pad(verb === "X" ? h.toUpperCase() : h, spec, false);
        }
        default:
          return badVerb(verb, v);
      }
    }
    case "slice": {
      const items = (v as unknown[]).map((x) => formatValue(x, verb, spec, depth + 1));
      return "[" + items.join(" ") + "]";
    }
    case "map": {
      const items = mapEntries(v).map(([key, x]) => formatValue(key, verb, spec, depth + 1) + ":" + formatValue(x, verb, spec, depth + 1));
      return "map[" + items.join(" ") + "]";
    }
    case "struct": {
      const items = structFields(v).map(([name, x]) => (spec.plus && verb === "v" ? name + ":" : "") + formatValue(x, verb, spec, depth + 1));
      return "{" + items.join(" ") + "}";
    }
    case "func":
      return verb === "v" || verb === "p" ? "0x0" : badVerb(verb, v);
  }
}

/** fmt.Sprint: operands formatted with %v, a space between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = "";
  args.forEach((a, i) => {
    const isString = typeof a === "string";
    if (i > 0 && !isString && typeof args[i - 1] !== "string") out += " ";
    out += formatValue(a, "v");
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a newline at the end. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatValue(a, "v")).join(" ") + "\n";
}

/** fmt.Sprintf with flags (-+# 0), width, precision, explicit `*` widths, and Go's error forms. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  const chars = [...format];
  while (i < chars.length) {
    const c = chars[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec = { minus: false, plus: false, sharp: false, zero: false, space: false } as {
      -readonly [K in keyof Spec]: Spec[K];
    };
    for (; i < chars.length; i++) {
      const f = chars[i];
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === "#") spec.sharp = true;
      else if (f === "0") spec.zero = true;
      else if (f === " ") spec.space = true;
      else break;
    }
    const num = (): number | undefined => {
      if (chars[i] === "*") {
        i++;
        const a = args[argi++];
        return kindOf(a) === "int" ? numberOf(a) : undefined;
      }
      let s = "";
      while (i < chars.length && /[0-9]/.test(chars[i]!)) s += chars[i++];
      return s === "" ? undefined : Number(s);
    };
    spec.width = num();
    if (chars[i] === ".") {
      i++;
      spec.prec = num() ?? 0;
    }
    const verb = chars[i];
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    i++;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatValue(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((a) => (kindOf(a) === "nil" ? "<nil>" : `${typeName(a)}=${formatValue(a, "v")}`));
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}
