import type { InFlight, Micros } from "@drydock/kernel";
import { SEEN_ALIVE, SEEN_DEAD, SEEN_SUSPECT, type GossipSide } from "../drivers/gossip-view.js";

// The gossip view draws on a Canvas: at 1,000 members and thousands of messages, SVG nodes
// would cost more than the frame. Everything of one style is one path and one stroke or fill.

export interface Layout {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly r: number;
  readonly ring: boolean;
}

const GOLDEN = Math.PI * (3 - Math.sqrt(5));

/** A ring for small clusters (names fit), a sunflower disc for large ones (even density). */
export function layoutMembers(n: number, width: number, height: number, top = 0): Layout {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const cx = width / 2;
  const cy = top + (height - top) / 2;
  const R = Math.max(10, Math.min(width, height - top) / 2 - 34);
  if (n <= 40) {
    for (let i = 0; i < n; i++) {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      x[i] = cx + R * Math.cos(a);
      y[i] = cy + R * Math.sin(a);
    }
    return { x, y, r: Math.max(6, Math.min(20, (Math.PI * R) / n - 3)), ring: true };
  }
  for (let i = 0; i < n; i++) {
    const rr = R * Math.sqrt((i + 0.5) / n);
    const a = i * GOLDEN;
    x[i] = cx + rr * Math.cos(a);
    y[i] = cy + rr * Math.sin(a);
  }
  return { x, y, r: Math.max(2, Math.min(12, R * Math.sqrt(1 / n) * 0.8)), ring: false };
}

/** Message styles: colour and dash, so no kind is told by colour alone. */
export const MESSAGE_STYLES: Readonly<Record<string, { readonly colour: string; readonly dash: readonly number[]; readonly label: string }>> = {
  ping: { colour: "#000000", dash: [], label: "ping (probe)" },
  ack: { colour: "#009E73", dash: [2, 3], label: "ack" },
  "ping-req": { colour: "#CC79A7", dash: [9, 4], label: "ping-req (indirect probe)" },
  nack: { colour: "#D55E00", dash: [2, 3], label: "nack" },
  gossip: { colour: "#56B4E9", dash: [], label: "gossip" },
  "push-pull": { colour: "#E69F00", dash: [12, 3, 2, 3], label: "push-pull (state sync)" },
  heartbeat: { colour: "#0072B2", dash: [], label: "heartbeat" },
  other: { colour: "#555555", dash: [4, 4], label: "other" },
};

export const MEMBER_STYLES = {
  alive: { fill: "#FFFFFF", label: "alive (circle)" },
  suspect: { fill: "#E69F00", label: "suspect (diamond)" },
  dead: { fill: "#D55E00", label: "declared dead (cross)" },
  unknown: { fill: "#DDDDDD", label: "not known yet (dot)" },
  down: { fill: "#9A9A9A", label: "crashed (grey, struck)" },
} as const;

function styleOf(msg: unknown): string {
  const t = (msg as { type?: string }).type ?? "other";
  if (t.startsWith("hb-") || t === "heartbeat") return "heartbeat";
  return t in MESSAGE_STYLES ? t : "other";
}

