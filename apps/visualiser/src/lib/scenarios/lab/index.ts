import { defineScenario } from "../../scenario.js";
import { LABS } from "../../labs/catalog.js";
import { STEP_MAX, createLabDriver } from "./driver.js";
import type { LabViewModel } from "./model.js";
import LabView from "./LabView.svelte";
import LabNotes from "./LabNotes.svelte";

// Issue 17 in the app: the course's exercises as guided labs beside the view of their world.
// `?lab=<slug>&step=N` opens one at a step; `instructor=1` adds the speaker notes (`notes=1` is
// the notes window), a pause at each step and the remote's keys.
export const scenario = defineScenario<LabViewModel>({
  id: "lab",
  title: "Guided lab",
  order: 50,
  view: "lab",
  component: LabView,
  blurb: "One of the course's exercises, step by step, on its own simulated hosts: have each command typed for you, or type it in the terminal yourself; the checks say whether the world got there. Click a step's number to go back to it.",
  options: [
    { key: "lab", label: "Lab", kind: "choice", choices: LABS.map((l) => l.slug), def: LABS[0]!.slug, resets: ["step"] },
    { key: "step", label: "Step", kind: "int", min: 1, max: STEP_MAX, def: 1 },
    { key: "instructor", label: "Instructor mode", kind: "bool", def: false },
  ],
  settings: ["notes"],
  windowUs: 6_000_000,
  speed: 1,
  terminal: true,
  page: (ui) => (ui.notes === "1" ? LabNotes : null),
  create: createLabDriver,
});
