// What the volume, plugin and system commands at the prompt need of this module beyond the first
// cut (issue #10), each against the moby v28.5.1 file it follows.
import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { createEngine, type EngineState } from "../engine.js";
import { FilterArgs } from "./filters.js";
import { PLUGIN_CATALOGUE, applyPluginSettings, installPlugin, listPlugins, newPlugin, pluginCapabilities } from "./plugins.js";
import { parseTimestamp, unixToVirtual, virtualToUnixNanos } from "./time.js";
import { createVolume, listVolumes, pruneVolumes } from "./volumes.js";

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

describe("docker plugin ls filters (moby plugin/backend_linux.go Manager.List)", () => {
  it("enabled=true|false, capability against every type the plugin implements; other names are refused", () => {
    const on = installed(true);
    const off = installed(false);
    expect(pluginCapabilities(on.plugins.get("vieux/sshfs:latest")!)).toEqual(["volumedriver"]);
    expect(listPlugins(on.plugins, FilterArgs.parse(["enabled=true"]))).toHaveLength(1);
    expect(listPlugins(off.plugins, FilterArgs.parse(["enabled=true"]))).toHaveLength(0);
    expect(listPlugins(off.plugins, FilterArgs.parse(["enabled=false"]))).toHaveLength(1);
    expect(listPlugins(on.plugins, FilterArgs.parse(["capability=volumedriver"]))).toHaveLength(1);
    expect(listPlugins(on.plugins, FilterArgs.parse(["capability=authz"]))).toHaveLength(0);
    expect(errorOf(() => listPlugins(on.plugins, FilterArgs.parse(["enabled=maybe"]))).message).toBe("invalid filter 'enabled=[maybe]'");
    expect(errorOf(() => listPlugins(on.plugins, FilterArgs.parse(["name=x"]))).message).toBe("invalid filter 'name'");
  });
});

describe("docker plugin install NAME KEY=VALUE (moby plugin/v2 Plugin.Set and settable.go)", () => {
  const defaults = ["DEBUG=0"];

  it("sets a settable env variable, NAME.value too; refuses what the config lacks or does not let be set", () => {
    expect(applyPluginSettings(sshfs, defaults, ["DEBUG=1"])).toEqual(["DEBUG=1"]);
    expect(applyPluginSettings(sshfs, defaults, ["DEBUG.value=2"])).toEqual(["DEBUG=2"]);
    expect(errorOf(() => applyPluginSettings(sshfs, defaults, ["COLOUR=red"])).message).toBe(`setting "COLOUR" not found in the plugin configuration`);
    expect(errorOf(() => applyPluginSettings(sshfs, defaults, ["DEBUG.path=x"])).message).toBe(`"DEBUG.path" is not settable`);
    expect(errorOf(() => applyPluginSettings(sshfs, defaults, ["=x"])).message).toBe("invalid format, must be <name>[.<field>][=<value>]");
    // The mount "state" lets its source be set.
    expect(applyPluginSettings(sshfs, defaults, ["state.source=/srv/state"])).toEqual(defaults);
  });
});

describe("volume filters and prune, as moby's volume service reads them", () => {
  it("driver matches exactly (ByDriver): a plugin's volumes have the driver's full name", () => {
    const e = createVolume(installed(), { name: "remote", driver: "vieux/sshfs", options: { sshcmd: "a@b:/c" }, labels: {}, now: 0 }).engine;
    expect(listVolumes(e, FilterArgs.parse(["driver=vieux/sshfs:latest"])).map((v) => v.name)).toEqual(["remote"]);
    expect(listVolumes(e, FilterArgs.parse(["driver=vieux/sshfs"]))).toEqual([]);
  });

  it("prune reads `all` before it checks the filter names (withPrune, then filtersToBy)", () => {
    const e = createEngine();
    expect(errorOf(() => pruneVolumes(e, FilterArgs.parse(["all=maybe", "colour=red"]), 0)).message)
      .toBe(`invalid filter 'all': strconv.ParseBool: parsing "maybe": invalid syntax`);
    expect(errorOf(() => pruneVolumes(e, FilterArgs.parse(["colour=red"]), 0)).message).toBe("invalid filter 'colour'");
  });
});

describe("times for docker events (moby api/types/events.Message TimeNano)", () => {
  it("Unix nanoseconds are exact: a bigint, since they are past 2^53", () => {
    const t = unixToVirtual(1_767_225_601, 531_001);
    expect(virtualToUnixNanos(t)).toBe(1_767_225_601_531_001_000n);
    expect(virtualToUnixNanos(t) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it("a duration counts back from now to the whole second, in exact integers (GetTimestamp)", () => {
    expect(parseTimestamp("1s", 3_999_999)).toBe(2_000_000);
    expect(parseTimestamp("0s", 3_999_999)).toBe(3_000_000);
  });
});
