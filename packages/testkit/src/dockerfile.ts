import fc from "fast-check";

// Dockerfiles drawn from the instruction grammar (the Dockerfile reference, BuildKit's parser):
// valid ones, written in the ways people write them (keyword case, continuations, comments,
// blank lines, the escape directive, exec and shell forms, heredocs), each with what a parser
// must find in it; and mutated ones, for parsers that must fail cleanly.

/** What a parser must find: each instruction's keyword (lower case) and its form. */
export interface DockerfileInstruction {
  readonly keyword: string;
  /** JSON (exec) form. */
  readonly json: boolean;
  /** Heredocs it carries. */
  readonly heredocs: number;
}

export interface GeneratedDockerfile {
  readonly text: string;
  readonly instructions: readonly DockerfileInstruction[];
  /** The escape character the file declares (`# escape=`), default backslash. */
  readonly escape: "\\" | "`";
  /** Stage names, in order (FROM ... AS name). */
  readonly stages: readonly string[];
}

/** One instruction as drawn: its keyword, the argument text, and its form. */
interface Drawn {
  readonly keyword: string;
  readonly args: string;
  readonly json?: boolean;
  readonly heredoc?: { readonly name: string; readonly body: readonly string[] };
}

const word = fc.constantFrom("hello", "app", "data", "x", "build", "srv", "www", "config");
const path = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => "/" + ws.join("/"));
const relPath = fc.oneof(fc.constant("."), fc.array(word, { minLength: 1, maxLength: 2 }).map((ws) => ws.join("/")), fc.constantFrom("app.py", "requirements.txt", "package.json", "src/"));
const envKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const safeValue = fc.oneof(word, fc.constantFrom("1.0", "production", "/usr/local/bin", "a-b_c.d"));
const jsonArray = (items: fc.Arbitrary<string>, min = 1) => fc.array(items, { minLength: min, maxLength: 4 }).map((xs) => JSON.stringify(xs));
const shellCommand = fc.oneof(
  fc.constantFrom("echo hello", "apk add --no-cache curl", "apt-get update && apt-get install -y figlet", "mkdir -p /app/data", "true", "ls -la /", "pip install -r requirements.txt", "touch /tmp/x && rm /tmp/x"),
  fc.array(fc.constantFrom("echo", "hi", "there", "&&", "true", "1", ">", "/tmp/out"), { minLength: 1, maxLength: 5 }).map((ws) => (ws[0] === "&&" || ws[0] === ">" ? ["echo", ...ws] : ws).join(" ").replace(/(&&|>)$/, "$1 true")),
);
const image = fc.constantFrom("alpine:3.5", "busybox", "ubuntu:18.04", "python:3", "node", "nginx", "scratch", "debian", "centos:7");
const duration = fc.constantFrom("30s", "1m", "5s", "1m30s", "100ms");
const signal = fc.constantFrom("SIGTERM", "SIGKILL", "SIGINT", "9", "SIGQUIT");

