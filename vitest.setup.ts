// fast-check draws a fresh seed on every local run (and prints it, with the shrunk
// counterexample, on failure), so development keeps exploring. CI uses one fixed seed so that a
// CI run is replayable like everything else here; FC_SEED=<n> replays any reported seed.
import fc from "fast-check";

const fromEnv = process.env.FC_SEED;
const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : process.env.CI ? 20261128 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed });
