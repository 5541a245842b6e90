import type { Micros } from "@drydock/kernel";
import type { ExecResult, Playground } from "@drydock/playground";
import { CONTINUATION_PROMPT, LineBuffer, Logins, promptText } from "@drydock/cli/shell";
import { completeAt } from "./names.js";
import { LineEditor, type EditEffect } from "./editor.js";
import { programOf, type EditorProgram } from "./edit-session.js";
import { Transcript, type Shown } from "./transcript.js";
import { isExec } from "./world.js";

// The page's terminal bound to a scene's playground: which host its prompt is on (`ssh HOST` moves
// it, `exit` comes back: the CLI shell's Logins), the line being edited, and the transcript. A
// line runs as the CLI shell runs it (pg.begin, then the world stepped until the line is done),
// through the app (AppState.type), so it lands in the action log, forks a future dropped by going
// back, and the view follows on the next frame.

/** Most events one typed line may run before the terminal hands it to playback (a line that follows something live). */
export const LINE_EVENTS_MAX = 200_000;
/** Most virtual time one typed line may take before playback carries it on (docker service create waits for convergence). */
export const LINE_LIMIT_US: Micros = 120_000_000;

export class TerminalBinding {
  readonly editor = new LineEditor();
  /** Lines typed so far of a command line bash would not run yet (a heredoc, an open quote): the CLI shell's LineBuffer. */
  private readonly continued = new LineBuffer();
  private logins: Logins;
  /** Lines the terminal answered itself (ssh, Tab's list): shown after the transcript until the next typed line. */
  local = "";
  /** Redraws the edit line (set by the widget while it is on the screen): a line typed for the learner shows as it is typed. */
  onedit: (() => void) | null = null;

  constructor(readonly pg: Playground, readonly transcript: Transcript) {
    this.logins = new Logins(pg.nodes);
  }

  get host(): string {
    return this.logins.on;
  }

  /** After a link opened: the prompt is on the host of the last line typed, and Up recalls the lines. */
  resume(events: number): void {
    const lines = this.transcript.lines(this.pg.sim.actionLog).filter((a) => a.index < events);
    // Answers to a program (a password, an edited file) are no shell lines: bash's history has none.
    this.editor.remember(lines.filter((a) => this.transcript.get(a)?.answer === undefined).map((a) => a.action.line));
    const last = lines[lines.length - 1];
    if (last && last.action.host !== this.host) this.logins.ssh(`ssh ${last.action.host}`);
  }

  /** Moves the prompt to `host` (`ssh HOST` without typing it), as the host picker does. */
  moveTo(host: string): void {
    if (host !== this.host) this.logins.ssh(`ssh ${host}`);
  }

  /** Shows `text` on the edit line, cursor at its end (a line being typed for the learner); "" clears it. */
  showTyping(text: string): void {
    this.editor.line = text;
    this.editor.cursor = text.length;
    this.onedit?.();
  }

  /** The prompt: bash's PS2 (`> `) while a command line waits for more, else the host's. */
  prompt(): string {
    if (this.continued.pending) return CONTINUATION_PROMPT;
    try {
      return promptText(this.pg.prompt(this.host));
    } catch {
      return `root@${this.host}:~# `;
    }
  }

  /** The lines on the screen at the run's current instant. */
  shown(): Shown[] {
    const pg = this.pg;
    const live = (host: string): string | null => (pg.busy(host) ? pg.output(host) : null);
    // A line playback carried on (it followed something live) and that ended since: its output is the host's last.
    for (const a of this.transcript.lines(pg.sim.actionLog)) {
      const e = this.transcript.get(a);
      const last = pg.world.hosts.get(a.action.host)?.last;
      if (e && e.doneAt === Infinity && !pg.busy(a.action.host) && last != null && last.line === a.action.line) {
        this.transcript.record(a, { prompt: e.prompt, output: last.display, doneAt: pg.sim.eventCount });
      }
    }
    return this.transcript.at(pg.sim.actionLog, pg.sim.eventCount, live);
  }

  /** A program on the prompt's host waits for a line: its prompt, and whether what is typed shows (not a password). */
  asking(): { readonly prompt: string; readonly echo: boolean } | null {
    try {
      const r = this.pg.reading(this.host);
      return r && !r.edit ? { prompt: r.prompt, echo: r.echo } : null;
    } catch {
      return null;
    }
  }

