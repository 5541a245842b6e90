// What a server in a container answers to an HTTP request, as the real one does: nginx and httpd
// serve the files of their document roots (nginx's welcome page, httpd's "It works!") with their
// own headers and error pages; Flask, Sinatra and Express apps answer from their routes (read
// from their source by ../programs/apps.ts); the registry its API; a server that does not speak
// HTTP (redis, postgres) closes the connection. How long the answer takes is the route's own time,
// plus the queue under the load the client loops put on it (load.ts).
import { MICROS_PER_MS, type Micros } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import type { EngineState } from "../engine.js";
import type { Container } from "../containers/types.js";
import { viewOf } from "../containers/mounts.js";
import type { FsDir, FsNode } from "../fs/index.js";
import { routeMatch } from "../programs/apps.js";
import { dateParts, hash32, isoMillis, MONTHS, pad, WEEKDAYS } from "../util/det.js";
import { appOfContainer, clientLoads, hashCounter, serverLatency } from "./load.js";

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** The Host header (the name the client used, with its port when not 80). */
  readonly host: string;
  readonly body: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  /** In the order the server sends them. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** The body is random bytes (curl warns before printing them to a terminal). */
  readonly binary: boolean;
  /** The server closed the connection without a response (curl: (52) Empty reply from server). */
  readonly emptyReply: boolean;
  /** Time the server took to answer. */
  readonly serverUs: Micros;
}

/** The side of a server a request reaches: its engine and host disk, and the container. */
export interface ServerPlace {
  readonly engine: EngineState;
  readonly hostFs: FsDir;
  readonly container: Container;
  readonly program: string;
  readonly port: number;
  /** Repositories of the registry at this address, when it is one (GET /v2/_catalog). */
  readonly catalog?: readonly string[];
}

/** RFC 7231's IMF-fixdate: "Thu, 01 Jan 2026 00:00:05 GMT". */
export function httpDate(us: Micros): string {
  const d = dateParts(us);
  return `${WEEKDAYS[d.weekday]}, ${pad(d.day)} ${MONTHS[d.month - 1]} ${d.year} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)} GMT`;
}

/** The welcome page nginx 1.27 ships in /usr/share/nginx/html/index.html (615 bytes). */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The image catalogue keeps a short stand-in of the welcome page (small layers); nginx serves the real one in its place. */
const NGINX_STAND_IN = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n";
/** nginx 1.27.2's release: the welcome page's mtime in the image. */
const NGINX_PAGE_MTIME_UNIX = 1_727_882_000;

const bytes = (text: string) => new TextEncoder().encode(text).length;

