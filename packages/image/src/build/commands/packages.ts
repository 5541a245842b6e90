import { MICROS_PER_MS, MICROS_PER_SECOND } from "@drydock/kernel";
import { opaqueFile } from "../../layers/entry.js";
import { textHash32 } from "../../util/hash.js";
import { EPEL_REPO_FILE, findPackage, lookupPackage, resolveInstall, yumRepoHas, type PackageInfo } from "../packages.js";
import type { Shell } from "./shell.js";

/**
 * Package managers of the RUN catalogue: apk, apt-get, pip and npm, installing from the simulated
 * index with each tool's messages, exit codes and leftovers (caches, package databases).
 */
const MS = MICROS_PER_MS;
const MB = 1024 * 1024;

export function installed(sh: Shell, dbPath: string, name: string, prefix: string): boolean {
  return (sh.e.fs.readText(dbPath) ?? "").split("\n").includes(`${prefix}${name}`);
}

export function installPackages(sh: Shell, pm: "apk" | "apt" | "yum", pkgs: PackageInfo[], dbPath: string, prefix: string): void {
  for (const p of pkgs) {
    let left = p.size;
    for (const b of p.bins) {
      const size = Math.min(left, 200_000);
      sh.e.fs.writeFile(`/usr/bin/${b}`, opaqueFile(`${pm}:${p.name}:${p.version}:${b}`, size));
      left -= size;
    }
    const lib = pm === "apk" ? `/usr/lib/${p.name}/${p.name}.so` : pm === "yum" ? `/usr/lib64/${p.name}/${p.name}.so` : `/usr/lib/x86_64-linux-gnu/${p.name}/${p.name}.so`;
    if (left > 0) sh.e.fs.writeFile(lib, opaqueFile(`${pm}:${p.name}:${p.version}`, left, { mode: 0o644 }));
    sh.e.fs.appendText(dbPath, `${prefix}${p.name}\n`);
    if (pm === "yum" && p.name === "epel-release") {
      sh.e.fs.writeText(EPEL_REPO_FILE, "[epel]\nname=Extra Packages for Enterprise Linux 7 - $basearch\nmetalink=https://mirrors.fedoraproject.org/metalink?repo=epel-7&arch=$basearch\nenabled=1\n");
    }
    if (p.name === "python3") {
      sh.e.fs.writeText(`/usr/lib/python3.${pm === "apk" ? 12 : 11}/EXTERNALLY-MANAGED`, "[externally-managed]\nError=To install Python packages system-wide, try apt install python3-xyz.\n");
    }
  }
}

