// Base64 as Go's encoding/base64 StdEncoding writes and reads it (no Buffer: this runs in the
// browser too). Secret data is base64 in the API; a value Go cannot decode is refused with its text.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function encodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    out += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : ALPHABET[c & 63]!;
  }
  return out;
}

/** The UTF-8 bytes of a string, base64 encoded. */
export const encodeText = (s: string): string => encodeBytes(new TextEncoder().encode(s));

/**
 * Where Go's StdEncoding.DecodeString fails ("illegal base64 data at input byte N"), or -1 when
 * the text decodes. Newlines are skipped, as Go does; padding is required.
 */
export function base64ErrorAt(s: string): number {
  let quantum = 0;
  let start = 0;
  let padded = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "\n" || ch === "\r") continue;
    if (padded) return i;
    if (quantum === 0) start = i;
    if (ch === "=") {
      // Padding may only end a quantum of 2 or 3 characters.
      if (quantum < 2) return i;
      const rest = s.slice(i).replace(/[\r\n]/g, "");
      if (quantum === 2 && rest === "=") return s.length; // not enough padding
      if (quantum === 2 && rest.slice(0, 2) !== "==") return i;
      if (quantum === 3 && rest[0] !== "=") return i;
      padded = true;
      i += quantum === 2 ? s.slice(i).indexOf("=", 1) : 0;
      quantum = 0;
      continue;
    }
    if (!ALPHABET.includes(ch)) return i;
    quantum = (quantum + 1) % 4;
  }
  return quantum === 0 ? -1 : start;
}

export function decodeText(s: string): string {
  const clean = s.replace(/[\r\n=]/g, "");
  const bytes: number[] = [];
  let buf = 0, bits = 0;
  for (const ch of clean) {
    buf = (buf << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) { bits -= 8; bytes.push((buf >> bits) & 0xff); }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
