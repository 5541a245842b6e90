import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

/** A plain static file server that serves `dir` under `prefix` (a site deployed in a subfolder). */
export async function serveStatic(dir: string, prefix: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (!path.startsWith(prefix)) { res.writeHead(404).end(); return; }
    const rel = normalize(path.slice(prefix.length) || "index.html").replace(/^(\.\.[/\\])+/, "");
    try {
      const body = await readFile(join(dir, rel.endsWith("/") || rel === "" ? "index.html" : rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}${prefix}`, close: () => new Promise((r) => server.close(() => r())) };
}
