import { DrydockError } from "@drydock/kernel";
import { own } from "../util/hash.js";

/** go-digest's DigestRegexp (looser than the reference grammar's digest), anchored. */
const goDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Hex lengths of the algorithms go-digest registers. */
const ALGORITHM_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * Validates a digest as opencontainers/go-digest's Digest.Validate does, with its messages:
 * "invalid checksum digest format", "invalid checksum digest length", "unsupported digest algorithm".
 */
export function validateDigest(digest: string): void {
  const i = digest.indexOf(":");
  if (i <= 0 || i + 1 === digest.length) throw new DrydockError("EDIGEST", "invalid checksum digest format");
  const algorithm = digest.slice(0, i);
  const encoded = digest.slice(i + 1);
  // own(): "constructor:…" is an unknown algorithm, not Object.prototype's.
  const size = own(ALGORITHM_HEX_LENGTH, algorithm);
  if (size === undefined) {
    if (!goDigestRegexp.test(digest)) throw new DrydockError("EDIGEST", "invalid checksum digest format");
    throw new DrydockError("EDIGEST", "unsupported digest algorithm");
  }
  if (encoded.length !== size) throw new DrydockError("EDIGEST", "invalid checksum digest length");
  if (!/^[a-f0-9]+$/.test(encoded)) throw new DrydockError("EDIGEST", "invalid checksum digest format");
}

/** True for "sha256:" followed by 64 lowercase hex digits. */
export function isSha256Digest(value: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(value);
}
