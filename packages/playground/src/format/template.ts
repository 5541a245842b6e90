// The public face of the template engine: Go's text/template as `docker --format` uses it.
//
//   const t = parseTemplate("{{range .RepoTags}}{{.}} {{end}}");   // throws TemplateError
//   execute(t, { RepoTags: ["alpine:3.20", "alpine:latest"] });     // "alpine:3.20 alpine:latest "
//
// Data is read as Go values by the rule in value.ts (plain objects with upper-case keys are
// structs, other objects and Maps are maps, goMap/goStruct mark a value explicitly).
import { ExecFailure, execute as run } from "./exec.js";
import { DOCKER_FUNCS, type FuncMap, withFuncs } from "./funcs.js";
import { type ListNode, ParseFailure, parse } from "./parse.js";

/** A parse or execution error; `message` is Go's text ("template: :1: unexpected ..."). */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    message: string,
    readonly phase: "parse" | "exec",
    /** Execution errors: what the template wrote before it failed. */
    readonly output = "",
  ) {
    super(message);
  }
}

export interface Template {
  readonly name: string;
  readonly text: string;
  readonly root: ListNode;
  /** The functions it was parsed with (the builtins plus these). */
  readonly funcs: FuncMap;
}

export interface ParseOptions {
  /** The template's name, shown in errors ("template: NAME:1: ..."); docker's is "". */
  readonly name?: string;
  /** Functions besides Go's builtins; docker/cli's (json, join, ...) by default. */
  readonly funcs?: FuncMap;
}

export interface ExecuteOptions {
  /** Functions replacing those of the same name (Go's tmpl.Funcs), e.g. docker's header functions. */
  readonly funcs?: FuncMap;
  /** Go's Option("missingkey=error"): a missing map key is an error instead of "<no value>". */
  readonly missingKey?: "default" | "error";
}

export function parseTemplate(text: string, options: ParseOptions = {}): Template {
  const name = options.name ?? "";
  const funcs = withFuncs(options.funcs ?? DOCKER_FUNCS);
  try {
    return { name, text, root: parse(text, (f) => funcs.has(f), name), funcs };
  } catch (e) {
    if (e instanceof ParseFailure) throw new TemplateError(e.message, "parse");
    throw e;
  }
}

export function execute(template: Template, data: unknown, options: ExecuteOptions = {}): string {
  const funcs = options.funcs ? withFuncs(template.funcs, options.funcs) : template.funcs;
  try {
    return run(template, data, funcs, options.missingKey === undefined ? {} : { missingKey: options.missingKey });
  } catch (e) {
    if (e instanceof ExecFailure) throw new TemplateError(e.message, "exec", e.output);
    throw e;
  }
}

/** Parses and executes in one step. */
export function renderTemplate(text: string, data: unknown, options: ParseOptions & ExecuteOptions = {}): string {
  return execute(parseTemplate(text, options), data, options);
}
