import { describe, expect, it } from "vitest";
import { internetAddress, internetResponse, isWellKnownSite } from "./internet.js";

describe("the internet's DNS (QA 2026-11-30 #12)", () => {
  it("well-known sites resolve to one of their real addresses", () => {
    expect(internetAddress("example.com")).toBe("23.192.228.80");
    expect(internetAddress("GitHub.com.")).toBe("140.82.121.4");
    expect(isWellKnownSite("hub.docker.com")).toBe(true);
  });

  it("RFC 6761/2606 special-use names, .local (RFC 6762) and .onion (RFC 7686) never resolve", () => {
    for (const n of ["nosuch.invalid", "nosuchhost.invalid", "app.test", "www.example", "foo.localhost", "printer.local", "x.onion"]) {
      expect(internetAddress(n), n).toBeNull();
    }
  });

  it("a bare word, an unknown top-level domain or a malformed label does not resolve; other public names get a derived address", () => {
    expect(internetAddress("web")).toBeNull();
    expect(internetAddress("host.nosuchtld")).toBeNull();
    expect(internetAddress("bad..name.com")).toBeNull();
    expect(internetAddress("mirror.example-corp.com")).toMatch(/^142\.\d+\.\d+\.\d+$/);
    expect(internetAddress("mirror.example-corp.com")).toBe(internetAddress("mirror.example-corp.com"));
  });
});

describe("the internet's web servers", () => {
  it("example.com serves its page at / (200) and the same page as a 404 elsewhere", () => {
    const r = internetResponse({ scheme: "http", host: "example.com", path: "/", method: "GET" });
    expect(r.status).toBe(200);
    expect(r.body).toContain("<title>Example Domain</title>");
    expect(r.headers).toContainEqual(["Content-Length", String(r.body.length)]);
    expect(internetResponse({ scheme: "https", host: "example.com", path: "/nope", method: "GET" }).status).toBe(404);
  });

  it("google.com: gws's 301 to www.google.com; github.com and docker.com: http → https", () => {
    const g = internetResponse({ scheme: "http", host: "google.com", path: "/", method: "GET" });
    expect([g.status, g.headers[0]]).toEqual([301, ["Location", "http://www.google.com/"]]);
    expect(g.body).toContain("<H1>301 Moved</H1>");
    expect(internetResponse({ scheme: "https", host: "google.com", path: "/", method: "GET" }).headers[0]).toEqual(["Location", "https://www.google.com/"]);
    const gh = internetResponse({ scheme: "http", host: "github.com", path: "/docker", method: "GET" });
    expect(gh.status).toBe(301);
    expect(gh.headers).toContainEqual(["Location", "https://github.com/docker"]);
    expect(internetResponse({ scheme: "https", host: "github.com", path: "/", method: "GET" }).status).toBe(200);
    expect(internetResponse({ scheme: "http", host: "docker.com", path: "/", method: "GET" }).headers).toContainEqual(["Location", "https://www.docker.com/"]);
  });

  it("HEAD has no body; any other public name answers drydock's labelled stand-in", () => {
    expect(internetResponse({ scheme: "http", host: "example.com", path: "/", method: "HEAD" }).body).toBe("");
    expect(internetResponse({ scheme: "http", host: "mirror.example-corp.com", path: "/", method: "GET" }).body).toContain("drydock's stand-in");
  });
});
