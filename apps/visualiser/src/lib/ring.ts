import { scaleLinear } from "d3";
import type { InFlight, Micros } from "@drydock/kernel";

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Nodes evenly on a circle, the first at the top, clockwise (RaftScope's layout). */
export function ringLayout(ids: readonly string[], cx: number, cy: number, r: number): Map<string, Point> {
  const angle = scaleLinear().domain([0, ids.length]).range([-Math.PI / 2, (3 * Math.PI) / 2]);
  return new Map(ids.map((id, i) => [id, { x: cx + r * Math.cos(angle(i)), y: cy + r * Math.sin(angle(i)) }]));
}

/** Where a message is now on its way from sender to receiver, between the two node rims. */
export function messagePosition(m: InFlight, now: Micros, from: Point, to: Point, rim: number): Point & { readonly f: number } {
  const span = m.deliverAt - m.sentAt;
  const f = span > 0 ? Math.max(0, Math.min(1, (now - m.sentAt) / span)) : 1;
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  // Travel rim to rim, offset sideways so requests and replies on one link do not overlap.
  const sx = from.x + ux * rim - uy * 7;
  const sy = from.y + uy * rim + ux * 7;
  const ex = to.x - ux * rim - uy * 7;
  const ey = to.y - uy * rim + ux * 7;
  return { x: sx + (ex - sx) * f, y: sy + (ey - sy) * f, f };
}
