import { canonicalJson } from "@drydock/kernel";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

let scratch = new Uint8Array(4096);

/** UTF-8 bytes of text; ASCII (the common case) without TextEncoder's per-call cost. */
function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return utf8ToBytes(text);
    scratch[i] = c;
  }
  return scratch.subarray(0, n);
}

/** Byte length of text in UTF-8. */
export function utf8Length(text: string): number {
  let len = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) len += 1;
    else if (c < 0x800) len += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      len += 4;
      i++;
    } else len += 3;
  }
  return len;
}

/**
 * One hasher reused for every digest: the library's one-shot sha256() makes a hasher, its
 * buffers and views per call, which cost more than hashing the short texts IDs are made of
 * (a sandbox's and an endpoint's per `docker run`). A fresh state is cloned into it from one never written.
 */
const FRESH = sha256.create();
const work = sha256.create();
const out = new Uint8Array(32);

/** "sha256:" + hex of the UTF-8 text: the digest form Docker and OCI use. */
export function sha256Digest(text: string): string {
  FRESH._cloneInto(work);
  work.update(utf8(text));
  work.digestInto(out);
  return `sha256:${bytesToHex(out)}`;
}

/** The 12-hex short form `docker image ls` prints. */
export function shortId(digest: string): string {
  const hex = digest.startsWith("sha256:") ? digest.slice(7) : digest;
  return hex.slice(0, 12);
}

/** A small deterministic integer from text (FNV-1a), for synthetic sizes and versions. */
export function textHash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A build-cache key: "sha256:" + the sha256 of the kernel's canonical JSON of the key's parts (a
 * JSON array, so no separator can be forged by a part's text; object keys sorted). A collision
 * would hand a step another step's layer, so the key is a real digest, as BuildKit's are.
 */
export function cacheKeyDigest(parts: readonly unknown[]): string {
  return rememberedDigest(canonicalJson(parts));
}

/** Digests of recent texts, oldest first (bounded by their length). */
const remembered = new Map<string, string>();
let rememberedChars = 0;
const REMEMBERED_CHARS_MAX = 4 * 1024 * 1024;

/**
 * sha256Digest of a text that is likely hashed again (a build's cache keys and layers, on every
 * rebuild and on every replay of a seek): the digest computed once and looked up after.
 */
export function rememberedDigest(text: string): string {
  const hit = remembered.get(text);
  if (hit !== undefined) return hit;
  const digest = sha256Digest(text);
  if (text.length > REMEMBERED_CHARS_MAX / 16) return digest;
  remembered.set(text, digest);
  rememberedChars += text.length;
  while (rememberedChars > REMEMBERED_CHARS_MAX) {
    const oldest = remembered.keys().next().value!;
    remembered.delete(oldest);
    rememberedChars -= oldest.length;
  }
  return digest;
}

/**
 * A fast 128-bit non-cryptographic digest (four 32-bit multiply-xorshift lanes). Used only where a
 * collision cannot change what the simulator stores or finds: the legacy builder's transcript IDs
 * (derived labels for intermediate containers, never looked up) and the history link inside the
 * image-config body, which sha256 then hashes together with the layers and the config (two images
 * whose histories collided would still differ by their other fields unless identical in all).
 * Build-cache keys use cacheKeyDigest.
 */
export function fastDigest(text: string): string {
  let h1 = 0x9e3779b9 ^ text.length;
  let h2 = 0x85ebca6b;
  let h3 = 0xc2b2ae35;
  let h4 = 0x27d4eb2f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x85ebca77);
    h2 = Math.imul(h2 ^ c, 0xc2b2ae3d);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2f);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
    h1 ^= h1 >>> 15;
    h2 ^= h2 >>> 13;
    h3 ^= h3 >>> 16;
    h4 ^= h4 >>> 12;
  }
  const a = mix(h1 ^ h3, 1);
  const b = mix(h2 ^ h4, 2);
  const c = mix(h3 ^ a, 3);
  const d = mix(h4 ^ b, 4);
  return hex8(a) + hex8(b) + hex8(c) + hex8(d);
}

function mix(h: number, k: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b ^ k);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex8(x: number): string {
  return x.toString(16).padStart(8, "0");
}

/** An own property of a plain record (never one inherited from Object.prototype, like "__proto__"). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
