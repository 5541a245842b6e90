// `drydock shell`: a Node terminal around one playground. All terminal I/O and the wall clock
// are here; what needs neither (prompt text, line gathering, stepping a line) is in src/shell.ts.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface, type Interface } from "node:readline";
import { createPlayground, type Playground } from "@drydock/playground";
import {
  Logins, DetachKeys,
  CONTINUATION_PROMPT, InputQueue, declineEdit, worldFault, LineBuffer, RunningLine, remoteLine, complete, playgroundCompletion, errorResult, headlessArgv, mountTarget, parseShellArgs, promptText, runCli, shellUsage,
  type Finished, type ShellOptions,
} from "../src/index.js";
import { readMountDir } from "./mount.js";
import { promptAfterTypeAhead } from "../src/terminal-input.js";
import { stderrProgress } from "./progress.js";
import { editText } from "./editor.js";
import { installReverseSearch } from "./reverse-search.js";

/**
 * Pacing: while a line runs, virtual time goes at most PACE_SPEED times faster than the wall
 * clock, so a build's steps appear one after another (a 10 s apt-get build streams over about
 * a second) instead of all at once; after PACE_WALL_MAX_MS of wall time it runs at full speed.
 * A line that only waits (`sleep 10`, src/shell.ts RunningLine.waiting) or follows something live
 * (`docker run alpine ping 8.8.8.8`, `logs -f`, `docker stop`'s grace, `docker run --rm alpine
 * sleep 5`) goes at the wall clock's own pace for as long as it does, as on a real host: `sleep
 * 10` takes ten seconds, ping a reply a second, until Ctrl-C. --fast turns pacing off.
 */
const PACE_SPEED = 10;
const PACE_WALL_MAX_MS = 5_000;
/** Most events processed between two looks at the keyboard (Ctrl-C stays responsive). */
const EVENTS_PER_TURN = 5_000;

const internalError = (e: unknown): string => `drydock: internal error: ${e instanceof Error ? e.message : String(e)}\n`;

/** Runs `drydock shell ARGS`; resolves to the exit status. */
export async function runShell(argv: readonly string[]): Promise<number> {
  let o: ShellOptions;
  let pg: Playground;
  let mounts: Mounts;
  try {
    o = parseShellArgs(argv);
    if (o.help) {
      process.stdout.write(shellUsage());
      return 0;
    }
    pg = createPlayground({ seed: o.seed, nodes: o.nodes, ...(o.kubernetes ? { kubernetes: { nodes: o.nodes, ...(o.controlPlanes !== undefined ? { controlPlanes: o.controlPlanes } : {}) } } : {}) });
    mounts = new Mounts(pg, o);
    mounts.sync(true);
  } catch (e) {
    const r = errorResult(e, "shell");
    process.stderr.write(r.stderr);
    return r.code === 1 ? 2 : r.code;
  }
  const status = process.stdin.isTTY === true ? await interactive(pg, o, mounts) : await piped(pg, mounts);
  save(pg, o);
  return status;
}

/** Copies the --mount directories in at start, and again before each line whatever changed since. */
class Mounts {
  private readonly last = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(private readonly pg: Playground, private readonly o: ShellOptions) {}

  sync(first = false): void {
    for (const m of this.o.mounts) {
      const target = mountTarget(m);
      const read = readMountDir(m.dir);
      for (const w of read.warnings) {
        if (this.warned.has(w)) continue;
        this.warned.add(w);
        process.stderr.write(`drydock: --mount ${m.dir}: ${w}\n`);
      }
      const changed: Record<string, string> = {};
      for (const [rel, text] of Object.entries(read.files)) {
        const key = `${target}\0${rel}`;
        if (this.last.get(key) === text) continue;
        this.last.set(key, text);
        changed[rel] = text;
      }
      if (first || Object.keys(changed).length > 0) this.pg.mount(this.pg.nodes[0]!, target, changed);
    }
  }
}

function save(pg: Playground, o: ShellOptions): void {
  if (o.save === undefined) return;
  try {
    writeFileSync(resolve(o.save), pg.exportSession() + "\n");
  } catch (e) {
    process.stderr.write(`drydock shell: cannot save the session to ${o.save}: ${(e as Error).message}\n`);
  }
}

/** `drydock raft|swim ...` typed at the prompt: run headless beside the world (src/shell.ts headlessArgv). */
function headless(text: string): Finished | null {
  const argv = headlessArgv(text);
  if (argv === null) return null;
  const progress = stderrProgress();
  const r = runCli(argv, { progress });
  progress.done();
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code, exit: false };
}

