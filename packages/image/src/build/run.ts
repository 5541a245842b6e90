import { DrydockError, MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { opaqueFile } from "../layers/entry.js";
import { basename, dirname, globToRegExp, joinPath, normalizePath } from "../util/path.js";
import { commandWords, splitScript, type Word } from "./shell-words.js";
import { apk, apt, npm, pip, yum } from "./commands/packages.js";
import { cargo, cc, fetch, git, go, groupadd, jar, javac, tar, useradd } from "./commands/tools.js";
import type { Data, RunEnv, RunResult, Shell } from "./commands/shell.js";
import { figlet as figletBanner } from "./commands/figlet.js";

export type { RunEnv, RunResult } from "./commands/shell.js";

class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const MS = MICROS_PER_MS;
const MB = 1024 * 1024;
/** Fixed cost of starting the step's container (BuildKit runs each RUN in a fresh runc container). */
export const RUN_STARTUP_US = 120 * MS;
/**
 * The tools the interpreter simulates beyond a shell's builtins and coreutils: package managers,
 * fetchers, compilers, account tools, git, figlet. A container's shell runs these through the
 * interpreter too (the playground's container shell), so one list says which they are.
 */
export const RUN_TOOL_NAMES: readonly string[] = [
  "apk", "apt-get", "apt", "pip", "pip3", "yum", "dnf", "microdnf", "npm", "yarn", "curl", "wget", "tar", "gcc", "cc", "g++", "clang", "go",
  "javac", "mvn", "gradle", "cargo", "useradd", "adduser", "groupadd", "addgroup", "git", "figlet",
];
const BUILTINS = new Set(["cd", "export", "set", "true", "false", "exit", "echo", "printf", "test", "[", ":", "source", ".", "unset", "umask", "trap", "wait", "read", "command"]);

/**
 * The RUN interpreter: a small catalogue of commands with deterministic effects on the
 * filesystem and deterministic virtual durations, and a generic effect (time only) for the rest.
 * A command that is not on PATH fails with exit code 127, as /bin/sh reports it.
 */
class Interp implements Shell {
  readonly output: { atUs: Micros; line: string }[] = [];
  private errexit = false;

  constructor(readonly e: RunEnv, public timeUs: Micros = RUN_STARTUP_US) {}

  say(text: string): void {
    for (const line of text.split("\n")) this.output.push({ atUs: this.timeUs, line });
  }

  spend(us: number): void {
    this.timeUs += Math.max(0, Math.round(us));
  }

  path(p: string): string {
    return normalizePath(p, this.e.cwd);
  }

  fail(code: number, message?: string): never {
    if (message) this.say(message);
    throw new ExitError(code);
  }

  private readonly whichCache = new Map<string, string | undefined>();

  /** PATH lookup, as the shell does before running a command. */
  which(name: string): string | undefined {
    if (name.includes("/")) return this.e.fs.exists(this.path(name)) ? this.path(name) : undefined;
    const k = `${this.e.env.get("PATH") ?? ""}\0${name}`;
    const cached = this.whichCache.get(k);
    if (cached !== undefined) return cached;
    // Only hits are remembered: a later command in the same RUN may install the binary.
    const found = this.whichUncached(name);
    if (found !== undefined) this.whichCache.set(k, found);
    return found;
  }

  private whichUncached(name: string): string | undefined {
    const dirs = (this.e.env.get("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":");
    for (const d of dirs) {
      const p = joinPath(normalizePath(d), name);
      if (this.e.fs.exists(p)) return p;
    }
    return undefined;
  }

  private expandGlobs(words: readonly Word[]): string[] {
    const out: string[] = [];
    for (const w of words) {
      if (!w.glob) {
        out.push(w.text);
        continue;
      }
      const abs = this.path(w.text);
      const dir = dirname(abs);
      const re = globToRegExp(basename(abs));
      const matches = this.e.fs.listDir(dir).filter((n) => re.test(n) && !n.startsWith("."));
      // An unmatched glob stays as written (POSIX sh).
      if (matches.length === 0) out.push(w.text);
      else for (const m of matches) out.push(w.text.startsWith("/") ? joinPath(dir, m) : joinPath(dir, m).slice(this.e.cwd === "/" ? 1 : this.e.cwd.length + 1));
    }
    return out;
  }

  runScript(script: string, stdinDoc?: string): number {
    let status = 0;
    let pipeIn: Data | undefined = stdinDoc !== undefined ? { text: stdinDoc, size: stdinDoc.length, descriptor: "heredoc" } : undefined;
    const segments = splitScript(script);
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      if (seg.connector === "&&" && status !== 0) continue;
      if (seg.connector === "||" && status === 0) continue;
      const piped = segments[i + 1]?.connector === "|";
      const input = seg.connector === "|" ? pipeIn : i === 0 ? pipeIn : undefined;
      try {
        const r = this.simple(seg.text, input);
        status = 0;
        pipeIn = piped ? r : undefined;
      } catch (err) {
        if (!(err instanceof ExitError)) throw err;
        if (err.code === -1) return status; // `exit` with the last status
        status = err.code;
        if (this.exitRequested) return status;
        pipeIn = undefined;
        if (this.errexit && !(segments[i + 1]?.connector === "||")) return status;
      }
    }
    return status;
  }

  private exitRequested = false;

  private simple(text: string, stdin: Data | undefined): Data | undefined {
    const words = commandWords(text, this.e.env);
    // Leading NAME=value assignments apply to this command only.
    const saved = new Map<string, string | undefined>();
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!.text) && words.length > 1) {
      const w = words.shift()!;
      const eq = w.text.indexOf("=");
      saved.set(w.text.slice(0, eq), this.e.env.get(w.text.slice(0, eq)));
      this.e.env.set(w.text.slice(0, eq), w.text.slice(eq + 1));
    }
    try {
      // Redirections.
      let outFile: { path: string; append: boolean } | undefined;
      let inFile: string | undefined;
      const args: Word[] = [];
      for (let i = 0; i < words.length; i++) {
        const t = words[i]!.text;
        const m = /^(\d?|&)(>>|>|<)(.*)$/.exec(t);
        if (m && !(m[2] === ">" && m[3]!.startsWith("&"))) {
          const target = m[3] !== "" ? m[3]! : (words[++i]?.text ?? "");
          if (m[2] === "<") inFile = target;
          else if (m[1] === "" || m[1] === "1" || m[1] === "&") outFile = { path: target, append: m[2] === ">>" };
          continue;
        }
        if (m && m[3]!.startsWith("&")) continue; // 2>&1
        args.push(words[i]!);
      }
      const argv = this.expandGlobs(args);
      if (argv.length === 0) {
        if (outFile && outFile.path !== "/dev/null") this.write(outFile.path, "", outFile.append);
        return undefined;
      }
      let input = stdin;
      if (inFile) {
        const f = this.e.fs.stat(this.path(inFile));
        if (!f || f.type !== "file") this.fail(1, `/bin/sh: 1: cannot open ${inFile}: No such file`);
        input = { text: f.text ?? "", size: f.size, descriptor: f.contentDigest };
      }
      const out = this.dispatch(argv, input);
      if (outFile) {
        if (outFile.path !== "/dev/null") this.writeData(outFile.path, out ?? { text: "", size: 0, descriptor: "" }, outFile.append);
        return undefined;
      }
      if (out?.text !== undefined && out.text !== "" && out.descriptor !== "pipe-only") {
        for (const line of out.text.replace(/\n$/, "").split("\n")) this.say(line);
      }
      return out;
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) this.e.env.delete(k);
        else this.e.env.set(k, v);
      }
    }
  }

  write(path: string, text: string, append: boolean): void {
    const p = this.path(path);
    const parent = this.e.fs.stat(dirname(p));
    if (!parent || parent.type !== "dir") this.fail(2, `/bin/sh: 1: cannot create ${path}: Directory nonexistent`);
    if (append) this.e.fs.appendText(p, text);
    else this.e.fs.writeText(p, text, { uid: this.e.uid, gid: this.e.gid });
    this.spend(MS);
  }

  writeData(path: string, d: Data, append: boolean): void {
    if (d.text !== undefined) return this.write(path, d.text, append);
    const p = this.path(path);
    this.e.fs.writeFile(p, { ...opaqueFile(d.descriptor, d.size, { mode: 0o644, uid: this.e.uid, gid: this.e.gid }), ...(d.archive ? { archive: d.archive } : {}) });
    this.spend(MS + d.size / (1000 * MB / MICROS_PER_SECOND));
  }

  private dispatch(argv: string[], stdin: Data | undefined): Data | undefined {
    const name = argv[0]!;
    const args = argv.slice(1);
    const builtin = BUILTINS.has(name);
    if (!builtin && !this.which(name)) this.fail(127, `/bin/sh: 1: ${name}: not found`);
    const cmd = basename(name);
    switch (cmd) {
      case "cd":
        return this.cd(args);
      case "export":
        for (const a of args) {
          const eq = a.indexOf("=");
          if (eq > 0) this.e.env.set(a.slice(0, eq), a.slice(eq + 1));
        }
        return undefined;
      case "unset":
        for (const a of args) this.e.env.delete(a);
        return undefined;
      case "set":
        for (const a of args) if (/^-[a-z]*e/.test(a)) this.errexit = true;
        return undefined;
      case "true":
      case ":":
        return undefined;
      case "false":
        this.fail(1);
        break;
      case "exit":
        this.exitRequested = true;
        this.fail(args[0] !== undefined ? Number.parseInt(args[0], 10) || 0 : -1);
        break;
      case "echo":
        return { text: (args[0] === "-n" ? args.slice(1).join(" ") : `${args.filter((a) => a !== "-e").join(" ")}\n`).replace(/\\n/g, args.includes("-e") ? "\n" : "\\n"), size: 0, descriptor: "echo" };
      case "printf":
        return { text: (args[0] ?? "").replace(/\\n/g, "\n").replace(/%s/g, () => args[1] ?? ""), size: 0, descriptor: "printf" };
      case "test":
      case "[":
        return this.test(args.filter((a) => a !== "]"));
      case "sh":
      case "bash":
      case "ash":
      case "dash":
        return this.sh(args, stdin);
      case "mkdir":
        return this.mkdir(args);
      case "touch":
        for (const a of args.filter((x) => !x.startsWith("-"))) {
          if (!this.e.fs.exists(this.path(a))) this.write(a, "", false);
        }
        return undefined;
      case "rm":
        return this.rm(args);
      case "rmdir":
        for (const a of args.filter((x) => !x.startsWith("-"))) this.guard(() => this.e.fs.remove(this.path(a), { recursive: true }));
        return undefined;
      case "cp":
        return this.cp(args);
      case "mv":
        return this.mv(args);
      case "ln":
        return this.ln(args);
      case "chmod":
        return this.chmod(args);
      case "chown":
        return this.chown(args);
      case "cat":
        return this.cat(args, stdin);
      case "tee": {
        const t = stdin?.text ?? "";
        for (const a of args.filter((x) => !x.startsWith("-"))) this.write(a, t, args.includes("-a"));
        return { text: t, size: t.length, descriptor: "tee" };
      }
      case "ls":
        return { text: this.e.fs.listDir(this.path(args.find((a) => !a.startsWith("-")) ?? ".")).join("\n"), size: 0, descriptor: "ls" };
      case "pwd":
        return { text: `${this.e.cwd}\n`, size: 0, descriptor: "pwd" };
      case "which": {
        const p = this.which(args[0] ?? "");
        if (!p) this.fail(1);
        return { text: `${p}\n`, size: 0, descriptor: "which" };
      }
      case "sleep":
        this.spend(Number.parseFloat(args[0] ?? "0") * MICROS_PER_SECOND);
        return undefined;
      case "apk":
        return apk(this, args);
      case "apt-get":
      case "apt":
        return apt(this, args);
      case "pip":
      case "pip3":
        return pip(this, args);
      case "yum":
      case "dnf":
      case "microdnf":
        return yum(this, args);
      case "npm":
        return npm(this, args);
      case "yarn":
        return npm(this, ["install", ...args.slice(args[0] === "install" ? 1 : 0)]);
      case "curl":
      case "wget":
        return fetch(this, cmd, args);
      case "tar":
        return tar(this, args, stdin);
      case "gcc":
      case "cc":
      case "g++":
      case "clang":
        return cc(this, args);
      case "go":
        return go(this, args);
      case "javac":
        return javac(this, args);
      case "mvn":
      case "gradle":
        return jar(this, cmd, args);
      case "cargo":
        return cargo(this, args);
      case "useradd":
      case "adduser":
        return useradd(this, cmd, args);
      case "groupadd":
      case "addgroup":
        return groupadd(this, args);
      case "git":
        return git(this, args);
      case "figlet":
        return this.figlet(args, stdin);
      default:
        // The generic effect: the command runs, takes a little time, changes nothing we model.
        this.spend(50 * MS);
        return undefined;
    }
  }

  private guard(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof DrydockError) this.fail(1, err.message);
      throw err;
    }
  }

  private cd(args: string[]): undefined {
    const target = this.path(args[0] ?? this.e.env.get("HOME") ?? "/root");
    if (this.e.fs.stat(target)?.type !== "dir") this.fail(2, `/bin/sh: 1: cd: can't cd to ${args[0]}`);
    this.e.cwd = target;
    return undefined;
  }

  private test(args: string[]): undefined {
    const [a, b] = args;
    let ok = false;
    if (a === "-f") ok = this.e.fs.stat(this.path(b ?? ""))?.type === "file";
    else if (a === "-d") ok = this.e.fs.stat(this.path(b ?? ""))?.type === "dir";
    else if (a === "-e") ok = this.e.fs.exists(this.path(b ?? ""));
    else if (a === "-z") ok = (b ?? "") === "";
    else if (a === "-n") ok = (b ?? "") !== "";
    else if (args[1] === "=" || args[1] === "==") ok = args[0] === args[2];
    else if (args[1] === "!=") ok = args[0] !== args[2];
    else ok = (a ?? "") !== "";
    if (!ok) this.fail(1);
    return undefined;
  }

  private sh(args: string[], stdin: Data | undefined): undefined {
    const c = args.indexOf("-c");
    let status: number;
    if (c >= 0) status = this.runScript(args[c + 1] ?? "");
    else {
      const file = args.find((a) => !a.startsWith("-"));
      if (file) {
        const f = this.e.fs.stat(this.path(file));
        if (!f || f.type !== "file") this.fail(127, `/bin/sh: 0: cannot open ${file}: No such file`);
        status = f.text !== undefined ? this.runScript(f.text) : 0;
        if (f.text === undefined) this.spend(100 * MS);
      } else status = this.runScript(stdin?.text ?? "");
    }
    if (status !== 0) this.fail(status);
    return undefined;
  }

  private mkdir(args: string[]): undefined {
    const parents = args.some((a) => /^-[a-z]*p/.test(a) || a === "--parents");
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      this.guard(() => this.e.fs.mkdir(this.path(a), { parents, meta: { uid: this.e.uid, gid: this.e.gid } }));
      this.spend(MS);
    }
    return undefined;
  }

  private rm(args: string[]): undefined {
    const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
    const force = args.some((a) => /^-[a-zA-Z]*f/.test(a) || a === "--force");
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      if (/[*?[]/.test(a)) continue; // an unmatched glob: rm -f ignores it
      this.guard(() => this.e.fs.remove(this.path(a), { recursive, force }));
      this.spend(MS);
    }
    return undefined;
  }

  private cp(args: string[]): undefined {
    const paths = args.filter((x) => !x.startsWith("-"));
    const recursive = args.some((a) => /^-[a-zA-Z]*[rRa]/.test(a));
    if (paths.length < 2) this.fail(1, "cp: missing destination file operand");
    const dst = this.path(paths[paths.length - 1]!);
    for (const s of paths.slice(0, -1)) {
      const src = this.path(s);
      const e = this.e.fs.stat(src);
      if (!e) this.fail(1, `cp: cannot stat '${s}': No such file or directory`);
      if (e.type === "dir" && !recursive) this.fail(1, `cp: -r not specified; omitting directory '${s}'`);
      const target = this.e.fs.stat(dst)?.type === "dir" ? joinPath(dst, basename(src)) : dst;
      this.guard(() => this.e.fs.copy(src, target, { uid: this.e.uid, gid: this.e.gid }));
      this.spend(MS + (e.type === "file" ? e.size / 1000 : 0));
    }
    return undefined;
  }

  private mv(args: string[]): undefined {
    const paths = args.filter((x) => !x.startsWith("-"));
    if (paths.length < 2) this.fail(1, "mv: missing destination file operand");
    const dst = this.path(paths[paths.length - 1]!);
    for (const s of paths.slice(0, -1)) {
      const src = this.path(s);
      if (!this.e.fs.exists(src)) this.fail(1, `mv: cannot stat '${s}': No such file or directory`);
      const target = this.e.fs.stat(dst)?.type === "dir" ? joinPath(dst, basename(src)) : dst;
      this.guard(() => this.e.fs.rename(src, target));
      this.spend(MS);
    }
    return undefined;
  }

  private ln(args: string[]): undefined {
    const paths = args.filter((x) => !x.startsWith("-"));
    if (paths.length < 2) this.fail(1, "ln: missing file operand");
    const link = this.path(paths[1]!);
    const target = this.e.fs.stat(link)?.type === "dir" ? joinPath(link, basename(paths[0]!)) : link;
    if (args.some((a) => /^-[a-z]*f/.test(a))) this.e.fs.remove(target, { force: true });
    this.guard(() => this.e.fs.symlink(paths[0]!, target));
    return undefined;
  }

  private targets(paths: string[], recursive: boolean): string[] {
    const out: string[] = [];
    for (const p of paths) {
      const abs = this.path(p);
      if (!this.e.fs.exists(abs)) this.fail(1, `chmod: cannot access '${p}': No such file or directory`);
      if (recursive) out.push(...this.e.fs.walk(abs));
      else out.push(abs);
    }
    return out;
  }

  private chmod(args: string[]): undefined {
    const recursive = args.some((a) => /^-[a-zA-Z]*R/.test(a));
    const rest = args.filter((x) => !/^-[a-zA-Z]+$/.test(x));
    const mode = rest[0] ?? "";
    for (const p of this.targets(rest.slice(1), recursive)) {
      const e = this.e.fs.stat(p)!;
      if (e.type === "symlink") continue;
      let m = e.mode;
      if (/^[0-7]+$/.test(mode)) m = Number.parseInt(mode, 8);
      else {
        for (const clause of mode.split(",")) {
          const cm = /^([ugoa]*)([+-=])([rwxX]*)$/.exec(clause);
          if (!cm) this.fail(1, `chmod: invalid mode: '${mode}'`);
          const who = cm[1] === "" || cm[1]!.includes("a") ? "ugo" : cm[1]!;
          let bits = 0;
          for (const w of who) {
            const shift = w === "u" ? 6 : w === "g" ? 3 : 0;
            for (const p2 of cm[3]!) bits |= (p2 === "r" ? 4 : p2 === "w" ? 2 : 1) << shift;
          }
          m = cm[2] === "+" ? m | bits : cm[2] === "-" ? m & ~bits : bits;
        }
      }
      this.e.fs.chmod(p, m);
    }
    this.spend(MS);
    return undefined;
  }

  private lookupUser(spec: string): { uid: number; gid: number } {
    const [u = "", g] = spec.split(":");
    const passwd = this.e.fs.readText("/etc/passwd") ?? "";
    const groups = this.e.fs.readText("/etc/group") ?? "";
    let uid: number;
    let gid: number;
    if (/^\d+$/.test(u)) {
      uid = Number(u);
      gid = uid;
    } else {
      const line = passwd.split("\n").find((l) => l.split(":")[0] === u);
      if (!line) this.fail(1, `chown: invalid user: '${spec}'`);
      uid = Number(line.split(":")[2]);
      gid = Number(line.split(":")[3]);
    }
    if (g !== undefined && g !== "") {
      if (/^\d+$/.test(g)) gid = Number(g);
      else {
        const line = groups.split("\n").find((l) => l.split(":")[0] === g);
        if (!line) this.fail(1, `chown: invalid group: '${spec}'`);
        gid = Number(line.split(":")[2]);
      }
    }
    return { uid, gid };
  }

  private chown(args: string[]): undefined {
    const recursive = args.some((a) => /^-[a-zA-Z]*R/.test(a));
    const rest = args.filter((x) => !/^-[a-zA-Z]+$/.test(x));
    const { uid, gid } = this.lookupUser(rest[0] ?? "");
    for (const p of this.targets(rest.slice(1), recursive)) this.e.fs.chown(p, uid, gid);
    this.spend(MS);
    return undefined;
  }

  private cat(args: string[], stdin: Data | undefined): Data {
    const files = args.filter((x) => !x.startsWith("-"));
    if (files.length === 0) return stdin ?? { text: "", size: 0, descriptor: "empty" };
    let text = "";
    for (const f of files) {
      const e = this.e.fs.stat(this.path(f));
      if (!e || e.type !== "file") this.fail(1, `cat: ${f}: No such file or directory`);
      if (files.length === 1 && e.text === undefined) return { size: e.size, descriptor: e.contentDigest, ...(e.archive ? { archive: e.archive } : {}) };
      text += e.text ?? "";
    }
    return { text, size: text.length, descriptor: "cat" };
  }

  /** figlet [-f font] [-w width] [text…]: the banner (standard font by default); no text reads stdin. */
  private figlet(args: string[], stdin: Data | undefined): Data {
    let font = "standard";
    let width = 80;
    const words: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-f") font = args[++i] ?? font;
      else if (a.startsWith("-f") && a.length > 2) font = a.slice(2);
      else if (a === "-w") width = Number.parseInt(args[++i] ?? "80", 10) || 80;
      else if (/^-[a-zA-Z]+$/.test(a) && words.length === 0) continue; // -c, -l, -k, -t…: layout options
      else words.push(a);
    }
    const text = words.length > 0 ? words.join(" ") : (stdin?.text ?? "").replace(/\n$/, "");
    const banner = figletBanner(text, font, width);
    if (banner === undefined) this.fail(1, `figlet: ${font}: Unable to open font file`);
    this.spend(2 * MS);
    return { text: banner, size: banner.length, descriptor: "figlet" };
  }

  // ---- package managers ----


  get offline(): boolean {
    return this.e.network === "none";
  }

  hostOf(url: string): string {
    return /^[a-z]+:\/\/([^/:]+)/.exec(url)?.[1] ?? url;
  }
}

