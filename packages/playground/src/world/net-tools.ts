// The network tools a learner types, at a host's prompt (Debian: curl 7.88, GNU wget, iputils
// ping, iproute2, iptables) and in containers (BusyBox's wget, ping, nslookup, ip, hostname; curl
// where it is installed; getent): each is planned here as the requests it sends (traffic.ts's
// NetPlan, decided by the engines' traffic model) and the words it prints, which are the real
// tools'. A live terminal runs the plan through the kernel in virtual time; a script in a
// container (a batch run) charges its clock with the plan's estimated times.
import type { Micros } from "@drydock/kernel";
import {
  connect, dateParts, endpointsOf, netOwner, unit, firewallRules, formatIp4, formatIptablesList, formatIptablesS, formatIptablesSave, gatewayEndpoint, internetAddress, internetResponse, isWellKnownSite, lookupName,
  parseIp4, serveHttp, type Connection, type EngineState, type HttpResponse, type Lookup, type NetWorld, type Source,
} from "@drydock/engine";
import type { CommandOutcome, OutputChunk } from "../shell/host.js";
import { isProbe, msText, pingStats, type NetChunk, type NetPlan, type NetStep } from "./traffic.js";

const SECOND = 1_000_000;
/** Linux gives up a TCP connect after its SYN retries (net.ipv4.tcp_syn_retries = 6): 1+2+…+64 s. */
const SYN_TIMEOUT_US = 127 * SECOND;
/** A neighbour that never answers ARP: EHOSTUNREACH after about 3 s. */
const ARP_TIMEOUT_US = 3 * SECOND;

/** Where a tool runs and what it may look at. */
export interface ToolPlace {
  readonly world: NetWorld;
  readonly src: Source;
  readonly now: Micros;
  /** BusyBox's applets (alpine, busybox) or the GNU/iputils tools (Debian, the hosts). */
  readonly busybox: boolean;
  readonly tty: { readonly stdout: boolean; readonly stderr: boolean };
  readonly cwd: string;
  /** A registry's repositories by its address ("localhost:5000"), for GET /v2/_catalog. */
  readonly catalog?: (domain: string) => readonly string[];
}

export type ToolResult =
  | { readonly plan: NetPlan; readonly writes: readonly { readonly path: string; readonly text: string }[] }
  | { readonly outcome: CommandOutcome };

/** The tools planned here, by the name they are run as. */
export const NET_TOOLS: ReadonlySet<string> = new Set(["curl", "wget", "ping", "httping", "nslookup", "getent", "ip", "hostname", "iptables", "iptables-save"]);

const out = (text: string): NetChunk => ({ fd: 1, text });
const err = (text: string): NetChunk => ({ fd: 2, text });
const done = (status: number, stdout: string, stderr = ""): ToolResult => ({ outcome: { status, stdout, stderr } });

function plan(tool: string, steps: NetStep[], end: NetPlan["end"], start: NetChunk[] = [], repeat: NetStep | null = null): NetPlan {
  return { tool, start, steps, repeat, end };
}

// ---- steps ----

function dnsStep(lk: Lookup): NetStep | null {
  if (lk.query === null) return null;
  return {
    from: lk.query.from, to: lk.query.to, kind: "dns", answered: true, serverUs: 150, waitUs: 5 * SECOND,
    decided: { outcome: lk.addresses.length > 0 ? "resolved" : "unresolved", hop: lk.server === "127.0.0.11" ? "embedded DNS 127.0.0.11" : `nameserver ${lk.server}`, detail: lk.reason, hops: [] },
    onAnswer: [], onNoAnswer: [], gapUs: 0, stopOnNoAnswer: true, rttUs: 250,
  };
}

/** A connect's step: answered (a reply or a refusal), or lost where a rule dropped it (or where no neighbour answered). */
function connStep(c: Connection, kind: string, serverUs: Micros, waitUs: Micros): NetStep {
  const local = c.outcome === "unreachable" && c.decidedBy.kind === "route";
  const answered = c.outcome === "connected" || c.outcome === "refused" || local;
  const decided = {
    outcome: c.outcome, hop: c.decidedBy.at, detail: c.decidedBy.detail, ...(c.decidedBy.rule !== undefined ? { rule: c.decidedBy.rule } : {}),
    hops: c.hops.map((h) => `${h.kind} ${h.at}: ${h.detail}`),
  };
  // The internet's answers come from beyond the host: their round trip is the far end's (the kernel carries the packet as far as the host).
  const far = c.server !== null && c.server.host === "" ? c.rttUs : 0;
  return {
    from: c.from, to: local ? c.from : c.to, kind, answered, serverUs: local ? 0 : serverUs + far,
    waitUs: c.outcome === "unreachable" ? ARP_TIMEOUT_US : waitUs, decided, onAnswer: [], onNoAnswer: [], gapUs: 0, stopOnNoAnswer: true,
    rttUs: answered ? c.rttUs : waitUs,
  };
}

// ---- URLs ----

interface Url { readonly scheme: string; readonly host: string; readonly port: number; readonly path: string; readonly text: string }

function parseUrl(text: string): Url | null {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?$/.exec(text);
  if (!m) return null;
  const scheme = m[1] ?? "http";
  return { scheme, host: m[2]!, port: Number(m[3] ?? (scheme === "https" ? 443 : 80)), path: m[4] ?? "/", text };
}

const hostHeader = (u: Url) => (u.port === (u.scheme === "https" ? 443 : 80) ? u.host : `${u.host}:${u.port}`);

