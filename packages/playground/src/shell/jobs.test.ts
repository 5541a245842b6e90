// Background jobs and job control at a host's prompt (`cmd &`, jobs, wait, fg, kill %1). Expected
// texts are bash's: the GNU bash manual, "Job Control Basics" and "Job Control Builtins", and
// bash's jobs.c (pretty_print_job, print_pipeline: `[%d]%c `, the state padded to
// LONGEST_SIGNAL_DESC = 24 from jobs.h, ` &` while it runs) and execute_cmd.c (`[1] 4243` on stderr).
import { describe, expect, it } from "vitest";
import { createPlayground, Playground } from "../playground.js";
import { parseLine } from "./parser.js";
import { jobLine } from "./jobs.js";

const on = { on: "node1" };
const fresh = () => createPlayground({ seed: 1, nodes: ["node1"] });
const jobOutput = (pg: Playground) => pg.host("node1").jobOutput ?? "";

describe("the parser keeps a background list's text (what `jobs` shows)", () => {
  it("`sleep 5 & echo after` is a background item `sleep 5` then a plain one", () => {
    const r = parseLine("sleep 5 & echo after");
    if (!r.ok) throw new Error(r.error);
    expect(r.program.items.map((i) => [i.background, i.source])).toEqual([[true, "sleep 5"], [false, undefined]]);
    const p = parseLine("cd /tmp && (echo hi; sleep 1) | cat  &\n");
    expect(p.ok && p.program.items[0]!.source).toBe("cd /tmp && (echo hi; sleep 1) | cat");
  });
});

describe("a job's line in `jobs` (bash jobs.c print_pipeline)", () => {
  it("pads the state to 24 columns; -l puts the PID (%5ld) before it; a running job ends in ` &`", () => {
    const table = [{ id: 1, pid: 4243, command: "sleep 5", status: null }, { id: 2, pid: 4244, command: "ls /nope", status: 2 }];
    expect(jobLine(table, table[0]!)).toBe("[1]-  Running                 sleep 5 &\n");
    expect(jobLine(table, table[1]!)).toBe("[2]+  Exit 2                  ls /nope\n");
    expect(jobLine(table, table[0]!, true)).toBe("[1]-  4243 Running                 sleep 5 &\n");
    const killed = [{ ...table[0]!, status: 143, signal: "Terminated" }];
    expect(jobLine(killed, killed[0]!)).toBe("[1]+  Terminated              sleep 5\n");
  });
});

