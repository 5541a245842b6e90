// nano, vi and vim at a host's prompt: the course's Dockerfile exercises say "open a file in your
// editor" (QA 2026-11-30 #15). drydock does not draw a full-screen editor of its own; the
// program asks the terminal for the file's new text (an InputRequest with `edit`, the same way
// docker login asks for a password), and the terminal opens a real editor on it: the learner's
// own $VISUAL/$EDITOR at `drydock shell`, a text area in the app. The text comes back as the
// answer, a logged action, so a replayed session edits the same. Saving is writing the file;
// leaving it unchanged (vim's :q!, nano's ^X without saving) writes nothing.
import { readFile, writeFile } from "../fs/index.js";
import type { CommandOutcome, CommandRequest } from "../shell/host.js";
import type { Pending } from "../docker/command.js";
import type { CommandContext, HostDraft } from "./commands.js";
import { AwaitInput, TerminalReader, inputPending } from "./terminal-input.js";

export const EDITORS: ReadonlySet<string> = new Set(["nano", "vi", "vim"]);

const outcome = (status: number, stdout: string, stderr: string): CommandOutcome => ({ status, stdout, stderr });

/** The file operand: the first argument that is not an option (`+N`, `-R`, `--`). */
function fileOperand(args: readonly string[]): string | null {
  let options = true;
  for (const a of args) {
    if (options && a === "--") options = false;
    else if (options && (a.startsWith("-") || a.startsWith("+"))) continue;
    else return a;
  }
  return null;
}

export function editFile(req: CommandRequest, draft: HostDraft, ctx: CommandContext): CommandOutcome | Pending {
  const name = req.argv[0]!.replace(/^.*\//, "");
  const args = req.argv.slice(1);
  if (args.includes("--version")) {
    return outcome(0, name === "nano" ? " GNU nano, version 7.2\n (C) 2023 the Free Software Foundation and various contributors\n" : "VIM - Vi IMproved 9.0 (2022 Jun 28, compiled May 04 2023 10:24:44)\n", "");
  }
  // A pipe or a script has no screen to edit on: nano gives up at once, vim warns and waits for keys that never come.
  if (req.tty?.stdin !== true || req.stdin !== "") {
    return outcome(1, "", name === "nano" ? "Too many errors from stdin\n" : "Vim: Warning: Input is not from a terminal\nVim: Error reading input, exiting...\n");
  }
  const operand = fileOperand(args);
  if (operand === null) {
    return outcome(1, "", `drydock: give ${name} the file to edit (${name} Dockerfile): the terminal opens your editor on it\n`);
  }
  const path = operand.startsWith("/") ? operand : `${req.cwd.replace(/\/$/, "")}/${operand}`;
  const found = readFile(draft.fs, path);
  if (!found.ok && found.error === "EISDIR") {
    return outcome(1, "", name === "nano" ? `"${operand}" is a directory\n` : `"${operand}" is a directory\n`);
  }
  if (!found.ok && found.error !== "ENOENT") return outcome(1, "", `"${operand}" [Permission Denied]\n`);
  const before = found.ok ? found.value : "";
  const reader = new TerminalReader({ rerunState: ctx.rerunState });
  let after: string | null;
  try {
    after = reader.read({ prompt: "", echo: false, edit: { path, text: before } }, "");
  } catch (e) {
    if (e instanceof AwaitInput) return inputPending(e, "");
    throw e;
  }
  if (after === null || after === before) return outcome(0, "", "");
  const written = writeFile(draft.fs, path, after, ctx.now);
  if (!written.ok) {
    // The directory does not exist: nano says it cannot write; vim "E212: Can't open file for writing".
    return outcome(1, "", name === "nano" ? `[ Error writing ${operand}: No such file or directory ]\n` : `"${operand}" E212: Can't open file for writing\n`);
  }
  draft.fs = written.value;
  return outcome(0, "", "");
}
