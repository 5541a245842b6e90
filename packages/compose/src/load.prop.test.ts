import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ComposeError, DOCKERCOINS_COMPOSE, formatConfig, loadProject } from "./index.js";

const RICH = `name: shop
services:
  web:
    image: nginx:\${TAG:-1.27}
    command: ["nginx", "-g", "daemon off;"]
    ports: ["8080:80", "127.0.0.1::443/tcp"]
    environment:
      MODE: prod
      EMPTY:
    depends_on:
      db:
        condition: service_healthy
    networks:
      front:
        aliases: [www]
    deploy: {replicas: 2}
    healthcheck: {test: [CMD, true], interval: 10s}
  db:
    image: postgres
    volumes: [data:/var/lib/postgresql/data]
    networks: [back]
    profiles: [db]
networks: {front: {}, back: {internal: true}}
volumes: {data: {}}
x-common: &common {restart: always}
`;

// Pieces that make YAML and compose interesting: indentation, flow collections, anchors, templates.
const PIECES = [
  "\n", "  ", "    ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: *a", "${", "}", "$$", "${X:?no}", "'", '"', "#", "\t",
  "services:", "image: x", "ports:", "- 80", "- \"8080:80\"", "build: .", "networks:", "depends_on: [b]", "volumes:", "version: 3", "null", "~",
  "true", "1.5", "-1", "0x10", "constructor", "__proto__", "x-", "profiles: [p]", "deploy:", "replicas: x",
];

function mutate(text: string, edits: readonly { at: number; kind: number; piece: string }[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.kind === 0) t = t.slice(0, at) + t.slice(at + 1);
    else if (e.kind === 1) t = t.slice(0, at) + e.piece + t.slice(at);
    else {
      const lines = t.split("\n");
      const i = lines.length === 0 ? 0 : e.at % lines.length;
      lines.splice(i, 0, lines[i] ?? "");
      t = lines.join("\n");
    }
  }
  return t;
}

const edit = fc.record({ at: fc.nat(10_000), kind: fc.integer({ min: 0, max: 2 }), piece: fc.constantFrom(...PIECES) });
const file = fc.oneof(
  fc.tuple(fc.constantFrom(DOCKERCOINS_COMPOSE, RICH), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([t, e]) => mutate(t, e)),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join("")),
  fc.string({ maxLength: 80 }),
);

describe("random and mutated compose files", () => {
  it("give a project (that config can print) or a ComposeError naming the file, never another exception", () => {
    fc.assert(
      fc.property(file, (content) => {
        try {
          const r = loadProject({ files: [{ path: "/root/shop/compose.yaml", content }], workingDir: "/root/shop", env: new Map([["X", "1"]]) });
          expect(typeof formatConfig(r.project)).toBe("string");
        } catch (e) {
          expect(e).toBeInstanceOf(ComposeError);
          const err = e as ComposeError;
          expect(err.code).not.toBe("EINTERNAL");
          expect(err.message.length).toBeGreaterThan(0);
          // Errors about a value say where it is.
          if (["EYAML", "ESCHEMA", "EINTERPOLATE", "EREQUIREDVAR", "EPORT"].includes(err.code)) {
            expect(err.file).toBe("/root/shop/compose.yaml");
            expect(err.location?.line).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});
