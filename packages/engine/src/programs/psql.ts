// psql, PostgreSQL 16's client, for the course's "Database Volumes" exercise: `docker exec db psql
// -U postgres -c "CREATE TABLE …; INSERT …; SELECT …"`. It connects to the server of its own
// container (the Unix socket the server creates once it accepts connections), runs a small subset
// of SQL (CREATE/DROP TABLE and DATABASE, INSERT, SELECT with WHERE/ORDER BY/LIMIT, UPDATE, DELETE)
// and the \l, \dt, \d and \du meta-commands, and prints what psql prints: aligned tables as
// fe_utils/print.c lays them out, command tags, and errors with their LINE and caret (psql's
// reportErrorPosition). The data lives in the server's data directory (PGDATA), as real
// PostgreSQL's does, so it is in the volume mounted there and outlives the container: each table
// is one file base/<database oid>/<relfilenode>, the databases and roles are global/1262 and
// global/1260 (pg_database's and pg_authid's relfilenodes). drydock writes them as JSON text, not
// PostgreSQL's page format. A string of several statements runs as one implicit transaction, as
// the simple-query protocol does: an error rolls back the whole string, and psql 15+ prints the
// results before it. At a terminal psql's prompt is the playground's (world/attach.ts, with psqlLine).
import type { Micros } from "@drydock/kernel";
import { nodeAt, type FsDir } from "../fs/index.js";
import type { Program, StartContext } from "./program.js";
import { basePlan, exitPlan, linesAt, type PlanLine, type TimedWrite } from "./types.js";

const MS: Micros = 1000;
const SOCKET = "/var/run/postgresql/.s.PGSQL.5432";
const FIRST_NORMAL_OID = 16384;

// ---- the catalogue as files in PGDATA ----

export interface PgColumn {
  readonly name: string;
  /** The canonical type name, as \d shows it ("double precision", "character varying(20)"). */
  readonly type: string;
  readonly notNull?: boolean;
}

type Datum = string | number | boolean | null;

export interface PgTable {
  readonly relname: string;
  readonly columns: readonly PgColumn[];
  readonly rows: readonly (readonly Datum[])[];
  readonly owner: string;
}

export interface PgDatabase {
  readonly datname: string;
  readonly oid: number;
  readonly owner: string;
}

const DB_FILE = "global/1262";
const ROLE_FILE = "global/1260";

/** What initdb leaves (the official image's entrypoint: POSTGRES_USER and POSTGRES_DB). */
export function initialCatalog(user: string, db: string): { databases: PgDatabase[]; roles: string[] } {
  const databases: PgDatabase[] = [{ datname: "postgres", oid: 5, owner: user }, { datname: "template1", oid: 1, owner: user }, { datname: "template0", oid: 4, owner: user }];
  if (db !== "postgres") databases.push({ datname: db, oid: FIRST_NORMAL_OID, owner: user });
  return { databases, roles: [user] };
}

/** The files initdb writes for the catalogue (relative to PGDATA). */
export function catalogFiles(user: string, db: string): [string, string][] {
  const c = initialCatalog(user, db);
  return [[DB_FILE, JSON.stringify(c.databases) + "\n"], [ROLE_FILE, JSON.stringify(c.roles.map((r) => ({ rolname: r, rolsuper: true }))) + "\n"]];
}

function readText(fs: FsDir, path: string): string | undefined {
  const n = nodeAt(fs, path);
  return n?.kind === "file" && n.blob === undefined ? n.text : undefined;
}

function readJson<T>(fs: FsDir, path: string): T | undefined {
  const t = readText(fs, path);
  if (t === undefined) return undefined;
  try {
    return JSON.parse(t) as T;
  } catch {
    return undefined;
  }
}

/** A cluster's state as psql's session sees it: databases, roles and the tables of the connected database. */
class Cluster {
  databases: PgDatabase[];
  roles: string[];
  /** relfilenode → table, of the connected database. */
  tables = new Map<number, PgTable>();
  dirty = new Set<string>();

  constructor(readonly fs: FsDir, readonly pgdata: string, defaultUser: string) {
    const dbs = readJson<PgDatabase[]>(fs, `${pgdata}/${DB_FILE}`);
    const roles = readJson<{ rolname: string }[]>(fs, `${pgdata}/${ROLE_FILE}`);
    const init = initialCatalog(defaultUser, defaultUser);
    this.databases = Array.isArray(dbs) ? dbs : init.databases;
    this.roles = Array.isArray(roles) ? roles.map((r) => r.rolname) : init.roles;
  }

  database(name: string): PgDatabase | undefined {
    return this.databases.find((d) => d.datname === name);
  }

  load(db: PgDatabase): void {
    const dir = nodeAt(this.fs, `${this.pgdata}/base/${db.oid}`);
    if (dir?.kind !== "dir") return;
    for (const [name, n] of dir.entries) {
      if (!/^\d+$/.test(name) || Number(name) < FIRST_NORMAL_OID || n.kind !== "file") continue;
      try {
        const t = JSON.parse(n.text) as PgTable;
        if (typeof t.relname === "string" && Array.isArray(t.columns) && Array.isArray(t.rows)) this.tables.set(Number(name), t);
      } catch {
        // not one of ours
      }
    }
  }

  find(relname: string): [number, PgTable] | undefined {
    for (const e of this.tables) if (e[1].relname === relname) return e;
    return undefined;
  }

  nextOid(): number {
    let max = FIRST_NORMAL_OID - 3;
    for (const d of this.databases) max = Math.max(max, d.oid);
    for (const k of this.tables.keys()) max = Math.max(max, k);
    // A table takes an OID for itself, its row type and its array type.
    return max + 3;
  }
}

// ---- SQL: tokens ----

type Tok =
  | { k: "ident"; v: string; raw: string; pos: number; quoted: boolean }
  | { k: "num"; v: string; pos: number }
  | { k: "str"; v: string; pos: number }
  | { k: "op"; v: string; pos: number }
  | { k: "end"; pos: number };

class SqlError extends Error {
  constructor(message: string, readonly pos: number | null, readonly detail?: string) {
    super(message);
  }
}

