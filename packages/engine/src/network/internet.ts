// The simulated internet beyond the world's LAN (QA 2026-11-30 #12): which names resolve, to which
// addresses, and what a web request to them answers. See README.md, "The internet".
//
// - A few well-known sites the course and its exercises reach (example.com, google.com, docker.com,
//   hub.docker.com, github.com, …) resolve to one of their real addresses and answer HTTP as they do:
//   example.com its real page; the others their real redirect (http → https, or google.com →
//   www.google.com) and, on the final URL, a short stand-in of their page.
// - Names under the special-use domains of RFC 6761 / RFC 2606 (.invalid, .test, .example,
//   .localhost), mDNS's .local (RFC 6762) and .onion (RFC 7686) never resolve: NXDOMAIN, so curl
//   says "Could not resolve host" and BusyBox wget "bad address".
// - A name whose last label is not a top-level domain (a bare word is the LAN's business, see
//   traffic.ts) does not resolve either.
// - Any other public-looking name resolves to an address derived from the name: drydock cannot know
//   every real name, and Dockerfiles download from many (mirrors, release pages), which the RUN
//   interpreter simulates. A web request to such a name answers a generic page that says it is
//   drydock's stand-in.
import type { Micros } from "@drydock/kernel";
import { unit } from "../util/det.js";
import type { HttpResponse } from "./http.js";

/** One well-known site: its address and its answers over http and https. */
interface Site {
  readonly ip: string;
  /** On http://: a redirect to this URL (the site's real Location), or null when it serves there. */
  readonly httpRedirect: string | null;
  /** The page it serves at "/" where it serves (on https, or http when there is no redirect). */
  readonly page: string;
  readonly server: string;
}

// example.com's page as IANA serves it since 2025 (one line; Content-Type text/html).
const EXAMPLE_PAGE =
  '<!doctype html><html lang="en"><head><title>Example Domain</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{background:#eee;width:60vw;margin:15vh auto;font-family:system-ui,sans-serif}h1{font-size:1.5em}div{opacity:0.8}a:link,a:visited{color:#348}</style><body><div><h1>Example Domain</h1><p>This domain is for use in documentation examples without needing permission. Avoid use in operations.<p><a href="https://iana.org/domains/example">Learn more</a></div></body></html>\n';

const standIn = (title: string) =>
  `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1></body>\n</html>\n`;

const SITES: ReadonlyMap<string, Site> = new Map<string, Site>([
  ["example.com", { ip: "23.192.228.80", httpRedirect: null, page: EXAMPLE_PAGE, server: "" }],
  ["www.example.com", { ip: "23.215.0.136", httpRedirect: null, page: EXAMPLE_PAGE, server: "" }],
  ["example.org", { ip: "23.192.228.84", httpRedirect: null, page: EXAMPLE_PAGE, server: "" }],
  ["example.net", { ip: "23.192.228.81", httpRedirect: null, page: EXAMPLE_PAGE, server: "" }],
  ["google.com", { ip: "142.250.185.78", httpRedirect: "http://www.google.com/", page: "", server: "gws" }],
  ["www.google.com", { ip: "142.250.185.68", httpRedirect: null, page: standIn("Google"), server: "gws" }],
  ["docker.com", { ip: "141.193.213.10", httpRedirect: "https://www.docker.com/", page: "", server: "cloudflare" }],
  ["www.docker.com", { ip: "141.193.213.21", httpRedirect: "https://www.docker.com/", page: standIn("Docker: Accelerated Container Application Development"), server: "cloudflare" }],
  ["hub.docker.com", { ip: "44.219.3.189", httpRedirect: "https://hub.docker.com/", page: standIn("Docker Hub Container Image Library | App Containerization"), server: "" }],
  ["docs.docker.com", { ip: "18.66.112.64", httpRedirect: "https://docs.docker.com/", page: standIn("Docker Docs"), server: "CloudFront" }],
  ["github.com", { ip: "140.82.121.4", httpRedirect: "https://github.com/", page: standIn("GitHub · Build and ship software on a single, collaborative platform · GitHub"), server: "" }],
  ["kubernetes.io", { ip: "147.75.40.148", httpRedirect: "https://kubernetes.io/", page: standIn("Kubernetes"), server: "Netlify" }],
]);

/** RFC 6761 / RFC 2606 special-use names, RFC 6762's .local and RFC 7686's .onion: never in the DNS. */
const SPECIAL_USE = new Set(["invalid", "test", "example", "localhost", "local", "onion"]);

