import { BuildError } from "./types.js";

/** The line range of the instruction that starts at `line`: continuation lines ("\" at the end) join it. */
function instructionEnd(lines: readonly string[], line: number, escape: string): number {
  let end = line;
  while (end < lines.length && lines[end - 1]!.replace(/\s+$/, "").endsWith(escape)) end++;
  return end;
}

/**
 * buildx's excerpt of the Dockerfile around an error (BuildKit solver/errdefs/source.go `Print`):
 * "Dockerfile:<line>", a rule, the numbered lines (" %3d | >>> text" on the failing instruction's
 * lines, 2 lines of context around one line, 1 around several), a rule.
 */
export function dockerfileExcerpt(name: string, text: string, line: number, endLine?: number): string {
  const lines = text.split("\n");
  const escape = /^#\s*escape\s*=\s*`/m.test(text) ? "`" : "\\";
  let start = line;
  let end = Math.min(endLine ?? instructionEnd(lines, line, escape), lines.length);
  if (start < 1 || start > lines.length) return "";
  const pad = end === start ? 4 : 2;
  const first = start;
  for (let p = 0; p < pad; p++) {
    if (start > 1) {
      start--;
      p++;
    }
    if (end !== lines.length) {
      end++;
      p++;
    }
  }
  const rule = "--------------------";
  let out = `${name}:${first}\n${rule}\n`;
  const last = endLine ?? instructionEnd(lines, first, escape);
  for (let i = start; i <= end; i++) out += ` ${String(i).padStart(3)} | ${i >= first && i <= last ? ">>>" : "   "} ${lines[i - 1]}\n`;
  return `${out}${rule}\n`;
}

/**
 * What `docker build` prints after the progress when a build fails. BuildKit (buildx): the error
 * block of the failed step ("------", " > [3/3] RUN apk add nosuch:", its last log lines, "------"),
 * the Dockerfile excerpt when the error has a line, then "ERROR: failed to build: failed to solve:
 * <message>" (parse errors say "dockerfile parse error on line N: "). The legacy builder: its one
 * error line. `exitCode` is what the command exits with.
 */
export function formatBuildFailure(error: BuildError, dockerfile?: { readonly name?: string; readonly text: string }): { text: string; exitCode: number } {
  if (error.classic) return { text: `${error.message}\n`, exitCode: error.exitCode };
  const parseError = error.code === "EDOCKERFILE" && error.location !== undefined;
  const where = parseError ? `dockerfile parse error on line ${error.location!.line}: ` : "";
  const excerpt = error.location && dockerfile ? dockerfileExcerpt(dockerfile.name ?? "Dockerfile", dockerfile.text, error.location.line) : "";
  return { text: `${error.errorLogs}${excerpt}ERROR: failed to build: failed to solve: ${where}${error.message}\n`, exitCode: 1 };
}
