/** Writes to the address bar at most once a second while playing (browsers throttle replaceState). */
const URL_EVERY_MS = 1_000;

/** Keeps the page's link in step with the screen, without writing it sixty times a second. */
export class LinkSync {
  private writtenAt = -Infinity;

  constructor(private readonly write: (link: string) => void) {}

  /** Writes `link()` now when `now`, else only when the last write is a second old. */
  update(link: () => string, now: boolean): void {
    const wall = typeof performance === "undefined" ? 0 : performance.now();
    if (!now && wall - this.writtenAt < URL_EVERY_MS) return;
    this.writtenAt = wall;
    this.write(link());
  }
}
