import { describe, expect, it } from "vitest";
import { SCENARIOS, DEFAULT_SCENARIO } from "./scenarios.js";
import { scenario as networkScenario } from "./scenarios/network/index.js";
import { defaultOptions, decodeActions, encodeActions, formatLink, parseLink, splitLink, type LinkState } from "./url.js";
import { CHART_DEFAULTS } from "./chart-settings.js";
import { labBySlug } from "./labs/catalog.js";

const STEPS = labBySlug("swarm-self-healing")!.steps.length;

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

  it("reports an unknown scene in words, escaped, and keeps the link's flags on the default scene", () => {
    for (const [link, name] of [["?scenario=../../etc&projector", '"../../etc"'], ["?lab=nope&projector", '"nope"'], ["?lab=%3Cscript%3Ealert(1)%3C/script%3E&projector", '"<script>alert(1)</script>"']] as const) {
      const r = parse(link);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toBe(`This link could not be opened: there is no ${link.includes("lab=") ? "lab" : "scene"} named ${name}; showing Raft.`);
      expect(r.link).toMatchObject({ scenario: DEFAULT_SCENARIO.id, projector: true, options: defaultOptions(DEFAULT_SCENARIO) });
    }
  });

  it.each([
    ["?v=0&scenario=network", /another version/],
    ["?actions=%%%", /base64url/],
    ["?actions=bm90IGpzb24", /not valid JSON/],
    ["?actions=W1sxLDAseyJ0eXBlIjoiY3Jhc2gifV0sWzAsMCx7InR5cGUiOiJjcmFzaCJ9XV0", /bad position/],
  ])("refuses %s as a whole (its action log is the run)", (search, message) => {
    const r = parseLink(search, SCENARIOS, DEFAULT_SCENARIO);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    expect(r.ok || r.link).toBeUndefined();
  });

  // QA walk of session 5, D10: one bad option no longer loses the scene or lab.
  it.each([
    ["?scenario=build&seed=", { scenario: "build", seed: "1" }, 'seed="" is not a seed (1 to 40 letters, digits, ".", "_" or "-"); using seed 1'],
    ["?scenario=build&seed=%00", { scenario: "build", seed: "1" }, 'seed="\\u0000" is not a seed'],
    ["?scenario=node-failure&speed=-5", { scenario: "node-failure", speed: null }, "speed=-5 is not a speed (0, 0.01, 0.03, 0.1, 0.25, 1, 3, 10); playing at 3×"],
    ["?scenario=node-failure&speed=", { scenario: "node-failure", speed: null }, 'speed= is not a speed'],
    ["?lab=swarm-self-healing&step=99", { scenario: "lab", options: { lab: "swarm-self-healing", step: STEPS } }, `step=99: the lab swarm-self-healing has steps 1 to ${STEPS}; showing step ${STEPS}`],
    ["?lab=swarm-self-healing&step=0", { scenario: "lab", options: { lab: "swarm-self-healing", step: 1 } }, "showing step 1"],
    ["?lab=swarm-self-healing&step=1e400", { scenario: "lab", options: { lab: "swarm-self-healing", step: 1 } }, "step=1e400"],
    ["?scenario=network&size=99", { scenario: "network", options: { size: 9 } }, 'Nodes must be a whole number from 2 to 9, not "99"; using 9'],
    ["?scenario=raft&size=abc", { scenario: "raft", options: { size: 5 } }, 'Servers must be a whole number from 3 to 9, not "abc"; using 5'],
    ["?e=-1", { events: null }, 'the event number must be a whole, non-negative number, not "-1"; left out'],
    ["?view=gossip&scenario=network", { scenario: "network", charts: false }, 'the network scene has no "gossip" view; showing its network view'],
    ["?sel=%3Cb%3E", { selected: null }, 'the selected node must be a name of up to 64 letters and digits, not "<b>"; none selected'],
    ["?trials=7", { chart: CHART_DEFAULTS }, "trials must be one of"],
    ["?ctimeout=1-2ms", { chart: CHART_DEFAULTS }, "election timeout must be one of"],
    ["?scenario=network&term=yes", { terminal: null }, 'term must be 1 (show the terminal) or 0, not "yes"'],
  ] as const)("%s keeps the valid parts and names the one not understood", (search, kept, message) => {
    const r = parse(search);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.link).toMatchObject(kept);
    expect(r.error).toMatch(/^Part of this link could not be opened: /);
    expect(r.error).toContain(message);
  });

  it("a lab link may name the step past the last (the lab done), and says nothing", () => {
    expect(parse(`?lab=swarm-self-healing&step=${STEPS + 1}`)).toMatchObject({ ok: true, link: { options: { step: STEPS + 1 } } });
  });

  it("names every part not understood, once each", () => {
    const r = parse("?scenario=build&seed=&speed=7&bogus=1");
    expect(r.ok || r.error).toBe('Part of this link could not be opened: seed="" is not a seed (1 to 40 letters, digits, ".", "_" or "-"); using seed 1; speed=7 is not a speed (0, 0.01, 0.03, 0.1, 0.25, 1, 3, 10); playing at 1×.');
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
    expect(parse("?scenario=node-failure&on=a%20b")).toMatchObject({ ok: false, link: { scenario: "node-failure" }, error: expect.stringContaining("the terminal's host must be a name") });
  });
});
