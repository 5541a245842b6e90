// The clients healthchecks run in the course's database images: `pg_isready` (PostgreSQL 16's
// texts) and `redis-cli ping`. Each asks the server in its own container (as a HEALTHCHECK does):
// postgres accepts connections once its socket exists (as psql finds it), redis once redis-server
// listens on the port.
import { MICROS_PER_MS } from "@drydock/kernel";
import { nodeAt } from "../fs/index.js";
import { listenerOf } from "../network/traffic.js";
import type { Program, StartContext } from "./program.js";
import { exitPlan, linesAt } from "./types.js";

const MS = MICROS_PER_MS;
const PG_SOCKET_DIR = "/var/run/postgresql";

/** The value after a short or long option (`-h db`, `--host=db`, `-hdb`). */
function option(args: readonly string[], short: string, long: string): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === short || a === long) return args[i + 1] ?? null;
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
    if (a.startsWith(short) && a.length > short.length && !a.startsWith("--")) return a.slice(short.length);
  }
  return null;
}

/** pg_isready: 0 accepting connections, 2 no response (PQpingParams). */
export const pgIsready: Program = {
  names: ["pg_isready"],
  start(ctx: StartContext) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("--version") || args.includes("-V")) return exitPlan("pg_isready", 0, linesAt(0, "pg_isready (PostgreSQL) 16.4\n"));
    const host = option(args, "-h", "--host") ?? ctx.env.get("PGHOST") ?? PG_SOCKET_DIR;
    const port = option(args, "-p", "--port") ?? ctx.env.get("PGPORT") ?? "5432";
    const quiet = args.includes("-q") || args.includes("--quiet");
    const local = host.startsWith("/") || host === "localhost" || host === "127.0.0.1";
    const up = local && nodeAt(ctx.fs, `${PG_SOCKET_DIR}/.s.PGSQL.${port}`) !== undefined;
    const text = `${host}:${port} - ${up ? "accepting connections" : "no response"}\n`;
    return exitPlan("pg_isready", up ? 0 : 2, quiet ? [] : linesAt(2 * MS, text), 2 * MS);
  },
};

/** redis-cli: `ping` answers PONG when redis-server listens in this container. */
export const redisCli: Program = {
  names: ["redis-cli"],
  start(ctx: StartContext) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("--version") || args.includes("-v")) return exitPlan("redis-cli", 0, linesAt(0, "redis-cli 7.4.1\n"));
    const host = option(args, "-h", "-h") ?? "127.0.0.1";
    const port = Number(option(args, "-p", "-p") ?? "6379");
    const words = args.filter((a, i) => !a.startsWith("-") && !["-h", "-p", "-a", "-n"].includes(args[i - 1] ?? ""));
    const engine = ctx.net?.world.hosts.find((h) => h.name === ctx.net!.host)?.engine;
    const self = engine?.containers.get(ctx.containerId);
    const local = host === "127.0.0.1" || host === "localhost";
    if (!local || !self || listenerOf(self, port) === null) {
      return exitPlan("redis-cli", 1, linesAt(1 * MS, `Could not connect to Redis at ${host}:${port}: Connection refused\n`, "stderr"), 1 * MS);
    }
    if (words.length === 0) {
      return exitPlan("redis-cli", 1, linesAt(0, "drydock: redis-cli's interactive prompt is not simulated; give a command (redis-cli ping)\n", "stderr"));
    }
    const cmd = words[0]!.toLowerCase();
    if (cmd === "ping") return exitPlan("redis-cli", 0, linesAt(1 * MS, `${words[1] ?? "PONG"}\n`), 1 * MS);
    const keyspaceCmd = redisKeyspaceCommand(ctx.fs, words, ctx.spec.tty);
    if (keyspaceCmd !== null) {
      const writes = keyspaceCmd.keys === null ? [] : [{ at: 1 * MS, path: REDIS_KEYSPACE, text: JSON.stringify([...keyspaceCmd.keys]) }];
      return { ...exitPlan("redis-cli", 0, linesAt(1 * MS, keyspaceCmd.out), 1 * MS), writes };
    }
    return exitPlan("redis-cli", 0, linesAt(1 * MS, `(error) ERR unknown command '${words[0]}', with args beginning with: ${words.slice(1).map((w) => `'${w}' `).join("")}\n`), 1 * MS);
  },
};

