// apimachinery's own cases (k8s.io/apimachinery/pkg/labels/selector_test.go), test by test.
import { describe, expect, it } from "vitest";
import { lexTokens, labelSelectorAsSelector, newRequirement, parseSelector, selectorFromSet, selectorOf, type Labels, type Operator } from "./selector.js";
import { isLabelKey, isLabelValue } from "./validation.js";

const parseError = (text: string): string => {
  try {
    parseSelector(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
};

describe("TestSelectorParse", () => {
  for (const text of ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"]) {
    it(`${JSON.stringify(text)} parses and prints back without spaces`, () => {
      expect(parseSelector(text).toString()).toBe(text.replaceAll(" ", ""));
    });
  }
  for (const text of ["x=a||y=b", "x==a==b", "!x=a", "x<a"]) {
    it(`${JSON.stringify(text)} is refused`, () => { expect(() => parseSelector(text)).toThrow(); });
  }
});

it("TestDeterministicParse: the order of requirements does not matter", () => {
  expect(parseSelector("x=a,a=x").toString()).toBe(parseSelector("a=x,x=a").toString());
  expect(parseSelector("x=a,a=x").toString()).toBe("a=x,x=a");
});

describe("TestSelectorMatches", () => {
  const yes: [string, Labels][] = [
    ["", { x: "y" }], ["x=y", { x: "y" }], ["x=y,z=w", { x: "y", z: "w" }], ["x!=y,z!=w", { x: "z", z: "a" }],
    ["notin=in", { notin: "in" }], ["x", { x: "z" }], ["!x", { y: "z" }], ["x>1", { x: "2" }], ["x<1", { x: "0" }],
    ["foo=bar", { foo: "bar", baz: "blah" }], ["baz=blah", { foo: "bar", baz: "blah" }], ["foo=bar,baz=blah", { foo: "bar", baz: "blah" }],
  ];
  const no: [string, Labels][] = [
    ["x=z", {}], ["x=y", { x: "z" }], ["x=y,z=w", { x: "w", z: "w" }], ["x!=y,z!=w", { x: "z", z: "w" }], ["x", { y: "z" }],
    ["!x", { x: "z" }], ["x>1", { x: "0" }], ["x<1", { x: "2" }],
    ["foo=blah", { foo: "bar", baz: "blah" }], ["baz=bar", { foo: "bar", baz: "blah" }], ["foo=bar,foobar=bar,baz=blah", { foo: "bar", baz: "blah" }],
  ];
  for (const [s, l] of yes) it(`${JSON.stringify(s)} matches ${JSON.stringify(l)}`, () => { expect(parseSelector(s).matches(l)).toBe(true); });
  for (const [s, l] of no) it(`${JSON.stringify(s)} does not match ${JSON.stringify(l)}`, () => { expect(parseSelector(s).matches(l)).toBe(false); });
});

it("TestSetMatches / TestEverything: a set selector, and the empty one", () => {
  const labels = { foo: "bar", baz: "blah" };
  for (const set of [{}, { foo: "bar" }, { baz: "blah" }, { foo: "bar", baz: "blah" }] as Labels[]) expect(selectorFromSet(set).matches(labels)).toBe(true);
  expect(selectorFromSet({}).empty).toBe(true);
  expect(parseSelector("").matches({ x: "y" })).toBe(true);
  expect(selectorFromSet({ b: "1", a: "2" }).toString()).toBe("a=2,b=1");
});

describe("TestLexer and TestLexerSequence", () => {
  const single: [string, string][] = [
    ["", "end"], [",", ","], ["notin", "notin"], ["in", "in"], ["=", "="], ["==", "=="], [">", ">"], ["<", "<"],
    ["!", "!"], ["!=", "!="], ["(", "("], [")", ")"], ["~", "identifier"], ["||", "identifier"],
  ];
  for (const [s, t] of single) it(`${JSON.stringify(s)} is ${t}`, () => { expect(lexTokens(s)[0]).toBe(t); });
  const seqs: [string, string[]][] = [
    ["key in ( value )", ["identifier", "in", "(", "identifier", ")"]],
    ["key notin ( value )", ["identifier", "notin", "(", "identifier", ")"]],
    ["key in ( value1, value2 )", ["identifier", "in", "(", "identifier", ",", "identifier", ")"]],
    ["key", ["identifier"]],
    ["!key", ["!", "identifier"]],
    ["()", ["(", ")"]],
    ["x in (),y", ["identifier", "in", "(", ")", ",", "identifier"]],
    ["== != (), = notin", ["==", "!=", "(", ")", ",", "=", "notin"]],
    ["key>2", ["identifier", ">", "identifier"]],
    ["key<1", ["identifier", "<", "identifier"]],
  ];
  for (const [s, ts] of seqs) it(`${JSON.stringify(s)}`, () => { expect(lexTokens(s)).toEqual([...ts, "end"]); });
});

describe("TestParseOperator: the texts for a missing binary operator", () => {
  it("'!' 'exists' '(' after a key", () => {
    expect(parseError("x !")).toBe("unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseError("x (")).toBe("unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
    expect(parseError("x exists")).toBe("unable to parse requirement: found 'exists', expected: in, notin, =, ==, !=, gt, lt");
  });
});

describe("TestRequirementConstructor", () => {
  const field = (text: string) => text;
  const cases: [string, Operator, string[], string | null][] = [
    ["x1", "in", [], field('values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty')],
    ["x2", "notin", [], field('values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty')],
    ["x3", "in", ["foo"], null],
    ["x4", "notin", ["foo"], null],
    ["x5", "=", ["bar", "foo"], field('values: Invalid value: ["bar","foo"]: exact-match compatibility requires one single value')],
    ["x6", "exists", [], null],
    ["x7", "!", [], null],
    ["x8", "exists", ["foo"], field('values: Invalid value: ["foo"]: values set must be empty for exists and does not exist')],
    ["x9", "in", ["bar"], null],
    ["x11", "gt", ["1"], null],
    ["x12", "lt", ["6"], null],
    ["x13", "gt", [], field("values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required")],
    ["x14", "gt", ["bar"], field('values[0]: Invalid value: "bar": for \'Gt\', \'Lt\' operators, the value must be an integer')],
    ["x15", "lt", ["bar"], field('values[0]: Invalid value: "bar": for \'Gt\', \'Lt\' operators, the value must be an integer')],
  ];
  for (const [key, op, values, err] of cases) {
    it(`${key} ${op} ${JSON.stringify(values)}`, () => {
      if (err === null) expect(newRequirement(key, op, values)).toEqual({ key, operator: op, values });
      else expect(() => newRequirement(key, op, values)).toThrow(err);
    });
  }
  it("a key of 254 characters, a value of 254, a value with a space", () => {
    expect(() => newRequirement("a".repeat(254), "exists", [])).toThrow(/^key: Invalid value: "a{254}": name part must be no more than 63 bytes$/);
    expect(() => newRequirement("x16", "=", ["a".repeat(254)])).toThrow(/^values\[0\]\[x16\]: Invalid value: "a{254}": must be no more than 63 bytes$/);
    expect(() => newRequirement("x17", "=", ["a b"])).toThrow(
      `values[0][x17]: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });
});

describe("TestToString", () => {
  const r = (k: string, op: Operator, v: string[] = []) => newRequirement(k, op, v);
  it("prints each operator as apimachinery does", () => {
    expect(selectorOf([r("x", "in", ["abc", "def"]), r("y", "notin", ["jkl"]), r("z", "exists")]).toString()).toBe("x in (abc,def),y notin (jkl),z");
    expect(selectorOf([r("x", "notin", ["abc", "def"]), r("y", "!=", ["jkl"]), r("z", "!")]).toString()).toBe("x notin (abc,def),y!=jkl,!z");
    expect(selectorOf([r("x", "notin", ["abc"]), r("y", "in", ["jkl", "mno"]), r("z", "notin", [""])]).toString()).toBe("x notin (abc),y in (jkl,mno),z notin ()");
    expect(selectorOf([r("x", "=", ["abc"]), r("y", "==", ["jkl"]), r("z", "!=", ["a"]), r("z", "exists")]).toString()).toBe("x=abc,y==jkl,z!=a,z");
    expect(selectorOf([r("x", "gt", ["2"]), r("y", "lt", ["8"]), r("z", "exists")]).toString()).toBe("x>2,y<8,z");
  });
});

describe("TestRequirementSelectorMatching", () => {
  const r = (k: string, op: Operator, v: string[] = []) => newRequirement(k, op, v);
  const cases: [Labels, ReturnType<typeof r>[], boolean][] = [
    [{ x: "foo", y: "baz" }, [r("x", "in", ["foo"]), r("y", "notin", ["alpha"])], true],
    [{ x: "foo", y: "baz" }, [r("x", "in", ["foo"]), r("y", "in", ["alpha"])], false],
    [{ y: "" }, [r("x", "notin", [""]), r("y", "exists")], true],
    [{ y: "" }, [r("x", "!"), r("y", "exists")], true],
    [{ y: "" }, [r("x", "notin", [""]), r("y", "!")], false],
    [{ y: "baz" }, [r("x", "in", [""])], false],
    [{ z: "2" }, [r("z", "gt", ["1"])], true],
    [{ z: "v2" }, [r("z", "gt", ["1"])], false],
  ];
  cases.forEach(([labels, reqs, want], i) => it(`case ${i}`, () => { expect(selectorOf(reqs).matches(labels)).toBe(want); }));
});

describe("TestSetSelectorParser", () => {
  const good: [string, string][] = [
    ["", ""],
    ["\rx", "x"],
    ["this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"],
    ["this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"],
    ["0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"],
    ["foo  in\t (abc)", "foo in (abc)"],
    ["x notin\n (abc)", "x notin (abc)"],
    ["x  notin\t\t\t(abc,def)", "x notin (abc,def)"],
    ["x in (abc,def)", "x in (abc,def)"],
    ["x in (abc,)", "x in (,abc)"],
    ["x in (abc,abc)", "x in (abc)"],
    ["x in ()", "x in ()"],
    ["x in (a,,)", "x in (,a)"],
    ["x in (a,,,)", "x in (,a)"],
    ["x in (a,,,,,,)", "x in (,a)"],
    ["x in (a,,a,,a,,a,,)", "x in (,a)"],
    ["x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"],
    ["x,y in (a)", "x,y in (a)"],
    ["x=a", "x=a"],
    ["x>1", "x>1"],
    ["x<7", "x<7"],
    ["x=a,y!=b", "x=a,y!=b"],
    ["x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"],
    ["x notin ( )", "x notin ()"],
    ["x notin (, a)", "x notin (,a)"],
    ["a ", "a"],
    ["a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"],
  ];
  for (const [text, canonical] of good) it(`${JSON.stringify(text)} -> ${JSON.stringify(canonical)}`, () => { expect(parseSelector(text).toString()).toBe(canonical); });
  const bad: [string, string][] = [
    ["x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
    ["x,,y", "found ',', expected: identifier after ','"],
    [",x,y", "found ',', expected: !, identifier, or 'end of string'"],
    ["x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ["a in (xyz),", "found '', expected: identifier after ','"],
    ["a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"],
    ["a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ["a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ["a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ["(", "found '(', expected: !, identifier, or 'end of string'"],
  ];
  for (const [text, err] of bad) it(`${JSON.stringify(text)} is refused`, () => { expect(parseError(text)).toBe(err); });
});

describe("label keys and values (content.IsLabelKey, IsLabelValue)", () => {
  it("a key: prefix and name, their texts", () => {
    expect(isLabelKey("app.kubernetes.io/name")).toEqual([]);
    expect(isLabelKey("/x")).toEqual(["prefix part must be non-empty"]);
    expect(isLabelKey("a/b/c")[0]).toMatch(/^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
    expect(isLabelKey("Example.com/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain must consist of/);
    expect(isLabelKey("x/")).toEqual(["name part must be non-empty", expect.stringMatching(/^name part must consist of/)]);
    expect(parseError("-x")).toMatch(/^unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters/);
  });
  it("a value: empty is valid; 63 bytes at most", () => {
    expect(isLabelValue("")).toEqual([]);
    expect(isLabelValue("a".repeat(63))).toEqual([]);
    expect(isLabelValue("a".repeat(64))).toEqual(["must be no more than 63 bytes"]);
  });
});

describe("metav1.LabelSelector (matchLabels and matchExpressions)", () => {
  it("both kinds combine into one selector", () => {
    const s = labelSelectorAsSelector({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }, { key: "canary", operator: "DoesNotExist" }] });
    expect(s.toString()).toBe("app=web,!canary,tier in (a,b)");
    expect(s.matches({ app: "web", tier: "a" })).toBe(true);
    expect(s.matches({ app: "web", tier: "a", canary: "1" })).toBe(false);
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: "x", operator: "Near" as "In" }] })).toThrow('"Near" is not a valid label selector operator');
  });
});

describe("an error's location: the column where the parser stood", () => {
  const at = (text: string) => {
    try { parseSelector(text); } catch (e) { return (e as { location?: { column: number } }).location?.column; }
    return null;
  };
  it("points at the offending token", () => {
    expect(at("x,,y")).toBe(3);
    expect(at("a in (xyz)b notin ()")).toBe(11);
    expect(at("app=web,tier in (a b)")).toBe(20);
    expect(at("(")).toBe(1);
    expect(at("a in (xyz),")).toBe(12);
  });
});
