// Long-running servers of the course's images, each starting with the lines its real image logs
// (docker-library entrypoints, the servers' own start-up messages) and stopping as it does on
// its stop signal: nginx (SIGQUIT: graceful), httpd (SIGWINCH), redis (SIGTERM: saves its RDB to
// /data, so a volume keeps it), postgres (SIGINT; initialises PGDATA the first time, so a volume
// matters), the registry, and node, java (Spring Boot) and python apps.
import { MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { nodeAt, type FsDir, type FsNode } from "../fs/index.js";
import { apacheTime, hash32, isoMillis, nginxTime, postgresTime, redisTime, rfc3339Nano, unit } from "../util/det.js";
import { isBusybox } from "./basic.js";
import { catalogFiles } from "./psql.js";
import { KERNEL_RELEASE, type Program, type StartContext } from "./program.js";
import { basePlan, exitPlan, linesAt, type ChildProcess, type Plan, type PlanLine, type Reaction, type TimedWrite } from "./types.js";

const MS = MICROS_PER_MS;
const MB = 1024 * 1024;


function readText(fs: FsDir, path: string): string | undefined {
  const n = nodeAt(fs, path);
  return n?.kind === "file" && n.blob === undefined ? n.text : undefined;
}

const resolve = (cwd: string, p: string) => (p.startsWith("/") ? p : `${cwd === "/" ? "" : cwd}/${p}`);
const line = (at: Micros, text: string, stream: "stdout" | "stderr" = "stdout"): PlanLine => ({ at, stream, text: text.endsWith("\n") ? text : `${text}\n` });
const child = (argv: string[], user: string, from: Micros): ChildProcess => ({ argv, user, from, to: null });

// ---- nginx ----

function nginxWorkers(ctx: StartContext): number[] {
  return Array.from({ length: Math.max(1, ctx.hostCpus) }, (_, i) => 29 + i);
}

const NGINX_ENTRYPOINT = [
  "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
  "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
  "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
  "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
  "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
  "/docker-entrypoint.sh: Configuration complete; ready for start up",
];

export const nginx: Program = {
  names: ["nginx"],
  reactions: {
    "nginx-stop": (p, _at, now) => {
      const t = nginxTime(now);
      const workers = String(p["workers"]).split(",");
      const sig = String(p["signal"]);
      const graceful = sig === "SIGQUIT";
      const n = sig === "SIGQUIT" ? 3 : sig === "SIGINT" ? 2 : 15;
      const lines = [`${t} [notice] 1#1: signal ${n} (${sig}) received, ${graceful ? "shutting down" : "exiting"}`];
      for (const w of workers) lines.push(...(graceful ? [`${t} [notice] ${w}#${w}: gracefully shutting down`, `${t} [notice] ${w}#${w}: exiting`] : [`${t} [notice] ${w}#${w}: exiting`]), `${t} [notice] ${w}#${w}: exit`);
      for (const w of workers) lines.push(`${t} [notice] 1#1: signal 17 (SIGCHLD) received from ${w}`, `${t} [notice] 1#1: worker process ${w} exited with code 0`);
      lines.push(`${t} [notice] 1#1: exit`);
      return { kind: "exit", code: 0, after: 5 * MS, lines: lines.map((l) => line(MS, l, "stderr")) };
    },
    "nginx-reload": (_p, _at, now) => ({
      kind: "continue",
      lines: [line(0, `${nginxTime(now)} [notice] 1#1: signal 1 (SIGHUP) received from 0, reconfiguring`, "stderr"), line(MS, `${nginxTime(now)} [notice] 1#1: reconfiguring`, "stderr")],
    }),
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("-v")) return exitPlan("nginx", 0, [line(0, `nginx version: nginx/${ctx.env.get("NGINX_VERSION") ?? "1.27.2"}`, "stderr")]);
    if (args.includes("-t")) return exitPlan("nginx", 0, [line(0, "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok", "stderr"), line(0, "nginx: configuration file /etc/nginx/nginx.conf test is successful", "stderr")]);
    const g = args.indexOf("-g");
    const foreground = g >= 0 && /daemon\s+off/.test(args[g + 1] ?? "");
    const t = nginxTime(ctx.now);
    const alpine = isBusybox(ctx);
    const version = ctx.env.get("NGINX_VERSION") ?? "1.27.2";
    const workers = nginxWorkers(ctx);
    const lines: PlanLine[] = ctx.via !== null ? NGINX_ENTRYPOINT.map((l, i) => line(i * 2 * MS, l)) : [];
    const at = lines.length > 0 ? 20 * MS : MS;
    const notices = [
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/${version}`,
      `${t} [notice] 1#1: built by gcc ${alpine ? "13.2.1 20240309 (Alpine 13.2.1_git20240309) " : "12.2.0 (Debian 12.2.0-14) "}`,
      `${t} [notice] 1#1: OS: Linux ${KERNEL_RELEASE}`,
      `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${t} [notice] 1#1: start worker processes`,
      ...workers.map((w) => `${t} [notice] 1#1: start worker process ${w}`),
    ];
    lines.push(...notices.map((l) => line(at, l, "stderr")));
    // Without "daemon off;" nginx forks into the background and PID 1 exits at once.
    if (!foreground) return { ...exitPlan("nginx", 0, ctx.via !== null ? lines.slice(0, NGINX_ENTRYPOINT.length) : [], at) };
    const stop = (signal: string): Reaction => ({ kind: "call", fn: "nginx-stop", params: { workers: workers.join(","), signal } });
    return {
      ...basePlan("nginx"), lines, ports: [80], memory: { base: 9 * MB, growPerSec: 0, max: null },
      title: `nginx: master process ${ctx.spec.argv.join(" ")}`,
      children: workers.map((w) => ({ ...child(["nginx: worker process"], "nginx", at), nsPid: w })),
      signals: { SIGQUIT: stop("SIGQUIT"), SIGTERM: stop("SIGTERM"), SIGINT: stop("SIGINT"), SIGHUP: { kind: "call", fn: "nginx-reload", params: {} }, SIGWINCH: { kind: "ignore" } },
    };
  },
};