function print(f: Pick<Finished, "stdout" | "stderr">): void {
  process.stdout.write(f.stdout);
  process.stderr.write(f.stderr);
}

/** At a terminal, stdout and stderr go to one device in the order written (QA #6). */
function show(f: Pick<Finished, "stdout" | "stderr" | "display">): void {
  if (f.display === undefined) print(f);
  else process.stdout.write(f.display);
}

/** stdin is a file or a pipe: run each line as it comes, echo nothing else, exit with the last status. */
async function piped(pg: Playground, mounts: Mounts): Promise<number> {
  const rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  const buf = new LineBuffer();
  // `ssh HOST` moves the script to another host and `exit` comes back, as at a terminal (a script
  // may log in to control-plane2 after control-plane crashed); `ssh HOST COMMAND` runs one line there.
  const logins = new Logins(pg.nodes);
  let status = 0;
  const run = (text: string): boolean => {
    try {
      mounts.sync();
      const fault = worldFault(pg, text);
      const cli = headless(text);
      const login = cli === null && fault === null ? logins.ssh(text) : null;
      let on = logins.on;
      let line = text;
      const remote = cli === null && login === null && fault === null ? logins.remote(text) : null;
      let ran: Finished | null = cli ?? (fault !== null ? { ...fault, exit: false } : login !== null ? { ...login, exit: false } : null);
      if (ran === null && remote !== null) {
        const r = remoteLine(pg, on, remote);
        if ("line" in r) {
          on = remote.host;
          line = r.line;
        } else ran = r;
      }
      ran ??= new RunningLine(pg, on, line).finish();
      const declined = declineEdit(pg, on);
      const f = declined === null ? ran : { ...ran, exitCode: declined.exitCode, stderr: ran.stderr + declined.stderr };
      print(f);
      status = f.exitCode;
      if (f.exit && remote === null) {
        const bye = logins.logout();
        if (bye !== null) {
          process.stdout.write(bye);
          return false;
        }
      }
      return f.exit;
    } catch (e) {
      process.stderr.write(internalError(e));
      status = 70;
      return false;
    }
  };
  for await (const line of rl) {
    const text = buf.push(line);
    if (text !== null && run(text)) {
      rl.close();
      return status;
    }
  }
  const rest = buf.flush();
  if (rest !== null) run(rest);
  return status;
}

