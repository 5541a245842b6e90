import { describe, expect, it } from "vitest";
import { RegistryHub } from "@drydock/image";
import { createEngine, engineBuild, engineLogin, engineLogout, enginePull, openStore } from "./engine.js";

const DOCKERFILE = "FROM alpine:3.5\nRUN apk add --no-cache curl\nCOPY app.sh /app.sh\nCMD [\"/app.sh\"]\n";

describe("the engine's long operations are jobs laid out in virtual time", () => {
  it("a build leaves the engine unchanged until the job is applied; the job's steps end at its duration", () => {
    const hub = new RegistryHub();
    const before = createEngine();
    const r = engineBuild(before, hub, {
      dockerfile: DOCKERFILE, dockerfileName: "Dockerfile", context: { "app.sh": "echo hi\n" }, tags: ["app:1"],
      buildArgs: {}, noCache: false, pull: false, now: 0,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Nothing changed yet: `docker images` during a build does not show the image.
    expect(openStore(before).resolve("app:1")).toBeUndefined();
    expect(openStore(r.job.engine).resolve("app:1")?.id).toBe(r.result.image.id);
    const times = r.job.steps.map((s) => s.atUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[times.length - 1]).toBe(r.job.durationUs);
    expect(r.job.steps.at(-1)!.event).toBe("build.done");
    expect(r.job.durationUs).toBeGreaterThan(0);
  });

  it("a failed build keeps its finished steps in the cache, as BuildKit does, and makes no image", () => {
    const hub = new RegistryHub();
    const r = engineBuild(createEngine(), hub, {
      dockerfile: "FROM alpine:3.5\nRUN echo one\nRUN exit 3\n", dockerfileName: "Dockerfile", context: {}, tags: ["bad:1"],
      buildArgs: {}, noCache: false, pull: false, now: 0,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.job.steps.at(-1)!.event).toBe("build.failed");
    expect(openStore(r.engine).resolve("bad:1")).toBeUndefined();
    expect(r.engine.images.cache.size).toBeGreaterThan(0);
  });

  it("a pull's lines appear one by one over the transfer, the last at its end", () => {
    const job = enginePull(createEngine(), new RegistryHub(), "alpine:3.5", false);
    expect(job.steps.map((s) => s.stdout).join("")).toContain("Status: Downloaded newer image for alpine:3.5");
    expect(job.steps.at(-1)!.atUs).toBe(job.durationUs);
    expect(openStore(job.engine).resolve("alpine:3.5")).toBeDefined();
  });

  it("login and logout are per registry", () => {
    const e = engineLogin(createEngine(), "docker.io", "ada");
    expect(e.logins).toEqual({ "docker.io": "ada" });
    expect(engineLogout(e, "docker.io")).toEqual({ engine: createEngine(), was: true });
    expect(engineLogout(createEngine(), "docker.io").was).toBe(false);
  });
});
