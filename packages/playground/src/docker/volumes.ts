// docker volume and plugin commands (issue #10): docker/cli cli/command/volume and
// cli/command/plugin (Docker 28.5.1) over the engine's volumes and plugins. `docker volume prune`
// lives with the other prunes in system.ts (they share the prompt).
import { readsTerminal, TerminalReader } from "../world/terminal-input.js";
import { DrydockError, isDrydockError } from "@drydock/kernel";
import { parseReference, withDefaultTag } from "@drydock/image";
import {
  FilterArgs, applyPluginSettings, catalogPlugin, createVolume, disablePlugin, enablePlugin, findPlugin, inspectPlugin, inspectVolume, setPluginSettings,
  installPlugin, listPlugins, listVolumes, lookupRemotePlugin, naturalLess, newPlugin, pluginName, pluginPrivileges, removePlugin,
  removeVolume, type EngineState, type JobStep, type Plugin, type Volume,
} from "@drydock/engine";
import { fail } from "../errors.js";
import { formatInspect, formatRows, goQuote } from "../format/index.js";
import { flag, type Parsed } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { daemonCall } from "./daemon.js";
import { eachArgument, errorText, reportErrors } from "./each.js";

const FORMAT_HELP = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";
const INSPECT_FORMAT_HELP = "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

/**
 * The `--filter` values as docker/cli's FilterOpt reads them. A value without "=" is pflag's
 * error for that flag ("invalid argument … for "-f, --filter" flag: bad format of filter
 * (expected name=value)"), exit 125.
 */
export function filtersOf(p: Parsed, command: string, flagShown = "-f, --filter"): FilterArgs {
  const values = flag.list(p, "filter");
  try {
    return FilterArgs.parse(values);
  } catch (e) {
    if (!isDrydockError(e)) throw e;
    const bad = values.find((v) => v !== "" && !v.includes("=")) ?? "";
    return fail("FLAG", `invalid argument "${bad}" for "${flagShown}" flag: ${e.message}`, command);
  }
}


// ---- docker volume ----

/** docker/cli formatter.volumeContext: what `docker volume ls --format` sees of a volume. */
function volumeContext(v: Volume): Record<string, unknown> {
  const labels = v.labels;
  return {
    Name: v.name,
    Driver: v.driver,
    Scope: v.scope,
    Mountpoint: v.mountpoint,
    // A Go map ranges in random order; drydock sorts the keys so a run replays the same.
    Labels: labels === null ? "" : Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(","),
    Label: (name: unknown) => (labels !== null && typeof name === "string" && Object.hasOwn(labels, name) ? labels[name] : ""),
    Links: "N/A",
    Size: "N/A",
    Group: "N/A",
    Availability: "N/A",
    Status: "N/A",
  };
}

const VOLUME_HEADERS = {
  ID: "ID", Name: "VOLUME NAME", Group: "GROUP", Driver: "DRIVER", Scope: "SCOPE", Availability: "AVAILABILITY", Mountpoint: "MOUNTPOINT",
  Labels: "LABELS", Links: "LINKS", Size: "SIZE", Status: "STATUS",
};

/** pflag's message for a value its validator refuses, with docker's "See '… --help'." (exit 125). */
function badFlagValue(command: string, flagShown: string, value: string, why: string): never {
  return fail("FLAG", `invalid argument "${value}" for "${flagShown}" flag: ${why}`, command);
}

/** docker/cli opts.ValidateLabel. */
function checkLabel(command: string, value: string): void {
  const key = value.split("=")[0]!.replace(/^[ \t\n\r\f\v]+/, "");
  if (key === "") badFlagValue(command, "--label", value, `invalid label '${value}': empty name`);
  if (/[ \t\n\r\f\v]/.test(key)) badFlagValue(command, "--label", value, `label '${key}' contains whitespaces`);
}

/**
 * opts.MapOpts / ConvertKVStringsToMap: KEY=VALUE, a bare KEY is KEY="" (the last one of a key
 * wins). Built through a Map, so a key such as "__proto__" is an own key like any other.
 */
function kvMap(values: readonly string[]): Record<string, string> {
  const m = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf("=");
    m.set(eq < 0 ? v : v.slice(0, eq), eq < 0 ? "" : v.slice(eq + 1));
  }
  return Object.fromEntries(m);
}

