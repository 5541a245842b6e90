import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { createEngine, type EngineState } from "../engine.js";
import { engineEvents } from "../events.js";
import {
  PLUGIN_CATALOGUE, disablePlugin, enablePlugin, findPlugin, inspectPlugin, installPlugin, lookupRemotePlugin, newPlugin, pluginName,
  pluginPrivileges, removePlugin,
} from "./plugins.js";
import { createVolume, removeVolume } from "./volumes.js";

const errorOf = (fn: () => unknown): DrydockError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrydockError) return e;
    throw e;
  }
  throw new Error("expected an error");
};

const sshfs = PLUGIN_CATALOGUE.get("vieux/sshfs:latest")!;
const installed = (enabled = true): EngineState => installPlugin(createEngine(), newPlugin(sshfs, undefined, [], enabled, 0), "vieux/sshfs", 0);

describe("vieux/sshfs, the course's plugin", () => {
  it("asks for the privileges the course's slide lists, in moby computePrivileges' order", () => {
    expect(pluginPrivileges(sshfs.config).map((p) => `- ${p.name}: [${p.value.join(" ")}]`)).toEqual([
      "- network: [host]", "- mount: [/var/lib/docker/plugins/]", "- device: [/dev/fuse]", "- capabilities: [CAP_SYS_ADMIN]",
    ]);
  });

  it("installs as vieux/sshfs:latest with a 64-hex ID, enabled, DEBUG=0 from its config; pull and enable are logged", () => {
    const e = installed();
    const p = findPlugin(e.plugins, "vieux/sshfs");
    expect(p).toMatchObject({ name: "vieux/sshfs:latest", reference: "docker.io/vieux/sshfs:latest", enabled: true, env: ["DEBUG=0"] });
    expect(p.id).toMatch(/^[0-9a-f]{64}$/);
    expect(findPlugin(e.plugins, p.id.slice(0, 12))).toBe(p);
    expect(engineEvents(e).map((ev) => `${ev.type} ${ev.action} ${ev.actor.id}`)).toEqual(["plugin pull vieux/sshfs", `plugin enable ${p.id}`]);
    expect(errorOf(() => installPlugin(e, newPlugin(sshfs, undefined, [], true, 0), "vieux/sshfs", 0)).message).toBe("plugin vieux/sshfs:latest already exists");
    expect(newPlugin(sshfs, undefined, ["DEBUG=1"], true, 0).env).toEqual(["DEBUG=1"]);
  });

  it("an unknown plugin fails as the daemon's resolver does (splunk/docker-logging-plugin#78)", () => {
    expect(errorOf(() => lookupRemotePlugin("someone/nothing")).message).toBe(
      "error resolving plugin reference: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
    );
    expect(pluginName("docker.io/vieux/sshfs")).toBe("vieux/sshfs:latest");
  });

  it("a volume needs sshcmd: the plugin's own error, printf bug and all (vieux/docker-volume-sshfs#52)", () => {
    expect(errorOf(() => createVolume(installed(), { name: "sshvolume", driver: "vieux/sshfs", options: {}, labels: {}, now: 0 })).message)
      .toBe("create sshvolume: VolumeDriver.Create: 'sshcmd' option required%!(EXTRA []interface {}=[])");
    const r = createVolume(installed(), { name: "sshvolume", driver: "vieux/sshfs", options: { sshcmd: "ada@files:/srv", password: "pw" }, labels: {}, now: 0 });
    expect(r.volume.driver).toBe("vieux/sshfs:latest");
    expect(r.volume.mountpoint).toMatch(/^\/var\/lib\/docker\/plugins\/[0-9a-f]{64}\/propagated-mount\/[0-9a-f]{32}$/);
  });

  it("a plugin with volumes is in use: no disable or rm without -f; an enabled one needs disabling first (moby plugin/errors.go)", () => {
    const e = createVolume(installed(), { name: "sshvolume", driver: "vieux/sshfs", options: { sshcmd: "a@b:/c" }, labels: {}, now: 0 }).engine;
    expect(errorOf(() => disablePlugin(e, "vieux/sshfs", false, 0)).message).toBe("plugin vieux/sshfs:latest is in use");
    expect(errorOf(() => removePlugin(e, "vieux/sshfs", false, 0)).message).toBe("plugin vieux/sshfs:latest is in use");
    const free = removeVolume(e, "sshvolume", { now: 0 });
    expect(errorOf(() => removePlugin(free, "vieux/sshfs", false, 0)).message).toBe("plugin vieux/sshfs:latest is enabled");
    const off = disablePlugin(free, "vieux/sshfs", false, 0);
    expect(errorOf(() => disablePlugin(off, "vieux/sshfs", false, 0)).message).toBe("plugin is already disabled: plugin vieux/sshfs:latest found but disabled");
    expect(errorOf(() => enablePlugin(enablePlugin(off, "vieux/sshfs", 0), "vieux/sshfs", 0)).message).toBe("plugin already enabled: plugin vieux/sshfs:latest is enabled");
    const gone = removePlugin(off, "vieux/sshfs", false, 0);
    expect(gone.plugins.size).toBe(0);
    expect(removePlugin(e, "vieux/sshfs", true, 0).plugins.size).toBe(0);
    expect(errorOf(() => findPlugin(gone.plugins, "vieux/sshfs")).message).toBe(`plugin "vieux/sshfs" not found`);
  });

  it("inspect has moby's api/types.Plugin fields in their order", () => {
    const o = inspectPlugin(findPlugin(installed().plugins, "vieux/sshfs"));
    expect(Object.keys(o)).toEqual(["Config", "Enabled", "Id", "Name", "PluginReference", "Settings"]);
    expect((o["Config"] as { Description: string }).Description).toBe("sshFS plugin for Docker");
  });
});
