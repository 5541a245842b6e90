import fc from "fast-check";

// Go text/template text for `docker ... --format`, drawn from text/template's grammar and the
// functions the Docker CLI adds (json, join, split, lower, upper, title, pad, truncate), over the
// fields of a format context. Every template drawn parses and, over the given fields, executes.

/**
 * Templates over `fields` (e.g. docker images' ID, Repository, Tag, Size): actions, pipelines,
 * variables, if/else/with/range over a split, comments, trim markers and `table` headers.
 */
export function goTemplate(fields: readonly string[]): fc.Arbitrary<string> {
  const field = fc.constantFrom(...fields).map((f) => `.${f}`);
  const str = fc.constantFrom(`"x"`, `":"`, `"/"`, `""`, `"%s"`);
  const value = fc.oneof(
    field,
    field.map((f) => `(lower ${f})`),
    field.map((f) => `(upper ${f})`),
    field.map((f) => `(len ${f})`),
    fc.tuple(field, str).map(([f, s]) => `(join (split ${f} ${s}) ",")`),
    field.map((f) => `(printf "%s!" ${f})`),
    fc.tuple(field, fc.integer({ min: 0, max: 20 })).map(([f, n]) => `(truncate ${f} ${n})`),
  );
  const action = fc.oneof(
    { weight: 4, arbitrary: value.map((v) => `{{${v}}}`) },
    { weight: 1, arbitrary: fc.tuple(field, fc.constantFrom("printf \"%q\"", "printf \"%v\"", "lower", "upper", "title", "json")).map(([f, fn]) => `{{${f} | ${fn}}}`) },
    { weight: 1, arbitrary: field.map((f) => `{{$v := ${f}}}{{$v}}`) },
    { weight: 1, arbitrary: fc.tuple(field, value, value).map(([c, a, b]) => `{{if ${c}}}{{${a}}}{{else}}{{${b}}}{{end}}`) },
    { weight: 1, arbitrary: field.map((c) => `{{with ${c}}}{{.}}{{end}}`) },
    { weight: 1, arbitrary: field.map((f) => `{{range $i, $p := split ${f} ":"}}{{$i}}={{$p}};{{end}}`) },
    { weight: 1, arbitrary: fc.constantFrom("{{/* a comment */}}", "{{- \" \" -}}", "{{json .}}", "{{\"lit\"}}", "{{print 1 2}}", "{{eq 1 1}}", "{{and true false}}", "{{not false}}") },
  );
  const text = fc.constantFrom("", " ", "\\t", ": ", " / ", "|", "\t");
  return fc.tuple(fc.boolean(), fc.array(fc.tuple(text, action), { minLength: 1, maxLength: 4 }))
    .map(([table, parts]) => (table ? "table " : "") + parts.map(([t, a]) => t + a).join(""));
}
