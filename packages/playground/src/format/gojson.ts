// Go's encoding/json Marshal for the values of value.ts: no spaces, map keys sorted, struct
// fields in declaration order (unexported ones and methods left out), and Go's string escaping
// (encode.go appendString): \b \f \n \r \t by name (Go ≥ 1.22), other control characters as
// \u00XX, U+2028/U+2029 always escaped, and < > & as \u003c \u003e \u0026 unless escapeHTML
// is off (docker/cli's `json` template function turns it off with SetEscapeHTML(false)).
import { isExported, kindOf, mapEntries, numberOf, structFields, typeName } from "./value.js";

export class JsonError extends Error {}

export interface JsonOptions {
  readonly escapeHTML?: boolean;
  /** json.MarshalIndent's indent ("" for compact). */
  readonly indent?: string;
}

const NAMED_ESCAPES = new Map([[8, "\\b"], [9, "\\t"], [10, "\\n"], [12, "\\f"], [13, "\\r"]]);

function quote(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c < 0x20) {
      out += NAMED_ESCAPES.get(c) ?? "\\u00" + c.toString(16).padStart(2, "0");
    } else if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (escapeHTML && (ch === "<" || ch === ">" || ch === "&")) out += "\\u00" + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd"; // invalid UTF-8 becomes U+FFFD
    else out += ch;
  }
  return out + '"';
}

/** json.Marshal (or MarshalIndent with `indent`). Throws JsonError where Go returns an error. */
export function goJson(v: unknown, options: JsonOptions = {}): string {
  const escapeHTML = options.escapeHTML ?? true;
  const indent = options.indent ?? "";
  const encode = (x: unknown, prefix: string, depth: number): string => {
    if (depth > 1000) throw new JsonError("json: unsupported value: encountered a cycle");
    const nl = indent === "" ? "" : "\n" + prefix + indent;
    const close = indent === "" ? "" : "\n" + prefix;
    const colon = indent === "" ? ":" : ": ";
    const list = (items: string[], open: string, end: string): string =>
      items.length === 0 ? open + end : open + nl + items.join("," + nl) + close + end;
    switch (kindOf(x)) {
      case "nil":
        return "null";
      case "bool":
        return String(x);
      case "int":
        return typeof x === "bigint" ? x.toString() : Math.abs(x as number) < 1e21 ? String(x) : BigInt(x as number).toString();
      case "float": {
        const f = numberOf(x);
        if (!Number.isFinite(f)) throw new JsonError(`json: unsupported value: ${Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf"}`);
        // Go uses %f for 1e-6 <= |f| < 1e21 and a cleaned-up %e otherwise: JS's String agrees.
        return String(f);
      }
      case "string":
        return quote(x as string, escapeHTML);
      case "slice":
        return list(
          (x as unknown[]).map((e) => encode(e, prefix + indent, depth + 1)),
          "[",
          "]",
        );
      case "map":
        return list(
          mapEntries(x).map(([k, e]) => quote(String(k), escapeHTML) + colon + encode(e, prefix + indent, depth + 1)),
          "{",
          "}",
        );
      case "struct":
        return list(
          structFields(x)
            .filter(([k]) => isExported(k))
            .map(([k, e]) => quote(k, escapeHTML) + colon + encode(e, prefix + indent, depth + 1)),
          "{",
          "}",
        );
      case "func":
        throw new JsonError(`json: unsupported type: ${typeName(x)}`);
    }
  };
  return encode(v, "", 0);
}
