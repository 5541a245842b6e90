// What a small C program prints, read from its source at compile time (QA 2026-11-30 #4): gcc records
// it in the binary it writes, and the engine runs the binary as that output (engine programs/compiled.ts).
// A source that does not parse fails as gcc does: `FILE:LINE:COL: error: …`, exit 1.

/** The marker drydock writes in a compiled binary's bytes, before the recorded behaviour as JSON. */
export const COMPILED_MARKER = "\u0000drydock-cc:";

export interface CompiledBehaviour {
  readonly stdout: string;
  readonly exit: number;
}

export type CompileResult = { readonly ok: true; readonly run: CompiledBehaviour } | { readonly ok: false; readonly error: string };

/** The source with comments, string and char literals blanked (same length, newlines kept). */
function blank(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|^[ \t]*#[^\n]*/gm, (m) => m.replace(/[^\n]/g, " "));
}

function lineCol(src: string, at: number): { line: number; col: number } {
  const before = src.slice(0, at);
  const line = before.split("\n").length;
  return { line, col: at - before.lastIndexOf("\n") };
}

/** C's escapes in a string literal, and printf's `%%`. */
function unescapeC(lit: string, printf: boolean): string {
  const s = lit.replace(/\\(n|t|r|\\|"|'|0|a|b|f|v)/g, (_m, c: string) => ({ n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", 0: "", a: "\u0007", b: "\b", f: "\f", v: "\v" } as Record<string, string>)[c] ?? c);
  return printf ? s.replace(/%%/g, "%") : s;
}

/** Checks `src` (named `file`) the way gcc's parser would fail on the course's mistakes, and reads what it prints. */
export function compileC(file: string, src: string): CompileResult {
  const b = blank(src);
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < b.length; i++) {
    const ch = b[i]!;
    if (ch === "(" || ch === "{" || ch === "[") {
      // gcc: a `{` inside a function declarator's parameter list.
      if (ch === "{" && stack[stack.length - 1]?.ch === "(") {
        const { line, col } = lineCol(src, i);
        return { ok: false, error: `${file}:${line}:${col}: error: expected declaration specifiers or '...' before '{' token` };
      }
      stack.push({ ch, at: i });
    } else if (ch === ")" || ch === "}" || ch === "]") {
      const open = stack.pop();
      const want = ch === ")" ? "(" : ch === "}" ? "{" : "[";
      if (open === undefined || open.ch !== want) {
        const { line, col } = lineCol(src, i);
        return { ok: false, error: `${file}:${line}:${col}: error: expected identifier or '(' before '${ch}' token` };
      }
    }
  }
  if (stack.length > 0) {
    const end = src.replace(/\s+$/, "").length;
    const { line, col } = lineCol(src, Math.max(0, end - 1));
    return { ok: false, error: `${file}:${line}:${col + 1}: error: expected declaration or statement at end of input` };
  }
  const main = /\bmain\s*\([^)]*\)\s*\{/.exec(b);
  if (main === null) return { ok: true, run: { stdout: "", exit: 0 } };
  // main's body: from its `{` to the matching `}`.
  const start = main.index + main[0].length;
  let depth = 1;
  let end = start;
  for (; end < b.length && depth > 0; end++) {
    if (b[end] === "{") depth++;
    else if (b[end] === "}") depth--;
  }
  const body = src.slice(start, end - 1);
  let stdout = "";
  for (const m of body.matchAll(/\b(printf|puts)\s*\(\s*((?:"(?:\\.|[^"\\\n])*"\s*)+)/g)) {
    const lit = [...m[2]!.matchAll(/"((?:\\.|[^"\\\n])*)"/g)].map((x) => x[1]!).join("");
    stdout += m[1] === "puts" ? `${unescapeC(lit, false)}\n` : unescapeC(lit, true);
  }
  const ret = /\breturn\s+(-?\d+)\s*;/.exec(blank(body));
  const exit = ret ? ((Number(ret[1]) % 256) + 256) % 256 : 0;
  return { ok: true, run: { stdout, exit } };
}

/** A compiled binary's bytes: an ELF header, the recorded behaviour, padding to `size`. */
export function compiledBinary(run: CompiledBehaviour, size: number): string {
  const head = `\u007fELF\u0002\u0001\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000${COMPILED_MARKER}${JSON.stringify(run)}\u0000`;
  return head + "\u0000".repeat(Math.max(0, size - head.length));
}
