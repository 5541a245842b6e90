// Model-based tests of the playground (fast-check's fc.commands): sequences of files, images,
// builds, volumes and mistyped lines, each checked against a small model of the world, and every
// failing command checked to leave the world exactly as it was.
import fc from "fast-check";
import { describe, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { checkPlaygroundCommands, playgroundCommands } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = { ...scaled({ sequences: 150 }), commandsMax: 30 };

describe("the playground against a model (fc.commands)", () => {
  it(`${RUNS.sequences} sequences of up to ${RUNS.commandsMax} commands agree with the model, and failures change nothing`, () => {
    fc.assert(fc.property(fc.commands(playgroundCommands(), { maxCommands: RUNS.commandsMax }), fc.nat(1000), (cmds, seed) => {
      checkPlaygroundCommands(() => createPlayground({ seed }), cmds);
    }), { numRuns: RUNS.sequences });
  }, 180_000);
});
