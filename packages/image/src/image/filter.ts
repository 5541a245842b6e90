import { DrydockError, type Micros } from "@drydock/kernel";
import { parseDockerRef } from "../reference/reference.js";
import { formatGoTime } from "../util/time.js";
import { humanSize, since } from "./format.js";
import type { ImageRow, ImageStore } from "./store.js";

const ACCEPTED = new Set(["dangling", "label", "before", "since", "reference", "until"]);

/**
 * Go's path.Match: `*` any run of non-"/" characters, `?` one non-"/" character, `[...]` a class
 * (`^` negates, `a-z` ranges), `\` escapes. A malformed pattern is path.ErrBadPattern.
 */
export function pathMatch(pattern: string, name: string): boolean {
  let rx = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") rx += "[^/]*";
    else if (ch === "?") rx += "[^/]";
    else if (ch === "\\") {
      i++;
      if (i >= pattern.length) throw badPattern();
      rx += escapeRx(pattern[i]!);
    } else if (ch === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) throw badPattern();
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      if (body === "") throw badPattern();
      rx += `[${negate ? "^/" : ""}${body.replace(/[\]\\^]/g, "\\$&")}]`;
      i = end;
    } else rx += escapeRx(ch);
  }
  return new RegExp(`${rx}$`).test(name);
}

const escapeRx = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const badPattern = () => new DrydockError("EFILTER", "syntax error in pattern");

/** Go's strconv-free duration ("10m", "1h30m", "2.5s") as `until` takes it, in µs; undefined if not one. */
function goDurationUs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { ns: 0.001, us: 1, µs: 1, ms: 1000, s: 1e6, m: 60e6, h: 3600e6 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return Math.round(total);
}

