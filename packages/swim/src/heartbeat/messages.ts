/** What heartbeat members send each other. */
export type HeartbeatMessage =
  | { readonly type: "heartbeat"; readonly incarnation: number }
  | { readonly type: "hb-join" }
  | { readonly type: "hb-members"; readonly members: readonly string[] }
  | { readonly type: "hb-leave" }
  | { readonly type: "hb-user"; readonly key: string; readonly version: number; readonly origin: string; readonly value: string };

/** Bytes on the wire, for the load figures. */
export function heartbeatMessageSize(m: HeartbeatMessage): number {
  return m.type === "hb-members" ? 8 + m.members.reduce((a, n) => a + n.length + 8, 0) : m.type === "hb-user" ? 16 + m.key.length + m.value.length : 16;
}