function nodeAt(fs: FsDir, path: string): FsNode | undefined {
  let node: FsNode = fs;
  for (const name of path.split("/")) {
    if (name === "" || name === ".") continue;
    if (node.kind !== "dir") return undefined;
    const next: FsNode | undefined = node.entries.get(name);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

const CONTENT_TYPES = new Map([
  ["html", "text/html"], ["htm", "text/html"], ["css", "text/css"], ["js", "application/javascript"], ["json", "application/json"],
  ["txt", "text/plain"], ["png", "image/png"], ["jpg", "image/jpeg"], ["gif", "image/gif"], ["svg", "image/svg+xml"], ["ico", "image/x-icon"],
]);

const typeOf = (path: string) => CONTENT_TYPES.get(path.slice(path.lastIndexOf(".") + 1).toLowerCase()) ?? "application/octet-stream";

function response(status: number, reason: string, headers: [string, string][], body: string, serverUs: Micros, binary = false): HttpResponse {
  return { status, reason, headers, body, binary, emptyReply: false, serverUs };
}

const EMPTY: Omit<HttpResponse, "serverUs"> = { status: 0, reason: "", headers: [], body: "", binary: false, emptyReply: true };

/** A file of a document root: the path cleaned of "..", an index for a directory. */
function docFile(fs: FsDir, root: string, urlPath: string, index = "index.html"): { path: string; node: FsNode | undefined; dir: boolean } {
  const clean = urlPath.split("?")[0]!.split("/").filter((p) => p !== "" && p !== "." && p !== "..").join("/");
  let path = `${root}/${clean}`.replace(/\/$/, "");
  let node = nodeAt(fs, path);
  let dir = false;
  if (node?.kind === "dir") {
    dir = true;
    path = `${path}/${index}`;
    node = nodeAt(fs, path);
  }
  return { path, node, dir };
}

function nginx(req: HttpRequest, fs: FsDir, now: Micros, version: string): HttpResponse {
  const date = httpDate(now);
  const server = `nginx/${version}`;
  const err = (status: number, reason: string) => {
    const body = `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
    return response(status, reason, [["Server", server], ["Date", date], ["Content-Type", "text/html"], ["Content-Length", String(bytes(body))], ["Connection", "keep-alive"]], body, 300);
  };
  if (req.method !== "GET" && req.method !== "HEAD") return err(405, "Not Allowed");
  const f = docFile(fs, "/usr/share/nginx/html", req.path);
  if (f.node === undefined || f.node.kind !== "file") return f.dir ? err(403, "Forbidden") : err(404, "Not Found");
  const stand = f.node.text === NGINX_STAND_IN && f.node.blob === undefined;
  const text = stand ? NGINX_WELCOME : f.node.text;
  const mtimeUnix = stand ? NGINX_PAGE_MTIME_UNIX : dateParts(f.node.mtime).unix;
  const size = f.node.blob?.size ?? bytes(text);
  return response(200, "OK", [
    ["Server", server], ["Date", date], ["Content-Type", typeOf(f.path)], ["Content-Length", String(size)],
    ["Last-Modified", httpDate((mtimeUnix - dateParts(0).unix) * 1_000_000)], ["Connection", "keep-alive"],
    ["ETag", `"${mtimeUnix.toString(16)}-${size.toString(16)}"`], ["Accept-Ranges", "bytes"],
  ], req.method === "HEAD" ? "" : text, 300);
}

function httpd(req: HttpRequest, fs: FsDir, now: Micros): HttpResponse {
  const date = httpDate(now);
  const server = "Apache/2.4.62 (Unix)";
  const f = docFile(fs, "/usr/local/apache2/htdocs", req.path);
  if (f.node === undefined || f.node.kind !== "file") {
    const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`;
    return response(404, "Not Found", [["Date", date], ["Server", server], ["Content-Length", String(bytes(body))], ["Content-Type", "text/html; charset=iso-8859-1"]], body, 400);
  }
  const size = f.node.blob?.size ?? bytes(f.node.text);
  const mtimeUs = dateParts(f.node.mtime).unix * 1_000_000;
  return response(200, "OK", [
    ["Date", date], ["Server", server], ["Last-Modified", httpDate(f.node.mtime)], ["ETag", `"${size.toString(16)}-${mtimeUs.toString(16)}"`],
    ["Accept-Ranges", "bytes"], ["Content-Length", String(size)], ["Content-Type", typeOf(f.path)],
  ], req.method === "HEAD" ? "" : f.node.text, 400);
}

function registryApi(req: HttpRequest, now: Micros, catalog: readonly string[]): HttpResponse {
  const base: [string, string][] = [["Content-Type", "application/json; charset=utf-8"], ["Docker-Distribution-Api-Version", "registry/2.0"], ["X-Content-Type-Options", "nosniff"], ["Date", httpDate(now)]];
  const path = req.path.split("?")[0]!;
  if (path === "/v2/" || path === "/v2") return response(200, "OK", [["Content-Length", "2"], ...base], "{}", 800);
  if (path === "/v2/_catalog") {
    const body = `${JSON.stringify({ repositories: [...catalog] })}\n`;
    return response(200, "OK", [["Content-Length", String(bytes(body))], ...base], body, 900);
  }
  if (path === "/") return response(200, "OK", [["Cache-Control", "no-cache"], ["Date", httpDate(now)], ["Content-Length", "0"]], "", 500);
  const body = "404 page not found\n";
  return response(404, "Not Found", [["Content-Type", "text/plain; charset=utf-8"], ["X-Content-Type-Options", "nosniff"], ["Date", httpDate(now)], ["Content-Length", String(bytes(body))]], body, 500);
}

function randomBytes(seed: string, n: number): string {
  let out = "";
  for (let i = 0; out.length < n; i++) out += String.fromCharCode(...sha256Digest(`${seed}/${i}`).slice(7).match(/../g)!.map((h) => parseInt(h, 16)).filter((b) => b !== 10));
  return out.slice(0, n);
}

/** Answers a request that reached `place`'s program at `now`. */
export function serveHttp(place: ServerPlace, req: HttpRequest, now: Micros): HttpResponse {
  const c = place.container;
  const r = c.run;
  if (r === null) return { ...EMPTY, serverUs: 0 };
  const fs = viewOf(c, { engine: place.engine, hostFs: place.hostFs, tmpfs: r.tmpfs }, now);
  const env = new Map(r.spec.env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)] as const));
  switch (place.program) {
    case "nginx": return nginx(req, fs, now, env.get("NGINX_VERSION") ?? "1.27.2");
    case "httpd": return httpd(req, fs, now);
    case "registry": return registryApi(req, now, place.catalog ?? []);
    case "java": {
      const body = JSON.stringify({ timestamp: isoMillis(now).replace(/Z$/, "+00:00"), status: 404, error: "Not Found", path: req.path });
      return response(404, "", [["Content-Type", "application/json"], ["Transfer-Encoding", "chunked"], ["Date", httpDate(now)]], body, 3 * MICROS_PER_MS);
    }
  }
  const app = appOfContainer(place.engine, place.hostFs, c, now);
  if (app === null) {
    if (place.program === "node") {
      const body = "";
      return response(200, "OK", [["Date", httpDate(now)], ["Connection", "keep-alive"], ["Keep-Alive", "timeout=5"], ["Content-Length", "0"]], body, MICROS_PER_MS);
    }
    return { ...EMPTY, serverUs: MICROS_PER_MS };
  }
  const path = req.path.split("?")[0]!;
  const route = app.routes.find((x) => (x.method === req.method || (req.method === "HEAD" && x.method === "GET")) && routeMatch(x.pattern, path));
  const date = httpDate(now);
  const own = route ? route.sleepUs : 0;
  const waitUs = route ? serverLatency(clientLoads(place.engine, place.hostFs, now), c.id, route.method, path, own) : own;
  const serverUs = Math.max(own, waitUs) + MICROS_PER_MS;
  const head = req.method === "HEAD";
  if (app.framework === "flask" || app.framework === "python") {
    const wz: [string, string][] = [["Server", "Werkzeug/3.0.4 Python/3.12.7"], ["Date", date]];
    if (!route) {
      const body = `<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n`;
      return response(404, "NOT FOUND", [...wz, ["Content-Type", "text/html; charset=utf-8"], ["Content-Length", String(bytes(body))], ["Connection", "close"]], body, serverUs);
    }
    if (route.body.kind === "random-bytes") {
      const n = Number(/(\d+)$/.exec(path)?.[1] ?? 0);
      const body = randomBytes(`${c.id}/${now}/${path}`, Math.min(n, 65_536));
      return response(200, "OK", [...wz, ["Content-Type", "application/octet-stream"], ["Content-Length", String(body.length)], ["Connection", "close"]], head ? "" : body, serverUs, true);
    }
    const body = route.body.kind === "text" ? route.body.text : "";
    return response(200, "OK", [...wz, ["Content-Type", "text/html; charset=utf-8"], ["Content-Length", String(bytes(body))], ["Connection", "close"]], head ? "" : body, serverUs);
  }
  if (app.framework === "sinatra") {
    const common: [string, string][] = [["X-Xss-Protection", "1; mode=block"], ["X-Content-Type-Options", "nosniff"], ["X-Frame-Options", "SAMEORIGIN"], ["Connection", "keep-alive"], ["Server", "thin"]];
    if (!route) {
      const body = `<!DOCTYPE html>\n<html>\n<head>\n  <style type="text/css">\n  body { text-align:center;font-family:helvetica,arial;font-size:22px;\n    color:#888;margin:20px}\n  #c {margin:0 auto;width:500px;text-align:left}\n  </style>\n</head>\n<body>\n  <h2>Sinatra doesn&rsquo;t know this ditty.</h2>\n</body>\n</html>\n`;
      return response(404, "Not Found", [["Content-Type", "text/html;charset=utf-8"], ["X-Cascade", "pass"], ["Content-Length", String(bytes(body))], ...common], body, serverUs);
    }
    const body = route.body.kind === "sha256" ? sha256Digest(req.body).slice(7) : route.body.kind === "text" ? route.body.text : "";
    const type = route.body.kind === "sha256" ? "text/plain;charset=utf-8" : "text/html;charset=utf-8";
    return response(200, "OK", [["Content-Type", type], ["Content-Length", String(bytes(body))], ...common], head ? "" : body, serverUs);
  }
  // Express (or node's http).
  const express: [string, string][] = [["X-Powered-By", "Express"]];
  const done = (status: number, reason: string, type: string, body: string) => {
    const etag = `W/"${bytes(body).toString(16)}-${hash32(body).toString(36).slice(0, 6)}"`;
    return response(status, reason, [...(app.framework === "express" ? express : []), ["Content-Type", type], ["Content-Length", String(bytes(body))], ...(status === 200 ? [["ETag", etag] as [string, string]] : []), ["Date", date], ["Connection", "keep-alive"]], head ? "" : body, serverUs);
  };
  if (route) {
    if (route.body.kind === "hash-counter") {
      const coins = 0;
      const body = JSON.stringify({ coins, hashes: hashCounter(place.engine, now), now: Math.round(now / 1_000) / 1_000 + dateParts(0).unix });
      return done(200, "OK", "application/json; charset=utf-8", body);
    }
    const text = route.body.kind === "text" || route.body.kind === "json" ? route.body.text : "";
    return done(200, "OK", route.body.kind === "json" ? "application/json; charset=utf-8" : "text/html; charset=utf-8", text);
  }
  if (app.staticDir !== null) {
    const f = docFile(fs, app.staticDir, path);
    if (f.node?.kind === "file") {
      const r2 = done(200, "OK", `${typeOf(f.path)}${typeOf(f.path).startsWith("text/") ? "; charset=UTF-8" : ""}`, f.node.text);
      return { ...r2, headers: [...r2.headers.slice(0, 1), ["Accept-Ranges", "bytes"], ["Cache-Control", "public, max-age=0"], ["Last-Modified", httpDate(f.node.mtime)], ...r2.headers.slice(1)] };
    }
  }
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${req.method} ${path}</pre>\n</body>\n</html>\n`;
  return done(404, "Not Found", "text/html; charset=utf-8", body);
}

/** Servers that close the connection on an HTTP request (redis, postgres, …): curl's "Empty reply from server". */
export const NOT_HTTP = new Set(["redis-server", "postgres", "mysqld", "mongod"]);
