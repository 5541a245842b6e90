import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { build } from "./builder.js";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";

const hub = new RegistryHub();
const DF = "FROM busybox:1.36\nWORKDIR /app\nCOPY hello.txt .\nRUN cat hello.txt > copy.txt\nCMD [\"cat\", \"copy.txt\"]\n";
const CTX = { "hello.txt": "hello\n" };

describe("plain progress output (docker build --progress=plain)", () => {
  // BuildKit plain transcripts (docker driver): a fresh pull prints "resolve <ref>@<digest> done",
  // the manifest and config blobs, the layers and "extracting"; the build context loads in parallel,
  // so its vertex interrupts the FROM vertex ("#4 ..."), which then resumes; a base already in the
  // content store prints "resolve … done" and "DONE 0.0s", and the context right after it.
  it("golden: a cold build then a warm rebuild, vertex by vertex", () => {
    const store = new ImageStore();
    const cold = build({ dockerfile: DF, context: CTX, tag: "hello" }, store, hub);
    const warm = build({ dockerfile: DF, context: CTX, tag: "hello" }, store, hub);
    const digest = hub.resolve("busybox:1.36")!.manifest.digest;
    const layer = hub.resolve("busybox:1.36")!.image.layers[0]!;
    const config = hub.resolve("busybox:1.36")!.image.id;
    expect(cold.output).toBe(`#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: ${DF.length}B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/busybox:1.36
#2 DONE 0.4s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#4 [1/4] FROM docker.io/library/busybox:1.36@${digest}
#4 resolve docker.io/library/busybox:1.36@${digest} done
#4 ${digest} 530B / 530B done
#4 ${config} 840B / 840B done
#4 ...

#5 [internal] load build context
#5 transferring context: 6B done
#5 DONE 0.0s

#4 [1/4] FROM docker.io/library/busybox:1.36@${digest}
#4 ${layer} 4.26MB / 4.26MB 0.1s done
#4 extracting ${layer} 0.0s done
#4 DONE 0.2s

#6 [2/4] WORKDIR /app
#6 DONE 0.0s

#7 [3/4] COPY hello.txt .
#7 DONE 0.0s

#8 [4/4] RUN cat hello.txt > copy.txt
#8 DONE 0.1s

#9 exporting to image
#9 exporting layers 0.1s done
#9 writing image ${cold.image.id} done
#9 naming to docker.io/library/hello:latest done
#9 DONE 0.1s
`);
    expect(warm.output.split("\n").filter((l) => l.endsWith("CACHED"))).toEqual(["#6 CACHED", "#7 CACHED", "#8 CACHED"]);
    expect(warm.output).toContain(`#4 [1/4] FROM docker.io/library/busybox:1.36@${digest}\n#4 resolve docker.io/library/busybox:1.36@${digest} done\n#4 DONE 0.0s\n\n#5 [internal] load build context\n`);
  });

  it("builds are deterministic: fresh stores, same inputs, same output, steps and image ID", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 1e12 }), (text, now) => {
        const a = build({ dockerfile: DF, context: { "hello.txt": text }, now }, new ImageStore(), hub);
        const b = build({ dockerfile: DF, context: { "hello.txt": text }, now }, new ImageStore(), hub);
        expect(b.output).toBe(a.output);
        expect(b.image).toEqual(a.image);
        expect(b.durationUs).toBe(a.durationUs);
      }),
      { numRuns: 30 },
    );
  });
});