/** What answered a connection, for an HTTP request: a container's program, a registry on the host, or the internet. */
function respond(place: ToolPlace, c: Connection, u: Url, method: string, body: string): HttpResponse {
  const s = c.server;
  const req = { method, path: u.path, host: hostHeader(u), body };
  if (s && s.container && s.program) {
    const host = place.world.hosts.find((h) => h.name === s.host)!;
    const catalog = s.program === "registry" ? place.catalog?.(`localhost:${s.port}`) ?? [] : [];
    return serveHttp({ engine: host.engine, hostFs: host.fs, container: s.container, program: s.program, port: s.port, catalog }, req, place.now);
  }
  if (s && s.program === "registry") {
    const text = u.path.startsWith("/v2/_catalog") ? `${JSON.stringify({ repositories: place.catalog?.(`localhost:${s.port}`) ?? [] })}\n` : "{}";
    return { status: 200, reason: "OK", headers: [["Content-Type", "application/json; charset=utf-8"], ["Docker-Distribution-Api-Version", "registry/2.0"], ["Content-Length", String(text.length)]], body: text, binary: false, emptyReply: false, serverUs: 800 };
  }
  // The internet: a well-known site's real answer, or drydock's stand-in page (engine network/internet.ts).
  return internetResponse({ scheme: u.scheme === "https" ? "https" : "http", host: u.host, path: u.path, method });
}

function fileNameOf(u: Url): string {
  const last = u.path.split("?")[0]!.split("/").pop() ?? "";
  return last === "" ? "index.html" : last;
}

function resolvePath(cwd: string, p: string): string {
  return p.startsWith("/") ? p : `${cwd === "/" ? "" : cwd}/${p}`;
}

// ---- curl ----

const CURL_METER_HEAD = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

/** curl's speed column: bytes per second in its 5-character units. */
function curlSpeed(bps: number): string {
  if (bps < 100_000) return String(Math.round(bps));
  if (bps < 10_000 * 1024) return `${Math.round(bps / 1024)}k`;
  return `${Math.round(bps / 1024 / 1024)}M`;
}

function curlMeter(size: number, us: Micros): string {
  const speed = curlSpeed(size / Math.max(us / SECOND, 1e-6));
  const total = String(size).padStart(5);
  return `${CURL_METER_HEAD}\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100 ${total}  100 ${total}    0     0  ${speed.padStart(5)}      0 --:--:-- --:--:-- --:--:-- ${speed.padStart(5)}\n`;
}

/** curl's -w variables. */
function curlWrite(format: string, v: Record<string, string>): string {
  return format.replace(/%\{([a-z_]+)\}/g, (all, k: string) => v[k] ?? all).replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\r/g, "\r");
}

/** curl's short options that take a value (the rest are switches, and may be grouped: -sSfL). */
const CURL_VALUED = new Set(["o", "X", "d", "H", "w", "m", "A", "u", "e", "T", "x", "b", "c", "F", "r"]);

/** `-sSo file` → `-s -S -o file`, as curl's getopt reads grouped short options. */
function ungroup(argv: readonly string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [argv[0] ?? ""];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!/^-[A-Za-z]{2,}/.test(a) || a.startsWith("--")) {
      out.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      out.push(`-${f}`);
      if (valued.has(f)) {
        if (j + 1 < a.length) out.push(a.slice(j + 1));
        break;
      }
    }
  }
  return out;
}