export function apk(sh: Shell, args: string[]): undefined {
  const sub = args.find((a) => !a.startsWith("-"));
  const noCache = args.includes("--no-cache");
  const update = args.includes("--update") || args.includes("-U") || sub === "update";
  const release = (sh.e.fs.readText("/etc/alpine-release") ?? "3.20").trim().split(".").slice(0, 2).join(".");
  const indexUrl = `https://dl-cdn.alpinelinux.org/alpine/v${release}`;
  const hasIndex = sh.e.fs.listDir("/var/cache/apk").some((n) => n.startsWith("APKINDEX"));
  if ((update || noCache) && sh.offline) {
    sh.say(`WARNING: fetching ${indexUrl}/main: temporary error (try again later)`);
    if (sub === "add") {
      sh.say("ERROR: unable to select packages:");
      sh.fail(1);
    }
    sh.fail(1);
  }
  if (update || noCache) {
    sh.spend(5 * MS);
    sh.say(`fetch ${indexUrl}/main/x86_64/APKINDEX.tar.gz`);
    sh.spend(300 * MS);
    sh.say(`fetch ${indexUrl}/community/x86_64/APKINDEX.tar.gz`);
    sh.spend(395 * MS);
    if (!noCache) {
      sh.e.fs.mkdir("/var/cache/apk", { parents: true });
      sh.e.fs.writeFile("/var/cache/apk/APKINDEX.5f2ab2a1.tar.gz", opaqueFile(`apkindex:${release}:main`, 1_100_000, { mode: 0o644 }));
      sh.e.fs.writeFile("/var/cache/apk/APKINDEX.9d8e3c77.tar.gz", opaqueFile(`apkindex:${release}:community`, 1_400_000, { mode: 0o644 }));
    }
  }
  if (sub === "update") {
    sh.say(`v${release}.3-0-g0000000000 [${indexUrl}/main]`);
    sh.say("OK: 24175 distinct packages available");
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
      sh.say(`WARNING: opening from cache ${indexUrl}/main: No such file or directory`);
      sh.say("ERROR: unable to select packages:");
      for (const n of names) sh.say(`  ${n} (no such package):\n    required by: world[${n}]`);
      sh.fail(names.length || 1);
    }
    // apk-tools' solver: every name that is no package is an error, the exit code is their count,
    // and nothing is installed ("ERROR: unable to select packages:", then one entry per name).
    const missing = names.filter((n) => lookupPackage("apk", n) === undefined);
    if (missing.length > 0) {
      sh.say("ERROR: unable to select packages:");
      for (const n of missing) sh.say(`  ${n} (no such package):\n    required by: world[${n}]`);
      sh.spend(150 * MS);
      sh.fail(missing.length);
    }
    // Dependencies are installed too, each before what needs it (alpine-sdk brings gcc).
    const todo = resolveInstall("apk", names, (n) => installed(sh, "/lib/apk/db/installed", n, "P:"));
    const uniq = todo.map((p) => p.name);
    const bytes = todo.reduce((s, p) => s + p.size, 0);
    // Each package is fetched and unpacked in turn: its line comes when apk starts on it.
    sh.spend(100 * MS);
    todo.forEach((p, i) => {
      sh.say(`(${i + 1}/${todo.length}) Installing ${p.name} (${p.version})`);
      sh.spend(10 * MS + (p.size * 0.4) / (30 * MB / MICROS_PER_SECOND) + p.size / (200 * MB / MICROS_PER_SECOND));
    });
    sh.spend(190 * MS - 10 * MS * Math.min(todo.length, 19));
    installPackages(sh, "apk", todo, "/lib/apk/db/installed", "P:");
    sh.say(`OK: ${Math.round((bytes + 7 * MB) / MB)} MiB in ${14 + uniq.length} packages`);
    return undefined;
  }
  if (sub === "del") {
    sh.spend(100 * MS);
    return undefined;
  }
  sh.spend(100 * MS);
  return undefined;
}

/** Debian's and Ubuntu's release codenames by VERSION_ID (what apt prints as the suite). */
const CODENAMES: ReadonlyMap<string, string> = new Map([
  ["debian:8", "jessie"], ["debian:9", "stretch"], ["debian:10", "buster"], ["debian:11", "bullseye"],
  ["debian:12", "bookworm"], ["debian:13", "trixie"],
  ["ubuntu:14.04", "trusty"], ["ubuntu:16.04", "xenial"], ["ubuntu:18.04", "bionic"], ["ubuntu:20.04", "focal"],
  ["ubuntu:22.04", "jammy"], ["ubuntu:24.04", "noble"],
]);

/** The distribution apt runs on, from /etc/os-release: its id, suite (codename) and mirrors. */
export function aptRelease(osRelease: string): { id: "debian" | "ubuntu"; codename: string; mirror: string; security: string } {
  const id = /^ID="?ubuntu"?$/m.test(osRelease) ? "ubuntu" : "debian";
  const version = /^VERSION_ID="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? "";
  const major = id === "debian" ? version.split(".")[0]! : version;
  const codename = /^VERSION_CODENAME=(\w+)$/m.exec(osRelease)?.[1] ?? CODENAMES.get(`${id}:${major}`) ?? (id === "ubuntu" ? "noble" : "bookworm");
  return id === "ubuntu"
    ? { id, codename, mirror: "http://archive.ubuntu.com/ubuntu", security: "http://security.ubuntu.com/ubuntu" }
    : { id, codename, mirror: "http://deb.debian.org/debian", security: "http://deb.debian.org/debian-security" };
}

