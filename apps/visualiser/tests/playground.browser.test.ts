import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createPlayground, type ExecResult } from "@drydock/playground";
import { startHarness, type AppPage, type Harness } from "./harness.js";

// Issue #9: a playground session replayed from its (seed, action log) gives the same trace hash in
// Node and in Chromium. The app's bundle is left alone: the page imports the playground's
// TypeScript source through the Vite dev server's /@fs/ route, which resolves its workspace
// imports with the app's `drydock-source` condition and its npm dependencies from the pre-bundle.

const PLAYGROUND_SOURCE = "/@fs" + join(import.meta.dirname, "..", "..", "..", "packages", "playground", "src", "index.ts");

const DOCKERFILE = `cat > Dockerfile <<EOF
FROM alpine:3.5
RUN apk add --no-cache curl
CMD ["curl", "--version"]
EOF`;

/** The lines of the session, each with the host it runs on (node1 when absent). */
const LINES: readonly (readonly [string, string?])[] = [
  ["mkdir -p ~/hello && cd ~/hello"],
  [DOCKERFILE],
  ["cat Dockerfile"],
  ["docker build -t hello ."],
  ["docker images"],
  ["docker rmi nosuch"], // fails: the error is part of the log like any other line
  ["docker pull busybox", "node2"],
  ["drydock registry start"],
  ["docker tag hello localhost:5000/hello"],
  ["docker push localhost:5000/hello"],
  ["docker images", "node2"],
];

interface PageRun {
  replayed: { trace: string; world: string };
  fresh: { trace: string; world: string; results: ExecResult[] };
}

let h: Harness;
let p: AppPage | undefined;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await p?.context.close().catch(() => {});
  await h?.close();
});

describe("the playground in chromium", () => {
  it("a session replayed from (seed, action log) in the page gives Node's trace and world hashes, and each line the same output", async () => {
    const pg = createPlayground({ seed: 5, nodes: ["node1", "node2"] });
    const results = LINES.map(([line, on]) => pg.exec(line, on === undefined ? {} : { on }));
    // The session means something: the build, the push and the failure all happened.
    expect(results.map((r) => r.exitCode === 0)).toEqual(LINES.map(([line]) => line !== "docker rmi nosuch"));
    expect(results[4]!.stdout).toMatch(/^hello +latest /m);
    expect(results[9]!.stdout).toMatch(/latest: digest: sha256:[0-9a-f]{64}/);
    const session = pg.exportSession();
    const trace = pg.traceHash();
    const world = pg.worldHash();

    p = await h.page();
    const run = await p.page.evaluate(
      async ({ src, json, lines }): Promise<PageRun> => {
        // A literal import() here would be rewritten by Vitest's transform for Node; built at
        // run time, it is the page's own dynamic import, served by the Vite dev server.
        const load = new Function("src", "return import(src)") as (src: string) => Promise<typeof import("@drydock/playground")>;
        const m = await load(src);
        const replay = m.Playground.fromSession(json);
        const fresh = m.createPlayground({ seed: 5, nodes: ["node1", "node2"] });
        const results = lines.map(([line, on]) => fresh.exec(line, on === undefined ? {} : { on }));
        return {
          replayed: { trace: replay.traceHash(), world: replay.worldHash() },
          fresh: { trace: fresh.traceHash(), world: fresh.worldHash(), results },
        };
      },
      { src: PLAYGROUND_SOURCE, json: session, lines: LINES },
    );

    expect(run.replayed).toEqual({ trace, world });
    expect(run.fresh.results).toEqual(results);
    expect({ trace: run.fresh.trace, world: run.fresh.world }).toEqual({ trace, world });
    expect(p.errors).toEqual([]);
  });
});
