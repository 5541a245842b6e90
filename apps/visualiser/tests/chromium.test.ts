import { describe, expect, it } from "vitest";
import { INSTALL_CHROMIUM, findChromium } from "./chromium.js";

// The one browser finder of the tests and benchmarks: where Linux and macOS install Chrome and
// Chromium, after CHROMIUM_PATH; with none, one line saying how to install one.
describe("findChromium", () => {
  const only = (...paths: string[]) => (p: string) => paths.includes(p);

  it("takes CHROMIUM_PATH first, and says so when it points at nothing", () => {
    expect(findChromium({ env: { CHROMIUM_PATH: "/x/chrome", PATH: "/usr/bin" }, isExecutable: only("/x/chrome", "/usr/bin/chromium") })).toEqual({ path: "/x/chrome" });
    const bad = findChromium({ env: { CHROMIUM_PATH: "/x/none", PATH: "/usr/bin" }, isExecutable: only("/usr/bin/chromium") });
    expect(bad).toEqual({ error: expect.stringContaining("CHROMIUM_PATH=/x/none") });
  });

  it("finds Debian's chromium, Ubuntu's chromium-browser and Google's chrome on PATH", () => {
    const env = { PATH: "/usr/local/bin:/usr/bin" };
    expect(findChromium({ env, platform: "linux", isExecutable: only("/usr/bin/chromium") })).toEqual({ path: "/usr/bin/chromium" });
    expect(findChromium({ env, platform: "linux", isExecutable: only("/usr/bin/chromium-browser") })).toEqual({ path: "/usr/bin/chromium-browser" });
    expect(findChromium({ env, platform: "linux", isExecutable: only("/usr/local/bin/google-chrome-stable") })).toEqual({ path: "/usr/local/bin/google-chrome-stable" });
  });

  it("finds snap's and Google's Linux installs off PATH, and the macOS app bundles", () => {
    expect(findChromium({ env: { PATH: "" }, platform: "linux", isExecutable: only("/snap/bin/chromium") })).toEqual({ path: "/snap/bin/chromium" });
    expect(findChromium({ env: { PATH: "" }, platform: "linux", isExecutable: only("/opt/google/chrome/chrome") })).toEqual({ path: "/opt/google/chrome/chrome" });
    const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    expect(findChromium({ env: { PATH: "/usr/bin" }, platform: "darwin", home: "/Users/a", isExecutable: only(mac) })).toEqual({ path: mac });
    const own = "/Users/a/Applications/Chromium.app/Contents/MacOS/Chromium";
    expect(findChromium({ env: { PATH: "/usr/bin" }, platform: "darwin", home: "/Users/a", isExecutable: only(own) })).toEqual({ path: own });
  });

  it("with none, gives one line saying how to install one", () => {
    const none = findChromium({ env: { PATH: "/usr/bin:/bin" }, platform: "linux", isExecutable: () => false });
    expect(none).toEqual({ error: INSTALL_CHROMIUM });
    expect(INSTALL_CHROMIUM).not.toContain("\n");
    expect(INSTALL_CHROMIUM).toMatch(/apt-get install -y chromium/);
    expect(INSTALL_CHROMIUM).toMatch(/CHROMIUM_PATH/);
  });
});
