import { formatDuration, type Micros } from "@drydock/kernel";
import type { Reach } from "./scenario.js";

const whole = (us: Micros): string => formatDuration(us - (us % 1_000_000) || us - (us % 1000));

/** What the app says of how far back the view can go (the side panel, the scrubber's title). */
export function reachText(r: Reach): string {
  const back = `Back to ${r.fromUs === 0 ? "the start" : whole(r.fromUs)}: ${r.snapshots} snapshot${r.snapshots === 1 ? "" : "s"}, one every ${whole(r.snapshotEveryUs)}, so a jump back replays at most ${whole(r.snapshotEveryUs)}.`;
  return r.traceFromUs === null ? back : `${back} Messages before ${whole(r.traceFromUs)} are replayed when shown.`;
}
