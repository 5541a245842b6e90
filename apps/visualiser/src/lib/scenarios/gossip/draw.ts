import type { InFlight, Micros } from "@drydock/kernel";
import { SEEN_ALIVE, SEEN_DEAD, SEEN_SUSPECT, type GossipSide } from "./model.js";

// The gossip view draws on a Canvas: at 1,000 members and thousands of messages, SVG nodes
// would cost more than the frame. Everything of one style is one path and one stroke or fill.

export interface Layout {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly r: number;
  readonly ring: boolean;
}

const GOLDEN = Math.PI * (3 - Math.sqrt(5));
/** Rings up to this size have every member's name beside it. */
export const NAMES_MAX = 24;
/** The names' type size: the app's base size (src/lib/type.ts), 18 px at 720 lines on a projector. */
export const namePx = (base: number): number => base;

/** A ring for small clusters (names fit), a sunflower disc for large ones (even density). */
export function layoutMembers(n: number, width: number, height: number, top = 0, labelPx = 13): Layout {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const cx = width / 2;
  const cy = top + (height - top) / 2;
  const half = Math.min(width, height - top) / 2;
  if (n <= 40) {
    const r0 = Math.max(6, Math.min(20, (Math.PI * Math.max(10, half - 34)) / n - 3));
    // Names sit outside the ring (up to NAMES_MAX members): leave them room at the top and bottom.
    const R = Math.max(10, n <= NAMES_MAX ? half - r0 - 16 - labelPx : half - r0 - 8);
    for (let i = 0; i < n; i++) {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      x[i] = cx + R * Math.cos(a);
      y[i] = cy + R * Math.sin(a);
    }
    return { x, y, r: Math.max(6, Math.min(20, (Math.PI * R) / n - 3)), ring: true };
  }
  // A disc has no names around it: it can reach nearer the edge.
  const R = Math.max(10, Math.min(width, height - top) / 2 - 12);
  for (let i = 0; i < n; i++) {
    const rr = R * Math.sqrt((i + 0.5) / n);
    const a = i * GOLDEN;
    x[i] = cx + rr * Math.cos(a);
    y[i] = cy + rr * Math.sin(a);
  }
  return { x, y, r: Math.max(2, Math.min(12, R * Math.sqrt(1 / n) * 0.8)), ring: false };
}

/**
 * Message styles: colour and dash, so no kind is told by colour alone, and every colour at least
 * 3:1 on white (WCAG 1.4.11; gossip-draw.test.ts checks): Okabe-Ito's sky blue and orange are
 * too light for a line (2.3:1 and 2.2:1), so gossip and push-pull use darker shades of them.
 */
export const MESSAGE_STYLES: Readonly<Record<string, { readonly colour: string; readonly dash: readonly number[]; readonly label: string }>> = {
  ping: { colour: "#000000", dash: [], label: "ping (probe)" },
  ack: { colour: "#007A5A", dash: [2, 3], label: "ack" },
  "ping-req": { colour: "#A8447E", dash: [9, 4], label: "ping-req (indirect probe)" },
  nack: { colour: "#C24F00", dash: [2, 3], label: "nack" },
  gossip: { colour: "#0072B2", dash: [], label: "gossip" },
  "push-pull": { colour: "#8A5A00", dash: [12, 3, 2, 3], label: "push-pull (state sync)" },
  heartbeat: { colour: "#3A3A9A", dash: [], label: "heartbeat" },
  other: { colour: "#555555", dash: [4, 4], label: "other" },
};

/** How a kind of message is drawn: its line and head, only its head (thinned), or not at all. */
export type MessageMode = "lines" | "heads" | "hidden";

/**
 * What a member believes about the watched one, by shape first and colour second: a crashed
 * member is a bare cross and a member declared dead a filled square (grey and vermillion alone
 * looked alike to red-green colour-blind eyes, and both were crossed squares).
 */
export const MEMBER_STYLES = {
  alive: { fill: "#FFFFFF", label: "alive", shape: "circle" },
  suspect: { fill: "#E69F00", label: "suspect", shape: "diamond" },
  dead: { fill: "#D55E00", label: "declared dead", shape: "square" },
  unknown: { fill: "#767676", label: "not known yet", shape: "dot" },
  down: { fill: "#111111", label: "crashed", shape: "cross" },
} as const;

const DOWN = 4;
/** Share of its link a message's tail covers. */
const TAIL = 0.4;
const FILLS = [MEMBER_STYLES.unknown.fill, MEMBER_STYLES.alive.fill, MEMBER_STYLES.suspect.fill, MEMBER_STYLES.dead.fill, MEMBER_STYLES.down.fill];

interface Sprites {
  readonly size: number;
  readonly plain: HTMLCanvasElement[];
  readonly withPayload: HTMLCanvasElement[];
}

let spriteCache: { key: string; sprites: Sprites } | null = null;

