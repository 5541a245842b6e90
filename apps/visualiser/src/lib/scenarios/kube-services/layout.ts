import type { KubeNodeNet, KubePodNet } from "./model.js";

// Where the services view draws its parts, in CSS pixels of its box (pure, so a test can check it):
// the Service box across the top, the three nodes in columns below, each pod a box of two lines.

export interface Rect { readonly x: number; readonly y: number; readonly w: number; readonly h: number }
export interface ServicesLayout {
  readonly fs: number;
  readonly line: number;
  readonly pad: number;
  readonly service: Rect;
  readonly nodes: readonly (Rect & { readonly name: string })[];
  readonly pods: readonly (Rect & { readonly pod: KubePodNet })[];
}

export function servicesLayout(nodes: readonly KubeNodeNet[], w: number, h: number, base: number): ServicesLayout {
  const fs = base;
  const line = Math.round(base * 1.3);
  const pad = Math.round(base * 0.4);
  const gap = Math.round(base * 0.8);
  const service: Rect = { x: pad, y: pad, w: w - 2 * pad, h: 2 * line + 2 * pad };
  const top = service.y + service.h + Math.round(base * 1.6);
  // A gutter after every column, the last one's too: a request's route runs there.
  const colW = (w - pad * 2 - gap * nodes.length) / Math.max(1, nodes.length);
  const boxH = Math.max(h - top - pad, 2 * line + 2 * pad);
  const out: (Rect & { name: string })[] = [];
  const pods: (Rect & { pod: KubePodNet })[] = [];
  nodes.forEach((n, i) => {
    const x = pad + i * (colW + gap);
    out.push({ x, y: top, w: colW, h: boxH, name: n.name });
    const podH = 2 * line + pad;
    // The pods that ask (client, other) under the node's name, web's pods at the bottom: policy
    // arrows and requests cross the empty middle, not the words. A crowded node squeezes them.
    const room = boxH - (2 * line + 2 * pad);
    const step = n.pods.length > 0 ? Math.min(podH + pad, room / n.pods.length) : 0;
    const h = Math.min(podH, step - 2);
    const askers = n.pods.filter((p) => p.role !== "web");
    const web = n.pods.filter((p) => p.role === "web");
    askers.forEach((p, j) => pods.push({ x: x + pad, y: top + 2 * line + pad + j * step, w: colW - 2 * pad, h, pod: p }));
    web.forEach((p, j) => pods.push({ x: x + pad, y: top + boxH - pad - h - (web.length - 1 - j) * step, w: colW - 2 * pad, h, pod: p }));
  });
  return { fs, line, pad, service, nodes: out, pods };
}