/** A quoted identifier or string from `start` (its quote doubled inside stands for itself): its text and where it ends, or null when unterminated. */
function quoted(text: string, start: number, quote: string): { v: string; end: number } | null {
  let v = "";
  for (let i = start + 1; i < text.length;) {
    if (text[i] === quote && text[i + 1] === quote) {
      v += quote;
      i += 2;
    } else if (text[i] === quote) return { v, end: i + 1 };
    else v += text[i++];
  }
  return null;
}

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      const raw = text.slice(start, i);
      out.push({ k: "ident", v: raw.toLowerCase(), raw, pos: start, quoted: false });
      continue;
    }
    if (c === '"') {
      const q = quoted(text, i, '"');
      if (q === null) throw new SqlError("unterminated quoted identifier", start);
      i = q.end;
      out.push({ k: "ident", v: q.v, raw: q.v, pos: start, quoted: true });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      while (i < text.length && /[0-9.]/.test(text[i]!)) i++;
      if (/[eE]/.test(text[i] ?? "") && /[-+0-9]/.test(text[i + 1] ?? "")) {
        i += 2;
        while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      }
      out.push({ k: "num", v: text.slice(start, i), pos: start });
      continue;
    }
    if (c === "'") {
      const q = quoted(text, i, "'");
      if (q === null) throw new SqlError(`unterminated quoted string at or near "${text.slice(start)}"`, start);
      i = q.end;
      out.push({ k: "str", v: q.v, pos: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (["<=", ">=", "<>", "!=", "::"].includes(two)) {
      out.push({ k: "op", v: two, pos: start });
      i += 2;
      continue;
    }
    if ("(),;*=<>.+-".includes(c)) {
      out.push({ k: "op", v: c, pos: start });
      i++;
      continue;
    }
    throw new SqlError(`syntax error at or near "${c}"`, start);
  }
  out.push({ k: "end", pos: text.length });
  return out;
}

// ---- SQL: statements ----

type Expr =
  | { k: "lit"; v: Datum; pos: number; text: string }
  | { k: "col"; name: string; pos: number }
  | { k: "count"; pos: number }
  | { k: "version"; pos: number };

interface Cond {
  readonly col: string;
  readonly colPos: number;
  readonly op: string;
  readonly value: Expr;
}

/** WHERE as OR of ANDs. */
type Where = readonly (readonly Cond[])[] | null;

type Stmt =
  | { k: "create"; name: string; namePos: number; ifNotExists: boolean; columns: PgColumn[] }
  | { k: "drop"; names: { name: string; pos: number }[]; ifExists: boolean }
  | { k: "insert"; name: string; namePos: number; columns: { name: string; pos: number }[] | null; rows: Expr[][] }
  | { k: "select"; items: { expr: Expr; star: boolean }[]; from: { name: string; pos: number } | null; where: Where; order: { col: string; pos: number; desc: boolean } | null; limit: number | null }
  | { k: "update"; name: string; namePos: number; sets: { col: string; pos: number; value: Expr }[]; where: Where }
  | { k: "delete"; name: string; namePos: number; where: Where }
  | { k: "createdb"; name: string }
  | { k: "dropdb"; name: string; ifExists: boolean }
  | { k: "tx"; tag: string };

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}

  peek(): Tok {
    return this.toks[this.i]!;
  }

  next(): Tok {
    return this.toks[this.i++]!;
  }

  fail(t: Tok = this.peek()): never {
    if (t.k === "end") throw new SqlError("syntax error at end of input", t.pos);
    const text = t.k === "ident" ? t.raw : t.k === "str" ? `'${t.v}'` : t.v;
    throw new SqlError(`syntax error at or near "${t.k === "ident" && t.quoted ? `"${text}"` : text}"`, t.pos);
  }

  isWord(w: string): boolean {
    const t = this.peek();
    return t.k === "ident" && !t.quoted && t.v === w;
  }

  word(w: string): void {
    if (!this.isWord(w)) this.fail();
    this.i++;
  }

  maybeWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.i++;
    return true;
  }

  isOp(o: string): boolean {
    const t = this.peek();
    return t.k === "op" && t.v === o;
  }

  op(o: string): void {
    if (!this.isOp(o)) this.fail();
    this.i++;
  }

  name(): { name: string; pos: number } {
    const t = this.peek();
    if (t.k !== "ident") this.fail();
    this.i++;
    // public.products is products.
    if (this.isOp(".")) {
      this.i++;
      const u = this.peek();
      if (u.k !== "ident") this.fail();
      this.i++;
      return { name: u.v, pos: u.pos };
    }
    return { name: t.v, pos: t.pos };
  }

  statement(): Stmt {
    const t = this.peek();
    if (t.k !== "ident") this.fail();
    switch (t.v) {
      case "create": return this.create();
      case "drop": return this.drop();
      case "insert": return this.insert();
      case "select": return this.select();
      case "update": return this.update();
      case "delete": return this.del();
      case "begin": case "start": this.i++; this.maybeWord("transaction"); return { k: "tx", tag: "BEGIN" };
      case "commit": case "end": this.i++; this.maybeWord("transaction"); return { k: "tx", tag: "COMMIT" };
      default: return this.fail();
    }
  }

  create(): Stmt {
    this.word("create");
    if (this.maybeWord("database")) return { k: "createdb", name: this.name().name };
    this.word("table");
    let ifNotExists = false;
    if (this.maybeWord("if")) {
      this.word("not");
      this.word("exists");
      ifNotExists = true;
    }
    const { name, pos } = this.name();
    this.op("(");
    const columns: PgColumn[] = [];
    for (;;) {
      if (this.isWord("primary") || this.isWord("unique") || this.isWord("constraint") || this.isWord("foreign") || this.isWord("check")) this.skipGroup();
      else {
        const col = this.name();
        const type = this.type();
        let notNull = false;
        while (!this.isOp(",") && !this.isOp(")")) {
          if (this.peek().k === "end") this.fail();
          if (this.maybeWord("not")) {
            this.word("null");
            notNull = true;
          } else if (this.maybeWord("primary")) {
            this.word("key");
            notNull = true;
          } else this.skipOne();
        }
        columns.push({ name: col.name, type, ...(notNull ? { notNull } : {}) });
      }
      if (this.isOp(",")) {
        this.i++;
        continue;
      }
      this.op(")");
      break;
    }
    return { k: "create", name, namePos: pos, ifNotExists, columns };
  }

  /** A table constraint: words and parenthesised groups up to the next "," or ")" at this level. */
  skipGroup(): void {
    while (!this.isOp(",") && !this.isOp(")")) {
      if (this.peek().k === "end") this.fail();
      this.skipOne();
    }
  }

  skipOne(): void {
    if (this.isOp("(")) {
      let depth = 0;
      do {
        const t = this.next();
        if (t.k === "end") this.fail(t);
        if (t.k === "op" && t.v === "(") depth++;
        if (t.k === "op" && t.v === ")") depth--;
      } while (depth > 0);
      return;
    }
    this.i++;
  }

  type(): string {
    const t = this.peek();
    if (t.k !== "ident") this.fail();
    this.i++;
    const mods = (): string[] => {
      if (!this.isOp("(")) return [];
      this.i++;
      const out: string[] = [];
      for (;;) {
        const n = this.next();
        if (n.k !== "num") this.fail(n);
        out.push(n.v);
        if (this.isOp(",")) {
          this.i++;
          continue;
        }
        this.op(")");
        return out;
      }
    };
    switch (t.v) {
      case "int": case "integer": case "int4": case "serial": case "serial4": return "integer";
      case "bigint": case "int8": case "bigserial": case "serial8": return "bigint";
      case "smallint": case "int2": case "smallserial": return "smallint";
      case "float": case "float8": mods(); return "double precision";
      case "double": this.word("precision"); return "double precision";
      case "real": case "float4": return "real";
      case "numeric": case "decimal": { const m = mods(); return m.length > 0 ? `numeric(${m.join(",")})` : "numeric"; }
      case "text": return "text";
      case "varchar": { const m = mods(); return m.length > 0 ? `character varying(${m[0]})` : "character varying"; }
      case "character": case "char": {
        if (this.maybeWord("varying")) { const m = mods(); return m.length > 0 ? `character varying(${m[0]})` : "character varying"; }
        const m = mods();
        return `character(${m[0] ?? "1"})`;
      }
      case "boolean": case "bool": return "boolean";
      case "date": return "date";
      case "timestamp": case "timestamptz": return t.v === "timestamptz" ? "timestamp with time zone" : "timestamp without time zone";
      default: throw new SqlError(`type "${t.v}" does not exist`, t.pos);
    }
  }

  drop(): Stmt {
    this.word("drop");
    if (this.maybeWord("database")) {
      let ifExists = false;
      if (this.maybeWord("if")) {
        this.word("exists");
        ifExists = true;
      }
      return { k: "dropdb", name: this.name().name, ifExists };
    }
    this.word("table");
    let ifExists = false;
    if (this.maybeWord("if")) {
      this.word("exists");
      ifExists = true;
    }
    const names = [this.name()];
    while (this.isOp(",")) {
      this.i++;
      names.push(this.name());
    }
    return { k: "drop", names, ifExists };
  }

  insert(): Stmt {
    this.word("insert");
    this.word("into");
    const { name, pos } = this.name();
    let columns: { name: string; pos: number }[] | null = null;
    if (this.isOp("(")) {
      this.i++;
      columns = [this.name()];
      while (this.isOp(",")) {
        this.i++;
        columns.push(this.name());
      }
      this.op(")");
    }
    this.word("values");
    const rows: Expr[][] = [];
    for (;;) {
      this.op("(");
      const row = [this.expr()];
      while (this.isOp(",")) {
        this.i++;
        row.push(this.expr());
      }
      this.op(")");
      rows.push(row);
      if (!this.isOp(",")) break;
      this.i++;
    }
    return { k: "insert", name, namePos: pos, columns, rows };
  }

  expr(): Expr {
    const t = this.peek();
    if (t.k === "op" && t.v === "-" ) {
      this.i++;
      const n = this.next();
      if (n.k !== "num") this.fail(n);
      return { k: "lit", v: -Number(n.v), pos: t.pos, text: `-${n.v}` };
    }
    if (t.k === "num") {
      this.i++;
      return { k: "lit", v: Number(t.v), pos: t.pos, text: t.v };
    }
    if (t.k === "str") {
      this.i++;
      return { k: "lit", v: t.v, pos: t.pos, text: t.v };
    }
    if (t.k === "ident" && !t.quoted && ["null", "true", "false"].includes(t.v)) {
      this.i++;
      return { k: "lit", v: t.v === "null" ? null : t.v === "true", pos: t.pos, text: t.v };
    }
    if (t.k === "ident" && !t.quoted && t.v === "count" && this.toks[this.i + 1]?.k === "op") {
      this.i++;
      this.op("(");
      this.op("*");
      this.op(")");
      return { k: "count", pos: t.pos };
    }
    if (t.k === "ident" && !t.quoted && t.v === "version" && this.toks[this.i + 1]?.k === "op" && (this.toks[this.i + 1] as { v: string }).v === "(") {
      this.i += 2;
      this.op(")");
      return { k: "version", pos: t.pos };
    }
    if (t.k === "ident") {
      const n = this.name();
      return { k: "col", name: n.name, pos: n.pos };
    }
    return this.fail();
  }

  where(): Where {
    if (!this.maybeWord("where")) return null;
    const ors: Cond[][] = [[]];
    for (;;) {
      const col = this.name();
      const t = this.next();
      if (t.k !== "op" || !["=", "<", ">", "<=", ">=", "<>", "!="].includes(t.v)) this.fail(t);
      ors[ors.length - 1]!.push({ col: col.name, colPos: col.pos, op: t.v, value: this.expr() });
      if (this.maybeWord("and")) continue;
      if (this.maybeWord("or")) {
        ors.push([]);
        continue;
      }
      return ors;
    }
  }

  select(): Stmt {
    this.word("select");
    const items: { expr: Expr; star: boolean }[] = [];
    for (;;) {
      if (this.isOp("*")) {
        const t = this.next();
        items.push({ expr: { k: "col", name: "*", pos: t.pos }, star: true });
      } else items.push({ expr: this.expr(), star: false });
      if (!this.isOp(",")) break;
      this.i++;
    }
    let from: { name: string; pos: number } | null = null;
    if (this.maybeWord("from")) from = this.name();
    const where = this.where();
    let order: { col: string; pos: number; desc: boolean } | null = null;
    if (this.maybeWord("order")) {
      this.word("by");
      const c = this.name();
      const desc = this.maybeWord("desc");
      if (!desc) this.maybeWord("asc");
      order = { col: c.name, pos: c.pos, desc };
    }
    let limit: number | null = null;
    if (this.maybeWord("limit")) {
      const n = this.next();
      if (n.k !== "num") this.fail(n);
      limit = Number(n.v);
    }
    return { k: "select", items, from, where, order, limit };
  }

  update(): Stmt {
    this.word("update");
    const { name, pos } = this.name();
    this.word("set");
    const sets: { col: string; pos: number; value: Expr }[] = [];
    for (;;) {
      const c = this.name();
      this.op("=");
      sets.push({ col: c.name, pos: c.pos, value: this.expr() });
      if (!this.isOp(",")) break;
      this.i++;
    }
    return { k: "update", name, namePos: pos, sets, where: this.where() };
  }

  del(): Stmt {
    this.word("delete");
    this.word("from");
    const { name, pos } = this.name();
    return { k: "delete", name, namePos: pos, where: this.where() };
  }
}

