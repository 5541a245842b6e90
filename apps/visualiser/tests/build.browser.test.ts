import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { contrast, NON_TEXT_MIN } from "../src/lib/contrast.js";
import { MEASURE_HTML, type HtmlLegibility } from "../src/lib/scenarios/build/legibility.js";

// Issue 14, images and builds: the Dockerfile beside the layers it builds, typed step by step in
// the page's playground. BuildKit prints CACHED for a step whose cache record it reused; a
// changed instruction misses the cache and so does every step after it, since each step's cache
// key includes its parent's (moby/buildkit solver: a vertex's digest covers its inputs; Docker
// docs "Build cache invalidation": "once a layer changes, all downstream layers need to be
// rebuilt"). Stages other than the target leave no layer in the image (docs "Multi-stage
// builds"). Images sharing a base share its layers (course: SHARING LAYERS). A container's
// writable layer: overlayfs copies a lower file up before changing it and records a deletion as a
// whiteout (kernel Documentation/filesystems/overlayfs.rst; `docker diff` C and D).
// Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-build"]');
  return p;
}

const caption = (page: Page) => page.locator('[data-testid="build-caption"]').getAttribute("data-step");

/** Types the next step (the Next button), then the next notable event until the caption is `step`. */
async function step(page: Page, id: string, want: string): Promise<void> {
  expect(await page.locator('[data-testid="step-next"]').getAttribute("data-step")).toBe(id);
  const done = Number(await page.locator('[data-testid="steps"]').getAttribute("data-done"));
  await page.click('[data-testid="step-next"]');
  // The line is in the log once the step counts as typed.
  await page.waitForSelector(`[data-testid="steps"][data-done="${done + 1}"]`);
  // The click plays until the line has finished (or a notable event pauses it first).
  await page.waitForSelector('[data-testid="app"][data-playing="0"]', { timeout: 60_000 });
  // The next notable event until the caption is the step's; one event at a time while a line is
  // still running at the prompt (an instant command ends at the instant it was typed).
  for (let i = 0; i < 40; i++) {
    const busy = (await page.locator('[data-testid="steps"]').getAttribute("data-busy")) === "1";
    if (!busy && (await caption(page)) === want) break;
    await page.keyboard.press(busy ? "ArrowRight" : "PageDown");
    await page.waitForTimeout(50);
  }
  expect(await caption(page)).toBe(want);
}

async function statuses(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const l of await page.locator('[data-testid="df-line"]').all()) {
    const text = ((await l.locator("code").textContent()) ?? "").trim();
    if (text) out[text] = (await l.getAttribute("data-status"))!;
  }
  return out;
}

const layerImages = (page: Page) => page.locator('[data-testid="layer"]').evaluateAll((ls) => ls.map((l) => `${l.getAttribute("data-depth")}:${l.getAttribute("data-images")}`).sort());

