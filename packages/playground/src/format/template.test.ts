import { describe, expect, it } from "vitest";
import { goFloat, goJson, goMap, goStruct, renderTemplate, TemplateError } from "./index.js";

const run = (text: string, data?: unknown): string => renderTemplate(text, data);
const errorOf = (text: string, data?: unknown): string => {
  try {
    run(text, data);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as Error).message;
  }
  throw new Error(`no error from ${text}`);
};

describe("text, actions, trim markers and comments (parse/lex.go)", () => {
  it("copies text and prints fields and chained fields", () => {
    expect(run("id: {{.Id}}", { Id: "sha256:abc" })).toBe("id: sha256:abc");
    expect(run("{{.Config.Env}}", { Config: { Env: ["PATH=/bin", "A=1"] } })).toBe("[PATH=/bin A=1]");
  });

  it("trims spaces and newlines next to {{- and -}}", () => {
    expect(run("a \n {{- .X -}} \n b", { X: 1 })).toBe("a1b");
    expect(run("{{-3}}")).toBe("-3"); // "{{-3" is not a trim marker: it needs a space
  });

  it("drops comments, trim markers included", () => {
    expect(run("a{{/* note */}}b")).toBe("ab");
    expect(run("a {{- /* note */ -}} b")).toBe("ab");
  });

  it("allows newlines inside actions (Go ≥ 1.16)", () => {
    expect(run("{{\n.X\n}}", { X: "y" })).toBe("y");
  });
});

describe("literals", () => {
  it("strings with Go escapes, raw strings, chars, numbers, bools, nil", () => {
    expect(run('{{"a\\tb\\u00e9\\x41"}}')).toBe("a\tbéA");
    expect(run("{{`a\\nb`}}")).toBe("a\\nb");
    expect(run("{{'a'}}")).toBe("97");
    expect(run("{{0x1F}} {{1_000}} {{-2}} {{true}}")).toBe("31 1000 -2 true");
  });

  it("prints float64 as %v does (shortest, exponent from 1e+06)", () => {
    expect(run("{{1.5}} {{1.0}} {{1e6}} {{0.000001}} {{123456.0}}")).toBe("1.5 1 1e+06 1e-06 123456");
    expect(run("{{.}}", 0.1 + 0.2)).toBe("0.30000000000000004");
    expect(run("{{.}}", goFloat(2))).toBe("2");
  });
});

describe("printing values as fmt's %v", () => {
  it("slices, maps (sorted keys), structs, nil", () => {
    expect(run("{{.}}", ["a", "b", 3])).toBe("[a b 3]");
    expect(run("{{.}}", goMap({ b: 1, a: "x" }))).toBe("map[a:x b:1]");
    expect(run("{{.}}", new Map([["z", true], ["m", false]]))).toBe("map[m:false z:true]");
    expect(run("{{.}}", { Name: "web", Size: 3, Tags: ["a"] })).toBe("{web 3 [a]}");
    expect(run("{{.}}", [null, "x"])).toBe("[<nil> x]");
    expect(run("{{.Missing}}", goMap({}))).toBe("<no value>");
  });
});

describe("variables, pipelines, parentheses", () => {
  it("declares and assigns variables; $ is the data", () => {
    expect(run("{{$x := .Name}}{{$x}}/{{$.Name}}", { Name: "a" })).toBe("a/a");
    expect(run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}")).toBe("2");
  });

  it("pipes the previous value in as the last argument", () => {
    expect(run('{{.Name | upper | printf "%s!"}}', { Name: "x" })).toBe("X!");
    expect(run('{{(index .Tags 1) | printf "<%v>"}}', { Tags: ["a", "b"] })).toBe("<b>");
    expect(run("{{(index . 0).Name}}", [{ Name: "first" }])).toBe("first");
  });
});

