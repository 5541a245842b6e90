// Backslash escapes shared by bash's $'...', echo -e, printf's format and %b.

/** Decodes one backslash escape (the text after the `\`), as `$'...'`, `echo -e` and printf do. */
export function decodeEscape(rest: string, echoStyle: boolean): { text: string; used: number; stop?: boolean } {
  const c = rest[0] ?? "";
  const simple = new Map([["a", "\x07"], ["b", "\b"], ["e", "\x1b"], ["E", "\x1b"], ["f", "\f"], ["n", "\n"], ["r", "\r"], ["t", "\t"], ["v", "\v"], ["\\", "\\"], ["'", "'"], ['"', '"']]);
  const mapped = simple.get(c);
  if (mapped !== undefined && !(echoStyle && (c === "'" || c === '"'))) return { text: mapped, used: 1 };
  if (c === "c" && echoStyle) return { text: "", used: 1, stop: true };
  const octal = echoStyle ? /^0[0-7]{0,3}/.exec(rest) : /^[0-7]{1,3}/.exec(rest);
  if (octal !== null) return { text: String.fromCharCode(parseInt(octal[0], 8) & 0xff), used: octal[0].length };
  const hex = /^x([0-9A-Fa-f]{1,2})/.exec(rest);
  if (hex !== null) return { text: String.fromCharCode(parseInt(hex[1] as string, 16)), used: hex[0].length };
  return { text: `\\${c}`, used: c === "" ? 0 : 1 };
}
