// Healthchecks as moby runs them (daemon/health.go, container/health.go), in virtual time. A
// container whose config has a CMD or CMD-SHELL test gets a monitor when it starts: status
// "starting", the first probe after the interval (the start interval while it is starting inside
// its start period), each next one an interval after the last ended. A probe is the test run as an
// exec in the container: its plan (from the program catalogue) says its exit code, output and how
// long it takes; a probe longer than the timeout fails with exit code -1. Exit code 0 makes the
// container healthy and clears the failing streak; any other adds one to the streak (not while it
// is still starting inside its start period), and `retries` failures in a row make it unhealthy.
// Stopping or pausing closes the monitor, which leaves the status "unhealthy" (moby's
// CloseMonitorChannel, "for compatibility reasons"). Only a probe's result changes the status
// while the monitor runs, and each change is a `health_status: <status>` event.
import { DrydockError, formatDuration as goDuration, type Micros } from "@drydock/kernel";
import { sha256Digest, type HealthConfig } from "@drydock/image";
import { rfc3339Nano } from "../util/det.js";
import type { StartFailure } from "../programs/program.js";
import type { Plan, ProcessSpec } from "../programs/types.js";
import type { Container } from "./types.js";

export type { HealthConfig };

/** moby api/types/container HealthStatus; "none" is only a filter's and a summary's word. */
export type HealthStatus = "starting" | "healthy" | "unhealthy";

export const HEALTH_STATUSES = ["none", "starting", "healthy", "unhealthy"] as const;

/** One probe's result (moby HealthcheckResult). */
export interface HealthResult {
  readonly start: Micros;
  readonly end: Micros;
  /** 0 healthy, 1 unhealthy, -1 the probe could not run or ran out of time. */
  readonly exitCode: number;
  readonly output: string;
}

/** A container's health (moby container.Health) and its monitor's schedule. */
export interface Health {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  /** The last five results, oldest first. */
  readonly log: readonly HealthResult[];
  /** When the next probe starts (null: no monitor, the container is stopped or paused). */
  readonly nextProbeAt: Micros | null;
  /** A probe that started and whose result lands at its `end`. */
  readonly probe: (HealthResult & { readonly execId: string; readonly command: string; readonly ran: boolean }) | null;
}

const MS = 1_000;
const SECOND = 1_000_000;
/** moby daemon/health.go's defaults and limits. */
export const DEFAULT_PROBE_INTERVAL_US = 30 * SECOND;
export const DEFAULT_PROBE_TIMEOUT_US = 30 * SECOND;
export const DEFAULT_START_INTERVAL_US = 5 * SECOND;
export const DEFAULT_PROBE_RETRIES = 3;
const MAX_LOG_ENTRIES = 5;
const MAX_OUTPUT_LEN = 4096;
/** api/types/container MinimumDuration. */
const MINIMUM_DURATION_US = 1 * MS;

/** The test's kind: a probe to run, or none (no healthcheck, NONE, an unknown type). */
export function probeCommand(hc: HealthConfig | null | undefined): readonly string[] | null {
  if (!hc || hc.test.length === 0) return null;
  const [kind, ...rest] = hc.test;
  if (kind === "CMD") return rest;
  if (kind === "CMD-SHELL") return ["/bin/sh", "-c", ...rest];
  return null;
}

/** moby daemon/commit.go merge(): the user's healthcheck, its unset fields taken from the image's. */
export function mergeHealthcheck(user: HealthConfig | undefined, image: HealthConfig | null): HealthConfig | null {
  if (user === undefined) return image;
  if (image === null) return user;
  const pick = <K extends keyof HealthConfig>(k: K) => (user[k] ? { [k]: user[k] } : image[k] ? { [k]: image[k] } : {});
  return {
    test: user.test.length > 0 ? user.test : image.test,
    ...pick("interval"), ...pick("timeout"), ...pick("startPeriod"), ...pick("startInterval"), ...pick("retries"),
  };
}

/** moby daemon/container.go validateHealthCheck, with its texts. */
export function validateHealthcheck(hc: HealthConfig | null | undefined): void {
  if (!hc) return;
  const short = (v: Micros | undefined) => v !== undefined && v !== 0 && v < MINIMUM_DURATION_US;
  const bad = (what: string) => new DrydockError("EINVAL", `${what} in Healthcheck cannot be less than ${goDuration(MINIMUM_DURATION_US)}`);
  if (short(hc.interval)) throw bad("Interval");
  if (short(hc.timeout)) throw bad("Timeout");
  if ((hc.retries ?? 0) < 0) throw new DrydockError("EINVAL", "Retries in Healthcheck cannot be negative");
  if (short(hc.startPeriod)) throw bad("StartPeriod");
  if (short(hc.startInterval)) throw bad("StartInterval");
}

