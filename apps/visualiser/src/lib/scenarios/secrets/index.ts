import { defineScenario } from "../../scenario.js";
import { createSecretsDriver, SECRET } from "./driver.js";
import type { SecretsViewModel } from "./model.js";
import SecretsView from "./SecretsView.svelte";

// Issue 14's secrets scene: where a swarm secret lives, node by node.
export const scenario = defineScenario<SecretsViewModel>({
  id: "secrets",
  title: "Swarm: secrets",
  order: 6.5,
  view: "secrets",
  component: SecretsView,
  blurb: `Three managers and four workers. docker secret create seals ${SECRET} into the Raft store (NaCl secretbox: every manager keeps ciphertext); a service granted it gets it only on the nodes that run its tasks, in memory at /run/secrets (a tmpfs), and it goes when the task ends or the grant is removed.`,
  options: [],
  windowUs: 2_000_000,
  speed: 1,
  create: createSecretsDriver,
});
