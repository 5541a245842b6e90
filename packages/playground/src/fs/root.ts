// The tree of a freshly installed lab machine (a small Debian-like host, logged in as root).
import { type FsDir, type FsNode, emptyDir, fileNode } from "./tree.js";

export interface RootFsOptions {
  readonly hostname?: string;
  /** Names placed in /usr/bin as executables, so `ls /usr/bin` shows what the host can run. */
  readonly commands?: Iterable<string>;
}

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;

const GROUP = `root:x:0:
daemon:x:1:
docker:x:999:
nogroup:x:65534:
`;

function dir(now: number, children: Record<string, FsNode> | Map<string, FsNode>, mode = 0o755): FsDir {
  return { ...emptyDir(now, mode), entries: children instanceof Map ? children : new Map(Object.entries(children)) };
}

/** A lab machine's tree at virtual time `now`: /root is the home, /etc names the host. */
export function createRootFs(now: number, opts: RootFsOptions = {}): FsDir {
  const hostname = opts.hostname ?? "lab";
  const bin = (text: string): FsNode => fileNode(text, now, 0o755);
  const usrBin = new Map<string, FsNode>();
  for (const name of opts.commands ?? []) if (name !== "" && !name.includes("/")) usrBin.set(name, bin(""));
  return dir(now, {
    bin: dir(now, { bash: bin(""), sh: bin("") }),
    etc: dir(now, {
      hostname: fileNode(`${hostname}\n`, now),
      hosts: fileNode(`127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n`, now),
      "os-release": fileNode(OS_RELEASE, now),
      passwd: fileNode(PASSWD, now),
      group: fileNode(GROUP, now),
      docker: dir(now, {}),
    }),
    home: dir(now, {}),
    root: dir(now, { ".bashrc": fileNode("# ~/.bashrc: executed by bash(1) for non-login shells.\n", now) }, 0o700),
    tmp: dir(now, {}, 0o1777),
    usr: dir(now, { bin: dir(now, usrBin), local: dir(now, { bin: dir(now, {}) }) }),
    var: dir(now, { lib: dir(now, { docker: dir(now, {}, 0o710) }), log: dir(now, {}) }),
  });
}
