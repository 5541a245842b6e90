// QA walkthrough 2026-11-30 defect #4 (Multi-Stage Builds): a compiled C program printed
// hello-world's text, and a source that does not compile built. gcc now reads the source: what
// main's printf/puts print is what the binary prints; a syntax error fails the RUN with gcc's
// `FILE:LINE:COL: error: …` and exit 1, and BuildKit's failure.
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

const HELLO_C = '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world!\\n");\n    return 0;\n}\n';
const LARGE = "FROM alpine:3.5\nRUN apk update && apk add --update alpine-sdk\nRUN mkdir /app\nWORKDIR /app\nCOPY hello.c /app\nRUN mkdir bin\nRUN gcc -Wall hello.c -o bin/hello\nCMD /app/bin/hello\n";
const SMALL = "FROM alpine:3.5 AS build\nRUN apk update && apk add --update alpine-sdk\nRUN mkdir /app\nWORKDIR /app\nCOPY hello.c /app\nRUN mkdir bin\nRUN gcc -Wall hello.c -o bin/hello\n\nFROM alpine:3.5\nCOPY --from=build /app/bin/hello /app/hello\nCMD /app/hello\n";

function world() {
  const pg = createPlayground({ seed: 3 });
  pg.exec("docker pull -q alpine:3.5");
  return pg;
}

describe("gcc in a RUN step and the binary it writes", () => {
  it("the course's hello.c prints 'Hello, world!' (not hello-world's text), in one stage and copied from a build stage", () => {
    const pg = world();
    pg.writeFile("node1", "/root/multi/hello.c", HELLO_C);
    pg.writeFile("node1", "/root/multi/Dockerfile", LARGE);
    expect(pg.exec("docker image build -t my-app-large /root/multi").exitCode).toBe(0);
    expect(pg.exec("docker run --rm my-app-large")).toMatchObject({ exitCode: 0, stdout: "Hello, world!\n" });
    pg.writeFile("node1", "/root/multi/Dockerfile", SMALL);
    expect(pg.exec("docker image build -t my-app-small /root/multi").exitCode).toBe(0);
    expect(pg.exec("docker run --rm my-app-small")).toMatchObject({ exitCode: 0, stdout: "Hello, world!\n" });
    expect(pg.exec("docker run --rm my-app-small /app/hello").stdout).toBe("Hello, world!\n");
    expect(pg.exec("docker run --rm my-app-small sh -c '/app/hello; echo $?'").stdout).toBe("Hello, world!\n0\n");
  });

  it("another message, puts, and main's return status are what the binary does, whatever its name", () => {
    const pg = world();
    pg.writeFile("node1", "/root/c/bonjour.c", '#include <stdio.h>\nint main() { printf("Bonjour\\n"); puts("100%% sure"); printf("50%% done\\n"); return 3; }\n');
    pg.writeFile("node1", "/root/c/Dockerfile", "FROM alpine:3.5\nRUN apk add --update alpine-sdk\nCOPY bonjour.c /\nRUN gcc bonjour.c -o /usr/local/bin/bonjour\nCMD [\"bonjour\"]\n");
    expect(pg.exec("docker build -t bonjour /root/c").exitCode).toBe(0);
    expect(pg.exec("docker run --rm bonjour")).toMatchObject({ exitCode: 3, stdout: "Bonjour\n100%% sure\n50% done\n" });
    expect(pg.exec("docker run --rm bonjour sh -c 'bonjour; echo $?'").stdout).toBe("Bonjour\n100%% sure\n50% done\n3\n");
  });

  it("a source that does not compile fails the RUN: gcc's error and exit 1, then BuildKit's failure", () => {
    const pg = world();
    pg.writeFile("node1", "/root/multi/hello.c", "int main( { oops\n");
    pg.writeFile("node1", "/root/multi/Dockerfile", LARGE);
    const r = pg.exec("docker image build -t broken /root/multi");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("hello.c:1:11: error: expected declaration specifiers or '...' before '{' token");
    expect(r.stderr).toContain('ERROR: failed to build: failed to solve: process "/bin/sh -c gcc -Wall hello.c -o bin/hello" did not complete successfully: exit code: 1\n');
    pg.writeFile("node1", "/root/multi/hello.c", '#include <stdio.h>\nint main(void) {\n  printf("hi\\n");\n');
    const r2 = pg.exec("docker image build -t broken /root/multi");
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain("hello.c:3:18: error: expected declaration or statement at end of input");
  });
});
