// nano, vi or vim typed at `drydock shell` (playground world/editor.ts): the world asks for the
// file's new text, and the learner edits it in a real editor on this machine ($VISUAL, $EDITOR,
// else nano or vi from PATH), on a temporary copy named like the file so the editor highlights it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";

/** The editor command: $VISUAL, then $EDITOR (either may carry arguments: `code --wait`), then nano or vi on PATH. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const v of [env.VISUAL, env.EDITOR]) if (v !== undefined && v.trim() !== "") return v.trim();
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  for (const name of ["nano", "vi", "vim"]) if (dirs.some((d) => existsSync(join(d, name)))) return name;
  return null;
}

const quoted = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Opens the editor on `text` and waits for it; the saved text, or null when no editor could
 * run (the caller says so and keeps the file). The terminal is handed over while it runs.
 */
export function editText(path: string, text: string, command = editorCommand()): { text: string } | { error: string } {
  if (command === null) return { error: "drydock: no editor found on this machine: set $EDITOR (e.g. EDITOR=nano) and try again\n" };
  const dir = mkdtempSync(join(tmpdir(), "drydock-edit-"));
  const file = join(dir, basename(path) || "file");
  try {
    writeFileSync(file, text);
    const stdin = process.stdin;
    const raw = stdin.isTTY ? stdin.isRaw : false;
    if (stdin.isTTY) stdin.setRawMode(false);
    const r = spawnSync(`${command} ${quoted(file)}`, { stdio: "inherit", shell: true });
    if (stdin.isTTY) stdin.setRawMode(raw);
    if (r.error) return { error: `drydock: could not run the editor "${command}": ${r.error.message}\n` };
    if (r.status === 127) return { error: `drydock: the editor "${command}" was not found: set $EDITOR\n` };
    return { text: readFileSync(file, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