function instruction(stages: readonly string[]): fc.Arbitrary<Drawn> {
  const copyFrom = stages.length > 0 ? fc.option(fc.constantFrom(...stages), { nil: undefined }) : fc.constant(undefined);
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(
      shellCommand.map((c): Drawn => ({ keyword: "RUN", args: c })),
      jsonArray(fc.constantFrom("/bin/sh", "-c", "echo hi", "true")).map((j): Drawn => ({ keyword: "RUN", args: j, json: true })),
      fc.tuple(fc.constantFrom("EOF", "SCRIPT", "END"), fc.array(shellCommand, { minLength: 1, maxLength: 3 }))
        .map(([name, body]): Drawn => ({ keyword: "RUN", args: `<<${name}`, heredoc: { name, body } })),
    ) },
    { weight: 2, arbitrary: fc.oneof(
      shellCommand.map((c): Drawn => ({ keyword: "CMD", args: c })),
      jsonArray(fc.constantFrom("python", "app.py", "nginx", "-g", "daemon off;", "sh")).map((j): Drawn => ({ keyword: "CMD", args: j, json: true })),
      jsonArray(fc.constantFrom("/bin/sh", "-c"), 1).map((j): Drawn => ({ keyword: "ENTRYPOINT", args: j, json: true })),
      shellCommand.map((c): Drawn => ({ keyword: "ENTRYPOINT", args: c })),
    ) },
    { weight: 2, arbitrary: fc.tuple(copyFrom, fc.array(relPath, { minLength: 1, maxLength: 2 }), path, fc.boolean())
      .map(([stage, srcs, dst, add]): Drawn => ({ keyword: add && !stage ? "ADD" : "COPY", args: `${stage ? `--from=${stage} ` : ""}${[...srcs, dst + "/"].join(" ")}` })) },
    { weight: 2, arbitrary: fc.oneof(
      fc.uniqueArray(fc.tuple(envKey, safeValue), { minLength: 1, maxLength: 3, selector: ([k]) => k }).map((kv): Drawn => ({ keyword: "ENV", args: kv.map(([k, v]) => `${k}=${v}`).join(" ") })),
      fc.tuple(envKey, safeValue).map(([k, v]): Drawn => ({ keyword: "ENV", args: `${k} ${v}` })),
      fc.tuple(envKey, fc.constantFrom("a b", "with space", "x=y")).map(([k, v]): Drawn => ({ keyword: "ENV", args: `${k}="${v}"` })),
    ) },
    { weight: 1, arbitrary: fc.tuple(envKey, fc.option(safeValue, { nil: undefined })).map(([k, v]): Drawn => ({ keyword: "ARG", args: v === undefined ? k : `${k}=${v}` })) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.tuple(fc.constantFrom("maintainer", "version", "org.opencontainers.image.title", "description"), fc.constantFrom("me", "1.0", "\"a b\"", "x")), { minLength: 1, maxLength: 2, selector: ([k]) => k })
      .map((kv): Drawn => ({ keyword: "LABEL", args: kv.map(([k, v]) => `${k}=${v}`).join(" ") })) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.constantFrom("", "/tcp", "/udp")), { minLength: 1, maxLength: 3 })
      .map((ps): Drawn => ({ keyword: "EXPOSE", args: ps.map(([p, proto]) => `${p}${proto}`).join(" ") })) },
    { weight: 1, arbitrary: path.map((p): Drawn => ({ keyword: "WORKDIR", args: p })) },
    { weight: 1, arbitrary: fc.constantFrom("root", "nobody", "1000", "1000:1000", "app").map((u): Drawn => ({ keyword: "USER", args: u })) },
    { weight: 1, arbitrary: fc.oneof(path.map((p): Drawn => ({ keyword: "VOLUME", args: p })), jsonArray(path).map((j): Drawn => ({ keyword: "VOLUME", args: j, json: true }))) },
    { weight: 1, arbitrary: fc.oneof(
      fc.constant<Drawn>({ keyword: "HEALTHCHECK", args: "NONE" }),
      fc.tuple(duration, duration, fc.integer({ min: 1, max: 5 }), shellCommand).map(([i, t, r, c]): Drawn => ({ keyword: "HEALTHCHECK", args: `--interval=${i} --timeout=${t} --retries=${r} CMD ${c}` })),
    ) },
    { weight: 1, arbitrary: fc.constantFrom('["/bin/sh", "-c"]', '["/bin/bash", "-c"]').map((j): Drawn => ({ keyword: "SHELL", args: j, json: true })) },
    { weight: 1, arbitrary: signal.map((s): Drawn => ({ keyword: "STOPSIGNAL", args: s })) },
    { weight: 1, arbitrary: shellCommand.map((c): Drawn => ({ keyword: "ONBUILD", args: `RUN ${c}` })) },
  );
}

/** How the file is written: what varies between people, never what it means. */
interface Layout {
  readonly keywordCase: "upper" | "lower" | "title";
  readonly escape: "\\" | "`";
  readonly syntax: boolean;
  readonly blankLines: boolean;
  readonly comments: boolean;
  readonly continuations: boolean;
  readonly indent: boolean;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  keywordCase: fc.constantFrom("upper", "upper", "lower", "title"),
  escape: fc.constantFrom("\\" as const, "\\" as const, "`" as const),
  syntax: fc.boolean(),
  blankLines: fc.boolean(),
  comments: fc.boolean(),
  continuations: fc.boolean(),
  indent: fc.boolean(),
});

function keywordIn(k: string, c: Layout["keywordCase"]): string {
  return c === "upper" ? k : c === "lower" ? k.toLowerCase() : k[0] + k.slice(1).toLowerCase();
}

function write(stagesDrawn: readonly { readonly from: string; readonly as?: string; readonly body: readonly Drawn[] }[], prelude: readonly Drawn[], l: Layout): GeneratedDockerfile {
  const lines: string[] = [];
  const instructions: DockerfileInstruction[] = [];
  if (l.syntax) lines.push("# syntax=docker/dockerfile:1");
  if (l.escape === "`") lines.push("# escape=`");
  if (l.comments) lines.push("# a Dockerfile drawn by @drydock/testkit");
  const emit = (d: Drawn) => {
    const kw = keywordIn(d.keyword, l.keywordCase);
    const lead = l.indent ? "  " : "";
    let args = d.args;
    // A continuation between two words of a shell-form argument (never inside JSON or a heredoc line).
    if (l.continuations && !d.json && !d.heredoc && args.includes(" ")) {
      const at = args.indexOf(" ");
      args = `${args.slice(0, at)} ${l.escape}\n    ${args.slice(at + 1)}`;
    }
    lines.push(`${lead}${kw} ${args}`);
    if (d.heredoc) lines.push(...d.heredoc.body, d.heredoc.name);
    if (l.blankLines) lines.push("");
    if (l.comments) lines.push(`# after ${d.keyword.toLowerCase()}`);
    instructions.push({ keyword: d.keyword.toLowerCase(), json: d.json === true, heredocs: d.heredoc ? 1 : 0 });
  };
  for (const d of prelude) emit(d);
  const stages: string[] = [];
  for (const s of stagesDrawn) {
    emit({ keyword: "FROM", args: s.as ? `${s.from} ${keywordIn("AS", l.keywordCase)} ${s.as}` : s.from });
    if (s.as) stages.push(s.as);
    for (const d of s.body) emit(d);
  }
  return { text: lines.join("\n") + "\n", instructions, escape: l.escape, stages };
}

