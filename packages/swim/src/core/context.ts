/**
 * What the protocol needs from whoever runs it: the time, a way to send and to set timers, a
 * record of notable changes, and seeded randomness. The kernel's SimContext has this shape, so a
 * kernel model passes its context straight in; a test can pass a fake. Nothing is imported.
 */
export interface RandomSource {
  next(): number;
}

export interface ProtocolContext<M> {
  readonly now: number;
  send(from: string, to: string, msg: M): void;
  setTimer(node: string, at: number, name: string, data?: unknown): void;
  record(node: string | null, data: unknown): void;
  rng(stream: string): RandomSource;
}
