import { DrydockError, MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { opaqueFile, textFile, type FileEntry } from "../layers/entry.js";
import type { UnionFS } from "../layers/union.js";
import { basename, dirname, globToRegExp, joinPath, normalizePath } from "../util/path.js";
import { own, textHash32 } from "../util/hash.js";
import { findPackage, type PackageInfo } from "./packages.js";
import { commandWords, splitScript, type Word } from "./shell-words.js";

/**
 * The RUN interpreter: a small catalogue of commands with deterministic effects on the
 * filesystem and deterministic virtual durations, and a generic effect (time only) for the rest.
 * A command that is not on PATH fails with exit code 127, as /bin/sh reports it.
 */
export interface RunEnv {
  readonly fs: UnionFS;
  /** Variables the shell sees (image ENV plus build ARGs). */
  readonly env: Map<string, string>;
  cwd: string;
  readonly uid: number;
  readonly gid: number;
  /** Simulated web for curl, wget and ADD: URL → body text. */
  readonly urls?: Readonly<Record<string, string>>;
  /** The shell a shell-form RUN uses ("/bin/sh -c" by default). */
  readonly shell: readonly string[];
  /** RUN --network=none: nothing can be fetched. */
  readonly network?: "default" | "none" | "host";
}

export interface RunResult {
  readonly exitCode: number;
  readonly durationUs: Micros;
  /** Output lines with their time offset from the step's start, as BuildKit prints them. */
  readonly output: readonly { readonly atUs: Micros; readonly line: string }[];
}

interface Data {
  readonly text?: string;
  readonly archive?: Readonly<Record<string, string>>;
  readonly size: number;
  readonly descriptor: string;
}

class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const MS = MICROS_PER_MS;
const MB = 1024 * 1024;
/** Fixed cost of starting the step's container (BuildKit runs each RUN in a fresh runc container). */
export const RUN_STARTUP_US = 120 * MS;
const BUILTINS = new Set(["cd", "export", "set", "true", "false", "exit", "echo", "printf", "test", "[", ":", "source", ".", "unset", "umask", "trap", "wait", "read", "command"]);

class Interp {
  timeUs = RUN_STARTUP_US;
  readonly output: { atUs: Micros; line: string }[] = [];
  private errexit = false;

  constructor(private readonly e: RunEnv) {}

  say(text: string): void {
    for (const line of text.split("\n")) this.output.push({ atUs: this.timeUs, line });
  }

  spend(us: number): void {
    this.timeUs += Math.max(0, Math.round(us));
  }

  private path(p: string): string {
    return normalizePath(p, this.e.cwd);
  }

  private fail(code: number, message?: string): never {
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

  private write(path: string, text: string, append: boolean): void {
    const p = this.path(path);
    const parent = this.e.fs.stat(dirname(p));
    if (!parent || parent.type !== "dir") this.fail(2, `/bin/sh: 1: cannot create ${path}: Directory nonexistent`);
    if (append) this.e.fs.appendText(p, text);
    else this.e.fs.writeText(p, text, { uid: this.e.uid, gid: this.e.gid });
    this.spend(MS);
  }

  private writeData(path: string, d: Data, append: boolean): void {
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
        return this.apk(args);
      case "apt-get":
      case "apt":
        return this.apt(args);
      case "pip":
      case "pip3":
        return this.pip(args);
      case "npm":
        return this.npm(args);
      case "yarn":
        return this.npm(["install", ...args.slice(args[0] === "install" ? 1 : 0)]);
      case "curl":
      case "wget":
        return this.fetch(cmd, args);
      case "tar":
        return this.tar(args, stdin);
      case "gcc":
      case "cc":
      case "g++":
      case "clang":
        return this.cc(args);
      case "go":
        return this.go(args);
      case "javac":
        return this.javac(args);
      case "mvn":
      case "gradle":
        return this.jar(cmd, args);
      case "cargo":
        return this.cargo(args);
      case "useradd":
      case "adduser":
        return this.useradd(cmd, args);
      case "groupadd":
      case "addgroup":
        return this.groupadd(args);
      case "git":
        return this.git(args);
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

  // ---- package managers ----

  private get offline(): boolean {
    return this.e.network === "none";
  }

  private hostOf(url: string): string {
    return /^[a-z]+:\/\/([^/:]+)/.exec(url)?.[1] ?? url;
  }

  private installed(dbPath: string, name: string, prefix: string): boolean {
    return (this.e.fs.readText(dbPath) ?? "").split("\n").includes(`${prefix}${name}`);
  }

  private installPackages(pm: "apk" | "apt", pkgs: PackageInfo[], dbPath: string, prefix: string): void {
    for (const p of pkgs) {
      let left = p.size;
      for (const b of p.bins) {
        const size = Math.min(left, 200_000);
        this.e.fs.writeFile(`/usr/bin/${b}`, opaqueFile(`${pm}:${p.name}:${p.version}:${b}`, size));
        left -= size;
      }
      if (left > 0) this.e.fs.writeFile(pm === "apk" ? `/usr/lib/${p.name}/${p.name}.so` : `/usr/lib/x86_64-linux-gnu/${p.name}/${p.name}.so`, opaqueFile(`${pm}:${p.name}:${p.version}`, left, { mode: 0o644 }));
      for (const d of p.deps) if (!this.installed(dbPath, d, prefix)) this.e.fs.appendText(dbPath, `${prefix}${d}\n`);
      this.e.fs.appendText(dbPath, `${prefix}${p.name}\n`);
      if (p.name === "python3") {
        this.e.fs.writeText(`/usr/lib/python3.${pm === "apk" ? 12 : 11}/EXTERNALLY-MANAGED`, "[externally-managed]\nError=To install Python packages system-wide, try apt install python3-xyz.\n");
      }
    }
  }

  private apk(args: string[]): undefined {
    const sub = args.find((a) => !a.startsWith("-"));
    const noCache = args.includes("--no-cache");
    const update = args.includes("--update") || args.includes("-U") || sub === "update";
    const release = (this.e.fs.readText("/etc/alpine-release") ?? "3.20").trim().split(".").slice(0, 2).join(".");
    const indexUrl = `https://dl-cdn.alpinelinux.org/alpine/v${release}`;
    const hasIndex = this.e.fs.listDir("/var/cache/apk").some((n) => n.startsWith("APKINDEX"));
    if ((update || noCache) && this.offline) {
      this.say(`WARNING: fetching ${indexUrl}/main: temporary error (try again later)`);
      if (sub === "add") {
        this.say("ERROR: unable to select packages:");
        this.fail(1);
      }
      this.fail(1);
    }
    if (update || noCache) {
      this.say(`fetch ${indexUrl}/main/x86_64/APKINDEX.tar.gz`);
      this.say(`fetch ${indexUrl}/community/x86_64/APKINDEX.tar.gz`);
      this.spend(700 * MS);
      if (!noCache) {
        this.e.fs.mkdir("/var/cache/apk", { parents: true });
        this.e.fs.writeFile("/var/cache/apk/APKINDEX.5f2ab2a1.tar.gz", opaqueFile(`apkindex:${release}:main`, 1_100_000, { mode: 0o644 }));
        this.e.fs.writeFile("/var/cache/apk/APKINDEX.9d8e3c77.tar.gz", opaqueFile(`apkindex:${release}:community`, 1_400_000, { mode: 0o644 }));
      }
    }
    if (sub === "update") {
      this.say(`v${release}.3-0-g0000000000 [${indexUrl}/main]`);
      this.say("OK: 24175 distinct packages available");
      return undefined;
    }
    if (sub === "add") {
      const rest = args.slice(args.indexOf("add") + 1);
      const names: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--virtual" || rest[i] === "-t") {
          i++;
          continue;
        }
        if (!rest[i]!.startsWith("-")) names.push(rest[i]!);
      }
      if (!update && !noCache && !hasIndex) {
        this.say(`WARNING: opening from cache ${indexUrl}/main: No such file or directory`);
        this.say("ERROR: unable to select packages:");
        for (const n of names) this.say(`  ${n} (no such package):\n    required by: world[${n}]`);
        this.fail(names.length || 1);
      }
      const todo = names.map((n) => findPackage("apk", n)).filter((p) => !this.installed("/lib/apk/db/installed", p.name, "P:"));
      const all = todo.flatMap((p) => [...p.deps.filter((d) => !this.installed("/lib/apk/db/installed", d, "P:")), p.name]);
      const uniq = [...new Set(all)];
      uniq.forEach((n, i) => this.say(`(${i + 1}/${uniq.length}) Installing ${n} (${findPackage("apk", n).version})`));
      const bytes = todo.reduce((s, p) => s + p.size, 0);
      this.spend(300 * MS + (bytes * 0.4) / (30 * MB / MICROS_PER_SECOND) + bytes / (200 * MB / MICROS_PER_SECOND));
      this.installPackages("apk", todo, "/lib/apk/db/installed", "P:");
      this.say(`OK: ${Math.round((bytes + 7 * MB) / MB)} MiB in ${14 + uniq.length} packages`);
      return undefined;
    }
    if (sub === "del") {
      this.spend(100 * MS);
      return undefined;
    }
    this.spend(100 * MS);
    return undefined;
  }

  private apt(args: string[]): undefined {
    const sub = args.find((a) => !a.startsWith("-"));
    const codename = /VERSION_ID="?(\d+)/.exec(this.e.fs.readText("/etc/os-release") ?? "")?.[1] === "12" ? "bookworm" : "stable";
    const lists = "/var/lib/apt/lists";
    if (sub === "update" && this.offline) {
      this.say(`Err:1 http://deb.debian.org/debian ${codename} InRelease\n  Temporary failure resolving 'deb.debian.org'`);
      this.say(`W: Failed to fetch http://deb.debian.org/debian/dists/${codename}/InRelease  Temporary failure resolving 'deb.debian.org'`);
      this.say("W: Some index files failed to download. They have been ignored, or old ones used instead.");
      this.spend(1000 * MS);
      return undefined;
    }
    if (sub === "update") {
      const mirror = this.e.fs.readText("/etc/os-release")?.includes("ubuntu") ? "http://archive.ubuntu.com/ubuntu" : "http://deb.debian.org/debian";
      this.say(`Get:1 ${mirror} ${codename} InRelease [151 kB]`);
      this.say(`Get:2 ${mirror} ${codename}-updates InRelease [55.4 kB]`);
      this.say(`Get:3 ${mirror} ${codename}/main amd64 Packages [8789 kB]`);
      this.say("Fetched 8995 kB in 1s (6420 kB/s)");
      this.say("Reading package lists...");
      this.spend(2400 * MS);
      this.e.fs.mkdir(lists, { parents: true });
      this.e.fs.writeFile(`${lists}/deb.debian.org_debian_dists_${codename}_main_binary-amd64_Packages.lz4`, opaqueFile(`apt-lists:${codename}:main`, 17_800_000, { mode: 0o644 }));
      this.e.fs.writeFile(`${lists}/deb.debian.org_debian_dists_${codename}_InRelease`, opaqueFile(`apt-lists:${codename}:release`, 151_000, { mode: 0o644 }));
      return undefined;
    }
    if (sub === "install") {
      const names = args.slice(args.indexOf("install") + 1).filter((a) => !a.startsWith("-"));
      const yes = args.some((a) => a === "-y" || a === "--yes" || a === "--assume-yes" || /^-[a-z]*y/.test(a) || a === "-qq");
      this.say("Reading package lists...");
      const hasLists = this.e.fs.listDir(lists).some((n) => n.endsWith("Packages.lz4"));
      if (!hasLists) {
        for (const n of names) this.say(`E: Unable to locate package ${n}`);
        this.fail(100);
      }
      const todo = names.map((n) => findPackage("apt", n)).filter((p) => !this.installed("/var/lib/dpkg/status", p.name, "Package: "));
      const extra = [...new Set(todo.flatMap((p) => p.deps))].filter((d) => !this.installed("/var/lib/dpkg/status", d, "Package: "));
      const bytes = todo.reduce((s, p) => s + p.size, 0);
      this.say("The following NEW packages will be installed:");
      this.say(`  ${[...extra, ...todo.map((p) => p.name)].sort().join(" ")}`);
      this.say(`0 upgraded, ${extra.length + todo.length} newly installed, 0 to remove and 0 not upgraded.`);
      this.say(`After this operation, ${Math.round(bytes / 1000).toLocaleString("en-US")} kB of additional disk space will be used.`);
      if (extra.length > 0 && !yes) {
        this.say("Do you want to continue? [Y/n] Abort.");
        this.fail(1);
      }
      this.spend(900 * MS + (bytes * 0.35) / (25 * MB / MICROS_PER_SECOND) + bytes / (150 * MB / MICROS_PER_SECOND));
      this.installPackages("apt", todo, "/var/lib/dpkg/status", "Package: ");
      return undefined;
    }
    this.spend(200 * MS);
    return undefined;
  }

  private pip(args: string[]): undefined {
    if (args[0] !== "install") {
      this.spend(300 * MS);
      return undefined;
    }
    const managed = this.e.fs.listDir("/usr/lib").filter((d) => d.startsWith("python3")).some((d) => this.e.fs.exists(`/usr/lib/${d}/EXTERNALLY-MANAGED`));
    if (managed && !args.includes("--break-system-packages") && !this.which("python3")?.startsWith("/usr/local")) {
      this.say("error: externally-managed-environment");
      this.fail(1);
    }
    const names: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-r" || a === "--requirement") {
        const file = args[++i] ?? "";
        const f = this.e.fs.readText(this.path(file));
        if (f === undefined) this.fail(1, `ERROR: Could not open requirements file: [Errno 2] No such file or directory: '${file}'`);
        names.push(...f.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l !== ""));
      } else if (!a.startsWith("-")) names.push(a);
    }
    if (this.offline && names.length > 0) {
      this.say(`ERROR: Could not find a version that satisfies the requirement ${names[0]} (from versions: none)`);
      this.fail(1, `ERROR: No matching distribution found for ${names[0]}`);
    }
    const site = this.e.fs.exists("/usr/local/bin/python3") ? "/usr/local/lib/python3.12/site-packages" : "/usr/lib/python3/dist-packages";
    const pkgs = names.map((n) => findPackage("pip", n));
    let bytes = 0;
    for (const p of pkgs) {
      this.say(`Collecting ${p.name}`);
      this.e.fs.writeFile(`${site}/${p.name.replace(/-/g, "_")}/__init__.py`, opaqueFile(`pip:${p.name}:${p.version}`, p.size, { mode: 0o644 }));
      for (const b of p.bins) this.e.fs.writeFile(`/usr/local/bin/${b}`, opaqueFile(`pip:${p.name}:${b}`, 300));
      bytes += p.size;
    }
    if (!args.includes("--no-cache-dir")) {
      // pip keeps the downloaded wheels in ~/.cache/pip: the reason for --no-cache-dir in images.
      if (bytes > 0) this.e.fs.writeFile(`/root/.cache/pip/http-v2/${textHash32(names.join(" ")).toString(16)}`, opaqueFile(`pipcache:${names.join(" ")}`, Math.round(bytes * 0.45), { mode: 0o644 }));
    }
    this.say(`Successfully installed ${pkgs.map((p) => `${p.name}-${p.version}`).join(" ")}`);
    this.spend(800 * MS + (bytes * 0.45) / (20 * MB / MICROS_PER_SECOND) + bytes / (100 * MB / MICROS_PER_SECOND));
    return undefined;
  }

  private npm(args: string[]): undefined {
    const sub = args[0] ?? "";
    if (!["install", "i", "ci", "add"].includes(sub)) {
      if (sub === "run" && args[1] === "build") {
        this.e.fs.mkdir(this.path("dist"), { parents: true });
        this.write("dist/index.js", `// built from ${this.e.cwd}\n`, false);
        this.spend(3 * MICROS_PER_SECOND);
      } else this.spend(500 * MS);
      return undefined;
    }
    const explicit = args.slice(1).filter((a) => !a.startsWith("-"));
    let deps: string[] = explicit;
    if (explicit.length === 0) {
      const pj = this.e.fs.readText(this.path("package.json"));
      if (pj === undefined) this.fail(254, `npm error code ENOENT\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '${this.path("package.json")}'`);
      if (sub === "ci" && !this.e.fs.exists(this.path("package-lock.json"))) {
        this.fail(1, "npm error The `npm ci` command can only install with an existing package-lock.json or\nnpm error npm-shrinkwrap.json with lockfileVersion >= 1.");
      }
      let parsed: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = {};
      try {
        parsed = JSON.parse(pj) as typeof parsed;
      } catch {
        this.fail(1, "npm error code EJSONPARSE");
      }
      const prod = args.includes("--production") || args.includes("--omit=dev") || this.e.env.get("NODE_ENV") === "production";
      deps = [...Object.keys(parsed.dependencies ?? {}), ...(prod ? [] : Object.keys(parsed.devDependencies ?? {}))];
    }
    if (this.offline && deps.length > 0) this.fail(1, "npm error code EAI_AGAIN\nnpm error syscall getaddrinfo\nnpm error errno EAI_AGAIN\nnpm error request to https://registry.npmjs.org/ failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org");
    let bytes = 0;
    for (const d of deps) {
      const p = findPackage("npm", d);
      this.e.fs.writeFile(this.path(`node_modules/${p.name}/index.js`), opaqueFile(`npm:${p.name}:${p.version}`, p.size, { mode: 0o644, uid: this.e.uid, gid: this.e.gid }));
      bytes += p.size;
    }
    if (explicit.length === 0 && sub !== "ci") this.write("package-lock.json", `{"lockfileVersion":3,"packages":${JSON.stringify(deps)}}\n`, false);
    if (bytes > 0) this.e.fs.writeFile(`/root/.npm/_cacache/index-v5/${textHash32(deps.join(" ")).toString(16)}`, opaqueFile(`npmcache:${deps.join(" ")}`, Math.round(bytes * 0.3), { mode: 0o644 }));
    this.say(`added ${deps.length} packages, and audited ${deps.length + 1} packages in ${Math.max(1, Math.round(bytes / (10 * MB)))}s`);
    this.say("found 0 vulnerabilities");
    this.spend(1500 * MS + bytes / (12 * MB / MICROS_PER_SECOND));
    return undefined;
  }

  private fetchData(url: string): Data {
    const body = own(this.e.urls, url);
    if (body !== undefined) return { text: body, size: new TextEncoder().encode(body).length, descriptor: url };
    const name = basename(url.replace(/[?#].*$/, "")) || "index.html";
    const size = 20_000 + (textHash32(url) % (8 * MB));
    if (/\.(tar(\.(gz|bz2|xz))?|tgz)$/.test(name)) {
      const stem = name.replace(/\.(tar(\.(gz|bz2|xz))?|tgz)$/, "");
      return { archive: { [`${stem}/README`]: `${stem}\n`, [`${stem}/bin/${stem.split(/[-_]/)[0]}`]: `#!/bin/sh\necho ${stem}\n` }, size, descriptor: url };
    }
    return { size, descriptor: url };
  }

  private fetch(cmd: "curl" | "wget", args: string[]): Data | undefined {
    const url = args.find((a) => /^[a-z]+:\/\//.test(a));
    if (!url) this.fail(cmd === "curl" ? 2 : 1, `${cmd}: no URL specified`);
    if (this.offline) {
      if (cmd === "curl") this.fail(6, `curl: (6) Could not resolve host: ${this.hostOf(url)}`);
      this.fail(4, `wget: unable to resolve host address '${this.hostOf(url)}'`);
    }
    const d = this.fetchData(url);
    this.spend(150 * MS + d.size / (50 * MB / MICROS_PER_SECOND));
    let out: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if ((cmd === "curl" && a === "-o") || (cmd === "wget" && a === "-O") || a === "--output" || a === "--output-document") out = args[++i];
      else if (cmd === "curl" && /^-[a-zA-Z]*o$/.test(a)) out = args[++i];
      else if (cmd === "curl" && /^-[a-zA-Z]*O$/.test(a)) out = basename(url);
    }
    if (cmd === "wget" && out === undefined) out = basename(url.replace(/[?#].*$/, "")) || "index.html";
    if (out === "-") out = undefined;
    if (out !== undefined) {
      this.writeData(out, d, false);
      return undefined;
    }
    return { ...d, descriptor: d.text === undefined ? d.descriptor : "pipe-only" };
  }

  private tar(args: string[], stdin: Data | undefined): undefined {
    const flags = args.filter((a) => a.startsWith("-") || (args.indexOf(a) === 0 && /^[a-zA-Z]+$/.test(a))).join("");
    let file: string | undefined;
    let dir = this.e.cwd;
    let strip = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-C" || a === "--directory") dir = this.path(args[++i] ?? ".");
      else if (a.startsWith("--directory=")) dir = this.path(a.slice(12));
      else if (a === "-f" || a === "--file") file = args[++i];
      else if (a.startsWith("--file=")) file = a.slice(7);
      else if (/^-?[a-zA-Z]*f$/.test(a) && !a.startsWith("--")) file = args[++i];
      else if (a.startsWith("--strip-components")) strip = Number(a.split("=")[1] ?? args[++i]);
    }
    const extract = /x/.test(flags) || args.includes("--extract");
    if (!extract) {
      this.spend(200 * MS);
      if (file) this.writeData(file, { size: 10_240, descriptor: `tar:${args.join(" ")}` }, false);
      return undefined;
    }
    let data: Data | undefined = stdin;
    if (file && file !== "-") {
      const e = this.e.fs.stat(this.path(file));
      if (!e || e.type !== "file") this.fail(2, `tar: ${file}: Cannot open: No such file or directory`);
      data = { size: e.size, descriptor: e.contentDigest, ...(e.archive ? { archive: e.archive } : {}) };
    }
    if (!data) this.fail(2, "tar: Refusing to read archive contents from terminal (missing -f option?)");
    const members = data.archive ?? { [`${basename(data.descriptor).replace(/\.(tar.*|tgz)$/, "") || "archive"}/data`]: "" };
    for (const [m, text] of Object.entries(members)) {
      const rel = m.split("/").filter((x) => x !== "").slice(strip).join("/");
      if (rel === "") continue;
      const entry: FileEntry = data.archive ? textFile(text, { mode: 0o755 }) : opaqueFile(`${data.descriptor}:${m}`, data.size * 3, { mode: 0o644 });
      this.e.fs.writeFile(joinPath(dir, rel), entry);
    }
    this.spend(100 * MS + data.size / (100 * MB / MICROS_PER_SECOND));
    return undefined;
  }

  private sourcesSize(files: string[], cmd: string): number {
    let size = 0;
    for (const f of files) {
      const e = this.e.fs.stat(this.path(f));
      if (!e || e.type !== "file") this.fail(1, `${cmd}: error: ${f}: No such file or directory`);
      size += e.size;
    }
    return size;
  }

  private cc(args: string[]): undefined {
    let out = "a.out";
    const srcs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-o") out = args[++i] ?? out;
      else if (!a.startsWith("-")) srcs.push(a);
    }
    if (srcs.length === 0) this.fail(1, "gcc: fatal error: no input files");
    const size = this.sourcesSize(srcs, "gcc");
    const bin = 16_000 + size * 3 + (args.includes("-static") ? 780_000 : 0);
    this.e.fs.writeFile(this.path(out), opaqueFile(`cc:${srcs.join(",")}:${size}`, bin, { uid: this.e.uid, gid: this.e.gid }));
    this.spend(250 * MS + size * 5);
    return undefined;
  }

  private go(args: string[]): undefined {
    const sub = args[0];
    if (sub === "mod" && args[1] === "download") {
      const sum = this.e.fs.readText(this.path("go.sum")) ?? "";
      const mods = sum.split("\n").filter((l) => l.trim() !== "" && !l.includes("/go.mod ")).length;
      if (mods > 0) this.e.fs.writeFile(`${this.e.env.get("GOPATH") ?? "/go"}/pkg/mod/cache/download/modules.zip`, opaqueFile(`gomod:${sum}`, mods * 400_000, { mode: 0o644 }));
      this.spend(500 * MS + mods * 150 * MS);
      return undefined;
    }
    if (sub !== "build" && sub !== "install") {
      const known = ["bug", "clean", "doc", "env", "fix", "fmt", "generate", "get", "help", "list", "mod", "work", "run", "test", "tool", "version", "vet"];
      if (!known.includes(sub ?? "")) this.fail(2, `go ${sub ?? ""}: unknown command\nRun 'go help' for usage.`);
      this.spend(300 * MS);
      return undefined;
    }
    const modText = this.e.fs.readText(this.path("go.mod"));
    let out: string | undefined;
    for (let i = 1; i < args.length; i++) if (args[i] === "-o") out = args[++i];
    const goFiles = this.e.fs.walk(this.e.cwd).filter((p) => p.endsWith(".go"));
    if (goFiles.length === 0) this.fail(1, "no Go files in " + this.e.cwd);
    if (modText === undefined && !goFiles.some((p) => args.includes(basename(p)))) {
      this.fail(1, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
    }
    const module = /^module\s+(\S+)/m.exec(modText ?? "")?.[1] ?? basename(this.e.cwd);
    const target = out ?? (sub === "install" ? `${this.e.env.get("GOPATH") ?? "/go"}/bin/${basename(module)}` : basename(module));
    const src = goFiles.reduce((s, p) => s + ((this.e.fs.stat(p) as FileEntry | undefined)?.size ?? 0), 0);
    this.e.fs.writeFile(this.path(target), opaqueFile(`go:${module}:${src}:${this.e.env.get("CGO_ENABLED") ?? "1"}`, 1_900_000 + src * 12, { uid: this.e.uid, gid: this.e.gid }));
    this.spend(1800 * MS + src * 40);
    return undefined;
  }

  private javac(args: string[]): undefined {
    const srcs = args.filter((a) => a.endsWith(".java"));
    const size = this.sourcesSize(srcs, "javac");
    for (const s of srcs) this.e.fs.writeFile(this.path(s.replace(/\.java$/, ".class")), opaqueFile(`javac:${s}`, 800 + size, { mode: 0o644 }));
    this.spend(900 * MS + size * 20);
    return undefined;
  }

  private jar(cmd: string, args: string[]): undefined {
    if (cmd === "mvn" && !this.e.fs.exists(this.path("pom.xml"))) this.fail(1, "[ERROR] The goal you specified requires a project to execute but there is no POM in this directory");
    if (args.some((a) => a === "package" || a === "build" || a === "install")) {
      const dir = cmd === "mvn" ? "target" : "build/libs";
      this.e.fs.writeFile(this.path(`${dir}/app.jar`), opaqueFile(`${cmd}:${this.e.cwd}`, 18_000_000, { mode: 0o644 }));
      this.e.fs.writeFile(cmd === "mvn" ? "/root/.m2/repository/deps.jar" : "/root/.gradle/caches/deps.jar", opaqueFile(`${cmd}-deps:${this.e.cwd}`, 60_000_000, { mode: 0o644 }));
    }
    this.spend(12 * MICROS_PER_SECOND);
    return undefined;
  }

  private cargo(args: string[]): undefined {
    const toml = this.e.fs.readText(this.path("Cargo.toml"));
    if (toml === undefined) this.fail(101, "error: could not find `Cargo.toml` in `" + this.e.cwd + "` or any parent directory");
    const name = /name\s*=\s*"([^"]+)"/.exec(toml)?.[1] ?? "app";
    const profile = args.includes("--release") ? "release" : "debug";
    if (args[0] === "build") this.e.fs.writeFile(this.path(`target/${profile}/${name}`), opaqueFile(`cargo:${name}:${profile}`, 4_000_000));
    this.spend(20 * MICROS_PER_SECOND);
    return undefined;
  }

  private useradd(cmd: string, args: string[]): undefined {
    let uid: number | undefined;
    let gid: number | undefined;
    let group: string | undefined;
    let createHome = cmd === "adduser";
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-u" || a === "--uid") uid = Number(args[++i]);
      else if (a === "-g" || a === "-G" || a === "--gid" || a === "--ingroup") group = args[++i];
      else if (a === "-m" || a === "--create-home") createHome = true;
      else if (a === "-H" || a === "--no-create-home" || a === "-M") createHome = false;
      else if (["-s", "--shell", "-h", "--home", "-c", "--comment", "-d", "--home-dir", "--gecos", "-g"].includes(a)) i++;
      else if (!a.startsWith("-")) names.push(a);
    }
    const name = names[0];
    if (!name) this.fail(2, `${cmd}: missing user name`);
    const passwd = this.e.fs.readText("/etc/passwd") ?? "";
    if (passwd.split("\n").some((l) => l.split(":")[0] === name)) this.fail(9, `${cmd}: user '${name}' already exists`);
    const groups = this.e.fs.readText("/etc/group") ?? "";
    if (group !== undefined) {
      const line = groups.split("\n").find((l) => l.split(":")[0] === group || l.split(":")[2] === group);
      if (!line) this.fail(6, `${cmd}: group '${group}' does not exist`);
      gid = Number(line.split(":")[2]);
    }
    const used = passwd.split("\n").map((l) => Number(l.split(":")[2])).filter((n) => Number.isFinite(n));
    uid ??= Math.max(999, ...used.filter((n) => n < 60000)) + 1;
    if (gid === undefined) {
      gid = uid;
      this.e.fs.appendText("/etc/group", `${name}:x:${gid}:\n`);
    }
    this.e.fs.appendText("/etc/passwd", `${name}:x:${uid}:${gid}::/home/${name}:/bin/sh\n`);
    if (createHome) this.e.fs.mkdir(`/home/${name}`, { parents: true, meta: { uid, gid } });
    this.spend(30 * MS);
    return undefined;
  }

  private groupadd(args: string[]): undefined {
    let gid: number | undefined;
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-g" || a === "--gid") gid = Number(args[++i]);
      else if (!a.startsWith("-")) names.push(a);
    }
    const groups = this.e.fs.readText("/etc/group") ?? "";
    const name = names[names.length - 1] ?? "";
    if (groups.split("\n").some((l) => l.split(":")[0] === name)) this.fail(9, `groupadd: group '${name}' already exists`);
    gid ??= Math.max(999, ...groups.split("\n").map((l) => Number(l.split(":")[2])).filter((n) => Number.isFinite(n) && n < 60000)) + 1;
    this.e.fs.appendText("/etc/group", `${name}:x:${gid}:\n`);
    this.spend(20 * MS);
    return undefined;
  }

  private git(args: string[]): undefined {
    if (args[0] === "clone") {
      const rest = args.slice(1).filter((a, i, arr) => !a.startsWith("-") && !["-b", "--branch", "--depth"].includes(arr[i - 1] ?? ""));
      const url = rest[0] ?? "";
      if (this.offline) this.fail(128, `fatal: unable to access '${url}/': Could not resolve host: ${this.hostOf(url)}`);
      const dir = this.path(rest[1] ?? basename(url).replace(/\.git$/, ""));
      this.say(`Cloning into '${rest[1] ?? basename(url).replace(/\.git$/, "")}'...`);
      this.e.fs.mkdir(dir, { parents: true });
      this.e.fs.writeText(joinPath(dir, "README.md"), `# ${basename(url)}\n`);
      this.e.fs.writeFile(joinPath(dir, ".git/objects/pack/pack.pack"), opaqueFile(`git:${url}`, 200_000 + (textHash32(url) % (20 * MB)), { mode: 0o444 }));
      this.spend(1200 * MS);
      return undefined;
    }
    this.spend(100 * MS);
    return undefined;
  }
}

/** Runs a shell-form RUN (`/bin/sh -c "<script>"`), with heredoc stdin when given. */
export function runShellForm(script: string, env: RunEnv, heredocStdin?: string): RunResult {
  const it = new Interp(env);
  let code: number;
  try {
    code = it.runScript(script, heredocStdin);
  } catch (e) {
    if (e instanceof ExitError) code = e.code;
    else throw e;
  }
  return { exitCode: code, durationUs: it.timeUs, output: it.output };
}

/** Runs an exec-form RUN: no shell, no variable expansion. */
export function runExecForm(argv: readonly string[], env: RunEnv): RunResult {
  const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const it = new Interp(env);
  let code = 0;
  if (argv.length > 0 && !it.which(argv[0]!)) {
    return {
      exitCode: 127, durationUs: RUN_STARTUP_US,
      output: [{ atUs: RUN_STARTUP_US, line: `runc run failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH` }],
    };
  }
  try {
    code = it.runScript(quoted);
  } catch (e) {
    if (e instanceof ExitError) code = e.code;
    else throw e;
  }
  return { exitCode: code, durationUs: it.timeUs, output: it.output };
}