/**
 * A valid Dockerfile: ARGs before the first FROM, then one to three stages (later ones may
 * name earlier ones in FROM and COPY --from), each with up to eight instructions of every
 * kind, written in a drawn layout. `instructions` lists what a parser must find, in order.
 */
export function dockerfile(o: { readonly stagesMax?: number; readonly instructionsMax?: number } = {}): fc.Arbitrary<GeneratedDockerfile> {
  const stageNames = fc.uniqueArray(fc.constantFrom("builder", "base", "deps", "test", "build"), { maxLength: (o.stagesMax ?? 3) - 1 });
  return fc.tuple(stageNames, layout, fc.array(fc.tuple(envKey, fc.option(safeValue, { nil: undefined })), { maxLength: 2 })).chain(([named, l, args]) => {
    const count = named.length + 1;
    const stageArbs = Array.from({ length: count }, (_, i) => {
      const earlier = named.slice(0, i);
      return fc.record({
        from: i === 0 ? image : fc.oneof(image, earlier.length > 0 ? fc.constantFrom(...earlier) : image),
        body: fc.array(instruction(earlier), { maxLength: o.instructionsMax ?? 8 }),
      }).map((s) => ({ ...s, ...(i < named.length ? { as: named[i]! } : {}) }));
    });
    const prelude: Drawn[] = args.map(([k, v]) => ({ keyword: "ARG", args: v === undefined ? k : `${k}=${v}` }));
    return fc.tuple(...stageArbs).map((stages) => write(stages, prelude, l));
  });
}

// ---- mutations ----------------------------------------------------------------------------------

/** Characters and fragments that break parsers in interesting ways. */
const NASTY = [
  "\\", "`", "\"", "'", "[", "]", "{", "}", "$", "${", "}", "<<", "EOF", "\n", "\r\n", "\t", " ", "#", "=", ":", ",", "\u0000", "\uFEFF",
  "\u00a0", "é", "😀", "\ud800", "--", "--from=", "AS", "\\\n", "`\n", "%", "*", "?", "~", "|", "&&", ";", "(", ")", "-", "0",
];

/** One edit of a text: insert, delete, replace, duplicate or swap lines, truncate. */
const edit = (text: string): fc.Arbitrary<string> => {
  const at = fc.integer({ min: 0, max: text.length });
  const lines = text.split("\n");
  const line = fc.integer({ min: 0, max: Math.max(0, lines.length - 1) });
  return fc.oneof(
    fc.tuple(at, fc.constantFrom(...NASTY)).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(at, fc.integer({ min: 1, max: 8 })).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    fc.tuple(at, fc.string({ maxLength: 3, unit: "binary" })).map(([i, s]) => text.slice(0, i) + s + text.slice(i + s.length)),
    line.map((i) => [...lines.slice(0, i + 1), lines[i] ?? "", ...lines.slice(i + 1)].join("\n")),
    fc.tuple(line, line).map(([i, j]) => { const ls = [...lines]; [ls[i], ls[j]] = [ls[j]!, ls[i]!]; return ls.join("\n"); }),
    at.map((i) => text.slice(0, i)),
  );
};

/** `text` after one to `editsMax` random edits (fast-check shrinks a failure to the fewest). */
export function mutated(text: fc.Arbitrary<string>, o: { readonly editsMax?: number } = {}): fc.Arbitrary<string> {
  const max = o.editsMax ?? 4;
  const go = (t: string, n: number): fc.Arbitrary<string> => (n === 0 ? fc.constant(t) : edit(t).chain((u) => go(u, n - 1)));
  return fc.tuple(text, fc.integer({ min: 1, max })).chain(([t, n]) => go(t, n));
}

/** A Dockerfile drawn from the grammar, then mutated: mostly broken, sometimes still valid. */
export const mutatedDockerfile = (o: { readonly editsMax?: number } = {}): fc.Arbitrary<string> => mutated(dockerfile().map((d) => d.text), o);