export function curl(argv0: readonly string[], place: ToolPlace): ToolResult {
  const argv = ungroup(argv0, CURL_VALUED);
  let silent = false;
  let showErrors = false;
  let head = false;
  let include = false;
  let fail = false;
  let output: string | null = null;
  let remoteName = false;
  let method: string | null = null;
  let data: string | null = null;
  let write: string | null = null;
  let maxTime: number | null = null;
  let connectTimeout: number | null = null;
  let url: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i] ?? "";
    if (a === "-s" || a === "--silent") silent = true;
    else if (a === "-S" || a === "--show-error") showErrors = true;
    else if (a === "-I" || a === "--head") head = true;
    else if (a === "-i" || a === "--include") include = true;
    else if (a === "-f" || a === "--fail") fail = true;
    else if (a === "-L" || a === "--location" || a === "-k" || a === "--insecure" || a === "-v" || a === "--verbose" || a === "-4") continue;
    else if (a === "-o" || a === "--output") output = next();
    else if (a === "-O" || a === "--remote-name") remoteName = true;
    else if (a === "-X" || a === "--request") method = next();
    else if (a === "-d" || a === "--data" || a === "--data-binary" || a === "--data-raw") data = next();
    else if (a === "-H" || a === "--header" || a === "-A" || a === "--user-agent") next();
    else if (a === "-w" || a === "--write-out") write = next();
    else if (a === "-m" || a === "--max-time") maxTime = Number(next());
    else if (a === "--connect-timeout") connectTimeout = Number(next());
    else if (a.startsWith("-") && a.length > 1) return done(2, "", `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    else url ??= a;
  }
  if (url === null) return done(2, "", "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  const u = parseUrl(url);
  if (u === null) return done(3, "", silent && !showErrors ? "" : `curl: (3) URL using bad/illegal format or missing URL\n`);
  const quietErrors = silent && !showErrors;
  const errLine = (code: number, text: string): NetChunk[] => (quietErrors ? [] : [err(`curl: (${code}) ${text}\n`)]);
  const lk = lookupName(place.world, place.src, u.host.replace(/^\[|\]$/g, ""));
  const steps: NetStep[] = [];
  const dns = dnsStep(lk);
  if (dns) steps.push(dns);
  if (lk.addresses.length === 0) {
    return { plan: plan("curl", steps, { status: 6, chunks: errLine(6, `Could not resolve host: ${u.host}`) }), writes: [] };
  }
  const ip = lk.addresses[0]!;
  const c = connect(place.world, place.src, ip, u.port, "tcp");
  const waitUs = Math.min(SYN_TIMEOUT_US, connectTimeout !== null ? connectTimeout * SECOND : Infinity, maxTime !== null ? maxTime * SECOND : Infinity);
  if (c.outcome !== "connected") {
    const step = connStep(c, "tcp", 0, waitUs);
    steps.push(step);
    const afterMs = Math.floor((step.answered ? step.rttUs : step.waitUs) / 1000);
    const hostText = u.host;
    let chunks: NetChunk[];
    let status = 7;
    if (c.outcome === "timeout") {
      status = 28;
      chunks = maxTime !== null && maxTime * SECOND <= waitUs
        ? errLine(28, `Connection timed out after ${afterMs + 1} milliseconds`)
        : errLine(28, `Failed to connect to ${hostText} port ${u.port} after ${afterMs} ms: ${connectTimeout !== null ? "Timeout was reached" : "Couldn't connect to server"}`);
    } else chunks = errLine(7, `Failed to connect to ${hostText} port ${u.port} after ${afterMs} ms: Couldn't connect to server`);
    return { plan: plan("curl", steps, { status, chunks }), writes: [] };
  }
  const reqMethod = method ?? (head ? "HEAD" : data !== null ? "POST" : "GET");
  const res = respond(place, c, u, reqMethod, data ?? "");
  const step = connStep(c, "http", res.serverUs, waitUs);
  steps.push(step);
  const totalUs = step.rttUs + res.serverUs;
  if (res.emptyReply) return { plan: plan("curl", steps, { status: 52, chunks: errLine(52, "Empty reply from server") }), writes: [] };
  const statusLine = `HTTP/1.1 ${res.status} ${res.reason}`.trimEnd();
  const headerText = `${statusLine}\n${res.headers.map(([k, v]) => `${k}: ${v}\n`).join("")}\n`;
  const chunks: NetChunk[] = [];
  const writes: { path: string; text: string }[] = [];
  const toFile = output !== null && output !== "-" ? resolvePath(place.cwd, output) : remoteName ? resolvePath(place.cwd, fileNameOf(u)) : null;
  if (fail && res.status >= 400) {
    return { plan: plan("curl", steps, { status: 22, chunks: errLine(22, `The requested URL returned error: ${res.status}`) }), writes: [] };
  }
  const body = head ? "" : res.body;
  const shown = (head || include ? headerText : "") + body;
  const meter = !silent && (toFile !== null || !place.tty.stdout) ? curlMeter(body.length, totalUs) : "";
  if (meter !== "") chunks.push(err(meter));
  let status = 0;
  if (toFile !== null) save(writes, toFile, shown);
  else if (res.binary && place.tty.stdout && output !== "-") {
    chunks.push(err(`Warning: Binary output can mess up your terminal. Use "--output -" to tell \nWarning: curl to output it to your terminal anyway, or consider "--output \nWarning: <FILE>" to save to a file.\n`));
    status = 23;
  } else if (shown !== "") chunks.push(out(shown));
  if (write !== null) {
    chunks.push(out(curlWrite(write, {
      http_code: String(res.status), response_code: String(res.status), time_total: (totalUs / SECOND).toFixed(6), time_connect: (c.rttUs / 2 / SECOND).toFixed(6),
      remote_ip: ip, remote_port: String(u.port), size_download: String(body.length), url_effective: u.text, content_type: res.headers.find(([k]) => k === "Content-Type")?.[1] ?? "",
    })));
  }
  return { plan: plan("curl", steps, { status, chunks }), writes };
}

/**
 * A download saved to a file; /dev/null keeps nothing, so there is nothing to write (and `wget -O
 * /dev/null URL` in a container stays a request through the kernel, execNetTool).
 */
function save(writes: { path: string; text: string }[], path: string, text: string): void {
  if (path !== "/dev/null") writes.push({ path, text });
}

// ---- wget ----

function busyboxBar(name: string, size: number): string {
  return `${name.padEnd(20).slice(0, 20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`;
}

