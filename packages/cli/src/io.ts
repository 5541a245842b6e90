import { DrydockError } from "@drydock/kernel";

/**
 * What a command needs from the machine it runs on. Commands in src/ are pure; bin/main.ts
 * passes these in (tests pass fakes), so reading a file or showing progress never reaches
 * `node:` modules or a wall clock from src/.
 */
export interface CliIO {
  /** A file's text (`drydock run SCRIPT`, `drydock replay FILE`); throws a NodeJS-style error when it cannot. */
  readFile?(path: string): string;
  /** Where a long headless run reports how far it has got. */
  readonly progress?: ProgressSink;
}

export interface ProgressSink {
  /** Show progress without being asked (bin: stderr is a terminal). `--progress` forces it. */
  readonly auto: boolean;
  /** The run's state now, as one short line; the sink decides how often to draw it. */
  report(line: string): void;
  /** The run is over: take the line away. */
  done(): void;
}

/** A file's text through the bin's reader; a missing or unreadable file is a usage error (exit 2). */
export function readText(io: CliIO, file: string): string {
  if (!io.readFile) throw new DrydockError("ENOIO", "this drydock cannot read files");
  try {
    return io.readFile(file);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new DrydockError("EREAD", `open ${file}: ${why}`);
  }
}
