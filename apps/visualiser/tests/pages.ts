import { afterAll, afterEach, beforeAll } from "vitest";
import { startHarness, type AppPage, type Harness } from "./harness.js";

/**
 * A test file's browser: one harness (server and chromium) for the file, and each test's pages
 * closed after it (an idle page still runs its animation loop). `open` is the harness's `page`,
 * remembered for closing. Kept apart from harness.ts, which the benchmarks load without Vitest.
 */
export function pagesPerTest(): { readonly harness: Harness; open(search: string, size?: { width: number; height: number }): Promise<AppPage> } {
  let h: Harness | undefined;
  const pages: AppPage[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context.close().catch(() => {});
  });
  afterAll(async () => {
    await h?.close();
  });
  const harness = (): Harness => {
    if (h === undefined) throw new Error("the harness starts in beforeAll");
    return h;
  };
  return {
    get harness() {
      return harness();
    },
    async open(search, size) {
      const p = await harness().page(search, size);
      pages.push(p);
      return p;
    },
  };
}
