import type { DurationRange, LoggedAction } from "@drydock/kernel";

// How the visualiser builds its scenarios from (seed, options), and how its links are written,
// so that a run of a property test built the same way opens in the app. The app's own
// definitions are in apps/visualiser/src/lib (drivers/raft.ts, drivers/gossip.ts, url.ts);
// apps/visualiser/tests/golden.browser.test.ts checks that these agree with them and that a
// link made here opens the app at the same event with the same state hash.

/** The version of the app's link format this writes (the app's LINK_VERSION). */
export const APP_LINK_VERSION = 1;

/** Where `npm start` serves the app. */
export const DEFAULT_APP_URL = "http://localhost:5173/";

/** An app scenario and its options (only those that differ from the app's defaults are written). */
export interface AppRun {
  readonly scenario: "raft" | "gossip";
  readonly options: Readonly<Record<string, number | boolean | string>>;
  /** When the run uses something the app's scenario cannot express, why (then no link is made). */
  readonly unsupported?: string;
}

// ---- the raft scenario ----------------------------------------------------------------

/** The raft scenario's options as the app offers them (name, default), in the app's order. */
export const RAFT_APP_DEFAULTS = { size: 5, prevote: false, checkquorum: false, timeouts: "150-300ms" } as const;
export const RAFT_APP_SIZES = [3, 4, 5, 6, 7, 8, 9] as const;
export const RAFT_APP_TIMEOUTS: Readonly<Record<string, DurationRange>> = {
  "150-300ms": ["150ms", "300ms"],
  "150-155ms": ["150ms", "155ms"],
};

export type RaftAppOptions = {
  readonly size: number;
  readonly prevote: boolean;
  readonly checkquorum: boolean;
  readonly timeouts: "150-300ms" | "150-155ms";
};

/** The cluster options the app's raft scenario uses for (seed, options): timing chosen to be watched. */
export function raftAppCluster(seed: string, o: RaftAppOptions) {
  return {
    seed,
    size: o.size,
    preVote: o.prevote,
    checkQuorum: o.checkquorum,
    electionTimeout: RAFT_APP_TIMEOUTS[o.timeouts] ?? RAFT_APP_TIMEOUTS["150-300ms"]!,
    heartbeat: "50ms",
    latency: ["12ms", "24ms"] as DurationRange,
  } as const;
}

// ---- the gossip scenario --------------------------------------------------------------

export const GOSSIP_APP_DEFAULTS = { members: "50", baseline: true, lifeguard: true, latency: "wan", loss: "0" } as const;
export const GOSSIP_APP_MEMBERS = ["10", "20", "50", "100", "200", "500", "1000"] as const;
export const GOSSIP_APP_LATENCIES: Readonly<Record<string, DurationRange>> = { lan: ["1ms", "5ms"], wan: ["20ms", "30ms"] };

export type GossipAppOptions = {
  readonly members: (typeof GOSSIP_APP_MEMBERS)[number];
  readonly lifeguard: boolean;
  readonly latency: "lan" | "wan";
  readonly loss: "0" | "0.01" | "0.05";
};

/** The SWIM cluster options the app's gossip scenario uses (Docker's reconnect every second). */
export function gossipAppCluster(seed: string, o: GossipAppOptions) {
  return {
    seed,
    size: Number(o.members),
    protocol: "swim" as const,
    latency: GOSSIP_APP_LATENCIES[o.latency] ?? GOSSIP_APP_LATENCIES.wan!,
    loss: Number(o.loss),
    lifeguard: o.lifeguard,
    reconnectInterval: "1s",
  } as const;
}

// ---- links --------------------------------------------------------------------------------

const ORDER: Readonly<Record<AppRun["scenario"], { view: string; defaults: Readonly<Record<string, number | boolean | string>> }>> = {
  raft: { view: "raft", defaults: RAFT_APP_DEFAULTS },
  gossip: { view: "gossip", defaults: GOSSIP_APP_DEFAULTS },
};

/** The app's encoding of an action log: base64url of JSON [[index, at, action], ...]. */
export function encodeAppActions(actions: readonly LoggedAction[]): string {
  if (actions.length === 0) return "";
  const bytes = new TextEncoder().encode(JSON.stringify(actions.map((a) => [a.index, a.at, a.action])));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const SEED_RE = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * The query that opens the app at a run, paused after event `event`: the scenario, the seed,
 * the options that differ from the app's defaults, the action log, and the event number.
 */
export function appLink(run: AppRun, seed: string, actions: readonly LoggedAction[], event: number): { ok: true; link: string } | { ok: false; reason: string } {
  if (run.unsupported) return { ok: false, reason: run.unsupported };
  if (!SEED_RE.test(seed)) return { ok: false, reason: `the app takes seeds of 1 to 40 letters, digits, ".", "_" or "-", not "${seed}"` };
  const { view, defaults } = ORDER[run.scenario];
  const p = new URLSearchParams();
  p.set("v", String(APP_LINK_VERSION));
  p.set("view", view);
  p.set("scenario", run.scenario);
  p.set("seed", seed);
  for (const key of Object.keys(defaults)) {
    const v = run.options[key];
    if (v === undefined || v === defaults[key]) continue;
    p.set(key, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  p.set("e", String(event));
  const encoded = encodeAppActions(actions);
  if (encoded) p.set("actions", encoded);
  return { ok: true, link: "?" + p.toString() };
}
