import { defineScenario } from "../../scenario.js";
import { BASELINE_MAX, createGossipDriver } from "./driver.js";
import type { GossipViewModel } from "./model.js";
import GossipView from "./GossipView.svelte";
import GossipPanel from "./GossipPanel.svelte";
import { SWIM_STORY } from "./story.js";
import { storyKeys } from "../../components/story-mode.js";

// SWIM beside all-to-all heartbeats on the same cluster, up to 1,000 members.
export const scenario = defineScenario<GossipViewModel>({
  id: "gossip",
  title: "SWIM gossip vs heartbeats",
  order: 2,
  view: "gossip",
  component: GossipView,
  panel: GossipPanel,
  blurb: "Each member probes one random member per period; news of a failure spreads like an infection. Click a member to crash it or publish a service entry, and compare message counts with heartbeats.",
  options: [
    { key: "members", label: "Members", kind: "choice", choices: ["10", "20", "50", "100", "200", "500", "1000"], def: "50" },
    {
      key: "baseline", label: "Baseline", kind: "bool", def: true,
      inert: (o) => (Number(o.members ?? 50) > BASELINE_MAX ? `off above ${BASELINE_MAX} members` : null),
    },
    { key: "lifeguard", label: "Lifeguard", kind: "bool", def: true },
    { key: "latency", label: "Latency", kind: "choice", choices: ["lan", "wan"], def: "wan" },
    { key: "loss", label: "Loss", kind: "choice", choices: ["0", "0.01", "0.05"], def: "0" },
  ],
  windowUs: 2_000_000,
  speed: 0.25,
  // Message kinds hidden, and kinds drawn as heads only (see GossipView).
  settings: ["hide", "heads", "story"],
  keys: storyKeys<GossipViewModel>(SWIM_STORY),
  create: createGossipDriver,
});
