// A binary drydock's gcc compiled in a RUN step (image package, build/commands/c-source.ts): gcc
// recorded in its bytes what the program's main prints and its exit status, and running it follows
// that record, whatever the binary is named (QA 2026-11-30 #4: it used to run as hello-world's /hello).
import { MICROS_PER_MS } from "@drydock/kernel";
import type { FsNode } from "../fs/index.js";
import { exitPlan, linesAt, type Plan } from "./types.js";

const MARKER = "\u0000drydock-cc:";

/** The record in a compiled binary, or null when the file is not one. */
export function compiledRecord(node: FsNode | undefined): { stdout: string; exit: number } | null {
  if (node?.kind !== "file" || node.blob !== undefined || !node.text.startsWith("\u007fELF")) return null;
  const at = node.text.indexOf(MARKER);
  if (at < 0) return null;
  const end = node.text.indexOf("\u0000", at + MARKER.length);
  try {
    const r = JSON.parse(node.text.slice(at + MARKER.length, end < 0 ? undefined : end)) as { stdout?: unknown; exit?: unknown };
    return { stdout: typeof r.stdout === "string" ? r.stdout : "", exit: typeof r.exit === "number" ? r.exit : 0 };
  } catch {
    return null;
  }
}

/** The plan of a compiled binary: its output at once, then its exit status. */
export function compiledPlan(name: string, node: FsNode | undefined): Plan | null {
  const r = compiledRecord(node);
  if (r === null) return null;
  return { ...exitPlan(name, r.exit, linesAt(MICROS_PER_MS, r.stdout), MICROS_PER_MS), memory: { base: 64 * 1024, growPerSec: 0, max: null } };
}
