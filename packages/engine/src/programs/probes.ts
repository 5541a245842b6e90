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
    return exitPlan("redis-cli", 0, linesAt(1 * MS, `(error) ERR unknown command '${words[0]}', with args beginning with: ${words.slice(1).map((w) => `'${w}' `).join("")}\n`), 1 * MS);
  },
};
