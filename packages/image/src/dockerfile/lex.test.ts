import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { ShellLex } from "./lex.js";

const env = new Map([["PWD", "/home"], ["SHELL", "bash"], ["KOREAN", "한국어"], ["EMPTY", ""], ["PATH", "/usr/local/bin:/usr/bin"], ["FILE", "archive.tar.gz"]]);
const lex = new ShellLex("\\");
const w = (s: string) => lex.processWord(s, env);

describe("BuildKit shell/lex.go variable substitution (Dockerfile reference: Environment replacement)", () => {
  it("$VAR and ${VAR}; unset is empty; a lone $ stays", () => {
    expect(w("$PWD/x")).toBe("/home/x");
    expect(w("${PWD}x")).toBe("/homex");
    expect(w("a$NOPE-b")).toBe("a-b");
    expect(w("cost $ 5")).toBe("cost $ 5");
    expect(w("${KOREAN}")).toBe("한국어");
  });

  it("quotes: single quotes are literal, double quotes expand, escapes protect $", () => {
    expect(w("'$PWD'")).toBe("$PWD");
    expect(w('"$PWD"')).toBe("/home");
    expect(w("\\$PWD")).toBe("$PWD");
    expect(w('"a\\"b"')).toBe('a"b');
    expect(w('"a\\xb"')).toBe("a\\xb");
  });

  it("${VAR:-word} / ${VAR-word}: default when empty-or-unset / when unset", () => {
    expect(w("${NOPE:-def}")).toBe("def");
    expect(w("${EMPTY:-def}")).toBe("def");
    expect(w("${EMPTY-def}")).toBe("");
    expect(w("${NOPE-def}")).toBe("def");
    expect(w("${PWD:-def}")).toBe("/home");
    expect(w("${NOPE:-$SHELL}")).toBe("bash");
  });

  it("${VAR:+word} / ${VAR+word}: alternative when set-and-non-empty / when set", () => {
    expect(w("${PWD:+alt}")).toBe("alt");
    expect(w("${EMPTY:+alt}")).toBe("");
    expect(w("${EMPTY+alt}")).toBe("alt");
    expect(w("${NOPE+alt}")).toBe("");
  });

  it("${VAR:?msg}: an error naming the variable", () => {
    expect(() => w("${NOPE:?must be set}")).toThrow("NOPE: must be set");
    expect(() => w("${NOPE?}")).toThrow("NOPE: is not allowed to be unset");
  });

  it("${VAR#pat}, ${VAR##pat}, ${VAR%pat}, ${VAR%%pat}", () => {
    expect(w("${FILE%.*}")).toBe("archive.tar");
    expect(w("${FILE%%.*}")).toBe("archive");
    expect(w("${FILE#*.}")).toBe("tar.gz");
    expect(w("${FILE##*.}")).toBe("gz");
  });

  it("syntax errors: bad substitution, missing }", () => {
    expect(() => w("${}")).toThrow("bad substitution");
    expect(() => w("${PWD")).toThrow("missing '}'");
    expect(() => w("'open")).toThrow(DrydockError);
    expect(() => w("'open")).toThrow("unexpected end of statement while looking for matching single-quote");
    // lex.go wraps errors with `failed to process %q`: Go's quoting escapes the inner quotes.
    expect(() => w('"open')).toThrow('failed to process "\\"open": unexpected end of statement while looking for matching double-quote');
  });

  it("ProcessWords splits after expansion; quoted spaces stay in one word", () => {
    expect(lex.processWords('a "b c" $PATH', env)).toEqual(["a", "b c", "/usr/local/bin:/usr/bin"]);
    expect(lex.processWords("x${NOPE}y  z", env)).toEqual(["xy", "z"]);
  });

  it("the backtick escape token (# escape=`) replaces backslash", () => {
    const win = new ShellLex("`");
    expect(win.processWord("c:\\dir\\$PWD", env)).toBe("c:\\dir\\/home");
    expect(win.processWord("`$PWD", env)).toBe("$PWD");
  });
});
