import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { openTerminalScene, terminalScreen } from "./terminal-page.js";

// Issue 14, the page's terminal as a learner uses it for the course's Dockerfile exercises: nano
// (or vim) opens an editor over the panel whose text is the world's answer (playground
// world/editor.ts), a heredoc typed by hand reads on with bash's `> ` prompt until its end word,
// and a line that runs on shows it is busy and keeps what is typed meanwhile. Screenshots of the
// editor at 1280x720 in projector mode and in the 640x400 embed are kept in test-results/.

const browser = pagesPerTest();

const open = (search: string, size?: { width: number; height: number }): Promise<AppPage> => openTerminalScene(browser, search, size);

const SCENE = "?scenario=node-failure&seed=1&term=1";

const screen = terminalScreen;

async function until(page: Page, text: string | RegExp): Promise<void> {
  await page.waitForFunction((t) => {
    const s = document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "";
    return typeof t === "string" ? s.includes(t) : new RegExp(t).test(s);
  }, typeof text === "string" ? text : text.source);
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** The screen mirror ends with the prompt again (the line typed last is done). */
const atPrompt = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => (document.querySelector('[data-testid="terminal-text"]')?.textContent ?? "").endsWith("root@manager1:~# "));

/** Plays or pauses the run (Space, with the terminal's focus left: there Space is typed). */
async function playing(page: Page, on: boolean): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  if ((await page.locator('[data-testid="app"]').getAttribute("data-playing")) !== (on ? "1" : "0")) await page.keyboard.press("Space");
  await page.waitForSelector(`[data-testid="app"][data-playing="${on ? "1" : "0"}"]`);
}

const terminalHasFocus = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.querySelector('[data-testid="terminal"]')?.contains(document.activeElement) === true);

const DOCKERFILE = "FROM alpine:3.19\nRUN echo built > /built.txt\nCMD [\"cat\", \"/built.txt\"]";

