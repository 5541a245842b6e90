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
  if (dir.entries.has(name)) return dir;
  const entries: [string, FsNode][] = [...dir.entries, [name, node]];
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

export function addBaseExtras(root: FsDir): FsDir {
  const bin = sub(root, "bin");
  if (bin?.entries.has("busybox")) {
    let b = bin;
    for (const applet of BUSYBOX_APPLETS) b = withEntry(b, applet, { kind: "file", text: "", mode: 0o777, mtime: bin.mtime, link: "/bin/busybox" });
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
    let b = usrBin;
    for (const tool of CENTOS_TOOLS) b = withEntry(b, tool, { kind: "file", text: "", mode: 0o755, mtime: usrBin.mtime, blob: { size: 60_000, digest: `sha256:centos-${tool}` } });
    if (b === usrBin) return root;
    return { ...root, entries: new Map(root.entries).set("usr", { ...usr, entries: new Map(usr.entries).set("bin", b) }) };
  }
  return root;
}