/** The statements of a query string (empty ones skipped), each with its token list. */
function parseAll(text: string): Stmt[] {
  const toks = lex(text);
  const out: Stmt[] = [];
  const p = new Parser(toks);
  for (;;) {
    while (p.isOp(";")) p.i++;
    if (p.peek().k === "end") return out;
    out.push(p.statement());
    if (!p.isOp(";") && p.peek().k !== "end") p.fail();
  }
}

// ---- values ----

const NUMERIC_TYPES = /^(integer|bigint|smallint|double precision|real|numeric)/;
const isNumericType = (type: string) => NUMERIC_TYPES.test(type);

/** A literal stored in a column of `type` (PostgreSQL's input functions). */
function coerce(e: Expr, col: PgColumn): Datum {
  if (e.k !== "lit") throw new SqlError(`column "${e.k === "col" ? e.name : "count"}" does not exist`, e.pos);
  const v = e.v;
  if (v === null) {
    if (col.notNull) throw new SqlError(`null value in column "${col.name}" of relation violates not-null constraint`, null);
    return null;
  }
  const t = col.type;
  const text = typeof v === "string" ? v : e.text;
  if (/^(integer|bigint|smallint)$/.test(t)) {
    if (typeof v === "boolean" || !/^\s*[-+]?\d+\s*$/.test(text)) {
      if (typeof v === "number") return Math.round(v);
      throw new SqlError(`invalid input syntax for type ${t}: "${text}"`, e.pos);
    }
    return Number(text);
  }
  if (/^(double precision|real|numeric)/.test(t)) {
    if (typeof v === "boolean" || !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text)) {
      throw new SqlError(`invalid input syntax for type ${t.startsWith("numeric") ? "numeric" : t}: "${text}"`, e.pos);
    }
    const m = /^numeric\(\d+,(\d+)\)$/.exec(t);
    return m ? Number(Number(text).toFixed(Number(m[1]))) : Number(text);
  }
  if (t === "boolean") {
    if (typeof v === "boolean") return v;
    const b = text.trim().toLowerCase();
    if (["t", "true", "yes", "on", "1", "y"].includes(b)) return true;
    if (["f", "false", "no", "off", "0", "n"].includes(b)) return false;
    throw new SqlError(`invalid input syntax for type boolean: "${text}"`, e.pos);
  }
  const len = /^character(?: varying)?\((\d+)\)$/.exec(t);
  if (len && text.length > Number(len[1])) throw new SqlError(`value too long for type ${t}`, null);
  return text;
}

