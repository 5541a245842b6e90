// CronJobs: robfig/cron v3's ParseStandard and Next (what kube-controller-manager schedules with),
// and the controller of pkg/controller/cronjob/cronjob_controllerv2.go on the fake kubelets.
// Virtual time 0 is 2026-01-01T00:00:00Z, a Thursday (Unix minute 29453760).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CronJob } from "../api/types.js";
import { createKubeCluster, type KubeCluster } from "../cluster/cluster.js";
import { CronError, nextActivation, parseCron, VIRTUAL_EPOCH_UNIX_SECONDS } from "./cron.js";
import { cronJobName } from "./cronjob.js";
import { eventsFor } from "./events.js";
import { controllerOf } from "./writes.js";

const E = VIRTUAL_EPOCH_UNIX_SECONDS;
const next = (spec: string, after: number) => nextActivation(parseCron(spec), after)!;

describe("cron schedules (robfig/cron v3 parser.go, spec.go)", () => {
  it("fields, ranges, steps, lists and names; Next is the first minute strictly after", () => {
    expect(next("*/15 * * * *", E) - E).toBe(15 * 60);
    expect(next("*/15 * * * *", E + 15 * 60) - E).toBe(30 * 60);
    expect(next("30 2 * * *", E) - E).toBe(2 * 3600 + 30 * 60);
    expect(next("0 9-17/4 * * mon-fri", E) - E).toBe(9 * 3600); // Thursday 09:00
    expect(next("0 0 * * SAT,sun", E) - E).toBe(2 * 86_400); // Saturday
    expect(next("0 0 1 FEB *", E) - E).toBe(31 * 86_400);
  });

  it("the descriptors (@hourly … @yearly) and @every", () => {
    expect(next("@hourly", E) - E).toBe(3600);
    expect(next("@daily", E) - E).toBe(86_400);
    expect(next("@midnight", E) - E).toBe(86_400);
    expect(next("@weekly", E) - E).toBe(3 * 86_400); // Sunday
    expect(next("@monthly", E) - E).toBe(31 * 86_400);
    expect(next("@yearly", E) - E).toBe(365 * 86_400);
    expect(next("@annually", E)).toBe(next("@yearly", E));
    expect(next("@every 1h30m", E) - E).toBe(5400);
  });

  it("day-of-month and day-of-week are ORed unless one is * (spec.go dayMatches)", () => {
    // 2026-01-13 is a Tuesday; the 1st of February a Sunday.
    expect(next("0 0 13 * 5", E) - E).toBe(1 * 86_400); // Friday the 2nd comes first
    expect(next("0 0 13 * *", E) - E).toBe(12 * 86_400);
    expect(next("0 0 * * 2", E) - E).toBe(5 * 86_400); // Tuesday the 6th
  });

  it("errors in robfig's words", () => {
    const err = (s: string) => { try { parseCron(s); return null; } catch (e) { expect(e).toBeInstanceOf(CronError); return (e as Error).message; } };
    expect(err("")).toBe("empty spec string");
    expect(err("* * * *")).toBe("expected exactly 5 fields, found 4: [* * * *]");
    expect(err("60 * * * *")).toBe("end of range (60) above maximum (59): 60");
    expect(err("* * 0 * *")).toBe("beginning of range (0) below minimum (1): 0");
    expect(err("5-2 * * * *")).toBe("beginning of range (5) beyond end of range (2): 5-2");
    expect(err("x * * * *")).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(err("*/0 * * * *")).toBe("step of range should be a positive number: */0");
    expect(err("1-2-3 * * * *")).toBe("too many hyphens: 1-2-3");
    expect(err("@fortnightly")).toBe("unrecognized descriptor: @fortnightly");
  });

  it("property: Next is after the time given, on a whole minute, and matches every field", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 23 }), fc.integer({ min: 0, max: 400 * 86_400 }), (m, h, t) => {
      const n = next(`${m} */${h} * * *`, E + t)!;
      const sec = n - E;
      return n > E + t && sec % 60 === 0 && Math.floor(sec / 60) % 60 === m && Math.floor(sec / 3600) % 24 % h === 0 && n - (E + t) <= 86_400 + 3600;
    }));
  });
});

