import { describe, expect, it } from "vitest";
import {
  collectTree,
  copy,
  createRootFs,
  kindOf,
  lookup,
  mkdir,
  move,
  normalizePath,
  readFile,
  readdir,
  remove,
  rmdir,
  stat,
  writeFile,
  writeTree,
} from "./index.js";
import type { FsDir, FsResult } from "./index.js";

const unwrap = <T>(r: FsResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.value;
};

describe("normalizePath (POSIX path resolution, no symlinks)", () => {
  it.each([
    ["/root", "a/b", "/root/a/b"],
    ["/root", "./a/./b/", "/root/a/b"],
    ["/root", "../etc//passwd", "/etc/passwd"],
    ["/", "../../..", "/"],
    ["/tmp", "/usr//bin/.", "/usr/bin"],
    ["/a/b", "..", "/a"],
  ])("%s + %s = %s", (cwd, path, want) => {
    expect(normalizePath(cwd, path)).toBe(want);
  });
});

describe("createRootFs: a lab machine's tree", () => {
  const fs = createRootFs(0, { hostname: "node1", commands: ["ls", "constructor"] });
  it("has the usual directories and /etc files", () => {
    for (const dir of ["/root", "/tmp", "/etc", "/bin", "/usr/bin", "/usr/local/bin", "/var", "/home"]) expect(kindOf(fs, dir)).toBe("dir");
    expect(unwrap(readFile(fs, "/etc/hostname"))).toBe("node1\n");
    expect(unwrap(readFile(fs, "/etc/os-release"))).toContain("Debian");
    expect(unwrap(readFile(fs, "/etc/passwd"))).toMatch(/^root:x:0:0:root:\/root:\/bin\/bash$/m);
  });
  it("lists commands in /usr/bin, any name being just a name", () => {
    expect(unwrap(readdir(fs, "/usr/bin"))).toEqual(["constructor", "ls"]);
    expect(stat(fs, "/usr/bin/ls")).toMatchObject({ ok: true, value: { kind: "file", mode: 0o755 } });
  });
  it("/tmp is sticky and world-writable", () => {
    expect(unwrap(stat(fs, "/tmp")).mode).toBe(0o1777);
  });
});

describe("updates copy only the path from the root", () => {
  const fs = createRootFs(0);
  it("writeFile leaves the old snapshot unchanged and shares untouched subtrees", () => {
    const next = unwrap(writeFile(fs, "/root/a.txt", "hi\n", 5));
    expect(kindOf(fs, "/root/a.txt")).toBeNull();
    expect(unwrap(readFile(next, "/root/a.txt"))).toBe("hi\n");
    expect(unwrap(lookup(next, "/etc"))).toBe(unwrap(lookup(fs, "/etc")));
    expect(unwrap(stat(next, "/root")).mtime).toBe(5);
  });
  it("append adds to the end; a directory target is EISDIR; a missing parent ENOENT", () => {
    let next = unwrap(writeFile(fs, "/tmp/f", "a\n", 1));
    next = unwrap(writeFile(next, "/tmp/f", "b\n", 2, { append: true }));
    expect(unwrap(readFile(next, "/tmp/f"))).toBe("a\nb\n");
    expect(writeFile(fs, "/tmp", "x", 1)).toEqual({ ok: false, error: "EISDIR" });
    expect(writeFile(fs, "/nope/f", "x", 1)).toEqual({ ok: false, error: "ENOENT" });
    expect(writeFile(next, "/tmp/f/g", "x", 1)).toEqual({ ok: false, error: "ENOTDIR" });
  });
  it("a name like __proto__ or constructor is an ordinary entry", () => {
    const next = unwrap(writeFile(fs, "/tmp/__proto__", "p", 1));
    expect(unwrap(readFile(next, "/tmp/__proto__"))).toBe("p");
    expect(kindOf(next, "/tmp/constructor")).toBeNull();
  });
});