export const volumeCreateCommand: DockerCommand = {
  path: "docker volume create",
  use: "docker volume create [OPTIONS] [VOLUME]",
  summary: "Create a volume",
  args: [0, 1],
  specs: [
    { name: "driver", short: "d", kind: "string", help: "Specify volume driver name", default: "local" },
    { name: "label", kind: "list", help: "Set metadata for a volume" },
    { name: "opt", short: "o", kind: "list", help: "Set driver specific options" },
    { name: "name", kind: "string", help: "Specify volume name" },
  ],
  run(p, env) {
    let name = flag.str(p, "name") ?? "";
    if (p.args.length === 1) {
      if (name !== "") fail("CLIENT", "conflicting options: cannot specify a volume-name through both --name and as a positional arg");
      name = p.args[0]!;
    }
    for (const l of flag.list(p, "label")) checkLabel(this.path, l);
    const r = daemonCall(() => createVolume(env.engine, {
      name, driver: flag.str(p, "driver") ?? "local", options: kvMap(flag.list(p, "opt")), labels: kvMap(flag.list(p, "label")),
      now: env.now, salt: `${env.host}\0${env.now}`,
    }));
    env.engine = r.engine;
    return `${r.volume.name}\n`;
  },
};

export const volumeLsCommand: DockerCommand = {
  path: "docker volume ls",
  use: "docker volume ls [OPTIONS]",
  summary: "List volumes",
  aliases: ["docker volume list"],
  args: 0,
  specs: [
    { name: "filter", short: "f", kind: "list", help: 'Provide filter values (e.g. "dangling=true")' },
    { name: "format", kind: "string", help: FORMAT_HELP },
    { name: "quiet", short: "q", kind: "bool", help: "Only display volume names" },
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path);
    const volumes = daemonCall(() => listVolumes(env.engine, filters));
    const format = flag.str(p, "format");
    const table = format === undefined || format === "" || format === "table";
    return formatRows({
      format: table && flag.bool(p, "quiet") ? "{{.Name}}" : format,
      rows: volumes.map(volumeContext), headers: VOLUME_HEADERS, typeName: "*formatter.volumeContext",
      defaultFormat: "table {{.Driver}}\t{{.Name}}",
    });
  },
};

export const volumeInspectCommand: DockerCommand = {
  path: "docker volume inspect",
  use: "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
  summary: "Display detailed information on one or more volumes",
  args: [1, Infinity],
  specs: [{ name: "format", short: "f", kind: "string", help: INSPECT_FORMAT_HELP }],
  run(p, env) {
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const name of p.args) {
      const v = env.engine.volumes.get(name);
      if (v) found.push(inspectVolume(v));
      else errors.push(`Error response from daemon: get ${name}: no such volume`);
    }
    // docker/cli inspect.Inspect: what was found is printed, then the errors; exit 1.
    const out = formatInspect(flag.str(p, "format"), found);
    reportErrors(env, errors);
    return out;
  },
};

export const volumeRmCommand: DockerCommand = {
  path: "docker volume rm",
  use: "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
  summary: "Remove one or more volumes",
  aliases: ["docker volume remove"],
  args: [1, Infinity],
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force the removal of one or more volumes" }],
  run(p, env) {
    // docker/cli volume/remove.go: one API call per name; each removed name is printed (with -f
    // a missing one too: the daemon answers nothing), the errors joined at the end.
    return eachArgument(env, p.args, (name) => {
      env.engine = removeVolume(env.engine, name, { force: flag.bool(p, "force"), now: env.now });
      return name;
    });
  },
};

export const VOLUME_COMMANDS: readonly DockerCommand[] = [volumeCreateCommand, volumeLsCommand, volumeInspectCommand, volumeRmCommand];

// ---- docker plugin ----

/** docker/cli plugin formatter's pluginContext. */
function pluginContext(p: Plugin, trunc: boolean): Record<string, unknown> {
  const desc = (catalogPlugin(p.reference)?.config.Description ?? "").replace(/[\n\r]/g, "");
  return {
    ID: trunc ? p.id.slice(0, 12) : p.id,
    Name: p.name,
    Description: trunc ? ellipsis(desc, 45) : desc,
    Enabled: p.enabled,
    PluginReference: p.reference,
  };
}

/** docker/cli formatter.Ellipsis: at most n characters, the last one "…". */
function ellipsis(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : s;
}

const PLUGIN_HEADERS = { ID: "ID", Name: "NAME", Description: "DESCRIPTION", Enabled: "ENABLED", PluginReference: "IMAGE" };