// ---- httpd ----

export const httpd: Program = {
  names: ["httpd", "apache2"],
  reactions: {
    "httpd-stop": (p, _at, now) => {
      const graceful = p["signal"] === "SIGWINCH";
      const text = graceful ? "AH00492: caught SIGWINCH, shutting down gracefully" : `AH00491: caught ${p["signal"]}, shutting down`;
      return { kind: "exit", code: 0, after: 20 * MS, lines: [line(MS, `[${apacheTime(now)}] [mpm_event:notice] [pid 1:tid 1] ${text}`, "stderr")] };
    },
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("-v")) return exitPlan("httpd", 0, [line(0, "Server version: Apache/2.4.62 (Unix)"), line(0, "Server built:   Oct  3 2024 00:00:00")]);
    const foreground = args.some((a) => a === "-DFOREGROUND") || args.join(" ").includes("-D FOREGROUND");
    const ip = ctx.ip || "127.0.0.1";
    const warn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
    const lines = [line(5 * MS, warn, "stderr"), line(8 * MS, warn, "stderr")];
    if (!foreground) return exitPlan("httpd", 0, lines.slice(0, 1), 5 * MS);
    lines.push(
      line(10 * MS, `[${apacheTime(ctx.now + 10 * MS)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations`, "stderr"),
      line(10 * MS, `[${apacheTime(ctx.now + 10 * MS)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`, "stderr"),
    );
    const stop = (signal: string): Reaction => ({ kind: "call", fn: "httpd-stop", params: { signal } });
    return {
      ...basePlan("httpd"), lines, ports: [80], memory: { base: 11 * MB, growPerSec: 0, max: null },
      title: "httpd -DFOREGROUND",
      children: [8, 9, 10].map(() => child(["httpd", "-DFOREGROUND"], "www-data", 10 * MS)),
      signals: { SIGWINCH: stop("SIGWINCH"), SIGTERM: stop("SIGTERM"), SIGINT: stop("SIGINT"), SIGHUP: { kind: "ignore" } },
    };
  },
};

// ---- redis ----

const RDB = "REDIS0011\u00fa\tredis-ver\u00057.4.1\u00ff";

