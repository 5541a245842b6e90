import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { build } from "./builder.js";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";

const hub = new RegistryHub();

type Step = { k: "run"; text: string } | { k: "copy"; file: number } | { k: "arg"; name: number } | { k: "workdir" } | { k: "env" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant("run" as const), text: fc.constantFrom("echo a > /a", "mkdir -p /opt/x", "touch /t", "echo b >> /a", "true", "echo $A0 > /arg") }),
  fc.record({ k: fc.constant("copy" as const), file: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant("arg" as const), name: fc.integer({ min: 0, max: 1 }) }),
  // WORKDIR is a step of its own that no input reaches; ENV is metadata (no step).
  fc.constant({ k: "workdir" as const }),
  fc.constant({ k: "env" as const }),
);

function dockerfile(steps: readonly Step[]): string {
  const lines = ["FROM alpine:3.20"];
  steps.forEach((s, i) => {
    if (s.k === "run") lines.push(`RUN ${s.text} && echo ${i} > /step`);
    else if (s.k === "copy") lines.push(`COPY f${s.file} /d${i}/`);
    else if (s.k === "workdir") lines.push(`WORKDIR /w${i}`);
    else if (s.k === "env") lines.push(`ENV E${i}=constant`);
    else lines.push(`ARG A${s.name}=default`);
  });
  return `${lines.join("\n")}\n`;
}

/** Index (among steps that have a build step: RUN, COPY and WORKDIR) of the first step using the changed input. */
function firstUse(steps: readonly Step[], change: { kind: "file"; file: number } | { kind: "arg"; name: number }): number {
  let n = 0;
  let declared = false;
  for (const s of steps) {
    if (s.k === "arg") {
      if (change.kind === "arg" && s.name === change.name) declared = true;
      continue;
    }
    if (s.k === "env") continue;
    if (change.kind === "file" && s.k === "copy" && s.file === change.file) return n;
    if (change.kind === "arg" && declared && s.k === "run") return n;
    n++;
  }
  return n;
}

const files = (v: string[]) => Object.fromEntries(v.map((c, i) => [`f${i}`, c]));

describe("build cache properties (issue 5)", () => {
  it("a rebuild with unchanged inputs hits at every step", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 8 }), fc.array(fc.string({ maxLength: 5 }), { minLength: 3, maxLength: 3 }), (steps, contents) => {
        const store = new ImageStore();
        const opts = { dockerfile: dockerfile(steps), context: files(contents), buildArgs: { A0: "x", A1: "y" } };
        const first = build(opts, store, hub);
        const second = build(opts, store, hub);
        expect(second.steps.every((s) => s.cached)).toBe(true);
        expect(second.image.id).toBe(first.image.id);
      }),
      { numRuns: 60 },
    );
  });

  it("changing one input misses from the first step that uses it, and hits before it", () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant("file" as const), file: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant("arg" as const), name: fc.integer({ min: 0, max: 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 8 }), change, (steps, ch) => {
        const store = new ImageStore();
        const contents = ["one", "two", "three"];
        const df = dockerfile(steps);
        build({ dockerfile: df, context: files(contents), buildArgs: { A0: "x", A1: "y" } }, store, hub);
        const changed = [...contents];
        const args = { A0: "x", A1: "y" };
        if (ch.kind === "file") changed[ch.file] = `${changed[ch.file]}!`;
        else args[`A${ch.name}` as "A0"] = "changed";
        const r = build({ dockerfile: df, context: files(changed), buildArgs: args }, store, hub);
        const flags = r.steps.filter((s) => s.kind !== "from").map((s) => s.cached);
        const k = firstUse(steps, ch);
        expect(flags).toEqual(flags.map((_, i) => i < k));
      }),
      { numRuns: 100 },
    );
  });

  it("identical layers are stored once: re-running identical steps adds no layer", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }), (contents) => {
        const store = new ImageStore();
        const df = `FROM alpine:3.20\n${contents.map((_, i) => `COPY f${i} /f${i}`).join("\n")}\nRUN echo same > /same\n`;
        const a = build({ dockerfile: df, context: files(contents) }, store, hub);
        const count = store.layerCount();
        const b = build({ dockerfile: df, context: files(contents), noCache: true }, store, hub);
        expect(store.layerCount()).toBe(count);
        expect(b.image.layers).toEqual(a.image.layers);
        // Another image that shares the prefix shares the very same stored layers.
        const c = build({ dockerfile: `${df}RUN echo more > /more\n`, context: files(contents) }, store, hub);
        expect(c.image.layers.slice(0, a.image.layers.length)).toEqual(a.image.layers);
        expect(store.layerCount()).toBe(count + 1);
      }),
      { numRuns: 40 },
    );
  });
});