/** apt's SizeToStr: 3 significant digits, decimal units ("133 kB", "8789 kB", "25.9 MB"). */
function aptSize(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 10_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The component a package comes from (Ubuntu keeps figlet, jq… in universe). */
function aptComponent(id: "debian" | "ubuntu", name: string): string {
  return id === "ubuntu" && /^(figlet|jq|cowsay|fortune-mod|htop|stress|tree|libjq1|libonig5)$/.test(name) ? "universe" : "main";
}

/**
 * apt-get (update, install): apt's own lines, each printed when apt reaches it, so the step's log
 * timestamps advance as a real run's do (index downloads, package downloads, unpacking).
 */
export function apt(sh: Shell, args: string[]): undefined {
  const sub = args.find((a) => !a.startsWith("-"));
  const rel = aptRelease(sh.e.fs.readText("/etc/os-release") ?? "");
  const { codename, mirror, security } = rel;
  const host = sh.hostOf(mirror);
  const lists = "/var/lib/apt/lists";
  if (sub === "update" && sh.offline) {
    sh.spend(30 * MS);
    sh.say(`Err:1 ${mirror} ${codename} InRelease\n  Temporary failure resolving '${host}'`);
    sh.spend(970 * MS);
    sh.say(`W: Failed to fetch ${mirror}/dists/${codename}/InRelease  Temporary failure resolving '${host}'`);
    sh.say("W: Some index files failed to download. They have been ignored, or old ones used instead.");
    return undefined;
  }
  if (sub === "update") {
    const gets: [string, number][] = rel.id === "ubuntu"
      ? [
        [`${mirror} ${codename} InRelease`, 270_000], [`${security} ${codename}-security InRelease`, 129_000],
        [`${mirror} ${codename}-updates InRelease`, 128_000], [`${mirror} ${codename}-backports InRelease`, 127_000],
        [`${mirror} ${codename}/universe amd64 Packages`, 17_500_000], [`${mirror} ${codename}/main amd64 Packages`, 1_792_000],
        [`${security} ${codename}-security/main amd64 Packages`, 2_400_000], [`${mirror} ${codename}-updates/main amd64 Packages`, 2_700_000],
      ]
      : [
        [`${mirror} ${codename} InRelease`, 151_000], [`${mirror} ${codename}-updates InRelease`, 55_400],
        [`${security} ${codename}-security InRelease`, 48_000], [`${mirror} ${codename}/main amd64 Packages`, 8_792_000],
        [`${mirror} ${codename}-updates/main amd64 Packages`, 13_500], [`${security} ${codename}-security/main amd64 Packages`, 243_000],
      ];
    let total = 0;
    let spent = 0;
    gets.forEach(([what, bytes], i) => {
      // A round trip per file, then the bytes at ~20 MB/s.
      const us = 60 * MS + Math.round(bytes / 20);
      sh.spend(us);
      spent += us;
      total += bytes;
      sh.say(`Get:${i + 1} ${what} [${aptSize(bytes)}]`);
    });
    sh.spend(20 * MS);
    sh.say(`Fetched ${aptSize(total)} in ${Math.max(1, Math.round(spent / MICROS_PER_SECOND))}s (${Math.round(total / 1000 / (spent / MICROS_PER_SECOND))} kB/s)`);
    sh.spend(rel.id === "ubuntu" ? 900 * MS : 400 * MS);
    sh.say("Reading package lists...");
    sh.e.fs.mkdir(lists, { parents: true });
    const prefix = mirror.replace(/^https?:\/\//, "").replace(/\//g, "_");
    sh.e.fs.writeFile(`${lists}/${prefix}_dists_${codename}_main_binary-amd64_Packages.lz4`, opaqueFile(`apt-lists:${rel.id}:${codename}:main`, 17_800_000, { mode: 0o644 }));
    sh.e.fs.writeFile(`${lists}/${prefix}_dists_${codename}_InRelease`, opaqueFile(`apt-lists:${rel.id}:${codename}:release`, gets[0]![1], { mode: 0o644 }));
    return undefined;
  }
  if (sub === "install") {
    const names = args.slice(args.indexOf("install") + 1).filter((a) => !a.startsWith("-"));
    const yes = args.some((a) => a === "-y" || a === "--yes" || a === "--assume-yes" || /^-[a-z]*y/.test(a) || a === "-qq");
    sh.spend(20 * MS);
    sh.say("Reading package lists...");
    sh.spend(150 * MS);
    sh.say("Building dependency tree...");
    sh.spend(2 * MS);
    sh.say("Reading state information...");
    const hasLists = sh.e.fs.listDir(lists).some((n) => n.endsWith("Packages.lz4"));
    // apt-get: a name missing from the package lists (all of them, before `apt-get update`) is an
    // error, reported for each name; exit code 100, nothing installed.
    const missing = hasLists ? names.filter((n) => lookupPackage("apt", n) === undefined) : names;
    if (missing.length > 0) {
      sh.spend(2 * MS);
      for (const n of missing) sh.say(`E: Unable to locate package ${n}`);
      sh.fail(100);
    }
    const todo = resolveInstall("apt", names, (n) => installed(sh, "/var/lib/dpkg/status", n, "Package: "));
    const asked = new Set(names.map((n) => findPackage("apt", n).name));
    const extra = todo.filter((p) => !asked.has(p.name)).map((p) => p.name);
    const bytes = todo.reduce((s, p) => s + p.size, 0);
    // Archives are compressed: about a third of the installed size.
    const archive = (p: PackageInfo) => Math.max(1_000, Math.round(p.size * 0.35));
    const download = todo.reduce((s, p) => s + archive(p), 0);
    sh.spend(10 * MS);
    if (extra.length > 0) {
      sh.say("The following additional packages will be installed:");
      sh.say(`  ${[...extra].sort().join(" ")}`);
    }
    sh.say("The following NEW packages will be installed:");
    sh.say(`  ${todo.map((p) => p.name).sort().join(" ")}`);
    sh.say(`0 upgraded, ${todo.length} newly installed, 0 to remove and 0 not upgraded.`);
    sh.say(`Need to get ${aptSize(download)} of archives.`);
    sh.say(`After this operation, ${Math.round(bytes / 1000).toLocaleString("en-US")} kB of additional disk space will be used.`);
    if (extra.length > 0 && !yes) {
      sh.say("Do you want to continue? [Y/n] Abort.");
      sh.fail(1);
    }
    let fetchUs = 0;
    todo.forEach((p, i) => {
      const us = 40 * MS + Math.round(archive(p) / (25 * MB / MICROS_PER_SECOND));
      sh.spend(us);
      fetchUs += us;
      sh.say(`Get:${i + 1} ${mirror} ${codename}/${aptComponent(rel.id, p.name)} amd64 ${p.name} amd64 ${p.version} [${aptSize(archive(p))}]`);
    });
    if (!installed(sh, "/var/lib/dpkg/status", "apt-utils", "Package: ")) sh.say("debconf: delaying package configuration, since apt-utils is not installed");
    sh.spend(5 * MS);
    sh.say(`Fetched ${aptSize(download)} in ${Math.max(0, Math.round(fetchUs / MICROS_PER_SECOND))}s (${Math.round(download / 1000 / Math.max(fetchUs / MICROS_PER_SECOND, 0.001))} kB/s)`);
    const deb = (p: PackageInfo) => `${p.name}_${p.version.replace(/^\d+:/, "")}_amd64.deb`;
    let files = 4381;
    for (const p of todo) {
      sh.spend(30 * MS);
      sh.say(`Selecting previously unselected package ${p.name}.`);
      sh.say(`(Reading database ... ${files} files and directories currently installed.)`);
      sh.say(`Preparing to unpack .../${todo.length > 1 ? `${String(todo.indexOf(p)).padStart(2, "0")}-` : ""}${deb(p)} ...`);
      sh.spend(20 * MS + p.size / (150 * MB / MICROS_PER_SECOND));
      sh.say(`Unpacking ${p.name} (${p.version}) ...`);
      files += 5 + Math.round(p.size / 100_000);
    }
    installPackages(sh, "apt", todo, "/var/lib/dpkg/status", "Package: ");
    for (const p of todo) {
      sh.spend(25 * MS);
      sh.say(`Setting up ${p.name} (${p.version}) ...`);
      if (p.name === "figlet") sh.say("update-alternatives: using /usr/bin/figlet-figlet to provide /usr/bin/figlet (figlet) in auto mode");
    }
    return undefined;
  }
  sh.spend(200 * MS);
  return undefined;
}

export function pip(sh: Shell, args: string[]): undefined {
  if (args[0] !== "install") {
    sh.spend(300 * MS);
    return undefined;
  }
  const managed = sh.e.fs.listDir("/usr/lib").filter((d) => d.startsWith("python3")).some((d) => sh.e.fs.exists(`/usr/lib/${d}/EXTERNALLY-MANAGED`));
  if (managed && !args.includes("--break-system-packages") && !sh.which("python3")?.startsWith("/usr/local")) {
    sh.say("error: externally-managed-environment");
    sh.fail(1);
  }
  const names: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-r" || a === "--requirement") {
      const file = args[++i] ?? "";
      const f = sh.e.fs.readText(sh.path(file));
      if (f === undefined) sh.fail(1, `ERROR: Could not open requirements file: [Errno 2] No such file or directory: '${file}'`);
      names.push(...f.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l !== ""));
    } else if (!a.startsWith("-")) names.push(a);
  }
  if (sh.offline && names.length > 0) {
    sh.say(`ERROR: Could not find a version that satisfies the requirement ${names[0]} (from versions: none)`);
    sh.fail(1, `ERROR: No matching distribution found for ${names[0]}`);
  }
  // pip's resolver: "Collecting" for each requirement it finds, then the two errors for the
  // first one no index has; exit code 1, nothing installed.
  const unknown = names.findIndex((n) => lookupPackage("pip", n) === undefined);
  if (unknown >= 0) {
    for (const n of names.slice(0, unknown)) sh.say(`Collecting ${n}`);
    sh.spend(900 * MS);
    sh.say(`ERROR: Could not find a version that satisfies the requirement ${names[unknown]} (from versions: none)`);
    sh.fail(1, `ERROR: No matching distribution found for ${names[unknown]}`);
  }
  const site = sh.e.fs.exists("/usr/local/bin/python3") ? "/usr/local/lib/python3.12/site-packages" : "/usr/lib/python3/dist-packages";
  const pkgs = names.map((n) => findPackage("pip", n));
  let bytes = 0;
  for (const p of pkgs) {
    sh.spend(150 * MS + (p.size * 0.45) / (20 * MB / MICROS_PER_SECOND));
    sh.say(`Collecting ${p.name}`);
    sh.e.fs.writeFile(`${site}/${p.name.replace(/-/g, "_")}/__init__.py`, opaqueFile(`pip:${p.name}:${p.version}`, p.size, { mode: 0o644 }));
    for (const b of p.bins) sh.e.fs.writeFile(`/usr/local/bin/${b}`, opaqueFile(`pip:${p.name}:${b}`, 300));
    bytes += p.size;
  }
  if (!args.includes("--no-cache-dir")) {
    // pip keeps the downloaded wheels in ~/.cache/pip: the reason for --no-cache-dir in images.
    if (bytes > 0) sh.e.fs.writeFile(`/root/.cache/pip/http-v2/${textHash32(names.join(" ")).toString(16)}`, opaqueFile(`pipcache:${names.join(" ")}`, Math.round(bytes * 0.45), { mode: 0o644 }));
  }
  sh.spend(800 * MS - 150 * MS * Math.min(pkgs.length, 5) + bytes / (100 * MB / MICROS_PER_SECOND));
  sh.say(`Successfully installed ${pkgs.map((p) => `${p.name}-${p.version}`).join(" ")}`);
  return undefined;
}

