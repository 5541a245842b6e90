// labs/course.yaml and the lab files are one set, in the course's order.
import { describe, expect, it } from "vitest";
import { orderLabs } from "./course.js";
import { LabError, parseLab } from "./format.js";

const lab = (slug: string) => parseLab("title: T\nmodule: M\nsteps:\n  - run: ls\n    caption: c\n", `labs/${slug}.yaml`);
const LABS = [lab("b"), lab("a")];

function errorOf(text: string): string {
  try {
    orderLabs(LABS, text, "labs/course.yaml");
  } catch (e) {
    if (e instanceof LabError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("orderLabs", () => {
  it("orders the labs as the course file lists them", () => {
    expect(orderLabs(LABS, "- a\n- b\n", "labs/course.yaml").map((l) => l.slug)).toEqual(["a", "b"]);
  });

  it.each([
    ["a name with no file", "- a\n- b\n- c\n", "labs/course.yaml:3:3: [2]: no lab file labs/c.yaml"],
    ["a lab listed twice", "- a\n- b\n- a\n", "labs/course.yaml:3:3: [2]: a is listed twice"],
    ["a lab not listed", "- a\n", "labs/course.yaml:2:1: not listed: b (every lab file has its place in the course)"],
    ["not a list", "a: b\n", "labs/course.yaml:1:1: must be a list of lab names, in the course's order"],
    ["a name that is not a string", "- a\n- [b]\n", "labs/course.yaml:2:3: [1]: must be a lab's name"],
  ])("%s is a located error", (_what, text, message) => {
    expect(errorOf(text)).toBe(message);
  });
});
