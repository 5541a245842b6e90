/**
 * Secrets at rest — A SIMULATION, NOT ENCRYPTION. SwarmKit encrypts its raft log with a data
 * encryption key (NaCl secretbox, or AES-GCM under FIPS), so a reader of a manager's disk sees
 * ciphertext. drydock shows the same thing with a deterministic toy: the bytes are XORed with a
 * keystream from a seeded xorshift generator and written in base64 behind the label
 * "drydock-toy-v1". It hides nothing from anyone who reads this file; it exists so that the
 * visualiser and `docker secret inspect`-style views show what the store holds (ciphertext, never
 * the data) while staying pure and replayable.
 */

export const CIPHER_LABEL = "drydock-toy-v1";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? B64[n & 63]! : "=";
  }
  return out;
}

export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64.indexOf(clean[i + k]!) : 0));
    if (v.some((x) => x < 0)) throw new RangeError("invalid base64");
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function seed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h === 0 ? 0x9e3779b9 : h;
}

function keystream(key: string, nonce: string, length: number): Uint8Array {
  let x = seed(`${key}\u0000${nonce}`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** "drydock-toy-v1:<nonce>:<base64>": what the store holds for a secret's data. */
export function sealSecret(key: string, nonce: string, plaintext: string): string {
  const bytes = utf8.encode(plaintext);
  const ks = keystream(key, nonce, bytes.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ ks[i]!;
  return `${CIPHER_LABEL}:${nonce}:${base64Encode(bytes)}`;
}

export function openSecret(key: string, sealed: string): string {
  const parts = sealed.split(":");
  if (parts.length !== 3 || parts[0] !== CIPHER_LABEL) throw new RangeError("not a drydock-toy-v1 ciphertext");
  const bytes = base64Decode(parts[2]!);
  const ks = keystream(key, parts[1]!, bytes.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ ks[i]!;
  return fromUtf8.decode(bytes);
}
