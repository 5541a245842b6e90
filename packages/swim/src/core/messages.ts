/**
 * SWIM's messages, named as memberlist names them (net.go). Updates about members ride on
 * every packet (SWIM §4.1 "piggybacked"; memberlist compound messages). Messages are plain
 * JSON, never mutated after sending: the kernel's trace and the visualiser read them.
 */
export type Update =
  | { readonly type: "alive"; readonly member: string; readonly incarnation: number }
  | { readonly type: "suspect"; readonly member: string; readonly incarnation: number; readonly from: string }
  /** A dead message whose `from` is the member itself is a graceful leave (memberlist StateLeft). */
  | { readonly type: "dead"; readonly member: string; readonly incarnation: number; readonly from: string }
  /** A user payload: keyed, versioned (a Lamport version, ties broken by origin). */
  | { readonly type: "user"; readonly key: string; readonly version: number; readonly origin: string; readonly value: string };

export type SwimMessage =
  | { readonly type: "ping"; readonly seq: number; readonly target: string; readonly updates: readonly Update[] }
  | { readonly type: "ack"; readonly seq: number; readonly updates: readonly Update[] }
  | { readonly type: "ping-req"; readonly seq: number; readonly target: string; readonly nack: boolean; readonly updates: readonly Update[] }
  | { readonly type: "nack"; readonly seq: number; readonly updates: readonly Update[] }
  | { readonly type: "gossip"; readonly updates: readonly Update[] }
  /** Docker networkdb's reconnect: a connection attempt to a member declared dead (a TCP connect). */
  | { readonly type: "reconnect" }
  /** memberlist pushPullMsg: a full state exchange over TCP (also how a member joins). */
  | {
    readonly type: "push-pull"; readonly join: boolean; readonly reply: boolean;
    /** The sender's view: `keys[i]` is its view of `members[i]` (incarnation × 4 + status, or −1 unknown). */
    readonly members: readonly string[];
    readonly keys: Int32Array;
    readonly user: readonly Update[];
    /** Bytes on the wire, counted when the message was built (a full state is large). */
    readonly bytes: number;
  };

/** Bytes one member's state takes in a push-pull (memberlist pushNodeState). */
export const pushStateSize = (name: string): number => 24 + name.length + 6;

export const NO_UPDATES: readonly Update[] = Object.freeze([]);

// Approximate msgpack sizes of memberlist's structs (net.go), for the per-node byte counters.
const HEADER = 1;
const COMPOUND_PART = 2;
const ADDR = 6; // IPv4 + port

export function updateSize(u: Update): number {
  switch (u.type) {
    case "alive": return HEADER + 20 + u.member.length + ADDR;
    case "suspect":
    case "dead": return HEADER + 16 + u.member.length + u.from.length;
    case "user": return HEADER + 12 + u.key.length + u.value.length + u.origin.length;
  }
}

export function messageSize(m: SwimMessage): number {
  let size: number;
  switch (m.type) {
    case "ping": size = HEADER + 20 + m.target.length + ADDR; break;
    case "ack": size = HEADER + 8; break;
    case "ping-req": size = HEADER + 24 + m.target.length + 2 * ADDR; break;
    case "nack": size = HEADER + 6; break;
    case "gossip": size = HEADER; break;
    case "push-pull": return m.bytes;
    case "reconnect": return 40;
  }
  for (const u of m.updates) size += COMPOUND_PART + updateSize(u);
  return size;
}
