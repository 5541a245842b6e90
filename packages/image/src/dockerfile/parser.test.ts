import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { chompHeredocContent, dumpAst, parseDockerfile } from "./parser.js";
import { parseWords } from "./line-parsers.js";
import { DOCKER_DOCKERFILE, DOCKER_RESULT } from "./testdata/docker.js";

function parseError(text: string): DrydockError {
  try {
    parseDockerfile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DrydockError);
    return e as DrydockError;
  }
  throw new Error("expected a parse error");
}

const argsOf = (text: string) => parseDockerfile(text).instructions.map((i) => [i.keyword, i.args]);

describe("parseDockerfile against BuildKit's parser test corpus", () => {
  it("testfiles/docker: tabs, continuations, comments and ENV old-form triples match the result dump", () => {
    expect(argsOf(DOCKER_DOCKERFILE)).toEqual(DOCKER_RESULT);
  });

  it("testfiles/influxdb: the dump matches BuildKit's result file verbatim", () => {
    const df = `FROM ubuntu:14.04

RUN apt-get update && apt-get install --yes --force-yes apt-transport-https curl
RUN curl -sL https://repos.influxdata.com/influxdb.key | apt-key add -
RUN /bin/bash -c 'source /etc/lsb-release && echo "deb https://repos.influxdata.com/\${DISTRIB_ID,,} \${DISTRIB_CODENAME} stable"' | tee "/etc/apt/sources.list.d/influxdb.list"
RUN apt-get update && sudo apt-get install influxdb

CMD service influxdb start

EXPOSE 8086
EXPOSE 8088
EXPOSE 8089/udp
`;
    expect(dumpAst(parseDockerfile(df))).toBe(`(from "ubuntu:14.04")
(run "apt-get update && apt-get install --yes --force-yes apt-transport-https curl")
(run "curl -sL https://repos.influxdata.com/influxdb.key | apt-key add -")
(run "/bin/bash -c 'source /etc/lsb-release && echo \\"deb https://repos.influxdata.com/\${DISTRIB_ID,,} \${DISTRIB_CODENAME} stable\\"' | tee \\"/etc/apt/sources.list.d/influxdb.list\\"")
(run "apt-get update && sudo apt-get install influxdb")
(cmd "service influxdb start")
(expose "8086")
(expose "8088")
(expose "8089/udp")
`);
  });

  it("dump: flags print as Go's %q of a slice, ONBUILD nests its trigger", () => {
    expect(dumpAst(parseDockerfile('FROM a\nHEALTHCHECK --interval=5s CMD ["foo"]\nONBUILD RUN echo hi\n'))).toBe(
      '(from "a")\n(healthcheck ["--interval=5s"] "CMD" "foo")\n(onbuild (run "echo hi"))\n',
    );
  });

  it("testfiles/health: HEALTHCHECK type word then the command, flags kept apart", () => {
    const df = `FROM debian
ADD check.sh main.sh /app/
CMD /app/main.sh
HEALTHCHECK
HEALTHCHECK --interval=5s --timeout=3s --retries=3 \\
  CMD /app/check.sh --quiet
HEALTHCHECK CMD
HEALTHCHECK   CMD   a b
HEALTHCHECK --timeout=3s CMD ["foo"]
HEALTHCHECK CONNECT TCP 7000
`;
    const r = parseDockerfile(df).instructions;
    expect(r.map((i) => [i.keyword, i.flags, i.args])).toEqual([
      ["from", [], ["debian"]],
      ["add", [], ["check.sh", "main.sh", "/app/"]],
      ["cmd", [], ["/app/main.sh"]],
      ["healthcheck", [], []],
      ["healthcheck", ["--interval=5s", "--timeout=3s", "--retries=3"], ["CMD", "/app/check.sh --quiet"]],
      ["healthcheck", [], ["CMD"]],
      ["healthcheck", [], ["CMD", "a b"]],
      ["healthcheck", ["--timeout=3s"], ["CMD", "foo"]],
      ["healthcheck", [], ["CONNECT", "TCP 7000"]],
    ]);
    expect(r[7]!.json).toBe(true);
  });

  it("TestParseWords: quotes and escapes are kept in ARG/ENV words", () => {
    expect(parseWords("foo bar 'abc xyz'", "\\")).toEqual(["foo", "bar", "'abc xyz'"]);
    expect(parseWords('foo bar "abc xyz"', "\\")).toEqual(["foo", "bar", '"abc xyz"']);
    expect(parseWords("foo\\ bar", "\\")).toEqual(["foo\\ bar"]);
    expect(parseWords('föo bàr "âbc xÿz"', "\\")).toEqual(["föo", "bàr", '"âbc xÿz"']);
  });

  it("TestParseIncludesLineNumbers: start and end lines span continuations and skip leading comments", () => {
    const df = "# comment\n\nFROM a\n\n# c\nRUN one \\\n  two \\\n  three\nCMD x\n";
    const r = parseDockerfile(df).instructions;
    expect(r.map((i) => [i.startLine, i.endLine])).toEqual([[3, 3], [6, 8], [9, 9]]);
  });

  it("TestParseWarnsOnEmptyContinutationLine: blank lines inside a continuation warn; comments do not", () => {
    const df = "\nFROM alpine:3.6\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n    thing\nRUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n    # this is an indented comment\n    comment\n\t";
    const r = parseDockerfile(df);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings[0]).toContain("RUN something     following     more");
    expect(r.warnings[1]).toContain("RUN another     thing");
    expect(r.warnings[2]).toContain("will become errors in a future release");
    expect(r.instructions[3]!.args).toEqual(["non-indented    after-comment"]);
    expect(r.instructions[4]!.args).toEqual(["indented     comment"]);
  });
});

