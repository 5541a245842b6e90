import { MICROS_PER_MS, MICROS_PER_SECOND } from "@drydock/kernel";
import { opaqueFile, textFile, type FileEntry } from "../../layers/entry.js";
import { own, textHash32 } from "../../util/hash.js";
import { basename, joinPath } from "../../util/path.js";
import type { Data, Shell } from "./shell.js";
import { compileC, compiledBinary } from "./c-source.js";

/**
 * Fetchers, archivers, compilers and account tools of the RUN catalogue: curl, wget, tar, gcc,
 * go, javac, mvn/gradle, cargo, useradd/adduser, groupadd/addgroup and git.
 */
const MS = MICROS_PER_MS;
const MB = 1024 * 1024;

export function fetchData(sh: Shell, url: string): Data {
  const body = own(sh.e.urls, url);
  if (body !== undefined) return { text: body, size: new TextEncoder().encode(body).length, descriptor: url };
  const name = basename(url.replace(/[?#].*$/, "")) || "index.html";
  const size = 20_000 + (textHash32(url) % (8 * MB));
  if (/\.(tar(\.(gz|bz2|xz))?|tgz)$/.test(name)) {
    const stem = name.replace(/\.(tar(\.(gz|bz2|xz))?|tgz)$/, "");
    return { archive: { [`${stem}/README`]: `${stem}\n`, [`${stem}/bin/${stem.split(/[-_]/)[0]}`]: `#!/bin/sh\necho ${stem}\n` }, size, descriptor: url };
  }
  return { size, descriptor: url };
}

export function fetch(sh: Shell, cmd: "curl" | "wget", args: string[]): Data | undefined {
  const url = args.find((a) => /^[a-z]+:\/\//.test(a));
  if (!url) sh.fail(cmd === "curl" ? 2 : 1, `${cmd}: no URL specified`);
  if (sh.offline) {
    if (cmd === "curl") sh.fail(6, `curl: (6) Could not resolve host: ${sh.hostOf(url)}`);
    sh.fail(4, `wget: unable to resolve host address '${sh.hostOf(url)}'`);
  }
  const d = fetchData(sh, url);
  sh.spend(150 * MS + d.size / (50 * MB / MICROS_PER_SECOND));
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
    sh.writeData(out, d, false);
    return undefined;
  }
  return { ...d, descriptor: d.text === undefined ? d.descriptor : "pipe-only" };
}

export function tar(sh: Shell, args: string[], stdin: Data | undefined): undefined {
  const flags = args.filter((a) => a.startsWith("-") || (args.indexOf(a) === 0 && /^[a-zA-Z]+$/.test(a))).join("");
  let file: string | undefined;
  let dir = sh.e.cwd;
  let strip = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-C" || a === "--directory") dir = sh.path(args[++i] ?? ".");
    else if (a.startsWith("--directory=")) dir = sh.path(a.slice(12));
    else if (a === "-f" || a === "--file") file = args[++i];
    else if (a.startsWith("--file=")) file = a.slice(7);
    else if (/^-?[a-zA-Z]*f$/.test(a) && !a.startsWith("--")) file = args[++i];
    else if (a.startsWith("--strip-components")) strip = Number(a.split("=")[1] ?? args[++i]);
  }
  const extract = /x/.test(flags) || args.includes("--extract");
  if (!extract) {
    sh.spend(200 * MS);
    if (file) sh.writeData(file, { size: 10_240, descriptor: `tar:${args.join(" ")}` }, false);
    return undefined;
  }
  let data: Data | undefined = stdin;
  if (file && file !== "-") {
    const e = sh.e.fs.stat(sh.path(file));
    if (!e || e.type !== "file") sh.fail(2, `tar: ${file}: Cannot open: No such file or directory`);
    data = { size: e.size, descriptor: e.contentDigest, ...(e.archive ? { archive: e.archive } : {}) };
  }
  if (!data) sh.fail(2, "tar: Refusing to read archive contents from terminal (missing -f option?)");
  const members = data.archive ?? { [`${basename(data.descriptor).replace(/\.(tar.*|tgz)$/, "") || "archive"}/data`]: "" };
  for (const [m, text] of Object.entries(members)) {
    const rel = m.split("/").filter((x) => x !== "").slice(strip).join("/");
    if (rel === "") continue;
    const entry: FileEntry = data.archive ? textFile(text, { mode: 0o755 }) : opaqueFile(`${data.descriptor}:${m}`, data.size * 3, { mode: 0o644 });
    sh.e.fs.writeFile(joinPath(dir, rel), entry);
  }
  sh.spend(100 * MS + data.size / (100 * MB / MICROS_PER_SECOND));
  return undefined;
}

export function sourcesSize(sh: Shell, files: string[], cmd: string): number {
  let size = 0;
  for (const f of files) {
    const e = sh.e.fs.stat(sh.path(f));
    if (!e || e.type !== "file") sh.fail(1, `${cmd}: error: ${f}: No such file or directory`);
    size += e.size;
  }
  return size;
}

export function cc(sh: Shell, args: string[]): undefined {
  let out = "a.out";
  const srcs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-o") out = args[++i] ?? out;
    else if (!a.startsWith("-")) srcs.push(a);
  }
  if (srcs.length === 0) sh.fail(1, "gcc: fatal error: no input files");
  const size = sourcesSize(sh, srcs, "gcc");
  const bin = 16_000 + size * 3 + (args.includes("-static") ? 780_000 : 0);
  // The C sources are read as gcc parses them: an error fails the RUN (exit 1) in gcc's words; what
  // main prints is recorded in the binary, which the engine runs as that output.
  const cSources = srcs.filter((f) => /\.c$/.test(f));
  let stdout = "";
  let exit = 0;
  for (const f of cSources) {
    const text = sh.e.fs.readText(sh.path(f));
    if (text === undefined) continue;
    const r = compileC(f, text);
    if (!r.ok) sh.fail(1, r.error);
    stdout += r.run.stdout;
    if (r.run.exit !== 0) exit = r.run.exit;
  }
  const binary = cSources.length > 0 ? textFile(compiledBinary({ stdout, exit }, bin), { mode: 0o755, uid: sh.e.uid, gid: sh.e.gid })
    : opaqueFile(`cc:${srcs.join(",")}:${size}`, bin, { uid: sh.e.uid, gid: sh.e.gid });
  sh.e.fs.writeFile(sh.path(out), binary);
  sh.spend(250 * MS + size * 5);
  return undefined;
}

export function go(sh: Shell, args: string[]): undefined {
  const sub = args[0];
  if (sub === "mod" && args[1] === "download") {
    const sum = sh.e.fs.readText(sh.path("go.sum")) ?? "";
    const mods = sum.split("\n").filter((l) => l.trim() !== "" && !l.includes("/go.mod ")).length;
    if (mods > 0) sh.e.fs.writeFile(`${sh.e.env.get("GOPATH") ?? "/go"}/pkg/mod/cache/download/modules.zip`, opaqueFile(`gomod:${sum}`, mods * 400_000, { mode: 0o644 }));
    sh.spend(500 * MS + mods * 150 * MS);
    return undefined;
  }
  if (sub !== "build" && sub !== "install") {
    const known = ["bug", "clean", "doc", "env", "fix", "fmt", "generate", "get", "help", "list", "mod", "work", "run", "test", "tool", "version", "vet"];
    if (!known.includes(sub ?? "")) sh.fail(2, `go ${sub ?? ""}: unknown command\nRun 'go help' for usage.`);
    sh.spend(300 * MS);
    return undefined;
  }
  const modText = sh.e.fs.readText(sh.path("go.mod"));
  let out: string | undefined;
  for (let i = 1; i < args.length; i++) if (args[i] === "-o") out = args[++i];
  const goFiles = sh.e.fs.walk(sh.e.cwd).filter((p) => p.endsWith(".go"));
  if (goFiles.length === 0) sh.fail(1, "no Go files in " + sh.e.cwd);
  if (modText === undefined && !goFiles.some((p) => args.includes(basename(p)))) {
    sh.fail(1, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
  }
  const module = /^module\s+(\S+)/m.exec(modText ?? "")?.[1] ?? basename(sh.e.cwd);
  const target = out ?? (sub === "install" ? `${sh.e.env.get("GOPATH") ?? "/go"}/bin/${basename(module)}` : basename(module));
  const src = goFiles.reduce((s, p) => s + ((sh.e.fs.stat(p) as FileEntry | undefined)?.size ?? 0), 0);
  sh.e.fs.writeFile(sh.path(target), opaqueFile(`go:${module}:${src}:${sh.e.env.get("CGO_ENABLED") ?? "1"}`, 1_900_000 + src * 12, { uid: sh.e.uid, gid: sh.e.gid }));
  sh.spend(1800 * MS + src * 40);
  return undefined;
}

export function javac(sh: Shell, args: string[]): undefined {
  const srcs = args.filter((a) => a.endsWith(".java"));
  const size = sourcesSize(sh, srcs, "javac");
  for (const s of srcs) sh.e.fs.writeFile(sh.path(s.replace(/\.java$/, ".class")), opaqueFile(`javac:${s}`, 800 + size, { mode: 0o644 }));
  sh.spend(900 * MS + size * 20);
  return undefined;
}

export function jar(sh: Shell, cmd: string, args: string[]): undefined {
  if (cmd === "mvn" && !sh.e.fs.exists(sh.path("pom.xml"))) sh.fail(1, "[ERROR] The goal you specified requires a project to execute but there is no POM in this directory");
  if (args.some((a) => a === "package" || a === "build" || a === "install")) {
    const dir = cmd === "mvn" ? "target" : "build/libs";
    sh.e.fs.writeFile(sh.path(`${dir}/app.jar`), opaqueFile(`${cmd}:${sh.e.cwd}`, 18_000_000, { mode: 0o644 }));
    sh.e.fs.writeFile(cmd === "mvn" ? "/root/.m2/repository/deps.jar" : "/root/.gradle/caches/deps.jar", opaqueFile(`${cmd}-deps:${sh.e.cwd}`, 60_000_000, { mode: 0o644 }));
  }
  sh.spend(12 * MICROS_PER_SECOND);
  return undefined;
}

export function cargo(sh: Shell, args: string[]): undefined {
  const toml = sh.e.fs.readText(sh.path("Cargo.toml"));
  if (toml === undefined) sh.fail(101, "error: could not find `Cargo.toml` in `" + sh.e.cwd + "` or any parent directory");
  const name = /name\s*=\s*"([^"]+)"/.exec(toml)?.[1] ?? "app";
  const profile = args.includes("--release") ? "release" : "debug";
  if (args[0] === "build") sh.e.fs.writeFile(sh.path(`target/${profile}/${name}`), opaqueFile(`cargo:${name}:${profile}`, 4_000_000));
  sh.spend(20 * MICROS_PER_SECOND);
  return undefined;
}

