import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allProcesses } from "../host/procs.js";
import { oomAfter } from "./daemon.js";
import { memoryUsage } from "./stats.js";
import { Host, S, engineWith } from "./testing.test-util.js";

const ALPINE = "alpine:3.5";
const MB = 1024 * 1024;
const NAMES = ["c0", "c1", "c2", "c3"];
const COMMANDS: readonly (readonly string[])[] = [
  ["sleep", "3"], ["sleep", "1000"], ["ping", "-c", "4", "127.0.0.1"], ["ping", "127.0.0.1"], ["false"], ["tail", "/dev/zero"], ["sha256sum", "/dev/zero"], ["nosuch"],
];

type Op =
  | { op: "create"; name: string; cmd: number; memory: number; restart: "no" | "always" | "on-failure"; pidHost: boolean; init: boolean }
  | { op: "start" | "stop" | "kill" | "pause" | "unpause" | "rm" | "rmf" | "restart" | "sigint"; name: string }
  | { op: "advance"; us: number }
  | { op: "crash" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant("create" as const), name: fc.constantFrom(...NAMES), cmd: fc.nat(COMMANDS.length - 1),
    memory: fc.constantFrom(0, 0, 64 * MB, 300 * MB), restart: fc.constantFrom("no" as const, "always" as const, "on-failure" as const),
    pidHost: fc.boolean(), init: fc.boolean(),
  }),
  fc.record({ op: fc.constantFrom("start" as const, "stop" as const, "kill" as const, "pause" as const, "unpause" as const, "rm" as const, "rmf" as const, "restart" as const, "sigint" as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ op: fc.constant("advance" as const), us: fc.constantFrom(1, 50_000, 150_000, 1 * S, 4 * S, 11 * S) }),
  fc.constant({ op: "crash" as const }),
);

function apply(h: Host, o: Op): void {
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof Error) || !("code" in e)) throw e;
    }
  };
  switch (o.op) {
    case "create":
      return guard(() => h.do((d) => d.create({
        image: ALPINE, name: o.name, cmd: COMMANDS[o.cmd]!, resources: { memory: o.memory }, restartPolicy: { name: o.restart, maximumRetryCount: 0 },
        ...(o.pidHost ? { pidMode: "host" } : {}), init: o.init,
      })));
    case "start": return void h.doKeep((d) => d.start(o.name));
    case "stop": return guard(() => h.do((d) => d.stop(o.name, { timeoutS: 2 })));
    case "restart": return guard(() => h.do((d) => d.restart(o.name, { timeoutS: 1 })));
    case "kill": return guard(() => h.do((d) => d.kill(o.name)));
    case "sigint": return guard(() => h.do((d) => d.kill(o.name, "SIGINT")));
    case "pause": return guard(() => h.do((d) => d.pause(o.name)));
    case "unpause": return guard(() => h.do((d) => d.unpause(o.name)));
    case "rm": return guard(() => h.do((d) => d.remove(o.name)));
    case "rmf": return guard(() => h.do((d) => d.remove(o.name, { force: true })));
    case "advance": return h.advance(o.us);
    case "crash":
      h.do((d) => d.crash());
      h.advance(S);
      h.do((d) => d.boot());
      return;
  }
}

/** The invariants the issue asks for, after every step. */
function check(h: Host): void {
  const procs = allProcesses(h.engine.kernel);
  // No two live processes share a host PID.
  expect(new Set(procs.map((p) => p.pid)).size).toBe(procs.length);
  for (const c of h.engine.containers.values()) {
    const mine = procs.filter((p) => p.container === c.id);
    if (!c.state.running || c.state.restarting) {
      expect(mine).toEqual([]);
      continue;
    }
    // PID 1 inside is some other host PID outside (unless the container shares the host's PID namespace).
    const pid1 = procs.find((p) => p.pid === c.state.pid)!;
    expect(pid1).toBeDefined();
    expect(pid1.pid).not.toBe(1);
    const pidHost = c.namespaces.find((n) => n.kind === "pid")?.owner === "host";
    expect(pid1.nsPid).toBe(pidHost ? pid1.pid : 1);
    // Memory use never exceeds the limit: the OOM killer ends a process that would.
    const limit = c.hostConfig.resources.memory;
    if (limit > 0) {
      expect(memoryUsage(c, h.now)).toBeLessThanOrEqual(limit);
      const oom = c.run && c.run.pausedAt === null ? oomAfter(c.run.plan, limit) : null;
      if (oom !== null) expect(c.run!.origin + oom).toBeGreaterThan(h.now);
    }
  }
}

describe("properties of containers under any sequence of commands", () => {
  it("PID 1 inside, a distinct host PID outside, no shared host PIDs, memory within the limit without an OOM kill", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const h = new Host(engineWith(ALPINE));
        for (const o of ops) {
          apply(h, o);
          check(h);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the same operations give the same engine (determinism)", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
        const a = new Host(engineWith(ALPINE), "same");
        const b = new Host(engineWith(ALPINE), "same");
        for (const o of ops) {
          apply(a, o);
          apply(b, o);
        }
        expect([...a.engine.containers.values()].map((c) => [c.id, c.name, c.state])).toEqual([...b.engine.containers.values()].map((c) => [c.id, c.name, c.state]));
        expect(a.engine.events).toEqual(b.engine.events);
      }),
      { numRuns: 50 },
    );
  });
});