export const pluginLsCommand: DockerCommand = {
  path: "docker plugin ls",
  use: "docker plugin ls [OPTIONS]",
  summary: "List plugins",
  aliases: ["docker plugin list"],
  args: 0,
  specs: [
    { name: "filter", short: "f", kind: "list", help: 'Provide filter values (e.g. "enabled=true")' },
    { name: "format", kind: "string", help: FORMAT_HELP },
    { name: "no-trunc", kind: "bool", help: "Don't truncate output" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display plugin IDs" },
  ],
  run(p, env) {
    const filters = filtersOf(p, this.path);
    const plugins = daemonCall(() => listPlugins(env.engine.plugins, filters)).sort((a, b) => naturalLess(a.name, b.name));
    const format = flag.str(p, "format");
    const table = format === undefined || format === "" || format === "table";
    return formatRows({
      format: table && flag.bool(p, "quiet") ? "{{.ID}}" : format,
      rows: plugins.map((x) => pluginContext(x, !flag.bool(p, "no-trunc"))), headers: PLUGIN_HEADERS, typeName: "*plugin.pluginContext",
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.Description}}\t{{.Enabled}}",
    });
  },
};

export const pluginInspectCommand: DockerCommand = {
  path: "docker plugin inspect",
  use: "docker plugin inspect [OPTIONS] PLUGIN [PLUGIN...]",
  summary: "Display detailed information on one or more plugins",
  args: [1, Infinity],
  specs: [{ name: "format", short: "f", kind: "string", help: INSPECT_FORMAT_HELP }],
  run(p, env) {
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const ref of p.args) {
      try {
        found.push(inspectPlugin(findPlugin(env.engine.plugins, ref)));
      } catch (e) {
        errors.push(errorText(e));
      }
    }
    const out = formatInspect(flag.str(p, "format"), found);
    reportErrors(env, errors);
    return out;
  },
};

export const pluginEnableCommand: DockerCommand = {
  path: "docker plugin enable",
  use: "docker plugin enable [OPTIONS] PLUGIN",
  summary: "Enable a plugin",
  args: 1,
  specs: [{ name: "timeout", kind: "int", help: "HTTP client timeout (in seconds)", default: 30 }],
  run(p, env) {
    const timeout = flag.int(p, "timeout") ?? 30;
    if (timeout < 0) fail("CLIENT", `negative timeout ${timeout} is invalid`);
    env.engine = daemonCall(() => enablePlugin(env.engine, p.args[0]!, env.now));
    return `${p.args[0]}\n`;
  },
};

export const pluginDisableCommand: DockerCommand = {
  path: "docker plugin disable",
  use: "docker plugin disable [OPTIONS] PLUGIN",
  summary: "Disable a plugin",
  args: 1,
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force the disable of an active plugin" }],
  run(p, env) {
    env.engine = daemonCall(() => disablePlugin(env.engine, p.args[0]!, flag.bool(p, "force"), env.now));
    return `${p.args[0]}\n`;
  },
};

export const pluginSetCommand: DockerCommand = {
  path: "docker plugin set",
  use: "docker plugin set PLUGIN KEY=VALUE [KEY=VALUE...]",
  summary: "Change settings for a plugin",
  args: [2, Infinity],
  specs: [],
  run(p, env) {
    env.engine = daemonCall(() => setPluginSettings(env.engine, p.args[0]!, p.args.slice(1)));
    return "";
  },
};

export const pluginRmCommand: DockerCommand = {
  path: "docker plugin rm",
  use: "docker plugin rm [OPTIONS] PLUGIN [PLUGIN...]",
  summary: "Remove one or more plugins",
  aliases: ["docker plugin remove"],
  args: [1, Infinity],
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force the removal of an active plugin" }],
  run(p, env) {
    return eachArgument(env, p.args, (ref) => {
      env.engine = removePlugin(env.engine, ref, flag.bool(p, "force"), env.now);
      return ref;
    });
  },
};

/**
 * internal/prompt.Confirm: the question and " [y/N] " (no newline), then the first line of stdin;
 * only "y" or "Y" (spaces trimmed) is yes. Piped stdin answers (`echo y | docker …`; empty is no);
 * at a terminal the command waits for the next line the learner types (world/terminal-input.ts).
 * `before` is what the command printed ahead of the prompt (shown with it while it waits).
 */
export function confirm(env: DockerEnv, message: string, before = ""): { shown: string; yes: boolean } {
  const shown = `${message} [y/N] `;
  if (readsTerminal(env)) {
    const reader = new TerminalReader(env);
    // The terminal's prompt is the question's last line (a warning may come before it).
    const request = { prompt: shown.slice(shown.lastIndexOf("\n") + 1), echo: true };
    if (reader.answered) {
      const line = reader.read(request, before + shown);
      // The prompt was shown before the answer: this run prints only what follows it.
      return { shown: "", yes: line !== null && line.trim().toLowerCase() === "y" };
    }
    reader.read(request, before + shown);
  }
  const line = env.stdin.split("\n")[0] ?? "";
  return { shown, yes: line.trim().toLowerCase() === "y" };
}

/** `reference.ParseNormalizedNamed` as the CLI runs it: a bad name is its own error, printed as it is. */
function normalized(text: string) {
  try {
    return parseReference(text);
  } catch (e) {
    if (isDrydockError(e)) fail("CLIENT", e.message);
    throw e;
  }
}

