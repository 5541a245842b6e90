// bash's `time` reserved word (bash(1) "Pipelines": `[time [-p]] [!] command [| command2 ...]`),
// run both through the interpreter and in a world whose commands take virtual time.
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";
import { parseLine } from "./parser.js";
import { lab } from "./testing.test-util.js";

describe("QA #15: `time` is a reserved word of bash's grammar, not a command", () => {
  it("parses `time [-p] [!] pipeline`; `time` as an argument is a plain word", () => {
    const p = parseLine("time -p ! ls | wc -l && time echo x; echo time");
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.program.items[0]!.first).toMatchObject({ time: "posix", negate: true });
    expect(p.program.items[0]!.first.commands).toHaveLength(2);
    expect(p.program.items[0]!.rest[0]!.pipeline.time).toBe("bash");
    expect(p.program.items[1]!.first.time).toBeUndefined();
  });

  it("prints bash's TIMEFORMAT block to stderr after the command's output, keeps its status, and `2>` of the command does not catch it", () => {
    const l = lab();
    const r = l.run("time ls /nope 2>/dev/null");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^\nreal\t0m0\.\d{3}s\nuser\t0m0\.0\d\ds\nsys\t0m0\.0\d\ds\n$/);
    const again = l.run("time echo hi");
    expect(again.stdout).toBe("hi\n");
    expect(l.run("time").stderr).toMatch(/^\nreal\t0m0\.000s\n/);
  });
});

describe("QA #15: `time docker stop web` times the virtual wait", () => {
  it("the 10 s grace of a PID-1 sleep shows as real 0m10.0xxs; user and sys stay near zero", () => {
    const pg = createPlayground();
    pg.exec("docker run -d --name web alpine sleep 1000");
    const r = pg.exec("time docker stop web");
    expect(r.stdout).toBe("web\n");
    expect(r.stderr).toMatch(/^\nreal\t0m10\.\d{3}s\nuser\t0m0\.0\d\ds\nsys\t0m0\.0\d\ds\n$/);
    expect(pg.output()).toMatch(/^web\n\nreal\t0m10\./);
  });

  it("`time -p sleep 2` prints POSIX's format; a minute and more reads 1m5.000s", () => {
    const pg = createPlayground();
    expect(pg.exec("time -p sleep 2").stderr).toMatch(/^real 2\.00\nuser 0\.0\d\nsys 0\.0\d\n$/);
    expect(pg.exec("time sleep 65").stderr).toMatch(/^\nreal\t1m5\.000s\n/);
  });
});
