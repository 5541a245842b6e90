import { mount } from "svelte";
import App from "./App.svelte";
import { AppState } from "./lib/state.svelte.js";
import { SCENARIOS } from "./lib/scenarios.js";
import "./app.css";

const app = new AppState(SCENARIOS, location.search, (search) => {
  if (search !== location.search) history.replaceState(null, "", search);
});

mount(App, { target: document.getElementById("app")!, props: { app } });
