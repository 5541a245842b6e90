// The legibility check the Kubernetes views' browser tests run in the page (tests/kube*.browser.test.ts):
// every word's size, words outside the view or the window, and parts whose content is clipped
// (an HTML view does not overlap, it overflows). SVG words are measured as drawn.

export const MEASURE_KUBE = `() => {
  const root = document.querySelector('[data-testid="diagram"]');
  const box = root.getBoundingClientRect();
  const vw = innerWidth, vh = innerHeight;
  let minPx = Infinity, smallest = "";
  const outside = [], clipped = [], overlaps = [];
  const words = [];
  for (const el of root.querySelectorAll("*")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden" || cs.display === "none") continue;
    const m = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
    const px = parseFloat(cs.fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    const text = el.textContent.trim().slice(0, 40);
    if (px < minPx) { minPx = px; smallest = text + " (" + px.toFixed(1) + " px)"; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.right > vw + 1 || r.bottom > vh + 1) outside.push(text);
    if (el instanceof SVGTextElement) words.push({ text, r });
  }
  for (const el of root.querySelectorAll("[data-clip]")) {
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) clipped.push(el.getAttribute("data-clip"));
  }
  for (let i = 0; i < words.length; i++) for (let j = i + 1; j < words.length; j++) {
    const a = words[i].r, b = words[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps.push(words[i].text + " / " + words[j].text);
  }
  return { minPx, smallest, outside, clipped, overlaps };
}`;

export interface KubeLegibility { minPx: number; smallest: string; outside: string[]; clipped: string[]; overlaps: string[] }