describe("cmd & runs in the background (QA 2026-12-01 D3)", () => {
  it("sleep 5 & echo after; jobs; wait; jobs: `[1] PID`, `after` at once, the job Running, wait takes its 5 s, then no job is left", () => {
    const pg = fresh();
    const t0 = pg.now;
    expect(pg.exec("sleep 5 & echo after; jobs", on)).toEqual({ exitCode: 0, stdout: "after\n[1]+  Running                 sleep 5 &\n", stderr: "[1] 4243\n" });
    expect(pg.now).toBe(t0);
    // bash's wait with no operand waits for every job, returns 0 and forgets them (jobs.c wait_for_background_pids).
    expect(pg.exec("wait; echo $?; jobs", on)).toEqual({ exitCode: 0, stdout: "0\n", stderr: "" });
    expect(pg.now).toBe(t0 + 5_000_000);
    expect(pg.exec("sleep 5 & echo after; jobs; wait; jobs", on).stdout).toBe("after\n[1]+  Running                 sleep 5 &\n");
    expect(jobOutput(pg)).toBe("");
  });

  it("a job that ended is reported before the next prompt, once: Done, Exit N; `$!` is its PID", () => {
    const pg = fresh();
    expect(pg.exec("sleep 3 &", on).stderr).toBe("[1] 4243\n");
    expect(pg.exec("echo $!; jobs -l; jobs -p", on).stdout).toBe("4243\n[1]+  4243 Running                 sleep 3 &\n4243\n");
    pg.exec("sleep 4", on);
    expect(jobOutput(pg)).toBe("[1]+  Done                    sleep 3\n");
    pg.exec("ls /nope &", on);
    pg.exec("true", on);
    expect(jobOutput(pg)).toBe("[1]+  Done                    sleep 3\nls: cannot access '/nope': No such file or directory\n[1]+  Exit 2                  ls /nope\n");
    expect(pg.exec("jobs", on).stdout).toBe("");
  });

  it("what a job prints reaches the terminal as it is printed, between the lines typed meanwhile", () => {
    const pg = fresh();
    pg.exec("(echo hi; sleep 1; echo there) &", on);
    expect(jobOutput(pg)).toBe("hi\n");
    pg.exec("sleep 2", on);
    expect(jobOutput(pg)).toBe("hi\nthere\n[1]+  Done                    (echo hi; sleep 1; echo there)\n");
  });

  it("two jobs are %- and %+; kill %1 ends one (Terminated, status 143), wait %2 returns the other's status", () => {
    const pg = fresh();
    expect(pg.exec("sleep 100 & (sleep 2; exit 3) & jobs", on).stdout).toBe("[1]-  Running                 sleep 100 &\n[2]+  Running                 (sleep 2; exit 3) &\n");
    expect(pg.exec("kill %1", on)).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(jobOutput(pg)).toBe("[1]-  Terminated              sleep 100\n");
    expect(pg.exec("wait %2; echo $?", on).stdout).toBe("3\n");
    expect(pg.exec("sleep 100 & kill -9 $!; wait $!; echo $?", on).stdout).toBe("137\n");
    expect(pg.exec("kill %7", on)).toEqual({ exitCode: 1, stdout: "", stderr: "bash: kill: %7: no such job\n" });
    expect(pg.exec("wait %7", on)).toEqual({ exitCode: 127, stdout: "", stderr: "bash: wait: %7: no such job\n" });
    expect(pg.exec("fg", on)).toEqual({ exitCode: 1, stdout: "", stderr: "bash: fg: current: no such job\n" });
  });

  it("fg brings a job to the foreground: its command is printed, the line waits for it; Ctrl-C there ends it", () => {
    const pg = fresh();
    pg.exec("sleep 2 &", on);
    const t0 = pg.now;
    expect(pg.exec("fg %1", on)).toEqual({ exitCode: 0, stdout: "sleep 2\n", stderr: "" });
    expect(pg.now).toBe(t0 + 2_000_000);
    pg.exec("sleep 50 &", on);
    pg.begin("fg", on);
    pg.advance("1s");
    expect(pg.busy("node1")).toBe(true);
    pg.interrupt("node1");
    expect(pg.exec("echo $?; jobs", on).stdout).toBe("130\n");
  });

  it("Ctrl-C at `wait` stops the wait, not the job", () => {
    const pg = fresh();
    pg.exec("sleep 50 &", on);
    pg.begin("wait", on);
    pg.advance("1s");
    pg.interrupt("node1");
    expect(pg.exec("jobs", on).stdout).toBe("[1]+  Running                 sleep 50 &\n");
  });

  it("ping HOST & prints its replies while the prompt is free", () => {
    const pg = fresh();
    pg.exec("ping -c 2 127.0.0.1 &", on);
    pg.exec("sleep 3", on);
    expect(jobOutput(pg)).toMatch(/^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n64 bytes from 127\.0\.0\.1: icmp_seq=1 .*\n64 bytes from 127\.0\.0\.1: icmp_seq=2 [\s\S]*2 packets transmitted, 2 received, 0% packet loss[\s\S]*\n\[1\]\+  Done                    ping -c 2 127\.0\.0\.1\n$/);
  });

  it("docker run (attached) & and docker logs -f & follow their container in the background", () => {
    const pg = fresh();
    pg.exec("docker pull alpine", on);
    pg.exec("docker run --name talker alpine sh -c 'echo one; sleep 2; echo two' &", on);
    pg.exec("sleep 1", on);
    expect(jobOutput(pg)).toBe("one\n");
    pg.exec("sleep 2", on);
    expect(jobOutput(pg)).toBe("one\ntwo\n[1]+  Done                    docker run --name talker alpine sh -c 'echo one; sleep 2; echo two'\n");
    pg.exec("docker run -d --name ticker alpine sh -c 'for i in 1 2 3; do echo tick $i; sleep 1; done'", on);
    const before = jobOutput(pg).length;
    pg.exec("docker logs -f ticker &", on);
    pg.exec("sleep 4", on);
    expect(jobOutput(pg).slice(before)).toBe("tick 1\ntick 2\ntick 3\n[1]+  Done                    docker logs -f ticker\n");
  });

  it("a session with background jobs replays to the same trace hash and world; a seek mid-job too", () => {
    const pg = createPlayground({ seed: 5, nodes: ["node1"] });
    pg.exec("sleep 4 & (sleep 1; echo hi > /tmp/f) & jobs", on);
    const mid = pg.now + 2_000_000;
    pg.exec("sleep 3; cat /tmp/f; jobs", on);
    pg.exec("sleep 9 & kill %1", on);
    const again = Playground.fromSession(pg.exportSession());
    expect(again.traceHash()).toBe(pg.traceHash());
    expect(again.worldHash()).toBe(pg.worldHash());
    expect(again.host("node1").jobOutput).toBe(jobOutput(pg));
    const fresh2 = Playground.fromSession(pg.exportSession(), mid);
    pg.seek(mid);
    expect(pg.traceHash()).toBe(fresh2.traceHash());
    expect(pg.host("node1").jobs).toEqual(fresh2.host("node1").jobs);
  });
});

