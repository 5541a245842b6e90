import { MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { dirEntry, opaqueFile, symlinkEntry, textFile, type FsEntry } from "../layers/entry.js";
import { createLayer, type Layer } from "../layers/layer.js";
import { createImage, emptyConfig, type HistoryEntry, type Image, type ImageConfig, type ImageOs } from "../image/image.js";
import { normalizePath, ancestors } from "../util/path.js";
import { exposeText, goQuoted, goSlice } from "../build/history-text.js";

/**
 * The base images the simulated Docker Hub serves, with sizes close to what `docker image ls`
 * shows for the real ones (uncompressed, decimal MB) and realistic sharing: python, node and
 * golang sit on buildpack-deps, which sits on debian; nginx, redis and postgres on debian-slim.
 */
const MB = 1_000_000;
const DAY: Micros = 86_400 * MICROS_PER_SECOND;
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const COREUTILS = [
  "sh", "ls", "cat", "echo", "mkdir", "rm", "cp", "mv", "chmod", "chown", "touch", "tar", "gzip", "ln", "sleep",
  "grep", "sed", "find", "env", "true", "false", "pwd", "test", "id", "whoami", "head", "tail", "wc", "sort", "uniq",
  "date", "printf", "xargs", "basename", "dirname", "uname", "hostname", "kill", "du", "df", "mktemp", "tee", "cut",
  "tr", "which", "sha256sum", "expr", "seq", "stat", "readlink", "rmdir", "yes", "nproc",
];

interface LayerSpec {
  readonly size: number;
  readonly createdBy: string;
  readonly files?: Readonly<Record<string, FsEntry>>;
  /** Where the remaining bytes go. */
  readonly filler: string;
}

interface ImageSpecRow {
  readonly repo: string;
  readonly tags: readonly string[];
  readonly parent?: string;
  readonly os?: ImageOs;
  readonly ageDays: number;
  readonly layers: readonly LayerSpec[];
  readonly config?: Partial<ImageConfig>;
}

const passwd = (extra = "") =>
  `root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n${extra}`;
const group = (extra = "") => `root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n${extra}`;

function bins(dir: string, names: readonly string[], size = 150_000): Record<string, FsEntry> {
  const out: Record<string, FsEntry> = {};
  for (const n of names) out[`${dir}/${n}`] = opaqueFile(`bin:${dir}/${n}`, size);
  return out;
}

function busyboxRoot(release: string, id: string, pretty: string): Record<string, FsEntry> {
  const out: Record<string, FsEntry> = {
    "/bin/busybox": opaqueFile(`busybox:${release}`, 820_000),
    "/etc/os-release": textFile(`NAME="${pretty}"\nID=${id}\nVERSION_ID=${release}\n`),
    "/etc/passwd": textFile(passwd()),
    "/etc/group": textFile(group()),
    "/etc/hostname": textFile("localhost\n"),
  };
  for (const n of [...COREUTILS, "wget", "adduser", "addgroup", "ps", "vi", "gunzip", "unzip"]) {
    if (!out[`/bin/${n}`]) out[`/bin/${n}`] = symlinkEntry("/bin/busybox");
  }
  for (const d of ["/tmp", "/root", "/home", "/var", "/usr/bin", "/usr/local/bin", "/usr/sbin", "/sbin", "/lib", "/srv", "/opt", "/mnt", "/proc", "/dev", "/sys", "/run"]) out[d] = dirEntry();
  return out;
}

function alpineRoot(release: string): Record<string, FsEntry> {
  return {
    ...busyboxRoot(release, "alpine", "Alpine Linux"),
    "/etc/alpine-release": textFile(`${release}\n`),
    "/sbin/apk": opaqueFile(`apk:${release}`, 160_000),
    "/lib/apk/db/installed": textFile("P:musl\nP:busybox\nP:alpine-baselayout\nP:apk-tools\n"),
    "/etc/apk/repositories": textFile(`https://dl-cdn.alpinelinux.org/alpine/v${release.split(".").slice(0, 2).join(".")}/main\n`),
  };
}

function debRoot(id: "debian" | "ubuntu", version: string, pretty: string): Record<string, FsEntry> {
  const out: Record<string, FsEntry> = {
    "/bin/bash": opaqueFile(`bash:${id}:${version}`, 1_265_000),
    "/bin/sh": symlinkEntry("dash"),
    "/bin/dash": opaqueFile(`dash:${id}:${version}`, 125_000),
    "/etc/os-release": textFile(`PRETTY_NAME="${pretty}"\nID=${id}\nVERSION_ID="${version}"\n`),
    "/etc/debian_version": textFile(id === "debian" ? "12.7\n" : "bookworm/sid\n"),
    "/etc/passwd": textFile(passwd()),
    "/etc/group": textFile(group()),
    "/var/lib/dpkg/status": textFile("Package: base-files\nStatus: install ok installed\n"),
    "/var/lib/apt/lists": dirEntry(),
    ...bins("/usr/bin", ["apt-get", "apt", "dpkg", "perl", "gpgv"], 300_000),
    ...bins("/usr/sbin", ["useradd", "groupadd", "adduser", "addgroup", "usermod"], 80_000),
  };
  for (const n of COREUTILS) if (!out[`/bin/${n}`] && n !== "sh") out[`/bin/${n}`] = opaqueFile(`coreutils:${id}:${n}`, 60_000);
  for (const d of ["/tmp", "/root", "/home", "/var", "/usr/local/bin", "/sbin", "/srv", "/opt", "/mnt", "/proc", "/dev", "/sys", "/run"]) out[d] = dirEntry();
  return out;
}

/** An RPM distribution's root (CentOS 7, Oracle Linux 7): bash as /bin/sh, yum and rpm, coreutils in /usr/bin. */
function rpmRoot(id: string, version: string, pretty: string, release: string): Record<string, FsEntry> {
  const out: Record<string, FsEntry> = {
    "/usr/bin/bash": opaqueFile(`bash:${id}:${version}`, 964_000),
    "/usr/bin/sh": symlinkEntry("bash"),
    // /bin is a symlink to usr/bin on CentOS 7; the simulated filesystem keeps the shells reachable there.
    "/bin/sh": symlinkEntry("/usr/bin/bash"),
    "/bin/bash": symlinkEntry("/usr/bin/bash"),
    "/etc/os-release": textFile(`NAME="${pretty}"\nVERSION="${version} (Core)"\nID="${id}"\nVERSION_ID="${version}"\nPRETTY_NAME="${pretty} ${version} (Core)"\n`),
    [`/etc/${id}-release`]: textFile(`${release}\n`),
    "/etc/redhat-release": textFile(`${release}\n`),
    "/etc/passwd": textFile(passwd()),
    "/etc/group": textFile(group()),
    "/var/lib/rpm/installed": textFile("bash\ncoreutils\nyum\nrpm\nglibc\n"),
    ...bins("/usr/bin", ["yum", "rpm", "python", "python2.7", "curl", "gpg"], 300_000),
    ...bins("/usr/sbin", ["useradd", "groupadd", "adduser", "usermod"], 80_000),
  };
  // The centos:7 image has no `which` (its own package, not installed: `bash: which: command not found`
  // until `yum install which`, which `docker diff` shows as `A /usr/bin/which`).
  for (const n of COREUTILS) if (!out[`/usr/bin/${n}`] && n !== "sh" && !(id === "centos" && n === "which")) out[`/usr/bin/${n}`] = opaqueFile(`coreutils:${id}:${n}`, 60_000);
  for (const d of ["/tmp", "/root", "/home", "/var", "/usr/local/bin", "/srv", "/opt", "/mnt", "/proc", "/dev", "/sys", "/run"]) out[d] = dirEntry();
  return out;
}

const ENTRYPOINT_SH = textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 });

