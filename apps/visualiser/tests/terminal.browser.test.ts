import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { openTerminalScene, terminalScreen } from "./terminal-page.js";

// Issue 14's terminal panel: xterm.js bound to the swarm scene's playground. A docker line typed
// there is an `exec` action in the run's log: it changes the world the view draws, the link
// carries it, and stepping back shows the terminal as it was. Screenshots of the panel at
// 1280x720 in projector mode and in the 640x400 embed are kept in test-results/.

const browser = pagesPerTest();

const open = (search: string, size?: { width: number; height: number }): Promise<AppPage> => openTerminalScene(browser, search, size);


const screen = terminalScreen;

async function typeLine(page: Page, line: string): Promise<void> {
  await page.click('[data-testid="terminal"]');
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** Pauses the run (Space, with the terminal's focus left: there Space is typed). */
async function pause(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  if ((await page.locator('[data-testid="app"]').getAttribute("data-playing")) === "1") await page.keyboard.press("Space");
  await page.waitForSelector('[data-testid="app"][data-playing="0"]');
}

const running = (page: Page, service: string): Promise<string[]> =>
  page.locator(`[data-testid="task"][data-state="running"][data-lost="0"]`).evaluateAll(
    (gs, s) => gs.map((g) => g.getAttribute("data-name")!).filter((n) => n.startsWith(`${s}.`)).sort(), service);

describe("the terminal panel (?scenario=node-failure)", () => {
  it("runs docker lines on the scene's playground and the view follows: six tasks of a created service", async () => {
    const p = await open("?scenario=node-failure&seed=1&term=1");
    expect(await running(p.page, "web")).toHaveLength(6);
    // `docker service rm` prints the name it removed (docker/cli service/remove.go).
    await typeLine(p.page, "docker service rm web");
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid="service-web"]').length === 0);
    expect(await screen(p.page)).toContain("root@manager1:~# docker service rm web\nweb");
    await typeLine(p.page, "docker service create --replicas 6 --name web nginx");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="service-web"]')?.getAttribute("data-running") === "6");
    expect(await running(p.page, "web")).toEqual(["web.1", "web.2", "web.3", "web.4", "web.5", "web.6"]);
    // The CLI's convergence report ends with "verify: Service converged" (docker/cli cli/command/service/progress/progress.go).
    expect(await screen(p.page)).toContain("verify: Service converged");
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("keeps the typed lines in the link: it reopens with them, and an earlier instant shows the terminal as it was", async () => {
    const p = await open("?scenario=node-failure&seed=1&term=1");
    await typeLine(p.page, "docker service create --replicas 2 --name api nginx");
    await p.page.waitForSelector('[data-testid="service-api"][data-running="2"]');
    await pause(p.page); // the link names this instant exactly
    const between = Number(await p.page.locator('[data-testid="app"]').getAttribute("data-events"));
    await typeLine(p.page, "docker service ls");
    await pause(p.page);
    await p.page.waitForFunction(() => /api\s+replicated\s+2\/2/.test(document.querySelector('[data-testid="terminal-text"]')?.textContent ?? ""));
    const link = await p.page.evaluate(() => location.search + location.hash);
    const again = await open(link);
    await again.page.waitForSelector('[data-testid="service-api"][data-running="2"]');
    const text = await screen(again.page);
    expect(text).toContain("root@manager1:~# docker service create --replicas 2 --name api nginx");
    expect(text).toMatch(/docker service ls\nID +NAME/);
    expect(text).toBe(await screen(p.page));
    // The same link at an instant between the two lines: the terminal as it was then.
    const earlier = await open(link.replace(/([?&])e=\d+/, `$1e=${between}`).replace(/([?&])t=\d+&?/, "$1"));
    const then = await screen(earlier.page);
    expect(then).toContain("docker service create --replicas 2 --name api nginx");
    expect(then).not.toContain("docker service ls");
    // And stepping back in the page itself, one event at a time, undoes the last line.
    await pause(again.page);
    for (let i = 0; i < 400 && (await screen(again.page)).includes("docker service ls"); i++) await again.page.keyboard.press("ArrowLeft");
    expect(await screen(again.page)).not.toContain("docker service ls");
    expect([...p.errors, ...again.errors, ...earlier.errors]).toEqual([]);
  });

  it("has history, Tab completion, Ctrl-C and a host picker", async () => {
    const p = await open("?scenario=node-failure&seed=1&term=1");
    await p.page.click('[data-testid="terminal"]');
    // Tab completes docker's subcommands (complete.ts) and a service's name (docker-ce's bash completion).
    await p.page.keyboard.type("docker serv");
    await p.page.keyboard.press("Tab");
    await p.page.keyboard.type("ps w");
    await p.page.keyboard.press("Tab");
    await p.page.keyboard.press("Enter");
    await p.page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").includes("docker service ps web"));
    // Up recalls it; Ctrl-C drops the line (bash prints ^C).
    await p.page.keyboard.press("ArrowUp");
    await p.page.keyboard.press("Control+C");
    expect(await screen(p.page)).toContain("root@manager1:~# docker service ps web ^C");
    // Ctrl-L clears the screen (readline's clear-screen); the prompt stays.
    await p.page.keyboard.press("Control+L");
    expect(await screen(p.page)).toBe("root@manager1:~# ");
    await p.page.keyboard.type("ssh worker1");
    await p.page.keyboard.press("Enter");
    await p.page.waitForSelector('[data-testid="terminal"][data-host="worker1"]');
    await p.page.selectOption('[data-testid="terminal-host"]', "manager2");
    await p.page.waitForSelector('[data-testid="terminal"][data-host="manager2"]');
    // The header's Terminal button hides the panel and the link says so.
    await p.page.click('[data-testid="terminal-show"]');
    await p.page.waitForFunction(() => document.querySelector('[data-testid="terminal-panel"]') === null);
    expect(await p.page.evaluate(() => location.search)).not.toContain("term=1");
    expect(p.errors).toEqual([]);
  });

  it("is legible in projector mode at 1280x720 and usable in the 640x400 embed (screenshots kept)", async () => {
    const p = await open("?scenario=node-failure&seed=1&term=1&projector=1");
    await typeLine(p.page, "docker node ls");
    await p.page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").includes("MANAGER STATUS"));
    const px = await p.page.locator('[data-testid="terminal"] .xterm-rows').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(18);
    await screenshot(p.page, "terminal-projector-1280x720");
    const e = await open("?scenario=node-failure&seed=1&term=1&embed=1", { width: 640, height: 400 });
    await typeLine(e.page, "docker service ls");
    await e.page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").includes("replicated"));
    await screenshot(e.page, "terminal-embed-640x400");
    await e.page.click('[data-testid="terminal-toggle"]');
    await e.page.waitForSelector('[data-testid="terminal-panel"][data-open="0"]');
    expect([...p.errors, ...e.errors]).toEqual([]);
  });

  it("never echoes a password at docker login's Password: prompt, and the host picker's choice is in the link", async () => {
    const p = await open("?scenario=node-failure&seed=1&term=1");
    // docker/cli PromptUserForCredentials: "Password: " read with golang.org/x/term ReadPassword (no echo).
    await typeLine(p.page, "docker login -u alice");
    await p.page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").endsWith("Password: "));
    await p.page.keyboard.type("hunter2-secret");
    expect(await screen(p.page)).not.toContain("hunter2");
    await p.page.keyboard.press("Enter");
    await p.page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").includes("Login Succeeded"));
    expect(await screen(p.page)).not.toContain("hunter2");
    const rows = await p.page.locator('[data-testid="terminal"] .xterm-rows').textContent();
    expect(rows).not.toContain("hunter2");
    await p.page.selectOption('[data-testid="terminal-host"]', "worker2");
    await p.page.waitForFunction(() => location.search.includes("on=worker2"));
    const again = await open(await p.page.evaluate(() => location.search + location.hash));
    expect(await again.page.locator('[data-testid="terminal"]').getAttribute("data-host")).toBe("worker2");
    expect(await screen(again.page)).not.toContain("hunter2");
    expect([...p.errors, ...again.errors]).toEqual([]);
  }, 120_000);
});

