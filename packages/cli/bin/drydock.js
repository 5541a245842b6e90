#!/usr/bin/env node
// The `drydock` command. Installed from npm it runs the built JavaScript (dist/). In this
// repository it runs the TypeScript sources through tsx, with every workspace package resolved
// to its sources (the drydock-source export condition), so no build step is needed; but when
// `npm run build:packages` is up to date with every source (bin/built.ts), it runs the built
// files, as installed, without tsx's second or so of start-up. DRYDOCK_SOURCE=1 keeps the
// sources; so does `npm run drydock` (the condition on its command line).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("./main.ts", import.meta.url));
const built = new URL("../dist/bin/main.js", import.meta.url);

/**
 * Whether every package's built files are as new as their sources (any doubt: no). A
 * TypeScript file named on the command line (`drydock sweep --load props.ts`) needs tsx.
 */
async function upToDate() {
  if (process.env.DRYDOCK_SOURCE || process.argv.slice(2).some((a) => /\.[cm]?tsx?$/.test(a))) return false;
  if (!existsSync(fileURLToPath(new URL("../dist/bin/built.js", import.meta.url)))) return false;
  try {
    const { staleSources, workspacePairs } = await import("../dist/bin/built.js");
    return staleSources(workspacePairs(fileURLToPath(new URL("../../", import.meta.url)))).length === 0;
  } catch {
    return false;
  }
}

if (!existsSync(source)) {
  await import("../dist/bin/main.js");
} else if (process.execArgv.some((a) => a.includes("drydock-source"))) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./main.ts");
} else if (await upToDate()) {
  await import(built.href);
} else {
  // Node reads export conditions only from its command line: start again with the condition.
  const tsx = import.meta.resolve("tsx");
  const r = spawnSync(process.execPath, ["--conditions=drydock-source", "--import", tsx, source, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