export function npm(sh: Shell, args: string[]): undefined {
  const sub = args[0] ?? "";
  if (!["install", "i", "ci", "add"].includes(sub)) {
    if (sub === "run" && args[1] === "build") {
      sh.e.fs.mkdir(sh.path("dist"), { parents: true });
      sh.write("dist/index.js", `// built from ${sh.e.cwd}\n`, false);
      sh.spend(3 * MICROS_PER_SECOND);
    } else sh.spend(500 * MS);
    return undefined;
  }
  const explicit = args.slice(1).filter((a) => !a.startsWith("-"));
  let deps: string[] = explicit;
  if (explicit.length === 0) {
    const pj = sh.e.fs.readText(sh.path("package.json"));
    if (pj === undefined) sh.fail(254, `npm error code ENOENT\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '${sh.path("package.json")}'`);
    if (sub === "ci" && !sh.e.fs.exists(sh.path("package-lock.json"))) {
      sh.fail(1, "npm error The `npm ci` command can only install with an existing package-lock.json or\nnpm error npm-shrinkwrap.json with lockfileVersion >= 1.");
    }
    let parsed: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = {};
    try {
      parsed = JSON.parse(pj) as typeof parsed;
    } catch {
      sh.fail(1, "npm error code EJSONPARSE");
    }
    const prod = args.includes("--production") || args.includes("--omit=dev") || sh.e.env.get("NODE_ENV") === "production";
    deps = [...Object.keys(parsed.dependencies ?? {}), ...(prod ? [] : Object.keys(parsed.devDependencies ?? {}))];
  }
  if (sh.offline && deps.length > 0) sh.fail(1, "npm error code EAI_AGAIN\nnpm error syscall getaddrinfo\nnpm error errno EAI_AGAIN\nnpm error request to https://registry.npmjs.org/ failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org");
  let bytes = 0;
  for (const d of deps) {
    const p = findPackage("npm", d);
    sh.e.fs.writeFile(sh.path(`node_modules/${p.name}/index.js`), opaqueFile(`npm:${p.name}:${p.version}`, p.size, { mode: 0o644, uid: sh.e.uid, gid: sh.e.gid }));
    bytes += p.size;
  }
  if (explicit.length === 0 && sub !== "ci") sh.write("package-lock.json", `{"lockfileVersion":3,"packages":${JSON.stringify(deps)}}\n`, false);
  if (bytes > 0) sh.e.fs.writeFile(`/root/.npm/_cacache/index-v5/${textHash32(deps.join(" ")).toString(16)}`, opaqueFile(`npmcache:${deps.join(" ")}`, Math.round(bytes * 0.3), { mode: 0o644 }));
  sh.say(`added ${deps.length} packages, and audited ${deps.length + 1} packages in ${Math.max(1, Math.round(bytes / (10 * MB)))}s`);
  sh.say("found 0 vulnerabilities");
  sh.spend(1500 * MS + bytes / (12 * MB / MICROS_PER_SECOND));
  return undefined;
}