/** How psql shows a value (the server's output functions). */
function show(v: Datum, type: string): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number") {
    const m = /^numeric\(\d+,(\d+)\)$/.exec(type);
    if (m) return v.toFixed(Number(m[1]));
    if (type === "real") return String(Math.fround(v) === v ? v : Number(Math.fround(v).toPrecision(9)).valueOf());
    if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    return String(v);
  }
  return v;
}

function compare(a: Datum, b: Datum): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function test(op: string, a: Datum, b: Datum): boolean {
  if (a === null || b === null) return false;
  const c = compare(a, b);
  switch (op) {
    case "=": return c === 0;
    case "<>": case "!=": return c !== 0;
    case "<": return c < 0;
    case ">": return c > 0;
    case "<=": return c <= 0;
    default: return c >= 0;
  }
}

// ---- output: fe_utils/print.c, aligned format, border 1 ----

interface Result {
  readonly title?: string;
  readonly headers: readonly string[];
  readonly aligns: readonly ("l" | "r")[];
  readonly rows: readonly (readonly string[])[];
  /** Footer lines; default "(N rows)". */
  readonly footer?: readonly string[];
}

const width = (s: string) => [...s].length;

/** print_aligned_text with border 1: centred headers, a rule, cells with "+" marking a cell's continued lines, the footer, a blank line. */
export function alignedTable(r: Result): string {
  const cols = r.headers.length;
  const cells = r.rows.map((row) => row.map((c) => c.split("\n")));
  const widths = r.headers.map((h, i) => Math.max(width(h), ...cells.map((row) => Math.max(...row[i]!.map(width)))));
  let out = "";
  const total = widths.reduce((n, w) => n + w, 0) + cols * 3 - 1;
  if (r.title !== undefined) out += width(r.title) >= total ? `${r.title}\n` : `${" ".repeat(Math.floor((total - width(r.title)) / 2))}${r.title}\n`;
  out += r.headers.map((h, i) => {
    const nb = widths[i]! - width(h);
    return ` ${" ".repeat(Math.floor(nb / 2))}${h}${" ".repeat(Math.floor((nb + 1) / 2))} `;
  }).join("|") + "\n";
  out += widths.map((w) => "-".repeat(w + 2)).join("+") + "\n";
  for (const row of cells) {
    const height = Math.max(1, ...row.map((c) => c.length));
    for (let l = 0; l < height; l++) {
      let line = "";
      for (let j = 0; j < cols; j++) {
        const lines = row[j]!;
        const text = lines[l];
        const last = j === cols - 1;
        const more = l + 1 < lines.length;
        line += " ";
        if (text === undefined) {
          if (!last) line += " ".repeat(widths[j]!);
        } else if (r.aligns[j] === "r") line += text.padStart(widths[j]!);
        else line += !last || more ? text.padEnd(widths[j]!) : text;
        if (more) line += "+";
        else if (!last) line += " ";
        if (!last) line += "|";
      }
      out += line + "\n";
    }
  }
  const footer = r.footer ?? [`(${r.rows.length} ${r.rows.length === 1 ? "row" : "rows"})`];
  for (const f of footer) out += `${f}\n`;
  return out + "\n";
}

