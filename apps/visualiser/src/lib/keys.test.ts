import { describe, expect, it } from "vitest";
import { commandForKey } from "./keys.js";

const none = { ctrl: false, meta: false, alt: false };

describe("keys", () => {
  // Presentation remotes (Logitech Spotlight, R400) send PageUp/PageDown for back/next and
  // "." or "b" for their blank-screen button.
  it("maps presenter remote keys", () => {
    expect(commandForKey("PageDown", null, none)).toBe("nextNotable");
    expect(commandForKey("PageUp", null, none)).toBe("prevNotable");
    expect(commandForKey(".", null, none)).toBe("togglePlay");
    expect(commandForKey("b", null, none)).toBe("togglePlay");
  });

  it("maps space and the arrows", () => {
    expect(commandForKey(" ", { tagName: "BUTTON" }, none)).toBe("togglePlay");
    expect(commandForKey("ArrowLeft", null, none)).toBe("stepBack");
    expect(commandForKey("ArrowRight", null, none)).toBe("stepForward");
  });

  it("leaves typing in fields and browser shortcuts alone", () => {
    expect(commandForKey("b", { tagName: "INPUT" }, none)).toBeNull();
    expect(commandForKey(" ", { tagName: "textarea" }, none)).toBeNull();
    expect(commandForKey("ArrowLeft", null, { ...none, alt: true })).toBeNull();
    expect(commandForKey(".", { tagName: "INPUT", type: "text" }, none)).toBeNull();
  });

  it("still applies on the scrubber and check boxes, which take no typing", () => {
    expect(commandForKey("ArrowLeft", { tagName: "INPUT", type: "range" }, none)).toBe("stepBack");
    expect(commandForKey(" ", { tagName: "INPUT", type: "checkbox" }, none)).toBe("togglePlay");
  });
});
