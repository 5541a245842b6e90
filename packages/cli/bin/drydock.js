#!/usr/bin/env node
// Loads the TypeScript sources through tsx (no build step), then runs the CLI.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