/** One small canvas per member glyph (kind × payload), at the device pixel ratio. */
function spritesFor(r: number, projector: boolean, dpr: number): Sprites {
  const key = `${r}|${projector}|${dpr}`;
  if (spriteCache?.key === key) return spriteCache.sprites;
  const size = Math.ceil(2 * r * 1.3 + 6);
  const make = (kind: number, payload: boolean): HTMLCanvasElement => {
    const c = document.createElement("canvas");
    c.width = Math.ceil(size * dpr);
    c.height = Math.ceil(size * dpr);
    const g = c.getContext("2d")!;
    g.scale(dpr, dpr);
    drawGlyph(g, size / 2, size / 2, r, kind, payload, projector);
    return c;
  };
  const sprites: Sprites = {
    size,
    plain: [0, 1, 2, 3, 4].map((k) => make(k, false)),
    withPayload: [0, 1, 2, 3, 4].map((k) => make(k, true)),
  };
  spriteCache = { key, sprites };
  return sprites;
}

function drawGlyph(g: CanvasRenderingContext2D, cx: number, cy: number, r: number, kind: number, payload: boolean, projector: boolean): void {
  if (kind === DOWN) {
    // A crashed member: a bold cross and nothing else, whatever its size.
    const c = r * 0.95;
    g.beginPath();
    g.moveTo(cx - c, cy - c); g.lineTo(cx + c, cy + c);
    g.moveTo(cx + c, cy - c); g.lineTo(cx - c, cy + c);
    g.strokeStyle = "#111111";
    g.lineCap = "round";
    g.lineWidth = Math.max(1.5, r * (projector ? 0.45 : 0.38));
    g.stroke();
    return;
  }
  g.beginPath();
  if (kind === SEEN_SUSPECT) {
    const d = r * 1.25;
    g.moveTo(cx, cy - d); g.lineTo(cx + d, cy); g.lineTo(cx, cy + d); g.lineTo(cx - d, cy); g.closePath();
  } else if (kind === SEEN_DEAD) {
    g.rect(cx - r, cy - r, 2 * r, 2 * r);
  } else if (kind === SEEN_ALIVE) {
    g.arc(cx, cy, r, 0, 2 * Math.PI);
  } else {
    g.arc(cx, cy, r * 0.45, 0, 2 * Math.PI);
  }
  g.fillStyle = FILLS[kind]!;
  g.fill();
  g.strokeStyle = "#111111";
  // Outlines and crosses thin out with the glyph, or a crowd of them turns into a dark blob.
  g.lineWidth = Math.max(0.6, Math.min(projector ? 2.5 : 1.6, r * 0.22));
  g.stroke();
  if (payload) {
    g.beginPath();
    g.arc(cx, cy, Math.max(1.5, r * 0.42), 0, 2 * Math.PI);
    g.fillStyle = "#0072B2";
    g.fill();
  }
}

function styleOf(msg: unknown): string {
  const t = (msg as { type?: string }).type ?? "other";
  if (t.startsWith("hb-") || t === "heartbeat") return "heartbeat";
  return t in MESSAGE_STYLES ? t : "other";
}

/**
 * Messages in flight, redrawn every frame on their own canvas layer (members sit on a layer
 * below that is redrawn only when a belief changes: rasterising a canvas costs per frame).
 */
export function drawMessages(
  ctx: CanvasRenderingContext2D, side: GossipSide, layout: Layout, now: Micros, width: number, height: number,
  index: ReadonlyMap<string, number>, projector: boolean, modes: ReadonlyMap<string, MessageMode> = new Map(),
): void {
  ctx.clearRect(0, 0, width, height);
  const { x, y } = layout;

  // Messages: a tail from the sender to where the message is now, and an arrowhead at its head
  // (a filled square would read as "declared dead").
  const groups = new Map<string, InFlight[]>();
  for (const m of side.inFlight) {
    const k = styleOf(m.msg);
    if (modes.get(k) === "hidden") continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(m);
  }
  // Past a few dozen messages, one-pixel lines: Skia draws them on its hairline path, which
  // measured 10 times faster than 1.4-pixel lines on a software canvas (2 ms against 24 for 1,000).
  const crowded = side.inFlight.length > 80;
  ctx.lineWidth = crowded ? 1 : projector ? 2.2 : 1.4;
  const hr = crowded ? (projector ? 4 : 3) : projector ? 6 : 4.5;
  for (const [k, list] of groups) {
    const st = MESSAGE_STYLES[k]!;
    const lines = modes.get(k) !== "heads";
    ctx.strokeStyle = st.colour;
    ctx.fillStyle = st.colour;
    ctx.setLineDash(st.dash as number[]);

    ctx.beginPath();
    const heads: number[] = [];
    for (const m of list) {
      const a = index.get(m.from);
      const b = index.get(m.to);
      if (a === undefined || b === undefined) continue;
      const span = m.deliverAt - m.sentAt;
      const f = span > 0 ? Math.min(1, Math.max(0, (now - m.sentAt) / span)) : 1;
      const dx = x[b]! - x[a]!;
      const dy = y[b]! - y[a]!;
      const hx = x[a]! + dx * f;
      const hy = y[a]! + dy * f;
      if (lines) {
        // A comet: the tail covers the last stretch of the way, so a crowd stays legible.
        const f0 = Math.max(0, f - TAIL);
        ctx.moveTo(x[a]! + dx * f0, y[a]! + dy * f0);
        ctx.lineTo(hx, hy);
      }
      const len = Math.hypot(dx, dy) || 1;
      heads.push(hx, hy, dx / len, dy / len);
    }
    if (lines) ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    // Arrowheads along the way: three points per message, one path per kind (cheap to fill).
    for (let i = 0; i < heads.length; i += 4) {
      const px = heads[i]!;
      const py = heads[i + 1]!;
      const ux = heads[i + 2]!;
      const uy = heads[i + 3]!;
      ctx.moveTo(px + ux * hr, py + uy * hr);
      ctx.lineTo(px - ux * hr - uy * hr * 0.7, py - uy * hr + ux * hr * 0.7);
      ctx.lineTo(px - ux * hr + uy * hr * 0.7, py - uy * hr - ux * hr * 0.7);
      ctx.closePath();
    }
    ctx.fill();
  }
}

