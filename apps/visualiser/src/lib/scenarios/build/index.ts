import { defineScenario } from "../../scenario.js";
import { BUILD_KEYS, createBuildDriver } from "./driver.js";
import type { BuildViewModel } from "./model.js";
import BuildView from "./BuildView.svelte";

// Issue 14: images and builds, from the world's builder and its copy-on-write filesystem.
export const scenario = defineScenario<BuildViewModel>({
  id: "build",
  title: "Images and builds",
  order: 10,
  view: "build",
  component: BuildView,
  blurb: "A multi-stage Dockerfile beside the layer stacks it builds: each line CACHED or run, a changed line invalidating what follows, the build stage dropped, layers shared by two images, and a container's writable layer with copy-up and whiteouts. Press S (or Next) to type each step.",
  options: [],
  windowUs: 5_000_000,
  speed: 1,
  keys: BUILD_KEYS,
  create: createBuildDriver,
});
