// Running an engine's containers forward in time without the world: the wake-ups the engine asks
// for, taken in time order. The world does the same with kernel timers (they die with a crash);
// this helper serves tests and embeddings that have one engine and no kernel.
import type { Micros } from "@drydock/kernel";
import type { EngineState } from "../engine.js";
import type { FsDir } from "../fs/index.js";
import { Daemon, type RuntimeEnv } from "./daemon.js";

/** Runs `op` at `now`; the wake-ups it asked for stay in `engine.wakeups`. */
export function atTime<T>(engine: EngineState, hostFs: FsDir, env: Omit<RuntimeEnv, "now">, now: Micros, op: (d: Daemon) => T): { engine: EngineState; hostFs: FsDir; result: T } {
  const d = new Daemon(engine, hostFs, { ...env, now });
  const result = op(d);
  return { engine: d.engine, hostFs: d.hostFs, result };
}

/** Handles every wake-up due at or before `until`, earliest first (ties in the order asked). */
export function runUntil(engine: EngineState, hostFs: FsDir, env: Omit<RuntimeEnv, "now">, until: Micros): { engine: EngineState; hostFs: FsDir } {
  let e = engine;
  let fs = hostFs;
  for (let guard = 0; guard < 1_000_000; guard++) {
    let best = -1;
    e.wakeups.forEach((w, i) => {
      if (w.at <= until && (best < 0 || w.at < e.wakeups[best]!.at)) best = i;
    });
    if (best < 0) break;
    const w = e.wakeups[best]!;
    const rest = { ...e, wakeups: e.wakeups.filter((_, i) => i !== best) };
    const r = atTime(rest, fs, env, w.at, (d) => d.wake(w.container, w.gen));
    e = r.engine;
    fs = r.hostFs;
  }
  return { engine: e, hostFs: fs };
}
