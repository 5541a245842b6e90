// The programs a lab machine has in /usr/bin, as pure functions of (request, filesystem, time)
// that return what they printed and the next filesystem. The world's ShellHost.run calls them.
import { readFile } from "../fs/ops.js";
import type { FsDir } from "../fs/tree.js";
import { DATE_DEFAULT_FORMAT, strftime } from "./calendar.js";
import { type Coreutil, Ctx, lq, parseArgs } from "./cu-base.js";
import { cat, chmod, cp, find, mkdir, mv, rm, rmdir, tee, touch } from "./cu-files.js";
import { grep } from "./cu-grep.js";
import { sed } from "./cu-sed.js";
import { ls } from "./cu-ls.js";
import { cut, head, sort, tail, tr, uniq, wc } from "./cu-text.js";
import type { CommandOutcome, CommandRequest } from "./host.js";
import { BufferSink } from "./io.js";
import { printf as printfImpl } from "./printf.js";

export type { Coreutil } from "./cu-base.js";

export const KERNEL_RELEASE = "6.1.0-28-amd64";
const KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)";

function hostnameOf(fs: FsDir): string {
  const read = readFile(fs, "/etc/hostname");
  return read.ok ? read.value.trim() || "localhost" : "localhost";
}

/** sleep's operand in seconds (`1.5`, `2m`, `1h`, `1d`), or null when it is not one. */
export function parseSleepSeconds(text: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (m === null) return null;
  const unit = new Map([["", 1], ["s", 1], ["m", 60], ["h", 3600], ["d", 86400]]).get(m[2] as string) ?? 1;
  return Number(m[1]) * unit;
}

function sleep(ctx: Ctx): void {
  const args = ctx.req.argv.slice(1);
  if (args.length === 0) return ctx.fail("missing operand\nTry 'sleep --help' for more information.");
  for (const a of args) if (parseSleepSeconds(a) === null) return ctx.fail(`invalid time interval ${lq(a)}\nTry 'sleep --help' for more information.`);
}

function uname(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "asnrvmpio", long: new Map([["all", "a"]]) });
  if (parsed === null) return;
  const fields: [string, string][] = [
    ["s", "Linux"],
    ["n", hostnameOf(ctx.fs)],
    ["r", KERNEL_RELEASE],
    ["v", KERNEL_VERSION],
    ["m", "x86_64"],
    ["o", "GNU/Linux"],
  ];
  const all = parsed.flags.has("a");
  const picked = fields.filter(([k]) => all || parsed.flags.has(k) || (k === "m" && (parsed.flags.has("p") || parsed.flags.has("i"))));
  ctx.write(`${(picked.length === 0 ? ["Linux"] : picked.map(([, v]) => v)).join(" ")}\n`);
}

function id(ctx: Ctx): void {
  const args = ctx.req.argv.slice(1).join(" ");
  if (/-\w*u/.test(args) || /-\w*g/.test(args)) ctx.write(/n/.test(args) ? "root\n" : "0\n");
  else if (/-\w*G/.test(args)) ctx.write("0\n");
  else ctx.write("uid=0(root) gid=0(root) groups=0(root)\n");
}

