import { describe, expect, it } from "vitest";
import { AppState } from "../../state.svelte.js";
import { SCENARIOS } from "../../scenarios.js";
import type { BuildViewModel } from "./model.js";
import type { ContainersViewModel } from "../containers/model.js";
import type { BridgeViewModel } from "../bridge/model.js";

// The three one-host views (build, containers, bridge) through the app as a link opens them: each
// step typed is an exec action in the log, so a link made after the steps reproduces the screen
// (docs/scenarios.md, "Rules that keep links and time travel exact").

type Steps = { readonly next: { readonly line: string } | null; readonly host: string; readonly busy: boolean; readonly caption: { readonly step: string } };

/** Types every step the view offers, running each to its end. */
function typeAll(app: AppState): void {
  for (let i = 0; i < 8; i++) {
    const v = app.frame.view as Steps;
    if (!v.next) return;
    expect(app.act({ type: "exec", host: v.host, line: v.next.line })).toBe(true);
    app.autoPause = false;
    app.setSpeed(5);
    app.play();
    for (let k = 0; k < 200 && (app.frame.view as Steps).busy; k++) app.tick(50);
    for (let k = 0; k < 20; k++) app.tick(50);
    app.pause();
  }
}

describe("links to the one-host views", () => {
  for (const [id, last] of [["build", "copy-on-write"], ["containers", "pid-host"], ["bridge", "published"]] as const) {
    it(`?scenario=${id}: every step typed, and a link made then reproduces the screen`, () => {
      const app = new AppState(SCENARIOS, `?scenario=${id}&seed=1`);
      expect(app.linkError).toBeNull();
      typeAll(app);
      const v = app.frame.view as BuildViewModel | ContainersViewModel | BridgeViewModel;
      expect(v.caption.step).toBe(last);
      expect(v.next).toBeNull();
      const copy = new AppState(SCENARIOS, app.linkSearch());
      expect(copy.linkError).toBeNull();
      expect(copy.hashes).toEqual(app.hashes);
      expect(copy.frame.view).toEqual(app.frame.view);
    });
  }
});
