// What docker/cli does with --format.
//
// List commands (cli/command/formatter/formatter.go, Context.Write):
//   - no format, "" or "table": the command's default format;
//   - "table ..." (any format starting with "table"): the rest is the template, each row is
//     rendered and ended with "\n", a header row is rendered from the same template against the
//     command's header map, and the whole runs through the tabwriter (10, 1, 3, ' ', 0);
//   - "json": each row as `{{json .}}` (Docker ≥ 23), keys sorted (formatter.MarshalJSON builds a map);
//   - anything else: each row rendered and ended with "\n", no header, no tabwriter.
//   In every case the format is trimmed of spaces and the two-character sequences `\t` and `\n`
//   become a tab and a newline (preFormat's strings.NewReplacer).
// Inspect (cli/command/inspect/inspector.go): no format prints an indented JSON array, "json"
// a compact one; a template renders each object on its own line, with no `\t` replacement;
// when it fails on the typed object it is retried on the raw JSON (every object a map) with
// missingkey=error.
import { fail } from "../errors.js";
import { HEADER_FUNCS } from "./funcs.js";
import { goJson } from "./gojson.js";
import { tabwrite } from "./tabwriter.js";
import { TemplateError, execute, parseTemplate, type Template } from "./template.js";
import { goMap, goStruct } from "./value.js";

export interface FormatRowsOptions {
  /** The --format flag (undefined when not given). */
  readonly format?: string | undefined;
  /** One object per row, fields named as docker's template fields (Repository, Tag, ID, ...). */
  readonly rows: readonly object[];
  /** The command's default format, e.g. "table {{.Repository}}\t{{.Tag}}\t...". */
  readonly defaultFormat: string;
  /** Field name to column header, as docker's per-command header map (image.go's newImageContext). */
  readonly headers: Readonly<Record<string, string>>;
  /** The Go type named in "can't evaluate field X in type T" (docker: "*formatter.imageContext"). */
  readonly typeName?: string;
}

const TABLE = "table";

/** formatter.go preFormat: the template text of a format. */
export function templateText(format: string): string {
  let text = format;
  if (format.startsWith(TABLE)) text = format.slice(TABLE.length);
  else if (format === "json") text = "{{json .}}";
  text = text.replace(/^ +| +$/g, "");
  return text.replace(/\\[tn]/g, (m) => (m === "\\t" ? "\t" : "\n"));
}

const parsingError = (e: unknown): never => {
  if (e instanceof TemplateError) return fail("CLIENT", `template parsing error: ${e.message}`);
  throw e;
};

/**
 * Renders list rows as `docker images --format ...` does. Returns stdout; throws a CliError
 * ("template parsing error: ...") when the template does not parse or fails on a row.
 */
export function formatRows(options: FormatRowsOptions): string {
  const format = options.format === undefined || options.format === "" || options.format === TABLE ? options.defaultFormat : options.format;
  const isTable = format.startsWith(TABLE);
  const isJson = format === "json";
  let tmpl: Template;
  try {
    tmpl = parseTemplate(templateText(format));
  } catch (e) {
    return parsingError(e);
  }
  let body = "";
  for (const row of options.rows) {
    // A row is a struct of docker's context; for "json" it is the map MarshalJSON builds.
    // (MarshalJSON calls only the methods without arguments: function-valued fields are left out.)
    const data = isJson
      ? goMap(Object.fromEntries(Object.entries(row).filter(([, v]) => typeof v !== "function")))
      : options.typeName !== undefined
        ? goStruct({ ...row }, options.typeName)
        : row;
    try {
      body += execute(tmpl, data) + "\n";
    } catch (e) {
      return parsingError(e);
    }
  }
  if (!isTable) return body;
  // The header is the template run on the header map with the header functions; an error is
  // ignored and what was written before it is kept (docker ignores Execute's error there).
  let header: string;
  const headers = new Map(Object.entries(options.headers));
  try {
    header = execute(tmpl, headers, { funcs: HEADER_FUNCS });
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    header = e.output;
  }
  return tabwrite(header + "\n" + body);
}

/** Every object of a JSON value as a Go map (what json.Decode into interface{} gives). */
function rawValue(v: unknown): unknown {
  const copy = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(copy);
    if (x !== null && typeof x === "object") return goMap(Object.fromEntries(Object.entries(x).map(([k, e]) => [k, copy(e)])));
    return x;
  };
  try {
    return copy(JSON.parse(goJson(v, { escapeHTML: false })));
  } catch {
    return undefined;
  }
}

export interface InspectResult {
  /** What docker prints on stdout. */
  readonly output: string;
  /** One message per object that failed ("template parsing error: ..."), for stderr. */
  readonly errors: readonly string[];
  /** 0; 1 when an object failed; 64 when the template does not parse (docker's StatusError). */
  readonly exitCode: 0 | 1 | 64;
}

/** `docker inspect --format` in full: stdout, per-object errors and docker's exit code. */
export function inspectObjects(format: string | undefined, objects: readonly unknown[]): InspectResult {
  if (format === undefined || format === "" || format === "json") {
    // Raw API JSON, re-indented (json.Indent, 4 spaces) or compacted; the daemon does not escape HTML.
    const indent = format === "json" ? "" : "    ";
    const text = objects.length === 0 ? "[]" : goJson([...objects], { escapeHTML: false, indent });
    return { output: text + "\n", errors: [], exitCode: 0 };
  }
  let tmpl: Template;
  try {
    tmpl = parseTemplate(format);
  } catch (e) {
    if (e instanceof TemplateError) return { output: "", errors: [`template parsing error: ${e.message}`], exitCode: 64 };
    throw e;
  }
  let output = "";
  const errors: string[] = [];
  for (const obj of objects) {
    try {
      output += execute(tmpl, obj) + "\n";
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      // tryRawInspectFallback: the raw JSON decoded into maps, with missingkey=error.
      try {
        output += execute(tmpl, rawValue(obj), { missingKey: "error" }) + "\n";
      } catch (raw) {
        if (!(raw instanceof TemplateError)) throw raw;
        errors.push(`template parsing error: ${raw.message}`);
      }
    }
  }
  // Flush: an empty buffer still prints a newline.
  return { output: output === "" ? "\n" : output, errors, exitCode: errors.length > 0 ? 1 : 0 };
}

/**
 * `docker inspect --format`: returns stdout; throws a CliError with docker's message when the
 * template does not parse or fails on an object (the lines of objects that succeeded are then
 * lost: use inspectObjects to keep them).
 */
export function formatInspect(format: string | undefined, objects: readonly unknown[]): string {
  const r = inspectObjects(format, objects);
  if (r.errors.length > 0) return fail("CLIENT", r.errors.join("\n"));
  return r.output;
}
