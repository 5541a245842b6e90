// A program that reads a line from the terminal mid-command: docker's y/N prompts
// (internal/prompt.Confirm), `docker login`'s `Username: ` and `Password: `. The program asks
// (it throws AwaitInput with what it printed so far); the command becomes a job that waits with
// no timers (`Pending.input`); the next line typed on that host is not run by the shell but
// delivered to the job as a logged action (`exec`), and the program runs again from its start
// with every line answered so far (`rerunState`), as a job's `again` run does. So the answer is
// part of the action log and a replay answers the same.
import type { OutputChunk } from "../shell/host.js";
import type { DockerEnv, Pending } from "../docker/command.js";

/** What the terminal shows while a program waits for a line: its prompt, and whether what is typed is echoed. */
export interface InputRequest {
  readonly prompt: string;
  /** false for a password (golang.org/x/term ReadPassword: no echo, a newline once read). */
  readonly echo: boolean;
  /**
   * An editor (world/editor.ts) asks for a file's whole new text: the terminal opens an editor on
   * `text` and answers with what was saved. Nothing is echoed: the editor had the screen.
   */
  readonly edit?: { readonly path: string; readonly text: string };
}

/** What the program hands to its next run: the lines answered so far, and its own state. */
export interface InputState {
  readonly inputs: readonly (string | null)[];
  readonly state?: unknown;
}

/** Thrown by a program that needs a line from the terminal; the docker CLI turns it into a job (runDocker). */
export class AwaitInput extends Error {
  /** `shown`: what the command printed before it waits, its prompt last (text on stdout, or chunks of both streams in order). */
  constructor(readonly request: InputRequest, readonly shown: string | readonly OutputChunk[], readonly state: InputState) {
    super("awaiting a line from the terminal");
  }
}

const isInputState = (x: unknown): x is InputState =>
  x !== null && typeof x === "object" && Array.isArray((x as { inputs?: unknown }).inputs);

/** Can this command read the terminal: stdin is the terminal and nothing was piped in. */
export function readsTerminal(env: DockerEnv): boolean {
  return env.tty?.stdin === true && env.stdin === "" && env.runtime !== undefined;
}

/**
 * The lines a command reads from its terminal, in order. `read` returns the next line already
 * answered (null: Ctrl-D, end of input), or throws AwaitInput, with `shown` (what the command
 * printed before the prompt, its prompt included) as the job's output so far.
 */
export class TerminalReader {
  private next = 0;
  private readonly inputs: readonly (string | null)[];
  readonly state: unknown;

  constructor(env: Pick<DockerEnv, "rerunState">) {
    const st = isInputState(env.rerunState) ? env.rerunState : null;
    this.inputs = st?.inputs ?? [];
    this.state = st?.state;
  }

  /** Has this run already printed the prompt of the next read (a run after an answer: the prompts so far were shown then)? */
  get answered(): boolean {
    return this.next < this.inputs.length;
  }

  read(request: InputRequest, shown: string | readonly OutputChunk[], state?: unknown): string | null {
    if (this.next < this.inputs.length) return this.inputs[this.next++]!;
    throw new AwaitInput(request, shown, { inputs: this.inputs, ...(state !== undefined ? { state } : {}) });
  }
}

/** The job a program waiting for a line becomes: no steps, no timers; its output so far is the prompt. */
export function inputPending(e: AwaitInput, stderr: string): Pending {
  const chunks: OutputChunk[] = (typeof e.shown === "string" ? [{ fd: 1 as const, text: e.shown }] : [...e.shown]);
  if (stderr !== "") chunks.unshift({ fd: 2, text: stderr });
  const text = (fd: 1 | 2) => chunks.filter((c) => c.fd === fd).map((c) => c.text).join("");
  return {
    kind: "terminal.input", durationUs: 0, steps: [], again: true, againState: e.state, input: e.request,
    outcome: { status: 0, stdout: text(1), stderr: text(2), chunks: chunks.filter((c) => c.text !== "") },
  };
}

/** What the program hands its next run once the line is in, and what the terminal showed of it (the echo, or only the newline). */
export function deliverInput(p: Pending, line: string | null): { state: InputState; echo: OutputChunk } {
  const prior = isInputState(p.againState) ? p.againState : { inputs: [] };
  const shown = p.input?.edit !== undefined ? "" : line === null ? "\n" : p.input?.echo === false ? "\n" : `${line}\n`;
  return { state: { ...prior, inputs: [...prior.inputs, line] }, echo: { fd: 1, text: shown } };
}
