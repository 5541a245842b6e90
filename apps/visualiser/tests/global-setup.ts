import { findChromium } from "./chromium.js";

// Runs once before the visualiser's tests: with no browser, stop at once with one line saying how
// to install one, rather than a minute of timeouts, skipped tests and stack traces.
export default function setup(): void {
  const found = findChromium();
  if ("error" in found) {
    process.stderr.write(`\n${found.error}\n\n`);
    process.exit(1);
  }
}