describe("kubectl port-forward & keeps its listener while the prompt is free", () => {
  it("kubectl port-forward svc/web 8080:80 &, then curl -s localhost:8080 | head -1 reaches nginx; after kill %1 it is refused", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: ["control-plane", "node-1"] } });
    const k = (line: string) => pg.exec(line, { on: "control-plane" });
    k("kubectl create deployment web --image=nginx:1.27 --port=80");
    k("kubectl expose deployment web --port=80");
    k("sleep 5");
    expect(k("kubectl port-forward svc/web 8080:80 &")).toEqual({ exitCode: 0, stdout: "", stderr: "[1] 4243\n" });
    expect(k("curl -s localhost:8080 | head -1")).toEqual({ exitCode: 0, stdout: "<!DOCTYPE html>\n", stderr: "" });
    expect(pg.host("control-plane").jobOutput).toBe("Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n");
    expect(k("jobs").stdout).toBe("[1]+  Running                 kubectl port-forward svc/web 8080:80 &\n");
    k("kill %1");
    expect(k("curl -sS localhost:8080")).toEqual({ exitCode: 7, stdout: "", stderr: expect.stringContaining("Failed to connect to localhost port 8080") });
  });
});

describe("a background job that reads the terminal is stopped (SIGTTIN: GNU bash manual, Job Control Basics)", () => {
  it("docker run -it alpine sh & and docker login &: `Stopped` at the next prompt and in jobs (no ` &`); wait does not wait for them; kill %1 ends one", () => {
    const pg = fresh();
    pg.exec("docker pull alpine", on);
    pg.exec("docker run -it --name box alpine sh &", on);
    expect(pg.host("node1").attachment).toBeNull();
    expect(pg.exec("echo hi", on).stdout).toBe("hi\n");
    expect(jobOutput(pg)).toBe("[1]+  Stopped                 docker run -it --name box alpine sh\n");
    // The container it started runs on.
    expect(pg.exec("docker ps --format '{{.Names}} {{.Status}}'", on).stdout).toMatch(/^box Up/);
    pg.exec("docker login -u jdoe localhost:5000 &", on);
    expect(pg.exec("jobs; wait; echo $?", on).stdout).toBe("[1]-  Stopped                 docker run -it --name box alpine sh\n[2]+  Stopped                 docker login -u jdoe localhost:5000\n0\n");
    expect(pg.exec("fg %2", on)).toEqual({ exitCode: 1, stdout: "", stderr: "drydock: fg: resuming a stopped job is not simulated (kill %2 ends it)\n" });
    expect(pg.exec("kill %1; jobs", on).stdout).toBe("[1]-  Terminated              docker run -it --name box alpine sh\n[2]+  Stopped                 docker login -u jdoe localhost:5000\n");
  });
});

describe("docker run --rm &: the container's last output is shown before it is removed", () => {
  it("prints both lines and Done", () => {
    const pg = fresh();
    pg.exec("docker pull alpine", on);
    pg.exec("docker run --rm alpine sh -c 'echo a; sleep 1; echo b' &", on);
    pg.exec("sleep 2", on);
    expect(jobOutput(pg)).toBe("a\nb\n[1]+  Done                    docker run --rm alpine sh -c 'echo a; sleep 1; echo b'\n");
  });
});
