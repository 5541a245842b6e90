import { describe, expect, it } from "vitest";
import { createPlayground, Playground } from "./playground.js";

const HELLO = `cat > Dockerfile <<EOF
FROM alpine:3.5
RUN apk add --no-cache curl
COPY hello.sh /hello.sh
CMD ["sh", "/hello.sh"]
EOF`;

function project(pg: Playground): void {
  expect(pg.exec("mkdir -p ~/hello && cd ~/hello").exitCode).toBe(0);
  expect(pg.exec(HELLO).exitCode).toBe(0);
  expect(pg.exec("echo 'echo hello' > hello.sh").exitCode).toBe(0);
}

describe("createPlayground: one world of hosts on the kernel", () => {
  it("names hosts node1.. and gives each a shell whose cwd, variables and $? carry across lines", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.nodes).toEqual(["node1"]);
    expect(pg.exec("pwd").stdout).toBe("/root\n");
    pg.exec("mkdir work; cd work; X=42");
    expect(pg.exec("pwd").stdout).toBe("/root/work\n");
    expect(pg.exec("echo $X").stdout).toBe("42\n");
    pg.exec("false");
    expect(pg.exec("echo $?").stdout).toBe("1\n");
  });

  it("a heredoc writes the Dockerfile, and docker build reads the context from the host's current directory", () => {
    const pg = createPlayground();
    project(pg);
    expect(pg.readFile("node1", "/root/hello/Dockerfile")).toContain("FROM alpine:3.5\n");
    const t0 = pg.now;
    const b = pg.exec("docker build -t hello .");
    expect(b.exitCode).toBe(0);
    expect(b.stderr).toMatch(/naming to docker.io\/library\/hello:latest/);
    // The build took virtual time (a pull of the base and a RUN), and its steps are traced.
    expect(pg.now).toBeGreaterThan(t0);
    expect(pg.trace.some((r) => r.type === "state" && (r.data as { event?: string }).event === "build.step")).toBe(true);
    expect(pg.exec("docker images --format '{{.Repository}}:{{.Tag}}'").stdout).toContain("hello:latest");
  });

  it("a rebuild is served from the cache and takes less virtual time", () => {
    const pg = createPlayground();
    project(pg);
    let t = pg.now;
    pg.exec("docker build -t hello .");
    const cold = pg.now - t;
    t = pg.now;
    const warm = pg.exec("docker build -t hello .");
    expect(warm.stderr).toContain("CACHED");
    expect(pg.now - t).toBeLessThan(cold);
  });

  it("pipes, $(...) and && reach docker: docker images -q | wc -l, docker rmi $(docker images -q)", () => {
    const pg = createPlayground();
    pg.exec("docker pull alpine:3.5 && docker pull busybox");
    expect(pg.exec("docker images -q | wc -l").stdout.trim()).toBe("2");
    const r = pg.exec("docker rmi $(docker images -q)");
    expect(r.exitCode).toBe(0);
    expect(pg.exec("docker images -q").stdout).toBe("");
  });

  it("a failed command leaves the world exactly as it was", () => {
    const pg = createPlayground();
    project(pg);
    const before = pg.worldHash();
    for (const line of ["docker build -t x /nonexistent", "docker rmi nosuch", "docker tag nosuch x", "docker images --filter foo=bar", "docker frobnicate", "cat nosuch"]) {
      const r = pg.exec(line);
      expect(r.exitCode, line).not.toBe(0);
      expect(pg.worldHash(), line).toBe(before);
    }
  });

  it("never a stack trace: commands named like Object.prototype members are unknown commands", () => {
    const pg = createPlayground();
    for (const line of ["docker constructor", "docker toString", "docker __proto__", "constructor", "docker image constructor"]) {
      const r = pg.exec(line);
      expect(r.exitCode, line).toBeGreaterThan(0);
      expect(r.stderr, line).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(pg.exec("docker constructor").stderr).toBe("docker: unknown command: docker constructor\n\nRun 'docker --help' for more information\n");
  });

  it("commands drydock does not simulate yet say so and never claim Docker lacks them", () => {
    const pg = createPlayground();
    const r = pg.exec("docker container update --memory 64m web");
    expect(r).toEqual({ exitCode: 1, stdout: "", stderr: "drydock does not simulate `docker container update` yet\n" });
  });

  it("a crashed host loses its running line and its shell, keeps its disk; exec on it is refused", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    project(pg);
    pg.exec("docker pull alpine:3.5");
    pg.begin("docker build -t hello .");
    pg.advance("100ms");
    pg.crash("node1");
    expect(pg.busy("node1")).toBe(false);
    expect(pg.exec("ls", { on: "node1" }).exitCode).toBe(255);
    pg.restart("node1");
    expect(pg.exec("pwd").stdout).toBe("/root\n");
    expect(pg.readFile("node1", "/root/hello/hello.sh")).toBe("echo hello\n");
    expect(pg.exec("docker images -q").stdout.trim().split("\n")).toHaveLength(1); // alpine, not hello
  });

  it("interrupt (Ctrl-C) stops a running build; nothing it had not finished is applied", () => {
    const pg = createPlayground();
    project(pg);
    pg.begin("docker build -t hello .");
    pg.advance("50ms");
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.exec("echo $?").stdout).toBe("130\n");
    expect(pg.exec("docker images -q hello").stdout).toBe("");
  });

  it("a session (seed, action log) replays to the same trace hash and world", () => {
    const pg = createPlayground({ seed: 7, nodes: ["node1", "node2"] });
    project(pg);
    pg.exec("docker build -t hello .");
    pg.exec("docker pull busybox", { on: "node2" });
    pg.exec("sleep 2");
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
    expect(again.worldHash()).toBe(pg.worldHash());
  });

  it("seek(t) gives the world a fresh run has at t, mid-build included", () => {
    const pg = createPlayground({ seed: 3 });
    project(pg);
    pg.exec("docker build -t hello .");
    const end = pg.now;
    const mid = Math.floor(end / 2);
    pg.exec("docker tag hello hello:2");
    const fresh = Playground.fromSession(pg.exportSession(), mid);
    pg.seek(mid);
    expect(pg.worldHash()).toBe(fresh.worldHash());
    expect(pg.traceHash()).toBe(fresh.traceHash());
  });

  it("a seek replays little of a long session: 300 s of lines keep a snapshot every second (the kernel's 256 would thin to 2 s)", () => {
    const pg = createPlayground({ seed: 3 });
    for (let i = 0; i < 300; i++) pg.exec("sleep 1");
    const h = pg.sim.history();
    expect(h.snapshotEveryUs).toBe(1_000_000);
    expect(h.snapshots).toBeGreaterThan(256);
    const fresh = Playground.fromSession(pg.exportSession(), 123_456_789);
    pg.seek(123_456_789);
    expect(pg.traceHash()).toBe(fresh.traceHash());
    expect(pg.worldHash()).toBe(fresh.worldHash());
  });

  it("a registry started at the prompt takes a push, and another host pulls from it", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    project(pg);
    pg.exec("docker build -t hello .");
    expect(pg.exec("drydock registry start").exitCode).toBe(0);
    pg.exec("docker tag hello localhost:5000/hello");
    const push = pg.exec("docker push localhost:5000/hello");
    expect(push.exitCode).toBe(0);
    expect(push.stdout).toMatch(/latest: digest: sha256:[0-9a-f]{64} size: \d+/);
    expect(pg.exec("docker pull localhost:5000/hello", { on: "node2" }).exitCode).toBe(0);
  });

  it("writeFile makes missing parents; readFile of a missing file is undefined", () => {
    const pg = createPlayground();
    pg.writeFile("node1", "/srv/app/Dockerfile", "FROM alpine\n");
    expect(pg.exec("cat /srv/app/Dockerfile").stdout).toBe("FROM alpine\n");
    expect(pg.readFile("node1", "/nope")).toBeUndefined();
  });

  it("bad host names are refused before anything is created", () => {
    expect(() => createPlayground({ nodes: ["Node 1"] })).toThrow(/invalid host name/);
    expect(() => createPlayground({ nodes: [] })).toThrow(/at least one host/);
    expect(createPlayground().exec("ls", { on: "nosuch" })).toMatchObject({ exitCode: 255 });
  });

  it("a kubernetes world's control planes are 1…the number of nodes (the first nodes run etcd and the apiserver)", () => {
    const nodes = ["node1", "node2", "node3"];
    for (const controlPlanes of [0, 4, 1.5]) {
      expect(() => createPlayground({ kubernetes: { nodes, controlPlanes } })).toThrow(/control planes must be 1…3/);
    }
    expect(createPlayground({ kubernetes: { nodes, controlPlanes: 3 } }).nodes).toEqual(nodes);
  });
});