export function wget(argv0: readonly string[], place: ToolPlace): ToolResult {
  const argv = ungroup(argv0, new Set(["O", "T", "o", "P", "U", "Y", "e"]));
  let quiet = false;
  let output: string | null = null;
  let url: string | null = null;
  let spider = false;
  let timeout: number | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-O" || a === "--output-document") output = argv[++i] ?? "-";
    else if (a.startsWith("-O")) output = a.slice(2);
    else if (a === "--spider") spider = true;
    else if (a === "-T" || a === "--timeout") timeout = Number(argv[++i]);
    else if (a.startsWith("--timeout=")) timeout = Number(a.slice(10));
    else if (a.startsWith("-") && a.length > 1) {
      if (place.busybox) return done(1, "", `wget: unrecognized option: ${a.replace(/^-+/, "")}\nBusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n`);
      return done(2, "", `wget: invalid option -- '${a.replace(/^-+/, "")}'\nUsage: wget [OPTION]... [URL]...\n\nTry \`wget --help' for more options.\n`);
    } else url ??= a;
  }
  if (url === null) return done(1, "", place.busybox ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] URL...\n" : "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
  const u = parseUrl(url);
  if (u === null) return done(1, "", `wget: bad address '${url}'\n`);
  const steps: NetStep[] = [];
  const lk = lookupName(place.world, place.src, u.host);
  const dns = dnsStep(lk);
  if (dns) steps.push(dns);
  const fullUrl = /^https?:\/\//.test(u.text) ? u.text : `http://${u.text}${u.text.includes("/") ? "" : "/"}`;
  const gnuStart = place.busybox ? "" : `--${gnuTime(place.now)}--  ${fullUrl}\nResolving ${u.host} (${u.host})... `;
  if (lk.addresses.length === 0) {
    const text = place.busybox ? `wget: bad address '${u.host}'\n` : `${gnuStart}failed: Name or service not known.\nwget: unable to resolve host address ‘${u.host}’\n`;
    return { plan: plan("wget", steps, { status: place.busybox ? 1 : 4, chunks: quiet && !place.busybox ? [] : [err(text)] }), writes: [] };
  }
  const ip = lk.addresses[0]!;
  const c = connect(place.world, place.src, ip, u.port, "tcp");
  const waitUs = Math.min(SYN_TIMEOUT_US, timeout !== null ? timeout * SECOND : Infinity);
  const connecting = place.busybox ? `Connecting to ${u.host} (${ip}:${u.port})\n` : `${gnuStart}${lk.addresses.join(", ")}\nConnecting to ${u.host} (${u.host})|${ip}|:${u.port}... `;
  if (c.outcome !== "connected") {
    steps.push(connStep(c, "tcp", 0, waitUs));
    const why = c.outcome === "refused" ? "Connection refused" : c.outcome === "timeout" ? "Connection timed out" : c.decidedBy.kind === "route" ? "Network unreachable" : "Host is unreachable";
    const text = place.busybox ? `${quiet ? "" : connecting}wget: can't connect to remote host (${ip}): ${why}\n` : `${connecting}failed: ${why}.\n${c.outcome === "timeout" ? "Retrying.\n\n" : ""}`;
    return { plan: plan("wget", steps, { status: place.busybox ? 1 : 4, chunks: quiet && !place.busybox ? [] : [err(text)] }), writes: [] };
  }
  const res = respond(place, c, u, spider ? "HEAD" : "GET", "");
  steps.push(connStep(c, "http", res.serverUs, waitUs));
  const name = output ?? fileNameOf(u);
  const toStdout = name === "-";
  if (res.emptyReply || res.status >= 400) {
    const text = res.emptyReply
      ? (place.busybox ? `${quiet ? "" : connecting}wget: error getting response: Connection reset by peer\n` : `${connecting}connected.\nHTTP request sent, awaiting response... No data received.\nRetrying.\n\n`)
      : (place.busybox ? `${quiet ? "" : connecting}wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n` : `${connecting}connected.\nHTTP request sent, awaiting response... ${res.status} ${res.reason}\n${gnuTime(place.now)} ERROR ${res.status}: ${res.reason}.\n\n`);
    return { plan: plan("wget", steps, { status: place.busybox ? 1 : 8, chunks: quiet && !place.busybox ? [] : [err(text)] }), writes: [] };
  }
  const size = res.body.length;
  const chunks: NetChunk[] = [];
  const writes: { path: string; text: string }[] = [];
  if (place.busybox) {
    if (!quiet) chunks.push(err(`${connecting}${toStdout ? "writing to stdout\n" : `saving to '${name}'\n`}`));
    if (toStdout) chunks.push(out(res.body));
    else save(writes, resolvePath(place.cwd, name), res.body);
    if (!quiet) chunks.push(err(`${busyboxBar(toStdout ? "-" : name, size)}${toStdout ? "written to stdout\n" : `'${name}' saved\n`}`));
  } else {
    const type = res.headers.find(([k]) => k === "Content-Type")?.[1] ?? "text/html";
    if (!quiet) chunks.push(err(`${connecting}connected.\nHTTP request sent, awaiting response... ${res.status} ${res.reason}\nLength: ${size} [${type.split(";")[0]}]\nSaving to: ‘${toStdout ? "STDOUT" : name}’\n\n`));
    if (toStdout) chunks.push(out(res.body));
    else save(writes, resolvePath(place.cwd, name), res.body);
    if (!quiet) {
      const label = toStdout ? "-" : name;
      chunks.push(err(`${label.padEnd(19).slice(0, 19)} 100%[===================>] ${String(size).padStart(7)}  --.-KB/s    in 0s      \n\n${gnuTime(place.now)} (${(size / 1024 / 0.001 / 1024).toFixed(1)} MB/s) - ${toStdout ? "written to stdout" : `‘${name}’ saved`} [${size}/${size}]\n\n`));
    }
  }
  return { plan: plan("wget", steps, { status: 0, chunks }), writes };
}

