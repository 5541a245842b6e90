// The runner: auto mode reports failing checks; typed mode answers a wrong line as Docker does and
// waits on the same step; seeking back to a step's start restores the world there.
import { describe, expect, it } from "vitest";
import { parseLab } from "./format.js";
import { LabSession, runLab } from "./runner.js";

const LAB = parseLab(`title: Web
module: Containers
steps:
  - run: docker run -d --name web nginx
    caption: Start a web server in the background.
    checks:
      - container: { name: web, state: running, image: nginx }
        hint: Run nginx detached, named web.
  - run: docker stop web
    caption: Stop it.
    checks:
      - container: { name: web, state: exited }
        hint: docker stop web.
      - exit: 0
        hint: The command should succeed.
  - run: docker rm web
    caption: Remove it.
    checks:
      - container: { name: web, exists: false }
        hint: docker rm web.
`, "labs/web.yaml");

describe("runLab in auto mode", () => {
  it("types every step and every check holds", () => {
    const run = runLab(LAB, { mode: "auto" });
    expect(run.passed).toBe(true);
    expect(run.results.map((r) => [r.line, r.exitCode, r.checks.map((c) => [c.ok, c.message])])).toEqual([
      ["docker run -d --name web nginx", 0, [[true, "container web is running, from nginx"]]],
      ["docker stop web", 0, [[true, "container web is exited"], [true, "the command exits with status 0"]]],
      ["docker rm web", 0, [[true, "there is no container named web"]]],
    ]);
  });

  it("reports a check that does not hold, with what it found", () => {
    const lab = parseLab(`title: T
module: M
steps:
  - run: docker run -d --name web alpine
    caption: alpine's default command is a shell with no terminal; it exits at once.
    checks:
      - container: { name: web, state: running, image: nginx }
        hint: h
      - exit: 1
        hint: h2
      - image: { ref: "nginx:latest" }
        hint: h3
      - volume: { name: data }
        hint: h4
      - network: { name: bridge, driver: overlay }
        hint: h5
      - file: { path: /etc/hostname, contains: nothing-like-this }
        hint: h6
      - exec: { run: "docker inspect -f '{{.State.Status}}' web", output: running }
        hint: h7
      - containers: { state: exited, count: 2 }
        hint: h8
`, "labs/t.yaml");
    const run = runLab(lab, { mode: "auto" });
    expect(run.passed).toBe(false);
    expect(run.results[0]!.checks.map((c) => [c.ok, c.message])).toEqual([
      [false, "container web is running, from nginx (it is exited; its image is alpine)"],
      [false, "the command exits with status 1 (it exited with 0)"],
      [false, "an image nginx:latest"],
      [false, "a volume named data"],
      [false, "a network named bridge with the overlay driver (its driver is bridge)"],
      [false, "a file /etc/hostname containing \"nothing-like-this\""],
      [false, "`docker inspect -f '{{.State.Status}}' web` prints \"running\" (it printed \"exited\", status 0)"],
      [false, "2 containers exited (found 1)"],
    ]);
  });

  it("an expect that does not match fails the step", () => {
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - run: echo hello\n    caption: c\n    expect: goodbye\n", "labs/t.yaml");
    const run = runLab(lab, { mode: "auto" });
    expect(run.results[0]).toMatchObject({ output: "hello\n", expectOk: false, passed: false });
  });

  it("keys are pressed while the line runs: Ctrl-C ends a foreground ping and it prints its statistics", () => {
    const lab = parseLab(`title: T\nmodule: M\nsteps:\n  - run: docker run --name pinger alpine ping 8.8.8.8\n    keys: ["2.5s later: Ctrl-C"]\n    caption: c\n    expect: "3 packets transmitted"\n`, "labs/t.yaml");
    const run = runLab(lab, { mode: "auto" });
    expect(run.results[0]!.expectOk).toBe(true);
  });

  it("faults are steps: a crashed host's containers stop, and a restart brings the host back", () => {
    const lab = parseLab(`title: T
module: M
topology: { hosts: [node1, node2] }
steps:
  - run: docker run -d --name web nginx
    on: node2
    caption: c
    checks:
      - container: { name: web, state: running }
        hint: checks look at the step's host by default
      - container: { name: web, exists: false, on: node1 }
        hint: node1 has none
  - crash: node2
    caption: c
  - restart: node2
    caption: c
    checks:
      - container: { name: web, state: running }
        hint: h
`, "labs/t.yaml");
    const run = runLab(lab, { mode: "auto" });
    expect(run.results.map((r) => r.checks.map((c) => [c.ok, c.message]))).toEqual([
      [[true, "container web on node2 is running"], [true, "there is no container named web on node1"]],
      [],
      [[false, "container web on node2 is running (it is exited)"]],
    ]);
  });
});

