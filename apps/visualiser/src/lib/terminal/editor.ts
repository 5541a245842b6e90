// The line discipline of the page's terminal: what each key typed into xterm.js does to the line
// being edited, as bash's readline does it for the keys a learner uses (Enter, Backspace, Left and
// Right, Home and End, Up and Down through history, Ctrl-C, Ctrl-L, Ctrl-U, Tab). Pure: it returns
// what the terminal must print and do; the widget (Terminal.svelte) writes it and runs the line.

/** What a key asks of the terminal besides redrawing the line. */
export type EditEffect =
  | { readonly kind: "none" }
  | { readonly kind: "run"; readonly line: string }
  /** Ctrl-C: the line (returned) is dropped (bash prints ^C and a new prompt), or a running line is interrupted. */
  | { readonly kind: "interrupt"; readonly line: string }
  | { readonly kind: "complete"; readonly before: string }
  | { readonly kind: "clear" };

/** Candidates and the word they replace, as complete() (packages/cli/src/complete.ts) returns them. */
export type Completion = readonly [readonly string[], string];

export class LineEditor {
  line = "";
  cursor = 0;
  /** Lines run, oldest first (bash's history list). */
  private readonly history: string[] = [];
  /** Where Up/Down stand in the history (history.length: the line being typed). */
  private at = 0;
  /** The line being typed when Up first left it. */
  private draft = "";

  /** Lines already run (a reopened link's), oldest first. */
  remember(lines: readonly string[]): void {
    for (const l of lines) if (l.trim() !== "" && this.history[this.history.length - 1] !== l) this.history.push(l);
    this.at = this.history.length;
  }

  /** Forgets the last line run (a password typed at a prompt that does not echo: bash's readline keeps none). */
  forgetLast(line: string): void {
    if (this.history[this.history.length - 1] === line) this.history.pop();
    this.at = this.history.length;
  }

  get lines(): readonly string[] {
    return this.history;
  }

  /** One chunk of input from xterm's onData (a key, an escape sequence or pasted text). */
  feed(data: string): EditEffect {
    switch (data) {
      case "\r": {
        // The history gets the whole command line once it runs (TerminalBinding.submit: a heredoc's lines are one entry).
        const line = this.line;
        this.line = "";
        this.cursor = 0;
        this.draft = "";
        return { kind: "run", line };
      }
      case "\x03": { // Ctrl-C
        const line = this.line;
        this.line = "";
        this.cursor = 0;
        this.at = this.history.length;
        return { kind: "interrupt", line };
      }
      case "\x7f": // Backspace
      case "\b":
        if (this.cursor > 0) {
          this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
          this.cursor--;
        }
        return NONE;
      case "\x1b[3~": // Delete
        this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
        return NONE;
      case "\x1b[D":
        this.cursor = Math.max(0, this.cursor - 1);
        return NONE;
      case "\x1b[C":
        this.cursor = Math.min(this.line.length, this.cursor + 1);
        return NONE;
      case "\x1b[H": case "\x1bOH": case "\x01":
        this.cursor = 0;
        return NONE;
      case "\x1b[F": case "\x1bOF": case "\x05":
        this.cursor = this.line.length;
        return NONE;
      case "\x15": // Ctrl-U: kill to the start of the line
        this.line = this.line.slice(this.cursor);
        this.cursor = 0;
        return NONE;
      case "\x0c": // Ctrl-L
        return { kind: "clear" };
      case "\x1b[A":
        this.recall(-1);
        return NONE;
      case "\x1b[B":
        this.recall(1);
        return NONE;
      case "\t":
        return { kind: "complete", before: this.line.slice(0, this.cursor) };
    }
    if (data.startsWith("\x1b")) return NONE;
    // Typed text; a newline in it runs the line so far (the widget splits a paste into lines first: splitPaste).
    const nl = data.search(/[\r\n]/);
    const text = (nl >= 0 ? data.slice(0, nl) : data).replace(/[\x00-\x1f\x7f]/g, "");
    this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor);
    this.cursor += text.length;
    return nl >= 0 ? this.feed("\r") : NONE;
  }

  /**
   * Applies Tab's candidates: one is inserted; several are listed (returned) after their common
   * prefix is inserted, as readline does on a second Tab.
   */
  applyCompletion([found, word]: Completion): readonly string[] {
    if (found.length === 0) return [];
    const prefix = found.length === 1 ? found[0]! : commonPrefix(found);
    if (prefix.length > word.length) {
      const start = this.cursor - word.length;
      this.line = this.line.slice(0, start) + prefix + this.line.slice(this.cursor);
      this.cursor = start + prefix.length;
    }
    return found.length === 1 ? [] : found;
  }

  private recall(dir: -1 | 1): void {
    const next = this.at + dir;
    if (next < 0 || next > this.history.length) return;
    if (this.at === this.history.length) this.draft = this.line;
    this.at = next;
    this.line = next === this.history.length ? this.draft : this.history[next]!;
    this.cursor = this.line.length;
  }
}

const NONE: EditEffect = { kind: "none" };

function commonPrefix(words: readonly string[]): string {
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * A paste of several lines (a heredoc from the course's page) as the keys that type it: each line
 * then Enter, the last one left on the edit line unless the paste ended with a newline. One chunk
 * of plain typing comes back as it is.
 */
export function splitPaste(data: string): string[] {
  if (data.length <= 1 || !/[\r\n]/.test(data) || data.startsWith("\x1b")) return [data];
  const parts = data.split(/\r\n|\r|\n/);
  const out: string[] = [];
  parts.forEach((p, i) => {
    if (p !== "") out.push(p);
    if (i < parts.length - 1) out.push("\r");
  });
  return out;
}
