import { defineScenario } from "../../scenario.js";
import { ELECTION_TIMEOUTS, RAFT_KEYS, createRaftDriver } from "./driver.js";
import type { RaftViewModel } from "./model.js";
import RaftView from "./RaftView.svelte";
import RaftPanel from "./RaftPanel.svelte";
import { RAFT_STORY } from "./story.js";
import { storyKeys } from "../../components/story-mode.js";

// The Raft scenario: RaftScope's picture on drydock's Raft (docs/scenarios.md walks through it).
export const scenario = defineScenario<RaftViewModel>({
  id: "raft",
  title: "Raft: election and replication",
  order: 1,
  view: "raft",
  component: RaftView,
  panel: RaftPanel,
  blurb: "Servers elect a leader when their election timer (the shrinking arc) runs out. Click a server to stop it, time it out or send it a client request; click a message to read it or drop it. Press ? for the keys.",
  options: [
    { key: "size", label: "Servers", kind: "int", min: 3, max: 9, def: 5 },
    { key: "prevote", label: "PreVote", kind: "bool", def: false },
    { key: "checkquorum", label: "CheckQuorum", kind: "bool", def: false },
    { key: "timeouts", label: "Election timeout", kind: "choice", choices: Object.keys(ELECTION_TIMEOUTS), def: "150-300ms" },
  ],
  windowUs: 400_000,
  speed: 0.03,
  // Message kinds hidden (the message-type filter); the story's step in story mode (story=1).
  settings: ["hide", "story"],
  keys: [...RAFT_KEYS, ...storyKeys<RaftViewModel>(RAFT_STORY)],
  create: createRaftDriver,
});
