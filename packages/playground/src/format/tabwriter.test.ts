import { describe, expect, it } from "vitest";
import { AlignRight, Debug, DiscardEmptyColumns, TabWriter, table, tabwrite } from "./tabwriter.js";

describe("Go's text/tabwriter examples", () => {
  // src/text/tabwriter/example_test.go, ExampleWriter_Init.
  it("ExampleWriter_Init: tab padding with a tab stop of 8", () => {
    const out = tabwrite("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n", { minwidth: 0, tabwidth: 8, padding: 0, padchar: "\t", flags: 0 });
    expect(out).toBe("a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n");
  });

  it("ExampleWriter_Init: right-aligned, minimal width 5, one blank of padding", () => {
    const out = tabwrite("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n", { minwidth: 5, tabwidth: 0, padding: 1, padchar: " ", flags: AlignRight });
    expect(out).toBe("    a     b       c         d.\n  123 12345 1234567 123456789.\n\n");
  });

  // The Writer doc comment: "the b and c are in distinct columns (the b column is not
  // contiguous all the way). The d and e are not in a column at all".
  it("aligns column blocks of contiguous lines, not whole columns", () => {
    const out = tabwrite("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: ".", flags: AlignRight | Debug });
    // Column 0 spans all four lines (width 4+1); column 1 is two blocks: lines 1-2 (3+1) and line 4 (4+1).
    expect(out).toBe(".aaaa|.bbb|d\n...aa|...b|dd\n....a|\n...aa|.cccc|eee\n");
  });

  it("DiscardEmptyColumns drops columns of empty soft-tab cells only", () => {
    expect(tabwrite("a\v\vb\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: ".", flags: DiscardEmptyColumns })).toBe("a.b\n");
    expect(tabwrite("a\t\tb\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: ".", flags: DiscardEmptyColumns })).toBe("a..b\n");
  });
});

describe("Docker's settings (minwidth 10, tabwidth 1, padding 3, space)", () => {
  it("pads every column to max(10, widest + 3) and leaves the last cell alone", () => {
    const out = table(
      ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
      [
        ["alpine", "latest", "9c6f07244728", "2 weeks ago", "5.54MB"],
        ["nginx", "1.27-alpine", "a1b2c3d4e5f6", "3 months ago", "48.3MB"],
      ],
    );
    expect(out).toBe(
      "REPOSITORY   TAG           IMAGE ID       CREATED        SIZE\n" +
        "alpine       latest        9c6f07244728   2 weeks ago    5.54MB\n" +
        "nginx        1.27-alpine   a1b2c3d4e5f6   3 months ago   48.3MB\n",
    );
  });

  it("a header alone is a table too", () => {
    expect(table(["VOLUME NAME", "LINKS", "SIZE"], [])).toBe("VOLUME NAME   LINKS     SIZE\n");
  });

  it("a line without tabs ends every column block", () => {
    const out = tabwrite("a\tb\nlong line without tabs\nxxxxxxxxxxxxxxxx\ty\n");
    expect(out).toBe("a         b\nlong line without tabs\nxxxxxxxxxxxxxxxx   y\n");
  });

  it("counts code points, as Go counts runes", () => {
    expect(tabwrite("é\tx\n🐳\tx\nab\tx\n")).toBe("é         x\n🐳         x\nab        x\n");
  });

  it("text after the last newline is written without one", () => {
    expect(tabwrite("a\tb")).toBe("a         b");
  });

  it("writing in pieces gives the same output as writing at once", () => {
    const text = "NAME\tSIZE\nalpine\t5MB\nnginx-with-a-long-name\t40MB\n";
    const w = new TabWriter();
    for (const piece of text.match(/.{1,3}/gs)!) w.write(piece);
    expect(w.flush()).toBe(tabwrite(text));
  });
});
