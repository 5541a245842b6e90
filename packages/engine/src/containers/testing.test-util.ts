// A small harness for container tests: an engine with the course's images pulled, a seeded
// random source, the engine's own program catalogue, and time that moves by wake-ups.
import { MICROS_PER_SECOND, Rng, type Micros } from "@drydock/kernel";
import { RegistryHub } from "@drydock/image";
import { createEngine, enginePull, type EngineState } from "../engine.js";
import { emptyDir, type FsDir } from "../fs/index.js";
import { createCatalogue } from "../programs/catalogue.js";
import type { Daemon, RuntimeEnv } from "./daemon.js";
import { atTime, runUntil } from "./runtime.js";
import { stateString } from "./status.js";
import type { Container } from "./types.js";

const hub = new RegistryHub();
const pulled = new Map<string, EngineState>();

export const S = MICROS_PER_SECOND;

/** An engine with these images pulled (cached per list). */
export function engineWith(...refs: string[]): EngineState {
  const key = refs.join(",");
  let e = pulled.get(key);
  if (!e) {
    e = createEngine();
    for (const r of refs) e = enginePull(e, hub, r, true).engine;
    pulled.set(key, e);
  }
  return e;
}

export class Host {
  engine: EngineState;
  fs: FsDir = emptyDir(0);
  now: Micros = 0;
  readonly env: Omit<RuntimeEnv, "now">;

  constructor(engine: EngineState, seed = "test") {
    this.engine = engine;
    const rng = new Rng(seed);
    this.env = { random: rng.fork("ids"), names: rng.fork("names"), programs: createCatalogue(), hostName: "node1" };
  }

  /** Runs an operation now; a thrown error leaves the engine as it was (a failed command). */
  do<T>(op: (d: Daemon) => T): T {
    const r = atTime(this.engine, this.fs, this.env, this.now, op);
    this.engine = r.engine;
    this.fs = r.hostFs;
    return r.result;
  }

  /** Runs an operation that changes the engine even when it throws (a failed start keeps its state). */
  doKeep(op: (d: Daemon) => void): Error | null {
    let error: Error | null = null;
    const r = atTime(this.engine, this.fs, this.env, this.now, (d) => {
      try {
        op(d);
      } catch (e) {
        error = e as Error;
      }
    });
    this.engine = r.engine;
    this.fs = r.hostFs;
    return error;
  }

  advance(us: Micros): void {
    const r = runUntil(this.engine, this.fs, this.env, this.now + us);
    this.engine = r.engine;
    this.fs = r.hostFs;
    this.now += us;
  }

  get(ref: string): Container {
    return this.do((d) => d.get(ref));
  }

  status(ref: string): string {
    return stateString(this.get(ref));
  }

  events(): string[] {
    return this.engine.events.filter((e) => e.type === "container").map((e) => e.action);
  }
}