describe("parser directives (Dockerfile reference: Parser directives)", () => {
  it("# syntax and # escape are read only before any other line", () => {
    const r = parseDockerfile("# syntax=docker/dockerfile:1\n# escape=`\nFROM windows\nRUN dir `\n  c:\\\n");
    expect(r.directives).toEqual({ syntax: "docker/dockerfile:1", escape: "`" });
    expect(r.escape).toBe("`");
    expect(r.instructions[1]!.args).toEqual(["dir   c:\\"]);
  });

  it("a directive after an instruction, a comment or a blank line is just a comment", () => {
    expect(parseDockerfile("FROM a\n# escape=`\nRUN x \\\n y\n").escape).toBe("\\");
    expect(parseDockerfile("# hello\n# escape=`\nFROM a\n").escape).toBe("\\");
    expect(parseDockerfile("\n# escape=`\nFROM a\n").escape).toBe("\\");
    expect(parseDockerfile("# unknowndirective=x\n# escape=`\nFROM a\n").escape).toBe("\\");
  });

  it("directive keys are case-insensitive; a repeated directive is an error", () => {
    expect(parseDockerfile("# ESCAPE=`\nFROM a\n").escape).toBe("`");
    const e = parseError("# escape=\\\n# escape=`\nFROM a\n");
    expect(e.message).toBe("only one escape parser directive can be used");
    expect(e.location?.line).toBe(2);
  });

  it("TestDetectSyntax: `# syntax` may follow a #! shebang on line 1, but not a blank line; the value keeps its options", () => {
    expect(parseDockerfile("# syntax = dockerfile:experimental // opts\nFROM busybox\n").directives.syntax).toBe("dockerfile:experimental // opts");
    expect(parseDockerfile("#!/bin/sh\n# syntax = dockerfile:experimental\nFROM busybox\n").directives.syntax).toBe("dockerfile:experimental");
    expect(parseDockerfile("#!/bin/sh\n\n# syntax = dockerfile:experimental\nFROM busybox\n").directives.syntax).toBeUndefined();
    expect(parseDockerfile("FROM busybox\nRUN ls\n").directives).toEqual({});
    expect(parseDockerfile("#check = skip=all // opts\nFROM busybox\n").directives.check).toBe("skip=all // opts");
  });

  it("TestDirectives: keys are case-insensitive (`# EScape=\\`)", () => {
    expect(parseDockerfile("# EScape=\\\n# KEY = FOO bar\n\n# smth\nFROM a\n").directives).toEqual({ escape: "\\" });
  });

  it("an escape token other than \\ or ` is rejected", () => {
    expect(parseError("# escape=x\nFROM a\n").message).toBe("invalid escape token 'x' does not match ` or \\");
  });
});

