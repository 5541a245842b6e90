// The default bridge (docker0, 172.17.0.0/16) as containers on it see it, until the networks code
// (issue #11, ../network) owns endpoints: the addresses in use, given as libnetwork's IPAM gives
// them (the lowest free one, so an address is reused once its container stops), and the host
// ports that running containers publish, bound by the port allocator of ../network/ports.ts
// (one container per host address, port and protocol; Docker's "port is already allocated").
import { CowMap } from "../util/cow-map.js";
import {
  NO_PORT_CURSORS, bindContainerPorts, type BoundPort, type HostBinding, type PortBindingMap, type PortCursors,
} from "../network/ports.js";

export interface BridgeState {
  /** Host number on 172.17.0.0/16 (172.17.x.y is x·256 + y) → the container that holds it. */
  readonly addresses: ReadonlyMap<number, string>;
  /** No address below this one is free: where the search for the lowest free one starts (O(1) amortised). */
  readonly lowestFree: number;
  /** Host ports bound by running containers. */
  readonly ports: readonly { readonly binding: HostBinding; readonly container: string }[];
  /** Where the allocator stopped in each ephemeral range (it goes on from there). */
  readonly portCursors: PortCursors;
}

/** .1 is the gateway (docker0); containers get .2 upwards. */
const FIRST_HOST = 2;
const LAST_HOST = 65_534;

export const NO_BRIDGE: BridgeState = { addresses: new Map(), lowestFree: FIRST_HOST, ports: [], portCursors: NO_PORT_CURSORS };

export const bridgeIp = (n: number): string => `172.17.${Math.floor(n / 256)}.${n % 256}`;

function hostNumber(ip: string): number | null {
  const m = /^172\.17\.(\d+)\.(\d+)$/.exec(ip);
  return m ? Number(m[1]) * 256 + Number(m[2]) : null;
}

/** The lowest free address for `container`; null when the /16 is full. */
export function allocAddress(b: BridgeState, container: string): { ip: string; bridge: BridgeState } | null {
  for (let n = Math.max(FIRST_HOST, b.lowestFree); n <= LAST_HOST; n++) {
    if (b.addresses.has(n)) continue;
    // A CowMap the caller owns (the daemon forks it once per operation) is written in place.
    const addresses = b.addresses instanceof CowMap ? b.addresses : new CowMap(b.addresses);
    addresses.set(n, container);
    return { ip: bridgeIp(n), bridge: { ...b, addresses, lowestFree: n + 1 } };
  }
  return null;
}

/** Gives an address back (a CowMap the caller owns is written in place, as in allocAddress). */
export function releaseAddress(b: BridgeState, ip: string, container?: string): BridgeState {
  const n = hostNumber(ip);
  if (n === null || !b.addresses.has(n)) return b;
  if (container !== undefined && b.addresses.get(n) !== container) return b;
  const addresses = b.addresses instanceof CowMap ? b.addresses : new CowMap(b.addresses);
  addresses.delete(n);
  return { ...b, addresses, lowestFree: Math.min(b.lowestFree, n) };
}

/**
 * Binds a starting container's published ports (moby allocates them when the container's
 * network is set up): the bindings, or the allocator's error (PortAllocationError, Docker's text).
 */
export function bindPorts(
  b: BridgeState, container: string, request: { readonly exposed: readonly string[]; readonly bindings: PortBindingMap; readonly publishAll: boolean },
): { bound: BoundPort[]; bridge: BridgeState } {
  const r = bindContainerPorts(b.ports.map((p) => p.binding), b.portCursors, request);
  if (r.bound.length === 0 && r.cursors === b.portCursors) return { bound: [], bridge: b };
  const added = r.bound.map((p) => ({ binding: { hostIp: p.hostIp, hostPort: p.hostPort, protocol: p.protocol }, container }));
  return { bound: r.bound, bridge: { ...b, ports: [...b.ports, ...added], portCursors: r.cursors } };
}

export function releasePorts(b: BridgeState, container: string): BridgeState {
  if (!b.ports.some((p) => p.container === container)) return b;
  return { ...b, ports: b.ports.filter((p) => p.container !== container) };
}
