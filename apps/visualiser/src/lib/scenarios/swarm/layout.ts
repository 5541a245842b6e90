import type { SwarmNodeView, SwarmTaskView } from "./model.js";

// Where the boxes and chips go, in CSS pixels of the SVG's box (pure: the view and the tests
// read the same numbers). Managers in the top row, workers below; a box's words, then its
// task chips in as many columns as fit.

/** A monospace character is about this many ems wide (the chips' labels are monospace). */
export const MONO_EM = 0.61;

export interface BoxPlace {
  readonly host: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface ChipPlace {
  readonly key: string;
  readonly host: string;
  readonly task: SwarmTaskView;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface SwarmLayout {
  readonly boxes: readonly BoxPlace[];
  readonly chips: readonly ChipPlace[];
  /** Chips that did not fit, per host (the box says "+n more"). */
  readonly hidden: ReadonlyMap<string, number>;
  readonly fs: number;
  readonly line: number;
  readonly pad: number;
  /** Lines of words at the top of a box. */
  readonly headLines: number;
  /** Space inside a chip before its label. */
  readonly chipPad: number;
  /** Whether a chip's label starts with its state's glyph (left out where the boxes are too narrow: the chip's outline still tells the state). */
  readonly glyphs: boolean;
  /** Whether chips carry their labels (false: boxes too small, each task a square with a tooltip). */
  readonly labels: boolean;
}

/** Two placements that draw the same chip (the view keeps the one drawn: its block does not update). */
export function sameChip(a: ChipPlace, b: ChipPlace): boolean {
  const s = a.task;
  const t = b.task;
  return a.key === b.key && a.host === b.host && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h
    && s.id === t.id && s.name === t.name && s.image === t.image && s.state === t.state && s.desired === t.desired && s.lost === t.lost && s.stopping === t.stopping;
}

export function chipLabel(t: SwarmTaskView): string {
  return `${t.name} ${t.image}`;
}

export function swarmLayout(nodes: readonly SwarmNodeView[], width: number, height: number, base: number): SwarmLayout {
  const fs = base;
  const line = Math.round(fs * 1.25);
  const pad = Math.max(4, Math.round(fs * 0.45));
  const gap = Math.max(6, Math.round(fs * 0.6));
  // Up to 8 workers share one row; a bigger swarm (the frame bench's 50 nodes) wraps them in rows of about √(2n).
  const workers = nodes.filter((n) => n.role === "worker");
  const perWorkerRow = workers.length <= 8 ? workers.length : Math.ceil(Math.sqrt(workers.length * 2));
  const workerRows: (typeof workers)[] = [];
  for (let i = 0; i < workers.length; i += Math.max(1, perWorkerRow)) workerRows.push(workers.slice(i, i + perWorkerRow));
  const rows = [nodes.filter((n) => n.role === "manager"), ...workerRows].filter((r) => r.length > 0);
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const boxW = Math.max(40, (width - gap * (cols + 1)) / cols);
  const boxH = Math.max(40, (height - gap * (rows.length + 1)) / rows.length);
  const boxes: BoxPlace[] = [];
  const chips: ChipPlace[] = [];
  const hidden = new Map<string, number>();
  const labelH = Math.round(fs * 1.55);
  const chipGap = Math.max(3, Math.round(fs * 0.3));
  // Boxes too small for the three lines of words and a row of labelled chips (a swarm of 50 nodes
  // on one screen) keep only the host's name and draw each task as a small square, its label in
  // its tooltip: the room sees the update move through the swarm, not each task's name.
  const labels = boxH >= 2 * pad + 3 * line + pad * 0.5 + labelH;
  const headLines = labels ? 3 : 1;
  const chipH = labels ? labelH : Math.max(6, Math.round(fs * 0.7));
  // Chips share one width (the longest label), so columns line up and a moving chip keeps its size.
  const chipPad = Math.max(3, Math.round(fs * 0.3));
  const longest = Math.max(8, ...nodes.flatMap((n) => n.tasks.map((t) => chipLabel(t).length)));
  const inner = boxW - 2 * pad;
  const glyphs = labels && (longest + 2) * MONO_EM * fs + 2 * chipPad <= inner;
  const chipW = labels ? Math.min(inner, Math.ceil((longest + (glyphs ? 2 : 0)) * MONO_EM * fs + 2 * chipPad)) : chipH;
  rows.forEach((row, r) => {
    const rowW = row.length * boxW + (row.length - 1) * gap;
    const x0 = (width - rowW) / 2;
    const y = gap + r * (boxH + gap);
    row.forEach((n, i) => {
      const x = x0 + i * (boxW + gap);
      boxes.push({ host: n.host, x, y, w: boxW, h: boxH });
      const top = y + pad + headLines * line + pad * 0.5;
      const perRow = Math.max(1, Math.floor((boxW - 2 * pad + chipGap) / (chipW + chipGap)));
      const fitRows = Math.max(0, Math.floor((y + boxH - pad - top + chipGap) / (chipH + chipGap)));
      const fits = perRow * fitRows;
      const shown = n.tasks.length > fits ? Math.max(0, fits - 1) : n.tasks.length;
      if (shown < n.tasks.length) hidden.set(n.host, n.tasks.length - shown);
      n.tasks.slice(0, shown).forEach((t, k) => {
        const cx = x + pad + (k % perRow) * (chipW + chipGap);
        const cy = top + Math.floor(k / perRow) * (chipH + chipGap);
        // A chip keeps its slot's key while it moves from node to node; a lost one is its own.
        chips.push({ key: t.lost && t.desired !== "running" ? `lost/${t.id}` : `${t.service}.${t.slot}`, host: n.host, task: t, x: cx, y: cy, w: chipW, h: chipH });
      });
    });
  });
  // One key per chip: a slot both lost (still listed running on a down host) and replaced keeps
  // the key for the replacement.
  const seen = new Set<string>();
  const unique = chips.map((c) => {
    if (!seen.has(c.key)) {
      seen.add(c.key);
      return c;
    }
    return { ...c, key: `${c.key}/${c.task.id}` };
  });
  return { boxes, chips: unique, hidden, fs, line, pad, headLines, chipPad, glyphs, labels };
}