export const redis: Program = {
  names: ["redis-server"],
  reactions: {
    "redis-stop": (p, _at, now) => {
      const t = redisTime(now);
      const sig = String(p["signal"]);
      const dump = String(p["dump"]);
      const lines = [
        line(0, `1:signal-handler (${Math.floor(now / MICROS_PER_SECOND) + 1_767_225_600}) Received ${sig} scheduling shutdown...`),
        line(90 * MS, `1:M ${redisTime(now + 90 * MS)} * User requested shutdown...`),
        line(90 * MS, `1:M ${redisTime(now + 90 * MS)} * Saving the final RDB snapshot before exiting.`),
        line(92 * MS, `1:M ${redisTime(now + 92 * MS)} * DB saved on disk`),
        line(92 * MS, `1:M ${redisTime(now + 92 * MS)} # Redis is now ready to exit, bye bye...`),
      ];
      void t;
      const writes: TimedWrite[] = [{ at: 92 * MS, path: dump, text: RDB }];
      return { kind: "exit", code: 0, after: 93 * MS, lines, writes };
    },
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("--version") || args.includes("-v")) return exitPlan("redis-server", 0, [line(0, "Redis server v=7.4.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=3dd8a4dc7d2f5ab4")]);
    const t0 = ctx.now;
    const at = (ms: number) => t0 + ms * MS;
    const portArg = args.indexOf("--port");
    const port = portArg >= 0 ? Number(args[portArg + 1]) || 6379 : 6379;
    const dump = resolve(ctx.spec.cwd || "/data", "dump.rdb");
    const hasDump = readText(ctx.fs, dump) !== undefined;
    const lines: PlanLine[] = [
      line(0, `1:C ${redisTime(at(0))} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`),
      line(0, `1:C ${redisTime(at(0))} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started`),
      line(0, args.length > 0 ? `1:C ${redisTime(at(0))} * Configuration loaded` : `1:C ${redisTime(at(0))} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`),
      line(1, `1:M ${redisTime(at(1))} * monotonic clock: POSIX clock_gettime`),
      line(1, `1:M ${redisTime(at(1))} * Running mode=standalone, port=${port}.`),
      line(2, `1:M ${redisTime(at(2))} * Server initialized`),
    ].map((l, i) => ({ ...l, at: [0, 0, 0, 1, 1, 2][i]! * MS }));
    if (hasDump) {
      lines.push(
        line(2 * MS, `1:M ${redisTime(at(2))} * Loading RDB produced by version 7.4.1`),
        line(2 * MS, `1:M ${redisTime(at(2))} * RDB memory usage when created 0.89 Mb`),
        line(2 * MS, `1:M ${redisTime(at(2))} * Done loading RDB, keys loaded: 0, keys expired: 0.`),
        line(2 * MS, `1:M ${redisTime(at(2))} * DB loaded from disk: 0.000 seconds`),
      );
    }
    lines.push(line(3 * MS, `1:M ${redisTime(at(3))} * Ready to accept connections tcp`));
    const stop = (signal: string): Reaction => ({ kind: "call", fn: "redis-stop", params: { signal, dump } });
    return {
      ...basePlan("redis-server"), lines, ports: [port], memory: { base: 7 * MB, growPerSec: 0, max: null },
      title: `redis-server *:${port}`,
      signals: { SIGTERM: stop("SIGTERM"), SIGINT: stop("SIGINT") },
    };
  },
};

// ---- postgres ----

/** The server's Unix socket: psql connects through it (psql.ts). */
const SOCKET = "/var/run/postgresql/.s.PGSQL.5432";

const PG_NOT_PERMITTED = `"root" execution of the PostgreSQL server is not permitted.
The server must be started under an unprivileged user ID to prevent
possible system security compromise.  See the documentation for
more information on how to properly start the server.
`;

const PG_NO_PASSWORD = `Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html
`;

function pgVersionLine(ctx: StartContext): string {
  const alpine = isBusybox(ctx);
  const ver = ctx.env.get("PG_VERSION") ?? "16.4";
  return alpine
    ? `starting PostgreSQL ${ver.split("-")[0]} on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit`
    : `starting PostgreSQL ${ver.split("-")[0]} (Debian ${ver}) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`;
}