describe("forms and arguments (BuildKit line_parsers.go)", () => {
  it("exec (JSON) form versus shell form; invalid JSON falls back to shell form", () => {
    const r = parseDockerfile('FROM a\nCMD ["echo", "hi"]\nCMD [echo, "hi"]\nRUN ["a" "b"]\nENTRYPOINT []\n').instructions;
    expect([r[1]!.args, r[1]!.json]).toEqual([["echo", "hi"], true]);
    expect([r[2]!.args, r[2]!.json]).toEqual([['[echo, "hi"]'], false]);
    expect([r[3]!.args, r[3]!.json]).toEqual([['["a" "b"]'], false]);
    expect([r[4]!.args, r[4]!.json]).toEqual([[], true]);
  });

  it("a JSON array of non-strings is an error, not shell form", () => {
    const e = parseError("FROM a\nCMD [1, 2]\n");
    expect(e.message).toBe("when using JSON array syntax, arrays must be comprised of strings only");
    expect(e.location?.line).toBe(2);
  });

  it("COPY/ADD/VOLUME split into words with quotes kept; JSON form unquotes", () => {
    const r = parseDockerfile('FROM a\nCOPY "a b" c\nCOPY ["a b", "c"]\nVOLUME /a /b\n').instructions;
    expect(r[1]!.args).toEqual(['"a', 'b"', "c"]);
    expect(r[2]!.args).toEqual(["a b", "c"]);
    expect(r[3]!.args).toEqual(["/a", "/b"]);
  });

  it("ENV and LABEL give key, value, separator triples; the old form needs two arguments", () => {
    const r = parseDockerfile('FROM a\nENV A=1 B="two words" C=\nLABEL "com.example.x"="y z"\nENV K v w\n').instructions;
    expect(r[1]!.args).toEqual(["A", "1", "=", "B", '"two words"', "=", "C", "", "="]);
    expect(r[2]!.args).toEqual(['"com.example.x"', '"y z"', "="]);
    expect(r[3]!.args).toEqual(["K", "v w", ""]);
    const e = parseError("FROM a\nENV ONLYKEY\n");
    expect(e.message).toBe("ENV must have two arguments");
    expect(e.location).toEqual({ line: 2, column: 1 });
    expect(parseError("FROM a\nLABEL x\n").message).toBe("LABEL must have two arguments");
    expect(parseError("FROM a\nENV a=1 b\n").message).toBe(`Syntax error - can't find = in "b". Must be of the form: name=value`);
  });

  it("ARG keeps name and name=value words; FROM and EXPOSE split on whitespace", () => {
    const r = parseDockerfile("ARG VERSION=3.19 OTHER\nFROM alpine:${VERSION} AS build\nEXPOSE 80/tcp  443\n").instructions;
    expect(r[0]!.args).toEqual(["VERSION=3.19", "OTHER"]);
    expect(r[1]!.args).toEqual(["alpine:${VERSION}", "AS", "build"]);
    expect(r[2]!.args).toEqual(["80/tcp", "443"]);
  });

  it("flags: leading --name=value words only, `--` ends them", () => {
    const r = parseDockerfile("FROM a\nCOPY --from=build --chown=1000:1000 /src /dst\nRUN -- --not-a-flag\nCOPY x --chown=1 y\n").instructions;
    expect([r[1]!.flags, r[1]!.args]).toEqual([["--from=build", "--chown=1000:1000"], ["/src", "/dst"]]);
    expect([r[2]!.flags, r[2]!.args]).toEqual([[], ["--not-a-flag"]]);
    expect([r[3]!.flags, r[3]!.args]).toEqual([[], ["x", "--chown=1", "y"]]);
  });

  it("keywords are case-insensitive and reported in lower case; ONBUILD nests its trigger", () => {
    const r = parseDockerfile("from a\nOnBuild RUN echo hi\n").instructions;
    expect(r[0]!.keyword).toBe("from");
    expect(r[1]!.args).toEqual(["run", "RUN echo hi"]);
    expect(r[1]!.trigger?.args).toEqual(["echo hi"]);
  });

  it("an unknown instruction parses (BuildKit rejects it only when the build reads it); parseIgnore leaves one empty node", () => {
    const parsed = parseDockerfile("FROM a\nFOO bar\nBAR\n");
    const r = parsed.instructions;
    expect([r[1]!.keyword, r[1]!.args]).toEqual(["foo", [""]]);
    expect([r[2]!.keyword, r[2]!.args]).toEqual(["bar", [""]]);
    expect(dumpAst(parsed)).toBe('(from "a")\n(foo "")\n(bar "")\n');
  });

  it("regression (fast-check counterexample): an instruction named __proto__ is just unknown", () => {
    expect(parseDockerfile("__proto__").instructions[0]).toMatchObject({ keyword: "__proto__", args: [""] });
  });

  it("whitespace is Go's: unicode.IsSpace (U+0085, U+00A0, not U+FEFF) for words and trimming, [\\t\\v\\f\\r ] for splits", () => {
    expect(argsOf("ARG a\u0085b\u00a0c\ufeffd\nFROM\u0085a\nEXPOSE 1\u00a02\n")).toEqual([
      ["arg", ["a", "b", "c\ufeffd"]], ["from\u0085a", [""]], ["expose", ["1\u00a02"]],
    ]);
    expect(argsOf("FROM a\n\uFEFFRUN x\n")[1]).toEqual(["\ufeffrun", [""]]);
    expect(argsOf("FROM a\n\u0085RUN x\n")[1]).toEqual(["run", ["x"]]);
  });

  it("TestParseReturnsScannerErrors: a line over 65535 bytes stops the scanner", () => {
    const e = parseError(`\n\t\tFROM image\n\t\tLABEL test=${"a".repeat(65_536)}\n`);
    expect(e.message).toBe("dockerfile line greater than max allowed size of 65535");
    expect(e.location?.line).toBe(2);
    // The limit is in UTF-8 bytes: 32,768 two-byte characters are too many, 65,535 ASCII bytes fit.
    expect(parseError(`FROM a\nLABEL x=${"é".repeat(32_768)}\n`).message).toContain("max allowed size");
    expect(parseDockerfile(`FROM a\nRUN ${"a".repeat(65_531)}\n`).instructions).toHaveLength(2);
    // Nothing read before the long line: that is the no-instructions error.
    expect(parseError(`LABEL test=${"a".repeat(65_536)}\n`).message).toBe("file with no instructions");
  });

  it("file with no instructions", () => {
    expect(parseError("").message).toBe("file with no instructions");
    expect(parseError("# only a comment\n\n").message).toBe("file with no instructions");
  });

  it("a UTF-8 byte-order mark on the first line is ignored", () => {
    expect(parseDockerfile("\uFEFFFROM a\n").instructions[0]!.keyword).toBe("from");
  });

  it("CRLF line endings parse like LF", () => {
    expect(argsOf("FROM a\r\nRUN x \\\r\n  y\r\n")).toEqual([["from", ["a"]], ["run", ["x   y"]]]);
  });
});

