import { isDrydockError } from "@drydock/kernel";
import { createDockerHost, dockerCommand, type CliIO, type DockerHost } from "./docker.js";
import { failure, ok, type CliResult } from "./output.js";
import { shellWords } from "./words.js";

export const SHELL_HELP = `drydock shell: type docker commands against one simulated Docker host.

  docker build -t NAME PATH    docker images        docker pull NAME     docker push NAME
  docker tag SRC DST           docker history IMG   docker rmi IMG       docker image inspect IMG
  docker system df             docker login -u USER
  drydock raft [OPTIONS]       drydock swim [OPTIONS]
  help                         exit
`;

/**
 * A shell session: one Docker host that lives across command lines, so that a pull, a build
 * and an `images` see each other. Each line is split into words as a POSIX shell would.
 */
export class ShellSession {
  readonly host: DockerHost = createDockerHost();

  constructor(
    private readonly io: CliIO = {},
    private readonly drydock: (argv: readonly string[]) => CliResult = () => failure("drydock: not available here"),
  ) {}

  run(line: string): CliResult {
    let words: string[];
    try {
      words = shellWords(line);
    } catch (e) {
      if (isDrydockError(e)) return failure(`drydock: ${e.message}`, 2);
      throw e;
    }
    const [cmd, ...rest] = words;
    if (cmd === undefined) return ok("");
    if (cmd === "help") return ok(SHELL_HELP);
    if (cmd === "docker") return dockerCommand(rest, this.host, this.io);
    if (cmd === "drydock") return this.drydock(rest);
    return failure(`drydock: ${cmd}: command not found (try 'help')`, 127);
  }
}