/**
 * The redis server's keyspace (strings only), kept beside its RDB in /data (the redis image's
 * WORKDIR and VOLUME): drydock's stand-in for the server's memory, so `redis-cli set`/`incr` in the
 * container change what a later `redis-cli get` reads, and a container on the same volume keeps them.
 */
export const REDIS_KEYSPACE = "/data/.drydock-redis-keyspace.json";

export function readKeyspace(fs: import("../fs/index.js").FsDir): Map<string, string> {
  const n = nodeAt(fs, REDIS_KEYSPACE);
  if (n?.kind !== "file") return new Map();
  try {
    const entries = JSON.parse(n.text) as [string, string][];
    return new Map(entries.filter((e) => Array.isArray(e) && typeof e[0] === "string" && typeof e[1] === "string"));
  } catch {
    return new Map();
  }
}

/** Redis's glob for KEYS (`*`, `?`, `[…]`). */
function globMatch(pattern: string, key: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, (c) => `\\${c}`).replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "s").test(key);
}

const ARITY = new Map<string, (n: number) => boolean>([
  ["get", (n) => n === 1], ["set", (n) => n === 2], ["incr", (n) => n === 1], ["decr", (n) => n === 1],
  ["incrby", (n) => n === 2], ["keys", (n) => n === 1], ["del", (n) => n >= 1], ["exists", (n) => n >= 1], ["dbsize", (n) => n === 0],
  ["flushall", (n) => n === 0],
]);

/**
 * GET, SET, INCR/DECR/INCRBY, KEYS, DEL, EXISTS, DBSIZE, FLUSHALL as redis-cli 7.4 prints their
 * replies: at a terminal typed (`"2"`, `(integer) 3`, `(nil)`, `1) "hits"`, `(empty array)`),
 * piped raw (`2`, `3`, an empty line for nil). `keys` is the new keyspace (null: unchanged);
 * null when the command is not one of these.
 */
export function redisKeyspaceCommand(fs: import("../fs/index.js").FsDir, words: readonly string[], tty: boolean): { out: string; keys: Map<string, string> | null } | null {
  const cmd = (words[0] ?? "").toLowerCase();
  const arity = ARITY.get(cmd);
  if (arity === undefined) return null;
  const args = words.slice(1);
  if (!arity(args.length)) return { out: `(error) ERR wrong number of arguments for '${cmd}' command\n`, keys: null };
  const keys = readKeyspace(fs);
  const str = (v: string) => (tty ? `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : v);
  const int = (n: number) => (tty ? `(integer) ${n}` : String(n));
  const nil = tty ? "(nil)" : "";
  switch (cmd) {
    case "get": {
      const v = keys.get(args[0]!);
      return { out: `${v === undefined ? nil : str(v)}\n`, keys: null };
    }
    case "set": {
      const next = new Map(keys);
      next.set(args[0]!, args[1]!);
      return { out: "OK\n", keys: next };
    }
    case "incr": case "decr": case "incrby": {
      const by = cmd === "incr" ? 1 : cmd === "decr" ? -1 : Number(args[1]);
      const cur = keys.get(args[0]!) ?? "0";
      if (!/^-?\d+$/.test(cur) || !Number.isSafeInteger(by) || (cmd === "incrby" && !/^-?\d+$/.test(args[1]!))) {
        return { out: "(error) ERR value is not an integer or out of range\n", keys: null };
      }
      const n = Number(cur) + by;
      const next = new Map(keys);
      next.set(args[0]!, String(n));
      return { out: `${int(n)}\n`, keys: next };
    }
    case "keys": {
      const found = [...keys.keys()].filter((k) => globMatch(args[0]!, k));
      if (found.length === 0) return { out: tty ? "(empty array)\n" : "", keys: null };
      return { out: found.map((k, i) => (tty ? `${i + 1}) ${str(k)}` : k)).join("\n") + "\n", keys: null };
    }
    case "del": case "exists": {
      const present = args.filter((k) => keys.has(k));
      if (cmd === "exists") return { out: `${int(present.length)}\n`, keys: null };
      const next = new Map(keys);
      for (const k of args) next.delete(k);
      const deleted = keys.size - next.size;
      return { out: `${int(deleted)}\n`, keys: deleted > 0 ? next : null };
    }
    case "dbsize": return { out: `${int(keys.size)}\n`, keys: null };
    default: return { out: "OK\n", keys: new Map() };
  }
}
