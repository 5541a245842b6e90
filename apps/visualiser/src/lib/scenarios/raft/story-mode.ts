// Story mode moved to components/story-mode.ts (shared by the raft, gossip and swarm scenes);
// this re-export keeps older imports (tests/raftscope.browser.test.ts) working.
export * from "../../components/story-mode.js";
