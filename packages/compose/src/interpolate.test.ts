import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isDrydockError } from "@drydock/kernel";
import { interpolate, interpolateWithWarnings, goQuote } from "./interpolate.js";
import { parseDotenv } from "./dotenv.js";

// compose-go template/template_test.go's mapping.
const defaults = { FOO: "first", BAR: "", JSON: '{"json":2}' };
const sub = (t: string) => interpolate(t, defaults);
const errorOf = (t: string, env: Record<string, string> = defaults): string => {
  try {
    interpolate(t, env);
  } catch (e) {
    if (isDrydockError(e)) return e.message;
    throw e;
  }
  return "no error";
};

describe("interpolate (compose-go template_test.go)", () => {
  it("TestEscaped, TestSubstituteNoMatch, TestUnescaped", () => {
    expect(sub("$${foo}")).toBe("${foo}");
    expect(sub("foo")).toBe("foo");
    for (const t of ["a $ string", "^REGEX$", "$}", "$"]) expect(sub(t)).toBe(t);
  });

  it("TestInvalid: Invalid template, quoted as Go's %#v", () => {
    for (const t of ["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}"]) expect(errorOf(t)).toBe(`Invalid template: ${goQuote(t)}`);
    expect(errorOf('say "${"')).toBe('Invalid template: "say \\"${\\""');
  });

  it("TestNonBraced: an unbraced name ends at the first character not allowed in a name", () => {
    expect(sub("$FOO-bar")).toBe("first-bar");
    expect(sub("$FOO.bar $FOO_X")).toBe("first.bar ");
  });

  it("TestNoValueNoDefault, TestValueNoDefault, TestNoValueWithDefault", () => {
    expect(sub("This ${missing} var")).toBe("This  var");
    expect(sub("This ${BAR} var")).toBe("This  var");
    expect(sub("This $FOO var")).toBe("This first var");
    expect(sub("This ${FOO} var")).toBe("This first var");
    expect(sub("ok ${missing:-def}")).toBe("ok def");
    expect(sub("ok ${missing-def}")).toBe("ok def");
  });

  it("soft and hard defaults, presence values (TestEmptyValueWith*, TestPresentValue*)", () => {
    expect(sub("ok ${BAR:-def}")).toBe("ok def");
    expect(sub("ok ${FOO:-def}")).toBe("ok first");
    expect(sub("ok ${BAR-def}")).toBe("ok ");
    expect(sub("ok ${UNSET_VAR:+presence_value}")).toBe("ok ");
    expect(sub("ok ${UNSET_VAR+presence_value}")).toBe("ok ");
    expect(sub("ok ${FOO:+presence_value}")).toBe("ok presence_value");
    expect(sub("ok ${FOO+presence_value}")).toBe("ok presence_value");
    expect(sub("ok ${BAR+presence_value}")).toBe("ok presence_value");
    expect(sub("ok ${BAR:+presence_value}")).toBe("ok ");
    expect(sub("ok ${BAR:-/non:-alphanumeric}")).toBe("ok /non:-alphanumeric");
  });

  it("TestInterpolationExternalInterference: text outside the braces does not change the operator", () => {
    const cases: [string, string][] = [
      ["-ok ${BAR:-defaultValue}", "-ok defaultValue"], ["+ok ${UNSET:-${BAR-defaultValue}}", "+ok "], ["-ok ${FOO:-defaultValue}", "-ok first"],
      [":-ok ${UNSET-defaultValue}", ":-ok defaultValue"], [":-ok ${BAR-defaultValue}", ":-ok "], [":?ok ${BAR-defaultValue}", ":?ok "],
      [":?ok ${BAR:-defaultValue}", ":?ok defaultValue"], [":+ok ${BAR:-defaultValue}", ":+ok defaultValue"], ["+ok ${BAR-defaultValue}", "+ok "],
      ["?ok ${BAR:-defaultValue}", "?ok defaultValue"],
    ];
    for (const [t, want] of cases) expect(sub(t)).toBe(want);
  });

  it("TestDefaultsWithNestedExpansion: nested defaults", () => {
    const cases: [string, string][] = [
      ["ok ${UNSET_VAR-$FOO}", "ok first"], ["ok ${UNSET_VAR-${FOO}}", "ok first"], ["ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"],
      ["ok ${BAR:-$FOO}", "ok first"], ["ok ${BAR:-${FOO}}", "ok first"], ["ok ${BAR:-${FOO} ${FOO}}", "ok first first"],
      ["ok ${BAR+$FOO}", "ok first"], ["ok ${BAR+$FOO ${FOO:+second}}", "ok first second"],
    ];
    for (const [t, want] of cases) expect(sub(t)).toBe(want);
  });

  it("TestMandatoryVariableErrors (and with nested expansion)", () => {
    expect(errorOf("not ok ${UNSET_VAR:?Mandatory Variable Unset}")).toBe("required variable UNSET_VAR is missing a value: Mandatory Variable Unset");
    expect(errorOf("not ok ${BAR:?Mandatory Variable Empty}")).toBe("required variable BAR is missing a value: Mandatory Variable Empty");
    expect(errorOf("not ok ${UNSET_VAR:?}")).toBe("required variable UNSET_VAR is missing a value");
    expect(errorOf("not ok ${UNSET_VAR?Mandatory Variable Unset}")).toBe("required variable UNSET_VAR is missing a value: Mandatory Variable Unset");
    expect(errorOf("not ok ${UNSET_VAR?}")).toBe("required variable UNSET_VAR is missing a value");
    expect(errorOf("not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}")).toBe("required variable UNSET_VAR is missing a value: Mandatory Variable first");
    expect(errorOf("not ok ${UNSET_VAR?Mandatory Variable ${FOO}}")).toBe("required variable UNSET_VAR is missing a value: Mandatory Variable first");
  });

  it("TestDefaultsForMandatoryVariables, TestPrecedence: the first operator decides", () => {
    expect(sub("ok ${FOO:?err}")).toBe("ok first");
    expect(sub("ok ${FOO?err}")).toBe("ok first");
    expect(sub("ok ${BAR?err}")).toBe("ok ");
    expect(errorOf("${UNSET_VAR?bar-baz}")).toBe("required variable UNSET_VAR is missing a value: bar-baz");
    expect(sub("${UNSET_VAR-myerror?msg}")).toBe("myerror?msg");
    expect(sub("${FOO?bar-baz}")).toBe("first");
    expect(sub("${BAR:-default_value_for_empty_var}")).toBe("default_value_for_empty_var");
    expect(sub("${UNSET_VAR-default_value_for_unset_var}")).toBe("default_value_for_unset_var");
  });

  it("TestNoValueWithCurlyBracesDefault, TestValueWithCurlyBracesDefault", () => {
    expect(sub('ok ${missing:-{"json":1}}')).toBe('ok {"json":1}');
    expect(sub('ok ${missing-{"json":1}}')).toBe('ok {"json":1}');
    expect(sub('ok ${JSON:-{"json":1}}')).toBe('ok {"json":2}');
    expect(sub('ok ${JSON-{"json":1}}')).toBe('ok {"json":2}');
  });

  it("TestSubstituteWithReplacementFunc's last case: two templates in one string", () => {
    expect(sub("ok ${SUBDOMAIN:-redis}.${FOO:?}")).toBe("ok redis.first");
  });

  it("reports the variables that were not set (compose's warning)", () => {
    expect(interpolateWithWarnings("${A} $B ${C:-x} ${FOO}", defaults).unset).toEqual(["A", "B"]);
  });

  it("never throws anything but compose-go's two errors", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom("$", "{", "}", ":", "-", "+", "?", "FOO", "BAR", "x", "$$", " "), { maxLength: 12 }).map((a) => a.join(""))), (t) => {
        try {
          interpolate(t, defaults);
        } catch (e) {
          expect(isDrydockError(e)).toBe(true);
          expect((e as Error).message).toMatch(/^(Invalid template: "[^]*"|required variable [^]+ is missing a value[^]*)$/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe(".env files (compose-go dotenv)", () => {
  it("KEY=VALUE, export, comments, quotes, inline comments, interpolation of earlier lines", () => {
    const env = parseDotenv(`# a comment
export A=1
B = two words   # a comment
C='single $A'
D="double $A\\nline"
E=\${A}-\${UNSET:-dflt}
F: yaml-style
`, () => undefined);
    expect([...env]).toEqual([["A", "1"], ["B", "two words"], ["C", "single $A"], ["D", "double 1\nline"], ["E", "1-dflt"], ["F", "yaml-style"]]);
  });

  it("a bare name inherits from the environment; errors name the line", () => {
    expect([...parseDotenv("HOME\nX=1\n", (n) => (n === "HOME" ? "/root" : undefined))]).toEqual([["HOME", "/root"], ["X", "1"]]);
    // compose-go counts the newline inside the open quote before it reports.
    expect(() => parseDotenv('A=1\nB="open\n')).toThrow(/^line 3: unterminated quoted value "open$/);
    expect(() => parseDotenv("A B=1\n")).toThrow("line 1: key cannot contain a space");
    expect(() => parseDotenv("A!=1\n")).toThrow('line 1: unexpected character "!" in variable name "A!=1"');
  });
});
