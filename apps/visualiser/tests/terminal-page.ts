import type { Page } from "playwright-core";
import type { AppPage } from "./harness.js";
import type { pagesPerTest } from "./pages.js";

// The swarm scene with its terminal panel open, as the terminal's browser tests use it.

/** Opens `search` (1280x720 unless said) and waits for the swarm view and the terminal's rows. */
export async function openTerminalScene(browser: ReturnType<typeof pagesPerTest>, search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-swarm"]');
  await p.page.waitForSelector('[data-testid="terminal"] .xterm-rows');
  return p;
}

/** The screen's text as the panel mirrors it for screen readers (xterm draws only the rows in view). */
export const terminalScreen = (page: Page): Promise<string> => page.locator('[data-testid="terminal-text"]').evaluate((el) => el.textContent ?? "");
