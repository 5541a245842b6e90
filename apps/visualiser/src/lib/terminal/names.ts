import type { Playground } from "@drydock/playground";
import { complete, currentCommand, playgroundCompletion } from "@drydock/cli/complete";
import type { Completion } from "./editor.js";

// Tab at the page's terminal: the CLI shell's completion (packages/cli/src/complete.ts: commands,
// docker's subcommands and flags, files), and the names docker-ce's bash completion offers for an
// argument (contrib/completion/bash/docker: __docker_complete_services, __docker_complete_nodes),
// read from the swarm store the host's manager holds, and ssh's hosts.

/** Docker commands whose argument is a service's name, and those whose argument is a node's. */
const SERVICE_ARGS = new Set(["ps", "rm", "inspect", "logs", "scale", "update", "rollback"]);
const NODE_ARGS = new Set(["ps", "rm", "inspect", "update", "promote", "demote"]);

export function completeAt(pg: Playground, on: string, before: string): Completion {
  const words = currentCommand(before);
  if (words !== null && words.length >= 2 && words[0] === "ssh") return pick(pg.nodes, words[words.length - 1]!);
  const src = playgroundCompletion(pg, on);
  const found = src === null ? ([[], ""] as Completion) : complete(before, src);
  if (words === null || words[0] !== "docker" || words.length < 4) return found;
  const word = words[words.length - 1]!;
  if (word.startsWith("-")) return found;
  const [group, cmd] = [words[1], words[2]];
  const store = storeOf(pg, on);
  if (store === null) return found;
  if (group === "service" && SERVICE_ARGS.has(cmd!)) return pick([...store.services.values()].map((s) => s.spec.name), word);
  if (group === "node" && NODE_ARGS.has(cmd!)) return pick([...store.nodes.values()].map((n) => n.description.hostname), word);
  return found;
}

function pick(names: readonly string[], word: string): Completion {
  const found = [...new Set(names)].filter((n) => n.startsWith(word)).sort();
  return [found.length === 1 ? [`${found[0]} `] : found, word];
}

type Store = NonNullable<ReturnType<typeof storeOfHost>>;

function storeOfHost(pg: Playground, host: string) {
  return pg.world.swarm.hosts.get(host)?.store ?? null;
}

/** The store a `docker service` line on this host reads: its own (a manager's). */
function storeOf(pg: Playground, on: string): Store | null {
  return storeOfHost(pg, on);
}