/** Parsed `--filter name=value` arguments (docker/cli opts.FilterOpt: name lower-cased, both trimmed). */
function parseFilters(filters: readonly string[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    if (f === "") continue;
    const eq = f.indexOf("=");
    if (eq < 0) throw new DrydockError("EFLAG", `invalid argument "${f}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    const key = f.slice(0, eq).trim().toLowerCase();
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1).trim()]);
  }
  // moby filters.Args.Validate: an unknown name is "invalid filter '<name>'".
  for (const key of byKey.keys()) if (!ACCEPTED.has(key)) throw new DrydockError("EFILTER", `invalid filter '${key}'`);
  return byKey;
}

export interface FilterOptions {
  /** Virtual now, for `until=<duration>`. */
  readonly now?: Micros;
  /** `--digests`: one row per repository digest of a tag, as docker/cli's formatter does. */
  readonly digests?: boolean;
}

/**
 * `docker images --filter …` (moby daemon/images/image_list.go): dangling=true|false, label=key or
 * key=value (every label filter must match), before=/since=<image> (created strictly before or
 * after it; an unknown image is "No such image"), reference=<pattern> (path.Match against
 * "alpine:3.20", "alpine", "docker.io/library/alpine:3.20" and "docker.io/library/alpine"; tags that
 * do not match are left out), until=<duration|unix seconds>. Errors are the daemon's:
 * "invalid filter 'foo'", "invalid filter 'dangling=[maybe]'"; a filter without "=" is the CLI's
 * flag error. Rows come newest first, as `docker images` prints them.
 */
export function filterImages(store: ImageStore, filters: readonly string[], opts: FilterOptions = {}): ImageRow[] {
  const f = parseFilters(filters);
  let dangling: boolean | undefined;
  const dv = f.get("dangling");
  if (dv) {
    const t = dv.includes("true") || dv.includes("1");
    const fa = dv.includes("false") || dv.includes("0");
    if (t === fa) throw new DrydockError("EFILTER", `invalid filter 'dangling=[${[...new Set(dv)].sort().join(" ")}]'`);
    dangling = t;
  }
  const createdOf = (ref: string): Micros => {
    const img = store.resolve(ref);
    if (!img) throw new DrydockError("ENOIMAGE", `No such image: ${ref}`);
    return img.created;
  };
  let before: Micros | undefined;
  for (const v of f.get("before") ?? []) before = Math.min(before ?? Infinity, createdOf(v));
  for (const v of f.get("until") ?? []) {
    const d = goDurationUs(v);
    let at: Micros;
    if (d !== undefined) at = (opts.now ?? 0) - d;
    else if (/^\d+(\.\d+)?$/.test(v)) at = Math.round((Number(v) - 1_767_225_600) * 1e6);
    else throw new DrydockError("EFILTER", `invalid value for 'until' filter: failed to parse value as time or duration: "${v}"`);
    before = Math.min(before ?? Infinity, at);
  }
  let sinceAt: Micros | undefined;
  for (const v of f.get("since") ?? []) sinceAt = Math.max(sinceAt ?? -Infinity, createdOf(v));
  const labels = f.get("label") ?? [];
  const patterns = f.get("reference") ?? [];

  const matchesRef = (familiar: string): boolean => {
    if (patterns.length === 0) return true;
    const ref = parseDockerRef(familiar);
    const targets = [ref.familiar, ref.familiarName, ref.toString(), ref.name];
    return patterns.some((p) => targets.some((t) => pathMatch(p, t)));
  };

  const rows: ImageRow[] = [];
  for (const row of store.list()) {
    const img = store.resolve(row.id)!;
    if (before !== undefined && !(img.created < before)) continue;
    if (sinceAt !== undefined && !(img.created > sinceAt)) continue;
    if (labels.length > 0) {
      const l = img.config.labels;
      const ok = labels.every((v) => {
        const eq = v.indexOf("=");
        const k = eq < 0 ? v : v.slice(0, eq);
        return Object.hasOwn(l, k) && (eq < 0 || l[k] === v.slice(eq + 1));
      });
      if (!ok) continue;
    }
    const untagged = row.repository === "<none>";
    if (dangling === true && !untagged) continue;
    if (dangling === false && untagged) continue;
    if (patterns.length > 0 && (untagged || !matchesRef(`${row.repository}:${row.tag}`))) continue;
    rows.push(row);
  }
  if (!opts.digests) return rows;
  // docker/cli imageFormatTaggedAndDigest: with --digests, a row per (tag, digest) of the repository.
  const out: ImageRow[] = [];
  for (const row of rows) {
    if (row.repository === "<none>") {
      out.push(row);
      continue;
    }
    const name = parseDockerRef(row.repository).name;
    const ds = store.repoDigestRefs(row.id).filter((r) => r.startsWith(`${name}@`)).map((r) => r.slice(r.indexOf("@") + 1));
    if (ds.length === 0) out.push({ ...row, digest: "<none>" });
    else for (const d of ds) out.push({ ...row, digest: d });
  }
  return out;
}

/**
 * The fields a `docker images --format` template reads, named and rendered as docker/cli's image
 * formatter does (cli/command/formatter/image.go `imageContext`): ID truncated unless noTrunc,
 * CreatedSince with go-units HumanDuration, CreatedAt as Go's time.String(), Size with 3 significant
 * digits; Containers, SharedSize and UniqueSize are "N/A" unless given (`docker system df -v`).
 */
export interface ImageFormatContext {
  readonly ID: string;
  readonly Repository: string;
  readonly Tag: string;
  readonly Digest: string;
  readonly CreatedSince: string;
  readonly CreatedAt: string;
  readonly Size: string;
  readonly Containers: string;
  readonly SharedSize: string;
  readonly UniqueSize: string;
  readonly VirtualSize: string;
}

export function imageFormatContext(
  row: ImageRow, now: Micros,
  opts: { noTrunc?: boolean; containers?: number; sharedSize?: number } = {},
): ImageFormatContext {
  return {
    ID: opts.noTrunc ? row.id : row.imageId,
    Repository: row.repository,
    Tag: row.tag,
    Digest: row.digest,
    CreatedSince: since(row.created, now),
    CreatedAt: formatGoTime(row.created),
    Size: humanSize(row.size),
    Containers: opts.containers === undefined ? "N/A" : String(opts.containers),
    SharedSize: opts.sharedSize === undefined ? "N/A" : humanSize(opts.sharedSize, 4),
    UniqueSize: opts.sharedSize === undefined ? "N/A" : humanSize(row.size - opts.sharedSize, 4),
    VirtualSize: humanSize(row.size),
  };
}

/** docker/cli's image table headers by field (`docker images --format "table …"`). */
export const IMAGE_FORMAT_HEADERS: Readonly<Record<keyof ImageFormatContext, string>> = {
  ID: "IMAGE ID", Repository: "REPOSITORY", Tag: "TAG", Digest: "DIGEST", CreatedSince: "CREATED", CreatedAt: "CREATED AT",
  Size: "SIZE", Containers: "CONTAINERS", SharedSize: "SHARED SIZE", UniqueSize: "UNIQUE SIZE", VirtualSize: "SIZE",
};