/** GNU wget's timestamps: "2026-01-01 00:00:05". */
function gnuTime(now: Micros): string {
  const d = dateParts(now);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.year}-${pad(d.month)}-${pad(d.day)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`;
}

// ---- ping ----

export function ping(argv: readonly string[], place: ToolPlace): ToolResult {
  const busybox = place.busybox;
  let count: number | null = null;
  let everyUs = SECOND;
  let quiet = false;
  let deadline: number | null = null;
  const hosts: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const opt = /^-([cisWwt])(.*)$/.exec(a);
    if (opt) {
      const v = opt[2] !== "" ? opt[2]! : argv[++i] ?? "";
      if (opt[1] === "c") count = Math.max(1, Number.parseInt(v, 10) || 1);
      if (opt[1] === "i") everyUs = Math.max(200_000, Math.round(Number.parseFloat(v) * SECOND) || SECOND);
      if (opt[1] === "w") deadline = Number.parseInt(v, 10) || null;
      continue;
    }
    if (a === "-q") quiet = true;
    else if (/^-[46nvfDO]+$/.test(a)) continue;
    else hosts.push(a);
  }
  const host = hosts[hosts.length - 1];
  if (host === undefined) {
    return done(busybox ? 1 : 2, "", busybox ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n" : "ping: usage error: Destination address required\n");
  }
  if (deadline !== null && count === null) count = deadline;
  const steps: NetStep[] = [];
  const lk = lookupName(place.world, place.src, host);
  const dns = dnsStep(lk);
  if (dns) steps.push(dns);
  if (lk.addresses.length === 0) {
    const text = busybox ? `ping: bad address '${host}'\n` : `ping: ${host}: ${lk.query === null && lk.server === "" ? "Temporary failure in name resolution" : "Name or service not known"}\n`;
    return { plan: plan("ping", steps, { status: busybox ? 1 : 2, chunks: [err(text)] }), writes: [] };
  }
  const ip = lk.addresses[0]!;
  const c = connect(place.world, place.src, ip, 0, "icmp");
  const named = parseIp4(host) === null;
  const header = busybox ? `PING ${host} (${ip}): 56 data bytes\n` : `PING ${host} (${ip}) 56(84) bytes of data.\n`;
  if (c.outcome === "unreachable" && c.decidedBy.kind === "route") {
    // No route at all (--network none, or only internal networks): the send itself fails.
    return { plan: plan("ping", steps, { status: busybox ? 1 : 2, chunks: busybox ? [out(header), err("ping: sendto: Network unreachable\n")] : [err("ping: connect: Network is unreachable\n")] }), writes: [] };
  }
  const label = busybox || !named ? ip : `${host} (${ip})`;
  const reply = quiet ? [] : [out(busybox ? `64 bytes from ${ip}: seq={seq} ttl=${c.ttl} time={rtt} ms\n` : `64 bytes from ${label}: icmp_seq={seq1} ttl=${c.ttl} time={rtt} ms\n`)];
  const probe = (last: boolean): NetStep => {
    const base = connStep(c, "icmp", 40, last ? 10 * SECOND : everyUs);
    return {
      ...base, onAnswer: reply, stopOnNoAnswer: false, gapUs: last ? 0 : Math.max(0, everyUs - base.rttUs - base.serverUs),
      // No answer: the next echo goes when the interval is over (waitUs), and nothing is printed.
      waitUs: last ? 10 * SECOND : everyUs,
    };
  };
  const stats = { style: busybox ? "busybox" as const : "iputils" as const, host, everyUs };
  if (count === null) return { plan: plan("ping", steps, { status: 0, chunks: [], stats }, [out(header)], probe(false)), writes: [] };
  for (let k = 0; k < count; k++) steps.push(probe(k === count - 1));
  return { plan: plan("ping", steps, { status: 0, chunks: [], stats }, [out(header)]), writes: [] };
}

// ---- httping ----

/**
 * httping 2.9 (Folkert van Heusden's; the DockerCoins exercise times rng and hasher with
 * `httping -c 3 localhost:8001`): a HEAD request (-G: GET) every second (-i), each on a new
 * connection, timed from connect to the reply's headers; -c stops after that many. Messages
 * and formats from its main.c and utils.c.
 */
export function httping(argv: readonly string[], place: ToolPlace): ToolResult {
  let count: number | null = null;
  let everyUs = SECOND;
  let get = false;
  let timeoutUs = 30 * SECOND;
  let hostOpt: string | null = null;
  let portOpt: number | null = null;
  let quiet = false;
  const targets: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const opt = /^-([cighptv])(.*)$/.exec(a);
    if (opt && "cihpt".includes(opt[1]!)) {
      const v = opt[2] !== "" ? opt[2]! : argv[++i];
      if (v === undefined) return done(1, "", `httping: option requires an argument -- '${opt[1]}'\n`);
      if (opt[1] === "c") count = Math.max(1, Number.parseInt(v, 10) || 1);
      if (opt[1] === "i") everyUs = Math.max(0, Math.round(Number.parseFloat(v) * SECOND) || 0);
      if (opt[1] === "h") hostOpt = v;
      if (opt[1] === "p") portOpt = Number.parseInt(v, 10) || 80;
      if (opt[1] === "t") timeoutUs = Math.max(1, Number.parseFloat(v) || 30) * SECOND;
      continue;
    }
    if (a === "-G" || a === "--get-request") get = true;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-g" || a === "--url") {
      const v = argv[++i];
      if (v === undefined) return done(1, "", "httping: option requires an argument -- 'g'\n");
      targets.push(v);
    } else if (/^-[sYSv]+$/.test(a)) continue;
    else if (a.startsWith("-")) return done(1, "", `httping: invalid option -- '${a.replace(/^-+/, "")[0] ?? ""}'\n`);
    else targets.push(a);
  }
  const text = targets[targets.length - 1] ?? (hostOpt !== null ? `${hostOpt}${portOpt !== null ? `:${portOpt}` : ""}` : null);
  if (text === null) return done(1, "", "No hostname/getrequest given\n");
  const u = parseUrl(text);
  if (u === null) return done(1, "", `Invalid URL: ${text}\n`);
  const port = portOpt ?? u.port;
  const url = `http://${u.host}:${port}${u.path}`;
  const steps: NetStep[] = [];
  const lk = lookupName(place.world, place.src, u.host);
  const dns = dnsStep(lk);
  if (dns) steps.push(dns);
  const stats = { style: "httping" as const, host: `http://${u.host}:${port}${u.path}`, everyUs };
  const start = quiet ? [] : [out(`PING ${u.host}:${port} (${u.path}):\n`)];
  if (lk.addresses.length === 0) {
    return { plan: plan("httping", steps, { status: 127, chunks: [err(`No valid IPv4 or IPv6 address found for ${u.host}\n`)] }, start), writes: [] };
  }
  const ip = lk.addresses[0]!;
  const c = connect(place.world, place.src, ip, port, "tcp");
  const res = c.outcome === "connected" ? respond(place, c, { ...u, port, text: url }, get ? "GET" : "HEAD", "") : null;
  const headerBytes = res === null ? 0 : `HTTP/1.1 ${res.status} ${res.reason}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`.length;
  // A refused connect is answered (an RST) but fails; a dropped one waits for the timeout.
  const refused = c.outcome === "refused" || (c.outcome === "unreachable" && c.decidedBy.kind === "route");
  const probe = (last: boolean): NetStep => ({
    ...connStep(c, "http", res?.serverUs ?? 0, timeoutUs),
    probe: true, failed: c.outcome !== "connected", stopOnNoAnswer: false,
    // Each probe's line, or its error; the next goes after the interval (httping sleeps between them).
    onAnswer: quiet ? [] : refused ? [err("error connecting to host: Connection refused\n")] : [out(`connected to ${ip}:${port} (${headerBytes} bytes), seq={seq} time={rtt2} ms \n`)],
    onNoAnswer: quiet ? [] : [err("timeout connecting to host\n")],
    gapUs: last ? 0 : everyUs,
  });
  if (count === null) return { plan: plan("httping", steps, { status: 0, chunks: [], stats }, start, probe(false)), writes: [] };
  for (let k = 0; k < count; k++) steps.push(probe(k === count - 1));
  return { plan: plan("httping", steps, { status: 0, chunks: [], stats }, start), writes: [] };
}