export function useradd(sh: Shell, cmd: string, args: string[]): undefined {
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
  if (!name) sh.fail(2, `${cmd}: missing user name`);
  const passwd = sh.e.fs.readText("/etc/passwd") ?? "";
  if (passwd.split("\n").some((l) => l.split(":")[0] === name)) sh.fail(9, `${cmd}: user '${name}' already exists`);
  const groups = sh.e.fs.readText("/etc/group") ?? "";
  if (group !== undefined) {
    const line = groups.split("\n").find((l) => l.split(":")[0] === group || l.split(":")[2] === group);
    if (!line) sh.fail(6, `${cmd}: group '${group}' does not exist`);
    gid = Number(line.split(":")[2]);
  }
  const used = passwd.split("\n").map((l) => Number(l.split(":")[2])).filter((n) => Number.isFinite(n));
  uid ??= Math.max(999, ...used.filter((n) => n < 60000)) + 1;
  if (gid === undefined) {
    gid = uid;
    sh.e.fs.appendText("/etc/group", `${name}:x:${gid}:\n`);
  }
  sh.e.fs.appendText("/etc/passwd", `${name}:x:${uid}:${gid}::/home/${name}:/bin/sh\n`);
  if (createHome) sh.e.fs.mkdir(`/home/${name}`, { parents: true, meta: { uid, gid } });
  sh.spend(30 * MS);
  return undefined;
}