describe("if, with, range (exec.go walkIfOrWith, walkRange)", () => {
  it("if / else if / else by Go's truth", () => {
    const t = '{{if .A}}a{{else if .B}}b{{else}}none{{end}}';
    expect(run(t, { A: "", B: [1] })).toBe("b");
    expect(run(t, { A: 0, B: [] })).toBe("none");
    expect(run(t, { A: { X: 1 }, B: 0 })).toBe("a"); // a struct is always true
  });

  it("with sets dot; else with (Go ≥ 1.23)", () => {
    expect(run("{{with .Config}}{{.User}}{{end}}", { Config: { User: "root" } })).toBe("root");
    expect(run("{{with .A}}a{{else with .B}}{{.}}{{else}}none{{end}}", { A: "", B: "b" })).toBe("b");
  });

  it("ranges over slices, maps in sorted key order, integers, with else", () => {
    expect(run("{{range $i, $v := .}}{{$i}}={{$v}} {{end}}", ["a", "b"])).toBe("0=a 1=b ");
    expect(run("{{range $k, $v := .}}{{$k}}:{{$v}},{{end}}", goMap({ b: 2, a: 1 }))).toBe("a:1,b:2,");
    expect(run("{{range .}}x{{else}}empty{{end}}", [])).toBe("empty");
    expect(run("{{range .Missing}}x{{else}}none{{end}}", goMap({}))).toBe("none");
    expect(run("{{range 3}}{{.}}{{end}}")).toBe("012");
  });

  it("break and continue (Go ≥ 1.18)", () => {
    const t = "{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}";
    expect(run(t, [1, 2, 3, 4, 5])).toBe("13");
  });
});

describe("builtins (funcs.go)", () => {
  it("and, or, not return Go's values and short-circuit", () => {
    expect(run("{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{not 0}}")).toBe("0 x true");
    expect(run("{{or .A .Missing.Deeper}}", goMap({ A: "first" }))).toBe("first");
  });

  it("len, index, slice count bytes in strings", () => {
    expect(run("{{len .}}", "héllo")).toBe("6");
    expect(run('{{index .A 1}} [{{index .M "k"}}] [{{index .M "nope"}}]', { A: [0, 42], M: goMap({ k: "v" }) })).toBe("42 [v] []");
    expect(run('{{slice "hello" 1 3}} {{slice . 1}}', [1, 2, 3])).toBe("el [2 3]");
  });

  it("print, println, printf as fmt's Sprint, Sprintln, Sprintf", () => {
    expect(run('{{print 1 2 "a" 3}}')).toBe("1 2a3");
    expect(run('{{println 1 "a"}}')).toBe("1 a\n");
    expect(run('{{printf "%5.2f|%-4s|%q|%x|%03d" 3.14159 "ab" "x" "hi" 7}}')).toBe(' 3.14|ab  |"x"|6869|007');
    expect(run('{{printf "%d %d" "x"}}')).toBe("%!d(string=x) %!d(MISSING)");
    expect(run('{{printf "a" 1}}')).toBe("a%!(EXTRA int=1)");
  });

  it("comparisons", () => {
    expect(run('{{eq 2 1 2}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}')).toBe("true true true true true false");
    expect(run('{{eq .Missing "x"}}', goMap({}))).toBe("false");
  });

  it("html, js, urlquery", () => {
    expect(run("{{html \"<a href='x'>\"}}")).toBe("&lt;a href=&#39;x&#39;&gt;");
    expect(run('{{js "a\'b<"}}')).toBe("a\\'b\\u003C");
    expect(run('{{urlquery "a b&c"}}')).toBe("a+b%26c");
  });
});

describe("docker/cli's functions (templates/templates.go)", () => {
  it("json: compact, sorted map keys, struct fields in order, HTML not escaped", () => {
    expect(run("{{json .}}", { Name: "<b>&", Ports: goMap({ "80/tcp": goMap({}) }), Size: 1.5 })).toBe('{"Name":"<b>&","Ports":{"80/tcp":{}},"Size":1.5}');
    expect(run("{{json .}}", goMap({ b: null, a: [1, "x"] }))).toBe('{"a":[1,"x"],"b":null}');
  });

  it("join, split, lower, upper, title", () => {
    expect(run('{{join .RepoTags ", "}}', { RepoTags: ["a:1", "a:2"] })).toBe("a:1, a:2");
    expect(run('{{split "a:b:c" ":"}} {{index (split .Image ":") 0}}', { Image: "nginx:1.27" })).toBe("[a b c] nginx");
    expect(run('{{lower "ABC"}} {{upper "abc"}} {{title "hello wide-world_x"}}')).toBe("abc ABC Hello Wide-World_x");
  });

  it("pad adds spaces around non-empty strings; truncate cuts bytes", () => {
    expect(run('[{{pad "x" 2 1}}][{{pad "" 2 2}}]')).toBe("[  x ][]");
    expect(run('{{truncate "abcdef" 3}} {{truncate "ab" 3}}')).toBe("abc ab");
  });
});

