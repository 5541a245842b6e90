import fc from "fast-check";
import { DEFAULT_APP_URL } from "./app.js";
import { RunFailure } from "./run.js";

export interface PropertyParameters<Ts> extends fc.Parameters<Ts> {
  /** Where the app is served, for the link printed on failure (default http://localhost:5173/). */
  readonly appUrl?: string;
}

/** JSON for a counterexample: a value that fits on a line stays on one; NaN and Infinity stay readable. */
function show(value: unknown, indent = ""): string {
  const flat = JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  if (flat.length + indent.length <= 100 || value === null || typeof value !== "object") return flat;
  const inner = indent + "  ";
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + show(v, inner)).join(",\n")}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${show(v, inner)}`).join(",\n")}\n${indent}}`;
}

/**
 * The report of a failed property: the seed and path that replay it, the shrunk counterexample
 * (the schedule) as JSON, what broke and where, and a link that opens the app at that run,
 * paused at the event that broke the invariant.
 */
export function formatFailure<Ts>(details: fc.RunDetails<Ts>, appUrl = DEFAULT_APP_URL): string {
  const lines = [
    `Property failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s).`,
    `  seed: ${details.seed}, path: "${details.counterexamplePath}"  (replay: FC_SEED=${details.seed}, or fc.assert(..., { seed: ${details.seed}, path: "${details.counterexamplePath}" }))`,
    `Shrunk counterexample:`,
    "  " + show(details.counterexample, "  "),
  ];
  const e = details.errorInstance;
  if (e instanceof RunFailure) {
    lines.push(`Broke: ${e.property} (${e.phase}) at event ${e.event}, t = ${e.atUs / 1e6} s: ${e.detail}`);
    lines.push(e.link !== null ? `Open in the app, paused at that event: ${new URL(e.link, appUrl).href}` : `No app link: ${e.linkNote}`);
  } else if (e !== null && e !== undefined) {
    lines.push(`Error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return lines.join("\n");
}

/**
 * fc.assert with drydock's report. Runs the property (global fast-check settings apply, so
 * FC_SEED in this repository's setup replays a seed) and, on failure, throws an Error whose
 * message is `formatFailure`'s report; the original error is its `cause`.
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: PropertyParameters<Ts> = {}): void {
  const { appUrl, ...fcParams } = params;
  const details = fc.check(property, fcParams);
  if (!details.failed) return;
  throw new Error(formatFailure(details, appUrl), { cause: details.errorInstance });
}