/** Size of the members drawn on top (the watched one, crashed ones): never specks. */
export const spotlightR = (layout: Layout, base: number): number =>
  layout.ring ? Math.max(layout.r * 1.25, 9) : Math.max(layout.r * 2, base * 0.75, 9);

/**
 * The watched member and crashed members, drawn over the messages, large and named: the room
 * follows them, and in a disc of 1,000 they were specks under the lines.
 */
export function drawSpotlight(
  ctx: CanvasRenderingContext2D, side: GossipSide, layout: Layout, index: ReadonlyMap<string, number>,
  watched: string | null, base: number, projector: boolean, max = 12,
): void {
  const { x, y } = layout;
  const r = spotlightR(layout, base);
  const shown: number[] = [];
  for (let i = 0; i < side.names.length && shown.length < max; i++) if (side.up[i] === 0) shown.push(i);
  const w = watched === null ? undefined : index.get(watched);
  if (w !== undefined && !shown.includes(w)) shown.push(w);
  if (shown.length === 0) return;
  ctx.font = `700 ${base}px ui-monospace, Menlo, Consolas, monospace`;
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  for (const i of shown) {
    const kind = side.up[i] === 0 ? DOWN : side.seen[i]!;
    // A white disc behind, so the glyph reads over any lines.
    ctx.beginPath();
    ctx.arc(x[i]!, y[i]!, r * 1.45, 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(255,255,255,0.92)";
    ctx.fill();
    drawGlyph(ctx, x[i]!, y[i]!, r, kind, side.payload[i] === 1, projector);
    if (i === w) {
      ctx.lineWidth = projector ? 3 : 2.5;
      ctx.strokeStyle = "#111111";
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.arc(x[i]!, y[i]!, r * 1.45, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (!layout.ring || side.names.length > NAMES_MAX) {
      const ty = y[i]! - r * 1.6 - 4 < base ? y[i]! + r * 1.6 + base : y[i]! - r * 1.6 - 4;
      ctx.lineWidth = 4;
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(side.names[i]!, x[i]!, ty);
      ctx.fillStyle = "#111111";
      ctx.fillText(side.names[i]!, x[i]!, ty);
    }
  }
}

/** Members by what they believe about the watched member, and their names around a small ring. */
export function drawMembers(
  ctx: CanvasRenderingContext2D, side: GossipSide, layout: Layout, width: number, height: number,
  index: ReadonlyMap<string, number>, projector: boolean, base: number,
): void {
  ctx.clearRect(0, 0, width, height);
  const { x, y, r } = layout;
  const n = side.names.length;
  // Members by what they believe about the watched member: shape and colour, stamped from
  // sprites drawn once (stroking hundreds of antialiased circles per frame costs milliseconds).
  const sprites = spritesFor(r, projector, ctx.getTransform().a);
  const half = sprites.size / 2;
  for (let i = 0; i < n; i++) {
    const kind = side.up[i] === 0 ? DOWN : side.seen[i]!;
    const img = side.payload[i] === 1 ? sprites.withPayload[kind]! : sprites.plain[kind]!;
    ctx.drawImage(img, x[i]! - half, y[i]! - half, sprites.size, sprites.size);
  }

  if (layout.ring && n <= NAMES_MAX) {
    ctx.fillStyle = "#111111";
    ctx.font = `600 ${namePx(base)}px ui-monospace, Menlo, Consolas, monospace`;
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
  }
}

/** A cheap fingerprint of what the members layer shows, to skip redrawing it. */
export function membersKey(side: GossipSide, watched: string | null, layout: Layout, projector: boolean): string {
  let h = 0x811c9dc5;
  const mix = (v: number): void => { h = Math.imul(h ^ v, 0x01000193) >>> 0; };
  for (let i = 0; i < side.names.length; i++) mix(side.up[i]! | (side.seen[i]! << 1) | (side.payload[i]! << 4));
  return `${h}|${side.names.length}|${watched}|${layout.r}|${layout.x[0]}|${layout.y[0]}|${projector}`;
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
