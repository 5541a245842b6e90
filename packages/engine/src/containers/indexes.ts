// Sets of containers that a command asks about on a host of thousands, kept without a pass over
// every container: derived from the containers map (never stored beside it), memoised by the
// map's identity and brought up to date from the last one computed with CowMap.changedKeys
// (each version of the map is a fork of the one before). The answer is always the full pass's.
import { CowMap } from "@drydock/kernel";
import type { Container } from "./types.js";

/** The keys of `map` whose values satisfy `test`, as a function of the map (which must not change after it is asked about). */
export function derivedKeys<K, V>(test: (v: V) => boolean): (map: ReadonlyMap<K, V>) => ReadonlySet<K> {
  const memo = new WeakMap<ReadonlyMap<K, V>, Set<K>>();
  let latest: { map: CowMap<K, V>; keys: Set<K> } | null = null;
  return (map) => {
    const hit = memo.get(map);
    if (hit) return hit;
    let keys: Set<K>;
    if (latest && map instanceof CowMap) {
      keys = new Set(latest.keys);
      for (const k of (map as CowMap<K, V>).changedKeys(latest.map)) {
        const v = map.get(k);
        if (v !== undefined && test(v)) keys.add(k);
        else keys.delete(k);
      }
    } else {
      keys = new Set();
      for (const [k, v] of map) if (test(v)) keys.add(k);
    }
    memo.set(map, keys);
    if (map instanceof CowMap) latest = { map: map as CowMap<K, V>, keys };
    return keys;
  };
}

/** Does the container run a client loop (DockerCoins' worker: its rate depends on the services it calls)? */
export const isClientLoop = (c: Container): boolean => c.run !== null && c.run.plan.tick?.gen === "client-rounds";

/** Containers running a client loop. */
export const clientLoopIds = derivedKeys<string, Container>(isClientLoop);
