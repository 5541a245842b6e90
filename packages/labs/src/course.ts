// labs/course.yaml: the labs in the course's order (`drydock lab` lists them so). A lab file that
// is not listed, or a listed name with no file, is an error: the list and the files stay one set.
import { isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { LabError, type Lab } from "./format.js";

/** Orders labs by the course file's list of slugs; throws a located LabError when the two disagree. */
export function orderLabs(labs: readonly Lab[], courseText: string, file: string): Lab[] {
  const lc = new LineCounter();
  const doc = parseDocument(courseText, { lineCounter: lc, prettyErrors: false });
  const at = (offset: number, path: string, detail: string): never => {
    const pos = lc.linePos(offset);
    throw new LabError(file, pos.line, pos.col, path, detail);
  };
  const err = doc.errors[0];
  if (err) at(err.pos[0], "", err.message.split("\n")[0]!);
  const list = doc.contents;
  if (!isSeq(list)) return at(0, "", "must be a list of lab names, in the course's order");
  const bySlug = new Map(labs.map((l) => [l.slug, l]));
  const out: Lab[] = [];
  list.items.forEach((n, i) => {
    const offset = (n as { range?: [number, number, number] }).range?.[0] ?? 0;
    if (!isScalar(n) || typeof n.value !== "string") return at(offset, `[${i}]`, "must be a lab's name");
    const lab = bySlug.get(n.value);
    if (!lab) return at(offset, `[${i}]`, `no lab file labs/${n.value}.yaml`);
    if (out.includes(lab)) return at(offset, `[${i}]`, `${n.value} is listed twice`);
    out.push(lab);
  });
  const missing = labs.filter((l) => !out.includes(l));
  if (missing.length > 0) at(courseText.length, "", `not listed: ${missing.map((l) => l.slug).join(", ")} (every lab file has its place in the course)`);
  return out;
}
