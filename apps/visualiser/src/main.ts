import { mount } from "svelte";
import App from "./App.svelte";
import { AppState } from "./lib/state.svelte.js";
import { SCENARIOS } from "./lib/scenarios.js";
import "./app.css";

// Fingerprints wait until the page has shown its first frame and the user stops scrubbing or
// stepping for a moment, then run a step at a time between frames, so hashing a long trace
// never holds the page up.
let shown = false;
let pending: ReturnType<typeof setTimeout> | undefined;
let job: (() => boolean) | null = null;
const run = (): void => {
  if (job && !job()) pending = setTimeout(run, 0);
  else job = null;
};
const later = (step: () => boolean): void => {
  clearTimeout(pending);
  job = step;
  if (shown) pending = setTimeout(run, 120);
};

// The link is the query and the fragment (where the action log lives: it is never sent to a
// server, so a long session meets no limit on request lines).
performance.mark("drydock:start");
const app = new AppState(SCENARIOS, location.search + location.hash, (link) => {
  if (link !== location.search + location.hash) history.replaceState(null, "", link);
}, later);
performance.mark("drydock:replayed");

mount(App, { target: document.getElementById("app")!, props: { app } });
performance.mark("drydock:mounted");
// What opening a link cost (the benchmarks read these): the replay, and the page until the
// first frame of the view is on the screen.
performance.measure("drydock:replay", "drydock:start", "drydock:replayed");
requestAnimationFrame(() => setTimeout(() => {
  performance.mark("drydock:shown");
  shown = true;
  if (job) pending = setTimeout(run, 0);
}, 0));
