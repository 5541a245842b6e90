// Following a compose project's containers (`docker compose up` attached, `docker compose logs
// -f`): each container's lines after its prefix, merged in time order; "web-1 exited with code 0"
// as each ends (from the daemon's die events); the command ends when none runs. Ctrl-C at `up`
// stops them ("Gracefully stopping... (press Ctrl+C again to force)"), then the stop's progress.
import type { Micros } from "@drydock/kernel";
import { logLines, runLines, type EngineState, type ProgramResolver } from "@drydock/engine";
import type { OutputChunk } from "../shell/host.js";
import type { FollowInterrupt, FollowSpec, FollowState, FollowStep } from "./follow.js";

type Spec = Extract<FollowSpec, { kind: "compose-logs" }>;

const DAY: Micros = 86_400_000_000;

export function stepComposeLogs(spec: Spec, st: FollowState, engine: EngineState, now: Micros, programs: ProgramResolver): FollowStep {
  const lines: { at: Micros; seq: number; chunk: OutputChunk }[] = [];
  let seq = 0;
  for (const t of spec.containers) {
    const c = engine.containers.get(t.id);
    if (!c) continue;
    for (const l of logLines(c.logs, programs, now, { since: st.cursor + 1 })) {
      lines.push({ at: l.at, seq: seq++, chunk: { fd: 1, text: `${t.prefix}${l.text.endsWith("\n") ? l.text : `${l.text}\n`}` } });
    }
  }
  // Each container that ended since the cursor: compose's notice (from the daemon's die events).
  const ids = new Map(spec.containers.map((t) => [t.id, t]));
  for (const e of engine.events) {
    if (e.type !== "container" || e.action !== "die" || e.timeUs <= st.cursor || e.timeUs > now) continue;
    const t = ids.get(e.actor.id);
    if (t && spec.up) lines.push({ at: e.timeUs, seq: seq++, chunk: { fd: 1, text: `${t.name} exited with code ${e.actor.attributes["exitCode"] ?? "0"}\n` } });
  }
  lines.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const out = lines.map((l) => l.chunk);
  const state = { ...st, cursor: now };
  const running = spec.containers.filter((t) => {
    const c = engine.containers.get(t.id);
    return c !== undefined && (c.state.running || c.state.restarting);
  });
  if (running.length === 0) {
    if (st.interrupts > 0) {
      const names = spec.containers.map((t) => engine.containers.get(t.id)?.name ?? t.name);
      out.push({ fd: 2, text: `[+] Stopping ${names.length}/${names.length}\n${names.map((n) => ` ✔ Container ${n}  Stopped\n`).join("")}` });
      return { state, out, done: { status: 130 }, nextAt: null };
    }
    return { state, out, done: { status: 0 }, nextAt: null };
  }
  let next: Micros | null = null;
  for (const t of running) {
    const c = engine.containers.get(t.id)!;
    const r = c.logs[c.logs.length - 1];
    if (!r || r.endedAt !== null) continue;
    const first = runLines(r, programs, now + DAY, { since: now + 1 })[0];
    if (first !== undefined && (next === null || first.at < next)) next = first.at;
  }
  return { state, out, done: null, nextAt: next };
}

export function composeInterrupt(spec: Spec, st: FollowState): FollowInterrupt {
  const ids = spec.containers.map((t) => t.id);
  if (st.interrupts === 0) return { kind: "stop", containers: ids, echo: "Gracefully stopping... (press Ctrl+C again to force)\n", force: false };
  return { kind: "stop", containers: ids, echo: "", force: true };
}
