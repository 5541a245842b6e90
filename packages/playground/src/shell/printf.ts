// printf as bash's builtin and coreutils' printf(1): the format is reused while arguments
// remain; a missing argument is an empty string or zero; escapes in the format as in C.
import { type Io, writeErr, writeOut } from "./io.js";
import { decodeEscape } from "./escapes.js";

const SPEC = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([diouxXfeEgGcsbq%])/y;

/** `%q`: quotes a string so the shell reads it back as one word (bash's backslash style). */
export function shellQuote(text: string, forSet = false): string {
  if (text === "") return "''";
  if (/^[A-Za-z0-9_./:=@%^,+-]+$/.test(text)) return text;
  if (/[\x00-\x1f\x7f]/.test(text)) {
    const esc = text.replace(/[\\'\x00-\x1f\x7f]/g, (c) => {
      const named = new Map([["\n", "\\n"], ["\t", "\\t"], ["\r", "\\r"], ["\\", "\\\\"], ["'", "\\'"], ["\x1b", "\\E"]]).get(c);
      return named ?? `\\${(c.charCodeAt(0)).toString(8).padStart(3, "0")}`;
    });
    return `$'${esc}'`;
  }
  if (forSet) return `'${text.replace(/'/g, "'\\''")}'`;
  return text.replace(/[^A-Za-z0-9_./:=@%^,+-]/g, "\\$&");
}

/** Expands backslash escapes as `%b` and the format do; `\c` stops all output. */
function unescape(text: string, echoStyle: boolean): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\" || i + 1 >= text.length) {
      out += text[i];
      continue;
    }
    const esc = decodeEscape(text.slice(i + 1), echoStyle);
    if (esc.stop === true) return { text: out, stop: true };
    out += esc.text;
    i += esc.used;
  }
  return { text: out, stop: false };
}

function pad(text: string, flags: string, width: number): string {
  if (text.length >= width) return text;
  if (flags.includes("-")) return text.padEnd(width);
  if (flags.includes("0") && /^[-+]?\d/.test(text)) {
    const sign = /^[-+]/.test(text) ? text.slice(0, 1) : "";
    return sign + text.slice(sign.length).padStart(width - sign.length, "0");
  }
  return text.padStart(width);
}

/** Runs printf; writes to the io and returns the exit status (1 after an invalid number). */
export function printf(args: readonly string[], io: Io, name = "bash: printf"): number {
  const format = args[0];
  if (format === undefined) {
    writeErr(io, `${name}: usage: printf [-v var] format [arguments]\n`);
    return 2;
  }
  const rest = args.slice(1);
  let next = 0;
  let status = 0;
  let out = "";
  const take = (): string | undefined => (next < rest.length ? rest[next++] : undefined);
  const number = (arg: string | undefined): number => {
    if (arg === undefined || arg === "") return 0;
    const quoteChar = /^['"](.)/.exec(arg);
    if (quoteChar !== null) return (quoteChar[1] as string).codePointAt(0) ?? 0;
    const n = Number(arg);
    if (Number.isNaN(n) || /^\s*$/.test(arg)) {
      writeErr(io, `${name}: ${arg}: invalid number\n`);
      status = 1;
      const lead = /^[-+]?\d+/.exec(arg);
      return lead === null ? 0 : Number(lead[0]);
    }
    return n;
  };
  for (let round = 0; round === 0 || (next < rest.length && next > 0); round++) {
    const consumedBefore = next;
    for (let i = 0; i < format.length; ) {
      const c = format[i] as string;
      if (c === "\\") {
        const esc = decodeEscape(format.slice(i + 1), false);
        out += esc.text;
        i += 1 + esc.used;
        continue;
      }
      if (c !== "%") {
        out += c;
        i++;
        continue;
      }
      SPEC.lastIndex = i;
      const m = SPEC.exec(format);
      if (m === null) {
        out += c;
        i++;
        continue;
      }
      i = SPEC.lastIndex;
      const [, flags = "", widthText, precText, conv] = m;
      if (conv === "%") {
        out += "%";
        continue;
      }
      const width = widthText === "*" ? number(take()) : Number(widthText ?? 0);
      const precRaw = precText === undefined ? undefined : precText === "*" ? number(take()) : Number(precText);
      const prec = precRaw === undefined || precRaw < 0 ? undefined : Math.min(precRaw, 10_000);
      const arg = take();
      let text: string;
      switch (conv) {
        case "s":
          text = (arg ?? "").slice(0, prec);
          break;
        case "b": {
          const u = unescape(arg ?? "", true);
          if (u.stop) {
            writeOut(io, out + u.text);
            return status;
          }
          text = u.text;
          break;
        }
        case "q":
          text = shellQuote(arg ?? "");
          break;
        case "c":
          text = (arg ?? "").slice(0, 1);
          break;
        case "d":
        case "i":
          text = String(Math.trunc(number(arg)));
          if (flags.includes("+") && !text.startsWith("-")) text = `+${text}`;
          break;
        case "u":
          text = String(Math.trunc(number(arg)));
          break;
        case "o":
          text = Math.trunc(number(arg)).toString(8);
          break;
        case "x":
        case "X":
          text = Math.trunc(number(arg)).toString(16);
          if (conv === "X") text = text.toUpperCase();
          break;
        case "e":
        case "E":
          text = number(arg).toExponential(Math.min(prec ?? 6, 100)).replace(/e([+-])(\d)$/, "e$10$2");
          if (conv === "E") text = text.toUpperCase();
          break;
        case "g":
        case "G":
          text = String(Number(number(arg).toPrecision(Math.min(prec === 0 ? 1 : (prec ?? 6), 100))));
          break;
        default:
          text = number(arg).toFixed(Math.min(prec ?? 6, 100));
      }
      out += pad(text, flags, Math.min(width, 10_000));
    }
    if (next === consumedBefore) break;
  }
  writeOut(io, out);
  return status;
}