export const postgres: Program = {
  names: ["postgres", "postmaster"],
  reactions: {
    "pg-stop": (p, _at, now) => {
      const l = (ms: number, text: string, pid = "1") => line(ms * MS, `${postgresTime(now + ms * MS)} [${pid}] LOG:  ${text}`, "stderr");
      const smart = p["signal"] === "SIGTERM";
      return {
        kind: "exit", code: 0, after: 60 * MS,
        lines: [
          l(0, `received ${smart ? "smart" : "fast"} shutdown request`),
          l(1, "aborting any active transactions"),
          l(2, `background worker "logical replication launcher" (PID 32) exited with exit code 1`),
          l(3, "shutting down", "27"),
          l(3, "checkpoint starting: shutdown immediate", "27"),
          l(40, "checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.002 s, sync=0.001 s, total=0.010 s; sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB; lsn=0/1952DB8, redo lsn=0/1952DB8", "27"),
          l(55, "database system is shut down"),
        ],
        writes: [
          { at: 55 * MS, path: SOCKET, text: null }, { at: 55 * MS, path: `${SOCKET}.lock`, text: null },
          { at: 55 * MS, path: `${String(p["pgdata"] ?? "/var/lib/postgresql/data")}/postmaster.pid`, text: null },
        ],
      };
    },
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args.includes("--version") || args.includes("-V")) return exitPlan("postgres", 0, [line(0, `postgres (PostgreSQL) ${(ctx.env.get("PG_VERSION") ?? "16.4").split("-")[0]}`)]);
    if (ctx.via === null && (ctx.spec.user === "" || ctx.spec.user === "root" || ctx.spec.user === "0")) return exitPlan("postgres", 1, linesAt(0, PG_NOT_PERMITTED, "stderr"));
    const pgdata = ctx.env.get("PGDATA") ?? "/var/lib/postgresql/data";
    const initialised = readText(ctx.fs, `${pgdata}/PG_VERSION`) !== undefined;
    const lines: PlanLine[] = [];
    const writes: TimedWrite[] = [];
    let t = 0;
    const say = (text: string, stream: "stdout" | "stderr" = "stdout", dt = 0) => {
      t += dt * MS;
      lines.push(...linesAt(t, text, stream));
    };
    const log = (text: string, pid: number, dt = 1) => {
      t += dt * MS;
      lines.push(line(t, `${postgresTime(ctx.now + t)} [${pid}] LOG:  ${text}`, "stderr"));
    };
    if (!initialised) {
      // docker-entrypoint.sh's file_env: POSTGRES_PASSWORD, POSTGRES_USER and POSTGRES_DB may come
      // from a file (POSTGRES_PASSWORD_FILE=/run/secrets/db_password, a swarm or Kubernetes secret).
      const pgEnv = new Map(ctx.env);
      const both = ["POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"].find((v) => ctx.env.get(v) !== undefined && ctx.env.get(`${v}_FILE`) !== undefined);
      if (both !== undefined) return exitPlan("postgres", 1, linesAt(2 * MS, `error: both ${both} and ${both}_FILE are set (but are exclusive)\n`, "stderr"));
      // `val="$(< "$file")"`: trailing newlines go; a missing file is bash's error and an empty value.
      const missing: PlanLine[] = [];
      for (const v of ["POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"]) {
        const file = ctx.env.get(`${v}_FILE`);
        if (file === undefined) continue;
        const text = readText(ctx.fs, file);
        if (text === undefined) missing.push(...linesAt(MS, `/usr/local/bin/docker-entrypoint.sh: line 21: ${file}: No such file or directory\n`, "stderr"));
        pgEnv.set(v, (text ?? "").replace(/\n+$/, ""));
      }
      const password = pgEnv.get("POSTGRES_PASSWORD") ?? "";
      if (password === "" && pgEnv.get("POSTGRES_HOST_AUTH_METHOD") !== "trust") return exitPlan("postgres", 1, [...missing, ...linesAt(2 * MS, PG_NO_PASSWORD, "stderr")]);
      const major = ctx.env.get("PG_MAJOR") ?? "16";
      say(`The files belonging to this database system will be owned by user "postgres".
This user must also own the server process.

The database cluster will be initialized with locale "en_US.utf8".
The default database encoding has accordingly been set to "UTF8".
The default text search configuration will be set to "english".

Data page checksums are disabled.

fixing permissions on existing directory ${pgdata} ... ok
creating subdirectories ... ok
selecting dynamic shared memory implementation ... posix
selecting default max_connections ... 100
selecting default shared_buffers ... 128MB
selecting default time zone ... Etc/UTC
creating configuration files ... ok
`, "stdout", 20);
      say("running bootstrap script ... ok\n", "stdout", 180);
      say("performing post-bootstrap initialization ... ok\n", "stdout", 420);
      say("syncing data to disk ... ok\n\n\nSuccess. You can now start the database server using:\n\n    pg_ctl -D " + pgdata + " -l logfile start\n\n", "stdout", 150);
      say("initdb: warning: enabling \"trust\" authentication for local connections\ninitdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.\n", "stderr");
      for (const [p, text] of [
        ["PG_VERSION", `${major}\n`], ["postgresql.conf", "listen_addresses = '*'\nmax_connections = 100\nshared_buffers = 128MB\n"],
        ["pg_hba.conf", "local all all trust\nhost all all all scram-sha-256\n"], ["pg_ident.conf", ""], ["postgresql.auto.conf", "# Do not edit this file manually!\n"],
        ["global/pg_control", ""], ["base/1/PG_VERSION", `${major}\n`], ["base/4/PG_VERSION", `${major}\n`], ["base/5/PG_VERSION", `${major}\n`], ["pg_wal/000000010000000000000001", ""],
        // pg_database and pg_authid (psql.ts reads them): the superuser and the database the entrypoint made.
        ...catalogFiles(pgEnv.get("POSTGRES_USER") ?? "postgres", pgEnv.get("POSTGRES_DB") ?? pgEnv.get("POSTGRES_USER") ?? "postgres"),
      ] as const) writes.push({ at: t, path: `${pgdata}/${p}`, text });
      say("waiting for server to start....", "stdout", 2);
      log(pgVersionLine(ctx), 48, 10);
      log('listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"', 48, 2);
      log(`database system was shut down at ${postgresTime(ctx.now + t - 300 * MS).replace(/\.\d+ UTC$/, " UTC")}`, 51, 6);
      log("database system is ready to accept connections", 48, 4);
      say(" done\nserver started\n", "stdout", 100);
      if (pgEnv.get("POSTGRES_DB") !== undefined && pgEnv.get("POSTGRES_DB") !== "postgres") say(`CREATE DATABASE\n`, "stdout", 30);
      say(`\n${ctx.via ?? "/usr/local/bin/docker-entrypoint.sh"}: ignoring /docker-entrypoint-initdb.d/*\n\n`, "stdout", 10);
      say("waiting for server to shut down....", "stdout", 2);
      log("received fast shutdown request", 48, 1);
      log("aborting any active transactions", 48, 1);
      log('background worker "logical replication launcher" (PID 54) exited with exit code 1', 48, 1);
      log("shutting down", 49, 1);
      log("checkpoint starting: shutdown immediate", 49, 1);
      log("checkpoint complete: wrote 926 buffers (5.7%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.020 s, sync=0.015 s, total=0.046 s; sync files=301, longest=0.002 s, average=0.001 s; distance=4273 kB, estimate=4273 kB; lsn=0/191C5A0, redo lsn=0/191C5A0", 49, 46);
      log("database system is shut down", 48, 8);
      say(" done\nserver stopped\n\nPostgreSQL init process complete; ready for start up.\n\n", "stdout", 60);
    } else {
      say("\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n", "stdout", 5);
    }
    log(pgVersionLine(ctx), 1, 20);
    log('listening on IPv4 address "0.0.0.0", port 5432', 1, 1);
    log('listening on IPv6 address "::", port 5432', 1, 0);
    log('listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"', 1, 3);
    // A PID file left behind means the last server was killed (docker rm -f, kill -9): crash recovery replays the WAL first.
    const stale = initialised ? readText(ctx.fs, `${pgdata}/postmaster.pid`) : undefined;
    if (stale !== undefined) {
      const upAt = Number(stale.split("\n")[2] ?? "0") * 1_000_000;
      log(`database system was interrupted; last known up at ${postgresTime(upAt).replace(/\.\d+ UTC$/, " UTC")}`, 29, 5);
      log("database system was not properly shut down; automatic recovery in progress", 29, 1);
      log("redo starts at 0/1952DB8", 29, 1);
      log("invalid record length at 0/1952EA0: expected at least 24, got 0", 29, 0);
      log("redo done at 0/1952E68 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.00 s", 29, 0);
      log("checkpoint starting: end-of-recovery immediate wait", 27, 1);
      log("checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.002 s, sync=0.001 s, total=0.008 s; sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB; lsn=0/1952EA0, redo lsn=0/1952EA0", 27, 8);
    } else log(`database system was shut down at ${postgresTime(ctx.now + t - 40 * MS).replace(/\.\d+ UTC$/, " UTC")}`, 29, 5);
    log("database system is ready to accept connections", 1, 4);
    // The server's socket (psql connects through it) and its PID file, while it runs.
    writes.push({ at: t, path: SOCKET, text: "" }, { at: t, path: `${SOCKET}.lock`, text: `1\n${pgdata}\n` });
    writes.push({ at: t, path: `${pgdata}/postmaster.pid`, text: `1\n${pgdata}\n${Math.floor(ctx.now / 1_000_000)}\n5432\n/var/run/postgresql\n*\n` });
    const stop = (signal: string): Reaction => ({ kind: "call", fn: "pg-stop", params: { signal, pgdata } });
    const bg = ["checkpointer", "background writer", "walwriter", "autovacuum launcher", "logical replication launcher"];
    return {
      ...basePlan("postgres"), lines, writes, ports: [5432], memory: { base: 34 * MB, growPerSec: 0, max: null },
      children: bg.map((b) => child([`postgres: ${b}`], "postgres", t)),
      signals: { SIGINT: stop("SIGINT"), SIGTERM: stop("SIGTERM"), SIGQUIT: { kind: "exit", code: 0, after: 5 * MS, lines: [] } },
    };
  },
};