describe("a LabSession in typed mode", () => {
  it("answers a wrong line as Docker does and waits on the same step; the right one moves on", () => {
    const s = new LabSession(LAB);
    const wrong = s.type("docker run -d --nmae web nginx");
    expect(wrong.passed).toBe(false);
    expect(wrong.exitCode).toBe(125);
    expect(wrong.output).toBe("unknown flag: --nmae\nSee 'docker run --help'.\n");
    expect(wrong.checks[0]).toMatchObject({ ok: false, message: "a container named web (there is none)", check: { hint: "Run nginx detached, named web." } });
    expect(s.current).toBe(0);

    const unnamed = s.type("docker run -d nginx");
    expect(unnamed.passed).toBe(false);
    expect(s.current).toBe(0);

    // The learner's own way to the same world passes too: the checks judge the world, not the text.
    const right = s.type("docker container run --detach --name=web nginx");
    expect(right.passed).toBe(true);
    expect(s.current).toBe(1);
  });

  it("runLab in typed mode takes the learner's lines; Enter alone has the step typed for you", () => {
    const run = runLab(LAB, { mode: "typed", lines: ["docker run -d --nmae web nginx", "docker run -d --name web nginx", "", "docker rm web"] });
    expect(run.results.map((r) => [r.index, r.line, r.passed])).toEqual([
      [0, "docker run -d --nmae web nginx", false],
      [0, "docker run -d --name web nginx", true],
      [1, "docker stop web", true],
      [2, "docker rm web", true],
    ]);
    expect(run.passed).toBe(true);
    expect(runLab(LAB, { mode: "typed", lines: ["docker run -d --name web nginx"] }).passed).toBe(false);
  });

  it("a step whose checks only look at the exit status is done by its own command, not by any command that succeeds", () => {
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - run: mkdir d\n    caption: c\n    checks:\n      - exit: 0\n        hint: h\n", "labs/t.yaml");
    const s = new LabSession(lab);
    expect(s.type("ls").passed).toBe(false);
    expect(s.type("mkdir d").passed).toBe(true);
  });

  it("a learner's line at a fault step runs but does not do the fault", () => {
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - advance: 5s\n    caption: c\n", "labs/t.yaml");
    const s = new LabSession(lab);
    expect(s.type("sleep 5")).toMatchObject({ exitCode: 0, passed: false });
    expect(s.auto().passed).toBe(true);
    expect(s.done).toBe(true);
  });

  it("a step with no checks and no expect is done by its own command (spaces aside)", () => {
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - run: docker images\n    caption: c\n  - run: docker ps\n    caption: c\n", "labs/t.yaml");
    const s = new LabSession(lab);
    expect(s.type("docker ps").passed).toBe(false);
    expect(s.type("docker   images ").passed).toBe(true);
    expect(s.current).toBe(1);
  });

  it("seeking back to a step's start restores the world there, and the step can be done again", () => {
    const s = new LabSession(LAB);
    s.auto();
    const start = s.start(1)!;
    expect(s.pg.worldHash()).toBe(start.worldHash);
    s.type("docker rm -f web");   // a mistake: the container is gone, the step cannot pass now
    expect(s.pg.worldHash()).not.toBe(start.worldHash);
    expect(s.type("docker stop web").passed).toBe(false);
    expect(s.current).toBe(1);

    s.restartStep();
    expect(s.pg.now).toBe(start.at);
    expect(s.pg.worldHash()).toBe(start.worldHash);
    expect(s.type("docker stop web").passed).toBe(true);
    expect(s.auto().passed).toBe(true);
    expect(s.done).toBe(true);
  });

  it("going back to a step that starts with a host down forks the session on a host that is up", () => {
    const lab = parseLab("title: T\nmodule: M\ntopology: { hosts: [node1, node2] }\nsteps:\n  - crash: node1\n    caption: c\n  - restart: node1\n    caption: c\n", "labs/t.yaml");
    const s = new LabSession(lab);
    s.auto();
    s.auto();
    expect(s.pg.exec("true", { on: "node1" }).exitCode).toBe(0);
    s.restartStep(1);
    expect(s.pg.worldHash()).toBe(s.start(1)!.worldHash);
    s.pg.advance(5_000_000);   // the old future (the restart of node1) does not replay
    expect(s.pg.exec("true", { on: "node1" }).exitCode).toBe(255);
    expect(s.auto().passed).toBe(true);
    expect(s.pg.exec("true", { on: "node1" }).exitCode).toBe(0);
  });

  it("seeking back to an earlier step's start restores that world too", () => {
    const s = new LabSession(LAB);
    s.auto();
    s.auto();
    s.restartStep(0);
    expect(s.current).toBe(0);
    expect(s.pg.worldHash()).toBe(s.start(0)!.worldHash);
    expect(s.pg.host().engine.containers.size).toBe(0);
  });

  it("a step whose line fails is not done, even with no expect and no checks (unless it checks the exit status)", () => {
    // `docker image rm` of an unknown image: "Error response from daemon: No such image", exit 1 (docker/cli image/remove.go).
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - run: docker image rm nosuch\n    caption: c\n  - run: docker image rm nosuch\n    caption: c\n    checks:\n      - exit: 1\n        hint: h\n", "labs/t.yaml");
    const run = runLab(lab);
    expect(run.results.map((r) => [r.exitCode, r.commandOk, r.passed])).toEqual([[1, false, false], [1, true, true]]);
    expect(run.passed).toBe(false);
    const s = new LabSession(lab);
    expect(s.type("docker image rm nosuch")).toMatchObject({ exitCode: 1, passed: false });
    expect(s.current).toBe(0);
  });

  it("judge: a line the terminal already ran is judged as type() would, and the lab moves on when it holds", () => {
    const s = new LabSession(LAB);
    const r = s.pg.exec("docker run -d --name web nginx");
    expect(s.judge("docker run -d --name web nginx", { exitCode: r.exitCode, output: r.stdout + r.stderr })).toMatchObject({ passed: true, index: 0 });
    expect(s.current).toBe(1);
    const wrong = s.pg.exec("docker stpo web");
    expect(s.judge("docker stpo web", { exitCode: wrong.exitCode, output: wrong.stderr }).passed).toBe(false);
    expect(s.current).toBe(1);
  });
});
