// The course's own examples (shared/seed/docker-fundamentals.txt, "MULTI-STAGE BUILDS" and
// "BUILD TARGETS"), built as written: they are what a learner will type first.
import { describe, expect, it } from "vitest";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";
import { build } from "./builder.js";

const HELLO_C = '#include <stdio.h>\nint main() { printf("Hello world\\n"); }\n';

const SINGLE = `FROM alpine:3.5
RUN apk update && \\
    apk add --update alpine-sdk
RUN mkdir /app
WORKDIR /app
ADD hello.c /app
RUN mkdir bin
RUN gcc -Wall hello.c -o bin/hello
CMD /app/bin/hello
`;

const MULTI = `# Full SDK version (built and discarded)
FROM alpine:3.5 AS build
RUN apk update && \\
    apk add --update alpine-sdk
RUN mkdir /app
WORKDIR /app
ADD hello.c /app
RUN mkdir bin
RUN gcc -Wall hello.c -o bin/hello

# Lightweight image returned as final product
FROM alpine:3.5
COPY --from=build /app/bin/hello /app/hello
CMD /app/hello
`;

describe("the course's Hello World in C", () => {
  it("single stage: alpine-sdk brings gcc (apk installs the dependency closure), the image carries the SDK", () => {
    const store = new ImageStore();
    const r = build({ dockerfile: SINGLE, context: { "hello.c": HELLO_C }, tags: ["hw"] }, store, new RegistryHub());
    expect(r.output).toContain("Installing gcc");
    expect(store.imageSize(r.image)).toBeGreaterThan(200_000_000);
  });

  it("multi-stage: the final image is alpine plus one binary (the course shows about 4 MB)", () => {
    const store = new ImageStore();
    const hub = new RegistryHub();
    const r = build({ dockerfile: MULTI, context: { "hello.c": HELLO_C }, tags: ["hwc"] }, store, hub);
    const size = store.imageSize(r.image);
    expect(size).toBeLessThan(5_000_000);
    expect(r.image.layers).toHaveLength(2);
    expect(r.stagesBuilt).toEqual(["build", "stage-1"]);
  });

  it("--target build stops at the SDK stage", () => {
    const store = new ImageStore();
    const r = build({ dockerfile: MULTI, context: { "hello.c": HELLO_C }, target: "build" }, store, new RegistryHub());
    expect(r.stagesBuilt).toEqual(["build"]);
    expect(store.imageSize(r.image)).toBeGreaterThan(200_000_000);
  });
});
