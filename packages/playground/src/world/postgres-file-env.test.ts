import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// The postgres image's docker-entrypoint.sh (docker-library/postgres) reads POSTGRES_PASSWORD,
// POSTGRES_USER and POSTGRES_DB from a file when *_FILE is set (file_env), which is how a swarm
// secret at /run/secrets reaches it; both forms at once is an error.
describe("postgres: *_FILE variables (docker-entrypoint.sh file_env)", () => {
  const logs = (pg: ReturnType<typeof createPlayground>, name: string) => {
    const r = pg.exec(`docker logs ${name}`);
    return r.stdout + r.stderr;
  };

  it("the password and user come from files; the file's trailing newline is dropped", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("printf 'secret\\n' > pw && printf 'gordon' > user");
    pg.exec("docker run -d --name db -e POSTGRES_PASSWORD_FILE=/run/secrets/pw -e POSTGRES_USER_FILE=/run/secrets/user -v /root/pw:/run/secrets/pw:ro -v /root/user:/run/secrets/user:ro postgres:16");
    pg.exec("sleep 5");
    expect(logs(pg, "db")).toContain("database system is ready to accept connections");
    expect(pg.exec("docker exec db psql -U gordon -d postgres -c '\\du'").stdout).toContain("gordon");
  });

  it("a missing file is bash's error and no password; both forms at once is the entrypoint's error", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker run -d --name nofile -e POSTGRES_PASSWORD_FILE=/run/secrets/nope postgres:16");
    pg.exec("printf x > pw && docker run -d --name both -e POSTGRES_PASSWORD=a -e POSTGRES_PASSWORD_FILE=/run/secrets/pw -v /root/pw:/run/secrets/pw postgres:16");
    pg.exec("sleep 2");
    expect(logs(pg, "nofile")).toMatch(/^\/usr\/local\/bin\/docker-entrypoint\.sh: line 21: \/run\/secrets\/nope: No such file or directory\nError: Database is uninitialized and superuser password is not specified\./);
    expect(logs(pg, "both")).toBe("error: both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set (but are exclusive)\n");
    expect(pg.exec("docker inspect -f '{{.State.ExitCode}}' nofile both").stdout).toBe("1\n1\n");
  });
});