// ---- nslookup, getent ----

export function nslookup(argv: readonly string[], place: ToolPlace): ToolResult {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  const name = args[0];
  if (name === undefined) return done(1, "", "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n");
  const lk = lookupName(place.world, place.src, name);
  const server = lk.server === "" || lk.server === "/etc/hosts" ? (lk.query ? lk.server : "127.0.0.11") : lk.server;
  const head = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  const steps: NetStep[] = [];
  const dns = dnsStep(lk.query ? lk : { ...lk, query: lk.query });
  if (dns) steps.push(dns);
  if (lk.addresses.length === 0) {
    if (lk.query === null && lk.server === "") {
      return { plan: plan("nslookup", steps, { status: 1, chunks: [out(";; connection timed out; no servers could be reached\n\n")] }), writes: [] };
    }
    return { plan: plan("nslookup", steps, { status: 1, chunks: [out(`${head}** server can't find ${name}: NXDOMAIN\n\n** server can't find ${name}: NXDOMAIN\n\n`)] }), writes: [] };
  }
  const addrs = lk.addresses.map((a) => `Name:\t${name}\nAddress: ${a}\n`).join("");
  const text = `${head}Non-authoritative answer:\n${addrs}\nNon-authoritative answer:\n*** Can't find ${name}: No answer\n\n`;
  return { plan: plan("nslookup", steps, { status: 0, chunks: [out(text)] }), writes: [] };
}

export function getent(argv: readonly string[], place: ToolPlace): ToolResult {
  const db = argv[1];
  if (db === undefined) return done(1, "", "Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.\n");
  if (db !== "hosts" && db !== "ahosts" && db !== "ahostsv4") return done(2, "", "");
  const keys = argv.slice(2);
  if (keys.length === 0) return done(0, "127.0.0.1       localhost\n", "");
  const steps: NetStep[] = [];
  let text = "";
  let status = 0;
  for (const k of keys) {
    const lk = lookupName(place.world, place.src, k);
    const dns = dnsStep(lk);
    if (dns) steps.push(dns);
    if (lk.addresses.length === 0) {
      status = 2;
      continue;
    }
    if (db === "hosts") text += `${lk.addresses[0]!.padEnd(15)} ${k}\n`;
    else for (const a of lk.addresses) text += `${a.padEnd(15)} STREAM ${k}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`;
  }
  return { plan: plan("getent", steps, { status, chunks: text === "" ? [] : [out(text)] }), writes: [] };
}

// ---- ip, hostname -i (no traffic: the container's own interfaces) ----

function ifIndexOf(engine: EngineState, endpointId: string): number {
  let i = 0;
  for (const id of engine.networks.endpoints.keys()) {
    if (id === endpointId) return 5 + i * 2;
    i++;
  }
  return 5;
}