export function groupadd(sh: Shell, args: string[]): undefined {
  let gid: number | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-g" || a === "--gid") gid = Number(args[++i]);
    else if (!a.startsWith("-")) names.push(a);
  }
  const groups = sh.e.fs.readText("/etc/group") ?? "";
  const name = names[names.length - 1] ?? "";
  if (groups.split("\n").some((l) => l.split(":")[0] === name)) sh.fail(9, `groupadd: group '${name}' already exists`);
  gid ??= Math.max(999, ...groups.split("\n").map((l) => Number(l.split(":")[2])).filter((n) => Number.isFinite(n) && n < 60000)) + 1;
  sh.e.fs.appendText("/etc/group", `${name}:x:${gid}:\n`);
  sh.spend(20 * MS);
  return undefined;
}

export function git(sh: Shell, args: string[]): undefined {
  if (args[0] === "clone") {
    const rest = args.slice(1).filter((a, i, arr) => !a.startsWith("-") && !["-b", "--branch", "--depth"].includes(arr[i - 1] ?? ""));
    const url = rest[0] ?? "";
    if (sh.offline) sh.fail(128, `fatal: unable to access '${url}/': Could not resolve host: ${sh.hostOf(url)}`);
    const dir = sh.path(rest[1] ?? basename(url).replace(/\.git$/, ""));
    sh.say(`Cloning into '${rest[1] ?? basename(url).replace(/\.git$/, "")}'...`);
    sh.e.fs.mkdir(dir, { parents: true });
    sh.e.fs.writeText(joinPath(dir, "README.md"), `# ${basename(url)}\n`);
    sh.e.fs.writeFile(joinPath(dir, ".git/objects/pack/pack.pack"), opaqueFile(`git:${url}`, 200_000 + (textHash32(url) % (20 * MB)), { mode: 0o444 }));
    sh.spend(1200 * MS);
    return undefined;
  }
  sh.spend(100 * MS);
  return undefined;
}
