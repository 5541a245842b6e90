import { describe, expect, it } from "vitest";
import { SCENARIOS, DEFAULT_SCENARIO } from "./scenarios.js";
import { scenario as networkScenario } from "./scenarios/network/index.js";
import { decodeActions, encodeActions, formatLink, parseLink, splitLink, type LinkState } from "./url.js";
import { CHART_DEFAULTS } from "./chart-settings.js";

const base: LinkState = {
  scenario: networkScenario.id, seed: "abc", options: { size: 5 }, actions: [], events: 42, timeUs: 1_234_000,
  charts: false, embed: false, projector: true, autoPause: false, panel: true, sequence: false, terminal: null, ui: {},
  speed: null, selected: null, chart: CHART_DEFAULTS,
};

const parse = (link: string) => {
  const { search, hash } = splitLink(link);
  return parseLink(search, SCENARIOS, DEFAULT_SCENARIO, hash);
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
    const text = formatLink(link, networkScenario);
    // The action log travels in the fragment, which is never sent to a server.
    expect(text).toMatch(/^\?[^#]*#actions=[A-Za-z0-9_-]+$/);
    expect(splitLink(text).search).not.toMatch(/actions/);
    expect(parse(text)).toEqual({ ok: true, link });
  });

  it("keeps the terminal panel shown or hidden when it differs from the scene's default, and refuses a bad value", () => {
    for (const terminal of [true, false]) {
      const text = formatLink({ ...base, terminal }, networkScenario);
      // The network scene does not open the terminal by default: only term=1 is written.
      expect(text.includes("term=1")).toBe(terminal);
      expect(parse(text)).toEqual({ ok: true, link: { ...base, terminal: terminal ? true : null } });
    }
    expect(parse("?scenario=network&term=yes")).toMatchObject({ ok: false, error: expect.stringContaining('term must be 1 (show the terminal) or 0, not "yes"') });
  });

  it("still opens links with the action log in the query (made before it moved to the fragment)", () => {
    const actions = [{ index: 3, at: 1000, action: { type: "crash", node: "n2" } }];
    const r = parse(`?v=1&scenario=network&seed=abc&e=9&actions=${encodeActions(actions)}`);
    expect(r.ok && r.link.actions).toEqual(actions);
  });

  it("keeps speed, the selected node and the charts' settings", () => {
    const link: LinkState = { ...base, speed: 3, selected: "n3", chart: { trials: 500, timeouts: "150-155ms", prevote: true } };
    const text = formatLink(link, networkScenario);
    expect(text).toMatch(/speed=3&sel=n3/);
    expect(text).toMatch(/trials=500&ctimeout=150-155ms&cprevote=1/);
    expect(parse(text)).toEqual({ ok: true, link });
    // The scenario's own speed is left out.
    expect(formatLink({ ...base, speed: networkScenario.speed }, networkScenario)).not.toMatch(/speed=/);
  });

  it("a link of 290 actions keeps its query short: the log is in the fragment", () => {
    const actions = Array.from({ length: 290 }, (_, i) => ({ index: i * 10, at: i * 1000, action: { type: "crash", node: `n${(i % 4) + 1}` } }));
    const text = formatLink({ ...base, actions }, networkScenario);
    expect(splitLink(text).search.length).toBeLessThan(200);
    expect(parse(text).ok && (parse(text) as { link: LinkState }).link.actions).toHaveLength(290);
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
    ["?speed=7", /speed must be one of/],
    ["?sel=%3Cb%3E", /selected node/],
    ["?trials=7", /trials must be one of/],
    ["?ctimeout=1-2ms", /election timeout must be one of/],
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

  it("carries the terminal's host (the host picker's choice) as on=, and refuses a bad one", () => {
    const r = parse("?scenario=node-failure&on=worker2");
    expect(r).toMatchObject({ ok: true, link: { host: "worker2" } });
    if (r.ok) expect(formatLink(r.link, SCENARIOS.find((s) => s.id === "node-failure")!)).toContain("&on=worker2");
    expect(parse("?scenario=node-failure&on=a%20b")).toMatchObject({ ok: false, error: expect.stringContaining("the terminal's host must be a name") });
  });
});