/** A terminal: readline with history, Debian's root prompt, Ctrl-C and Ctrl-D as bash has them. */
function interactive(pg: Playground, o: ShellOptions, mounts: Mounts): Promise<number> {
  const logins = new Logins(pg.nodes);
  let idleSince = performance.now();
  const out = process.stdout;
  const input = new InputQueue();
  let running: RunningLine | null = null;
  /** Lines are being read and run; what is typed meanwhile waits in `input`, read in order. */
  let reading = false;
  let closed = false;
  let finished = false;
  /** A program reads a password (`docker login`'s `Password: `): readline echoes nothing. */
  let muted = false;
  let status = 0;
  let resolveDone: (status: number) => void = () => {};
  const done = new Promise<number>((r) => { resolveDone = r; });

  // While lines run, what is typed is not echoed at once: it waits in the input queue and is
  // shown after its prompt when read, as a paste into bash appears (QA #1).
  const echo = new Proxy(out, {
    get(target, prop) {
      if (prop === "write") return (...args: Parameters<typeof out.write>) => (reading || muted ? true : target.write(...args));
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const rl: Interface = createInterface({
    input: process.stdin, output: echo, terminal: true, historySize: 1000, removeHistoryDuplicates: true, tabSize: 4,
    // Tab: command names, docker's subcommands and flags, file names of the host (src/complete.ts).
    completer: (text: string): [string[], string] => {
      const src = reading ? null : playgroundCompletion(pg, logins.on);
      return src === null ? [[], text] : complete(text, src);
    },
  });
  // Ctrl-R: reverse incremental search of the history, at the shell's own prompt only.
  installReverseSearch(rl, () => !reading && !muted && pg.reading(logins.on) === null && !input.pending, () => currentPrompt());
  const currentPrompt = () => (input.pending ? CONTINUATION_PROMPT : pg.reading(logins.on)?.prompt ?? promptText(pg.prompt(logins.on)));
  const showPrompt = () => {
    // A program waits for a line (a [y/N] prompt, docker login): its prompt is on the screen
    // already, so readline draws it again over itself from the line's start.
    const asked = pg.reading(logins.on);
    if (asked !== null && !input.pending) out.write("\r");
    // What was typed while the line ran follows the prompt, the cursor at its end (readline's type-ahead).
    promptAfterTypeAhead(rl, currentPrompt());
    muted = asked !== null && !asked.echo;
  };
  const end = () => {
    if (finished) return;
    finished = true;
    out.write("exit\n");
    if (!closed) rl.close();
    resolveDone(status);
  };

  /** Runs one complete command line; true when the terminal closes. */
  const run = async (text: string): Promise<boolean> => {
    try {
      mounts.sync();
      // The world lives while the learner thinks: idle wall time passes in virtual time too
      // (so an image built a minute ago says so), at most an hour per pause.
      const idleUs = Math.min(3_600_000_000, Math.round((performance.now() - idleSince) * 1000));
      if (idleUs > 0 && !o.fast) pg.advance(idleUs);
      let f: Finished | null = headless(text);
      if (f === null) {
        const fault = worldFault(pg, text);
        if (fault !== null) f = { ...fault, exit: false };
      }
      if (f === null) {
        const s = logins.ssh(text);
        if (s !== null) f = { ...s, exit: false };
      }
      let on = logins.on;
      let line = text;
      const remote = f === null ? logins.remote(text) : null;
      if (remote !== null) {
        // `ssh node2 COMMAND`: the command runs there, the terminal stays here (src/shell.ts remoteLine).
        const r = remoteLine(pg, on, remote);
        if ("line" in r) {
          on = remote.host;
          line = r.line;
        } else f = r;
      }
      if (f === null) {
        running = new RunningLine(pg, on, line);
        await pace(running, o.fast);
        f = running.finish();
      }
      show(f);
      // nano/vi/vim: the world waits for the file's new text; a real editor gets the screen (bin/editor.ts).
      const edit = pg.reading(on)?.edit;
      if (edit !== undefined) {
        rl.pause();
        const edited = editText(edit.path, edit.text);
        rl.resume();
        if ("error" in edited) out.write(edited.error);
        running = new RunningLine(pg, on, "text" in edited ? edited.text : edit.text);
        f = running.finish();
        show(f);
      }
      // A line waiting for an answer (exit code -1) has no status yet.
      if (!pg.reading(on)) status = f.exitCode;
      if (f.exit && remote === null) {
        const bye = logins.logout();
        if (bye === null) {
          end();
          return true;
        }
        out.write(bye);
      }
    } catch (e) {
      process.stderr.write(internalError(e));
    } finally {
      running = null;
      idleSince = performance.now();
    }
    return false;
  };

  /**
   * Reads and runs lines until none is left: the first as typed at the prompt (readline showed
   * it), the queued ones after their prompt, as readline shows type-ahead when bash reads it.
   */
  const drain = async (): Promise<void> => {
    reading = true;
    let typed = true;
    try {
      for (;;) {
        const text = input.next((line) => {
          if (!typed) out.write(currentPrompt() + line + "\n");
          typed = false;
        });
        if (text === null) break;
        if (await run(text)) return;
        if (closed) return end();
      }
    } finally {
      reading = false;
    }
    showPrompt();
  };

  rl.on("line", (line) => {
    if (muted) {
      muted = false;
      out.write("\n");
    }
    input.add(line);
    if (reading) return;
    drain().catch((e: unknown) => {
      process.stderr.write(internalError(e));
      showPrompt();
    });
  });
  // Ctrl-P Ctrl-Q at a terminal inside a container detaches (Docker's default detach keys). The
  // handler runs before readline's, so a held Ctrl-P (readline's "previous line") is undone.
  const detachKeys = new DetachKeys();
  const r0 = rl as unknown as { line: string; cursor: number; history: string[]; _refreshLine?: () => void };
  process.stdin.prependListener("keypress", (_s: string, key: { ctrl?: boolean; name?: string } | undefined) => {
    if (running === null && key?.ctrl === true && key.name === "d" && r0.line === "" && !input.pending && (pg.attached(logins.on) !== null || pg.reading(logins.on) !== null)) {
      // Ctrl-D at a container shell's empty prompt is its end of input: that shell exits (with
      // `$?`, as `exit` does), not the terminal. readline would close on it: a one-character line
      // with the cursor at its end makes readline's Ctrl-D do nothing, and the line is put back.
      r0.line = " ";
      r0.cursor = 1;
      setImmediate(() => {
        r0.line = "";
        r0.cursor = 0;
        eof();
      });
      return;
    }
    if (!pg.canDetach(logins.on)) {
      detachKeys.reset();
      return;
    }
    const saved = { line: r0.line, cursor: r0.cursor, history: r0.history };
    const what = detachKeys.feed(key);
    if (what === "pass") return;
    // readline takes Ctrl-P for "previous line": with no history for this key it leaves the line be.
    if (what === "hold") r0.history = [];
    setImmediate(() => {
      r0.history = saved.history;
      r0.line = what === "detach" ? "" : saved.line;
      r0.cursor = what === "detach" ? 0 : saved.cursor;
      if (what === "hold") return;
      // While a run or attach follows its container, the running line ends (pace() sees it done).
      if (running !== null) {
        pg.detach(logins.on);
        return;
      }
      pg.detach(logins.on);
      out.write("\n");
      const said = pg.output(logins.on);
      if (said !== "") process.stderr.write(said);
      input.clear();
      showPrompt();
    });
  });
  /**
   * End of input at a container shell's prompt: the shell exits as at `exit` (bash says "exit",
   * BusyBox ash and dash say nothing), the container too when the shell is its PID 1, and the
   * terminal is back at the host's prompt with what the host's line printed after.
   */
  const eof = (): void => {
    const a = pg.host(logins.on).attachment;
    const asked = pg.reading(logins.on);
    if (asked !== null) {
      // End of input at a program's prompt ([y/N], Username:): an empty answer, which is no.
      muted = false;
      out.write("\n");
      input.add("");
    } else {
      // psql prints \q on Ctrl-D (bin/psql/mainloop.c); bash says exit.
      out.write(a?.psql ? "\\q\n" : a !== null && a.flavor.shell === "bash" ? "exit\n" : "\n");
      input.add(a?.psql ? "\\q" : "exit");
    }
    if (reading) return;
    drain().catch((e: unknown) => {
      process.stderr.write(internalError(e));
      showPrompt();
    });
  };
  rl.on("SIGINT", () => {
    if (running) {
      // The interrupt character flushes the terminal's input queue (termios: no NOFLSH), a
      // half-typed line included.
      input.clear();
      r0.line = "";
      r0.cursor = 0;
      running.interrupt();
      return;
    }
    // bash: ^C after what was typed, then a fresh prompt; a half-typed heredoc is dropped too.
    out.write("^C\n");
    const r = rl as unknown as { line: string; cursor: number };
    r.line = "";
    r.cursor = 0;
    input.clear();
    showPrompt();
  });
  rl.on("close", () => {
    closed = true;
    if (!reading) end();
  });

  out.write(`drydock shell: a simulated Debian host (${pg.nodes.join(", ")}) with Docker${o.kubernetes ? ` and Kubernetes (control plane${o.controlPlanes !== undefined ? `s on ${pg.nodes.slice(0, o.controlPlanes).join(", ")}` : ` on ${pg.nodes[0]}`})` : ""}, seed ${o.seed}. Ctrl-D or 'exit' leaves; Ctrl-P Ctrl-Q leaves a container's shell running.\n`);
  showPrompt();
  return done;
}

/**
 * Steps a running line, streaming what it shows, at most PACE_SPEED times faster than the
 * wall clock, yielding to the event loop between turns so Ctrl-C reaches `interrupt`. While the
 * line follows something live or only waits (`sleep 10`), it goes at the wall clock's own pace.
 */
async function pace(line: RunningLine, fast: boolean): Promise<void> {
  // A stretch of the line at one pace: when it started, in wall and virtual time.
  let real = line.realTime;
  let t0 = performance.now();
  let v0 = line.now;
  // A followed line with nothing scheduled (`docker logs -f` of a quiet nginx) waits for Ctrl-C,
  // as the real one does; any other line with nothing left to happen is settled by finish().
  while (!line.done && !(line.stuck && !line.following)) {
    if (line.realTime !== real) {
      real = !real;
      t0 = performance.now();
      v0 = line.now;
    }
    const wallMs = performance.now() - t0;
    const free = fast || (!real && wallMs > PACE_WALL_MAX_MS);
    const speed = real ? 1 : PACE_SPEED;
    const allowed = free ? Infinity : v0 + wallMs * 1000 * speed;
    line.step(allowed, EVENTS_PER_TURN);
    const shown = line.take();
    if (shown !== "") process.stdout.write(shown);
    if (line.done || (line.stuck && !line.following)) break;
    const aheadUs = line.nextEventTime - allowed;
    const waitMs = line.stuck ? 50 : free || aheadUs <= 0 ? 0 : Math.min(50, aheadUs / 1000 / speed);
    await new Promise<void>((r) => (waitMs > 0 ? setTimeout(r, waitMs) : setImmediate(r)));
  }
}
