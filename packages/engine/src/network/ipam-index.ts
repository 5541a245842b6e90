// The addresses a network's endpoints hold, as IPAM asks for them on every connect. Scanning every
// endpoint of the table (and every address from the start of the range) per `docker run` made a
// host of 10,000 containers quadratic. The index is derived from the endpoint table, never stored
// in it: it is memoised by the table's identity and brought up to date from the last one computed
// with CowMap.changedKeys (the endpoint table is a fork of the one before), so the answer is the
// same as a full scan's and only the time differs.
import { CowMap } from "@drydock/kernel";
import { firstAddr, type Ip4 } from "./ip.js";
import type { Endpoint, Network } from "./types.js";

export interface AddressIndex {
  /** Address → the endpoint holding it. */
  readonly used: CowMap<Ip4, string>;
  /** Every address of the range below this one is held (or not usable): a first-free scan may start here. */
  readonly scanFrom: Ip4;
}

interface Entry extends AddressIndex {
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  readonly network: Network;
  scanFrom: Ip4;
}

const memo = new WeakMap<ReadonlyMap<string, Endpoint>, Map<string, Entry>>();
/** The last index computed per network ID: where the next one starts from (a cache; bounded). */
const latest = new Map<string, Entry>();
const LATEST_MAX = 256;

/** The index of `n`'s addresses in `endpoints` (the table's endpoint map). */
export function addressIndex(endpoints: ReadonlyMap<string, Endpoint>, n: Network): AddressIndex {
  const hit = memo.get(endpoints)?.get(n.id);
  if (hit && hit.network === n) return hit;
  const from = latest.get(n.id);
  let entry: Entry;
  if (from && from.network === n && endpoints instanceof CowMap && from.endpoints instanceof CowMap) {
    const used = from.used.fork();
    let scanFrom = from.scanFrom;
    for (const k of (endpoints as CowMap<string, Endpoint>).changedKeys(from.endpoints as CowMap<string, Endpoint>)) {
      const was = from.endpoints.get(k);
      if (was && was.networkId === n.id && was.ip !== null && used.get(was.ip) === k) {
        used.delete(was.ip);
        if (was.ip < scanFrom) scanFrom = was.ip;
      }
      const now = endpoints.get(k);
      if (now && now.networkId === n.id && now.ip !== null) used.set(now.ip, k);
    }
    entry = { endpoints, network: n, used, scanFrom };
  } else {
    const used = new CowMap<Ip4, string>();
    for (const e of endpoints.values()) if (e.networkId === n.id && e.ip !== null) used.set(e.ip, e.id);
    entry = { endpoints, network: n, used, scanFrom: n.subnet === null ? 0 : firstAddr(n.ipRange ?? n.subnet) };
  }
  let forTable = memo.get(endpoints);
  if (!forTable) memo.set(endpoints, (forTable = new Map()));
  forTable.set(n.id, entry);
  if (latest.size >= LATEST_MAX && !latest.has(n.id)) latest.clear();
  latest.set(n.id, entry);
  return entry;
}

/** After a first-free scan found `ip` free (all below it held): the next scan of this index may start there. */
export function noteScanned(endpoints: ReadonlyMap<string, Endpoint>, n: Network, ip: Ip4): void {
  const e = memo.get(endpoints)?.get(n.id);
  if (e && ip > e.scanFrom) e.scanFrom = ip;
}
