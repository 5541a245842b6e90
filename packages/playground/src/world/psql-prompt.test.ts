import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

function db(): Playground {
  const pg = createPlayground({ seed: 5 });
  expect(pg.exec("docker pull postgres:16-alpine").exitCode).toBe(0);
  pg.exec("docker run -d --name some-postgres -v pgdata:/var/lib/postgresql/data -e POSTGRES_PASSWORD=pw postgres:16-alpine");
  pg.exec("sleep 3");
  return pg;
}

/** A line typed at the attached terminal: what it printed and the prompt after it. */
function typed(pg: Playground, line: string): { out: string; prompt: string | null } {
  const r = pg.exec(line);
  return { out: r.stdout + r.stderr, prompt: pg.prompt().text };
}

describe("psql's interactive prompt (QA 2026-11-30 #9; psql 16)", () => {
  it("docker exec -it some-postgres psql -U postgres: the banner, `postgres=#`, statements run by the SQL subset, \\q leaves", () => {
    const pg = db();
    // Defect #9: "drydock: psql's interactive prompt is not simulated" and back to the host.
    pg.begin("docker container exec -it some-postgres psql -U postgres");
    expect(pg.output()).toBe('psql (16.4)\nType "help" for help.\n\n');
    expect(pg.prompt().text).toBe("postgres=# ");
    // psql's PROMPT2 while the statement goes on, until a `;` ends it.
    expect(typed(pg, "CREATE TABLE products(")).toEqual({ out: "", prompt: "postgres-# " });
    expect(typed(pg, "price FLOAT, name TEXT);")).toEqual({ out: "CREATE TABLE\n", prompt: "postgres=# " });
    expect(typed(pg, "INSERT INTO products VALUES (1.45, 'sprocket'), (18.95, 'widget');").out).toBe("INSERT 0 2\n");
    expect(typed(pg, "SELECT * FROM products ORDER BY price;").out).toBe(" price |   name   \n-------+----------\n  1.45 | sprocket\n 18.95 | widget\n(2 rows)\n\n");
    expect(typed(pg, "SELECT * FROM nope;")).toEqual({
      out: 'ERROR:  relation "nope" does not exist\nLINE 1: SELECT * FROM nope;\n                      ^\n', prompt: "postgres=# ",
    });
    expect(typed(pg, "\\dt").out).toContain(" public | products | table | postgres\n");
    expect(typed(pg, "\\q").prompt).toBeNull();
    expect(pg.busy()).toBe(false);
    expect(pg.attached()).toBeNull();
    // What was typed persisted in the volume: psql -c sees it.
    expect(pg.exec(`docker exec some-postgres psql -U postgres -c "SELECT count(*) FROM products;"`).stdout).toBe(" count \n-------\n     2\n(1 row)\n\n");
  });

  it("\\l and \\d as psql 16 prints them; an empty line changes nothing; `exit` (psql 11+) and the terminal's Ctrl-D (\\q) leave", () => {
    const pg = db();
    pg.begin("docker exec -it some-postgres psql -U postgres");
    expect(typed(pg, "\\l").out).toContain("List of databases");
    expect(typed(pg, "")).toEqual({ out: "", prompt: "postgres=# " });
    expect(typed(pg, "CREATE TABLE t(a int);").out).toBe("CREATE TABLE\n");
    expect(typed(pg, "\\d").out).toContain(" public | t    | table | postgres\n");
    expect(typed(pg, "exit").prompt).toBeNull();
    expect(pg.attached()).toBeNull();
  });

  it("psql -c and psql without a terminal are unchanged: no prompt, no attachment", () => {
    const pg = db();
    expect(pg.exec(`docker exec some-postgres psql -U postgres -c "SELECT 1;"`).exitCode).toBe(0);
    expect(pg.attached()).toBeNull();
  });
});
