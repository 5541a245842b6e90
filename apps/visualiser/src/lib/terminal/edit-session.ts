// nano, vi or vim typed at the page's terminal (playground world/editor.ts asks the terminal for
// the file's new text): the page opens a text area over the terminal, and this is what its keys
// mean. nano's flow: ^O writes the buffer (the file is written when the editor exits: the world
// takes one answer), ^X exits, asking "Save modified buffer?" when the text changed since the last
// write; ^S saves and exits here (the page has no second screen to stay on); Esc quits without
// saving, as vim's :q! does. Pure: the overlay (EditorOverlay.svelte) draws it and sends the answer.

export type EditorProgram = "nano" | "vi" | "vim";

/** What a key did: the editor stays (with a status line to show), or it exits with the file's text. */
export type EditOutcome =
  | { readonly kind: "stay"; readonly status: string }
  | { readonly kind: "exit"; readonly text: string };

/**
 * nano and vim end a saved file with a newline (nano without --nonewlines, vim's 'fixeol'), so
 * `cat` shows its last line whole.
 */
export function withFinalNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

/** The program typed at the line: nano, vi or vim (the first of them in it), nano when none shows. */
export function programOf(line: string): EditorProgram {
  const m = /(?:^|[\s;&|(])(?:\S*\/)?(nano|vim|vi)(?=\s|$)/.exec(line);
  return (m?.[1] as EditorProgram | undefined) ?? "nano";
}

export class EditSession {
  /** The text last written with ^O (what the file holds when the editor exits without saving again). */
  private written: string;
  /** ^X asked "Save modified buffer?": the next key answers it. */
  asking = false;

  /** `path`: the file's name as the editor shows it (as typed, relative to the prompt's directory). */
  constructor(readonly program: EditorProgram, readonly path: string, readonly original: string) {
    this.written = original;
  }

  /** The title bar: nano's `GNU nano 7.2  FILE` (Debian 12's nano), vim's name and version. */
  get title(): string {
    return this.program === "nano" ? `GNU nano 7.2  ${this.path}` : `VIM - Vi IMproved 9.0  "${this.path}"`;
  }

  /** ^O: writes the buffer (nano's "[ Wrote N lines ]"), the editor stays. */
  writeOut(text: string): EditOutcome {
    this.written = withFinalNewline(text);
    const lines = this.written === "" ? 0 : this.written.split("\n").length - 1;
    return { kind: "stay", status: `[ Wrote ${lines} line${lines === 1 ? "" : "s"} ]` };
  }

  /** ^S (and vim's :wq): saves and exits. */
  save(text: string): EditOutcome {
    return { kind: "exit", text: withFinalNewline(text) };
  }

  /** Esc (and vim's :q!): exits without saving: the file keeps what it held, or what ^O wrote. */
  cancel(): EditOutcome {
    this.asking = false;
    return { kind: "exit", text: this.written };
  }

  /** ^X: exits, asking first when the text changed since the last write. */
  exit(text: string): EditOutcome {
    if (withFinalNewline(text) === this.written || text === this.written) return { kind: "exit", text: this.written };
    this.asking = true;
    return { kind: "stay", status: "Save modified buffer?  Y Yes  N No  ^C Cancel" };
  }

  /** The answer to "Save modified buffer?": y saves, n discards, anything else (^C) goes back to editing. */
  answer(key: string, text: string): EditOutcome {
    this.asking = false;
    if (/^y$/i.test(key)) return this.save(text);
    if (/^n$/i.test(key)) return { kind: "exit", text: this.written };
    return { kind: "stay", status: "[ Cancelled ]" };
  }
}
