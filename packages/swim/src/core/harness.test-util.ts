import type { ProtocolContext } from "./context.js";
import type { SwimMessage } from "./messages.js";
import { LAN_DEFAULTS, type SwimParams } from "./params.js";
import { SwimState } from "./state.js";
import { start } from "./swim.js";
import { ALIVE, makeKey } from "./views.js";

export interface Sent { from: string; to: string; msg: SwimMessage }
export interface Timer { node: string; at: number; name: string; data: unknown }

/** A protocol context that only writes down what the protocol asks for. */
export function harness(n: number, params: Partial<SwimParams> = {}) {
  const sent: Sent[] = [];
  const timers: Timer[] = [];
  const records: { node: string | null; data: Record<string, unknown> }[] = [];
  let seed = 12345;
  const clock = { now: 0 };
  const ctx: ProtocolContext<SwimMessage> = {
    get now() { return clock.now; },
    send: (from, to, msg) => { sent.push({ from, to, msg }); },
    setTimer: (node, at, name, data) => { timers.push({ node, at, name, data }); },
    record: (node, data) => { records.push({ node, data: data as Record<string, unknown> }); },
    rng: () => ({ next: () => { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; } }),
  };
  const names = Array.from({ length: n }, (_, i) => `m${i + 1}`);
  const s = new SwimState({ ...LAN_DEFAULTS, ...params }, names, names.slice(0, 3), true);
  s.agreeAll(makeKey(1, ALIVE));
  for (let j = 0; j < n; j++) start(s, j, 1, ctx);
  sent.length = 0;
  timers.length = 0;
  /** The last timer `node` set with this name. */
  const timer = (node: string, name: string): Timer => {
    for (let i = timers.length - 1; i >= 0; i--) if (timers[i]!.node === node && timers[i]!.name === name) return timers[i]!;
    throw new Error(`no ${name} timer for ${node}`);
  };
  return { s, ctx, sent, timers, records, clock, timer };
}
