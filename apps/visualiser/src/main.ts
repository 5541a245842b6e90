import { mount } from "svelte";
import App from "./App.svelte";
import { AppState } from "./lib/state.svelte.js";
import { SCENARIOS } from "./lib/scenarios.js";
import "./app.css";

// Fingerprints wait until the user stops scrubbing or stepping for a moment.
let pending: ReturnType<typeof setTimeout> | undefined;
const later = (work: () => void): void => {
  clearTimeout(pending);
  pending = setTimeout(work, 120);
};

const app = new AppState(SCENARIOS, location.search, (search) => {
  if (search !== location.search) history.replaceState(null, "", search);
}, later);

mount(App, { target: document.getElementById("app")!, props: { app } });