describe("a terminal sees a line's output as it comes", () => {
  it("a build's steps appear as virtual time passes, and the pieces join to what the line prints", () => {
    const pg = createPlayground();
    project(pg);
    const fresh = createPlayground();
    project(fresh);
    const whole = fresh.exec("echo start; docker build -t hello .; echo end");
    expect(pg.begin("echo start; docker build -t hello .; echo end")).toBeNull();
    // What the line printed before its build started is there at once.
    const seen: string[] = [pg.output()];
    let shown = seen[0]!.length;
    while (pg.busy()) {
      pg.sim.step();
      const text = pg.output();
      expect(text.length).toBeGreaterThanOrEqual(shown); // it only grows
      if (text.length > shown) seen.push(text.slice(shown));
      shown = text.length;
    }
    const rest = pg.output().slice(shown);
    expect([...seen, rest].join("")).toBe(whole.stdout.replace("end\n", "") + whole.stderr + "end\n");
    expect(seen[0]).toBe("start\n");
    expect(seen.length).toBeGreaterThan(3); // the build came in several pieces
    expect(seen.some((s) => s.includes("[2/3] RUN apk add"))).toBe(true);
  });

  it("output that goes to a pipe is not streamed: the terminal sees only what reaches it", () => {
    const pg = createPlayground();
    project(pg);
    pg.begin("docker build -t hello . 2>&1 | tail -1");
    while (pg.busy()) {
      pg.sim.step();
      if (pg.busy()) expect(pg.output()).toBe("");
    }
    expect(pg.output()).toMatch(/^#\d+ DONE 0\.\d+s\n$/);
  });
});
