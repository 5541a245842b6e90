// Stopgap until the image catalogue has them: programs the course runs in its base images that
// the catalogue's root filesystems (packages/image registry/catalogue.ts) do not list yet. BusyBox
// installs every applet as a link to /bin/busybox (alpine's /bin/ping is one); centos:7 ships
// iputils and procps-ng. They are added to the image's tree as containers see it (not to its
// layers), so `docker diff` and `docker commit` never show them. Remove an entry once the
// catalogue has it.
import type { FsDir, FsNode } from "../fs/index.js";

/** BusyBox applets the course uses that alpine and busybox have and the catalogue lacks. */
const BUSYBOX_APPLETS = ["ping", "ping6", "top", "kill", "killall", "free", "ip", "ifconfig", "nc", "netstat", "nslookup", "traceroute", "uptime", "watch", "less", "more", "ps", "hostname", "env"];

/** centos:7's iputils and procps-ng. */
const CENTOS_TOOLS = ["ping", "ps", "top", "kill", "free", "uptime", "watch"];

function withEntry(dir: FsDir, name: string, node: FsNode): FsDir {
  return withEntries(dir, [[name, node]]);
}

/** The directory with the entries it lacks added, its names kept sorted (one sort for them all). */
function withEntries(dir: FsDir, add: readonly (readonly [string, FsNode])[]): FsDir {
  const missing = add.filter(([name]) => !dir.entries.has(name));
  if (missing.length === 0) return dir;
  const entries: (readonly [string, FsNode])[] = [...dir.entries, ...missing];
  return { ...dir, entries: new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

function sub(root: FsDir, name: string): FsDir | undefined {
  const n = root.entries.get(name);
  return n?.kind === "dir" ? n : undefined;
}

function withUsrBin(root: FsDir, name: string, digest: string): FsDir {
  const usr = sub(root, "usr");
  const usrBin = usr ? sub(usr, "bin") : undefined;
  if (!usr || !usrBin || usrBin.entries.has(name)) return root;
  const b = withEntry(usrBin, name, { kind: "file", text: "", mode: 0o755, mtime: usrBin.mtime, blob: { size: 60_000, digest } });
  return { ...root, entries: new Map(root.entries).set("usr", { ...usr, entries: new Map(usr.entries).set("bin", b) }) };
}

/** The paths addBaseExtras reads or writes: a change elsewhere leaves the extras as they were. */
const EXTRAS_DIRS = ["/bin", "/usr/bin"];
const EXTRAS_FILES = new Set(["/usr", "/etc", "/etc/alpine-release", "/etc/debian_version", "/etc/centos-release"]);

/** Could these changed paths change what addBaseExtras adds (so extras over a tree and the changes need doing again)? */
export function touchesBaseExtras(paths: Iterable<string>): boolean {
  for (const p of paths) {
    if (EXTRAS_FILES.has(p)) return true;
    for (const d of EXTRAS_DIRS) if (p === d || p.startsWith(`${d}/`)) return true;
  }
  return false;
}

export function addBaseExtras(root: FsDir): FsDir {
  const bin = sub(root, "bin");
  if (bin?.entries.has("busybox")) {
    const b = withEntries(bin, BUSYBOX_APPLETS.map((applet) => [applet, { kind: "file", text: "", mode: 0o777, mtime: bin.mtime, link: "/bin/busybox" }]));
    const out = b === bin ? root : { ...root, entries: new Map(root.entries).set("bin", b) };
    // alpine's musl-utils: getent (a plain busybox image has none).
    return sub(root, "etc")?.entries.has("alpine-release") ? withUsrBin(out, "getent", "sha256:musl-utils-getent") : out;
  }
  // Debian's and Ubuntu's libc-bin: getent.
  if (sub(root, "etc")?.entries.has("debian_version")) return withUsrBin(root, "getent", "sha256:libc-bin-getent");
  const etc = sub(root, "etc");
  const usr = sub(root, "usr");
  const usrBin = usr ? sub(usr, "bin") : undefined;
  if (etc?.entries.has("centos-release") && usr && usrBin) {
    const b = withEntries(usrBin, CENTOS_TOOLS.map((tool) => [tool, { kind: "file", text: "", mode: 0o755, mtime: usrBin.mtime, blob: { size: 60_000, digest: `sha256:centos-${tool}` } }]));
    if (b === usrBin) return root;
    return { ...root, entries: new Map(root.entries).set("usr", { ...usr, entries: new Map(usr.entries).set("bin", b) }) };
  }
  return root;
}
