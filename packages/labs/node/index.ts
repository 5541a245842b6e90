// Node-only: reads the lab files shipped with the package (labs/*.yaml). The format and the
// runner (src/) are pure; this module does the I/O.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { orderLabs, parseLab, type Lab } from "../src/index.js";

/** The package's labs/ directory, from the sources (node/) or the build (dist/node/). */
export const LABS_DIR: string = (() => {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return here.includes(`${join("dist", "node")}`) ? join(here, "..", "..", "labs") : join(here, "..", "labs");
})();

/** Every lab of a directory (default: the package's), parsed, in course.yaml's order. Throws a LabError for a bad file. */
export function loadLabs(dir: string = LABS_DIR): Lab[] {
  const labs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "course.yaml")
    .sort()
    .map((f) => parseLab(readFileSync(join(dir, f), "utf8"), `labs/${f}`));
  return orderLabs(labs, readFileSync(join(dir, "course.yaml"), "utf8"), "labs/course.yaml");
}
