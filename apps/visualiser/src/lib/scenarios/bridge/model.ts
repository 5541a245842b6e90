// What the single-host networks view draws, read from one engine's network table: each bridge
// network with its Linux bridge, subnet and gateway, the containers on it by their veth pairs,
// published ports and the embedded DNS server; and the latest request as the world's traffic
// decided it (the trace's net.decide record: each hop, and where and why it was dropped).

import type { Caption, StepInfo } from "../build/model.js";

export type { Caption, StepInfo };

export interface Attachment {
  readonly container: string;
  readonly ip: string;
  /** The container's interface ("eth0") and the host end of its veth pair on the bridge. */
  readonly ifName: string;
  readonly veth: string;
  /** "8080→80/tcp": published on the host's 8080 (0.0.0.0 and ::). */
  readonly ports: readonly string[];
}

export interface BridgeNet {
  readonly name: string;
  /** "docker0" or "br-…". */
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  /** User-defined: its containers resolve each other through the embedded DNS server. */
  readonly embeddedDns: boolean;
  readonly attachments: readonly Attachment[];
}

export interface Hop {
  /** "route", "veth", "bridge", "iptables", "proxy", "process", "loopback", "dns". */
  readonly kind: string;
  readonly text: string;
  /** The hop where the request ended (accepted, refused or dropped). */
  readonly last: boolean;
}

export interface Request {
  /** Its number since the scene opened: a key that restarts its animation. */
  readonly n: number;
  readonly t: number;
  readonly tool: string;
  /** "connected", "refused", "timeout", "unresolved", ... */
  readonly outcome: string;
  /** Answered (connected), else where and why it stopped. */
  readonly ok: boolean;
  readonly detail: string;
  /** The iptables rule that dropped it, when one did. */
  readonly rule: string | null;
  /** The name lookup before it, when there was one (the embedded DNS server's answer). */
  readonly dns: string | null;
  readonly hops: readonly Hop[];
  /** The containers and bridges the hops name, for the picture. */
  readonly touches: readonly string[];
}

export interface BridgeViewModel {
  readonly host: string;
  readonly networks: readonly BridgeNet[];
  readonly request: Request | null;
  readonly steps: readonly StepInfo[];
  readonly next: StepInfo | null;
  readonly busy: boolean;
  readonly caption: Caption;
}
