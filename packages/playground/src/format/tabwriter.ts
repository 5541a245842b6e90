// A port of Go's text/tabwriter (src/text/tabwriter/tabwriter.go), the elastic-tabstops filter
// that docker/cli runs every `table` format through (cli/command/formatter/formatter.go:
// `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`).
//
// The rules copied from Go:
// - Text is split into cells terminated by '\t' (hard tab) or '\v' (soft tab); '\n' and '\f'
//   end a line. A line's last cell (the text after its last tab) is not part of any column.
// - Tab-terminated cells in *contiguous* lines form a column block; each block gets its own
//   width, so a line with fewer cells ends the blocks to its right (Go's doc example:
//   "the b and c are in distinct columns").
// - A column's width is max(minwidth, widest cell + padding).
// - A line with a single cell flushes (it cannot influence later lines), and '\f' always does.
// - Widths count Unicode code points, as Go counts UTF-8 runes. (docker/cli's vendored copy
//   measures East Asian wide runes as 2 with go-runewidth; we keep Go's rule.)
// Not ported: FilterHTML and the 0xff Escape character (they cannot occur in JS text that
// came from UTF-8, and Docker sets neither).

/** Flags, with Go's values and meanings. */
export const AlignRight = 1 << 2;
export const DiscardEmptyColumns = 1 << 3;
export const TabIndent = 1 << 4;
export const Debug = 1 << 5;

export interface TabWriterOptions {
  /** Minimal cell width including any padding (Docker: 10). */
  readonly minwidth?: number;
  /** Width of a tab character when padchar is '\t' (Docker: 1). */
  readonly tabwidth?: number;
  /** Padding added to a cell before computing its width (Docker: 3). */
  readonly padding?: number;
  /** The single character used for padding (Docker: ' '). */
  readonly padchar?: string;
  /** A bitwise OR of AlignRight, DiscardEmptyColumns, TabIndent, Debug (Docker: 0). */
  readonly flags?: number;
}

/** The settings docker/cli uses for every table. */
export const DOCKER_TABWRITER: Required<TabWriterOptions> = { minwidth: 10, tabwidth: 1, padding: 3, padchar: " ", flags: 0 };

interface Cell {
  readonly text: string;
  readonly width: number; // in code points
  readonly htab: boolean; // terminated by '\t' (not '\v')
}

function runeCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Go's tabwriter.Writer: `write` text as often as needed, then `flush` to get the output. */
export class TabWriter {
  private readonly minwidth: number;
  private readonly tabwidth: number;
  private readonly padding: number;
  private readonly padchar: string;
  private readonly flags: number;

  private out = "";
  private lines: Cell[][] = [[]];
  private cell = ""; // the current, incomplete cell
  private widths: number[] = [];

  constructor(options: TabWriterOptions = DOCKER_TABWRITER) {
    const o = { ...DOCKER_TABWRITER, ...options };
    if (o.minwidth < 0 || o.tabwidth < 0 || o.padding < 0) throw new RangeError("negative minwidth, tabwidth, or padding");
    this.minwidth = o.minwidth;
    this.tabwidth = o.tabwidth;
    this.padding = o.padding;
    this.padchar = o.padchar.charAt(0) || " ";
    // Go: "tab padding enforces left-alignment".
    this.flags = this.padchar === "\t" ? o.flags & ~AlignRight : o.flags;
  }

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== "\t" && ch !== "\v" && ch !== "\n" && ch !== "\f") continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell(ch === "\t");
      if (ch === "\n" || ch === "\f") {
        this.lines.push([]);
        // A '\f' always flushes; so does a line of one cell, which cannot affect later lines.
        if (ch === "\f" || ncells === 1) {
          this.flushInternal();
          if (ch === "\f" && this.flags & Debug) this.out += "---\n";
        }
      }
    }
    this.cell += text.slice(start);
  }

  /** Formats everything buffered and returns all output produced since the last flush. */
  flush(): string {
    this.flushInternal();
    const out = this.out;
    this.out = "";
    return out;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1]!;
    line.push({ text: this.cell, width: runeCount(this.cell), htab });
    this.cell = "";
    return line.length;
  }

  private flushInternal(): void {
    if (this.cell.length > 0) this.terminateCell(false);
    this.format(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === "\t" || useTabs) {
      if (this.tabwidth === 0) return; // tabs have no width: no padding possible
      // Make cellw the smallest multiple of tabwidth.
      const w = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      const n = w - textw;
      this.out += "\t".repeat(Math.ceil(n / this.tabwidth));
      return;
    }
    this.out += this.padchar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      // With TabIndent, leading empty cells are padded with tabs.
      let useTabs = (this.flags & TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & Debug) this.out += "|";
        const width = this.widths[j];
        if (c.text.length === 0) {
          if (width !== undefined) this.writePadding(c.width, width, useTabs);
        } else {
          useTabs = false;
          if ((this.flags & AlignRight) === 0) {
            this.out += c.text;
            if (width !== undefined) this.writePadding(c.width, width, false);
          } else {
            if (width !== undefined) this.writePadding(c.width, width, false);
            this.out += c.text;
          }
        }
      });
      // The last buffered line has no newline of its own.
      if (i + 1 === this.lines.length) this.out += this.cell;
      else this.out += "\n";
    }
  }

  // Go's format: find each block of contiguous lines that have a cell in column `column`,
  // compute the block's width, then format the columns to its right recursively.
  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= this.lines[current]!.length - 1) continue;
      // This line has a cell in this column: print the lines before the block.
      this.writeLines(line0, current);
      line0 = current;
      let width = this.minwidth;
      let discardable = true; // all cells empty and soft-tab terminated
      for (; current < line1; current++) {
        const line = this.lines[current]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & DiscardEmptyColumns) width = 0;
      this.widths.push(width);
      this.format(line0, current);
      this.widths.pop();
      line0 = current;
    }
    this.writeLines(line0, line1);
  }
}

/** Runs `text` through a tabwriter (Docker's settings by default) and flushes it. */
export function tabwrite(text: string, options?: TabWriterOptions): string {
  const w = new TabWriter(options);
  w.write(text);
  return w.flush();
}

/** A Docker-style table: cells joined by '\t', each line ended by '\n', through the tabwriter. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], options?: TabWriterOptions): string {
  const lines = [header, ...rows].map((cells) => cells.join("\t") + "\n");
  return tabwrite(lines.join(""), options);
}
