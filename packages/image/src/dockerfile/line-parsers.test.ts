import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { NOT_STRING_ARRAY, parseMaybeJSON, parseMaybeJSONToList, parseNameOrNameVal, parseNameVal, parseWords } from "./line-parsers.js";

describe("BuildKit line_parsers_test.go and json_test.go", () => {
  it("TestParseNameValOldFormat / NewFormat: triples with separator '' or '='", () => {
    expect(parseNameVal("foo bar", "LABEL", "\\").args).toEqual(["foo", "bar", ""]);
    expect(parseNameVal("foo=bar thing=star", "LABEL", "\\").args).toEqual(["foo", "bar", "=", "thing", "star", "="]);
  });

  it("TestParseNameValWithoutVal: ENV foo is an error (a Dockerfile cannot unset a variable)", () => {
    expect(() => parseNameVal("foo", "ENV", "\\")).toThrow("ENV must have two arguments");
  });

  it("TestJSONArraysOfStrings: valid arrays, whitespace and escapes", () => {
    const valid: [string, string[]][] = [
      ["[]", []], ['[""]', [""]], ['["a"]', ["a"]], ['["a","b"]', ["a", "b"]], ['[ "a", "b" ]', ["a", "b"]],
      ['[\t"a",\t"b"\t]', ["a", "b"]], ['\t[\t"a",\t"b"\t]\t', ["a", "b"]],
      ['["abc 123", "♥", "☃", "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]', ["abc 123", "♥", "☃", '" \\ / \b \f \n \r \t \u0000']],
    ];
    for (const [json, expected] of valid) {
      const r = parseMaybeJSON(json);
      expect(r, json).toEqual({ args: expected, json: true });
    }
  });

  it("TestJSONArraysOfStrings: arrays with non-strings are errors, not shell form", () => {
    for (const json of ['["a",42,"b"]', '["a",123.456,"b"]', '["a",{},"b"]', '["a",{"c": "d"},"b"]', '["a",["c"],"b"]', '["a",true,"b"]', '["a",false,"b"]', '["a",null,"b"]']) {
      expect(() => parseMaybeJSON(json), json).toThrow(DrydockError);
      expect(() => parseMaybeJSON(json), json).toThrow(NOT_STRING_ARRAY);
    }
  });

  it("parseWords: an unterminated quote keeps the partial word (line_parsers.go: inWord || inQuote at end of input)", () => {
    expect(parseWords('"foo', "\\")).toEqual(['"foo']);
    expect(parseWords("a 'b c", "\\")).toEqual(["a", "'b c"]);
    expect(parseWords('"', "\\")).toEqual(['"']);
    expect(parseNameOrNameVal('"foo', "\\").args).toEqual(['"foo']);
    expect(parseNameVal('x="unterminated', "ENV", "\\").args).toEqual(["x", '"unterminated', "="]);
  });

  it("parseJSON uses json.Unmarshal since BuildKit PR #5107: text after the array is not JSON, so shell form", () => {
    expect(parseMaybeJSON('["ls"]random symbols')).toEqual({ args: ['["ls"]random symbols'], json: false });
    expect(parseMaybeJSON('["a", ]')).toEqual({ args: ['["a", ]'], json: false });
    expect(parseMaybeJSONToList('["a","b"] c')).toEqual({ args: ['["a","b"]', "c"], json: false });
  });

  it("parseJSON: a number beyond float64 fails json.Unmarshal itself, so the text is shell form, not the non-string error", () => {
    expect(parseMaybeJSON('["a", 1e999]')).toEqual({ args: ['["a", 1e999]'], json: false });
    expect(parseMaybeJSON("[-1e400]")).toEqual({ args: ["[-1e400]"], json: false });
    expect(() => parseMaybeJSON("[1e300]")).toThrow(NOT_STRING_ARRAY);
  });

  it("parseJSON: Go's decoder turns a lone surrogate escape into U+FFFD", () => {
    expect(parseMaybeJSON('["\\ud800x", "\\udc00", "\\ud83d\\ude00"]').args).toEqual(["\ufffdx", "\ufffd", "😀"]);
  });
});