const or = (v: Micros | undefined, d: Micros): Micros => (v ? v : d);

/** monitor's getInterval: the start interval while starting inside the start period, else the interval. */
function intervalAt(c: Container, status: HealthStatus, now: Micros): Micros {
  const hc = c.config.healthcheck!;
  const started = c.state.startedAt ?? now;
  if (now - started >= or(hc.startPeriod, 0)) return or(hc.interval, DEFAULT_PROBE_INTERVAL_US);
  return status === "starting" ? or(hc.startInterval, DEFAULT_START_INTERVAL_US) : or(hc.interval, DEFAULT_PROBE_INTERVAL_US);
}

/** initHealthMonitor, at every start: "starting", no streak, the log kept, the first probe scheduled. */
export function initHealth(c: Container, now: Micros): Container {
  if (probeCommand(c.config.healthcheck) === null) return c;
  const log = c.health?.log ?? [];
  const fresh: Health = { status: "starting", failingStreak: 0, log, nextProbeAt: null, probe: null };
  return { ...c, health: { ...fresh, nextProbeAt: now + intervalAt(c, "starting", now) } };
}

/** CloseMonitorChannel (the container stopped, was paused or the host went down): no probes, "unhealthy". */
export function stopHealth(c: Container): Container {
  if (!c.health) return c;
  return { ...c, health: { ...c.health, status: "unhealthy", nextProbeAt: null, probe: null } };
}

/** updateHealthMonitor after an unpause: the monitor opens again; the status stays until a probe says otherwise. */
export function resumeHealth(c: Container, now: Micros): Container {
  if (!c.health || probeCommand(c.config.healthcheck) === null) return c;
  return { ...c, health: { ...c.health, nextProbeAt: now + intervalAt(c, c.health.status, now), probe: null } };
}

/** When the monitor next needs the daemon: a probe's end, or the next probe's start. */
export function healthDueAt(c: Container): Micros | null {
  const h = c.health;
  if (!h || c.run === null || c.run.pausedAt !== null) return null;
  return h.probe !== null ? h.probe.end : h.nextProbeAt;
}

/** What the daemon gives the monitor: the plan of a process in the container, and its events. */
export interface HealthIo {
  plan(spec: ProcessSpec): Plan | StartFailure;
  processEnv(c: Container): readonly string[];
}

