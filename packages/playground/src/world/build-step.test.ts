// A Dockerfile's RUN step is a container (BuildKit: runc over the step's rootfs snapshot, the image
// config's env, user and workdir, `/bin/sh -c` for the shell form), so a line does in a RUN what it
// does in `docker run IMAGE /bin/sh -c LINE`: the same output, exit code and file changes. The
// table runs each line both ways and compares; the rest pins BuildKit's own texts.
import { describe, expect, it } from "vitest";
import { ImageStore, RUN_TOOL_NAMES, RegistryHub, UnionFS } from "@drydock/image";
import { createPlayground, type Playground } from "../playground.js";
import { COREUTILS } from "../shell/coreutils.js";
import { runStepWith } from "./build-step.js";
import { CATALOGUE } from "./programs.js";

const IMAGES = ["alpine:3.19", "ubuntu:22.04", "redis:7", "postgres:16", "python:3.12"];

function world(): Playground {
  const pg = createPlayground({ seed: 11 });
  for (const i of IMAGES) expect(pg.exec(`docker pull -q ${i}`).exitCode).toBe(0);
  return pg;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const lines = (text: string) => text.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");

interface Ran {
  readonly code: number;
  readonly output: readonly string[];
  /** The CHECK line's output in the result (the committed container, or the built image). */
  readonly check: string | null;
}

/**
 * Round-trip times are the network's: a container's ping crosses its bridge, a RUN step's runs in
 * BuildKit's own network namespace. The replies, their count and their order must agree.
 */
const rtt = (line: string) => line.replace(/time=\d+(\.\d+)? ms/, "time=T ms").replace(/= [\d./]+ ms$/, "= T ms");

let serial = 0;

/** `docker run IMAGE /bin/sh -c LINE`: its exit code, its output in order (docker logs of both streams). */
function inContainer(pg: Playground, image: string, line: string, check?: string): Ran {
  const name = `c${serial++}`;
  const r = pg.exec(`docker run --name ${name} ${image} /bin/sh -c ${shq(line)} > /dev/null 2>&1`);
  const output = lines(pg.exec(`docker logs ${name} 2>&1`).stdout).map(rtt);
  let checked: string | null = null;
  // A failed RUN makes no image: the check compares the results of lines that succeed.
  if (check !== undefined && r.exitCode === 0) {
    expect(pg.exec(`docker commit ${name} k${name}`).exitCode).toBe(0);
    checked = pg.exec(`docker run --rm k${name} /bin/sh -c ${shq(check)} 2>&1`).stdout;
  }
  return { code: r.exitCode, output, check: checked };
}

/** The same line as a Dockerfile's RUN: the step's log lines, and the exit code BuildKit reports. */
function inRun(pg: Playground, image: string, line: string, check?: string): Ran {
  const tag = `r${serial++}`;
  pg.writeFile("node1", "/root/ctx/Dockerfile", `FROM ${image}\nRUN ${line}\n`);
  const r = pg.exec(`docker build --no-cache -t ${tag} /root/ctx`);
  const vertex = /^#(\d+) \[2\/2\] RUN /m.exec(r.stderr)?.[1];
  expect(vertex, r.stderr).toBeDefined();
  const output = [...r.stderr.matchAll(new RegExp(`^#${vertex} \\d+\\.\\d{3} (.*)$`, "gm"))].map((m) => rtt(m[1]!.trimEnd())).filter((l) => l !== "");
  const failed = /did not complete successfully: exit code: (\d+)/.exec(r.stderr);
  if (r.exitCode !== 0) expect(failed, r.stderr).not.toBeNull();
  const code = r.exitCode === 0 ? 0 : Number(failed![1]);
  const checked = check !== undefined && code === 0 ? pg.exec(`docker run --rm ${tag} /bin/sh -c ${shq(check)} 2>&1`).stdout : null;
  return { code, output, check: checked };
}

/** [image, line, a line that reads what it changed]. */
const TABLE: readonly (readonly [string, string, string?])[] = [
  ["alpine:3.19", "echo hello; echo oops >&2; true"],
  ["alpine:3.19", "mkdir -p /app/data && echo x > /app/data/f && ls /app/data", "cat /app/data/f; ls /app"],
  ["alpine:3.19", "seq 5 | sort -r | head -n 2 | tr 0-9 a-j"],
  ["alpine:3.19", "grep ^ID= /etc/os-release && wc -l /etc/passwd | cut -d' ' -f1"],
  ["alpine:3.19", "touch /a && rm /a && ls /a"],
  ["alpine:3.19", "cp -r /etc/apk /tmp/apk && mv /tmp/apk /tmp/moved && ls /tmp", "ls /tmp /tmp/moved"],
  ["alpine:3.19", "ln -s /etc/os-release /l && head -n 1 /l", "cat /l | head -n 1"],
  ["alpine:3.19", "rm -rf /etc/apk && ls /etc/apk", "ls /etc"],
  ["alpine:3.19", "nosuchcmd"],
  ["alpine:3.19", "/nosuch/path arg"],
  ["alpine:3.19", "exit 3"],
  ["alpine:3.19", "false"],
  ["alpine:3.19", "cd /nope"],
  ["alpine:3.19", "sleep 1 && echo slept"],
  ["alpine:3.19", "apk add --no-cache figlet && figlet hi", "which figlet"],
  ["alpine:3.19", "apk update && apk add curl", "which curl"],
  ["alpine:3.19", "apk add nosuchpkg"],
  ["alpine:3.19", "figlet hi"],
  ["alpine:3.19", "adduser -D bob && grep bob /etc/passwd", "grep bob /etc/passwd"],
  ["alpine:3.19", "wget -q -O /tmp/page http://example.com/ && ls /tmp", "ls /tmp"],
  ["alpine:3.19", "ping -c 1 127.0.0.1"],
  ["alpine:3.19", "gem install sinatra"],
  ["alpine:3.19", "echo $PATH; echo $HOME; pwd"],
  ["ubuntu:22.04", "echo hi > /x && cat /x", "cat /x"],
  ["ubuntu:22.04", "nosuch"],
  ["ubuntu:22.04", "ping -c 1 example.com"],
  ["ubuntu:22.04", "apt-get update && apt-get install -y figlet && figlet -f standard ok", "which figlet"],
  ["ubuntu:22.04", "apt-get install -y nosuchpkg"],
  ["ubuntu:22.04", "useradd -m alice && ls /home", "ls /home"],
  ["ubuntu:22.04", "mkdir /src && cd /src && echo 'int main(){}' > m.c && ls && pwd"],
  // The engine's programs: clients with no server to reach, an interpreter, a package manager.
  ["redis:7", "redis-cli ping"],
  ["postgres:16", "pg_isready"],
  ["python:3.12", "python3 -c 'print(1)'"],
  ["python:3.12", "pip install flask", "pip list 2>/dev/null | grep -i flask; ls /usr/local/lib"],
  // Every coreutil the container shell has, and every tool the RUN interpreter simulates, once each.
  ...[...COREUTILS.keys()].filter((n) => !["hostname", "date", "uname"].includes(n)).map((n) => ["alpine:3.19", `${n} /etc/os-release`, "head -n 2 /etc/os-release; ls /etc | head -n 3"] as const),
  ...RUN_TOOL_NAMES.map((n) => ["ubuntu:22.04", `${n} --version`] as const),
];

describe("a RUN step is a container (BuildKit runs each RUN with runc over the step's snapshot)", () => {
  const pg = world();
  for (const [image, line, check] of TABLE) {
    it(`${image}: ${line}`, () => {
      const container = inContainer(pg, image, line, check);
      const run = inRun(pg, image, line, check);
      expect(run).toEqual(container);
    });
  }
});

describe("RUN steps in the playground's builds", () => {
  const pg = world();
  const build = (dockerfile: string, tag = `t${serial++}`) => {
    pg.writeFile("node1", "/root/ctx/Dockerfile", dockerfile);
    return pg.exec(`docker build --no-cache -t ${tag} /root/ctx`);
  };

  it("a failed RUN: the program's stderr in the step's log, then BuildKit's error with its exit code (solver/llbsolver/ops/exec.go)", () => {
    const r = build("FROM ubuntu:22.04\nRUN foo\n");
    expect(r.exitCode).toBe(1);
    // dash, Ubuntu's /bin/sh, names itself by its $0 ("/bin/sh") and the line number.
    expect(r.stderr).toMatch(/^#5 0\.120 \/bin\/sh: 1: foo: not found$/m);
    expect(r.stderr).toContain('#5 ERROR: process "/bin/sh -c foo" did not complete successfully: exit code: 127\n');
    expect(r.stderr).toContain(' > [2/2] RUN foo:\n0.120 /bin/sh: 1: foo: not found\n');
    expect(r.stderr.endsWith('ERROR: failed to build: failed to solve: process "/bin/sh -c foo" did not complete successfully: exit code: 127\n')).toBe(true);
    // BusyBox ash (alpine): "$0: name: not found"; the same line in `docker run alpine /bin/sh -c foo`.
    const a = build("FROM alpine:3.19\nRUN foo\n");
    expect(a.stderr).toMatch(/^#5 0\.120 \/bin\/sh: foo: not found$/m);
    expect(pg.exec("docker run --rm alpine:3.19 /bin/sh -c foo").stderr).toBe("/bin/sh: foo: not found\n");
    expect(pg.exec("docker run --rm alpine:3.19 sh -c foo").stderr).toBe("sh: foo: not found\n");
  });

  it("the exec form runs the program itself: runc's error when it is missing (BuildKit logs it, exit code 1)", () => {
    const r = build('FROM alpine:3.19\nRUN ["nosuch", "x"]\n');
    expect(r.stderr).toContain('runc run failed: unable to start container process: error during container init: exec: "nosuch": executable file not found in $PATH');
    expect(r.stderr).toContain('process "nosuch x" did not complete successfully: exit code: 1');
    expect(build('FROM alpine:3.19\nRUN ["/bin/echo", "$HOME"]\n').stderr).toMatch(/^#5 0\.120 \$HOME$/m);
  });

  it("the step's container: BuildKit's hostname, the image's ENV and WORKDIR, the build's ARGs", () => {
    const r = build("FROM alpine:3.19\nENV GREETING=hello\nARG WHO=world\nWORKDIR /srv/app\nRUN hostname; echo $GREETING $WHO; pwd\n");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^#\d+ 0\.120 buildkitsandbox\n#\d+ 0\.120 hello world\n#\d+ 0\.120 \/srv\/app$/m);
  });

  it("what the step writes is its layer: the next step and the image's containers see it; a heredoc goes to the shell", () => {
    const r = build("FROM alpine:3.19\nRUN mkdir /out && printf 'a\\nb\\n' > /out/f && rm /etc/alpine-release\nRUN cat <<EOF > /out/g\nhome is $HOME\nEOF\nRUN wc -l /out/f\n", "layers");
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^#\d+ 0\.120 2 \/out\/f$/m);
    expect(pg.exec("docker run --rm layers cat /out/g").stdout).toBe("home is /root\n");
    expect(pg.exec("docker run --rm layers ls /etc/alpine-release").exitCode).not.toBe(0);
    expect(pg.exec("docker history --format '{{.Size}} {{.CreatedBy}}' layers").stdout).toContain("4B RUN /bin/sh -c mkdir /out");
  });

  it("RUN --network=none: the step has no network, so downloads fail as the tools report it (Dockerfile reference, RUN --network)", () => {
    const r = build("FROM alpine:3.19\nRUN --network=none wget http://example.com/x\n");
    expect(r.stderr).toMatch(/^#5 0\.\d{3} wget: unable to resolve host address 'example\.com'$/m);
    expect(r.stderr).toContain("did not complete successfully: exit code: 4");
    expect(build("FROM alpine:3.19\nRUN --network=none apk add --no-cache curl\n").exitCode).toBe(1);
    expect(build("FROM alpine:3.19\nRUN apk add --no-cache curl\n").exitCode).toBe(0);
  });

  it("a RUN whose program never ends (a server) fails: BuildKit would wait for it forever", () => {
    const r = build("FROM nginx\nRUN nginx -g 'daemon off;'\n");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("does not end by itself (a server or a loop); BuildKit would wait for it forever");
  });

  it("an image with no shell cannot start a shell-form RUN (runc's stat error, exit code 1)", () => {
    const r = build("FROM scratch\nRUN echo hi\n");
    expect(r.stderr).toContain('exec: "/bin/sh": stat /bin/sh: no such file or directory');
    expect(r.stderr).toContain('process "/bin/sh -c echo hi" did not complete successfully: exit code: 1');
  });

  it("a tool keeps the RUN cost table's time: apk's log lines are stamped as the interpreter's (container start 0.120 s first)", () => {
    const r = build("FROM alpine:3.5\nRUN apk add --no-cache figlet\n");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^#\d+ 0\.125 fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v3\.5\/main\/x86_64\/APKINDEX\.tar\.gz$/m);
  });
});

describe("runStepWith: the executor over a step's snapshot", () => {
  const store = new ImageStore();
  new RegistryHub().pull(store, "alpine:3.19");
  const snapshot = () => new UnionFS(store.layersOf(store.require("alpine:3.19")));
  const step = (fs: UnionFS, script: string, uid = 0) => runStepWith(CATALOGUE)({
    form: "shell", argv: ["/bin/sh", "-c", script], env: new Map([["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]]),
    cwd: "/", user: uid === 0 ? "" : String(uid), uid, gid: uid, shell: ["/bin/sh", "-c"], network: "default", fs, now: 0,
  });

  it("new files belong to the step's user (USER); files it changes keep their owner; removals are whiteouts", () => {
    const fs = snapshot();
    const r = step(fs, "mkdir /data && echo x > /data/f && echo y >> /etc/os-release && rm /etc/alpine-release", 1000);
    expect(r.exitCode).toBe(0);
    expect([fs.stat("/data")?.uid, fs.stat("/data/f")?.uid, fs.stat("/etc/os-release")?.uid]).toEqual([1000, 1000, 0]);
    expect(fs.readText("/data/f")).toBe("x\n");
    expect(fs.exists("/etc/alpine-release")).toBe(false);
    expect(fs.changes().get("/etc/alpine-release")?.type).toBe("whiteout");
  });

  it("a step that changes nothing leaves the snapshot clean (no layer), and costs the container's start plus its sleeps", () => {
    const fs = snapshot();
    const r = step(fs, "echo hi; sleep 2");
    expect(fs.isDirty()).toBe(false);
    expect(r.durationUs).toBe(120_000 + 2_000_000);
    expect(r.output).toEqual([{ atUs: 120_000, line: "hi" }]);
  });
});
