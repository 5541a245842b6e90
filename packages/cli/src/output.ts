import { parseDuration, type Micros } from "@drydock/kernel";
import { formatTable } from "@drydock/image";

/** What a command produced; the bin writes it out, tests read it. Commands never print. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 ok; 1 a runtime failure; 125 bad usage (Docker's code for errors of the docker CLI itself). */
  readonly code: number;
}

export const ok = (stdout: string): CliResult => ({ stdout, stderr: "", code: 0 });
export const failure = (stderr: string, code = 1): CliResult => ({ stdout: "", stderr: stderr.endsWith("\n") ? stderr : stderr + "\n", code });

/** Columns as the Docker CLI's tabwriter prints them (the engine's formatter), ending in a newline. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => formatTable(header, rows) + "\n";

/** Virtual time as seconds with microseconds, right-aligned: "   2.190312s". */
export const clock = (t: Micros): string => `${(t / 1e6).toFixed(6).padStart(11)}s`;

/** "150ms,300ms" or "150ms" → a [min, max] pair of durations. */
export function rangeFlag(text: string): readonly [Micros, Micros] {
  const [a, b] = text.split(",");
  const min = parseDuration(a!.trim());
  return [min, b === undefined ? min : parseDuration(b.trim())];
}

/**
 * A timed step from a flag value "what@time" ("s3@2s", "leader@1.5s", "m1:key=value@2s").
 * The time is required, so a schedule reads as what happens when.
 */
export function at(text: string, flagName: string): { what: string; at: Micros } {
  const i = text.lastIndexOf("@");
  if (i <= 0) throw new Error(`invalid argument "${text}" for "--${flagName}" flag: want WHAT@TIME, as in s3@2s`);
  return { what: text.slice(0, i), at: parseDuration(text.slice(i + 1)) };
}
