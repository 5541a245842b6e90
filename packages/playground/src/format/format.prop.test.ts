import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCliError } from "../errors.js";
import { formatInspect, formatRows, goMap, parseTemplate, execute, TemplateError, tabwrite } from "./index.js";

// Pieces of template syntax, so random strings reach deep into the parser and evaluator.
const PIECES = [
  "{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", ".", ".Name", ".Tags", ".M", ".M.k", "$", "$x", ":=", "=", "|", "(", ")",
  " ", "\n", "\t", '"', "`", "'", "a", "1", "-2", "1.5", "0x1F", "1e3", "nil", "true", "if", "else", "end", "range", "with",
  "break", "continue", "index", "len", "slice", "printf", "print", "println", "eq", "lt", "and", "or", "not", "json",
  "join", "split", "upper", "title", "pad", "truncate", "html", "js", "urlquery", "call", "template", "define", "%d", "%v",
  ",", "\\", "é", "🐳", "}", "{",
];
const DATA = { Name: "web", Tags: ["a:1", "b:2"], M: goMap({ k: "v", n: 2 }), Size: 3, Ratio: 0.5, Nothing: null };

const templateText = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { maxLength: 25 }).map((p) => p.join(""));

describe("any format string", () => {
  it("parses and runs to a string or a TemplateError, never another exception", () => {
    fc.assert(
      fc.property(templateText, (text) => {
        try {
          const out = execute(parseTemplate(text), DATA);
          expect(typeof out).toBe("string");
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          expect(e.message.startsWith("template: ")).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("gives docker's output or a CliError from formatRows and formatInspect", () => {
    fc.assert(
      fc.property(fc.oneof(templateText, templateText.map((t) => "table " + t)), (format) => {
        for (const f of [() => formatRows({ format, rows: [DATA, { ...DATA, Name: "db" }], defaultFormat: "table {{.Name}}", headers: { Name: "NAME" } }), () => formatInspect(format, [DATA])]) {
          try {
            expect(typeof f()).toBe("string");
          } catch (e) {
            if (!isCliError(e)) throw e;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("the tabwriter keeps every non-tab character in order", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "é", "\t", "\n", " ", "xyz") }), (text) => {
        expect(tabwrite(text).replace(/[ \n]/g, "")).toBe(text.replace(/[ \t\n]/g, ""));
      }),
    );
  });
});