const cron = (name: string, schedule: string, o: { policy?: "Allow" | "Forbid" | "Replace"; args?: string; suspend?: boolean; ok?: number; failed?: number } = {}): CronJob => ({
  apiVersion: "batch/v1", kind: "CronJob", metadata: { name },
  spec: {
    schedule, ...(o.policy ? { concurrencyPolicy: o.policy } : {}), ...(o.suspend !== undefined ? { suspend: o.suspend } : {}),
    ...(o.ok !== undefined ? { successfulJobsHistoryLimit: o.ok } : {}), ...(o.failed !== undefined ? { failedJobsHistoryLimit: o.failed } : {}),
    jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "hello", image: "busybox:1.28", command: ["sh", "-c"], args: [o.args ?? "sleep 3"] }] } } } },
  },
});
const jobsOf = (c: KubeCluster, name: string) => c.store.list("Job").filter((j) => controllerOf(j)?.uid === c.store.get("CronJob", "default", name)!.metadata.uid).map((j) => j.metadata.name).sort();
const MIN = 29_453_760; // Unix minutes at virtual time 0

describe("the CronJob controller", () => {
  it("defaults; a Job each minute named <cronjob>-<Unix minutes>, owned by the CronJob; status.active and lastScheduleTime; 3 successful Jobs kept", () => {
    const c = createKubeCluster({ seed: 1 });
    c.apply(cron("hello", "* * * * *"));
    expect(c.store.get("CronJob", "default", "hello")!.spec).toMatchObject({ concurrencyPolicy: "Allow", suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    c.runFor("61s");
    expect(jobsOf(c, "hello")).toEqual([`hello-${MIN + 1}`]);
    const cj = c.store.get("CronJob", "default", "hello")!;
    expect(cj.status).toMatchObject({ active: [{ kind: "Job", name: `hello-${MIN + 1}` }], lastScheduleTime: 60_000_000 });
    expect(c.store.get("Job", "default", `hello-${MIN + 1}`)!.metadata.annotations).toMatchObject({ "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-01T00:01:00Z" });
    c.runFor("10s");
    expect(c.store.get("CronJob", "default", "hello")!.status!.active).toBeUndefined();
    c.runFor("5m");
    // Jobs at minutes 1..6 ran; the oldest three are deleted (successfulJobsHistoryLimit 3), their pods with them.
    expect(jobsOf(c, "hello")).toEqual([MIN + 4, MIN + 5, MIN + 6].map((m) => `hello-${m}`));
    expect(c.pods().filter((p) => p.metadata.name.startsWith(`hello-${MIN + 1}-`))).toEqual([]);
    const reasons = eventsFor(c.store, c.store.get("CronJob", "default", "hello")!).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons).toContain(`SuccessfulCreate: Created job hello-${MIN + 1}`);
    expect(reasons).toContain(`SawCompletedJob: Saw completed job: hello-${MIN + 1}, condition: Complete`);
    expect(reasons).toContain(`SuccessfulDelete: Deleted job hello-${MIN + 1}`);
  });

  it("concurrencyPolicy: Allow runs Jobs side by side, Forbid skips a time while one runs, Replace deletes the running one", () => {
    const long = "sleep 100";
    const allow = createKubeCluster({ seed: 2 });
    allow.apply(cron("a", "* * * * *", { args: long }));
    allow.runFor("181s");
    expect(allow.store.get("CronJob", "default", "a")!.status!.active).toHaveLength(2);
    const forbid = createKubeCluster({ seed: 2 });
    forbid.apply(cron("f", "* * * * *", { args: long, policy: "Forbid" }));
    forbid.runFor("150s");
    // Minute 1's Job runs to 2:41 or so: at 2:00 nothing starts beside it.
    expect(jobsOf(forbid, "f")).toEqual([`f-${MIN + 1}`]);
    forbid.runFor("31s");
    // Once it is done, the most recent missed time (2:00) runs, late (no startingDeadlineSeconds).
    expect(jobsOf(forbid, "f")).toEqual([`f-${MIN + 1}`, `f-${MIN + 2}`]);
    expect(forbid.store.get("Job", "default", `f-${MIN + 2}`)!.metadata.creationTimestamp!).toBeGreaterThanOrEqual(forbid.store.get("Job", "default", `f-${MIN + 1}`)!.status!.completionTime!);
    const replace = createKubeCluster({ seed: 2 });
    replace.apply(cron("r", "*/2 * * * *", { args: "sleep 200", policy: "Replace" }));
    replace.runFor("241s");
    expect(jobsOf(replace, "r")).toEqual([`r-${MIN + 4}`]);
    expect(eventsFor(replace.store, replace.store.get("CronJob", "default", "r")!).map((e) => e.message)).toContain(`Deleted job r-${MIN + 2}`);
  });

  it("suspend stops new Jobs; a failed Job is kept by failedJobsHistoryLimit (1)", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(cron("s", "* * * * *", { suspend: true }));
    c.runFor("5m");
    expect(jobsOf(c, "s")).toEqual([]);
    expect(c.store.get("CronJob", "default", "s")!.status?.lastScheduleTime).toBeUndefined();
    const f = createKubeCluster({ seed: 3 });
    const bad = cron("bad", "* * * * *", { args: "exit 1" });
    f.apply({ ...bad, spec: { ...bad.spec, jobTemplate: { spec: { ...bad.spec.jobTemplate.spec, backoffLimit: 0, template: { spec: { ...bad.spec.jobTemplate.spec.template.spec, restartPolicy: "Never" } } } } } });
    f.runFor("200s");
    expect(jobsOf(f, "bad")).toEqual([`bad-${MIN + 3}`]);
  });

  it("the API server's validation: the schedule as robfig/cron parses it, TZ in the schedule, the policy, a name past 52 characters", () => {
    const c = createKubeCluster({ seed: 1 });
    const msg = (o: CronJob) => { try { c.apply(o); return null; } catch (e) { return (e as Error).message; } };
    expect(msg(cron("x", "61 * * * *"))).toBe('CronJob.batch "x" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    expect(msg(cron("x", "TZ=UTC 0 * * * *"))).toBe('CronJob.batch "x" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(msg(cron("x", "@hourly", { policy: "Sometimes" as "Allow" }))).toBe('CronJob.batch "x" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"');
    expect(msg(cron("a".repeat(53), "@hourly"))).toContain("metadata.name: Invalid value: \"" + "a".repeat(53) + "\": must be no more than 52 characters");
    expect(c.store.list("CronJob")).toEqual([]);
  });

  it("property: Forbid and Replace never run two Jobs at once; every Job is named for a schedule time at or before its creation; history limits hold", () => {
    fc.assert(fc.property(
      fc.constantFrom("Allow" as const, "Forbid" as const, "Replace" as const), fc.constantFrom("* * * * *", "*/2 * * * *", "*/3 * * * *"),
      fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 1000 }),
      (policy, schedule, secs, ok, seed) => {
        const c = createKubeCluster({ seed });
        c.apply(cron("p", schedule, { policy, args: `sleep ${secs}`, ok }));
        const until = 6 * 60 * 1_000_000;
        while (c.sim.nextEventTime <= until) {
          c.sim.step();
          const uid = c.store.get("CronJob", "default", "p")!.metadata.uid;
          const mine = c.store.list("Job").filter((j) => controllerOf(j)?.uid === uid);
          const running = mine.filter((j) => !j.status?.conditions?.some((x) => x.status === "True"));
          if (policy !== "Allow" && running.length > 1) return false;
          for (const j of mine) {
            const minute = Number(j.metadata.name.slice("p-".length)) - MIN;
            if (!(minute * 60_000_000 <= j.metadata.creationTimestamp!)) return false;
          }
          if (mine.filter((j) => j.status?.conditions?.some((x) => x.type === "Complete" && x.status === "True")).length > ok) return false;
        }
        return true;
      },
    ), { numRuns: 15 });
  });

  it("cronJobName is the scheduled time in minutes since the Unix epoch (utils.go getTimeHashInMinutes)", () => {
    expect(cronJobName(cron("hello", "@hourly"), 3_600_000_000)).toBe(`hello-${MIN + 60}`);
  });
});
