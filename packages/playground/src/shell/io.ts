// File descriptors as the interpreter sees them: fd 0 is a text read whole (a pipe's or a
// file's content), fds 1 and 2 (and any other) are sinks that collect writes in order, so
// `2>&1` makes two fds share one sink and the writes interleave as they happen.
import type { ShellHost } from "./host.js";

export interface Sink {
  write(text: string): void;
}

export class BufferSink implements Sink {
  private readonly chunks: string[] = [];
  /** `echo` copies what it keeps to this sink too (the terminal, for a line's fds 1 and 2). */
  constructor(private readonly echo?: Sink) {}
  write(text: string): void {
    if (text === "") return;
    this.chunks.push(text);
    this.echo?.write(text);
  }
  /** Text the terminal has shown already: kept, not echoed again. */
  kept(text: string): void {
    if (text !== "") this.chunks.push(text);
  }
  text(): string {
    return this.chunks.join("");
  }
}

/** `/dev/null`, and a closed descriptor (`>&-`). */
export const NULL_SINK: Sink = { write: () => {} };

/** `> file`: the file was truncated or created on open; what is written is appended on close. */
export class FileSink extends BufferSink {
  constructor(readonly path: string) {
    super();
  }
  close(host: ShellHost): void {
    const text = this.text();
    if (text !== "") host.writeFile(this.path, text, true);
  }
}

export interface Io {
  readonly stdin: string;
  readonly fds: ReadonlyMap<number, Sink>;
  /** fd 0 is the terminal (no pipe, file or heredoc): what `docker run -t` checks (isatty(0)). */
  readonly stdinTty?: boolean;
  /**
   * How much of `stdin` the `read` builtin has taken: shared by the commands that read one input
   * (`while read l; do ...; done < file` reads a line per turn), made anew where fd 0 changes.
   */
  readonly stdinRead?: { at: number };
}

/** What is left of fd 0 for the next reader. */
export function stdinLeft(io: Io): string {
  return io.stdinRead === undefined ? io.stdin : io.stdin.slice(io.stdinRead.at);
}

export function writeOut(io: Io, text: string): void {
  io.fds.get(1)?.write(text);
}

export function writeErr(io: Io, text: string): void {
  io.fds.get(2)?.write(text);
}

/** strerror(3) texts for the errors a host's filesystem answers with. */
export const ERRNO_TEXT: ReadonlyMap<string, string> = new Map([
  ["ENOENT", "No such file or directory"],
  ["EISDIR", "Is a directory"],
  ["ENOTDIR", "Not a directory"],
  ["EACCES", "Permission denied"],
  ["EEXIST", "File exists"],
  ["ENOTEMPTY", "Directory not empty"],
  ["EINVAL", "Invalid argument"],
  ["EROFS", "Read-only file system"],
]);

export function errnoText(code: string): string {
  return ERRNO_TEXT.get(code) ?? code;
}
