import { rfc3339Nano } from "@drydock/engine";
import { base64Encode, findByIdOrName, swarmFail, type Config } from "@drydock/swarm";
import { fail } from "../errors.js";
import { normalizePath, readFile } from "../fs/index.js";
import { formatInspect, formatRows, goMap } from "../format/index.js";
import type { DockerCommand } from "./command.js";
import { eachArgument } from "./each.js";
import { flag } from "./flags.js";
import { act, managerStore, since } from "./swarm-common.js";

/**
 * docker config create / ls / inspect / rm (docker/cli cli/command/config). Unlike a secret, a
 * config is kept plain in the raft store, and inspect shows its data: base64, as encoding/json
 * writes the API's []byte Spec.Data.
 */

export const configCreateCommand: DockerCommand = {
  path: "docker config create",
  use: "docker config create [OPTIONS] CONFIG file|-",
  summary: "Create a config from a file or STDIN",
  // docker/cli config/create.go: cli.ExactArgs(2).
  args: 2,
  specs: [
    { name: "label", short: "l", kind: "list", help: "Config labels" },
    { name: "template-driver", kind: "string", help: "Template driver" },
  ],
  run(p, env) {
    const [name, file] = p.args as [string, string];
    let data: string;
    if (file === "-") data = env.stdin;
    else {
      const r = readFile(env.fs, normalizePath(env.cwd, file));
      // config/create.go returns sequential.Open's error as it is.
      if (!r.ok) fail("CLIENT", `open ${file}: no such file or directory`);
      data = r.value;
    }
    const labels: Record<string, string> = {};
    for (const l of flag.list(p, "label")) {
      const i = l.indexOf("=");
      labels[i < 0 ? l : l.slice(0, i)] = i < 0 ? "" : l.slice(i + 1);
    }
    act(env, { type: "configCreate", host: env.host, name, data, labels });
    const c = [...managerStore(env).view.configs.values()].find((x) => x.spec.name === name)!;
    return `${c.id}\n`;
  },
};

export const configLsCommand: DockerCommand = {
  path: "docker config ls",
  use: "docker config ls [OPTIONS]",
  summary: "List configs",
  aliases: ["docker config list"],
  args: 0,
  specs: [
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display IDs" },
  ],
  run(p, env) {
    const all = [...managerStore(env).view.configs.values()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
    if (flag.bool(p, "quiet")) return all.map((c) => `${c.id}\n`).join("");
    // docker/cli formatter/config.go defaultConfigTableFormat and its headers.
    return formatRows({
      format: flag.str(p, "format"), typeName: "*formatter.configContext",
      headers: { ID: "ID", Name: "NAME", CreatedAt: "CREATED", UpdatedAt: "UPDATED" },
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}",
      rows: all.map((c) => ({ ID: c.id, Name: c.spec.name, CreatedAt: since(c.createdAt, env.now), UpdatedAt: since(c.updatedAt, env.now) })),
    });
  },
};

/** swarm.Config as the Engine API returns it. */
export function configJson(c: Config): unknown {
  return {
    ID: c.id, Version: { Index: c.version }, CreatedAt: rfc3339Nano(c.createdAt), UpdatedAt: rfc3339Nano(c.updatedAt),
    Spec: { Name: c.spec.name, Labels: goMap({ ...c.spec.labels }), Data: base64Encode(new TextEncoder().encode(c.data)) },
  };
}

export const configInspectCommand: DockerCommand = {
  path: "docker config inspect",
  use: "docker config inspect [OPTIONS] CONFIG [CONFIG...]",
  summary: "Display detailed information on one or more configs",
  args: [1, Infinity],
  specs: [{ name: "format", short: "f", kind: "string", help: "Format output using a custom template" }],
  run(p, env) {
    const { view } = managerStore(env);
    const found = p.args.map((a) => findByIdOrName(view.configs, a) ?? swarmFail("NO_SUCH_CONFIG", a));
    return formatInspect(flag.str(p, "format"), found.map(configJson));
  },
};

export const configRmCommand: DockerCommand = {
  path: "docker config rm",
  use: "docker config rm CONFIG [CONFIG...]",
  summary: "Remove one or more configs",
  aliases: ["docker config remove"],
  args: [1, Infinity],
  specs: [],
  run(p, env) {
    return eachArgument(env, p.args, (name) => {
      act(env, { type: "configRm", host: env.host, config: name });
      return name;
    });
  },
};

export const CONFIG_COMMANDS: readonly DockerCommand[] = [configCreateCommand, configLsCommand, configInspectCommand, configRmCommand];