const buildTools = { ...bins("/usr/bin", ["curl", "wget", "git", "gcc", "g++", "cc", "make", "ld", "patch", "xz", "unzip"], 400_000) };

const CATALOGUE: readonly ImageSpecRow[] = [
  { repo: "library/alpine", tags: ["3.20", "3.20.3", "3", "latest"], ageDays: 60, config: { cmd: ["/bin/sh"] },
    layers: [{ size: 7.8 * MB, createdBy: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit", files: alpineRoot("3.20.3"), filler: "/lib/ld-musl-x86_64.so.1" }] },
  { repo: "library/alpine", tags: ["3.19", "3.19.4"], ageDays: 60, config: { cmd: ["/bin/sh"] },
    layers: [{ size: 7.38 * MB, createdBy: "ADD alpine-minirootfs-3.19.4-x86_64.tar.gz / # buildkit", files: alpineRoot("3.19.4"), filler: "/lib/ld-musl-x86_64.so.1" }] },
  // The releases the course's Dockerfiles name (FROM alpine:3.5, alpine:3.4): old, small, still pullable.
  { repo: "library/alpine", tags: ["3.5", "3.5.2"], ageDays: 2_900, config: { cmd: ["/bin/sh"] },
    layers: [{ size: 3.99 * MB, createdBy: "ADD file:alpine-minirootfs-3.5.2-x86_64.tar.gz in / ", files: alpineRoot("3.5.2"), filler: "/lib/ld-musl-x86_64.so.1" }] },
  { repo: "library/alpine", tags: ["3.4", "3.4.6"], ageDays: 2_950, config: { cmd: ["/bin/sh"] },
    layers: [{ size: 4.81 * MB, createdBy: "ADD file:alpine-minirootfs-3.4.6-x86_64.tar.gz in / ", files: alpineRoot("3.4.6"), filler: "/lib/ld-musl-x86_64.so.1" }] },
  { repo: "library/busybox", tags: ["1.36", "1.36.1", "latest"], ageDays: 400, config: { cmd: ["sh"] },
    layers: [{ size: 4.26 * MB, createdBy: "ADD busybox.tar.xz / # buildkit", files: busyboxRoot("1.36.1", "busybox", "BusyBox"), filler: "/bin/busybox.data" }] },
  { repo: "library/debian", tags: ["bookworm", "12", "latest"], ageDays: 30, config: { cmd: ["bash"] },
    layers: [{ size: 117 * MB, createdBy: "ADD rootfs.tar.xz / # buildkit", files: debRoot("debian", "12", "Debian GNU/Linux 12 (bookworm)"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/debian", tags: ["bookworm-slim", "12-slim"], ageDays: 30, config: { cmd: ["bash"] },
    layers: [{ size: 74.8 * MB, createdBy: "ADD rootfs.tar.xz / # buildkit", files: debRoot("debian", "12", "Debian GNU/Linux 12 (bookworm)"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6.slim" }] },
  { repo: "library/ubuntu", tags: ["24.04", "noble", "latest"], ageDays: 40, config: { cmd: ["/bin/bash"] },
    layers: [{ size: 78.1 * MB, createdBy: "ADD file:ubuntu-noble-oci-amd64-root.tar.gz in / ", files: debRoot("ubuntu", "24.04", "Ubuntu 24.04.1 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/ubuntu", tags: ["22.04", "jammy"], ageDays: 40, config: { cmd: ["/bin/bash"] },
    layers: [{ size: 77.9 * MB, createdBy: "ADD file:ubuntu-jammy-oci-amd64-root.tar.gz in / ", files: debRoot("ubuntu", "22.04", "Ubuntu 22.04.5 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/ubuntu", tags: ["20.04", "focal"], ageDays: 40, config: { cmd: ["/bin/bash"] },
    layers: [{ size: 72.8 * MB, createdBy: "ADD file:ubuntu-focal-oci-amd64-root.tar.gz in / ", files: debRoot("ubuntu", "20.04", "Ubuntu 20.04.6 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/ubuntu", tags: ["14.04", "trusty"], ageDays: 1600, config: { cmd: ["/bin/bash"] },
    layers: [{ size: 197 * MB, createdBy: "ADD file:ubuntu-trusty-root.tar.gz in / ", files: debRoot("ubuntu", "14.04", "Ubuntu 14.04.6 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/buildpack-deps", tags: ["bookworm-curl"], parent: "library/debian:bookworm", ageDays: 29,
    layers: [{ size: 23 * MB, createdBy: "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; rm -rf /var/lib/apt/lists/* # buildkit", files: bins("/usr/bin", ["curl", "wget", "gpg"], 400_000), filler: "/usr/lib/x86_64-linux-gnu/libcurl.so.4" }] },
  { repo: "library/buildpack-deps", tags: ["bookworm-scm"], parent: "library/buildpack-deps:bookworm-curl", ageDays: 29,
    layers: [{ size: 110 * MB, createdBy: "RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps; rm -rf /var/lib/apt/lists/* # buildkit", files: bins("/usr/bin", ["git", "ssh", "ps"], 400_000), filler: "/usr/lib/git-core/git-data" }] },
  { repo: "library/buildpack-deps", tags: ["bookworm"], parent: "library/buildpack-deps:bookworm-scm", ageDays: 29,
    layers: [{ size: 600 * MB, createdBy: "RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 dpkg-dev file g++ gcc make patch unzip xz-utils zlib1g-dev; rm -rf /var/lib/apt/lists/* # buildkit", files: buildTools, filler: "/usr/lib/gcc/x86_64-linux-gnu/12/cc1" }] },
  { repo: "library/python", tags: ["3.12", "3.12.7", "3", "latest"], parent: "library/buildpack-deps:bookworm", ageDays: 20,
    config: { cmd: ["python3"], env: ["PATH=/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.7"] },
    layers: [
      { size: 16 * MB, createdBy: "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends libbluetooth-dev tk-dev uuid-dev; rm -rf /var/lib/apt/lists/* # buildkit", filler: "/usr/lib/x86_64-linux-gnu/libtk8.6.so" },
      { size: 154 * MB, createdBy: "RUN /bin/sh -c set -eux; wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; ./configure; make -j \"$nproc\"; make install # buildkit", files: bins("/usr/local/bin", ["python3", "python", "pip", "pip3", "python3.12"], 20_000), filler: "/usr/local/lib/libpython3.12.so.1.0" },
    ] },
  { repo: "library/python", tags: ["3.12-slim", "3.12.7-slim", "3-slim", "slim"], parent: "library/debian:bookworm-slim", ageDays: 20,
    config: { cmd: ["python3"], env: ["PATH=/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.7"] },
    layers: [
      { size: 3.5 * MB, createdBy: "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; rm -rf /var/lib/apt/lists/* # buildkit", filler: "/usr/share/zoneinfo/tzdata.zi" },
      { size: 51.7 * MB, createdBy: "RUN /bin/sh -c set -eux; savedAptMark=\"$(apt-mark showmanual)\"; ./configure --enable-optimizations; make install # buildkit", files: bins("/usr/local/bin", ["python3", "python", "pip", "pip3", "python3.12"], 20_000), filler: "/usr/local/lib/libpython3.12.so.1.0" },
    ] },
  { repo: "library/python", tags: ["3.12-alpine", "3.12.7-alpine", "3-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 20,
    config: { cmd: ["python3"], env: ["PATH=/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.7"] },
    layers: [{ size: 43.9 * MB, createdBy: "RUN /bin/sh -c set -eux; apk add --no-cache --virtual .build-deps gcc make; ./configure; make install; apk del --no-network .build-deps # buildkit", files: bins("/usr/local/bin", ["python3", "python", "pip", "pip3"], 20_000), filler: "/usr/local/lib/libpython3.12.so.1.0" }] },
  { repo: "library/node", tags: ["20", "20.18.0", "lts", "latest"], parent: "library/buildpack-deps:bookworm", ageDays: 15,
    config: { cmd: ["node"], entrypoint: ["docker-entrypoint.sh"], env: [`PATH=${DEFAULT_PATH}`, "NODE_VERSION=20.18.0", "YARN_VERSION=1.22.22"] },
    layers: [
      { size: 244.7 * MB, createdBy: "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\" && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\" # buildkit", files: { ...bins("/usr/local/bin", ["node", "npm", "npx", "corepack"], 40_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }) }, filler: "/usr/local/bin/node.bin" },
      { size: 5.3 * MB, createdBy: "RUN /bin/sh -c set -ex && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\" # buildkit", files: bins("/usr/local/bin", ["yarn", "yarnpkg"], 1_000), filler: "/opt/yarn-v1.22.22/lib/cli.js" },
    ] },
  { repo: "library/node", tags: ["20-slim", "20.18.0-slim"], parent: "library/debian:bookworm-slim", ageDays: 15,
    config: { cmd: ["node"], entrypoint: ["docker-entrypoint.sh"], env: [`PATH=${DEFAULT_PATH}`, "NODE_VERSION=20.18.0", "YARN_VERSION=1.22.22"] },
    layers: [{ size: 125.2 * MB, createdBy: "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\" && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\" # buildkit", files: { ...bins("/usr/local/bin", ["node", "npm", "npx", "yarn"], 40_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }) }, filler: "/usr/local/bin/node.bin" }] },
  { repo: "library/node", tags: ["20-alpine", "20.18.0-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 15,
    config: { cmd: ["node"], entrypoint: ["docker-entrypoint.sh"], env: [`PATH=${DEFAULT_PATH}`, "NODE_VERSION=20.18.0", "YARN_VERSION=1.22.22"] },
    layers: [{ size: 127.2 * MB, createdBy: "RUN /bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node && apk add --no-cache libstdc++ # buildkit", files: { ...bins("/usr/local/bin", ["node", "npm", "npx", "yarn"], 40_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/etc/passwd": textFile(passwd("node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n")), "/etc/group": textFile(group("node:x:1000:node\n")) }, filler: "/usr/local/bin/node.bin" }] },
  { repo: "library/golang", tags: ["1.22", "1.22.8", "latest"], parent: "library/buildpack-deps:bookworm-scm", ageDays: 25,
    config: { env: ["PATH=/go/bin:/usr/local/go/bin:" + DEFAULT_PATH, "GOLANG_VERSION=1.22.8", "GOTOOLCHAIN=local", "GOPATH=/go"], workingDir: "/go" },
    layers: [
      { size: 227 * MB, createdBy: "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config; rm -rf /var/lib/apt/lists/* # buildkit", files: bins("/usr/bin", ["gcc", "g++", "cc", "make", "ld"], 400_000), filler: "/usr/lib/gcc/x86_64-linux-gnu/12/cc1" },
      { size: 337 * MB, createdBy: "COPY /target/ / # buildkit", files: bins("/usr/local/go/bin", ["go", "gofmt"], 2_000_000), filler: "/usr/local/go/pkg/tool/linux_amd64/compile" },
      { size: 0, createdBy: "RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\" # buildkit", files: { "/go": dirEntry({ mode: 0o1777 }), "/go/src": dirEntry({ mode: 0o1777 }), "/go/bin": dirEntry({ mode: 0o1777 }) }, filler: "" },
    ] },
  { repo: "library/golang", tags: ["1.22-alpine", "1.22.8-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 25,
    config: { env: ["PATH=/go/bin:/usr/local/go/bin:" + DEFAULT_PATH, "GOLANG_VERSION=1.22.8", "GOTOOLCHAIN=local", "GOPATH=/go"], workingDir: "/go" },
    layers: [
      { size: 222 * MB, createdBy: "COPY /target/ / # buildkit", files: bins("/usr/local/go/bin", ["go", "gofmt"], 2_000_000), filler: "/usr/local/go/pkg/tool/linux_amd64/compile" },
      { size: 0, createdBy: "RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\" # buildkit", files: { "/go": dirEntry({ mode: 0o1777 }), "/go/src": dirEntry({ mode: 0o1777 }), "/go/bin": dirEntry({ mode: 0o1777 }) }, filler: "" },
    ] },
  { repo: "library/openjdk", tags: ["17", "17-jdk", "17.0.2", "latest"], ageDays: 900,
    config: { cmd: ["jshell"], env: ["PATH=/usr/java/openjdk-17/bin:" + DEFAULT_PATH, "JAVA_HOME=/usr/java/openjdk-17", "LANG=C.UTF-8", "JAVA_VERSION=17.0.2"] },
    layers: [
      { size: 131 * MB, createdBy: "ADD file:oraclelinux-8-slim-rootfs.tar.xz in / ", files: debRoot("debian", "8", "Oracle Linux Server 8.5"), filler: "/usr/lib64/libc.so.6" },
      { size: 340 * MB, createdBy: "RUN /bin/sh -c set -eux; curl -fL -o openjdk.tgz \"$downloadUrl\"; tar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 # buildkit", files: bins("/usr/java/openjdk-17/bin", ["java", "javac", "jar", "jshell"], 20_000), filler: "/usr/java/openjdk-17/lib/modules" },
    ] },
  { repo: "library/openjdk", tags: ["17-jdk-slim", "17-slim"], parent: "library/debian:bookworm-slim", ageDays: 900,
    config: { cmd: ["jshell"], env: ["PATH=/usr/local/openjdk-17/bin:" + DEFAULT_PATH, "JAVA_HOME=/usr/local/openjdk-17", "LANG=C.UTF-8", "JAVA_VERSION=17.0.2"] },
    layers: [{ size: 333.2 * MB, createdBy: "RUN /bin/sh -c set -eux; curl -fL -o openjdk.tgz \"$downloadUrl\"; tar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 # buildkit", files: bins("/usr/local/openjdk-17/bin", ["java", "javac", "jar", "jshell"], 20_000), filler: "/usr/local/openjdk-17/lib/modules" }] },
  { repo: "library/nginx", tags: ["1.27", "1.27.2", "mainline", "1", "latest"], parent: "library/debian:bookworm-slim", ageDays: 10,
    config: { cmd: ["nginx", "-g", "daemon off;"], entrypoint: ["/docker-entrypoint.sh"], exposedPorts: ["80/tcp"], stopSignal: "SIGQUIT", env: [`PATH=${DEFAULT_PATH}`, "NGINX_VERSION=1.27.2"] },
    layers: [{ size: 113.2 * MB, createdBy: "RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --shell /bin/false --uid 101 nginx && apt-get update && apt-get install --no-install-recommends -y nginx=${NGINX_VERSION}-1~$NGINX_DEBIAN # buildkit",
      files: { ...bins("/usr/sbin", ["nginx"], 1_300_000), "/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/usr/share/nginx/html/index.html": textFile("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"), "/etc/nginx/nginx.conf": textFile("user  nginx;\nworker_processes  auto;\nevents { worker_connections  1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n"), "/etc/passwd": textFile(passwd("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n")) }, filler: "/usr/lib/nginx/modules/modules.so" }] },
  { repo: "library/nginx", tags: ["alpine", "1.27-alpine", "1.27.2-alpine", "mainline-alpine"], parent: "library/alpine:3.20", ageDays: 10,
    config: { cmd: ["nginx", "-g", "daemon off;"], entrypoint: ["/docker-entrypoint.sh"], exposedPorts: ["80/tcp"], stopSignal: "SIGQUIT", env: [`PATH=${DEFAULT_PATH}`, "NGINX_VERSION=1.27.2"] },
    layers: [{ size: 35.4 * MB, createdBy: "RUN /bin/sh -c set -x && addgroup -g 101 -S nginx && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx && apk add --no-cache nginx # buildkit",
      files: { ...bins("/usr/sbin", ["nginx"], 1_300_000), "/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/usr/share/nginx/html/index.html": textFile("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"), "/etc/nginx/nginx.conf": textFile("user  nginx;\nworker_processes  auto;\nevents { worker_connections  1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n") }, filler: "/usr/lib/nginx/modules/modules.so" }] },
  // `nginx:1.25` (QA #17: the swarm exercise's pinned version): 1.25.5 (2024-04), the last 1.25, on bookworm-slim.
  { repo: "library/nginx", tags: ["1.25", "1.25.5", "1.25-bookworm", "1.25.5-bookworm"], parent: "library/debian:bookworm-slim", ageDays: 600,
    config: { cmd: ["nginx", "-g", "daemon off;"], entrypoint: ["/docker-entrypoint.sh"], exposedPorts: ["80/tcp"], stopSignal: "SIGQUIT", env: [`PATH=${DEFAULT_PATH}`, "NGINX_VERSION=1.25.5", "NJS_VERSION=0.8.4", "PKG_RELEASE=1~bookworm"] },
    layers: [{ size: 112.6 * MB, createdBy: "RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --shell /bin/false --uid 101 nginx && apt-get update && apt-get install --no-install-recommends -y nginx=${NGINX_VERSION}-${PKG_RELEASE} # buildkit",
      files: { ...bins("/usr/sbin", ["nginx"], 1_300_000), "/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/usr/share/nginx/html/index.html": textFile("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"), "/etc/nginx/nginx.conf": textFile("user  nginx;\nworker_processes  auto;\nevents { worker_connections  1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n"), "/etc/passwd": textFile(passwd("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n")) }, filler: "/usr/lib/nginx/modules/modules.so" }] },
  // `nginx:1.7.9` (the Kubernetes docs' Deployment example, which the course's manifests copy): 1.7.9-1~wheezy (2014-12),
  // docker-library/nginx's 1.7.9 Dockerfile on debian:wheezy: no entrypoint script yet, logs linked to stdout/stderr.
  { repo: "library/nginx", tags: ["1.7.9", "1.7"], ageDays: 4_330,
    config: { cmd: ["nginx", "-g", "daemon off;"], exposedPorts: ["443/tcp", "80/tcp"], volumes: ["/var/cache/nginx"], env: [`PATH=${DEFAULT_PATH}`, "NGINX_VERSION=1.7.9"] },
    layers: [
      { size: 85.1 * MB, createdBy: "/bin/sh -c #(nop) ADD file:wheezy-rootfs.tar.xz in / ", files: debRoot("debian", "7", "Debian GNU/Linux 7 (wheezy)"), filler: "/lib/x86_64-linux-gnu/libc-2.13.so" },
      { size: 5.2 * MB, createdBy: "/bin/sh -c apt-get update && apt-get install -y nginx=${NGINX_VERSION}-1~wheezy && rm -rf /var/lib/apt/lists/*",
        files: { ...bins("/usr/sbin", ["nginx"], 900_000), "/usr/share/nginx/html/index.html": textFile("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"), "/etc/nginx/nginx.conf": textFile("user  nginx;\nworker_processes  1;\nevents { worker_connections  1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n") }, filler: "/usr/share/nginx/html/50x.html" },
      { size: 0, createdBy: "/bin/sh -c ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log", filler: "" },
    ] },
  { repo: "library/redis", tags: ["7.4", "7.4.1", "7", "latest"], parent: "library/debian:bookworm-slim", ageDays: 12,
    config: { cmd: ["redis-server"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["6379/tcp"], volumes: ["/data"], workingDir: "/data", env: [`PATH=${DEFAULT_PATH}`, "REDIS_VERSION=7.4.1"] },
    layers: [{ size: 42.2 * MB, createdBy: "RUN /bin/sh -c set -eux; wget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\"; make -C /usr/src/redis -j \"$(nproc)\" all; make -C /usr/src/redis install # buildkit", files: { ...bins("/usr/local/bin", ["redis-server", "redis-cli", "redis-benchmark"], 2_000_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/data": dirEntry({ uid: 999, gid: 999 }) }, filler: "/usr/local/bin/redis-server.bin" }] },
  { repo: "library/redis", tags: ["7.4-alpine", "7-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 12,
    config: { cmd: ["redis-server"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["6379/tcp"], volumes: ["/data"], workingDir: "/data", env: [`PATH=${DEFAULT_PATH}`, "REDIS_VERSION=7.4.1"] },
    layers: [{ size: 33.2 * MB, createdBy: "RUN /bin/sh -c set -eux; apk add --no-cache --virtual .build-deps gcc make; make -C /usr/src/redis install; apk del --no-network .build-deps # buildkit", files: { ...bins("/usr/local/bin", ["redis-server", "redis-cli"], 2_000_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/data": dirEntry({ uid: 999, gid: 1000 }) }, filler: "/usr/local/bin/redis-server.bin" }] },
  { repo: "library/postgres", tags: ["16", "16.4", "latest"], parent: "library/debian:bookworm-slim", ageDays: 18,
    config: { cmd: ["postgres"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["5432/tcp"], volumes: ["/var/lib/postgresql/data"], stopSignal: "SIGINT", env: ["PATH=/usr/lib/postgresql/16/bin:" + DEFAULT_PATH, "PG_MAJOR=16", "PG_VERSION=16.4-1.pgdg120+2", "PGDATA=/var/lib/postgresql/data"] },
    layers: [{ size: 357.2 * MB, createdBy: "RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends \"postgresql-$PG_MAJOR=$PG_VERSION\"; rm -rf /var/lib/apt/lists/* # buildkit", files: { ...bins("/usr/lib/postgresql/16/bin", ["postgres", "initdb", "pg_ctl", "psql"], 1_000_000), ...bins("/usr/lib/postgresql/16/bin", ["pg_isready"], 60_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/etc/passwd": textFile(passwd("postgres:x:999:999::/var/lib/postgresql:/bin/bash\n")) }, filler: "/usr/lib/postgresql/16/lib/postgres.so" }] },
  { repo: "library/postgres", tags: ["16-alpine", "16.4-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 18,
    config: { cmd: ["postgres"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["5432/tcp"], volumes: ["/var/lib/postgresql/data"], stopSignal: "SIGINT", env: [`PATH=${DEFAULT_PATH}`, "PG_MAJOR=16", "PG_VERSION=16.4", "PGDATA=/var/lib/postgresql/data"] },
    layers: [{ size: 235.2 * MB, createdBy: "RUN /bin/sh -c set -eux; apk add --no-cache --virtual .build-deps gcc make; ./configure; make world-bin; make install-world-bin # buildkit", files: { ...bins("/usr/local/bin", ["postgres", "initdb", "pg_ctl", "psql"], 1_000_000), ...bins("/usr/local/bin", ["pg_isready"], 60_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }) }, filler: "/usr/local/lib/postgresql/postgres.so" }] },
  // The exercise book's `postgres:9-alpine` (QA #10): 9.6.24, the last 9.x release (2021-11), built on
  // alpine 3.15 by docker-library/postgres's 9.6/alpine3.15 Dockerfile; its first layer is that alpine.
  { repo: "library/postgres", tags: ["9-alpine", "9.6-alpine", "9.6.24-alpine", "9-alpine3.15", "9.6-alpine3.15", "9.6.24-alpine3.15"], ageDays: 1_480,
    config: { cmd: ["postgres"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["5432/tcp"], volumes: ["/var/lib/postgresql/data"], stopSignal: "SIGINT", env: [`PATH=${DEFAULT_PATH}`, "LANG=en_US.utf8", "PG_MAJOR=9.6", "PG_VERSION=9.6.24", "PGDATA=/var/lib/postgresql/data"] },
    layers: [
      { size: 5.59 * MB, createdBy: "/bin/sh -c #(nop) ADD file:alpine-minirootfs-3.15.0-x86_64.tar.gz in / ", files: alpineRoot("3.15.0"), filler: "/lib/ld-musl-x86_64.so.1" },
      { size: 32.6 * MB, createdBy: "/bin/sh -c set -eux; \twget -O postgresql.tar.bz2 \"https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2\"; \tapk add --no-cache --virtual .build-deps bison coreutils dpkg-dev dpkg flex gcc libc-dev make openssl-dev perl-utils perl-ipc-run util-linux-dev zlib-dev icu-dev; \t./configure --build=\"$gnuArch\" --enable-integer-datetimes --enable-thread-safety --enable-tap-tests --disable-rpath --with-uuid=e2fs --with-gnu-ld --with-pgport=5432 --with-system-tzdata=/usr/share/zoneinfo --prefix=/usr/local --with-includes=/usr/local/include --with-libraries=/usr/local/lib --with-openssl --with-libxml --with-libxslt --with-icu; \tmake -j \"$(nproc)\" world; \tmake install-world; \tapk del --no-network .build-deps",
        files: { ...bins("/usr/local/bin", ["postgres", "initdb", "pg_ctl", "psql"], 1_000_000), ...bins("/usr/local/bin", ["pg_isready"], 60_000), "/usr/local/bin/docker-entrypoint.sh": ENTRYPOINT_SH, "/etc/passwd": textFile(passwd("postgres:x:70:70::/var/lib/postgresql:/bin/sh\n")) }, filler: "/usr/local/lib/postgresql/postgres.so" },
    ] },
  { repo: "library/mysql", tags: ["8.0", "8.0.40", "8", "latest"], ageDays: 35,
    config: { cmd: ["mysqld"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["3306/tcp", "33060/tcp"], volumes: ["/var/lib/mysql"], env: [`PATH=${DEFAULT_PATH}`, "MYSQL_MAJOR=8.0", "MYSQL_VERSION=8.0.40-1.el9"] },
    layers: [
      { size: 110 * MB, createdBy: "ADD file:oraclelinux-9-slim-rootfs.tar.xz in / ", files: debRoot("debian", "9", "Oracle Linux Server 9.4"), filler: "/usr/lib64/libc.so.6" },
      { size: 467 * MB, createdBy: "RUN /bin/sh -c set -eux; microdnf install -y \"mysql-community-server-minimal-$MYSQL_VERSION\"; microdnf clean all # buildkit", files: { ...bins("/usr/sbin", ["mysqld"], 60_000_000), ...bins("/usr/bin", ["mysql", "mysqladmin", "mysqldump"], 8_000_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }) }, filler: "/usr/lib64/mysql/plugin/plugins.so" },
    ] },
  { repo: "library/mongo", tags: ["7.0", "7.0.14", "7", "latest"], parent: "library/ubuntu:22.04", ageDays: 22,
    config: { cmd: ["mongod"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["27017/tcp"], volumes: ["/data/db", "/data/configdb"], env: [`PATH=${DEFAULT_PATH}`, "MONGO_MAJOR=7.0", "MONGO_VERSION=7.0.14"] },
    layers: [{ size: 679.1 * MB, createdBy: "RUN /bin/sh -c set -x && export DEBIAN_FRONTEND=noninteractive && apt-get update && apt-get install -y ${MONGO_PACKAGE}=$MONGO_VERSION # buildkit", files: { ...bins("/usr/bin", ["mongod", "mongos", "mongosh"], 90_000_000), "/usr/local/bin/docker-entrypoint.sh": textFile("#!/bin/sh\nset -e\nexec \"$@\"\n", { mode: 0o755 }), "/data/db": dirEntry({ uid: 999, gid: 999 }), "/data/configdb": dirEntry({ uid: 999, gid: 999 }) }, filler: "/usr/lib/mongodb/mongod.data" }] },
  // ---- the Docker Fundamentals course's era (2017–2019): ubuntu 16.04/18.04, centos:7, python 3.5,
  // openjdk 8/11, httpd, registry:2, mysql 5.7, hello-world. Classic-builder history texts.
  { repo: "library/ubuntu", tags: ["16.04", "xenial", "xenial-20210804"], ageDays: 1_610, config: { cmd: ["/bin/bash"] },
    layers: [
      { size: 132.1 * MB, createdBy: "/bin/sh -c #(nop) ADD file:11b425d4c08e81a3e0cb2e0345d27cd5fc844dd83f1f5d4ea8c7c6ba3ae5a8c6 in / ", files: debRoot("ubuntu", "16.04", "Ubuntu 16.04.7 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
      { size: 2.8 * MB, createdBy: "/bin/sh -c set -xe \t\t&& echo '#!/bin/sh' > /usr/sbin/policy-rc.d \t&& echo 'exit 101' >> /usr/sbin/policy-rc.d \t&& chmod +x /usr/sbin/policy-rc.d", files: { "/usr/sbin/policy-rc.d": textFile("#!/bin/sh\nexit 101\n", { mode: 0o755 }) }, filler: "/var/lib/dpkg/info/diversions" },
      { size: 0, createdBy: "/bin/sh -c rm -rf /var/lib/apt/lists/*", filler: "" },
      { size: 7, createdBy: "/bin/sh -c mkdir -p /run/systemd && echo 'docker' > /run/systemd/container", files: { "/run/systemd/container": textFile("docker\n") }, filler: "" },
    ] },
  { repo: "library/ubuntu", tags: ["18.04", "bionic", "bionic-20230530"], ageDays: 950, config: { cmd: ["/bin/bash"] },
    layers: [{ size: 63.1 * MB, createdBy: "/bin/sh -c #(nop) ADD file:3c74e7e08cbf9a876394dd6ee2a6b6b2fc8b4a4c6e8d6b8c3a1e1f2d3c4b5a69 in / ", files: debRoot("ubuntu", "18.04", "Ubuntu 18.04.6 LTS"), filler: "/usr/lib/x86_64-linux-gnu/libc.so.6" }] },
  { repo: "library/centos", tags: ["7", "centos7", "7.9.2009", "latest"], ageDays: 1_570,
    config: {
      cmd: ["/bin/bash"],
      labels: {
        "org.label-schema.build-date": "20201113", "org.label-schema.license": "GPLv2", "org.label-schema.name": "CentOS Base Image",
        "org.label-schema.schema-version": "1.0", "org.label-schema.vendor": "CentOS", "org.opencontainers.image.created": "2020-11-13 00:00:00+00:00",
        "org.opencontainers.image.licenses": "GPL-2.0-only", "org.opencontainers.image.title": "CentOS Base Image", "org.opencontainers.image.vendor": "CentOS",
      },
    },
    layers: [{ size: 204 * MB, createdBy: "/bin/sh -c #(nop) ADD file:b3ebbe8bd304723d43b7b44a6d990cd657b63d93d6a2a9293983a30bfc1dfa53 in / ", files: rpmRoot("centos", "7", "CentOS Linux", "CentOS Linux release 7.9.2009 (Core)"), filler: "/usr/lib64/libc-2.17.so" }] },
  { repo: "library/python", tags: ["3.5-alpine", "3.5.10-alpine", "3.5-alpine3.5"], parent: "library/alpine:3.5", ageDays: 1_950,
    config: { cmd: ["python3"], env: ["PATH=/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "GPG_KEY=97FC712E4C024BBEA48A61ED3A5CA953F73C700D", "PYTHON_VERSION=3.5.10", "PYTHON_PIP_VERSION=20.2.3"] },
    layers: [
      { size: 0.2 * MB, createdBy: "/bin/sh -c apk add --no-cache ca-certificates", filler: "/etc/ssl/certs/ca-certificates.crt" },
      { size: 66 * MB, createdBy: "/bin/sh -c set -ex \t&& apk add --no-cache --virtual .fetch-deps gnupg tar xz \t&& ./configure --enable-loadable-sqlite-extensions --enable-shared \t&& make -j \"$(nproc)\" \t&& make install", files: bins("/usr/local/bin", ["python3", "python", "pip", "pip3", "python3.5"], 20_000), filler: "/usr/local/lib/libpython3.5m.so.1.0" },
    ] },
  // The exercise book's compose app `FROM python:3.4-alpine` (QA #10): 3.4.10 (2019-03), the last 3.4, on
  // alpine 3.9, as docker-library/python's 3.4/alpine3.9 Dockerfile built it; its first layer is that alpine.
  { repo: "library/python", tags: ["3.4-alpine", "3.4.10-alpine", "3.4-alpine3.9", "3.4.10-alpine3.9"], ageDays: 2_080,
    config: { cmd: ["python3"], env: ["PATH=/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "GPG_KEY=97FC712E4C024BBEA48A61ED3A5CA953F73C700D", "PYTHON_VERSION=3.4.10", "PYTHON_PIP_VERSION=19.0.3"] },
    layers: [
      { size: 5.53 * MB, createdBy: "/bin/sh -c #(nop) ADD file:alpine-minirootfs-3.9.2-x86_64.tar.gz in / ", files: alpineRoot("3.9.2"), filler: "/lib/ld-musl-x86_64.so.1" },
      { size: 0.5 * MB, createdBy: "/bin/sh -c apk add --no-cache ca-certificates", filler: "/etc/ssl/certs/ca-certificates.crt" },
      { size: 67.5 * MB, createdBy: "/bin/sh -c set -ex \t&& apk add --no-cache --virtual .fetch-deps gnupg tar xz \t&& wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\" \t&& ./configure --build=\"$gnuArch\" --enable-loadable-sqlite-extensions --enable-shared --with-system-expat --with-system-ffi --without-ensurepip \t&& make -j \"$(nproc)\" \t&& make install", files: bins("/usr/local/bin", ["python3", "python3.4", "pydoc3", "pyvenv"], 20_000), filler: "/usr/local/lib/libpython3.4m.so.1.0" },
      { size: 6.1 * MB, createdBy: "/bin/sh -c set -ex; \t\twget -O get-pip.py 'https://bootstrap.pypa.io/get-pip.py'; \t\tpython get-pip.py \t\t--disable-pip-version-check \t\t--no-cache-dir \t\t\"pip==$PYTHON_PIP_VERSION\" \t; \tpip --version", files: { ...bins("/usr/local/bin", ["pip", "pip3", "pip3.4"], 2_000), "/usr/local/bin/python": symlinkEntry("python3") }, filler: "/usr/local/lib/python3.4/site-packages/pip/__init__.py" },
    ] },
  { repo: "library/openjdk", tags: ["8", "8-jdk", "8u342", "8u342-jdk"], parent: "library/buildpack-deps:bookworm-scm", ageDays: 1_230,
    config: { env: ["PATH=/usr/local/openjdk-8/bin:" + DEFAULT_PATH, "JAVA_HOME=/usr/local/openjdk-8", "LANG=C.UTF-8", "JAVA_VERSION=8u342"] },
    layers: [
      { size: 12.5 * MB, createdBy: "/bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tunzip \t\txz-utils \t\tfontconfig libfreetype6 \t\tca-certificates p11-kit \t; \trm -rf /var/lib/apt/lists/*", filler: "/usr/lib/x86_64-linux-gnu/libfreetype.so.6" },
      { size: 263.5 * MB, createdBy: "/bin/sh -c set -eux; \t\tarch=\"$(dpkg --print-architecture)\"; \twget --progress=dot:giga -O openjdk.tgz \"$downloadUrl\"; \ttar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner", files: bins("/usr/local/openjdk-8/bin", ["java", "javac", "jar"], 20_000), filler: "/usr/local/openjdk-8/jre/lib/rt.jar" },
    ] },
  { repo: "library/openjdk", tags: ["11", "11-jdk", "11.0.16", "11.0.16-jdk"], parent: "library/buildpack-deps:bookworm-scm", ageDays: 1_230,
    config: { cmd: ["jshell"], env: ["PATH=/usr/local/openjdk-11/bin:" + DEFAULT_PATH, "JAVA_HOME=/usr/local/openjdk-11", "LANG=C.UTF-8", "JAVA_VERSION=11.0.16"] },
    layers: [
      { size: 12.5 * MB, createdBy: "/bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tunzip \t\txz-utils \t\tfontconfig libfreetype6 \t\tca-certificates p11-kit \t; \trm -rf /var/lib/apt/lists/*", filler: "/usr/lib/x86_64-linux-gnu/libfreetype.so.6" },
      { size: 391.5 * MB, createdBy: "/bin/sh -c set -eux; \t\tarch=\"$(dpkg --print-architecture)\"; \twget --progress=dot:giga -O openjdk.tgz \"$downloadUrl\"; \ttar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner", files: bins("/usr/local/openjdk-11/bin", ["java", "javac", "jar", "jshell"], 20_000), filler: "/usr/local/openjdk-11/lib/modules" },
    ] },
  { repo: "library/httpd", tags: ["2.4", "2.4.62", "2", "latest"], parent: "library/debian:bookworm-slim", ageDays: 25,
    config: { cmd: ["httpd-foreground"], exposedPorts: ["80/tcp"], stopSignal: "SIGWINCH", workingDir: "/usr/local/apache2", env: ["PATH=/usr/local/apache2/bin:" + DEFAULT_PATH, "HTTPD_PREFIX=/usr/local/apache2", "HTTPD_VERSION=2.4.62", "HTTPD_SHA256=674188e7bf44ced82da8db522da946849e22080d73d16c93f7f4df89e25729ec", "HTTPD_PATCHES="] },
    layers: [
      { size: 0, createdBy: "RUN /bin/sh -c mkdir -p \"$HTTPD_PREFIX\" \t&& chown www-data:www-data \"$HTTPD_PREFIX\" # buildkit", files: { "/usr/local/apache2": dirEntry({ uid: 33, gid: 33 }) }, filler: "" },
      { size: 9.5 * MB, createdBy: "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tlibaprutil1-ldap \t\tlibldap-common \t; \trm -rf /var/lib/apt/lists/* # buildkit", filler: "/usr/lib/x86_64-linux-gnu/libaprutil-1.so.0" },
      { size: 63.6 * MB, createdBy: "RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tcurl -fL -o httpd.tar.bz2 \"https://dlcdn.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2\"; \t./configure --build=\"$gnuArch\" --prefix=\"$HTTPD_PREFIX\" --enable-mods-shared=reallyall --enable-mpms-shared=all; \tmake -j \"$(nproc)\"; \tmake install # buildkit",
        files: { ...bins("/usr/local/apache2/bin", ["httpd", "apachectl", "htpasswd", "ab"], 700_000), "/usr/local/apache2/htdocs/index.html": textFile("<html><body><h1>It works!</h1></body></html>\n"), "/usr/local/apache2/conf/httpd.conf": textFile("ServerRoot \"/usr/local/apache2\"\nListen 80\nDocumentRoot \"/usr/local/apache2/htdocs\"\n") }, filler: "/usr/local/apache2/modules/mod_all.so" },
      { size: 138, createdBy: "COPY httpd-foreground /usr/local/bin/ # buildkit", files: { "/usr/local/bin/httpd-foreground": textFile("#!/bin/sh\nset -e\nrm -f /usr/local/apache2/logs/httpd.pid\nexec httpd -DFOREGROUND \"$@\"\n", { mode: 0o755 }) }, filler: "" },
    ] },
  { repo: "library/registry", tags: ["2", "2.8", "2.8.3", "latest"], parent: "library/alpine:3.19", ageDays: 800,
    config: { entrypoint: ["/entrypoint.sh"], cmd: ["/etc/docker/registry/config.yml"], exposedPorts: ["5000/tcp"], volumes: ["/var/lib/registry"] },
    layers: [
      { size: 0.8 * MB, createdBy: "RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit", filler: "/etc/ssl/certs/ca-certificates.crt" },
      { size: 17.3 * MB, createdBy: "RUN /bin/sh -c set -eux; \tversion='2.8.3'; \twget -O registry.tar.gz \"https://github.com/distribution/distribution/releases/download/v${version}/registry_${version}_linux_${arch}.tar.gz\"; \ttar --extract --verbose --file registry.tar.gz --directory /bin/ registry # buildkit", files: { "/bin/registry": opaqueFile("registry:2.8.3", 17_200_000) }, filler: "" },
      { size: 390, createdBy: "COPY ./config-example.yml /etc/docker/registry/config.yml # buildkit", files: { "/etc/docker/registry/config.yml": textFile("version: 0.1\nlog:\n  fields:\n    service: registry\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n") }, filler: "" },
      { size: 155, createdBy: "COPY docker-entrypoint.sh /entrypoint.sh # buildkit", files: { "/entrypoint.sh": ENTRYPOINT_SH, "/var/lib/registry": dirEntry() }, filler: "" },
    ] },
  { repo: "library/mysql", tags: ["5.7", "5.7.44", "5"], ageDays: 780,
    config: { cmd: ["mysqld"], entrypoint: ["docker-entrypoint.sh"], exposedPorts: ["3306/tcp", "33060/tcp"], volumes: ["/var/lib/mysql"], env: [`PATH=${DEFAULT_PATH}`, "GOSU_VERSION=1.16", "MYSQL_MAJOR=5.7", "MYSQL_VERSION=5.7.44-1.el7", "MYSQL_SHELL_VERSION=8.0.35-1.el7"] },
    layers: [
      { size: 128 * MB, createdBy: "/bin/sh -c #(nop) ADD file:oraclelinux-7-slim-rootfs.tar.xz in / ", files: rpmRoot("ol", "7", "Oracle Linux Server", "Oracle Linux Server release 7.9"), filler: "/usr/lib64/libc-2.17.so" },
      { size: 373 * MB, createdBy: "RUN /bin/sh -c set -eu; \t\tyum install -y --setopt=skip_missing_names_on_install=False \"mysql-community-server-minimal-$MYSQL_VERSION\" \"mysql-community-client-$MYSQL_VERSION\"; \tyum clean all # buildkit", files: { ...bins("/usr/sbin", ["mysqld"], 60_000_000), ...bins("/usr/bin", ["mysql", "mysqladmin", "mysqldump"], 8_000_000), "/usr/local/bin/docker-entrypoint.sh": ENTRYPOINT_SH }, filler: "/usr/lib64/mysql/plugin/plugins.so" },
    ] },
  // DockerCoins' bases (the course's compose app): the hasher on ruby:alpine, the webui on node:4-slim.
  { repo: "library/ruby", tags: ["3.3-alpine", "3.3.5-alpine", "3-alpine", "alpine"], parent: "library/alpine:3.20", ageDays: 40,
    config: { cmd: ["irb"], env: ["PATH=/usr/local/bundle/bin:/usr/local/bin:" + DEFAULT_PATH, "LANG=C.UTF-8", "RUBY_VERSION=3.3.5", "GEM_HOME=/usr/local/bundle", "BUNDLE_SILENCE_ROOT_WARNING=1", "BUNDLE_APP_CONFIG=/usr/local/bundle"] },
    layers: [
      { size: 0.3 * MB, createdBy: "RUN /bin/sh -c set -eux; apk add --no-cache bzip2 ca-certificates gmp-dev libffi-dev procps yaml-dev zlib-dev # buildkit", filler: "/usr/lib/libyaml.so" },
      { size: 52.4 * MB, createdBy: "RUN /bin/sh -c set -eux; apk add --no-cache --virtual .ruby-builddeps autoconf bison gcc make; ./configure --disable-install-doc --enable-shared; make -j \"$(nproc)\"; make install # buildkit", files: bins("/usr/local/bin", ["ruby", "gem", "irb", "bundle", "bundler", "erb", "rake"], 30_000), filler: "/usr/local/lib/libruby.so.3.3.5" },
      { size: 0, createdBy: "RUN /bin/sh -c set -eux; mkdir \"$GEM_HOME\"; chmod 1777 \"$GEM_HOME\" # buildkit", files: { "/usr/local/bundle": dirEntry({ mode: 0o1777 }) }, filler: "" },
    ] },
  { repo: "library/node", tags: ["4-slim", "4.9.1-slim", "4.9-slim"], ageDays: 2_600,
    config: { cmd: ["node"], env: [`PATH=${DEFAULT_PATH}`, "NPM_CONFIG_LOGLEVEL=info", "NODE_VERSION=4.9.1", "YARN_VERSION=1.6.0"] },
    layers: [
      { size: 79.1 * MB, createdBy: "/bin/sh -c #(nop) ADD file:a023a99f7d01868b164d63bbb6f1a5be1a2a7b4c2a1ff1d0f93d1d23fcfb5f11 in / ", files: debRoot("debian", "8", "Debian GNU/Linux 8 (jessie)"), filler: "/lib/x86_64-linux-gnu/libc-2.19.so" },
      { size: 42.6 * MB, createdBy: "/bin/sh -c buildDeps='xz-utils curl ca-certificates'     && set -x     && apt-get update && apt-get install -y $buildDeps --no-install-recommends     && curl -SLO \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-x64.tar.xz\"     && tar -xJf \"node-v$NODE_VERSION-linux-x64.tar.xz\" -C /usr/local --strip-components=1", files: bins("/usr/local/bin", ["node", "npm"], 30_000), filler: "/usr/local/bin/node.bin" },
      { size: 4.3 * MB, createdBy: "/bin/sh -c set -ex   && curl -fSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/", files: bins("/usr/local/bin", ["yarn", "yarnpkg"], 1_000), filler: "/opt/yarn-v1.6.0/lib/cli.js" },
    ] },
  { repo: "library/hello-world", tags: ["latest", "linux"], ageDays: 980, config: { cmd: ["/hello"] },
    layers: [{ size: 13_256, createdBy: "COPY hello / # buildkit", files: { "/hello": opaqueFile("hello-world:linux", 13_256) }, filler: "" }] },
  { repo: "mcr.microsoft.com/windows/nanoserver", tags: ["ltsc2022", "10.0.20348.2762"], os: "windows", ageDays: 14,
    config: { cmd: ["c:\\windows\\system32\\cmd.exe"], user: "ContainerUser", shell: ["cmd", "/S", "/C"] },
    layers: [{ size: 296 * MB, createdBy: "Apply image 10.0.20348.2762", files: { "/Windows/System32/cmd.exe": opaqueFile("cmd.exe", 300_000), "/Windows/System32/powershell.exe": opaqueFile("pwsh", 400_000), "/Users/ContainerUser": dirEntry() }, filler: "/Windows/System32/ntdll.dll" }] },
  { repo: "mcr.microsoft.com/windows/nanoserver", tags: ["1809", "10.0.17763.6414"], os: "windows", ageDays: 14,
    config: { cmd: ["c:\\windows\\system32\\cmd.exe"], user: "ContainerUser", shell: ["cmd", "/S", "/C"] },
    layers: [{ size: 256 * MB, createdBy: "Apply image 10.0.17763.6414", files: { "/Windows/System32/cmd.exe": opaqueFile("cmd.exe.1809", 300_000), "/Users/ContainerUser": dirEntry() }, filler: "/Windows/System32/ntdll.dll" }] },
];

/** The history lines BuildKit writes for the config instructions of an official image's Dockerfile. */
function configHistory(c: Partial<ImageConfig>): string[] {
  const out: string[] = [];
  if (c.env) out.push(...c.env.map((e) => `ENV ${e}`));
  if (c.workingDir) out.push(`WORKDIR ${c.workingDir}`);
  if (c.volumes?.length) out.push(`VOLUME ${goSlice(c.volumes)}`);
  if (c.entrypoint) out.push(`ENTRYPOINT ${goQuoted(c.entrypoint)}`);
  if (c.exposedPorts?.length) out.push(exposeText(c.exposedPorts));
  if (c.stopSignal) out.push(`STOPSIGNAL ${c.stopSignal}`);
  if (c.user) out.push(`USER ${c.user}`);
  if (c.cmd) out.push(`CMD ${goQuoted(c.cmd)}`);
  return out;
}

/** One catalogue image: its canonical references and content. */
export interface CatalogueImage {
  /** Canonical names, e.g. "docker.io/library/alpine:3.20". */
  readonly refs: readonly string[];
  readonly image: Image;
  readonly layers: readonly Layer[];
}

function fullRepo(repo: string): string {
  return repo.includes(".") && repo.split("/")[0]!.includes(".") ? repo : `docker.io/${repo}`;
}

function buildLayer(spec: LayerSpec): Layer {
  const changes = new Map<string, FsEntry>();
  let used = 0;
  for (const [p, e] of Object.entries(spec.files ?? {})) {
    const path = normalizePath(p);
    for (const a of ancestors(path)) if (!changes.has(a)) changes.set(a, dirEntry());
    changes.set(path, e);
    if (e.type === "file") used += e.size;
  }
  const rest = Math.round(spec.size) - used;
  if (spec.filler && rest > 0) {
    for (const a of ancestors(spec.filler)) if (!changes.has(a)) changes.set(a, dirEntry());
    changes.set(spec.filler, opaqueFile(`filler:${spec.createdBy}`, rest));
  }
  return createLayer(changes);
}

let built: readonly CatalogueImage[] | undefined;

/** The catalogue, built once (deterministically) on first use. */
export function catalogue(): readonly CatalogueImage[] {
  if (built) return built;
  const byRef = new Map<string, CatalogueImage>();
  const out: CatalogueImage[] = [];
  for (const row of CATALOGUE) {
    const parent = row.parent ? byRef.get(fullRepo(row.parent)) : undefined;
    if (row.parent && !parent) throw new Error(`catalogue: parent ${row.parent} must come first`);
    const created = -row.ageDays * DAY;
    const layers = [...(parent?.layers ?? []), ...row.layers.map(buildLayer)];
    const history: HistoryEntry[] = [
      ...(parent?.image.history ?? []),
      ...row.layers.map((l, i) => ({ created: created + i * MICROS_PER_SECOND, createdBy: l.createdBy, emptyLayer: false })),
    ];
    const baseConfig = parent?.image.config ?? { ...emptyConfig(), env: row.os === "windows" ? [] : [`PATH=${DEFAULT_PATH}`] };
    const config: ImageConfig = { ...baseConfig, ...row.config };
    for (const text of configHistory(row.config ?? {})) {
      history.push({ created: created + row.layers.length * MICROS_PER_SECOND, createdBy: text, emptyLayer: true, comment: "buildkit.dockerfile.v0" });
    }
    const image = createImage({ os: row.os ?? "linux", layers: layers.map((l) => l.digest), config, history });
    const entry: CatalogueImage = { refs: row.tags.map((t) => `${fullRepo(row.repo)}:${t}`), image, layers };
    for (const r of entry.refs) byRef.set(r, entry);
    out.push(entry);
  }
  built = out;
  return out;
}

/**
 * Official images on Docker Hub that drydock does not simulate: pulling one is not "does not exist"
 * (Docker would pull it) but "not in drydock's catalogue" (NOT_IN_CATALOGUE).
 */
const HUB_OFFICIAL_NOT_SIMULATED = new Set(`adminer aerospike almalinux amazoncorretto amazonlinux arangodb archlinux backdrop
  bash bonita caddy cassandra chronograf cirros clearlinux clojure composer consul couchbase couchdb crate dart docker
  drupal eclipse-mosquitto eclipse-temurin elasticsearch elixir erlang fedora flink fluentd friendica gazebo gcc ghost
  gradle groovy haproxy haskell haxe hylang ibmjava influxdb irssi jetty joomla jruby julia kapacitor kibana kong
  liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo-express mono monica nats neo4j neurodebian
  nextcloud odoo open-liberty oraclelinux orientdb percona perl photon php php-zendserver phpmyadmin plone postfixadmin
  pypy rabbitmq r-base rakudo-star redmine rethinkdb rockylinux rocket.chat ruby rust sapmachine satosa silverpeas
  solr sonarqube spiped storm swift swipl teamspeak telegraf tomcat tomee traefik ubuntu-debootstrap unit varnish
  vault websphere-liberty wordpress xwiki yourls znc zookeeper jenkins java iojs swarm django rails centos-minimal`.split(/\s+/));

/** Is this (a library/ repository name) a real Docker Hub official image drydock does not simulate? */
export function isKnownOfficialImage(name: string): boolean {
  return HUB_OFFICIAL_NOT_SIMULATED.has(name) && !catalogueRepositories().includes(name);
}

let repos: readonly string[] | undefined;

/** The Docker Hub official repositories the catalogue has, by familiar name, sorted. */
export function catalogueRepositories(): readonly string[] {
  if (!repos) {
    const names = new Set<string>();
    for (const row of CATALOGUE) if (row.repo.startsWith("library/")) names.add(row.repo.slice("library/".length));
    repos = [...names].sort();
  }
  return repos;
}

/** The tags the catalogue has for a repository path ("library/alpine"), sorted. */
export function catalogueTags(path: string): string[] {
  return CATALOGUE.filter((r) => r.repo === path).flatMap((r) => r.tags).sort();
}

/** drydock's second line for an image it does not have. */
export function catalogueHint(name: string): string {
  return `drydock: '${name}' is not in drydock's catalogue (it has: ${catalogueRepositories().filter((r) => r !== "buildpack-deps").join(", ")})`;
}
