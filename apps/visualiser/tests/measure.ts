import type { Page } from "playwright-core";

// What a room can read: the rendered size of every word in the diagram, measured in the page.
export interface Measure {
  /** Rendered size of the smallest word in the diagram, in CSS pixels. */
  readonly minPx: number;
  readonly smallest: string;
  /** Share of the viewport the diagram covers. */
  readonly area: number;
  /** Words whose box leaves the viewport or the diagram. */
  readonly outside: string[];
}

// Runs in the page: every visible text in the diagram, SVG (font size times the screen scale)
// and HTML (computed size), skipping text hidden for screen readers.
const MEASURE = `(sel) => {
  const root = document.querySelector(sel);
  const vw = innerWidth, vh = innerHeight;
  const box = root.getBoundingClientRect();
  let minPx = Infinity, smallest = "", outside = [];
  const consider = (el, px, text) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    if (el.closest('.sr-only, title, [aria-hidden="true"]')) return;
    if (px < minPx) { minPx = px; smallest = text + " (" + px.toFixed(1) + " px)"; }
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1 || r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) outside.push(text);
  };
  for (const t of root.querySelectorAll("svg text")) {
    if (!t.textContent.trim()) continue;
    const m = t.getScreenCTM();
    consider(t, parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1), t.textContent.trim());
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest("svg")) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    consider(el, parseFloat(getComputedStyle(el).fontSize), n.textContent.trim());
  }
  return { minPx, smallest, area: (box.width * box.height) / (vw * vh), outside };
}`;

/**
 * Measures after two animation frames, so layout that follows a measurement (a key folding) has
 * settled. `root` is the view's drawing: the diagram by default; an HTML view names its own.
 */
export async function measure(page: Page, root = '[data-testid="diagram"]'): Promise<Measure> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(`(${MEASURE})(${JSON.stringify(root)})`) as Promise<Measure>;
}

