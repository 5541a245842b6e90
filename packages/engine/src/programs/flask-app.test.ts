// The course's Compose exercise app (app.py: Flask + redis), QA walkthrough 2026-11-30 defects #2 and #3.
import { describe, expect, it } from "vitest";
import { emptyDir, mkdir, writeFile, type FsDir } from "../fs/index.js";
import type { StartContext } from "./program.js";
import { debuggerPin, flaskRunArgs, python } from "./servers.js";

const APP = `import time

import redis
from flask import Flask

app = Flask(__name__)
cache = redis.Redis(host='redis', port=6379)


def get_hit_count():
    retries = 5
    while True:
        try:
            return cache.incr('hits')
        except redis.exceptions.ConnectionError as exc:
            if retries == 0:
                raise exc
            retries -= 1
            time.sleep(0.5)


@app.route('/')
def hello():
    count = get_hit_count()
    return 'Hello World! I have been seen {} times.\\n'.format(count)

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
`;

function ok<T>(r: { ok: true; value: T } | { ok: false }): T {
  if (!r.ok) throw new Error("fs op failed");
  return r.value;
}

function ctxWith(source: string): StartContext {
  let fs: FsDir = ok(mkdir(emptyDir(0), "/code", 0, { parents: true }));
  fs = ok(writeFile(fs, "/code/app.py", source, 0));
  return {
    spec: { argv: ["python", "app.py"], env: [], cwd: "/code", user: "root", tty: false, interactive: false },
    path: "/usr/local/bin/python", env: new Map(), fs, now: 0, hostname: "web", containerId: "c0ffee".repeat(10) + "abcd",
    containerName: "web", pid: 1, isPid1: true, memoryLimit: 0, hostMemory: 1 << 30, hostCpus: 2, ip: "172.19.0.3", via: null, image: "web",
  };
}

const text = (ctx: StartContext) => python.start(ctx)!.lines.map((l) => l.text).join("");

describe("python app.py with Flask: the server's port is app.run's (Flask's default 5000), not the Redis client's", () => {
  it("defect #2: redis.Redis(host='redis', port=6379) does not move Flask off 5000 (Flask: app.run's port defaults to 5000)", () => {
    const plan = python.start(ctxWith(APP))!;
    expect(plan.ports).toEqual([5000]);
    const out = text(ctxWith(APP));
    expect(out).toContain(" * Running on http://172.19.0.3:5000\n");
    expect(out).not.toContain("6379");
  });

  it("app.run(host=..., port=...) given: Flask listens there", () => {
    expect(flaskRunArgs("app.run(host='0.0.0.0', port=8080)")).toEqual({ host: "0.0.0.0", port: 8080, debug: false });
    const src = APP.replace('app.run(host="0.0.0.0", debug=True)', 'app.run(port=8000)');
    expect(python.start(ctxWith(src))!.ports).toEqual([8000]);
    expect(text(ctxWith(src))).toContain(" * Running on http://127.0.0.1:8000\n");
  });

  it("defect #3: debug=True prints Werkzeug's 'Debug mode: on' and a Debugger PIN (xxx-xxx-xxx) stable for the container", () => {
    const ctx = ctxWith(APP);
    const out = text(ctx);
    expect(out).toContain(" * Debug mode: on\n");
    expect(out).toContain(" * Restarting with stat\n * Debugger is active!\n");
    expect(out).toMatch(/ \* Debugger PIN: \d{3}-\d{3}-\d{3}\n/);
    expect(out).toContain(`Debugger PIN: ${debuggerPin(ctx.containerId)}`);
    expect(debuggerPin("a".repeat(64))).not.toBe(debuggerPin("b".repeat(64)));
    const off = text(ctxWith(APP.replace(", debug=True", "")));
    expect(off).toContain(" * Debug mode: off\n");
    expect(off).not.toContain("Debugger PIN");
  });
});
