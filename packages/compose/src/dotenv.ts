// `.env` and `env_file:` files as compose-go's dotenv parser reads them: `KEY=VALUE`, `export
// KEY=VALUE`, `KEY: VALUE`, comments, a bare `KEY` inheriting from the environment, single quotes
// (literal), double quotes (escapes, then interpolation), unquoted values (an inline " #" comment
// cut, then interpolation of `${VAR}` from earlier lines and the environment).
import { DrydockError } from "@drydock/kernel";
import { interpolate, type Lookup } from "./interpolate.js";

export class DotenvError extends DrydockError {
  constructor(message: string, readonly line: number) {
    super("EDOTENV", message, { line, column: 1 });
  }
}

const isSpace = (c: string) => c === "\t" || c === "\v" || c === "\f" || c === "\r" || c === " " || c === "\u0085" || c === "\u00a0";
const isUnicodeSpace = (c: string) => /\s/u.test(c);

/** Parses an env file's text into its variables, in order. `lookup` answers bare keys and ${VAR}s not defined earlier in the file. */
export function parseDotenv(src: string, lookup: Lookup = () => undefined): Map<string, string> {
  const out = new Map<string, string>();
  let line = 1;
  let rest = src;
  const expand = (value: string) => {
    try {
      return interpolate(value, (name) => out.get(name) ?? lookup(name));
    } catch (e) {
      if (e instanceof DrydockError) throw new DotenvError(e.message, line);
      throw e;
    }
  };
  for (;;) {
    // getStatementStart: skip spaces (counting lines) and comment lines.
    for (;;) {
      let i = 0;
      while (i < rest.length && isUnicodeSpace(rest[i]!)) {
        if (rest[i] === "\n") line++;
        i++;
      }
      rest = rest.slice(i);
      if (rest === "") return out;
      if (rest[0] !== "#") break;
      const nl = rest.indexOf("\n");
      if (nl < 0) return out;
      rest = rest.slice(nl);
    }
    // locateKeyName
    if (/^export\s+/.test(rest)) rest = rest.slice("export".length).replace(/^[\t\v\f\r \u0085\u00a0]+/, "");
    let key = "";
    let offset = -1;
    let inherited = false;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i]!;
      if (isSpace(c)) continue;
      if (c === "=" || c === ":" || c === "\n") {
        key = rest.slice(0, i);
        offset = i + 1;
        inherited = c === "\n";
        break;
      }
      if (c === "_" || c === "." || c === "-" || c === "[" || c === "]" || /[\p{L}\p{N}]/u.test(c)) continue;
      throw new DotenvError(`line ${line}: unexpected character ${JSON.stringify(c)} in variable name ${JSON.stringify(rest.split("\n")[0])}`, line);
    }
    if (offset < 0) {
      // The last line is a bare key with no newline after it.
      key = rest;
      offset = rest.length;
      inherited = true;
    }
    if (inherited && !key.includes(" ")) line++;
    key = key.replace(/\s+$/u, "");
    if (key.includes(" ")) throw new DotenvError(`line ${line}: key cannot contain a space`, line);
    rest = rest.slice(offset).replace(/^[\t\v\f\r \u0085\u00a0]+/, "");
    if (inherited) {
      const v = lookup(key);
      if (v !== undefined) out.set(key, v);
      continue;
    }
    // extractVarValue
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : "";
    if (quote === "") {
      const nl = rest.indexOf("\n");
      let value = nl < 0 ? rest : rest.slice(0, nl);
      rest = nl < 0 ? "" : rest.slice(nl + 1);
      const hash = value.indexOf(" #");
      if (hash >= 0) value = value.slice(0, hash);
      value = value.replace(/\s+$/u, "");
      out.set(key, expand(value));
      line++;
      continue;
    }
    let chars = "";
    let escaped = false;
    let closed = -1;
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i]!;
      if (c === "\n") line++;
      if (c !== quote) {
        if (!escaped && c === "\\") {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += "\\";
        }
        chars += c;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += c;
        continue;
      }
      closed = i;
      break;
    }
    if (closed < 0) {
      const nl = rest.indexOf("\n");
      throw new DotenvError(`line ${line}: unterminated quoted value ${nl < 0 ? rest : rest.slice(0, nl)}`, line);
    }
    out.set(key, quote === '"' ? expand(expandEscapes(chars)) : chars);
    rest = rest.slice(closed + 1);
  }
}

const ESCAPES = new Map<string, string>([["a", "\x07"], ["b", "\b"], ["c", "c"], ["f", "\f"], ["n", "\n"], ["r", "\r"], ["t", "\t"], ["v", "\v"], ['"', '"'], ["\\", "\\"]]);

/** compose-go expandEscapes: shell escapes in double quotes; `\$` becomes `$$` (a literal dollar). */
function expandEscapes(s: string): string {
  return s.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, (m) => {
    if (m === "\\$") return "$$";
    if (m.startsWith("\\0")) {
      const digits = m.slice(2);
      // strconv.UnquoteChar wants exactly three octal digits after the backslash.
      if (digits.length === 3 && /^[0-7]{3}$/.test(digits) && parseInt(digits, 8) < 256) return String.fromCharCode(parseInt(digits, 8));
      return m;
    }
    const c = ESCAPES.get(m[1]!);
    return c === undefined || m[1] === "c" ? m : c;
  });
}