export function drawGossip(
  ctx: CanvasRenderingContext2D, side: GossipSide, layout: Layout, now: Micros, width: number, height: number,
  index: ReadonlyMap<string, number>, watched: string | null, projector: boolean,
): void {
  ctx.clearRect(0, 0, width, height);
  const { x, y, r } = layout;
  const n = side.names.length;

  // Messages: a tail from the sender to where the message is now, and a dot at its head.
  const groups = new Map<string, InFlight[]>();
  for (const m of side.inFlight) {
    const k = styleOf(m.msg);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(m);
  }
  ctx.lineWidth = projector ? 2.2 : 1.4;
  for (const [k, list] of groups) {
    const st = MESSAGE_STYLES[k]!;
    ctx.strokeStyle = st.colour;
    ctx.fillStyle = st.colour;
    ctx.setLineDash(st.dash as number[]);
    ctx.globalAlpha = list.length > 300 ? 0.55 : 0.85;
    ctx.beginPath();
    const heads: number[] = [];
    for (const m of list) {
      const a = index.get(m.from);
      const b = index.get(m.to);
      if (a === undefined || b === undefined) continue;
      const span = m.deliverAt - m.sentAt;
      const f = span > 0 ? Math.min(1, Math.max(0, (now - m.sentAt) / span)) : 1;
      const hx = x[a]! + (x[b]! - x[a]!) * f;
      const hy = y[a]! + (y[b]! - y[a]!) * f;
      ctx.moveTo(x[a]!, y[a]!);
      ctx.lineTo(hx, hy);
      heads.push(hx, hy);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    ctx.beginPath();
    const hr = projector ? 3.5 : 2.5;
    for (let i = 0; i < heads.length; i += 2) {
      ctx.moveTo(heads[i]! + hr, heads[i + 1]!);
      ctx.arc(heads[i]!, heads[i + 1]!, hr, 0, 2 * Math.PI);
    }
    ctx.fill();
  }

  // Members by what they believe about the watched member: shape and colour.
  const shapes: Path2D[] = [new Path2D(), new Path2D(), new Path2D(), new Path2D(), new Path2D()];
  const DOWN = 4;
  for (let i = 0; i < n; i++) {
    const cx = x[i]!;
    const cy = y[i]!;
    const kind = side.up[i] === 0 ? DOWN : side.seen[i]!;
    const p = shapes[kind]!;
    if (kind === SEEN_SUSPECT) {
      const d = r * 1.25;
      p.moveTo(cx, cy - d); p.lineTo(cx + d, cy); p.lineTo(cx, cy + d); p.lineTo(cx - d, cy); p.closePath();
    } else if (kind === SEEN_DEAD || kind === DOWN) {
      p.rect(cx - r, cy - r, 2 * r, 2 * r);
    } else if (kind === SEEN_ALIVE) {
      p.moveTo(cx + r, cy);
      p.arc(cx, cy, r, 0, 2 * Math.PI);
    } else {
      p.moveTo(cx + r * 0.45, cy);
      p.arc(cx, cy, r * 0.45, 0, 2 * Math.PI);
    }
  }
  const fills = [MEMBER_STYLES.unknown.fill, MEMBER_STYLES.alive.fill, MEMBER_STYLES.suspect.fill, MEMBER_STYLES.dead.fill, MEMBER_STYLES.down.fill];
  ctx.strokeStyle = "#111111";
  ctx.lineWidth = r > 5 ? (projector ? 2.5 : 1.6) : 0.9;
  for (let k = 0; k < shapes.length; k++) {
    ctx.fillStyle = fills[k]!;
    ctx.fill(shapes[k]!);
    ctx.stroke(shapes[k]!);
  }
  // Crosses on the dead and the crashed, drawn in one path.
  const cross = new Path2D();
  for (let i = 0; i < n; i++) {
    if (side.up[i] !== 0 && side.seen[i] !== SEEN_DEAD) continue;
    const c = r * 0.7;
    cross.moveTo(x[i]! - c, y[i]! - c); cross.lineTo(x[i]! + c, y[i]! + c);
    cross.moveTo(x[i]! + c, y[i]! - c); cross.lineTo(x[i]! - c, y[i]! + c);
  }
  ctx.stroke(cross);
  // Holders of the newest payload: a blue dot inside.
  const dots = new Path2D();
  const dr = Math.max(1.5, r * 0.42);
  for (let i = 0; i < n; i++) {
    if (side.payload[i] !== 1) continue;
    dots.moveTo(x[i]! + dr, y[i]!);
    dots.arc(x[i]!, y[i]!, dr, 0, 2 * Math.PI);
  }
  ctx.fillStyle = "#0072B2";
  ctx.fill(dots);

  const w = watched === null ? undefined : index.get(watched);
  if (w !== undefined) {
    ctx.lineWidth = projector ? 4 : 3;
    ctx.strokeStyle = "#111111";
    ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.arc(x[w]!, y[w]!, r + 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (layout.ring && n <= 24) {
    ctx.fillStyle = "#111111";
    ctx.font = `600 ${projector ? 18 : 13}px ui-monospace, Menlo, Consolas, monospace`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const cx = width / 2;
    const cy = (y.reduce((a, b) => a + b, 0) / n) || height / 2;
    for (let i = 0; i < n; i++) {
      const dx = x[i]! - cx;
      const dy = y[i]! - cy;
      const len = Math.hypot(dx, dy) || 1;
      ctx.fillText(side.names[i]!, x[i]! + (dx / len) * (r + 16), y[i]! + (dy / len) * (r + 14));
    }
  } else if (w !== undefined) {
    ctx.fillStyle = "#111111";
    ctx.font = `700 ${projector ? 18 : 13}px ui-monospace, Menlo, Consolas, monospace`;
    ctx.textAlign = "center";
    ctx.fillText(watched!, x[w]!, y[w]! - r - 12);
  }
}

/** The member under a point, if any. */
export function memberAt(layout: Layout, px: number, py: number): number {
  let best = -1;
  let bestD = (Math.max(layout.r, 6) + 4) ** 2;
  for (let i = 0; i < layout.x.length; i++) {
    const d = (layout.x[i]! - px) ** 2 + (layout.y[i]! - py) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}
