// Ctrl-R at the prompt: bash's reverse incremental history search (readline's rl_reverse_search_history),
// which Node's readline lacks (QA 2026-11-30 #18). The state and what the prompt shows are here; the
// keys reach it from bin/shell.ts. `history` is readline's: the newest line first.

export interface SearchView {
  /** What replaces the prompt: "(reverse-i-search)`dock': ", "(failed reverse-i-search)`x': ". */
  readonly prompt: string;
  /** The line found (or the last one found, when the search fails). */
  readonly line: string;
  /** The cursor: at the match's start in the line, as bash puts it. */
  readonly cursor: number;
}

export class ReverseSearch {
  private query = "";
  /** Index in history of the line shown, -1 before any match. */
  private at = -1;
  private failed = false;

  constructor(private readonly history: readonly string[], private readonly original: string) {}

  /** A typed character: the query grows and the search goes on from the line shown. */
  type(text: string): SearchView {
    this.query += text;
    this.find(Math.max(0, this.at));
    return this.view();
  }

  /** Backspace: the query shrinks and the search starts again from the newest line. */
  backspace(): SearchView {
    this.query = this.query.slice(0, -1);
    this.failed = false;
    if (this.query === "") this.at = -1;
    else this.find(0);
    return this.view();
  }

  /** Ctrl-R again: the next older line with the query. */
  older(): SearchView {
    if (this.query !== "") this.find(this.at + 1);
    return this.view();
  }

  /** The line to keep when the search ends: the match, or what was typed before Ctrl-R. */
  get accepted(): string {
    return this.at >= 0 ? this.history[this.at]! : this.original;
  }

  /** The line as it was before Ctrl-R (Ctrl-G puts it back). */
  get before(): string {
    return this.original;
  }

  view(): SearchView {
    const line = this.accepted;
    const hit = this.at >= 0 ? line.lastIndexOf(this.query) : -1;
    return { prompt: `(${this.failed ? "failed " : ""}reverse-i-search)\`${this.query}': `, line, cursor: hit >= 0 ? hit : line.length };
  }

  private find(from: number): void {
    for (let i = from; i < this.history.length; i++) {
      if (this.history[i]!.includes(this.query)) {
        this.at = i;
        this.failed = false;
        return;
      }
    }
    this.failed = true;
  }
}