  /**
   * nano, vi or vim on the prompt's host waits for the file's new text (playground
   * world/editor.ts): the page opens its editor on it. Null when none waits.
   */
  editing(): { readonly program: EditorProgram; readonly path: string; readonly name: string; readonly text: string } | null {
    try {
      const edit = this.pg.reading(this.host)?.edit;
      if (edit === undefined) return null;
      const line = this.pg.host(this.host).running?.line ?? "";
      // The name as nano shows it: relative to the directory it was typed in.
      const cwd = this.pg.prompt(this.host).cwd.replace(/\/$/, "");
      const name = edit.path.startsWith(`${cwd}/`) ? edit.path.slice(cwd.length + 1) : edit.path;
      return { program: programOf(line), path: edit.path, name, text: edit.text };
    } catch {
      return null;
    }
  }

  /**
   * Enter at the shell's prompt: the whole command line once bash would run it (its lines joined
   * with newlines, kept whole in the history), or null while it needs more (a heredoc not ended,
   * an open quote, a trailing `\` or `|`, an `if` without `fi`: the prompt shows `> `).
   */
  submit(line: string): string | null {
    const text = this.continued.push(line);
    if (text !== null) this.editor.remember([text]);
    return text;
  }

  /** Ctrl-C at `> `: the lines typed so far are dropped, as bash drops them. True when there were some. */
  dropContinued(): boolean {
    const had = this.continued.pending;
    this.continued.clear();
    return had;
  }

  /** A line is running on the prompt's host (Ctrl-C interrupts it, typing waits). */
  get busy(): boolean {
    try {
      return this.pg.busy(this.host) && this.pg.reading(this.host) === null;
    } catch {
      return false;
    }
  }

  /** Tab: the candidates listed (several), after the editor took the one or the common prefix. */
  complete(before: string): readonly string[] {
    return this.editor.applyCompletion(completeAt(this.pg, this.host, before));
  }

  /**
   * A line the terminal answers without the world: `ssh HOST` (moves the prompt) and `exit` after
   * one (comes back). Null when the host's shell must run it.
   */
  answerLocally(line: string): string | null {
    const ssh = this.logins.ssh(line);
    if (ssh) return ssh.stderr;
    if (/^\s*(exit|logout)\s*$/.test(line)) return this.logins.logout();
    return null;
  }

  /**
   * Runs a line at the prompt's host: begin, then the world stepped until the line is done, waits
   * for a line from the terminal, follows something live, or passes the limits (playback carries
   * it on from there, and the transcript shows its output as it grows). Returns the early result
   * of a line that could not start (a host that is down), else null.
   */
  run(line: string): ExecResult | null {
    const pg = this.pg;
    const on = this.host;
    const prompt = this.prompt();
    // A line typed while a program waits for one (a password) is its answer, not a shell line.
    const asked = pg.reading(on);
    const at = asked ? pg.output(on).length : 0;
    // Background jobs print into the host's own stream (playground world/jobs.ts); what they
    // printed during the line, then the notices of those that ended, show after its output, as bash shows them.
    const jobs = (): string => (pg.nodes.includes(on) ? pg.host(on).jobOutput ?? "" : "");
    const jobsFrom = jobs().length;
    const early = pg.begin(line, { on });
    if (early) return early;
    const log = pg.sim.actionLog;
    const a = log[log.length - 1]!;
    if (asked && isExec(a)) {
      this.transcript.record(a, { prompt: "", output: "", doneAt: a.index, answer: { at, echo: asked.echo && !asked.edit, edit: asked.edit !== undefined } });
      if (!asked.echo) this.editor.forgetLast(line); // a password is never in the history
    }
    const sim = pg.sim;
    const until = sim.now + LINE_LIMIT_US;
    for (let n = 0; n < LINE_EVENTS_MAX && pg.busy(on) && pg.reading(on) === null && !pg.following(on) && sim.nextEventTime <= until; n++) {
      if (!sim.step()) break;
    }
    if (asked) {
      // The answered line goes on (or ended): its own entry follows it, as for a line playback carried on.
    } else if (isExec(a) && !pg.busy(on)) this.transcript.record(a, { prompt, output: pg.output(on) + jobs().slice(jobsFrom), doneAt: sim.eventCount });
    else if (isExec(a)) this.transcript.record(a, { prompt, output: "", doneAt: Infinity });
    return null;
  }

  /**
   * The page's editor exited with the file's text: the answer the editor program waits for, run
   * as any typed line (a logged action, so the link and a replay edit the same). The text as it
   * was (a cancelled edit) writes nothing (playground world/editor.ts).
   */
  answerEdit(text: string): ExecResult | null {
    return this.run(text);
  }

  feed(data: string): EditEffect {
    return this.editor.feed(data);
  }
}