// ---- errors as psql reports them ----

const DISPLAY_SIZE = 60;
const MIN_RIGHT_CUT = 10;

/** libpq's reportErrorPosition: the query's line holding the error, cut to fit, and a caret under it. */
function errorText(e: SqlError, query: string): string {
  let out = `ERROR:  ${e.message}\n`;
  if (e.detail !== undefined) out += `DETAIL:  ${e.detail}\n`;
  if (e.pos === null) return out;
  const chars = [...query];
  const loc = Math.min(e.pos, chars.length);
  let lineNo = 1;
  let ibeg = 0;
  for (let i = 0; i < loc; i++) {
    if (chars[i] === "\n") {
      lineNo++;
      ibeg = i + 1;
    }
  }
  let iend = ibeg;
  while (iend < chars.length && chars[iend] !== "\n") iend++;
  let begTrunc = false;
  let endTrunc = false;
  if (iend - ibeg > DISPLAY_SIZE) {
    if (ibeg + DISPLAY_SIZE >= loc + MIN_RIGHT_CUT) {
      while (iend - ibeg > DISPLAY_SIZE) iend--;
      endTrunc = true;
    } else {
      while (loc + MIN_RIGHT_CUT < iend) {
        iend--;
        endTrunc = true;
      }
      while (iend - ibeg > DISPLAY_SIZE) {
        ibeg++;
        begTrunc = true;
      }
    }
  }
  const prefix = `LINE ${lineNo}: ${begTrunc ? "..." : ""}`;
  out += `${prefix}${chars.slice(ibeg, iend).join("")}${endTrunc ? "..." : ""}\n`;
  out += `${" ".repeat(prefix.length + loc - ibeg)}^\n`;
  return out;
}

// ---- running a query string ----

interface Session {
  readonly cluster: Cluster;
  readonly db: PgDatabase;
  readonly user: string;
  readonly version: string;
  readonly platform: string;
}

interface Output {
  stdout: string;
  stderr: string;
  failed: boolean;
}

