import { describe, expect, it } from "vitest";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";
import { UnionFS } from "../layers/union.js";
import { envMap } from "../image/image.js";
import { runExecForm, runShellForm, type RunEnv } from "./run.js";

const hub = new RegistryHub();
const store = new ImageStore();
for (const r of ["alpine:3.20", "debian:bookworm-slim", "python:3.12-slim", "node:20-alpine", "golang:1.22-alpine"]) hub.pull(store, r);

function env(image: string, files: Record<string, string> = {}, cwd = "/"): RunEnv {
  const img = store.require(image);
  const fs = new UnionFS(store.layersOf(img));
  for (const [p, t] of Object.entries(files)) fs.writeText(p, t);
  return { fs, env: envMap(img.config.env), cwd, uid: 0, gid: 0, shell: ["/bin/sh", "-c"] };
}

describe("RUN command catalogue (POSIX sh semantics, package managers)", () => {
  it("&& stops at the first failure, || runs on failure, ; always continues; the last status is the exit code", () => {
    const e = env("alpine:3.20");
    expect(runShellForm("false && touch /a; touch /b || touch /c", e).exitCode).toBe(0);
    expect([e.fs.exists("/a"), e.fs.exists("/b"), e.fs.exists("/c")]).toEqual([false, true, false]);
    expect(runShellForm("true; false", e).exitCode).toBe(1);
    expect(runShellForm("set -e; false; touch /d", e).exitCode).toBe(1);
    expect(e.fs.exists("/d")).toBe(false);
  });

  it("a command not on PATH exits 127 with /bin/sh's message; exec form reports runc's", () => {
    const r = runShellForm("nosuchcmd --x", env("alpine:3.20"));
    expect(r.exitCode).toBe(127);
    expect(r.output.map((o) => o.line)).toContain("/bin/sh: 1: nosuchcmd: not found");
    const x = runExecForm(["nosuchcmd"], env("alpine:3.20"));
    expect(x.output[0]!.line).toContain('exec: "nosuchcmd": executable file not found in $PATH');
  });

  it("echo > and >> write files; cd changes the directory for the rest of the RUN; variables expand", () => {
    const e = env("alpine:3.20");
    e.env.set("NAME", "drydock");
    runShellForm('mkdir -p /w && cd /w && echo "hi $NAME" > out && echo again >> out', e);
    expect(e.fs.readText("/w/out")).toBe("hi drydock\nagain\n");
  });

  it("expanded values are text (POSIX sh: quote removal applies only to the original word): quotes, $ and \\ in a value stay", () => {
    const e = env("alpine:3.20");
    e.env.set("Q", 'say "hi" it\'s $HOME \\n');
    e.env.set("TWO", "a b");
    expect(runShellForm('echo "[$Q]" > /q && echo [$Q] > /u && echo "${NOPE:-$Q}" > /d', e).exitCode).toBe(0);
    expect(e.fs.readText("/q")).toBe('[say "hi" it\'s $HOME \\n]\n');
    // Unquoted: the value is split into fields, its quotes still literal.
    expect(e.fs.readText("/u")).toBe('[say "hi" it\'s $HOME \\n]\n');
    expect(e.fs.readText("/d")).toBe('say "hi" it\'s $HOME \\n\n');
    runShellForm("mkdir /f && cd /f && touch $TWO", e);
    expect(e.fs.listDir("/f")).toEqual(["a", "b"]);
  });

  it("rm, mv and chmod on image files produce whiteouts and copy-ups in the step's layer", () => {
    const e = env("alpine:3.20");
    runShellForm("rm /etc/alpine-release && mv /etc/hostname /etc/hostname.bak && chmod 600 /etc/passwd", e);
    const ch = e.fs.changes();
    expect(ch.get("/etc/alpine-release")).toEqual({ type: "whiteout" });
    expect(ch.get("/etc/hostname")).toEqual({ type: "whiteout" });
    expect(ch.get("/etc/passwd")).toMatchObject({ mode: 0o600 });
    expect(e.fs.copyUps).toBe(1);
  });

  it("globs expand against the filesystem (rm -rf /var/lib/apt/lists/*)", () => {
    const e = env("debian:bookworm-slim");
    runShellForm("apt-get update", e);
    expect(e.fs.listDir("/var/lib/apt/lists").length).toBeGreaterThan(0);
    runShellForm("rm -rf /var/lib/apt/lists/*", e);
    expect(e.fs.listDir("/var/lib/apt/lists")).toEqual([]);
  });

  it("pip keeps its wheel cache unless --no-cache-dir; requirements files are read", () => {
    const a = env("python:3.12-slim", { "/app/requirements.txt": "flask\nrequests  # http\n" });
    expect(runShellForm("pip install -r /app/requirements.txt", a).exitCode).toBe(0);
    const b = env("python:3.12-slim", { "/app/requirements.txt": "flask\nrequests\n" });
    runShellForm("pip install --no-cache-dir -r /app/requirements.txt", b);
    expect(a.fs.toLayer().size).toBeGreaterThan(b.fs.toLayer().size);
    expect(a.fs.exists("/usr/local/lib/python3.12/site-packages/flask/__init__.py")).toBe(true);
  });

  it("pip into Debian's system Python is refused (PEP 668) unless --break-system-packages", () => {
    const e = env("debian:bookworm-slim");
    runShellForm("apt-get update && apt-get install -y python3 python3-pip", e);
    const r = runShellForm("pip install flask", e);
    expect([r.exitCode, r.output.at(-1)!.line]).toEqual([1, "error: externally-managed-environment"]);
    expect(runShellForm("pip install --break-system-packages flask", e).exitCode).toBe(0);
  });

  it("npm install reads package.json (dev dependencies skipped with --omit=dev); npm ci needs a lockfile", () => {
    const pj = JSON.stringify({ dependencies: { express: "^4" }, devDependencies: { typescript: "^5" } });
    const e = env("node:20-alpine", { "/app/package.json": pj }, "/app");
    expect(runShellForm("npm ci", e).exitCode).toBe(1);
    runShellForm("npm install --omit=dev", e);
    expect([e.fs.exists("/app/node_modules/express/index.js"), e.fs.exists("/app/node_modules/typescript/index.js")]).toEqual([true, false]);
    expect(runShellForm("npm ci", e).exitCode).toBe(0);
  });

  it("compilers produce binaries: go build names the binary after the module; gcc needs its sources", () => {
    const g = env("golang:1.22-alpine", { "/src/go.mod": "module example.com/hello\n", "/src/main.go": "package main\n" }, "/src");
    expect(runShellForm("go build", g).exitCode).toBe(0);
    expect(g.fs.stat("/src/hello")).toMatchObject({ type: "file" });
    const c = env("alpine:3.20");
    runShellForm("apk add --no-cache build-base", c);
    expect(runShellForm("gcc -o /hello /missing.c", c).exitCode).toBe(1);
  });

  it("curl | tar -xz extracts a fetched tarball; tar -C and --strip-components apply", () => {
    const e = env("alpine:3.20");
    runShellForm("apk add --no-cache curl && mkdir -p /opt/tool && curl -fsSL https://example.com/tool-1.0.tar.gz | tar -xz -C /opt/tool --strip-components=1", e);
    expect(e.fs.listDir("/opt/tool").sort()).toEqual(["README", "bin"]);
  });

  it("adduser/useradd append to /etc/passwd; chown resolves names", () => {
    const e = env("debian:bookworm-slim");
    runShellForm("groupadd -g 2000 app && useradd -u 2000 -g app -m app && touch /x && chown app:app /x", e);
    expect(e.fs.readText("/etc/passwd")).toContain("app:x:2000:2000:");
    expect(e.fs.stat("/x")).toMatchObject({ uid: 2000, gid: 2000 });
    expect(e.fs.stat("/home/app")).toMatchObject({ type: "dir", uid: 2000 });
  });

  it("RUN --network=none: fetches fail as the tools report it; apt-get update only warns", () => {
    const e = { ...env("debian:bookworm-slim"), network: "none" as const };
    const up = runShellForm("apt-get update", e);
    expect(up.exitCode).toBe(0);
    expect(runShellForm("apt-get install -y curl", e).exitCode).toBe(100);
    const a = { ...env("alpine:3.20"), network: "none" as const };
    expect(runShellForm("apk add --no-cache curl", a).exitCode).toBe(1);
    const w = runShellForm("wget https://example.com/x", a);
    expect([w.exitCode, w.output.at(-1)!.line]).toEqual([4, "wget: unable to resolve host address 'example.com'"]);
  });

  it("durations are virtual and deterministic: same command, same time", () => {
    const a = runShellForm("apk add --no-cache python3 && sleep 2", env("alpine:3.20"));
    const b = runShellForm("apk add --no-cache python3 && sleep 2", env("alpine:3.20"));
    expect(a.durationUs).toBe(b.durationUs);
    expect(a.durationUs).toBeGreaterThan(2_000_000);
  });
});
