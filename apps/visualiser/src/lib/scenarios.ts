import type { ScenarioDef } from "./scenario.js";

// Every folder under scenarios/ with an index.ts exporting `scenario` is a scenario the app
// offers: adding a view is adding a folder (docs/scenarios.md), with no list to edit here.
const found = import.meta.glob<ScenarioDef>("./scenarios/*/index.ts", { eager: true, import: "scenario" });

/** Every scenario the picker offers, by `order`; the first is the default. */
export const SCENARIOS: readonly ScenarioDef[] = checked(Object.entries(found));

export const DEFAULT_SCENARIO: ScenarioDef = SCENARIOS[0]!;

/** Sorted by order, and each id once (two folders claiming one id would make links ambiguous). */
function checked(entries: readonly [string, ScenarioDef | undefined][]): ScenarioDef[] {
  const ids = new Map<string, string>();
  const out: ScenarioDef[] = [];
  for (const [path, def] of entries) {
    if (!def) throw new Error(`${path} exports no \`scenario\``);
    const other = ids.get(def.id);
    if (other !== undefined) throw new Error(`${path} and ${other} both define the scenario "${def.id}"`);
    ids.set(def.id, path);
    out.push(def);
  }
  if (out.length === 0) throw new Error("no scenario found under src/lib/scenarios/");
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}