describe("the page terminal's editor and continued lines (?scenario=node-failure)", () => {
  it("edits a Dockerfile in nano, saves it with Ctrl-S, and docker build uses it; the link replays the edit", async () => {
    const p = await open(SCENE);
    await p.page.click('[data-testid="terminal"]');
    await typeLine(p.page, "nano Dockerfile");
    await p.page.waitForSelector('[data-testid="editor"][data-program="nano"]');
    // Debian 12's nano heads its screen "GNU nano 7.2" then the file's name.
    expect(await p.page.locator('[data-testid="editor-title"]').textContent()).toBe("GNU nano 7.2  Dockerfile");
    expect(await p.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("editor-text");
    await p.page.keyboard.type(DOCKERFILE);
    await p.page.keyboard.press("Control+S");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="editor"]') === null);
    expect(await terminalHasFocus(p.page)).toBe(true);
    await typeLine(p.page, "cat Dockerfile");
    // nano ends the file with a newline, so cat's output is the text and then the prompt.
    await until(p.page, `cat Dockerfile\n${DOCKERFILE}\nroot@manager1:~# `);
    // The editor's text is not shown as a line typed: the editor had the screen.
    expect((await screen(p.page)).match(/FROM alpine/g)).toHaveLength(1);
    await typeLine(p.page, "docker build -t app .");
    // BuildKit's last step names the image (moby/buildkit exporter: "naming to docker.io/library/app:latest done").
    await until(p.page, "naming to docker.io/library/app:latest done");
    await atPrompt(p.page);
    await typeLine(p.page, "docker run --rm app");
    await until(p.page, "docker run --rm app\nbuilt\n");
    await atPrompt(p.page);
    // The link carries the edit as an action: a fresh page replays it and shows the same screen.
    const link = await p.page.evaluate(() => location.search + location.hash);
    const again = await open(link);
    await until(again.page, "docker run --rm app\nbuilt\n");
    expect(await screen(again.page)).toBe(await screen(p.page));
    expect([...p.errors, ...again.errors]).toEqual([]);
  }, 120_000);

  it("leaves the file unchanged when the edit is cancelled: Esc, and nano's Ctrl-X then N", async () => {
    const p = await open(SCENE);
    await p.page.click('[data-testid="terminal"]');
    await typeLine(p.page, "echo original > notes.txt");
    await atPrompt(p.page);
    await typeLine(p.page, "nano notes.txt");
    await p.page.waitForSelector('[data-testid="editor"]');
    expect(await p.page.locator('[data-testid="editor-text"]').inputValue()).toBe("original\n");
    await p.page.keyboard.type("changed ");
    await p.page.keyboard.press("Escape");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="editor"]') === null);
    await typeLine(p.page, "nano notes.txt");
    await p.page.waitForSelector('[data-testid="editor"][data-program="nano"]');
    await p.page.keyboard.type("changed again ");
    await p.page.keyboard.press("Control+X");
    // nano's question when the buffer changed (nano src/nano.c: "Save modified buffer? ").
    expect(await p.page.locator('[data-testid="editor-status"]').textContent()).toContain("Save modified buffer?");
    await p.page.keyboard.press("n");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="editor"]') === null);
    expect(await terminalHasFocus(p.page)).toBe(true);
    await typeLine(p.page, "cat notes.txt");
    await until(p.page, "cat notes.txt\noriginal\nroot@manager1:~# ");
    expect(await screen(p.page)).not.toContain("changed");
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("reads a heredoc typed by hand with bash's `> ` prompt, runs it once whole, recalls it whole, and Ctrl-C drops an unfinished one", async () => {
    const p = await open(SCENE);
    await p.page.click('[data-testid="terminal"]');
    await typeLine(p.page, "cat > app.py <<'EOF'");
    // bash's PS2 is "> " (bash(1), PROMPTING): the edit line shows it for each line of the heredoc.
    expect((await screen(p.page)).endsWith("root@manager1:~# cat > app.py <<'EOF'\n> ")).toBe(true);
    await typeLine(p.page, 'print("hello $HOME")');
    expect((await screen(p.page)).endsWith('\n> print("hello $HOME")\n> ')).toBe(true);
    const before = await p.page.evaluate(() => location.search + location.hash);
    await typeLine(p.page, "EOF");
    await atPrompt(p.page);
    expect(await screen(p.page)).toContain("root@manager1:~# cat > app.py <<'EOF'\n> print(\"hello $HOME\")\n> EOF\nroot@manager1:~# ");
    await typeLine(p.page, "cat app.py");
    // A quoted end word: no expansion in the body (bash(1), Here Documents).
    await until(p.page, 'cat app.py\nprint("hello $HOME")\n');
    // Up twice recalls the heredoc whole (one history entry), as bash's cmdhist keeps it.
    await p.page.keyboard.press("ArrowUp");
    await p.page.keyboard.press("ArrowUp");
    expect((await screen(p.page)).endsWith("root@manager1:~# cat > app.py <<'EOF'\nprint(\"hello $HOME\")\nEOF")).toBe(true);
    await p.page.waitForFunction(() => /cat app\.py.*root@manager1:~# cat > app\.py <<'EOF' *print\("hello \$HOME"\) *EOF/.test(document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? ""));
    await p.page.keyboard.press("Control+C");
    // An open quote reads on too; Ctrl-C at `> ` drops it and nothing runs.
    await typeLine(p.page, "echo 'one");
    await typeLine(p.page, "two");
    await p.page.keyboard.press("Control+C");
    await atPrompt(p.page);
    expect(await screen(p.page)).toContain("root@manager1:~# echo 'one\n> two\n> ^C\nroot@manager1:~# ");
    expect(await screen(p.page)).not.toContain("\none\ntwo");
    // The heredoc is one action in the link: a fresh page replays it as one line.
    const after = await p.page.evaluate(() => location.search + location.hash);
    expect(after).not.toBe(before);
    const again = await open(after);
    await until(again.page, 'cat app.py\nprint("hello $HOME")\n');
    expect(await screen(again.page)).toContain("root@manager1:~# cat > app.py <<'EOF'\n> print(\"hello $HOME\")\n> EOF\nroot@manager1:~# cat app.py");
    expect([...p.errors, ...again.errors]).toEqual([]);
  }, 120_000);

  it("shows a running line is busy, keeps what is typed meanwhile, and Ctrl-C stops it and drops the type-ahead", async () => {
    const p = await open(SCENE);
    await p.page.click('[data-testid="terminal"]');
    // Longer than the 120 s of virtual time a typed line may take at once: playback carries it on.
    await typeLine(p.page, "sleep 600");
    await p.page.waitForSelector('[data-testid="terminal-busy"]');
    expect(await p.page.locator('[data-testid="terminal-busy"]').textContent()).toBe("running… Ctrl-C to stop");
    expect((await screen(p.page)).endsWith("root@manager1:~# sleep 600\n")).toBe(true);
    await p.page.keyboard.type("echo typed-ahead");
    // The type-ahead is echoed (a terminal in canonical mode echoes input) but not run yet.
    expect((await screen(p.page)).endsWith("sleep 600\necho typed-ahead")).toBe(true);
    // What xterm draws, not only the mirror: the line once, its type-ahead after it (a redraw per key must not repeat the screen).
    await p.page.waitForFunction(() => (document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? "").includes("echo typed-ahead"));
    const rows = (await p.page.locator('[data-testid="terminal"] .xterm-rows').textContent()) ?? "";
    expect(rows.match(/sleep 600/g)).toHaveLength(1);
    expect(rows.match(/typed-a/g)).toHaveLength(1);
    await screenshot(p.page, "terminal-busy-1280x720");
    await p.page.keyboard.press("Control+C");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="terminal-busy"]') === null);
    await atPrompt(p.page);
    expect(await screen(p.page)).not.toContain("typed-ahead");
    // Typed ahead of a line that ends: read at the prompt, in order. The run is paused meanwhile,
    // so the line is still running when the type-ahead comes, however slow the machine.
    await typeLine(p.page, "sleep 135");
    await playing(p.page, false);
    await p.page.waitForSelector('[data-testid="terminal-busy"]');
    await p.page.click('[data-testid="terminal"]');
    await typeLine(p.page, "echo after-sleep");
    expect((await screen(p.page)).endsWith("sleep 135\necho after-sleep\n")).toBe(true);
    await playing(p.page, true);
    await until(p.page, "sleep 135\nroot@manager1:~# echo after-sleep\nafter-sleep\n");
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("has type of at least 18 px in projector mode at 1280x720 and 12 px in the 640x400 embed (screenshots kept)", async () => {
    const p = await open(`${SCENE}&projector=1`);
    await p.page.click('[data-testid="terminal"]');
    await typeLine(p.page, "nano Dockerfile");
    await p.page.waitForSelector('[data-testid="editor"]');
    await p.page.keyboard.type(DOCKERFILE);
    const px = await p.page.locator('[data-testid="editor-text"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(18);
    await screenshot(p.page, "terminal-editor-projector-1280x720");
    const e = await open(`${SCENE}&embed=1`, { width: 640, height: 400 });
    await e.page.click('[data-testid="terminal"]');
    await typeLine(e.page, "vi Dockerfile");
    await e.page.waitForSelector('[data-testid="editor"]');
    await e.page.keyboard.type(DOCKERFILE);
    const epx = await e.page.locator('[data-testid="editor-text"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(epx).toBeGreaterThanOrEqual(12);
    // The editor's keys are on the screen: the textarea does not hide Save and Cancel.
    expect(await e.page.locator('[data-testid="editor-save"]').isVisible()).toBe(true);
    await screenshot(e.page, "terminal-editor-embed-640x400");
    expect([...p.errors, ...e.errors]).toEqual([]);
  }, 120_000);
});
