import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** "sha256:" + hex of the UTF-8 text: the digest form Docker and OCI use. */
export function sha256Digest(text: string): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(text)))}`;
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
