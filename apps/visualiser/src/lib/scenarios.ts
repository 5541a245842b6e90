import type { ScenarioDef } from "./drivers/types.js";
import { networkScenario } from "./drivers/network.js";
import { raftScenario } from "./drivers/raft.js";
import { gossipScenario } from "./drivers/gossip.js";

/** Every scenario the picker offers; the first is the default. */
export const SCENARIOS: readonly ScenarioDef[] = [raftScenario, gossipScenario, networkScenario];

export const DEFAULT_SCENARIO: ScenarioDef = SCENARIOS[0]!;
