// QA walkthrough 2026-11-30 defect #3: `docker compose exec redis redis-cli get hits` answered
// "(error) ERR unknown command 'get'": redis-cli now reads and changes the redis server's keyspace.
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("redis-cli against the redis-server in its container (redis-cli 7.4's replies)", () => {
  it("set, incr, get, keys, exists, del: typed replies at a terminal (-t), raw when piped", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q redis:alpine");
    pg.exec("docker run -d --name cache redis:alpine");
    pg.exec("sleep 1");
    expect(pg.exec("docker exec -t cache redis-cli get hits")).toMatchObject({ exitCode: 0, stdout: "(nil)\n" });
    expect(pg.exec("docker exec cache redis-cli incr hits")).toMatchObject({ exitCode: 0, stdout: "1\n" });
    expect(pg.exec("docker exec -t cache redis-cli incr hits").stdout).toBe("(integer) 2\n");
    expect(pg.exec("docker exec -t cache redis-cli get hits").stdout).toBe("\"2\"\n");
    expect(pg.exec("docker exec cache redis-cli get hits").stdout).toBe("2\n");
    expect(pg.exec("docker exec cache redis-cli set name drydock").stdout).toBe("OK\n");
    expect(pg.exec("docker exec cache redis-cli incr name").stdout).toBe("(error) ERR value is not an integer or out of range\n");
    expect(pg.exec("docker exec -t cache redis-cli keys '*'").stdout).toBe("1) \"hits\"\n2) \"name\"\n");
    expect(pg.exec("docker exec cache redis-cli exists hits nope").stdout).toBe("1\n");
    expect(pg.exec("docker exec cache redis-cli del hits hits").stdout).toBe("1\n");
    expect(pg.exec("docker exec -t cache redis-cli keys 'h*'").stdout).toBe("(empty array)\n");
    expect(pg.exec("docker exec cache redis-cli get").stdout).toBe("(error) ERR wrong number of arguments for 'get' command\n");
  });

  it("another redis container does not see this one's keys", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q redis:alpine");
    pg.exec("docker run -d --name r1 redis:alpine && docker run -d --name r2 redis:alpine");
    pg.exec("sleep 1");
    pg.exec("docker exec r1 redis-cli set k v");
    expect(pg.exec("docker exec r1 redis-cli get k").stdout).toBe("v\n");
    expect(pg.exec("docker exec r2 redis-cli get k").stdout).toBe("\n");
  });
});
