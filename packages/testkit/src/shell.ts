import fc from "fast-check";

// Shell lines as people type them at the playground's prompt (POSIX sh with bash's common
// additions): simple commands with quoted and expanded words, pipelines, and/or lists,
// redirections, subshells and groups, if/for/while, command substitution and heredocs.
// Every line drawn is complete and well formed (a parser must accept it); what it does when run
// is the playground's business.

const COMMANDS = ["echo", "printf", "true", "false", "pwd", "ls", "cat", "wc", "grep", "mkdir", "rm", "touch", "test", "cd", "export", "env", "head", "tail", "sort", "uniq", "basename", "date", "docker"];
const bare = fc.constantFrom("hello", "a", "b", "x.txt", "/tmp", "-l", "-n", "1", "/root", "*.txt", "images", "ps", "--version", "%s\\n", "foo=bar");
const variable = fc.constantFrom("HOME", "PWD", "USER", "X", "PATH", "?", "#", "1");

/** A word: bare, quoted, or with expansions. */
export function shellWord(depth = 0): fc.Arbitrary<string> {
  const arms: fc.Arbitrary<string>[] = [
    bare,
    bare.map((w) => `'${w} ${w}'`),
    fc.tuple(bare, variable).map(([w, v]) => `"${w} $${v}"`),
    variable.map((v) => `$${v}`),
    fc.tuple(variable, bare).map(([v, w]) => `\${${v}:-${w}}`),
    fc.constantFrom("$((1 + 2))", "$((3*4))", "\\$HOME", "a\\ b", "~", "''", "\"\""),
  ];
  if (depth < 2) arms.push(simpleCommand(depth + 1).map((c) => `$(${c})`), simpleCommand(depth + 1).map((c) => `"$(${c})"`));
  return fc.oneof(...arms);
}

function simpleCommand(depth: number): fc.Arbitrary<string> {
  return fc.tuple(fc.option(fc.tuple(variable.filter((v) => /^[A-Z]/.test(v)), bare).map(([v, w]) => `${v}=${w}`), { nil: undefined }), fc.constantFrom(...COMMANDS), fc.array(shellWord(depth), { maxLength: 3 }))
    .map(([assign, cmd, args]) => [assign, cmd, ...args].filter((x) => x !== undefined).join(" "));
}

const redirect = fc.constantFrom("> /tmp/out", ">> /tmp/out", "< /dev/null", "2>&1", "2> /dev/null", ">/dev/null 2>&1");

function command(depth: number): fc.Arbitrary<string> {
  const simple = fc.tuple(simpleCommand(depth), fc.option(redirect, { nil: undefined })).map(([c, r]) => (r ? `${c} ${r}` : c));
  if (depth >= 2) return simple;
  const list = () => andOr(depth + 1);
  return fc.oneof(
    { weight: 6, arbitrary: simple },
    { weight: 1, arbitrary: list().map((l) => `( ${l} )`) },
    { weight: 1, arbitrary: list().map((l) => `{ ${l}; }`) },
    { weight: 1, arbitrary: fc.tuple(list(), list(), fc.option(list(), { nil: undefined })).map(([c, t, e]) => `if ${c}; then ${t};${e ? ` else ${e};` : ""} fi`) },
    { weight: 1, arbitrary: fc.tuple(fc.array(bare, { minLength: 1, maxLength: 3 }), list()).map(([ws, b]) => `for i in ${ws.join(" ")}; do ${b}; done`) },
    { weight: 1, arbitrary: list().map((b) => `while false; do ${b}; done`) },
    // (No case ... esac: the playground's shell does not have it yet; fuzz.shell.test.ts pins that.)
  );
}

function pipeline(depth: number): fc.Arbitrary<string> {
  return fc.tuple(fc.boolean(), fc.array(command(depth), { minLength: 1, maxLength: 3 })).map(([not, cs]) => `${not && cs.length === 1 ? "! " : ""}${cs.join(" | ")}`);
}

function andOr(depth: number): fc.Arbitrary<string> {
  return fc.tuple(pipeline(depth), fc.array(fc.tuple(fc.constantFrom("&&", "||"), pipeline(depth)), { maxLength: 2 }))
    .map(([first, rest]) => [first, ...rest.map(([op, p]) => `${op} ${p}`)].join(" "));
}

/** A whole line: and/or lists separated by `;`, sometimes with a heredoc at the end. */
export function shellLine(): fc.Arbitrary<string> {
  const lists = fc.array(andOr(0), { minLength: 1, maxLength: 3 }).map((ls) => ls.join("; "));
  return fc.oneof(
    { weight: 5, arbitrary: lists },
    { weight: 1, arbitrary: fc.array(fc.constantFrom("line one", "$HOME", "two 'quoted'"), { minLength: 1, maxLength: 3 })
      .map((body) => `cat <<EOF\n${body.join("\n")}\nEOF`) },
  );
}
