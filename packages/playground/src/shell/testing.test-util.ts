// Test helpers (not a test file itself): a lab machine with a fake `docker` that records calls.
import { createRootFs } from "../fs/index.js";
import { FsHost } from "./fshost.js";
import type { CommandOutcome, CommandRequest, LineResult, ShellSession } from "./host.js";
import { runLine } from "./interp.js";
import { createSession } from "./session.js";

export interface Lab {
  readonly host: FsHost;
  readonly calls: CommandRequest[];
  session: ShellSession;
  /** Runs a line, keeps the session, returns the result. */
  run(line: string): LineResult;
}

/** `docker ps -aq` lists the containers given; other docker calls echo their argv. */
export function lab(containers: readonly string[] = []): Lab {
  const calls: CommandRequest[] = [];
  const docker = (req: CommandRequest): CommandOutcome => {
    calls.push(req);
    if (req.argv[1] === "ps") return { status: 0, stdout: containers.map((c) => `${c}\n`).join(""), stderr: "" };
    return { status: 0, stdout: `${req.argv.slice(1).join(" ")}\n`, stderr: "" };
  };
  const host = new FsHost(createRootFs(0), 0, new Map([["docker", docker]]));
  const l: Lab = {
    host,
    calls,
    session: createSession(),
    run(line) {
      const r = runLine(line, l.session, host, undefined, undefined, { interactive: true });
      l.session = r.session;
      return r;
    },
  };
  return l;
}
