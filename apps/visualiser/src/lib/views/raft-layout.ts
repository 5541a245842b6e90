import type { Point } from "../ring.js";

// The Raft ring laid out in CSS pixels for the box it is drawn in, from the app's type size
// (src/lib/type.ts). Words are sized first (never below the base size) and the ring takes what
// is left, so a 9-server ring on a 720-line projector keeps 18 px words and grows to its box.

export interface RaftFonts {
  readonly name: number;
  readonly term: number;
  /** The one line under a server: its role, or whom a follower voted for. */
  readonly role: number;
  readonly label: number;
}

export interface RaftLayout {
  readonly cx: number;
  readonly cy: number;
  /** The ring's radius. */
  readonly r: number;
  /** A server's radius. */
  readonly R: number;
  /** A message glyph's radius. */
  readonly glyph: number;
  readonly fs: RaftFonts;
  readonly pos: ReadonlyMap<string, Point>;
  /** Room under a server (below its timer arc) for its line of words. */
  readonly below: number;
  /** Half the width the line under a server may take (its neighbours' lines start beyond). */
  readonly wordHalf: number;
  /** Outer radius of a server's election-timer arc. */
  readonly arcOut: number;
}

/** Width of `chars` characters of bold sans-serif type at `px` (a generous estimate). */
export const textWidth = (chars: number, px: number): number => chars * px * 0.62;

export function raftLayout(ids: readonly string[], width: number, height: number, base: number): RaftLayout {
  const n = Math.max(1, ids.length);
  const fs: RaftFonts = { name: Math.round(base * 1.25), term: base, role: base, label: base };
  const angles = Array.from({ length: n }, (_, i) => -Math.PI / 2 + (2 * Math.PI * i) / n);
  const maxSin = Math.max(...angles.map(Math.sin));
  const maxCos = Math.max(0.5, ...angles.map(Math.cos));
  // "candidate" and "voted s10" are the widest usual words under a server ("pre-candidate" is
  // drawn narrower to fit); votes are marks on the server itself.
  const wordHalf = textWidth(9, fs.role) / 2;
  const arcGap = Math.max(8, base * 0.55);
  const fit = (R: number): { r: number; above: number; below: number } => {
    const above = R + arcGap + 2;
    const below = R + arcGap + fs.role * 1.25;
    const side = Math.max(R + arcGap + 2, wordHalf + 4);
    const r = Math.min((height - above - below) / (1 + maxSin), (width / 2 - side) / maxCos);
    return { r: Math.max(R * 1.2, r), above, below };
  };
  // A server holds its name and "term N": 2.3 base sizes across at least (1.9 in a crowded ring),
  // up to 3 when the ring has room. The largest radius whose line of words clears both
  // neighbours' timer arcs wins.
  const place = (R: number): { r: number; above: number; below: number; ok: boolean } => {
    const f = fit(R);
    const arcR = R + arcGap;
    // A server's words under it, relative to its centre; a neighbour at the ring's chord.
    const x0 = -wordHalf;
    const x1 = wordHalf;
    const y0 = arcR;
    const y1 = arcR + fs.role * 1.25;
    let ok = 2 * f.r * Math.sin(Math.PI / n) >= 2 * arcR + 4;
    for (let i = 0; ok && i < n; i++) {
      for (const j of [(i + 1) % n, (i + n - 1) % n]) {
        if (j === i) continue;
        const dx = f.r * (Math.cos(angles[j]!) - Math.cos(angles[i]!));
        const dy = f.r * (Math.sin(angles[j]!) - Math.sin(angles[i]!));
        // Distance from the neighbour's centre to the words' box.
        const nx = Math.max(x0 - dx, 0, dx - x1);
        const ny = Math.max(y0 - dy, 0, dy - y1);
        if (Math.hypot(nx, ny) < arcR + 2) ok = false;
      }
    }
    return { ...f, ok };
  };
  let R = base * 3;
  let best = place(R);
  while (!best.ok && R > base * 1.9) {
    R -= 1;
    best = place(R);
  }
  const { r, above, below } = best;
  const spare = Math.max(0, height - above - below - r * (1 + maxSin));
  const cy = above + r + spare / 2;
  const cx = width / 2;
  const pos = new Map<string, Point>(ids.map((id, i) => [id, { x: cx + r * Math.cos(angles[i]!), y: cy + r * Math.sin(angles[i]!) }]));
  return { cx, cy, r, R, glyph: Math.max(8, Math.round(base * 0.62)), fs, pos, below: below - R, wordHalf, arcOut: R + arcGap };
}
