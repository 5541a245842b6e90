import { SCRIPT, STANDARD, type FigFont } from "./figfonts.js";

/** The fonts the simulated figlet package carries (figlet's own fonts directory has more). */
export const FIGLET_FONTS: ReadonlyMap<string, FigFont> = new Map([["standard", STANDARD], ["script", SCRIPT]]);

// figlet.c's horizontal layout bits (full_layout).
const SM_EQUAL = 1;
const SM_LOWLINE = 2;
const SM_HIERARCHY = 4;
const SM_PAIR = 8;
const SM_BIGX = 16;
const SM_HARDBLANK = 32;
const SM_KERN = 64;
const SM_SMUSH = 128;

/** figlet.c `smushem`: the character two overlapping characters make, or "" when they cannot overlap. */
function smushem(l: string, r: string, mode: number, hardblank: string, widths: [number, number]): string {
  if (l === " ") return r;
  if (r === " ") return l;
  if (widths[0] < 2 || widths[1] < 2) return "";
  if ((mode & SM_SMUSH) === 0) return "";
  if ((mode & 63) === 0) {
    // Universal smushing: the right character wins, hard blanks lose.
    if (l === hardblank) return r;
    if (r === hardblank) return l;
    return r;
  }
  if (mode & SM_HARDBLANK && l === hardblank && r === hardblank) return l;
  if (l === hardblank || r === hardblank) return "";
  if (mode & SM_EQUAL && l === r) return l;
  if (mode & SM_LOWLINE) {
    if (l === "_" && "|/\\[]{}()<>".includes(r)) return r;
    if (r === "_" && "|/\\[]{}()<>".includes(l)) return l;
  }
  if (mode & SM_HIERARCHY) {
    const classes = ["|", "/\\", "[]", "{}", "()", "<>"];
    const cl = classes.findIndex((c) => c.includes(l));
    const cr = classes.findIndex((c) => c.includes(r));
    if (cl >= 0 && cr >= 0 && cl !== cr) return cl > cr ? l : r;
  }
  if (mode & SM_PAIR) {
    const p = l + r;
    if (p === "[]" || p === "][" || p === "{}" || p === "}{" || p === "()" || p === ")(") return "|";
  }
  if (mode & SM_BIGX) {
    if (l === "/" && r === "\\") return "|";
    if (r === "/" && l === "\\") return "Y";
    if (l === ">" && r === "<") return "X";
  }
  return "";
}

/**
 * What `figlet [-f font] text` prints: the text in FIGlet letters, smushed or kerned as the font's
 * layout says (figlet.c `smushamt`, `smushem`, `addchar`), hard blanks printed as spaces and
 * trailing blanks kept, as figlet leaves them. Lines wrap at 80 columns, as figlet's default width.
 * Characters outside printable ASCII are left out. Undefined for a font drydock does not have.
 */
export function figlet(text: string, fontName = "standard", width = 80): string | undefined {
  const font = FIGLET_FONTS.get(fontName.replace(/\.flf$/, "").replace(/^.*\//, ""));
  if (!font) return undefined;
  const mode = font.layout;
  const out: string[] = [];
  let rows: string[] = Array.from({ length: font.height }, () => "");
  let prevWidth = 0;
  const flush = (): void => {
    if (rows[0]!.length > 0) out.push(...rows.map((r) => r.split(font.hardblank).join(" ")));
    rows = Array.from({ length: font.height }, () => "");
    prevWidth = 0;
  };
  for (const line of text.split("\n")) {
    for (const ch of line) {
      const code = ch.codePointAt(0)!;
      if (code < 32 || code > 126) continue;
      const glyph = font.glyphs[code - 32]!.split("\n");
      const w = glyph[0]!.length;
      let amount = smushAmount(rows, glyph, mode, font.hardblank, [prevWidth, w]);
      if (rows[0]!.length + w - amount > width && rows[0]!.length > 0) {
        flush();
        amount = smushAmount(rows, glyph, mode, font.hardblank, [prevWidth, w]);
      }
      const len = rows[0]!.length;
      rows = rows.map((row, r) => {
        const g = glyph[r]!;
        let head = row;
        for (let k = 0; k < amount; k++) {
          const at = len - amount + k;
          if (at < 0) continue;
          head = head.slice(0, at) + smushem(head[at]!, g[k]!, mode, font.hardblank, [prevWidth, w]) + head.slice(at + 1);
        }
        return head + g.slice(amount);
      });
      prevWidth = w;
    }
    flush();
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "\n";
}

/** figlet.c `smushamt`: how many columns the next glyph can move left over the line. */
function smushAmount(rows: readonly string[], glyph: readonly string[], mode: number, hardblank: string, widths: [number, number]): number {
  if ((mode & (SM_SMUSH | SM_KERN)) === 0) return 0;
  let max = glyph[0]!.length;
  for (let r = 0; r < rows.length; r++) {
    const line = rows[r]!;
    const g = glyph[r]!;
    let lineBd = line.length;
    let ch1 = "";
    for (;;) {
      ch1 = line[lineBd] ?? "";
      if (lineBd > 0 && (ch1 === "" || ch1 === " ")) lineBd--;
      else break;
    }
    let charBd = 0;
    while (g[charBd] === " ") charBd++;
    const ch2 = g[charBd] ?? "";
    let amt = charBd + line.length - 1 - lineBd;
    if (ch1 === "" || ch1 === " ") amt++;
    else if (ch2 !== "" && smushem(ch1, ch2, mode, hardblank, widths) !== "") amt++;
    if (amt < max) max = amt;
  }
  return max;
}
