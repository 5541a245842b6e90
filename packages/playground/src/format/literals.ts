// Literals of Go's template language: strconv.Unquote for "..." and `...` strings and
// parse.newNumber for numbers and character constants (ints, floats, hex/octal/binary, '_').
import { goQuote } from "./gofmt.js";
import type { ItemType } from "./lex.js";
import type { ArgNode } from "./nodes.js";

/** strconv.Unquote for "..." and `...` literals (throws "invalid syntax" as Go's ErrSyntax). */
export function unquote(quoted: string): string {
  if (quoted.startsWith("`")) {
    if (!quoted.endsWith("`") || quoted.length < 2) throw new Error("invalid syntax");
    return quoted.slice(1, -1).replace(/\r/g, ""); // Go drops carriage returns from raw strings
  }
  return unquoteBody(quoted.slice(1, -1), '"');
}

function unquoteBody(s: string, quote: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === quote && quote === "'") throw new Error("invalid syntax");
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    const simple = new Map([["a", "\x07"], ["b", "\b"], ["f", "\f"], ["n", "\n"], ["r", "\r"], ["t", "\t"], ["v", "\v"], ["\\", "\\"]]);
    const mapped = e === undefined ? undefined : simple.get(e);
    if (mapped !== undefined) {
      out += mapped;
      i += 2;
    } else if (e === quote) {
      out += quote;
      i += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const digits = s.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new Error("invalid syntax");
      const cp = parseInt(digits, 16);
      if (e !== "x" && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) throw new Error("invalid syntax");
      out += String.fromCodePoint(e === "x" ? cp : cp); // \xHH is a byte; below 0x80 it is that character
      if (e === "x" && cp >= 0x80) out = out.slice(0, -1) + "\ufffd";
      i += 2 + n;
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const digits = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw new Error("invalid syntax");
      const b = parseInt(digits, 8);
      out += b < 0x80 ? String.fromCharCode(b) : "\ufffd";
      i += 4;
    } else throw new Error("invalid syntax");
  }
  return out;
}

export function newNumber(pos: number, text: string, typ: ItemType): ArgNode {
  if (typ === "charConstant") {
    let body: string;
    try {
      body = unquoteBody(text.slice(1, -1), "'");
    } catch {
      throw new Error("invalid syntax");
    }
    if (body === "") throw new Error("invalid syntax");
    if ([...body].length !== 1) throw new Error(`malformed character constant: ${text}`);
    return { type: "number", pos, text, isInt: true, isFloat: true, value: body.codePointAt(0)! };
  }
  if (typ === "complex" || text.endsWith("i")) throw new Error(`complex constants are not supported: ${text}`);
  const clean = text.replace(/_/g, "");
  const intMatch = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.exec(clean);
  if (intMatch) {
    const [, sign, body] = intMatch as unknown as [string, string, string];
    const digits = /^0[0-7]/.test(body) ? "0o" + body.slice(1) : body.replace(/^0O/, "0o").replace(/^0X/, "0x").replace(/^0B/, "0b");
    const big = BigInt(digits) * (sign === "-" ? -1n : 1n);
    if (big > 9223372036854775807n || big < -9223372036854775808n) throw new Error(`integer overflow: ${text}`);
    return { type: "number", pos, text, isInt: true, isFloat: true, value: Number(big) };
  }
  const isDecFloat = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean);
  const isHexFloat = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(clean);
  if (isDecFloat || isHexFloat) {
    if (!/[.eEpP]/.test(clean)) throw new Error(`integer overflow: ${text}`);
    const f = isHexFloat ? parseHexFloat(clean) : Number(clean);
    return { type: "number", pos, text, isInt: Number.isInteger(f) && Math.abs(f) < 2 ** 63, isFloat: true, value: f };
  }
  throw new Error(`illegal number syntax: ${goQuote(text)}`);
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s)!;
  const mant = parseInt((m[2] ?? "") + (m[3] ?? "") || "0", 16) / 16 ** (m[3] ?? "").length;
  return (m[1] === "-" ? -1 : 1) * mant * 2 ** Number(m[4]);
}