/**
 * runc failing to start the step's process, as BuildKit logs it (runc 1.1+: "error during container
 * init"); the step then fails with exit code 1. An absolute path that is missing is reported by
 * stat, a bare name by the PATH search (Go's exec.LookPath).
 */
export function runcStartFailure(program: string): RunResult {
  const why = program.includes("/") ? `stat ${program}: no such file or directory` : "executable file not found in $PATH";
  return {
    exitCode: 1, durationUs: RUN_STARTUP_US,
    output: [{ atUs: RUN_STARTUP_US, line: `runc run failed: unable to start container process: error during container init: exec: "${program}": ${why}` }],
  };
}

/** Runs a shell-form RUN (`/bin/sh -c "<script>"`), with heredoc stdin when given. */
export function runShellForm(script: string, env: RunEnv, heredocStdin?: string): RunResult {
  const it = new Interp(env);
  // The step's container starts the shell first: in an image without it (FROM scratch, distroless)
  // runc cannot start the process at all.
  const shell = env.shell[0] ?? "/bin/sh";
  if (!it.which(shell)) return runcStartFailure(shell);
  let code: number;
  try {
    code = it.runScript(script, heredocStdin);
  } catch (e) {
    if (e instanceof ExitError) code = e.code;
    else throw e;
  }
  return { exitCode: code, durationUs: it.timeUs, output: it.output };
}

/**
 * Runs an exec-form RUN: no shell, no variable expansion. `startupUs` is the container's start
 * (RUN_STARTUP_US); a tool run by a shell already running in a container passes 0.
 */
export function runExecForm(argv: readonly string[], env: RunEnv, startupUs: Micros = RUN_STARTUP_US): RunResult {
  const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const it = new Interp(env, startupUs);
  let code = 0;
  if (argv.length > 0 && !it.which(argv[0]!)) return runcStartFailure(argv[0]!);
  try {
    code = it.runScript(quoted);
  } catch (e) {
    if (e instanceof ExitError) code = e.code;
    else throw e;
  }
  return { exitCode: code, durationUs: it.timeUs, output: it.output };
}
