// A new login shell's session, as on a lab machine logged in as root.
import { History, type ShellSession } from "./host.js";

export interface SessionOptions {
  readonly hostname?: string;
  readonly user?: string;
  readonly home?: string;
  readonly cwd?: string;
  /** Extra exported variables. */
  readonly env?: ReadonlyMap<string, string>;
}

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function createSession(opts: SessionOptions = {}): ShellSession {
  const home = opts.home ?? "/root";
  const cwd = opts.cwd ?? home;
  const vars = new Map<string, string>([
    ["HOME", home],
    ["HOSTNAME", opts.hostname ?? "lab"],
    ["LOGNAME", opts.user ?? "root"],
    ["PATH", DEFAULT_PATH],
    ["PWD", cwd],
    ["SHELL", "/bin/bash"],
    ["SHLVL", "1"],
    ["TERM", "xterm-256color"],
    ["USER", opts.user ?? "root"],
  ]);
  for (const [k, v] of opts.env ?? []) vars.set(k, v);
  return { cwd, vars: Object.fromEntries(vars), exported: [...vars.keys()], status: 0, history: History.EMPTY };
}