/** The version as yum prints it: epoch:version-release, epoch 0 written out. */
const yumVersion = (v: string) => (v.includes(":") ? v : `0:${v}`);

/**
 * yum (CentOS 7's yum 3.4): names no repository has are reported ("No package x available.") and
 * skipped; when nothing is left to install, "Error: Nothing to do" and exit code 1. Without -y a
 * non-interactive RUN answers no to "Is this ok".
 */
export function yum(sh: Shell, args: string[]): undefined {
  const sub = args.find((a) => !a.startsWith("-"));
  const yes = args.some((a) => a === "-y" || a === "--assumeyes" || /^-[a-z]*y/.test(a));
  const header = (): void => {
    sh.spend(150 * MS);
    sh.say("Loaded plugins: fastestmirror, ovl");
    if (sh.offline) {
      sh.say("Could not retrieve mirrorlist http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os&infra=container error was");
      sh.say("14: curl#6 - \"Could not resolve host: mirrorlist.centos.org; Unknown error\"");
      sh.fail(1, "Cannot find a valid baseurl for repo: base/7/x86_64");
    }
    sh.spend(400 * MS);
    sh.say("Determining fastest mirrors");
    sh.spend(600 * MS);
    sh.say(" * base: mirror.centos.org");
    sh.say(" * extras: mirror.centos.org");
    sh.say(" * updates: mirror.centos.org");
    sh.spend(650 * MS);
  };
  if (sub === "install") {
    const names = args.slice(args.indexOf("install") + 1).filter((a) => !a.startsWith("-"));
    header();
    const found: string[] = [];
    // EPEL's packages (figlet, jq, htop…) are there only once epel-release is installed.
    const epel = sh.e.fs.exists(EPEL_REPO_FILE);
    for (const n of names) {
      if (lookupPackage("yum", n) === undefined || !yumRepoHas(n, epel)) sh.say(`No package ${n} available.`);
      else found.push(n);
    }
    const todo = resolveInstall("yum", found, (n) => installed(sh, "/var/lib/rpm/installed", n, ""));
    if (todo.length === 0) sh.fail(1, found.length === 0 ? "Error: Nothing to do" : "Nothing to do");
    sh.say("Resolving Dependencies");
    sh.say("--> Running transaction check");
    for (const p of todo) sh.say(`---> Package ${p.name}.x86_64 ${yumVersion(p.version)} will be installed`);
    sh.say("--> Finished Dependency Resolution");
    const bytes = todo.reduce((s, p) => s + p.size, 0);
    sh.say(`Total download size: ${Math.max(1, Math.round(bytes * 0.4 / MB))} M`);
    sh.say(`Installed size: ${Math.max(1, Math.round(bytes / MB))} M`);
    if (!yes) sh.fail(1, "Is this ok [y/d/N]: Exiting on user command\nYour transaction was saved, rerun it with:\n yum load-transaction /tmp/yum_save_tx.yumtx");
    sh.say("Downloading packages:");
    sh.spend(300 * MS + (bytes * 0.4) / (20 * MB / MICROS_PER_SECOND));
    sh.say("Running transaction");
    sh.spend(300 * MS + bytes / (120 * MB / MICROS_PER_SECOND));
    sh.e.fs.mkdir("/var/lib/rpm", { parents: true });
    installPackages(sh, "yum", todo, "/var/lib/rpm/installed", "");
    sh.e.fs.mkdir("/var/cache/yum/x86_64/7/base", { parents: true });
    sh.e.fs.writeFile("/var/cache/yum/x86_64/7/base/primary.sqlite.bz2", opaqueFile("yum:base:primary", 6_400_000, { mode: 0o644 }));
    sh.say("");
    sh.say("Installed:");
    sh.say(`  ${todo.map((p) => `${p.name}.x86_64 ${yumVersion(p.version)}`).join(" ")}`);
    sh.say("");
    sh.say("Complete!");
    return undefined;
  }
  if (sub === "clean") {
    sh.say("Loaded plugins: fastestmirror, ovl");
    sh.e.fs.remove("/var/cache/yum", { recursive: true, force: true });
    sh.spend(200 * MS);
    return undefined;
  }
  if (sub === "update" || sub === "upgrade" || sub === "makecache") {
    header();
    sh.say(sub === "makecache" ? "Metadata Cache Created" : "No packages marked for update");
    return undefined;
  }
  sh.spend(200 * MS);
  return undefined;
}
