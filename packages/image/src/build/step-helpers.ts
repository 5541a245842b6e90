import type { Micros } from "@drydock/kernel";
import { ShellLex } from "../dockerfile/lex.js";
import type { HistoryEntry } from "../image/image.js";
import { dirname } from "../util/path.js";

/** The comment BuildKit's Dockerfile frontend puts on the history entries it writes. */
export const BUILDKIT_COMMENT = "buildkit.dockerfile.v0";

/**
 * Variable expansion in an unquoted heredoc body: `$VAR` and `${VAR}` expand; quotes are text
 * (a shell does not remove quotes in a here-document). Malformed substitutions stay as written.
 */
export function expandHeredoc(content: string, env: ReadonlyMap<string, string>): string {
  const lex = new ShellLex("\\");
  let out = "";
  for (let i = 0; i < content.length; i++) {
    const ch = content[i]!;
    if (ch === "\\" && (content[i + 1] === "$" || content[i + 1] === "\\")) {
      out += content[++i];
      continue;
    }
    if (ch !== "$") {
      out += ch;
      continue;
    }
    let end = i + 1;
    if (content[end] === "{") {
      let depth = 0;
      for (; end < content.length; end++) {
        if (content[end] === "{") depth++;
        else if (content[end] === "}" && --depth === 0) break;
      }
      end++;
    } else while (end < content.length && /[A-Za-z0-9_]/.test(content[end]!)) end++;
    const expr = content.slice(i, end);
    try {
      out += lex.processWord(expr, env);
    } catch {
      out += expr;
    }
    i = end - 1;
  }
  return out;
}

/** Metadata history entries are values; sharing equal ones lets image-ID hashing reuse its work. */
const metaEntries = new Map<string, HistoryEntry>();
export function metaEntry(created: Micros, text: string): HistoryEntry {
  const k = `${created}\u0001${text}`;
  let e = metaEntries.get(k);
  if (!e) {
    if (metaEntries.size >= 8192) metaEntries.clear();
    e = Object.freeze({ created, createdBy: text, emptyLayer: true, comment: BUILDKIT_COMMENT });
    metaEntries.set(k, e);
  }
  return e;
}

/** Targets of cache and tmpfs mounts in a RUN's --mount flags (one mount per line). */
/** A `RUN --mount=type=bind` (the default type): `source` of the context, a stage or an image at `target`. */
export interface BindMount {
  readonly from: string | undefined;
  readonly source: string;
  readonly target: string;
}

export function bindMounts(spec: string): BindMount[] {
  const out: BindMount[] = [];
  for (const m of spec.split("\n")) {
    const fields = new Map(m.split(",").map((f) => {
      const eq = f.indexOf("=");
      return eq < 0 ? [f, "true"] as const : [f.slice(0, eq), f.slice(eq + 1)] as const;
    }));
    if ((fields.get("type") ?? "bind") !== "bind") continue;
    const target = fields.get("target") ?? fields.get("dst") ?? fields.get("destination");
    if (!target) continue;
    out.push({ from: fields.get("from"), source: fields.get("source") ?? fields.get("src") ?? "/", target });
  }
  return out;
}

export function mountTargets(spec: string): string[] {
  const out: string[] = [];
  for (const m of spec.split("\n")) {
    const fields = new Map(m.split(",").map((f) => {
      const eq = f.indexOf("=");
      return eq < 0 ? [f, "true"] as const : [f.slice(0, eq), f.slice(eq + 1)] as const;
    }));
    const type = fields.get("type") ?? "bind";
    const target = fields.get("target") ?? fields.get("dst") ?? fields.get("destination");
    if ((type === "cache" || type === "tmpfs" || type === "bind") && target) out.push(target);
  }
  return out;
}

export function dirsBetween(top: string, bottom: string): string[] {
  const out: string[] = [];
  let p = bottom;
  while (p !== top && p !== "/" && p.startsWith(top)) {
    out.unshift(p);
    p = dirname(p);
  }
  return out;
}

