import { declineEdit, worldFault } from "./shell.js";
import { DrydockError } from "@drydock/kernel";
import { isComplete, type Playground } from "@drydock/playground";

/**
 * A drydock script (`drydock run FILE`): shell lines as a learner types them at the prompt.
 *
 *   # a comment (skipped), as are blank lines
 *   mkdir app && cd app
 *   cat > Dockerfile <<EOF          a heredoc: its body lines belong to the command, verbatim
 *   FROM ubuntu
 *   EOF
 *   docker build \                  a continuation (trailing \, &&, | or an open quote)
 *     -t figlet .
 *   # expect: naming to docker.io/library/figlet:latest
 *   # expect-exit: 0
 *   @on node2 docker images         runs on another host (the default is the first)
 *
 * `# expect: TEXT` asserts that the command before it printed TEXT (stdout and stderr
 * together); `# expect-exit: N` asserts its exit code. A command may carry several.
 */
export interface ScriptCommand {
  /** The command line as the shell gets it (continuation lines joined with \n). */
  readonly line: string;
  /** The host it runs on, or undefined for the first host. */
  readonly on: string | undefined;
  /** Line number (1-based) of the command's first line. */
  readonly lineNo: number;
  readonly expects: readonly Expectation[];
}

export type Expectation =
  | { readonly kind: "output"; readonly text: string; readonly lineNo: number }
  | { readonly kind: "exit"; readonly code: number; readonly lineNo: number };

const EXPECT = /^#\s*expect:\s?(.*)$/;
const EXPECT_EXIT = /^#\s*expect-exit:\s*(.*)$/;
const ON = /^@on\s+(\S+)(?:\s+([\s\S]*))?$/;

/** Parses a script; an error names the line (`script:7: ...`), exit 2 for the caller. */
export function parseScript(text: string, name = "script"): ScriptCommand[] {
  const out: { line: string; on: string | undefined; lineNo: number; expects: Expectation[] }[] = [];
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  let open: { lines: string[]; on: string | undefined; lineNo: number } | null = null;
  const err = (lineNo: number, message: string) => new DrydockError("ESCRIPT", `${name}:${lineNo}: ${message}`);
  const close = () => {
    if (!open) return;
    const line = open.lines.join("\n");
    if (!isComplete(line)) return;
    out.push({ line, on: open.on, lineNo: open.lineNo, expects: [] });
    open = null;
  };
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (open) {
      open.lines.push(raw);
      close();
      return;
    }
    const t = raw.trim();
    if (t === "") return;
    if (t.startsWith("#")) {
      const exitM = EXPECT_EXIT.exec(t);
      const outM = exitM ? null : EXPECT.exec(t);
      if (!exitM && !outM) return;
      const last = out[out.length - 1];
      if (!last) throw err(lineNo, `"${t}" has no command before it to check`);
      if (exitM) {
        const code = Number(exitM[1]!.trim());
        if (!/^\d{1,3}$/.test(exitM[1]!.trim()) || code > 255) throw err(lineNo, `invalid exit code "${exitM[1]!.trim()}": want a number from 0 to 255`);
        last.expects.push({ kind: "exit", code, lineNo });
      } else {
        const want = outM![1]!.trimEnd();
        if (want === "") throw err(lineNo, `"# expect:" needs the text to look for`);
        last.expects.push({ kind: "output", text: want, lineNo });
      }
      return;
    }
    let on: string | undefined;
    let line = raw;
    const m = ON.exec(t);
    if (m) {
      if (m[2] === undefined || m[2].trim() === "") throw err(lineNo, `"@on ${m[1]}" needs a command after the host`);
      on = m[1];
      line = m[2];
    } else if (t.startsWith("@")) {
      throw err(lineNo, `unknown directive "${t.split(/\s/)[0]}" (want "@on HOST COMMAND")`);
    }
    open = { lines: [line], on, lineNo };
    close();
  });
  if (open) {
    const o = open as { lineNo: number };
    throw err(o.lineNo, "the command is not finished at the end of the script (an open quote or heredoc, or a trailing \\, && or |)");
  }
  return out;
}

export interface ExpectationResult {
  readonly kind: "output" | "exit";
  /** The text looked for, or the exit code wanted. */
  readonly want: string | number;
  readonly lineNo: number;
  readonly ok: boolean;
}

export interface CommandResult {
  readonly line: string;
  readonly on: string | undefined;
  readonly lineNo: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly expectations: readonly ExpectationResult[];
}

/** Runs a parsed script on a playground, command after command; stops after `exit`. */
export function runScript(pg: Playground, commands: readonly ScriptCommand[]): CommandResult[] {
  const results: CommandResult[] = [];
  for (const c of commands) {
    const on = c.on ?? pg.nodes[0]!;
    const ran = worldFault(pg, c.line) ?? pg.exec(c.line, { on });
    const declined = declineEdit(pg, on);
    const r = declined === null ? ran : { exitCode: declined.exitCode, stdout: ran.stdout, stderr: ran.stderr + declined.stderr };
    const output = r.stdout + r.stderr;
    results.push({
      line: c.line, on: c.on, lineNo: c.lineNo, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr,
      expectations: c.expects.map((e) => e.kind === "exit"
        ? { kind: "exit", want: e.code, lineNo: e.lineNo, ok: r.exitCode === e.code }
        : { kind: "output", want: e.text, lineNo: e.lineNo, ok: output.includes(e.text) }),
    });
    if (r.exitCode !== 255 && pg.host(on).last?.exit === true) break;
  }
  return results;
}

/** A command as a terminal shows it: `$ ` before the first line, `> ` before the rest. */
export function echoLine(line: string, on?: string): string {
  const [first, ...rest] = line.split("\n");
  return [`$ ${on !== undefined ? `@on ${on} ` : ""}${first}`, ...rest.map((l) => (l === "" ? ">" : `> ${l}`))].join("\n") + "\n";
}

/** A transcript of the results: each command echoed, then what it printed, `[exit N]` when not 0. */
export function transcript(results: readonly CommandResult[]): string {
  let out = "";
  for (const r of results) {
    out += echoLine(r.line, r.on);
    const printed = r.stdout + r.stderr;
    out += printed === "" || printed.endsWith("\n") ? printed : printed + "\n";
    if (r.exitCode !== 0) out += `[exit ${r.exitCode}]\n`;
  }
  return out;
}