function basename(ctx: Ctx): void {
  const [name, suffix] = ctx.req.argv.slice(1);
  if (name === undefined) return ctx.fail("missing operand\nTry 'basename --help' for more information.");
  const trimmed = name.replace(/\/+$/, "");
  let base = trimmed === "" ? (name === "" ? "" : "/") : trimmed.slice(trimmed.lastIndexOf("/") + 1);
  if (suffix !== undefined && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
  ctx.write(`${base}\n`);
}

function dirname(ctx: Ctx): void {
  const names = ctx.req.argv.slice(1);
  if (names.length === 0) return ctx.fail("missing operand\nTry 'dirname --help' for more information.");
  for (const name of names) {
    const trimmed = name.replace(/\/+$/, "");
    const slash = trimmed.lastIndexOf("/");
    const dir = name.startsWith("/") && trimmed === "" ? "/" : slash < 0 ? "." : trimmed.slice(0, slash).replace(/\/+$/, "") || "/";
    ctx.write(`${dir}\n`);
  }
}

const SEQ_MAX = 100_000;

/** seq [FIRST [INCREMENT]] LAST, with -s SEP and -w (equal width). */
function seq(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1).map((a) => (/^-\d/.test(a) ? `\u0000${a}` : a)), { flags: "w", values: "sf" });
  if (parsed === null) return;
  const nums = parsed.operands.map((a) => a.replace(/^\u0000/, ""));
  if (nums.length === 0 || nums.length > 3) return ctx.fail(`${nums.length === 0 ? "missing operand" : `extra operand ${lq(nums[3] ?? "")}`}\nTry 'seq --help' for more information.`);
  const bad = nums.find((n) => !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(n));
  if (bad !== undefined) return ctx.fail(`invalid floating point argument: ${lq(bad)}\nTry 'seq --help' for more information.`);
  const [first, step, last] = nums.length === 1 ? [1, 1, Number(nums[0])] : nums.length === 2 ? [Number(nums[0]), 1, Number(nums[1])] : nums.map(Number) as [number, number, number];
  if (step === 0) return ctx.fail(`invalid Zero increment value: ${lq(nums[1] ?? "0")}\nTry 'seq --help' for more information.`);
  const decimals = Math.min(20, Math.max(...nums.slice(0, nums.length === 3 ? 2 : 1).map((n) => (n.split(".")[1] ?? "").length)));
  const values: string[] = [];
  for (let i = 0; values.length < SEQ_MAX; i++) {
    const v = first + i * step;
    if (step > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
    values.push(v.toFixed(decimals));
  }
  const width = parsed.flags.has("w") ? Math.max(...values.map((v) => v.length)) : 0;
  const sep = parsed.values.get("s")?.[0] ?? "\n";
  if (values.length > 0) ctx.write(values.map((v) => (v.startsWith("-") ? `-${v.slice(1).padStart(width - 1, "0")}` : v.padStart(width, "0"))).join(sep) + "\n");
}

function date(ctx: Ctx): void {
  const format = ctx.req.argv.slice(1).find((a) => a.startsWith("+"));
  ctx.write(`${strftime(format === undefined ? DATE_DEFAULT_FORMAT : format.slice(1), ctx.now)}\n`);
}

function printf(ctx: Ctx): void {
  const out = new BufferSink();
  const err = new BufferSink();
  ctx.status = printfImpl(ctx.req.argv.slice(1), { stdin: "", fds: new Map([[1, out], [2, err]]) }, "printf");
  ctx.write(out.text());
  ctx.err += err.text();
}

function echo(ctx: Ctx): void {
  const args = ctx.req.argv.slice(1);
  const noNewline = args[0] === "-n";
  ctx.write(`${(noNewline ? args.slice(1) : args).join(" ")}${noNewline ? "" : "\n"}`);
}

const PROGRAMS: ReadonlyArray<readonly [string, (ctx: Ctx) => void]> = [
  ["basename", basename],
  ["cat", cat],
  ["chmod", chmod],
  ["cp", cp],
  ["cut", cut],
  ["date", date],
  ["dirname", dirname],
  ["echo", echo],
  ["false", (ctx) => void (ctx.status = 1)],
  ["find", find],
  ["grep", grep],
  ["head", head],
  ["hostname", (ctx) => ctx.write(ctx.req.argv.includes("-i") ? "127.0.1.1\n" : `${hostnameOf(ctx.fs)}\n`)],
  ["id", id],
  ["ls", ls],
  ["mkdir", mkdir],
  ["mv", mv],
  ["printf", printf],
  ["pwd", (ctx) => ctx.write(`${ctx.req.cwd}\n`)],
  ["rm", rm],
  ["rmdir", rmdir],
  ["sed", sed],
  ["seq", seq],
  ["sleep", sleep],
  ["sort", sort],
  ["tail", tail],
  ["tee", tee],
  ["touch", touch],
  ["tr", tr],
  ["true", () => {}],
  ["uname", uname],
  ["uniq", uniq],
  ["wc", wc],
  ["whoami", (ctx) => ctx.write("root\n")],
];

/** The utilities by name; each returns its outcome and the next filesystem. */
export const COREUTILS: ReadonlyMap<string, Coreutil> = new Map(
  PROGRAMS.map(([name, run]) => [
    name,
    (req: CommandRequest, fs: FsDir, now: number): { outcome: CommandOutcome; fs: FsDir } => {
      const ctx = new Ctx(name, req, fs, now);
      run(ctx);
      return ctx.done();
    },
  ]),
);

/** Where a utility lives ("/usr/bin/ls"), or null when it is not one. */
export function coreutilsPath(name: string): string | null {
  return COREUTILS.has(name) ? `/usr/bin/${name}` : null;
}
