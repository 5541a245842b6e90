// The one list of test projects. Vitest 4 reads projects from `test.projects`, so this file is
// the config that `npm test` runs (`vitest run --config vitest.workspace.ts`).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Packages import each other's TypeScript sources through this export condition (no build step).
const conditions = ["drydock-source"];

const setup = fileURLToPath(new URL("./vitest.setup.ts", import.meta.url));

const pkg = (name: string) => ({
  extends: false as const,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name,
    root: `packages/${name}`,
    include: ["src/**/*.test.ts"],
    environment: "node" as const,
    // Property tests drive whole worlds; on a loaded 2-core machine one can take tens of seconds.
    // A bound, not a performance assertion: figures live in the benchmarks.
    testTimeout: 60_000,
    setupFiles: [setup],
  },
});

export default defineConfig({
  test: {
    projects: [
      pkg("kernel"),
      pkg("raft"),
      pkg("swim"),
      pkg("image"),
      pkg("engine"),
      pkg("swarm"),
      pkg("kube"),
      pkg("compose"),
      pkg("playground"),
      pkg("testkit"),
      pkg("cli"),
      pkg("labs"),
      // The app's own config (Svelte plugin, browser tests) lives beside it.
      "apps/visualiser/vitest.config.ts",
    ],
  },
});
