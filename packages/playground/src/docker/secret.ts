import { rfc3339Nano } from "@drydock/engine";
import { findByIdOrName, swarmFail, type Secret } from "@drydock/swarm";
import { fail } from "../errors.js";
import { normalizePath, readFile } from "../fs/index.js";
import { formatInspect, formatRows, goMap } from "../format/index.js";
import type { DockerCommand } from "./command.js";
import { eachArgument } from "./each.js";
import { flag } from "./flags.js";
import { act, managerStore, since } from "./swarm-common.js";

/**
 * docker secret create / ls / inspect / rm (docker/cli cli/command/secret). The data goes to the
 * leader and into the raft store sealed (@drydock/swarm store/cipher.ts); nothing shows it back.
 */

export const secretCreateCommand: DockerCommand = {
  path: "docker secret create",
  use: "docker secret create [OPTIONS] SECRET [file|-]",
  summary: "Create a secret from a file or STDIN as content",
  args: [1, 2],
  specs: [{ name: "label", short: "l", kind: "list", help: "Secret labels" }],
  run(p, env) {
    const [name, file] = p.args as [string, string?];
    // docker/cli secret/create.go: without a driver, a file (or "-") is needed.
    if (file === undefined) fail("CLIENT", "Please specify either a file name or a template driver");
    let data: string;
    if (file === "-") data = env.stdin;
    else {
      const r = readFile(env.fs, normalizePath(env.cwd, file));
      if (!r.ok) fail("CLIENT", `Error reading content from "${file}": open ${file}: no such file or directory`);
      data = r.value;
    }
    const labels: Record<string, string> = {};
    for (const l of flag.list(p, "label")) {
      const i = l.indexOf("=");
      labels[i < 0 ? l : l.slice(0, i)] = i < 0 ? "" : l.slice(i + 1);
    }
    act(env, { type: "secretCreate", host: env.host, name, data, labels });
    const s = [...managerStore(env).view.secrets.values()].find((x) => x.spec.name === name)!;
    return `${s.id}\n`;
  },
};

export const secretLsCommand: DockerCommand = {
  path: "docker secret ls",
  use: "docker secret ls [OPTIONS]",
  summary: "List secrets",
  aliases: ["docker secret list"],
  args: 0,
  specs: [
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display IDs" },
  ],
  run(p, env) {
    const all = [...managerStore(env).view.secrets.values()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
    if (flag.bool(p, "quiet")) return all.map((s) => `${s.id}\n`).join("");
    // docker/cli formatter/secret.go defaultSecretTableFormat and its headers.
    return formatRows({
      format: flag.str(p, "format"), typeName: "*formatter.secretContext",
      headers: { ID: "ID", Name: "NAME", Driver: "DRIVER", CreatedAt: "CREATED", UpdatedAt: "UPDATED" },
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}",
      rows: all.map((s) => ({ ID: s.id, Name: s.spec.name, Driver: "", CreatedAt: since(s.createdAt, env.now), UpdatedAt: since(s.updatedAt, env.now) })),
    });
  },
};

function secretJson(s: Secret): unknown {
  return { ID: s.id, Version: { Index: s.version }, CreatedAt: rfc3339Nano(s.createdAt), UpdatedAt: rfc3339Nano(s.updatedAt), Spec: { Name: s.spec.name, Labels: goMap({ ...s.spec.labels }) } };
}

export const secretInspectCommand: DockerCommand = {
  path: "docker secret inspect",
  use: "docker secret inspect [OPTIONS] SECRET [SECRET...]",
  summary: "Display detailed information on one or more secrets",
  args: [1, Infinity],
  specs: [{ name: "format", short: "f", kind: "string", help: "Format output using a custom template" }],
  run(p, env) {
    const { view } = managerStore(env);
    const found = p.args.map((a) => findByIdOrName(view.secrets, a) ?? swarmFail("NO_SUCH_SECRET", a));
    return formatInspect(flag.str(p, "format"), found.map(secretJson));
  },
};

export const secretRmCommand: DockerCommand = {
  path: "docker secret rm",
  use: "docker secret rm SECRET [SECRET...]",
  summary: "Remove one or more secrets",
  aliases: ["docker secret remove"],
  args: [1, Infinity],
  specs: [],
  run(p, env) {
    return eachArgument(env, p.args, (name) => {
      act(env, { type: "secretRm", host: env.host, secret: name });
      return name;
    });
  },
};

export const SECRET_COMMANDS: readonly DockerCommand[] = [secretCreateCommand, secretLsCommand, secretInspectCommand, secretRmCommand];