// ---- the registry (distribution v2.8.3) ----

export const registry: Program = {
  names: ["registry"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    if (args[0] === "--version" || args[0] === "-v") return exitPlan("registry", 0, [line(0, "registry github.com/docker/distribution v2.8.3")]);
    if (args[0] !== "serve") {
      return exitPlan("registry", 0, linesAt(0, "`registry`\n\nUsage:\n  registry [flags]\n  registry [command]\n\nAvailable Commands:\n  garbage-collect `garbage-collect` deletes layers not referenced by any manifests\n  help            Help about any command\n  serve           `serve` stores and distributes Docker images\n\nFlags:\n  -h, --help=false: help for registry\n  -v, --version=false: show the version and exit\n\n\nUse \"registry help [command]\" for more information about a command.\n"));
    }
    const instance = `${Math.floor(unit(ctx.containerId) * 0xffffffff).toString(16).padStart(8, "0")}-${Math.floor(unit(`${ctx.containerId}/2`) * 0xffff).toString(16).padStart(4, "0")}-4${Math.floor(unit(`${ctx.containerId}/3`) * 0xfff).toString(16).padStart(3, "0")}-a${Math.floor(unit(`${ctx.containerId}/4`) * 0xfff).toString(16).padStart(3, "0")}-${Math.floor(unit(`${ctx.containerId}/5`) * 0xffffffffffff).toString(16).padStart(12, "0")}`;
    const tail = `go.version=go1.20.8 instance.id=${instance} service=registry version=2.8.3`;
    const at = (ms: number) => ctx.now + ms * MS;
    const lines = [
      line(2 * MS, `time="${rfc3339Nano(at(2))}" level=warning msg="No HTTP secret provided - generated random secret. This may cause problems with uploads if multiple registries are behind a load-balancer. To provide a shared secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment variable." ${tail}`, "stderr"),
      line(2 * MS, `time="${rfc3339Nano(at(2))}" level=info msg="redis not configured" ${tail}`, "stderr"),
      line(3 * MS, `time="${rfc3339Nano(at(3))}" level=info msg="Starting upload purge in 20m0s" ${tail}`, "stderr"),
      line(3 * MS, `time="${rfc3339Nano(at(3))}" level=info msg="using inmemory blob descriptor cache" ${tail}`, "stderr"),
      line(4 * MS, `time="${rfc3339Nano(at(4))}" level=info msg="listening on [::]:5000" ${tail}`, "stderr"),
    ];
    // A Go program without a handler: the runtime exits with status 2 on SIGTERM and SIGINT.
    const die = (): Reaction => ({ kind: "exit", code: 2, after: MS, lines: [] });
    return { ...basePlan("registry"), lines, ports: [5000], memory: { base: 12 * MB, growPerSec: 0, max: null }, signals: { SIGTERM: die(), SIGINT: die(), SIGHUP: die() } };
  },
};

