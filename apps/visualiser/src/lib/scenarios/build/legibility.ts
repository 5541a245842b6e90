// The legibility check the browser tests of the HTML views (build, containers) run in the page:
// the smallest word in the view, words that fall outside the window or out of sight in a pane
// (a room cannot scroll a projector), and words that overlap. Beside the views it measures.

export const MEASURE_HTML = `(sel) => {
  const root = document.querySelector(sel);
  const vw = innerWidth, vh = innerHeight;
  let minPx = Infinity, smallest = "";
  const outside = [], overlaps = [], rects = [];
  // Leaves that hold words: an element with text of its own.
  const leaves = [...root.querySelectorAll("*")].filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  for (const el of leaves) {
    const text = el.textContent.trim().slice(0, 40);
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < minPx) { minPx = px; smallest = text + " (" + px + " px)"; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > vw + 1 || r.bottom > vh + 1 || r.left < -1 || r.top < -1) { outside.push(text); continue; }
    // Out of sight inside a pane that scrolls or clips.
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowY === "visible" && s.overflowX === "visible") continue;
      const b = p.getBoundingClientRect();
      if (r.bottom > b.bottom + 1 || r.right > b.right + 1 || r.top < b.top - 1) { outside.push(text); break; }
    }
    rects.push({ text, r, el });
  }
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i], b = rects[j];
    if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
    const x = a.r, y = b.r;
    if (x.left < y.right - 1 && y.left < x.right - 1 && x.top < y.bottom - 1 && y.top < x.bottom - 1) overlaps.push(a.text + " / " + b.text);
  }
  return { minPx, smallest, outside, overlaps };
}`;

export interface HtmlLegibility { minPx: number; smallest: string; outside: string[]; overlaps: string[] }
