import { describe, expect, it } from "vitest";
import { pointReached, storyKeys, storyStep, type StoryRules, type StoryStep } from "../../components/story-mode.js";
import { RAFT_STORY, RAFT_STORY_RULES } from "./story.js";
import { createRaftDriver } from "./driver.js";
import type { RaftViewModel } from "./model.js";
import type { KeyInput } from "../../scenario.js";

const STEPS: StoryStep[] = [
  { id: "a", title: "A", caption: "first", at: null },
  { id: "b", title: "B", caption: "second", at: { t: 1000 } },
  { id: "c", title: "C", caption: "third", at: { point: "p" } },
];
const RULES: StoryRules<number> = { reached: (p, v) => p === "p" && v > 2, actions: () => [], highlight: () => [] };
const ui = (story?: string): KeyInput => ({ now: 0, selected: null, ui: story === undefined ? {} : { story } });

describe("story mode (issue 17)", () => {
  it("reads the link's step: off, clamped, numbered from 1", () => {
    expect(storyStep(undefined, 3)).toBe(0);
    expect(storyStep("0", 3)).toBe(0);
    expect(storyStep("x", 3)).toBe(0);
    expect(storyStep("2", 3)).toBe(2);
    expect(storyStep("9", 3)).toBe(3);
  });

  it("pauses at a step's time or named point", () => {
    expect(pointReached(STEPS[0]!, RULES, 0, 0, 0)).toBe(true);
    expect(pointReached(STEPS[1]!, RULES, 0, 0, 999)).toBe(false);
    expect(pointReached(STEPS[1]!, RULES, 0, 0, 1000)).toBe(true);
    expect(pointReached(STEPS[2]!, RULES, 2, 0, 0)).toBe(false);
    expect(pointReached(STEPS[2]!, RULES, 3, 0, 0)).toBe(true);
  });

  it("next and back move the story setting; past the last step is free play; outside story mode they refuse", () => {
    const [down, up] = storyKeys<number>(STEPS);
    expect(down!.run(0, ui("1"))).toEqual({ setting: ["story", "2"], notice: "Story 2/3: B" });
    expect(up!.run(0, ui("2"))).toEqual({ setting: ["story", "1"], notice: "Story 1/3: A" });
    expect(up!.run(0, ui("1"))).toEqual({ refused: "This is the story's first step." });
    expect(down!.run(0, ui("3"))).toEqual({ setting: ["story", ""], notice: "The story is over: free play" });
    expect(down!.run(0, ui())).toHaveProperty("refused");
  });

  it("Raft's story: every named point, action and highlight is one the rules know, and the election points are reached in order", () => {
    const d = createRaftDriver("1", { size: 5 });
    const view = (): RaftViewModel => d.view([], { selected: null });
    const entry = view();
    for (const s of RAFT_STORY) if (s.at && "point" in s.at) expect(["candidate", "leader", "appended", "committed", "second-leader", "one-leader"]).toContain(s.at.point);
    expect(RAFT_STORY_RULES.reached("candidate", entry, entry)).toBe(false);
    expect(RAFT_STORY_RULES.highlight("all", entry)).toHaveLength(5);
    let t = 0;
    while (!RAFT_STORY_RULES.reached("candidate", view(), entry) && t < 1_000_000) d.timeline.runUntil((t += 1000));
    expect(RAFT_STORY_RULES.reached("leader", view(), entry)).toBe(false);
    while (!RAFT_STORY_RULES.reached("leader", view(), entry) && t < 2_000_000) d.timeline.runUntil((t += 1000));
    const v = view();
    expect(RAFT_STORY_RULES.highlight("leader", v)).toEqual([v.clientLeader]);
    const part = RAFT_STORY_RULES.actions("partition", v)[0] as unknown as { groups: string[][] };
    expect(part.groups[0]).toContain(v.clientLeader);
    expect(part.groups.map((g) => g.length)).toEqual([2, 3]);
  });
});
