import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FilterArgs } from "../volumes/filters.js";
import { inspectContainer } from "./inspect.js";
import { listContainers } from "./list.js";
import { statusText } from "./status.js";
import { DEFAULT_PROBE_RETRIES, type HealthConfig } from "./health.js";
import { Host, S, engineWith } from "./testing.test-util.js";

const ALPINE = "alpine:3.5";

/** A running container with this healthcheck (PID 1 sleeps for a day). */
function withCheck(healthcheck: HealthConfig, seed = "health"): { h: Host; id: string } {
  const h = new Host(engineWith(ALPINE), seed);
  const c = h.do((d) => d.create({ image: ALPINE, cmd: ["sleep", "86400"], healthcheck }));
  h.do((d) => d.start(c.id));
  return { h, id: c.id };
}

const healthEvents = (h: Host) => h.events().filter((a) => a.startsWith("health_status"));

describe("healthchecks (moby daemon/health.go)", () => {
  it("the first probe runs an interval after the start (30s by default); until then the status is starting", () => {
    const { h, id } = withCheck({ test: ["CMD", "true"] });
    expect(h.get(id).health?.status).toBe("starting");
    expect(statusText(h.get(id), h.now)).toBe("Up Less than a second (health: starting)");
    h.advance(29 * S);
    expect(h.get(id).health?.log).toEqual([]);
    h.advance(1 * S);
    const health = h.get(id).health!;
    expect(health.status).toBe("healthy");
    expect(health.log).toEqual([{ start: 30 * S, end: 30 * S, exitCode: 0, output: "" }]);
    expect(healthEvents(h)).toEqual(["health_status: healthy"]);
    expect(statusText(h.get(id), h.now)).toBe("Up 30 seconds (healthy)");
  });

  it("a probe runs as an exec: exec_create, exec_start and exec_die with its exit code", () => {
    const { h } = withCheck({ test: ["CMD", "false"], interval: 1 * S });
    h.advance(1 * S);
    expect(h.events().slice(-3)).toEqual(["exec_create: false", "exec_start: false", "exec_die"]);
    const die = h.engine.events.filter((e) => e.action === "exec_die").at(-1)!;
    expect(die.actor.attributes["exitCode"]).toBe("1");
  });

  it("`retries` failures in a row make it unhealthy (default 3); one success clears the streak", () => {
    const { h, id } = withCheck({ test: ["CMD", "false"], interval: 2 * S });
    h.advance(2 * S);
    expect(h.get(id).health).toMatchObject({ status: "starting", failingStreak: 1 });
    h.advance(2 * S);
    expect(h.get(id).health).toMatchObject({ status: "starting", failingStreak: 2 });
    h.advance(2 * S);
    expect(h.get(id).health).toMatchObject({ status: "unhealthy", failingStreak: DEFAULT_PROBE_RETRIES });
    expect(healthEvents(h)).toEqual(["health_status: unhealthy"]);
    expect(statusText(h.get(id), h.now)).toBe("Up 6 seconds (unhealthy)");
    h.advance(2 * S);
    expect(h.get(id).health).toMatchObject({ status: "unhealthy", failingStreak: 4 });
    expect(healthEvents(h)).toEqual(["health_status: unhealthy"]);
  });

  it("retries: 1 makes the first failure unhealthy", () => {
    const { h, id } = withCheck({ test: ["CMD", "false"], interval: 1 * S, retries: 1 });
    h.advance(1 * S);
    expect(h.get(id).health?.status).toBe("unhealthy");
  });

  it("inside the start period failures do not count, and probes come every start interval (5s by default)", () => {
    const { h, id } = withCheck({ test: ["CMD", "false"], interval: 30 * S, startPeriod: 12 * S, retries: 1 });
    h.advance(5 * S);
    expect(h.get(id).health).toMatchObject({ status: "starting", failingStreak: 0 });
    expect(h.get(id).health!.log).toHaveLength(1);
    h.advance(5 * S);
    expect(h.get(id).health).toMatchObject({ status: "starting", failingStreak: 0 });
    expect(h.get(id).health!.log.map((r) => r.start)).toEqual([5 * S, 10 * S]);
    // At 10s the start period (12s) is not over: the next probe is a start interval later, at 15s, and counts.
    h.advance(5 * S);
    expect(h.get(id).health!.log.map((r) => r.start)).toEqual([5 * S, 10 * S, 15 * S]);
    expect(h.get(id).health?.status).toBe("unhealthy");
    // After the start period, the interval.
    h.advance(30 * S);
    expect(h.get(id).health!.log.map((r) => r.start)).toEqual([5 * S, 10 * S, 15 * S, 45 * S]);
  });

  it("a probe that outlives its timeout fails with exit code -1 and moby's text", () => {
    const { h, id } = withCheck({ test: ["CMD", "sleep", "60"], interval: 1 * S, timeout: 2 * S });
    h.advance(1 * S);
    expect(h.get(id).health!.log).toEqual([]);
    h.advance(2 * S);
    expect(h.get(id).health!.log).toEqual([{ start: 1 * S, end: 3 * S, exitCode: -1, output: "Health check exceeded timeout (2s)" }]);
    expect(h.get(id).health!.failingStreak).toBe(1);
    // The interval runs from the end of one probe to the start of the next.
    h.advance(1 * S);
    expect(h.get(id).health!.probe?.start).toBe(4 * S);
  });

  it("a probe that cannot start fails with the runtime's error as its output", () => {
    const { h, id } = withCheck({ test: ["CMD", "curl-nope"], interval: 1 * S });
    h.advance(1 * S);
    const r = h.get(id).health!.log[0]!;
    expect(r.exitCode).toBe(-1);
    expect(r.output).toMatch(/^OCI runtime exec failed: exec failed: unable to start container process: exec: "curl-nope": executable file not found in \$PATH: unknown$/);
  });

  it("CMD-SHELL runs through /bin/sh -c; its output is kept", () => {
    const { h, id } = withCheck({ test: ["CMD-SHELL", "echo ok"], interval: 1 * S });
    h.advance(1 * S);
    expect(h.get(id).health!.log[0]).toMatchObject({ exitCode: 0, output: "ok\n" });
    expect(h.events()).toContain("exec_create: /bin/sh -c echo ok");
  });

  it("the log keeps the last five results", () => {
    const { h, id } = withCheck({ test: ["CMD", "true"], interval: 1 * S });
    h.advance(8 * S);
    expect(h.get(id).health!.log.map((r) => r.start / S)).toEqual([4, 5, 6, 7, 8]);
  });

  it("stopping closes the monitor: unhealthy, no more probes; a new start is starting again with the log kept", () => {
    const { h, id } = withCheck({ test: ["CMD", "true"], interval: 1 * S });
    h.advance(1 * S);
    h.do((d) => d.kill(id));
    expect(h.get(id).health).toMatchObject({ status: "unhealthy", nextProbeAt: null });
    h.advance(10 * S);
    expect(h.get(id).health!.log).toHaveLength(1);
    h.do((d) => d.start(id));
    expect(h.get(id).health).toMatchObject({ status: "starting", failingStreak: 0 });
    expect(h.get(id).health!.log).toHaveLength(1);
  });

  it("pausing closes the monitor (unhealthy, moby CloseMonitorChannel); unpausing opens it again", () => {
    const { h, id } = withCheck({ test: ["CMD", "true"], interval: 1 * S });
    h.advance(1 * S);
    h.do((d) => d.pause(id));
    expect(h.get(id).health?.status).toBe("unhealthy");
    expect(statusText(h.get(id), h.now)).toBe("Up 1 second (Paused)");
    h.advance(5 * S);
    expect(h.get(id).health!.log).toHaveLength(1);
    h.do((d) => d.unpause(id));
    h.advance(1 * S);
    expect(h.get(id).health?.status).toBe("healthy");
    expect(h.get(id).health!.log).toHaveLength(2);
  });

  it("HEALTHCHECK NONE and no healthcheck: no Health in inspect, health=none", () => {
    const { h, id } = withCheck({ test: ["NONE"] });
    h.advance(60 * S);
    expect(h.get(id).health).toBeUndefined();
    const state = (inspectContainer(h.get(id)) as { State: Record<string, unknown> }).State;
    expect(state).not.toHaveProperty("Health");
    expect(listContainers(h.engine, { filters: FilterArgs.parse(["health=none"]) }).map((c) => c.id)).toEqual([id]);
  });

  it("inspect: .State.Health {Status, FailingStreak, Log[{Start, End, ExitCode, Output}]} and .Config.Healthcheck in nanoseconds", () => {
    const { h, id } = withCheck({ test: ["CMD-SHELL", "echo ok"], interval: 1 * S, retries: 2 });
    h.advance(1 * S);
    const obj = inspectContainer(h.get(id)) as { State: Record<string, unknown>; Config: Record<string, unknown> };
    expect(obj.State["Health"]).toEqual({
      Status: "healthy", FailingStreak: 0,
      Log: [{ Start: "2026-01-01T00:00:01Z", End: "2026-01-01T00:00:01Z", ExitCode: 0, Output: "ok\n" }],
    });
    expect(obj.Config["Healthcheck"]).toEqual({ Test: ["CMD-SHELL", "echo ok"], Interval: 1_000_000_000, Retries: 2 });
    expect(Object.keys(obj.Config).indexOf("Healthcheck")).toBe(Object.keys(obj.Config).indexOf("Cmd") + 1);
  });

  it("docker ps --filter health=…, and moby's text for a bad value", () => {
    const { h, id } = withCheck({ test: ["CMD", "true"], interval: 1 * S });
    const ids = (v: string) => listContainers(h.engine, { filters: FilterArgs.parse([`health=${v}`]) }).map((c) => c.id);
    expect(ids("starting")).toEqual([id]);
    h.advance(1 * S);
    expect(ids("starting")).toEqual([]);
    expect(ids("healthy")).toEqual([id]);
    expect(() => ids("sick")).toThrow("invalid filter 'health=sick': invalid value for health (sick): must be one of none, starting, healthy, unhealthy");
  });

  it("create merges the user's settings over the image's and refuses moby's bad values", () => {
    const h = new Host(engineWith(ALPINE));
    expect(() => h.do((d) => d.create({ image: ALPINE, healthcheck: { test: ["CMD", "true"], interval: 500 } }))).toThrow(
      "Interval in Healthcheck cannot be less than 1ms",
    );
    expect(() => h.do((d) => d.create({ image: ALPINE, healthcheck: { test: ["CMD", "true"], retries: -1 } }))).toThrow(
      "Retries in Healthcheck cannot be negative",
    );
    expect(h.engine.containers.size).toBe(0);
  });
});

describe("property: the status changes only on a probe's result, by the retries rule", () => {
  it("for any sequence of probe outcomes", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (outcomes, retries) => {
        let status = "starting";
        let streak = 0;
        const { h, id } = withCheck({ test: ["CMD", "true"], interval: 1 * S, retries });
        for (const ok of outcomes) {
          // Switch the probe for the next one by hand (the config is what the monitor reads).
          const c = h.get(id);
          h.engine = { ...h.engine, containers: new Map(h.engine.containers).set(id, { ...c, config: { ...c.config, healthcheck: { test: ["CMD", ok ? "true" : "false"], interval: 1 * S, retries } } }) };
          const before = h.get(id).health!.status;
          h.advance(1 * S - 1);
          expect(h.get(id).health!.status).toBe(before);
          h.advance(1);
          if (ok) {
            streak = 0;
            status = "healthy";
          } else {
            streak++;
            if (streak >= retries) status = "unhealthy";
          }
          expect(h.get(id).health).toMatchObject({ status, failingStreak: streak });
        }
      }),
      { numRuns: 40 },
    );
  });
});