describe("Go's JSON encoding (encoding/json)", () => {
  it("escapes HTML by default, control characters, U+2028", () => {
    expect(goJson("<a>&\b\f\n\u0001\u2028")).toBe('"\\u003ca\\u003e\\u0026\\b\\f\\n\\u0001\\u2028"');
    expect(goJson(goStruct({ Name: "x", hidden: 1 }))).toBe('{"Name":"x"}');
    expect(() => goJson(goFloat(NaN))).toThrow("json: unsupported value: NaN");
  });
});

describe("data as Go values: structs, maps, methods, no prototype", () => {
  it("calls function-valued struct fields as methods with the template's arguments", () => {
    const row = { Labels: "a=1", Label: (k: string) => (k === "a" ? "1" : "") };
    expect(run('{{.Label "a"}}', row)).toBe("1");
  });

  it("never reaches Object.prototype", () => {
    expect(run("{{.constructor}}|{{index . \"__proto__\"}}", goMap({}))).toBe("<no value>|");
    expect(errorOf("{{.constructor}}", { Name: "x" })).toBe('template: :1:2: executing "" at <.constructor>: can\'t evaluate field constructor in type struct { Name string }');
  });
});

describe("parse errors, in Go's words", () => {
  it.each([
    ["{{.Foo}", 'template: :1: unexpected "}" in operand'],
    ["{{.Foo", "template: :1: unclosed action"],
    ["a\n{{.X\n\n", "template: :4: unclosed action started at :2"],
    ["{{if .X}}a", "template: :1: unexpected EOF"],
    ["{{end}}", "template: :1: unexpected {{end}}"],
    ["{{foo}}", 'template: :1: function "foo" not defined'],
    ["{{$x}}", 'template: :1: undefined variable "$x"'],
    ["{{}}", "template: :1: missing value for command"],
    ['{{.X | "a"}}', "template: :1: non executable command in pipeline stage 2"],
    ["{{range .}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}"],
    ["{{break}}", "template: :1: {{break}} outside {{range}}"],
    ['{{"abc}}', "template: :1: unterminated quoted string"],
    ["{{3x}}", 'template: :1: bad number syntax: "3x"'],
    ["{{.X %}}", 'template: :1: unexpected "%" in operand'],
    ["{{/* x }}", "template: :1: unclosed comment"],
    ['{{"\\q"}}', "template: :1: invalid syntax"],
  ])("%j", (text, message) => {
    expect(errorOf(text, {})).toBe(message);
  });
});

describe("execution errors, in Go's words", () => {
  it.each<[string, unknown, string]>([
    ["{{.Foo}}", goStruct({ ID: "x" }, "*formatter.imageContext"), 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.imageContext'],
    ["{{.Name.Foo}}", { Name: "x" }, 'template: :1:7: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string'],
    ["{{index .A 5}}", { A: [1] }, 'template: :1:2: executing "" at <index .A 5>: error calling index: index out of range: 5'],
    ["{{len 3}}", {}, 'template: :1:2: executing "" at <len 3>: error calling len: len of type int'],
    ['{{eq "a" 1}}', {}, 'template: :1:2: executing "" at <eq "a" 1>: error calling eq: incompatible types for comparison: string and int'],
    ["{{nil}}", {}, 'template: :1:2: executing "" at <nil>: nil is not a command'],
    ['{{join .A ","}}', { A: [1, 2] }, 'template: :1:7: executing "" at <.A>: wrong type for value; expected []string; got []int'],
    ["{{upper}}", {}, 'template: :1:2: executing "" at <upper>: wrong number of args for upper: want 1 got 0'],
    ["{{range .}}{{end}}", { A: 1 }, 'template: :1:8: executing "" at <.>: range can\'t iterate over {1}'],
  ])("%s", (text, data, message) => {
    expect(errorOf(text, data)).toBe(message);
  });

  it("a field of nothing is nothing, arguments or not (evalField's invalid receiver)", () => {
    expect(run('{{.Missing.Deeper.Still "x"}}', goMap({}))).toBe("<no value>");
  });

  it("keeps what was written before the error", () => {
    try {
      run("ok {{.Foo}}", { Bar: 1 });
    } catch (e) {
      expect((e as TemplateError).output).toBe("ok ");
    }
  });
});