function execute(s: Session, stmt: Stmt, out: Output): void {
  const c = s.cluster;
  const table = (name: string, pos: number): [number, PgTable] => {
    const t = c.find(name);
    if (!t) throw new SqlError(`relation "${name}" does not exist`, pos);
    return t;
  };
  const column = (t: PgTable, name: string, pos: number): number => {
    const i = t.columns.findIndex((x) => x.name === name);
    if (i < 0) throw new SqlError(`column "${name}" does not exist`, pos);
    return i;
  };
  const matches = (t: PgTable, where: Where) => {
    if (where === null) return () => true;
    const compiled = where.map((ands) => ands.map((w) => {
      const i = column(t, w.col, w.colPos);
      const v = w.value.k === "lit" ? coerce(w.value, t.columns[i]!) : null;
      return (row: readonly Datum[]) => test(w.op, row[i]!, v);
    }));
    return (row: readonly Datum[]) => compiled.some((ands) => ands.every((f) => f(row)));
  };
  const save = (oid: number, t: PgTable) => {
    c.tables.set(oid, t);
    c.dirty.add(`base/${s.db.oid}/${oid}`);
  };
  switch (stmt.k) {
    case "tx":
      out.stdout += `${stmt.tag}\n`;
      return;
    case "create": {
      if (c.find(stmt.name)) {
        if (stmt.ifNotExists) {
          out.stderr += `NOTICE:  relation "${stmt.name}" already exists, skipping\n`;
          out.stdout += "CREATE TABLE\n";
          return;
        }
        throw new SqlError(`relation "${stmt.name}" already exists`, null);
      }
      const seen = new Set<string>();
      for (const col of stmt.columns) {
        if (seen.has(col.name)) throw new SqlError(`column "${col.name}" specified more than once`, null);
        seen.add(col.name);
      }
      save(c.nextOid(), { relname: stmt.name, columns: stmt.columns, rows: [], owner: s.user });
      out.stdout += "CREATE TABLE\n";
      return;
    }
    case "drop": {
      for (const n of stmt.names) {
        const t = c.find(n.name);
        if (!t) {
          if (stmt.ifExists) {
            out.stderr += `NOTICE:  table "${n.name}" does not exist, skipping\n`;
            continue;
          }
          throw new SqlError(`table "${n.name}" does not exist`, null);
        }
        c.tables.delete(t[0]);
        c.dirty.add(`base/${s.db.oid}/${t[0]}`);
      }
      out.stdout += "DROP TABLE\n";
      return;
    }
    case "insert": {
      const [oid, t] = table(stmt.name, stmt.namePos);
      const targets = stmt.columns === null ? t.columns.map((_, i) => i) : stmt.columns.map((col) => column(t, col.name, col.pos));
      const rows = [...t.rows];
      for (const values of stmt.rows) {
        if (values.length > targets.length) throw new SqlError("INSERT has more expressions than target columns", values[targets.length]!.pos);
        if (values.length < targets.length && stmt.columns !== null) throw new SqlError("INSERT has more target columns than expressions", stmt.columns[values.length]!.pos);
        const row: Datum[] = t.columns.map(() => null);
        values.forEach((v, k) => {
          row[targets[k]!] = coerce(v, t.columns[targets[k]!]!);
        });
        t.columns.forEach((col, i) => {
          if (col.notNull && row[i] === null) throw new SqlError(`null value in column "${col.name}" of relation "${t.relname}" violates not-null constraint`, null, `Failing row contains (${row.map((x) => (x === null ? "null" : show(x, ""))).join(", ")}).`);
        });
        rows.push(row);
      }
      save(oid, { ...t, rows });
      out.stdout += `INSERT 0 ${stmt.rows.length}\n`;
      return;
    }
    case "select": {
      if (stmt.from === null) {
        const headers: string[] = [];
        const aligns: ("l" | "r")[] = [];
        const row: string[] = [];
        for (const it of stmt.items) {
          const e = it.expr;
          if (it.star) throw new SqlError("SELECT * with no tables specified is not valid", e.pos);
          if (e.k === "col") throw new SqlError(`column "${e.name}" does not exist`, e.pos);
          if (e.k === "count") {
            headers.push("count");
            aligns.push("r");
            row.push("1");
          } else if (e.k === "version") {
            headers.push("version");
            aligns.push("l");
            row.push(`PostgreSQL ${s.version} on ${s.platform}`);
          } else {
            headers.push("?column?");
            aligns.push(typeof e.v === "number" ? "r" : "l");
            row.push(e.v === null ? "" : typeof e.v === "boolean" ? (e.v ? "t" : "f") : String(e.v));
          }
        }
        out.stdout += alignedTable({ headers, aligns, rows: [row] });
        return;
      }
      const [, t] = table(stmt.from.name, stmt.from.pos);
      let rows = t.rows.filter(matches(t, stmt.where));
      if (stmt.order !== null) {
        const i = column(t, stmt.order.col, stmt.order.pos);
        const dir = stmt.order.desc ? -1 : 1;
        rows = [...rows].sort((a, b) => dir * compare(a[i]!, b[i]!));
      }
      if (stmt.limit !== null) rows = rows.slice(0, stmt.limit);
      if (stmt.items.some((it) => it.expr.k === "count")) {
        if (stmt.items.length > 1) throw new SqlError(`column "${t.columns[0]?.name ?? "?"}" must appear in the GROUP BY clause or be used in an aggregate function`, null);
        out.stdout += alignedTable({ headers: ["count"], aligns: ["r"], rows: [[String(rows.length)]] });
        return;
      }
      const picks: { header: string; index: number | null; value?: string; type: string }[] = [];
      for (const it of stmt.items) {
        if (it.star) {
          t.columns.forEach((col, i) => picks.push({ header: col.name, index: i, type: col.type }));
          continue;
        }
        const e = it.expr;
        if (e.k === "col") {
          const i = column(t, e.name, e.pos);
          picks.push({ header: e.name, index: i, type: t.columns[i]!.type });
        } else if (e.k === "lit") picks.push({ header: "?column?", index: null, value: e.v === null ? "" : String(e.v), type: typeof e.v === "number" ? "integer" : "text" });
        else if (e.k === "version") picks.push({ header: "version", index: null, value: `PostgreSQL ${s.version} on ${s.platform}`, type: "text" });
      }
      out.stdout += alignedTable({
        headers: picks.map((p) => p.header), aligns: picks.map((p) => (isNumericType(p.type) ? "r" : "l")),
        rows: rows.map((row) => picks.map((p) => (p.index === null ? p.value! : show(row[p.index]!, p.type)))),
      });
      return;
    }
    case "update": {
      const [oid, t] = table(stmt.name, stmt.namePos);
      const sets = stmt.sets.map((x) => {
        const i = column(t, x.col, x.pos);
        return { i, v: coerce(x.value, t.columns[i]!) };
      });
      const pick = matches(t, stmt.where);
      let n = 0;
      const rows = t.rows.map((row) => {
        if (!pick(row)) return row;
        n++;
        const next = [...row];
        for (const x of sets) next[x.i] = x.v;
        return next;
      });
      save(oid, { ...t, rows });
      out.stdout += `UPDATE ${n}\n`;
      return;
    }
    case "delete": {
      const [oid, t] = table(stmt.name, stmt.namePos);
      const pick = matches(t, stmt.where);
      const rows = t.rows.filter((row) => !pick(row));
      save(oid, { ...t, rows });
      out.stdout += `DELETE ${t.rows.length - rows.length}\n`;
      return;
    }
    case "createdb": {
      if (c.database(stmt.name)) throw new SqlError(`database "${stmt.name}" already exists`, null);
      c.databases.push({ datname: stmt.name, oid: c.nextOid(), owner: s.user });
      c.dirty.add(DB_FILE);
      c.dirty.add(`base/${c.databases[c.databases.length - 1]!.oid}/PG_VERSION`);
      out.stdout += "CREATE DATABASE\n";
      return;
    }
    case "dropdb": {
      const d = c.database(stmt.name);
      if (!d) {
        if (stmt.ifExists) {
          out.stderr += `NOTICE:  database "${stmt.name}" does not exist, skipping\n`;
          out.stdout += "DROP DATABASE\n";
          return;
        }
        throw new SqlError(`database "${stmt.name}" does not exist`, null);
      }
      if (d.datname === s.db.datname) throw new SqlError("cannot drop the currently open database", null);
      if (d.datname === "template0" || d.datname === "template1") throw new SqlError(`cannot drop a template database`, null);
      c.databases = c.databases.filter((x) => x !== d);
      c.dirty.add(DB_FILE);
      c.dirty.add(`base/${d.oid}`);
      out.stdout += "DROP DATABASE\n";
      return;
    }
  }
}

// ---- meta-commands ----

