import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { chromiumPath } from "./chromium.js";

export const APP_ROOT = join(import.meta.dirname, "..");
export const RESULTS_DIR = join(APP_ROOT, "test-results");

/** A Vite dev server for the app on a free port, and one headless chromium. */
export interface Harness {
  readonly url: string;
  readonly browser: Browser;
  /** A fresh page at 1280x720 (or the given size) that records console errors. */
  page(search?: string, size?: { width: number; height: number }): Promise<AppPage>;
  close(): Promise<void>;
}

export interface AppPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
}

export async function startHarness(): Promise<Harness> {
  // Before the server starts: with no browser, the one line saying how to install one.
  const executablePath = chromiumPath();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const server: ViteDevServer = await createServer({
    configFile: join(APP_ROOT, "vite.config.ts"),
    root: APP_ROOT,
    logLevel: "error",
    server: { port: 0, host: "127.0.0.1", strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === "string") throw new Error("vite did not report a port");
  const url = `http://127.0.0.1:${address.port}/`;
  const profile = mkdtempSync(join(tmpdir(), "drydock-chromium-"));
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
      timeout: 60_000,
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    url,
    browser,
    async page(search = "", size = { width: 1280, height: 720 }) {
      const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const errors: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(url + search, { waitUntil: "load", timeout: 60_000 });
      await page.waitForSelector('[data-testid="app"][data-ready="1"]', { timeout: 60_000 });
      return { page, context, errors };
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The app's position and fingerprints, read from its data attributes. */
export async function readRun(page: Page): Promise<{ events: number; now: number; trace: string; state: string; scenario: string }> {
  const el = page.locator('[data-testid="app"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute("data-trace-hash") !== "");
  return {
    events: Number(await el.getAttribute("data-events")),
    now: Number(await el.getAttribute("data-now")),
    trace: (await el.getAttribute("data-trace-hash")) ?? "",
    state: (await el.getAttribute("data-state-hash")) ?? "",
    scenario: (await el.getAttribute("data-scenario")) ?? "",
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