export const pluginInstallCommand: DockerCommand = {
  path: "docker plugin install",
  use: "docker plugin install [OPTIONS] PLUGIN [KEY=VALUE...]",
  summary: "Install a plugin",
  args: [1, Infinity],
  specs: [
    { name: "alias", kind: "string", help: "Local name for plugin" },
    { name: "disable", kind: "bool", help: "Do not enable the plugin on install" },
    { name: "disable-content-trust", kind: "bool", help: "Skip image verification", default: true },
    { name: "grant-all-permissions", kind: "bool", help: "Grant all permissions necessary to run the plugin" },
  ],
  run(p, env) {
    const remoteArg = p.args[0]!;
    const settings = p.args.slice(1);
    // docker/cli plugin/install.go runInstall: the alias, then the remote reference (content
    // trust is off unless DOCKER_CONTENT_TRUST is set, so the reference goes as typed, untagged).
    const aliasText = flag.str(p, "alias");
    let localName: string | undefined;
    if (aliasText !== undefined && aliasText !== "") {
      const aref = normalized(aliasText);
      if (aref.digest !== undefined) fail("CLIENT", `invalid name: ${aliasText}`);
      localName = withDefaultTag(aref).familiar;
    }
    const ref = normalized(remoteArg);
    const remote = ref.toString();
    // GET /plugins/privileges: the daemon resolves the remote and computes what it asks for.
    const cat = daemonCall(() => lookupRemotePlugin(remote));
    let shown = "";
    if (!flag.bool(p, "grant-all-permissions")) {
      const privileges = pluginPrivileges(cat.config);
      if (privileges.length > 0) {
        shown = `Plugin ${goQuote(remoteArg)} is requesting the following privileges:\n`
          + privileges.map((x) => ` - ${x.name}: [${x.value.join(" ")}]\n`).join("");
        const answer = confirm(env, "Do you grant the above permissions?", shown);
        // After an answer at the terminal the list and the prompt were shown already.
        shown = answer.shown === "" ? "" : shown + answer.shown;
        if (!answer.yes) {
          // client/plugin_install.go checkPluginPermissions: the CLI's own error, exit 1.
          env.stderr += `permission denied while installing plugin ${remote}\n`;
          env.failedPartly = true;
          return shown;
        }
      }
    }
    // POST /plugins/pull: the daemon names the plugin and refuses a name in use before it pulls.
    const name = localName ?? pluginName(withDefaultTag(ref).familiar);
    if (env.engine.plugins.has(name)) return daemonRefusal(env, shown, new DrydockError("EPLUGINEXISTS", `plugin ${name} already exists`));
    const tag = withDefaultTag(ref).tag ?? "latest";
    const head = `${tag}: Pulling from ${ref.familiarName}\nDigest: ${cat.digest}\n${cat.layer}: Complete\n`;
    const doneAt = env.now + cat.pullUs;
    let env2: readonly string[];
    try {
      // The client sets KEY=VALUE after the pull (and deletes the plugin when that fails).
      env2 = applyPluginSettings(cat, cat.config.Env.map((e) => `${e.Name}=${e.Value}`), settings);
    } catch (e) {
      return daemonRefusal(env, shown + head, e);
    }
    const plugin = newPlugin(cat, localName, env2, !flag.bool(p, "disable"), doneAt);
    const engine: EngineState = installPlugin(env.engine, plugin, remote, doneAt);
    const steps: JobStep[] = [
      { atUs: 0, event: "plugin.pull.start", detail: { remote }, stdout: shown + `${tag}: Pulling from ${ref.familiarName}\nDigest: ${cat.digest}\n` },
      { atUs: cat.pullUs, event: "plugin.pull.done", detail: { name: plugin.name, id: plugin.id }, stdout: `${cat.layer}: Complete\nInstalled plugin ${remoteArg}\n` },
    ];
    env.pending = {
      kind: "plugin.install", durationUs: cat.pullUs, steps, engine,
      outcome: { status: 0, stdout: steps.map((s) => s.stdout).join(""), stderr: "" },
    };
    return "";
  },
};

/** A daemon error after the CLI printed something (the privileges prompt): stdout kept, exit 1, no change. */
function daemonRefusal(env: DockerEnv, stdout: string, e: unknown): string {
  env.stderr += errorText(e) + "\n";
  env.failedPartly = true;
  return stdout;
}

export const PLUGIN_COMMANDS: readonly DockerCommand[] = [
  pluginInstallCommand, pluginLsCommand, pluginInspectCommand, pluginEnableCommand, pluginDisableCommand, pluginSetCommand, pluginRmCommand,
];
