// Arithmetic expansion `$((...))` (POSIX XCU 2.6.4): signed integers, C precedence, variables
// by name. A small precedence-climbing evaluator; no assignment operators.
import { ExpansionError } from "./errors.js";

const BINARY: ReadonlyMap<string, { prec: number; apply: (a: bigint, b: bigint) => bigint }> = new Map([
  ["||", { prec: 1, apply: (a, b) => (a !== 0n || b !== 0n ? 1n : 0n) }],
  ["&&", { prec: 2, apply: (a, b) => (a !== 0n && b !== 0n ? 1n : 0n) }],
  ["|", { prec: 3, apply: (a, b) => a | b }],
  ["^", { prec: 4, apply: (a, b) => a ^ b }],
  ["&", { prec: 5, apply: (a, b) => a & b }],
  ["==", { prec: 6, apply: (a, b) => (a === b ? 1n : 0n) }],
  ["!=", { prec: 6, apply: (a, b) => (a !== b ? 1n : 0n) }],
  ["<", { prec: 7, apply: (a, b) => (a < b ? 1n : 0n) }],
  ["<=", { prec: 7, apply: (a, b) => (a <= b ? 1n : 0n) }],
  [">", { prec: 7, apply: (a, b) => (a > b ? 1n : 0n) }],
  [">=", { prec: 7, apply: (a, b) => (a >= b ? 1n : 0n) }],
  ["<<", { prec: 8, apply: (a, b) => BigInt.asIntN(64, a << (b & 63n)) }],
  [">>", { prec: 8, apply: (a, b) => a >> b }],
  ["+", { prec: 9, apply: (a, b) => a + b }],
  ["-", { prec: 9, apply: (a, b) => a - b }],
  ["*", { prec: 10, apply: (a, b) => a * b }],
  ["/", { prec: 10, apply: (a, b) => a / b }],
  ["%", { prec: 10, apply: (a, b) => a % b }],
  ["**", { prec: 11, apply: (a, b) => pow(a, b) }],
]);

const TOKEN = /\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^])/y;

/** Evaluates an expanded expression; `get` reads variables (unset or empty is 0). */
export function evalArith(text: string, env: { get(name: string): string | undefined }, nesting = 0): string {
  if (nesting > 32) throw new ExpansionError(`bash: ${text}: expression recursion level exceeded (error token is "${text}")`);
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) throw syntax(text, text.slice(start).trim());
    tokens.push(m[1] as string);
  }
  let pos = 0;
  const depthMax = 200;
  const primary = (depth: number): bigint => {
    if (depth > depthMax) throw syntax(text, text);
    const tok = tokens[pos++];
    if (tok === undefined) throw new ExpansionError(`bash: ${text}: syntax error: operand expected (error token is "${text}")`);
    if (tok === "(") {
      const v = binary(0, depth + 1);
      if (tokens[pos++] !== ")") throw syntax(text, ")");
      return v;
    }
    if (tok === "-") return -primary(depth + 1);
    if (tok === "+") return primary(depth + 1);
    if (tok === "!") return primary(depth + 1) === 0n ? 1n : 0n;
    if (tok === "~") return ~primary(depth + 1);
    if (/^\d/.test(tok)) return BigInt(tok.startsWith("0") && /^0[0-7]+$/.test(tok) ? `0o${tok.slice(1)}` : tok);
    if (/^[A-Za-z_]/.test(tok)) {
      const value = (env.get(tok) ?? "").trim();
      if (value === "") return 0n;
      if (/^-?\d+$/.test(value)) return BigInt(value);
      return BigInt(evalArith(value, env, nesting + 1));
    }
    throw syntax(text, tokens.slice(pos - 1).join(" "));
  };
  const binary = (minPrec: number, depth: number): bigint => {
    let left = primary(depth);
    for (;;) {
      const op = BINARY.get(tokens[pos] ?? "");
      if (op === undefined || op.prec < minPrec) return left;
      const opText = tokens[pos++] as string;
      const right = binary(opText === "**" ? op.prec : op.prec + 1, depth + 1);
      if ((opText === "/" || opText === "%") && right === 0n) {
        throw new ExpansionError(`bash: ${text}: division by 0 (error token is "${tokens.slice(pos - 1).join("")}")`);
      }
      left = BigInt.asIntN(64, op.apply(left, right));
    }
  };
  if (tokens.length === 0) return "0";
  const value = binary(0, 0);
  if (pos < tokens.length) throw syntax(text, tokens.slice(pos).join(" "));
  return String(BigInt.asIntN(64, value));
}

function syntax(text: string, token: string): ExpansionError {
  return new ExpansionError(`bash: ${text}: syntax error in expression (error token is "${token}")`);
}

/** Integer power with 64-bit wrap-around, by squaring (bounded work for any exponent). */
function pow(base: bigint, exp: bigint): bigint {
  if (exp < 0n) throw new ExpansionError("bash: exponent less than 0");
  let result = 1n;
  let b = BigInt.asIntN(64, base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = BigInt.asIntN(64, result * b);
    b = BigInt.asIntN(64, b * b);
  }
  return result;
}
