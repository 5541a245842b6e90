import { defineProject } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Workspace packages resolve to their TypeScript sources through this condition.
const conditions = ["drydock-source"];

// The visualiser's own test project: unit tests of the app's logic run in Node, and the browser
// tests (tests/*.browser.test.ts) start a Vite server and drive Debian's chromium with
// playwright-core. Browser tests share one server and one browser, so they run in one file
// order, never in parallel with each other.
export default defineProject({
  plugins: [svelte()],
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "visualiser",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // No browser: one line saying how to install one, at once (tests/chromium.ts finds it).
    globalSetup: ["tests/global-setup.ts"],
  },
});
