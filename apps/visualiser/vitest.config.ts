import { defineProject } from "vitest/config";
// Placeholder until the app lands: the visualiser's own test project.
export default defineProject({ test: { name: "visualiser", include: ["src/**/*.test.ts", "tests/**/*.test.ts"], passWithNoTests: true } });