function metaCommand(s: Session, text: string, out: Output): void {
  const [cmd, arg] = text.trim().split(/\s+/) as [string, string | undefined];
  const c = s.cluster;
  switch (cmd) {
    case "\\l": case "\\list": {
      const rows = [...c.databases].sort((a, b) => (a.datname < b.datname ? -1 : 1)).map((d) => {
        const acl = d.datname === "template0" || d.datname === "template1" ? `=c/${d.owner}\n${d.owner}=CTc/${d.owner}` : "";
        return [d.datname, d.owner, "UTF8", "libc", "en_US.utf8", "en_US.utf8", "", "", acl];
      });
      out.stdout += alignedTable({
        title: "List of databases",
        headers: ["Name", "Owner", "Encoding", "Locale Provider", "Collate", "Ctype", "ICU Locale", "ICU Rules", "Access privileges"],
        aligns: ["l", "l", "l", "l", "l", "l", "l", "l", "l"], rows,
      });
      return;
    }
    case "\\dt": case "\\d": {
      if (cmd === "\\d" && arg !== undefined) {
        const t = c.find(arg.toLowerCase());
        if (!t) {
          out.stderr += `Did not find any relation named "${arg}".\n`;
          return;
        }
        out.stdout += alignedTable({
          title: `Table "public.${t[1].relname}"`, headers: ["Column", "Type", "Collation", "Nullable", "Default"], aligns: ["l", "l", "l", "l", "l"],
          rows: t[1].columns.map((col) => [col.name, col.type, "", col.notNull ? "not null" : "", ""]), footer: [],
        });
        return;
      }
      const tables = [...c.tables.values()].sort((a, b) => (a.relname < b.relname ? -1 : 1));
      if (tables.length === 0) {
        out.stderr += "Did not find any relations.\n";
        return;
      }
      out.stdout += alignedTable({
        title: "List of relations", headers: ["Schema", "Name", "Type", "Owner"], aligns: ["l", "l", "l", "l"],
        rows: tables.map((t) => ["public", t.relname, "table", t.owner]),
      });
      return;
    }
    case "\\du": {
      out.stdout += alignedTable({
        title: "List of roles", headers: ["Role name", "Attributes"], aligns: ["l", "l"],
        rows: c.roles.map((r) => [r, "Superuser, Create role, Create DB, Replication, Bypass RLS"]), footer: [],
      });
      return;
    }
    case "\\q":
      return;
    default:
      out.stderr += `invalid command ${cmd}\nTry \\? for help.\n`;
      out.failed = true;
  }
}

// ---- the program ----

interface Options {
  commands: string[];
  user: string | null;
  db: string | null;
  host: string | null;
  list: boolean;
  version: boolean;
  error: string | null;
}

function parseArgs(args: readonly string[]): Options {
  const o: Options = { commands: [], user: null, db: null, host: null, list: false, version: false, error: null };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (long: string): string | null => {
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      if (a.length > 2 && !a.startsWith("--")) return a.slice(2);
      const v = args[++i];
      if (v === undefined) {
        o.error = `psql: option requires an argument -- '${a.replace(/^-+/, "")}'\npsql: hint: Try "psql --help" for more information.\n`;
        return null;
      }
      return v;
    };
    if (a === "-c" || a.startsWith("--command") || (a.startsWith("-c") && a.length > 2)) {
      const v = value("--command");
      if (v !== null) o.commands.push(v);
    } else if (a === "-U" || a.startsWith("--username") || (a.startsWith("-U") && a.length > 2)) o.user = value("--username");
    else if (a === "-d" || a.startsWith("--dbname") || (a.startsWith("-d") && a.length > 2)) o.db = value("--dbname");
    else if (a === "-h" || a.startsWith("--host") || (a.startsWith("-h") && a.length > 2)) o.host = value("--host");
    else if (a === "-p" || a.startsWith("--port") || (a.startsWith("-p") && a.length > 2)) value("--port");
    else if (a === "-l" || a === "--list") o.list = true;
    else if (a === "-V" || a === "--version") o.version = true;
    else if (/^-[qXwWeEnaAt]+$/.test(a) || a === "--no-psqlrc" || a === "--quiet") continue;
    else if (a === "-v" || a === "--set" || a === "--variable") i++;
    else if (a.startsWith("-")) {
      o.error = `psql: invalid option -- '${a.replace(/^-+/, "")}'\npsql: hint: Try "psql --help" for more information.\n`;
    } else positional.push(a);
  }
  if (o.db === null && positional[0] !== undefined) o.db = positional[0];
  if (o.user === null && positional[1] !== undefined) o.user = positional[1];
  return o;
}

const out = (at: Micros, text: string, stream: "stdout" | "stderr") => linesAt(at, text, stream);

/** What psql prints when it starts at a terminal (psql/startup.c connection_warnings, then "Type \"help\" for help."). */
export function psqlBanner(version: string): string {
  return `psql (${version})\nType "help" for help.\n\n`;
}

/** An interactive psql as its terminal sees it: who it connected as, to which database, and the statement typed so far. */
export interface PsqlInteractive {
  readonly user: string;
  readonly db: string;
  /** Lines of a statement not yet ended by `;` (psql's query buffer). */
  readonly buffer: string;
}

/**
 * The session `psql ARGS` opens at a terminal (its -U and -d, PGUSER/PGDATABASE, then the OS
 * user), or null when ARGS run commands (-c, -l) rather than read the terminal.
 */
export function interactiveSession(argv: readonly string[], env: ReadonlyMap<string, string>, osUser: string): PsqlInteractive | null {
  const o = parseArgs(argv.slice(1));
  if (o.version || o.error !== null || o.list || o.commands.length > 0) return null;
  const user = o.user ?? env.get("PGUSER") ?? osUser;
  return { user, db: o.db ?? env.get("PGDATABASE") ?? user, buffer: "" };
}

/**
 * psql's prompt (PROMPT1 `%/%R%# `, PROMPT2 while a statement goes on): the database, `=` or `-`
 * when the query buffer holds an unfinished statement, `#` for a superuser and `>` otherwise.
 */
export function psqlPrompt(s: PsqlInteractive, superuser: boolean): string {
  return `${s.db}${s.buffer === "" ? "=" : "-"}${superuser ? "#" : ">"} `;
}

/**
 * One line typed at psql's prompt: what to run (a meta-command, or the statement the line ends with
 * `;`, as `psql -c` runs it), `quit` for `\q`, or nothing yet (the statement goes on).
 */
