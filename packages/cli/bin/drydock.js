#!/usr/bin/env node
// The `drydock` command. Installed from npm it runs the built JavaScript (dist/). In this
// repository it runs the TypeScript sources through tsx, with every workspace package resolved
// to its sources (the drydock-source export condition), so no build step is needed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("./main.ts", import.meta.url));
if (!existsSync(source)) {
  await import("../dist/bin/main.js");
} else if (process.execArgv.some((a) => a.includes("drydock-source"))) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./main.ts");
} else {
  // Node reads export conditions only from its command line: start again with the condition.
  const tsx = import.meta.resolve("tsx");
  const r = spawnSync(process.execPath, ["--conditions=drydock-source", "--import", tsx, source, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
