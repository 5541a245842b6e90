// History expansion of a typed line (GNU bash manual, "History Expansion"; readline's
// histexpand.c): `!!`, `!n`, `!-n` and `!string` (the newest line that starts with it). Not in
// single quotes, nor where bash's inhibit function leaves `!` alone (`$!`, `${!x}`, `[!a]`), nor
// before a blank, `=`, `(` or the line's end.
import type { History } from "./host.js";

export type Expanded = { readonly line: string; readonly expanded: boolean } | { readonly event: string };

export function expandHistory(line: string, history: History): Expanded {
  if (!line.includes("!")) return { line, expanded: false };
  const n = history.length;
  let out = "";
  let expanded = false;
  let single = false;
  let double = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\" && !single) {
      out += c + (line[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "'" && !double) single = !single;
    else if (c === '"' && !single) double = !double;
    const next = line[i + 1] ?? "";
    const prev = line[i - 1] ?? "";
    if (c !== "!" || single || next === "" || /[\s=(]/.test(next) || (double && next === '"') || prev === "$" || prev === "{" || prev === "[") {
      out += c;
      continue;
    }
    const m = /^!(!|-?\d+|[A-Za-z_./][^\s;&|()<>'"]*)/.exec(line.slice(i));
    if (m === null) {
      out += c;
      continue;
    }
    const spec = m[1]!;
    let found: string | undefined;
    if (spec === "!") found = history.slice(n - 1)[0];
    else if (/^-\d+$/.test(spec)) found = Number(spec) >= -n ? history.slice(n + Number(spec), n + Number(spec) + 1)[0] : undefined;
    else if (/^\d+$/.test(spec)) found = Number(spec) >= 1 ? history.slice(Number(spec) - 1, Number(spec))[0] : undefined;
    else found = history.slice().reverse().find((l) => l.startsWith(spec));
    if (found === undefined) return { event: m[0] };
    out += found;
    expanded = true;
    i += m[0].length - 1;
  }
  return { line: out, expanded };
}
