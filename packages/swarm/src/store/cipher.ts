/**
 * Secrets at rest, as SwarmKit keeps them: sealed with NaCl secretbox (XSalsa20-Poly1305) under
 * the cluster's data encryption key (manager/encryption/nacl.go: a 32-byte key, a fresh 24-byte
 * nonce per record, the record being { Algorithm, Data, Nonce }). The cipher is real
 * (@noble/ciphers); only the randomness is the simulation's: the key and every nonce are drawn
 * from the seeded streams, so a run replays byte for byte. A reader of the store sees the
 * record as "<algorithm>:<nonce base64>:<sealed base64>", never the plaintext.
 */
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";

/** api.MaybeEncryptedRecord_NACLSecretboxSalsa20Poly1305, as the record names its algorithm. */
export const CIPHER_LABEL = "NACLSecretboxSalsa20Poly1305";
export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;

// The platform's base64 (btoa/atob: in browsers and in Node since 16), through a binary string.
export function base64Encode(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function base64Decode(text: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    throw new RangeError("invalid base64");
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function hexToBytes(hex: string, length: number): Uint8Array {
  if (hex.length !== length * 2 || !/^[0-9a-f]*$/.test(hex)) throw new RangeError(`a key must be ${length} bytes of hex`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `n` bytes from a seeded stream (the simulation's stand-in for crypto/rand). */
export function randomBytes(rng: { next(): number }, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng.next() * 256);
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** secretbox.Seal: the XSalsa20 ciphertext with its Poly1305 tag (16 bytes more than `data`). */
export function sealBytes(keyHex: string, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`invalid nonce size for NACL secretbox: require 24, got ${nonce.length}`);
  return xsalsa20poly1305(hexToBytes(keyHex, KEY_BYTES), nonce).encrypt(data);
}

/** Seal `plaintext` under `keyHex` (32 bytes as hex) with a 24-byte `nonce`: the record the store keeps. */
export function sealSecret(keyHex: string, nonce: Uint8Array, plaintext: string): string {
  return `${CIPHER_LABEL}:${base64Encode(nonce)}:${base64Encode(sealBytes(keyHex, nonce, utf8.encode(plaintext)))}`;
}

/** Open a record; a wrong key or a tampered record fails as nacl.go's Decrypt does. */
export function openSecret(keyHex: string, record: string): string {
  const parts = record.split(":");
  if (parts.length !== 3 || parts[0] !== CIPHER_LABEL) throw new RangeError("not a NACL secretbox record");
  const nonce = base64Decode(parts[1]!);
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`invalid nonce size for NACL secretbox: require 24, got ${nonce.length}`);
  try {
    return fromUtf8.decode(xsalsa20poly1305(hexToBytes(keyHex, KEY_BYTES), nonce).decrypt(base64Decode(parts[2]!)));
  } catch (e) {
    if (e instanceof RangeError && /key must be/.test(e.message)) throw e;
    throw new RangeError(`no decryption key for record encrypted with ${CIPHER_LABEL}`);
  }
}