/** Top-level domains a public name may end in (the common generic and country ones). */
const TLDS = new Set([
  "com", "org", "net", "io", "dev", "app", "edu", "gov", "mil", "int", "info", "biz", "cloud", "co", "me", "ai", "sh", "xyz", "tech", "site",
  "online", "page", "run", "docker", "uk", "de", "fr", "nl", "be", "ch", "at", "it", "es", "pt", "se", "no", "dk", "fi", "pl", "cz", "ie",
  "us", "ca", "mx", "br", "ar", "au", "nz", "jp", "cn", "kr", "in", "sg", "hk", "tw", "ru", "ua", "za", "eu", "tv", "cc", "ly", "gl", "so",
]);

const normal = (name: string) => name.toLowerCase().replace(/\.$/, "");

/** A well-known site's record, or undefined. */
function siteOf(name: string): Site | undefined {
  return SITES.get(normal(name));
}

/** Whether the name is one of the well-known sites drydock serves with their real answers. */
export function isWellKnownSite(name: string): boolean {
  return siteOf(name) !== undefined;
}

/**
 * The address the internet's DNS gives a name: a well-known site's real one, a derived public one
 * for any other public-looking name, null (NXDOMAIN) for special-use domains, unknown top-level
 * domains and bare words.
 */
export function internetAddress(name: string): string | null {
  const n = normal(name);
  const site = siteOf(n);
  if (site) return site.ip;
  if (!n.includes(".") || /^\d+(\.\d+)*$/.test(n)) return null;
  const labels = n.split(".");
  if (labels.some((l) => l === "" || !/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/.test(l))) return null;
  const tld = labels[labels.length - 1]!;
  if (SPECIAL_USE.has(tld) || !TLDS.has(tld)) return null;
  const h = Math.floor(unit(n) * 0xffffff);
  return `142.${(h >> 16) & 255}.${(h >> 8) & 255}.${(h & 254) + 1}`;
}

/** What a web server on the internet answers one request (`host` without its port). */
export function internetResponse(req: { scheme: "http" | "https"; host: string; path: string; method: string }): HttpResponse {
  const site = siteOf(req.host);
  const head = req.method === "HEAD";
  const serverUs: Micros = 20_000;
  const headers = (type: string, body: string, extra: [string, string][] = []): [string, string][] => [
    ...extra, ["Content-Type", type], ...(site?.server ? [["Server", site.server] as [string, string]] : []), ["Content-Length", String(body.length)],
  ];
  const ok = (body: string): HttpResponse => ({ status: 200, reason: "OK", headers: headers("text/html; charset=UTF-8", body), body: head ? "" : body, binary: false, emptyReply: false, serverUs });
  if (!site) return ok(standIn(`${normal(req.host)} (drydock's stand-in for a site on the internet)`));
  const redirect = site.page === "" ? site.httpRedirect!.replace(/^http:/, req.scheme + ":")
    : req.scheme === "http" && site.httpRedirect !== null && site.httpRedirect !== `http://${normal(req.host)}/` ? site.httpRedirect : null;
  if (redirect !== null) {
    const target = redirect.replace(/\/$/, req.path === "" ? "/" : req.path);
    if (site.server === "gws") {
      // Google's own 301 page.
      const body = `<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">\n<TITLE>301 Moved</TITLE></HEAD><BODY>\n<H1>301 Moved</H1>\nThe document has moved\n<A HREF="${target}">here</A>.\r\n</BODY></HTML>\r\n`;
      return { status: 301, reason: "Moved Permanently", headers: headers("text/html; charset=UTF-8", body, [["Location", target]]), body: head ? "" : body, binary: false, emptyReply: false, serverUs };
    }
    return { status: 301, reason: "Moved Permanently", headers: [["Content-Length", "0"], ["Location", target], ...(site.server ? [["Server", site.server] as [string, string]] : [])], body: "", binary: false, emptyReply: false, serverUs };
  }
  if (req.path !== "/" && req.path !== "") {
    // example.com answers 404 with its page for any other path.
    const body = site.page === EXAMPLE_PAGE ? EXAMPLE_PAGE : standIn("404 Not Found");
    return { status: 404, reason: "Not Found", headers: headers("text/html; charset=UTF-8", body), body: head ? "" : body, binary: false, emptyReply: false, serverUs };
  }
  return ok(site.page);
}
