// The memo of a line that takes virtual time (docs/architecture.md, "A line that takes virtual
// time"): every call a line made of its ShellHost, in order, so that running the line again from
// its start after a job answers the calls already made as they were answered then.
import type { Answer } from "./state.js";

export class Memo {
  private i = 0;

  constructor(readonly entries: Answer[]) {}

  /** The next recorded answer, or undefined past the end (a new call). */
  peek(): Answer | undefined {
    return this.i < this.entries.length ? this.entries[this.i] : undefined;
  }

  /** Is the next call one already made? */
  get replaying(): boolean {
    return this.i < this.entries.length;
  }

  /** Takes the next recorded answer (replaying). */
  take<T extends Answer>(): T {
    return this.entries[this.i++] as T;
  }

  /** Drops the next recorded entry (a marker consumed in place). */
  drop(): void {
    this.entries.splice(this.i, 1);
  }

  /** Records a new answer. */
  record<T extends Answer>(v: T): T {
    this.entries.push(v);
    this.i++;
    return v;
  }

  /** The recorded answer when replaying, else `make`'s, recorded. */
  answer<T extends Answer>(make: () => T): T {
    return this.replaying ? this.take<T>() : this.record(make());
  }
}