describe("mkdir, remove, rmdir", () => {
  const fs = createRootFs(0);
  it("mkdir needs the parent; -p makes parents and accepts an existing directory", () => {
    expect(mkdir(fs, "/root/a/b", 1)).toEqual({ ok: false, error: "ENOENT" });
    const next = unwrap(mkdir(fs, "/root/a/b", 1, { parents: true }));
    expect(kindOf(next, "/root/a/b")).toBe("dir");
    expect(mkdir(next, "/root/a", 1)).toEqual({ ok: false, error: "EEXIST" });
    expect(mkdir(next, "/root/a", 1, { parents: true }).ok).toBe(true);
  });
  it("remove: EISDIR without recursive, ENOENT unless forced", () => {
    const next = unwrap(mkdir(fs, "/root/d/e", 1, { parents: true }));
    expect(remove(next, "/root/d")).toEqual({ ok: false, error: "EISDIR" });
    expect(kindOf(unwrap(remove(next, "/root/d", { recursive: true })), "/root/d")).toBeNull();
    expect(remove(fs, "/root/nope")).toEqual({ ok: false, error: "ENOENT" });
    expect(unwrap(remove(fs, "/root/nope", { force: true }))).toBe(fs);
  });
  it("rmdir removes only an empty directory", () => {
    const next = unwrap(mkdir(fs, "/root/d/e", 1, { parents: true }));
    expect(rmdir(next, "/root/d", 2)).toEqual({ ok: false, error: "ENOTEMPTY" });
    expect(rmdir(next, "/etc/passwd", 2)).toEqual({ ok: false, error: "ENOTDIR" });
    expect(rmdir(next, "/root/d/e", 2).ok).toBe(true);
  });
});

describe("copy and move", () => {
  let fs: FsDir = createRootFs(0);
  fs = unwrap(writeTree(fs, "/root/src", new Map([["a.txt", { text: "A" }], ["sub/b.txt", { text: "B", mode: 0o600 }]]), 1));
  it("copy duplicates a tree and stamps it with the time", () => {
    const next = unwrap(copy(fs, "/root/src", "/root/dst", 9));
    expect(unwrap(readFile(next, "/root/dst/sub/b.txt"))).toBe("B");
    expect(unwrap(stat(next, "/root/dst/sub/b.txt")).mtime).toBe(9);
    expect(unwrap(readFile(next, "/root/src/a.txt"))).toBe("A");
  });
  it("copying a directory into itself is EINVAL", () => {
    expect(copy(fs, "/root/src", "/root/src/sub/x", 1)).toEqual({ ok: false, error: "EINVAL" });
  });
  it("move renames, keeps content, and refuses a non-empty directory target", () => {
    const next = unwrap(move(fs, "/root/src", "/tmp/moved", 2));
    expect(kindOf(next, "/root/src")).toBeNull();
    expect(unwrap(readFile(next, "/tmp/moved/a.txt"))).toBe("A");
    expect(move(fs, "/root/src/a.txt", "/root/src", 2)).toEqual({ ok: false, error: "EISDIR" });
    expect(move(fs, "/root", "/root/src/x", 2)).toEqual({ ok: false, error: "EINVAL" });
  });
});

describe("build contexts: collectTree and writeTree", () => {
  it("writeTree then collectTree round-trips every regular file with its mode", () => {
    const files = new Map([
      ["Dockerfile", { text: "FROM alpine\n", mode: 0o644 }],
      ["app/main.py", { text: "print(1)\n", mode: 0o755 }],
      ["app/lib/util.py", { text: "", mode: 0o644 }],
    ]);
    const fs = unwrap(writeTree(createRootFs(0), "/root/ctx", files, 1));
    expect(collectTree(fs, "/root/ctx")).toEqual(files);
    expect(collectTree(fs, "/root/nope").size).toBe(0);
  });
  it("stat gives size in UTF-8 bytes, 4096 for a directory, and links", () => {
    const fs = unwrap(writeFile(createRootFs(0), "/tmp/u", "é€\n", 1));
    expect(unwrap(stat(fs, "/tmp/u"))).toMatchObject({ kind: "file", size: 6, nlink: 1 });
    expect(unwrap(stat(fs, "/usr"))).toMatchObject({ kind: "dir", size: 4096, nlink: 4 });
  });
});
