import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createRaftCluster } from "@drydock/raft";
import {
  GOLDEN_HASHES, GOLDEN_SCENARIOS, RunFailure, gossipAppCluster, raftAppCluster, raftAppRun, runChecked, type GoldenRun, type RaftRun,
} from "@drydock/testkit";
import { raftClusterOptions } from "../src/lib/scenarios/raft/driver.js";
import { gossipClusterOptions } from "../src/lib/scenarios/gossip/driver.js";
import { readRun, startHarness, type AppPage, type Harness } from "./harness.js";

// Issue #16, determinism that holds everywhere: the golden scenarios of the kernel, Raft and
// SWIM give the same trace hash in Chromium as in Node (the page imports testkit's one
// definition of them through the Vite dev server's /@fs/ route). And a failing property's link,
// made by @drydock/testkit, opens the app paused at the event that broke the invariant, with the
// state Node had there.

const GOLDEN_SOURCE = "/@fs" + join(import.meta.dirname, "..", "..", "..", "packages", "testkit", "src", "golden.ts");

let h: Harness;
const pages: AppPage[] = [];

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await h?.close();
});

describe("the golden scenarios in chromium", () => {
  it("give Node's trace hashes (and the pinned ones)", async () => {
    const node = Object.fromEntries(Object.entries(GOLDEN_SCENARIOS).map(([name, run]) => [name, run()]));
    for (const [name, r] of Object.entries(node)) expect(r.traceHash, name).toBe(GOLDEN_HASHES[name]);
    const p = await h.page();
    pages.push(p);
    const page = await p.page.evaluate(async (src): Promise<Record<string, GoldenRun>> => {
      // Built at run time, so it is the page's own import (Vitest would rewrite a literal one).
      const load = new Function("src", "return import(src)") as (src: string) => Promise<typeof import("../../../packages/testkit/src/golden.js")>;
      const m = await load(src);
      return Object.fromEntries(Object.entries(m.GOLDEN_SCENARIOS).map(([name, run]) => [name, run()]));
    }, GOLDEN_SOURCE);
    expect(page).toEqual(node);
    expect(p.errors).toEqual([]);
  });
});

describe("a failing property's link", () => {
  it("testkit builds the app's scenarios exactly as the app does", () => {
    const app = { size: 7, prevote: true, checkquorum: false, timeouts: "150-155ms" } as const;
    const { snapshotEvery: _s, ...raft } = raftClusterOptions("seed-3", app);
    expect(raft).toEqual(raftAppCluster("seed-3", app));
    const gossip = { members: "20", lifeguard: false, latency: "lan", loss: "0.01" } as const;
    const { snapshotEvery: _g, trace: _t, records: _r, ...swim } = gossipClusterOptions("seed-3", gossip, "swim");
    expect(swim).toEqual(gossipAppCluster("seed-3", gossip));
  });

  it("opens the app at that run, paused after the event that broke the invariant, with Node's state", async () => {
    // The example of docs/testing.md: "only one leader at a time" breaks after a partition.
    const run: RaftRun = {
      seed: "seed-0", app: { size: 5, prevote: false, checkquorum: false, timeouts: "150-300ms" },
      extra: { fastBacktrack: false, snapshotCount: 0, maxEntriesPerMessage: 64, catchUpNewServers: false },
      schedule: [{ at: 190_774, action: { type: "partition", groups: [["s1", "s2", "s3"]] } }],
    };
    const cluster = createRaftCluster(raftAppCluster(run.seed, run.app));
    let failure: RunFailure | null = null;
    try {
      runChecked(cluster.sim, {
        schedule: run.schedule, until: 3_000_000, act: (a) => cluster.sim.act(a), app: raftAppRun(run),
        invariants: [{
          name: "one leader at a time",
          check: (sim) => {
            const leaders = Object.values(cluster.state.servers).filter((s) => s.raft.role === "leader" && sim.net.up[s.raft.id]);
            if (leaders.length > 1) throw new Error(`${leaders.map((s) => s.raft.id).join(" and ")} both lead`);
          },
        }],
      });
    } catch (e) {
      failure = e as RunFailure;
    }
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure!.link).not.toBeNull();
    const p = await h.page(failure!.link!);
    pages.push(p);
    const shown = await readRun(p.page);
    expect(shown).toMatchObject({ scenario: "raft", events: failure!.event, trace: cluster.sim.traceHash(), state: cluster.sim.stateHash() });
    expect(await p.page.locator('[data-testid="app"]').getAttribute("data-playing")).toBe("0");
    expect(p.errors).toEqual([]);
  });
});