// ---- node ----

const NODE_VERSION = (ctx: StartContext) => `v${ctx.env.get("NODE_VERSION") ?? "20.18.0"}`;

/** What a small app's source prints at start-up, found by reading it (string literals of console.log/print calls). */
export function printedLiterals(source: string, call: RegExp, consts: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(call)) {
    const body = m[1]!.trim();
    const lit = /^(['"`])((?:\\.|(?!\1).)*)\1/.exec(body);
    if (!lit) continue;
    let text = lit[2]!.replace(/\$\{\s*([A-Za-z_][\w.]*)\s*\}/g, (_all, name: string) => consts.get(name) ?? `\${${name}}`);
    const rest = body.slice(lit[0].length).trim();
    const concat = /^[+,]\s*([A-Za-z_][\w.]*)/.exec(rest);
    if (concat) text += (rest.startsWith(",") ? " " : "") + (consts.get(concat[1]!) ?? concat[1]);
    out.push(text.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\(['"`])/g, "$1"));
  }
  return out;
}

function jsConsts(source: string, env: ReadonlyMap<string, string>): Map<string, string> {
  const consts = new Map<string, string>();
  for (const m of source.matchAll(/(?:const|let|var)\s+([A-Za-z_]\w*)\s*=\s*(?:process\.env\.([A-Z_]+)\s*\|\|\s*)?(['"]?)([\w.:/-]+)\3/g)) {
    consts.set(m[1]!, (m[2] !== undefined ? env.get(m[2]) : undefined) ?? m[4]!);
  }
  return consts;
}

export const node: Program = {
  names: ["node", "nodejs"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    const version = NODE_VERSION(ctx);
    if (args[0] === "--version" || args[0] === "-v") return exitPlan("node", 0, [line(0, version)]);
    if (args[0] === "-e" || args[0] === "--eval" || args[0] === "-p") {
      const out = printedLiterals(args[1] ?? "", /console\.log\(([^)]*)\)/g, new Map());
      return exitPlan("node", 0, out.map((o) => line(30 * MS, o)), 30 * MS);
    }
    const script = args.find((a) => !a.startsWith("-"));
    if (script === undefined) {
      // The REPL: with a terminal it waits for input; with stdin closed it ends at once.
      if (!ctx.spec.interactive) return exitPlan("node", 0);
      return { ...basePlan("node"), lines: ctx.spec.tty ? linesAt(40 * MS, `Welcome to Node.js ${version}.\nType ".help" for more information.\n`) : [], memory: { base: 40 * MB, growPerSec: 0, max: null } };
    }
    const path = resolve(ctx.spec.cwd || "/", script);
    const candidates = [path, `${path}.js`, `${path}/index.js`];
    const found = candidates.map((p) => [p, readText(ctx.fs, p)] as const).find(([, t]) => t !== undefined);
    if (!found) {
      const text = `node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '${path}'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n    at Module._load (node:internal/modules/cjs/loader:1051:27)\n    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:174:12)\n    at node:internal/main/run_main_module:28:49 {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n\nNode.js ${version}\n`;
      return exitPlan("node", 1, linesAt(45 * MS, text, "stderr"));
    }
    const source = found[1]!;
    const consts = jsConsts(source, ctx.env);
    const printed = printedLiterals(source, /console\.(?:log|info)\(([^;]*)\)\s*;?/g, consts);
    const listen = /\.listen\(\s*([A-Za-z_]\w*|\d+)/.exec(source);
    const port = listen ? Number(consts.get(listen[1]!) ?? listen[1]) || 3000 : null;
    const lines = printed.map((p) => line(120 * MS, p));
    // node installs no SIGTERM handler: as PID 1 it ignores `docker stop` until the SIGKILL.
    if (port === null && !/setInterval|setTimeout|createServer/.test(source)) return exitPlan("node", 0, lines, 130 * MS); // wall-clock ok: reads the app's source
    return { ...basePlan("node"), lines, ports: port !== null ? [port] : [], memory: { base: 48 * MB, growPerSec: 0, max: null } };
  },
};

// ---- java (a Spring Boot jar) ----

const SPRING_BANNER = `
  .   ____          _            __ _ _
 /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\
( ( )\\___ | '_ | '_| | '_ \\/ _\` | \\ \\ \\ \\
 \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )
  '  |____| .__|_| |_|_| |_\\__, | / / / /
 =========|_|==============|___/=/_/_/_/

 :: Spring Boot ::                (v3.3.4)

`;

function javaVersion(ctx: StartContext): string {
  return ctx.env.get("JAVA_VERSION") ?? "17.0.2";
}

export const java: Program = {
  names: ["java"],
  reactions: {
    "spring-stop": (p, _at, now) => {
      const code = p["signal"] === "SIGINT" ? 130 : p["signal"] === "SIGHUP" ? 129 : 143;
      const l = (ms: number, logger: string, text: string) => line(ms * MS, `${isoMillis(now + ms * MS)}  INFO 1 --- [${p["app"]}] [ionShutdownHook] ${logger.padEnd(40)} : ${text}`);
      return {
        kind: "exit", code, after: 40 * MS,
        lines: [l(1, "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"), l(12, "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete")],
      };
    },
  },
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    const v = javaVersion(ctx);
    if (args[0] === "-version" || args[0] === "--version") {
      return exitPlan("java", 0, linesAt(80 * MS, `openjdk version "${v}" 2022-01-18\nOpenJDK Runtime Environment (build ${v}+8-86)\nOpenJDK 64-Bit Server VM (build ${v}+8-86, mixed mode, sharing)\n`, "stderr"));
    }
    const jarAt = args.indexOf("-jar");
    if (jarAt < 0) {
      const cls = args.find((a) => !a.startsWith("-"));
      if (cls === undefined) return exitPlan("java", 1, linesAt(0, "Usage: java [options] <mainclass> [args...]\n           (to execute a class)\n   or  java [options] -jar <jarfile> [args...]\n           (to execute a jar file)\n", "stderr"));
      const source = readText(ctx.fs, resolve(ctx.spec.cwd || "/", `${cls}.java`)) ?? "";
      const printed = printedLiterals(source, /System\.out\.println\(([^;]*)\)\s*;/g, new Map());
      return exitPlan("java", 0, printed.map((p) => line(150 * MS, p)), 160 * MS);
    }
    const jar = args[jarAt + 1] ?? "";
    const path = resolve(ctx.spec.cwd || "/", jar);
    const n = (() => {
      let node: FsNode | undefined = ctx.fs;
      for (const part of path.split("/").filter((x) => x !== "")) node = node?.kind === "dir" ? node.entries.get(part) : undefined;
      return node;
    })();
    if (n === undefined || n.kind !== "file") return exitPlan("java", 1, [line(60 * MS, `Error: Unable to access jarfile ${jar}`, "stderr")]);
    const app = jar.replace(/^.*\//, "").replace(/(-\d[\w.-]*)?\.jar$/, "") || "demo";
    const cls = `com.example.${app.replace(/[^a-z0-9]/gi, "").toLowerCase() || "demo"}.${app.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}Application`;
    const short = cls.length > 40 ? cls.split(".").map((s, i, a) => (i < a.length - 1 ? s[0] : s)).join(".") : cls;
    const portArg = args.find((a) => a.startsWith("--server.port="));
    const port = Number(portArg?.split("=")[1] ?? ctx.env.get("SERVER_PORT") ?? 8080) || 8080;
    const at = (ms: number) => ctx.now + ms * MS;
    const log = (ms: number, logger: string, text: string) => line(ms * MS, `${isoMillis(at(ms))}  INFO 1 --- [${app}] [           main] ${logger.padEnd(40).slice(0, 40)} : ${text}`);
    const lines = [
      ...linesAt(600 * MS, SPRING_BANNER),
      log(700, short, `Starting ${cls.split(".").pop()} v0.0.1-SNAPSHOT using Java ${v} with PID 1 (${path} started by root in ${ctx.spec.cwd || "/"})`),
      log(702, short, 'No active profile set, falling back to 1 default profile: "default"'),
      log(1510, "o.s.b.w.embedded.tomcat.TomcatWebServer", `Tomcat initialized with port ${port} (http)`),
      log(1525, "o.apache.catalina.core.StandardService", "Starting service [Tomcat]"),
      log(1526, "o.apache.catalina.core.StandardEngine", "Starting Servlet engine: [Apache Tomcat/10.1.30]"),
      log(1590, "o.a.c.c.C.[Tomcat].[localhost].[/]", "Initializing Spring embedded WebApplicationContext"),
      log(1592, "w.s.c.ServletWebServerApplicationContext", "Root WebApplicationContext: initialization completed in 850 ms"),
      log(2140, "o.s.b.w.embedded.tomcat.TomcatWebServer", `Tomcat started on port ${port} (http) with context path '/'`),
      log(2160, short, `Started ${cls.split(".").pop()} in 1.752 seconds (process running for 2.163)`),
    ];
    const stop = (signal: string): Reaction => ({ kind: "call", fn: "spring-stop", params: { signal, app } });
    return {
      ...basePlan("java"), lines, ports: [port], memory: { base: 180 * MB, growPerSec: 0, max: null },
      signals: { SIGTERM: stop("SIGTERM"), SIGINT: stop("SIGINT"), SIGHUP: stop("SIGHUP") },
    };
  },
};

// ---- python ----

/**
 * The arguments of a Flask app's `app.run(...)` call: host, port (Flask's default 5000) and debug.
 * Only that call counts: `redis.Redis(host='redis', port=6379)` elsewhere in the source is the
 * client's, not the server's.
 */
export function flaskRunArgs(source: string): { host: string | null; port: number; debug: boolean } {
  const call = /\.run\(([^)]*)\)/.exec(source)?.[1] ?? "";
  const port = Number(/\bport\s*=\s*(\d+)/.exec(call)?.[1] ?? 5000) || 5000;
  const host = /\bhost\s*=\s*["']([^"']*)["']/.exec(call)?.[1] ?? null;
  const debug = /\bdebug\s*=\s*True\b/.test(call);
  return { host, port, debug };
}

/** Werkzeug's debugger PIN (xxx-xxx-xxx): a digest of the machine; here of the container's ID, so it is stable. */
export function debuggerPin(containerId: string): string {
  const digits = String(hash32(`werkzeug-pin/${containerId}`) % 1_000_000_000).padStart(9, "0");
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

export const python: Program = {
  names: ["python", "python3", "python3.12", "python3.5", "python2", "python2.7"],
  start(ctx) {
    const args = ctx.spec.argv.slice(1);
    const version = ctx.env.get("PYTHON_VERSION") ?? (ctx.spec.argv[0]!.endsWith("2") || ctx.spec.argv[0]!.endsWith("2.7") ? "2.7.5" : "3.12.7");
    if (args[0] === "--version" || args[0] === "-V") return exitPlan("python", 0, [line(20 * MS, `Python ${version}`)]);
    if (args[0] === "-c") {
      const out = printedLiterals(args[1] ?? "", /print\(([^)]*)\)/g, new Map());
      return exitPlan("python", 0, out.map((o) => line(25 * MS, o)), 25 * MS);
    }
    const script = args.find((a) => !a.startsWith("-"));
    if (script === undefined) {
      if (!ctx.spec.interactive) return exitPlan("python", 0);
      return { ...basePlan("python"), lines: ctx.spec.tty ? linesAt(30 * MS, `Python ${version} (main, Oct  1 2024, 00:00:00) [GCC 12.2.0] on linux\nType "help", "copyright", "credits" or "license" for more information.\n>>> `) : [] };
    }
    const path = resolve(ctx.spec.cwd || "/", script);
    const source = readText(ctx.fs, path);
    if (source === undefined) return exitPlan("python", 2, [line(20 * MS, `${ctx.spec.argv[0]!.replace(/^.*\//, "")}: can't open file '${path}': [Errno 2] No such file or directory`, "stderr")]);
    const printed = printedLiterals(source, /print\(([^;\n]*)\)/g, new Map());
    const lines = printed.map((p) => line(60 * MS, p));
    const flask = /Flask\(/.test(source) && /\.run\(/.test(source);
    if (flask) {
      const run = flaskRunArgs(source);
      const port = run.port;
      const host = run.host === "0.0.0.0";
      const name = script.replace(/^.*\//, "").replace(/\.py$/, "");
      lines.push(...linesAt(300 * MS, ` * Serving Flask app '${name}'\n * Debug mode: ${run.debug ? "on" : "off"}\n`), ...linesAt(301 * MS, `WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.\n${host ? ` * Running on all addresses (0.0.0.0)\n * Running on http://127.0.0.1:${port}\n * Running on http://${ctx.ip || "127.0.0.1"}:${port}\n` : ` * Running on http://${run.host ?? "127.0.0.1"}:${port}\n`}Press CTRL+C to quit\n`, "stderr"));
      // Werkzeug's reloader and debugger (debug=True): the PIN is a hash of the machine (here the container's ID).
      if (run.debug) lines.push(...linesAt(302 * MS, ` * Restarting with stat\n * Debugger is active!\n * Debugger PIN: ${debuggerPin(ctx.containerId)}\n`, "stderr"));
      return { ...basePlan("python"), lines, ports: [port], memory: { base: 30 * MB, growPerSec: 0, max: null }, signals: { SIGINT: { kind: "exit", code: 0, after: MS, lines: [] } } };
    }
    if (/while\s+True|serve_forever|time\.sleep/.test(source)) return { ...basePlan("python"), lines, memory: { base: 10 * MB, growPerSec: 0, max: null } };
    return exitPlan("python", 0, lines, 70 * MS);
  },
};

void MICROS_PER_SECOND;
