import fc from "fast-check";

// A small YAML writer for the generators of compose files and manifests: the documents are drawn
// as values, then written in one of the styles people write (2 or 4 spaces, sequences in block or
// flow style, strings plain where YAML allows or quoted), so a parser sees the same value in
// different clothes. It writes only YAML 1.2 that every parser reads the same way.

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

export interface YamlStyle {
  /** Spaces per level (2 or 4). */
  readonly indent: number;
  /** Short sequences of scalars as [a, b] rather than one "- a" per line. */
  readonly flowSequences: boolean;
  /** Every string double-quoted, even where plain would do. */
  readonly quoteAll: boolean;
  /** Single quotes instead of double where a string must be quoted and has no quote or backslash. */
  readonly singleQuotes: boolean;
  /** A comment line at the top and after some keys. */
  readonly comments: boolean;
}

export const yamlStyle = (): fc.Arbitrary<YamlStyle> =>
  fc.record({ indent: fc.constantFrom(2, 4), flowSequences: fc.boolean(), quoteAll: fc.boolean(), singleQuotes: fc.boolean(), comments: fc.boolean() });

export const PLAIN_STYLE: YamlStyle = { indent: 2, flowSequences: false, quoteAll: false, singleQuotes: false, comments: false };

/** Words YAML 1.1 parsers read as booleans or null, and anything that looks like a number: never plain. */
const AMBIGUOUS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(\.?[0-9][0-9_.:eE+-]*|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|0x[0-9a-fA-F]+|0o[0-7]+))$/;

/** A string as a YAML scalar: plain when it is safe to, else quoted. */
export function yamlString(s: string, style: YamlStyle = PLAIN_STYLE, inFlow = false): string {
  const plain = /^[A-Za-z0-9_/.$][A-Za-z0-9_/.$@=:+-]*$/.test(s) && !AMBIGUOUS.test(s) && !s.includes(": ") && !s.endsWith(":") && !(inFlow && /[,[\]{}]/.test(s));
  if (plain && !style.quoteAll) return s;
  if (style.singleQuotes && !/['\\\n\t\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)) return `'${s}'`;
  // JSON's escapes are YAML's double-quoted escapes; U+2028/9 are escaped so lines stay lines.
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function scalar(v: string | number | boolean | null, style: YamlStyle, inFlow = false): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? ".inf" : v < 0 ? "-.inf" : ".nan";
  return yamlString(v, style, inFlow);
}

const isScalar = (v: YamlValue): v is string | number | boolean | null => v === null || typeof v !== "object";

/** Writes a value as a YAML document (a mapping or sequence at the top). */
export function toYaml(value: YamlValue, style: YamlStyle = PLAIN_STYLE): string {
  const lines: string[] = [];
  if (style.comments) lines.push("# written by @drydock/testkit");
  const pad = (depth: number) => " ".repeat(depth * style.indent);
  const write = (v: YamlValue, depth: number): void => {
    if (Array.isArray(v)) {
      for (const item of v as readonly YamlValue[]) {
        if (isScalar(item)) lines.push(`${pad(depth)}- ${scalar(item, style)}`);
        else if (Array.isArray(item) && item.length === 0) lines.push(`${pad(depth)}- []`);
        else if (!Array.isArray(item) && Object.keys(item).length === 0) lines.push(`${pad(depth)}- {}`);
        else {
          // "-" and spaces, then the first line of the item, at the column of the rest of it.
          const at = lines.length;
          write(item, depth + 1);
          lines[at] = `${pad(depth)}-${" ".repeat(style.indent - 1)}${lines[at]!.slice(pad(depth + 1).length)}`;
        }
      }
      return;
    }
    const map = v as { readonly [key: string]: YamlValue };
    for (const [k, item] of Object.entries(map)) {
      const key = yamlString(k, { ...style, quoteAll: false });
      if (isScalar(item)) lines.push(`${pad(depth)}${key}: ${scalar(item, style)}`);
      else if (Array.isArray(item) && (item.length === 0 || (style.flowSequences && item.length <= 4 && item.every(isScalar)))) {
        lines.push(`${pad(depth)}${key}: [${(item as (string | number | boolean | null)[]).map((x) => scalar(x, style, true)).join(", ")}]`);
      } else if (!Array.isArray(item) && Object.keys(item).length === 0) lines.push(`${pad(depth)}${key}: {}`);
      else {
        lines.push(`${pad(depth)}${key}:${style.comments && depth === 0 ? `  # ${k}` : ""}`);
        write(item, depth + 1);
      }
    }
  };
  write(value, 0);
  return lines.join("\n") + "\n";
}
