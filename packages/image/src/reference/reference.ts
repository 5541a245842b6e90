import { DrydockError } from "@drydock/kernel";
import { validateDigest } from "./digest.js";
import { anchoredIdentifierRegexp, anchoredNameRegexp, anchoredTagRegexp, referenceRegexp } from "./regexp.js";

/** Docker Hub's canonical domain, its legacy "Docker Index" name, and the official-image namespace. */
export const DEFAULT_DOMAIN = "docker.io";
export const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
export const OFFICIAL_REPO_PREFIX = "library/";
export const DEFAULT_TAG = "latest";
export const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;

/**
 * A named image reference, normalised as distribution/reference's ParseNormalizedNamed does:
 * `ubuntu:14.04` has domain "docker.io", path "library/ubuntu", tag "14.04".
 */
export interface ImageReference {
  readonly domain: string;
  readonly path: string;
  /** The tag as written; undefined when the input had none (see `withDefaultTag`). */
  readonly tag: string | undefined;
  readonly digest: string | undefined;
  /** domain + "/" + path: the repository's canonical name. */
  readonly name: string;
  /** The short form Docker prints: `ubuntu:14.04`, `dmcgowan/myapp`, `localhost:5000/app:1.0`. */
  readonly familiar: string;
  /** The repository's short name without tag or digest: `ubuntu`. */
  readonly familiarName: string;
  /** The canonical form: `docker.io/library/ubuntu:14.04`. */
  toString(): string;
}

function fail(message: string): never {
  throw new DrydockError("EREFERENCE", message);
}

function familiarizeName(domain: string, path: string): string {
  if (domain !== DEFAULT_DOMAIN) return `${domain}/${path}`;
  if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = path.slice(OFFICIAL_REPO_PREFIX.length);
    // Only single-element official names shorten ("library/foo/bar" stays as it is).
    if (!rest.includes("/")) return rest;
  }
  return path;
}

function suffix(tag: string | undefined, digest: string | undefined): string {
  return (tag !== undefined ? `:${tag}` : "") + (digest !== undefined ? `@${digest}` : "");
}

class Reference implements ImageReference {
  readonly name: string;
  readonly familiar: string;
  readonly familiarName: string;
  constructor(
    readonly domain: string,
    readonly path: string,
    readonly tag: string | undefined,
    readonly digest: string | undefined,
  ) {
    this.name = domain === "" ? path : `${domain}/${path}`;
    this.familiarName = familiarizeName(domain, path);
    this.familiar = this.familiarName + suffix(tag, digest);
  }
  toString(): string {
    return this.name + suffix(this.tag, this.digest);
  }
  toJSON(): string {
    return this.toString();
  }
}

/**
 * splitDockerDomain: the first path element is a registry host when it is "localhost", contains
 * "." or ":", or has uppercase letters (namespaces never do); otherwise the name is on Docker Hub.
 */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf("/");
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === "localhost") [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = [DEFAULT_DOMAIN, name];
  if (domain === DEFAULT_DOMAIN && !remote.includes("/")) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}

/** distribution/reference's Parse: the strict grammar, no normalisation. */
function parseStrict(s: string): Reference {
  if (s === "") fail("repository name must have at least one component");
  const m = referenceRegexp.exec(s);
  if (!m) {
    const lower = s.toLowerCase();
    if (lower !== s && referenceRegexp.test(lower)) fail("repository name must be lowercase");
    fail("invalid reference format");
  }
  const nameMatch = anchoredNameRegexp.exec(m[1]!);
  const domain = nameMatch?.[1] ?? "";
  const path = nameMatch ? nameMatch[2]! : m[1]!;
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) {
    fail(`repository name must not be more than ${REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const digest = m[3];
  if (digest !== undefined) validateDigest(digest);
  return new Reference(domain, path, m[2], digest);
}

/**
 * Parses user input into a normalised reference exactly as Docker does (distribution/reference's
 * ParseNormalizedNamed). Throws DrydockError code EREFERENCE (or EDIGEST) with Docker's wording.
 */
export function parseReference(text: string): ImageReference {
  const hit = parsed.get(text);
  if (hit) return hit;
  const ref = parseNormalized(text);
  if (parsed.size >= 4096) parsed.clear();
  parsed.set(text, ref);
  return ref;
}

/** References are immutable, so parses are remembered (bounded). Errors are not cached. */
const parsed = new Map<string, ImageReference>();

function parseNormalized(text: string): ImageReference {
  if (anchoredIdentifierRegexp.test(text)) {
    fail(`invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(text);
  const tagSep = remainder.indexOf(":");
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    fail(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseStrict(`${domain}/${remainder}`);
}

/** TagNameOnly: a reference with neither tag nor digest gets ":latest", as `docker pull` does. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  if (ref.tag !== undefined || ref.digest !== undefined) return ref;
  return new Reference(ref.domain, ref.path, DEFAULT_TAG, undefined);
}

/** WithTag: replaces the tag; throws "invalid tag format" for a bad tag. */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!anchoredTagRegexp.test(tag)) throw new DrydockError("EREFERENCE", "invalid tag format");
  return new Reference(ref.domain, ref.path, tag, ref.digest);
}

/** WithDigest: pins the reference to a digest. */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  validateDigest(digest);
  return new Reference(ref.domain, ref.path, ref.tag, digest);
}

/** TrimNamed: the repository alone, without tag or digest. */
export function trimNamed(ref: ImageReference): ImageReference {
  return new Reference(ref.domain, ref.path, undefined, undefined);
}

/**
 * ParseDockerRef: tagged or digested, never both (the digest wins), ":latest" when neither.
 * This is the form Docker uses to look an image up.
 */
export function parseDockerRef(text: string): ImageReference {
  const hit = dockerRefs.get(text);
  if (hit) return hit;
  const out = dockerRef(text);
  if (dockerRefs.size >= 4096) dockerRefs.clear();
  dockerRefs.set(text, out);
  return out;
}

const dockerRefs = new Map<string, ImageReference>();

function dockerRef(text: string): ImageReference {
  const ref = parseReference(text);
  if (ref.digest !== undefined) return new Reference(ref.domain, ref.path, undefined, ref.digest);
  return withDefaultTag(ref);
}

/** A reference that may also be a bare image ID or digest (ParseAnyReference). */
export type AnyReference = { readonly kind: "digest"; readonly digest: string } | { readonly kind: "named"; readonly ref: ImageReference };

export function parseAnyReference(text: string): AnyReference {
  if (anchoredIdentifierRegexp.test(text)) return { kind: "digest", digest: `sha256:${text}` };
  if (text.includes(":") && !text.includes("/")) {
    try {
      validateDigest(text);
      return { kind: "digest", digest: text };
    } catch {
      // not a digest: fall through to a name
    }
  }
  return { kind: "named", ref: parseReference(text) };
}

/** True when `tag` is a valid tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return anchoredTagRegexp.test(tag);
}
