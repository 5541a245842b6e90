// Linux signals as Docker parses them (moby/sys/signal: SignalMap for linux/amd64, ParseSignal).

/** Signal names without "SIG" → number (x86-64). */
export const SIGNALS: ReadonlyMap<string, number> = new Map([
  ["ABRT", 6], ["ALRM", 14], ["BUS", 7], ["CHLD", 17], ["CLD", 17], ["CONT", 18], ["FPE", 8], ["HUP", 1], ["ILL", 4],
  ["INT", 2], ["IO", 29], ["IOT", 6], ["KILL", 9], ["PIPE", 13], ["POLL", 29], ["PROF", 27], ["PWR", 30], ["QUIT", 3],
  ["SEGV", 11], ["STKFLT", 16], ["STOP", 19], ["SYS", 31], ["TERM", 15], ["TRAP", 5], ["TSTP", 20], ["TTIN", 21],
  ["TTOU", 22], ["URG", 23], ["USR1", 10], ["USR2", 12], ["VTALRM", 26], ["WINCH", 28], ["XCPU", 24], ["XFSZ", 25],
]);

const BY_NUMBER: ReadonlyMap<number, string> = new Map(
  [...SIGNALS].filter(([n]) => !["CLD", "IOT", "POLL"].includes(n)).map(([n, v]) => [v, `SIG${n}`]),
);

/** A signal's canonical name ("SIGTERM") from its number, or `SIG<n>` for a real-time one. */
export function signalName(n: number): string {
  return BY_NUMBER.get(n) ?? (n >= 34 && n <= 64 ? `SIGRTMIN+${n - 34}` : `SIG${n}`);
}

/**
 * moby/sys/signal ParseSignal: a number, or a name with or without "SIG", any case. Returns the
 * number, or null with Docker's "Invalid signal: X" for the caller to raise.
 */
export function parseSignal(raw: string): number | null {
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw);
    return n === 0 ? null : n;
  }
  const name = raw.toUpperCase().replace(/^SIG/, "");
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) return name.startsWith("RTMIN") ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[1] ?? 0);
  return SIGNALS.get(name) ?? null;
}

export const SIGKILL = 9;
export const SIGTERM = 15;
export const SIGINT = 2;
export const SIGSTOP = 19;