export interface HealthEvent {
  readonly action: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** What a plan printed before `end` (stdout and stderr, as the probe's one buffer), capped as moby's limitedBuffer. */
function outputOf(plan: Plan, end: Micros): string {
  const text = plan.lines.filter((l) => l.at <= end).map((l) => l.text).join("");
  return text.length > MAX_OUTPUT_LEN ? `${text.slice(0, MAX_OUTPUT_LEN)}...` : text;
}

/** Starts the probe that is due at `now`: its result is known from its plan, and lands at its end. */
function startProbe(c: Container, now: Micros, io: HealthIo, events: HealthEvent[]): Health {
  const h = c.health!;
  const hc = c.config.healthcheck!;
  const argv = probeCommand(hc)!;
  const command = argv.join(" ");
  // Deterministic exec IDs that draw nothing from the ID stream: a healthcheck does not shift other containers' IDs.
  const execId = sha256Digest(`health/${c.id}/${now}`).slice(7);
  const timeout = or(hc.timeout, DEFAULT_PROBE_TIMEOUT_US);
  if (argv.length === 0) {
    return { ...h, probe: { start: now, end: now, exitCode: -1, output: `healthcheck for container ${c.id} has no command`, execId, command, ran: false } };
  }
  events.push({ action: `exec_create: ${command}`, attributes: { execID: execId } });
  const spec: ProcessSpec = { argv, env: [...io.processEnv(c)], cwd: c.config.workingDir || "/", user: c.config.user, tty: false, interactive: false };
  const plan = io.plan(spec);
  if ("failure" in plan) {
    // ContainerExecStart fails: the probe's error is its output.
    const output = `OCI runtime exec failed: exec failed: unable to start container process: ${plan.failure}: unknown`;
    return { ...h, probe: { start: now, end: now, exitCode: -1, output, execId, command, ran: false } };
  }
  events.push({ action: `exec_start: ${command}`, attributes: { execID: execId } });
  const took = plan.exit === null ? Infinity : plan.exit.at;
  if (took > timeout) {
    const out = outputOf(plan, timeout);
    const output = `Health check exceeded timeout (${goDuration(timeout)})${out !== "" ? `: ${out}` : ""}`;
    return { ...h, probe: { start: now, end: now + timeout, exitCode: -1, output, execId, command, ran: true } };
  }
  return { ...h, probe: { start: now, end: now + took, exitCode: plan.exit!.code, output: outputOf(plan, took), execId, command, ran: true } };
}

/** handleProbeResult: the log, the streak, the status, and an event when the status changed. */
function landProbe(c: Container, events: HealthEvent[]): Health {
  const h = c.health!;
  const p = h.probe!;
  const hc = c.config.healthcheck!;
  const retries = hc.retries && hc.retries > 0 ? hc.retries : DEFAULT_PROBE_RETRIES;
  const result: HealthResult = { start: p.start, end: p.end, exitCode: p.exitCode, output: p.output };
  const log = [...h.log, result].slice(-MAX_LOG_ENTRIES);
  let status = h.status;
  let streak = h.failingStreak;
  if (p.exitCode === 0) {
    streak = 0;
    status = "healthy";
  } else if (!(status === "starting" && p.start - (c.state.startedAt ?? p.start) < or(hc.startPeriod, 0))) {
    streak += 1;
    if (streak >= retries) status = "unhealthy";
  }
  // A timed-out probe is killed (SIGKILL); one that could not start never ran.
  if (p.ran) {
    events.push({ action: "exec_die", attributes: { execID: p.execId, exitCode: String(p.exitCode === -1 ? 137 : p.exitCode) } });
  }
  if (status !== h.status) events.push({ action: `health_status: ${status}`, attributes: {} });
  const next: Health = { status, failingStreak: streak, log, probe: null, nextProbeAt: null };
  return { ...next, nextProbeAt: p.end + intervalAt(c, status, p.end) };
}

/**
 * The monitor at `now`: lands the probe whose end has come, starts the one that is due (landing it
 * at once when it took no time). Returns the container and the events to log, in order.
 */
export function stepHealth(c0: Container, now: Micros, io: HealthIo): { container: Container; events: HealthEvent[] } {
  let c = c0;
  const events: HealthEvent[] = [];
  for (let i = 0; i < 4; i++) {
    const h = c.health;
    if (!h || c.run === null || c.run.pausedAt !== null) break;
    if (h.probe !== null && h.probe.end <= now) c = { ...c, health: landProbe(c, events) };
    else if (h.probe === null && h.nextProbeAt !== null && h.nextProbeAt <= now) c = { ...c, health: startProbe(c, now, io, events) };
    else break;
  }
  return { container: c, events };
}

/** moby State.String's suffix for a running container: " (healthy)", " (health: starting)", " (unhealthy)". */
export function healthSuffix(c: Container): string {
  const h = c.health;
  if (!h) return "";
  return h.status === "starting" ? " (health: starting)" : ` (${h.status})`;
}

/** The health a filter and a summary see: "none" without a healthcheck. */
export function healthOf(c: Container): (typeof HEALTH_STATUSES)[number] {
  return c.health?.status ?? "none";
}

/** moby ValidateHealthStatus in the list filter's words. */
export function checkHealthFilter(values: readonly string[]): void {
  for (const v of values) {
    if (!(HEALTH_STATUSES as readonly string[]).includes(v)) {
      throw new DrydockError("EINVAL", `invalid filter 'health=${v}': invalid value for health (${v}): must be one of ${HEALTH_STATUSES.join(", ")}`);
    }
  }
}

/** .State.Health as the API writes it (times as RFC 3339 with nanoseconds). */
export function inspectHealth(h: Health): Record<string, unknown> {
  return {
    Status: h.status, FailingStreak: h.failingStreak,
    Log: h.log.map((r) => ({ Start: rfc3339Nano(r.start), End: rfc3339Nano(r.end), ExitCode: r.exitCode, Output: r.output })),
  };
}

/** .Config.Healthcheck: durations in nanoseconds, zero values left out (omitempty). */
export function inspectHealthcheck(hc: HealthConfig): Record<string, unknown> {
  const ns = (v: Micros | undefined) => (v ? v * 1000 : 0);
  return {
    Test: hc.test,
    ...(hc.interval ? { Interval: ns(hc.interval) } : {}), ...(hc.timeout ? { Timeout: ns(hc.timeout) } : {}),
    ...(hc.startPeriod ? { StartPeriod: ns(hc.startPeriod) } : {}), ...(hc.startInterval ? { StartInterval: ns(hc.startInterval) } : {}),
    ...(hc.retries ? { Retries: hc.retries } : {}),
  };
}
