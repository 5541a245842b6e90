import { describe, expect, it } from "vitest";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";

// Issue 17: each lab in the view that fits it (labs' labView), drawn from the lab's own
// playground. An images lab's Dockerfile marks each step as BuildKit reported it (a step that ran,
// then `#5 CACHED` on the same build again: moby/buildkit's plain progress); a network lab's
// bridges with their containers; a Kubernetes lab's Deployment → ReplicaSet → Pods; a containers
// lab's process tree. Screenshots at 1280x720 projector and 640x400 embed in test-results/.

const browser = pagesPerTest();
const SIZES = [["projector", { width: 1280, height: 720 }], ["embed", { width: 640, height: 400 }]] as const;

async function open(search: string, size: { width: number; height: number } = SIZES[0][1]): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="lab-panel"]');
  return p;
}

const view = async (p: AppPage): Promise<string | null> => p.page.locator('[data-testid="lab"]').getAttribute("data-view");
const statuses = async (p: AppPage): Promise<string[]> =>
  p.page.locator('[data-testid="df-line"]').evaluateAll((els) => els.map((e) => `${e.getAttribute("data-status")} ${e.querySelector(".badge")?.textContent ?? ""}`));

describe("labs in the views that fit them", () => {
  it("an images lab: after its build step the Dockerfile's lines say RUN (PULL for FROM), after the rebuild CACHED", async () => {
    const p = await open("?lab=images-dockerfiles-1&step=3&projector");
    expect(await view(p)).toBe("build");
    await p.page.click('[data-testid="lab-do"]');
    await p.page.waitForSelector('[data-testid="lab-step-3"][data-status="done"]', { timeout: 60_000 });
    await p.page.waitForSelector('[data-testid="dockerfile"][data-file="/root/myimage/Dockerfile"][data-building="0"]');
    expect(await statuses(p)).toEqual(["run PULL", "run RUN"]);
    await p.page.waitForSelector('[data-testid="image-tag"][data-tag="figlet:latest"]');
    // The caption is the lab's step, and the view has no step bar of its own (the lab panel has the steps).
    expect(await p.page.locator('[data-testid="build-caption"]').textContent()).toContain("Step 4.");
    expect(await p.page.locator('[data-testid="view-build"] [data-testid="steps"]').count()).toBe(0);
    await p.page.click('[data-testid="lab-do"]');
    await p.page.waitForSelector('[data-testid="lab-step-4"][data-status="done"]', { timeout: 60_000 });
    await p.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="df-line"]')].every((e) => e.getAttribute("data-status") === "cached"));
    expect(await statuses(p)).toEqual(["cached CACHED", "cached CACHED"]);
    expect(p.errors).toEqual([]);
    await screenshot(p.page, "lab-view-build-projector-1280x720");
    const e = await open("?lab=images-dockerfiles-1&step=7&embed", SIZES[1][1]);
    await e.page.waitForSelector('[data-testid="df-line"][data-status="cached"]');
    expect(e.errors).toEqual([]);
    await screenshot(e.page, "lab-view-build-embed-640x400");
  }, 240_000);

  it("a network lab: the bridge view of its host, docker0 with c1 and c2, and the user bridge demo with c3", async () => {
    for (const [mode, size] of SIZES) {
      const p = await open(`?lab=networks-single-host&step=11&${mode}`, size);
      expect(await view(p)).toBe("bridge");
      await p.page.waitForSelector('[data-testid="view-bridge"] [data-testid="network"][data-name="demo"] [data-testid="attachment"][data-container="c3"]');
      const nets = await p.page.locator('[data-testid="network"]').evaluateAll((els) => els.map((e) => `${e.getAttribute("data-name")} ${e.getAttribute("data-bridge")?.slice(0, 3)}`));
      expect(nets).toEqual(["bridge doc", "demo br-"]);
      expect(await p.page.locator('[data-testid="network"][data-name="bridge"] [data-testid="attachment"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-container")))).toEqual(["c1", "c2"]);
      expect(p.errors).toEqual([]);
      await screenshot(p.page, `lab-view-bridge-${mode}-${size.width}x${size.height}`);
    }
  }, 120_000);

  it("a Kubernetes lab: the kube tree of its own Deployment, nginx-deployment → its ReplicaSet → 3 pods", async () => {
    for (const [mode, size] of SIZES) {
      const p = await open(`?lab=kube-orchestration&step=4&${mode}`, size);
      expect(await view(p)).toBe("kube-rollout");
      await p.page.waitForSelector('[data-testid="kube-tree"] [data-testid="kube-deployment"]');
      expect(await p.page.locator('[data-testid="kube-deployment"]').textContent()).toContain("nginx-deployment");
      expect(await p.page.locator('[data-testid="kube-rs"]').count()).toBe(1);
      expect(await p.page.locator('[data-testid="kube-rs"] [data-testid="kube-pod"]').count()).toBe(3);
      // The scene's own buttons (update to nginx:1.27, roll back) are not the lab's.
      expect(await p.page.locator('[data-testid="kube-update"]').count()).toBe(0);
      expect(p.errors).toEqual([]);
      await screenshot(p.page, `lab-view-kube-rollout-${mode}-${size.width}x${size.height}`);
    }
  }, 120_000);

  it("a containers lab and a Kubernetes networking lab: the process tree, and the Service over its pods", async () => {
    for (const [mode, size] of SIZES) {
      const c = await open(`?lab=containers-process-isolation&step=3&${mode}`, size);
      expect(await view(c)).toBe("containers");
      await c.page.waitForSelector('[data-testid="view-containers"] [data-testid="proc"][data-container="pinger"][data-ns-pid="1"]');
      expect(c.errors).toEqual([]);
      await screenshot(c.page, `lab-view-containers-${mode}-${size.width}x${size.height}`);
      const k = await open(`?lab=kube-networking&step=6&${mode}`, size);
      expect(await view(k)).toBe("kube-services");
      await k.page.waitForSelector('[data-testid="view-kube-services"]');
      expect(await k.page.locator('[data-testid="kube-pod"][data-role="web"]').count()).toBe(3);
      expect(k.errors).toEqual([]);
      await screenshot(k.page, `lab-view-kube-services-${mode}-${size.width}x${size.height}`);
    }
  }, 120_000);
});
