import { describe, expect, it } from "vitest";
import { SCENARIOS, DEFAULT_SCENARIO } from "./scenarios.js";
import { networkScenario } from "./drivers/network.js";
import { decodeActions, encodeActions, formatLink, parseLink, type LinkState } from "./url.js";

const base: LinkState = {
  scenario: networkScenario.id, seed: "abc", options: { size: 5 }, actions: [], events: 42, timeUs: 1_234_000,
  charts: false, embed: false, projector: true, autoPause: false, panel: true, sequence: false, ui: {},
};

describe("links", () => {
  it("round-trips scenario, seed, options, actions, position and flags", () => {
    const link: LinkState = {
      ...base,
      actions: [
        { index: 3, at: 1000, action: { type: "crash", node: "n2" } },
        { index: 9, at: 5000, action: { type: "partition", groups: [["n1"], ["n2", "n3"]] } },
      ],
    };
    const parsed = parseLink(formatLink(link, networkScenario), SCENARIOS, DEFAULT_SCENARIO);
    expect(parsed).toEqual({ ok: true, link });
  });

  it("keeps user text (a node name with markup) as data, byte for byte", () => {
    const actions = [{ index: 0, at: 0, action: { type: "crash", node: "<img src=x onerror=alert(1)>é" } }];
    expect(decodeActions(encodeActions(actions))).toEqual(actions);
  });

  it("reports an unknown scenario in words and names the ones that exist", () => {
    const r = parseLink("?scenario=nope", SCENARIOS, DEFAULT_SCENARIO);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no scenario called "nope".*default scenario/);
  });

  it("reports an outdated link version", () => {
    const r = parseLink("?v=0&scenario=network", SCENARIOS, DEFAULT_SCENARIO);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/another version/);
  });

  it.each([
    ["?seed=a%20b", /seed/],
    ["?scenario=network&size=99", /Nodes must be a whole number from 2 to 9/],
    ["?e=-1", /event number/],
    ["?actions=%%%", /base64url/],
    ["?actions=bm90IGpzb24", /not valid JSON/],
    ["?actions=W1sxLDAseyJ0eXBlIjoiY3Jhc2gifV0sWzAsMCx7InR5cGUiOiJjcmFzaCJ9XV0", /bad position/],
    ["?view=gossip&scenario=network", /no "gossip" view/],
  ])("rejects %s", (search, message) => {
    const r = parseLink(search, SCENARIOS, DEFAULT_SCENARIO);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it("gives defaults for an empty link", () => {
    const r = parseLink("", SCENARIOS, DEFAULT_SCENARIO);
    expect(r.ok && r.link.scenario).toBe(DEFAULT_SCENARIO.id);
    expect(r.ok && r.link.autoPause).toBe(true);
  });
});
