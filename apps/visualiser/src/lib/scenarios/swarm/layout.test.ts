import { describe, expect, it } from "vitest";
import { sameChip, swarmLayout } from "./layout.js";
import type { SwarmNodeView, SwarmTaskView } from "./model.js";

const task = (slot: number, image = "nginx:1.25", state = "running"): SwarmTaskView => ({
  id: `t${slot}`, name: `web.${slot}`, service: "web", slot, image, state, desired: "running", lost: false, stopping: false,
});
const node = (host: string, tasks: SwarmTaskView[]): SwarmNodeView => ({
  host, role: "worker", up: true, status: "Ready", availability: "Active", managerStatus: "", raftRole: null, term: null, tasks,
});

describe("chips kept between frames (the swarm view redraws only the chips that changed)", () => {
  it("a chip placed the same way with the same task is the same chip; a new image, state or place is not", () => {
    const a = swarmLayout([node("worker1", [task(1), task(2)])], 1280, 720, 18).chips;
    const b = swarmLayout([node("worker1", [task(1), task(2)])], 1280, 720, 18).chips;
    expect(a[0]).not.toBe(b[0]);
    expect(sameChip(a[0]!, b[0]!)).toBe(true);
    const updated = swarmLayout([node("worker1", [task(1, "nginx:1.27"), task(2)])], 1280, 720, 18).chips;
    expect(sameChip(a[0]!, updated[0]!)).toBe(false);
    const starting = swarmLayout([node("worker1", [task(1, "nginx:1.25", "starting"), task(2)])], 1280, 720, 18).chips;
    expect(sameChip(a[0]!, starting[0]!)).toBe(false);
    // web.1 gone: web.2 moves into its slot.
    const moved = swarmLayout([node("worker1", [task(2)])], 1280, 720, 18).chips;
    expect(sameChip(a[1]!, moved[0]!)).toBe(false);
  });
});
