import type { AppAction } from "../../scenario.js";
import type { StoryRules, StoryStep } from "../../components/story-mode.js";
import { SEEN_DEAD, SEEN_SUSPECT, type GossipViewModel } from "./model.js";

// SWIM in story mode (?scenario=gossip&story=1): a crash, suspicion, the verdict and its
// dissemination. The words follow the SWIM paper (Das, Gupta and Motivala, 2002: §3 the failure
// detector's ping and ping-req, §4.2 the suspicion mechanism and incarnation numbers, §4.1
// infection-style dissemination piggybacked on the detector's messages) and memberlist's
// Lifeguard suspicion timeout; the points are read from what each member believes (the view).

export const SWIM_STORY: readonly StoryStep[] = [
  { id: "members", title: "Members that probe each other", at: null,
    caption: "Every protocol period (1 s) each member pings one other member, chosen in turn from a shuffled list; an ack says it is alive. Nobody watches everybody: each member sends about one probe a period. Press Next (↓)." },
  { id: "suspect", title: "A crash, then suspicion", act: "crash", at: { point: "suspect" }, highlight: "watched",
    caption: "One member crashed (drawn large). Its next prober got no ack, asked a few others to ping it on its behalf (ping-req), heard nothing back either, and now marks it SUSPECT, not dead: a slow member should not be thrown out." },
  { id: "dead", title: "No refutation: dead", at: { point: "dead" }, highlight: "watched",
    caption: "A suspected member that is alive refutes the rumour with a higher incarnation number. This one is gone: the suspicion timeout ran out with no refutation, so its suspecter declares it DEAD." },
  { id: "spread", title: "Dissemination", at: { point: "all-dead" }, highlight: "watched",
    caption: "There is no broadcast: the news rides on the pings and acks members send anyway, so it spreads like an infection and every member knows within about log n periods." },
  { id: "free", title: "Free play", at: null,
    caption: "Click a member to crash it, isolate it, make it leave or publish a service entry; compare the messages with heartbeats beside it. Next ends the story." },
];

/** Members that are up and believe `state` (or worse) about the watched member. */
function believers(v: GossipViewModel, state: number): number {
  let n = 0;
  for (let i = 0; i < v.swim.names.length; i++) if (v.swim.up[i] === 1 && v.swim.seen[i]! >= state) n++;
  return n;
}

export const SWIM_STORY_RULES: StoryRules<GossipViewModel> = {
  reached(point, v) {
    const up = v.swim.up.reduce((a, b) => a + b, 0);
    switch (point) {
      case "suspect": return v.watched !== null && believers(v, SEEN_SUSPECT) > 0;
      case "dead": return v.watched !== null && believers(v, SEEN_DEAD) > 0;
      case "all-dead": return v.watched !== null && believers(v, SEEN_DEAD) === up;
      default: return true;
    }
  },
  actions(name, v): AppAction[] {
    if (name !== "crash") return [];
    // A member halfway round the ring, so it is drawn clear of the names at the top.
    const names = v.swim.names;
    const target = names[Math.floor(names.length / 2)];
    return target && v.swim.up[names.indexOf(target)] === 1 ? [{ type: "crash", node: target }] : [];
  },
  highlight(name, v) {
    return name === "watched" && v.watched ? [v.watched] : [];
  },
};
