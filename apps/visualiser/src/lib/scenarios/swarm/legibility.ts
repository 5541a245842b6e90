// The legibility check the swarm scenes' browser tests run in the page (tests/*.browser.test.ts):
// kept here, beside the views it measures, so the three scenes' tests share one copy.

// In the page: the smallest word in the diagram, words outside it, and words or chips that overlap.
export const MEASURE = `() => {
  const root = document.querySelector('[data-testid="diagram"]');
  const box = root.getBoundingClientRect();
  const vw = innerWidth, vh = innerHeight;
  let minPx = Infinity, smallest = "";
  const outside = [], overlaps = [];
  const rects = [];
  for (const t of root.querySelectorAll("svg text")) {
    if (!t.textContent.trim()) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    if (px < minPx) { minPx = px; smallest = t.textContent.trim() + " (" + px.toFixed(1) + " px)"; }
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.right > vw + 1 || r.bottom > vh + 1) outside.push(t.textContent.trim());
    rects.push({ text: t.textContent.trim(), r });
  }
  // A scene's bar above the picture (rolling update's status and buttons, the mesh's route): HTML words.
  for (const el of root.querySelectorAll(".bar span, .bar button")) {
    if (!el.textContent.trim() || el.children.length > 0 && el.tagName !== "BUTTON") continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < minPx) { minPx = px; smallest = el.textContent.trim() + " (" + px + " px)"; }
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.bottom > vh + 1) outside.push("bar: " + el.textContent.trim());
  }
  for (const el of root.querySelectorAll(".caption")) {
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < minPx) { minPx = px; smallest = "caption (" + px + " px)"; }
    const r = el.getBoundingClientRect();
    if (r.bottom > vh + 1 || el.scrollHeight > el.clientHeight + 1) outside.push("caption");
  }
  // Each node's words and chips stay inside its box.
  for (const g of root.querySelectorAll('[data-testid^="node-"]')) {
    const b = g.querySelector("rect.box").getBoundingClientRect();
    for (const t of g.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) outside.push(g.getAttribute("data-testid") + ": " + t.textContent.trim());
    }
  }
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i].r, b = rects[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps.push(rects[i].text + " / " + rects[j].text);
  }
  return { minPx, smallest, outside, overlaps };
}`;

export interface Legibility { minPx: number; smallest: string; outside: string[]; overlaps: string[] }