/** `ip addr` / `ip route` in a container (BusyBox's formats), or at a host (iproute2's). */
export function ipTool(argv: readonly string[], place: ToolPlace): ToolResult {
  const obj = argv[1] ?? "";
  const host = place.world.hosts.find((h) => h.name === place.src.host)!;
  const engine = host.engine;
  const own = place.src.container === null ? undefined : engine.containers.get(place.src.container);
  const c = own === undefined ? null : netOwner(engine, own);
  const isAddr = /^(a|ad|add|addr|addre|addres|address)$/.test(obj);
  const isRoute = /^(r|ro|rou|rout|route)$/.test(obj);
  if (!isAddr && !isRoute && obj !== "link" && obj !== "l") {
    return done(obj === "" ? 1 : 1, "", obj === "" ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n" : `ip: can't find object "${obj}"\n`);
  }
  const lo = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n` +
    (isAddr ? "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n" : "");
  if (c !== null && c.hostConfig.networkMode !== "host") {
    const eps = c.run ? endpointsOf(engine.networks, c.id).filter((e) => e.ip !== null) : [];
    if (isRoute) {
      const gw = c.run ? gatewayEndpoint(engine.networks, c.id) : null;
      let text = "";
      if (gw) text += `default via ${formatIp4(engine.networks.networks.get(gw.networkId)!.gateway!)} dev ${gw.ifName} \n`;
      for (const e of eps) {
        const n = engine.networks.networks.get(e.networkId)!;
        text += `${formatIp4(n.subnet!.addr)}/${n.subnet!.bits} dev ${e.ifName} scope link  src ${formatIp4(e.ip!)} \n`;
      }
      return done(0, text);
    }
    let text = lo;
    eps.forEach((e, i) => {
      const n = engine.networks.networks.get(e.networkId)!;
      const bits = n.subnet!.bits;
      const brd = formatIp4((e.ip! | (2 ** (32 - bits) - 1)) >>> 0);
      text += `${i + 2}: ${e.ifName}@if${ifIndexOf(engine, e.id)}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP \n    link/ether ${e.mac} brd ff:ff:ff:ff:ff:ff\n`;
      if (isAddr) text += `    inet ${formatIp4(e.ip!)}/${bits} brd ${brd} scope global ${e.ifName}\n       valid_lft forever preferred_lft forever\n`;
    });
    return done(0, text);
  }
  // The host (or a --network host container): eth0 on the LAN, docker0 and the user-defined bridges, the veths.
  const bridges = [...engine.networks.networks.values()].filter((n) => n.driver === "bridge" && n.subnet !== null);
  if (isRoute) {
    let text = "default via 10.0.0.1 dev eth0 \n10.0.0.0/24 dev eth0 proto kernel scope link src " + host.ip + " \n";
    for (const n of bridges) {
      const used = [...engine.networks.endpoints.values()].some((e) => e.networkId === n.id);
      text += `${formatIp4(n.subnet!.addr)}/${n.subnet!.bits} dev ${n.bridge} proto kernel scope link src ${formatIp4(n.gateway!)} ${used ? "" : "linkdown "}\n`;
    }
    return done(0, text);
  }
  const lastOctet = Number(host.ip.split(".")[3]);
  let text = `${lo}${isAddr ? "    inet6 ::1/128 scope host noprefixroute \n       valid_lft forever preferred_lft forever\n" : ""}`;
  text += `2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    link/ether 52:54:00:12:34:${lastOctet.toString(16).padStart(2, "0")} brd ff:ff:ff:ff:ff:ff\n`;
  if (isAddr) text += `    altname enp0s3\n    inet ${host.ip}/24 brd 10.0.0.255 scope global eth0\n       valid_lft forever preferred_lft forever\n`;
  bridges.forEach((n, i) => {
    const used = [...engine.networks.endpoints.values()].some((e) => e.networkId === n.id);
    const state = used ? "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP" : "<NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN";
    const mac = `02:42:${n.id.slice(0, 2)}:${n.id.slice(2, 4)}:${n.id.slice(4, 6)}:${n.id.slice(6, 8)}`;
    text += `${3 + i}: ${n.bridge}: ${state} group default \n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff\n`;
    const bits = n.subnet!.bits;
    if (isAddr) text += `    inet ${formatIp4(n.gateway!)}/${bits} brd ${formatIp4((n.subnet!.addr | (2 ** (32 - bits) - 1)) >>> 0)} scope global ${n.bridge}\n       valid_lft forever preferred_lft forever\n`;
  });
  for (const e of engine.networks.endpoints.values()) {
    if (e.vethHost === "") continue;
    const n = engine.networks.networks.get(e.networkId)!;
    text += `${ifIndexOf(engine, e.id)}: ${e.vethHost}@if${2 + endpointsOf(engine.networks, e.containerId).indexOf(e)}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master ${n.bridge} state UP group default \n    link/ether ${e.mac.replace(/^02:42/, "1a:2b")} brd ff:ff:ff:ff:ff:ff link-netnsid ${[...engine.networks.sandboxes.keys()].indexOf(e.containerId)}\n`;
  }
  return done(0, text);
}

/** `hostname -i` / `-I`: the addresses of the hostname (a container's own from /etc/hosts), all of a host's. */
export function hostnameTool(argv: readonly string[], place: ToolPlace): ToolResult | null {
  const flag = argv[1];
  if (flag !== "-i" && flag !== "-I") return null;
  const host = place.world.hosts.find((h) => h.name === place.src.host)!;
  const own = place.src.container === null ? undefined : host.engine.containers.get(place.src.container);
  const c = own === undefined ? null : netOwner(host.engine, own);
  if (c !== null && c.hostConfig.networkMode !== "host") {
    const ips = c.run ? endpointsOf(host.engine.networks, c.id).filter((e) => e.ip !== null).map((e) => formatIp4(e.ip!)) : [];
    if (ips.length === 0) return done(1, "", "hostname: bad address\n");
    return done(0, flag === "-i" ? `${ips[0]}\n` : `${ips.join(" ")} \n`);
  }
  if (flag === "-i") return done(0, "127.0.1.1\n");
  const bridges = [...host.engine.networks.networks.values()].filter((n) => n.driver === "bridge" && n.gateway !== null).map((n) => formatIp4(n.gateway!));
  return done(0, `${[host.ip, ...bridges].join(" ")} \n`);
}

// ---- iptables at the host ----

export function iptables(argv: readonly string[], place: ToolPlace): ToolResult {
  const host = place.world.hosts.find((h) => h.name === place.src.host)!;
  const rules = firewallRules(host.engine.networks);
  if (argv[0] === "iptables-save") return done(0, `# Generated by iptables-save v1.8.9 (nf_tables)\n${formatIptablesSave(rules).replace(/COMMIT\n/g, "COMMIT\n# Completed\n")}`);
  let table: "filter" | "nat" | "raw" = "filter";
  let mode: "L" | "S" | null = null;
  let chain: string | undefined;
  let numeric = false;
  let verbose = false;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-t" || a === "--table") {
      const t = args[++i];
      if (t !== "filter" && t !== "nat" && t !== "raw") return done(3, "", `iptables v1.8.9 (nf_tables): table '${t ?? ""}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`);
      table = t;
    } else if (/^-[LSnv]+$/.test(a) || a === "--list" || a === "--list-rules") {
      if (a.includes("L") || a === "--list") mode = "L";
      if (a.includes("S") || a === "--list-rules") mode = "S";
      if (a.includes("n")) numeric = true;
      if (a.includes("v")) verbose = true;
      if ((mode !== null) && args[i + 1] !== undefined && !args[i + 1]!.startsWith("-")) chain = args[++i];
    } else if (a === "--numeric") numeric = true;
    else if (a === "--verbose") verbose = true;
    else if (a.startsWith("-")) return done(2, "", `iptables v1.8.9 (nf_tables): drydock simulates iptables -L, -S and -t only (not ${a})\nTry \`iptables -h' or 'iptables --help' for more information.\n`);
  }
  if (mode === null) return done(2, "", "iptables v1.8.9 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n");
  const known = new Set(rules.filter((r) => r.table === table).map((r) => r.chain));
  const builtin = table === "filter" ? ["INPUT", "FORWARD", "OUTPUT"] : table === "nat" ? ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"] : ["PREROUTING", "OUTPUT"];
  if (chain !== undefined && !known.has(chain) && !builtin.includes(chain) && !(table === "filter" ? ["DOCKER", "DOCKER-BRIDGE", "DOCKER-CT", "DOCKER-FORWARD", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"] : table === "nat" ? ["DOCKER"] : []).includes(chain)) {
    return done(1, "", `iptables v1.8.9 (nf_tables): chain \`${chain}' in table \`${table}' is incompatible, use 'nft' tool.\n`);
  }
  if (mode === "S") return done(0, formatIptablesS(rules, table, chain));
  return done(0, formatIptablesList(rules, { table, ...(chain !== undefined ? { chain } : {}), numeric, verbose }));
}

// ---- dispatch ----

/** Plans a network tool, or null when it is not one (or is one of these run in a way planned elsewhere). */
export function netTool(argv: readonly string[], place: ToolPlace): ToolResult | null {
  const name = (argv[0] ?? "").replace(/^.*\//, "");
  switch (name) {
    case "curl": return curl(argv, place);
    case "wget": return wget(argv, place);
    case "ping": return ping(argv, place);
    case "httping": return httping(argv, place);
    case "nslookup": return nslookup(argv, place);
    case "getent": return getent(argv, place);
    case "ip": return ipTool(argv, place);
    case "hostname": return hostnameTool(argv, place);
    case "iptables": case "iptables-save": return iptables(argv, place);
  }
  return null;
}

/**
 * A plan run at once, as a batch run does (a script in a container): its output with the times
 * the estimates give, its duration and exit status. A repeating plan (ping without -c) is cut at
 * `horizonUs`.
 */
export function batchRun(p: NetPlan, horizonUs: Micros): { lines: { at: Micros; stream: "stdout" | "stderr"; text: string }[]; durationUs: Micros; status: number } {
  const lines: { at: Micros; stream: "stdout" | "stderr"; text: string }[] = [];
  let t = 0;
  const emit = (chunks: readonly OutputChunk[], rtt: Micros | null, seq: number) => {
    for (const c of chunks) {
      const text = c.text.replace(/\{rtt2\}/g, rtt === null ? "" : (rtt / 1000).toFixed(2)).replace(/\{rtt\}/g, rtt === null ? "" : msText(rtt)).replace(/\{seq1\}/g, String(seq + 1)).replace(/\{seq\}/g, String(seq));
      if (text !== "") lines.push({ at: t, stream: c.fd === 2 ? "stderr" : "stdout", text });
    }
  };
  emit(p.start, null, 0);
  const rtts: Micros[] = [];
  let sent = 0;
  let noAnswer = false;
  let i = 0;
  const seqBase = p.steps.filter((s) => !isProbe(s)).length;
  for (;;) {
    const step = i < p.steps.length ? p.steps[i] : p.repeat;
    if (!step || t >= horizonUs) break;
    sent++;
    if (step.answered) {
      const rtt = step.rttUs + step.serverUs + (step.kind === "icmp" ? Math.floor(unit(`${step.from}/${step.to}/${i}`) * Math.min(80, 2 * step.serverUs)) : 0);
      t += rtt;
      if (step.failed !== true) rtts.push(rtt);
      emit(step.onAnswer, rtt, i - seqBase);
      t += step.gapUs;
    } else {
      t += step.waitUs;
      noAnswer = true;
      emit(step.onNoAnswer, null, i - seqBase);
      if (step.stopOnNoAnswer) break;
      t += step.gapUs;
    }
    i++;
  }
  const e = p.end;
  let status = e.status;
  if (e.stats) {
    // The statistics count the echoes (the DNS query before them is not one).
    const probes = sent - seqBase;
    const echoRtts = rtts.slice(p.steps.slice(0, seqBase).filter((s) => s.answered && s.failed !== true).length);
    emit([{ fd: 1, text: pingStats(e.stats, probes, echoRtts, e.stats.style === "httping" ? t : Math.max(0, (probes - 1) * e.stats.everyUs)) }], null, 0);
    status = echoRtts.length > 0 ? 0 : e.stats.style === "httping" ? 127 : 1;
  } else if (noAnswer && e.chunksOnNoAnswer) {
    emit(e.chunksOnNoAnswer, null, 0);
    status = e.statusOnNoAnswer ?? 1;
  } else emit(e.chunks, null, 0);
  return { lines, durationUs: t, status };
}

/**
 * `docker exec web curl db` (not detached, no terminal): the tool's requests go through the
 * kernel as the line waits, as at an attached shell. Null when it is not a network tool with
 * requests to send (the batch run handles it then: usage errors, `ip addr`, files to save).
 */
export function execNetTool(
  argv: readonly string[], place: Omit<ToolPlace, "busybox">, fs: import("../fs/index.js").FsDir,
): NetPlan | null {
  const name = (argv[0] ?? "").replace(/^.*\//, "");
  if (!NET_TOOLS.has(name) || name === "iptables" || name === "iptables-save" || name === "ip" || name === "hostname") return null;
  const busybox = fs.entries.get("bin")?.kind === "dir" && (fs.entries.get("bin") as import("../fs/index.js").FsDir).entries.has("busybox");
  if (name === "curl" || name === "wget") {
    const url = argv.slice(1).find((a) => !a.startsWith("-") && /^(https?:\/\/)?[\w.-]+(:\d+)?(\/|$)/.test(a));
    const host = url?.replace(/^https?:\/\//, "").split(/[/:]/)[0] ?? "";
    const lk = host === "" ? null : lookupName(place.world, place.src, host);
    // A download from the internet is the RUN interpreter's; a well-known site answers here (QA #12).
    if (lk && lk.addresses.length > 0 && lk.addresses[0] === internetAddress(host) && !isWellKnownSite(host)) return null;
  }
  const r = netTool([name, ...argv.slice(1)], { ...place, busybox });
  if (r === null || "outcome" in r || r.writes.length > 0) return null;
  return r.plan;
}