describe("heredocs (BuildKit parser_heredoc_test.go)", () => {
  const df = `FROM alpine:3.6
USER <<INVALID
INVALID
RUN <<EMPTY
EMPTY
RUN 3<<EMPTY2
EMPTY2
RUN "<<NOHEREDOC"
RUN <<INDENT
\tfoo
INDENT
RUN <<-UNINDENT2
\tbaz
\tUNINDENT2
RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND
RUN <<COMMENT
# internal comment
echo foo bar # trailing comment
COMMENT
COPY <<X <<Y /dest
Y
X
X
Y
RUN ["<<EOF"]
`;
  const r = parseDockerfile(df).instructions;

  it("TestParseExtractsHeredoc: only RUN/COPY/ADD read heredocs; fd, chomp and quoting are recorded", () => {
    expect(r.map((i) => i.keyword)).toEqual(["from", "user", "invalid", "run", "run", "run", "run", "run", "run", "run", "copy", "run"]);
    expect(r[1]!.heredocs).toEqual([]);
    expect(r[3]!.heredocs).toEqual([{ name: "EMPTY", fileDescriptor: 0, expand: true, chomp: false, content: "" }]);
    expect(r[4]!.heredocs[0]!.fileDescriptor).toBe(3);
    expect(r[5]!.heredocs).toEqual([]);
    expect(r[6]!.heredocs[0]!.content).toBe("\tfoo\n");
    expect(r[7]!.heredocs[0]).toMatchObject({ name: "UNINDENT2", chomp: true, content: "\tbaz\n" });
    expect(r[8]!.heredocs[0]).toMatchObject({ name: "NOEXPAND", expand: false, content: "\tdon't expand $NAME\n" });
    expect(r[9]!.heredocs[0]!.content).toBe("# internal comment\necho foo bar # trailing comment\n");
    expect(r[10]!.heredocs.map((h) => [h.name, h.content])).toEqual([["X", "Y\n"], ["Y", "X\n"]]);
    expect(r[10]!.args).toEqual(["<<X", "<<Y", "/dest"]);
  });

  it("TestParseExtractsHeredoc (current BuildKit): blanks may follow `<<`; quoted parts stop expansion", () => {
    const heredocsOf = (text: string) => parseDockerfile(`FROM a\n${text}`).instructions[1]!.heredocs.map((h) => [h.name, h.expand, h.content]);
    expect(heredocsOf("RUN <<  EOF\nx\nEOF\n")).toEqual([["EOF", true, "x\n"]]);
    expect(heredocsOf("RUN <<  EOF  > foo\nEOF\n")).toEqual([["EOF", true, ""]]);
    expect(heredocsOf("RUN << -EOF\n-EOF\n")).toEqual([["-EOF", true, ""]]);
    expect(heredocsOf("RUN <<eo'f'\necho foo\neof\n")).toEqual([["eof", false, "echo foo\n"]]);
    expect(heredocsOf("RUN <<eo\\'f\necho foo\neo'f\n")).toEqual([["eo'f", true, "echo foo\n"]]);
    expect(heredocsOf("RUN <<'e'o\\'f\necho foo\neo'f\n")).toEqual([["eo'f", false, "echo foo\n"]]);
    expect(heredocsOf("RUN <<'one two'\necho bar\none two\n")).toEqual([["one two", false, "echo bar\n"]]);
    expect(heredocsOf("RUN <<$EOF\n$EOF\n")).toEqual([["$EOF", true, ""]]);
    expect(heredocsOf("RUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n")).toEqual([["COMPLEX", true, "print('hello world')\n"]]);
    // TestHeredocsFromLine: `<<-` then a blank splits the word, so no heredoc is read.
    expect(heredocsOf("RUN <<- EOF\n")).toEqual([]);
  });

  it("TestParseJSONHeredoc: the exec form never reads a heredoc", () => {
    expect(r[11]!.heredocs).toEqual([]);
  });

  it("heredoc bodies count in the line numbers", () => {
    expect([r[10]!.startLine, r[10]!.endLine]).toEqual([22, 26]);
  });

  it("TestHeredocChomp and unterminated heredoc", () => {
    expect(chompHeredocContent("\thello\n\tworld\n")).toBe("hello\nworld\n");
    const e = parseError("FROM a\nRUN <<EOF\necho hi\n");
    expect(e.message).toBe("unterminated heredoc");
    expect(e.location?.line).toBe(2);
  });
});
