import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

// The one place that finds a browser for the browser tests and the benchmarks. playwright-core
// downloads none, so it looks where Linux distributions and macOS install Chrome and Chromium,
// after CHROMIUM_PATH; with none, every caller stops with the same one line.

/** Names on PATH, as Debian, Ubuntu, Fedora, Arch and Google's packages install them. */
const ON_PATH = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** Fixed places: snap and Google's .deb on Linux; the app bundles on macOS (system and per user). */
function places(platform: NodeJS.Platform, home: string): string[] {
  if (platform === "darwin") {
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium"];
    return [...apps.map((a) => join("/Applications", a)), ...apps.map((a) => join(home, "Applications", a))];
  }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/opt/google/chrome/chrome", "/usr/bin/google-chrome"];
}

export const INSTALL_CHROMIUM =
  "No Chrome or Chromium found for the visualiser's browser tests: install one (Debian/Ubuntu: sudo apt-get install -y chromium; Fedora: sudo dnf install chromium; macOS: brew install --cask chromium) or set CHROMIUM_PATH to its executable.";

export interface FindOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
  readonly isExecutable?: (path: string) => boolean;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser's executable, or an error line: CHROMIUM_PATH when set (and it must exist), else the
 * first Chrome or Chromium on PATH, else the first of the usual places.
 */
export function findChromium(o: FindOptions = {}): { path: string } | { error: string } {
  const env = o.env ?? process.env;
  const ok = o.isExecutable ?? executable;
  const set = env.CHROMIUM_PATH;
  if (set) return ok(set) ? { path: set } : { error: `CHROMIUM_PATH=${set} is not an executable file. ${INSTALL_CHROMIUM}` };
  for (const dir of (env.PATH ?? "").split(delimiter).filter((d) => d !== "")) {
    for (const name of ON_PATH) if (ok(join(dir, name))) return { path: join(dir, name) };
  }
  for (const p of places(o.platform ?? process.platform, o.home ?? homedir())) if (ok(p)) return { path: p };
  return { error: INSTALL_CHROMIUM };
}

/** A browser was asked for and none is installed: the message is the one line to print. */
export class ChromiumMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChromiumMissing";
    // One line, no stack: the fix is to install a browser, not to read our call sites.
    this.stack = message;
  }
}

/** The executable, or throws ChromiumMissing. */
export function chromiumPath(): string {
  const found = findChromium();
  if ("error" in found) throw new ChromiumMissing(found.error);
  return found.path;
}