describe("images and builds (?scenario=build)", () => {
  it("builds, rebuilds a changed line, shares layers and shows a container's copy-up and whiteout", async () => {
    const p = await open("?scenario=build&seed=1&speed=10");
    expect(await caption(p.page)).toBe("start");
    expect(await p.page.locator('[data-testid="layer"]').count()).toBe(0);

    await step(p.page, "build", "built");
    let s = await statuses(p.page);
    expect(s["RUN apk add --no-cache gcc musl-dev"]).toBe("run");
    expect(s["COPY motd /etc/motd"]).toBe("run");
    expect(s['CMD ["hello"]']).toBe("metadata");
    expect(await p.page.locator('[data-testid="df-stage"]').allTextContents()).toEqual(["stage build: dropped from the image", "stage stage-1: the image"]);
    // The image holds the second stage's layers only: alpine, curl, hello, motd.
    expect(await p.page.locator('[data-testid="image-tag"]').evaluateAll((ts) => ts.map((t) => `${t.getAttribute("data-tag")}/${t.getAttribute("data-layers")}`))).toEqual(["app:1/4"]);

    await step(p.page, "edit", "invalidated");
    s = await statuses(p.page);
    expect(s["RUN apk add --no-cache gcc musl-dev"]).toBe("cached");
    expect(s["RUN gcc -o /src/hello /src/hello.c"]).toBe("cached");
    expect(s["RUN apk add --no-cache curl jq"]).toBe("run");
    // Everything after the changed line ran again, though its files did not change.
    expect(s["COPY --from=build /src/hello /usr/local/bin/hello"]).toBe("run");
    expect(s["COPY motd /etc/motd"]).toBe("run");

    await step(p.page, "share", "shared");
    s = await statuses(p.page);
    expect(s).toEqual({ "FROM alpine:3.19": "cached", "RUN apk add --no-cache curl": "cached", "RUN apk add --no-cache git": "run" });
    const layers = await layerImages(p.page);
    // The base layer drawn once for the three images; app:1's curl layer shared with tools:1.
    expect(layers.filter((l) => l.startsWith("0:"))).toEqual(["0:app:1 app:2 tools:1"]);
    expect(layers.filter((l) => l.startsWith("1:"))).toEqual(["1:app:1 tools:1", "1:app:2"]);

    await step(p.page, "run", "writable");
    expect(await p.page.locator('[data-testid="container-layer"]').getAttribute("data-entries")).toBe("0");
    await step(p.page, "write", "copy-on-write");
    const entries = await p.page.locator('[data-testid="upper-entry"]').evaluateAll((es) => es.map((e) => `${e.getAttribute("data-kind")} ${e.getAttribute("data-path")}`));
    expect(entries).toEqual(["whiteout /etc/alpine-release", "copied-up /etc/motd", "added /tmp/new.txt"]);
    expect(await p.page.locator('[data-testid="layer"] .cow').allTextContents()).toEqual(["✕ /etc/alpine-release whiteout", "▲ /etc/motd copied up"]);
    expect(await p.page.locator('[data-testid="step-next"]').count()).toBe(0);
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=build&seed=1&speed=10&${mode}`, size);
      for (const [id, want] of [["build", "built"], ["edit", "invalidated"], ["share", "shared"], ["run", "writable"], ["write", "copy-on-write"]] as const) await step(p.page, id, want);
      await p.page.waitForTimeout(300);
      const m = await p.page.evaluate(`(${MEASURE_HTML})('[data-testid="view-build"]')`) as HtmlLegibility;
      await screenshot(p.page, `build-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }

  // QA walk of session 5, D9: Next did nothing visible until Play; D11: the dropped stage.
  it("Next shows its effect: the build runs to its end and pauses there, without Play", async () => {
    const p = await open("?scenario=build&seed=1&projector");
    expect(await p.page.locator('[data-testid="layers"]').textContent()).toContain("No image built yet");
    // Nothing is dropped before anything is built.
    expect(await p.page.locator('[data-testid="df-stage"]').allTextContents()).not.toContain("stage build: dropped from the image");
    await screenshot(p.page, "build-start-projector-1280x720");
    await p.page.click('[data-testid="step-next"]');
    await p.page.waitForSelector('[data-testid="app"][data-playing="0"][data-events]:not([data-now="0"])', { timeout: 60_000 });
    await p.page.waitForSelector('[data-testid="steps"][data-busy="0"]', { timeout: 60_000 });
    expect(Number(await p.page.locator('[data-testid="app"]').getAttribute("data-now"))).toBeGreaterThan(0);
    expect(await caption(p.page)).toBe("built");
    expect(await p.page.locator('[data-testid="layers"]').textContent()).not.toContain("No image built yet");
    expect(await p.page.locator('[data-testid="step-next"]').isEnabled()).toBe(true);
    // The dropped stage reads: a label, no strike-through, its text at least 3:1 on white (WCAG 1.4.3's floor for large text, a projector's size).
    const dropped = p.page.locator('[data-testid="df-line"].dropped code');
    expect(await dropped.count()).toBe(4);
    for (const style of await dropped.evaluateAll((els) => els.map((el) => ({ line: getComputedStyle(el).textDecorationLine, color: getComputedStyle(el).color, text: el.textContent!.trim() })))) {
      expect(style.line).toBe("none");
      // The blank line after the stage is not marked (a struck-through space read as a stray "–").
      expect(style.text).not.toBe("");
      const rgb = style.color.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
      expect(contrast(rgb, "#ffffff")).toBeGreaterThanOrEqual(NON_TEXT_MIN);
    }
    expect(await p.page.locator('[data-testid="df-stage"]').allTextContents()).toContain("stage build: dropped from the image");
    await screenshot(p.page, "build-next-projector-1280x720");
    expect(p.errors).toEqual([]);
  });
});
