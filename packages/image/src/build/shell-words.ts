import { ShellLex, type Env } from "../dockerfile/lex.js";

/**
 * Splits a shell script into simple commands joined by `&&`, `||`, `;`, `|` and newlines,
 * respecting quotes and escapes, then into words with variables expanded (POSIX sh behaviour,
 * enough for the command lines Dockerfiles use).
 */
export type Connector = "&&" | "||" | ";" | "|";

export interface Segment {
  readonly text: string;
  /** How this segment joins the previous one (";" for the first). */
  readonly connector: Connector;
}

export function splitScript(script: string): Segment[] {
  const out: Segment[] = [];
  let buf = "";
  let quote = "";
  let connector: Connector = ";";
  const push = (next: Connector) => {
    if (buf.trim() !== "") out.push({ text: buf.trim(), connector });
    else if (next === "|" || next === "&&" || next === "||") {
      // an operator with nothing before it keeps the earlier connector
    }
    buf = "";
    connector = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      buf += ch;
      if (ch === "\\" && quote === '"' && i + 1 < script.length) buf += script[++i];
      else if (ch === quote) quote = "";
      continue;
    }
    if (ch === "\\" && i + 1 < script.length) {
      if (script[i + 1] === "\n") {
        i++;
        continue;
      }
      buf += ch + script[++i];
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      buf += ch;
      continue;
    }
    if (ch === "#" && (buf === "" || /\s$/.test(buf))) {
      while (i + 1 < script.length && script[i + 1] !== "\n") i++;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      push(two);
      i++;
      continue;
    }
    if (ch === "|") {
      push("|");
      continue;
    }
    if (ch === ";" || ch === "\n") {
      push(";");
      continue;
    }
    if (ch === "&" && script[i + 1] !== ">" && !/[<>]$/.test(buf)) {
      push(";"); // background: run in sequence
      continue;
    }
    buf += ch;
  }
  push(";");
  return out;
}

export interface Word {
  readonly text: string;
  /** The word had an unquoted glob character, so the shell expands it against the filesystem. */
  readonly glob: boolean;
}

const hasUnquotedGlob = (raw: string): boolean => {
  let q = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (q) {
      if (c === q) q = "";
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === "\\") i++;
    else if (c === "*" || c === "?" || c === "[") return true;
  }
  return false;
};

/** Words of one simple command, expanded with `env`. */
export function commandWords(text: string, env: Env, escapeToken = "\\"): Word[] {
  // Fast path: nothing quoted, escaped or globbed, so one expanding pass gives the words.
  if (!/['"*?[\\`]/.test(text)) {
    return new ShellLex(escapeToken).processWords(text, env).map((w) => ({ text: w, glob: /[*?[]/.test(w) }));
  }
  // Substituted values are text: their quotes and `$` must not act again in the unquoting pass.
  const raw = new ShellLex(escapeToken, { rawQuotes: true, rawEscapes: true, escapeExpansions: true }).processWords(text, env);
  const unquote = new ShellLex(escapeToken, { skipUnsetEnv: true });
  return raw.map((w) => ({ text: unquote.processWord(w, new Map()), glob: hasUnquotedGlob(w) }));
}
