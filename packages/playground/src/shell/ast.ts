// The syntax tree of a shell line, following the POSIX shell grammar (XCU 2.10).

/** A piece of a word, keeping what quoting applied to it (POSIX 2.2, 2.6). */
export type WordPart =
  /** Text; `quoted` when single-quoted, backslash-escaped or inside double quotes. */
  | { readonly k: "lit"; readonly text: string; readonly quoted: boolean }
  /** `$name`, `${name}`, `${name:-word}` and friends (POSIX 2.6.2). */
  | { readonly k: "param"; readonly name: string; readonly op: ParamOp | null; readonly arg: Word | null; readonly quoted: boolean }
  /** `${#name}`. */
  | { readonly k: "length"; readonly name: string; readonly quoted: boolean }
  /** `$(...)` and backquotes (POSIX 2.6.3). */
  | { readonly k: "cmd"; readonly program: Program; readonly quoted: boolean }
  /** `$((...))` (POSIX 2.6.4), the expression text before expansion. */
  | { readonly k: "arith"; readonly expr: Word; readonly quoted: boolean };

/** `-` `=` `?` `+` with or without the colon (which also tests for empty), and `#`/`%` trims. */
export type ParamOp = ":-" | "-" | ":=" | "=" | ":?" | "?" | ":+" | "+" | "#" | "##" | "%" | "%%";

export interface Word {
  readonly parts: readonly WordPart[];
}

export type RedirOp = ">" | ">>" | ">|" | "<" | "<>" | ">&" | "<&" | "&>" | "&>>" | "<<" | "<<-" | "<<<";

export interface Redirect {
  /** The file descriptor (default 1 for output, 0 for input). */
  readonly fd: number;
  readonly op: RedirOp;
  /** The target word; for a heredoc, its body (literal parts when the delimiter was quoted). */
  readonly target: Word;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word;
}

export interface SimpleCommand {
  readonly type: "simple";
  readonly assigns: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

export interface Subshell {
  readonly type: "subshell";
  readonly body: Program;
  readonly redirects: readonly Redirect[];
}

export interface Group {
  readonly type: "group";
  readonly body: Program;
  readonly redirects: readonly Redirect[];
}

export interface IfCommand {
  readonly type: "if";
  /** `if` and each `elif`, in order. */
  readonly branches: readonly { readonly cond: Program; readonly body: Program }[];
  readonly otherwise: Program | null;
  readonly redirects: readonly Redirect[];
}

export interface ForCommand {
  readonly type: "for";
  readonly name: string;
  /** null: `for x; do` iterates the positional parameters (none here). */
  readonly items: readonly Word[] | null;
  readonly body: Program;
  readonly redirects: readonly Redirect[];
}

export interface WhileCommand {
  readonly type: "while";
  /** `until` runs while the condition fails. */
  readonly until: boolean;
  readonly cond: Program;
  readonly body: Program;
  readonly redirects: readonly Redirect[];
}

/** `case word in pattern|pattern) list ;; ... esac` (POSIX 2.9.4.3): the first clause whose pattern matches runs. */
export interface CaseCommand {
  readonly type: "case";
  readonly word: Word;
  readonly clauses: readonly { readonly patterns: readonly Word[]; readonly body: Program }[];
  readonly redirects: readonly Redirect[];
}

/** `name() compound-command` or `function name { ...; }` (POSIX 2.9.5): defines, runs nothing. */
export interface FunctionDefinition {
  readonly type: "function";
  readonly name: string;
  readonly body: Command;
}

export type Command = SimpleCommand | Subshell | Group | IfCommand | ForCommand | WhileCommand | CaseCommand | FunctionDefinition;

export interface Pipeline {
  readonly negate: boolean;
  /**
   * bash's `time` reserved word before the pipeline: after it, the shell prints the elapsed
   * real, user and system time to its stderr, in bash's default TIMEFORMAT, or POSIX's with `-p`.
   */
  readonly time?: "bash" | "posix";
  readonly commands: readonly Command[];
}

/** `a && b || c`: the first pipeline, then each operator and the pipeline after it. */
export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: "&&" | "||"; readonly pipeline: Pipeline }[];
  /** Ended by `&`: a background job where the host runs jobs (ShellHost.background), else in the foreground. */
  readonly background: boolean;
  /** With `background`: the list as typed, what `jobs` shows (bash keeps the command's text). */
  readonly source?: string;
}

export interface Program {
  readonly items: readonly AndOr[];
}
