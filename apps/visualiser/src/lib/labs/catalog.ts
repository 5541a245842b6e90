import { orderLabs, parseLab, type Lab } from "@drydock/labs";

// The course's labs in the page: the lab files themselves (packages/labs/labs/*.yaml), bundled
// as text by Vite and read by the labs package's own parser, in course.yaml's order. No file
// system: the page has the same labs `drydock lab` walks.
const files = import.meta.glob<string>("../../../../../packages/labs/labs/*.yaml", { query: "?raw", import: "default", eager: true });

function load(): Lab[] {
  let course: string | undefined;
  const labs: Lab[] = [];
  for (const [path, text] of Object.entries(files)) {
    const name = path.split("/").pop()!;
    if (name === "course.yaml") course = text;
    else labs.push(parseLab(text, `labs/${name}`));
  }
  if (course === undefined) throw new Error("packages/labs/labs/course.yaml is missing");
  return orderLabs(labs, course, "labs/course.yaml");
}

/** Every lab, in the course's order. */
export const LABS: readonly Lab[] = load();

export function labBySlug(slug: string): Lab | undefined {
  return LABS.find((l) => l.slug === slug);
}