export function psqlLine(s: PsqlInteractive, line: string): { next: PsqlInteractive; run: string | null; quit: boolean } {
  const t = line.trim();
  if (s.buffer === "" && (t === "\\q" || t === "\\quit" || t === "exit" || t === "quit")) return { next: s, run: null, quit: true };
  if (s.buffer === "" && t.startsWith("\\")) return { next: s, run: t, quit: false };
  if (s.buffer === "" && t === "") return { next: s, run: null, quit: false };
  const buffer = s.buffer + line + "\n";
  if (t.endsWith(";")) return { next: { ...s, buffer: "" }, run: buffer.trimEnd(), quit: false };
  return { next: { ...s, buffer }, run: null, quit: false };
}

export const psql: Program = {
  names: ["psql"],
  start(ctx: StartContext) {
    const o = parseArgs(ctx.spec.argv.slice(1));
    const version = (ctx.env.get("PG_VERSION") ?? "16.4").split("-")[0]!;
    if (o.version) return exitPlan("psql", 0, out(0, `psql (PostgreSQL) ${version}\n`, "stdout"));
    if (o.error !== null) return exitPlan("psql", 1, out(0, o.error, "stderr"));
    const osUser = ctx.spec.user === "" || ctx.spec.user === "0" ? "root" : ctx.spec.user.split(":")[0]!;
    const user = o.user ?? ctx.env.get("PGUSER") ?? osUser;
    const dbName = o.db ?? ctx.env.get("PGDATABASE") ?? user;
    const local = o.host === null || o.host.startsWith("/");
    const where = local ? `socket "${SOCKET}"` : `"${o.host}" (${o.host === "localhost" ? "127.0.0.1" : o.host}), port 5432`;
    const fail = (text: string) => exitPlan("psql", 2, out(2 * MS, `psql: error: connection to server ${local ? "on" : "at"} ${where} failed: ${text}\n`, "stderr"));
    if (!local && o.host !== "localhost" && o.host !== "127.0.0.1") {
      return exitPlan("psql", 2, out(2 * MS, `psql: error: could not translate host name "${o.host}" to address: Name or service not known\n`, "stderr"));
    }
    if (readText(ctx.fs, SOCKET) === undefined) {
      return fail(local ? "No such file or directory\n\tIs the server running locally and accepting connections on that socket?" : "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?");
    }
    const pgdata = ctx.env.get("PGDATA") ?? "/var/lib/postgresql/data";
    const userFile = ctx.env.get("POSTGRES_USER_FILE");
    const defaultUser = ctx.env.get("POSTGRES_USER") ?? (userFile !== undefined ? readText(ctx.fs, userFile)?.replace(/\n+$/, "") : undefined) ?? "postgres";
    const cluster = new Cluster(ctx.fs, pgdata, defaultUser);
    if (!cluster.roles.includes(user)) return fail(`FATAL:  role "${user}" does not exist`);
    const db = cluster.database(dbName);
    if (!db) return fail(`FATAL:  database "${dbName}" does not exist`);
    cluster.load(db);
    const platform = ctx.env.has("PG_SHA256") || /alpine/.test(ctx.image)
      ? "x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit"
      : "x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit";
    const session: Session = { cluster, db, user, version, platform };
    const result: Output = { stdout: "", stderr: "", failed: false };
    const commands = o.list ? ["\\l"] : o.commands;
    if (commands.length === 0 && ctx.spec.interactive && ctx.spec.tty) {
      // The interactive prompt: psql prints its banner and reads the terminal. The terminal that
      // runs it (the playground's attachment, world/attach.ts) shows `db=#` and sends each
      // statement, once a `;` ends it, to this program as `psql -c` (interactiveSession).
      return { ...basePlan("psql"), lines: out(2 * MS, psqlBanner(version), "stdout"), exit: null };
    }
    if (commands.length === 0) {
      // Without a terminal psql reads SQL from stdin: none here.
      return exitPlan("psql", 0, [
        ...out(2 * MS, `psql (${version})\nType "help" for help.\n\n`, "stdout"),
        ...out(2 * MS, `drydock: psql's interactive prompt is not simulated; run SQL with psql -c "…" (e.g. docker exec ${ctx.containerName} psql -U ${user} -c "SELECT 1;")\n`, "stderr"),
      ]);
    }
    for (const text of commands) {
      if (text.trimStart().startsWith("\\")) {
        metaCommand(session, text, result);
        continue;
      }
      // One query string: one implicit transaction (everything or nothing is kept).
      const tablesBefore = new Map(cluster.tables);
      const dbsBefore = [...cluster.databases];
      const dirtyBefore = new Set(cluster.dirty);
      try {
        const stmts = parseAll(text);
        for (const st of stmts) execute(session, st, result);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        cluster.tables = tablesBefore;
        cluster.databases = dbsBefore;
        cluster.dirty = dirtyBefore;
        result.stderr += errorText(e, text);
        result.failed = true;
        break;
      }
    }
    const writes: TimedWrite[] = [];
    for (const rel of [...cluster.dirty].sort()) {
      const path = `${pgdata}/${rel}`;
      if (rel === DB_FILE) writes.push({ at: 2 * MS, path, text: JSON.stringify(cluster.databases) + "\n" });
      else if (rel.endsWith("/PG_VERSION")) writes.push({ at: 2 * MS, path, text: `${(ctx.env.get("PG_MAJOR") ?? version.split(".")[0])}\n` });
      else if (/^base\/\d+$/.test(rel)) writes.push({ at: 2 * MS, path, text: null });
      else {
        const oid = Number(rel.slice(rel.lastIndexOf("/") + 1));
        const t = cluster.tables.get(oid);
        writes.push({ at: 2 * MS, path, text: t ? JSON.stringify(t) + "\n" : null });
      }
    }
    const lines: PlanLine[] = [...out(2 * MS, result.stdout, "stdout"), ...out(2 * MS, result.stderr, "stderr")];
    return { ...basePlan("psql"), lines, writes, exit: { at: 3 * MS, code: result.failed ? 1 : 0 } };
  },
};
