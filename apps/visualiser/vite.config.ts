import { defineConfig, defaultClientConditions } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Workspace packages are imported as TypeScript source through this export condition.
const conditions = ["drydock-source", ...defaultClientConditions];

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset paths: the built site works from any directory of any static server.
  base: "./",
  plugins: [svelte()],
  resolve: { conditions },
  // Pre-bundle the CommonJS and large dependencies up front, so a first page load never
  // triggers a re-optimisation and reload (a source of flaky browser tests).
  optimizeDeps: { include: ["d3", "immer", "seedrandom", "@noble/hashes/sha2.js", "@noble/hashes/utils.js"] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1500 },
  server: { host: "127.0.0.1" },
});
